// Meaning-preserving rewrites of Python and Go sources for the metamorphic tests (test/metamorphic.test.ts), each
// with the maps that carry a finding's place in the rewritten text back to the original:
// - renameLocals: a function's local variables and parameters get fresh names (`v_1`, `v_2` …), every reference with
//   them (nested scopes included). Python: from the engine's semantic model (analysis/python/semantic.ts); Go: from
//   a block-scope resolver of its own below (the engine has no Go model).
// - aliasImports: `import time` -> `import time as ti1_`, `from x import y` -> `from x import y as y2_`, Go's
//   `import "strings"` -> `import st1_ "strings"`, every reference renamed.
// - goUnlayout: every argument list, parameter list and composite literal split one item per line, indentation
//   removed, for gofmt to lay out again (gofmt); blackFormat: black, pinned by test/tools/black-requirements.txt.
// - tokens: the code's tokens without layout (whitespace, comments, brackets, commas), by which a reformatted text's
//   places map back to the original's.
import { execFileSync } from 'child_process';
import * as path from 'path';
import type { Node, Tree } from 'web-tree-sitter';
import { parse } from '../analysis/parse';
import { type Binding, type Scope, SemanticModel } from '../analysis/python/semantic';
import type { LanguageId } from '../analysis/types';

export interface Edit {
  start: number;
  end: number;
  text: string;
}

/** A rewritten text, the names it introduced (new -> old) and the maps between its offsets and the original's. */
export interface Rewrite {
  text: string;
  names: Map<string, string>;
  edits: number;
  /** The original offset of a new one: a place inside a replaced span goes to the span's start (side 'start') or end. */
  back(offset: number, side: 'start' | 'end'): number;
  forward(offset: number, side: 'start' | 'end'): number;
  /** What the rewrite could not do safely, for the test to show (a hole in the model it relies on). */
  problems: string[];
}

