// Hostile input to the CLI and the server: every bad file gets a clear message, the run goes on, the exit code is
// at most 1, nothing crashes, and the JSON output stays valid.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { URI } from 'vscode-uri';
import { TestClient } from './lsp/client';
import { writeFileAtomic } from '../server/src/workspace/writeFile';

const BIN = path.join(__dirname, '..', 'bin', 'hotspots.js');
const LOOP = 'def dump(rows):\n    for row in rows:\n        import json\n        print(json.dumps(row))\n';

/** A folder of everything a scan should survive, plus one good file that must still be reported. */
function hostileTree(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotspots-hostile-'));
  const w = (name: string, data: string | Buffer) => fs.writeFileSync(path.join(dir, name), data);
  w('good.py', LOOP);
  w('binary.py', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x00, 0x00, 0xff, 0xfe]));
  w('latin1.py', Buffer.from('s = "caf\xe9"\n', 'latin1'));
  w('nul.go', 'package m\x00\nfunc f() {}\n');
  w('deep.py', `x = ${'('.repeat(5000)}1${')'.repeat(5000)}\n`);
  w('deep.go', `package m\n\nfunc f() {\n${'{'.repeat(5000)}${'}'.repeat(5000)}\n}\n`);
  w('many.py', Array.from({ length: 60000 }, (_, i) => `def f${i}(): pass\n`).join(''));
  w('huge.py', `x = 1\n${'#'.repeat(80)}\n`.repeat(30000)); // over the 2 MiB limit
  w('broken.py', 'def f(:\n    for x in y\n        import os\n');
  w('broken.go', 'package m\nfunc f( {\n\tfor {\n');
  w('empty.go', '');
  fs.symlinkSync('.', path.join(dir, 'loop')); // a symlinked folder pointing at itself
  fs.symlinkSync('self.py', path.join(dir, 'self.py')); // a symlink loop
  fs.symlinkSync('missing.py', path.join(dir, 'dangling.py'));
  spawnSync('mkfifo', [path.join(dir, 'pipe.py')]); // reading it would block forever
  return dir;
}

