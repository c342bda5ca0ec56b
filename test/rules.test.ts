// Every rule: registered with complete docs, a fixture whose markers match the findings exactly, a golden
// fixed file, fixes that re-parse, compile, do not overlap and converge, and docs examples that behave.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { analyzeSource, type EngineOptions, fixSource, initEngine, RULES } from '../server/src/engine';
import { FASTER, measured, measuredPhrase } from '../rules/measured';
import grading from '../rules/grading.json';
import { applyEdits } from '../analysis/fixes';
import { analyzeText, callNames, resolveCall } from '../analysis/analyze';
import type { Node } from 'web-tree-sitter';
import type { ModuleGraph, Rule, RuleContext } from '../analysis/types';
import { goVersionFor } from '../server/src/workspace/gomod';
import { actual, describeDetails, describeDiff, expectations, goCheck, hasSyntaxErrors, warmGoBuildCache, pyCompileAll } from './harness';

const FIXTURES = path.join(__dirname, 'fixtures');
const EXT = { python: 'py', go: 'go' } as const;

before(async () => {
  await initEngine();
});
before(function () {
  this.timeout(600_000);
  assert.deepStrictEqual(warmGoBuildCache(), []);
});

describe('rule registry', () => {
  it('has unique ids of the form <language>/<name>', () => {
    const ids = RULES.map((r) => r.meta.id);
    assert.strictEqual(new Set(ids).size, ids.length);
    for (const r of RULES) assert.match(r.meta.id, new RegExp(`^${r.meta.language}/[a-z0-9-]+$`));
  });
  it('declared Go calls are resolved: through an aliased import and a dot import (`After(d)`, no fix)', () => {
    const src =
      'package p\n\nimport . "time"\n\nfunc pump(in <-chan int, handle func(int)) {\n\tfor {\n\t\tselect {\n\t\tcase v := <-in:\n\t\t\thandle(v)\n\t\tcase <-After(Minute):\n\t\t\treturn\n\t\t}\n\t}\n}\n';
    const dot = analyzeSource(src, 'go').filter((f) => f.rule === 'go/timer-in-loop');
    assert.deepStrictEqual(
      dot.map((f) => [src.slice(f.start, f.end), !!f.fix]),
      [['After(Minute)', false]],
    );
    const aliased = src.replace('import . "time"', 'import t "time"').replace('<-After(Minute)', '<-t.After(t.Minute)');
    assert.deepStrictEqual(
      analyzeSource(aliased, 'go')
        .filter((f) => f.rule === 'go/timer-in-loop')
        .map((f) => !!f.fix),
      [true],
    );
    // Not a call of time's: a local function named After.
    const local = src.replace('import . "time"', 'import "time"\n\nvar _ = time.Second\n\nfunc After(int) <-chan int { return nil }\n\nconst Minute = 1');
    assert.deepStrictEqual(
      analyzeSource(local, 'go').filter((f) => f.rule === 'go/timer-in-loop'),
      [],
    );
  });
  it('a message quotes the benchmark of its own shape (issue #15: a local str += quoted the bytes-prepend figure)', () => {
    const shapes: Array<[string, string | undefined]> = [
      ['def f(xs):\n    s = ""\n    for x in xs:\n        s += x\n    return s\n', 'local-str'],
      ['S = ""\n\n\ndef f(xs):\n    global S\n    S = ""\n    for x in xs:\n        S += x\n    return S\n', 'global-str'],
      ['def f(xs):\n    b = b""\n    for x in xs:\n        b += x\n    return b\n', 'bytes-append'],
      ['def f(xs):\n    b = b""\n    for x in xs:\n        b = x + b\n    return b\n', undefined],
    ];
    for (const [src, variant] of shapes) {
      const [f] = analyzeSource(src, 'python').filter((x) => x.rule === 'python/quadratic-concat');
      assert.ok(f, src);
      assert.ok(f.message.includes(`Measured: the fix is ${measuredPhrase('python/quadratic-concat', variant)}.`), `${variant ?? 'prepend'}: ${f.message}`);
      for (const other of ['local-str', 'global-str', 'bytes-append', undefined].filter((v) => v !== variant))
        assert.ok(!f.message.includes(measuredPhrase('python/quadratic-concat', other)!), `${variant} quotes ${other}: ${f.message}`);
    }
  });
  it('rules whose fix measured no faster are information or hint, never warnings', () => {
    for (const rule of RULES) {
      const m = measured(rule.meta.id);
      if (m && m.ratio < FASTER) assert.ok(['information', 'hint'].includes(rule.meta.severity), `${rule.meta.id}: ${m.ratio}x but ${rule.meta.severity}`);
    }
  });
  it('the query shortcuts change nothing: without `mentions` and without the shared call-by-name pattern, every fixture, docs example and e2e file gives the same findings', () => {
    // A trailing query comment keeps a rule out of the shared call pattern; dropping `mentions` runs every rule everywhere.
    // A rule declaring its calls runs instead on every call of the file, resolving each itself.
    // (A rule with both runs as two: its declared calls that way, its own query as any other rule's.)
    const bare = RULES.flatMap((r): Rule[] => [
      ...(r.calls
        ? [
            {
              ...r,
              mentions: undefined,
              calls: undefined,
              query: r.meta.language === 'go' ? '(call_expression) @node' : '(call) @node',
              check: (n: Node, ctx: RuleContext) => {
                const q = resolveCall(ctx, n);
                if (q && r.calls!.includes(q)) r.check(n, ctx, { qualified: q });
              },
            },
          ]
        : []),
      ...(r.query !== undefined ? [{ ...r, mentions: undefined, calls: undefined, query: `${r.query}\n; own pattern` }] : []),
    ]);
    assert.ok(RULES.filter((r) => r.calls).length >= 3, 'declared calls are in use');
    assert.ok(RULES.filter((r) => callNames(r)).length >= 6, 'the shared pattern is in use');
    assert.ok(bare.every((r) => !callNames(r)));
    for (const lang of ['python', 'go'] as const) {
      const texts: string[] = RULES.filter((r) => r.meta.language === lang).flatMap((r) => [r.meta.docs.example, r.meta.docs.useInstead]);
      const walk = (d: string) => {
        for (const e of fs.readdirSync(d, { withFileTypes: true })) {
          const p = path.join(d, e.name);
          if (e.isDirectory()) walk(p);
          else if (p.endsWith(`.${EXT[lang]}`)) texts.push(fs.readFileSync(p, 'utf8'));
        }
      };
      walk(path.join(FIXTURES, lang));
      walk(path.join(__dirname, 'e2e', 'workspace'));
      // Many distinct sets of mentioned words, each skipping the captures of a different set of rules: the words go
      // into a comment of a real fixture.
      const words = [...new Set(RULES.filter((r) => r.meta.language === lang).flatMap((r) => r.mentions ?? []))];
      const base = texts[texts.length - 1];
      for (let k = 0; k < 40; k++) texts.push(`${base}\n${lang === 'go' ? '//' : '#'} ${words.filter((_, j) => ((k * 2654435761) >>> j) & 1).join(' ')}\n`);
      for (const t of texts) {
        const key = (rules: typeof bare) =>
          analyzeText(t, lang, { rules, targetVersion: '1.19' })
            .map((f) => `${f.rule}@${f.start}`)
            .join();
        assert.strictEqual(key(RULES as typeof bare), key(bare));
      }
    }
  });
  for (const rule of RULES) {
    it(`${rule.meta.id} has complete docs and a fixture`, () => {
      for (const k of ['what', 'why', 'example', 'useInstead', 'fixSafety'] as const) {
        assert.ok(rule.meta.docs[k].length > 10, `docs.${k}`);
        assert.doesNotMatch(rule.meta.docs[k], /\bTODO\b/, `docs.${k} is still the scaffold's (npm run new-rule)`);
      }
      // The why's claims, checked against the runtime's source or documentation (issue #15): where, on the page.
      assert.ok((rule.meta.docs.references ?? []).length >= 1, 'docs.references: where the why was checked');
      assert.ok((grading.rules as Record<string, string>)[rule.meta.id], 'rules/grading.json: what grading did to the rule');
      for (const r of rule.meta.docs.references ?? []) assert.match(r, /\S.{20,}/, `a reference says what it shows: ${r}`);
      assert.doesNotMatch(rule.meta.title, /\bTODO\b/, 'title');
      const short = rule.meta.id.split('/')[1];
      const ext = EXT[rule.meta.language];
      assert.ok(fs.existsSync(path.join(FIXTURES, rule.meta.language, `${short}.${ext}`)), 'fixture exists');
      if (rule.meta.fix !== 'none') assert.ok(fs.existsSync(path.join(FIXTURES, rule.meta.language, `${short}.fixed.${ext}`)), 'golden fixed file exists');
    });
  }
});

