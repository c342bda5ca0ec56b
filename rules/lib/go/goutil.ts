// Helpers the Go rules share: tree helpers (loops, statements, calls, how an identifier is used), the Go version a
// file is compiled at, and edits that keep gofmt's layout (tabs, sorted import groups, fresh names). What a name or a
// type is comes from the kernel's Go model (analysis/go/model.ts: goModel(ctx)).
import { inLoopBody } from '../../../analysis/go/frequency';
import type { Node } from 'web-tree-sitter';
import { eolOf, indentAt, lineStartOf, nextLineStart } from '../../../analysis/text';
import { readsDefinition, readsName } from '../../../analysis/reads';
import { frequency } from '../../../analysis/frequency';
import type { RuleContext, TextEdit } from '../../../analysis/types';
import { memoKey } from '../../../analysis/memo';
import { defaultImportName, FUNC_TYPES, goModel, stringValue } from '../../../analysis/go/model';
import { sameNode, walkAll, walkPruned, within } from '../tree';

export { sameNode, walkAll, within };
export { defaultImportName, stringValue };

const KEYWORDS = new Set([
  'break',
  'case',
  'chan',
  'const',
  'continue',
  'default',
  'defer',
  'else',
  'fallthrough',
  'for',
  'func',
  'go',
  'goto',
  'if',
  'import',
  'interface',
  'map',
  'package',
  'range',
  'return',
  'select',
  'struct',
  'switch',
  'type',
  'var',
  'len',
  'cap',
  'new',
  'make',
  'string',
  'int',
  'byte',
]);

/**
 * Walks a subtree without entering function literals (their code runs at another time, maybe in another goroutine):
 * the counterpart of rules/python/pyutil.ts walkScope.
 */
export function walkScope(root: Node, includeRoot = true): Generator<Node> {
  return walkPruned(root, (n) => n.type === 'func_literal', includeRoot);
}

/**
 * The nearest enclosing function declaration, method or func literal (the boundary of "runs when this code runs",
 * as pyutil's enclosingScope), not a block: for the block a name is declared in, see the model's scopeOf.
 */
export function enclosingScope(n: Node): Node | undefined {
  for (let p = n.parent; p; p = p.parent) if (FUNC_TYPES.has(p.type)) return p;
  return undefined;
}

/** True when `n` is evaluated on every iteration of `loop` (the kernel's frequency facts use the same test). */
export { inLoopBody };

/** `for i := 0; i < b.N; i++`: a benchmark's loop repeats its body on purpose. */
export function isBenchmarkLoop(loop: Node): boolean {
  const clause = loop.namedChildren.find((c) => c?.type === 'for_clause');
  const cond = clause?.childForFieldName('condition');
  return !!cond && /^\w+\s*<\s*\w+\.N$/.test(cond.text);
}

/**
 * The `for` loops that run `n` repeatedly, innermost first, within its function (a func literal is a boundary).
 * Inside a benchmark's `b.N` loop there are none: the repetition is the point.
 */
export function enclosingLoops(n: Node): Node[] {
  const out: Node[] = [];
  for (let p = n.parent; p && !FUNC_TYPES.has(p.type); p = p.parent) {
    if (p.type === 'for_statement' && inLoopBody(n, p)) {
      if (isBenchmarkLoop(p)) return [];
      out.push(p);
    }
  }
  return out;
}

/**
 * The `for` loops that repeat `n` (analysis/frequency.ts), innermost first: enclosingLoops without those that run
 * it at most once per entry (it leaves the loop right after), iterate a few literal items, retry until the first
 * success, or wait for a timer on every iteration. What the loop rules count as evidence that `n` runs many
 * times per call; none inside a benchmark's `b.N` loop, as for enclosingLoops. The facts use the analysis's Go
 * model (goModel(ctx)).
 */
export function repeatingLoops(n: Node, ctx: RuleContext): Node[] {
  return enclosingLoops(n).length ? frequency(n, ctx).loops : [];
}

