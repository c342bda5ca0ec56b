// The extension: starts the language server, registers the commands, the Hotspots panel and the status bar.
// All analysis happens in the server; the client only shows what the server publishes.
import * as path from 'path';
import * as vscode from 'vscode';
import { LanguageClient, type LanguageClientOptions, type ServerOptions, TransportKind } from 'vscode-languageclient/node';
import { registerCommands } from './commands';
import { FindingsPanel } from './panel';
import { HotspotStatusBar } from './statusBar';

export interface HotspotsApi {
  /** How long activate() took: client bundle loaded to language server initialized. */
  activationMs: number;
  panel: FindingsPanel;
  statusBar: HotspotStatusBar;
  client(): LanguageClient | undefined;
}

let client: LanguageClient | undefined;

export function createClient(context: vscode.ExtensionContext): LanguageClient {
  const module = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const clientOptions: LanguageClientOptions = {
    // Files on disk, unsaved buffers, and files of a virtual workspace (GitHub Repositories' vscode-vfs): those
    // are analysed from the editor's text; only the workspace scan and project configuration need a disk.
    documentSelector: ['file', 'untitled', 'vscode-vfs'].flatMap((scheme) => [
      { scheme, language: 'python' },
      { scheme, language: 'go' },
    ]),
    synchronize: { configurationSection: 'hotspots' },
    outputChannelName: 'Hotspots',
  };
  return new LanguageClient('hotspots', 'Hotspots', serverOptions, clientOptions);
}

export async function activate(context: vscode.ExtensionContext): Promise<HotspotsApi> {
  const started = Date.now();
  client = createClient(context);
  const panel = new FindingsPanel();
  const statusBar = new HotspotStatusBar();
  const view = vscode.window.createTreeView('hotspots.findings', { treeDataProvider: panel, showCollapseAll: true });
  panel.attach(view);
  context.subscriptions.push(view, panel, statusBar);
  registerCommands(context, {
    client: () => client,
    restart: async () => {
      if (client) await client.stop().catch(() => undefined);
      client = createClient(context);
      await client.start();
    },
    panel,
  });
  await client.start();
  const activationMs = Date.now() - started;
  client.outputChannel.appendLine(`Hotspots activated in ${activationMs} ms`);
  return { activationMs, panel, statusBar, client: () => client };
}

export async function deactivate(): Promise<void> {
  if (client) await client.stop();
}
