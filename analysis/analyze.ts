// The rule engine: each rule's compiled query picks its candidate nodes inside WASM; `check` decides.
import { Query, type Node, type Tree } from 'web-tree-sitter';

import { codeContext, demoted } from './context';
import { clearOfErrors } from './fixes';
import { capturesIn, language, parse } from './parse';
import { FILE_SUPPRESSION_LINES, parseFileSuppression, parseSuppression, shortName, Suppressions, UNUSED_SUPPRESSION } from './suppress';
import { repetition } from './frequency';
import { Memo } from './memo';
import { pythonModel } from './python/semantic';
import { goModel } from './go/model';
import { DEFINITION, recordReadsInto } from './reads';
import { eolOf, LineIndex } from './text';
import type { CallMatch, Finding, LanguageId, Project, Report, Rule, RuleContext, RuleSettings, Severity } from './types';

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
 * Patterns that say only "a call of a function or method named one of these" are not run as queries: the names
 * are found by a text search and confirmed by the tree (an identifier that is the call's function, or the name
 * of the method a call selects). Every such pattern would otherwise test every call of the file with its own
 * text predicate, which web-tree-sitter evaluates in JavaScript: each call crossing the WASM boundary once per
 * pattern (half the query time on Django; 4 of the 9 Go patterns). Python: `(call function: [(identifier) @n
 * (attribute attribute: (identifier) @n)] (#any-of? @n …)) @node`; Go: `(call_expression function:
 * (selector_expression field: (field_identifier) @n) (#any-of? @n …)) @node`. A query with a `;` comment keeps
 * all its patterns (the test that checks the shortcut changes nothing relies on it).
 */
