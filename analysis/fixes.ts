// Applying edits, refusing fixes that would break the parse, and fixing a whole file to a fixed point.
import type { Tree } from 'web-tree-sitter';
import { countErrors, errorRanges, parse } from './parse';
import type { Finding, Fix, LanguageId, TextEdit } from './types';

export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  let out = '';
  let at = 0;
  for (const e of sorted) {
    if (e.start < at) throw new Error('overlapping edits');
    out += text.slice(at, e.start) + e.text;
    at = e.end;
  }
  return out + text.slice(at);
}

/**
 * Two edits that applyEdits could not apply together: they start at the same place (which goes first is not
 * defined), or they share text, or one inserts strictly inside the text the other replaces.
 */
export function conflict(a: TextEdit, b: TextEdit): boolean {
  return a.start === b.start || (a.start < b.end && b.start < a.end);
}

/** Keeps fixes in order, dropping any whose edits overlap an already kept fix's edits (or each other). */
export function nonOverlapping<T extends { fix?: Fix }>(items: readonly T[]): T[] {
  const kept: T[] = [];
  const taken: TextEdit[] = [];
  const bound = new Set<string>();
  const ordered = [...items].sort((a, b) => firstStart(a.fix) - firstStart(b.fix));
  for (const it of ordered) {
    if (!it.fix) continue;
    const edits = it.fix.edits;
    // Two fixes that each picked the same fresh name would collide: the second waits for the next pass.
    let ok = !(it.fix.binds ?? []).some((n) => bound.has(n));
    for (let i = 0; ok && i < edits.length; i++) {
      for (let j = i + 1; ok && j < edits.length; j++) if (conflict(edits[i], edits[j])) ok = false;
      for (const t of taken) if (ok && conflict(edits[i], t)) ok = false;
    }
    if (!ok) continue;
    kept.push(it);
    taken.push(...edits);
    for (const n of it.fix.binds ?? []) bound.add(n);
  }
  return kept;
}

function firstStart(f?: Fix): number {
  return f && f.edits.length ? Math.min(...f.edits.map((e) => e.start)) : Infinity;
}

/** True when the fix's edits stay clear of ERROR/MISSING nodes. */
export function clearOfErrors(tree: Tree, fix: Fix): boolean {
  const bad = errorRanges(tree);
  if (!bad.length) return true;
  return fix.edits.every((e) => bad.every(([s, t]) => e.end < s || e.start > t));
}

/** Re-parses the text with the fix applied; refuses it when the result has more syntax errors than before. */
export function fixKeepsParse(language: LanguageId, text: string, tree: Tree, fix: Fix): boolean {
  let fixed: string;
  try {
    fixed = applyEdits(text, fix.edits);
  } catch {
    return false;
  }
  const after = parse(language, fixed);
  try {
    return countErrors(after) <= countErrors(tree);
  } finally {
    after.delete();
  }
}

export interface FixAllResult {
  text: string;
  applied: Record<string, number>;
  passes: number;
  converged: boolean;
}

export type Analyzer = (text: string, tree: Tree) => Finding[];

/**
 * Applies the fixes `analyze` offers, re-analysing after each pass, until nothing is left to fix
 * (or `maxPasses` is reached). Each fix is checked alone against the parse before it is taken.
 */
export function fixAll(language: LanguageId, text: string, analyze: Analyzer, opts: { unsafe?: boolean; maxPasses?: number } = {}): FixAllResult {
  const applied: Record<string, number> = {};
  const maxPasses = opts.maxPasses ?? 10;
  for (let pass = 1; pass <= maxPasses; pass++) {
    const tree = parse(language, text);
    let next: string | undefined;
    let taken: Finding[];
    try {
      const candidates = analyze(text, tree).filter((f) => f.fix && (opts.unsafe || f.fix.applicability === 'safe'));
      const valid = candidates.filter((f) => fixKeepsParse(language, text, tree, f.fix!));
      taken = nonOverlapping(valid);
      if (taken.length) {
        next = applyEdits(
          text,
          taken.flatMap((f) => f.fix!.edits),
        );
        const check = parse(language, next);
        const broken = countErrors(check) > countErrors(tree);
        check.delete();
        if (broken) {
          taken = taken.slice(0, 1);
          next = applyEdits(text, taken[0].fix!.edits);
        }
      }
    } finally {
      tree.delete();
    }
    if (!next || next === text) return { text, applied, passes: pass, converged: true };
    for (const f of taken) applied[f.rule] = (applied[f.rule] ?? 0) + 1;
    text = next;
  }
  return { text, applied, passes: maxPasses, converged: false };
}
