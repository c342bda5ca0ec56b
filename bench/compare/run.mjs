// `npm run bench`: Hotspots side by side with Ruff's WASM build and with the bare parse floor, whole processes,
// in one run; then the warm re-scan with the cache, edit latency through LSP on a 6,000-line file, and the
// server's memory after a workspace scan of the standard library. Prints tables; asserts nothing.
//   RUNS=5 (default) runs per measurement, median reported.   CORPORA=django,cpython,docker picks corpora.
import { spawnSync, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { largePython } from '../large-file.mjs';
import { startSession, timeEdits } from '../lsp-session.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const here = path.join(root, 'bench', 'compare');
const RUNS = Number(process.env.RUNS || 5);
const RUFF_SELECT = 'PERF,ASYNC,S113,S602,S604,S605,PLC0415';
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'hotspots-bench-'));

// ---- corpora: file lists (adapted from shared/bench/corpus.sh) ----
const stdlib = execFileSync('python3', ['-c', "import sysconfig; print(sysconfig.get_paths()['stdlib'])"], { encoding: 'utf8' }).trim();
function list(dir, ext, skip) {
  const out = [];
  const walk = (d) => {
    let entries;
    try { entries = fs.readdirSync(d, { withFileTypes: true }); } catch { return; }
    for (const e of entries) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) { if (!skip.includes(e.name)) walk(p); } else if (e.isFile() && p.endsWith(ext)) out.push(p);
    }
  };
  walk(dir);
  return out.sort();
}
const ALL = {
  django: { name: 'Django (python3-django)', dir: '/usr/lib/python3/dist-packages/django', ext: '.py', skip: [], ruff: true },
  cpython: { name: 'CPython 3.11 stdlib', dir: stdlib, ext: '.py', skip: ['site-packages', 'test', 'tests', 'idle_test'], ruff: true },
  docker: { name: 'Docker (Go)', dir: '/usr/share/gocode/src/github.com/docker/docker', ext: '.go', skip: ['vendor', 'testdata'], ruff: false },
};
const chosen = (process.env.CORPORA || 'django,cpython,docker').split(',').map((k) => ALL[k]).filter(Boolean);

// ---- one whole process: wall time and peak RSS ----
function measure(args, env = {}) {
  const t = performance.now();
  const r = spawnSync(process.execPath, ['--require', path.join(here, 'peak-rss.cjs'), ...args], { encoding: 'utf8', maxBuffer: 1 << 30, env: { ...process.env, ...env } });
  const ms = performance.now() - t;
  if (r.status !== 0 && r.status !== 1) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr.slice(-400)}`);
  const rss = Number(/PEAK_RSS_KB (\d+)/.exec(r.stderr)?.[1] ?? 0) / 1024;
  return { ms, rss, stdout: r.stdout };
}
function median(xs) { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; }
/**
 * Runs each command once per round, in turn, for RUNS rounds, and gives each one's median: the machine's slow
 * spells (it is shared) fall on all of them alike instead of on whichever ran during one.
 */
function interleaved(cmds) {
  const runs = cmds.map(() => []);
  for (let r = 0; r < RUNS; r++) cmds.forEach((args, i) => { if (args) runs[i].push(measure(args)); });
  return runs.map((rs) => (rs.length ? { ms: median(rs.map((x) => x.ms)), rss: Math.max(...rs.map((x) => x.rss)), stdout: rs[0].stdout } : undefined));
}
function best(args, env) {
  const runs = Array.from({ length: RUNS }, () => measure(args, env));
  return { ms: median(runs.map((r) => r.ms)), rss: Math.max(...runs.map((r) => r.rss)), stdout: runs[0].stdout };
}
const fmtS = (ms) => `${(ms / 1000).toFixed(2)} s`;

const rows = [];
for (const c of chosen) {
  if (!fs.existsSync(c.dir)) { console.log(`(skipping ${c.name}: ${c.dir} is not installed)`); continue; }
  const files = list(c.dir, c.ext, c.skip);
  const listFile = path.join(work, `${c.name.replace(/\W+/g, '-')}.txt`);
  fs.writeFileSync(listFile, files.join('\n') + '\n');
  const lines = files.reduce((n, f) => n + fs.readFileSync(f, 'utf8').split('\n').length, 0);
  const cli = [path.join(root, 'bin', 'hotspots.js'), 'scan', '--format', 'json', '--exit-zero', '--files-from', listFile];
  const [cold, floor, ruff] = interleaved([[...cli, '--no-cache'], [path.join(here, 'parse-floor.mjs'), listFile], c.ruff ? [path.join(here, 'ruff-wasm.mjs'), listFile, RUFF_SELECT] : undefined]);
  // Warm: fill a cache once, then re-scan with it.
  const cacheDir = path.join(work, `cache-${c.name.replace(/\W+/g, '-')}`);
  measure([...cli, '--cache-dir', cacheDir]);
  const warm = best([...cli, '--cache-dir', cacheDir]);
  const findings = JSON.parse(cold.stdout).findings.length;
  rows.push({ c, files: files.length, lines, cold, floor, ruff, warm, findings });
  console.error(`measured ${c.name}`);
}

// ---- edit latency through LSP on a 6,000-line file: the dense generated one, and real modules. 250 edits: the
// first 50 while V8 compiles the incremental path's functions (reported apart), then 200 in steady state, so the
// p95 is the 10th-slowest of those rather than the 2nd of a few dozen. ----
const WARMUP = 50;
async function editLatency(text, name, { language = 'python', line, comment, edits = WARMUP + 200 } = {}) {
  const lines = text.split('\n').length;
  const session = await startSession();
  const uri = `file:///bench/${name}`;
  const first = session.diagnosticsFor(1);
  await session.open(uri, text, language);
  const d = await first;
  const times = await timeEdits(session, uri, lines, edits, { line, comment });
  await session.close();
  const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(s.length * p))]; };
  const steady = times.slice(WARMUP);
  return { name, lines, p50: pct(steady, 0.5), p95: pct(steady, 0.95), warmP95: pct(times.slice(0, WARMUP), 0.95), findings: d.diagnostics.length };
}

