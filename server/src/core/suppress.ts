// `# hotspots: ignore` / `# hotspots: ignore[name, …]` (or `//` in Go), at the end of the finding's line or
// alone on the line above it. Names may be rule ids or short names.

const PATTERN = /hotspots:\s*ignore(?:\[([^\]]*)\])?/;

export interface Suppression {
  line: number;                 // the line the comment applies to
  rules: string[] | 'all';
}

export function parseSuppression(comment: string): string[] | 'all' | undefined {
  const m = PATTERN.exec(comment);
  if (!m) return undefined;
  if (m[1] === undefined) return 'all';
  return m[1].split(',').map((s) => s.trim()).filter(Boolean);
}

export function shortName(ruleId: string): string {
  const i = ruleId.indexOf('/');
  return i >= 0 ? ruleId.slice(i + 1) : ruleId;
}

export class Suppressions {
  private readonly byLine = new Map<number, Array<string[] | 'all'>>();
  add(line: number, rules: string[] | 'all'): void {
    const list = this.byLine.get(line) ?? [];
    list.push(rules);
    this.byLine.set(line, list);
  }
  isSuppressed(ruleId: string, line: number): boolean {
    const list = this.byLine.get(line);
    if (!list) return false;
    const short = shortName(ruleId);
    return list.some((r) => r === 'all' || r.includes(ruleId) || r.includes(short));
  }
}

/** The text of a suppression comment for a rule, in the language's comment syntax. */
export function suppressionComment(language: 'python' | 'go', ruleId: string): string {
  return `${language === 'go' ? '//' : '#'} hotspots: ignore[${shortName(ruleId)}]`;
}
