// Go specifics of the engine: go.mod parsing, and fixes that must not import a package into itself or into
// the standard library's own module, or declare one fresh name twice when applied together.
import * as assert from 'assert';
import { analyzeSource, fixSource, initEngine } from '../server/src/engine';
import { parseGoDirective } from '../server/src/workspace/gomod';
import { goCheck, goToolchain } from './harness';

before(async () => {
  await initEngine();
});

const CONCAT = 'package strings\n\nfunc Join(parts []string) string {\n\ts := ""\n\tfor _, p := range parts {\n\t\ts += p\n\t}\n\treturn s\n}\n';

describe('Go', () => {
  it('reads the go directive of go.mod in its forms', () => {
    assert.strictEqual(parseGoDirective('module m\n\ngo 1.21\n'), '1.21');
    assert.strictEqual(parseGoDirective('module m\ngo 1.22.3 // pinned\n'), '1.22');
    assert.strictEqual(parseGoDirective('module m\ngo 1.25rc1\n'), '1.25');
    assert.strictEqual(parseGoDirective('module m\n// go 1.10\ntoolchain go1.23.0\n'), undefined);
    assert.strictEqual(parseGoDirective('module m\n'), undefined);
  });

  it("reports but does not fix when the fix would import the file's own package", () => {
    const found = analyzeSource(CONCAT, 'go').filter((f) => f.rule === 'go/string-concat-in-loop');
    assert.strictEqual(found.length, 1);
    assert.strictEqual(found[0].fix, undefined);
  });

  it("adds no imports inside the standard library's own module (a new import may close a cycle)", () => {
    const src = CONCAT.replace('package strings', 'package sort');
    assert.ok(analyzeSource(src, 'go')[0].fix, 'fixed elsewhere');
    assert.strictEqual(analyzeSource(src, 'go', { goModule: 'std' })[0].fix, undefined);
  });

  it('two fixes that pick the same fresh name land in separate passes and pick different names', () => {
    const src =
      'package m\n\nimport "strings"\n\nfunc f(a, b []string) string {\n\ts := ""\n\tfor _, x := range a {\n\t\ts += x\n\t}\n\tfor _, y := range b {\n\t\ts += y\n\t}\n\treturn strings.TrimSpace(s)\n}\n';
    const out = fixSource(src, 'go').text;
    assert.match(out, /var sb strings\.Builder/);
    assert.match(out, /var sb2 strings\.Builder/);
    if (goToolchain()) assert.deepStrictEqual(goCheck([{ name: 'm.go', text: out }], '1.19', true), []);
  });
});
