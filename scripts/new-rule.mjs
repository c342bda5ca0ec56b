// Scaffolds a rule: `npm run new-rule -- python/<name>` (or go/<name>) writes the rule's file, its fixture and
// golden file, and a benchmark to fill in, and registers the rule in rules/index.ts. The new rule finds nothing
// until its query and check are written, so its fixture test fails until then: that is the to-do list.
//   --root DIR   write into another checkout (the tests use it)
import fs from 'node:fs';
import path from 'node:path';

const args = process.argv.slice(2);
const rootAt = args.indexOf('--root');
const root = rootAt >= 0 ? path.resolve(args[rootAt + 1]) : path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const id = args.find((a, i) => !a.startsWith('--') && (rootAt < 0 || i !== rootAt + 1));
const m = /^(python|go)\/([a-z][a-z0-9]*(?:-[a-z0-9]+)*)$/.exec(id ?? '');
if (!m) {
  console.error('usage: npm run new-rule -- python/<name>|go/<name>   (kebab-case, e.g. python/sorted-then-first)');
  process.exit(2);
}
const [, lang, name] = m;
const camel = name.replace(/-([a-z0-9])/g, (_, c) => c.toUpperCase());
const snake = name.replace(/-/g, '_');
const ext = lang === 'python' ? 'py' : 'go';
const ruleFile = path.join(root, 'rules', lang, `${name}.ts`);
if (fs.existsSync(ruleFile)) {
  console.error(`${path.relative(root, ruleFile)} exists already`);
  process.exit(1);
}

const q = (s) => JSON.stringify(s).slice(1, -1).replace(/'/g, "\\'");
const example =
  lang === 'python'
    ? 'def load(paths):\n    out = []\n    for p in paths:\n        out.append(p)\n    return out\n'
    : 'package jobs\n\nfunc load(paths []string) []string {\n\tvar out []string\n\tfor _, p := range paths {\n\t\tout = append(out, p)\n\t}\n\treturn out\n}\n';
const files = {
  [ruleFile]: `import type { Rule } from '../../analysis/types';

// TODO: what the rule flags and why, then the query and check; see shared/catalogue.md and a neighbouring rule.
export const ${camel}: Rule = {
  meta: {
    id: '${lang}/${name}',
    language: '${lang}',
    title: 'TODO: what it flags, in a few words',
    severity: 'information',
    fix: 'none',
    docs: {
      what: 'TODO: what exactly is flagged, and what is not.',
      why: 'TODO: why it is slow (or wrong), with the runtime source or documentation it rests on.',
      example: '${q(example)}',
      useInstead: '${q(example)}',
      fixSafety: 'TODO: no fix yet.',
    },
  },
  query: '${lang === 'python' ? '(for_statement) @node' : '(for_statement) @node'}',
  check() {
    // TODO: report with ctx.report({ node, message }) where the code shows the hotspot.
  },
};
`,
  [path.join(root, 'test', 'fixtures', lang, `${name}.${ext}`)]:
    lang === 'python'
      ? `"""Fixture for ${lang}/${name}: mark each line that must be flagged with a want marker; every other line must stay clean."""\n\n\n${example.replace('out.append(p)', `out.append(p)  # want: ${lang}/${name}`)}`
      : example.replace('out = append(out, p)', `out = append(out, p) // want: ${lang}/${name}`),
  [path.join(root, 'bench', 'rules', lang, lang === 'python' ? `${snake}.py` : `${snake}_test.go`)]:
    lang === 'python'
      ? `"""${lang}/${name}: TODO the flagged shape vs. the fixed shape."""\nUNIT = "items"\nSIZES = [100, 10_000]\n\n\ndef setup(n):\n    return (list(range(n)),)\n\n\ndef flagged(items):\n    raise NotImplementedError("TODO: the flagged shape")\n\n\ndef fixed(items):\n    raise NotImplementedError("TODO: the fixed shape")\n`
      : `// ${lang}/${name}: TODO the flagged shape vs. the fixed shape.\npackage bench\n\nimport "testing"\n\n// unit: items\nvar ${camel}Sizes = []int{100, 10000}\n\nfunc Test${camel[0].toUpperCase() + camel.slice(1)}(t *testing.T) { t.Skip("TODO: check both shapes agree") }\n\nfunc Benchmark${camel[0].toUpperCase() + camel.slice(1)}(b *testing.B) {\n\tshapes(b, ${camel}Sizes, func(b *testing.B, n int) { b.Skip("TODO") }, func(b *testing.B, n int) { b.Skip("TODO") })\n}\n`,
};
for (const [file, text] of Object.entries(files)) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  console.log(`wrote ${path.relative(root, file)}`);
}

// The registry: the import among the others, the rule at the end of its language's group.
const index = path.join(root, 'rules', 'index.ts');
let reg = fs.readFileSync(index, 'utf8');
const imports = [...reg.matchAll(/^import \{ \w+ \} from '\.\/[\w/-]+';$/gm)];
const line = `import { ${camel} } from './${lang}/${name}';`;
const after = imports.filter((i) => i[0] < line).pop() ?? imports[0];
reg = after ? reg.replace(after[0], after[0] < line ? `${after[0]}\n${line}` : `${line}\n${after[0]}`) : `${line}\n${reg}`;
reg = reg.replace(/export const RULES: readonly Rule\[\] = \[([\s\S]*?)\];/, (all, body) => {
  const names = body
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const goStart = names.findIndex((n) => /^(waitgroupGoUnavailable)$/.test(n));
  if (lang === 'python' && goStart >= 0) names.splice(goStart, 0, camel);
  else names.push(camel);
  return `export const RULES: readonly Rule[] = [${names.join(', ')}];`;
});
fs.writeFileSync(index, reg);
console.log(`registered ${camel} in rules/index.ts`);
console.log(
  `\nnext: write the query and check (the fixture test fails until the marked line is found), the docs, a benchmark in\nbench/rules/${lang}/, then npm run bench:rules -- ${name} and npm run docs.`,
);