export function rewrite(src: string, edits: Edit[], names: Map<string, string>, problems: string[] = []): Rewrite {
  const seen = new Set<string>();
  const sorted = edits
    .filter((e) => {
      const k = `${e.start}:${e.end}:${e.text}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    })
    .sort((a, b) => a.start - b.start || a.end - b.end);
  const segs: Array<{ os: number; oe: number; ns: number; ne: number }> = [];
  let out = '';
  let at = 0;
  for (const e of sorted) {
    if (e.start < at) throw new Error(`overlapping edits at ${e.start}: ${JSON.stringify(src.slice(e.start, e.end))}`);
    out += src.slice(at, e.start);
    const ns = out.length;
    out += e.text;
    segs.push({ os: e.start, oe: e.end, ns, ne: out.length });
    at = e.end;
  }
  out += src.slice(at);
  const map = (o: number, side: 'start' | 'end', from: 'n' | 'o'): number => {
    let delta = 0; // (to - from) before the current segment
    for (const s of segs) {
      const [fs, fe, ts, te] = from === 'n' ? [s.ns, s.ne, s.os, s.oe] : [s.os, s.oe, s.ns, s.ne];
      if (o <= fs) return o + delta;
      if (o < fe) return side === 'start' ? ts : te;
      delta = te - fe;
    }
    return o + delta;
  };
  return { text: out, names, edits: sorted.length, back: (o, side) => map(o, side, 'n'), forward: (o, side) => map(o, side, 'o'), problems };
}

/** Fresh names `<prefix><n>` that the text does not hold. */
function namer(src: string, prefix: string): () => string {
  let n = 0;
  return () => {
    let name: string;
    do name = `${prefix}${++n}`;
    while (new RegExp(`\\b${name}\\b`).test(src));
    return name;
  };
}

function* walk(n: Node): Generator<Node> {
  yield n;
  for (const c of n.children) if (c) yield* walk(c);
}

// ---------------------------------------------------------------------------------------------------------------
// Python, through the semantic model.

/** What a function-like scope binds that renaming may touch: its variables and parameters, not its defs, classes or imports. */
const PY_LOCAL_KINDS = new Set([
  'assignment',
  'augmented-assignment',
  'annotated-assignment',
  'annotation',
  'parameter',
  'for-target',
  'with-target',
  'except-handler',
  'named-expression',
  'match-capture',
  'deletion',
]);
const PY_LOCAL_SCOPES = new Set(['function', 'lambda', 'comprehension']);

const scopeKey = (s: Scope, name: string) => `${s.kind}:${s.start}:${s.end}:${name}`;

/** The references of the built model, by the scope and name of the binding each resolves to. */
function referencesByBinding(model: SemanticModel): Map<string, Node[]> {
  const out = new Map<string, Node[]>();
  for (const ref of model.references()) {
    const r = model.resolveReference(ref);
    if (r.kind !== 'binding') continue;
    const k = scopeKey(r.binding.scope, r.binding.name);
    const l = out.get(k);
    if (l) l.push(ref.node);
    else out.set(k, [ref.node]);
  }
  return out;
}

/** Python's own nodes of a binding: the implicit deletion at the end of an `except … as e` handler has none. */
function bindingNodes(bs: readonly Binding[]): Node[] {
  return bs.filter((b) => !(b.kind === 'deletion' && b.start === b.end)).map((b) => b.node);
}

/** `nonlocal name` declarations, by the scope and name of the binding they refer to. */
function nonlocalDeclarations(model: SemanticModel): Map<string, Node[]> {
  const out = new Map<string, Node[]>();
  for (const d of model.allScopes()) {
    for (const [name, decl] of d.declarations) {
      if (decl.kind !== 'nonlocal') continue;
      let target: Scope | undefined;
      for (let p = d.parent; p && p.kind !== 'module'; p = p.parent) {
        if (p.kind === 'class' || p.kind === 'comprehension' || p.kind === 'type') continue;
        const k = p.declarations.get(name)?.kind;
        if (k === 'global') break;
        if (k === 'nonlocal') continue;
        if (p.names().includes(name)) {
          target = p;
          break;
        }
      }
      if (!target) continue;
      const key = scopeKey(target, name);
      const l = out.get(key);
      if (l) l.push(decl.node);
      else out.set(key, [decl.node]);
    }
  }
  return out;
}

/** Identifiers that name no variable: attributes, keyword arguments, keyword patterns, import paths. */
function pyNamesNothing(id: Node): boolean {
  const p = id.parent;
  if (!p) return true;
  if (p.type === 'attribute' && p.childForFieldName('attribute')?.id === id.id) return true;
  if (p.type === 'keyword_argument' && p.childForFieldName('name')?.id === id.id) return true;
  if (p.type === 'keyword_pattern' && p.namedChild(0)?.id === id.id) return true;
  if (p.type === 'dotted_name') {
    let q: Node | null = p;
    while (q && q.type !== 'import_statement' && q.type !== 'import_from_statement' && q.type !== 'future_import_statement' && q.type !== 'module')
      q = q.parent;
    if (q && q.type !== 'module') return true;
    if (p.namedChild(0)?.id !== id.id) return true; // `a.b` outside an import: only `a` is a name
  }
  if ((p.type === 'function_definition' || p.type === 'class_definition') && p.childForFieldName('name')?.id === id.id) return true;
  if (p.type === 'global_statement' || p.type === 'nonlocal_statement') return true;
  return false;
}

function renamePython(src: string): Rewrite {
  const tree = parse('python', src);
  try {
    const model = new SemanticModel(tree, src).build();
    const refs = referencesByBinding(model);
    const nonlocals = nonlocalDeclarations(model);
    const keywords = new Set<string>();
    for (const n of walk(tree.rootNode))
      if (n.type === 'keyword_argument') {
        const k = n.childForFieldName('name');
        if (k) keywords.add(k.text);
      }
    const fresh = namer(src, 'v_');
    const edits: Edit[] = [];
    const names = new Map<string, string>();
    const renamed = new Set<number>();
    const problems: string[] = [];
    const scopes = model.allScopes();
    for (const s of scopes) {
      if (!PY_LOCAL_SCOPES.has(s.kind)) continue;
      for (const name of s.names()) {
        const bs = s.bindings(name);
        if (!bs.length || bs.some((b) => !PY_LOCAL_KINDS.has(b.kind) || b.declared === 'global')) continue;
        // A parameter some call may pass by keyword keeps its name (the call's keyword would no longer match it),
        // and so does one pytest fills in by its name (a test's or a fixture's, but for a method's self).
        if (bs.some((b) => b.kind === 'parameter') && (keywords.has(name) || pytestFills(s, bs))) continue;
        if (/^__.*__$/.test(name)) continue;
        const key = scopeKey(s, name);
        const nodes = [...bindingNodes(bs), ...(refs.get(key) ?? []), ...(nonlocals.get(key) ?? [])];
        const to = fresh();
        names.set(to, name);
        for (const n of nodes) {
          if (n.text !== name) throw new Error(`renaming ${name}: the node at ${n.startIndex} is ${JSON.stringify(n.text)}`);
          edits.push({ start: n.startIndex, end: n.endIndex, text: to });
          renamed.add(n.startIndex);
        }
      }
    }
    // Every identifier the model resolves to a renamed binding must have been renamed (else the model missed a reference).
    const renamedKeys = new Set<string>();
    for (const s of scopes) for (const name of s.names()) if (renamedAt(s, name, renamed)) renamedKeys.add(scopeKey(s, name));
    for (const n of walk(tree.rootNode)) {
      if (n.type !== 'identifier' || renamed.has(n.startIndex) || pyNamesNothing(n)) continue;
      const r = model.lookup(n.text, n);
      if (r.kind === 'binding' && renamedKeys.has(scopeKey(r.binding.scope, r.binding.name))) {
        problems.push(`${n.text} at ${n.startPosition.row + 1}:${n.startPosition.column + 1} resolves to a renamed local but is no reference of the model's`);
      }
    }
    return rewrite(src, edits, names, problems);
  } finally {
    tree.delete();
  }
}

