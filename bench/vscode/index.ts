// Measured inside a real VS Code (code-server's extension host), run by bench/vscode.sh: the extension's
// activation time (activate() start to language server initialized) and the time from opening a 5,000-line
// Python file to its diagnostics arriving. Prints figures; asserts nothing.
import * as path from 'path';
import * as vscode from 'vscode';
import type { HotspotsApi } from '../../client/src/extension';

export async function run(): Promise<void> {
  const ext = vscode.extensions.getExtension<HotspotsApi>('hotspots.hotspots');
  if (!ext) throw new Error('extension not found');
  const wasActive = ext.isActive;
  const api = await ext.activate();
  const file = vscode.Uri.file(path.join(vscode.workspace.workspaceFolders![0].uri.fsPath, 'large.py'));
  const t0 = Date.now();
  const doc = await vscode.workspace.openTextDocument(file);
  await vscode.window.showTextDocument(doc);
  const tOpen = Date.now();
  let count = 0;
  while (Date.now() - t0 < 60000) {
    count = vscode.languages.getDiagnostics(file).filter((d) => d.source === 'hotspots').length;
    if (count > 0) break;
    await new Promise((r) => setTimeout(r, 5));
  }
  const tDiag = Date.now();
  console.log(`BENCH vscode ${vscode.version}: activation ${api.activationMs} ms (${wasActive ? 'at start-up' : 'on demand'})`);
  console.log(`BENCH open 5,000-line file -> editor shown ${tOpen - t0} ms; -> ${count} diagnostics ${tDiag - t0} ms`);
}
