// Start-up figures, printed as a table (no assertions): the .vsix size, the language server's cold start over
// stdio, time to first diagnostics on a 5,000-line file, in-process parse + analysis time, and the time a
// one-character edit takes from didChange to fresh diagnostics. Run: npm run bench:startup
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { largePython } from './large-file.mjs';
import { startSession, timeEdits } from './lsp-session.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const RUNS = Number(process.env.RUNS || 10);
const text = largePython(5000);

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { median: q(0.5), p95: q(0.95), min: s[0], max: s[s.length - 1] };
};
const fmt = (x) => `${x.toFixed(1)} ms`;

async function serverRun() {
  const t0 = performance.now();
  const session = await startSession();
  const uri = 'file:///bench/large.py';
  const first = session.diagnosticsFor(1);
  const tOpen = performance.now();
  await session.open(uri, text);
  const d = await first;
  const tDiag = performance.now();
  // Edits: type one character at a time in the middle of the file and wait for each fresh publish.
  const edits = await timeEdits(session, uri, text.split('\n').length, 20);
  await session.close();
  return { init: session.initialized - t0, openToDiag: tDiag - tOpen, spawnToDiag: tDiag - t0, diagnostics: d.diagnostics.length, edits };
}

execSync('npm run -s package', { cwd: root, stdio: 'ignore' });
const vsix = fs.statSync(path.join(root, 'hotspots.vsix')).size;
const runs = [];
for (let i = 0; i < RUNS; i++) runs.push(await serverRun());
const init = stats(runs.map((r) => r.init));
const open = stats(runs.map((r) => r.openToDiag));
const total = stats(runs.map((r) => r.spawnToDiag));
const edit = stats(runs.flatMap((r) => r.edits.slice(2)));

console.log(`\nHotspots start-up benchmark  (${os.cpus().length} cores, ${os.cpus()[0].model.trim()}, Node ${process.version}, ${RUNS} runs)\n`);
console.log('| measure | median | p95 | min | max |');
console.log('|---|---|---|---|---|');
console.log(`| .vsix size | ${(vsix / 1024).toFixed(0)} KiB | | | |`);
for (const [name, s] of [
  ['server spawn → initialize answered', init],
  ['didOpen 5,000-line file → first diagnostics', open],
  ['server spawn → first diagnostics (5,000 lines)', total],
  ['one-character edit → fresh diagnostics (5,000 lines)', edit],
])
  console.log(`| ${name} | ${fmt(s.median)} | ${fmt(s.p95)} | ${fmt(s.min)} | ${fmt(s.max)} |`);
console.log(`\n(${runs[0].diagnostics} diagnostics on the 5,000-line file; an edit is analysed at once unless the last analysis took over 30 ms)`);
