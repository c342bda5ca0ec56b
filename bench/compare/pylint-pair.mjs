// pylint with perflint over a list of files in N processes at once (-j 1 each), the list split in N by size
// (largest first, each file to the least loaded share), findings merged into one JSON array on stdout.
// Why not `pylint -j N`: its parallel runner ends the whole run at the first exception a checker raises, and
// perflint's loop-invariant check raises on `for a, *rest in …` (AttributeError on a Starred target; Django has
// two such files); a lone pylint records it as F0002 (astroid-error) for that file and goes on.
// usage: node pylint-pair.mjs PYLINT LIST N CHECKS
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
const [pylintArg, list, n, checks] = process.argv.slice(2);
const pylint = path.resolve(pylintArg);
const files = fs.readFileSync(list, 'utf8').split('\n').filter(Boolean);
const size = (f) => {
  try {
    return fs.statSync(f).size;
  } catch {
    return 0;
  }
};
const shares = Array.from({ length: Number(n) }, () => ({ bytes: 0, files: [] }));
for (const f of files.map((f) => [f, size(f)]).sort((a, b) => b[1] - a[1])) {
  const s = shares.reduce((a, b) => (b.bytes < a.bytes ? b : a));
  s.bytes += f[1];
  s.files.push(f[0]);
}
const home = fs.mkdtempSync(path.join(os.tmpdir(), 'hotspots-bench-pylint-')); // its crash reports, not ~/.cache
const children = [];
const run = (share) =>
  new Promise((resolve) => {
    const args = [
      '--rcfile=/dev/null',
      '--load-plugins',
      'perflint',
      '--disable',
      'all',
      '--enable',
      checks,
      '-j',
      '1',
      '--output-format',
      'json',
      '--persistent',
      'n',
      '--score',
      'n',
      ...share.files,
    ];
    const p = spawn(pylint, args, { cwd: home, env: { ...process.env, PYLINT_HOME: home }, stdio: ['ignore', 'pipe', 'ignore'] });
    children.push(p);
    p.on('error', (e) => {
      console.error(`pylint: ${e.message}`);
      process.exit(2);
    });
    let out = '';
    p.stdout.on('data', (d) => {
      out += d;
    });
    // pylint's exit status is a bit mask of the message kinds it printed; 32 is a usage error.
    p.on('close', (code) => resolve({ code, findings: out.trim() ? JSON.parse(out) : [] }));
  });
process.on('SIGTERM', () => {
  for (const c of children) c.kill('SIGTERM');
  process.exit(124);
});
const results = await Promise.all(shares.filter((s) => s.files.length).map(run));
fs.rmSync(home, { recursive: true, force: true });
if (results.some((r) => r.code === null || r.code & 32)) {
  console.error(`pylint failed: exit ${results.map((r) => r.code).join(', ')}`);
  process.exit(2);
}
process.stdout.write(JSON.stringify(results.flatMap((r) => r.findings)));
