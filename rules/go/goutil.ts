// Facts about a Go file that several rules need: imports, declarations and what they prove about a name's
// type, loops, functions, mutations, and edits that keep gofmt's layout (tabs, sorted import groups).
import { Query, type Node, type Tree } from 'web-tree-sitter';
import { eolOf, indentAt, lineStartOf, nextLineStart } from '../../server/src/core/text';
import { capturesIn, language } from '../../server/src/core/parse';
import { readsDefinition, readsName } from '../../server/src/core/reads';
import type { Piece, RuleContext, TextEdit } from '../../server/src/core/types';
import { memo, piecesOr, sameNode, walkAll, walkPruned, within } from '../tree';

export { sameNode, walkAll, within };

const KEYWORDS = new Set(['break', 'case', 'chan', 'const', 'continue', 'default', 'defer', 'else', 'fallthrough', 'for', 'func', 'go', 'goto', 'if', 'import', 'interface', 'map', 'package', 'range', 'return', 'select', 'struct', 'switch', 'type', 'var', 'len', 'cap', 'new', 'make', 'string', 'int', 'byte']);
export const BASIC_TYPES = new Set(['bool', 'string', 'int', 'int8', 'int16', 'int32', 'int64', 'uint', 'uint8', 'uint16', 'uint32', 'uint64', 'uintptr', 'byte', 'rune', 'float32', 'float64', 'complex64', 'complex128']);
export const FUNC_TYPES = new Set(['function_declaration', 'method_declaration', 'func_literal']);

/** Like walkAll, without entering function literals (their code runs at another time, maybe in another goroutine). */
export function walkFunc(root: Node): Generator<Node> {
  return walkPruned(root, (n) => n.type === 'func_literal');
}

export function enclosingFunction(n: Node): Node | undefined {
  for (let p = n.parent; p; p = p.parent) if (FUNC_TYPES.has(p.type)) return p;
  return undefined;
}

/** True when `n` is evaluated on every iteration of `loop`: in its body, condition or update (not the range operand or the initializer). */
export function inLoopBody(n: Node, loop: Node): boolean {
  const body = loop.childForFieldName('body');
  if (body && within(n, body)) return true;
  const clause = loop.namedChildren.find((c) => c?.type === 'for_clause');
  for (const f of ['condition', 'update']) {
    const part = clause?.childForFieldName(f);
    if (part && within(n, part)) return true;
  }
  return false;
}

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

/** The text between a Go string literal's quotes (import paths: no escapes to undo). */
export function stringValue(n: Node): string | undefined {
  return n.type === 'raw_string_literal' || n.type === 'interpreted_string_literal' ? n.text.slice(1, -1) : undefined;
}

export interface Decl {
  name: string;
  ident: Node;             // the declaring identifier
  scope: Node;             // where the name is visible
  kind: 'param' | 'var' | 'short' | 'const' | 'range' | 'receiver';
  type?: Node;             // a written type
  value?: Node;            // the value given to this name, when one value per name
  call?: { node: Node; index: number }; // `a, b := f()`: the call and this name's position among the results
}

const DECL_QUERY = `
  (parameter_declaration) @d (variadic_parameter_declaration) @d (var_spec) @d (const_spec) @d
  (short_var_declaration) @d (range_clause) @d (import_spec) @d`;
let declQuery: Query | undefined;
let fieldQuery: Query | undefined;

function addTo(map: Map<string, Decl[]>, name: string, d: Decl): void {
  const l = map.get(name);
  if (l) l.push(d); else map.set(name, [d]);
}

const NO_DECLS: readonly Decl[] = [];

/** The block that scopes a declaration found at `n`. */
function scopeOf(n: Node): Node {
  for (let p = n.parent; p; p = p.parent) {
    if (p.type === 'block' || p.type === 'source_file' || p.type === 'for_statement' || p.type === 'if_statement' ||
        p.type === 'switch_statement' || p.type === 'type_switch_statement' || p.type === 'communication_case' ||
        p.type === 'expression_case' || p.type === 'type_case' || p.type === 'default_case' || FUNC_TYPES.has(p.type)) return p;
  }
  return n.tree.rootNode;
}