/** The statement that holds `n` directly in a statement list. */
export function statementOf(n: Node): Node | undefined {
  let s: Node | null = n;
  while (s && s.parent && s.parent.type !== 'statement_list') s = s.parent;
  return s && s.parent ? s : undefined;
}

/** A loop together with its label, which is what sits in the statement list. */
export function loopStatement(loop: Node): Node {
  return loop.parent?.type === 'labeled_statement' ? loop.parent : loop;
}

/**
 * The name to call `path` by, with the import edit it needs (none when the file imports it already, under
 * whatever name); undefined when it cannot be imported here (see ensureImport).
 */
export function importFor(ctx: RuleContext, path: string): { name: string; edit?: TextEdit } | undefined {
  const local = goModel(ctx).importedAs(path);
  if (local) return { name: local };
  const edit = ensureImport(ctx, path);
  return edit ? { name: defaultImportName(path), edit } : undefined;
}

/**
 * An edit that imports `path` (in gofmt's sorted order inside the first import group), null when it is
 * imported already, undefined when the default name is taken by something else.
 */
export function ensureImport(ctx: RuleContext, path: string): TextEdit | null | undefined {
  const m = goModel(ctx);
  const text = ctx.text;
  if (m.importedAs(path) === defaultImportName(path)) return null;
  const name = defaultImportName(path);
  // A package cannot import itself; inside the standard library (module std) any new import may close a cycle.
  if (ctx.goModule === 'std') return undefined;
  const tops = ctx.tree.rootNode.namedChildren;
  const pkgName = tops.find((c) => c?.type === 'package_clause')?.namedChild(0)?.text;
  if (pkgName === name) return undefined;
  if (m.imports.has(name) || [...m.packageValueNames()].includes(name)) return undefined;
  readsName(name);
  if (new RegExp(`\\b(func|type|var|const)\\s+${name}\\b`).test(text)) return undefined;
  const eol = eolOf(text);
  if (m.importList) {
    const specs = m.importList.namedChildren.filter((c): c is Node => c?.type === 'import_spec');
    // The first group: consecutive specs with no blank line between them.
    const group: Node[] = [];
    for (const s of specs) {
      if (group.length && /\n[ \t]*\r?\n/.test(text.slice(group[group.length - 1].endIndex, s.startIndex))) break;
      group.push(s);
    }
    const pathOf = (s: Node) => stringValue(s.childForFieldName('path')!) ?? '';
    const next = group.find((s) => pathOf(s) >= path); // gofmt puts `"p"` before `. "p"`
    if (next) {
      const at = lineStartOf(text, next.startIndex);
      if (text.slice(at, next.startIndex).trim() !== '') return undefined;
      return { start: at, end: at, text: `${indentAt(text, next.startIndex)}"${path}"${eol}` };
    }
    const last = group[group.length - 1];
    if (last) {
      const at = nextLineStart(text, last.endIndex);
      return { start: at, end: at, text: `${indentAt(text, last.startIndex)}"${path}"${eol}` };
    }
    const open = m.importList.child(0);
    return open ? { start: open.endIndex, end: open.endIndex, text: `${eol}\t"${path}"` } : undefined;
  }
  const lastDecl = m.importDeclarations[m.importDeclarations.length - 1];
  if (lastDecl) {
    const at = nextLineStart(text, lastDecl.endIndex);
    return { start: at, end: at, text: `import "${path}"${eol}` };
  }
  const pkg = tops.find((c) => c?.type === 'package_clause');
  if (!pkg) return undefined;
  return { start: pkg.endIndex, end: pkg.endIndex, text: `${eol}${eol}import "${path}"` };
}

/** Every identifier of each function fixes were asked a fresh name in (and the file's top-level names), by its start. */
const USED_NAMES = memoKey<Map<number, Set<string>>>('go: names used in a function, for fresh names');

