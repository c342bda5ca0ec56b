// The file walk the CLI and the workspace scan share: which files it finds below a folder, in what order, and
// under what names.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { collectFiles, type WalkProblem } from '../server/src/workspace/walk';

/** Writes each file (parent folders made as needed) below a new temporary folder. */
function tree(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotspots-walk-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.join(dir, path.dirname(name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

describe('the file walk', () => {
  const made: string[] = [];
  const make = (files: Record<string, string>) => {
    const dir = tree(files);
    made.push(dir);
    return dir;
  };
  after(() => made.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
  const found = (dir: string, opts = {}, problems: WalkProblem[] = []) => collectFiles([dir], problems, opts).map((f) => path.relative(dir, f));

  it('lists source files depth first, each folder in name order, and skips other files and tool folders', () => {
    const dir = make({
      'b.py': '',
      'a-b/x.py': '',
      'a/z.go': '',
      'a/y.py': '',
      'a.py': '',
      'README.md': '',
      'c/notes.txt': '',
      'node_modules/m/i.py': '',
      '.venv/lib/v.py': '',
      '__pycache__/p.py': '',
    });
    // "a" sorts before "a-b" and "a.py" as names, though "a-b/x.py" sorts before "a/y.py" as whole paths.
    assert.deepStrictEqual(found(dir), ['a/y.py', 'a/z.go', 'a-b/x.py', 'a.py', 'b.py']);
  });

  it('honours each .gitignore relative to its own folder, with negations, and stops below an ignored folder', () => {
    const dir = make({
      '.gitignore': 'build/\n*_pb2.py\n',
      'build/gen.py': '',
      'api_pb2.py': '',
      'main.py': '',
      'pkg/.gitignore': 'local.py\n!keep_pb2.py\n/top.py\n',
      'pkg/local.py': '',
      'pkg/keep_pb2.py': '',
      'pkg/other_pb2.py': '',
      'pkg/top.py': '',
      'pkg/sub/top.py': '',
      'pkg/sub/local.py': '',
      'other/local.py': '',
    });
    assert.deepStrictEqual(found(dir), ['main.py', 'other/local.py', 'pkg/keep_pb2.py', 'pkg/sub/top.py']);
    // Without .gitignore: everything below the folder.
    assert.strictEqual(found(dir, { gitignore: false }).length, 10);
  });

  it('applies exclude patterns relative to the path given, besides .gitignore', () => {
    const dir = make({ 'src/a.py': '', 'src/gen/b.py': '', 'tests/c.py': '', 'd.go': '' });
    assert.deepStrictEqual(found(dir, { exclude: ['**/gen', 'tests/'] }), ['d.go', 'src/a.py']);
  });

  it('skips Go files inside testdata folders, as the go tool does, but not Python files', () => {
    const dir = make({ 'x/testdata/bad.go': 'package', 'x/testdata/deep/more.go': '', 'x/testdata/input.py': '', 'x/ok.go': '' });
    assert.deepStrictEqual(found(dir), ['x/ok.go', 'x/testdata/input.py']);
  });

  it('names files as path.join would below a relative path, and takes each file once', () => {
    const dir = make({ 'p/q.py': '', 'r.go': '' });
    const cwd = process.cwd();
    try {
      process.chdir(dir);
      assert.deepStrictEqual(collectFiles(['.'], []), ['p/q.py', 'r.go']);
      assert.deepStrictEqual(collectFiles(['./p/', 'p', 'p/q.py'], []), ['p/q.py']);
    } finally {
      process.chdir(cwd);
    }
  });

  it('names a folder it cannot list and goes on with the rest', () => {
    // A folder nested past PATH_MAX (4,096 bytes) cannot be listed by its path, even by root.
    const dir = make({ 'a.py': '' });
    const cwd = process.cwd();
    const part = 'd'.repeat(250);
    let depth = 0;
    try {
      process.chdir(dir);
      for (; dir.length + (part.length + 1) * depth < 4200; depth++) {
        fs.mkdirSync(part);
        process.chdir(part);
      }
      fs.writeFileSync('deep.py', '');
    } finally {
      process.chdir(cwd);
    }
    const problems: WalkProblem[] = [];
    assert.deepStrictEqual(found(dir, {}, problems), ['a.py']);
    assert.strictEqual(problems.length, 1);
    assert.strictEqual(path.relative(dir, problems[0].path).split('/').length, depth);
    assert.strictEqual(problems[0].message, 'cannot list (ENAMETOOLONG)');
    spawnSync('rm', ['-rf', path.join(dir, part)]); // rm works below PATH_MAX; fs.rmSync does not
  });
});
