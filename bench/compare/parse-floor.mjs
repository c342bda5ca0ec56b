// The parse floor: read every file of a list and parse it with the same web-tree-sitter WASM grammars the engine
// uses, no rules, no queries. usage: node parse-floor.mjs LIST
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const { Parser, Language } = require('web-tree-sitter');
const files = fs.readFileSync(process.argv[2], 'utf8').split('\n').filter(Boolean);
await Parser.init({ locateFile: () => require.resolve('web-tree-sitter/web-tree-sitter.wasm') });
const parsers = {};
for (const [lang, pkg] of [
  ['py', 'tree-sitter-python'],
  ['go', 'tree-sitter-go'],
]) {
  const p = new Parser();
  p.setLanguage(await Language.load(fs.readFileSync(require.resolve(`${pkg}/${pkg}.wasm`))));
  parsers[lang] = p;
}
let nodes = 0;
for (const f of files) {
  const p = parsers[path.extname(f).slice(1)];
  if (!p) continue;
  let text;
  try {
    text = fs.readFileSync(f, 'utf8');
  } catch {
    continue;
  }
  const tree = p.parse(text);
  nodes += tree.rootNode.descendantCount;
  tree.delete();
}
console.log(JSON.stringify({ files: files.length, nodes }));
