// The native peers that `npm run bench` runs beside Hotspots (installed by bench/peers/setup.sh into .tools/peers/),
// how each is run on a corpus, how its findings are read, and which of its rules meet which of Hotspots'.
// Each tool gets the same files as Hotspots, its own cache off, and both cores (Hotspots scans in 2 threads):
//   ruff          RAYON_NUM_THREADS=2, --no-cache --isolated (no config file of the corpus is read)
//   flake8-async  flake8 -j 2 --isolated --select ASYNC (flake8 still runs pyflakes and pycodestyle: it filters
//                 their output, it cannot skip them; flake8-async itself spends most of its time in libcst)
//   perflint      two pylint processes at once (-j 1 each) over halves of the list, split by size
//                 (pylint-pair.mjs): with -j 2, one crash of perflint's loop-invariant check on `for a, *b in …`
//                 ends the whole run, while a lone pylint records the crash as F0002 for that file and goes on
//   staticcheck   GOMAXPROCS=2, a fresh STATICCHECK_CACHE for every run
//   golangci-lint --concurrency 2 (bench/peers/golangci.yml), a fresh GOLANGCI_LINT_CACHE for every run
// The Go tools type-check from source, so they run on packages that build: Go's own standard library from the
// current toolchain (GOROOT/src, `./...`), tests left out (-tests=false; with them staticcheck took 5x as long,
// 339 against 70 s, type-checking each package again with its tests). The go command's build cache (GOCACHE), which
// they read export data and cgo output from, is warmed once before the timed runs: it is the toolchain's, not theirs.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const here = path.join(root, 'bench', 'compare');
export const PEERS = path.join(root, '.tools', 'peers');
const venv = path.join(PEERS, 'venv', 'bin');
const bin = path.join(PEERS, 'bin');
const THREADS = 2;
/** A peer run longer than this is stopped and reported as "> N s" (flake8-async takes minutes on Django). */
export const PEER_TIMEOUT_MS = Number(process.env.PEER_TIMEOUT_S || 900) * 1000;
/** pylint's perflint checks (all of them), and pylint's own consider-using-join (R1713), the one pylint check that
 *  meets python/quadratic-concat. */
export const PERFLINT_CHECKS = 'W8101,W8102,W8201,W8202,R8203,W8204,W8205,W8301,W8401,W8402,W8403,R1713';
export const RUFF_FULL = 'PERF,ASYNC,FURB';

// ---- which peers bench/peers/setup.sh installed ----
function status() {
  const s = new Map();
  let text = '';
  try {
    text = fs.readFileSync(path.join(PEERS, 'status'), 'utf8');
  } catch {
    /* never run */
  }
  for (const line of text.split('\n').filter(Boolean)) {
    const [name, state, ...rest] = line.split(' ');
    s.set(name, { ok: state === 'ok', version: rest.join(' ') });
  }
  return s;
}
const installed = status();
/** Undefined when `name` is there, else the line to print in its place. */
function missing(name, exe) {
  const st = installed.get(name);
  if (st?.ok && fs.existsSync(exe)) return undefined;
  return `(skipped: ${name} not installed${st && !st.ok ? ` (${st.version})` : ''}; run bash bench/peers/setup.sh)`;
}
export const version = (name) => installed.get(name)?.version ?? '';
/** ' 0.17.4' for a label, or nothing when the tool is missing. */
const v = (name) => (installed.get(name)?.ok ? ` ${version(name)}` : '');

// ---- one whole process, any command: wall time, peak RSS (GNU time, of its largest process), bounded ----
const gnuTime = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
const hasTimeout = spawnSync('timeout', ['--version']).status === 0;
export function measureCmd({ cmd, args, env = {}, cwd, okStatus = [0, 1], timeoutMs = PEER_TIMEOUT_MS }) {
  const rssFile = path.join(os.tmpdir(), `hotspots-bench-rss-${process.pid}`);
  // coreutils' timeout signals the command's whole process group (flake8's and pylint's worker processes too).
  let argv = hasTimeout ? ['timeout', '-k', '10', String(Math.ceil(timeoutMs / 1000)), cmd, ...args] : [cmd, ...args];
  if (gnuTime) argv = [gnuTime, '-f', '%M', '-o', rssFile, ...argv];
  const t = performance.now();
  const r = spawnSync(argv[0], argv.slice(1), {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    cwd,
    env: { ...process.env, ...env },
    timeout: hasTimeout ? 0 : timeoutMs,
  });
  const ms = performance.now() - t;
  let rss = 0;
  try {
    rss = Number(fs.readFileSync(rssFile, 'utf8').trim().split('\n').pop()) / 1024;
    fs.rmSync(rssFile);
  } catch {
    /* no GNU time */
  }
  const timedOut = r.status === 124 || r.signal === 'SIGTERM' || ms >= timeoutMs;
  if (!timedOut && !okStatus.includes(r.status))
    return {
      ms,
      rss,
      failed: `${path.basename(cmd)} exited ${r.status ?? r.signal}: ${(r.stderr || '').trim().split('\n').slice(-3).join(' | ').slice(0, 300)}`,
    };
  return { ms, rss, stdout: r.stdout, stderr: r.stderr, timedOut };
}

