// Offsets and positions. Everything inside the core is a UTF-16 offset into the JS string, which is also
// what web-tree-sitter reports for a string input and what LSP counts by default.

export interface Position {
  line: number;
  character: number;
}

export class LineIndex {
  private readonly starts: number[];
  constructor(private readonly text: string) {
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) starts.push(i + 1);
      else if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        starts.push(i + 1);
      }
    }
    this.starts = starts;
  }
  get lineCount(): number {
    return this.starts.length;
  }
  lineStart(line: number): number {
    return this.starts[Math.max(0, Math.min(line, this.starts.length - 1))];
  }
  /** 0-based line and UTF-16 column. */
  position(offset: number): Position {
    offset = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0,
      hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: offset - this.starts[lo] };
  }
  offset(pos: Position): number {
    if (pos.line >= this.starts.length) return this.text.length;
    const start = this.starts[Math.max(0, pos.line)];
    const next = pos.line + 1 < this.starts.length ? this.starts[pos.line + 1] : this.text.length;
    return Math.min(start + Math.max(0, pos.character), next);
  }
  /** 0-based line and column counted in Unicode code points (what people and most CLIs call a column). */
  codePointPosition(offset: number): Position {
    const p = this.position(offset);
    const start = this.starts[p.line];
    let cps = 0;
    for (let i = start; i < offset; i++) {
      const c = this.text.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < offset) i++;
      cps++;
    }
    return { line: p.line, character: cps };
  }
}

/** The whitespace that starts the line holding `offset`. */
export function indentAt(text: string, offset: number): string {
  let s = offset;
  while (s > 0 && text[s - 1] !== '\n' && text[s - 1] !== '\r') s--;
  let e = s;
  while (e < text.length && (text[e] === ' ' || text[e] === '\t')) e++;
  return text.slice(s, e);
}

export function lineStartOf(text: string, offset: number): number {
  let s = offset;
  while (s > 0 && text[s - 1] !== '\n' && text[s - 1] !== '\r') s--;
  return s;
}

/** Offset just past the end of the line holding `offset` (after its newline, or the text's end). */
export function nextLineStart(text: string, offset: number): number {
  let e = offset;
  while (e < text.length && text[e] !== '\n' && text[e] !== '\r') e++;
  if (text[e] === '\r' && text[e + 1] === '\n') return e + 2;
  return e < text.length ? e + 1 : e;
}

export function eolOf(text: string): string {
  const i = text.indexOf('\n');
  return i > 0 && text[i - 1] === '\r' ? '\r\n' : '\n';
}