export class GoFacts {
  readonly imports = new Map<string, string>();       // local name -> import path
  readonly importList?: Node;                         // the import_spec_list of the first grouped import
  readonly importDecls: Node[] = [];
  /**
   * The declarations inside each top-level declaration (function, method, var …), by its start, found when first
   * asked: those visible only inside it by name, and those of the package (a `var` or `const` at top level).
   */
  private readonly declsByTop = new Map<number, { local: Map<string, Decl[]>; pkg: Decl[] }>();
  private _topDecls: Map<string, Decl[]> | undefined;
  private _fields: Map<string, Set<string>> | undefined;
  /** The file's top-level declarations, in order. */
  private readonly tops: Node[];
  /** What file-wide facts are put together from: the analysis's pieces with their memos, or the whole text. */
  private readonly pieces: readonly Piece[];

  /** `pieces`: RuleContext.pieces, when the analysis keeps them between edits. */
  constructor(readonly tree: Tree, readonly text: string, readonly goModule?: string, pieces?: readonly Piece[]) {
    declQuery ??= new Query(language('go'), DECL_QUERY);
    this.pieces = piecesOr(pieces, text);
    this.tops = tree.rootNode.namedChildren.filter((c): c is Node => !!c);
    for (const top of this.tops) {
      if (top.type !== 'import_declaration') continue;
      this.importDecls.push(top);
      const list = top.namedChildren.find((c) => c?.type === 'import_spec_list');
      if (list && !this.importList) this.importList = list;
      for (const cap of declQuery.captures(top)) {
        if (cap.node.type !== 'import_spec') continue;
        const p = cap.node.childForFieldName('path');
        const path = p ? stringValue(p) : undefined;
        if (!path) continue;
        const alias = cap.node.childForFieldName('name')?.text;
        if (alias === '_' || alias === '.') continue;
        this.imports.set(alias ?? defaultImportName(path), path);
      }
    }
  }

  /**
   * The package-level declarations (of `var` and `const`), by name. With declsOf, all a use can refer to: a name
   * declared in another function is not visible outside it, so each function's own are found only when asked.
   */
  get topDecls(): ReadonlyMap<string, readonly Decl[]> {
    if (!this._topDecls) {
      this._topDecls = new Map();
      for (const top of this.tops) {
        if (top.type !== 'var_declaration' && top.type !== 'const_declaration') continue;
        for (const d of this.declsIn(top).pkg) addTo(this._topDecls, d.name, d);
      }
    }
    return this._topDecls;
  }

  /** Declarations named `name` that `at` may see: the package's, and those of the top-level declaration around it. */
  declsOf(name: string, at: Node): Decl[] {
    return [...(this.topDecls.get(name) ?? NO_DECLS), ...this.localDecls(name, at)];
  }

  /** Declarations named `name` inside the top-level declaration that holds `at` (the package's excepted). */
  private localDecls(name: string, at: Node): readonly Decl[] {
    // The last top-level declaration starting at or before `at` (a search, not a walk up through parents).
    let lo = 0, hi = this.tops.length - 1, found = -1;
    while (lo <= hi) { const mid = (lo + hi) >> 1; if (this.tops[mid].startIndex <= at.startIndex) { found = mid; lo = mid + 1; } else hi = mid - 1; }
    const top = found >= 0 && at.endIndex <= this.tops[found].endIndex ? this.tops[found] : undefined;
    return (top && this.declsIn(top).local.get(name)) || NO_DECLS;
  }

