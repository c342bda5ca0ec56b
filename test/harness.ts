// Fixture harness: inline `# want: <rule>` markers, golden fixed files, and checks on every fix.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { applyEdits } from '../analysis/fixes';
import { countErrors, parse } from '../analysis/parse';
import { LineIndex } from '../analysis/text';
import { atLeast, type Finding, type LanguageId } from '../analysis/types';

export interface Expectation {
  line: number;
  rule: string;
  /** `"regex"` after the rule: the finding's message must match it. */
  message?: RegExp;
  /** `fix=safe|unsafe|none`: the finding's fix must be of that class (none: no fix offered). */
  fix?: 'safe' | 'unsafe' | 'none';
}

const MARKER = /(#|\/\/)\s*want:\s*(.+)$/;
/** One expectation of a marker: `<rule>`, then optionally `"message regex"` and `fix=safe|unsafe|none`. */
const ITEM = /\s*([\w-]+\/[\w-]+)(?:\s+"((?:[^"\\]|\\.)*)")?(?:\s+fix=(safe|unsafe|none))?\s*(?:,|$)/y;

function parseItems(spec: string, line: number): Array<Omit<Expectation, 'line'>> {
  const out: Array<Omit<Expectation, 'line'>> = [];
  ITEM.lastIndex = 0;
  while (ITEM.lastIndex < spec.trimEnd().length) {
    const at = ITEM.lastIndex;
    const m = ITEM.exec(spec);
    if (!m) throw new Error(`line ${line + 1}: cannot read the want marker at "${spec.slice(at)}"`);
    out.push({
      rule: m[1],
      ...(m[2] !== undefined ? { message: new RegExp(m[2].replace(/\\"/g, '"')) } : {}),
      ...(m[3] ? { fix: m[3] as Expectation['fix'] } : {}),
    });
  }
  return out;
}

/** Reads markers: at a line's end they apply to that line; alone on a line, to the next line with code. */
export function expectations(text: string): Expectation[] {
  const lines = text.split(/\r?\n/);
  const out: Expectation[] = [];
  let pending: Array<Omit<Expectation, 'line'>> = [];
  lines.forEach((line, i) => {
    const m = MARKER.exec(line);
    const code = m ? line.slice(0, m.index).trim() : line.trim();
    const items = m ? parseItems(m[2], i) : [];
    if (m && code === '') {
      pending.push(...items);
      return;
    }
    if (code === '' || code.startsWith('#') || code.startsWith('//')) return;
    for (const r of [...pending, ...items]) out.push({ line: i, ...r });
    pending = [];
  });
  return out;
}

/**
 * What the markers' message and fix assertions say that the findings do not satisfy (each marked line and rule
 * is matched to the findings of that rule on that line), empty when all hold.
 */
export function describeDetails(want: Expectation[], text: string, findings: Finding[]): string {
  const idx = new LineIndex(text);
  const problems: string[] = [];
  for (const w of want) {
    if (!w.message && !w.fix) continue;
    const here = findings.filter((f) => f.rule === w.rule && idx.position(f.start).line === w.line);
    if (!here.length) continue; // reported by describeDiff
    if (w.message && !here.some((f) => w.message!.test(f.message)))
      problems.push(`line ${w.line + 1}: ${w.rule}: no message matches ${w.message}: ${here.map((f) => JSON.stringify(f.message)).join(' | ')}`);
    if (w.fix && !here.some((f) => (f.fix?.applicability ?? 'none') === w.fix))
      problems.push(`line ${w.line + 1}: ${w.rule}: fix is ${here.map((f) => f.fix?.applicability ?? 'none').join('/')}, marked fix=${w.fix}`);
  }
  return problems.join('\n');
}

export function actual(text: string, findings: Finding[]): Expectation[] {
  const idx = new LineIndex(text);
  return findings.map((f) => ({ line: idx.position(f.start).line, rule: f.rule }));
}

export function describeDiff(want: Expectation[], got: Expectation[]): string {
  const key = (e: Expectation) => `line ${e.line + 1}: ${e.rule}`;
  const w = want.map(key).sort();
  const g = got.map(key).sort();
  const missing = w.filter((k) => {
    const i = g.indexOf(k);
    if (i >= 0) {
      g.splice(i, 1);
      return false;
    }
    return true;
  });
  const lines = [];
  if (missing.length) lines.push(`expected but not found:\n  ${missing.join('\n  ')}`);
  if (g.length) lines.push(`found but not expected (a false alarm):\n  ${g.join('\n  ')}`);
  return lines.join('\n');
}

export function hasSyntaxErrors(language: LanguageId, text: string): boolean {
  const t = parse(language, text);
  try {
    return countErrors(t) > 0;
  } finally {
    t.delete();
  }
}

/** Compiles Python sources with CPython in one process; returns the error output per failing source. */
export function pyCompileAll(sources: Array<{ name: string; text: string }>): string[] {
  if (!sources.length) return [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotspots-compile-'));
  try {
    const files = sources.map((s, i) => {
      const f = path.join(dir, `${i}_${s.name.replace(/[^\w.-]/g, '_')}`);
      fs.writeFileSync(f, s.text);
      return f;
    });
    const script =
      'import sys, py_compile\nbad = 0\nfor f in sys.argv[1:]:\n    try:\n        py_compile.compile(f, doraise=True)\n    except py_compile.PyCompileError as e:\n        bad += 1\n        print(e.msg)\nsys.exit(1 if bad else 0)\n';
    try {
      execFileSync('python3', ['-c', script, ...files], { encoding: 'utf8' });
      return [];
    } catch (e) {
      return [String((e as { stdout?: string }).stdout ?? e)];
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export { applyEdits };

/** The Go toolchain the tests use: `scripts/go-toolchain.sh` picks the machine's Go 1.22+, else Debian's golang-go. */
export interface GoTool {
  go: string;
  gofmt: string;
  version: string;
}
let tool: GoTool | null | undefined;
export function goTool(): GoTool | undefined {
  if (tool === undefined) {
    try {
      const go = execFileSync('bash', [path.join(__dirname, '..', 'scripts', 'go-toolchain.sh')], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }).trim();
      const m = /go(\d+)\.(\d+)/.exec(execFileSync(go, ['env', 'GOVERSION'], { encoding: 'utf8' }));
      tool = m ? { go, gofmt: path.join(path.dirname(go), 'gofmt'), version: `${m[1]}.${m[2]}` } : null;
    } catch {
      tool = null;
    }
  }
  return tool ?? undefined;
}

/** The test toolchain's version ("1.26"), or undefined when there is none. */
export function goToolchain(): string | undefined {
  return goTool()?.version;
}

/** What every go command of the tests runs with: this toolchain only, no network, go.mod as written. */
export const GO_ENV = { ...process.env, GOFLAGS: '-mod=mod', GOPROXY: 'off', GOTOOLCHAIN: 'local' };

const vetSkipped = new Set<string>();

/**
 * Checks Go sources as a module at `goVersion`: `gofmt -l -e` on every file, and `go build` and `go vet` when
 * `vet` is asked for and the test toolchain is at least that version (an older one cannot build the module;
 * that is said once per version). Each source is its own package. Returns what failed, empty when all passed.
 */
export function goCheck(sources: Array<{ name: string; text: string }>, goVersion: string, vet: boolean): string[] {
  if (!sources.length) return [];
  const t = goTool();
  if (!t) return ['no Go toolchain (scripts/go-toolchain.sh found none; apt-get install golang-go)'];
  if (vet && !atLeast(t.version, goVersion)) {
    if (!vetSkipped.has(goVersion)) console.warn(`      (go build/vet skipped for go ${goVersion} modules: the toolchain is Go ${t.version})`);
    vetSkipped.add(goVersion);
    vet = false;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotspots-go-'));
  try {
    fs.writeFileSync(path.join(dir, 'go.mod'), `module example.com/check\n\ngo ${goVersion}\n`);
    const files = sources.map((s, i) => {
      const pkgDir = path.join(dir, `p${i}`);
      fs.mkdirSync(pkgDir);
      const f = path.join(pkgDir, s.name.replace(/[^\w.-]/g, '_'));
      fs.writeFileSync(f, s.text);
      return f;
    });
    const problems: string[] = [];
    try {
      const unformatted = execFileSync(t.gofmt, ['-l', '-e', ...files], { encoding: 'utf8' }).trim();
      if (unformatted) {
        for (const f of unformatted.split('\n')) {
          let diff = '';
          try {
            diff = execFileSync(t.gofmt, ['-d', f], { encoding: 'utf8' });
          } catch (e) {
            diff = String((e as { stdout?: string }).stdout ?? e);
          }
          problems.push(`not gofmt-clean: ${path.basename(f)}\n${diff}`);
        }
      }
    } catch (e) {
      problems.push(`gofmt: ${String((e as { stderr?: string }).stderr ?? e)}`);
    }
    if (vet) {
      for (const cmd of ['build', 'vet']) {
        try {
          execFileSync(t.go, [cmd, './...'], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: GO_ENV });
        } catch (e) {
          problems.push(`go ${cmd}: ${String((e as { stderr?: string }).stderr ?? e)}`);
          break;
        }
      }
    }
    return problems;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The standard packages the Go fixtures and docs examples import. */
const FIXTURE_PACKAGES = [
  'bufio',
  'bytes',
  'context',
  'encoding/json',
  'errors',
  'fmt',
  'io',
  'net/http',
  'os',
  'os/exec',
  'strconv',
  'strings',
  'sync',
  'time',
];

/**
 * Builds and vets one program that imports what the fixtures import, so that Go's build cache holds those
 * packages before the per-fixture checks run (on a fresh machine a current Go compiles them from source first,
 * which can take longer than one test's timeout). Returns the problems, like goCheck.
 */
export function warmGoBuildCache(): string[] {
  const t = goTool();
  if (!t) return [];
  const imports = FIXTURE_PACKAGES.map((p) => `\t_ "${p}"\n`).join('');
  return goCheck([{ name: 'warm.go', text: `package warm\n\nimport (\n${imports})\n` }], t.version, true);
}
