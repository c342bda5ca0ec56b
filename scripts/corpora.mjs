// Installs the fresh corpora of scripts/corpora.json (real projects no rule was tuned on, issue #16) into
// .tools/corpora/ (git-ignored), from their registries only:
//   Python: the sdist from PyPI (found and downloaded through pip's own finder and configuration, see
//           corpora-sdist.py), checked against the index's hash, unpacked as .tools/corpora/python/NAME-VERSION/
//   Go:     `go mod download -json MODULE@VERSION` into the module cache .tools/corpora/gomod/, copied (writable)
//           to .tools/corpora/go/NAME@VERSION/
// What is installed already is skipped. A failure is reported and the others go on; exit 1 if any failed.
//
//   npm run corpora                      all of the original set (the entries without a "set")
//   npm run corpora -- requests,hugo     the ones named (or python, go: the original set's)
//   npm run corpora -- held-out          the held-out set (the entries with "set": "held-out"), not in `all`
//   npm run corpora -- --deps            also download the Go corpora's dependencies (`go mod download` in each),
//                                        which `npm run fix-corpus -- --fresh` needs for `go vet`; it downloads
//                                        them itself when it can
//   npm run corpora -- --list            what the manifest pins and what is installed, without installing
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  ARCHIVES,
  CORPORA_DIR,
  countSources,
  diskBytes,
  GOMODCACHE,
  goBinary,
  goEnv,
  goProblem,
  installed,
  mib,
  root,
  selectCorpora,
  thousands,
} from './corpora-lib.mjs';

const argv = process.argv.slice(2);
const flags = new Set(argv.filter((a) => a.startsWith('--')));
const names = argv.filter((a) => !a.startsWith('--')).join(',');
for (const f of flags)
  if (!['--deps', '--list'].includes(f)) {
    console.error(`corpora: unknown option ${f}\nusage: npm run corpora -- [NAME,...|python|go|held-out] [--deps] [--list]`);
    process.exit(2);
  }
let chosen;
try {
  chosen = selectCorpora(names);
} catch (e) {
  console.error(`corpora: ${e.message}`);
  process.exit(2);
}

const rows = [];
let failed = 0;
const t0 = Date.now();
const tail = (s, n = 600) => (s || '').trim().split('\n').slice(-8).join('\n').slice(-n);

function installPython(c) {
  const r = spawnSync('python3', [path.join(root, 'scripts', 'corpora-sdist.py'), c.name, c.version, c.dir, ARCHIVES], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`PyPI: ${tail(r.stderr) || `exit ${r.status}`}`);
  const info = JSON.parse(r.stdout.trim().split('\n').pop());
  const said = r.stderr.trim()
    ? `; ${r.stderr
        .trim()
        .split('\n')
        .pop()
        .replace(/^corpora-sdist: /, '')}`
    : '';
  return `${info.file}, ${mib(info.bytes)}, sha256 ${info.sha256.slice(0, 12)}…${said}`;
}

function installGo(c) {
  const go = goBinary();
  if (!go) throw new Error(`no Go toolchain: ${goProblem}`);
  fs.mkdirSync(GOMODCACHE, { recursive: true });
  // Run outside any module (so no go.mod of a parent folder is consulted).
  const r = spawnSync(go, ['mod', 'download', '-json', `${c.module}@${c.version}`], { encoding: 'utf8', cwd: CORPORA_DIR, env: goEnv(), maxBuffer: 1 << 26 });
  let info;
  try {
    info = JSON.parse(r.stdout);
  } catch {
    /* nothing printed */
  }
  if (r.status !== 0 || !info || info.Error || !info.Dir) throw new Error(`Go module proxy: ${info?.Error || tail(r.stderr) || `exit ${r.status}`}`);
  // The module cache is the go command's; the corpus is a copy of the module's tree, writable, in a stable place.
  const tmp = path.join(path.dirname(c.dir), `.copy-${c.name}-${process.pid}`);
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.cpSync(info.Dir, tmp, { recursive: true });
  spawnSync('chmod', ['-R', 'u+w', tmp]);
  fs.renameSync(tmp, c.dir);
  return `${c.module}@${info.Version}, ${info.Sum}`;
}

/** `go mod download` in a Go corpus: the modules needed to build its packages and tests (for go vet). */
function goDeps(c) {
  const go = goBinary();
  if (!go) throw new Error(`no Go toolchain: ${goProblem}`);
  const t = Date.now();
  const r = spawnSync(go, ['mod', 'download'], { encoding: 'utf8', cwd: c.dir, env: goEnv(), maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`dependencies: ${tail(r.stderr) || `exit ${r.status}`}`);
  return ((Date.now() - t) / 1000).toFixed(0);
}

fs.mkdirSync(CORPORA_DIR, { recursive: true });
for (const c of chosen) {
  const t = Date.now();
  const row = { c, status: '', note: '' };
  rows.push(row);
  if (flags.has('--list')) {
    row.status = installed(c) ? 'installed' : 'missing';
    continue;
  }
  if (installed(c)) row.status = 'present';
  else {
    process.stdout.write(`corpora: ${c.name} ${c.version} (${c.registry}) … `);
    try {
      fs.mkdirSync(path.dirname(c.dir), { recursive: true });
      row.note = c.lang === 'python' ? installPython(c) : installGo(c);
      row.status = 'installed';
      console.log(`done in ${((Date.now() - t) / 1000).toFixed(1)} s (${row.note})`);
    } catch (e) {
      failed++;
      row.status = 'FAILED';
      row.note = e.message;
      console.log(`FAILED\n  ${e.message.replace(/\n/g, '\n  ')}`);
      continue;
    }
  }
  if (flags.has('--deps') && c.lang === 'go') {
    process.stdout.write(`corpora: ${c.name}: go mod download (dependencies) … `);
    try {
      console.log(`done in ${goDeps(c)} s`);
    } catch (e) {
      failed++;
      row.status += ', dependencies FAILED';
      console.log(`FAILED\n  ${e.message.replace(/\n/g, '\n  ')}`);
    }
  }
  row.seconds = (Date.now() - t) / 1000;
}

console.log(`\n| corpus | language | version | status | files | lines | on disk |\n|---|---|---|---|---:|---:|---:|`);
const total = { files: 0, lines: 0, bytes: 0 };
for (const { c, status } of rows) {
  if (!installed(c)) {
    console.log(`| ${c.name} | ${c.lang} | ${c.module ? `${c.module} ` : ''}${c.version} | ${status} | | | |`);
    continue;
  }
  const { files, lines } = countSources(c.dir, c.lang);
  const bytes = diskBytes(c.dir);
  total.files += files;
  total.lines += lines;
  total.bytes += bytes;
  console.log(
    `| ${c.name} | ${c.lang} | ${c.module ? `${c.module} ` : ''}${c.version} | ${status} | ${thousands(files)} | ${thousands(lines)} | ${mib(bytes)} |`,
  );
}
console.log(`| all | | | | ${thousands(total.files)} | ${thousands(total.lines)} | ${mib(total.bytes)} |`);
if (!flags.has('--list')) {
  const extra = [ARCHIVES, GOMODCACHE].filter((d) => fs.existsSync(d)).map((d) => `${path.relative(root, d)} ${mib(diskBytes(d))}`);
  console.log(
    `\n${rows.length} corpora in ${path.relative(root, CORPORA_DIR)}/ (${extra.join(', ') || 'no downloads kept'}), ${((Date.now() - t0) / 1000).toFixed(1)} s${failed ? `; ${failed} FAILED` : ''}`,
  );
}
process.exit(failed ? 1 : 0);