describe('hostile input', function () {
  this.timeout(120000);
  let dir: string;
  beforeEach(() => {
    dir = hostileTree();
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('the CLI reports every bad file, keeps going, exits 1 for the real finding, and prints valid JSON', () => {
    const r = spawnSync(process.execPath, [BIN, 'scan', '--format', 'json', dir], { encoding: 'utf8', timeout: 100000 });
    assert.strictEqual(r.status, 1, r.stderr);
    const { findings } = JSON.parse(r.stdout);
    assert.ok(findings.some((f: { path: string; rule: string }) => f.path.endsWith('good.py') && f.rule === 'python/import-in-loop'));
    const messages = r.stderr.split('\n').filter(Boolean);
    const about = (name: string) => messages.find((m) => m.includes(`${path.sep}${name}:`));
    assert.match(about('binary.py') ?? '', /binary/);
    assert.match(about('latin1.py') ?? '', /UTF-8/);
    assert.match(about('nul.go') ?? '', /binary/);
    assert.match(about('huge.py') ?? '', /over the .* limit/);
    assert.match(about('self.py') ?? '', /symbolic link loop/);
    assert.match(about('dangling.py') ?? '', /broken symbolic link/);
    // Deep nesting, 60,000 functions and syntax errors are analysed (not skipped); a FIFO and a folder link are not read.
    for (const name of ['deep.py', 'deep.go', 'many.py', 'broken.py', 'broken.go', 'empty.go', 'pipe.py', 'loop'])
      assert.strictEqual(about(name), undefined, `${name}: ${about(name)}`);
    assert.ok(!r.stderr.includes('    at '), 'no stack trace');
  });

  it('the CLI names a symlink loop and a file it cannot read when given them directly, and goes on', () => {
    const r = spawnSync(process.execPath, [BIN, 'scan', '--format', 'json', path.join(dir, 'self.py'), path.join(dir, 'good.py')], { encoding: 'utf8' });
    assert.strictEqual(r.status, 1, r.stderr);
    assert.match(r.stderr, /self\.py: cannot read \(ELOOP\)/);
    assert.strictEqual(JSON.parse(r.stdout).findings.length, 1);
    if (process.getuid && process.getuid() !== 0) {
      fs.chmodSync(path.join(dir, 'good.py'), 0);
      const u = spawnSync(process.execPath, [BIN, 'scan', '--format', 'json', dir], { encoding: 'utf8' });
      assert.ok(u.status !== null && u.status <= 1);
      assert.match(u.stderr, /good\.py: .*EACCES/);
      JSON.parse(u.stdout);
    }
  });

  it('--fix writes no file through a symbolic link or with other hard links, and nothing outside the given paths', () => {
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'hotspots-outside-'));
    try {
      fs.writeFileSync(path.join(outside, 'target.py'), LOOP);
      fs.symlinkSync(path.join(outside, 'target.py'), path.join(dir, 'link.py'));
      fs.writeFileSync(path.join(dir, 'linked.py'), LOOP);
      fs.linkSync(path.join(dir, 'linked.py'), path.join(outside, 'other-name.py'));
      const r = spawnSync(process.execPath, [BIN, 'scan', '--fix', path.join(dir, 'link.py'), path.join(dir, 'linked.py'), dir], { encoding: 'utf8' });
      assert.ok(r.status !== null && r.status <= 1, r.stderr);
      assert.match(r.stderr, /link\.py: not fixed: a symbolic link; not written/);
      assert.match(r.stderr, /linked\.py: not fixed: has 2 hard links; not written/);
      // Left as they were, and their findings still reported.
      assert.match(r.stdout, /link\.py:\d+:\d+: python\/import-in-loop/);
      assert.match(r.stdout, /linked\.py:\d+:\d+: python\/import-in-loop/);
      assert.ok(fs.lstatSync(path.join(dir, 'link.py')).isSymbolicLink());
      assert.strictEqual(fs.readFileSync(path.join(outside, 'target.py'), 'utf8'), LOOP);
      assert.strictEqual(fs.readFileSync(path.join(outside, 'other-name.py'), 'utf8'), LOOP);
      assert.notStrictEqual(fs.readFileSync(path.join(dir, 'good.py'), 'utf8'), LOOP, 'the plain file is fixed');
    } finally {
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });

  it('a fix is never written over a file that changed on disk after it was read, and keeps the mode when written', () => {
    const file = path.join(dir, 'good.py');
    fs.chmodSync(file, 0o640);
    const read = fs.readFileSync(file);
    fs.appendFileSync(file, '# edited by someone else\n');
    assert.throws(() => writeFileAtomic(file, 'x = 1\n', read), /changed on disk/);
    assert.match(fs.readFileSync(file, 'utf8'), /edited by someone else/);
    writeFileAtomic(file, 'x = 1\n', fs.readFileSync(file));
    assert.strictEqual(fs.readFileSync(file, 'utf8'), 'x = 1\n');
    assert.strictEqual(fs.statSync(file).mode & 0o777, 0o640);
    assert.deepStrictEqual(
      fs.readdirSync(dir).filter((n) => n.includes('.tmp')),
      [],
      'no temporary file left',
    );
  });

  it('files deleted while a scan runs are reported, not fatal', () => {
    for (let i = 0; i < 400; i++) fs.writeFileSync(path.join(dir, `gen${i}.py`), LOOP);
    const child = spawnSync('sh', ['-c', `(sleep 0.3; rm -f ${dir}/gen*.py) & ${process.execPath} ${BIN} scan --format json ${dir}; echo "exit=$?" >&2`], {
      encoding: 'utf8',
      timeout: 100000,
    });
    const exit = Number(/exit=(\d+)/.exec(child.stderr)?.[1]);
    assert.ok(exit <= 1, child.stderr);
    JSON.parse(child.stdout);
    assert.ok(!child.stderr.includes('    at '), 'no stack trace');
  });

  it('the server scans the same folder without crashing and still answers afterwards', async () => {
    const client = new TestClient();
    try {
      await client.initialize(URI.file(dir).toString());
      const result = (await client.conn.sendRequest('hotspots/scan', {})) as {
        files: number;
        findings: number;
        skipped: Array<{ path: string; message: string }>;
      };
      assert.ok(result.findings >= 1);
      const skipped = new Map(result.skipped.map((s) => [path.basename(s.path), s.message]));
      assert.match(skipped.get('binary.py') ?? '', /binary/);
      assert.match(skipped.get('huge.py') ?? '', /limit/);
      // Opening the big files as documents works too.
      const uri = URI.file(path.join(dir, 'many.py')).toString();
      await client.open(uri, fs.readFileSync(path.join(dir, 'many.py'), 'utf8'));
      await client.diagnosticsFor(uri, 1);
      assert.strictEqual(await client.shutdown(), 0);
    } finally {
      if (client.proc.exitCode === null) client.proc.kill();
    }
  });
});
