// One way of counting a file's hotspots, shared by the panel and the status bar, that agrees with the Problems
// panel: it lists errors, warnings and information, not hints. Hints (findings demoted because they sit in test
// or start-up code, or chosen as hints in the settings) are counted apart.
import * as vscode from 'vscode';

export interface Counts {
  errors: number;
  warnings: number;
  infos: number;
  hints: number;
}

export function countsOf(diags: readonly vscode.Diagnostic[]): Counts {
  const c: Counts = { errors: 0, warnings: 0, infos: 0, hints: 0 };
  for (const d of diags) {
    if (d.severity === vscode.DiagnosticSeverity.Error) c.errors++;
    else if (d.severity === vscode.DiagnosticSeverity.Warning) c.warnings++;
    else if (d.severity === vscode.DiagnosticSeverity.Information) c.infos++;
    else c.hints++;
  }
  return c;
}

/** What the Problems panel lists: errors, warnings and information. */
export function listed(c: Counts): number {
  return c.errors + c.warnings + c.infos;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** "1 error, 2 warnings, 1 info", then "+ 3 hints"; empty parts are left out. */
export function describeCounts(c: Counts): string {
  const parts = [c.errors && plural(c.errors, 'error'), c.warnings && plural(c.warnings, 'warning'), c.infos && plural(c.infos, 'info', 'infos')].filter(
    Boolean,
  ) as string[];
  const main = parts.join(', ');
  const hints = c.hints ? plural(c.hints, 'hint') : '';
  return main && hints ? `${main} + ${hints}` : main || hints;
}
