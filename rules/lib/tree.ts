// Tree helpers every language's rules share. web-tree-sitter hands out a new object per lookup, so nodes are
// compared by position and type, never by identity.
import type { Node } from 'web-tree-sitter';
import { Memo, type MemoKey } from '../../analysis/memo';
import type { Piece } from '../../analysis/types';

export { sameNode, within } from '../../analysis/flow';

/**
 * The named nodes of a subtree, depth first in source order; below `root`, nodes for which `prune` is true are
 * yielded but not entered (nested functions, whose code runs at another time).
 */
export function* walkPruned(root: Node, prune?: (n: Node) => boolean, includeRoot = true): Generator<Node> {
  const stack: Node[] = [];
  if (includeRoot) stack.push(root);
  else
    for (let i = root.namedChildCount - 1; i >= 0; i--) {
      const c = root.namedChild(i);
      if (c) stack.push(c);
    }
  while (stack.length) {
    const n = stack.pop()!;
    yield n;
    if (prune && n !== root && prune(n)) continue;
    for (let i = n.namedChildCount - 1; i >= 0; i--) {
      const c = n.namedChild(i);
      if (c) stack.push(c);
    }
  }
}

export function walkAll(root: Node): Generator<Node> {
  return walkPruned(root);
}

/** The analysis's pieces (RuleContext.pieces), or for a one-off analysis the whole text as one piece. */
export function piecesOr(pieces: readonly Piece[] | undefined, text: string): readonly Piece[] {
  return pieces ?? [{ start: 0, end: text.length, memo: new Memo() }];
}

/**
 * `compute()` for the piece that starts where `node` does (a top-level declaration), kept in its memo; simply
 * computed when the analysis keeps no pieces. For facts that depend only on that declaration's own text.
 */
export function memoAt<T>(pieces: readonly Piece[] | undefined, node: Node, key: MemoKey<T>, compute: () => T): T {
  if (!pieces) return compute();
  let lo = 0,
    hi = pieces.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const start = pieces[mid].start;
    if (start === node.startIndex) return pieces[mid].memo.get(key, compute);
    if (start < node.startIndex) lo = mid + 1;
    else hi = mid - 1;
  }
  return compute();
}
