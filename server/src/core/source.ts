// Reading a file as source text, refusing what is not source: binary, invalid UTF-8, too large.
import * as fs from 'fs';

export const DEFAULT_MAX_BYTES = 2 * 1024 * 1024;

export type SourceResult = { ok: true; text: string } | { ok: false; reason: string };

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

export function decodeSource(bytes: Uint8Array, maxBytes = DEFAULT_MAX_BYTES): SourceResult {
  if (bytes.length > maxBytes) return { ok: false, reason: `skipped: ${bytes.length} bytes is over the ${maxBytes}-byte limit` };
  const probe = Math.min(bytes.length, 8192);
  for (let i = 0; i < probe; i++) if (bytes[i] === 0) return { ok: false, reason: 'skipped: binary file (NUL byte)' };
  try {
    return { ok: true, text: decoder.decode(bytes) };
  } catch {
    return { ok: false, reason: 'skipped: not valid UTF-8' };
  }
}

export function readSource(file: string, maxBytes = DEFAULT_MAX_BYTES): SourceResult {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch (e) {
    return { ok: false, reason: `skipped: cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})` };
  }
  if (!st.isFile()) return { ok: false, reason: 'skipped: not a regular file' };
  if (st.size > maxBytes) return { ok: false, reason: `skipped: ${st.size} bytes is over the ${maxBytes}-byte limit` };
  try {
    return decodeSource(fs.readFileSync(file), maxBytes);
  } catch (e) {
    return { ok: false, reason: `skipped: cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})` };
  }
}