  /** The declarations found inside one top-level declaration (see declsByTop). */
  private declsIn(top: Node): { local: Map<string, Decl[]>; pkg: Decl[] } {
    let out = this.declsByTop.get(top.startIndex);
    if (out) return out;
    const local = new Map<string, Decl[]>();
    const pkg: Decl[] = [];
    const add = (d: Decl) => { if (d.scope.type === 'source_file') pkg.push(d); else addTo(local, d.name, d); };
    for (const cap of declQuery!.captures(top)) {
      const d = cap.node;
      switch (d.type) {
        case 'parameter_declaration': case 'variadic_parameter_declaration': {
          const fn = d.parent?.parent;
          if (!fn || !FUNC_TYPES.has(fn.type)) break;         // a parameter of a function type, not a declaration
          const type = d.childForFieldName('type') ?? undefined;
          const isReceiver = fn.type === 'method_declaration' && sameNode(fn.childForFieldName('receiver'), d.parent);
          for (const id of d.childrenForFieldName('name')) {
            if (id) add({ name: id.text, ident: id, scope: fn, kind: isReceiver ? 'receiver' : 'param', type: d.type === 'variadic_parameter_declaration' ? undefined : type });
          }
          break;
        }
        case 'var_spec': case 'const_spec': {
          const names = d.childrenForFieldName('name').filter((x): x is Node => !!x);
          const values = d.childForFieldName('value')?.namedChildren.filter((x): x is Node => !!x) ?? [];
          const type = d.childForFieldName('type') ?? undefined;
          names.forEach((id, i) => add({
            name: id.text, ident: id, scope: scopeOf(d), kind: d.type === 'var_spec' ? 'var' : 'const', type,
            value: values.length === names.length ? values[i] : undefined,
            call: values.length === 1 && names.length > 1 && values[0].type === 'call_expression' ? { node: values[0], index: i } : undefined,
          }));
          break;
        }
        case 'short_var_declaration': {
          const left = d.childForFieldName('left')?.namedChildren.filter((x): x is Node => !!x) ?? [];
          const right = d.childForFieldName('right')?.namedChildren.filter((x): x is Node => !!x) ?? [];
          // `for i := 0; …` scopes to the loop; `if v := …; …` to the if.
          const scope = d.parent?.type === 'for_clause' ? d.parent.parent! : d.parent?.type === 'if_statement' || d.parent?.type === 'switch_statement' ? d.parent : scopeOf(d);
          left.forEach((id, i) => {
            if (id.type !== 'identifier' || id.text === '_') return;
            add({
              name: id.text, ident: id, scope, kind: 'short',
              value: right.length === left.length ? right[i] : undefined,
              call: right.length === 1 && left.length > 1 && right[0].type === 'call_expression' ? { node: right[0], index: i } : undefined,
            });
          });
          break;
        }
        case 'range_clause': {
          const left = d.childForFieldName('left');
          if (!left || !d.text.slice(left.endIndex - d.startIndex).trimStart().startsWith(':=')) break;
          for (const id of left.namedChildren) if (id?.type === 'identifier') add({ name: id.text, ident: id, scope: d.parent!, kind: 'range' });
          break;
        }
      }
    }
    out = { local, pkg };
    this.declsByTop.set(top.startIndex, out);
    return out;
  }

  /**
   * "Struct.field" -> the type names it is declared with, for the named struct types of this file
   * (`type S struct { … }`, at package level or in a function). Piece by piece from their memos in the editor.
   */
  get fields(): ReadonlyMap<string, ReadonlySet<string>> {
    if (!this._fields) {
      const fields = new Map<string, Set<string>>();
      for (const p of this.pieces) {
        const entries = memo(p, 'go fields', () => this.fieldsIn(p.start, p.end));
        for (const [key, type] of entries) { const set = fields.get(key); if (set) set.add(type); else fields.set(key, new Set([type])); }
      }
      this._fields = fields;
    }
    return this._fields;
  }

