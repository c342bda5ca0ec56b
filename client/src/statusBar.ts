// The status-bar item: how many hotspots the active file has. Clicking it opens the Hotspots panel.
import * as vscode from 'vscode';
import { hotspotDiagnostics } from './panel';

export class HotspotStatusBar implements vscode.Disposable {
  readonly item = vscode.window.createStatusBarItem('hotspots.count', vscode.StatusBarAlignment.Right, 100);
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor() {
    this.item.name = 'Hotspots';
    this.item.command = 'hotspots.findings.focus';
    this.subscriptions.push(
      vscode.window.onDidChangeActiveTextEditor(() => this.update()),
      vscode.languages.onDidChangeDiagnostics((e) => {
        const active = vscode.window.activeTextEditor?.document.uri.toString();
        if (active && e.uris.some((u) => u.toString() === active)) this.update();
      }),
    );
    this.update();
  }

  /** The count shown for the active editor, or undefined when no Python or Go file is active. */
  count(): number | undefined {
    const doc = vscode.window.activeTextEditor?.document;
    if (!doc || (doc.languageId !== 'python' && doc.languageId !== 'go')) return undefined;
    return hotspotDiagnostics(doc.uri).length;
  }

  update(): void {
    const n = this.count();
    if (n === undefined) { this.item.hide(); return; }
    this.item.text = `$(flame) ${n}`;
    this.item.tooltip = `Hotspots: ${n} in this file. Click to open the Hotspots panel.`;
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
    this.subscriptions.forEach((s) => s.dispose());
  }
}