const CALL_BY_NAME: Record<LanguageId, RegExp> = {
  python: /^\(call function: \[\(identifier\) @(\w+) \(attribute attribute: \(identifier\) @\1\)\]\s*\(#(?:eq|any-of)\? @\1((?:\s+"[^"\\]+")+)\)\) @node$/,
  go: /^\(call_expression function: \(selector_expression field: \(field_identifier\) @(\w+)\)\s*\(#(?:eq|any-of)\? @\1((?:\s+"[^"\\]+")+)\)\) @node$/,
};

/** The call a name found in the text is the function of, as the CALL_BY_NAME pattern of its language says. */
const CALL_OF_NAME: Record<LanguageId, (id: Node) => Node | undefined> = {
  python: (id) => {
    const p = id.parent;
    if (id.type !== 'identifier' || !p) return undefined;
    if (p.type === 'call') return p.childForFieldName('function')?.id === id.id ? p : undefined;
    const call = p.parent;
    return p.type === 'attribute' && p.childForFieldName('attribute')?.id === id.id && call?.type === 'call' && call.childForFieldName('function')?.id === p.id
      ? call
      : undefined;
  },
  go: (id) => {
    const p = id.parent;
    const call = p?.parent;
    return id.type === 'field_identifier' &&
      p?.type === 'selector_expression' &&
      p.childForFieldName('field')?.id === id.id &&
      call?.type === 'call_expression' &&
      call.childForFieldName('function')?.id === p.id
      ? call
      : undefined;
  },
};

/**
 * The qualified name a call resolves to, by the language's model (for Rule.calls): `pop(…)` after `from subprocess
 * import Popen as pop` is `subprocess.Popen`. The model records what it read across the file.
 */
export function resolveCall(ctx: RuleContext, call: Node): string | undefined {
  return ctx.language === 'python' ? pythonModel(ctx).resolveCall(call) : goModel(ctx).resolveCall(call);
}

/** The last names of a rule's declared calls (`sleep` for `time.sleep`). */
function lastNames(rule: Rule): string[] {
  return [...new Set((rule.calls ?? []).map((q) => q.slice(q.lastIndexOf('.') + 1)))];
}

/** Words one of which a file must mention for the rule to match: its own, else its declared calls' last names. */
function mentionsOf(rule: Rule): readonly string[] | undefined {
  return rule.mentions ?? (rule.calls ? lastNames(rule) : undefined);
}

/** A rule's query split into its patterns: the names of a call-by-name pattern, and the rest as query text. */
export function splitQuery(rule: Rule): { names: string[]; rest: string } {
  if (rule.query === undefined) return { names: [], rest: '' };
  const patterns = topLevelPatterns(rule.query);
  if (!patterns || /^\s*;/m.test(rule.query)) return { names: [], rest: rule.query };
  const names: string[] = [];
  const rest: string[] = [];
  for (const p of patterns) {
    const m = CALL_BY_NAME[rule.meta.language].exec(p);
    if (m) names.push(...[...m[2].matchAll(/"([^"]+)"/g)].map((x) => x[1]));
    else rest.push(p);
  }
  return { names, rest: rest.join('\n') };
}

/** The names of a rule's call-by-name pattern, if it has one (see CALL_BY_NAME). */
export function callNames(rule: Rule): string[] | undefined {
  const { names } = splitQuery(rule);
  return names.length ? names : undefined;
}

/** A query's top-level patterns, each with the captures after it; undefined when it does not scan cleanly. */
function topLevelPatterns(query: string): string[] | undefined {
  const out: string[] = [];
  let depth = 0;
  let start = -1;
  for (let i = 0; i < query.length; i++) {
    const ch = query[i];
    if (ch === '"') {
      i++;
      while (i < query.length && query[i] !== '"') i += query[i] === '\\' ? 2 : 1;
      continue;
    }
    if (ch === ';' && depth === 0) {
      while (i < query.length && query[i] !== '\n') i++;
      continue;
    }
    if (ch === '(' || ch === '[') {
      if (depth === 0) start = i;
      depth++;
      continue;
    }
    if (ch === ')' || ch === ']') {
      depth--;
      if (depth < 0) return undefined;
      if (depth === 0) {
        const after = /^(?:\s*[?*+])?(?:\s*@[\w.-]+)*/.exec(query.slice(i + 1))![0];
        i += after.length;
        out.push(
          query
            .slice(start, i + 1)
            .replace(/\s+/g, ' ')
            .replace(/\( /g, '(')
            .replace(/ \)/g, ')'),
        );
      }
    }
  }
  return depth === 0 ? out : undefined;
}

interface Combined {
  query: Query;
  /** Rules (by index) wanting calls of each name (CALL_BY_NAME), and a search for those names. */
  byName: Map<string, number[]>;
  names?: RegExp;
  /** Rules (by index) that declared the calls they want (Rule.calls): the qualified names, checked on each candidate. */
  declared: Map<number, ReadonlySet<string>>;
  /** Rules (by index) declaring a call of each last name. */
  byCall: Map<string, number[]>;
  rules: readonly Rule[];
  language: LanguageId;
}
const queries = new Map<string, Combined>();
/** Rule objects numbered as first seen, so a query is keyed by the rules themselves (two rules may share an id). */
const ruleNumbers = new WeakMap<Rule, number>();
const ruleKey = (rules: readonly Rule[]) =>
  rules
    .map((r) => {
      let n = ruleNumbers.get(r);
      if (n === undefined) {
        n = nextRuleNumber++;
        ruleNumbers.set(r, n);
      }
      return n;
    })
    .join(',');
let nextRuleNumber = 0;
/** Compiled queries kept per language and rule set (the set changes only with the settings). */
const MAX_QUERIES = 16;

/**
 * The enabled rules' queries as one: a single traversal inside WASM instead of one per rule. Each rule's `@node`
 * capture is renamed `@rule<i>` so a capture names its rule; calls by name are found apart (see CALL_BY_NAME).
 * Rules a file cannot match (by `mentions`) stay in the query and their captures are skipped: compiling a query
 * per mix of rules cost 10-30 ms each, in every scan thread, more than the captures it saved (Django, 2 threads:
 * 1.10-1.13 s -> 1.05-1.07 s; the same on one thread and on Docker's Go).
 */
function combinedQuery(languageId: LanguageId, enabled: readonly Rule[]): Combined {
  const hit = queries.get(`${languageId}:${ruleKey(enabled)}`);
  if (hit) return hit;
  if (queries.size >= MAX_QUERIES) {
    const [oldest, c] = queries.entries().next().value as [string, Combined];
    queries.delete(oldest);
    c.query.delete();
  }
  return compileQuery(languageId, enabled);
}

function compileQuery(languageId: LanguageId, rules: readonly Rule[]): Combined {
  const byName = new Map<string, number[]>();
  const patterns: string[] = [];
  const declared = new Map<number, ReadonlySet<string>>();
  const byCall = new Map<string, number[]>();
  rules.forEach((r, i) => {
    if (r.calls) {
      declared.set(i, new Set(r.calls));
      for (const n of lastNames(r)) {
        const l = byCall.get(n);
        if (l) {
          if (!l.includes(i)) l.push(i);
        } else byCall.set(n, [i]);
      }
    }
    const { names, rest } = splitQuery(r);
    if (rest.trim()) patterns.push(rest.replace(/@node\b/g, `@rule${i}`));
    for (const n of names) {
      const l = byName.get(n);
      if (l) {
        if (!l.includes(i)) l.push(i);
      } else byName.set(n, [i]);
    }
  });
  const words = [...new Set([...byName.keys(), ...byCall.keys()])].sort((a, b) => b.length - a.length).map((n) => n.replace(/[^\w]/g, ''));
  const c: Combined = {
    query: new Query(language(languageId), patterns.join('\n')),
    byName,
    rules,
    language: languageId,
    declared,
    byCall,
    names: words.length ? new RegExp(`(?<![\\w$])(?:${words.join('|')})(?![\\w$])`, 'g') : undefined,
  };
  queries.set(`${languageId}:${ruleKey(rules)}`, c);
  return c;
}

const AS = /(?<![\w$])as\s+([A-Za-z_]\w*)/g;
const WORD_CHAR = /[\w$]/;

/**
 * The names imports give declared calls' functions (`from subprocess import Popen as pop`: `pop`), each with the
 * rules declaring a call of the original name: found from each `as` of the text (few) and the word before it.
 */
function renamings(text: string, byCall: ReadonlyMap<string, number[]>): Map<string, number[]> {
  const out = new Map<string, number[]>();
  if (!byCall.size) return out;
  for (const m of text.matchAll(AS)) {
    let end = m.index;
    while (end > 0 && /\s/.test(text[end - 1])) end--;
    if (end === m.index) continue; // `as` right after a bracket or a string: no name before it
    let start = end;
    while (start > 0 && WORD_CHAR.test(text[start - 1])) start--;
    const rules = byCall.get(text.slice(start, end));
    if (!rules) continue;
    const into = out.get(m[1]) ?? [];
    for (const i of rules) if (!into.includes(i)) into.push(i);
    out.set(m[1], into);
  }
  return out;
}

/**
 * The calls in [start, end) of the text whose function is named one of `names` (see CALL_BY_NAME), as captures
 * named `call:<name>` of the call node: found by a text search, each confirmed by the tree.
 */
function callsByName(c: Combined, root: Node, text: string, start: number, end: number, re = c.names): Array<{ name: string; node: Node }> {
  const out: Array<{ name: string; node: Node }> = [];
  if (!re) return out;
  re.lastIndex = start;
  for (let m = re.exec(text); m && m.index + m[0].length <= end; m = re.exec(text)) {
    const id = root.descendantForIndex(m.index, m.index + m[0].length);
    if (!id || id.startIndex !== m.index || id.endIndex !== m.index + m[0].length) continue;
    const call = CALL_OF_NAME[c.language](id);
    if (call) out.push({ name: `call:${m[0]}`, node: call });
    // Go: a function called by its bare name (a dot import: `After(d)`) is a candidate for declared calls only.
    else if (c.language === 'go' && id.type === 'identifier' && id.parent?.type === 'call_expression' && id.parent.childForFieldName('function')?.id === id.id)
      out.push({ name: `bare:${m[0]}`, node: id.parent });
  }
  return out;
}

/** Query captures and calls by name together, in the order of the text. */
function withCalls(captures: Array<{ name: string; node: Node }>, calls: Array<{ name: string; node: Node }>): Array<{ name: string; node: Node }> {
  if (!calls.length) return captures;
  return [...captures, ...calls].sort((a, b) => a.node.startIndex - b.node.startIndex);
}

const SUPPRESSION_HINT = /hotspots:\s*ignore/g;
/** Suppression comments: found by a text search, confirmed to be comments by the tree. */
function readSuppressions(tree: Tree, text: string, linesOf: () => LineIndex, out: Suppressions): void {
  SUPPRESSION_HINT.lastIndex = 0;
  let lastComment = -1;
  for (let m = SUPPRESSION_HINT.exec(text); m; m = SUPPRESSION_HINT.exec(text)) {
    const node = tree.rootNode.descendantForIndex(m.index, m.index + m[0].length);
    if (!node || node.type !== 'comment' || node.startIndex === lastComment) continue;
    lastComment = node.startIndex;
    const lines = linesOf();
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
      start: s.start,
      end: s.end,
      fix,
    });
  }
  return out;
}

/**
 * The pieces a file is analysed in: its top-level statements (a def, an import, a func declaration …), except that
 * a top-level class is its header (decorators, `class X(Base):`) plus each statement of its body (each method is
 * a piece of its own). The nodes that hold a class together (the class, its decoration, its body) belong to the
 * header; a rule capturing one of them would read the whole class, so such an analysis is not kept.
 */
interface Unit {
  node: Node;
  start: number;
  end: number;
  type: string;
  containers?: ReadonlySet<number>;
  skeleton?: string;
}

function unitsOf(root: Node, languageId: LanguageId): Unit[] {
  const out: Unit[] = [];
  for (const top of root.namedChildren) {
    if (!top) continue;
    const cls = top.type === 'class_definition' ? top : top.type === 'decorated_definition' ? top.childForFieldName('definition') : null;
    const body = languageId === 'python' && cls?.type === 'class_definition' ? cls.childForFieldName('body') : null;
    const members = body?.namedChildren.filter((c): c is Node => !!c) ?? [];
    if (!cls || !body || !members.length || members[0].startIndex !== body.startIndex) {
      out.push({ node: top, start: top.startIndex, end: top.endIndex, type: top.type });
      continue;
    }
    out.push({ node: top, start: top.startIndex, end: body.startIndex, type: 'class header', containers: new Set([top.id, cls.id, body.id]) });
    for (const m of members) out.push({ node: m, start: m.startIndex, end: m.endIndex, type: m.type });
  }
  return out;
}

/**
 * What one piece (see Unit) contributed to an analysis. The editor keeps these between keystrokes: a piece no edit
 * touched keeps its findings, moved with the edits.
 */
interface UnitRecord {
  start: number;
  end: number;
  /** Where it was in the analysed text (the state's `text` and `tree`). */
  origStart: number;
  origEnd: number;
  type: string;
  /** What other statements may read of it: a definition's header, any other statement's whole text. */
  skeleton: string;
  /** Findings as the rules reported them (before suppressions and the syntax-error check), offsets kept current. */
  raw: Finding[];
  /** Names its rules looked up across the whole file (analysis/reads.ts). */
  reads: Set<string>;
  /** An edit since the analysis overlapped it. */
  touched: boolean;
  /** Facts rules worked out from this piece's text (RuleContext.pieces), kept while the piece is. */
  memo: Memo;
}

/** An analysis kept for the next one (see analyzeIncremental). Offsets follow the edits reported to noteEdit. */
export interface AnalysisState {
  readonly language: LanguageId;
  readonly key: string;
  readonly units: UnitRecord[];
  /** The analysed text and a copy of its tree: what a changed statement said before, for `plan`. */
  readonly text: string;
  readonly tree: Tree;
  /** Ranges edited, or re-parsed to a different structure, since the analysis (current offsets). */
  dirty: Array<[number, number]>;
  /** False after an edit the state cannot follow (the whole text replaced): the next analysis starts over. */
  usable: boolean;
  /** How the last analysis ran: every statement, or only these many of them (for tests and benchmarks). */
  readonly ran: 'all' | number;
}

/** Frees what a kept analysis holds outside the JavaScript heap (its tree). */
export function disposeState(state: AnalysisState | undefined): void {
  state?.tree.delete();
}

/** Moves a kept analysis through one edit: [start, oldEnd) of the old text became [start, newEnd). */
export function noteEdit(state: AnalysisState, start: number, oldEnd: number, newEnd: number): void {
  const delta = newEnd - oldEnd;
  const map = (p: number) => (p <= start ? p : p >= oldEnd ? p + delta : newEnd);
  for (const u of state.units) {
    if (u.end >= start && u.start <= oldEnd) u.touched = true;
    u.start = map(u.start);
    u.end = map(u.end);
    for (const f of u.raw) {
      f.start = map(f.start);
      f.end = map(f.end);
      if (f.fix)
        for (const e of f.fix.edits) {
          e.start = map(e.start);
          e.end = map(e.end);
        }
    }
  }
  state.dirty = state.dirty.map(([a, b]) => [map(a), map(b)]);
  state.dirty.push([start, newEnd]);
}

/** Ranges whose structure the re-parse changed (tree-sitter's changed ranges), in current offsets. */
export function noteChangedRanges(state: AnalysisState, ranges: ReadonlyArray<{ startIndex: number; endIndex: number }>): void {
  for (const r of ranges) state.dirty.push([r.startIndex, r.endIndex]);
}

const DEFINITIONS: Record<LanguageId, ReadonlySet<string>> = {
  python: new Set(['function_definition', 'class_definition', 'decorated_definition']),
  go: new Set(['function_declaration', 'method_declaration']),
};

/**
 * What other pieces' rules may read of a piece: a definition's header (decorators, name, parameters, result: up
 * to the colon or the body's brace), a class's header, or all of any other statement.
 */
function skeletonOf(u: Unit, text: string, languageId: LanguageId): string {
  return (u.skeleton ??= headerOf(u, text, languageId));
}

function headerOf(u: Unit, text: string, languageId: LanguageId): string {
  const n = u.node;
  if (u.containers) return `${u.type}:${text.slice(u.start, u.end)}`;
  if (!DEFINITIONS[languageId].has(n.type)) return text.slice(n.startIndex, n.endIndex);
  const def = n.type === 'decorated_definition' ? (n.childForFieldName('definition') ?? n) : n;
  const body = def.childForFieldName('body');
  let end = body ? body.startIndex : n.endIndex;
  if (languageId === 'python' && body) {
    // The colon ends the header; comments between it and the first statement belong to the body.
    for (let i = def.childCount - 1; i >= 0; i--) {
      const c = def.child(i);
      if (c && c.type === ':' && c.endIndex <= body.startIndex) {
        end = c.endIndex;
        break;
      }
    }
  }
  return `${n.type}:${text.slice(n.startIndex, end)}`;
}

function copyFinding(f: Finding): Finding {
  return { ...f, fix: f.fix && { ...f.fix, edits: f.fix.edits.map((e) => ({ ...e })) } };
}

/**
 * Which top-level statements need their rules run again after edits, given the kept state; undefined when only a
 * whole analysis is sound. A statement is run again when an edit or the re-parse touched it; when it read
 * (analysis/reads.ts) a name whose occurrences in the changed statements, old and new, are not described alike (see
 * `occurrences`); or when it read a definition that a changed statement declares, before or after. Only a
 * whole analysis will do when what statements read of each other (imports, module-level code, definitions'
 * headers) changed.
 */
function plan(prev: AnalysisState, units: readonly Unit[], tree: Tree, text: string, languageId: LanguageId): Array<UnitRecord | undefined> | undefined {
  const inDirty = (s: number, e: number) => prev.dirty.some(([a, b]) => e >= a && s <= b);
  const clean = new Map<string, UnitRecord>();
  for (const u of prev.units) if (!u.touched && !inDirty(u.start, u.end)) clean.set(`${u.start}:${u.end}:${u.type}`, u);
  const reuse = units.map((n) => clean.get(`${n.start}:${n.end}:${n.type}`));
  const used = new Set(reuse.filter((u): u is UnitRecord => !!u));
  const oldChanged = prev.units.filter((u) => !used.has(u));
  const newChanged = units.filter((_, i) => !reuse[i]);
  if (oldChanged.map((u) => u.skeleton).join('\0') !== newChanged.map((n) => skeletonOf(n, text, languageId)).join('\0')) return undefined;
  const changedText = [...oldChanged.map((u) => prev.text.slice(u.origStart, u.origEnd)), ...newChanged.map((n) => text.slice(n.start, n.end))].join('\n');
  // A definition read across the file matters only if a changed statement declares that name, before or after the
  // edit (where declarations are not listed for the language: if the changed text mentions the name at all).
  let declared: Set<string> | undefined;
  const declaredInChanged = (name: string): boolean => {
    const q = declarationQuery(languageId);
    if (!q) return changedText.includes(name);
    if (!occursAsWord(changedText, name)) return false; // no query over a big changed function for most names
    declared ??= new Set(
      [
        ...oldChanged.flatMap((u) => capturesIn(q, prev.tree.rootNode, u.origStart, u.origEnd)),
        ...newChanged.flatMap((n) => capturesIn(q, tree.rootNode, n.start, n.end)),
      ].map((c) => c.node.text),
    );
    return declared.has(name);
  };
  // A name read across the file matters only if what surrounds its occurrences in the changed statements changed.
  const verdicts = new Map<string, boolean>();
  const changedFor = (name: string): boolean => {
    let v = verdicts.get(name);
    if (v === undefined) {
      if (name.startsWith(DEFINITION)) v = declaredInChanged(name.slice(DEFINITION.length));
      else if (!changedText.includes(name)) v = false;
      else {
        const before = oldChanged.map((u) => occurrences(prev.tree, prev.text, u.origStart, u.origEnd, name)).join('\n');
        const after = newChanged.map((n) => occurrences(tree, text, n.start, n.end, name)).join('\n');
        v = before !== after;
      }
      verdicts.set(name, v);
    }
    return v;
  };
  return reuse.map((u) => {
    if (!u) return undefined;
    for (const name of u.reads) if (changedFor(name)) return undefined;
    // A kept fix that edits where the text changed is built again.
    if (u.raw.some((f) => f.fix?.edits.some((e) => inDirty(e.start, e.end)))) return undefined;
    return u;
  });
}

/**
 * The names a language's declarations give that rules read the definition of (analysis/reads.ts readsDefinition):
 * Go's types (their fields) and functions and methods (their bodies), wherever they are declared.
 */
const DECLARATIONS: Partial<Record<LanguageId, string>> = {
  go: '[(type_spec name: (_) @name) (type_alias name: (_) @name) (function_declaration name: (_) @name) (method_declaration name: (_) @name)]',
};
const declarationQueries = new Map<LanguageId, Query>();
function declarationQuery(id: LanguageId): Query | undefined {
  const source = DECLARATIONS[id];
  if (!source) return undefined;
  let q = declarationQueries.get(id);
  if (!q) {
    q = new Query(language(id), source);
    declarationQueries.set(id, q);
  }
  return q;
}

const WORD = /[\w$]/;

/** True when `name` at `at` in the text is a whole word (not part of a longer identifier). */
const wordAt = (text: string, at: number, name: string) => !(at > 0 && WORD.test(text[at - 1])) && !WORD.test(text[at + name.length] ?? '');

function occursAsWord(text: string, name: string): boolean {
  for (let at = text.indexOf(name); at >= 0; at = text.indexOf(name, at + 1)) if (wordAt(text, at, name)) return true;
  return false;
}

/**
 * The places `name` occurs as a whole word in [start, end) of a text, each described by its line and its chain
 * of enclosing nodes (type and first line of each, up to the top-level statement): everything a rule can learn
 * about the name there (is it bound, called, inside a loop's body, imported as what, trimmed) is in that.
 */
function occurrences(tree: Tree, text: string, start: number, end: number, name: string): string {
  const out: string[] = [];
  // The simple statements the occurrences are in, each once, in order (described by its number, its whole text
  // at the end: a statement over many lines with many occurrences is not copied once per occurrence).
  const statements = new Map<number, { n: number; text: string }>();
  for (let at = text.indexOf(name, start); at >= 0 && at + name.length <= end; at = text.indexOf(name, at + name.length)) {
    if (!wordAt(text, at, name)) continue;
    const lineStart = text.lastIndexOf('\n', at) + 1;
    const lineEnd = text.indexOf('\n', at);
    const parts = [text.slice(lineStart, lineEnd < 0 ? text.length : lineEnd)];
    let statement: Node | undefined;
    for (let n: Node | null = tree.rootNode.descendantForIndex(at, at + name.length); n && n.parent; n = n.parent) {
      const eol = text.indexOf('\n', n.startIndex);
      parts.push(`${n.type}:${text.slice(n.startIndex, eol < 0 || eol > n.endIndex ? n.endIndex : eol)}`);
      if (!statement && SIMPLE_STATEMENTS.has(n.type)) statement = n;
    }
    // The whole simple statement around it, over all its lines (`m = pytest.importorskip(\n "requests")`).
    if (statement) {
      let s = statements.get(statement.startIndex);
      if (!s) statements.set(statement.startIndex, (s = { n: statements.size, text: text.slice(statement.startIndex, statement.endIndex) }));
      parts.push(`statement ${s.n}`);
    }
    out.push(parts.join('\t'));
  }
  for (const s of statements.values()) out.push(`statement ${s.n}, ${s.text.length} characters:\n${s.text}`);
  return out.join('\n');
}

/** Statements with no block inside (Python and Go): what a rule learns of a name in one may depend on all its text. */
const SIMPLE_STATEMENTS = new Set([
  'expression_statement',
  'return_statement',
  'delete_statement',
  'raise_statement',
  'assert_statement',
  'import_statement',
  'import_from_statement',
  'type_alias_statement',
  'assignment_statement',
  'short_var_declaration',
  'inc_statement',
  'dec_statement',
  'send_statement',
  'go_statement',
  'defer_statement',
  'var_declaration',
  'const_declaration',
]);

export function analyzeTree(tree: Tree, text: string, language: LanguageId, opts: AnalyzeOptions): Finding[] {
  return analyzeIncremental(tree, text, language, opts).findings;
}

/**
 * Analyses a tree. With `keep`, also returns the state the next analysis of the same document can start from;
 * with `prev` (that state, moved through the edits since by noteEdit and noteChangedRanges), runs the rules only
 * on the top-level statements that need it (see `plan`) and keeps the other statements' findings. Either way the
 * findings are the same as a whole analysis would give (test/property.test.ts compares them on random edits).
 */
export function analyzeIncremental(
  tree: Tree,
  text: string,
  language: LanguageId,
  opts: AnalyzeOptions,
  prev?: AnalysisState,
  keep = !!prev,
): { findings: Finding[]; state?: AnalysisState } {
  const enabled = opts.rules.filter((r) => r.meta.language === language && effectiveSeverity(r, opts.settings) !== 'off');
  // A rule whose words the text never mentions cannot match: its captures are skipped.
  const active = enabled.filter((r) => {
    const words = mentionsOf(r);
    return !words || words.some((m) => text.includes(m));
  });
  // Lines are needed only to place suppression comments (most files have none).
  let lines: LineIndex | undefined;
  const linesOf = () => (lines ??= new LineIndex(text));
  const suppressions = new Suppressions();

  const root = tree.rootNode;
  const units = keep ? unitsOf(root, language) : [];
  // What every rule may read of the whole file: the rules, settings and project (with what the module graph knew:
  // other files can change between keystrokes), and the line endings fixes write.
  const key = keep
    ? `${ruleKey(active)}|${JSON.stringify(opts.settings ?? {})}|${opts.targetVersion ?? ''}|${opts.goModule ?? ''}|${opts.modules ? `m${opts.modules.stamp}` : ''}|${eolOf(text) === '\r\n'}|${text.includes('\r\n')}`
    : '';
  const reuse = prev && prev.usable && prev.language === language && prev.key === key ? plan(prev, units, tree, text, language) : undefined;
  const records: UnitRecord[] = units.map(
    (n, i) =>
      reuse?.[i] ?? {
        start: n.start,
        end: n.end,
        origStart: n.start,
        origEnd: n.end,
        type: n.type,
        skeleton: skeletonOf(n, text, language),
        raw: [],
        reads: new Set<string>(),
        touched: false,
        memo: new Memo(),
      },
  );
  const containers = new Map<number, UnitRecord>();
  units.forEach((u, i) => {
    for (const id of u.containers ?? []) containers.set(id, records[i]);
  });
  const loose: Finding[] = []; // findings of a one-off analysis (no units kept)
  let usable = true;

  let current: Rule | undefined;
  let into = loose;
  const analysisMemo = new Memo();
  const ctx: RuleContext = {
    text,
    tree,
    language,
    targetVersion: opts.targetVersion,
    goModule: opts.goModule,
    modules: opts.modules,
    pieces: keep ? records : undefined,
    memo: (key, compute) => analysisMemo.get(key, compute),
    report(r: Report) {
      const rule = current!;
      const start = r.start ?? r.node?.startIndex ?? 0;
      const end = r.end ?? r.node?.endIndex ?? start;
      const sev = effectiveSeverity(rule, opts.settings);
      // A user-chosen severity wins; otherwise a finding may lower the rule's default.
      let severity: Severity = sev !== rule.meta.severity ? (sev as Severity) : (r.severity ?? rule.meta.severity);
      let message = r.loop ? `${r.message} It runs ${repetition(r.loop, language)}.` : r.message;
      // A performance finding in test or start-up code does not repeat with the input: demoted (a hint by default).
      const where = rule.meta.category !== 'correctness' && r.node ? codeContext(r.node, language, opts) : undefined;
      if (where) {
        const kept = demoted(severity, where, opts.contexts);
        if (kept === 'off') return;
        if (kept !== severity)
          message +=
            where === 'test'
              ? ` (In test code: shown as ${kept === 'hint' ? 'a hint' : kept}; \`tests\` in [tool.hotspots] changes this.)`
              : ` (In start-up code, which runs once: shown as ${kept === 'hint' ? 'a hint' : kept}; \`startup\` in [tool.hotspots] changes this.)`;
        severity = kept;
      }
      into.push({
        rule: rule.meta.id,
        message,
        severity,
        start,
        end,
        fix: r.fix,
        ...(r.measuredAs ? { measuredAs: r.measuredAs } : {}),
      });
    },
  };

  const combined = combinedQuery(language, enabled);
  const { query, byName, byCall, rules, declared } = combined;
  // Imports that rename a declared call's function (`from subprocess import Popen as pop`): calls of `pop` are
  // candidates too, for the rules wanting `Popen`.
  const renamedTo = renamings(text, byCall);
  const aliases = renamedTo.size ? new RegExp(`(?<![\\w$])(?:${[...renamedTo.keys()].join('|')})(?![\\w$])`, 'g') : undefined;
  const candidates = (start: number, end: number) => {
    const calls = callsByName(combined, root, text, start, end);
    return aliases ? [...calls, ...callsByName(combined, root, text, start, end, aliases)] : calls;
  };
  // The query holds every enabled rule: the captures of those this file cannot match are skipped.
  const wanted = rules.length === active.length ? undefined : new Set(active);
  const failed = new Set<Rule>();
  /** Runs rule i on a capture; `call`: a candidate for its declared calls, checked by resolving it first. */
  const run = (i: number, node: Node, call = false) => {
    const rule = rules[i];
    if (failed.has(rule) || (wanted && !wanted.has(rule))) return;
    current = rule;
    try {
      const calls = call ? declared.get(i) : undefined;
      let match: CallMatch | undefined;
      if (calls) {
        const qualified = resolveCall(ctx, node);
        if (!qualified || !calls.has(qualified)) return;
        match = { qualified };
      }
      rule.check(node, ctx, match);
    } catch (e) {
      failed.add(rule); // reported once; the other rules go on
      opts.onRuleError?.(rule.meta.id, e);
    }
  };
  /** Sends each capture to its rules, with reports and reads going to the statement the capture lies in. */
  const dispatch = (captures: Array<{ name: string; node: Node }>, unitOf: (n: Node) => UnitRecord | undefined) => {
    for (const { name, node } of captures) {
      if (keep) {
        // A capture of a node that holds a class together reads the whole class: not kept (nor is one of the file).
        const unit = containers.has(node.id) ? undefined : unitOf(node);
        if (!unit) {
          usable = false;
          into = loose;
          recordReadsInto(undefined);
        } else {
          into = unit.raw;
          recordReadsInto(unit.reads);
        }
      }
      if (name.startsWith('bare:')) {
        for (const i of byCall.get(name.slice(5)) ?? []) run(i, node, true);
        continue;
      }
      if (name.startsWith('call:')) {
        const called = name.slice(5);
        for (const i of byName.get(called) ?? []) run(i, node);
        const own = byCall.get(called) ?? [];
        for (const i of own) run(i, node, true);
        for (const i of renamedTo.get(called) ?? []) if (!own.includes(i)) run(i, node, true);
        continue;
      }
      if (name.startsWith('rule')) run(Number(name.slice(4)), node);
    }
  };
  try {
    if (!reuse) {
      const starts = records.map((r) => r.start);
      dispatch(withCalls(query.captures(root), candidates(0, text.length)), (n) => {
        let lo = 0,
          hi = starts.length - 1,
          at = -1;
        while (lo <= hi) {
          const mid = (lo + hi) >> 1;
          if (starts[mid] <= n.startIndex) {
            at = mid;
            lo = mid + 1;
          } else hi = mid - 1;
        }
        return at >= 0 && n.endIndex <= records[at].end ? records[at] : undefined;
      });
    } else {
      units.forEach((u, i) => {
        if (reuse[i]) return;
        // A class header: what starts in it (decorators, name, bases), not the body's pieces.
        const captures = u.containers
          ? capturesIn(query, u.node, u.start, u.end).filter((c) => c.node.startIndex < u.end || containers.has(c.node.id))
          : query.captures(u.node);
        dispatch(withCalls(captures, candidates(u.start, u.end)), () => records[i]);
      });
    }
  } finally {
    recordReadsInto(undefined);
  }
  const reused = new Set(reuse ?? []);
  if (keep) for (const r of records) if (!reused.has(r)) r.raw = r.raw.map(copyFinding); // kept apart from what rules share
  readSuppressions(tree, text, linesOf, suppressions);

  const out: Finding[] = [];
  const seen = new Set<string>();
  const errorFree = !root.hasError;
  for (const f of keep ? [...records.flatMap((r) => r.raw), ...loose] : loose) {
    if (suppressions.all.length && suppressions.isSuppressed(f.rule, linesOf().position(f.start).line)) continue;
    const key = `${f.rule}:${f.start}:${f.end}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const o = keep ? copyFinding(f) : f;
    if (o.fix && (!o.fix.edits.length || (!errorFree && !clearOfErrors(tree, o.fix)))) delete o.fix;
    out.push(o);
  }
  out.push(...unusedSuppressions(suppressions, enabled, text, opts));
  out.sort((a, b) => a.start - b.start || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0));
  disposeState(prev);
  for (const r of records) {
    r.origStart = r.start;
    r.origEnd = r.end;
  }
  const state: AnalysisState | undefined = keep
    ? {
        language,
        key,
        text,
        tree: tree.copy(),
        units: records,
        dirty: [],
        usable: usable && !loose.length,
        ran: reuse ? reuse.filter((u) => !u).length : 'all',
      }
    : undefined;
  return { findings: out, state };
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
