// Open documents with their syntax trees. Edits are fed to tree.edit so the next parse is incremental.
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { DidChangeTextDocumentParams, DidOpenTextDocumentParams, TextDocumentContentChangeEvent } from 'vscode-languageserver/node';
import { URI } from 'vscode-uri';
import { Edit } from 'web-tree-sitter';
import { type AnalysisState, disposeState, noteChangedRanges, noteEdit } from '../../../analysis/analyze';
import { languageForPath, parse, type Tree } from '../../../analysis/parse';
import type { Finding, LanguageId } from '../../../analysis/types';

export class OpenDocument {
  tree: Tree | undefined;
  /** Findings for `analyzedVersion`, reused by code actions while the text is unchanged. */
  findings: Finding[] | undefined;
  analyzedVersion = -1;
  /** The last analysis, moved along with the edits since: the next one re-runs rules only where they changed. */
  analysis: AnalysisState | undefined;
  /** How long the last analysis took (the server waits for more keystrokes after a slow one). */
  analysisMs = 0;
  constructor(
    public doc: TextDocument,
    readonly language: LanguageId,
  ) {}

  get version(): number {
    return this.doc.version;
  }
  get text(): string {
    return this.doc.getText();
  }

  /** The tree for the current text (re-parsed incrementally from the edited old tree when needed). */
  currentTree(): Tree {
    if (!this.tree || this.treeVersion !== this.doc.version) {
      const old = this.tree;
      this.tree = parse(this.language, this.doc.getText(), old);
      if (old && this.analysis) noteChangedRanges(this.analysis, old.getChangedRanges(this.tree));
      old?.delete();
      this.treeVersion = this.doc.version;
    }
    return this.tree;
  }
  private treeVersion = -1;

  applyChanges(changes: TextDocumentContentChangeEvent[], version: number): void {
    for (const change of changes) {
      if ('range' in change && change.range) {
        const startIndex = this.doc.offsetAt(change.range.start);
        const oldEndIndex = this.doc.offsetAt(change.range.end);
        const start = this.doc.positionAt(startIndex);
        const oldEnd = this.doc.positionAt(oldEndIndex);
        this.doc = TextDocument.update(this.doc, [change], version);
        const newEndIndex = startIndex + change.text.length;
        const newEnd = this.doc.positionAt(newEndIndex);
        if (this.analysis) noteEdit(this.analysis, startIndex, oldEndIndex, newEndIndex);
        // web-tree-sitter indexes a JS string in UTF-16 units, as LSP positions do.
        this.tree?.edit(
          new Edit({
            startIndex,
            oldEndIndex,
            newEndIndex,
            startPosition: { row: start.line, column: start.character },
            oldEndPosition: { row: oldEnd.line, column: oldEnd.character },
            newEndPosition: { row: newEnd.line, column: newEnd.character },
          }),
        );
      } else {
        this.doc = TextDocument.update(this.doc, [change], version);
        this.tree?.delete();
        this.tree = undefined;
        disposeState(this.analysis);
        this.analysis = undefined;
      }
    }
    this.findings = undefined;
  }

  dispose(): void {
    this.tree?.delete();
    this.tree = undefined;
    disposeState(this.analysis);
    this.analysis = undefined;
  }
}

export function languageOf(uri: string, languageId: string): LanguageId | undefined {
  if (languageId === 'python' || languageId === 'go') return languageId;
  try {
    return languageForPath(URI.parse(uri).path);
  } catch {
    return undefined;
  }
}

export class DocumentStore {
  private readonly docs = new Map<string, OpenDocument>();

  open(p: DidOpenTextDocumentParams): OpenDocument | undefined {
    const { uri, languageId, version, text } = p.textDocument;
    const language = languageOf(uri, languageId);
    if (!language) return undefined;
    this.docs.get(uri)?.dispose();
    const d = new OpenDocument(TextDocument.create(uri, languageId, version, text), language);
    this.docs.set(uri, d);
    return d;
  }

  change(p: DidChangeTextDocumentParams): OpenDocument | undefined {
    const d = this.docs.get(p.textDocument.uri);
    if (!d) return undefined;
    d.applyChanges(p.contentChanges, p.textDocument.version);
    return d;
  }

  close(uri: string): void {
    this.docs.get(uri)?.dispose();
    this.docs.delete(uri);
  }

  get(uri: string): OpenDocument | undefined {
    return this.docs.get(uri);
  }
  all(): OpenDocument[] {
    return [...this.docs.values()];
  }
  has(uri: string): boolean {
    return this.docs.has(uri);
  }
}
