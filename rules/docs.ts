// Rule documentation rendered from metadata: the docs pages and the README's rule table.
import type { Rule } from '../server/src/core/types';

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
    `**${m.title}**. Default severity: \`${m.severity}\`. Fix: ${m.fix === 'none' ? 'none' : `\`${m.fix}\``}.`,
    '',
    '## What it does',
    '',
    m.docs.what,
    '',
    '## Why is this bad?',
    '',
    m.docs.why,
    '',
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
    '## Turning it off',
    '',
    `On one line: \`${m.language === 'go' ? '//' : '#'} hotspots: ignore[${short}]\` at the end of the line or alone on the line above.`,
    `In one file: \`${m.language === 'go' ? '//' : '#'} hotspots: ignore-file[${short}]\` in its first 20 lines.`,
    `In a project: \`ignore = ["${short}"]\` under \`[tool.hotspots]\` in pyproject.toml, or in hotspots.toml.`,
    `In your editor: \`"hotspots.rules": { "${m.id}": "off" }\` in VS Code settings.`,
    '',
    '<!-- Generated from the rule\'s metadata by `npm run docs`. Do not edit. -->',
    '',
  ].join('\n');
}

export function renderRuleTable(rules: readonly Rule[]): string {
  const rows = rules.map((r) => `| [\`${r.meta.id}\`](${docsPagePath(r)}) | ${r.meta.title} | ${r.meta.severity} | ${r.meta.fix} |`);
  return ['| rule | what it flags | severity | fix |', '|---|---|---|---|', ...rows].join('\n');
}

export const TABLE_START = '<!-- rules:start -->';
export const TABLE_END = '<!-- rules:end -->';

export function withRuleTable(readme: string, rules: readonly Rule[]): string {
  const s = readme.indexOf(TABLE_START);
  const e = readme.indexOf(TABLE_END);
  if (s < 0 || e < s) return readme;
  return `${readme.slice(0, s + TABLE_START.length)}\n${renderRuleTable(rules)}\n${readme.slice(e)}`;
}
