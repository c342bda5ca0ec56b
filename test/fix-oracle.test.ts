// The differential fix oracle (issue #15): for every rule with a fix, a runnable program in the shapes the rule
// fixes (test/oracle/<language>/<rule>.py|.go) is run before and after the fix, with python3 and with Go, and what
// each case returned, raised, panicked or printed is compared. Safe fixes must give byte-identical output; what the
// unsafe fixes change is declared, case by case, in rules/fix-oracle.json (the rule pages list it, rules/docs.ts),
// and the observed differences must be exactly the declared ones.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { analyzeSource, fixSource, initEngine, RULES } from '../server/src/engine';
import type { ModuleGraph, Rule } from '../analysis/types';
import { atLeast } from '../analysis/types';
import declaredFile from '../rules/fix-oracle.json';
import { actual, describeDetails, describeDiff, expectations, GO_ENV, goTool } from './harness';

const ORACLE = path.join(__dirname, 'oracle');
const PY_LIB = path.join(ORACLE, 'python', 'lib');
const EXT = { python: 'py', go: 'go' } as const;

interface Difference {
  case: string;
  differs: string;
}
const DECLARED = declaredFile as Record<string, Difference[]>;

/**
 * How a program is analysed and run. Go: `targetVersion` is what the rule is told the code targets (default: the
 * test toolchain's version), the go lines are those of the modules the original and the fixed program run in
 * (default: the toolchain's), `needs` the toolchain the original needs to build at all. A variant with a label
 * runs the same program again under other settings; its cases are declared as `[label] case`.
 */
interface Variant {
  label?: string;
  targetVersion?: string;
  lineBefore?: string;
  lineAfter?: string;
  needs?: string;
  modules?: ModuleGraph;
  safeAtLineBefore?: boolean;
}

/**
 * What the server's import graph says of the program's folder when it runs: the modules of test/oracle/python/lib
 * sit beside it (first-party), and none of them imports the program (prog.py) back.
 */
function libGraph(): ModuleGraph {
  const lib = fs.readdirSync(PY_LIB).filter((f) => f.endsWith('.py'));
  const names = new Set(lib.map((f) => f.slice(0, -3)));
  const back = lib.filter((f) => /^\s*(import|from)\s+prog\b/m.test(fs.readFileSync(path.join(PY_LIB, f), 'utf8'))).map((f) => f.slice(0, -3));
  return { isFirstParty: (m) => names.has(m.split('.')[0]), importsBack: (m) => back.includes(m.split('.')[0]), stamp: 'oracle-lib' };
}

const VARIANTS: Record<string, Variant[]> = {
  // import-in-loop hoists a module outside the standard library only when the workspace shows it first-party and
  // not importing the file back (unsafe: its import-time effects move to module load).
  'python/import-in-loop': [{ modules: libGraph() }],
  // The fix is for code that targets Go 1.21. Ranging over an int is a language feature of Go 1.22, so the original
  // runs at the toolchain's go line and the fixed program at go 1.21, with that version's semantics (one loop
  // variable per three-clause loop). With safe fixes only, the loops left unfixed still need Go 1.22: that program
  // runs at the toolchain's go line (the run of all fixes is the one at go 1.21). WaitGroup.Go is a method of
  // Go 1.25's library: with such a toolchain the original builds at go 1.21 too, so both sides run there.
  'go/range-int-unavailable': [{ targetVersion: '1.21', lineAfter: '1.21', needs: '1.22', safeAtLineBefore: true }],
  'go/waitgroup-go-unavailable': [{ targetVersion: '1.21', lineBefore: '1.21', lineAfter: '1.21', needs: '1.25' }],
  // Below Go 1.23 the fix drains a fired timer before Reset, and the runtime keeps the old timer semantics.
  'go/timer-in-loop': [{}, { label: 'go 1.21', targetVersion: '1.21', lineBefore: '1.21', lineAfter: '1.21' }],
};

function programPath(rule: Rule): string {
  return path.join(ORACLE, rule.meta.language, `${rule.meta.id.split('/')[1]}.${EXT[rule.meta.language]}`);
}

