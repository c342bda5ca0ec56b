// Runs the same e2e suite (dist/test/e2e/index.js) under @vscode/test-electron, for machines where a VS Code
// desktop build can be had. Offline, point VSCODE_EXECUTABLE at an installed VS Code (`code` binary); otherwise
// test-electron downloads one (which this project's own CI cannot do: it uses code-server, see test/e2e/run.sh).
import { runTests } from '@vscode/test-electron';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'hotspots-electron-ws-'));
fs.cpSync(path.join(root, 'test', 'e2e', 'workspace'), ws, { recursive: true });
try {
  await runTests({
    extensionDevelopmentPath: root,
    extensionTestsPath: path.join(root, 'dist', 'test', 'e2e', 'index'),
    vscodeExecutablePath: process.env.VSCODE_EXECUTABLE || undefined,
    version: process.env.VSCODE_EXECUTABLE ? undefined : '1.99.3',
    launchArgs: [ws, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
  });
} catch (e) {
  console.error(`test:electron failed: ${e instanceof Error ? e.message : e}`);
  process.exitCode = 1;
} finally {
  fs.rmSync(ws, { recursive: true, force: true });
}
