// `--format sarif` validated against the SARIF 2.1.0 schema; and the CLI's CI-oriented flags.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import Ajv from 'ajv-draft-04';

const BIN = path.join(__dirname, '..', 'bin', 'hotspots.js');
const run = (args: string[], input?: string, cwd?: string) => {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', input, cwd });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

describe('hotspots CLI for CI', function () {
  this.timeout(20000);
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotspots-sarif-'));
    fs.mkdirSync(path.join(dir, 'pkg'));
    fs.writeFileSync(
      path.join(dir, 'pkg', 'jobs.py'),
      'import requests\n\n\ndef run(rows):\n    for r in rows:\n        import json\n        print(json.dumps(r), requests.get(r))\n',
    );
    fs.writeFileSync(path.join(dir, 'ok.py'), 'x = 1\n');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes SARIF 2.1.0 that validates against the schema, with rules, levels, locations and fixes', () => {
    const r = run(['scan', '--format', 'sarif', '.'], undefined, dir);
    assert.strictEqual(r.code, 1, r.stderr);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const log: any = JSON.parse(r.stdout);
    const schema = JSON.parse(fs.readFileSync(path.join(__dirname, 'schemas', 'sarif-2.1.0-rtm.5.json'), 'utf8'));
    // The schema's language-tag pattern is not valid as a Unicode regular expression; it is as a plain one.
    const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false, unicodeRegExp: false });
    const validate = ajv.compile(schema);
    assert.ok(validate(JSON.parse(r.stdout)), JSON.stringify(validate.errors, null, 2));
    // And the check can fail: a result without a message is rejected.
    const broken = JSON.parse(r.stdout);
    delete broken.runs[0].results[0].message;
    assert.strictEqual(validate(broken), false);
    const run0 = log.runs[0];
    const ids = run0.tool.driver.rules.map((x: { id: string }) => x.id);
    assert.ok(ids.includes('python/import-in-loop') && ids.includes('python/http-without-timeout'));
    assert.ok(
      run0.tool.driver.rules.every(
        (x: { helpUri?: string; shortDescription: { text: string } }) => x.helpUri?.startsWith('file://') && x.shortDescription.text,
      ),
    );
    const results = run0.results as Array<{
      ruleId: string;
      ruleIndex: number;
      level: string;
      locations: Array<{ physicalLocation: { artifactLocation: { uri: string; uriBaseId: string }; region: { startLine: number; startColumn: number } } }>;
      fixes?: Array<{ artifactChanges: Array<{ replacements: unknown[] }> }>;
    }>;
    assert.deepStrictEqual(results.map((x) => x.ruleId).sort(), ['python/http-without-timeout', 'python/import-in-loop', 'python/requests-without-session']);
    const imp = results.find((x) => x.ruleId === 'python/import-in-loop')!;
    assert.strictEqual(ids[imp.ruleIndex], 'python/import-in-loop');
    assert.strictEqual(imp.level, 'note'); // information (performance rules default to it)
    assert.deepStrictEqual(imp.locations[0].physicalLocation.artifactLocation, { uri: 'pkg/jobs.py', uriBaseId: '%SRCROOT%' });
    assert.deepStrictEqual([imp.locations[0].physicalLocation.region.startLine, imp.locations[0].physicalLocation.region.startColumn], [6, 9]);
    assert.ok(imp.fixes && imp.fixes[0].artifactChanges[0].replacements.length >= 2, 'the fix carries its replacements');
  });

  it('--exit-zero exits 0 with findings, and still 2 on an error', () => {
    assert.strictEqual(run(['scan', '--exit-zero', dir]).code, 0);
    assert.strictEqual(run(['scan', '--exit-zero', path.join(dir, 'missing.py')]).code, 2);
  });

  it('--statistics counts findings per rule', () => {
    fs.writeFileSync(path.join(dir, 'more.py'), 'def f(rows):\n    for r in rows:\n        import os\n        import sys\n');
    const r = run(['scan', '--statistics', '--format', 'json', dir]);
    assert.strictEqual(r.code, 1);
    const stats = JSON.parse(r.stdout);
    assert.deepStrictEqual(
      stats.find((s: { rule: string }) => s.rule === 'python/import-in-loop'),
      { rule: 'python/import-in-loop', count: 3, fixable: 3 },
    );
    const text = run(['scan', '--statistics', dir]).stdout;
    assert.match(text, /^\s+3 {2}python\/import-in-loop\s+\[3 fixable\]$/m);
  });

  it('--stdin-filename analyses standard input, and with --fix writes the fixed source to standard output', () => {
    const src = 'def walk(rows):\n    for r in rows:\n        import os\n';
    const r = run(['scan', '--stdin-filename', 'src/tool.py', '--format', 'json'], src);
    assert.strictEqual(r.code, 1);
    assert.deepStrictEqual(
      JSON.parse(r.stdout).findings.map((f: { path: string; line: number; rule: string }) => [f.path, f.line, f.rule]),
      [['src/tool.py', 3, 'python/import-in-loop']],
    );
    const fixed = run(['scan', '--stdin-filename', 'tool.py', '--fix'], src);
    assert.strictEqual(fixed.code, 0, fixed.stderr);
    assert.strictEqual(fixed.stdout, 'import os\ndef walk(rows):\n    for r in rows:\n        pass\n');
    assert.match(fixed.stderr, /Found 0 hotspots in 0 of 1 file\./);
    assert.strictEqual(run(['scan', '--stdin-filename', 'notes.txt'], src).code, 2);
  });
});
