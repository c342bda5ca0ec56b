// The analysis core on its own: rule failures, suppressions, overlapping fixes, offsets, source decoding.
import * as assert from 'assert';
import { analyzeText } from '../analysis/analyze';
import { codeContext, demoted, isTestPath } from '../analysis/context';
import { describeDetails, expectations } from './harness';
import * as fc from 'fast-check';
import { applyEdits, nonOverlapping } from '../analysis/fixes';
import { Query } from 'web-tree-sitter';
import { capturesIn, language, parse } from '../analysis/parse';
import { initEngine as initParsers } from '../server/src/engine';
import { decodeSource } from '../server/src/workspace/source';
import { LineIndex } from '../analysis/text';
import type { Rule } from '../analysis/types';
import { RULES } from '../rules/index';

before(async () => {
  await initParsers();
});

const importInLoop = RULES.find((r) => r.meta.id === 'python/import-in-loop')!;

describe('engine', () => {
  it('reports a throwing rule once and goes on with the others', () => {
    const broken: Rule = {
      meta: { ...importInLoop.meta, id: 'python/broken' },
      query: '(import_statement) @node',
      check() {
        throw new Error('boom');
      },
    };
    const errors: string[] = [];
    const src = 'for a in b:\n    import os\n    import sys\n';
    const found = analyzeText(src, 'python', { rules: [broken, importInLoop], onRuleError: (id, e) => errors.push(`${id}: ${(e as Error).message}`) });
    assert.deepStrictEqual(errors, ['python/broken: boom']);
    assert.deepStrictEqual(
      found.map((f) => f.rule),
      ['python/import-in-loop', 'python/import-in-loop'],
    );
  });

  it('honours suppressions at the end of the line, on the line above, by id or short name, and bare', () => {
    const src = [
      'for a in b:',
      '    import os  # hotspots: ignore[import-in-loop]',
      '    # hotspots: ignore[python/import-in-loop]',
      '    import sys',
      '    import re  # hotspots: ignore',
      '    import io  # hotspots: ignore[quadratic-concat]',
      '    x = "# hotspots: ignore"; import gc',
    ].join('\n');
    const found = analyzeText(src, 'python', { rules: RULES });
    const lines = new LineIndex(src);
    assert.deepStrictEqual(
      found.map((f) => [lines.position(f.start).line + 1, f.rule]),
      [
        [6, 'python/import-in-loop'],
        [6, 'hotspots/unused-suppression'], // it names quadratic-concat, which is not on that line
        [7, 'python/import-in-loop'],
      ],
    );
  });

  it('honours ignore-file near the top, and reports suppressions that silence nothing, with a fix that removes them', () => {
    const src = [
      '# hotspots: ignore-file[import-in-loop]',
      'for a in b:',
      '    import os',
      '    x = 1  # hotspots: ignore[quadratic-concat]',
      '    # hotspots: ignore',
      '    y = 2',
      '',
    ].join('\n');
    const found = analyzeText(src, 'python', { rules: RULES });
    const lines = new LineIndex(src);
    assert.deepStrictEqual(
      found.map((f) => [lines.position(f.start).line + 1, f.rule, f.severity]),
      [
        [4, 'hotspots/unused-suppression', 'hint'],
        [5, 'hotspots/unused-suppression', 'hint'],
      ],
    );
    let out = src;
    for (const f of [...found].reverse()) out = applyEdits(out, f.fix!.edits);
    assert.strictEqual(out, '# hotspots: ignore-file[import-in-loop]\nfor a in b:\n    import os\n    x = 1\n    y = 2\n');
    // Far from the top, ignore-file does nothing (and a suppression of a rule that is off is not reported).
    const late = '\n'.repeat(30) + '# hotspots: ignore-file[import-in-loop]\nfor a in b:\n    import os  # hotspots: ignore[quadratic-concat]\n';
    assert.deepStrictEqual(
      analyzeText(late, 'python', { rules: RULES, settings: { 'quadratic-concat': 'off' } }).map((f) => f.rule),
      ['python/import-in-loop'],
    );
    assert.deepStrictEqual(analyzeText('x = 1  # hotspots: ignore\n', 'python', { rules: RULES, settings: { 'unused-suppression': 'off' } }), []);
  });

  it('turns rules off and changes severities from settings', () => {
    const src = 'for a in b:\n    import os\n';
    assert.deepStrictEqual(analyzeText(src, 'python', { rules: RULES, settings: { 'import-in-loop': 'off' } }), []);
    assert.strictEqual(analyzeText(src, 'python', { rules: RULES, settings: { 'python/import-in-loop': 'hint' } })[0].severity, 'hint');
  });
});

