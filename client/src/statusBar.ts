// The status-bar item: how many hotspots the active file has, counted as the Problems panel and the Hotspots
// panel count them (errors, warnings, information; hints apart). Clicking it opens the Hotspots panel.
import * as vscode from 'vscode';
import { countsOf, describeCounts, listed } from './counts';
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

  /** The listed count for the active editor (what its Hotspots panel row shows), or undefined when no Python or Go file is active. */
  count(): number | undefined {
    const doc = vscode.window.activeTextEditor?.document;
    if (!doc || (doc.languageId !== 'python' && doc.languageId !== 'go')) return undefined;
    return listed(countsOf(hotspotDiagnostics(doc.uri)));
  }

  update(): void {
    const doc = vscode.window.activeTextEditor?.document;
    if (!doc || (doc.languageId !== 'python' && doc.languageId !== 'go')) {
      this.item.hide();
      return;
    }
    const counts = countsOf(hotspotDiagnostics(doc.uri));
    const n = listed(counts);
    this.item.text = counts.hints ? `$(flame) ${n} (+${counts.hints})` : `$(flame) ${n}`;
    this.item.tooltip = `Hotspots in this file: ${describeCounts(counts) || 'none'}${counts.hints ? ' (hints are demoted findings, not listed in the Problems panel)' : ''}. Click to open the Hotspots panel.`;
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
    this.subscriptions.forEach((s) => s.dispose());
  }
}
