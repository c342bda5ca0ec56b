import type { Node } from 'web-tree-sitter';
import { eolOf, indentAt } from '../../analysis/text';
import type { Fix, Rule, RuleContext } from '../../analysis/types';
import { walkAll } from '../lib/python/pyutil';

/** `for x in E: if COND: raise|return …` — a pass that only validates. Returns E, or undefined. */
function validationPass(stmt: Node): { iterable: Node; target: Node } | undefined {
  if (stmt.type !== 'for_statement' || stmt.child(0)?.type === 'async' || stmt.childForFieldName('alternative')) return undefined;
  const body = stmt.childForFieldName('body')!.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
  if (body.length !== 1 || body[0].type !== 'if_statement' || body[0].childForFieldName('alternative')) return undefined;
  const consequence = body[0].childForFieldName('consequence')!.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
  // Only `raise` in the branch. (A `return` makes the loop a search, and a second search after it is usually a
  // deliberate priority order: exact matches first, then subclasses.)
  const last = consequence[0];
  if (consequence.length !== 1 || last.type !== 'raise_statement') return undefined;
  const iterable = stmt.childForFieldName('right')!;
  if (iterable.type !== 'identifier' && iterable.type !== 'attribute') return undefined; // a generator could not be walked twice
  return { iterable, target: stmt.childForFieldName('left')! };
}

/** The second pass over the same expression: a for loop, or `all(...)` / `any(...)` over a generator. */
function secondPass(stmt: Node, iterable: string): { kind: 'for' } | { kind: 'all' | 'any'; name: Node; gen: Node } | undefined {
  if (stmt.type === 'for_statement') {
    // A second loop that can stop early decides in an order the fused loop would change.
    if ([...walkAll(stmt)].some((n) => n.type === 'return_statement' || n.type === 'break_statement')) return undefined;
    return stmt.childForFieldName('right')?.text === iterable ? { kind: 'for' } : undefined;
  }
  const a = stmt.type === 'expression_statement' ? stmt.namedChild(0) : null;
  if (a?.type !== 'assignment' || a.childForFieldName('left')?.type !== 'identifier') return undefined;
  const call = a.childForFieldName('right');
  const fn = call?.type === 'call' ? call.childForFieldName('function')?.text : undefined;
  const gen = call?.childForFieldName('arguments');
  if ((fn !== 'all' && fn !== 'any') || gen?.type !== 'generator_expression') return undefined;
  const clauses = gen.namedChildren.filter((c) => c?.type === 'for_in_clause' || c?.type === 'if_clause');
  if (clauses.length !== 1 || clauses[0]!.childForFieldName('right')?.text !== iterable) return undefined;
  return { kind: fn, name: a.childForFieldName('left')!, gen };
}

function buildFix(ctx: RuleContext, first: Node, second: Node, target: Node, pass: { kind: 'all' | 'any'; name: Node; gen: Node }): Fix | undefined {
  const clause = pass.gen.namedChildren.find((c) => c?.type === 'for_in_clause')!;
  const genTarget = clause.childForFieldName('left')!;
  if (genTarget.type !== 'identifier' || target.type !== 'identifier') return undefined;
  const element = pass.gen.childForFieldName('body')!;
  // The element with the generator's variable renamed to the loop's.
  let cond = '';
  let at = element.startIndex;
  for (const n of walkAll(element)) {
    if (
      n.type === 'identifier' &&
      n.text === genTarget.text &&
      n.parent?.type !== 'keyword_argument' &&
      !(n.parent?.type === 'attribute' && n.parent.childForFieldName('attribute')?.startIndex === n.startIndex)
    ) {
      cond += ctx.text.slice(at, n.startIndex) + target.text;
      at = n.endIndex;
    }
  }
  cond += ctx.text.slice(at, element.endIndex);
  if (cond.includes('\n')) return undefined;
  if ([...walkAll(first)].some((n) => n.type === 'comment')) return undefined;
  const eol = eolOf(ctx.text);
  const indent = indentAt(ctx.text, first.startIndex);
  const inner = indentAt(ctx.text, first.childForFieldName('body')!.startIndex);
  const step = inner.slice(indent.length);
  const name = pass.name.text;
  const test = pass.kind === 'all' ? `not (${cond})` : `(${cond})`;
  const fused =
    `${name} = ${pass.kind === 'all' ? 'True' : 'False'}${eol}${indent}${ctx.text.slice(first.startIndex, first.endIndex)}${eol}` +
    `${inner}if ${test}:${eol}${inner}${step}${name} = ${pass.kind === 'all' ? 'False' : 'True'}${eol}${inner}${step}break`;
  return {
    title: 'Check and decide in one loop that stops at the first deciding item',
    applicability: 'unsafe',
    edits: [{ start: first.startIndex, end: second.endIndex, text: fused }],
  };
}

export const doublePass: Rule = {
  meta: {
    id: 'python/double-pass',
    language: 'python',
    title: 'Two passes over the same collection where one would do',
    severity: 'information',
    fix: 'unsafe',
    docs: {
      what: 'Flags a `for` loop that only validates each item (its body is `if …: raise`) followed directly by a second pass over the same collection: `ok = all(… for x in items)`, `found = any(…)`, or another `for` loop that visits every item. Passes over different collections, first passes that change state or return (a search), and second loops that return or break are not flagged.',
      why: 'The collection is walked twice, and the second walk cannot stop early until the first has finished. One loop that validates and decides per item does the work in one pass and, for `all`/`any`, stops at the first deciding item. For small collections the difference is negligible, which is why this is information.',
      references: [
        'CPython `Doc/library/functions.rst` `all` and `any`: each is equivalent to a loop that returns at the first false (for `any`, true) element, so neither looks at the items after the deciding one',
      ],
      example:
        'def ready(task, tasks):\n    for dep in task.deps:\n        if dep not in tasks:\n            raise KeyError(dep)\n    done = all(tasks[d].finished for d in task.deps)\n    return done',
      useInstead:
        'def ready(task, tasks):\n    done = True\n    for dep in task.deps:\n        if dep not in tasks:\n            raise KeyError(dep)\n        if not (tasks[dep].finished):\n            done = False\n            break\n    return done',
      fixSafety:
        'Unsafe, offered for the `all`/`any` shape: the fused loop keeps the validation first for each item, so errors keep their order up to the deciding item, but it stops there, so items after it are no longer validated: a missing dependency after an unfinished one used to raise and now does not. Fuse by hand, without the `break`, where every item must be validated.',
    },
  },
  query: '(for_statement) @node',
  check(node, ctx) {
    const first = validationPass(node);
    if (!first) return;
    let next = node.nextNamedSibling;
    while (next?.type === 'comment') next = next.nextNamedSibling;
    if (!next) return;
    const pass = secondPass(next, first.iterable.text);
    if (!pass) return;
    ctx.report({
      start: node.startIndex,
      end: next.endIndex,
      message: `\`${first.iterable.text}\` is walked twice: once to validate, then again ${pass.kind === 'for' ? 'by a second loop' : `by \`${pass.kind}()\``}; one loop can check and decide per item.`,
      fix: pass.kind === 'for' ? undefined : buildFix(ctx, node, next, first.target, pass),
    });
  },
};