// ---- reading their findings: { file, line, code, message } ----
const ruffFindings = (out) => JSON.parse(out).map((d) => ({ file: d.filename, line: d.location.row, code: d.code, message: d.message }));
const flake8Findings = (out) =>
  out
    .split('\n')
    .filter(Boolean)
    .flatMap((l) => {
      const m = /^(.*?):(\d+):\d+: (\S+) (.*)$/.exec(l);
      return m ? [{ file: m[1], line: Number(m[2]), code: m[3], message: m[4] }] : [];
    });
const pylintFindings = (out) => JSON.parse(out).map((d) => ({ file: d.path, line: d.line, code: d['message-id'], message: d.message }));
const staticcheckFindings = (out) =>
  out
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l))
    .map((d) => ({ file: d.location.file, line: d.location.line, code: d.code, message: d.message }));
/** golangci-lint's codes are LINTER or LINTER:CHECK (gocritic:hugeParam, perfsprint:concat-loop, staticcheck:SA6001). */
const golangciFindings = (out) =>
  (JSON.parse(out).Issues ?? []).map((i) => {
    const check = /^([\w-]+): /.exec(i.Text)?.[1];
    return { file: i.Pos.Filename, line: i.Pos.Line, code: check ? `${i.FromLinter}:${check}` : i.FromLinter, message: i.Text };
  });

/**
 * A peer on one corpus: { key, label, threads, runs, run() -> measurement, findings(stdout) } or { key, label, skipped }.
 * `runs`: the slow ones run once, in the first round (beside the others' first run), not once per round.
 */
export function pythonPeers(listFile, files, ruffSelect) {
  const ruffCheck = (select, preview) => ({
    cmd: path.join(venv, 'ruff'),
    args: [
      'check',
      '--no-cache',
      '--isolated',
      '--target-version',
      'py311',
      ...(preview ? ['--preview'] : []),
      '--select',
      select,
      '--output-format',
      'json',
      '--exit-zero',
      ...files,
    ],
    env: { RAYON_NUM_THREADS: String(THREADS) },
  });
  const peers = [];
  const add = (name, exe, p) => {
    const skip = missing(name, exe);
    peers.push(skip ? { key: p.key, label: p.label, skipped: skip } : { ...p, tool: name });
  };
  add('ruff', path.join(venv, 'ruff'), {
    key: 'ruff',
    label: `native Ruff${v('ruff')} (${ruffSelect})`,
    threads: THREADS,
    runs: Infinity,
    run: () => measureCmd(ruffCheck(ruffSelect, false)),
    findings: ruffFindings,
  });
  add('ruff', path.join(venv, 'ruff'), {
    key: 'ruff-full',
    label: `native Ruff${v('ruff')} (${RUFF_FULL}, --preview)`,
    threads: THREADS,
    runs: Infinity,
    run: () => measureCmd(ruffCheck(RUFF_FULL, true)),
    findings: ruffFindings,
  });
  add('flake8-async', path.join(venv, 'flake8'), {
    key: 'flake8-async',
    label: `flake8 7.5 + flake8-async${v('flake8-async')} (--select ASYNC)`,
    threads: THREADS,
    runs: 1,
    run: () =>
      measureCmd({
        cmd: path.join(venv, 'flake8'),
        args: ['--isolated', '--select', 'ASYNC', '-j', String(THREADS), '--format', '%(path)s:%(row)d:%(col)d: %(code)s %(text)s', ...files],
      }),
    findings: flake8Findings,
  });
  add('perflint', path.join(venv, 'pylint'), {
    key: 'perflint',
    label: `pylint 3.3 + perflint${v('perflint')} (perflint's checks + R1713)`,
    threads: THREADS,
    runs: 1,
    run: () =>
      measureCmd({
        cmd: process.execPath,
        args: [path.join(here, 'pylint-pair.mjs'), path.join(venv, 'pylint'), listFile, String(THREADS), PERFLINT_CHECKS],
        okStatus: [0],
      }),
    findings: pylintFindings,
  });
  return peers;
}