/** A parameter of a pytest test or fixture (pytest passes fixtures by parameter name), not a method's first. */
function pytestFills(s: Scope, bs: readonly Binding[]): boolean {
  if (s.kind !== 'function') return false;
  const def = s.node;
  const name = def.childForFieldName('name')?.text ?? '';
  const decorated = def.parent?.type === 'decorated_definition' ? def.parent : undefined;
  const fixture = !!decorated?.namedChildren.some((d) => d?.type === 'decorator' && /\bfixture\b/.test(d.text));
  if (!/^test/.test(name) && !fixture) return false;
  const params = def.childForFieldName('parameters');
  const first = params?.namedChildren.find((c) => !!c && c.type !== 'comment');
  const method = s.parent?.kind === 'class' || s.parent?.parent?.kind === 'class';
  return bs.some((b) => b.kind === 'parameter' && !(method && first && b.start >= first.startIndex && b.end <= first.endIndex));
}

function renamedAt(s: Scope, name: string, renamed: Set<number>): boolean {
  const bs = s.bindings(name);
  return bs.length > 0 && bindingNodes(bs).some((n) => renamed.has(n.startIndex));
}

/** Short aliases that do not spell the name: `time` -> `ti1_`. */
function aliasNamer(src: string): (name: string) => string {
  let n = 0;
  return (name) => {
    let a: string;
    do a = `${name.replace(/_/g, '').slice(0, 2) || 'm'}${++n}_`;
    while (new RegExp(`\\b${a}\\b`).test(src));
    return a;
  };
}

