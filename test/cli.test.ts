// The command-line contract, run as a user runs it: `node bin/hotspots.js …` against files on disk.
import * as assert from 'assert';
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { TestClient } from './lsp/client';
import { RULES } from '../rules/index';
import { measuredPhrase } from '../rules/measured';
import { goTool } from './harness';

const BIN = path.join(__dirname, '..', 'bin', 'hotspots.js');
const run = (args: string[], cwd?: string) => {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

describe('hotspots CLI', function () {
  this.timeout(20000);
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotspots-cli-'));
    fs.writeFileSync(path.join(dir, 'loop.py'), 'def f(rows):\n    for r in rows:\n        import json  # ünïcode\n        print(json.dumps(r))\n');
    fs.writeFileSync(path.join(dir, 'clean.py'), 'import json\nprint(json.dumps(1))\n');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('prints JSON findings with 1-based positions and exits 1 when there are findings', () => {
    const r = run(['scan', '--format', 'json', dir]);
    assert.strictEqual(r.code, 1, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.deepStrictEqual(out.findings, [
      {
        path: path.join(dir, 'loop.py'),
        line: 3,
        column: 9,
        endLine: 3,
        endColumn: 20,
        rule: 'python/import-in-loop',
        severity: 'information',
        message: `Import inside a \`for\` loop runs the import machinery on every iteration; import once at module level. It runs once per item of \`rows\`. Measured: the fix is ${measuredPhrase('python/import-in-loop')}.`,
        fix: { title: "Move the import of json to the module's imports", applicability: 'safe' },
      },
    ]);
  });

  it('shows performance findings in test and start-up code as hints, as [tool.hotspots] tests/startup say', () => {
    fs.mkdirSync(path.join(dir, 'tests'));
    fs.copyFileSync(path.join(dir, 'loop.py'), path.join(dir, 'tests', 'helpers.py'));
    fs.writeFileSync(path.join(dir, 'boot.py'), 'for name in sys.argv:\n    import json\n    print(json.dumps(name))\n');
    const sev = () =>
      Object.fromEntries(
        JSON.parse(run(['scan', '--format', 'json', '--no-cache', dir]).stdout).findings.map((f: { path: string; severity: string; message: string }) => [
          path.relative(dir, f.path),
          `${f.severity} ${/In (test|start-up) code/.exec(f.message)?.[0] ?? ''}`.trim(),
        ]),
      );
    assert.deepStrictEqual(sev(), { 'loop.py': 'information', [path.join('tests', 'helpers.py')]: 'hint In test code', 'boot.py': 'hint In start-up code' });
    // Hints alone do not fail the run.
    fs.rmSync(path.join(dir, 'loop.py'));
    const onlyHints = run(['scan', '--no-cache', dir]);
    assert.strictEqual(onlyHints.code, 0, onlyHints.stdout);
    assert.match(onlyHints.stdout, /Found 0 hotspots and 2 hints in 2 of 3 files/);
    fs.copyFileSync(path.join(dir, 'tests', 'helpers.py'), path.join(dir, 'loop.py'));
    fs.writeFileSync(path.join(dir, 'hotspots.toml'), 'tests = "default"\nstartup = "off"\n');
    assert.deepStrictEqual(sev(), { 'loop.py': 'information', [path.join('tests', 'helpers.py')]: 'information' });
    fs.writeFileSync(path.join(dir, 'hotspots.toml'), 'tests = "loud"\n');
    assert.match(run(['scan', '--no-cache', dir]).stderr, /tests must be one of off, hint, information, warning, error, default/);
  });

  it('ends quietly, with its usual status, when the reader closes the pipe early (`| head -1`)', () => {
    // Enough findings that the output outgrows the pipe's buffer after the reader has gone.
    const body = Array.from({ length: 800 }, (_, i) => `def f${i}(rows):\n    for r in rows:\n        import json\n        print(json.dumps(r))\n`).join('');
    fs.writeFileSync(path.join(dir, 'many.py'), body);
    const r = spawnSync('bash', ['-c', `"${process.execPath}" "${BIN}" scan --no-cache "${dir}" | head -1 >/dev/null; echo "status \${PIPESTATUS[0]}"`], {
      encoding: 'utf8',
    });
    assert.doesNotMatch(r.stderr, /EPIPE|Error/, r.stderr);
    assert.match(r.stdout, /^status 1$/m);
  });

  it('applies the fixes that do not overlap and reports what is left when one fix cannot be applied with another', () => {
    // import-in-loop's hoist and quadratic-concat's rewrite of the same loop: each pass applies what it can.
    fs.writeFileSync(
      path.join(dir, 'both.py'),
      'def f(rows):\n    out = ""\n    for r in rows:\n        import json\n        out += json.dumps(r)\n    return out\n',
    );
    const r = run(['scan', '--fix', '--unsafe-fixes', path.join(dir, 'both.py')]);
    assert.doesNotMatch(r.stderr, /skipped|not fixed/, r.stderr);
    const left = JSON.parse(run(['scan', '--format', 'json', '--no-cache', path.join(dir, 'both.py')]).stdout).findings.length;
    assert.match(r.stdout, new RegExp(`Found ${left} hotspot`), r.stdout);
    assert.match(r.stderr, /applied [1-9]/, r.stderr);
  });

  it('loads its bundle through a V8 code cache written on first use, and a corrupt cache changes nothing', () => {
    // A copy of the installed layout (bin/ beside dist/), so the real dist/ is left alone.
    const install = fs.mkdtempSync(path.join(os.tmpdir(), 'hotspots-install-'));
    try {
      fs.mkdirSync(path.join(install, 'bin'));
      fs.mkdirSync(path.join(install, 'dist'));
      fs.copyFileSync(BIN, path.join(install, 'bin', 'hotspots.js'));
      const dist = path.join(__dirname, '..', 'dist');
      for (const f of fs.readdirSync(dist)) if (f === 'cli.js' || f.endsWith('.wasm')) fs.copyFileSync(path.join(dist, f), path.join(install, 'dist', f));
      const scan = () =>
        spawnSync(process.execPath, [path.join(install, 'bin', 'hotspots.js'), 'scan', '--format', 'json', '--no-cache', dir], { encoding: 'utf8' });
      const caches = () => fs.readdirSync(path.join(install, 'dist')).filter((f) => f.endsWith('.v8cache'));
      const first = scan();
      assert.strictEqual(first.status, 1, first.stderr);
      assert.strictEqual(JSON.parse(first.stdout).findings.length, 1);
      assert.strictEqual(caches().length, 1);
      const cacheFile = path.join(install, 'dist', caches()[0]);
      const second = scan();
      assert.strictEqual(second.stdout, first.stdout);
      fs.writeFileSync(cacheFile, Buffer.alloc(4096, 7)); // V8 rejects it: compiled as usual, and written again
      const third = scan();
      assert.strictEqual(third.stdout, first.stdout);
      assert.notDeepStrictEqual(fs.readFileSync(cacheFile), Buffer.alloc(4096, 7));
    } finally {
      fs.rmSync(install, { recursive: true, force: true });
    }
  });

  it('exits 0 with no findings, and prints a text summary', () => {
    const clean = run(['scan', path.join(dir, 'clean.py')]);
    assert.strictEqual(clean.code, 0);
    assert.match(clean.stdout, /^Found 0 hotspots in 0 of 1 file\.$/m);
    const text = run(['scan', dir]);
    assert.strictEqual(text.code, 1);
    assert.ok(text.stdout.startsWith(`${path.join(dir, 'loop.py')}:3:9: python/import-in-loop Import inside`), text.stdout);
    assert.match(text.stdout, /Found 1 hotspot in 1 of 2 files; 1 fixable with --fix\./);
  });

  it('exits 2 on a usage error or a missing path', () => {
    assert.strictEqual(run(['scan', '--format', 'xml', dir]).code, 2);
    const missing = run(['scan', path.join(dir, 'nope.py')]);
    assert.strictEqual(missing.code, 2);
    assert.match(missing.stderr, /no such file or directory/);
    assert.strictEqual(run(['frobnicate']).code, 2);
  });

  it('--fix applies safe fixes in place (keeping the file mode) and reports what is left', () => {
    const file = path.join(dir, 'loop.py');
    fs.chmodSync(file, 0o640);
    const r = run(['scan', '--fix', '--format', 'json', dir]);
    assert.strictEqual(r.code, 0, r.stdout + r.stderr);
    assert.deepStrictEqual(JSON.parse(r.stdout).findings, []);
    assert.strictEqual(fs.readFileSync(file, 'utf8'), 'import json\ndef f(rows):\n    for r in rows:\n        print(json.dumps(r))\n');
    assert.strictEqual(fs.statSync(file).mode & 0o777, 0o640);
    assert.match(r.stderr, /applied 1 fix \(python\/import-in-loop 1\)/);
    assert.deepStrictEqual(fs.readdirSync(dir).sort(), ['clean.py', 'loop.py'], 'no temporary files left behind');
  });

  it('--fix leaves unsafe fixes unless --unsafe-fixes is given', () => {
    const file = path.join(dir, 'loop.py');
    // A module of the workspace (first-party, not importing loop.py back): hoisting it is unsafe.
    fs.writeFileSync(path.join(dir, 'helpers.py'), 'def load(r):\n    return r\n');
    fs.writeFileSync(file, 'def f(rows):\n    for r in rows:\n        import helpers\n        print(helpers.load(r))\n');
    assert.strictEqual(run(['scan', '--fix', file]).code, 1);
    assert.ok(fs.readFileSync(file, 'utf8').includes('        import helpers'));
    assert.strictEqual(run(['scan', '--fix', '--unsafe-fixes', file]).code, 0);
    assert.ok(fs.readFileSync(file, 'utf8').startsWith('import helpers\n'));
  });

  it('skips binary, invalid UTF-8 and syntax-error input with messages, and keeps the JSON valid', () => {
    fs.writeFileSync(path.join(dir, 'bin.py'), Buffer.from([0x00, 0x01, 0x02]));
    fs.writeFileSync(path.join(dir, 'latin1.py'), Buffer.from('x = "caf\xe9"\n', 'latin1'));
    fs.writeFileSync(path.join(dir, 'broken.py'), 'def f(:\n    for r in rows:\n        import os\n');
    const r = run(['scan', '--format', 'json', dir]);
    assert.strictEqual(r.code, 1);
    const found = JSON.parse(r.stdout).findings.map((f: { path: string; line: number }) => `${path.basename(f.path)}:${f.line}`);
    assert.deepStrictEqual(found.sort(), ['broken.py:3', 'loop.py:3']);
    assert.match(r.stderr, /bin\.py: skipped: binary file/);
    assert.match(r.stderr, /latin1\.py: skipped: not valid UTF-8/);
  });

  it('reads a PEP 263 coding declaration, analyses the file, and does not rewrite it in another encoding', () => {
    const file = path.join(dir, 'legacy.py');
    const bytes = Buffer.from('# -*- coding: latin-1 -*-\ndef walk():\n    for r in "caf\xe9".split():\n        import os\n', 'latin1');
    fs.writeFileSync(file, bytes);
    const r = run(['scan', '--fix', '--format', 'json', file]);
    assert.strictEqual(r.code, 1);
    assert.deepStrictEqual(
      JSON.parse(r.stdout).findings.map((f: { line: number }) => f.line),
      [4],
    );
    assert.match(r.stderr, /not fixed: the file is latin-1/);
    assert.ok(fs.readFileSync(file).equals(bytes), 'the file is untouched');
  });

  it('keeps a UTF-8 byte-order mark when fixing', () => {
    const file = path.join(dir, 'bom.py');
    fs.writeFileSync(file, '\ufefffor r in rows:\n    import os\n');
    assert.strictEqual(run(['scan', '--fix', file]).code, 0);
    assert.strictEqual(fs.readFileSync(file, 'utf8'), '\ufeffimport os\nfor r in rows:\n    pass\n');
  });

  it('scans Go: the go.mod version gates rules, testdata folders are skipped, --fix output is gofmt-clean', () => {
    const mod = path.join(dir, 'svc');
    fs.mkdirSync(path.join(mod, 'testdata'), { recursive: true });
    fs.writeFileSync(path.join(mod, 'go.mod'), 'module example.com/svc\n\ngo 1.21\n');
    const src =
      'package svc\n\nfunc sum(n int) int {\n\tt := 0\n\tfor i := range n {\n\t\tt += i\n\t}\n\treturn t\n}\n\nfunc join(parts []string) string {\n\ts := ""\n\tfor _, p := range parts {\n\t\ts += p\n\t}\n\treturn s\n}\n';
    fs.writeFileSync(path.join(mod, 'svc.go'), src);
    fs.writeFileSync(path.join(mod, 'testdata', 'broken.go'), src);
    const r = run(['scan', '--format', 'json', dir]);
    const rules = JSON.parse(r.stdout).findings.map((f: { path: string; rule: string }) => `${path.relative(dir, f.path)} ${f.rule}`);
    assert.deepStrictEqual(rules, ['loop.py python/import-in-loop', 'svc/svc.go go/range-int-unavailable', 'svc/svc.go go/string-concat-in-loop']);
    // At go 1.22 and above, ranging over an int is valid.
    fs.writeFileSync(path.join(mod, 'go.mod'), 'module example.com/svc\n\ngo 1.22.3\n');
    const newer = JSON.parse(run(['scan', '--format', 'json', mod]).stdout).findings.map((f: { rule: string }) => f.rule);
    assert.deepStrictEqual(newer, ['go/string-concat-in-loop']);
    assert.strictEqual(run(['scan', '--fix', mod]).code, 0);
    const fixed = fs.readFileSync(path.join(mod, 'svc.go'), 'utf8');
    assert.match(fixed, /import "strings"/);
    assert.match(fixed, /sb\.WriteString\(p\)/);
    const go = goTool();
    if (go) assert.strictEqual(execFileSync(go.gofmt, ['-l', path.join(mod, 'svc.go')], { encoding: 'utf8' }), '');
  });

  it('keeps findings of unchanged files in a cache folder that git ignores, and re-analyses what changed', () => {
    const cacheDir = path.join(dir, 'cache');
    const scan = () =>
      JSON.parse(run(['scan', '--format', 'json', '--cache-dir', cacheDir, path.join(dir, 'loop.py'), path.join(dir, 'clean.py')]).stdout).findings;
    const cold = scan();
    assert.strictEqual(cold.length, 1);
    const entries = fs.readdirSync(path.join(cacheDir, 'v1')).flatMap((d) => fs.readdirSync(path.join(cacheDir, 'v1', d)));
    assert.strictEqual(entries.length, 2, 'one entry per file');
    assert.match(fs.readFileSync(path.join(cacheDir, '.gitignore'), 'utf8'), /^\*$/m);
    assert.deepStrictEqual(scan(), cold, 'a warm scan reports the same');
    // Prove the warm scan read the cache: a doctored entry is what comes back.
    for (const e of entries) {
      const f = path.join(cacheDir, 'v1', e.slice(0, 2), e);
      const data = JSON.parse(fs.readFileSync(f, 'utf8'));
      if (data.length) {
        data[0].message = 'from the cache';
        fs.writeFileSync(f, JSON.stringify(data));
      }
    }
    assert.strictEqual(scan()[0].message, 'from the cache');
    // A changed file, or a changed configuration, is analysed again.
    fs.appendFileSync(path.join(dir, 'loop.py'), '# edited\n');
    assert.notStrictEqual(scan()[0].message, 'from the cache');
    fs.writeFileSync(path.join(dir, 'hotspots.toml'), 'ignore = ["import-in-loop"]\n');
    assert.deepStrictEqual(scan(), []);
    // --no-cache analyses everything and writes nothing.
    fs.rmSync(cacheDir, { recursive: true });
    run(['scan', '--no-cache', '--cache-dir', cacheDir, dir]);
    assert.ok(!fs.existsSync(cacheDir));
  });

  it('a warm scan skips reading files whose size, mtime and inode are unchanged, trusting only files older than 2 s', () => {
    const cacheDir = path.join(dir, 'statcache');
    const old = path.join(dir, 'old.py'),
      fresh = path.join(dir, 'fresh.py'),
      hit = path.join(dir, 'hit.py');
    fs.writeFileSync(old, 'x = 1\n');
    fs.writeFileSync(fresh, 'y = 2\n');
    fs.writeFileSync(hit, 'for r in rows:\n    import os\n');
    const anHourAgo = new Date(Date.now() - 3600_000);
    fs.utimesSync(old, anHourAgo, anHourAgo);
    fs.utimesSync(hit, anHourAgo, anHourAgo);
    const scan = () =>
      JSON.parse(run(['scan', '--format', 'json', '--cache-dir', cacheDir, old, fresh, hit]).stdout).findings.map(
        (f: { path: string; rule: string }) => `${path.basename(f.path)} ${f.rule}`,
      );
    assert.deepStrictEqual(scan(), ['hit.py python/import-in-loop']);
    const index = JSON.parse(fs.readFileSync(path.join(cacheDir, 'v1-index.json'), 'utf8')) as { files: Record<string, unknown>; empty: string[] };
    assert.deepStrictEqual(
      Object.keys(index.files)
        .map((f) => path.basename(f))
        .sort(),
      ['hit.py', 'old.py'],
      'a file modified in the last 2 s is not trusted',
    );
    assert.ok(index.empty.length >= 1, 'entries without findings are listed');
    // A changed file gets a new mtime: read and analysed again.
    fs.writeFileSync(old, 'for r in rows:\n    import re\n');
    // A file with findings is read for the report, and its content checked against the index: a change shows even
    // with its size and mtime put back.
    const before = fs.statSync(hit);
    fs.writeFileSync(hit, 'for r in rows:\n    print(r) \n');
    fs.utimesSync(hit, anHourAgo, anHourAgo);
    assert.strictEqual(fs.statSync(hit).size, before.size);
    assert.strictEqual(fs.statSync(hit).mtimeMs, before.mtimeMs);
    assert.deepStrictEqual(scan(), ['old.py python/import-in-loop']);
  });

  it('a big scan in worker threads reports exactly what one thread reports, and fixes the same', () => {
    const tree = path.join(dir, 'tree');
    for (let i = 0; i < 120; i++) {
      fs.mkdirSync(path.join(tree, `p${i % 7}`), { recursive: true });
      fs.writeFileSync(
        path.join(tree, `p${i % 7}`, `m${i}.py`),
        i % 3 ? `def f${i}(rows):\n    for r in rows:\n        import json\n        print(json.dumps(r))\n` : `x = ${i}\n`,
      );
    }
    fs.writeFileSync(path.join(tree, 'p0', 'bad.py'), Buffer.from([0, 1, 2]));
    const scan = (threads: string, extra: string[] = []) =>
      spawnSync(process.execPath, [BIN, 'scan', '--no-cache', '--format', 'json', ...extra, tree], {
        encoding: 'utf8',
        env: { ...process.env, HOTSPOTS_THREADS: threads },
      });
    const one = scan('1');
    const two = scan('2');
    assert.strictEqual(two.status, one.status);
    assert.strictEqual(two.stdout, one.stdout);
    assert.strictEqual(two.stderr, one.stderr);
    assert.strictEqual(JSON.parse(two.stdout).findings.length, 80);
    const fixed = scan('2', ['--fix']);
    assert.match(fixed.stderr, /applied 80 fixes \(python\/import-in-loop 80\)/);
    assert.deepStrictEqual(JSON.parse(fixed.stdout).findings, []);
  });

  it('skips what .gitignore files ignore, below the paths given (a path named explicitly is still read)', () => {
    fs.mkdirSync(path.join(dir, 'gen'));
    fs.copyFileSync(path.join(dir, 'loop.py'), path.join(dir, 'gen', 'out.py'));
    fs.writeFileSync(path.join(dir, '.gitignore'), 'gen/\n');
    const files = (args: string[]) =>
      JSON.parse(run(['scan', '--no-cache', '--format', 'json', ...args]).stdout).findings.map((f: { path: string }) => path.relative(dir, f.path));
    assert.deepStrictEqual(files([dir]), ['loop.py']);
    assert.deepStrictEqual(files([path.join(dir, 'gen', 'out.py')]), ['gen/out.py']);
  });

  it('lists the rules as JSON', () => {
    const r = run(['rules', '--format', 'json']);
    assert.strictEqual(r.code, 0);
    const rules = JSON.parse(r.stdout);
    assert.deepStrictEqual(
      rules.map((x: { id: string }) => x.id),
      RULES.map((r) => r.meta.id),
    );
    assert.ok(rules.length >= 4);
    for (const x of rules) assert.ok(x.docs.what && x.docs.why && x.docs.example && x.docs.useInstead && x.docs.fixSafety && x.severity && x.fix);
    // Every rule with a fix carries its measured speed-up: two or more sizes, the ratio at the largest.
    // (Correctness rules, such as code that does not compile at the module's Go version, have nothing to time.)
    for (const x of rules.filter((r: { fix: string; category?: string }) => r.fix !== 'none' && r.category !== 'correctness')) {
      assert.ok(x.measured, `${x.id} has a measurement (npm run bench:rules)`);
      assert.ok(x.measured.sizes.length >= 2 && x.measured.ratios.length === x.measured.sizes.length, x.id);
      assert.strictEqual(x.measured.ratio, x.measured.ratios[x.measured.ratios.length - 1]);
      assert.match(x.measured.runtime, x.id.startsWith('go/') ? /^Go 1\.\d+/ : /^CPython 3\.\d+/);
    }
  });

  it('prints help', () => {
    const r = run(['--help']);
    assert.strictEqual(r.code, 0);
    assert.match(r.stdout, /hotspots scan PATH\.\.\. \[--format text\|json\|sarif\] \[--fix\] \[--unsafe-fixes\]/);
  });

  it('`hotspots server --stdio` speaks LSP', async () => {
    const client = new TestClient(['server', '--stdio'], BIN);
    const init = await client.initialize();
    assert.ok(init.capabilities.codeActionProvider);
    await client.open('file:///tmp/cli-server.py', 'for r in rows:\n    import os\n');
    const diags = await client.diagnosticsFor('file:///tmp/cli-server.py', 1);
    assert.deepStrictEqual(
      diags.map((d) => d.code),
      ['python/import-in-loop'],
    );
    assert.strictEqual(await client.shutdown(), 0);
  });
});
