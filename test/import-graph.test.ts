// python/import-in-loop's guard against circular imports, on real workspaces on disk: the fix that hoists a
// first-party import is withheld when that module imports the file's module back (read from the workspace by
// server/src/workspace/importGraph.ts), through the CLI and the language server; and python3 shows why: the fix
// the rule offered before the guard breaks the program with a circular import, the fix it still offers does not.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { URI } from 'vscode-uri';
import { initEngine } from '../server/src/engine';
import { projectFor } from '../server/src/workspace/config';
import { clearImportGraphCache, MAX_FILES, moduleGraphFor, noteFilesChanged, pythonImports } from '../server/src/workspace/importGraph';
import { TestClient } from './lsp/client';

const BIN = path.join(__dirname, '..', 'bin', 'hotspots.js');
const RULE = 'python/import-in-loop';

interface JsonFinding {
  path: string;
  line: number;
  rule: string;
  fix: null | { title: string; applicability: string };
}

/** `hotspots scan --format json` on a folder: the import-in-loop findings, by file relative to it. */
function scan(dir: string, ...args: string[]): Record<string, JsonFinding['fix'][]> {
  const r = spawnSync(process.execPath, [BIN, 'scan', '--format', 'json', ...args, dir], { encoding: 'utf8', cwd: dir });
  assert.ok(r.status === 0 || r.status === 1, `exit ${r.status}: ${r.stderr}`);
  const out: Record<string, JsonFinding['fix'][]> = {};
  for (const f of (JSON.parse(r.stdout) as { findings: JsonFinding[] }).findings) {
    if (f.rule !== RULE) continue;
    (out[path.relative(dir, f.path)] ??= []).push(f.fix);
  }
  return out;
}

function python(dir: string, script = 'main.py', env: Record<string, string> = {}): { code: number | null; out: string } {
  const r = spawnSync('python3', ['-B', script], { encoding: 'utf8', cwd: dir, env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1', ...env } });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

function write(dir: string, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
}

/** Every file and folder below `dir` (and `dir`) last changed a minute ago. */
function ageAll(dir: string): void {
  const old = new Date(Date.now() - 60_000);
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) if (e.isDirectory()) walk(path.join(d, e.name));
    for (const e of fs.readdirSync(d, { withFileTypes: true })) if (e.isFile()) fs.utimesSync(path.join(d, e.name), old, old);
    fs.utimesSync(d, old, old);
  };
  walk(dir);
}

/** The entries of a findings cache folder, parsed. */
function cacheEntries(cache: string): Array<{ file: string; data: unknown }> {
  const out: Array<{ file: string; data: unknown }> = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.json') && !e.name.endsWith('-index.json')) out.push({ file: p, data: JSON.parse(fs.readFileSync(p, 'utf8')) });
    }
  };
  walk(path.join(cache, 'v1'));
  return out;
}

/** Files written now are not trusted by the parse cache for 2 s (mtime granularity): age them so it is used too. */
function age(dir: string): void {
  const old = new Date(Date.now() - 60_000);
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) fs.utimesSync(p, old, old);
    }
  };
  walk(dir);
}

// app/a.py imports app.b in a loop; in the cyclic variants app.b (directly, or through app.c) imports app.a back
// and reads a name app.a defines at module level.
const A = [
  'def total(rows):',
  '    out = 0',
  '    for r in rows:',
  '        from app.b import weight',
  '        out += weight(r)',
  '    return out',
  '',
  '',
  'SCALE = 2',
  '',
].join('\n');
const MAIN = 'from app.a import total\nprint("total", total([1, 2, 3]))\n';
const DIRECT = { 'app/__init__.py': '', 'app/a.py': A, 'app/b.py': 'from app.a import SCALE\n\n\ndef weight(r):\n    return r * SCALE\n', 'main.py': MAIN };
const THROUGH_C = {
  'app/__init__.py': '',
  'app/a.py': A,
  'main.py': MAIN,
  'app/b.py': 'from app import c\n\n\ndef weight(r):\n    return r * c.FACTOR\n',
  'app/c.py': 'import app.a as a\n\nFACTOR = a.SCALE\n',
};
const ACYCLIC = {
  'app/__init__.py': '',
  'app/a.py': A,
  'main.py': MAIN,
  'app/b.py': 'from app import c\n\n\ndef weight(r):\n    return r * c.FACTOR\n',
  'app/c.py': 'FACTOR = 2\n',
};

