// The one entry point the server, the CLI and the tests share: the rule registry wired to the core.
import type { Tree } from 'web-tree-sitter';
import { RULES } from '../../rules/index';
import { measured, measuredPhrase, otherRuns } from '../../rules/measured';
import { type AnalysisState, analyzeIncremental, analyzeTree } from '../../analysis/analyze';
import { fixAll, type FixAllResult, fixKeepsParse } from '../../analysis/fixes';
import { parse } from '../../analysis/parse';
import { initParsersFromDisk } from './grammars';
import type { Finding, Fix, LanguageId, Project, RuleSettings } from '../../analysis/types';

export { RULES };
export { initParsersFromDisk as initEngine };

export interface EngineOptions extends Project {
  settings?: RuleSettings;
  onRuleError?: (ruleId: string, error: unknown) => void;
}

/** What each rule's fix measured, by rule id, and by `id@variant` for a rule's runs at other go lines. */
const suffixes = new Map(
  RULES.flatMap((r) =>
    [
      undefined,
      ...otherRuns(r.meta.id)
        .map((o) => o.variant)
        .filter(Boolean),
    ].map((variant) => {
      const m = measured(r.meta.id, variant);
      const phrase = measuredPhrase(r.meta.id, variant);
      return [variant ? `${r.meta.id}@${variant}` : r.meta.id, m && phrase ? phrase : ''] as [string, string];
    }),
  ),
);

/**
 * Every finding's message ends with what its fix measured (bench/rules), so the hover shows it too; a finding
 * offered no fix speaks of the rewrite its message suggests, which is what the benchmark times.
 */
function withMeasured(found: Finding[]): Finding[] {
  for (const f of found) {
    const s = suffixes.get(f.measuredAs ? `${f.rule}@${f.measuredAs}` : f.rule);
    if (s) f.message += ` Measured: ${f.fix ? 'the fix' : 'the suggested rewrite'} is ${s}.`;
  }
  return found;
}

const coreOptions = (opts: EngineOptions) => ({
  rules: RULES,
  settings: opts.settings,
  targetVersion: opts.targetVersion,
  goModule: opts.goModule,
  testFile: opts.testFile,
  contexts: opts.contexts,
  modules: opts.modules,
  onRuleError: opts.onRuleError,
});

export function analyzeParsed(tree: Tree, text: string, language: LanguageId, opts: EngineOptions = {}): Finding[] {
  return withMeasured(analyzeTree(tree, text, language, coreOptions(opts)));
}

/**
 * analyzeParsed for an open document: starts from the document's last analysis (moved through the edits since)
 * and returns the state for the next one. Same findings as analyzeParsed.
 */
export function analyzeDocument(
  tree: Tree,
  text: string,
  language: LanguageId,
  prev: AnalysisState | undefined,
  opts: EngineOptions = {},
): { findings: Finding[]; state: AnalysisState } {
  const r = analyzeIncremental(tree, text, language, coreOptions(opts), prev, true);
  return { findings: withMeasured(r.findings), state: r.state! };
}

export function analyzeSource(text: string, language: LanguageId, opts: EngineOptions = {}): Finding[] {
  const tree = parse(language, text);
  try {
    return analyzeParsed(tree, text, language, opts);
  } finally {
    tree.delete();
  }
}

/** Drops the fix of any finding whose fix would add a syntax error (re-parsed one by one). */
export function withCheckedFixes(findings: Finding[], text: string, tree: Tree, language: LanguageId): Finding[] {
  return findings.map((f) => (f.fix && !fixKeepsParse(language, text, tree, f.fix) ? { ...f, fix: undefined } : f));
}

export function checkFix(text: string, tree: Tree, language: LanguageId, fix: Fix): boolean {
  return fixKeepsParse(language, text, tree, fix);
}

export function fixSource(text: string, language: LanguageId, opts: EngineOptions & { unsafe?: boolean; only?: string } = {}): FixAllResult {
  return fixAll(
    language,
    text,
    (t, tree) => {
      const found = analyzeParsed(tree, t, language, opts);
      return opts.only ? found.filter((f) => f.rule === opts.only) : found;
    },
    { unsafe: opts.unsafe },
  );
}
