// Every rule: registered with complete docs, a fixture whose markers match the findings exactly, a golden
// fixed file, fixes that re-parse, compile, do not overlap and converge, and docs examples that behave.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { analyzeSource, fixSource, initEngine, RULES } from '../server/src/engine';
import { FASTER, measured } from '../rules/measured';
import { applyEdits } from '../server/src/core/fixes';
import { actual, describeDiff, expectations, hasSyntaxErrors, pyCompileAll } from './harness';

const FIXTURES = path.join(__dirname, 'fixtures');
const EXT = { python: 'py', go: 'go' } as const;

before(async () => { await initEngine(); });

describe('rule registry', () => {
  it('has unique ids of the form <language>/<name>', () => {
    const ids = RULES.map((r) => r.meta.id);
    assert.strictEqual(new Set(ids).size, ids.length);
    for (const r of RULES) assert.match(r.meta.id, new RegExp(`^${r.meta.language}/[a-z0-9-]+$`));
  });
  it('rules whose fix measured no faster are information or hint, never warnings', () => {
    for (const rule of RULES) {
      const m = measured(rule.meta.id);
      if (m && m.ratio < FASTER) assert.ok(['information', 'hint'].includes(rule.meta.severity), `${rule.meta.id}: ${m.ratio}x but ${rule.meta.severity}`);
    }
  });
  for (const rule of RULES) {
    it(`${rule.meta.id} has complete docs and a fixture`, () => {
      for (const k of ['what', 'why', 'example', 'useInstead', 'fixSafety'] as const) assert.ok(rule.meta.docs[k].length > 10, `docs.${k}`);
      const short = rule.meta.id.split('/')[1];
      const ext = EXT[rule.meta.language];
      assert.ok(fs.existsSync(path.join(FIXTURES, rule.meta.language, `${short}.${ext}`)), 'fixture exists');
      if (rule.meta.fix !== 'none') assert.ok(fs.existsSync(path.join(FIXTURES, rule.meta.language, `${short}.fixed.${ext}`)), 'golden fixed file exists');
    });
  }
});

for (const rule of RULES) {
  const short = rule.meta.id.split('/')[1];
  const lang = rule.meta.language;
  const ext = EXT[lang];
  const fixture = path.join(FIXTURES, lang, `${short}.${ext}`);
  const golden = path.join(FIXTURES, lang, `${short}.fixed.${ext}`);

  describe(rule.meta.id, () => {
    const text = () => fs.readFileSync(fixture, 'utf8');

    it('finds exactly the marked lines (every unmarked line is clean for every rule)', () => {
      const src = text();
      const want = expectations(src);
      assert.ok(want.some((w) => w.rule === rule.meta.id), 'the fixture marks at least one finding of this rule');
      const got = actual(src, analyzeSource(src, lang));
      const diff = describeDiff(want, got);
      assert.strictEqual(diff, '', diff);
    });

    it('offers fixes that apply alone without syntax errors or overlapping edits, and compile', () => {
      const src = text();
      const findings = analyzeSource(src, lang).filter((f) => f.rule === rule.meta.id && f.fix);
      if (rule.meta.fix !== 'none') assert.ok(findings.length > 0, 'at least one finding in the fixture has a fix');
      const outputs = findings.map((f, i) => {
        const out = applyEdits(src, f.fix!.edits);              // throws on overlapping edits
        assert.ok(!hasSyntaxErrors(lang, out), `fix ${i} (${f.fix!.title}) leaves a syntax error`);
        return { name: `${short}-${i}.py`, text: out };
      });
      if (lang === 'python') assert.deepStrictEqual(pyCompileAll(outputs), []);
    });

    if (rule.meta.fix !== 'none') {
      it('fixes the whole file to the golden file, which compiles and converges', () => {
        const src = text();
        const result = fixSource(src, lang, { unsafe: true, only: rule.meta.id });
        assert.ok(result.converged, 'fixes converge');
        if (process.env.UPDATE_GOLDEN) fs.writeFileSync(golden, result.text);
        assert.strictEqual(result.text, fs.readFileSync(golden, 'utf8'));
        assert.ok(!hasSyntaxErrors(lang, result.text), 'fixed file parses');
        if (lang === 'python') assert.deepStrictEqual(pyCompileAll([{ name: `${short}.fixed.py`, text: result.text }]), []);
        const again = fixSource(result.text, lang, { unsafe: true, only: rule.meta.id });
        assert.strictEqual(again.text, result.text, 'a second pass applies nothing new');
      });
    }

    it('flags the docs example and not the suggested replacement', () => {
      const bad = analyzeSource(rule.meta.docs.example, lang).filter((f) => f.rule === rule.meta.id);
      assert.ok(bad.length >= 1, 'the example is flagged');
      const good = analyzeSource(rule.meta.docs.useInstead, lang).filter((f) => f.rule === rule.meta.id);
      assert.strictEqual(good.length, 0, 'the replacement is clean');
    });
  });
}
