// Re-analysis after an edit runs the rules only on the top-level statements the edit reaches, and keeps the other
// statements' findings. These cases each change what a rule concludes in a definition the edit did not touch
// (through a name it looked up across the file); the result must be what a whole analysis of the new text gives.
import * as assert from 'assert';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyzeDocument, analyzeSource, initEngine } from '../server/src/engine';
import type { Finding, LanguageId } from '../analysis/types';
import { OpenDocument } from '../server/src/lsp/documents';

/** Analyses `src`, replaces the first `from` with `to`, analyses again from the kept state, and checks it against a whole analysis. */
function afterEdit(lang: LanguageId, src: string, from: string, to: string) {
  const od = new OpenDocument(TextDocument.create(`file:///t.${lang === 'go' ? 'go' : 'py'}`, lang, 1, src), lang);
  try {
    const opts = { targetVersion: lang === 'go' ? '1.21' : undefined };
    const first = analyzeDocument(od.currentTree(), od.text, lang, undefined, opts);
    od.analysis = first.state;
    const at = src.indexOf(from);
    assert.ok(at >= 0, `${from} is in the source`);
    od.applyChanges([{ range: { start: od.doc.positionAt(at), end: od.doc.positionAt(at + from.length) }, text: to }], 2);
    const second = analyzeDocument(od.currentTree(), od.text, lang, od.analysis, opts);
    assert.deepStrictEqual(second.findings, analyzeSource(od.text, lang, opts), 'same findings as a whole analysis');
    return { before: first.findings, after: second.findings, ran: second.state.ran, units: second.state.units.length, text: od.text };
  } finally {
    od.dispose();
  }
}
const rules = (fs: Finding[]) => fs.map((f) => f.rule).sort();

