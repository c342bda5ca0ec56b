// A language-server session for the benchmarks: spawns dist/server.js over stdio, answers the server's requests
// as an editor would, and waits for the diagnostics of a given document version.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { createMessageConnection, StreamMessageReader, StreamMessageWriter } = require('vscode-jsonrpc/node');
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

/**
 * Starts the server and initializes it (with `folder` as the workspace, when given). `server`: another build's
 * dist/server.js (a worktree of another commit, for paired before/after runs); default this checkout's.
 */
export async function startSession({ folder, stderr = 'inherit', server = path.join(root, 'dist', 'server.js') } = {}) {
  const proc = spawn(process.execPath, [server, '--stdio'], { stdio: ['pipe', 'pipe', stderr] });
  const conn = createMessageConnection(new StreamMessageReader(proc.stdout), new StreamMessageWriter(proc.stdin));
  const waiting = new Map();
  conn.onNotification('textDocument/publishDiagnostics', (p) => {
    const w = waiting.get(p.version);
    if (w) {
      waiting.delete(p.version);
      w(p);
    }
  });
  conn.onNotification(() => undefined);
  conn.onRequest('workspace/configuration', (p) => p.items.map((i) => (i.section === 'hotspots' ? { enable: true, rules: {} } : null)));
  conn.onRequest('client/registerCapability', () => null);
  conn.listen();
  const uri = folder ? `file://${folder}` : null;
  await conn.sendRequest('initialize', {
    processId: process.pid,
    rootUri: uri,
    workspaceFolders: uri ? [{ uri, name: 'ws' }] : null,
    capabilities: { workspace: { configuration: true } },
  });
  const initialized = performance.now();
  await conn.sendNotification('initialized', {});
  return {
    proc,
    conn,
    initialized,
    /** A promise for the diagnostics published for `version` (register it before sending the change). */
    diagnosticsFor: (version) => new Promise((r) => waiting.set(version, r)),
    open: (uri, text, languageId = 'python') => conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } }),
    /** Inserts `text` at the start of `line`, as version `version`. */
    insert: (uri, version, line, text) =>
      conn.sendNotification('textDocument/didChange', {
        textDocument: { uri, version },
        contentChanges: [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, text }],
      }),
    async close() {
      await conn.sendRequest('shutdown');
      await conn.sendNotification('exit');
      await new Promise((r) => (proc.exitCode !== null ? r() : proc.on('exit', r)));
      conn.dispose();
    },
  };
}

/**
 * Times `count` small edits at the start of one line of `uri` (of `lines` lines; the middle one unless `line` is
 * given), each to its fresh diagnostics: a comment marker and a line break by turns (`#`, or `//` for Go).
 */
export async function timeEdits(session, uri, lines, count, { line = Math.floor(lines / 2), comment = '#' } = {}) {
  const times = [];
  for (let i = 0; i < count; i++) {
    const v = i + 2;
    const published = session.diagnosticsFor(v);
    const t = performance.now();
    await session.insert(uri, v, line, i % 2 ? '\n' : comment);
    await published;
    times.push(performance.now() - t);
  }
  return times;
}
