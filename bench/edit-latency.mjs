// Edit latency through LSP, as `npm run bench` measures it (bench/compare/run.mjs): a document opened in the
// server, then edits at one line past its middle (a comment marker or a line break by turns), 50 to warm up and
// 200 timed from didChange to the fresh diagnostics. For paired before/after runs, the servers of several builds
// take turns on the same file (ABAB...), so a change of machine load falls on all of them alike.
//   node bench/edit-latency.mjs [--rounds N] FILE|generated [SERVER.js ...]
// FILE: a .py or .go file (Go: edited at a plain statement past the middle, as run.mjs does), or `generated`
// (bench/large-file.mjs's 6,000 lines). SERVER.js: dist/server.js of each build (default: this checkout's).
// Prints p50 and p95 per build and round; asserts nothing.
import fs from 'node:fs';
import path from 'node:path';
import { largePython } from './large-file.mjs';
import { startSession, timeEdits } from './lsp-session.mjs';

const args = process.argv.slice(2);
let rounds = 2;
if (args[0] === '--rounds') {
  rounds = Number(args[1]);
  args.splice(0, 2);
}
const [file, ...given] = args;
if (!file || !Number.isInteger(rounds) || rounds < 1) {
  console.error('usage: node bench/edit-latency.mjs [--rounds N] FILE|generated [SERVER.js ...]');
  process.exit(2);
}
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const servers = given.length ? given.map((s) => path.resolve(s)) : [path.join(root, 'dist', 'server.js')];
const go = file.endsWith('.go');
const text = file === 'generated' ? largePython(6000) : fs.readFileSync(file, 'utf8');
const lines = text.split('\n');
const line = go ? lines.findIndex((l, i) => i >= lines.length / 2 && /^\t+[\w.]+ :?= [^{}]*$/.test(l)) : undefined;
const WARMUP = 50;
const pct = (xs, p) => xs[Math.min(xs.length - 1, Math.floor(xs.length * p))];

for (let r = 1; r <= rounds; r++) {
  for (const server of servers) {
    const session = await startSession({ server });
    const uri = `file:///bench/${go ? 'edited.go' : 'edited.py'}`;
    const first = session.diagnosticsFor(1);
    await session.open(uri, text, go ? 'go' : 'python');
    await first;
    const times = await timeEdits(session, uri, lines.length, WARMUP + 200, { line, comment: go ? '//' : '#' });
    await session.close();
    const steady = times.slice(WARMUP).sort((a, b) => a - b);
    console.log(`round ${r}  ${server}  p50 ${pct(steady, 0.5).toFixed(1)} ms  p95 ${pct(steady, 0.95).toFixed(1)} ms`);
  }
}