  private fieldsIn(start: number, end: number): Array<[string, string]> {
    const out: Array<[string, string]> = [];
    fieldQuery ??= new Query(language('go'), '(field_declaration) @d');
    for (const cap of capturesIn(fieldQuery, this.tree.rootNode, start, end)) {
      const d = cap.node;
      if (d.startIndex < start || d.endIndex > end) continue;
      const type = d.childForFieldName('type');
      // Only fields of named struct types of this file: `type S struct { … }`.
      const spec = d.parent?.parent?.parent;
      const owner = spec?.type === 'type_spec' ? spec.childForFieldName('name')?.text : undefined;
      if (!type || !owner) continue;
      for (const id of d.childrenForFieldName('name')) if (id) out.push([`${owner}.${id.text}`, this.typeName(type) ?? `?${type.text}`]);
    }
    return out;
  }

  /** The declaration of the identifier `use` refers to (innermost visible scope, latest before it). */
  declOf(use: Node): Decl | undefined {
    const name = use.text;
    const top = this.topDecls.get(name);
    const local = this.localDecls(name, use);
    if (!top && !local.length) return undefined;
    let best: Decl | undefined;
    for (const d of top ? (local.length ? [...top, ...local] : top) : local) {
      if (!within(use, d.scope)) continue;
      const local = d.scope.type !== 'source_file';
      if (local && d.ident.startIndex > use.startIndex) continue;
      if (d.kind === 'short' || d.kind === 'var' || d.kind === 'const') {
        // The name is visible only after its own spec ends (`x := x + 1` reads the outer x).
        const spec = d.ident.parent?.type === 'expression_list' ? d.ident.parent.parent : d.ident.parent;
        if (local && spec && use.startIndex < spec.endIndex && !sameNode(use, d.ident)) continue;
      }
      if (!best || d.scope.startIndex > best.scope.startIndex || (d.scope.startIndex === best.scope.startIndex && d.ident.startIndex > best.ident.startIndex)) best = d;
    }
    return best;
  }

  /** The import path a package name refers to at `use`, unless a local declaration shadows it. */
  packageOf(use: Node): string | undefined {
    const path = this.imports.get(use.text);
    if (!path) return undefined;
    const d = this.declOf(use);
    return d && d.scope.type !== 'source_file' ? undefined : path;
  }

  /** `pkg.Name` spelled with the import path ("sync.WaitGroup"), a builtin name, "[]byte", or undefined. Pointers are dropped. */
  typeName(type: Node): string | undefined {
    if (type.type === 'pointer_type') { const t = type.namedChild(0); return t ? this.typeName(t) : undefined; }
    if (type.type === 'parenthesized_type') { const t = type.namedChild(0); return t ? this.typeName(t) : undefined; }
    if (type.type === 'type_identifier') return type.text;
    if (type.type === 'qualified_type') {
      const pkg = type.childForFieldName('package')?.text;
      const name = type.childForFieldName('name')?.text;
      const path = pkg ? this.imports.get(pkg) : undefined;
      return path && name ? `${path}.${name}` : undefined;
    }
    if (type.type === 'slice_type') {
      const el = type.childForFieldName('element');
      return el && (el.text === 'byte' || el.text === 'uint8') ? '[]byte' : undefined;
    }
    return undefined;
  }

