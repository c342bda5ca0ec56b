// The Hotspots tree view: files with their hotspot counts (most first), each expanding to its findings.
// It is fed by the diagnostics the server publishes (live for open files, from disk after a scan). Counts are the
// Problems panel's (errors, warnings, information); hints, the demoted findings, are counted and listed apart.
import * as path from 'path';
import * as vscode from 'vscode';
import { type Counts, countsOf, describeCounts, listed } from './counts';

export const SOURCE = 'hotspots';

export type PanelNode =
  | { kind: 'file'; uri: vscode.Uri; count: number; counts: Counts }
  | { kind: 'demoted'; uri: vscode.Uri; diagnostics: vscode.Diagnostic[] }
  | { kind: 'finding'; uri: vscode.Uri; diagnostic: vscode.Diagnostic };

export function hotspotDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE);
}

export class FindingsPanel implements vscode.TreeDataProvider<PanelNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<PanelNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: vscode.Disposable;
  private timer: NodeJS.Timeout | undefined;
  private view: vscode.TreeView<PanelNode> | undefined;

  constructor() {
    this.subscription = vscode.languages.onDidChangeDiagnostics(() => {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.refresh(), 150);
    });
  }

  attach(view: vscode.TreeView<PanelNode>): void {
    this.view = view;
    this.refresh();
  }

  refresh(): void {
    const total = countsOf(this.files().flatMap((f) => (f.kind === 'file' ? hotspotDiagnostics(f.uri) : [])));
    if (this.view) this.view.description = describeCounts(total) || undefined;
    this.changed.fire(undefined);
  }

  /**
   * Files with hotspots: most listed findings (the Problems panel's count) first, then most hints, then by path.
   * `count` is the listed count, the number the status bar shows for that file.
   */
  files(): PanelNode[] {
    const out: Array<PanelNode & { kind: 'file' }> = [];
    for (const [uri, diags] of vscode.languages.getDiagnostics()) {
      const counts = countsOf(diags.filter((d) => d.source === SOURCE));
      if (listed(counts) || counts.hints) out.push({ kind: 'file', uri, count: listed(counts), counts });
    }
    return out.sort((a, b) => b.count - a.count || b.counts.hints - a.counts.hints || a.uri.fsPath.localeCompare(b.uri.fsPath));
  }

  getChildren(node?: PanelNode): PanelNode[] {
    if (!node) return this.files();
    const byPosition = (a: vscode.Diagnostic, b: vscode.Diagnostic) =>
      a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character;
    if (node.kind === 'file') {
      const all = hotspotDiagnostics(node.uri).sort(byPosition);
      const hints = all.filter((d) => d.severity === vscode.DiagnosticSeverity.Hint);
      const shown: PanelNode[] = all
        .filter((d) => d.severity !== vscode.DiagnosticSeverity.Hint)
        .map((diagnostic) => ({ kind: 'finding' as const, uri: node.uri, diagnostic }));
      // Hints go in a group of their own, after the rest: they are not in the Problems panel either.
      if (hints.length) shown.push({ kind: 'demoted', uri: node.uri, diagnostics: hints });
      return shown;
    }
    if (node.kind === 'demoted') return node.diagnostics.map((diagnostic) => ({ kind: 'finding' as const, uri: node.uri, diagnostic }));
    return [];
  }

  getTreeItem(node: PanelNode): vscode.TreeItem {
    if (node.kind === 'file') {
      // No resourceUri: VS Code would add its own problem decoration, which counts errors and warnings only,
      // beside this row's count.
      const item = new vscode.TreeItem(path.basename(node.uri.fsPath), vscode.TreeItemCollapsibleState.Collapsed);
      item.iconPath = vscode.ThemeIcon.File;
      const dir = path.dirname(vscode.workspace.asRelativePath(node.uri, false));
      const counts = node.count
        ? `${node.count}${node.counts.hints ? ` + ${node.counts.hints} hint${node.counts.hints === 1 ? '' : 's'}` : ''}`
        : `${node.counts.hints} hint${node.counts.hints === 1 ? '' : 's'}`;
      item.description = dir === '.' ? counts : `${counts} · ${dir}`;
      item.tooltip = `${vscode.workspace.asRelativePath(node.uri)}: ${describeCounts(node.counts)}${node.counts.hints ? ' (hints: demoted findings, such as those in test or start-up code; not listed in the Problems panel)' : ''}`;
      item.contextValue = 'hotspots.file';
      item.id = `file:${node.uri.toString()}`;
      return item;
    }
    if (node.kind === 'demoted') {
      const n = node.diagnostics.length;
      const item = new vscode.TreeItem(`${n} hint${n === 1 ? '' : 's'}`, vscode.TreeItemCollapsibleState.Collapsed);
      item.description = 'demoted: test or start-up code, or set to hint';
      item.iconPath = new vscode.ThemeIcon('circle-small');
      item.id = `demoted:${node.uri.toString()}`;
      return item;
    }
    const d = node.diagnostic;
    const rule = typeof d.code === 'object' ? String(d.code.value) : String(d.code ?? '');
    const item = new vscode.TreeItem(rule, vscode.TreeItemCollapsibleState.None);
    item.description = `line ${d.range.start.line + 1}`;
    item.tooltip = new vscode.MarkdownString(`**${rule}** (line ${d.range.start.line + 1})\n\n${d.message}`);
    item.iconPath = new vscode.ThemeIcon(
      d.severity === vscode.DiagnosticSeverity.Error
        ? 'error'
        : d.severity === vscode.DiagnosticSeverity.Warning
          ? 'warning'
          : d.severity === vscode.DiagnosticSeverity.Information
            ? 'info'
            : 'circle-small',
    );
    item.command = { command: 'vscode.open', title: 'Reveal', arguments: [node.uri, { selection: d.range } satisfies vscode.TextDocumentShowOptions] };
    item.contextValue = 'hotspots.finding';
    return item;
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.subscription.dispose();
    this.changed.dispose();
  }
}
