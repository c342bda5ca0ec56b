// The layering, checked on every import (`npm run check:layers`, and a step of `npm test`):
//   analysis/  the kernel: imports only itself and web-tree-sitter (no file system, no vscode, no LSP);
//   rules/     imports only itself, the kernel, web-tree-sitter and the measured figures (bench/rules/results.json);
//   client/    the thin extension: vscode, Node's path, the language client and protocol/, nothing of the server's;
//   protocol/  the typed requests between client and server: vscode-jsonrpc only;
//   server/    the language server, the CLI and workspace I/O: anything above.
// Within rules/, a rule (rules/python/*.ts, rules/go/*.ts) imports no other rule, only the helpers of rules/lib/, and
// not analysis/reads.ts: what a rule learns beyond its piece comes from the models and helpers, which record the
// read themselves, so a rule cannot make the incremental analysis unsound by forgetting to.
// Prints every import that breaks a rule, and exits 1 when there is one.
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const LAYERS = [
  { dir: 'analysis', packages: ['web-tree-sitter'], folders: ['analysis'] },
  { dir: 'rules', packages: ['web-tree-sitter'], folders: ['rules', 'analysis'], files: ['bench/rules/results.json'] },
  { dir: 'client/src', packages: ['vscode', 'vscode-languageclient', 'vscode-languageclient/node', 'path'], folders: ['client/src', 'protocol'] },
  { dir: 'protocol', packages: ['vscode-jsonrpc'], folders: ['protocol'] },
];
const IMPORT =
  /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|(?:^|\n)\s*import\s*['"]([^'"]+)['"]|\brequire\(\s*['"]([^'"]+)['"]\s*\)|\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

function sources(dir) {
  const out = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(ts|mts|cts|js|mjs)$/.test(e.name)) out.push(p);
    }
  };
  walk(path.join(root, dir));
  return out;
}

const problems = [];
let checked = 0;
for (const layer of LAYERS) {
  for (const file of sources(layer.dir)) {
    const text = fs.readFileSync(file, 'utf8');
    for (const m of text.matchAll(IMPORT)) {
      const spec = m[1] ?? m[2] ?? m[3] ?? m[4];
      checked++;
      const rel = path.relative(root, file);
      if (spec.startsWith('.')) {
        const target = path.relative(root, path.resolve(path.dirname(file), spec));
        const ok = layer.folders.some((f) => target === f || target.startsWith(`${f}/`)) || (layer.files ?? []).includes(target);
        if (!ok)
          problems.push(
            `${rel}: imports ${spec} (${target}), outside what ${layer.dir}/ may import (${[...layer.folders, ...(layer.files ?? [])].join(', ')})`,
          );
      } else if (!layer.packages.includes(spec)) {
        problems.push(`${rel}: imports the package ${spec}; ${layer.dir}/ may import only ${layer.packages.join(', ')}`);
      }
    }
  }
}
for (const lang of ['python', 'go']) {
  for (const file of sources(`rules/${lang}`)) {
    const rel = path.relative(root, file);
    for (const m of fs.readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const spec = m[1] ?? m[2] ?? m[3] ?? m[4];
      if (!spec.startsWith('.')) continue;
      checked++;
      const target = path.relative(root, path.resolve(path.dirname(file), spec));
      if (/^rules\/(python|go)\//.test(target)) problems.push(`${rel}: imports the rule ${target}; shared code goes into rules/lib/`);
      if (target === 'analysis/reads') problems.push(`${rel}: records reads itself; ask a model or a rules/lib/ helper, which records them`);
    }
  }
}
for (const p of problems) console.error(p);
console.log(`layers: ${checked} imports checked in ${LAYERS.map((l) => `${l.dir}/`).join(', ')}; ${problems.length} outside their layer`);
process.exit(problems.length ? 1 : 0);
