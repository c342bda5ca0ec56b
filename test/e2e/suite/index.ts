// The mocha entry VS Code's test runners call: `run(): Promise<void>`. The same suite runs under code-server
// (test/e2e/run.sh, through the workbench's payload URL) and under @vscode/test-electron (npm run test:electron).
import * as path from 'path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60000, reporter: 'spec' });
  mocha.addFile(path.resolve(__dirname, 'extension.test.js'));
  return new Promise((resolve, reject) => {
    mocha.run((failures) => {
      // A plain closing line for CI log readers.
      console.log(`${mocha.suite.total() - failures} passed, ${failures} failed`);
      if (failures > 0) reject(new Error(`${failures} tests failed.`));
      else resolve();
    });
  });
}
