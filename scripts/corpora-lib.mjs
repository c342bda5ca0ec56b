// The fresh corpora of scripts/corpora.json (issue #16): where each is installed, which ones a command names,
// how big each is, and the Go command that installs and checks them. Used by corpora.mjs (the installer),
// corpus.mjs (per-rule counts) and fix-corpus.mjs (fixes applied to copies).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
export const CORPORA_DIR = path.join(root, '.tools', 'corpora');
/** The Go module cache the Go corpora are downloaded into (and, for `go vet`, their dependencies). */
export const GOMODCACHE = path.join(CORPORA_DIR, 'gomod');
/** Where the sdists are kept, so that a reinstall unpacks without downloading. */
export const ARCHIVES = path.join(CORPORA_DIR, 'archives');

/** Every corpus of the manifest: { name, lang, version, module?, set?, why, dir }. */
export function manifest() {
  const m = JSON.parse(fs.readFileSync(path.join(root, 'scripts', 'corpora.json'), 'utf8'));
  return [
    ...m.python.map((c) => ({ ...c, lang: 'python', registry: 'PyPI', dir: path.join(CORPORA_DIR, 'python', `${c.name}-${c.version}`) })),
    ...m.go.map((c) => ({ ...c, lang: 'go', registry: 'Go module proxy', dir: path.join(CORPORA_DIR, 'go', `${c.name}@${c.version}`) })),
  ];
}

/**
 * The corpora a comma-separated list names: `all` (or nothing), `python`, `go`, the name of a set (`held-out`), or
 * names of the manifest (`requests,client-go`). `all`, `python` and `go` mean the original corpora only, those
 * with no `set` (so that figures taken with them before a set was added stay reproducible); a set's name means
 * just that set's corpora. Throws on a word that is none of these.
 */
export function selectCorpora(spec) {
  const all = manifest();
  const original = all.filter((c) => !c.set);
  if (!spec || spec === 'all' || spec === true) return original;
  const sets = [...new Set(all.map((c) => c.set).filter(Boolean))];
  const out = [];
  for (const word of String(spec)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const w = word.toLowerCase();
    const hit =
      w === 'all'
        ? original
        : w === 'python' || w === 'go'
          ? original.filter((c) => c.lang === w)
          : sets.includes(w)
            ? all.filter((c) => c.set === w)
            : all.filter((c) => c.name.toLowerCase() === w);
    if (!hit.length)
      throw new Error(
        `no fresh corpus named ${word} (scripts/corpora.json has: ${all.map((c) => c.name).join(', ')}; or all, python, go${sets.map((s) => `, ${s}`).join('')})`,
      );
    for (const c of hit) if (!out.includes(c)) out.push(c);
  }
  return out;
}

/** Whether a corpus is installed (the installer renames a complete copy into place as its last step). */
export const installed = (c) => fs.existsSync(c.dir);

// What the scanner's walk skips (server/src/workspace/walk.ts SKIPPED_DIRS), and Go files below a testdata folder.
const SKIPPED_DIRS = new Set([
  '.git',
  '.hg',
  '.svn',
  'node_modules',
  '__pycache__',
  '.venv',
  'venv',
  '.tox',
  '.nox',
  '.mypy_cache',
  '.pytest_cache',
  '.ruff_cache',
  '.hotspots-cache',
  'vendor',
]);
const EXTS = { python: ['.py', '.pyi', '.pyw'], go: ['.go'] };

/** Source files and lines of one language under `dir`, as the scanner's walk finds them (less .gitignore rules). */
export function countSources(dir, lang) {
  let files = 0,
    lines = 0;
  const walk = (d, inTestdata) => {
    let entries;
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) {
        if (!SKIPPED_DIRS.has(e.name)) walk(p, inTestdata || e.name === 'testdata');
        continue;
      }
      if (!e.isFile() || !EXTS[lang].includes(path.extname(e.name).toLowerCase())) continue;
      if (lang === 'go' && inTestdata) continue;
      files++;
      const text = fs.readFileSync(p);
      let n = 0;
      for (let i = text.indexOf(10); i !== -1; i = text.indexOf(10, i + 1)) n++;
      lines += n + (text.length && text[text.length - 1] !== 10 ? 1 : 0);
    }
  };
  walk(dir, false);
  return { files, lines };
}

/** Bytes on disk under `dir` (file sizes, not blocks). */
export function diskBytes(dir) {
  let n = 0;
  const walk = (d) => {
    let entries;
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) n += fs.statSync(p).size;
    }
  };
  walk(dir);
  return n;
}

export const mib = (bytes) => `${(bytes / (1 << 20)).toFixed(1)} MiB`;
export const thousands = (n) => n.toLocaleString('en-US');

let goBin;
/** The current Go (scripts/go-toolchain.sh), or undefined (with the reason in `goProblem`). */
export function goBinary() {
  if (goBin !== undefined) return goBin || undefined;
  try {
    goBin = execFileSync('bash', [path.join(root, 'scripts', 'go-toolchain.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  } catch (e) {
    goBin = '';
    goProblem = (e.stderr || String(e)).trim();
  }
  return goBin || undefined;
}
export let goProblem = '';
/** gofmt beside the current Go. */
export const gofmtBinary = () => (goBinary() ? path.join(path.dirname(goBinary()), 'gofmt') : 'gofmt');

/**
 * The environment for the go command on the Go corpora: their own module cache under .tools (writable, so that
 * `rm -rf .tools` works), no toolchain downloads, no go.work of the machine's.
 */
export function goEnv(extra = {}) {
  const flags = (process.env.GOFLAGS || '').split(/\s+/).filter((f) => f && !f.startsWith('-modcacherw'));
  return { ...process.env, GOMODCACHE, GOFLAGS: [...flags, '-modcacherw'].join(' '), GOTOOLCHAIN: 'local', GOWORK: 'off', ...extra };
}
