// The language server over real JSON-RPC on stdio: diagnostics, code actions, incremental edits, scan, shutdown.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { CancellationTokenSource } from 'vscode-jsonrpc/node';
import { analyzeSource, initEngine } from '../../server/src/engine';
import { TestClient, type Diag } from './client';

interface Action {
  title: string;
  kind?: string;
  isPreferred?: boolean;
  edit?: { documentChanges?: Array<{ textDocument: { uri: string; version: number }; edits: Array<{ range: Diag['range']; newText: string }> }> };
  command?: { command: string; arguments?: unknown[] };
}

function applyAction(text: string, a: Action): string {
  const edits = a.edit!.documentChanges!.flatMap((c) => c.edits);
  return TextDocument.applyEdits(TextDocument.create('file:///x.py', 'python', 1, text), edits);
}

const SAMPLE = [
  'import asyncio',
  '',
  '',
  'def labels(rows):',
  '    out = []',
  '    for row in rows:',
  '        désignation = "ñandú 😀"; from datetime import datetime',
  '        import json',
  '        out.append(json.dumps(row) + désignation)',
  '    return out',
  '',
  '',
  'async def main():',
  '    loop = asyncio.get_event_loop()',
  '    return loop',
  '',
].join('\n');

describe('language server over stdio', function () {
  this.timeout(20000);
  let client: TestClient;
  const uri = 'file:///tmp/hotspots-lsp-test/sample.py';

  before(async () => {
    await initEngine();
  });
  beforeEach(() => {
    client = new TestClient();
  });
  afterEach(async () => {
    if (client.proc.exitCode === null) client.proc.kill();
  });

  it('initializes, publishes diagnostics with UTF-16 positions after non-ASCII text, and shuts down cleanly', async () => {
    const init = await client.initialize();
    assert.ok(init.capabilities.codeActionProvider, 'code actions advertised');
    await client.open(uri, SAMPLE);
    const diags = await client.diagnosticsFor(uri, 1);
    assert.deepStrictEqual(diags.map((d) => d.code).sort(), ['python/get-event-loop-in-coroutine', 'python/import-in-loop', 'python/import-in-loop']);
    const line6 = SAMPLE.split('\n')[6];
    const d = diags.find((x) => x.range.start.line === 6)!;
    assert.ok(d, 'the import after non-ASCII text on line 7 is found');
    // LSP counts UTF-16 units: the emoji is two, the accented letters one each.
    assert.strictEqual(d.range.start.character, line6.indexOf('from datetime'));
    assert.strictEqual(d.range.end.character, line6.length);
    assert.strictEqual(d.source, 'hotspots');
    assert.ok(d.codeDescription?.href.startsWith('file://') && d.codeDescription.href.endsWith('python/import-in-loop.md'));
    assert.strictEqual(await client.shutdown(), 0);
  });

  it('offers the fix, fix-all-of-rule, suppress and docs actions, and the fix changes the text as expected', async () => {
    await client.initialize();
    await client.open(uri, SAMPLE);
    const diags = await client.diagnosticsFor(uri, 1);
    const d = diags.find((x) => x.code === 'python/get-event-loop-in-coroutine')!;
    const actions = (await client.conn.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: d.range,
      context: { diagnostics: [d] },
    })) as Action[];
    const titles = actions.map((a) => a.title);
    const fix = actions.find((a) => a.isPreferred)!;
    assert.ok(fix, `a preferred fix among ${JSON.stringify(titles)}`);
    assert.strictEqual(fix.edit!.documentChanges![0].textDocument.version, 1, 'edits carry the document version');
    assert.ok(applyAction(SAMPLE, fix).includes('loop = asyncio.get_running_loop()'));
    assert.ok(titles.includes('Suppress python/get-event-loop-in-coroutine on this line'));
    const docs = actions.find((a) => a.command?.command === 'hotspots.showRuleDocs');
    assert.deepStrictEqual(docs?.command?.arguments, ['python/get-event-loop-in-coroutine']);

    const imp = diags.filter((x) => x.code === 'python/import-in-loop');
    const impActions = (await client.conn.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: imp[1].range,
      context: { diagnostics: [imp[1]] },
    })) as Action[];
    const all = impActions.find((a) => a.title.startsWith('Fix all python/import-in-loop'));
    assert.ok(all, `fix all of the rule among ${JSON.stringify(impActions.map((a) => a.title))}`);
    const fixed = applyAction(SAMPLE, all);
    assert.ok(
      fixed.startsWith('import asyncio\nimport json\nfrom datetime import datetime\n') ||
        fixed.startsWith('import asyncio\nfrom datetime import datetime\nimport json\n'),
      fixed,
    );
    assert.strictEqual(analyzeSource(fixed, 'python').filter((f) => f.rule === 'python/import-in-loop').length, 0);

    const suppress = impActions.find((a) => a.title.startsWith('Suppress'))!;
    const suppressed = applyAction(SAMPLE, suppress);
    assert.ok(suppressed.split('\n')[7].endsWith('import json  # hotspots: ignore[import-in-loop]'), suppressed.split('\n')[7]);
    await client.change(uri, 2, [{ text: suppressed }]);
    const after = await client.diagnosticsFor(uri, 2);
    assert.strictEqual(after.filter((x) => x.code === 'python/import-in-loop').length, 1, 'the suppressed line has no finding');
  });

  it('source.fixAll.hotspots applies every safe fix', async () => {
    await client.initialize();
    await client.open(uri, SAMPLE);
    await client.diagnosticsFor(uri, 1);
    const actions = (await client.conn.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [], only: ['source.fixAll'] },
    })) as Action[];
    assert.strictEqual(actions.length, 1);
    assert.strictEqual(actions[0].kind, 'source.fixAll.hotspots');
    const fixed = applyAction(SAMPLE, actions[0]);
    assert.deepStrictEqual(
      analyzeSource(fixed, 'python').filter((f) => f.fix?.applicability === 'safe'),
      [],
    );
    assert.ok(fixed.includes('asyncio.get_running_loop()'));
  });

  it('follows incremental edits, and the incrementally parsed tree gives what a fresh parse gives', async () => {
    await client.initialize();
    const text0 = 'def f(rows):\n    for r in rows:\n        print(r)\n';
    await client.open(uri, text0);
    assert.deepStrictEqual(await client.diagnosticsFor(uri, 1), []);
    // Type an import into the loop body, one character at a time, as an editor sends it.
    let doc = TextDocument.create(uri, 'python', 1, text0);
    const typed = '        import os\n';
    let version = 1;
    for (let i = 0; i < typed.length; i++) {
      const pos = doc.positionAt(text0.indexOf('        print') + i);
      const change = { range: { start: pos, end: pos }, text: typed[i] };
      doc = TextDocument.update(doc, [change], ++version);
      await client.change(uri, version, [change]);
    }
    let diags = await client.diagnosticsFor(uri, version);
    assert.deepStrictEqual(
      diags.map((d) => [d.code, d.range.start.line]),
      [['python/import-in-loop', 2]],
    );
    // Replace the loop with a while loop over a multi-line range.
    const start = doc.positionAt(doc.getText().indexOf('for r in rows:'));
    const end = doc.positionAt(doc.getText().indexOf('for r in rows:') + 'for r in rows:'.length);
    const change = { range: { start, end }, text: 'while rows:\n        r = rows.pop()' };
    doc = TextDocument.update(doc, [change], ++version);
    await client.change(uri, version, [change]);
    diags = await client.diagnosticsFor(uri, version);
    const fresh = analyzeSource(doc.getText(), 'python');
    assert.deepStrictEqual(
      diags.map((d) => [d.code, d.range.start.line]),
      fresh.map((f) => [f.rule, doc.positionAt(f.start).line]),
    );
    assert.strictEqual(diags.length, 1);
    // Delete the import: the diagnostic goes.
    const imp = doc.getText().indexOf('        import os\n');
    const del = { range: { start: doc.positionAt(imp), end: doc.positionAt(imp + '        import os\n'.length) }, text: '' };
    doc = TextDocument.update(doc, [del], ++version);
    await client.change(uri, version, [del]);
    assert.deepStrictEqual(await client.diagnosticsFor(uri, version), []);
  });

  it('keeps findings outside a syntax error and offers no fix that touches it', async () => {
    await client.initialize();
    const broken = 'def f(rows):\n    for r in rows:\n        import os\n\n\ndef g(:\n    for r in rows:\n        import sys\n';
    await client.open(uri, broken);
    const diags = await client.diagnosticsFor(uri, 1);
    assert.ok(
      diags.some((d) => d.range.start.line === 2),
      'the finding before the broken def is still reported',
    );
    for (const d of diags) {
      const actions = (await client.conn.sendRequest('textDocument/codeAction', {
        textDocument: { uri },
        range: d.range,
        context: { diagnostics: [d] },
      })) as Action[];
      for (const a of actions.filter((x) => x.edit && !x.title.startsWith('Suppress'))) {
        const out = applyAction(broken, a);
        const brokenAt = out.indexOf('def g(:');
        assert.ok(brokenAt >= 0, 'the broken region is untouched');
      }
    }
  });

  it('honours hotspots.rules from the client configuration', async () => {
    client.configuration = { enable: true, rules: { 'import-in-loop': 'off', 'python/get-event-loop-in-coroutine': 'error' } };
    await client.initialize();
    await client.open(uri, SAMPLE);
    const diags = await client.until(() => {
      const d = client.diagnostics.get(uri);
      return d && d.diagnostics.length && !d.diagnostics.some((x) => x.code === 'python/import-in-loop') ? d.diagnostics : undefined;
    });
    assert.deepStrictEqual(
      diags.map((d) => [d.code, d.severity]),
      [['python/get-event-loop-in-coroutine', 1]],
    );
  });

  it('publishes nothing when hotspots.enable is false', async () => {
    client.configuration = { enable: false, rules: {} };
    await client.initialize();
    await client.open(uri, SAMPLE);
    // The first publish may race the configuration; the last one must be empty.
    await client.until(() => {
      const d = client.diagnostics.get(uri);
      return d && d.diagnostics.length === 0;
    });
    const actions = (await client.conn.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [], only: ['source.fixAll'] },
    })) as Action[];
    assert.deepStrictEqual(actions, []);
  });

  it('scans the workspace folder, reports progress, and publishes findings for files on disk', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotspots-scan-'));
    fs.writeFileSync(path.join(dir, 'a.py'), 'for x in range(n):\n    import os\n');
    fs.mkdirSync(path.join(dir, 'pkg'));
    fs.writeFileSync(path.join(dir, 'pkg', 'b.py'), 'import asyncio\nasync def f():\n    return asyncio.get_event_loop()\n');
    fs.writeFileSync(path.join(dir, 'pkg', 'bin.py'), Buffer.from([0x69, 0x00, 0x01, 0xff]));
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'for x in y: import os\n');
    try {
      await client.initialize(URI.file(dir).toString());
      const result = (await client.conn.sendRequest('hotspots/scan', {})) as {
        files: number;
        findings: number;
        cancelled: boolean;
        skipped: Array<{ path: string; message: string }>;
      };
      assert.strictEqual(result.files, 3);
      assert.strictEqual(result.findings, 2);
      assert.strictEqual(result.cancelled, false);
      assert.deepStrictEqual(
        result.skipped.map((s) => [path.basename(s.path), s.message]),
        [['bin.py', 'skipped: binary file (NUL byte)']],
      );
      const a = await client.until(() => client.diagnostics.get(URI.file(path.join(dir, 'a.py')).toString()));
      assert.deepStrictEqual(
        a.diagnostics.map((d) => d.code),
        ['python/import-in-loop'],
      );
      const progress = client.notifications.filter((n) => n.method === 'hotspots/scanProgress').map((n) => n.params as { done: number; total: number });
      assert.deepStrictEqual(progress[progress.length - 1], { done: 3, total: 3 });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('in a virtual workspace: analyses open documents from their text, and a scan finds no folder on disk', async () => {
    await client.initialize('vscode-vfs://github/someone/repo');
    const uri = 'vscode-vfs://github/someone/repo/jobs.go';
    await client.open(uri, 'package jobs\n\nfunc join(xs []string) string {\n\ts := ""\n\tfor _, x := range xs {\n\t\ts += x\n\t}\n\treturn s\n}\n', 'go');
    const d = await client.diagnosticsFor(uri, 1);
    assert.deepStrictEqual(
      d.map((x) => x.code),
      ['go/string-concat-in-loop'],
    );
    const result = (await client.conn.sendRequest('hotspots/scan', {})) as { files: number };
    assert.strictEqual(result.files, 0);
    assert.strictEqual(await client.shutdown(), 0);
  });

  it("the workspace scan skips .gitignore'd paths, files.exclude and hotspots.exclude", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotspots-exclude-'));
    const loop = 'for x in range(n):\n    import os\n';
    for (const f of ['keep.py', 'build/gen.py', 'vendored/lib.py', 'notes/draft.py', 'sub/ignored_here.py', 'sub/kept.py']) {
      fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
      fs.writeFileSync(path.join(dir, f), loop);
    }
    fs.writeFileSync(path.join(dir, '.gitignore'), 'build/\n');
    fs.writeFileSync(path.join(dir, 'sub', '.gitignore'), 'ignored_here.py\n');
    try {
      client.configuration = { enable: true, rules: {}, exclude: ['notes/'] };
      client.filesExclude = { '**/vendored': true, '**/keep.py': false };
      await client.initialize(URI.file(dir).toString());
      const result = (await client.conn.sendRequest('hotspots/scan', {})) as { files: number };
      assert.strictEqual(result.files, 2, 'keep.py and sub/kept.py');
      assert.ok(client.diagnostics.has(URI.file(path.join(dir, 'sub', 'kept.py')).toString()));
      assert.ok(!client.diagnostics.has(URI.file(path.join(dir, 'build', 'gen.py')).toString()));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a big workspace scan in worker threads publishes what one thread publishes; a re-scan reuses unchanged files', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotspots-pool-'));
    for (let i = 0; i < 120; i++) {
      const body =
        i % 3 === 0 ? 'for x in range(n):\n    import os\n' : i % 3 === 1 ? 'import asyncio\nasync def f():\n    return asyncio.get_event_loop()\n' : 'x = 1\n';
      fs.writeFileSync(path.join(dir, `m${i}.py`), body);
    }
    fs.writeFileSync(path.join(dir, 'bin.py'), Buffer.from([0x69, 0x00]));
    const scan = async (threads: string) => {
      const saved = process.env.HOTSPOTS_THREADS;
      process.env.HOTSPOTS_THREADS = threads;
      const c = new TestClient();
      if (saved === undefined) delete process.env.HOTSPOTS_THREADS;
      else process.env.HOTSPOTS_THREADS = saved;
      try {
        await c.initialize(URI.file(dir).toString());
        const { ms: _ms, ...first } = (await c.conn.sendRequest('hotspots/scan', {})) as {
          files: number;
          findings: number;
          threads: number;
          cached: number;
          ms: number;
          skipped: Array<{ path: string; message: string }>;
        };
        const published = [...c.diagnostics.entries()]
          .map(([u, d]) => `${path.basename(u)} ${d.diagnostics.map((x) => `${x.code}@${x.range.start.line}:${x.range.start.character}`).join()}`)
          .sort();
        fs.writeFileSync(path.join(dir, 'm2.py'), 'for y in range(n):\n    import json\n');
        const again = (await c.conn.sendRequest('hotspots/scan', {})) as { files: number; findings: number; cached: number };
        const m2 = c.diagnostics.get(URI.file(path.join(dir, 'm2.py')).toString())!.diagnostics.map((x) => x.code);
        fs.writeFileSync(path.join(dir, 'm2.py'), 'x = 1\n');
        await c.shutdown();
        return { first, published, again, m2 };
      } finally {
        if (c.proc.exitCode === null) c.proc.kill();
      }
    };
    try {
      const one = await scan('1');
      const two = await scan('2');
      assert.strictEqual(two.first.files, 121);
      assert.strictEqual(two.first.findings, 80);
      assert.deepStrictEqual(
        two.first.skipped.map((s) => path.basename(s.path)),
        ['bin.py'],
      );
      assert.deepStrictEqual(two.published, one.published);
      assert.strictEqual(one.first.threads, 1);
      assert.strictEqual(two.first.threads, 2);
      assert.deepStrictEqual({ ...two.first, threads: 1 }, one.first);
      assert.strictEqual(two.first.cached, 0);
      assert.strictEqual(two.again.cached, 119, 'all but the changed file and the unreadable one');
      assert.strictEqual(two.again.findings, 81, 'the changed file is analysed again');
      assert.deepStrictEqual(two.m2, ['python/import-in-loop']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('cancels a workspace scan when the client cancels the request', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotspots-cancel-'));
    for (let i = 0; i < 400; i++) fs.writeFileSync(path.join(dir, `m${i}.py`), 'for x in range(n):\n    import os\n'.repeat(20));
    try {
      await client.initialize(URI.file(dir).toString());
      const source = new CancellationTokenSource();
      const pending = client.conn.sendRequest('hotspots/scan', {}, source.token) as Promise<{ files: number; cancelled: boolean }>;
      await client.until(() => client.notifications.some((n) => n.method === 'hotspots/scanProgress' && (n.params as { done: number }).done > 0));
      source.cancel();
      const outcome = await pending.then(
        (r) => r,
        (e: { code?: number }) => e,
      );
      const cancelled = 'cancelled' in outcome ? outcome.cancelled && outcome.files < 400 : outcome.code === -32800;
      assert.ok(cancelled, `the scan stopped early: ${JSON.stringify(outcome)}`);
      const published = [...client.diagnostics.keys()].filter((u) => u.includes('hotspots-cancel-')).length;
      assert.ok(published < 400, `only part of the workspace was published (${published})`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('survives hostile documents: NUL bytes, deep nesting, unknown languages', async () => {
    await client.initialize();
    await client.open('file:///tmp/x/nul.py', 'x = 1\x00\nfor a in b:\n    import os\n');
    await client.open('file:///tmp/x/deep.py', 'x = ' + '('.repeat(5000) + '1' + ')'.repeat(5000) + '\n');
    await client.open('file:///tmp/x/notes.txt', 'import os', 'plaintext');
    await client.diagnosticsFor('file:///tmp/x/nul.py', 1);
    await client.diagnosticsFor('file:///tmp/x/deep.py', 1);
    assert.strictEqual(client.diagnostics.has('file:///tmp/x/notes.txt'), false);
    assert.strictEqual(await client.shutdown(), 0);
  });
});