describe('names a star import may bind', () => {
  it('blocking-io-in-async takes `p: Path` for a Path after `from pathlib import *`, and not after a star import of another module', () => {
    const blocking = RULES.filter((r) => r.meta.id === 'python/blocking-io-in-async');
    const src = (module: string) => `from ${module} import *\n\n\nasync def load(p: Path):\n    return p.read_text()\n`;
    assert.strictEqual(analyzeText(src('pathlib'), 'python', { rules: blocking }).length, 1);
    // The name is the evidence only when the star import is pathlib's.
    assert.strictEqual(analyzeText(src('shapes'), 'python', { rules: blocking }).length, 0);
  });
});

describe('queries over a range', () => {
  it('capturesIn takes character offsets (as Node.startIndex gives them), after non-ASCII text too', () => {
    const src = '# héllo 🙂 wörld\ndef a():\n    x = 1\n\ndef b():\n    y = 2\n\ndef c():\n    z = 3\n';
    const tree = parse('python', src);
    const q = new Query(language('python'), '(assignment) @a');
    try {
      const b = src.indexOf('def b'),
        c = src.indexOf('def c');
      assert.deepStrictEqual(
        capturesIn(q, tree.rootNode, b, c).map((x) => x.node.text),
        ['y = 2'],
      );
      const fnB = tree.rootNode.namedChildren.find((n) => n?.text.startsWith('def b'))!;
      assert.deepStrictEqual(
        capturesIn(q, fnB, fnB.startIndex, fnB.endIndex).map((x) => x.node.text),
        ['y = 2'],
      );
      // What web-tree-sitter itself does with the same numbers (bytes of UTF-16): if an upgrade changes this,
      // capturesIn must change with it.
      assert.notDeepStrictEqual(
        q.captures(tree.rootNode, { startIndex: b, endIndex: c }).map((x) => x.node.text),
        ['y = 2'],
      );
    } finally {
      q.delete();
      tree.delete();
    }
  });
});

describe('fixes', () => {
  it('drops fixes whose edits overlap an earlier fix, including two insertions at one point', () => {
    const fix = (start: number, end: number) => ({ fix: { title: '', applicability: 'safe' as const, edits: [{ start, end, text: 'x' }] } });
    const kept = nonOverlapping([fix(0, 2), fix(1, 3), fix(5, 5), fix(5, 5), fix(3, 4)]);
    assert.deepStrictEqual(
      kept.map((k) => k.fix.edits[0].start),
      [0, 3, 5],
    );
    assert.throws(
      () =>
        applyEdits('abcdef', [
          { start: 0, end: 3, text: '' },
          { start: 2, end: 4, text: '' },
        ]),
      /overlapping/,
    );
    assert.strictEqual(
      applyEdits('abcdef', [
        { start: 4, end: 6, text: 'Z' },
        { start: 0, end: 1, text: 'Y' },
      ]),
      'YbcdZ',
    );
  });

  it("drops an insertion strictly inside another fix's replaced text (applyEdits could not apply both)", () => {
    const fix = (...edits: Array<[number, number]>) => ({
      fix: { title: '', applicability: 'safe' as const, edits: edits.map(([start, end]) => ({ start, end, text: 'x' })) },
    });
    assert.deepStrictEqual(nonOverlapping([fix([5, 10]), fix([7, 7])]).length, 1);
    assert.deepStrictEqual(nonOverlapping([fix([7, 7]), fix([0, 1], [5, 10])]).length, 1);
    // Touching is fine: an insertion at either end of a replaced range.
    assert.deepStrictEqual(nonOverlapping([fix([5, 10]), fix([10, 10])]).length, 2);
  });

  it('keeps only fixes that applyEdits can apply together, for any edits (property)', () => {
    const edit = fc.tuple(fc.nat(30), fc.nat(6)).map(([start, len]) => ({ start, end: start + len, text: 'x' }));
    const item = fc.array(edit, { minLength: 1, maxLength: 3 }).map((edits) => ({ fix: { title: '', applicability: 'safe' as const, edits } }));
    fc.assert(
      fc.property(fc.array(item, { maxLength: 8 }), (items) => {
        const kept = nonOverlapping(items);
        applyEdits(
          'x'.repeat(40),
          kept.flatMap((k) => k.fix.edits),
        ); // throws on overlapping edits
      }),
      { seed: 20261201, numRuns: 2000 },
    );
  });
});

