// The Hotspots tree view: files with their hotspot counts (most first), each expanding to its findings.
// It is fed by the diagnostics the server publishes (live for open files, from disk after a scan).
import * as path from 'path';
import * as vscode from 'vscode';

export const SOURCE = 'hotspots';

export type PanelNode =
  | { kind: 'file'; uri: vscode.Uri; count: number }
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

  attach(view: vscode.TreeView<PanelNode>): void { this.view = view; this.refresh(); }

  refresh(): void {
    const total = this.files().reduce((n, f) => n + (f.kind === 'file' ? f.count : 0), 0);
    if (this.view) this.view.description = total ? `${total} hotspot${total === 1 ? '' : 's'}` : undefined;
    this.changed.fire(undefined);
  }

  /** Files with hotspots, most hotspots first, then by path. */
  files(): PanelNode[] {
    const out: PanelNode[] = [];
    for (const [uri, diags] of vscode.languages.getDiagnostics()) {
      const n = diags.filter((d) => d.source === SOURCE).length;
      if (n) out.push({ kind: 'file', uri, count: n });
    }
    return out.sort((a, b) => (b as { count: number }).count - (a as { count: number }).count || a.uri.fsPath.localeCompare(b.uri.fsPath));
  }

  getChildren(node?: PanelNode): PanelNode[] {
    if (!node) return this.files();
    if (node.kind === 'file') {
      return hotspotDiagnostics(node.uri)
        .sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character)
        .map((diagnostic) => ({ kind: 'finding' as const, uri: node.uri, diagnostic }));
    }
    return [];
  }

  getTreeItem(node: PanelNode): vscode.TreeItem {
    if (node.kind === 'file') {
      const item = new vscode.TreeItem(path.basename(node.uri.fsPath), vscode.TreeItemCollapsibleState.Collapsed);
      item.resourceUri = node.uri;
      const dir = path.dirname(vscode.workspace.asRelativePath(node.uri, false));
      item.description = dir === '.' ? `${node.count}` : `${node.count} · ${dir}`;
      item.tooltip = `${vscode.workspace.asRelativePath(node.uri)}: ${node.count} hotspot${node.count === 1 ? '' : 's'}`;
      item.contextValue = 'hotspots.file';
      item.id = `file:${node.uri.toString()}`;
      return item;
    }
    const d = node.diagnostic;
    const rule = typeof d.code === 'object' ? String(d.code.value) : String(d.code ?? '');
    const item = new vscode.TreeItem(rule, vscode.TreeItemCollapsibleState.None);
    item.description = `line ${d.range.start.line + 1}`;
    item.tooltip = new vscode.MarkdownString(`**${rule}** (line ${d.range.start.line + 1})\n\n${d.message}`);
    item.iconPath = new vscode.ThemeIcon(d.severity === vscode.DiagnosticSeverity.Error ? 'error' : d.severity === vscode.DiagnosticSeverity.Warning ? 'warning' : 'info');
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
