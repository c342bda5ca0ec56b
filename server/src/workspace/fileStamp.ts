// What a file or folder was when something was read from it: enough to tell, later, by one stat, that it has not
// changed since (size, mtime, inode and ctime, as git's index checks them: ctime also moves when a file is
// rewritten with its old mtime put back, as `cp -p` or `tar x` do; a folder's mtime changes when an entry is added,
// removed or renamed). A path that did not exist is stamped as missing.
import * as fs from 'fs';

/** [path, size (-1: missing), mtime in ms, inode, ctime in ms]. Plain JSON: kept in cache entries, sent between threads. */
export type FileStamp = [path: string, size: number, mtimeMs: number, ino: number, ctimeMs: number];

export function stampOf(p: string, st: fs.Stats | undefined): FileStamp {
  return st ? [p, st.size, st.mtimeMs, st.ino, st.ctimeMs] : [p, -1, 0, 0, 0];
}

function statOf(p: string): fs.Stats | undefined {
  try {
    return fs.statSync(p, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

/** True when every stamped path is still as stamped (a stamp that is not one, as from a corrupt entry: false). */
export function fileStampsHold(stamps: unknown): boolean {
  if (!Array.isArray(stamps)) return false;
  for (const s of stamps) {
    if (!Array.isArray(s) || s.length !== 5 || typeof s[0] !== 'string') return false;
    const now = stampOf(s[0], statOf(s[0]));
    for (let i = 1; i < 5; i++) if (now[i] !== s[i]) return false;
  }
  return true;
}