describe('text', () => {
  it('maps UTF-16 offsets to lines, UTF-16 columns and code-point columns', () => {
    const src = 'a = "😀é"\r\nb = 1\rc = 2\n';
    const idx = new LineIndex(src);
    const b = src.indexOf('b');
    assert.deepStrictEqual(idx.position(b), { line: 1, character: 0 });
    assert.deepStrictEqual(idx.position(src.indexOf('c')), { line: 2, character: 0 });
    const quote = src.lastIndexOf('"');
    assert.deepStrictEqual(idx.position(quote), { line: 0, character: 8 });
    assert.deepStrictEqual(idx.codePointPosition(quote), { line: 0, character: 7 });
    assert.strictEqual(idx.offset({ line: 1, character: 0 }), b);
  });

  it('refuses binary, invalid UTF-8 and oversized input with a reason', () => {
    assert.deepStrictEqual(decodeSource(Buffer.from('x = 1\n')), { ok: true, text: 'x = 1\n', bytes: Buffer.from('x = 1\n'), encoding: 'utf-8', bom: false });
    const bom = decodeSource(Buffer.from('\ufeffx = 1\n'));
    assert.ok(bom.ok && bom.bom && bom.text === 'x = 1\n');
    const latin1 = decodeSource(Buffer.from('# -*- coding: latin-1 -*-\nx = "caf\xe9"\n', 'latin1'));
    assert.ok(latin1.ok && latin1.encoding === 'latin-1' && latin1.text.endsWith('x = "café"\n'));
    assert.deepStrictEqual(decodeSource(Buffer.from([0x78, 0x00])), { ok: false, reason: 'skipped: binary file (NUL byte)' });
    assert.deepStrictEqual(decodeSource(Buffer.from([0x78, 0xff, 0xfe])), { ok: false, reason: 'skipped: not valid UTF-8' });
    assert.strictEqual(decodeSource(Buffer.alloc(10, 0x61), 5).ok, false);
  });
});

