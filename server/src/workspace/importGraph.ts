// Which Python modules of the workspace import which: the answers behind `Project.modules` (analysis/types.ts
// ModuleGraph). A rule asks whether importing a module may import, directly or through other first-party modules,
// the module of the file it analyses (python/import-in-loop: hoisting such an import to module level makes the
// import circular).
//
// Lazy: nothing is read until a rule asks. Each question lists the directories it resolves names in and reads the
// first-party modules it reaches (module-level and function-level `import` / `from … import`, relative ones
// resolved against the importing file's package, and `import_module("…")` / `__import__("…")` of a literal
// name), following them transitively, at most MAX_FILES files per question. What a file imports is kept between
// questions by path, checked against the file's mtime, size and inode. Nothing throws: a file that cannot be read
// (unreadable, vanished, binary, not a regular file, too large), or a question that would read more than MAX_FILES
// files, is "unknown", and unknown answers "it may import back".
//
// Modules are resolved, as Python's path finder does (a package directory with __init__.py, else `name.py`, else
// a namespace directory), in the file's source roots: the nearest directory above the file without __init__.py
// (the root of its package tree), every `src/` folder beside the folders above it, and the project's folder (the
// nearest one above with pyproject.toml, setup.py, setup.cfg, hotspots.toml or .git), together: a name found in
// any of them counts. Only first-party modules are followed; installed packages importing the file back are not
// looked for. The disk is what is read: unsaved edits of other files in the editor do not count until saved.
import * as fs from 'fs';
import * as path from 'path';
import { type FileStamp, stampOf } from './fileStamp';
import type { ModuleGraph } from '../../../analysis/types';
import { readSource } from './source';

/** Files one question may read before its answer is "unknown". */
export const MAX_FILES = 300;
/** What a file imports, kept for this many files (the oldest are forgotten first). */
const MAX_PARSED = 4096;
/** A file modified this recently may change again within its mtime's granularity: what it imports is not kept. */
const SETTLE_MS = 2000;
const PROJECT_MARKERS = ['pyproject.toml', 'setup.py', 'setup.cfg', 'hotspots.toml', '.git'];
const MAX_ANCESTORS = 64;

/** One import of a file: `level` leading dots (0: absolute), the dotted module, the names of a `from` import. */
export interface ImportSpec {
  level: number;
  module: string;
  names: string[];
}