/**
 * What the rule's hoisting fix did before the guard (and before such imports stopped being reported): the
 * import in the loop moved to the top of the file.
 */
function unguardedFix(file: string): string {
  const text = fs.readFileSync(file, 'utf8');
  const m = /^[ \t]+((?:from \S+ )?import [^\n]+)\n/m.exec(text);
  assert.ok(m, 'an indented import to hoist');
  return `${m[1]}\n${text.slice(0, m.index)}${text.slice(m.index + m[0].length)}`;
}

describe('import-in-loop: no hoisting of a first-party import that imports the file back', function () {
  this.timeout(60000);
  let dir: string;
  before(async () => {
    await initEngine();
    assert.ok(fs.existsSync(path.join(__dirname, '..', 'dist', 'cli.js')), 'npm run build first');
  });
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotspots-graph-'));
    clearImportGraphCache();
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  for (const [name, files, error] of [
    ['b imports a', DIRECT, /ImportError: cannot import name 'SCALE' from partially initialized module 'app\.a'/],
    ['b imports c, c imports a', THROUGH_C, /AttributeError: partially initialized module 'app\.a' has no attribute 'SCALE'/],
  ] as const) {
    it(`withholds the fix when ${name}, which python3 shows would be circular`, () => {
      write(dir, files);
      assert.deepStrictEqual(python(dir), { code: 0, out: 'total 12\n' }, 'the program as written works');
      assert.deepStrictEqual(scan(dir, '--no-cache'), {}, 'not reported: a lazy import that breaks a cycle is deliberate');

      // What the fix did before the guard: the import hoisted to the top of app/a.py; python3 then fails.
      const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'hotspots-graph-unguarded-'));
      try {
        write(copy, files);
        const hoisted = unguardedFix(path.join(copy, 'app', 'a.py'));
        assert.ok(hoisted.startsWith('from app.b import weight\n'), hoisted);
        fs.writeFileSync(path.join(copy, 'app', 'a.py'), hoisted);
        const run = python(copy);
        assert.notStrictEqual(run.code, 0, run.out);
        assert.match(run.out, error);
        assert.match(run.out, /circular import/);
      } finally {
        fs.rmSync(copy, { recursive: true, force: true });
      }

      // --fix --unsafe-fixes leaves the file alone, and the program still runs.
      const before = fs.readFileSync(path.join(dir, 'app', 'a.py'), 'utf8');
      spawnSync(process.execPath, [BIN, 'scan', '--fix', '--unsafe-fixes', '--no-cache', dir], { encoding: 'utf8' });
      assert.strictEqual(fs.readFileSync(path.join(dir, 'app', 'a.py'), 'utf8'), before);
      assert.deepStrictEqual(python(dir), { code: 0, out: 'total 12\n' });
    });
  }

  it('still offers the fix (unsafe) when no module imports a back, and python3 runs the fixed program alike', () => {
    write(dir, ACYCLIC);
    assert.deepStrictEqual(python(dir), { code: 0, out: 'total 12\n' });
    assert.deepStrictEqual(scan(dir, '--no-cache'), {
      [path.join('app', 'a.py')]: [{ title: "Move the import of app.b to the module's imports", applicability: 'unsafe' }],
    });
    const r = spawnSync(process.execPath, [BIN, 'scan', '--fix', '--unsafe-fixes', '--no-cache', dir], { encoding: 'utf8' });
    assert.match(r.stderr, /applied 1 fix \(python\/import-in-loop 1\)/, r.stderr);
    assert.ok(fs.readFileSync(path.join(dir, 'app', 'a.py'), 'utf8').startsWith('from app.b import weight\n'));
    assert.deepStrictEqual(python(dir), { code: 0, out: 'total 12\n' }, 'the hoisted import is not circular');
  });

  it('reads the workspace afresh: a cached scan does not keep a fix another file has made circular', () => {
    write(dir, ACYCLIC);
    const cache = path.join(dir, '.cache');
    const offered = { [path.join('app', 'a.py')]: [{ title: "Move the import of app.b to the module's imports", applicability: 'unsafe' }] };
    assert.deepStrictEqual(scan(dir, '--cache-dir', cache), offered);
    assert.deepStrictEqual(scan(dir, '--cache-dir', cache), offered);
    // app/a.py is unchanged; app/c.py now imports it back.
    fs.writeFileSync(path.join(dir, 'app', 'c.py'), 'from app.a import SCALE\n\nFACTOR = SCALE\n');
    assert.deepStrictEqual(scan(dir, '--cache-dir', cache), {});
    fs.writeFileSync(path.join(dir, 'app', 'c.py'), 'FACTOR = 2\n');
    assert.deepStrictEqual(scan(dir, '--cache-dir', cache), offered);
  });

  it('keeps findings that read the workspace in the cache with what they read, while that is unchanged', () => {
    // A project folder (pyproject.toml) ends the search for source roots: /tmp above it changes all the time.
    write(dir, { ...ACYCLIC, 'pyproject.toml': '[project]\nname = "app"\n' });
    const cache = path.join(dir, '.cache');
    fs.mkdirSync(cache);
    ageAll(dir); // files and folders changed within the last 2 s are not trusted by their stat
    const offered = { [path.join('app', 'a.py')]: [{ title: "Move the import of app.b to the module's imports", applicability: 'unsafe' }] };
    assert.deepStrictEqual(scan(dir, '--cache-dir', cache), offered);
    const entries = cacheEntries(cache).filter((e) => !Array.isArray(e.data));
    assert.strictEqual(entries.length, 1, 'one entry with what it depends on: app/a.py');
    const entry = entries[0].data as { findings: Array<{ message: string }>; dependsOn: Array<[string, number, number, number, number]> };
    const read = entry.dependsOn.map((d) => path.relative(dir, d[0]));
    for (const f of [path.join('app', 'b.py'), path.join('app', 'c.py'), 'app']) assert.ok(read.includes(f), `${f} is among ${read.join(', ')}`);
    // The entry is what the next scan reports (marked here to tell it from a new analysis).
    entry.findings[0].message = 'kept in the cache';
    fs.writeFileSync(entries[0].file, JSON.stringify(entry));
    const messages = () =>
      (
        JSON.parse(spawnSync(process.execPath, [BIN, 'scan', '--format', 'json', '--cache-dir', cache, dir], { encoding: 'utf8' }).stdout) as {
          findings: Array<{ rule: string; message: string }>;
        }
      ).findings
        .filter((f) => f.rule === RULE)
        .map((f) => f.message);
    assert.deepStrictEqual(messages(), ['kept in the cache']);
    // A file it read changes (app/c.py now imports app.a back): analysed again, whatever the entry says.
    fs.writeFileSync(path.join(dir, 'app', 'c.py'), 'from app.a import SCALE\n\nFACTOR = SCALE\n');
    assert.deepStrictEqual(messages(), []);
    // And a module appearing in a folder it listed (app/b/ before app/b.py: a package wins).
    fs.writeFileSync(path.join(dir, 'app', 'c.py'), 'FACTOR = 2\n');
    ageAll(dir);
    assert.strictEqual(messages().length, 1);
    write(dir, { 'app/b/__init__.py': 'from app.a import SCALE\n\n\ndef weight(r):\n    return r * SCALE\n' });
    assert.deepStrictEqual(messages(), []);
  });

  it('does not answer for another file with the same text from an entry that read the workspace', () => {
    // x/app/a.py and y/app/a.py are byte for byte alike; y's app/c.py imports app.a back.
    const project = { ...ACYCLIC, 'pyproject.toml': '[project]\nname = "app"\n' };
    write(path.join(dir, 'x'), project);
    write(path.join(dir, 'y'), { ...project, 'app/c.py': 'from app.a import SCALE\n\nFACTOR = SCALE\n' });
    const cache = path.join(dir, '.cache');
    fs.mkdirSync(cache);
    ageAll(dir);
    const alone = scan(path.join(dir, 'y'), '--no-cache');
    assert.deepStrictEqual(alone, {}, 'in y the import breaks a cycle: not reported');
    assert.strictEqual(Object.keys(scan(path.join(dir, 'x'), '--cache-dir', cache)).length, 1);
    assert.deepStrictEqual(scan(path.join(dir, 'y'), '--cache-dir', cache), alone);
  });

  it("follows relative imports, packages' __init__.py and function-level imports, in a src/ layout", () => {
    const pkg = (files: Record<string, string>) => {
      fs.rmSync(path.join(dir, 'src'), { recursive: true, force: true });
      write(dir, { 'pyproject.toml': '[project]\nname = "app"\n', 'main.py': MAIN, 'src/app/__init__.py': '', 'src/app/a.py': A, ...files });
      return scan(dir, '--no-cache')[path.join('src', 'app', 'a.py')];
    };
    /** python3 on the workspace with the fix the rule offered before the guard applied. */
    const hoistedRun = () => {
      const a = path.join(dir, 'src', 'app', 'a.py');
      const text = fs.readFileSync(a, 'utf8');
      try {
        fs.writeFileSync(a, unguardedFix(a));
        return python(dir, 'main.py', { PYTHONPATH: path.join(dir, 'src') });
      } finally {
        fs.writeFileSync(a, text);
      }
    };
    assert.deepStrictEqual(pkg({ 'src/app/b.py': 'from .a import SCALE\ndef weight(r):\n    return r\n' }), undefined, 'relative `from .a import`');
    assert.deepStrictEqual(pkg({ 'src/app/b.py': 'from . import a\ndef weight(r):\n    return r\n' }), undefined, 'relative `from . import a`');
    assert.deepStrictEqual(
      pkg({ 'src/app/b.py': 'from .sub import x\ndef weight(r):\n    return r\n', 'src/app/sub/__init__.py': 'from ..a import SCALE\nx = 1\n' }),
      undefined,
      "through a subpackage's __init__.py",
    );
    assert.deepStrictEqual(
      pkg({ 'src/app/b.py': 'def weight(r):\n    from app.a import SCALE\n    return r * SCALE\n' }),
      undefined,
      'an import in a function counts (it may run at import time)',
    );
    assert.deepStrictEqual(
      pkg({ 'src/app/b.py': 'import importlib\nA = importlib.import_module("app.a")\ndef weight(r):\n    return r\n' }),
      undefined,
      'import_module of a literal name',
    );
    assert.deepStrictEqual(
      pkg({ 'src/app/b.py': '"""from app.a import SCALE"""\n# import app.a\ndef weight(r):\n    return r\n' }),
      [{ title: "Move the import of app.b to the module's imports", applicability: 'unsafe' }],
      'strings and comments do not count',
    );
    // A package's __init__ that imports every submodule is already loaded when app.a runs: passing through it is not a cycle.
    assert.deepStrictEqual(
      pkg({ 'src/app/__init__.py': 'from . import a, b\n', 'src/app/b.py': 'import app.c\ndef weight(r):\n    return r\n', 'src/app/c.py': 'X = 1\n' }).map(
        (f) => f?.applicability,
      ),
      ['unsafe'],
    );
    assert.deepStrictEqual(hoistedRun(), { code: 0, out: 'total 6\n' }, 'python3 agrees');
    // …but taking a name from it (`from app import VERSION`) reads it while it is half-initialised: it is importing app.a.
    assert.deepStrictEqual(
      pkg({ 'src/app/__init__.py': 'from . import a, b\nVERSION = 1\n', 'src/app/b.py': 'from app import VERSION\ndef weight(r):\n    return r * 4\n' }),
      undefined,
    );
    const broken = hoistedRun();
    assert.match(broken.out, /ImportError: cannot import name 'VERSION' from partially initialized module 'app'/, 'python3 agrees');
  });

  it('answers from the files as they are now: edited, vanished, unreadable, binary, or too many to follow', function () {
    write(dir, ACYCLIC);
    age(dir);
    const a = path.join(dir, 'app', 'a.py');
    const c = path.join(dir, 'app', 'c.py');
    const back = () => moduleGraphFor(a).importsBack('app.b.weight');
    assert.strictEqual(moduleGraphFor(a).isFirstParty('app.b'), true);
    assert.strictEqual(moduleGraphFor(a).isFirstParty('numpy'), false);
    assert.strictEqual(back(), false);
    assert.strictEqual(back(), false, 'again, from the parse cache');
    fs.writeFileSync(c, 'import app.a\n');
    assert.strictEqual(back(), true, 'c.py changed: read again (mtime, size)');
    fs.writeFileSync(c, 'FACTOR = 1\n');
    assert.strictEqual(back(), false);
    fs.rmSync(c);
    assert.strictEqual(back(), false, 'c.py gone: b imports nothing that could import a');
    fs.symlinkSync(path.join(dir, 'nowhere.py'), c);
    assert.strictEqual(back(), true, 'c.py a link to a file that vanished: unknown, so it may');
    fs.rmSync(c);
    fs.writeFileSync(c, Buffer.from([0x69, 0x6d, 0x70, 0x00, 0x01, 0x02]));
    assert.strictEqual(back(), true, 'binary c.py: unknown');
    fs.rmSync(c);
    assert.strictEqual(spawnSync('mkfifo', [c]).status, 0);
    assert.strictEqual(back(), true, 'c.py a FIFO: unknown, and not read (reading would block)');
    fs.rmSync(c);
    if (process.getuid?.() !== 0) {
      // root reads anything
      fs.writeFileSync(c, 'FACTOR = 1\n');
      fs.chmodSync(c, 0);
      assert.strictEqual(back(), true, 'unreadable c.py: unknown');
      fs.rmSync(c);
    }
    // The same through the CLI: a FIFO among the modules withholds the fix (and the scan does not hang).
    assert.strictEqual(spawnSync('mkfifo', [c]).status, 0);
    assert.deepStrictEqual(scan(dir, '--no-cache')[path.join('app', 'a.py')], undefined);
    fs.rmSync(c);

    // A chain of modules: followed to its end within MAX_FILES files; longer is unknown.
    const chain = (n: number, last: string) => {
      fs.rmSync(path.join(dir, 'chain'), { recursive: true, force: true });
      const files: Record<string, string> = { 'chain/__init__.py': '' };
      for (let i = 0; i < n; i++) files[`chain/m${i}.py`] = i + 1 < n ? `from chain import m${i + 1}\n` : last;
      write(dir, files);
      return moduleGraphFor(a).importsBack('chain.m0');
    };
    assert.strictEqual(chain(50, 'X = 1\n'), false);
    assert.strictEqual(chain(50, 'from app.a import SCALE\n'), true);
    assert.strictEqual(chain(MAX_FILES + 10, 'X = 1\n'), true, 'over the bound: unknown, so it may');
    // A cycle among other modules ends.
    write(dir, { 'ring/__init__.py': '', 'ring/x.py': 'from ring import y\n', 'ring/y.py': 'from ring import x\n' });
    assert.strictEqual(moduleGraphFor(a).importsBack('ring.x'), false);
  });

  it("resolves in the file's package root, src/ beside the folders above, and the project folder", () => {
    write(dir, {
      'pyproject.toml': '',
      'src/app/__init__.py': '',
      'src/app/b.py': 'import tools.report\n',
      'tools/report.py': 'for x in []:\n    import app.b\n',
      'lib.py': '',
      'numpy/data.txt': '',
    });
    const g = moduleGraphFor(path.join(dir, 'tools', 'report.py'));
    assert.strictEqual(g.isFirstParty('app.b'), true, 'src/ layout');
    assert.strictEqual(g.isFirstParty('lib'), true, 'the project folder');
    assert.strictEqual(g.isFirstParty('numpy'), false, 'a folder without Python in it is no package');
    assert.strictEqual(g.isFirstParty('requests'), false);
    assert.strictEqual(g.importsBack('app.b'), true, 'app.b imports tools.report, this file');
    assert.strictEqual(projectFor(path.join(dir, 'x.go'), 'go').modules, undefined, 'Go files have none');
    assert.strictEqual(JSON.stringify(projectFor(path.join(dir, 'lib.py'), 'python')), '{}', 'not part of cache keys');
  });

  it('the language server reports nothing while the module imports back, and the finding and fix once that file changes on disk', async () => {
    write(dir, DIRECT);
    const client = new TestClient();
    try {
      await client.initialize(URI.file(dir).toString());
      const uri = URI.file(path.join(dir, 'app', 'a.py')).toString();
      await client.open(uri, A);
      const actionsFor = async () => {
        const d = (await client.diagnosticsFor(uri, 1)).find((x) => x.code === RULE)!;
        assert.ok(d, 'the import in the loop is found');
        const actions = (await client.conn.sendRequest('textDocument/codeAction', {
          textDocument: { uri },
          range: d.range,
          context: { diagnostics: [d] },
        })) as Array<{ title: string }>;
        return actions.map((x) => x.title).filter((t) => t.startsWith('Move the import'));
      };
      assert.deepStrictEqual(
        (await client.diagnosticsFor(uri, 1)).filter((x) => x.code === RULE),
        [],
        'a lazy import that breaks a cycle is not reported',
      );
      // b.py stops importing a; the editor reports the change (the server watches **/*.py).
      fs.writeFileSync(path.join(dir, 'app', 'b.py'), 'def weight(r):\n    return r\n');
      const published = client.diagnostics.get(uri);
      await client.conn.sendNotification('workspace/didChangeWatchedFiles', {
        changes: [{ uri: URI.file(path.join(dir, 'app', 'b.py')).toString(), type: 2 }],
      });
      await client.until(() => client.diagnostics.get(uri) !== published || undefined); // re-analysed
      await client.until(() => client.diagnostics.get(uri)?.diagnostics.some((x) => x.code === RULE) || undefined);
      assert.deepStrictEqual(await actionsFor(), ["Move the import of app.b to the module's imports (unsafe)"]);
      assert.strictEqual(await client.shutdown(), 0);
    } finally {
      if (client.proc.exitCode === null) client.proc.kill();
    }
  });
});