  /** What the file proves about the type of an expression, or undefined. Untyped constants are "untyped int" / "string". */
  typeOf(e: Node, depth = 0): string | undefined {
    if (depth > 8) return undefined;
    switch (e.type) {
      case 'parenthesized_expression': { const c = e.namedChild(0); return c ? this.typeOf(c, depth + 1) : undefined; }
      case 'int_literal': return 'untyped int';
      case 'interpreted_string_literal': case 'raw_string_literal': return 'string';
      case 'unary_expression': {
        const op = e.childForFieldName('operand');
        return e.child(0)?.type === '&' && op ? this.typeOf(op, depth + 1) : undefined;
      }
      case 'composite_literal': { const t = e.childForFieldName('type'); return t ? this.typeName(t) : undefined; }
      case 'type_conversion_expression': { const t = e.childForFieldName('type'); return t ? this.typeName(t) : undefined; }
      case 'identifier': {
        const d = this.declOf(e);
        if (!d) return undefined;
        if (d.type) return this.typeName(d.type);
        if (d.kind === 'range' || d.kind === 'receiver') return undefined;
        if (d.value) {
          const t = this.typeOf(d.value, depth + 1);
          // `x := 10` gives an int variable; a constant stays untyped.
          return t === 'untyped int' && d.kind !== 'const' ? 'int' : t;
        }
        if (d.call) return this.resultType(d.call.node, d.call.index);
        return undefined;
      }
      case 'selector_expression': {
        const field = e.childForFieldName('field')?.text;
        const operand = e.childForFieldName('operand');
        if (!field || !operand) return undefined;
        if (operand.type === 'identifier' && this.packageOf(operand)) return undefined;   // pkg.Var: unknown
        // A field of a struct type declared in this file, reached through a value of that type.
        const owner = this.typeOf(operand, depth + 1);
        if (owner) readsDefinition(owner);                       // its type may be declared in another function
        const types = owner ? this.fields.get(`${owner}.${field}`) : undefined;
        return types && types.size === 1 ? [...types][0].startsWith('?') ? undefined : [...types][0] : undefined;
      }
      case 'call_expression': return this.resultType(e, 0);
      case 'binary_expression': {
        const op = e.child(1)?.type;
        const l = e.childForFieldName('left'); const r = e.childForFieldName('right');
        if (op === '+' && l && r) {
          const lt = this.typeOf(l, depth + 1); const rt = this.typeOf(r, depth + 1);
          if (lt === 'string' || rt === 'string') return 'string';
        }
        return undefined;
      }
      default: return undefined;
    }
  }

  /** The type of result `index` of a call the file can account for (builtins, a few standard functions). */
  resultType(call: Node, index: number): string | undefined {
    const fn = call.childForFieldName('function');
    const args = call.childForFieldName('arguments')?.namedChildren.filter((x): x is Node => !!x) ?? [];
    if (!fn) return undefined;
    if (fn.type === 'identifier' && !this.declOf(fn)) {
      if ((fn.text === 'len' || fn.text === 'cap') && index === 0) return 'int';
      if (fn.text === 'new' && args[0]) return this.typeName(args[0]);
      if (fn.text === 'make' && args[0]) return this.typeName(args[0]);
      return undefined;
    }
    const q = this.qualified(fn);
    if (!q) return undefined;
    const known: Record<string, string[]> = {
      'bytes.NewBuffer': ['bytes.Buffer'], 'bytes.NewBufferString': ['bytes.Buffer'],
      'io.ReadAll': ['[]byte'], 'io/ioutil.ReadAll': ['[]byte'], 'os.ReadFile': ['[]byte'], 'io/ioutil.ReadFile': ['[]byte'],
      'strconv.Itoa': ['string'], 'strconv.FormatInt': ['string'], 'fmt.Sprintf': ['string'], 'fmt.Sprint': ['string'], 'fmt.Sprintln': ['string'],
      'strings.Repeat': ['string'], 'strings.Join': ['string'], 'strings.TrimSpace': ['string'], 'strings.ToLower': ['string'], 'strings.ToUpper': ['string'],
      'bufio.NewReader': ['bufio.Reader'], 'strings.NewReader': ['strings.Reader'], 'bytes.NewReader': ['bytes.Reader'], 'bufio.NewReaderSize': ['bufio.Reader'], 'bufio.NewScanner': ['bufio.Scanner'],
      'time.NewTimer': ['time.Timer'], 'time.NewTicker': ['time.Ticker'],
    };
    return known[q]?.[index];
  }

