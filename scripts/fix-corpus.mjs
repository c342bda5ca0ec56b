// Applies every fix to copies of real code and checks the result: all safe fixes first, then the unsafe ones.
// Every changed Python file must compile (py_compile), every changed Go file must stay gofmt-clean (if it was),
// and a further pass must find nothing left to apply. Prints the fixes applied per rule and corpus.
//
//   npm run fix-corpus                 Django, the CPython standard library, Docker's Go sources (Debian packages)
//   npm run fix-corpus -- --subset     a few minutes' worth (what `npm test` runs)
//   npm run fix-corpus -- --corpus NAME   one corpus (Django, CPython, Docker, Go), or a fresh one by name (below);
//                                      a comma-separated list takes several
//   npm run fix-corpus -- --fresh      the fresh corpora of scripts/corpora.json instead (`npm run corpora` installs
//                                      them); with --corpus, those it names (requests,client-go, or python, go).
//                                      Python: py_compile as above, counting only files that compiled before.
//                                      Go modules: gofmt as above, then `go vet` (which type-checks the package with
//                                      its tests) on every changed package, unfixed and fixed: a diagnostic only the
//                                      fixed copy has fails. Dependencies come from the Go module proxy into
//                                      .tools/corpora/gomod (`npm run corpora -- --deps` fetches them ahead); when
//                                      they cannot be had (no network), go vet is skipped with a message.
//   npm run fix-corpus -- --regrtest   also runs CPython's own tests for the modules the fixes changed, against the
//                                      fixed copies (they go first on the path)
// Exit status 1 when any check fails.
import { execFileSync, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { goBinary, goEnv, gofmtBinary, goProblem, installed, selectCorpora } from './corpora-lib.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const BIN = path.join(root, 'bin', 'hotspots.js');
const argv = process.argv.slice(2);
const args = new Set(argv);
const onlyCorpus = argv.includes('--corpus') ? argv[argv.indexOf('--corpus') + 1] : undefined; // e.g. --corpus Django
const subset = args.has('--subset');
const regrtest = args.has('--regrtest');
const fresh = args.has('--fresh');

const stdlib = execFileSync('python3', ['-c', "import sysconfig; print(sysconfig.get_paths()['stdlib'])"], { encoding: 'utf8' }).trim();
// The current Go (scripts/go-toolchain.sh), whatever `go` is first on PATH; gofmt is the one beside it.
const GO = goBinary();
const GOFMT = gofmtBinary();
const goroot = (() => {
  try {
    return GO && execFileSync(GO, ['env', 'GOROOT'], { encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
})();
const STD_SUBSET = [
  'email',
  'json',
  'http',
  'logging',
  'asyncio',
  'tarfile.py',
  'zipfile.py',
  'textwrap.py',
  'csv.py',
  'argparse.py',
  'pydoc.py',
  'smtplib.py',
];
const corpora = [
  { name: 'Django', lang: 'python', src: '/usr/lib/python3/dist-packages/django', pkg: 'python3-django' },
  {
    name: 'CPython stdlib',
    lang: 'python',
    src: stdlib,
    only: subset ? STD_SUBSET : undefined,
    skip: ['site-packages', '__pycache__', 'test', 'idlelib', 'lib2to3'],
  },
  {
    name: 'Docker',
    lang: 'go',
    src: '/usr/share/gocode/src/github.com/docker/docker',
    pkg: 'golang-github-docker-docker-dev',
    only: subset ? ['pkg', 'daemon', 'builder'] : undefined,
  },
  ...(!subset && goroot ? [{ name: 'Go stdlib', lang: 'go', src: path.join(goroot, 'src'), skip: ['testdata'] }] : []),
];
// The fresh corpora (scripts/corpora.json): all of them with --fresh, or those --corpus names.
let freshCorpora = [];
try {
  const words = onlyCorpus
    ? onlyCorpus
        .split(',')
        .map((w) => w.trim())
        .filter(Boolean)
    : [];
  const named = fresh
    ? onlyCorpus
    : words
        .filter((w) => {
          try {
            return selectCorpora(w).length && !['python', 'go'].includes(w);
          } catch {
            return false;
          }
        })
        .join(',');
  if (fresh || named) freshCorpora = selectCorpora(named || 'all');
} catch (e) {
  console.error(`fix-corpus: ${e.message}`);
  process.exit(2);
}
if (fresh) corpora.length = 0;
for (const c of freshCorpora) corpora.push({ name: c.name, lang: c.lang, src: c.dir, fresh: c, version: c.version });
const selected = (c) => {
  if (c.fresh) return true;
  if (!onlyCorpus) return true;
  return onlyCorpus.split(',').some((w) => w.trim() && c.name.toLowerCase().includes(w.trim().toLowerCase()));
};

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'hotspots-fix-corpus-'));
let failures = 0;
const fail = (msg) => {
  failures++;
  console.log(`  FAIL ${msg}`);
};

/** Copies `src` (or the listed entries of it) into `dest`, dereferencing symlinks, skipping the named folders. */
function copyTree(src, dest, only, skip = []) {
  fs.mkdirSync(dest, { recursive: true });
  for (const name of only ?? fs.readdirSync(src)) {
    if (skip.includes(name)) continue;
    const from = path.join(src, name);
    let st;
    try {
      st = fs.statSync(from);
    } catch {
      continue;
    }
    if (st.isDirectory()) copyTree(from, path.join(dest, name), undefined, skip);
    else if (st.isFile()) fs.copyFileSync(from, path.join(dest, name));
  }
}

function sources(dir, ext) {
  const out = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && p.endsWith(ext)) out.push(p);
    }
  };
  walk(dir);
  return out;
}

