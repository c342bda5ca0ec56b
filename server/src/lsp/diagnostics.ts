// Findings to LSP diagnostics (and back: a code action request names a diagnostic, we find its finding).
import { Diagnostic, DiagnosticSeverity, Range } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import type { Finding, Severity } from '../../../analysis/types';
import { ruleDocsPath } from '../docsPath';

export { ruleDocsPath };

export const SOURCE = 'hotspots';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

const hrefs = new Map<string, string | undefined>();
function docsHref(ruleId: string): string | undefined {
  if (!hrefs.has(ruleId)) {
    const p = ruleDocsPath(ruleId);
    hrefs.set(ruleId, p ? URI.file(p).toString() : undefined);
  }
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
  };
}

export function sameRange(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}
