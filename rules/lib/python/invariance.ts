// Telling whether an expression can change between the iterations of a loop, from the file alone.
import type { Node } from 'web-tree-sitter';
import { readsName } from '../../../analysis/reads';
import type { RuleContext } from '../../../analysis/types';
import { walkAll, within } from './pyutil';

export const LITERALS = new Set(['string', 'integer', 'float', 'true', 'false', 'none', 'concatenated_string']);

/** A module-level name bound once, to a literal (a str, number or tuple of them): it cannot change. */
export function immutableConstant(ctx: RuleContext, name: string): boolean {
  let count = 0;
  let literal = false;
  for (const c of ctx.tree.rootNode.namedChildren) {
    const a = c?.type === 'expression_statement' ? c.namedChild(0) : null;
    if (a?.type === 'assignment' && a.childForFieldName('left')?.text === name) {
      count++;
      const v = a.childForFieldName('right');
      literal = !!v && (LITERALS.has(v.type) || (v.type === 'tuple' && v.namedChildren.every((x) => x && LITERALS.has(x.type))));
    }
  }
  if (count !== 1 || !literal) return false;
  // Bound nowhere else (a function could rebind it with `global`).
  readsName(name);
  return !new RegExp(`global[^\\n]*\\b${name}\\b`).test(ctx.text);
}

export type Arg = { kind: 'literal' } | { kind: 'constant' } | { kind: 'name'; root: string };

/** How an argument can be shown invariant, or undefined when it cannot. */
export function classify(ctx: RuleContext, n: Node): Arg[] | undefined {
  if (n.type === 'keyword_argument') {
    const v = n.childForFieldName('value');
    return v ? classify(ctx, v) : undefined;
  }
  if (LITERALS.has(n.type)) return n.namedChildren.some((c) => c?.type === 'interpolation') ? undefined : [{ kind: 'literal' }];
  if (n.type === 'identifier') return [immutableConstant(ctx, n.text) ? { kind: 'constant' } : { kind: 'name', root: n.text }];
  if (n.type === 'attribute') {
    let root: Node = n;
    while (root.type === 'attribute') root = root.childForFieldName('object')!;
    return root.type === 'identifier' ? [{ kind: 'name', root: root.text }] : undefined;
  }
  if (n.type === 'tuple' || n.type === 'parenthesized_expression') {
    const parts = n.namedChildren.map((c) => (c ? classify(ctx, c) : undefined));
    return parts.every(Boolean) ? (parts.flat() as Arg[]) : undefined;
  }
  return undefined;
}

/**
 * True when every name the argument list relies on is absent from the rest of the loop (so nothing in the loop
 * can rebind or mutate it). `exclude` is the expression the names may appear in.
 */
export function namesUntouched(loop: Node, kinds: Arg[], exclude: Node): boolean {
  const roots = new Set(kinds.flatMap((k) => (k.kind === 'name' ? [k.root] : [])));
  if (!roots.size) return true;
  for (const n of walkAll(loop)) {
    if (n.type === 'identifier' && roots.has(n.text) && !within(n, exclude)) return false;
  }
  return true;
}
