// Shared by rules that rewrite a value built up across a loop (concatenation, insert at the front …):
// finding its initial value, deciding whether the rewrite is provably safe, and placing code around the loop.
import type { Node } from 'web-tree-sitter';
import { bindsName } from '../../../analysis/python/bindings';
import { readsName } from '../../../analysis/reads';
import { eolOf, indentAt, lineStartOf, nextLineStart } from '../../../analysis/text';
import type { RuleContext, TextEdit } from '../../../analysis/types';
import { facts, LOOP_TYPES, sameNode, SCOPE_TYPES, walkAll, walkScope } from './pyutil';

export interface LoopInit {
  stmt: Node;
  value: Node;
  loop: Node;
}

/**
 * The value a name holds when a loop starts: the nearest assignment to it among the statements before one of
 * the `loops` (innermost first) or before a compound statement (if, with, try) around it. Undefined when
 * something else may rebind the name in between.
 */
export function initBeforeLoop(name: string, loops: Node[]): LoopInit | undefined {
  for (const loop of loops) {
    for (let stmt: Node | null = loop; stmt && !SCOPE_TYPES.has(stmt.type); stmt = stmt.parent) {
      if (stmt !== loop && LOOP_TYPES.has(stmt.type)) break; // the next outer loop's turn
      if (stmt.parent?.type !== 'block' && stmt.parent?.type !== 'module') continue;
      for (let s = stmt.previousNamedSibling; s; s = s.previousNamedSibling) {
        if (s.type === 'comment') continue;
        const a = s.type === 'expression_statement' ? s.namedChild(0) : null;
        if (a && a.type === 'assignment' && a.childForFieldName('left')?.text === name) {
          const value = a.childForFieldName('right');
          return value ? { stmt: s, value, loop } : undefined;
        }
        if ([...walkAll(s)].some((n) => n.text === name && (n.type === 'identifier' || n.type === 'attribute') && bindsName(n))) return undefined;
      }
    }
  }
  return undefined;
}

/**
 * Why rewriting `name`'s accumulation across `loop` could change behaviour, or undefined when it cannot:
 * an early exit (return, yield, raise, an exception handler or context manager around the loop) would skip the
 * code placed after the loop, and a closure or a global could observe the value mid-loop.
 */
export function rewriteBlocked(ctx: RuleContext, loop: Node, name: string): string | undefined {
  for (const n of walkScope(loop)) {
    if (['return_statement', 'yield', 'raise_statement', 'try_statement', 'global_statement', 'nonlocal_statement'].includes(n.type))
      return `the loop contains ${n.type.replace('_statement', '')}`;
  }
  for (let p = loop.parent; p && p.type !== 'function_definition' && p.type !== 'module'; p = p.parent) {
    if (p.type === 'try_statement' || p.type === 'with_statement') return `the loop is inside ${p.type.replace('_statement', '')}`;
  }
  const f = facts(ctx);
  const scope = f.enclosingScope(loop);
  // At module level every function of the file counts, in a class body every method: more than this statement.
  if (!scope || scope.type === 'class_definition') readsName(name);
  for (const n of walkAll(scope ?? ctx.tree.rootNode)) {
    if (n.type === 'identifier' && n.text === name && !sameNode(f.enclosingScope(n), scope)) return 'a nested function sees the name';
  }
  return undefined;
}

/** A line of code inserted just before the loop, at its indentation. */
export function lineBeforeLoop(text: string, loop: Node, code: string): TextEdit | undefined {
  const start = lineStartOf(text, loop.startIndex);
  if (text.slice(start, loop.startIndex).trim() !== '') return undefined;
  return { start, end: start, text: `${indentAt(text, loop.startIndex)}${code}${eolOf(text)}` };
}

/** A line of code inserted just after the loop (after any comment on its last line), at its indentation. */
export function lineAfterLoop(text: string, loop: Node, code: string): TextEdit | undefined {
  const at = nextLineStart(text, loop.endIndex);
  const rest = text.slice(loop.endIndex, at).trim();
  if (rest && !rest.startsWith('#')) return undefined;
  const eol = eolOf(text);
  const needsNewline = at === text.length && !/[\r\n]$/.test(text);
  return { start: at, end: at, text: `${needsNewline ? eol : ''}${indentAt(text, loop.startIndex)}${code}${eol}` };
}

/** Mentions of `target` (an identifier or attribute, by its text) inside `root`. */
export function mentions(root: Node, target: Node): Node[] {
  const out: Node[] = [];
  for (const n of walkAll(root)) if (n.type === target.type && n.text === target.text) out.push(n);
  return out;
}
