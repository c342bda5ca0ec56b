// The measured speed-up of each rule's fix, from bench/rules/results.json (written by `npm run bench:rules`).
import results from '../bench/rules/results.json';

export interface Measured {
  ratio: number; // flagged time / fixed time at the largest size
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
  /** Go: the go line of the module the benchmark ran in (the runtime's GODEBUG defaults follow it). */
  goLine?: string;
  /** The benchmark's first doc line: what it times. */
  what?: string;
}

type Run = {
  runtime?: string;
  date?: string;
  goLine?: string;
  what?: string;
  sizes: number[];
  ratios: number[];
  flaggedSeconds: number[];
  fixedSeconds: number[];
  flaggedBytes?: number[];
  fixedBytes?: number[];
};
/**
 * A rule's figures. `variants` are runs of the same fix on another shape the rule flags (Python: another kind of
 * accumulator) or at another go line (same toolchain: a module's go line sets the runtime's defaults, such as
 * Go 1.23's timers); `legacy` is a run on Debian's older Go, kept for comparison.
 */
type Entry = Run & { unit: string; variants?: Record<string, Run & { unit?: string }>; legacy?: Run };
const table = results as unknown as { runtime: string; date: string; rules: Record<string, Entry> };

/**
 * What a rule's fix measured: its main run, or with `variant` the run at that go line (a finding's `measuredAs`).
 */
export function measured(ruleId: string, variant?: string): Measured | undefined {
  const e = table.rules[ruleId];
  const run = variant ? e?.variants?.[variant] : e;
  return e && run ? fromRun(run, run.unit ?? e.unit) : undefined;
}

/** The other runs of a rule: at other go lines, then on the legacy toolchain, each with its label. */
export function otherRuns(ruleId: string): Array<{ variant?: string; legacy?: true; m: Measured }> {
  const e = table.rules[ruleId];
  if (!e) return [];
  const out: Array<{ variant?: string; legacy?: true; m: Measured }> = [];
  for (const [name, run] of Object.entries(e.variants ?? {})) {
    const m = fromRun(run, run.unit ?? e.unit);
    if (m) out.push({ variant: name, m });
  }
  const old = e.legacy && fromRun(e.legacy, e.unit);
  if (old) out.push({ legacy: true, m: old });
  return out;
}

function fromRun(e: Run, unit: string): Measured | undefined {
  if (!e.sizes.length) return undefined;
  return {
    ratio: e.ratios[e.ratios.length - 1],
    sizes: e.sizes,
    ratios: e.ratios,
    unit,
    runtime: e.runtime ?? table.runtime,
    date: e.date ?? table.date,
    flaggedSeconds: e.flaggedSeconds,
    fixedSeconds: e.fixedSeconds,
    flaggedBytes: e.flaggedBytes,
    fixedBytes: e.fixedBytes,
    goLine: e.goLine,
    what: e.what,
  };
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
export function measuredPhrase(ruleId: string, variant?: string): string | undefined {
  const m = measured(ruleId, variant);
  if (!m) return undefined;
  const size = `${thousands(m.sizes[m.sizes.length - 1])} ${m.unit}`;
  // The smallest size measured too, when the gain depends on the size: a flagged loop may well be small (graded
  // findings quoted 906x at 10,000 appends on loops of 30). A fix slower there says so.
  const first = m.ratios[0];
  const small =
    m.sizes.length < 2
      ? ''
      : first < 1
        ? `, and slower at ${thousands(m.sizes[0])} ${m.unit} (${first.toFixed(2)}x)`
        : Math.abs(first - m.ratio) / m.ratio > 0.2
          ? ` (${ratioText(first)} at ${thousands(m.sizes[0])})`
          : '';
  if (m.ratio >= FASTER) return `about ${ratioText(m.ratio)} faster at ${size}${small}`;
  const fb = m.flaggedBytes?.[m.flaggedBytes.length - 1];
  const xb = m.fixedBytes?.[m.fixedBytes.length - 1];
  const memory = fb && xb && fb / xb >= FASTER ? `, but allocates ${(fb / xb).toFixed(1)}x less memory` : '';
  return `not faster (${m.ratio.toFixed(2)}x at ${size})${memory}`;
}