/** A version just below `v` ("1.22" -> "1.21"), for showing a version-gated rule's docs example. */
function below(v: string): string {
  const [major, minor] = v.split('.').map(Number);
  return `${major}.${Math.max(0, minor - 1)}`;
}

/**
 * A rule's fixtures: `fixtures/<language>/<short>.<ext>`, and for Go also one per module folder below it
 * (`go1.21/`, `go1.25/`), each analysed at the version its nearest go.mod gives.
 */
function fixturesOf(lang: 'python' | 'go', short: string): Array<{ file: string; golden: string; safeGolden: string; version?: string; label: string }> {
  const ext = EXT[lang];
  const base = path.join(FIXTURES, lang);
  const dirs = [
    base,
    ...(lang === 'go'
      ? fs
          .readdirSync(base, { withFileTypes: true })
          .filter((d) => d.isDirectory())
          .map((d) => path.join(base, d.name))
      : []),
  ];
  return dirs
    .map((d) => ({
      file: path.join(d, `${short}.${ext}`),
      golden: path.join(d, `${short}.fixed.${ext}`),
      safeGolden: path.join(d, `${short}.safe.fixed.${ext}`),
    }))
    .filter((x) => fs.existsSync(x.file))
    .map((x) => ({ ...x, version: lang === 'go' ? goVersionFor(x.file) : undefined, label: path.relative(base, x.file) }));
}

