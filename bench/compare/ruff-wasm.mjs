// Ruff's WASM build over every file of a list, one Workspace, one thread (adapted from shared/bench/ruff-bench.mjs).
// usage: node ruff-wasm.mjs LIST SELECT
import fs from 'node:fs';
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const ruff = require('@astral-sh/ruff-wasm-nodejs');
const [list, sel] = process.argv.slice(2);
const files = fs.readFileSync(list, 'utf8').split('\n').filter(Boolean);
const ws = new ruff.Workspace({ 'target-version': 'py311', lint: { select: sel.split(','), preview: false } }, ruff.PositionEncoding.Utf16);
let diags = 0,
  failed = 0;
for (const f of files) {
  let src;
  try {
    src = fs.readFileSync(f, 'utf8');
  } catch {
    continue;
  }
  try {
    diags += ws.check(src).length;
  } catch {
    failed++;
  }
}
console.log(JSON.stringify({ tool: `ruff-wasm ${ruff.Workspace.version()}`, files: files.length, diags, failed }));
