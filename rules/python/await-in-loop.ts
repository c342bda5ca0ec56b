import type { Node } from 'web-tree-sitter';
import { repeatedBy } from '../../analysis/frequency';
import type { Fix, Rule, RuleContext } from '../../analysis/types';
import { asyncioImport } from '../lib/python/asyncutil';
import { facts, walkAll } from '../lib/python/pyutil';

interface Shape {
  call: Node;
  append: string;
}

/**
 * The loop body's single statement `out.append(await f(x))`. A bare `await send(x)` per item is not taken:
 * writes to a stream, a queue or a connection must usually stay in order, and that cannot be told apart here.
 */
function shapeOf(body: Node): Shape | undefined {
  const stmts = body.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
  if (stmts.length !== 1 || stmts[0].type !== 'expression_statement' || stmts[0].namedChildCount !== 1) return undefined;
  const e = stmts[0].namedChild(0)!;
  if (e.type === 'call') {
    const fn = e.childForFieldName('function');
    const args = e.childForFieldName('arguments');
    if (fn?.type !== 'attribute' || fn.childForFieldName('attribute')?.text !== 'append' || args?.namedChildCount !== 1) return undefined;
    const inner = args.namedChild(0)!;
    const call = inner.type === 'await' ? inner.namedChild(0) : null;
    const list = fn.childForFieldName('object')!;
    return call?.type === 'call' && list.type === 'identifier' ? { call, append: list.text } : undefined;
  }
  return undefined;
}

function buildFix(ctx: RuleContext, loop: Node, shape: Shape): Fix | undefined {
  // The loop is replaced whole: a comment inside it would be lost.
  if ([...walkAll(loop)].some((n) => n.type === 'comment')) return undefined;
  const imports = asyncioImport(facts(ctx));
  if (!imports) return undefined;
  const left = loop.childForFieldName('left')!.text;
  const right = loop.childForFieldName('right')!;
  const iterable = right.type === 'expression_list' ? `(${right.text})` : right.text;
  const gathered = `await asyncio.gather(*(${shape.call.text} for ${left} in ${iterable}))`;
  const text = `${shape.append}.extend(${gathered})`;
  return {
    title: 'Run the calls concurrently with asyncio.gather',
    applicability: 'unsafe',
    edits: [...imports, { start: loop.startIndex, end: loop.endIndex, text }],
  };
}

export const awaitInLoop: Rule = {
  meta: {
    id: 'python/await-in-loop',
    language: 'python',
    title: 'Independent awaits run one after another in a loop',
    severity: 'information',
    fix: 'unsafe',
    docs: {
      what: 'Flags a `for` loop (not `async for`) inside an `async def` whose body is a single `results.append(await f(item))`, where the awaited call reads the loop target and not the results: a fetch per item whose results are collected in order. A bare `await send(item)` per item is not flagged: writes to a stream, queue or connection usually must stay in order. Loops that provably do not repeat it do not count: it leaves the loop right after, the loop runs over at most 8 literal items or `range(k)` of a constant, or it is a retry loop (it goes round again only from an `except` handler, and leaves on success).',
      why: 'Each `await` waits for one call to finish before the next starts, so n network or disk round-trips take n times as long as one. Started together with `asyncio.gather`, they overlap and the loop takes about as long as the slowest call.',
      references: [
        'CPython 3.11 `Lib/asyncio/tasks.py` `gather`: wraps every coroutine in a Task (`_ensure_future`) before waiting, so they all run at once; results come back in the order of the arguments, and without `return_exceptions` the first exception propagates while the other tasks are not cancelled',
        'Python docs, Developing with asyncio (`Doc/library/asyncio-dev.rst`), "Concurrency and Multithreading": when a Task executes an `await` expression it is suspended and the event loop runs the next Task',
      ],
      example: 'async def fetch_all(client, urls):\n    pages = []\n    for url in urls:\n        pages.append(await client.get(url))\n    return pages',
      useInstead:
        'import asyncio\n\n\nasync def fetch_all(client, urls):\n    pages = []\n    pages.extend(await asyncio.gather(*(client.get(url) for url in urls)))\n    return pages',
      fixSafety:
        'Unsafe: the calls now run concurrently. Results keep their order (`gather` returns them in the order given), but a server may see many requests at once (bound them with a semaphore when it matters), and when one call fails the others keep running instead of never starting. `import asyncio` is added when missing.',
    },
  },
  mentions: ['await'],
  // Any for loop: shapeOf checks for the single statement (an anchored pattern would miss a block whose single
  // statement has a trailing comment, which the tree counts as a second child).
  query: '(for_statement body: (block)) @node',
  check(node, ctx) {
    if (node.child(0)?.type === 'async' || node.childForFieldName('alternative')) return;
    // The shape first: the query takes every for loop of a file that mentions await, and most are not it.
    const body = node.childForFieldName('body')!;
    const shape = shapeOf(body);
    if (!shape) return;
    const f = facts(ctx);
    if (!f.inAsyncDef(node)) return;
    // Over a few literal items, the waits add up to little (analysis/frequency.ts).
    if (!repeatedBy(shape.call, node, ctx)) return;
    const left = node.childForFieldName('left')!;
    const targets = new Set([...walkAll(left)].filter((n) => n.type === 'identifier').map((n) => n.text));
    // The accumulating list must not be read by the call (that would make iterations depend on each other).
    if ([...walkAll(shape.call)].some((n) => n.type === 'identifier' && n.text === shape.append)) return;
    if (!targets.size || ![...walkAll(shape.call)].some((n) => n.type === 'identifier' && targets.has(n.text))) return;
    ctx.report({
      node,
      message: `Each iteration waits for \`${shape.call.childForFieldName('function')?.text ?? 'the call'}()\` before starting the next, though they do not depend on each other; run them together with \`asyncio.gather\`.`,
      fix: buildFix(ctx, node, shape),
      loop: node,
    });
  },
};
