// What the Python and Go execution-frequency facts (python/frequency.ts, go/frequency.ts) share: the verdict on
// one loop, the states of a path, and the words of a literal bound. Nodes are compared by position and type
// (web-tree-sitter hands out a new object per lookup).
import type { Node } from 'web-tree-sitter';

/** One loop around a node, innermost first: does it repeat the node, and if not, why and how often at most. */
export interface LoopFact {
  loop: Node;
  repeats: boolean;
  /** Why it does not repeat the node: 'leaves the loop right after (break)', 'loop over 3 literal items', … */
  why?: string;
  /** At most this many runs of the node per entry of the loop, when known. */
  bound?: number;
}

/** A path's state: 0 none, 1 only through a failure (an exception handler, a branch on `err != nil`), 2 a plain path. */
export type State = 0 | 1 | 2;
export const minState = (a: State, b: State): State => (a < b ? a : b);
export const maxState = (a: State, b: State): State => (a > b ? a : b);

/** The ways out of either path, each once. */
export function union(a: readonly string[], b: readonly string[]): readonly string[] {
  return b.every((x) => a.includes(x)) ? a : [...a, ...b.filter((x) => !a.includes(x))];
}

export const RETRY = 'retry loop: it goes round again only after a failure, and leaves on success';

/** A loop's literal bound: `what` completes "loop over …" or, for a count of iterations, "loop of …". */
export interface Count {
  n: number;
  what: string;
  of?: boolean;
}

export function items(n: number): string {
  return `${n} literal item${n === 1 ? '' : 's'}`;
}

export function iterations(n: number, how: string): string {
  return `${n} iteration${n === 1 ? '' : 's'} (${how})`;
}

/** True when `n` lies inside the subtree of `ancestor` (or is it). */
export function within(n: Node, ancestor: Node): boolean {
  return n.startIndex >= ancestor.startIndex && n.endIndex <= ancestor.endIndex;
}

/** The same node: same range and type (two missing nodes count as the same). */
export function sameNode(a: Node | null | undefined, b: Node | null | undefined): boolean {
  if (!a || !b) return !a && !b;
  return a.startIndex === b.startIndex && a.endIndex === b.endIndex && a.type === b.type;
}
