// Bundles the client, the server and the CLI with esbuild, and puts the WASM grammars beside them in dist/.
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const root = path.dirname(path.dirname(new URL(import.meta.url).pathname));
const dist = path.join(root, 'dist');
fs.mkdirSync(dist, { recursive: true });

const common = {
  alias: { 'web-tree-sitter': require.resolve('web-tree-sitter') },
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: true,
  minify: true,
  logLevel: 'warning',
  absWorkingDir: root,
};
await Promise.all([
  build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode'] }),
  build({ ...common, entryPoints: ['server/src/main.ts'], outfile: 'dist/server.js' }),
  build({ ...common, entryPoints: ['server/src/cli.ts'], outfile: 'dist/cli.js' }),
  build({ ...common, entryPoints: ['test/e2e/suite/index.ts'], outfile: 'dist/test/e2e/index.js', external: ['vscode', 'mocha'], minify: false }),
  build({ ...common, entryPoints: ['bench/vscode/index.ts'], outfile: 'dist/bench/vscode/index.js', external: ['vscode'], minify: false }),
  build({
    ...common,
    entryPoints: ['test/e2e/suite/extension.test.ts'],
    outfile: 'dist/test/e2e/extension.test.js',
    external: ['vscode', 'mocha'],
    minify: false,
  }),
]);
for (const [pkg, file] of [
  ['web-tree-sitter', 'web-tree-sitter.wasm'],
  ['tree-sitter-python', 'tree-sitter-python.wasm'],
  ['tree-sitter-go', 'tree-sitter-go.wasm'],
]) {
  fs.copyFileSync(require.resolve(`${pkg}/${file}`), path.join(dist, file));
}