describe('incremental analysis', () => {
  before(async () => {
    await initEngine();
  });

  it('an edit inside one def runs the rules on that def only; the others keep their findings, moved with the text', () => {
    const src =
      'import json\n\n\ndef a(rows):\n    out = ""\n    for r in rows:\n        out += str(r)\n    return out\n\n\ndef b(rows):\n    for r in rows:\n        import csv\n        csv.writer(r)\n';
    const r = afterEdit('python', src, '    out = ""\n', '    out = ""\n    # a comment\n    # and another\n');
    assert.strictEqual(r.ran, 1);
    assert.ok(r.units > 2);
    assert.deepStrictEqual(rules(r.after), rules(r.before));
    const moved = r.after.find((f) => f.rule === 'python/import-in-loop')!;
    assert.strictEqual(r.text.slice(moved.start, moved.end), 'import csv');
  });

  it('a top-level class is analysed method by method: an edit inside one method runs that method only', () => {
    const src =
      'class Report:\n    """Lines."""\n\n    def render(self, rows):\n        out = ""\n        for r in rows:\n            out += str(r)\n        return out\n\n    def load(self, names):\n        for n in names:\n            import csv\n            csv.reader(n)\n';
    const r = afterEdit('python', src, '        return out\n', '        # done\n        return out\n');
    assert.strictEqual(r.ran, 1);
    assert.deepStrictEqual(rules(r.after), ['python/import-in-loop', 'python/quadratic-concat']);
  });

  it('python: a class header re-run for a name it reads keeps the finding in its decorator', () => {
    // The header reads `requests`; a new use of it in a method re-runs the header piece on its own.
    const src = 'import requests\n\n\n@register(requests.get("http://example.com/config"))\nclass Client:\n    def ping(self):\n        return 1\n';
    const r = afterEdit('python', src, 'return 1', 'return requests.head("http://example.com", timeout=1)');
    assert.strictEqual(r.ran, 2);
    assert.deepStrictEqual(rules(r.after), ['python/http-without-timeout']);
    const f = r.after[0];
    assert.strictEqual(r.text.slice(f.start, f.end), 'requests.get("http://example.com/config")');
  });

  it('python: a method that trims the list clears the unbounded-history finding in __init__', () => {
    const src =
      'class Collector:\n    def __init__(self):\n        self.history = []\n\n    def record(self, e):\n        self.history.append(e)\n\n    def reset(self):\n        pass\n';
    const r = afterEdit('python', src, '        pass\n', '        self.history.clear()\n');
    assert.ok(r.before.some((f) => f.rule === 'python/unbounded-history'));
    assert.ok(!r.after.some((f) => f.rule === 'python/unbounded-history'));
  });

  it('a new module-level import changes what every def may read: all of them are analysed', () => {
    const src = 'import json\n\n\ndef a(rows):\n    for r in rows:\n        import csv\n';
    assert.strictEqual(afterEdit('python', src, 'import json\n', 'import json\nimport csv\n').ran, 'all');
  });

  it('python: binding the name elsewhere withdraws the fix that would hoist an import to module level', () => {
    const src = 'def f(rows):\n    for r in rows:\n        import json\n        print(json.dumps(r))\n\n\ndef g():\n    return 1\n';
    const r = afterEdit('python', src, '    return 1\n', '    global json\n    json = 1\n');
    assert.ok(r.before.find((f) => f.rule === 'python/import-in-loop')?.fix);
    assert.ok(!r.after.find((f) => f.rule === 'python/import-in-loop')?.fix);
  });

  it('python: another line of the statement that loads a module into a global changes what a call in another def is', () => {
    const src =
      'import pytest  # the client: requests, or json\n\n\ndef setup():\n    global client\n    client = pytest.importorskip(\n        "requests"\n    )\n\n\ndef fetch(url):\n    return client.get(url)\n';
    const r = afterEdit('python', src, '"requests"', '"json"');
    assert.ok(r.before.some((f) => f.rule === 'python/http-without-timeout'));
    assert.ok(!r.after.some((f) => f.rule === 'python/http-without-timeout'));
  });

  it('python: calling a function in a loop from another def makes its requests call a finding', () => {
    const src = 'import requests\n\n\ndef fetch(url):\n    return requests.get(url, timeout=5)\n\n\ndef main(urls):\n    return fetch(urls[0])\n';
    const r = afterEdit('python', src, 'return fetch(urls[0])', 'return [fetch(u) for u in urls]');
    assert.ok(!r.before.some((f) => f.rule === 'python/requests-without-session'));
    assert.ok(r.after.some((f) => f.rule === 'python/requests-without-session'));
  });

  it('python: a function that reads a module-level accumulator withdraws the fix of the loop building it', () => {
    const src = 'parts = ""\nfor x in range(10):\n    parts += str(x)\n\n\ndef show():\n    return 1\n';
    const r = afterEdit('python', src, 'return 1', 'return parts');
    assert.ok(r.before.find((f) => f.rule === 'python/quadratic-concat')?.fix);
    assert.ok(!r.after.find((f) => f.rule === 'python/quadratic-concat')?.fix);
  });

  it('python: code in another def that trims the list clears the unbounded-history finding', () => {
    const src =
      'class Collector:\n    def __init__(self):\n        self.history = []\n\n    def record(self, e):\n        self.history.append(e)\n\n\ndef reset(c):\n    c.other.clear()\n';
    const r = afterEdit('python', src, 'c.other.clear()', 'c.history.clear()');
    assert.ok(r.before.some((f) => f.rule === 'python/unbounded-history'));
    assert.ok(!r.after.some((f) => f.rule === 'python/unbounded-history'));
  });

  it('go: a callee that stops converting its parameter is no longer a loop-invariant conversion in its caller', () => {
    const src =
      'package p\n\nimport (\n\t"fmt"\n\t"time"\n)\n\ntype ID struct{ hi, lo uint64 }\n\nfunc (id ID) String() string { return fmt.Sprintf("%x%x", id.hi, id.lo) }\n\n' +
      'func jitter(base time.Duration, id ID) time.Duration {\n\treturn base + time.Duration(len(id.String()))\n}\n\n' +
      'func poll(id ID, n int) {\n\tb := time.Millisecond\n\tfor i := 0; i < n; i++ {\n\t\tb = jitter(b, id)\n\t\ttime.Sleep(b)\n\t}\n}\n';
    const r = afterEdit('go', src, 'len(id.String())', 'id.hi');
    assert.ok(r.before.some((f) => f.rule === 'go/loop-invariant-conversion'));
    assert.ok(!r.after.some((f) => f.rule === 'go/loop-invariant-conversion'));
  });

  it('go: a function reading the fields of a struct type re-runs when the type changes, not when another function mentions its name', () => {
    const src =
      'package p\n\ntype Row struct{ name string }\n\nfunc join(first Row, rows []Row) string {\n\tout := first.name\n\tfor _, r := range rows {\n\t\tout += r.name\n\t}\n\treturn out\n}\n\n' +
      'func Total(v []int) int {\n\ts := 0\n\tfor _, x := range v {\n\t\ts += x\n\t}\n\treturn s\n}\n';
    // `join` reads the definition of Row (the type of first.name); Total's new comment names Rows but declares nothing.
    const elsewhere = afterEdit('go', src, '\ts := 0\n', '\t// Rows are counted elsewhere\n\ts := 0\n');
    assert.strictEqual(elsewhere.ran, 1);
    assert.deepStrictEqual(rules(elsewhere.after), ['go/string-concat-in-loop']);
    // The field turns into a byte slice: the concatenation is no longer of strings.
    const changed = afterEdit('go', src, 'struct{ name string }', 'struct{ name []byte }');
    assert.deepStrictEqual(rules(changed.before), ['go/string-concat-in-loop']);
    assert.deepStrictEqual(rules(changed.after), []);
  });

  it('go: an edit inside one function runs the rules on it only', () => {
    const src =
      'package p\n\nfunc a(xs []string) string {\n\ts := ""\n\tfor _, x := range xs {\n\t\ts += x\n\t}\n\treturn s\n}\n\nfunc b(xs []string) string {\n\tt := ""\n\tfor _, x := range xs {\n\t\tt += x\n\t}\n\treturn t\n}\n';
    const r = afterEdit('go', src, '\treturn s\n', '\t_ = len(s)\n\treturn s\n');
    assert.strictEqual(r.ran, 1);
    assert.deepStrictEqual(rules(r.after), ['go/string-concat-in-loop', 'go/string-concat-in-loop']);
  });
});