export function goPeers(srcDir, goBin) {
  const env = (cacheVar) => ({
    [cacheVar]: fs.mkdtempSync(path.join(os.tmpdir(), 'hotspots-bench-peercache-')),
    GOMAXPROCS: String(THREADS),
    GOTOOLCHAIN: 'local',
    PATH: `${path.dirname(goBin)}:${process.env.PATH}`,
  });
  const fresh = (cacheVar, p) => {
    const e = env(cacheVar);
    try {
      return measureCmd({ ...p, env: e, cwd: srcDir });
    } finally {
      fs.rmSync(e[cacheVar], { recursive: true, force: true });
    }
  };
  const peers = [];
  const add = (name, exe, p) => {
    const skip = missing(name, exe);
    peers.push(skip ? { key: p.key, label: p.label, skipped: skip } : { ...p, tool: name });
  };
  add('staticcheck', path.join(bin, 'staticcheck'), {
    key: 'staticcheck',
    label: `staticcheck${v('staticcheck')} (-checks SA6*, its performance checks)`,
    threads: THREADS,
    runs: 1,
    run: () => fresh('STATICCHECK_CACHE', { cmd: path.join(bin, 'staticcheck'), args: ['-tests=false', '-checks', 'SA6*', '-f', 'json', './...'] }),
    findings: staticcheckFindings,
  });
  add('golangci-lint', path.join(bin, 'golangci-lint'), {
    key: 'golangci-lint',
    label: `golangci-lint${v('golangci-lint')} (performance linters: bench/peers/golangci.yml)`,
    threads: THREADS,
    runs: 1,
    run: () =>
      fresh('GOLANGCI_LINT_CACHE', {
        cmd: path.join(bin, 'golangci-lint'),
        args: ['run', '--config', path.join(root, 'bench', 'peers', 'golangci.yml'), '--concurrency', String(THREADS), '--output.json.path', 'stdout', './...'],
      }),
    findings: golangciFindings,
  });
  return peers;
}

/** The files the Go peers analyse in `srcDir` (`go list ./...`: each package's Go and cgo files for this platform, no tests). */
export function goPackageFiles(srcDir, goBin) {
  const r = spawnSync(goBin, ['list', '-e', '-f', '{{$d := .Dir}}{{range .GoFiles}}{{$d}}/{{.}}\n{{end}}{{range .CgoFiles}}{{$d}}/{{.}}\n{{end}}', './...'], {
    cwd: srcDir,
    encoding: 'utf8',
    maxBuffer: 1 << 28,
    env: { ...process.env, GOTOOLCHAIN: 'local' },
  });
  if (r.status !== 0) return [];
  return [...new Set(r.stdout.split('\n').filter(Boolean))].sort();
}
/** Fills the go command's build cache with what the peers read (export data, cgo output), untimed. */
export function warmGoCache(srcDir, goBin) {
  spawnSync(goBin, ['list', '-e', '-export', '-deps', '-json=ImportPath', './...'], {
    cwd: srcDir,
    stdio: 'ignore',
    env: { ...process.env, GOTOOLCHAIN: 'local' },
  });
}

// ---- overlap: Hotspots' rules and the peer rules that report the same problem ----
/**
 * Read off each tool's rule docs (`hotspots rules`, docs/rules/*, `ruff rule CODE`, flake8-async's and perflint's
 * message lists, golangci-lint's reference config). A pair is listed when both flag the same problem at the same
 * statement, even where one is broader: the counts then show by how much. Hotspots rules absent here have no peer
 * rule for the same problem among the peers' performance rules: insert-front-in-loop (no peer has list.insert(0)),
 * get-event-loop-in-coroutine, await-in-loop, requests-without-session, glob-then-filter, executor-per-call,
 * write-per-iteration (FURB122 is f.write in a loop, not an open per iteration), recomputed-checksum,
 * repeated-deepcopy, unbounded-history, sequential-file-reads, double-pass, materialized-then-iterated (Ruff's C419
 * is any/all over an inline list, not a named one, and not a performance rule); in Go loop-invariant-conversion
 * (perfsprint's integer-format is Sprintf vs strconv, not loops), timer-in-loop, bytewise-read,
 * goroutine-leak-early-return, and range-int-unavailable/waitgroup-go-unavailable (modernize's rangeint and
 * waitgroupgo suggest the very constructs that those flag on an old Go).
 */
