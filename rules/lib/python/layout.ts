// Moving Python code written over several lines to a line indented differently. Inside brackets a line break
// joins lines (implicit line joining), and so does a backslash at a line's end: there the next line's
// indentation means nothing, and the text can move as it is, re-indented for looks. A line break anywhere else
// ends a statement, and a line break inside a string literal is part of its value: those lines keep their bytes.
import type { Node } from 'web-tree-sitter';

const OPENING = new Set(['(', '[', '{']);
const CLOSING = new Set([')', ']', '}']);
/** Tokens written without a space after them, and before them. */
const TIGHT_AFTER = new Set([...OPENING, '.']);
const TIGHT_BEFORE = new Set([...CLOSING, '.', ',']);

/** The tokens of `node` in order, a string literal (with its interpolations) counted as one. */
function* tokens(node: Node): Generator<Node> {
  if (node.type === 'string' || node.childCount === 0) {
    yield node;
    return;
  }
  for (const c of node.children) if (c) yield* tokens(c);
}

/**
 * True when every line break in `node` joins lines: it lies inside a pair of brackets of `node` itself, inside a
 * string literal, or ends a backslash continuation. Such text means the same wherever an expression may stand,
 * however its lines are indented; any other line break would end the statement it is moved into.
 */
export function joinsLines(text: string, node: Node): boolean {
  if (node.hasError) return false;
  let depth = 0;
  let end = node.startIndex;
  for (const t of tokens(node)) {
    if (depth === 0 && /[\r\n]/.test(text.slice(end, t.startIndex))) return false;
    if (OPENING.has(t.type)) depth++;
    else if (CLOSING.has(t.type)) depth--;
    end = t.endIndex;
  }
  return depth === 0;
}

/** The spans of the string literals in `scope` (a line starting inside one is part of its value). */
function stringSpans(scope: Node): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const t of tokens(scope)) if (t.type === 'string') out.push([t.startIndex, t.endIndex]);
  return out;
}

/**
 * The text from `start` to `end` (inside `scope`, whose line breaks all join lines: `joinsLines`) for a place
 * whose lines are indented `to` where they were indented `from`: each line after the first that begins with
 * `from` begins with `to` instead. A line that starts inside a string literal keeps its bytes, and so does one
 * indented less than `from` (inside brackets, where its indentation means nothing).
 */
export function reindented(text: string, scope: Node, start: number, end: number, from: string, to: string): string {
  if (from === to) return text.slice(start, end);
  const strings = stringSpans(scope);
  let out = '';
  let at = start;
  for (let i = start; i < end; i++) {
    const c = text[i];
    const lineStart = c === '\n' || (c === '\r' && text[i + 1] !== '\n') ? i + 1 : -1;
    if (lineStart < 0 || lineStart + from.length > end || !text.startsWith(from, lineStart)) continue;
    if (strings.some(([s, e]) => s < lineStart && lineStart < e)) continue;
    out += text.slice(at, lineStart) + to;
    at = lineStart + from.length;
  }
  return out + text.slice(at, end);
}

/**
 * `node`'s code on one line, for a title or message: where a line break (or a comment, or a backslash
 * continuation) separates two tokens, nothing around a dot, after an opening bracket or before a closing one or
 * a comma, and a space elsewhere. A string literal written over several lines is shown with its line breaks as spaces.
 */
export function oneLine(text: string, node: Node): string {
  let out = '';
  let prev: Node | undefined;
  for (const t of tokens(node)) {
    if (t.type === 'comment' || t.type === 'line_continuation') continue;
    if (prev) {
      const gap = text.slice(prev.endIndex, t.startIndex);
      const broken = /[\r\n#\\]/.test(gap);
      out += !broken ? gap : TIGHT_AFTER.has(prev.type) || TIGHT_BEFORE.has(t.type) ? '' : ' ';
    }
    out += t.text.replace(/\s*[\r\n]\s*/g, ' ');
    prev = t;
  }
  return out;
}