const IDENT = /^[\p{L}\p{Nl}_][\p{L}\p{N}_]*$/u;
const TOKEN = /[\p{L}\p{N}_]+|[.,*()]/gu;
const STATEMENT_START = /(?:import|from)(?![\p{L}\p{N}_])/uy;
const DYNAMIC = /\b(?:import_module|__import__)\(\s*[rRuU]?(['"])([\p{L}\p{N}_.]+)\1/gu;

/**
 * The imports of a Python source: every `import` and `from … import` statement wherever it is (in a function, a
 * branch, after `:` or `;`), strings and comments skipped; and `import_module("x")` / `__import__("x")` calls with
 * a literal absolute name. A text that does not parse still gives what its import statements say.
 */
export function pythonImports(text: string): ImportSpec[] {
  const out: ImportSpec[] = [];
  if (!/\b(?:import|__import__|import_module)\b/.test(text)) return out;
  for (const m of text.matchAll(DYNAMIC)) if (!m[2].startsWith('.')) out.push({ level: 0, module: m[2], names: [] });
  let depth = 0;
  let atStart = true; // no code yet in the current statement
  let collecting = false; // the current statement starts with `import` or `from`
  let stmt = '';
  const end = () => {
    if (collecting) parseStatement(stmt, out);
    stmt = '';
    collecting = false;
    atStart = true;
    depth = 0;
  };
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const ch = text[i];
    if (ch === '#') {
      while (i + 1 < n && text[i + 1] !== '\n' && text[i + 1] !== '\r') i++;
      continue;
    }
    if (ch === '\\' && (text[i + 1] === '\n' || text[i + 1] === '\r')) {
      i += text[i + 1] === '\r' && text[i + 2] === '\n' ? 2 : 1;
      if (collecting) stmt += ' ';
      continue;
    }
    if (ch === '"' || ch === "'") {
      const triple = text[i + 1] === ch && text[i + 2] === ch;
      i += triple ? 3 : 1;
      for (; i < n; i++) {
        const c = text[i];
        if (c === '\\') {
          i++;
          continue;
        }
        if (c === ch && (!triple || (text[i + 1] === ch && text[i + 2] === ch))) {
          if (triple) i += 2;
          break;
        }
        if (!triple && (c === '\n' || c === '\r')) {
          i--;
          break;
        } // unterminated: the line ends the string
      }
      atStart = false;
      if (collecting) stmt += '""';
      continue;
    }
    if (ch === '\n' || ch === '\r' || ch === ';' || ch === ':') {
      if (depth === 0 || ch === ';') {
        end();
        continue;
      }
    }
    if (ch === '(' || ch === '[' || ch === '{') depth++;
    else if (ch === ')' || ch === ']' || ch === '}') depth = Math.max(0, depth - 1);
    if (atStart && ch !== ' ' && ch !== '\t' && ch !== '\f' && ch !== '\n' && ch !== '\r') {
      atStart = false;
      STATEMENT_START.lastIndex = i;
      collecting = STATEMENT_START.test(text);
    }
    if (collecting) stmt += ch;
  }
  end();
  return out;
}

function parseStatement(stmt: string, out: ImportSpec[]): void {
  const t = stmt.match(TOKEN) ?? [];
  let i = 0;
  const dotted = (): string | undefined => {
    if (!IDENT.test(t[i] ?? '')) return undefined;
    const parts = [t[i++]];
    while (t[i] === '.' && IDENT.test(t[i + 1] ?? '')) {
      parts.push(t[i + 1]);
      i += 2;
    }
    return parts.join('.');
  };
  if (t[0] === 'import') {
    i = 1;
    for (;;) {
      const m = dotted();
      if (!m) return;
      out.push({ level: 0, module: m, names: [] });
      if (t[i] === 'as') i += 2;
      if (t[i] !== ',') return;
      i++;
    }
  }
  if (t[0] !== 'from') return;
  i = 1;
  let level = 0;
  while (t[i] === '.') {
    level++;
    i++;
  }
  const module = t[i] === 'import' ? '' : dotted();
  if (module === undefined || t[i] !== 'import' || (!level && !module)) return;
  i++;
  const names: string[] = [];
  for (; i < t.length; i++) {
    const tok = t[i];
    if (tok === '*') names.push('*');
    else if (tok === 'as') i++;
    else if (IDENT.test(tok)) names.push(tok);
  }
  out.push({ level, module, names });
}

// --- What each file imports, kept between questions ----------------------------------------------------------

interface Parsed {
  mtimeMs: number;
  size: number;
  ino: number;
  imports: ImportSpec[] | 'unknown';
}
const parsed = new Map<string, Parsed>();

// --- What the graph has looked at: a change there may change an answer (noteFilesChanged) ----------------------

let generation = 0;
const MAX_WATCHED = 100_000;
const lookedDirs = new Set<string>();
const readFiles = new Set<string>();
let overflow = false;
const noteDir = (d: string) => {
  if (lookedDirs.size < MAX_WATCHED) lookedDirs.add(d);
  else overflow = true;
};
const noteFile = (f: string) => {
  if (readFiles.size < MAX_WATCHED) readFiles.add(f);
  else overflow = true;
};

/**
 * Files changed on disk (created, changed, deleted: the language server's watched-file events). True when one of
 * them is a file the graph has read or lies in (or is) a directory it has listed: answers may differ now, so the
 * graph's stamp changes (analyses kept for open documents are not reused) and the caller re-analyses.
 */
export function noteFilesChanged(paths: Iterable<string>): boolean {
  let hit = false;
  for (const p of paths) {
    const f = path.resolve(p);
    parsed.delete(f);
    if (overflow || readFiles.has(f) || lookedDirs.has(f) || lookedDirs.has(path.dirname(f))) hit = true;
  }
  if (hit) {
    generation++;
    lookedDirs.clear();
    readFiles.clear();
    overflow = false;
  }
  return hit;
}

/** Forget everything read (tests; a server could call it when the workspace changes wholesale). */
export function clearImportGraphCache(): void {
  parsed.clear();
  generation++;
  lookedDirs.clear();
  readFiles.clear();
  overflow = false;
}

// --- One file's graph ----------------------------------------------------------------------------------------

type Listing = Map<string, fs.Dirent> | 'missing' | 'unknown';
type Lookup = { kind: 'package'; dir: string; init: string } | { kind: 'namespace'; dir: string } | { kind: 'module'; file: string } | 'missing' | 'unknown';
/** A file a dotted name runs when imported; `prefix`: a package only passed through on the way to a submodule. */
interface Hit {
  file: string;
  prefix: boolean;
}
interface Walk {
  hits: Hit[];
  found: boolean;
  unknown: boolean;
}

class Unknown extends Error {}

/** The graph seen from one file: `file` is the module an import may lead back to. */
class WorkspaceModules implements ModuleGraph {
  /** A rule asked something: the analysis depends on other files than its own (see graphDependencies). */
  asked = false;
  /** What the answers were read from: each file and folder's stat when read (see dependencies). */
  private readonly read = new Map<string, FileStamp>();
  /** Something was read that cannot vouch for itself (changed within SETTLE_MS, or failed): no dependencies. */
  private unsure = false;
  private readonly file: string;
  private readonly listings = new Map<string, Listing>();
  private readonly answers = new Map<string, boolean>();
  private rootsCache: string[] | undefined;
  /** The file itself if it is a package's __init__.py, and the __init__.py of each package it is in. */
  private ownPackages: Set<string> | undefined;

  constructor(file: string) {
    this.file = path.resolve(file);
  }

  get stamp(): string {
    return String(generation);
  }

  isFirstParty(module: string): boolean {
    this.asked = true;
    const memo = `first:${module}`;
    const known = this.answers.get(memo);
    if (known !== undefined) return known;
    let v: boolean;
    try {
      const w = this.resolveAbsolute(module);
      v = w.found || w.unknown;
    } catch (e) {
      v = true; // unknown: the question that follows says "may"
      // Unknown comes from what was read (stamped), or says so itself (unsure); anything else is unforeseen.
      if (!(e instanceof Unknown)) this.unsure = true;
    }
    this.answers.set(memo, v);
    return v;
  }

  importsBack(module: string): boolean {
    this.asked = true;
    const memo = `back:${module}`;
    const known = this.answers.get(memo);
    if (known !== undefined) return known;
    let v: boolean;
    try {
      v = this.search(module);
    } catch (e) {
      v = true; // unknown (Unknown, or anything unforeseen): it may
      // Unknown comes from what was read (stamped), or says so itself (unsure); anything else is unforeseen.
      if (!(e instanceof Unknown)) this.unsure = true;
    }
    this.answers.set(memo, v);
    return v;
  }

  /** Not part of cache keys: what it answers is not known until asked (see graphDependencies). */
  toJSON(): undefined {
    return undefined;
  }

  /** @internal The files and folders read, each with its stat from before it was read; undefined when unsure. */
  dependencies(): FileStamp[] | undefined {
    return this.unsure ? undefined : [...this.read.values()];
  }

  /** Notes what `p` was when read (`st` taken before reading it): a stat too recent to tell a later change by is unsure. */
  private observe(p: string, st: fs.Stats | undefined): void {
    if (st && Date.now() - st.mtimeMs <= SETTLE_MS) this.unsure = true;
    if (!this.read.has(p)) this.read.set(p, stampOf(p, st));
  }

  private search(module: string): boolean {
    if (module.startsWith('.')) return true;
    const own = this.own();
    const queue: string[] = [];
    const seen = new Set<string>();
    /** Adds a walk's files; true when one of them is the file itself. */
    const take = (w: Walk): boolean => {
      if (w.unknown) throw new Unknown();
      for (const h of w.hits) {
        // Packages the file is in are imported already (Python imports a module's packages first): passing
        // through one on the way to a submodule runs nothing; naming one (`from pkg import x`) may read it.
        if (h.prefix && own.has(h.file)) continue;
        if (h.file === this.file) return true;
        if (!seen.has(h.file)) {
          seen.add(h.file);
          queue.push(h.file);
        }
      }
      return false;
    };
    if (take(this.resolveAbsolute(module))) return true;
    for (let read = 0; queue.length; read++) {
      if (read >= MAX_FILES) throw new Unknown();
      const f = queue.shift()!;
      const imports = this.importsOfFile(f);
      for (const spec of imports) {
        for (const w of this.walksOf(spec, f)) if (take(w)) return true;
      }
    }
    return false;
  }

  /** The walks an import statement of `from` makes: its module and, for `from m import n`, `m.n`. */
  private walksOf(spec: ImportSpec, from: string): Walk[] {
    const modules = spec.module ? spec.module.split('.') : [];
    const tails = spec.names.length ? spec.names.map((n) => (n === '*' ? modules : [...modules, n])) : [modules];
    if (spec.level === 0) return tails.map((comps) => this.resolveAbsolute(comps.join('.')));
    let base = path.dirname(from);
    for (let k = 1; k < spec.level; k++) {
      const up = path.dirname(base);
      if (up === base) return []; // beyond the top: an ImportError, nothing runs
      base = up;
    }
    const listing = this.list(base);
    if (listing === 'unknown') throw new Unknown();
    const init = listing !== 'missing' && listing.has('__init__.py') ? this.regularFile(base, '__init__.py', listing) : undefined;
    return tails.map((comps) => this.walkFrom(base, comps, init));
  }

  /** A dotted name in every source root. */
  private resolveAbsolute(module: string): Walk {
    const comps = module.split('.');
    const out: Walk = { hits: [], found: false, unknown: false };
    if (!comps.every((c) => IDENT.test(c))) return out;
    for (const root of this.roots()) {
      const w = this.walkFrom(root, comps);
      out.hits.push(...w.hits);
      out.found ||= w.found;
      out.unknown ||= w.unknown;
    }
    return out;
  }

  /**
   * What importing `comps` below `dir` runs: each package's __init__.py on the way, then the module (a name that
   * is no submodule is an attribute of the last package found). `init`: the __init__.py of `dir` itself.
   */
  private walkFrom(dir: string, comps: string[], init?: string): Walk {
    const out: Walk = { hits: [], found: false, unknown: false };
    let pending = init;
    for (const c of comps) {
      const r = this.lookup(dir, c);
      if (r === 'unknown') {
        out.unknown = true;
        return out;
      }
      if (r === 'missing') break;
      if (pending) {
        out.hits.push({ file: pending, prefix: true });
        pending = undefined;
      }
      if (r.kind === 'module') {
        out.hits.push({ file: r.file, prefix: false });
        out.found = true;
        return out;
      }
      if (r.kind === 'package') {
        pending = r.init;
        out.found = true;
      }
      dir = r.dir;
    }
    if (pending) out.hits.push({ file: pending, prefix: false });
    return out;
  }

  /** `name` in `dir` as Python's path finder sees it: a package, else a module, else a namespace directory. */
  private lookup(dir: string, name: string): Lookup {
    const listing = this.list(dir);
    if (listing === 'unknown') return 'unknown';
    if (listing === 'missing') return 'missing';
    const sub = listing.get(name);
    const subDir = path.join(dir, name);
    const isDir = sub ? this.kindOf(dir, sub) === 'dir' : false;
    if (sub && this.kindOf(dir, sub) === 'unknown') return 'unknown';
    if (isDir) {
      const inner = this.list(subDir);
      if (inner === 'unknown') return 'unknown';
      if (inner !== 'missing' && inner.has('__init__.py')) {
        const init = this.regularFile(subDir, '__init__.py', inner);
        return init ? { kind: 'package', dir: subDir, init } : 'unknown';
      }
    }
    const mod = listing.get(`${name}.py`);
    if (mod) {
      const file = this.regularFile(dir, `${name}.py`, listing);
      return file ? { kind: 'module', file } : 'unknown';
    }
    return isDir ? { kind: 'namespace', dir: subDir } : 'missing';
  }

  /** The path of a listed entry that is a regular file (through a symlink), else undefined (unknown). */
  private regularFile(dir: string, name: string, listing: Map<string, fs.Dirent>): string | undefined {
    const e = listing.get(name);
    return e && this.kindOf(dir, e) === 'file' ? path.join(dir, name) : undefined;
  }

  private kindOf(dir: string, e: fs.Dirent): 'file' | 'dir' | 'other' | 'unknown' {
    if (e.isFile()) return 'file';
    if (e.isDirectory()) return 'dir';
    if (!e.isSymbolicLink()) return 'other';
    try {
      const st = fs.statSync(path.join(dir, e.name), { throwIfNoEntry: false });
      this.observe(path.join(dir, e.name), st);
      if (!st) return 'unknown'; // a link to what is gone
      return st.isFile() ? 'file' : st.isDirectory() ? 'dir' : 'other';
    } catch {
      this.unsure = true;
      return 'unknown';
    }
  }

  private list(dir: string): Listing {
    let l = this.listings.get(dir);
    if (l !== undefined) return l;
    noteDir(dir);
    try {
      // Its stat first: an entry added or removed while it is read changes the folder's mtime after this.
      this.observe(dir, fs.statSync(dir, { throwIfNoEntry: false }));
      l = new Map(fs.readdirSync(dir, { withFileTypes: true }).map((e) => [e.name, e]));
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      l = code === 'ENOENT' || code === 'ENOTDIR' ? 'missing' : 'unknown';
      if (l === 'unknown') this.unsure = true;
    }
    this.listings.set(dir, l);
    return l;
  }

  /** What a file imports (kept by path, mtime, size and inode); throws Unknown when it cannot be read. */
  private importsOfFile(file: string): ImportSpec[] {
    noteFile(file);
    let st: fs.Stats | undefined;
    try {
      st = fs.statSync(file, { throwIfNoEntry: false });
    } catch {
      st = undefined;
    }
    this.observe(file, st);
    if (!st) throw new Unknown(); // listed a moment ago, gone now
    const kept = parsed.get(file);
    let imports: ImportSpec[] | 'unknown';
    if (kept && kept.mtimeMs === st.mtimeMs && kept.size === st.size && kept.ino === st.ino) {
      imports = kept.imports;
    } else {
      const src = readSource(file);
      imports = src.ok ? pythonImports(src.text) : 'unknown';
      // Too big, binary, not UTF-8: so while its stamp holds. A failed read may not fail next time.
      if (!src.ok && src.io) this.unsure = true;
      parsed.delete(file);
      if (Date.now() - st.mtimeMs > SETTLE_MS) {
        if (parsed.size >= MAX_PARSED) parsed.delete(parsed.keys().next().value as string);
        parsed.set(file, { mtimeMs: st.mtimeMs, size: st.size, ino: st.ino, imports });
      }
    }
    if (imports === 'unknown') throw new Unknown();
    return imports;
  }

  /** The __init__.py of the packages the file is in (and the file, when it is one). */
  private own(): Set<string> {
    if (this.ownPackages) return this.ownPackages;
    const out = new Set<string>();
    if (path.basename(this.file) === '__init__.py') out.add(this.file);
    let dir = path.dirname(this.file);
    for (let k = 0; k < MAX_ANCESTORS; k++) {
      const l = this.list(dir);
      if (l === 'unknown' || l === 'missing' || !l.has('__init__.py')) break;
      out.add(path.join(dir, '__init__.py'));
      const up = path.dirname(dir);
      if (up === dir) break;
      dir = up;
    }
    return (this.ownPackages = out);
  }

  /** The source roots names are resolved in (see the top of this file). */
  private roots(): string[] {
    if (this.rootsCache) return this.rootsCache;
    const roots: string[] = [];
    const add = (d: string) => {
      if (!roots.includes(d)) roots.push(d);
    };
    let dir = path.dirname(this.file);
    // The root of the file's package tree: the nearest folder above it without __init__.py.
    for (let k = 0; k < MAX_ANCESTORS; k++) {
      const l = this.list(dir);
      if (l === 'unknown' || l === 'missing' || !l.has('__init__.py')) break;
      const up = path.dirname(dir);
      if (up === dir) break;
      dir = up;
    }
    add(dir);
    // `src/` layouts beside the folders above, up to the project's folder.
    dir = path.dirname(this.file);
    for (let k = 0; k < MAX_ANCESTORS; k++) {
      const l = this.list(dir);
      if (l === 'unknown' || l === 'missing') break;
      const src = l.get('src');
      if (src && this.kindOf(dir, src) === 'dir') add(path.join(dir, 'src'));
      if (PROJECT_MARKERS.some((m) => l.has(m))) {
        add(dir);
        break;
      }
      const up = path.dirname(dir);
      if (up === dir) break;
      dir = up;
    }
    return (this.rootsCache = roots);
  }
}

/**
 * The module graph seen from a Python file on disk, for Project.modules: lazy, so making one costs nothing until a
 * rule asks.
 */
export function moduleGraphFor(file: string): ModuleGraph {
  return new WorkspaceModules(file);
}

/**
 * What an analysis's findings depend on besides the file analysed: `[]` when no rule asked the graph (nothing),
 * the files and folders it read with their stats when it did (a cache of findings keeps them only while every one
 * still has that stat: fileStampsHold), or undefined when those cannot tell (something read had changed within
 * the last 2 s, or could not be read): then nothing may be kept.
 */
export function graphDependencies(graph: ModuleGraph | undefined): FileStamp[] | undefined {
  if (!(graph instanceof WorkspaceModules) || !graph.asked) return [];
  return graph.dependencies();
}
