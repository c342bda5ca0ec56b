// The commands. Each forwards to the server or to VS Code; none analyses anything itself.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { type RuleInfo, RulesRequest, ScanProgressNotification, ScanRequest, type ScanResult } from '../../protocol/hotspots';
import { countsOf, describeCounts } from './counts';
import { type FindingsPanel, SOURCE } from './panel';

export type { ScanResult };

interface Deps {
  client(): LanguageClient | undefined;
  restart(): Promise<void>;
  panel: FindingsPanel;
}

export function registerCommands(context: vscode.ExtensionContext, deps: Deps): void {
  const reg = <A extends unknown[]>(id: string, fn: (...args: A) => unknown) => context.subscriptions.push(vscode.commands.registerCommand(id, fn));

  reg('hotspots.scanWorkspace', async (): Promise<ScanResult | undefined> => {
    const client = deps.client();
    if (!client) return undefined;
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Hotspots: scanning the workspace', cancellable: true },
      async (progress, token) => {
        let last = 0;
        const sub = client.onNotification(ScanProgressNotification, (p) => {
          const pct = p.total ? (p.done / p.total) * 100 : 100;
          progress.report({ message: `${p.done} / ${p.total} files`, increment: pct - last });
          last = pct;
        });
        try {
          return await client.sendRequest(ScanRequest, {}, token);
        } finally {
          sub.dispose();
        }
      },
    );
    deps.panel.refresh();
    await vscode.commands.executeCommand('hotspots.findings.focus');
    const note = result.cancelled ? 'Scan cancelled' : 'Scan finished';
    // Counted as the panel and the Problems panel count them (hints apart), over the files that have any.
    const withFindings = vscode.languages
      .getDiagnostics()
      .map(([, ds]) => ds.filter((d) => d.source === SOURCE))
      .filter((ds) => ds.length);
    const found = describeCounts(countsOf(withFindings.flat())) || 'no hotspots';
    void vscode.window.setStatusBarMessage(`Hotspots: ${note}: ${found} in ${withFindings.length} of ${result.files} files (${result.ms} ms)`, 8000);
    if (result.skipped.length) client.outputChannel.appendLine(result.skipped.map((s) => `skipped ${s.path}: ${s.message}`).join('\n'));
    return result;
  });

  reg('hotspots.fixAllInFile', async (): Promise<boolean> => {
    const editor = vscode.window.activeTextEditor;
    if (!editor) return false;
    const doc = editor.document;
    const full = new vscode.Range(0, 0, doc.lineCount, 0);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, full, 'source.fixAll.hotspots');
    const action = actions?.find((a) => a.kind?.value === 'source.fixAll.hotspots' && a.edit);
    if (!action?.edit) {
      void vscode.window.setStatusBarMessage('Hotspots: nothing to fix safely in this file', 5000);
      return false;
    }
    return vscode.workspace.applyEdit(action.edit);
  });

  reg('hotspots.showRuleDocs', async (ruleId?: string): Promise<boolean> => {
    const client = deps.client();
    if (!client) return false;
    const rules: RuleInfo[] = await client.sendRequest(RulesRequest);
    let rule = rules.find((r) => r.id === ruleId || r.id.endsWith(`/${ruleId}`));
    if (!rule) {
      const pick = await vscode.window.showQuickPick(
        rules.map((r) => ({ label: r.id, description: r.title, rule: r })),
        { placeHolder: 'Which rule?' },
      );
      rule = pick?.rule;
    }
    if (!rule?.docsPath) return false;
    const uri = vscode.Uri.file(rule.docsPath);
    try {
      await vscode.commands.executeCommand('markdown.showPreview', uri);
    } catch {
      await vscode.window.showTextDocument(uri, { preview: true });
    }
    return true;
  });

  reg('hotspots.restartServer', async () => {
    await deps.restart();
    void vscode.window.setStatusBarMessage('Hotspots: server restarted', 4000);
  });
}
