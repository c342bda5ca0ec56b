// Runs every rule over a folder of real code and prints per-rule counts (findings, with safe / unsafe / no fix).
// Usage: npm run corpus -- DIR [DIR...]      (SAMPLE=N also prints N findings per rule, spread over the list)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const dirs = process.argv.slice(2);
if (!dirs.length) { console.error('usage: npm run corpus -- DIR [DIR...]'); process.exit(2); }
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const t0 = Date.now();
const r = spawnSync(process.execPath, [path.join(root, 'bin', 'hotspots.js'), 'scan', '--format', 'json', ...dirs], { encoding: 'utf8', maxBuffer: 1 << 30 });
if (r.status === 2) { console.error(r.stderr); process.exit(2); }
const { findings } = JSON.parse(r.stdout);
const skipped = r.stderr.split('\n').filter(Boolean).length;
const rules = JSON.parse(spawnSync(process.execPath, [path.join(root, 'bin', 'hotspots.js'), 'rules', '--format', 'json'], { encoding: 'utf8' }).stdout);
const files = new Set(findings.map((f) => f.path)).size;
console.log(`\n${dirs.join(' ')}: ${findings.length} findings in ${files} files (${skipped} files skipped), ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
console.log('| rule | findings | safe fix | unsafe fix | no fix |');
console.log('|---|---:|---:|---:|---:|');
for (const rule of rules) {
  const mine = findings.filter((f) => f.rule === rule.id);
  const count = (a) => mine.filter((f) => (f.fix ? f.fix.applicability : 'none') === a).length;
  console.log(`| ${rule.id} | ${mine.length} | ${count('safe')} | ${count('unsafe')} | ${count('none')} |`);
}
const sample = Number(process.env.SAMPLE || 0);
if (sample) {
  for (const rule of rules) {
    const mine = findings.filter((f) => f.rule === rule.id);
    for (let i = 0; i < Math.min(sample, mine.length); i++) {
      const f = mine[Math.floor((i * mine.length) / Math.min(sample, mine.length))];
      const lines = fs.readFileSync(f.path, 'utf8').split(/\r?\n/);
      console.log(`\n--- ${rule.id}  ${f.path}:${f.line}  (${f.fix ? f.fix.applicability : 'no'} fix)`);
      for (let l = Math.max(0, f.line - 3); l < Math.min(lines.length, f.endLine + 1); l++) console.log(`${l + 1 === f.line ? '>' : ' '} ${lines[l]}`);
    }
  }
}
