// Finding the source files under the paths a user names. Symlinked directories are not followed (no loops).
import * as fs from 'fs';
import * as path from 'path';
import { languageForPath } from './parse';

export const SKIPPED_DIRS = new Set(['.git', '.hg', '.svn', 'node_modules', '__pycache__', '.venv', 'venv', '.tox', '.nox', '.mypy_cache', '.pytest_cache', '.ruff_cache', '.hotspots-cache', 'vendor']);

export interface WalkProblem { path: string; message: string }

/** Source files below each path, in a stable order; `problems` collects what could not be read. */
export function collectFiles(paths: string[], problems: WalkProblem[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  // The go tool ignores testdata folders (they hold inputs, often deliberately broken Go); so do we, for Go files.
  const visit = (p: string, explicit: boolean, inTestdata = false) => {
    let st: fs.Stats;
    try {
      st = explicit ? fs.statSync(p) : fs.lstatSync(p);
    } catch (e) {
      problems.push({ path: p, message: `cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})` });
      return;
    }
    if (st.isDirectory()) {
      let entries: string[];
      try {
        entries = fs.readdirSync(p).sort();
      } catch (e) {
        problems.push({ path: p, message: `cannot list (${(e as NodeJS.ErrnoException).code ?? String(e)})` });
        return;
      }
      for (const name of entries) {
        if (SKIPPED_DIRS.has(name)) continue;
        visit(path.join(p, name), false, inTestdata || name === 'testdata');
      }
      return;
    }
    if (!st.isFile()) return;                               // symlinks below a directory, sockets, fifos
    const language = languageForPath(p);
    if (!explicit && (!language || (inTestdata && language === 'go'))) return;
    const key = path.resolve(p);
    if (seen.has(key)) return;
    seen.add(key);
    out.push(p);
  };
  for (const p of paths) visit(p, true);
  return out;
}
