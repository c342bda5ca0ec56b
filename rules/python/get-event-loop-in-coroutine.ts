import type { Rule } from '../../server/src/core/types';
import { asyncioImport } from './asyncutil';
import { facts } from './pyutil';

export const getEventLoopInCoroutine: Rule = {
  meta: {
    id: 'python/get-event-loop-in-coroutine',
    language: 'python',
    title: 'asyncio.get_event_loop() inside a coroutine',
    severity: 'information',
    fix: 'safe',
    docs: {
      what: 'Flags `asyncio.get_event_loop()` called inside an `async def`.',
      why: 'Inside a coroutine a loop is always running, and `asyncio.get_running_loop()` returns it directly. `get_event_loop()` goes through the event-loop policy, is deprecated for this use since Python 3.10 (and warns or raises when no loop is running in 3.12+), and its behaviour differs between versions and policies. `get_running_loop()` is the documented call. It is not a measurable speed-up (both take well under a microsecond inside a coroutine), so this is information: a correctness and deprecation fix rather than a hotspot.',
      example: 'import asyncio\n\n\nasync def read(path):\n    loop = asyncio.get_event_loop()\n    return await loop.run_in_executor(None, load, path)',
      useInstead: 'import asyncio\n\n\nasync def read(path):\n    loop = asyncio.get_running_loop()\n    return await loop.run_in_executor(None, load, path)',
      fixSafety: 'Safe: inside a running coroutine both calls return the same running loop. `import asyncio` is added when the call was imported by name.',
    },
  },
  mentions: ['get_event_loop'],
  query: '(call function: [(identifier) @name (attribute attribute: (identifier) @name)] (#eq? @name "get_event_loop")) @node',
  check(node, ctx) {
    const fn = node.childForFieldName('function');
    if (!fn) return;
    const f = facts(ctx);
    if (f.qualify(fn) !== 'asyncio.get_event_loop' || !f.inAsyncDef(node)) return;
    const args = node.childForFieldName('arguments');
    if (args && args.namedChildCount > 0) return;
    let fix;
    if (fn.type === 'attribute') {
      const attr = fn.childForFieldName('attribute')!;
      fix = { title: 'Use asyncio.get_running_loop()', applicability: 'safe' as const, edits: [{ start: attr.startIndex, end: attr.endIndex, text: 'get_running_loop' }] };
    } else {
      const imports = asyncioImport(f);
      if (imports) fix = { title: 'Use asyncio.get_running_loop()', applicability: 'safe' as const, edits: [...imports, { start: fn.startIndex, end: fn.endIndex, text: 'asyncio.get_running_loop' }] };
    }
    ctx.report({
      node,
      message: '`asyncio.get_event_loop()` inside a coroutine goes through the loop policy and is deprecated there; use `asyncio.get_running_loop()`.',
      fix,
    });
  },
};
