// `npm run new-rule -- <lang>/<name>`: the files it writes and the registry line it adds, in a scratch copy.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const SCRIPT = path.join(__dirname, '..', 'scripts', 'new-rule.mjs');

describe('npm run new-rule', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotspots-scaffold-'));
    fs.mkdirSync(path.join(dir, 'rules'));
    fs.copyFileSync(path.join(__dirname, '..', 'rules', 'index.ts'), path.join(dir, 'rules', 'index.ts'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const run = (...args: string[]) => spawnSync(process.execPath, [SCRIPT, ...args, '--root', dir], { encoding: 'utf8' });

  it('writes the rule, its fixture and a benchmark, and registers it with its language', () => {
    assert.strictEqual(run('python/sorted-then-first').status, 0);
    assert.strictEqual(run('go/append-in-select').status, 0);
    for (const f of [
      'rules/python/sorted-then-first.ts',
      'test/fixtures/python/sorted-then-first.py',
      'bench/rules/python/sorted_then_first.py',
      'rules/go/append-in-select.ts',
      'test/fixtures/go/append-in-select.go',
      'bench/rules/go/append_in_select_test.go',
    ]) {
      assert.ok(fs.existsSync(path.join(dir, f)), f);
    }
    assert.match(fs.readFileSync(path.join(dir, 'test/fixtures/python/sorted-then-first.py'), 'utf8'), /# want: python\/sorted-then-first/);
    const index = fs.readFileSync(path.join(dir, 'rules', 'index.ts'), 'utf8');
    assert.match(index, /^import \{ sortedThenFirst \} from '\.\/python\/sorted-then-first';$/m);
    assert.match(index, /^import \{ appendInSelect \} from '\.\/go\/append-in-select';$/m);
    const list = /RULES: readonly Rule\[\] = \[([\s\S]*?)\]/
      .exec(index)![1]
      .split(',')
      .map((s) => s.trim());
    assert.ok(list.indexOf('sortedThenFirst') < list.indexOf('waitgroupGoUnavailable'), 'a Python rule goes before the Go rules');
    assert.strictEqual(list[list.length - 1], 'appendInSelect');
  });

  it('refuses a name that is not <language>/<kebab-case>, or a rule that exists', () => {
    assert.strictEqual(run('python/Bad_Name').status, 2);
    assert.strictEqual(run('rust/x').status, 2);
    assert.strictEqual(run('python/fine').status, 0);
    assert.strictEqual(run('python/fine').status, 1);
  });
});
