// `npm run bench`: Hotspots side by side with Ruff's WASM build and with the bare parse floor, whole processes,
// in one run, and with the native peers bench/peers/setup.sh installs (native Ruff, flake8-async, perflint,
// staticcheck, golangci-lint; bench/compare/peers.mjs), with how far their findings overlap; then the warm re-scan
// with the cache, edit latency through LSP on a 6,000-line file, and the server's memory after a workspace scan of
// the standard library. Prints tables; asserts nothing.
//   RUNS=5 (default) runs per measurement, median reported.   CORPORA=django,cpython,docker,gostd picks corpora.
//   PEERS=none leaves the native peers out, PEERS=ruff,ruff-full,staticcheck,golangci-lint runs only those (also
//   flake8-async, perflint: the slow ones, minutes each); PEER_TIMEOUT_S=900 stops a peer run after that long;
//   SCANS_ONLY=1 stops after the scans (no edit latency, no server).
import { spawnSync, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { largePython } from '../large-file.mjs';
import { startSession, timeEdits } from '../lsp-session.mjs';
import { pythonPeers, goPeers, goPackageFiles, warmGoCache, overlap, OVERLAP, PEER_TIMEOUT_MS } from './peers.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const here = path.join(root, 'bench', 'compare');
const RUNS = Number(process.env.RUNS || 5);
const RUFF_SELECT = 'PERF,ASYNC,S113,S602,S604,S605,PLC0415';
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'hotspots-bench-'));