export const OVERLAP = [
  // Ruff's PLC0415 flags every import below module level (in functions too), Hotspots only those in loops.
  { rule: 'python/import-in-loop', tool: 'ruff', codes: ['PLC0415'] },
  // The blocking calls in a coroutine: HTTP (210-212), processes (220-222), open and file objects (230-232),
  // os.path/pathlib (240; Hotspots flags Path's read/write methods, not os.path), time.sleep (251).
  {
    rule: 'python/blocking-io-in-async',
    tool: 'ruff',
    codes: ['ASYNC210', 'ASYNC212', 'ASYNC220', 'ASYNC221', 'ASYNC222', 'ASYNC230', 'ASYNC240', 'ASYNC251'],
  },
  {
    rule: 'python/blocking-io-in-async',
    tool: 'flake8-async',
    codes: ['ASYNC210', 'ASYNC211', 'ASYNC212', 'ASYNC220', 'ASYNC221', 'ASYNC222', 'ASYNC230', 'ASYNC231', 'ASYNC232', 'ASYNC240', 'ASYNC251'],
  },
  // S113: requests (and httpx) without timeout=; Hotspots also has urllib, http.client, smtplib, ftplib, socket.
  { rule: 'python/http-without-timeout', tool: 'ruff', codes: ['S113'] },
  // S602 Popen-family with shell=True, S604 any call with shell=True, S605 os.system/os.popen & co.
  { rule: 'python/shell-subprocess', tool: 'ruff', codes: ['S602', 'S604', 'S605'] },
  // perflint's loop-invariant-statement: any expression in a loop whose names the loop does not assign.
  { rule: 'python/loop-invariant-call', tool: 'perflint', codes: ['W8201'] },
  // pylint's consider-using-join: `s += x` over a for loop's items.
  { rule: 'python/quadratic-concat', tool: 'perflint', codes: ['R1713'] },
  // perfsprint's concat-loop and modernize's stringsbuilder report a string built with += in a loop once, at its
  // first +=; Hotspots reports every += of it (hence the "within 10 lines" column).
  { rule: 'go/string-concat-in-loop', tool: 'golangci-lint', codes: ['perfsprint:concat-loop', 'modernize:stringsbuilder'] },
  // A conversion that copies for nothing, other shapes: gocritic's stringXbytes (copy(b, []byte(s))), mirror's
  // bytes/strings calls through a conversion; Hotspots' []byte(string(b)).
  { rule: 'go/string-bytes-roundtrip', tool: 'golangci-lint', codes: ['gocritic:stringXbytes', 'mirror'] },
];

/**
 * For each pair of OVERLAP in `language` (python, go) with `tool` in `byTool` ({ tool: findings }): the lines (file:line) each reports, where both
 * report, where only Hotspots does (and how many of those have the peer's finding within 10 lines of the same
 * file), and where only the peer does; plus a few examples of each, with both messages.
 */
export function overlap(language, hotspots, byTool, { examples = 3 } = {}) {
  const rows = [];
  for (const pair of OVERLAP) {
    const peer = byTool[pair.tool];
    if (!peer || !pair.rule.startsWith(`${language}/`)) continue;
    const mine = hotspots.filter((f) => f.code === pair.rule);
    const theirs = peer.filter((f) => pair.codes.some((c) => f.code === c || f.code.startsWith(`${c}:`)));
    const at = (xs) => {
      const m = new Map();
      for (const f of xs) {
        const k = `${f.file}:${f.line}`;
        if (!m.has(k)) m.set(k, []);
        m.get(k).push(f);
      }
      return m;
    };
    const mineAt = at(mine),
      theirsAt = at(theirs);
    const near = (f, xs) => xs.some((g) => g.file === f.file && Math.abs(g.line - f.line) <= 10);
    const both = [...mineAt.keys()].filter((k) => theirsAt.has(k));
    const onlyMine = [...mineAt.keys()].filter((k) => !theirsAt.has(k));
    const onlyTheirs = [...theirsAt.keys()].filter((k) => !mineAt.has(k));
    const ex = (keys) => keys.slice(0, examples).map((k) => ({ at: k, hotspots: mineAt.get(k)?.[0], peer: theirsAt.get(k)?.[0] }));
    // Examples of one side alone: those with nothing of the other's nearby first (the real disagreements).
    const far = (keys, at, other) => [...keys.filter((k) => !near(at.get(k)[0], other)), ...keys.filter((k) => near(at.get(k)[0], other))];
    rows.push({
      ...pair,
      mine: mineAt.size,
      theirs: theirsAt.size,
      both: both.length,
      onlyMine: onlyMine.length,
      onlyTheirs: onlyTheirs.length,
      onlyMineNear: onlyMine.filter((k) => near(mineAt.get(k)[0], theirs)).length,
      onlyTheirsNear: onlyTheirs.filter((k) => near(theirsAt.get(k)[0], mine)).length,
      examples: {
        both: ex(spread(both, examples)),
        onlyMine: ex(spread(far(onlyMine, mineAt, theirs), examples)),
        onlyTheirs: ex(spread(far(onlyTheirs, theirsAt, mine), examples)),
      },
    });
  }
  return rows;
}
/** `n` keys spread over the list (the first n of a sorted list all come from one file), the first one kept. */
function spread(keys, n) {
  if (keys.length <= n) return keys;
  return Array.from({ length: n }, (_, i) => keys[Math.floor((i * keys.length) / n)]);
}
