// Rule documentation rendered from metadata: the docs pages and the README's rule table.
import type { Rule } from '../analysis/types';
import grading from './grading.json';
import { FASTER, type Measured, measured, measuredPhrase, otherRuns, thousands } from './measured';
import oracle from './fix-oracle.json';

const FENCE = { python: 'python', go: 'go' } as const;

export function docsPagePath(rule: Rule): string {
  return `docs/rules/${rule.meta.id}.md`;
}

export function renderRuleDoc(rule: Rule): string {
  const m = rule.meta;
  const lang = FENCE[m.language];
  const short = m.id.split('/')[1];
  return [
    `# ${m.id}`,
    '',
    `**${m.title}**. ${m.category === 'correctness' ? 'A correctness bug, not a speed-up. ' : ''}Default severity: \`${m.severity}\`. Fix: ${m.fix === 'none' ? 'none' : `\`${m.fix}\``}.`,
    '',
    ...((grading.rules as Record<string, string>)[m.id]
      ? [
          `Graded blind on code no rule was tuned on ([docs/corpus.md](../../corpus.md#graded-blind-on-code-no-rule-was-tuned-on)): ${(grading.rules as Record<string, string>)[m.id]}`,
          '',
        ]
      : []),
    ...(m.before
      ? [
          `Reported only when the code targets ${m.language === 'go' ? 'Go' : 'Python'} below ${m.before} (${m.language === 'go' ? 'the `go` line of the nearest go.mod, or `go-version` in the configuration; without either the newest Go is assumed' : '`python-version` in the configuration'}).`,
          '',
        ]
      : []),
    '## What it does',
    '',
    m.docs.what,
    '',
    '## Why is this bad?',
    '',
    m.docs.why,
    '',
    ...(m.docs.references?.length ? ['Checked against:', '', ...m.docs.references.map((r) => `- ${r}`), ''] : []),
    '## Example',
    '',
    '```' + lang,
    m.docs.example,
    '```',
    '',
    '## Use instead',
    '',
    '```' + lang,
    m.docs.useInstead,
    '```',
    '',
    '## Fix safety',
    '',
    m.docs.fixSafety,
    '',
    ...oracleSection(rule),
    ...measuredSection(rule),
    '## Turning it off',
    '',
    `On one line: \`${m.language === 'go' ? '//' : '#'} hotspots: ignore[${short}]\` at the end of the line or alone on the line above.`,
    `In one file: \`${m.language === 'go' ? '//' : '#'} hotspots: ignore-file[${short}]\` in its first 20 lines.`,
    `In a project: \`ignore = ["${short}"]\` under \`[tool.hotspots]\` in pyproject.toml, or in hotspots.toml.`,
    `In your editor: \`"hotspots.rules": { "${m.id}": "off" }\` in VS Code settings.`,
    '',
    "<!-- Generated from the rule's metadata by `npm run docs`. Do not edit. -->",
    '',
  ].join('\n');
}

/**
 * What the differential fix oracle (test/fix-oracle.test.ts) saw of the rule's fixes: the program it runs before
 * and after them, that the safe ones changed nothing, and each case where the unsafe ones did
 * (rules/fix-oracle.json, which the test keeps equal to what it observes).
 */
function oracleSection(rule: Rule): string[] {
  const m = rule.meta;
  const diffs = (oracle as Record<string, Array<{ case: string; differs: string }>>)[m.id];
  if (!diffs || m.fix === 'none') return [];
  const program = `test/oracle/${m.language}/${m.id.split('/')[1]}.${m.language === 'go' ? 'go' : 'py'}`;
  const safe = m.fix === 'safe' || m.fix === 'mixed';
  const unsafe = m.fix === 'unsafe' || m.fix === 'mixed';
  return [
    '## Fix oracle',
    '',
    `\`npm test\` runs \`${program}\`, functions in the shapes this rule fixes, each called on several inputs, ${m.language === 'go' ? 'built and run with Go' : 'with python3'} before and after the fix, and compares what each call returns, ${m.language === 'go' ? 'panics with' : 'raises'} and prints (\`test/fix-oracle.test.ts\`).${safe ? ' With the safe fixes applied, the output is byte-identical.' : ''}`,
    ...(m.before ? ['', "The fix is for code that targets an older Go: the fixed program runs in a module at go 1.21, with that version's semantics."] : []),
    ...(unsafe
      ? ['', `With ${safe ? 'the unsafe fixes applied as well' : 'its fixes applied'}, ${diffs.length ? 'these cases differ:' : 'no case differs.'}`]
      : []),
    ...(unsafe && diffs.length ? ['', ...diffs.map((d) => `- \`${d.case}\`: ${d.differs}.`)] : []),
    '',
  ];
}

function ms(seconds: number): string {
  const v = seconds * 1000;
  return v >= 100 ? v.toFixed(0) : v >= 1 ? v.toFixed(1) : v.toFixed(3);
}