/**
 * A name not yet used, derived from `wanted` (`wanted`, `wanted2` …): not an identifier of the function around
 * `at` (or of the file, at top level), a package-level variable, constant or import, or a keyword.
 */
export function freshName(ctx: RuleContext, wanted: string, at: Node): string {
  const fn = enclosingScope(at) ?? ctx.tree.rootNode;
  const byFunction = ctx.memo(USED_NAMES, () => new Map<number, Set<string>>());
  let used = byFunction.get(fn.startIndex); // one walk per function, however many fixes it gets
  if (!used) {
    const m = goModel(ctx);
    used = new Set<string>();
    for (const n of walkAll(fn))
      if (n.type === 'identifier' || n.type === 'field_identifier' || n.type === 'type_identifier' || n.type === 'label_name') used.add(n.text);
    for (const name of m.packageValueNames()) used.add(name);
    for (const name of m.imports.keys()) used.add(name);
    byFunction.set(fn.startIndex, used);
  }
  if (!used.has(wanted) && !KEYWORDS.has(wanted)) return wanted;
  for (let i = 2; ; i++) if (!used.has(`${wanted}${i}`)) return `${wanted}${i}`;
}

/**
 * The Go version a file's `//go:build` line sets for it ("1.22"), as go/build/constraint's GoVersion works it
 * out: the least version the expression implies (`go1.22 && linux` -> 1.22, `go1.21 || go1.22` -> 1.21, `!go1.22`
 * -> none). Since Go 1.21 the toolchain compiles such a file at that language version, above or below the
 * module's `go` line. Undefined when there is no such line or it implies no version.
 */
export function buildGoVersion(text: string): string | undefined {
  let expr: string | undefined;
  for (let at = 0; at < text.length;) {
    const end = text.indexOf('\n', at);
    const l = text.slice(at, end < 0 ? text.length : end).trim();
    if (l.startsWith('//go:build')) {
      expr = l.slice('//go:build'.length);
      break;
    }
    if (l !== '' && !l.startsWith('//')) break; // the package clause (or a block comment): no header left
    if (end < 0) break;
    at = end + 1;
  }
  if (expr === undefined || !/^\s/.test(expr)) return undefined;
  const tokens = expr.match(/&&|\|\||[!()]|[^\s!()&|]+/g) ?? [];
  let at = 0;
  // Versions as minor numbers (Go 1.x); -1 for none. && takes the larger, || the smaller, ! none.
  const or = (): number => {
    let v = and();
    while (tokens[at] === '||') {
      at++;
      const r = and();
      v = Math.min(v, r);
    }
    return v;
  };
  const and = (): number => {
    let v = unary();
    while (tokens[at] === '&&') {
      at++;
      const r = unary();
      v = Math.max(v, r);
    }
    return v;
  };
  const unary = (): number => {
    const t = tokens[at++];
    if (t === '!') {
      unary();
      return -1;
    }
    if (t === '(') {
      const v = or();
      if (tokens[at] === ')') at++;
      return v;
    }
    const m = /^go1\.(\d+)$/.exec(t ?? '');
    return m ? Number(m[1]) : -1;
  };
  const v = or();
  return v >= 0 && at === tokens.length ? `1.${v}` : undefined;
}

/** The Go version code in this file is compiled at: its `//go:build` line's (buildGoVersion), else the module's. */
export function fileGoVersion(ctx: RuleContext): { version: string | undefined; from: 'file' | 'module' } {
  const v = buildGoVersion(ctx.text);
  return v ? { version: v, from: 'file' } : { version: ctx.targetVersion, from: 'module' };
}

/** Identifiers named `name` in `root` (not field names, not inside the given node to skip). */
export function mentionsOf(root: Node, name: string): Node[] {
  const out: Node[] = [];
  for (const n of walkAll(root)) if (n.type === 'identifier' && n.text === name) out.push(n);
  return out;
}