// ---- corpora: file lists (adapted from shared/bench/corpus.sh) ----
const stdlib = execFileSync('python3', ['-c', "import sysconfig; print(sysconfig.get_paths()['stdlib'])"], { encoding: 'utf8' }).trim();
// The Go that the tests use (scripts/go-toolchain.sh), its GOROOT and version, or none.
const goBin = (() => {
  try {
    return execFileSync('bash', [path.join(root, 'scripts', 'go-toolchain.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
})();
const goEnv = (k) => (goBin ? execFileSync(goBin, ['env', k], { encoding: 'utf8' }).trim() : '');
const goroot = goEnv('GOROOT');
const goVersion = goEnv('GOVERSION').replace(/^go/, '');
const withPeers = process.env.PEERS !== 'none';
const wantedPeer = (key) => !process.env.PEERS || process.env.PEERS === 'all' || process.env.PEERS.split(',').includes(key);
function list(dir, ext, skip) {
  const out = [];
  const walk = (d) => {
    let entries;
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) {
        if (!skip.includes(e.name)) walk(p);
      } else if (e.isFile() && p.endsWith(ext)) out.push(p);
    }
  };
  walk(dir);
  return out.sort();
}
// language: which peers run on it. gostd's files are those the Go peers analyse (`go list ./...` in GOROOT/src: the
// standard library less its vendored golang.org/x packages, each package's files for this platform, no tests).
// Docker's Debian sources have no peers: in module mode they do not build, and in GOPATH mode 48 of their 184
// packages import packages Debian does not ship, so the type-checking peers stop at the first (golangci-lint
// reports only that typecheck error).
const ALL = {
  django: { name: 'Django (python3-django)', dir: '/usr/lib/python3/dist-packages/django', ext: '.py', skip: [], ruff: true, language: 'python' },
  cpython: { name: 'CPython 3.11 stdlib', dir: stdlib, ext: '.py', skip: ['site-packages', 'test', 'tests', 'idle_test'], ruff: true, language: 'python' },
  docker: {
    name: 'Docker (Go)',
    dir: '/usr/share/gocode/src/github.com/docker/docker',
    ext: '.go',
    skip: ['vendor', 'testdata'],
    ruff: false,
    language: 'go',
    noPeers: '48 of its 184 packages import packages Debian does not ship, so the type-checking peers cannot run on it',
  },
  gostd: {
    name: `Go ${goVersion || '?'} standard library`,
    dir: goroot && path.join(goroot, 'src'),
    ext: '.go',
    ruff: false,
    language: 'go',
    files: () => goPackageFiles(path.join(goroot, 'src'), goBin),
  },
};
const chosen = (process.env.CORPORA || 'django,cpython,docker,gostd')
  .split(',')
  .map((k) => ALL[k])
  .filter(Boolean);

// ---- one whole process: wall time and peak RSS ----
function measure(args, env = {}) {
  const t = performance.now();
  const r = spawnSync(process.execPath, ['--require', path.join(here, 'peak-rss.cjs'), ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    env: { ...process.env, ...env },
  });
  const ms = performance.now() - t;
  if (r.status !== 0 && r.status !== 1) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr.slice(-400)}`);
  const rss = Number(/PEAK_RSS_KB (\d+)/.exec(r.stderr)?.[1] ?? 0) / 1024;
  return { ms, rss, stdout: r.stdout };
}
function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}
/**
 * Runs each job once per round, in turn, for RUNS rounds, and gives each one's median: the machine's slow
 * spells (it is shared) fall on all of them alike instead of on whichever ran during one. A job is node's
 * arguments, or { run() -> measurement, runs }: a slow peer runs only in the first `runs` rounds, and a run that
 * failed or was stopped at its time limit is not run again.
 */
function interleaved(jobs) {
  jobs = jobs.map((j) => (Array.isArray(j) ? { run: () => measure(j), runs: Infinity } : j));
  const runs = jobs.map(() => []);
  for (let r = 0; r < RUNS; r++) {
    jobs.forEach((j, i) => {
      if (!j?.run || r >= j.runs || runs[i].some((x) => x.failed || x.timedOut)) return;
      runs[i].push(j.run());
    });
  }
  return runs.map((rs) => {
    if (!rs.length) return undefined;
    const bad = rs.find((x) => x.failed || x.timedOut);
    if (bad) return { ...bad, runs: rs.length };
    return {
      ms: median(rs.map((x) => x.ms)),
      min: Math.min(...rs.map((x) => x.ms)),
      max: Math.max(...rs.map((x) => x.ms)),
      rss: Math.max(...rs.map((x) => x.rss)),
      stdout: rs[0].stdout,
      runs: rs.length,
    };
  });
}
function best(args, env) {
  const runs = Array.from({ length: RUNS }, () => measure(args, env));
  return { ms: median(runs.map((r) => r.ms)), rss: Math.max(...runs.map((r) => r.rss)), stdout: runs[0].stdout };
}
const fmtS = (ms) => `${(ms / 1000).toFixed(2)} s`;

const rows = [];
const notes = [];
for (const c of chosen) {
  if (!c.dir || !fs.existsSync(c.dir)) {
    console.log(`(skipping ${c.name}: ${c.dir || 'its source'} is not installed)`);
    continue;
  }
  const files = c.files ? c.files() : list(c.dir, c.ext, c.skip);
  if (!files.length) {
    console.log(`(skipping ${c.name}: no files)`);
    continue;
  }
  const listFile = path.join(work, `${c.name.replace(/\W+/g, '-')}.txt`);
  fs.writeFileSync(listFile, files.join('\n') + '\n');
  const lines = files.reduce((n, f) => n + fs.readFileSync(f, 'utf8').split('\n').length, 0);
  const cli = [path.join(root, 'bin', 'hotspots.js'), 'scan', '--format', 'json', '--exit-zero', '--files-from', listFile];
  let peers = [];
  if (!withPeers) peers = [];
  else if (c.noPeers) notes.push(`${c.name}: no native peers (${c.noPeers}); the Go peers run on the Go standard library instead (CORPORA=gostd).`);
  else if (c.language === 'python') peers = pythonPeers(listFile, files, RUFF_SELECT).filter((p) => wantedPeer(p.key));
  else if (goBin) peers = goPeers(c.dir, goBin).filter((p) => wantedPeer(p.key));
  const ready = peers.filter((p) => !p.skipped);
  if (c.language === 'go' && ready.length) warmGoCache(c.dir, goBin);
  if (ready.length)
    console.error(
      `${c.name}: ${files.length} files; Hotspots, its parse floor${c.ruff ? ', Ruff-WASM' : ''} and ${ready.map((p) => p.key).join(', ')} in turn, ${RUNS} rounds (the slowest peers in the first only; a peer run stops after ${PEER_TIMEOUT_MS / 1000} s)`,
    );
  const [cold, floor, ruff, ...peerRuns] = interleaved([
    [...cli, '--no-cache'],
    [path.join(here, 'parse-floor.mjs'), listFile],
    c.ruff ? [path.join(here, 'ruff-wasm.mjs'), listFile, RUFF_SELECT] : undefined,
    ...peers,
  ]);
  // Warm: fill a cache once, then re-scan with it.
  const cacheDir = path.join(work, `cache-${c.name.replace(/\W+/g, '-')}`);
  measure([...cli, '--cache-dir', cacheDir]);
  const warm = best([...cli, '--cache-dir', cacheDir]);
  const hotspotsFindings = JSON.parse(cold.stdout).findings.map((f) => ({ file: f.path, line: f.line, code: f.rule, message: f.message }));
  const peerResults = peers.map((p, i) => {
    const m = peerRuns[i];
    if (p.skipped || !m || m.failed || m.timedOut) return { p, m };
    let findings;
    try {
      findings = p.findings(m.stdout);
    } catch (e) {
      return { p, m: { ...m, failed: `unreadable output: ${e.message}` } };
    }
    return { p, m, findings };
  });
  rows.push({ c, files: files.length, lines, cold, floor, ruff, warm, findings: hotspotsFindings.length, hotspotsFindings, peerResults });
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
  const pct = (xs, p) => {
    const s = [...xs].sort((a, b) => a - b);
    return s[Math.min(s.length - 1, Math.floor(s.length * p))];
  };
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
  await new Promise((res) => setTimeout(res, 1000)); // the collection the server runs after a scan
  const status = fs.readFileSync(`/proc/${session.proc.pid}/status`, 'utf8');
  const kb = (k) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) / 1024;
  await session.close();
  return { files: r.files, findings: r.findings, threads: r.threads, ms, warmMs, rss: kb('VmRSS'), peak: kb('VmHWM') };
}

const scansOnly = process.env.SCANS_ONLY === '1';
const edits = scansOnly ? [] : [await editLatency(largePython(6000), 'generated.py')];
const realModule = path.join(stdlib, '_pydecimal.py');
if (!scansOnly && fs.existsSync(realModule)) edits.push(await editLatency(fs.readFileSync(realModule, 'utf8'), '_pydecimal.py'));
// A real Go file of about that size: the Go assembler's instruction encoder, edited at a plain statement past its
// middle, inside its 2,500-line encoding function; from the current toolchain's GOROOT, else from Debian's
// golang-1.19-src (which golang-go brings).
const goFiles = [
  [goroot && path.join(goroot, 'src/cmd/internal/obj/arm64/asm7.go'), goVersion],
  ['/usr/share/go-1.19/src/cmd/internal/obj/arm64/asm7.go', '1.19'],
];
const [goFile, goFileVersion] = goFiles.find(([f]) => f && fs.existsSync(f)) ?? [];
if (!scansOnly && goFile) {
  const text = fs.readFileSync(goFile, 'utf8');
  const lines = text.split('\n');
  const line = lines.findIndex((l, i) => i >= lines.length / 2 && /^\t+[\w.]+ :?= [^{}]*$/.test(l));
  edits.push(await editLatency(text, 'asm7.go', { language: 'go', line, comment: '//' }));
}
const server = scansOnly ? undefined : await serverAfterScan(stdlib);

console.log(
  `\nHotspots side by side  (${os.cpus().length} cores, ${os.cpus()[0].model.trim()}, Node ${process.version}, median of ${RUNS} runs; whole processes)\n`,
);
console.log(
  '| corpus | files | lines | Hotspots cold | parse floor | Ruff-WASM (' +
    RUFF_SELECT +
    ') | Hotspots / floor | Hotspots / Ruff | warm re-scan | cold / warm | CLI peak RSS | findings |',
);
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const r of rows) {
  console.log(
    `| ${r.c.name} | ${r.files.toLocaleString('en-US')} | ${r.lines.toLocaleString('en-US')} | ${fmtS(r.cold.ms)} | ${fmtS(r.floor.ms)} | ${r.ruff ? fmtS(r.ruff.ms) : 'n/a (Python only)'} | ${(r.cold.ms / r.floor.ms).toFixed(2)}x | ${r.ruff ? `${(r.cold.ms / r.ruff.ms).toFixed(2)}x` : ''} | ${fmtS(r.warm.ms)} | ${(r.cold.ms / r.warm.ms).toFixed(1)}x | ${r.cold.rss.toFixed(0)} MiB | ${r.findings} |`,
  );
}
printPeers(rows);
if (edits.length) {
  console.log(
    `\n| edit latency, didChange → fresh diagnostics: edits at one line past the middle (a comment marker or a line break by turns), ${WARMUP} to warm up, then 200 | lines | findings | p50 | p95 | p95 of the first ${WARMUP} |`,
  );
  console.log('|---|---:|---:|---:|---:|---:|');
  const editLabel = {
    'generated.py': 'generated Python, a hotspot every ten lines (bench/large-file.mjs)',
    '_pydecimal.py': "CPython's _pydecimal.py",
    'asm7.go': `Go ${goFileVersion}'s cmd/internal/obj/arm64/asm7.go`,
  };
  for (const e of edits)
    console.log(
      `| ${editLabel[e.name] ?? e.name} | ${e.lines.toLocaleString('en-US')} | ${e.findings} | ${e.p50.toFixed(1)} ms | ${e.p95.toFixed(1)} ms | ${e.warmP95.toFixed(1)} ms |`,
    );
}
if (server) {
  console.log(
    `\n| server after a workspace scan of ${stdlib} | files | findings | threads | scan | re-scan (cache) | RSS after | peak RSS (with the scan's threads) |`,
  );
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
  console.log(
    `| | ${server.files.toLocaleString('en-US')} | ${server.findings} | ${server.threads} | ${fmtS(server.ms)} | ${fmtS(server.warmMs)} | ${server.rss.toFixed(0)} MiB | ${server.peak.toFixed(0)} MiB |`,
  );
}
fs.rmSync(work, { recursive: true, force: true });

