// Hoisting a value computed in a loop out of it: the loop that repeats the code, whether it runs on every
// iteration, and the fix that computes it once before the loop. Shared by loop-invariant-call,
// recomputed-checksum and repeated-deepcopy.
import type { Node } from 'web-tree-sitter';
import { frequency } from '../../../analysis/frequency';
import type { Fix, RuleContext } from '../../../analysis/types';
import { lineBeforeLoop } from './accumulator';
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
  const loop = frequency(call, 'python').loops[0];
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

export function hoistFix(ctx: RuleContext, expr: Node, loop: LoopLike, local: string, safe: boolean): Fix | undefined {
  const f = facts(ctx);
  // In a class body the local would be a class attribute, which a comprehension there cannot see (NameError)
  // (test/oracle/python/loop-invariant-call.py).
  if (f.enclosingScope(loop.hoistBefore)?.type === 'class_definition') return undefined;
  const name = f.freshName(local, f.enclosingScope(loop.hoistBefore));
  const before = lineBeforeLoop(ctx.text, loop.hoistBefore, `${name} = ${expr.text}`);
  if (!before || expr.text.includes('\n')) return undefined;
  return {
    title: `Compute \`${expr.text.length > 40 ? `${expr.text.slice(0, 37)}...` : expr.text}\` once before the loop`,
    applicability: safe ? 'safe' : 'unsafe',
    edits: [before, { start: expr.startIndex, end: expr.endIndex, text: name }],
  };
}
