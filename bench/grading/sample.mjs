// Draws the graded sample: up to N findings per rule from a findings file written by
// `npm run corpus -- --fresh --out FILE`, with a fixed seed, so the same findings give the same sample.
//   node bench/grading/sample.mjs --findings FILE --out SAMPLE.json [--seed 20261201] [--per-rule 10]
//   node bench/grading/sample.mjs --show SAMPLE.json [ID...]   prints each sampled finding with its code
// The sample names each finding by project, version, path and line (no code is copied: the corpora are installed
// by `npm run corpora`, and --show reads the code from there). Labels live beside it (labels-*.json), one per
// finding id: TP (worth attention), negligible (true but the cost does not matter where the code runs) or FP
// (the claim is wrong), each with a reason, given by someone who did not write the rule.
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};

/** mulberry32: a small seeded generator, so a sample is reproducible from its seed. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function draw() {
  const file = opt('--findings');
  const out = opt('--out');
  if (!file || !out) {
    console.error('usage: sample.mjs --findings FILE --out SAMPLE.json [--seed N] [--per-rule N]');
    process.exit(2);
  }
  const seed = Number(opt('--seed', '20261201'));
  const perRule = Number(opt('--per-rule', '10'));
  const { projects, findings } = JSON.parse(fs.readFileSync(file, 'utf8'));
  const byName = new Map(projects.map((p) => [p.name, p]));
  const byRule = new Map();
  for (const f of findings) {
    if (!byRule.has(f.rule)) byRule.set(f.rule, []);
    byRule.get(f.rule).push(f);
  }
  const next = rng(seed);
  const sample = [];
  for (const rule of [...byRule.keys()].sort()) {
    // A stable order first (the scan's order depends on threads), then a seeded shuffle.
    const all = byRule.get(rule).sort((a, b) => a.path.localeCompare(b.path) || a.line - b.line || a.column - b.column);
    for (let i = all.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [all[i], all[j]] = [all[j], all[i]];
    }
    all.slice(0, perRule).forEach((f, k) => {
      const p = byName.get(f.project);
      sample.push({
        id: `${rule}#${k + 1}`,
        rule,
        project: f.project,
        version: p?.version,
        path: path.relative(p?.dir ?? root, f.path),
        line: f.line,
        column: f.column,
        severity: f.severity,
        message: f.message,
        fix: f.fix?.applicability ?? null,
        of: all.length,
      });
    });
  }
  fs.writeFileSync(out, JSON.stringify({ seed, perRule, source: path.basename(file), drawn: sample.length, sample }, null, 1) + '\n');
  console.log(`${sample.length} findings sampled from ${findings.length} (${byRule.size} rules, seed ${seed}) -> ${out}`);
}

function show() {
  const file = opt('--show');
  const ids = args.filter((a, i) => i > args.indexOf('--show') + 1);
  const { sample } = JSON.parse(fs.readFileSync(file, 'utf8'));
  const corpora = JSON.parse(fs.readFileSync(path.join(root, 'scripts', 'corpora.json'), 'utf8'));
  const dirOf = (name) => {
    const py = corpora.python.find((c) => c.name === name);
    if (py) return path.join(root, '.tools', 'corpora', 'python', `${py.name}-${py.version}`);
    const go = corpora.go.find((c) => c.name === name);
    return go ? path.join(root, '.tools', 'corpora', 'go', `${go.name}@${go.version}`) : undefined;
  };
  for (const s of sample.filter((x) => !ids.length || ids.includes(x.id))) {
    const file = path.join(dirOf(s.project) ?? '', s.path);
    console.log(
      `\n=== ${s.id}  ${s.project} ${s.version}  ${s.path}:${s.line}:${s.column}  [${s.severity}, fix: ${s.fix ?? 'none'}]\n${s.message}\n--- ${file}`,
    );
    let lines;
    try {
      lines = fs.readFileSync(file, 'utf8').split('\n');
    } catch {
      console.log('(not installed: npm run corpora)');
      continue;
    }
    for (let i = Math.max(1, s.line - 25); i <= Math.min(lines.length, s.line + 12); i++)
      console.log(`${i === s.line ? '>' : ' '}${String(i).padStart(5)}  ${lines[i - 1]}`);
  }
}

if (args.includes('--show')) show();
else draw();
