// What a file or folder was when something was read from it: enough to tell, later, by one stat, that it has not
// changed since (size, mtime and inode, as git's index and the StatIndex trust them; a folder's mtime changes
// when an entry is added, removed or renamed). A path that did not exist is stamped as missing.
import * as fs from 'fs';

/** [path, size (-1: missing), mtime in ms, inode]. Plain JSON: kept in cache entries and sent between threads. */
export type FileStamp = [path: string, size: number, mtimeMs: number, ino: number];

export function stampOf(p: string, st: fs.Stats | undefined): FileStamp {
  return st ? [p, st.size, st.mtimeMs, st.ino] : [p, -1, 0, 0];
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
    if (!Array.isArray(s) || s.length !== 4 || typeof s[0] !== 'string') return false;
    const now = stampOf(s[0], statOf(s[0]));
    if (now[1] !== s[1] || now[2] !== s[2] || now[3] !== s[3]) return false;
  }
  return true;
}
