// Fixture harness: inline `# want: <rule>` markers, golden fixed files, and checks on every fix.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { applyEdits } from '../server/src/core/fixes';
import { countErrors, parse } from '../server/src/core/parse';
import { LineIndex } from '../server/src/core/text';
import type { Finding, LanguageId } from '../server/src/core/types';

export interface Expectation { line: number; rule: string }

const MARKER = /(#|\/\/)\s*want:\s*(.+)$/;

/** Reads markers: at a line's end they apply to that line; alone on a line, to the next line with code. */
export function expectations(text: string): Expectation[] {
  const lines = text.split(/\r?\n/);
  const out: Expectation[] = [];
  let pending: string[] = [];
  lines.forEach((line, i) => {
    const m = MARKER.exec(line);
    const code = m ? line.slice(0, m.index).trim() : line.trim();
    const rules = m ? m[2].split(',').map((s) => s.trim()).filter(Boolean) : [];
    if (m && code === '') { pending.push(...rules); return; }
    if (code === '' || code.startsWith('#') || code.startsWith('//')) return;
    for (const r of [...pending, ...rules]) out.push({ line: i, rule: r });
    pending = [];
  });
  return out;
}

export function actual(text: string, findings: Finding[]): Expectation[] {
  const idx = new LineIndex(text);
  return findings.map((f) => ({ line: idx.position(f.start).line, rule: f.rule }));
}

export function describeDiff(want: Expectation[], got: Expectation[]): string {
  const key = (e: Expectation) => `line ${e.line + 1}: ${e.rule}`;
  const w = want.map(key).sort();
  const g = got.map(key).sort();
  const missing = w.filter((k) => { const i = g.indexOf(k); if (i >= 0) { g.splice(i, 1); return false; } return true; });
  const lines = [];
  if (missing.length) lines.push(`expected but not found:\n  ${missing.join('\n  ')}`);
  if (g.length) lines.push(`found but not expected (a false alarm):\n  ${g.join('\n  ')}`);
  return lines.join('\n');
}

export function hasSyntaxErrors(language: LanguageId, text: string): boolean {
  const t = parse(language, text);
  try { return countErrors(t) > 0; } finally { t.delete(); }
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
    const script = 'import sys, py_compile\nbad = 0\nfor f in sys.argv[1:]:\n    try:\n        py_compile.compile(f, doraise=True)\n    except py_compile.PyCompileError as e:\n        bad += 1\n        print(e.msg)\nsys.exit(1 if bad else 0)\n';
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

/** The installed Go toolchain's version ("1.19"), or undefined when there is none. */
let toolchain: string | null | undefined;
export function goToolchain(): string | undefined {
  if (toolchain === undefined) {
    try {
      const out = execFileSync('go', ['version'], { encoding: 'utf8' });
      const m = /go(\d+)\.(\d+)/.exec(out);
      toolchain = m ? `${m[1]}.${m[2]}` : null;
    } catch { toolchain = null; }
  }
  return toolchain ?? undefined;
}

/**
 * Checks Go sources as a module at `goVersion`: `gofmt -l -e` on every file, and `go vet` when the installed
 * toolchain is at least that version. Each source is its own package. Returns what failed, empty when all passed.
 */
export function goCheck(sources: Array<{ name: string; text: string }>, goVersion: string, vet: boolean): string[] {
  if (!sources.length) return [];
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
      const unformatted = execFileSync('gofmt', ['-l', '-e', ...files], { encoding: 'utf8' }).trim();
      if (unformatted) {
        for (const f of unformatted.split('\n')) {
          let diff = '';
          try { diff = execFileSync('gofmt', ['-d', f], { encoding: 'utf8' }); } catch (e) { diff = String((e as { stdout?: string }).stdout ?? e); }
          problems.push(`not gofmt-clean: ${path.basename(f)}\n${diff}`);
        }
      }
    } catch (e) {
      problems.push(`gofmt: ${String((e as { stderr?: string }).stderr ?? e)}`);
    }
    if (vet) {
      try {
        execFileSync('go', ['vet', './...'], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, GOFLAGS: '-mod=mod', GOPROXY: 'off', GOTOOLCHAIN: 'local' } });
      } catch (e) {
        problems.push(`go vet: ${String((e as { stderr?: string }).stderr ?? e)}`);
      }
    }
    return problems;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
