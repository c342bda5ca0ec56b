// Reading a file as source text, refusing what is not source: binary, undecodable, too large.
import * as fs from 'fs';
import { TextDecoder } from 'util';

export const DEFAULT_MAX_BYTES = 2 * 1024 * 1024;

export type SourceResult =
  | { ok: true; text: string; bytes: Buffer; encoding: string; bom: boolean; stat?: fs.Stats }
  /** `io`: reading failed (permissions, a vanished file), not the content; another read may succeed. */
  | { ok: false; reason: string; io?: true };

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
// PEP 263: `# -*- coding: latin-1 -*-` on one of the first two lines.
const CODING = /^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)/;

function declaredEncoding(bytes: Buffer): string | undefined {
  const head = bytes
    .subarray(0, 512)
    .toString('latin1')
    .split(/\r\n|\r|\n/)
    .slice(0, 2);
  for (const line of head) {
    const m = CODING.exec(line);
    if (m) return m[1].toLowerCase();
    if (!/^[ \t\f]*(#|$)/.test(line)) break; // the cookie may only follow a comment or blank line
  }
  return undefined;
}

/** A decoder for a Python codec name (`latin_1`, `iso8859-15`, `koi8_r` …), through its WHATWG label. */
function decoderFor(pythonName: string): TextDecoder | undefined {
  const n = pythonName.replace(/_/g, '-');
  const candidates = [/^(latin-?1|l1|iso-?8859-1|8859|cp819)$/.test(n) ? 'latin1' : n, n.replace(/^iso-?(\d)/, 'iso-$1'), n.replace(/-/g, '')];
  for (const label of candidates) {
    try {
      return new TextDecoder(label, { fatal: true });
    } catch {
      /* not a label this runtime knows */
    }
  }
  return undefined;
}

export function decodeSource(input: Uint8Array, maxBytes = DEFAULT_MAX_BYTES): SourceResult {
  const bytes = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  if (bytes.length > maxBytes) return { ok: false, reason: `skipped: ${bytes.length} bytes is over the ${maxBytes}-byte limit` };
  const probe = Math.min(bytes.length, 8192);
  for (let i = 0; i < probe; i++) if (bytes[i] === 0) return { ok: false, reason: 'skipped: binary file (NUL byte)' };
  const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  try {
    return { ok: true, text: utf8.decode(bom ? bytes.subarray(3) : bytes), bytes, encoding: 'utf-8', bom };
  } catch {
    const declared = declaredEncoding(bytes);
    if (declared && !/^utf[-_]?8$/.test(declared)) {
      const decoder = decoderFor(declared);
      if (!decoder) return { ok: false, reason: `skipped: its coding declaration names ${declared}, which cannot be decoded here` };
      try {
        return { ok: true, text: decoder.decode(bytes), bytes, encoding: declared, bom: false };
      } catch {
        return { ok: false, reason: `skipped: not valid ${declared} (as its coding declaration says)` };
      }
    }
    return { ok: false, reason: 'skipped: not valid UTF-8' };
  }
}

export function readSource(file: string, maxBytes = DEFAULT_MAX_BYTES): SourceResult {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch (e) {
    return { ok: false, reason: `skipped: cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})`, io: true };
  }
  if (!st.isFile()) return { ok: false, reason: 'skipped: not a regular file' };
  if (st.size > maxBytes) return { ok: false, reason: `skipped: ${st.size} bytes is over the ${maxBytes}-byte limit` };
  try {
    const r = decodeSource(fs.readFileSync(file), maxBytes);
    return r.ok ? { ...r, stat: st } : r; // the stat taken before the read (see StatIndex)
  } catch (e) {
    return { ok: false, reason: `skipped: cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})`, io: true };
  }
}
