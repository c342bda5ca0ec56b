// Metamorphic properties: a rule's findings must not change when the code's meaning does not. For every fixture,
// (a) a trailing comment on every line that can take one, and (b) a blank line before every statement, must
// give the same findings (rule and original line), with nothing found on the added text.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { Node } from 'web-tree-sitter';
import { parse } from '../analysis/parse';
import { LineIndex } from '../analysis/text';
import { analyzeSource, initEngine } from '../server/src/engine';
import { goVersionFor } from '../server/src/workspace/gomod';

before(async () => { await initEngine(); });

const FIXTURES = path.join(__dirname, 'fixtures');
type Lang = 'python' | 'go';

function fixtureFiles(): Array<{ file: string; lang: Lang }> {
  const out: Array<{ file: string; lang: Lang }> = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(py|go)$/.test(e.name) && !/\.fixed\./.test(e.name)) out.push({ file: p, lang: e.name.endsWith('.py') ? 'python' : 'go' });
    }
  };
  walk(FIXTURES);
  return out.sort((a, b) => a.file.localeCompare(b.file));
}

/** Rows whose end is inside a string, a comment, or a line continuation: no comment may follow there. */
function rowsEndingInText(lang: Lang, src: string): Set<number> {
  const tree = parse(lang, src);
  const rows = new Set<number>();
  try {
    const visit = (n: Node) => {
      const t = n.type;
      if (/string|comment|raw_string|interpreted_string/.test(t) && n.startPosition.row !== n.endPosition.row) {
        for (let r = n.startPosition.row; r < n.endPosition.row; r++) rows.add(r);
      }
      if (t === 'comment') rows.add(n.startPosition.row);
      for (const c of n.children) if (c) visit(c);
    };
    visit(tree.rootNode);
  } finally {
    tree.delete();
  }
  src.split('\n').forEach((l, i) => { if (/\\\s*$/.test(l) || /want:/.test(l)) rows.add(i); });
  return rows;
}

/** Rows where a statement starts, outside multi-line strings (a blank line may go before them). */
function statementRows(lang: Lang, src: string): Set<number> {
  const tree = parse(lang, src);
  const rows = new Set<number>();
  const inText = rowsEndingInText(lang, src);
  try {
    const visit = (n: Node) => {
      if (/(_statement|_definition|_declaration)$/.test(n.type) && !inText.has(n.startPosition.row - 1)) rows.add(n.startPosition.row);
      for (const c of n.children) if (c) visit(c);
    };
    visit(tree.rootNode);
  } finally {
    tree.delete();
  }
  return rows;
}

function findingsByLine(src: string, lang: Lang, version: string | undefined, map: (row: number) => number | undefined): string[] {
  const idx = new LineIndex(src);
  return analyzeSource(src, lang, { targetVersion: version })
    .map((f) => `${f.rule}@${map(idx.position(f.start).line) ?? `added line ${idx.position(f.start).line}`}`)
    .sort();
}

for (const { file, lang } of fixtureFiles()) {
  const label = path.relative(FIXTURES, file);
  describe(`metamorphic: ${label}`, () => {
    const src = fs.readFileSync(file, 'utf8');
    const version = lang === 'go' ? goVersionFor(file) : undefined;
    const mark = lang === 'python' ? '#' : '//';

    it('finds the same with a trailing comment on every line', () => {
      const skip = rowsEndingInText(lang, src);
      const out = src.split('\n').map((l, i) => (l.trim() && !skip.has(i) ? `${l}  ${mark} note` : l)).join('\n');
      assert.deepStrictEqual(findingsByLine(out, lang, version, (r) => r), findingsByLine(src, lang, version, (r) => r));
    });

    it('finds the same with a blank line before every statement', () => {
      const rows = statementRows(lang, src);
      const lines = src.split('\n');
      const out: string[] = [];
      const back: number[] = [];
      lines.forEach((l, i) => {
        if (rows.has(i)) { out.push(''); back.push(-1); }
        out.push(l); back.push(i);
      });
      const mapped = (r: number) => (back[r] >= 0 ? back[r] : undefined);
      assert.deepStrictEqual(findingsByLine(out.join('\n'), lang, version, mapped), findingsByLine(src, lang, version, (r) => r));
    });
  });
}
