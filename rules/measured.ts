// The measured speed-up of each rule's fix, from bench/rules/results.json (written by `npm run bench:rules`).
import results from '../bench/rules/results.json';

export interface Measured {
  ratio: number;          // flagged time / fixed time at the largest size
  sizes: number[];
  ratios: number[];
  unit: string;
  runtime: string;
  date: string;
  flaggedSeconds: number[];
  fixedSeconds: number[];
  /** Bytes allocated per run (Go benchmarks), when measured. */
  flaggedBytes?: number[];
  fixedBytes?: number[];
}

type Entry = { runtime?: string; unit: string; sizes: number[]; ratios: number[]; flaggedSeconds: number[]; fixedSeconds: number[]; flaggedBytes?: number[]; fixedBytes?: number[] };
const table = results as unknown as { runtime: string; date: string; rules: Record<string, Entry> };

export function measured(ruleId: string): Measured | undefined {
  const e = table.rules[ruleId];
  if (!e || !e.sizes.length) return undefined;
  return { ratio: e.ratios[e.ratios.length - 1], sizes: e.sizes, ratios: e.ratios, unit: e.unit, runtime: e.runtime ?? table.runtime, date: table.date, flaggedSeconds: e.flaggedSeconds, fixedSeconds: e.fixedSeconds, flaggedBytes: e.flaggedBytes, fixedBytes: e.fixedBytes };
}

/** Speed-ups of at least this ratio count as "faster"; below it the fix is not a speed-up. */
export const FASTER = 1.2;

/**
 * 10000 -> "10,000". Not toLocaleString: its first call loads ICU's number formatting (about 20 ms), which every
 * start of the CLI, the server and each scan thread would pay for these phrases.
 */
export function thousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function ratioText(r: number): string {
  return r >= 10 ? `${thousands(Math.round(r))}x` : `${r.toFixed(1)}x`;
}

/** "about 270x faster at 10,000 chunks", or "not faster (0.9x at 1,000,000 items)". */
export function measuredPhrase(ruleId: string): string | undefined {
  const m = measured(ruleId);
  if (!m) return undefined;
  const size = `${thousands(m.sizes[m.sizes.length - 1])} ${m.unit}`;
  if (m.ratio >= FASTER) return `about ${ratioText(m.ratio)} faster at ${size}`;
  const fb = m.flaggedBytes?.[m.flaggedBytes.length - 1];
  const xb = m.fixedBytes?.[m.fixedBytes.length - 1];
  const memory = fb && xb && fb / xb >= FASTER ? `, but allocates ${(fb / xb).toFixed(1)}x less memory` : '';
  return `not faster (${m.ratio.toFixed(2)}x at ${size})${memory}`;
}