describe('importGraph: the imports of a Python source', () => {
  it('reads every import statement, relative ones with their level, and skips strings and comments', () => {
    const src = [
      '"""import not_this"""',
      'import a.b as c, d',
      'from . import x, y as z',
      'from ..p.q import (r,',
      '   s)',
      'from .m import *',
      'def f():',
      '    if x: import late; from e import g',
      '    s = "import fake"  # import comment',
      'v = 1; import semi',
      'mod = importlib.import_module("dyn.mod")',
      'from_ = 3',
      'raise E from err',
      'from w import \\',
      '   cont',
      '',
    ].join('\n');
    assert.deepStrictEqual(pythonImports(src), [
      { level: 0, module: 'dyn.mod', names: [] },
      { level: 0, module: 'a.b', names: [] },
      { level: 0, module: 'd', names: [] },
      { level: 1, module: '', names: ['x', 'y'] },
      { level: 2, module: 'p.q', names: ['r', 's'] },
      { level: 1, module: 'm', names: ['*'] },
      { level: 0, module: 'late', names: [] },
      { level: 0, module: 'e', names: ['g'] },
      { level: 0, module: 'semi', names: [] },
      { level: 0, module: 'w', names: ['cont'] },
    ]);
  });

  it('says which watched-file changes matter (the language server re-analyses on those only)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotspots-graph-watch-'));
    try {
      clearImportGraphCache();
      write(dir, ACYCLIC);
      write(dir, { 'elsewhere/z.py': '' });
      const g = moduleGraphFor(path.join(dir, 'app', 'a.py'));
      const stamp = g.stamp;
      assert.strictEqual(g.importsBack('app.b'), false);
      assert.strictEqual(noteFilesChanged([path.join(dir, 'elsewhere', 'z.py')]), false, 'a folder it never looked in');
      assert.strictEqual(g.stamp, stamp);
      assert.strictEqual(noteFilesChanged([path.join(dir, 'app', 'c.py')]), true, 'a file it read');
      assert.notStrictEqual(g.stamp, stamp, 'kept analyses are not reused');
      moduleGraphFor(path.join(dir, 'app', 'a.py')).importsBack('app.b');
      assert.strictEqual(noteFilesChanged([path.join(dir, 'app', 'new.py')]), true, 'a file created where it looked');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