function aliasPython(src: string): Rewrite {
  const tree = parse('python', src);
  try {
    const model = new SemanticModel(tree, src).build();
    const refs = referencesByBinding(model);
    const declared = new Set<string>();
    for (const s of model.allScopes()) for (const name of s.declarations.keys()) declared.add(name);
    const alias = aliasNamer(src);
    const edits: Edit[] = [];
    const names = new Map<string, string>();
    const moduleAliases = new Map<string, string>();
    for (const s of model.allScopes()) {
      for (const name of s.names()) {
        if (declared.has(name)) continue;
        const bs = s.bindings(name);
        // Only a name every binding of which in its scope is a plain import of it (`import m`, `from x import m`).
        const plain =
          bs.length > 0 &&
          bs.every((b) => {
            const n = b.node;
            const stmt = n.parent;
            if (n.type !== 'dotted_name' || n.text !== name || b.declared) return false;
            return (
              (b.kind === 'import' && stmt?.type === 'import_statement') ||
              (b.kind === 'from-import' && stmt?.type === 'import_from_statement' && stmt.childForFieldName('module_name')?.id !== n.id)
            );
          });
        if (!plain) continue;
        const to = alias(name);
        names.set(to, name);
        for (const b of bs) edits.push({ start: b.node.endIndex, end: b.node.endIndex, text: ` as ${to}` });
        for (const r of refs.get(scopeKey(s, name)) ?? []) edits.push({ start: r.startIndex, end: r.endIndex, text: to });
        if (s.kind === 'module') moduleAliases.set(name, to);
      }
    }
    // A module-level name quoted as a whole annotation (`p: "Path"`) is a reference too, as an editor's rename sees it.
    for (const n of walk(tree.rootNode)) {
      const content = n.type === 'string' && n.parent?.type === 'type' ? n.namedChildren.find((c) => c?.type === 'string_content') : undefined;
      const to = content && moduleAliases.get(content.text);
      if (content && to && model.bindingAt(content.text, n)?.scope.kind === 'module')
        edits.push({ start: content.startIndex, end: content.endIndex, text: to });
    }
    return rewrite(src, edits, names);
  } finally {
    tree.delete();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Go: a resolver of function-local names by Go's block scopes.

interface GoEntity {
  name: string;
  kind: 'param' | 'var' | 'const' | 'package-level';
  decls: Node[];
  refs: Node[];
  /** Also used where it might be a struct field's name (a composite literal's key): not renamed. */
  ambiguous?: boolean;
}

class GoScope {
  readonly names = new Map<string, GoEntity>();
  constructor(readonly parent?: GoScope) {}
  lookup(name: string): GoEntity | undefined {
    const e = this.names.get(name);
    return e ?? this.parent?.lookup(name);
  }
}

interface GoNames {
  entities: GoEntity[];
  /** Identifiers (and package identifiers of qualified types) no declaration of the file resolves: packages, builtins. */
  free: Node[];
}

function goResolve(tree: Tree): GoNames {
  const entities: GoEntity[] = [];
  const free: Node[] = [];
  const pkg = new GoScope();
  const declare = (id: Node, s: GoScope, kind: GoEntity['kind']) => {
    if (id.type !== 'identifier' || id.text === '_') return;
    const e: GoEntity = { name: id.text, kind, decls: [id], refs: [] };
    s.names.set(id.text, e);
    entities.push(e);
  };
  const ref = (id: Node, s: GoScope): GoEntity | undefined => {
    if (id.text === '_') return undefined;
    const e = s.lookup(id.text);
    if (e) e.refs.push(id);
    else free.push(id);
    return e;
  };
  const named = (n: Node | null | undefined): Node[] => (n ? n.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment') : []);
  const field = (n: Node, f: string) => n.childrenForFieldName(f).filter((c): c is Node => !!c);
  const hasDefine = (n: Node) => n.children.some((c) => c?.type === ':=');

  /** A parameter list: types read in `outer`, names declared in `inner` (none for a function type's). */
  const params = (list: Node | null, outer: GoScope, inner: GoScope | undefined) => {
    for (const p of named(list)) {
      if (p.type !== 'parameter_declaration' && p.type !== 'variadic_parameter_declaration') {
        visit(p, outer);
        continue;
      }
      for (const t of field(p, 'type')) visit(t, outer);
      if (inner) for (const id of field(p, 'name')) declare(id, inner, 'param');
    }
  };
  const func = (n: Node, s: GoScope) => {
    const f = new GoScope(s);
    for (const tp of field(n, 'type_parameters')) visit(tp, s);
    params(n.childForFieldName('receiver'), s, f);
    params(n.childForFieldName('parameters'), s, f);
    const result = n.childForFieldName('result');
    if (result?.type === 'parameter_list') params(result, s, f);
    else if (result) visit(result, s);
    const body = n.childForFieldName('body');
    if (body) for (const c of named(body)) visit(c, f); // the body's block is the parameters' scope
  };
  const varSpec = (spec: Node, s: GoScope, kind: GoEntity['kind']) => {
    for (const t of field(spec, 'type')) visit(t, s);
    for (const v of field(spec, 'value')) visit(v, s);
    for (const id of field(spec, 'name')) declare(id, s, kind);
  };
  const specs = (n: Node): Node[] => named(n).flatMap((c) => (c.type.endsWith('_spec_list') ? named(c) : [c]));

  function visit(n: Node, s: GoScope): void {
    switch (n.type) {
      case 'identifier':
        ref(n, s);
        return;
      case 'comment':
      case 'package_clause':
      case 'import_declaration':
        return;
      case 'function_declaration':
      case 'method_declaration':
      case 'func_literal':
        func(n, s);
        return;
      case 'function_type': {
        params(n.childForFieldName('parameters'), s, undefined);
        const result = n.childForFieldName('result');
        if (result?.type === 'parameter_list') params(result, s, undefined);
        else if (result) visit(result, s);
        return;
      }
      case 'method_elem':
      case 'method_spec': {
        for (const c of named(n))
          if (c.type === 'parameter_list') params(c, s, undefined);
          else if (c.type !== 'field_identifier') visit(c, s);
        return;
      }
      case 'block': {
        const b = new GoScope(s);
        for (const c of named(n)) visit(c, b);
        return;
      }
      case 'if_statement':
      case 'for_statement':
      case 'expression_switch_statement':
      case 'select_statement': {
        const i = new GoScope(s);
        for (const c of named(n)) visit(c, i);
        return;
      }
      case 'expression_case':
      case 'default_case':
      case 'communication_case':
      case 'type_case': {
        const c = new GoScope(s);
        for (const k of named(n)) visit(k, c);
        return;
      }
      case 'type_switch_statement': {
        const sw = new GoScope(s);
        for (const c of field(n, 'initializer')) visit(c, sw);
        for (const c of field(n, 'value')) visit(c, sw);
        const alias = named(n.childForFieldName('alias')).filter((a) => a.type === 'identifier' && a.text !== '_');
        const e: GoEntity | undefined = alias.length ? { name: alias[0].text, kind: 'var', decls: alias, refs: [] } : undefined;
        if (e) entities.push(e);
        for (const c of named(n)) {
          if (c.type !== 'type_case' && c.type !== 'default_case') continue;
          const cs = new GoScope(sw);
          if (e) cs.names.set(e.name, e);
          for (const k of named(c)) visit(k, cs);
        }
        return;
      }
      case 'short_var_declaration':
      case 'range_clause':
      case 'receive_statement': {
        for (const c of field(n, 'right')) visit(c, s);
        const left = named(n.childForFieldName('left'));
        if (n.type !== 'short_var_declaration' && !hasDefine(n)) {
          for (const c of left) visit(c, s);
          return;
        }
        for (const id of left) {
          if (id.type !== 'identifier') {
            visit(id, s);
            continue;
          }
          const same = s.names.get(id.text);
          if (same)
            same.refs.push(id); // redeclared in the same scope: assigned
          else declare(id, s, 'var');
        }
        return;
      }
      case 'var_declaration':
        for (const spec of specs(n)) varSpec(spec, s, s === pkg ? 'package-level' : 'var');
        return;
      case 'const_declaration':
        for (const spec of specs(n)) varSpec(spec, s, s === pkg ? 'package-level' : 'const');
        return;
      case 'selector_expression': {
        const o = n.childForFieldName('operand');
        if (o) visit(o, s);
        return;
      }
      case 'qualified_type': {
        const p = n.childForFieldName('package');
        if (p) free.push(p);
        return;
      }
      case 'keyed_element': {
        const [key, ...rest] = named(n);
        const id = key?.type === 'literal_element' ? named(key) : [];
        if (id.length === 1 && id[0].type === 'identifier') {
          const e = s.lookup(id[0].text);
          if (e) e.ambiguous = true;
          else free.push(id[0]);
        } else if (key) visit(key, s);
        for (const r of rest) visit(r, s);
        return;
      }
      case 'field_declaration':
        for (const t of field(n, 'type')) visit(t, s);
        return;
      default:
        for (const c of named(n)) visit(c, s);
    }
  }

  // Package-level names are visible everywhere in the file: declared first.
  for (const top of named(tree.rootNode)) {
    if (top.type === 'function_declaration') {
      const id = top.childForFieldName('name');
      if (id) declare(id, pkg, 'package-level');
    }
    if (top.type === 'var_declaration' || top.type === 'const_declaration') {
      for (const spec of specs(top)) for (const id of field(spec, 'name')) declare(id, pkg, 'package-level');
    }
  }
  for (const top of named(tree.rootNode)) {
    if (top.type === 'var_declaration' || top.type === 'const_declaration') {
      for (const spec of specs(top)) {
        for (const t of field(spec, 'type')) visit(t, pkg);
        for (const v of field(spec, 'value')) visit(v, pkg);
      }
    } else visit(top, pkg);
  }
  return { entities, free };
}

function renameGo(src: string): Rewrite {
  const tree = parse('go', src);
  try {
    const { entities } = goResolve(tree);
    const fresh = namer(src, 'v_');
    const edits: Edit[] = [];
    const names = new Map<string, string>();
    for (const e of entities.sort((a, b) => a.decls[0].startIndex - b.decls[0].startIndex)) {
      if ((e.kind !== 'param' && e.kind !== 'var') || e.ambiguous) continue;
      const to = fresh();
      names.set(to, e.name);
      for (const n of [...e.decls, ...e.refs]) edits.push({ start: n.startIndex, end: n.endIndex, text: to });
    }
    return rewrite(src, edits, names);
  } finally {
    tree.delete();
  }
}

/** The name a package is used by: its path's last element (before a major-version suffix). */
function goPackageName(path: string): string | undefined {
  const parts = path.split('/');
  let last = parts[parts.length - 1];
  if (/^v\d+$/.test(last) && parts.length > 1) last = parts[parts.length - 2];
  return /^[A-Za-z_]\w*$/.test(last) ? last : undefined;
}

function aliasGo(src: string): Rewrite {
  const tree = parse('go', src);
  try {
    const { free } = goResolve(tree);
    const alias = aliasNamer(src);
    const edits: Edit[] = [];
    const names = new Map<string, string>();
    for (const spec of walk(tree.rootNode)) {
      if (spec.type !== 'import_spec' || spec.childForFieldName('name')) continue;
      const path = spec.childForFieldName('path');
      const pkgName = path && goPackageName(path.text.slice(1, -1));
      if (!path || !pkgName) continue;
      const uses = free.filter((id) => id.text === pkgName && (id.type === 'package_identifier' || id.parent?.type === 'selector_expression'));
      const to = alias(pkgName);
      names.set(to, pkgName);
      edits.push({ start: path.startIndex, end: path.startIndex, text: `${to} ` });
      for (const id of uses) edits.push({ start: id.startIndex, end: id.endIndex, text: to });
    }
    return rewrite(src, edits, names);
  } finally {
    tree.delete();
  }
}

export function renameLocals(lang: LanguageId, src: string): Rewrite {
  return lang === 'python' ? renamePython(src) : renameGo(src);
}

export function aliasImports(lang: LanguageId, src: string): Rewrite {
  return lang === 'python' ? aliasPython(src) : aliasGo(src);
}

/**
 * Go source laid out differently for gofmt to finish: every argument list, parameter list and composite literal
 * with two or more items (and no comment inside) split one item per line with a trailing comma, and every line's
 * indentation removed (outside raw strings and block comments).
 */
export function goUnlayout(src: string): string {
  const tree = parse('go', src);
  const edits: Edit[] = [];
  try {
    for (const n of walk(tree.rootNode)) {
      if (n.type !== 'argument_list' && n.type !== 'literal_value' && n.type !== 'parameter_list') continue;
      const items = n.namedChildren.filter((c): c is Node => !!c);
      if (items.length < 2 || items.some((c) => c.type === 'comment')) continue;
      const open = n.child(0);
      const close = n.child(n.childCount - 1);
      if (!open || !close || !/^[({]$/.test(open.type) || !/^[)}]$/.test(close.type)) continue;
      edits.push({ start: open.endIndex, end: open.endIndex, text: '\n' });
      for (const c of n.children) if (c?.type === ',' && c.endIndex < close.startIndex) edits.push({ start: c.endIndex, end: c.endIndex, text: '\n' });
      const last = n.child(n.childCount - 2);
      edits.push({ start: close.startIndex, end: close.startIndex, text: last?.type === ',' ? '\n' : ',\n' });
    }
  } finally {
    tree.delete();
  }
  // Insertions at one offset (an inner list's end right before an outer one's) all apply, in the order made.
  edits.sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  for (const e of edits) {
    out += src.slice(at, e.start) + e.text;
    at = e.start;
  }
  out += src.slice(at);
  // Rows inside a raw string or a block comment keep their text.
  const split = parse('go', out);
  const keep = new Set<number>();
  try {
    for (const n of walk(split.rootNode)) {
      if ((n.type === 'raw_string_literal' || n.type === 'comment') && n.startPosition.row !== n.endPosition.row) {
        for (let r = n.startPosition.row + 1; r <= n.endPosition.row; r++) keep.add(r);
      }
    }
  } finally {
    split.delete();
  }
  return out
    .split('\n')
    .map((l, i) => (keep.has(i) ? l : l.replace(/^[ \t]+/, '')))
    .join('\n');
}

// ---------------------------------------------------------------------------------------------------------------
// Tokens without layout.

export interface Token {
  start: number;
  end: number;
  norm: string;
}

const STRINGS: Record<LanguageId, Set<string>> = {
  python: new Set(['string']),
  go: new Set(['interpreted_string_literal', 'raw_string_literal', 'rune_literal']),
};

/**
 * What a formatter may change in a token without changing the code: case (`0XFF`, string prefixes, hex digits),
 * quote characters, whitespace and backslashes inside a string (black's docstring indentation, `'it\'s'` -> "it's"),
 * Python's redundant `u` prefix.
 */
export function normToken(text: string, isString: boolean): string {
  let t = text.toLowerCase();
  if (isString)
    t = t
      .replace(/\s+/g, '')
      .replace(/\\/g, '')
      .replace(/'/g, '"')
      .replace(/^u(?=")/, '');
  return t;
}

/**
 * The code's tokens in order (a string literal is one), leaving out what formatters add, drop or move: comments,
 * parentheses, commas, semicolons, line continuations. Two layouts of the same code have equal token lists.
 */
export function tokens(lang: LanguageId, src: string): Token[] {
  const tree = parse(lang, src);
  const out: Token[] = [];
  try {
    const visit = (n: Node) => {
      if (n.type === 'comment') return;
      if (STRINGS[lang].has(n.type) || n.childCount === 0) {
        const text = src.slice(n.startIndex, n.endIndex);
        if (/^[\s\\]*$/.test(text) || /^[(),;]$/.test(text)) return;
        out.push({ start: n.startIndex, end: n.endIndex, norm: normToken(text, STRINGS[lang].has(n.type)) });
        return;
      }
      for (const c of n.children) if (c) visit(c);
    };
    visit(tree.rootNode);
  } finally {
    tree.delete();
  }
  return out;
}

/** The tokens a range covers, as indices [first, last] (last < first: the range covers none, and sits before `first`). */
export function tokenSpan(toks: Token[], start: number, end: number): [number, number] {
  let lo = 0;
  let hi = toks.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (toks[mid].start < start) lo = mid + 1;
    else hi = mid;
  }
  let last = lo - 1;
  while (last + 1 < toks.length && toks[last + 1].end <= end) last++;
  return [lo, last];
}

// ---------------------------------------------------------------------------------------------------------------
// The formatters.

const BLACK_SCRIPT = `
import json, sys
import black
mode = black.Mode(line_length=int(sys.argv[1]))
out = []
for src in json.load(sys.stdin):
    try:
        out.append(black.format_file_contents(src, fast=False, mode=mode))
    except black.NothingChanged:
        out.append(src)
    except Exception as e:
        out.append({"error": f"{type(e).__name__}: {e}"})
json.dump(out, sys.stdout)
`;

let blackPath: string | null | undefined;

/**
 * black, pinned by test/tools/black-requirements.txt: installs it on first use (test/tools/install-black.sh, into
 * .tools/py/) and returns what to put on PYTHONPATH, or a reason why there is none.
 */
export function blackAvailable(): { pythonPath?: string; reason?: string } {
  if (blackPath === undefined) {
    try {
      const out = execFileSync('bash', [path.join(__dirname, 'tools', 'install-black.sh')], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
        timeout: 360_000,
      }).trim();
      blackPath = out.split('\n').pop() || null;
    } catch {
      blackPath = null;
    }
  }
  return blackPath
    ? { pythonPath: blackPath }
    : { reason: 'black is not installed and test/tools/install-black.sh could not install it (no python3, pip or PyPI)' };
}

/** The sources formatted by black at `lineLength`, in one process (black's own safety checks on: same AST, stable). */
export function blackFormat(sources: string[], lineLength: number): Array<string | { error: string }> {
  const { pythonPath } = blackAvailable();
  if (!pythonPath) throw new Error('black is not available');
  const out = execFileSync('python3', ['-c', BLACK_SCRIPT, String(lineLength)], {
    input: JSON.stringify(sources),
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    env: { ...process.env, PYTHONPATH: pythonPath },
  });
  return JSON.parse(out) as Array<string | { error: string }>;
}

export function gofmt(gofmtBin: string, src: string): string {
  return execFileSync(gofmtBin, [], { input: src, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
}
