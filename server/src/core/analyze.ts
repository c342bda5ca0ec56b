// The rule engine: one walk over the syntax tree, dispatching nodes to the rules that asked for their type.
import type { Node, Tree } from 'web-tree-sitter';
import { clearOfErrors } from './fixes';
import { parse } from './parse';
import { parseSuppression, shortName, Suppressions } from './suppress';
import { LineIndex } from './text';
import type { Finding, LanguageId, Report, Rule, RuleContext, RuleSettings, Severity } from './types';

export interface AnalyzeOptions {
  rules: readonly Rule[];
  settings?: RuleSettings;
  /** Called when a rule throws; the engine goes on with the other rules. */
  onRuleError?: (ruleId: string, error: unknown) => void;
}

/** The effective severity of a rule under the settings, or 'off'. Keys may be ids or short names. */
export function effectiveSeverity(rule: Rule, settings?: RuleSettings): Severity | 'off' {
  if (!settings) return rule.meta.severity;
  return settings[rule.meta.id] ?? settings[shortName(rule.meta.id)] ?? rule.meta.severity;
}

export function analyzeTree(tree: Tree, text: string, language: LanguageId, opts: AnalyzeOptions): Finding[] {
  const active = opts.rules.filter((r) => r.meta.language === language && effectiveSeverity(r, opts.settings) !== 'off');
  const dispatch = new Map<string, Rule[]>();
  for (const r of active) for (const t of r.nodeTypes) {
    const list = dispatch.get(t) ?? [];
    list.push(r);
    dispatch.set(t, list);
  }
  const lines = new LineIndex(text);
  const suppressions = new Suppressions();
  const raw: Array<Finding & { node?: Node }> = [];
  const failed = new Set<string>();

  let current: Rule | undefined;
  const ctx: RuleContext = {
    text, tree, language,
    report(r: Report) {
      const rule = current!;
      const start = r.start ?? r.node?.startIndex ?? 0;
      const end = r.end ?? r.node?.endIndex ?? start;
      const sev = effectiveSeverity(rule, opts.settings);
      raw.push({
        rule: rule.meta.id,
        message: r.message,
        // A user-chosen severity wins; otherwise a finding may lower the rule's default.
        severity: sev !== rule.meta.severity ? (sev as Severity) : (r.severity ?? rule.meta.severity),
        start, end,
        fix: r.fix,
      });
    },
  };

  const cursor = tree.walk();
  try {
    let descending = true;
    for (;;) {
      if (descending) {
        const type = cursor.nodeType;
        if (type === 'comment') {
          const node = cursor.currentNode;
          const rules = parseSuppression(node.text);
          if (rules) {
            const pos = lines.position(node.startIndex);
            const before = text.slice(lines.lineStart(pos.line), node.startIndex);
            // Alone on its line: applies to the next line; at a line's end: to that line.
            suppressions.add(before.trim() === '' ? pos.line + 1 : pos.line, rules);
          }
        }
        const interested = dispatch.get(type);
        if (interested) {
          const node = cursor.currentNode;
          for (const rule of interested) {
            if (failed.has(rule.meta.id)) continue;
            current = rule;
            try {
              rule.check(node, ctx);
            } catch (e) {
              failed.add(rule.meta.id);
              opts.onRuleError?.(rule.meta.id, e);
            }
          }
        }
        if (cursor.gotoFirstChild()) continue;
      }
      if (cursor.gotoNextSibling()) { descending = true; continue; }
      if (!cursor.gotoParent()) break;
      descending = false;
    }
  } finally {
    cursor.delete();
  }

  const out: Finding[] = [];
  const seen = new Set<string>();
  for (const f of raw) {
    const line = lines.position(f.start).line;
    if (suppressions.isSuppressed(f.rule, line)) continue;
    const key = `${f.rule}:${f.start}:${f.end}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (f.fix && (!f.fix.edits.length || !clearOfErrors(tree, f.fix))) delete f.fix;
    out.push(f);
  }
  out.sort((a, b) => a.start - b.start || a.rule.localeCompare(b.rule));
  return out;
}

/** Parses and analyses in one call (the tree is freed before returning). */
export function analyzeText(text: string, language: LanguageId, opts: AnalyzeOptions): Finding[] {
  const tree = parse(language, text);
  try {
    return analyzeTree(tree, text, language, opts);
  } finally {
    tree.delete();
  }
}