/** A table of one benchmark run: per size, both shapes' times, the speed-up, and allocations where measured. */
function runTable(m: Measured): string[] {
  const mem = m.flaggedBytes && m.fixedBytes;
  const bytes = (b: number) => (b >= 1 << 20 ? `${(b / (1 << 20)).toFixed(1)} MiB` : b >= 1024 ? `${(b / 1024).toFixed(1)} KiB` : `${b} B`);
  const rows = m.sizes.map(
    (n, i) =>
      `| ${thousands(n)} | ${ms(m.flaggedSeconds[i])} ms | ${ms(m.fixedSeconds[i])} ms | ${m.ratios[i]}x |${mem ? ` ${bytes(m.flaggedBytes![i])} | ${bytes(m.fixedBytes![i])} |` : ''}`,
  );
  return [
    mem ? `| ${m.unit} | flagged | fixed | speed-up | flagged allocates | fixed allocates |` : `| ${m.unit} | flagged | fixed | speed-up |`,
    mem ? '|---:|---:|---:|---:|---:|---:|' : '|---:|---:|---:|---:|',
    ...rows,
  ];
}

/** The runs beside the main one: the same toolchain in a module at another go line, and an older toolchain. */
function otherRunsSection(rule: Rule): string[] {
  return otherRuns(rule.meta.id).flatMap((o) => [
    '',
    o.legacy
      ? `On ${o.m.runtime} (Debian's golang-go, a module at go ${o.m.goLine}), kept for comparison:`
      : o.m.goLine
        ? `On ${o.m.runtime} in a module whose go.mod says go ${o.m.goLine} (the runtime's defaults follow the main module's go line; findings in modules at that go line quote these figures):`
        : `${(o.m.what ?? o.variant!)
            .replace(/^[\w/-]+(, |: )/, '')
            .replace(/^./, (c) => c.toUpperCase())
            .replace(
              /\.$/,
              '',
            )} (\`bench/rules/python/${rule.meta.id.split('/')[1].replace(/-/g, '_')}__${o.variant!.replace(/-/g, '_')}.py\`; findings of that shape quote these figures):`,
    '',
    ...runTable(o.m),
  ]);
}

function measuredSection(rule: Rule): string[] {
  const m = measured(rule.meta.id);
  if (!m) return [];
  const verdict =
    m.ratio >= FASTER
      ? `The fix is ${measuredPhrase(rule.meta.id)}.`
      : `The fix is **not a speed-up** (${m.ratio.toFixed(2)}x at the largest size)${m.flaggedBytes && m.fixedBytes && m.flaggedBytes[m.flaggedBytes.length - 1] / m.fixedBytes[m.fixedBytes.length - 1] >= FASTER ? `, but allocates ${(m.flaggedBytes[m.flaggedBytes.length - 1] / m.fixedBytes[m.fixedBytes.length - 1]).toFixed(1)}x less memory` : ''}; the rule is reported for the reason above, at ${rule.meta.severity} level.`;
  return [
    '## Measured',
    '',
    rule.meta.language === 'go'
      ? `The flagged shape against the fixed shape, timed with \`go test -bench\` on ${m.runtime}${m.goLine ? ` in a module at go ${m.goLine}` : ''} (${m.date}, \`npm run bench:rules\`; the benchmark is \`bench/rules/go/${rule.meta.id.split('/')[1].replace(/-/g, '_')}_test.go\`).`
      : `The flagged shape against the fixed shape, timed with \`timeit\` on ${m.runtime} (${m.date}, \`npm run bench:rules\`; the benchmark is \`bench/rules/python/${rule.meta.id.split('/')[1].replace(/-/g, '_')}.py\`).`,
    '',
    ...runTable(m),
    ...otherRunsSection(rule),
    '',
    verdict,
    '',
  ];
}

export function renderRuleTable(rules: readonly Rule[]): string {
  const rows = rules.map((r) => {
    const m = measured(r.meta.id);
    const speed =
      r.meta.category === 'correctness'
        ? 'correctness'
        : !m
          ? ''
          : m.ratio >= FASTER
            ? `${m.ratio >= 10 ? Math.round(m.ratio) : m.ratio.toFixed(1)}x at ${thousands(m.sizes[m.sizes.length - 1])} ${m.unit}`
            : `not faster (${m.ratio.toFixed(2)}x)`;
    return `| [\`${r.meta.id}\`](${docsPagePath(r)}) | ${r.meta.title} | ${r.meta.severity} | ${r.meta.fix} | ${speed} |`;
  });
  return ['| rule | what it flags | severity | fix | fix measured |', '|---|---|---|---|---|', ...rows].join('\n');
}

export const TABLE_START = '<!-- rules:start -->';
export const TABLE_END = '<!-- rules:end -->';

export function withRuleTable(readme: string, rules: readonly Rule[]): string {
  const s = readme.indexOf(TABLE_START);
  const e = readme.indexOf(TABLE_END);
  if (s < 0 || e < s) return readme;
  return `${readme.slice(0, s + TABLE_START.length)}\n${renderRuleTable(rules)}\n${readme.slice(e)}`;
}
