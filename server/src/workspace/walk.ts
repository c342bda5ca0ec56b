// Finding the source files under the paths a user names, with @nodelib/fs.walk (the walker under fast-glob):
// one readdir per folder, each entry's kind from the listing (no stat per entry), symbolic links not followed
// (no loops, nothing outside the paths given).
import * as fs from 'fs';
import * as path from 'path';
import { walkSync, type Entry } from '@nodelib/fs.walk';
import createIgnore, { type Ignore } from 'ignore';
import { languageForPath } from '../../../analysis/parse';

export const SKIPPED_DIRS = new Set([
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

export interface WalkProblem {
  path: string;
  message: string;
}

type Kind = 'dir' | 'file' | 'link' | 'other';
const kindOf = (e: fs.Stats | fs.Dirent): Kind => (e.isDirectory() ? 'dir' : e.isFile() ? 'file' : e.isSymbolicLink() ? 'link' : 'other');

/** A folder's `.gitignore` rules, with the folder they are relative to. */
interface IgnoreLevel {
  dir: string;
  rules: Ignore;
}

/** What holds below a folder the walk entered: the ignore rules in force, and whether it is inside a `testdata`. */
interface Folder {
  path: string;
  /** The rules in force in the parent folder; this folder's own `.gitignore` adds to them. */
  inherited: IgnoreLevel[];
  /** Computed when the folder's first entry is filtered, once its listing says whether it has a `.gitignore`. */
  levels?: IgnoreLevel[];
  inTestdata: boolean;
}

export interface WalkOptions {
  /** Honour `.gitignore` files met on the way down (default true), as git and Ruff do. */
  gitignore?: boolean;
  /** More gitignore-style patterns, relative to each path given (the editor's files.exclude, hotspots.exclude). */
  exclude?: string[];
}

function relativeTo(dir: string, p: string, isDir: boolean): string | undefined {
  const rel = path.relative(dir, p).split(path.sep).join('/');
  if (!rel || rel.startsWith('..')) return undefined;
  return isDir ? `${rel}/` : rel;
}

/**
 * Whether `.gitignore` rules leave a path out. As in git, the last matching pattern decides and a deeper file's
 * patterns come after its parents', so `!name` in a subfolder takes back a parent folder's `*.py`.
 */
function ignored(levels: IgnoreLevel[], p: string, isDir: boolean): boolean {
  for (let i = levels.length - 1; i >= 0; i--) {
    const rel = relativeTo(levels[i].dir, p, isDir);
    if (rel === undefined) continue;
    const verdict = levels[i].rules.test(rel);
    if (verdict.unignored) return false;
    if (verdict.ignored) return true;
  }
  return false;
}

function withGitignore(levels: IgnoreLevel[], dir: string): IgnoreLevel[] {
  try {
    return [...levels, { dir, rules: createIgnore().add(fs.readFileSync(path.join(dir, '.gitignore'), 'utf8')) }];
  } catch {
    return levels; // unreadable: no rules
  }
}

/** Orders items by path as a depth-first walk with each folder's entries sorted by name would list them. */
function inWalkOrder<T>(items: T[], pathOf: (item: T) => string): T[] {
  const keyed = items.map((item) => ({ item, parts: pathOf(item).split(path.sep) }));
  keyed.sort((a, b) => {
    const n = Math.min(a.parts.length, b.parts.length);
    for (let i = 0; i < n; i++) {
      if (a.parts[i] !== b.parts[i]) return a.parts[i] < b.parts[i] ? -1 : 1;
    }
    return a.parts.length - b.parts.length;
  });
  return keyed.map((k) => k.item);
}

/** The source files below one folder, unordered. */
function walkFolder(root: string, exclude: IgnoreLevel | undefined, useGitignore: boolean, problems: WalkProblem[]): string[] {
  // The user's exclusions apply whatever a .gitignore takes back.
  const excluded = (p: string, isDir: boolean) => {
    const rel = exclude && relativeTo(exclude.dir, p, isDir);
    return rel !== undefined && exclude!.rules.ignores(rel);
  };
  // Entries are named as path.join(root, name) would name them ("x.py" below ".", not "./x.py").
  let base = path.normalize(root);
  if (base.length > 1 && base.endsWith(path.sep)) base = base.slice(0, -1);
  if (base === '.') base = '';
  // The folders whose listing has a .gitignore, seen as the walker lists them (no extra call per folder).
  const withIgnoreFile = new Set<string>();
  const readdirSync = ((dir: string, options: { withFileTypes: true }) => {
    const listing = fs.readdirSync(dir, options);
    if (useGitignore && listing.some((d) => d.name === '.gitignore')) withIgnoreFile.add(path.normalize(dir));
    return listing;
  }) as typeof fs.readdirSync;
  const folders = new Map<string, Folder>([[base || '.', { path: base || '.', inherited: [], inTestdata: false }]]);
  const levelsOf = (f: Folder) => (f.levels ??= withIgnoreFile.has(path.normalize(f.path)) ? withGitignore(f.inherited, f.path) : f.inherited);
  const folderOf = (e: Entry): Folder => folders.get(path.dirname(e.path))!;
  return walkSync(root, {
    basePath: base,
    fs: { readdirSync },
    // Called for each folder before the walk enters it: skip it, or note what holds inside it.
    deepFilter: (e) => {
      const parent = folderOf(e);
      if (SKIPPED_DIRS.has(e.name) || excluded(e.path, true) || ignored(levelsOf(parent), e.path, true)) return false;
      folders.set(e.path, { path: e.path, inherited: levelsOf(parent), inTestdata: parent.inTestdata || e.name === 'testdata' });
      return true;
    },
    entryFilter: (e) => {
      const kind = kindOf(e.dirent);
      if (kind === 'dir' || kind === 'other') return false; // folders, sockets, fifos, devices
      const language = languageForPath(e.path);
      if (kind === 'link') {
        // Links are not followed; broken ones and loops are named.
        try {
          fs.statSync(e.path);
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code;
          if (language || code === 'ELOOP')
            problems.push({
              path: e.path,
              message: code === 'ELOOP' ? 'skipped: symbolic link loop' : `skipped: broken symbolic link (${code ?? String(err)})`,
            });
        }
        return false;
      }
      if (!language) return false;
      const folder = folderOf(e);
      // The go tool ignores testdata folders (they hold inputs, often deliberately broken Go); so do we, for Go files.
      if (folder.inTestdata && language === 'go') return false;
      return !excluded(e.path, false) && !ignored(levelsOf(folder), e.path, false);
    },
    errorFilter: (err) => {
      problems.push({ path: err.path ?? root, message: `cannot list (${err.code ?? String(err)})` });
      return true; // go on with the other folders
    },
  }).map((e) => e.path);
}

/**
 * Source files below each path, in a stable order; `problems` collects what could not be read. Paths named
 * explicitly are always taken; what the walk finds below them skips `.gitignore`d and excluded entries. `stats`
 * receives the stat of each file named explicitly (taken anyway, and reusable by the cache's StatIndex).
 */
export function collectFiles(paths: string[], problems: WalkProblem[], opts: WalkOptions = {}, stats?: Map<string, fs.Stats>): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const take = (p: string) => {
    const key = path.resolve(p);
    if (seen.has(key)) return;
    seen.add(key);
    out.push(p);
  };
  for (const p of paths) {
    let st: fs.Stats;
    try {
      st = fs.statSync(p); // a path named explicitly is followed
    } catch (e) {
      problems.push({ path: p, message: `cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})` });
      continue;
    }
    const kind = kindOf(st);
    if (kind === 'file') {
      take(p);
      stats?.set(p, st);
    }
    if (kind !== 'dir') continue;
    const exclude = opts.exclude?.length ? { dir: path.resolve(p), rules: createIgnore().add(opts.exclude) } : undefined;
    const met: WalkProblem[] = [];
    inWalkOrder(walkFolder(p, exclude, opts.gitignore !== false, met), (f) => f).forEach(take);
    problems.push(...inWalkOrder(met, (m) => m.path));
  }
  return out;
}