// ---- the native peers: times side by side, then where their findings and Hotspots' meet ----
function printPeers(rows) {
  const withAny = rows.filter((r) => r.peerResults.length);
  for (const n of notes) console.log(`\n${n}`);
  if (!withAny.length) return;
  const hs = (r) => r.cold.ms;
  const vs = (ms, r) => {
    const x = ms / hs(r);
    return x >= 1 ? `${x.toFixed(x >= 10 ? 0 : 1)}x slower` : `${(1 / x).toFixed(1 / x >= 10 ? 0 : 1)}x faster`;
  };
  const spreadOf = (m) => (m.runs > 1 ? ` (${fmtS(m.min)}-${fmtS(m.max)})` : '');
  console.log(
    `\nNative peers side by side: whole processes, cold (each tool's cache off: ruff --no-cache, fresh STATICCHECK_CACHE and GOLANGCI_LINT_CACHE), the same files for all; one interleaved run, ${RUNS} rounds, medians (runs = 1: in the first round only). Threads: Hotspots 2 workers (HOTSPOTS_THREADS unset, ${os.cpus().length} cores), Ruff-WASM 1, ruff 2 (RAYON_NUM_THREADS), flake8 -j 2, pylint 2 processes of -j 1, staticcheck GOMAXPROCS=2, golangci-lint --concurrency 2. Peak RSS: the largest single process.\n`,
  );
  console.log('| corpus | tool | threads | runs | wall time (min-max) | against Hotspots | peak RSS | findings |');
  console.log('|---|---|---:|---:|---:|---:|---:|---:|');
  for (const r of withAny) {
    console.log(
      `| ${r.c.name} | Hotspots, cold (all rules) | 2 | ${r.cold.runs} | ${fmtS(r.cold.ms)}${spreadOf(r.cold)} | 1 | ${r.cold.rss.toFixed(0)} MiB | ${r.findings} |`,
    );
    if (r.ruff)
      console.log(
        `| | Ruff-WASM ${RUFF_SELECT}, in-process reference | 1 | ${r.ruff.runs} | ${fmtS(r.ruff.ms)}${spreadOf(r.ruff)} | ${vs(r.ruff.ms, r)} | ${r.ruff.rss.toFixed(0)} MiB | ${JSON.parse(r.ruff.stdout).diags} |`,
      );
    for (const { p, m, findings } of r.peerResults) {
      if (p.skipped) {
        console.log(`| | ${p.label} | | | ${p.skipped} | | | |`);
        continue;
      }
      if (m.timedOut) {
        console.log(`| | ${p.label} | ${p.threads} | ${m.runs} | > ${fmtS(PEER_TIMEOUT_MS)} (stopped) | > ${vs(PEER_TIMEOUT_MS, r)} | | |`);
        continue;
      }
      if (m.failed) {
        console.log(`| | ${p.label} | ${p.threads} | ${m.runs} | failed: ${m.failed.replace(/\|/g, '/')} | | | |`);
        continue;
      }
      const crashed = findings.filter((f) => f.code === 'F0002').length;
      const n = findings.length - crashed;
      console.log(
        `| | ${p.label} | ${p.threads} | ${m.runs} | ${fmtS(m.ms)}${spreadOf(m)} | ${vs(m.ms, r)} | ${m.rss ? `${m.rss.toFixed(0)} MiB` : ''} | ${n}${crashed ? ` (+ crashed on ${crashed} files)` : ''} |`,
      );
    }
  }

  console.log(
    `\nOverlap: on each corpus, for the rules that meet (bench/compare/peers.mjs, OVERLAP), the lines (file:line) where both report, where only Hotspots does, and where only the peer does; "near" = the other's finding is within 10 lines in the same file (a peer that reports a string built with += once, at its first +=, against Hotspots at each +=). Ruff: its two runs above together.\n`,
  );
  console.log('| corpus | Hotspots rule | peer: its rules | lines Hotspots | lines peer | same line | only Hotspots (near) | only peer (near) |');
  console.log('|---|---|---|---:|---:|---:|---:|---:|');
  const all = [];
  for (const r of withAny) {
    const byTool = {};
    for (const { p, findings } of r.peerResults) {
      if (!findings) continue;
      const seen = new Set(byTool[p.tool]?.map((f) => `${f.file}:${f.line}:${f.code}`) ?? []);
      byTool[p.tool] = [...(byTool[p.tool] ?? []), ...findings.filter((f) => !seen.has(`${f.file}:${f.line}:${f.code}`))];
    }
    const pairs = overlap(r.c.language, r.hotspotsFindings, byTool);
    let first = true;
    for (const o of pairs) {
      console.log(
        `| ${first ? r.c.name : ''} | ${o.rule} | ${o.tool}: ${o.codes.join(', ')} | ${o.mine} | ${o.theirs} | ${o.both} | ${o.onlyMine} (${o.onlyMineNear}) | ${o.onlyTheirs} (${o.onlyTheirsNear}) |`,
      );
      first = false;
      all.push({ r, o });
    }
    const missingTools = [...new Set(OVERLAP.filter((o) => o.rule.startsWith(`${r.c.language}/`)).map((o) => o.tool))].filter((t) => !byTool[t]);
    if (missingTools.length) console.log(`| ${first ? r.c.name : ''} | (no figures for ${missingTools.join(', ')}: not run, failed or stopped) | | | | | | |`);
    // Lines where both report something, whatever the rules: what the mapping above may have missed.
    const hsAt = new Map(r.hotspotsFindings.map((f) => [`${f.file}:${f.line}`, f]));
    for (const [tool, fs_] of Object.entries(byTool)) {
      const codes = {};
      for (const f of fs_) {
        const h = hsAt.get(`${f.file}:${f.line}`);
        if (h) codes[`${h.code} ~ ${f.code}`] = (codes[`${h.code} ~ ${f.code}`] ?? 0) + 1;
      }
      const list = Object.entries(codes)
        .sort((a, b) => b[1] - a[1])
        .map(([k, v]) => `${k} ×${v}`)
        .join('; ');
      if (list) notes.push(`${r.c.name}: lines where Hotspots and ${tool} both report, any rules: ${list}`);
    }
  }
  const rel = (r, at) => (at.startsWith(`${r.c.dir}/`) ? at.slice(r.c.dir.length + 1) : at);
  const one = (s) => (s ?? '').replace(/\s+/g, ' ').slice(0, 160);
  console.log('\nExamples to read by hand (file:line relative to the corpus; up to 3 of each kind per pair):');
  for (const { r, o } of all) {
    const kinds = [
      ['same line', o.examples.both],
      ['only Hotspots', o.examples.onlyMine],
      [`only ${o.tool}`, o.examples.onlyTheirs],
    ];
    if (!kinds.some(([, xs]) => xs.length)) continue;
    console.log(`\n  ${r.c.name}: ${o.rule} ~ ${o.tool} ${o.codes.join('/')}`);
    for (const [kind, xs] of kinds) {
      for (const x of xs) {
        console.log(`    [${kind}] ${rel(r, x.at)}`);
        if (x.hotspots) console.log(`        Hotspots ${x.hotspots.code}: ${one(x.hotspots.message)}`);
        if (x.peer) console.log(`        ${o.tool} ${x.peer.code}: ${one(x.peer.message)}`);
      }
    }
  }
  for (const n of notes.splice(0)) if (n.includes('both report')) console.log(`\n${n}`);
}
