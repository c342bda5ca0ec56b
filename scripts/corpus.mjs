// Runs every rule over a folder of real code and prints per-rule counts (findings, with safe / unsafe / no fix).
// Usage: npm run corpus -- DIR [DIR...]      (SAMPLE=N also prints N findings per rule, spread over the list)
//        npm run corpus -- --fresh           the fresh corpora of scripts/corpora.json (`npm run corpora` installs
//                                            them), with a table per project and one of rules by project; the
//                                            original set only (the entries without a "set"), as before
//        npm run corpus -- --corpus NAMES    some of them: requests,client-go (or all, python, go: the original set's)
//        npm run corpus -- --corpus held-out the held-out set (entries with "set": "held-out"), which no rule was
//                                            tuned on (`npm run corpora -- held-out` installs it)
//        --out FILE                          also writes every finding, with its project, as JSON (for sampling)
// DIRs and fresh corpora can be given together; each DIR then counts as a project of its own.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { countSources, installed, selectCorpora, thousands } from './corpora-lib.mjs';

const usage = 'usage: npm run corpus -- [DIR...] [--fresh | --corpus NAME,...|held-out] [--out FILE]';
const argv = process.argv.slice(2);
const dirs = [];
let fresh, out;
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a === '--fresh') fresh = fresh ?? 'all';
  else if (a === '--corpus') {
    fresh = argv[++i];
    if (!fresh) {
      console.error(usage);
      process.exit(2);
    }
  } else if (a.startsWith('--corpus=')) fresh = a.slice('--corpus='.length);
  else if (a === '--out') out = argv[++i];
  else if (a.startsWith('--')) {
    console.error(`unknown option ${a}\n${usage}`);
    process.exit(2);
  } else dirs.push(a);
}
// The projects: each fresh corpus, then each DIR given.
const projects = [];
if (fresh) {
  let chosen;
  try {
    chosen = selectCorpora(fresh);
  } catch (e) {
    console.error(e.message);
    process.exit(2);
  }
  const missing = chosen.filter((c) => !installed(c));
  if (missing.length) {
    console.error(`not installed: ${missing.map((c) => `${c.name} ${c.version}`).join(', ')}; npm run corpora -- ${missing.map((c) => c.name).join(',')}`);
    process.exit(2);
  }
  for (const c of chosen) projects.push({ name: c.name, lang: c.lang, version: c.version, dir: c.dir });
}
for (const d of dirs) projects.push({ name: d, dir: path.resolve(d) });
if (!projects.length) {
  console.error(usage);
  process.exit(2);
}

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const t0 = Date.now();
const scanned = fresh ? projects.map((p) => p.dir) : dirs;
const r = spawnSync(process.execPath, [path.join(root, 'bin', 'hotspots.js'), 'scan', '--format', 'json', ...scanned], {
  encoding: 'utf8',
  maxBuffer: 1 << 30,
});
if (r.status === 2) {
  console.error(r.stderr);
  process.exit(2);
}
const { findings } = JSON.parse(r.stdout);
const skippedLines = r.stderr.split('\n').filter(Boolean);
const skipped = skippedLines.length;
const rules = JSON.parse(spawnSync(process.execPath, [path.join(root, 'bin', 'hotspots.js'), 'rules', '--format', 'json'], { encoding: 'utf8' }).stdout);
const files = new Set(findings.map((f) => f.path)).size;
const seconds = ((Date.now() - t0) / 1000).toFixed(1);
const what = fresh ? `${projects.length} projects` : dirs.join(' ');
console.log(`\n${what}: ${findings.length} findings in ${files} files (${skipped} files skipped), ${seconds} s\n`);
console.log('| rule | findings | safe fix | unsafe fix | no fix |');
console.log('|---|---:|---:|---:|---:|');
for (const rule of rules) {
  const mine = findings.filter((f) => f.rule === rule.id);
  const count = (a) => mine.filter((f) => (f.fix ? f.fix.applicability : 'none') === a).length;
  console.log(`| ${rule.id} | ${mine.length} | ${count('safe')} | ${count('unsafe')} | ${count('none')} |`);
}

// Per project: a finding belongs to the project whose folder holds it (the longest such folder).
const byDir = [...projects].sort((a, b) => b.dir.length - a.dir.length);
const projectOf = (file) => {
  const abs = path.resolve(file);
  return byDir.find((p) => abs === p.dir || abs.startsWith(p.dir + path.sep));
};
for (const p of projects) p.findings = [];
for (const f of findings) projectOf(f.path)?.findings.push(f);
if (projects.length > 1 || fresh) {
  console.log('\n| project | language | version | files | lines | findings | files with findings | skipped |');
  console.log('|---|---|---|---:|---:|---:|---:|---:|');
  for (const p of projects) {
    const langs = p.lang ? [p.lang] : ['python', 'go'];
    const size = langs.map((l) => countSources(p.dir, l)).reduce((a, b) => ({ files: a.files + b.files, lines: a.lines + b.lines }));
    const skip = skippedLines.filter((l) => {
      const abs = path.resolve(l.split(':')[0]);
      return projectOf(abs) === p;
    }).length;
    console.log(
      `| ${p.name} | ${p.lang ?? ''} | ${p.version ?? ''} | ${thousands(size.files)} | ${thousands(size.lines)} | ${p.findings.length} | ${new Set(p.findings.map((f) => f.path)).size} | ${skip} |`,
    );
  }
  // Rules by project, one table per language (each rule's row across the projects of its language).
  for (const lang of ['python', 'go']) {
    const cols = projects.filter((p) => !p.lang || p.lang === lang);
    const langRules = rules.filter((rule) => rule.language === lang);
    if (!cols.length || !langRules.length || (!fresh && !findings.some((f) => f.rule.startsWith(`${lang}/`)))) continue;
    console.log(`\n| ${lang} rule | ${cols.map((p) => p.name).join(' | ')} | all |`);
    console.log(`|---|${cols.map(() => '---:').join('|')}|---:|`);
    for (const rule of langRules) {
      const counts = cols.map((p) => p.findings.filter((f) => f.rule === rule.id).length);
      console.log(`| ${rule.id} | ${counts.join(' | ')} | ${counts.reduce((a, b) => a + b, 0)} |`);
    }
  }
}
if (out) {
  fs.writeFileSync(
    out,
    JSON.stringify(
      { projects: projects.map(({ findings: _, ...p }) => p), findings: findings.map((f) => ({ project: projectOf(f.path)?.name, ...f })) },
      null,
      1,
    ) + '\n',
  );
  console.log(`\n${findings.length} findings written to ${out}`);
}

const sample = Number(process.env.SAMPLE || 0);
if (sample) {
  for (const rule of rules) {
    const mine = findings.filter((f) => f.rule === rule.id);
    for (let i = 0; i < Math.min(sample, mine.length); i++) {
      const f = mine[Math.floor((i * mine.length) / Math.min(sample, mine.length))];
      const lines = fs.readFileSync(f.path, 'utf8').split(/\r?\n/);
      console.log(`\n--- ${rule.id}  ${f.path}:${f.line}  (${f.fix ? f.fix.applicability : 'no'} fix)`);
      for (let l = Math.max(0, f.line - 3); l < Math.min(lines.length, f.endLine + 1); l++) console.log(`${l + 1 === f.line ? '>' : ' '} ${lines[l]}`);
    }
  }
}
