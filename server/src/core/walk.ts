// Finding the source files under the paths a user names. Symlinked directories are not followed (no loops).
import * as fs from 'fs';
import * as path from 'path';
import createIgnore, { type Ignore } from 'ignore';
import { languageForPath } from './parse';

export const SKIPPED_DIRS = new Set(['.git', '.hg', '.svn', 'node_modules', '__pycache__', '.venv', 'venv', '.tox', '.nox', '.mypy_cache', '.pytest_cache', '.ruff_cache', '.hotspots-cache', 'vendor']);

export interface WalkProblem { path: string; message: string }

type Kind = 'dir' | 'file' | 'link' | 'other';
const kindOf = (e: fs.Stats | fs.Dirent): Kind => (e.isDirectory() ? 'dir' : e.isFile() ? 'file' : e.isSymbolicLink() ? 'link' : 'other');

/** A folder's `.gitignore` rules, with the folder they are relative to. */
interface IgnoreLevel { dir: string; rules: Ignore }

export interface WalkOptions {
  /** Honour `.gitignore` files met on the way down (default true), as git and Ruff do. */
  gitignore?: boolean;
  /** More gitignore-style patterns, relative to each path given (the editor's files.exclude, hotspots.exclude). */
  exclude?: string[];
}

function ignored(levels: IgnoreLevel[], p: string, isDir: boolean): boolean {
  for (const l of levels) {
    const rel = path.relative(l.dir, p).split(path.sep).join('/');
    if (!rel || rel.startsWith('..')) continue;
    if (l.rules.ignores(isDir ? `${rel}/` : rel)) return true;
  }
  return false;
}

/**
 * Source files below each path, in a stable order; `problems` collects what could not be read. Paths named
 * explicitly are always taken; what the walk finds below them skips `.gitignore`d and excluded entries.
 */
export function collectFiles(paths: string[], problems: WalkProblem[], opts: WalkOptions = {}): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const useGitignore = opts.gitignore !== false;
  let levels: IgnoreLevel[] = [];
  // The go tool ignores testdata folders (they hold inputs, often deliberately broken Go); so do we, for Go files.
  // Below a folder, the directory listing says what each entry is: no stat call per entry.
  const visit = (p: string, kind: Kind, explicit: boolean, inTestdata: boolean) => {
    if (kind === 'dir') {
      let entries: fs.Dirent[];
      try {
        entries = fs.readdirSync(p, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      } catch (e) {
        problems.push({ path: p, message: `cannot list (${(e as NodeJS.ErrnoException).code ?? String(e)})` });
        return;
      }
      const saved = levels;
      if (useGitignore && entries.some((e) => e.name === '.gitignore')) {
        try { levels = [...levels, { dir: p, rules: createIgnore().add(fs.readFileSync(path.join(p, '.gitignore'), 'utf8')) }]; } catch { /* unreadable: no rules */ }
      }
      for (const e of entries) {
        if (SKIPPED_DIRS.has(e.name)) continue;
        const child = path.join(p, e.name);
        const childKind = kindOf(e);
        if (childKind === 'file' && !languageForPath(child)) continue;
        if (ignored(levels, child, childKind === 'dir')) continue;
        visit(child, childKind, false, inTestdata || e.name === 'testdata');
      }
      levels = saved;
      return;
    }
    if (kind === 'link') {
      // Links below a folder are not followed (no loops, nothing outside the paths given); broken ones are named.
      try { fs.statSync(p); } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (languageForPath(p) || code === 'ELOOP') problems.push({ path: p, message: code === 'ELOOP' ? 'skipped: symbolic link loop' : `skipped: broken symbolic link (${code ?? String(e)})` });
      }
      return;
    }
    if (kind !== 'file') return;                            // sockets, fifos, devices
    const language = languageForPath(p);
    if (!explicit && (!language || (inTestdata && language === 'go'))) return;
    const key = path.resolve(p);
    if (seen.has(key)) return;
    seen.add(key);
    out.push(p);
  };
  for (const p of paths) {
    levels = opts.exclude?.length ? [{ dir: path.resolve(p), rules: createIgnore().add(opts.exclude) }] : [];
    let st: fs.Stats;
    try {
      st = fs.statSync(p);                                  // a path named explicitly is followed
    } catch (e) {
      problems.push({ path: p, message: `cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})` });
      continue;
    }
    visit(p, kindOf(st), true, false);
  }
  return out;
}
