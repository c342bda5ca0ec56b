// Hoisting a value computed in a loop out of it: the loop that repeats the code, whether it runs on every
// iteration, and the fix that computes it once before the loop. Shared by loop-invariant-call,
// recomputed-checksum and repeated-deepcopy.
import type { Node } from 'web-tree-sitter';
import { frequency } from '../../../analysis/frequency';
import { indentAt } from '../../../analysis/text';
import type { Fix, RuleContext } from '../../../analysis/types';
import { lineBeforeLoop } from './accumulator';
import { joinsLines, oneLine, reindented } from './layout';
import { facts } from './pyutil';

const COMPREHENSIONS = new Set(['list_comprehension', 'set_comprehension', 'dictionary_comprehension', 'generator_expression']);

export interface LoopLike {
  node: Node;
  hoistBefore: Node;
  comprehension: boolean;
}

/**
 * The innermost loop that repeats the call (analysis/frequency.ts): a for/while statement whose body runs it, or a
 * comprehension whose element or later clauses do (hoisted before its statement). The header or else clause of a
 * loop, the first iterable of a comprehension, and loops that run it at most once per entry, over a few literal
 * items or until the first success do not count: look further out.
 */
export function innermostLoop(ctx: RuleContext, call: Node): LoopLike | undefined {
  const loop = frequency(call, ctx).loops[0];
  if (!loop) return undefined;
  if (!COMPREHENSIONS.has(loop.type)) return { node: loop, hoistBefore: loop, comprehension: false };
  let stmt: Node = loop;
  while (stmt.parent && stmt.parent.type !== 'block' && stmt.parent.type !== 'module') stmt = stmt.parent;
  void ctx;
  return { node: loop, hoistBefore: stmt, comprehension: true };
}

/** True when the call runs on every iteration: no branch, handler or short-circuit between it and the loop body. */
export function unconditional(call: Node, loop: Node): boolean {
  for (let p = call.parent; p && p.startIndex !== loop.startIndex; p = p.parent) {
    if (
      [
        'if_statement',
        'elif_clause',
        'else_clause',
        'try_statement',
        'except_clause',
        'finally_clause',
        'conditional_expression',
        'boolean_operator',
        'match_statement',
        'case_clause',
        'for_statement',
        'while_statement',
        'lambda',
      ].includes(p.type)
    )
      return false;
  }
  return true;
}

/**
 * The expression's text for a line of its own just before `stmt`: written over several lines, it moves as it is
 * (its line breaks inside its own brackets or after a backslash), re-indented; undefined when a line break of it
 * would end the new statement (it lies only inside brackets around the expression).
 */
function movedBefore(text: string, expr: Node, stmt: Node): string | undefined {
  if (!/[\r\n]/.test(expr.text)) return expr.text;
  if (!joinsLines(text, expr)) return undefined;
  return reindented(text, expr, expr.startIndex, expr.endIndex, indentAt(text, expr.startIndex), indentAt(text, stmt.startIndex));
}

export function hoistFix(ctx: RuleContext, expr: Node, loop: LoopLike, local: string, safe: boolean): Fix | undefined {
  const f = facts(ctx);
  // In a class body the local would be a class attribute, which a comprehension there cannot see (NameError)
  // (test/oracle/python/loop-invariant-call.py).
  if (f.enclosingScope(loop.hoistBefore)?.type === 'class_definition') return undefined;
  const name = f.freshName(local, f.enclosingScope(loop.hoistBefore));
  const moved = movedBefore(ctx.text, expr, loop.hoistBefore);
  const before = moved === undefined ? undefined : lineBeforeLoop(ctx.text, loop.hoistBefore, `${name} = ${moved}`);
  if (!before) return undefined;
  const shown = oneLine(ctx.text, expr);
  return {
    title: `Compute \`${shown.length > 40 ? `${shown.slice(0, 37)}...` : shown}\` once before the loop`,
    applicability: safe ? 'safe' : 'unsafe',
    edits: [before, { start: expr.startIndex, end: expr.endIndex, text: name }],
  };
}