  /** "path.Name" for a `pkg.Name` selector whose operand is an imported package, else undefined. */
  qualified(fn: Node): string | undefined {
    if (fn.type !== 'selector_expression') return undefined;
    const operand = fn.childForFieldName('operand');
    const field = fn.childForFieldName('field');
    if (!operand || !field || operand.type !== 'identifier') return undefined;
    const path = this.packageOf(operand);
    return path ? `${path}.${field.text}` : undefined;
  }

  private valueTypes?: Set<string>;
  /**
   * True for a type whose values cannot be changed through a copy: a basic type, or a type of this file defined
   * as one, or as a struct of such fields (a function receiving one by value cannot change the caller's).
   */
  isValueType(type: Node): boolean {
    if (!this.valueTypes) {
      const specs = new Map<string, Node>();
      for (const top of this.tops) {
        if (top.type !== 'type_declaration') continue;
        for (const spec of top.namedChildren) {
          const name = spec?.childForFieldName('name')?.text;
          const t = spec?.childForFieldName('type');
          if (spec?.type === 'type_spec' && name && t) specs.set(name, t);
        }
      }
      const memo = new Map<string, boolean>();
      const check = (t: Node, depth: number): boolean => {
        if (depth > 5) return false;
        if (t.type === 'type_identifier') {
          if (BASIC_TYPES.has(t.text)) return true;
          const def = specs.get(t.text);
          if (!def) return false;
          if (!memo.has(t.text)) { memo.set(t.text, false); memo.set(t.text, check(def, depth + 1)); }
          return memo.get(t.text)!;
        }
        if (t.type === 'struct_type') {
          const fields = t.namedChild(0)?.namedChildren.filter((x): x is Node => x?.type === 'field_declaration') ?? [];
          return fields.every((fd) => { const ft = fd.childForFieldName('type'); return !!ft && fd.childrenForFieldName('name').length > 0 && check(ft, depth + 1); });
        }
        return false;
      };
      this.valueTypes = new Set([...specs.keys()].filter((n) => check(specs.get(n)!, 0)));
    }
    return type.type === 'type_identifier' && (BASIC_TYPES.has(type.text) || this.valueTypes.has(type.text));
  }

  /** The name the file uses for an imported package path, if it imports it. */
  localName(path: string): string | undefined {
    for (const [name, p] of this.imports) if (p === path) return name;
    return undefined;
  }

  /**
   * The name to call `path` by, with the import edit it needs (none when the file imports it already, under
   * whatever name); undefined when it cannot be imported here (see ensureImport).
   */
  importFor(path: string): { name: string; edit?: TextEdit } | undefined {
    const local = this.localName(path);
    if (local) return { name: local };
    const edit = this.ensureImport(path);
    return edit ? { name: defaultImportName(path), edit } : undefined;
  }

  /**
   * An edit that imports `path` (in gofmt's sorted order inside the first import group), null when it is
   * imported already, undefined when the default name is taken by something else.
   */
  ensureImport(path: string): TextEdit | null | undefined {
    if (this.localName(path) === defaultImportName(path)) return null;
    const name = defaultImportName(path);
    // A package cannot import itself; inside the standard library (module std) any new import may close a cycle.
    if (this.goModule === 'std') return undefined;
    const pkgName = this.tops.find((c) => c.type === 'package_clause')?.namedChild(0)?.text;
    if (pkgName === name) return undefined;
    if (this.imports.has(name) || this.topDecls.has(name)) return undefined;
    readsName(name);
    if (new RegExp(`\\b(func|type|var|const)\\s+${name}\\b`).test(this.text)) return undefined;
    const eol = eolOf(this.text);
    if (this.importList) {
      const specs = this.importList.namedChildren.filter((c): c is Node => c?.type === 'import_spec');
      // The first group: consecutive specs with no blank line between them.
      const group: Node[] = [];
      for (const s of specs) {
        if (group.length && /\n[ \t]*\r?\n/.test(this.text.slice(group[group.length - 1].endIndex, s.startIndex))) break;
        group.push(s);
      }
      const pathOf = (s: Node) => stringValue(s.childForFieldName('path')!) ?? '';
      const next = group.find((s) => pathOf(s) >= path);     // gofmt puts `"p"` before `. "p"`
      if (next) {
        const at = lineStartOf(this.text, next.startIndex);
        if (this.text.slice(at, next.startIndex).trim() !== '') return undefined;
        return { start: at, end: at, text: `${indentAt(this.text, next.startIndex)}"${path}"${eol}` };
      }
      const last = group[group.length - 1];
      if (last) {
        const at = nextLineStart(this.text, last.endIndex);
        return { start: at, end: at, text: `${indentAt(this.text, last.startIndex)}"${path}"${eol}` };
      }
      const open = this.importList.child(0);
      return open ? { start: open.endIndex, end: open.endIndex, text: `${eol}\t"${path}"` } : undefined;
    }
    const lastDecl = this.importDecls[this.importDecls.length - 1];
    if (lastDecl) {
      const at = nextLineStart(this.text, lastDecl.endIndex);
      return { start: at, end: at, text: `import "${path}"${eol}` };
    }
    const pkg = this.tops.find((c) => c.type === 'package_clause');
    if (!pkg) return undefined;
    return { start: pkg.endIndex, end: pkg.endIndex, text: `${eol}${eol}import "${path}"` };
  }

