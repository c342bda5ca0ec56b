// Findings to LSP diagnostics (and back: a code action request names a diagnostic, we find its finding).
import * as fs from 'fs';
import * as path from 'path';
import { Diagnostic, DiagnosticSeverity, Range } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import type { Finding, Severity } from '../core/types';

export const SOURCE = 'hotspots';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

let docsRoot: string | null | undefined;
/** The shipped docs/rules folder: beside the bundle's parent (dist/../docs) or up from the sources. */
function findDocsRoot(): string | null {
  if (docsRoot !== undefined) return docsRoot;
  for (let dir = __dirname, i = 0; i < 5; i++, dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'docs', 'rules');
    if (fs.existsSync(candidate)) return (docsRoot = candidate);
  }
  return (docsRoot = null);
}

const docsPaths = new Map<string, string | undefined>();
export function ruleDocsPath(ruleId: string): string | undefined {
  if (!docsPaths.has(ruleId)) {
    const root = findDocsRoot();
    const file = root ? path.join(root, ...ruleId.split('/')) + '.md' : undefined;
    docsPaths.set(ruleId, file && fs.existsSync(file) ? file : undefined);
  }
  return docsPaths.get(ruleId);
}

const hrefs = new Map<string, string | undefined>();
function docsHref(ruleId: string): string | undefined {
  if (!hrefs.has(ruleId)) { const p = ruleDocsPath(ruleId); hrefs.set(ruleId, p ? URI.file(p).toString() : undefined); }
  return hrefs.get(ruleId);
}

export function toDiagnostic(doc: TextDocument, f: Finding): Diagnostic {
  const href = docsHref(f.rule);
  return {
    range: Range.create(doc.positionAt(f.start), doc.positionAt(f.end)),
    severity: SEVERITY[f.severity],
    source: SOURCE,
    code: f.rule,
    codeDescription: href ? { href } : undefined,
    message: f.message,
    data: { rule: f.rule, fixable: f.fix ? f.fix.applicability : null },
  };
}

export function sameRange(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}
