// Another editor: headless Neovim's built-in LSP client runs `hotspots server --stdio` and receives diagnostics.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

describe('Neovim (built-in LSP client)', function () {
  this.timeout(60000);
  it('opens a Python file headless and receives the diagnostics', () => {
    const which = spawnSync('nvim', ['--version'], { encoding: 'utf8' });
    assert.ok(which.status === 0, 'nvim must be installed (Debian package neovim; test/e2e/install.sh installs it)');
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hotspots-nvim-')), 'diagnostics.jsonl');
    const dir = path.join(__dirname, 'neovim');
    const r = spawnSync('nvim', ['--headless', '-n', '-i', 'NONE', '-u', path.join(dir, 'init.lua'), path.join(dir, 'sample.py')], {
      encoding: 'utf8',
      timeout: 50000,
      env: { ...process.env, HOTSPOTS_BIN: path.join(__dirname, '..', 'bin', 'hotspots.js'), HOTSPOTS_OUT: out },
    });
    assert.strictEqual(r.status, 0, `nvim exited ${r.status}: ${r.stderr}`);
    const diags = fs
      .readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { line: number; col: number; source: string; code: string });
    assert.deepStrictEqual(
      diags.map((d) => [d.line, d.col, d.source, d.code]),
      [
        [5, 12, 'hotspots', 'python/get-event-loop-in-coroutine'],
        [7, 9, 'hotspots', 'python/import-in-loop'],
      ],
    );
  });
});