/** Compiles (Python) or gofmt-checks and vets (Go) fixed sources; returns the problems. */
function compileCheck(lang: 'python' | 'go', sources: Array<{ name: string; text: string }>, version: string | undefined): string[] {
  if (lang === 'python') return pyCompileAll(sources);
  return goCheck(sources, version ?? '1.25', true);
}

for (const rule of RULES) {
  const short = rule.meta.id.split('/')[1];
  const lang = rule.meta.language;
  const fixtures = fixturesOf(lang, short);

  describe(rule.meta.id, () => {
    it('has at least one marked finding across its fixtures', () => {
      assert.ok(fixtures.some((fx) => expectations(fs.readFileSync(fx.file, 'utf8')).some((w) => w.rule === rule.meta.id)));
    });

    for (const fx of fixtures) {
      const text = () => fs.readFileSync(fx.file, 'utf8');
      const opts = fixtureOptions(text(), fx.version);
      const at = fx.version ? ` (${fx.label}, ${lang} ${fx.version})` : ` (${fx.label})`;

      it(`finds exactly the marked lines${at} (every unmarked line is clean for every rule), with the marked messages and fix classes`, () => {
        const src = text();
        const found = analyzeSource(src, lang, opts);
        const want = expectations(src);
        const diff = describeDiff(want, actual(src, found));
        assert.strictEqual(diff, '', diff);
        const details = describeDetails(want, src, found);
        assert.strictEqual(details, '', details);
      });

      it(`offers fixes that apply alone without syntax errors or overlapping edits, and compile${at}`, () => {
        const src = text();
        const findings = analyzeSource(src, lang, opts).filter((f) => f.rule === rule.meta.id && f.fix);
        const outputs = findings.map((f, i) => {
          const out = applyEdits(src, f.fix!.edits); // throws on overlapping edits
          assert.ok(!hasSyntaxErrors(lang, out), `fix ${i} (${f.fix!.title}) leaves a syntax error`);
          return { name: `${short}-${i}.${EXT[lang]}`, text: out };
        });
        // Go: each fix alone must be gofmt-clean (vet needs the whole file fixed: a lone fix may leave an import unused).
        assert.deepStrictEqual(lang === 'python' ? pyCompileAll(outputs) : goCheck(outputs, fx.version ?? '1.25', false), []);
      });

      if (rule.meta.fix !== 'none' && (fs.existsSync(fx.golden) || expectations(text()).some((w) => w.rule === rule.meta.id))) {
        it(`fixes the whole file to the golden file, which compiles and converges${at}`, () => {
          const src = text();
          const result = fixSource(src, lang, { unsafe: true, only: rule.meta.id, ...opts });
          assert.ok(result.converged, 'fixes converge');
          if (process.env.UPDATE_GOLDEN) fs.writeFileSync(fx.golden, result.text);
          assert.strictEqual(result.text, fs.readFileSync(fx.golden, 'utf8'));
          assert.ok(!hasSyntaxErrors(lang, result.text), 'fixed file parses');
          assert.deepStrictEqual(compileCheck(lang, [{ name: `${short}.fixed.${EXT[lang]}`, text: result.text }], fx.version), []);
          const again = fixSource(result.text, lang, { unsafe: true, only: rule.meta.id, ...opts });
          assert.strictEqual(again.text, result.text, 'a second pass applies nothing new');
        });
      }

      // A rule with both kinds of fix has a second golden file: what Fix All, fix-on-save and --fix (safe fixes
      // only) make of the fixture.
      if (rule.meta.fix === 'mixed' && (fs.existsSync(fx.safeGolden) || expectations(text()).some((w) => w.rule === rule.meta.id))) {
        it(`with safe fixes only, fixes the whole file to the safe golden file${rule.meta.before ? '' : ', which compiles'}${at}`, () => {
          const src = text();
          const result = fixSource(src, lang, { unsafe: false, only: rule.meta.id, ...opts });
          assert.ok(result.converged, 'fixes converge');
          if (process.env.UPDATE_GOLDEN) fs.writeFileSync(fx.safeGolden, result.text);
          assert.strictEqual(result.text, fs.readFileSync(fx.safeGolden, 'utf8'));
          // A version gate's unsafe cases are left as they were, so the file still does not build at that version.
          if (!rule.meta.before) assert.deepStrictEqual(compileCheck(lang, [{ name: `${short}.safe.fixed.${EXT[lang]}`, text: result.text }], fx.version), []);
        });
      }

      if (lang === 'go' && !rule.meta.before) {
        it(`is a fixture of valid, gofmt-clean Go${at}`, () => {
          assert.deepStrictEqual(compileCheck(lang, [{ name: `${short}.go`, text: text() }], fx.version), []);
        });
      }
    }

    if (rule.meta.fix !== 'none') {
      it('offers at least one fix across its fixtures', () => {
        assert.ok(
          fixtures.some((fx) => {
            const src = fs.readFileSync(fx.file, 'utf8');
            return findingsWithFix(src, lang, rule.meta.id, fixtureOptions(src, fx.version));
          }),
        );
      });
    }

    it(`emits the fix classes it declares (fix: ${rule.meta.fix}) across its fixtures and docs example`, () => {
      const emitted = new Set<string>();
      for (const fx of fixtures) {
        {
          const src = fs.readFileSync(fx.file, 'utf8');
          for (const f of analyzeSource(src, lang, fixtureOptions(src, fx.version))) if (f.rule === rule.meta.id && f.fix) emitted.add(f.fix.applicability);
        }
      }
      const docsOpts = { targetVersion: rule.meta.before ? below(rule.meta.before) : undefined };
      for (const f of analyzeSource(rule.meta.docs.example, lang, docsOpts)) if (f.rule === rule.meta.id && f.fix) emitted.add(f.fix.applicability);
      const declared = { safe: ['safe'], unsafe: ['unsafe'], mixed: ['safe', 'unsafe'], none: [] }[rule.meta.fix];
      assert.deepStrictEqual([...emitted].sort(), declared, `declares ${rule.meta.fix}, emits ${[...emitted].join(', ') || 'no fix'}`);
    });

    it('flags the docs example exactly once and not the suggested replacement', () => {
      const opts = { targetVersion: rule.meta.before ? below(rule.meta.before) : undefined };
      const all = analyzeSource(rule.meta.docs.example, lang, opts);
      assert.deepStrictEqual(
        all.map((f) => f.rule),
        [rule.meta.id],
        'the example gives exactly one finding, of this rule',
      );
      const good = analyzeSource(rule.meta.docs.useInstead, lang, opts).filter((f) => f.rule === rule.meta.id);
      assert.strictEqual(good.length, 0, 'the replacement is clean');
    });

    if (lang === 'go') {
      it('docs example and replacement are gofmt-clean Go', () => {
        const v = rule.meta.before ? below(rule.meta.before) : '1.19';
        const sources = [
          { name: 'example.go', text: rule.meta.docs.example },
          { name: 'instead.go', text: rule.meta.docs.useInstead },
        ];
        // The example of a version-gated rule does not compile at that version: that is the finding.
        assert.deepStrictEqual(goCheck(rule.meta.before ? sources.slice(1) : sources, v, true), []);
      });
    }
  });
}

/**
 * What a fixture is analysed with: its go line, and for a Python fixture with a line `# first-party: app, lib` a
 * module graph as the server would read from a workspace holding those packages, none importing the fixture back.
 */
function fixtureOptions(src: string, version: string | undefined): EngineOptions {
  const m = /^# first-party: (.+)$/m.exec(src);
  const roots = m ? m[1].split(',').map((x) => x.trim()) : undefined;
  const modules: ModuleGraph | undefined = roots && {
    isFirstParty: (mod) => roots.some((r) => mod === r || mod.startsWith(`${r}.`)),
    importsBack: () => false,
    stamp: 'fixture',
  };
  return { targetVersion: version, ...(modules ? { modules } : {}) };
}

function findingsWithFix(src: string, lang: 'python' | 'go', id: string, opts: EngineOptions): boolean {
  return analyzeSource(src, lang, opts).some((f) => f.rule === id && !!f.fix);
}