// ---- the server's memory after scanning a folder ----
async function serverAfterScan(folder) {
  const session = await startSession({ folder, stderr: 'ignore' });
  const t = performance.now();
  const r = await session.conn.sendRequest('hotspots/scan', {});
  const ms = performance.now() - t;
  const t2 = performance.now();
  await session.conn.sendRequest('hotspots/scan', {});
  const warmMs = performance.now() - t2;
  await new Promise((res) => setTimeout(res, 1000));     // the collection the server runs after a scan
  const status = fs.readFileSync(`/proc/${session.proc.pid}/status`, 'utf8');
  const kb = (k) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) / 1024;
  await session.close();
  return { files: r.files, findings: r.findings, threads: r.threads, ms, warmMs, rss: kb('VmRSS'), peak: kb('VmHWM') };
}

const edits = [await editLatency(largePython(6000), 'generated.py')];
const realModule = path.join(stdlib, '_pydecimal.py');
if (fs.existsSync(realModule)) edits.push(await editLatency(fs.readFileSync(realModule, 'utf8'), '_pydecimal.py'));
// A real Go file of about that size (Debian's golang-1.19-src, which golang-go brings): the Go assembler's
// instruction encoder, edited at a plain statement past its middle, inside its 2,500-line encoding function.
const goFile = '/usr/share/go-1.19/src/cmd/internal/obj/arm64/asm7.go';
if (fs.existsSync(goFile)) {
  const text = fs.readFileSync(goFile, 'utf8');
  const lines = text.split('\n');
  const line = lines.findIndex((l, i) => i >= lines.length / 2 && /^\t+[\w.]+ :?= [^{}]*$/.test(l));
  edits.push(await editLatency(text, 'asm7.go', { language: 'go', line, comment: '//' }));
}
const server = await serverAfterScan(stdlib);

console.log(`\nHotspots side by side  (${os.cpus().length} cores, ${os.cpus()[0].model.trim()}, Node ${process.version}, median of ${RUNS} runs; whole processes)\n`);
console.log('| corpus | files | lines | Hotspots cold | parse floor | Ruff-WASM (' + RUFF_SELECT + ') | Hotspots / floor | Hotspots / Ruff | warm re-scan | cold / warm | CLI peak RSS | findings |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const r of rows) {
  console.log(`| ${r.c.name} | ${r.files.toLocaleString('en-US')} | ${r.lines.toLocaleString('en-US')} | ${fmtS(r.cold.ms)} | ${fmtS(r.floor.ms)} | ${r.ruff ? fmtS(r.ruff.ms) : 'n/a (Python only)'} | ${(r.cold.ms / r.floor.ms).toFixed(2)}x | ${r.ruff ? `${(r.cold.ms / r.ruff.ms).toFixed(2)}x` : ''} | ${fmtS(r.warm.ms)} | ${(r.cold.ms / r.warm.ms).toFixed(1)}x | ${r.cold.rss.toFixed(0)} MiB | ${r.findings} |`);
}
console.log(`\n| edit latency, didChange → fresh diagnostics: edits at one line past the middle (a comment marker or a line break by turns), ${WARMUP} to warm up, then 200 | lines | findings | p50 | p95 | p95 of the first ${WARMUP} |`);
console.log('|---|---:|---:|---:|---:|---:|');
const editLabel = { 'generated.py': 'generated Python, a hotspot every ten lines (bench/large-file.mjs)', '_pydecimal.py': "CPython's _pydecimal.py", 'asm7.go': "Go 1.19's cmd/internal/obj/arm64/asm7.go" };
for (const e of edits) console.log(`| ${editLabel[e.name] ?? e.name} | ${e.lines.toLocaleString('en-US')} | ${e.findings} | ${e.p50.toFixed(1)} ms | ${e.p95.toFixed(1)} ms | ${e.warmP95.toFixed(1)} ms |`);
console.log(`\n| server after a workspace scan of ${stdlib} | files | findings | threads | scan | re-scan (cache) | RSS after | peak RSS (with the scan's threads) |`);
console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
console.log(`| | ${server.files.toLocaleString('en-US')} | ${server.findings} | ${server.threads} | ${fmtS(server.ms)} | ${fmtS(server.warmMs)} | ${server.rss.toFixed(0)} MiB | ${server.peak.toFixed(0)} MiB |`);
fs.rmSync(work, { recursive: true, force: true });
