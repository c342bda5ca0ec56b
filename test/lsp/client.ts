// A minimal LSP client over stdio for tests: spawns the built server and speaks JSON-RPC to it.
import { ChildProcess, spawn } from 'child_process';
import * as path from 'path';
import { createMessageConnection, MessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';

export interface Diag {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  code: string;
  message: string;
  source: string;
  severity: number;
  codeDescription?: { href: string };
}

export class TestClient {
  readonly proc: ChildProcess;
  readonly conn: MessageConnection;
  readonly diagnostics = new Map<string, { version?: number; diagnostics: Diag[] }>();
  readonly notifications: Array<{ method: string; params: unknown }> = [];
  private waiters: Array<() => void> = [];
  stderr = '';
  configuration: unknown = { enable: true, rules: {} };
  filesExclude: Record<string, boolean> = {};

  constructor(args: string[] = ['--stdio'], entry = path.join(__dirname, '..', '..', 'dist', 'server.js')) {
    this.proc = spawn(process.execPath, [entry, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.proc.stderr!.on('data', (d) => {
      this.stderr += String(d);
    });
    this.conn = createMessageConnection(new StreamMessageReader(this.proc.stdout!), new StreamMessageWriter(this.proc.stdin!));
    this.conn.onNotification('textDocument/publishDiagnostics', (p: { uri: string; version?: number; diagnostics: Diag[] }) => {
      this.diagnostics.set(p.uri, { version: p.version, diagnostics: p.diagnostics });
      this.wake();
    });
    this.conn.onNotification((method, params) => {
      this.notifications.push({ method, params });
      this.wake();
    });
    // Answered by section, as an editor does: the server asks for `hotspots` and for `files.exclude`.
    this.conn.onRequest('workspace/configuration', (p: { items: Array<{ section?: string }> }) =>
      p.items.map((i) => (i.section === 'files.exclude' ? this.filesExclude : i.section === 'hotspots' ? this.configuration : null)),
    );
    this.conn.onRequest('client/registerCapability', () => null);
    this.conn.onRequest('window/workDoneProgress/create', () => null);
    this.conn.listen();
  }

  private wake() {
    const w = this.waiters;
    this.waiters = [];
    w.forEach((f) => f());
  }

  /** Waits until `pred` holds, re-checking on every message from the server. */
  async until<T>(pred: () => T | undefined | false, ms = 10000): Promise<T> {
    const end = Date.now() + ms;
    for (;;) {
      const v = pred();
      if (v) return v;
      const left = end - Date.now();
      if (left <= 0) throw new Error(`timed out waiting; server stderr:\n${this.stderr}`);
      await new Promise<void>((r) => {
        this.waiters.push(r);
        setTimeout(r, Math.min(left, 200));
      });
    }
  }

  async initialize(rootUri: string | null = null, initializationOptions?: unknown) {
    const result = await this.conn.sendRequest('initialize', {
      processId: process.pid,
      rootUri,
      workspaceFolders: rootUri ? [{ uri: rootUri, name: 'ws' }] : null,
      capabilities: {
        workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true } },
        textDocument: { publishDiagnostics: { versionSupport: true } },
      },
      initializationOptions,
    });
    await this.conn.sendNotification('initialized', {});
    return result as { capabilities: Record<string, unknown> };
  }

  open(uri: string, text: string, languageId = 'python', version = 1) {
    return this.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version, text } });
  }

  change(uri: string, version: number, contentChanges: unknown[]) {
    return this.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges });
  }

  async diagnosticsFor(uri: string, version: number): Promise<Diag[]> {
    return (
      await this.until(() => {
        const d = this.diagnostics.get(uri);
        return d && d.version === version ? d : undefined;
      })
    ).diagnostics;
  }

  async shutdown(): Promise<number | null> {
    await this.conn.sendRequest('shutdown');
    await this.conn.sendNotification('exit');
    const code = await new Promise<number | null>((r) => {
      if (this.proc.exitCode !== null) r(this.proc.exitCode);
      this.proc.on('exit', (c) => r(c));
    });
    this.conn.dispose();
    return code;
  }
}
