// Writing a fixed file without ever leaving a half-written one, and never over a file that changed meanwhile.
import * as fs from 'fs';
import * as path from 'path';

/**
 * Writes `text` (UTF-8, after a BOM when the original had one) to `file` via a temporary file and a rename,
 * keeping the mode. Refuses when the file's bytes are no longer `original`.
 */
export function writeFileAtomic(file: string, text: string, original: Buffer, bom = false): void {
  // Renaming over a symbolic link would replace the link (and its target may lie outside the paths given); over a
  // file with other hard links, it would part them. Neither is written.
  const link = fs.lstatSync(file);
  if (link.isSymbolicLink()) throw new Error('a symbolic link; not written (fix the file it points to)');
  if (link.nlink > 1) throw new Error(`has ${link.nlink} hard links; not written`);
  if (!fs.readFileSync(file).equals(original)) throw new Error('file changed on disk since it was read; not written');
  const mode = link.mode & 0o7777;
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.hotspots-${process.pid}.tmp`);
  try {
    fs.writeFileSync(tmp, Buffer.concat([bom ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0), Buffer.from(text, 'utf8')]), { mode });
    fs.chmodSync(tmp, mode);
    fs.renameSync(tmp, file);
  } catch (e) {
    try {
      fs.unlinkSync(tmp);
    } catch {
      /* already gone */
    }
    throw e;
  }
}