/** How an identifier occurrence is used: written (assigned, declared, ++/--), address taken, or read. */
export function useKind(id: Node): 'write' | 'address' | 'read' {
  const p = id.parent;
  if (!p) return 'read';
  if (p.type === 'expression_list') {
    const owner = p.parent;
    if (
      owner &&
      (owner.type === 'assignment_statement' ||
        owner.type === 'short_var_declaration' ||
        owner.type === 'range_clause' ||
        owner.type === 'receive_statement') &&
      sameNode(owner.childForFieldName('left'), p)
    )
      return 'write';
  }
  if (p.type === 'inc_statement' || p.type === 'dec_statement') return 'write';
  if ((p.type === 'var_spec' || p.type === 'const_spec') && p.childrenForFieldName('name').some((c) => sameNode(c, id))) return 'write';
  if (p.type === 'unary_expression' && p.child(0)?.type === '&') return 'address';
  return 'read';
}

/** True when `n` stands at the start of its line (only indentation before it). */
export function startsLine(text: string, n: Node): boolean {
  return text.slice(lineStartOf(text, n.startIndex), n.startIndex).trim() === '';
}

/** The indentation of a statement's code; gofmt outdents labels by one level, so a labeled loop's is its label's plus a tab. */
export function statementIndent(text: string, stmt: Node): string {
  if (stmt.type === 'labeled_statement') {
    const inner = stmt.namedChildren.find((c) => c && c.type !== 'label_name');
    if (inner && startsLine(text, inner)) return indentAt(text, inner.startIndex);
    return `${indentAt(text, stmt.startIndex)}\t`;
  }
  return indentAt(text, stmt.startIndex);
}

/** A line of code inserted before statement `stmt` (which must start its line), at its indentation. */
export function lineBefore(text: string, stmt: Node, code: string): TextEdit | undefined {
  if (!startsLine(text, stmt)) return undefined;
  const at = lineStartOf(text, stmt.startIndex);
  const indent = statementIndent(text, stmt);
  const eol = eolOf(text);
  return {
    start: at,
    end: at,
    text:
      code
        .split('\n')
        .map((l) => (l ? `${indent}${l}` : l))
        .join(eol) + eol,
  };
}

/** A line of code inserted after statement `stmt` (after a trailing comment on its last line), at its indentation. */
export function lineAfter(text: string, stmt: Node, code: string): TextEdit | undefined {
  const eol = eolOf(text);
  const lineEnd = nextLineStart(text, stmt.endIndex);
  const rest = text.slice(stmt.endIndex, lineEnd).trim();
  if (rest && !rest.startsWith('//')) return undefined;
  const needsNewline = lineEnd === text.length && !/[\r\n]$/.test(text);
  const indent = statementIndent(text, stmt);
  return {
    start: lineEnd,
    end: lineEnd,
    text: `${needsNewline ? eol : ''}${code
      .split('\n')
      .map((l) => `${indent}${l}`)
      .join(eol)}${eol}`,
  };
}

/** The expressions in a call's argument list. */
export function argsOf(call: Node): Node[] {
  return call.childForFieldName('arguments')?.namedChildren.filter((x): x is Node => !!x && x.type !== 'comment') ?? [];
}

/** For `x.M(...)`: the receiver expression and method name. */
export function methodCall(call: Node): { receiver: Node; method: string } | undefined {
  if (call.type !== 'call_expression') return undefined;
  const fn = call.childForFieldName('function');
  if (!fn || fn.type !== 'selector_expression') return undefined;
  const receiver = fn.childForFieldName('operand');
  const method = fn.childForFieldName('field')?.text;
  return receiver && method ? { receiver, method } : undefined;
}

/** What a file-wide table says about the function `name` (facts read from its own declaration: recorded). */
export function ofFunction<T>(facts: ReadonlyMap<string, T>, name: string): T | undefined {
  readsDefinition(name);
  return facts.get(name);
}
