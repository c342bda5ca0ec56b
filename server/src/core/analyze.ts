// The rule engine: each rule's compiled query picks its candidate nodes inside WASM; `check` decides.
import { Query, type Node, type Tree } from 'web-tree-sitter';

import { clearOfErrors } from './fixes';
import { language, parse } from './parse';
import { FILE_SUPPRESSION_LINES, parseFileSuppression, parseSuppression, shortName, Suppressions, UNUSED_SUPPRESSION } from './suppress';
import { LineIndex } from './text';
import type { Finding, LanguageId, Project, Report, Rule, RuleContext, RuleSettings, Severity } from './types';

export interface AnalyzeOptions extends Project {
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

/**
 * Python rules whose whole query is "a call of a function or method named one of these" share one pattern: each
 * call crosses from WASM into JavaScript once and goes to the rules that want its name, instead of every such
 * rule's pattern testing every call with its own text predicate (half the query time on Django).
 */
const CALL_BY_NAME = /^\s*\(call function: \[\(identifier\) @(\w+) \(attribute attribute: \(identifier\) @\1\)\]\s*\(#(?:eq|any-of)\? @\1((?:\s+"[^"\\]+")+)\)\) @node\s*$/;
export function callNames(rule: Rule): string[] | undefined {
  const m = CALL_BY_NAME.exec(rule.query);
  return m ? [...m[2].matchAll(/"([^"]+)"/g)].map((x) => x[1]) : undefined;
}

interface Combined { query: Query; byName: Map<string, number[]>; rules: readonly Rule[]; language: LanguageId }
const queries = new Map<string, Combined>();
/** Rule objects numbered as first seen, so a query is keyed by the rules themselves (two rules may share an id). */
const ruleNumbers = new WeakMap<Rule, number>();
const ruleKey = (rules: readonly Rule[]) => rules.map((r) => {
  let n = ruleNumbers.get(r);
  if (n === undefined) { n = nextRuleNumber++; ruleNumbers.set(r, n); }
  return n;
}).join(',');
let nextRuleNumber = 0;
/**
 * Each distinct set of rules compiles its own query (10-30 ms). `mentions` makes the set vary from file to file
 * (146 sets over Docker's Go files), so after this many a file gets the smallest compiled query that covers its
 * rules, and the captures of the rules it does not need are skipped.
 */
const MAX_QUERIES_PER_LANGUAGE = 12;

/**
 * The active rules' queries as one: a single traversal inside WASM instead of one per rule. Each rule's `@node`
 * capture is renamed `@rule<i>` so a capture names its rule; calls by name share `@hs_callee` (see CALL_BY_NAME).
 */
function combinedQuery(languageId: LanguageId, active: readonly Rule[], enabled: readonly Rule[]): Combined {
  const hit = queries.get(`${languageId}:${ruleKey(active)}`);
  if (hit) return hit;
  const mine = [...queries.values()].filter((c) => c.language === languageId);
  if (mine.length < MAX_QUERIES_PER_LANGUAGE) return compileQuery(languageId, active);
  const covering = mine.filter((c) => active.every((r) => c.rules.includes(r))).sort((a, b) => a.rules.length - b.rules.length)[0];
  return covering ?? queries.get(`${languageId}:${ruleKey(enabled)}`) ?? compileQuery(languageId, enabled);
}

function compileQuery(languageId: LanguageId, rules: readonly Rule[]): Combined {
  const byName = new Map<string, number[]>();
  const patterns: string[] = [];
  rules.forEach((r, i) => {
    const names = languageId === 'python' ? callNames(r) : undefined;
    if (!names) { patterns.push(r.query.replace(/@node\b/g, `@rule${i}`)); return; }
    for (const n of names) { const l = byName.get(n); if (l) { if (!l.includes(i)) l.push(i); } else byName.set(n, [i]); }
  });
  if (byName.size) {
    patterns.push(`(call function: [(identifier) @hs_callee (attribute attribute: (identifier) @hs_callee)] (#any-of? @hs_callee ${[...byName.keys()].map((n) => JSON.stringify(n)).join(' ')}))`);
  }
  const c: Combined = { query: new Query(language(languageId), patterns.join('\n')), byName, rules, language: languageId };
  queries.set(`${languageId}:${ruleKey(rules)}`, c);
  return c;
}

const SUPPRESSION_HINT = /hotspots:\s*ignore/g;
/** Suppression comments: found by a text search, confirmed to be comments by the tree. */
function readSuppressions(tree: Tree, text: string, lines: LineIndex, out: Suppressions): void {
  SUPPRESSION_HINT.lastIndex = 0;
  let lastComment = -1;
  for (let m = SUPPRESSION_HINT.exec(text); m; m = SUPPRESSION_HINT.exec(text)) {
    const node = tree.rootNode.descendantForIndex(m.index, m.index + m[0].length);
    if (!node || node.type !== 'comment' || node.startIndex === lastComment) continue;
    lastComment = node.startIndex;
    const pos = lines.position(node.startIndex);
    const fileWide = parseFileSuppression(node.text);
    if (fileWide) {
      if (pos.line < FILE_SUPPRESSION_LINES) out.add({ line: -1, rules: fileWide, start: node.startIndex, end: node.endIndex });
      continue;
    }
    const rules = parseSuppression(node.text);
    if (!rules) continue;
    const before = text.slice(lines.lineStart(pos.line), node.startIndex);
    // Alone on its line: applies to the next line; at a line's end: to that line.
    out.add({ line: before.trim() === '' ? pos.line + 1 : pos.line, rules, start: node.startIndex, end: node.endIndex });
  }
}

/** Hints for suppression comments that silenced nothing (only when every rule they name is active here). */
function unusedSuppressions(sup: Suppressions, active: readonly Rule[], text: string, opts: AnalyzeOptions): Finding[] {
  const setting = opts.settings?.[UNUSED_SUPPRESSION] ?? opts.settings?.[shortName(UNUSED_SUPPRESSION)];
  if (setting === 'off') return [];
  const ids = new Set(active.map((r) => r.meta.id));
  const out: Finding[] = [];
  for (const s of sup.all) {
    if (s.used) continue;
    if (s.rules !== 'all' && !s.rules.every((n) => ids.has(n) || active.some((r) => shortName(r.meta.id) === n))) continue;
    const comment = text.slice(s.start, s.end);
    const what = s.rules === 'all' ? 'no hotspot' : s.rules.join(', ');
    // The comment is only the suppression: remove it (and the line, when it stands alone).
    let fix: Finding['fix'];
    if (/^(#|\/\/)\s*hotspots:\s*ignore(-file)?(\[[^\]]*\])?\s*$/.test(comment)) {
      let start = s.start;
      while (start > 0 && (text[start - 1] === ' ' || text[start - 1] === '\t')) start--;
      let end = s.end;
      if (start === 0 || text[start - 1] === '\n' || text[start - 1] === '\r') {
        if (text[end] === '\r') end++;
        if (text[end] === '\n') end++;
      }
      fix = { title: 'Remove the unused suppression', applicability: 'safe', edits: [{ start, end, text: '' }] };
    }
    out.push({
      rule: UNUSED_SUPPRESSION,
      message: `Unused suppression: ${what} is reported ${s.line === -1 ? 'in this file' : 'on this line'}.`,
      severity: (setting as Severity | undefined) ?? 'hint',
      start: s.start, end: s.end, fix,
    });
  }
  return out;
}

export function analyzeTree(tree: Tree, text: string, language: LanguageId, opts: AnalyzeOptions): Finding[] {
  const enabled = opts.rules.filter((r) => r.meta.language === language && effectiveSeverity(r, opts.settings) !== 'off');
  // A rule whose words the text never mentions cannot match: its patterns stay out of this file's query.
  const active = enabled.filter((r) => !r.mentions || r.mentions.some((m) => text.includes(m)));
  const lines = new LineIndex(text);
  const suppressions = new Suppressions();
  const raw: Array<Finding & { node?: Node }> = [];

  let current: Rule | undefined;
  const ctx: RuleContext = {
    text, tree, language, targetVersion: opts.targetVersion, goModule: opts.goModule,
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

  const { query, byName, rules } = combinedQuery(language, active, enabled);
  // A covering query may hold rules this file does not need: their captures are skipped.
  const wanted = rules.length === active.length ? undefined : new Set(active);
  const failed = new Set<Rule>();
  const run = (i: number, node: Node) => {
    const rule = rules[i];
    if (failed.has(rule) || (wanted && !wanted.has(rule))) return;
    current = rule;
    try {
      rule.check(node, ctx);
    } catch (e) {
      failed.add(rule);                                  // reported once; the other rules go on
      opts.onRuleError?.(rule.meta.id, e);
    }
  };
  for (const { name, node } of query.captures(tree.rootNode)) {
    if (name === 'hs_callee') {
      const wanting = byName.get(node.text);
      const parent = node.parent;
      const call = parent?.type === 'call' ? parent : parent?.parent;
      if (wanting && call) for (const i of wanting) run(i, call);
      continue;
    }
    if (name.startsWith('rule')) run(Number(name.slice(4)), node);
  }
  readSuppressions(tree, text, lines, suppressions);

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
  out.push(...unusedSuppressions(suppressions, enabled, text, opts));
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
