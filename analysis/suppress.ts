// Suppression comments, `#` in Python and `//` in Go:
//   `hotspots: ignore[name, …]` (or bare `hotspots: ignore`) at the end of the finding's line, or alone on the line
//   above it; `hotspots: ignore-file[name, …]` (or bare) in the first lines of the file, for the whole file.
// Names may be rule ids or short names. A suppression that silences nothing is reported as a hint.

const LINE = /hotspots:\s*ignore(?!-)(?:\[([^\]]*)\])?/;
const FILE = /hotspots:\s*ignore-file(?:\[([^\]]*)\])?/;

/** How near the top an `ignore-file` comment must be. */
export const FILE_SUPPRESSION_LINES = 20;
export const UNUSED_SUPPRESSION = 'hotspots/unused-suppression';

export type Names = string[] | 'all';

function names(m: RegExpExecArray): Names {
  return m[1] === undefined
    ? 'all'
    : m[1]
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
}

export function parseSuppression(comment: string): Names | undefined {
  const m = LINE.exec(comment);
  return m ? names(m) : undefined;
}

export function parseFileSuppression(comment: string): Names | undefined {
  const m = FILE.exec(comment);
  return m ? names(m) : undefined;
}

export function shortName(ruleId: string): string {
  const i = ruleId.indexOf('/');
  return i >= 0 ? ruleId.slice(i + 1) : ruleId;
}

function names_match(list: Names, ruleId: string): boolean {
  return list === 'all' || list.includes(ruleId) || list.includes(shortName(ruleId));
}

export interface SuppressionComment {
  line: number; // the line it applies to (-1: the whole file)
  rules: Names;
  start: number; // the comment's range
  end: number;
  used: boolean;
}

export class Suppressions {
  readonly all: SuppressionComment[] = [];
  private readonly byLine = new Map<number, SuppressionComment[]>();
  add(s: Omit<SuppressionComment, 'used'>): void {
    const entry = { ...s, used: false };
    this.all.push(entry);
    const list = this.byLine.get(s.line) ?? [];
    list.push(entry);
    this.byLine.set(s.line, list);
  }
  /** True when a comment silences this rule on this line; marks that comment as used. */
  isSuppressed(ruleId: string, line: number): boolean {
    for (const key of [line, -1]) {
      const hit = this.byLine.get(key)?.find((s) => names_match(s.rules, ruleId));
      if (hit) {
        hit.used = true;
        return true;
      }
    }
    return false;
  }
}

/** The text of a suppression comment for a rule, in the language's comment syntax. */
export function suppressionComment(language: 'python' | 'go', ruleId: string): string {
  return `${language === 'go' ? '//' : '#'} hotspots: ignore[${shortName(ruleId)}]`;
}
