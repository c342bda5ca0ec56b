import type { Node } from 'web-tree-sitter';
import { atLeast, type Fix, type Rule, type RuleContext } from '../../analysis/types';
import { indentAt } from '../../analysis/text';
import { asyncioImport } from '../lib/python/asyncutil';
import { joinsLines, reindented } from '../lib/python/layout';
import { facts, walkAll } from '../lib/python/pyutil';

const EXECUTORS = new Set(['concurrent.futures.ThreadPoolExecutor', 'concurrent.futures.ProcessPoolExecutor', 'concurrent.futures.thread.ThreadPoolExecutor']);

/** `with ThreadPoolExecutor(...) as pool:` — the executor call and the bound name. */
function executorItem(withStmt: Node, ctx: RuleContext): { call: Node; name: string; kind: string } | undefined {
  const clause = withStmt.namedChildren.find((c) => c?.type === 'with_clause');
  const items = clause?.namedChildren.filter((c) => c?.type === 'with_item') ?? [];
  if (items.length !== 1) return undefined;
  const value = items[0]!.childForFieldName('value');
  if (value?.type !== 'as_pattern') return undefined;
  const call = value.namedChild(0);
  const alias = value.childForFieldName('alias')?.namedChild(0);
  if (call?.type !== 'call' || alias?.type !== 'identifier') return undefined;
  const q = facts(ctx).qualify(call.childForFieldName('function'));
  if (!q || !EXECUTORS.has(q)) return undefined;
  return { call, name: alias.text, kind: q.split('.').pop()! };
}

function buildFix(ctx: RuleContext, withStmt: Node, body: Node, use: Node, name: string): Fix | undefined {
  // Only `... await loop.run_in_executor(pool, fn, *args) ...` as the with's single statement, in a coroutine.
  const call = use.parent?.parent;
  if (call?.type !== 'call' || !facts(ctx).inAsyncDef(withStmt) || !atLeast(ctx.targetVersion, '3.9')) return undefined; // to_thread: 3.9+
  const fn = call.childForFieldName('function');
  if (fn?.type !== 'attribute' || fn.childForFieldName('attribute')?.text !== 'run_in_executor') return undefined;
  const args = call.childForFieldName('arguments')!.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
  if (args[0]?.text !== name || args.length < 2) return undefined;
  const stmts = body.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
  // Written over several lines, the statement moves out of the block as it is, its lines dedented with it.
  if (stmts.length !== 1 || !joinsLines(ctx.text, stmts[0])) return undefined;
  if ([...walkAll(withStmt)].some((n) => n.type === 'comment')) return undefined; // would be lost
  const imports = asyncioImport(facts(ctx));
  if (!imports) return undefined;
  const stmt = stmts[0];
  const from = indentAt(ctx.text, stmt.startIndex);
  const to = indentAt(ctx.text, withStmt.startIndex);
  const moved = (start: number, end: number) => reindented(ctx.text, stmt, start, end, from, to);
  const replaced =
    moved(stmt.startIndex, call.startIndex) +
    `asyncio.to_thread(${args
      .slice(1)
      .map((a) => moved(a.startIndex, a.endIndex))
      .join(', ')})` +
    moved(call.endIndex, stmt.endIndex);
  return {
    title: 'Use asyncio.to_thread instead of a one-off executor',
    applicability: 'unsafe',
    edits: [...imports, { start: withStmt.startIndex, end: withStmt.endIndex, text: replaced }],
  };
}