/** What a run showed: stdout, then stderr's lines and the exit status as cases of their own. */
function outcome(r: ReturnType<typeof spawnSync>): string {
  const stderr = String(r.stderr ?? '')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => `(stderr): ${l}\n`)
    .join('');
  const status = r.error ? `(exit): ${String(r.error)}` : r.signal ? `(exit): signal ${r.signal}` : `(exit): ${r.status}`;
  return `${String(r.stdout ?? '')}${stderr}${status}\n`;
}

function withTempDir<T>(prefix: string, f: (dir: string) => T): T {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  try {
    return f(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs a Python program as prog.py in a fresh folder beside test/oracle/python/lib (the oracle module and fakes). */
function runPython(program: string, times: number): string[] {
  return withTempDir('hotspots-oracle-', (dir) => {
    for (const f of fs.readdirSync(PY_LIB)) if (f.endsWith('.py')) fs.copyFileSync(path.join(PY_LIB, f), path.join(dir, f));
    fs.writeFileSync(path.join(dir, 'prog.py'), program);
    const env = { ...process.env, PYTHONHASHSEED: '0', PYTHONDONTWRITEBYTECODE: '1', PYTHONIOENCODING: 'utf-8' };
    return Array.from({ length: times }, (_, i) => {
      const work = path.join(dir, `run${i}`);
      fs.mkdirSync(work);
      return outcome(spawnSync('python3', [path.join(dir, 'prog.py')], { cwd: work, env, encoding: 'utf8', timeout: 30_000 }));
    });
  });
}

/** Builds a Go main package in a module at `goLine` and runs it; a build failure is thrown. */
function runGo(program: string, goLine: string, times: number): string[] {
  const t = goTool()!;
  return withTempDir('hotspots-oracle-go-', (dir) => {
    fs.writeFileSync(path.join(dir, 'go.mod'), `module example.com/oracle\n\ngo ${goLine}\n`);
    fs.writeFileSync(path.join(dir, 'main.go'), program);
    const b = spawnSync(t.go, ['build', '-o', 'prog', '.'], { cwd: dir, env: GO_ENV, encoding: 'utf8', timeout: 300_000 });
    if (b.status !== 0) throw new Error(`go build (module at go ${goLine}) failed:\n${b.stderr}${b.error ?? ''}\n--- the program:\n${program}`);
    return Array.from({ length: times }, () => outcome(spawnSync(path.join(dir, 'prog'), [], { cwd: dir, encoding: 'utf8', timeout: 30_000 })));
  });
}

/** Output lines by case: the text before a line's first ": " names its case. */
function byCase(out: string): Map<string, string[]> {
  const cases = new Map<string, string[]>();
  for (const line of out.split('\n')) {
    if (line === '') continue;
    const i = line.indexOf(': ');
    const key = i > 0 ? line.slice(0, i) : '(unlabelled output)';
    cases.set(key, [...(cases.get(key) ?? []), line]);
  }
  return cases;
}

/** The cases whose lines differ between two runs, each with what it showed before and after. */
function differingCases(before: string, after: string): Map<string, string> {
  const a = byCase(before);
  const b = byCase(after);
  const out = new Map<string, string>();
  for (const key of new Set([...a.keys(), ...b.keys()])) {
    const x = (a.get(key) ?? []).join('\n');
    const y = (b.get(key) ?? []).join('\n');
    if (x !== y) out.set(key, `    before: ${x || '(nothing)'}\n    after:  ${y || '(nothing)'}`);
  }
  return out;
}

/** Lines that differ, for a failure message. */
function lineDiff(before: string, after: string): string {
  return [...differingCases(before, after)].map(([k, v]) => `  ${k}\n${v}`).join('\n');
}

/**
 * The functions of a program (by name) whose marked fixes are all safe: a `def` or `func` line up to the next one
 * at the same or a lesser indentation.
 */
function safeOnlyFunctions(src: string, lang: 'python' | 'go', marks: Array<{ line: number; fix?: string }>): Set<string> {
  const lines = src.split('\n');
  const head = lang === 'python' ? /^(\s*)(?:async\s+)?def\s+(\w+)/ : /^()func\s+(?:\([^)]*\)\s*)?(\w+)/;
  const starts = lines
    .map((l, i) => {
      const m = head.exec(l);
      return m ? { at: i, indent: m[1].length, name: m[2] } : undefined;
    })
    .filter((x) => !!x);
  const out = new Set<string>();
  for (const [k, f] of starts.entries()) {
    const end = starts.slice(k + 1).find((g) => g.indent <= f.indent)?.at ?? lines.length;
    const fixes = marks.filter((m) => m.line > f.at && m.line < end && m.fix !== 'none').map((m) => m.fix);
    if (fixes.length && fixes.every((c) => c === 'safe')) out.add(f.name);
  }
  return out;
}

before(async () => {
  await initEngine();
});

const fixable = RULES.filter((r) => r.meta.fix !== 'none');

describe('fix oracle: programs and declared differences', () => {
  it('every rule with a fix has an oracle program', () => {
    const missing = fixable.filter((r) => !fs.existsSync(programPath(r))).map((r) => path.relative(path.join(__dirname, '..'), programPath(r)));
    assert.deepStrictEqual(missing, []);
  });
  it('rules/fix-oracle.json has one entry per rule with a program, each difference one line, no case twice', () => {
    assert.deepStrictEqual(Object.keys(DECLARED).sort(), fixable.map((r) => r.meta.id).sort());
    for (const [id, diffs] of Object.entries(DECLARED)) {
      const rule = RULES.find((r) => r.meta.id === id)!;
      if (rule.meta.fix === 'safe') assert.deepStrictEqual(diffs, [], `${id}: its fixes are all safe, so nothing may differ`);
      for (const d of diffs) {
        assert.ok(d.case && d.differs && !/\n/.test(d.case + d.differs), `${id}: ${JSON.stringify(d)}`);
      }
      assert.strictEqual(new Set(diffs.map((d) => d.case)).size, diffs.length, `${id}: a case declared twice`);
    }
  });
});

for (const rule of fixable) {
  const id = rule.meta.id;
  const lang = rule.meta.language;
  for (const v of VARIANTS[id] ?? [{}]) {
    const title = `fix oracle: ${id}${v.label ? ` [${v.label}]` : ''}`;
    describe(title, function () {
      this.timeout(lang === 'go' ? 600_000 : 60_000);
      const file = programPath(rule);
      const src = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
      const prefix = v.label ? `[${v.label}] ` : '';
      // Go: what the rule is told the code targets, and the go lines the two sides run at.
      let target: string | undefined;
      let lineBefore = '';
      let lineAfter = '';
      const runs = new Map<string, string>();
      /** Runs a program (once per distinct text and go line); the original twice, which must agree. */
      const run = (text: string, goLine: string, twice = false): string => {
        const key = `${goLine}\n${text}`;
        if (!runs.has(key)) {
          const outs = lang === 'python' ? runPython(text, twice ? 2 : 1) : runGo(text, goLine, twice ? 2 : 1);
          if (twice) assert.ok(outs[1] === outs[0], `the program is not deterministic:\n${lineDiff(outs[0], outs[1])}`);
          runs.set(key, outs[0]);
        }
        return runs.get(key)!;
      };
      const opts = () => ({ targetVersion: target, modules: v.modules });
      const marked = () => expectations(src).filter((e) => e.rule === id);

      before(function () {
        assert.ok(src, `${file} exists`);
        if (lang === 'go') {
          const t = goTool();
          if (!t) {
            console.log(`      skipped: no Go toolchain (scripts/go-toolchain.sh found none; apt-get install golang-go)`);
            this.skip();
          }
          if (v.needs && !atLeast(t!.version, v.needs)) {
            console.log(`      skipped: the original needs Go ${v.needs} to build, the toolchain is Go ${t!.version}`);
            this.skip();
          }
          target = v.targetVersion ?? t!.version;
          lineBefore = v.lineBefore ?? t!.version;
          lineAfter = v.lineAfter ?? t!.version;
        }
      });

      it('the rule fires where the program marks it, with fixes of the marked classes', () => {
        const found = analyzeSource(src, lang, opts()).filter((f) => f.rule === id);
        const want = marked();
        const problems = [describeDiff(want, actual(src, found)), describeDetails(want, src, found)].filter(Boolean).join('\n');
        assert.strictEqual(problems, '', problems);
        assert.ok(
          want.every((w) => w.fix),
          'every marker says its fix class (fix=safe|unsafe|none)',
        );
        const count = (c: string) => want.filter((w) => w.fix === c).length;
        if (rule.meta.fix === 'safe' || rule.meta.fix === 'mixed') assert.ok(count('safe') >= 2, `at least two safe fixes exercised, ${count('safe')} marked`);
        if (rule.meta.fix === 'unsafe' || rule.meta.fix === 'mixed')
          assert.ok(count('unsafe') >= 2, `at least two unsafe fixes exercised, ${count('unsafe')} marked`);
        if (rule.meta.fix === 'safe') assert.strictEqual(count('unsafe'), 0, 'a rule whose fixes are all safe');
        if (rule.meta.fix === 'unsafe') assert.strictEqual(count('safe'), 0, 'a rule whose fixes are all unsafe');
      });

      it('safe fixes: the output is byte-identical', () => {
        const safe = marked().filter((w) => w.fix === 'safe').length;
        const fixed = fixSource(src, lang, { ...opts(), only: id });
        if (!safe) {
          assert.strictEqual(fixed.text, src, 'no safe fix is offered');
          return;
        }
        // Converged: no pass found another fix to take, so every safe fix offered was applied.
        assert.ok(fixed.converged && fixed.applied[id], `the safe fixes are applied and converge (${fixed.passes} passes)`);
        const before = run(src, lineBefore, true);
        assert.match(before, /\(exit\): 0\n$/, `the original program fails:\n${before}`);
        const after = run(fixed.text, v.safeAtLineBefore ? lineBefore : lineAfter);
        assert.ok(before === after, `the safe fixes changed the output:\n${lineDiff(before, after)}\n--- fixed program:\n${fixed.text}`);
      });

      it('all fixes: the output differs exactly in the cases rules/fix-oracle.json declares', () => {
        const fixed = fixSource(src, lang, { ...opts(), unsafe: true, only: id });
        assert.ok(fixed.converged && fixed.applied[id], `the fixes are applied and converge (${fixed.passes} passes)`);
        const before = run(src, lineBefore, true);
        assert.match(before, /\(exit\): 0\n$/, `the original program fails:\n${before}`);
        const after = run(fixed.text, lineAfter);
        const observed = differingCases(before, after);
        // A case is named after the function it calls: one whose fixes are all safe must not differ at all.
        const safeOnly = [...observed.keys()].filter((k) => safeOnlyFunctions(src, lang, marked()).has(k.split('(')[0].split('.').pop()!));
        assert.deepStrictEqual(safeOnly, [], 'cases of functions whose fixes are all safe differ');
        const declared = new Set(
          (DECLARED[id] ?? [])
            .map((d) => d.case)
            .filter((c) => (v.label ? c.startsWith(prefix) : !/^\[/.test(c)))
            .map((c) => c.slice(prefix.length)),
        );
        const undeclared = [...observed].filter(([k]) => !declared.has(k)).map(([k, d]) => `  ${prefix}${k}\n${d}`);
        const stale = [...declared].filter((k) => !observed.has(k)).map((k) => `  ${prefix}${k}`);
        assert.ok(
          !undeclared.length && !stale.length,
          [
            undeclared.length ? `differences not declared in rules/fix-oracle.json:\n${undeclared.join('\n')}` : '',
            stale.length ? `declared in rules/fix-oracle.json but not observed:\n${stale.join('\n')}` : '',
            `--- fixed program:\n${fixed.text}`,
          ]
            .filter(Boolean)
            .join('\n'),
        );
      });
    });
  }
}