describe('code contexts (test and start-up code)', () => {
  it('knows test files by the conventions of pytest, unittest and the go tool', () => {
    for (const f of [
      'pkg/test_api.py',
      'pkg/api_test.py',
      'conftest.py',
      'server/handler_test.go',
      'tests/helpers.py',
      'src/pkg/testing/util.py',
      'a\\tests\\b.py',
    ])
      assert.ok(isTestPath(f), f);
    for (const f of ['pkg/api.py', 'contest.py', 'testament.py', 'server/handler.go', 'latest/x.py', 'pkg/tests.py']) assert.ok(!isTestPath(f), f);
  });

  it('finds start-up code (module level, the __main__ guard, Go init and main) and test functions', async () => {
    await initParsers();
    const at = (lang: 'python' | 'go', src: string, word: string, project = {}) => {
      const t = parse(lang, src);
      try {
        return codeContext(t.rootNode.descendantForIndex(src.indexOf(word))!, lang, project);
      } finally {
        t.delete();
      }
    };
    const py =
      'for x in xs:\n    a = 1\n\nclass C:\n    b = 2\n    def m(self):\n        c = 3\n\ndef test_thing():\n    d = 4\n\nclass TestApi:\n    def test_get(self):\n        e = 5\n    def helper(self):\n        f = 6\n\nif __name__ == "__main__":\n    g = 7\n';
    assert.strictEqual(at('python', py, 'a = 1'), 'startup');
    assert.strictEqual(at('python', py, 'b = 2'), 'startup');
    assert.strictEqual(at('python', py, 'c = 3'), undefined);
    assert.strictEqual(at('python', py, 'd = 4'), 'test');
    assert.strictEqual(at('python', py, 'e = 5'), 'test');
    assert.strictEqual(at('python', py, 'f = 6'), undefined);
    assert.strictEqual(at('python', py, 'g = 7'), 'startup');
    assert.strictEqual(at('python', py, 'c = 3', { testFile: true }), 'test');
    const go = 'package main\n\nvar table = build(func() int { return a1 })\n\nfunc init() { b2() }\n\nfunc main() { c3() }\n\nfunc work() { d4() }\n';
    assert.strictEqual(at('go', go, 'a1'), 'startup');
    assert.strictEqual(at('go', go, 'b2'), 'startup');
    assert.strictEqual(at('go', go, 'c3'), 'startup');
    assert.strictEqual(at('go', go, 'd4'), undefined);
    assert.strictEqual(at('go', go.replace('package main', 'package lib'), 'c3'), undefined);
  });

  it("demotes a performance finding to the context's severity, never raises it, and can drop it", () => {
    assert.strictEqual(demoted('warning', 'test', undefined), 'hint');
    assert.strictEqual(demoted('warning', 'startup', { startup: 'information' }), 'information');
    assert.strictEqual(demoted('hint', 'test', { tests: 'warning' }), 'hint');
    assert.strictEqual(demoted('warning', 'test', { tests: 'default' }), 'warning');
    assert.strictEqual(demoted('error', 'test', { tests: 'off' }), 'off');
  });
});

describe('fixture markers', () => {
  it('read rules, message patterns and fix classes, and report what the findings do not satisfy', () => {
    const src = 'a = 1  # want: python/x "one, two" fix=safe, python/y\n# want: go/z fix=none\nb = 2\n';
    const want = expectations(src);
    assert.deepStrictEqual(
      want.map((w) => [w.line, w.rule, w.message?.source, w.fix]),
      [
        [0, 'python/x', 'one, two', 'safe'],
        [0, 'python/y', undefined, undefined],
        [2, 'go/z', undefined, 'none'],
      ],
    );
    const at = (line: number) => src.split('\n').slice(0, line).join('\n').length + (line ? 1 : 0);
    const finding = (rule: string, line: number, message: string, fix?: 'safe' | 'unsafe') => ({
      rule,
      message,
      severity: 'warning' as const,
      start: at(line),
      end: at(line) + 1,
      fix: fix && { title: '', applicability: fix, edits: [] },
    });
    assert.strictEqual(
      describeDetails(want, src, [finding('python/x', 0, 'one, two, three', 'safe'), finding('python/y', 0, 'any'), finding('go/z', 2, 'z')]),
      '',
    );
    const bad = describeDetails(want, src, [finding('python/x', 0, 'three', 'unsafe'), finding('go/z', 2, 'z', 'safe')]);
    assert.match(bad, /line 1: python\/x: no message matches/);
    assert.match(bad, /line 1: python\/x: fix is unsafe, marked fix=safe/);
    assert.match(bad, /line 3: go\/z: fix is safe, marked fix=none/);
    assert.throws(() => expectations('a = 1  # want: python/x "unclosed\n'), /cannot read the want marker/);
  });
});
