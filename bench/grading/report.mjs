// Precision per rule from the committed blind labels (labels-*.json beside their samples), as the markdown tables
// of docs/corpus.md. Optionally, with findings of the current rules on the same corpora (`npm run corpus --
// --fresh --out F`, `--corpus held-out --out G`), which sampled findings the rules still report.
//   node bench/grading/report.mjs [--current-after F] [--current-heldout G]
// A finding is worth attention (TP), negligible (true, but the cost does not matter where the code runs) or false
// (FP). Targets (issue #15): warnings and errors at least 90% worth attention and at most 2% false; information
// and hints at most 5% false.
import fs from 'node:fs';
import path from 'node:path';

const here = path.dirname(new URL(import.meta.url).pathname);
const args = process.argv.slice(2);
const opt = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};

function load(name) {
  const { sample } = JSON.parse(fs.readFileSync(path.join(here, `sample-${name}.json`), 'utf8'));
  const { labels } = JSON.parse(fs.readFileSync(path.join(here, `labels-${name}.json`), 'utf8'));
  const byId = new Map(labels.map((l) => [l.id, l]));
  return sample.map((s) => ({ ...s, label: byId.get(s.id)?.label }));
}

/**
 * The sampled findings the current rules still report (same project, file, line and rule), when findings are
 * given: id -> the severity they are shown with now.
 */
function stillReported(sample, file) {
  if (!file) return undefined;
  const { findings } = JSON.parse(fs.readFileSync(file, 'utf8'));
  const at = new Map();
  for (const f of findings) {
    const k = `${f.project}|${f.rule}|${f.line}`;
    if (!at.has(k)) at.set(k, []);
    at.get(k).push(f);
  }
  const out = new Map();
  for (const s of sample) {
    const f = (at.get(`${s.project}|${s.rule}|${s.line}`) ?? []).find((x) => x.path.split(path.sep).join('/').endsWith(`/${s.path}`));
    if (f) out.set(s.id, f.severity);
  }
  return out;
}

const sets = {
  before: load('before'),
  after: load('after'),
  heldout: load('heldout'),
};
const kept = { after: stillReported(sets.after, opt('--current-after')), heldout: stillReported(sets.heldout, opt('--current-heldout')) };

const count = (xs) => ({
  n: xs.length,
  TP: xs.filter((x) => x.label === 'TP').length,
  negligible: xs.filter((x) => x.label === 'negligible').length,
  FP: xs.filter((x) => x.label === 'FP').length,
});
const cell = (c) => (c.n ? `${c.n}: ${c.TP} / ${c.negligible} / ${c.FP}` : '');
const pct = (a, b) => (b ? `${Math.round((100 * a) / b)}%` : '');

const rules = [...new Set(Object.values(sets).flatMap((s) => s.map((x) => x.rule)))].sort();
const lines = [];
lines.push('| rule | before: n: TP / negligible / FP | after frequency facts | held-out, narrowed rules | false, before → held-out |');
lines.push('|---|---|---|---|---:|');
for (const rule of rules) {
  const c = Object.fromEntries(Object.entries(sets).map(([k, s]) => [k, count(s.filter((x) => x.rule === rule))]));
  const afterKept = kept.after ? count(sets.after.filter((x) => x.rule === rule && kept.after.has(x.id))) : undefined;
  const heldKept = kept.heldout ? count(sets.heldout.filter((x) => x.rule === rule && kept.heldout.has(x.id))) : undefined;
  const after = cell(c.after) + (afterKept && c.after.n ? ` (now: ${cell(afterKept) || 'none'})` : '');
  const held = cell(c.heldout) + (heldKept && c.heldout.n ? ` (now: ${cell(heldKept) || 'none'})` : '');
  lines.push(`| \`${rule}\` | ${cell(c.before)} | ${after} | ${held} | ${pct(c.before.FP, c.before.n) || '-'} → ${pct(c.heldout.FP, c.heldout.n) || '-'} |`);
}
const total = Object.fromEntries(Object.entries(sets).map(([k, s]) => [k, count(s)]));
lines.push(
  `| all | ${cell(total.before)} | ${cell(total.after)} | ${cell(total.heldout)} | ${pct(total.before.FP, total.before.n)} → ${pct(total.heldout.FP, total.heldout.n)} |`,
);

lines.push('');
lines.push('By the severity each finding was shown with (test and start-up code are hints), against the targets:');
lines.push('');
lines.push('| sample | severity | findings | worth attention | false | target |');
lines.push('|---|---|---:|---:|---:|---|');
for (const [name, s] of Object.entries(sets)) {
  for (const [sev, members] of [
    ['warning, error', ['warning', 'error']],
    ['information, hint', ['information', 'hint']],
  ]) {
    const c = count(s.filter((x) => members.includes(x.severity)));
    if (!c.n) continue;
    const target = sev.startsWith('warning') ? '≥ 90% worth attention, ≤ 2% false' : '≤ 5% false';
    const met = sev.startsWith('warning') ? c.TP / c.n >= 0.9 && c.FP / c.n <= 0.02 : c.FP / c.n <= 0.05;
    lines.push(`| ${name} | ${sev} | ${c.n} | ${c.TP} (${pct(c.TP, c.n)}) | ${c.FP} (${pct(c.FP, c.n)}) | ${target}: ${met ? 'met' : 'missed'} |`);
  }
}
for (const [name, ids] of Object.entries(kept)) {
  if (!ids) continue;
  // The sampled findings the current rules still report, with the severity they are shown with now.
  const now = sets[name].filter((x) => ids.has(x.id)).map((x) => ({ ...x, severity: ids.get(x.id) }));
  for (const [sev, members] of [
    ['warning, error', ['warning', 'error']],
    ['information, hint', ['information', 'hint']],
  ]) {
    const c = count(now.filter((x) => members.includes(x.severity)));
    const target = sev.startsWith('warning') ? '≥ 90% worth attention, ≤ 2% false' : '≤ 5% false';
    if (!c.n) {
      lines.push(`| ${name}, still reported now | ${sev} | 0 | | | ${target}: no findings |`);
      continue;
    }
    const met = sev.startsWith('warning') ? c.TP / c.n >= 0.9 && c.FP / c.n <= 0.02 : c.FP / c.n <= 0.05;
    lines.push(
      `| ${name}, still reported now | ${sev} | ${c.n} | ${c.TP} (${pct(c.TP, c.n)}) | ${c.FP} (${pct(c.FP, c.n)}) | ${target}: ${met ? 'met' : 'missed'} |`,
    );
  }
}
console.log(lines.join('\n'));
