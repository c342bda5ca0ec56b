// Writing a fixed file without ever leaving a half-written one, and never over a file that changed meanwhile.
import * as fs from 'fs';
import * as path from 'path';

/** Writes `text` to `file` via a temporary file and a rename, keeping the mode; refuses when the file no longer holds `expected`. */
export function writeFileAtomic(file: string, text: string, expected: string): void {
  const current = fs.readFileSync(file, 'utf8');
  if (current !== expected) throw new Error('file changed on disk since it was read; not written');
  const mode = fs.statSync(file).mode & 0o7777;
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.hotspots-${process.pid}.tmp`);
  try {
    fs.writeFileSync(tmp, text, { mode });
    fs.chmodSync(tmp, mode);
    fs.renameSync(tmp, file);
  } catch (e) {
    try { fs.unlinkSync(tmp); } catch { /* already gone */ }
    throw e;
  }
}
