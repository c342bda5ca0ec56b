// Code actions: the fix for one finding, fix all of a rule, fix all safe fixes, suppress on this line, docs.
import {
  CodeAction,
  CodeActionKind,
  CodeActionParams,
  Command,
  Diagnostic,
  OptionalVersionedTextDocumentIdentifier,
  Range,
  TextDocumentEdit,
  TextEdit as LspTextEdit,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { suppressionComment, shortName, UNUSED_SUPPRESSION } from '../../../analysis/suppress';
import { lineStartOf, nextLineStart, indentAt, eolOf } from '../../../analysis/text';
import type { Finding, Fix, Project, RuleSettings } from '../../../analysis/types';
import { checkFix, fixSource } from '../engine';
import type { OpenDocument } from './documents';
import { sameRange, SOURCE, toDiagnostic } from './diagnostics';

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.hotspots`;

function versioned(doc: TextDocument, edits: LspTextEdit[]) {
  return { documentChanges: [TextDocumentEdit.create(OptionalVersionedTextDocumentIdentifier.create(doc.uri, doc.version), edits)] };
}

function lspEdits(doc: TextDocument, fix: Fix): LspTextEdit[] {
  return fix.edits.map((e) => LspTextEdit.replace(Range.create(doc.positionAt(e.start), doc.positionAt(e.end)), e.text));
}

/** One edit covering the difference between two texts (common prefix and suffix left alone). */
export function diffEdit(doc: TextDocument, before: string, after: string): LspTextEdit | undefined {
  if (before === after) return undefined;
  let s = 0;
  while (s < before.length && s < after.length && before[s] === after[s]) s++;
  let e = 0;
  while (e < before.length - s && e < after.length - s && before[before.length - 1 - e] === after[after.length - 1 - e]) e++;
  return LspTextEdit.replace(Range.create(doc.positionAt(s), doc.positionAt(before.length - e)), after.slice(s, after.length - e));
}

function suppressEdit(od: OpenDocument, f: Finding): LspTextEdit {
  const text = od.text;
  const doc = od.doc;
  const lineStart = lineStartOf(text, f.start);
  let lineEnd = nextLineStart(text, f.start);
  while (lineEnd > lineStart && (text[lineEnd - 1] === '\n' || text[lineEnd - 1] === '\r')) lineEnd--;
  const comment = suppressionComment(od.language, f.rule);
  const tree = od.currentTree();
  const at = tree.rootNode.descendantForIndex(Math.max(lineStart, lineEnd - 1));
  const inString = at && /string/.test(at.type) && at.endIndex > lineEnd;
  const existing = /hotspots:\s*ignore\[([^\]]*)\]/.exec(text.slice(lineStart, lineEnd));
  if (existing && !inString) {
    const close = lineStart + existing.index + existing[0].length - 1;
    return LspTextEdit.insert(doc.positionAt(close), `, ${shortName(f.rule)}`);
  }
  if (inString) {
    // The line ends inside a multi-line string: put the comment on its own line above.
    return LspTextEdit.insert(doc.positionAt(lineStart), `${indentAt(text, f.start)}${comment}${eolOf(text)}`);
  }
  return LspTextEdit.insert(doc.positionAt(lineEnd), `  ${comment}`);
}

export interface ActionContext {
  findings(od: OpenDocument): Finding[];
  settings(): RuleSettings;
  project?(): Project;
}

export function codeActions(od: OpenDocument, params: CodeActionParams, ctx: ActionContext): CodeAction[] {
  const only = params.context.only;
  const wants = (kind: string) => !only || only.some((k) => kind === k || kind.startsWith(`${k}.`));
  const doc = od.doc;
  const text = od.text;
  const findings = ctx.findings(od);
  const actions: CodeAction[] = [];

  if (wants(CodeActionKind.QuickFix)) {
    const seenRules = new Set<string>();
    for (const d of params.context.diagnostics) {
      if (d.source !== SOURCE) continue;
      const f = findings.find((x) => x.rule === d.code && sameRange(toDiagnostic(doc, x).range, d.range));
      if (!f) continue;
      if (f.fix && checkFix(text, od.currentTree(), od.language, f.fix)) {
        actions.push({
          title: f.fix.applicability === 'unsafe' ? `${f.fix.title} (unsafe)` : f.fix.title,
          kind: CodeActionKind.QuickFix,
          diagnostics: [d],
          isPreferred: f.fix.applicability === 'safe',
          edit: versioned(doc, lspEdits(doc, f.fix)),
        });
      }
      if (f.rule === UNUSED_SUPPRESSION) continue; // its only action is its fix
      if (!seenRules.has(f.rule)) {
        seenRules.add(f.rule);
        const sameRule = findings.filter((x) => x.rule === f.rule && x.fix?.applicability === 'safe');
        if (sameRule.length > 1) {
          const fixed = fixSource(text, od.language, { settings: ctx.settings(), ...ctx.project?.(), only: f.rule });
          const e = diffEdit(doc, text, fixed.text);
          if (e)
            actions.push({
              title: `Fix all ${f.rule} problems in this file (safe fixes)`,
              kind: CodeActionKind.QuickFix,
              diagnostics: [d],
              edit: versioned(doc, [e]),
            });
        }
      }
      actions.push({
        title: `Suppress ${f.rule} on this line`,
        kind: CodeActionKind.QuickFix,
        diagnostics: [d],
        edit: versioned(doc, [suppressEdit(od, f)]),
      });
      actions.push({
        title: `Show documentation for ${f.rule}`,
        kind: CodeActionKind.QuickFix,
        diagnostics: [d],
        command: Command.create(`Show documentation for ${f.rule}`, 'hotspots.showRuleDocs', f.rule),
      });
    }
    if (actions.some((a) => a.isPreferred) && findings.filter((x) => x.fix?.applicability === 'safe').length > 1) {
      const all = fixAllAction(od, ctx, CodeActionKind.QuickFix, 'Fix all safe hotspots in this file');
      if (all) actions.push(all);
    }
  }
  if (only && wants(FIX_ALL_KIND) && only.some((k) => FIX_ALL_KIND === k || FIX_ALL_KIND.startsWith(`${k}.`))) {
    const all = fixAllAction(od, ctx, FIX_ALL_KIND, 'Hotspots: fix all safe hotspots');
    if (all) actions.push(all);
  }
  return actions;
}

export function fixAllAction(od: OpenDocument, ctx: ActionContext, kind: string, title: string): CodeAction | undefined {
  const fixed = fixSource(od.text, od.language, { settings: ctx.settings(), ...ctx.project?.() });
  const e = diffEdit(od.doc, od.text, fixed.text);
  if (!e) return undefined;
  return { title, kind, edit: versioned(od.doc, [e]) };
}

export type { Diagnostic };