const hash = (f) => crypto.createHash('sha1').update(fs.readFileSync(f)).digest('hex');

/** Runs `hotspots scan --fix` and returns the fixes applied per rule (parsed from its summary line). */
function fixPass(dir, unsafe) {
  const r = spawnSync(process.execPath, [BIN, 'scan', '--fix', ...(unsafe ? ['--unsafe-fixes'] : []), '--exit-zero', dir], {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  if (r.status !== 0) fail(`hotspots exited ${r.status}: ${r.stderr.slice(-500)}`);
  const m = /applied (\d+) fix(?:es)?(?: \(([^)]*)\))?/.exec(r.stderr);
  const per = {};
  if (m && m[2])
    for (const part of m[2].split(', ')) {
      const [rule, n] = part.split(' ');
      per[rule] = Number(n);
    }
  return { total: m ? Number(m[1]) : 0, per };
}

function gofmtUnclean(files) {
  if (!files.length) return new Set();
  const out = new Set();
  for (let i = 0; i < files.length; i += 500) {
    const r = spawnSync(GOFMT, ['-l', '-e', ...files.slice(i, i + 500)], { encoding: 'utf8', maxBuffer: 1 << 28 });
    for (const l of r.stdout.split('\n').filter(Boolean)) out.add(l);
    if (r.stderr.trim()) for (const l of r.stderr.split('\n').filter(Boolean)) out.add(l.split(':')[0]);
  }
  return out;
}

function pyCompile(files) {
  if (!files.length) return [];
  const script =
    'import sys, py_compile\nbad = []\nfor f in sys.argv[1:]:\n    try:\n        py_compile.compile(f, doraise=True, cfile="/dev/null")\n    except py_compile.PyCompileError as e:\n        bad.append(f + ": " + e.msg.strip().splitlines()[-1])\nprint("\\n".join(bad))\n';
  const r = spawnSync('python3', ['-c', script, ...files], { encoding: 'utf8', maxBuffer: 1 << 28 });
  return r.stdout.split('\n').filter(Boolean);
}

/** The packages (folders, as ./rel) of the changed Go files of a module copy. */
const goPackages = (dir, files) => [...new Set(files.map((f) => path.relative(dir, path.dirname(f))))].sort().map((r) => (r ? `./${r}` : '.'));

/**
 * A go vet diagnostic without positions (the fixes move lines) or folder: `file.go: message`; line numbers inside
 * the message go too (lostcancel's "the cancel var defined on line 1229").
 */
const vetKey = (line) => line.replace(/\S*?([^/\s]+\.go):\d+(:\d+)?:/g, '$1:').replace(/\bline \d+/g, 'line N');

// -mod=mod: go.sum may gain the lines for modules a dropped `replace` (below) hid; these are copies.
const vetEnv = () => goEnv({ GOFLAGS: `${goEnv().GOFLAGS} -mod=mod` });

/** go vet's diagnostics for one package (every line it prints but the `# package` headers). */
function vetMessages(go, cwd, pkg) {
  const r = spawnSync(go, ['vet', pkg], { cwd, encoding: 'utf8', env: vetEnv(), maxBuffer: 1 << 28 });
  const lines = r.stderr.split('\n').filter((l) => l && !l.startsWith('#'));
  return { ok: r.status === 0, all: lines, keys: new Set(lines.map(vetKey)) };
}

/**
 * Drops the module's `replace` directives that point at folders (etcd's `=> ../../api`: its other modules, beside
 * it in its repository, not in the module's zip), so that the versions it requires come from the module proxy as
 * they do for the module's users. Returns what it dropped.
 */
function dropLocalReplaces(dir) {
  let mod;
  try {
    mod = JSON.parse(execFileSync(GO, ['mod', 'edit', '-json'], { cwd: dir, encoding: 'utf8', env: goEnv() }));
  } catch {
    return [];
  }
  const local = (mod.Replace ?? []).filter((r) => !r.New.Version);
  for (const r of local) execFileSync(GO, ['mod', 'edit', `-dropreplace=${r.Old.Path}${r.Old.Version ? `@${r.Old.Version}` : ''}`], { cwd: dir, env: goEnv() });
  return local.map((r) => `${r.Old.Path} => ${r.New.Path}`);
}

/**
 * A Go module corpus: `go vet` on each changed package, in an unfixed copy and in the fixed copy. Fails for a
 * diagnostic that only the fixed copy has. Skipped, with a message, when the module's dependencies cannot be had.
 */
function vetChangedPackages(c, dir, changed) {
  if (!GO) {
    console.log(`  go vet skipped: ${goProblem || 'no Go toolchain'}`);
    return;
  }
  const pkgs = goPackages(
    dir,
    changed.filter((f) => f.endsWith('.go')),
  );
  if (!pkgs.length) return;
  const t0 = Date.now();
  const base = `${dir}-unfixed`;
  copyTree(c.src, base);
  const dropped = dropLocalReplaces(base);
  dropLocalReplaces(dir);
  if (dropped.length) console.log(`  go.mod's replace directives to folders outside the module dropped for go vet: ${dropped.join(', ')}`);
  // Loads (and downloads, into .tools/corpora/gomod) what the packages and their tests need, in the unfixed
  // copy: a package that cannot be loaded there is left out (not the fixes' doing), with the reason.
  const load = (list) => spawnSync(GO, ['list', '-deps', '-test', ...list], { cwd: base, encoding: 'utf8', env: vetEnv(), maxBuffer: 1 << 28 });
  const why = (r) => r.stderr.trim().split('\n').slice(-3).join(' / ').slice(0, 400);
  const offline = /dial tcp|lookup |no such host|connection refused|i\/o timeout|proxyconnect|GOPROXY=off|network is unreachable/;
  if (load(pkgs).status !== 0) {
    const loadable = [];
    for (const pkg of pkgs) {
      const r = load([pkg]);
      if (r.status === 0) {
        loadable.push(pkg);
        continue;
      }
      if (offline.test(r.stderr)) {
        console.log(`  go vet skipped: the changed packages' dependencies cannot be downloaded (no network?): ${why(r)}`);
        return;
      }
      console.log(`  go vet skipped for ${pkg}: it does not load unfixed either: ${why(r)}`);
    }
    pkgs.splice(0, pkgs.length, ...loadable);
    if (!pkgs.length) return;
  }
  let bad = 0,
    baseFail = 0;
  for (const pkg of pkgs) {
    const before = vetMessages(GO, base, pkg);
    const after = vetMessages(GO, dir, pkg);
    if (!before.ok) baseFail++;
    const added = after.all.filter((l) => !before.keys.has(vetKey(l)));
    if (!after.ok && (before.ok || added.length)) {
      bad++;
      fail(`${c.name}: go vet ${pkg} fails only after the fixes:\n      ${(added.length ? added : after.all).slice(0, 12).join('\n      ')}`);
    }
  }
  console.log(
    `  go vet on the ${pkgs.length} changed packages, unfixed and fixed: ${pkgs.length - bad} with no new diagnostic${baseFail ? ` (${baseFail} had diagnostics before the fixes too)` : ''} (${((Date.now() - t0) / 1000).toFixed(1)} s)`,
  );
}

const table = [];
const changedStd = new Set();
for (const c of corpora) {
  if (!selected(c)) continue;
  if (c.fresh && !installed(c.fresh)) {
    fail(`${c.name} ${c.version}: not installed (npm run corpora -- ${c.name})`);
    continue;
  }
  if (!fs.existsSync(c.src)) {
    fail(`${c.name}: ${c.src} is missing${c.pkg ? ` (apt-get install ${c.pkg})` : ''}`);
    continue;
  }
  const t0 = Date.now();
  const dir = path.join(work, c.name.replace(/\W+/g, '-'));
  copyTree(c.src, dir, c.only, c.skip);
  const ext = c.lang === 'python' ? '.py' : '.go';
  const files = sources(dir, ext);
  const before = new Map(files.map((f) => [f, hash(f)]));
  const uncleanBefore = c.lang === 'go' ? gofmtUnclean(files) : new Set();
  const safe = fixPass(dir, false);
  const unsafe = fixPass(dir, true);
  const again = fixPass(dir, true);
  const changed = files.filter((f) => hash(f) !== before.get(f));
  console.log(
    `\n${c.name}: ${files.length} files, ${safe.total} safe fixes, then ${unsafe.total} unsafe fixes, in ${changed.length} files (${((Date.now() - t0) / 1000).toFixed(1)} s)`,
  );
  if (again.total) fail(`${c.name}: a further pass applied ${again.total} more fixes (${JSON.stringify(again.per)})`);
  if (c.lang === 'python') {
    // A fresh corpus may hold files the python3 here cannot compile unfixed (newer syntax, templates): those are
    // not checked. The older corpora all compile.
    const original = (f) => path.join(c.src, path.relative(dir, f));
    const badBefore = c.fresh ? new Set(pyCompile(changed.map(original)).map((e) => e.split(': ')[0])) : new Set();
    if (badBefore.size) console.log(`  not checked, as they do not compile unfixed either: ${[...badBefore].map((f) => path.relative(c.src, f)).join(', ')}`);
    for (const e of pyCompile(changed.filter((f) => !badBefore.has(original(f))))) fail(`does not compile: ${path.relative(work, e)}`);
    if (c.name === 'CPython stdlib') for (const f of changed) changedStd.add(path.relative(dir, f));
  } else {
    const now = gofmtUnclean(changed);
    for (const f of now) if (!uncleanBefore.has(f)) fail(`not gofmt-clean after fixing: ${path.relative(work, f)}`);
    if (c.fresh) vetChangedPackages(c, dir, changed);
  }
  for (const rule of new Set([...Object.keys(safe.per), ...Object.keys(unsafe.per)]))
    table.push({ corpus: c.name, rule, safe: safe.per[rule] ?? 0, unsafe: unsafe.per[rule] ?? 0 });
}

console.log('\n| corpus | rule | safe fixes | unsafe fixes |\n|---|---|---:|---:|');
for (const r of table) console.log(`| ${r.corpus} | ${r.rule} | ${r.safe} | ${r.unsafe} |`);

if (regrtest && changedStd.size) {
  // CPython's own tests for the changed modules, twice: with unmodified copies of those modules first on the path
  // (the baseline: some tests notice a module living outside the standard library's folder), then with the fixed
  // copies. A test that fails only with the fixed copies is a behaviour change.
  const fixedDir = path.join(work, 'CPython-stdlib');
  const tops = [...new Set([...changedStd].map((r) => r.split(path.sep)[0]))].sort();
  const overlay = (name, from) => {
    const dir = path.join(work, name);
    fs.mkdirSync(dir);
    for (const top of tops) {
      const src = path.join(from, top);
      if (fs.statSync(src).isDirectory()) copyTree(src, path.join(dir, top), undefined, ['__pycache__']);
      else fs.copyFileSync(src, path.join(dir, top));
    }
    return dir;
  };
  const baseline = overlay('overlay-original', stdlib);
  const fixed = overlay('overlay-fixed', fixedDir);
  // test_<module>, and test_<module>_* (xml: test_xml_etree, test_xml_dom_minicompat).
  const available = fs
    .readdirSync(path.join(stdlib, 'test'))
    .map((n) => n.replace(/\.py$/, ''))
    .filter((n) => n.startsWith('test_'));
  const tests = [];
  for (const top of tops) {
    const mod = top.replace(/\.py$/, '').replace(/^_/, '');
    for (const t of available) if ((t === `test_${mod}` || t.startsWith(`test_${mod}_`)) && !tests.includes(t)) tests.push(t);
  }
  console.log(`\nCPython's tests for the modules the fixes changed (${tops.join(', ')}):\n  ${tests.join(' ')}`);
  const run = (dir) => {
    const r = spawnSync('python3', ['-m', 'test', '-j2', '--timeout', '600', ...tests], {
      encoding: 'utf8',
      env: { ...process.env, PYTHONPATH: dir },
      maxBuffer: 1 << 30,
    });
    const failed = new Set();
    const m = /\d+ tests? failed:\n((?: {4}.*\n?)+)/.exec(r.stdout);
    if (m) for (const t of m[1].trim().split(/\s+/)) failed.add(t);
    const totals = /Total tests: (.*)/.exec(r.stdout)?.[1] ?? '';
    return { failed, totals, out: r.stdout };
  };
  const before = run(baseline);
  const after = run(fixed);
  console.log(`  unmodified copies first on the path: ${before.totals}; failing test files: ${[...before.failed].join(' ') || 'none'}`);
  console.log(`  fixed copies first on the path:      ${after.totals}; failing test files: ${[...after.failed].join(' ') || 'none'}`);
  const regressions = [...after.failed].filter((t) => !before.failed.has(t));
  if (regressions.length)
    fail(
      `CPython's tests fail only with the fixed copies: ${regressions.join(' ')}\n${after.out
        .split('\n')
        .filter((l) => /Error|FAIL|assert/.test(l))
        .slice(0, 20)
        .join('\n')}`,
    );
  else console.log('  no test fails with the fixed copies that passes without them');
}

fs.rmSync(work, { recursive: true, force: true });
console.log(
  failures ? `\nfix-corpus: ${failures} problem(s)` : '\nfix-corpus: every changed file compiles or stays gofmt-clean, and a further pass applies nothing',
);
process.exit(failures ? 1 : 0);