export const executorPerCall: Rule = {
  meta: {
    id: 'python/executor-per-call',
    language: 'python',
    title: 'Thread or process pool created for a single call',
    severity: 'information',
    fix: 'unsafe',
    docs: {
      what: 'Flags `with ThreadPoolExecutor(…) as pool:` or `with ProcessPoolExecutor(…) as pool:` inside a function when the pool is used exactly once, for one `pool.submit(…)` or `loop.run_in_executor(pool, …)`, outside any loop. Module-level or long-lived executors and pools that map over many items are not flagged.',
      why: 'A pool starts its worker threads (or processes: under the `fork` start method all `max_workers` of them at the first `submit`, under `spawn` a new interpreter each) on first use and joins them when the `with` block ends, so a pool made for one call pays the start-up and shutdown on every call of the function, and gains no parallelism. A process pool costs from a few milliseconds (`fork`) to over a hundred (`spawn`) per creation.',
      references: [
        'CPython 3.11 `Lib/concurrent/futures/thread.py` `ThreadPoolExecutor._adjust_thread_count` and `shutdown`: `submit` starts a new thread while fewer than `max_workers` exist and none is idle; `shutdown(wait=True)` joins every thread',
        'CPython 3.11 `Lib/concurrent/futures/_base.py` `Executor.__exit__`: leaving the `with` block calls `self.shutdown(wait=True)`',
        'CPython 3.11 `Lib/concurrent/futures/process.py` `_start_executor_manager_thread`, `_launch_processes`, `_adjust_process_count`: under `fork` the first `submit` starts all `max_workers` processes; under other start methods each `submit` starts one while fewer than `max_workers` exist',
        "CPython 3.11 `Lib/asyncio/threads.py` `to_thread` and `Lib/asyncio/base_events.py` `run_in_executor`: `to_thread` uses the loop's default executor, one `ThreadPoolExecutor` created on first use and kept",
      ],
      example:
        'import asyncio\nfrom concurrent.futures import ThreadPoolExecutor\n\n\nasync def read(path):\n    loop = asyncio.get_running_loop()\n    with ThreadPoolExecutor(max_workers=1) as pool:\n        return await loop.run_in_executor(pool, open_and_read, path)',
      useInstead: 'import asyncio\n\n\nasync def read(path):\n    return await asyncio.to_thread(open_and_read, path)',
      fixSafety:
        "Unsafe. In a coroutine, when the `with` block is a single simple statement (on one line or several, with no comment, which would be lost) around `await loop.run_in_executor(pool, fn, *args)`, the fix replaces the block with `await asyncio.to_thread(fn, *args)` (Python 3.9 or later: not offered when the configured `python-version` is older), which runs on the event loop's shared default thread pool: the call may wait behind other work on that pool, and a process pool's isolation is lost. Elsewhere there is no automatic fix: create one executor at module level (or per service) and reuse it.",
    },
  },
  mentions: ['PoolExecutor'],
  query: '(with_statement) @node',
  check(node, ctx) {
    const item = executorItem(node, ctx);
    if (!item) return;
    const f = facts(ctx);
    if (!f.enclosingScope(node)) return; // module level: long-lived
    const body = node.childForFieldName('body');
    if (!body) return;
    const uses = [...walkAll(body)].filter((n) => n.type === 'identifier' && n.text === item.name);
    if (uses.length !== 1) return;
    const use = uses[0];
    // Used once, as `pool.submit(...)` or as the first argument of `run_in_executor(pool, ...)`, not in a loop.
    const parent = use.parent;
    const isSubmit = parent?.type === 'attribute' && parent.childForFieldName('attribute')?.text === 'submit' && parent.parent?.type === 'call';
    const isExecutorArg =
      parent?.type === 'argument_list' &&
      parent.namedChildren.find((c) => c?.type !== 'comment')?.startIndex === use.startIndex &&
      parent.parent?.childForFieldName('function')?.text.endsWith('run_in_executor');
    if (!isSubmit && !isExecutorArg) return;
    if (f.inLoop(use) && !f.inLoop(node)) return;
    if ([...walkAll(body)].some((n) => n.type === 'for_statement' || n.type === 'while_statement')) return;
    ctx.report({
      node: item.call,
      message: `A \`${item.kind}\` is started and shut down for a single call; use \`asyncio.to_thread\` or one long-lived executor.`,
      fix: buildFix(ctx, node, body, use, item.name),
    });
  },
};