  /** Every identifier in the function around `n` (and the file's top-level names), for picking a fresh name. */
  private readonly usedNames = new Map<number, Set<string>>();
  freshName(at: Node, wanted: string): string {
    const fn = enclosingFunction(at) ?? this.tree.rootNode;
    let used = this.usedNames.get(fn.startIndex);              // one walk per function, however many fixes it gets
    if (!used) {
      used = new Set<string>();
      for (const n of walkAll(fn)) if (n.type === 'identifier' || n.type === 'field_identifier' || n.type === 'type_identifier' || n.type === 'label_name') used.add(n.text);
      for (const name of this.topDecls.keys()) used.add(name);
      for (const name of this.imports.keys()) used.add(name);
      this.usedNames.set(fn.startIndex, used);
    }
    if (!used.has(wanted) && !KEYWORDS.has(wanted)) return wanted;
    for (let i = 2; ; i++) if (!used.has(`${wanted}${i}`)) return `${wanted}${i}`;
  }
}

export function defaultImportName(path: string): string {
  const last = path.split('/').pop() ?? path;
  return /^v\d+$/.test(last) && path.includes('/') ? path.split('/').slice(-2)[0] : last;
}

const factsCache = new WeakMap<Tree, GoFacts>();
export function goFacts(ctx: RuleContext): GoFacts {
  let f = factsCache.get(ctx.tree);
  if (!f) { f = new GoFacts(ctx.tree, ctx.text, ctx.goModule, ctx.pieces); factsCache.set(ctx.tree, f); }
  return f;
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
    if (owner && (owner.type === 'assignment_statement' || owner.type === 'short_var_declaration' || owner.type === 'range_clause' || owner.type === 'receive_statement') &&
        sameNode(owner.childForFieldName('left'), p)) return 'write';
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
  return { start: at, end: at, text: code.split('\n').map((l) => `${indent}${l}`).join(eol) + eol };
}

/** A line of code inserted after statement `stmt` (after a trailing comment on its last line), at its indentation. */
export function lineAfter(text: string, stmt: Node, code: string): TextEdit | undefined {
  const eol = eolOf(text);
  const lineEnd = nextLineStart(text, stmt.endIndex);
  const rest = text.slice(stmt.endIndex, lineEnd).trim();
  if (rest && !rest.startsWith('//')) return undefined;
  const needsNewline = lineEnd === text.length && !/[\r\n]$/.test(text);
  const indent = statementIndent(text, stmt);
  return { start: lineEnd, end: lineEnd, text: `${needsNewline ? eol : ''}${code.split('\n').map((l) => `${indent}${l}`).join(eol)}${eol}` };
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
