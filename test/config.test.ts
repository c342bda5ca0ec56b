// Project configuration: [tool.hotspots] in pyproject.toml and hotspots.toml, in the core, the CLI and the server.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { URI } from 'vscode-uri';
import { clearConfigCache, configFor, isExcluded, readConfigFile, ruleSettings, selects, targetVersionFor } from '../server/src/workspace/config';
import { clearGoModCache } from '../server/src/workspace/gomod';
import { RULES } from '../rules/index';
import { TestClient } from './lsp/client';

const BIN = path.join(__dirname, '..', 'bin', 'hotspots.js');
const LOOP = 'def f(rows):\n    s = b""\n    for r in rows:\n        import os\n        s += r\n    return s\n';

describe('project configuration', function () {
  this.timeout(20000);
  let dir: string;
  beforeEach(() => {
    clearConfigCache();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotspots-config-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('selects rules by id, short name, language and prefix', () => {
    assert.ok(selects('python/import-in-loop', 'python/import-in-loop'));
    assert.ok(selects('import-in-loop', 'python/import-in-loop'));
    assert.ok(selects('python/', 'python/import-in-loop'));
    assert.ok(selects('python', 'python/import-in-loop'));
    assert.ok(!selects('go/', 'python/import-in-loop'));
    assert.ok(!selects('import', 'python/import-in-loop'));
  });

  it('reads [tool.hotspots] from pyproject.toml, reports bad values, and layers editor settings on top', () => {
    fs.writeFileSync(
      path.join(dir, 'pyproject.toml'),
      [
        '[project]',
        'name = "demo"',
        '',
        '[tool.hotspots]',
        'ignore = ["import-in-loop"]',
        'exclude = ["build/", "*_pb2.py"]',
        'python-version = "3.9"',
        'colour = "red"',
        '',
        '[tool.hotspots.severity]',
        'quadratic-concat = "error"',
        '"python/http-without-timeout" = "loud"',
      ].join('\n'),
    );
    const config = configFor(path.join(dir, 'pkg', 'mod.py'))!;
    assert.strictEqual(config.file, path.join(dir, 'pyproject.toml'));
    assert.strictEqual(config.pythonVersion, '3.9');
    assert.deepStrictEqual([...config.problems].sort(), [
      'severity.python/http-without-timeout must be one of off, hint, information, warning, error',
      'unknown key colour',
    ]);
    const s = ruleSettings(config, RULES);
    assert.strictEqual(s['python/import-in-loop'], 'off');
    assert.strictEqual(s['python/quadratic-concat'], 'error');
    assert.strictEqual(s['python/blocking-io-in-async'], undefined);
    assert.strictEqual(ruleSettings(config, RULES, { 'import-in-loop': 'hint' })['python/import-in-loop'], 'hint');
    assert.ok(isExcluded(config, path.join(dir, 'build', 'gen.py')));
    assert.ok(isExcluded(config, path.join(dir, 'api', 'msg_pb2.py')));
    assert.ok(!isExcluded(config, path.join(dir, 'api', 'msg.py')));
  });

  it('uses the nearest file, hotspots.toml before pyproject.toml, and skips a pyproject without the table', () => {
    fs.writeFileSync(path.join(dir, 'hotspots.toml'), 'select = ["python/quadratic-concat"]\n');
    fs.mkdirSync(path.join(dir, 'sub'));
    fs.writeFileSync(path.join(dir, 'sub', 'pyproject.toml'), '[project]\nname = "sub"\n');
    assert.strictEqual(configFor(path.join(dir, 'sub', 'a.py'))!.file, path.join(dir, 'hotspots.toml'));
    const s = ruleSettings(configFor(path.join(dir, 'sub', 'a.py')), RULES);
    assert.deepStrictEqual(
      RULES.filter((r) => s[r.meta.id] !== 'off').map((r) => r.meta.id),
      ['python/quadratic-concat'],
    );
    assert.strictEqual(readConfigFile(path.join(dir, 'sub', 'pyproject.toml')), undefined);
  });

  it('the CLI follows it: ignored rules, severities, excluded folders, and problems on stderr', () => {
    fs.writeFileSync(
      path.join(dir, 'pyproject.toml'),
      '[tool.hotspots]\nignore = ["import-in-loop"]\nexclude = ["build/"]\ncolour = 1\n\n[tool.hotspots.severity]\nquadratic-concat = "error"\n',
    );
    fs.writeFileSync(path.join(dir, 'mod.py'), LOOP);
    fs.mkdirSync(path.join(dir, 'build'));
    fs.writeFileSync(path.join(dir, 'build', 'gen.py'), LOOP);
    const r = spawnSync(process.execPath, [BIN, 'scan', '--format', 'json', dir], { encoding: 'utf8' });
    const found = JSON.parse(r.stdout).findings.map((f: { path: string; rule: string; severity: string }) => [path.relative(dir, f.path), f.rule, f.severity]);
    assert.deepStrictEqual(found, [['mod.py', 'python/quadratic-concat', 'error']]);
    assert.match(r.stderr, /pyproject\.toml: configuration: unknown key colour/);
    // A file named on the command line is analysed even when excluded.
    const direct = spawnSync(process.execPath, [BIN, 'scan', '--format', 'json', path.join(dir, 'build', 'gen.py')], { encoding: 'utf8' });
    assert.strictEqual(JSON.parse(direct.stdout).findings.length, 1);
  });

  it('python-version below 3.9 withholds fixes that need asyncio.to_thread', () => {
    const src = 'import json\n\n\nasync def load(path):\n    return json.load(path)\n';
    fs.writeFileSync(path.join(dir, 'mod.py'), src);
    const fixOf = () => JSON.parse(spawnSync(process.execPath, [BIN, 'scan', '--format', 'json', dir], { encoding: 'utf8' }).stdout).findings[0].fix;
    assert.strictEqual(fixOf()?.applicability, 'unsafe');
    fs.writeFileSync(path.join(dir, 'hotspots.toml'), 'python-version = "3.8"\n');
    assert.strictEqual(fixOf(), null);
  });

  it('the server follows it, and re-reads it when the file changes', async () => {
    fs.writeFileSync(path.join(dir, 'hotspots.toml'), 'ignore = ["quadratic-concat"]\n');
    const file = path.join(dir, 'mod.py');
    fs.writeFileSync(file, LOOP);
    const client = new TestClient();
    try {
      await client.initialize(URI.file(dir).toString());
      const uri = URI.file(file).toString();
      await client.open(uri, LOOP);
      const first = await client.until(() => client.diagnostics.get(uri)?.diagnostics);
      assert.deepStrictEqual(
        first.map((d) => d.code),
        ['python/import-in-loop'],
      );
      fs.writeFileSync(path.join(dir, 'hotspots.toml'), 'ignore = ["import-in-loop"]\n');
      await client.conn.sendNotification('workspace/didChangeWatchedFiles', {
        changes: [{ uri: URI.file(path.join(dir, 'hotspots.toml')).toString(), type: 2 }],
      });
      await client.until(() => {
        const d = client.diagnostics.get(uri)?.diagnostics;
        return d && d.length === 1 && d[0].code === 'python/quadratic-concat';
      });
      assert.strictEqual(await client.shutdown(), 0);
    } finally {
      if (client.proc.exitCode === null) client.proc.kill();
    }
  });

  it('Go: the nearest go.mod gives the version (go-version in the configuration wins); the server re-reads go.mod', async () => {
    const src = 'package m\n\nfunc f(n int) {\n\tfor i := range n {\n\t\t_ = i\n\t}\n}\n';
    fs.mkdirSync(path.join(dir, 'pkg'));
    const file = path.join(dir, 'pkg', 'm.go');
    fs.writeFileSync(file, src);
    fs.writeFileSync(path.join(dir, 'go.mod'), 'module example.com/m\n\ngo 1.21 // before range over int\n');
    assert.strictEqual(targetVersionFor(file, 'go'), '1.21');
    clearConfigCache();
    clearGoModCache();
    fs.writeFileSync(path.join(dir, 'hotspots.toml'), 'go-version = "1.23"\n');
    assert.strictEqual(targetVersionFor(file, 'go'), '1.23');
    fs.rmSync(path.join(dir, 'hotspots.toml'));
    clearConfigCache();
    clearGoModCache();
    const client = new TestClient();
    try {
      await client.initialize(URI.file(dir).toString());
      const uri = URI.file(file).toString();
      await client.open(uri, src, 'go');
      const first = await client.until(() => client.diagnostics.get(uri)?.diagnostics);
      assert.deepStrictEqual(
        first.map((d) => d.code),
        ['go/range-int-unavailable'],
      );
      fs.writeFileSync(path.join(dir, 'go.mod'), 'module example.com/m\n\ngo 1.22\n');
      await client.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: URI.file(path.join(dir, 'go.mod')).toString(), type: 2 }] });
      await client.until(() => client.diagnostics.get(uri)?.diagnostics.length === 0);
      assert.strictEqual(await client.shutdown(), 0);
    } finally {
      if (client.proc.exitCode === null) client.proc.kill();
    }
  });
});
