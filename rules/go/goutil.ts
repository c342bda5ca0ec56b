// Facts about a Go file that several rules need: imports, declarations and what they prove about a name's
// type, loops, functions, mutations, and edits that keep gofmt's layout (tabs, sorted import groups).
import { inLoopBody } from '../../analysis/go/frequency';
import { Query, type Node, type Tree } from 'web-tree-sitter';
import { eolOf, indentAt, lineStartOf, nextLineStart } from '../../analysis/text';
import { capturesIn, language } from '../../analysis/parse';
import { readsDefinition, readsName } from '../../analysis/reads';
import { frequency } from '../../analysis/frequency';
import type { Piece, RuleContext, TextEdit } from '../../analysis/types';
import { memoKey } from '../../analysis/memo';
import { piecesOr, sameNode, walkAll, walkPruned, within } from '../tree';

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
 * times per call; none inside a benchmark's `b.N` loop, as for enclosingLoops.
 */
export function repeatingLoops(n: Node): Node[] {
  return enclosingLoops(n).length ? frequency(n, 'go').loops : [];
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

/** Untyped numeric constants, in the order an operation on two of them takes the later kind. */
const UNTYPED_NUMBERS = ['untyped int', 'untyped rune', 'untyped float', 'untyped complex'];
const COMPARISONS = new Set(['==', '!=', '<', '<=', '>', '>=']);

/** True when two types as GoFacts spells them are identical (byte is uint8, rune is int32). */
function sameType(a: string, b: string): boolean {
  const norm = (t: string) => t === 'byte' ? 'uint8' : t === 'rune' ? 'int32' : t;
  return norm(a) === norm(b);
}

/** The type a variable set from a value of type `t` gets: an untyped constant's default type. */
function defaultType(t: string): string {
  switch (t) {
    case 'untyped int': return 'int';
    case 'untyped rune': return 'rune';
    case 'untyped float': return 'float64';
    case 'untyped complex': return 'complex128';
    case 'untyped bool': return 'bool';
    default: return t;
  }
}

/** Named types of the standard library with a predeclared underlying type (conversions to them, values of them). */
const STD_UNDERLYING: Record<string, string> = {
  'time.Duration': 'int64', 'time.Month': 'int', 'time.Weekday': 'int', 'io/fs.FileMode': 'uint32', 'os.FileMode': 'uint32',
  'reflect.Kind': 'uint', 'syscall.Signal': 'int',
};

/** Result types of a few standard functions (pointers kept). */
const KNOWN_RESULTS: Record<string, string[]> = {
  'bytes.NewBuffer': ['*bytes.Buffer'], 'bytes.NewBufferString': ['*bytes.Buffer'],
  'io.ReadAll': ['[]byte'], 'io/ioutil.ReadAll': ['[]byte'], 'os.ReadFile': ['[]byte'], 'io/ioutil.ReadFile': ['[]byte'],
  'strconv.Itoa': ['string'], 'strconv.FormatInt': ['string'], 'fmt.Sprintf': ['string'], 'fmt.Sprint': ['string'], 'fmt.Sprintln': ['string'],
  'strings.Repeat': ['string'], 'strings.Join': ['string'], 'strings.TrimSpace': ['string'], 'strings.ToLower': ['string'], 'strings.ToUpper': ['string'],
  'bufio.NewReader': ['*bufio.Reader'], 'strings.NewReader': ['*strings.Reader'], 'bytes.NewReader': ['*bytes.Reader'], 'bufio.NewReaderSize': ['*bufio.Reader'], 'bufio.NewScanner': ['*bufio.Scanner'],
  'time.NewTimer': ['*time.Timer'], 'time.NewTicker': ['*time.Ticker'],
  'strings.Count': ['int'], 'strings.Index': ['int'], 'strconv.Atoi': ['int', 'error'], 'unicode/utf8.RuneCountInString': ['int'], 'unicode/utf8.RuneLen': ['int'],
  'unsafe.Sizeof': ['uintptr'], 'unsafe.Alignof': ['uintptr'], 'unsafe.Offsetof': ['uintptr'],
};

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
  readonly dotImports: string[] = [];                 // paths imported with `import . "path"`
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
        if (alias === '.') this.dotImports.push(path);
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
    const top = this.topOf(at);
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
          let values = d.childForFieldName('value')?.namedChildren.filter((x): x is Node => !!x) ?? [];
          let type = d.childForFieldName('type') ?? undefined;
          if (d.type === 'const_spec' && !values.length && !type) {
            // `const ( a T = iota; b )`: a spec without values repeats the type and values of the last one with them.
            for (let s = d.previousNamedSibling; s; s = s.previousNamedSibling) {
              if (s.type !== 'const_spec') continue;
              const v = s.childForFieldName('value');
              if (!v) continue;
              values = v.namedChildren.filter((x): x is Node => !!x);
              type = s.childForFieldName('type') ?? undefined;
              break;
            }
          }
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
   * "Struct.field" -> the types it is declared with (as written: "*T", "path.Name"; "?text" for a type this file
   * cannot name), for the named struct types of this file (`type S struct { … }`, at package level or in a
   * function). An embedded field counts under its type's name (`S.WaitGroup`), and also under "S\0embedded".
   * Piece by piece from their memos in the editor.
   */
  get fields(): ReadonlyMap<string, ReadonlySet<string>> {
    if (!this._fields) {
      const fields = new Map<string, Set<string>>();
      for (const p of this.pieces) {
        const entries = p.memo.get(GO_FIELDS, () => this.fieldsIn(p.start, p.end));
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
      const names = d.childrenForFieldName('name').filter((x): x is Node => !!x);
      if (names.length) {
        const written = this.spelled(type) ?? `?${type.text}`;
        for (const id of names) out.push([`${owner}.${id.text}`, written]);
      } else {
        // Embedded: `sync.WaitGroup`, `*T`; the field is named after the type.
        const pointer = d.child(0)?.type === '*';
        const written = this.spelled(type);
        const name = type.type === 'qualified_type' ? type.childForFieldName('name')?.text : type.type === 'type_identifier' ? type.text : undefined;
        const t = written ? `${pointer ? '*' : ''}${written}` : `?${type.text}`;
        if (name) out.push([`${owner}.${name}`, t]);
        out.push([`${owner}\0embedded`, t]);
      }
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

  /** The top-level declaration that holds `at`, if any (a search over the file's top-level nodes). */
  private topOf(at: Node): Node | undefined {
    let lo = 0, hi = this.tops.length - 1, found = -1;
    while (lo <= hi) { const mid = (lo + hi) >> 1; if (this.tops[mid].startIndex <= at.startIndex) { found = mid; lo = mid + 1; } else hi = mid - 1; }
    return found >= 0 && at.endIndex <= this.tops[found].endIndex ? this.tops[found] : undefined;
  }

  private _pkgTypes?: Map<string, Node[]>;
  private _topFuncs?: Map<string, Node[]>;
  private _methods?: Map<string, Node[]>;
  private readonly localTypesByTop = new Map<number, Map<string, Node[]>>();

  /** The package-level type declarations of this file (type specs and aliases), by name. */
  private get pkgTypes(): Map<string, Node[]> {
    if (!this._pkgTypes) {
      this._pkgTypes = new Map();
      for (const top of this.tops) {
        if (top.type !== 'type_declaration') continue;
        for (const spec of top.namedChildren) {
          const name = spec && (spec.type === 'type_spec' || spec.type === 'type_alias') ? spec.childForFieldName('name')?.text : undefined;
          if (name) { const l = this._pkgTypes.get(name); if (l) l.push(spec!); else this._pkgTypes.set(name, [spec!]); }
        }
      }
    }
    return this._pkgTypes;
  }

  /** The file's top-level functions by name (their headers are what other functions may read of them). */
  get topFuncs(): ReadonlyMap<string, readonly Node[]> {
    if (!this._topFuncs) {
      this._topFuncs = new Map();
      for (const top of this.tops) {
        const name = top.type === 'function_declaration' ? top.childForFieldName('name')?.text : undefined;
        if (name) { const l = this._topFuncs.get(name); if (l) l.push(top); else this._topFuncs.set(name, [top]); }
      }
    }
    return this._topFuncs;
  }

  /** The methods this file declares on the named type `owner` (value or pointer receiver) called `name`. */
  methodsOf(owner: string, name: string): readonly Node[] {
    if (!this._methods) {
      this._methods = new Map();
      for (const top of this.tops) {
        if (top.type !== 'method_declaration') continue;
        const recv = top.childForFieldName('receiver')?.namedChildren.find((c) => c?.type === 'parameter_declaration')?.childForFieldName('type');
        const t = recv ? this.spelled(recv)?.replace(/^\*/, '') : undefined;
        const m = top.childForFieldName('name')?.text;
        if (!t || !m) continue;
        const key = `${t}.${m}`;
        const l = this._methods.get(key);
        if (l) l.push(top); else this._methods.set(key, [top]);
      }
    }
    return this._methods.get(`${owner}.${name}`) ?? [];
  }

  /** Type declarations and type parameters inside one top-level declaration, by name (the nodes that declare them). */
  private localTypes(top: Node): Map<string, Node[]> {
    let out = this.localTypesByTop.get(top.startIndex);
    if (out) return out;
    out = new Map();
    const add = (name: string | undefined, n: Node) => { if (!name) return; const l = out!.get(name); if (l) l.push(n); else out!.set(name, [n]); };
    // Most functions declare no types: a word search spares them the walk.
    const generic = !!top.childForFieldName('type_parameters') || !!top.childForFieldName('receiver')?.text.includes('[');
    if ((top.type === 'function_declaration' || top.type === 'method_declaration') && (generic || /\btype\b/.test(this.text.slice(top.startIndex, top.endIndex)))) {
      for (const n of walkAll(top)) {
        if (n.type === 'type_spec' || n.type === 'type_alias') add(n.childForFieldName('name')?.text, n);
        else if (n.type === 'type_parameter_declaration') for (const id of n.childrenForFieldName('name')) if (id) add(id.text, id);
      }
      // `func (s S[T]) m()`: the receiver's type arguments declare type parameters.
      const recv = top.type === 'method_declaration' ? top.childForFieldName('receiver') : null;
      if (recv) for (const n of walkAll(recv)) if (n.type === 'type_arguments') for (const a of walkAll(n)) if (a.type === 'type_identifier') add(a.text, a);
    }
    this.localTypesByTop.set(top.startIndex, out);
    return out;
  }

  /**
   * What the type name `name` means at `at`, as far as this file shows: its type spec or alias (the innermost
   * local one in scope there, else the package's one), null when it is a type parameter or unclear (declared
   * twice), undefined when the file declares no such type (a predeclared type, or one of another file).
   */
  typeDeclAt(name: string, at: Node): Node | null | undefined {
    const top = this.topOf(at);
    let best: { node: Node; scope: Node; start: number } | undefined;
    for (const n of top ? this.localTypes(top).get(name) ?? [] : []) {
      const param = n.type === 'identifier' || n.type === 'type_identifier';
      const scope = param ? top! : scopeOf(n);
      const start = param ? top!.startIndex : n.startIndex;
      if (!within(at, scope) || at.startIndex < start) continue;
      if (!best || scope.startIndex > best.scope.startIndex || (scope.startIndex === best.scope.startIndex && start > best.start)) best = { node: n, scope, start };
    }
    if (best) return best.node.type === 'type_spec' || best.node.type === 'type_alias' ? best.node : null;
    const pkg = this.pkgTypes.get(name);
    return pkg ? (pkg.length === 1 ? pkg[0] : null) : undefined;
  }

  /**
   * A written type as a string, syntax only: "*T", "T", "path.Name" (through the file's imports), "[]byte", a
   * predeclared type's name; undefined for the rest (maps, funcs, other slices, generic instances …).
   */
  private spelled(type: Node): string | undefined {
    switch (type.type) {
      case 'pointer_type': { const t = type.namedChild(0); const s = t ? this.spelled(t) : undefined; return s ? `*${s}` : undefined; }
      case 'parenthesized_type': { const t = type.namedChild(0); return t ? this.spelled(t) : undefined; }
      case 'type_identifier': case 'identifier': return type.text;      // `new(T)`: a type among the arguments parses as an identifier
      case 'qualified_type': {
        const pkg = type.childForFieldName('package')?.text;
        const name = type.childForFieldName('name')?.text;
        const path = pkg ? this.imports.get(pkg) : undefined;
        return path && name ? `${path}.${name}` : undefined;
      }
      case 'slice_type': {
        const el = type.childForFieldName('element');
        return el && (el.text === 'byte' || el.text === 'uint8') ? '[]byte' : undefined;
      }
      default: return undefined;
    }
  }

  /** `t` named at `at`, with the file's aliases followed, and a name of the one dot-imported package qualified. */
  private canonical(t: string, at: Node, depth = 0): string {
    const stars = /^\**/.exec(t)![0];
    const base = t.slice(stars.length);
    if (depth > 8 || !/^[A-Za-z_]\w*$/.test(base)) return t;
    const decl = this.typeDeclAt(base, at);
    if (decl?.type === 'type_alias') {
      const target = decl.childForFieldName('type');
      const s = target ? this.spelled(target) : undefined;
      return s ? this.canonical(`${stars}${s}`, decl, depth + 1) : t;
    }
    if (decl === undefined && /^[A-Z]/.test(base) && this.dotImports.length === 1) return `${stars}${this.dotImports[0]}.${base}`;
    return t;
  }

  /** A written type as exactTypeOf spells types (aliases followed, pointers kept). */
  private typeAt(type: Node): string | undefined {
    const s = this.spelled(type);
    return s ? this.canonical(s, type) : undefined;
  }

  /** `pkg.Name` spelled with the import path ("sync.WaitGroup"), a builtin name, "[]byte", or undefined. Aliases are followed, pointers dropped. */
  typeName(type: Node): string | undefined {
    return this.typeAt(type)?.replace(/^\*+/, '');
  }

  /**
   * The underlying type of `t` (a type as exactTypeOf spells it, named at `at`) when the file shows it: a
   * predeclared type's name, "*…" for a pointer, or undefined (a struct, a type of another file, a type parameter …).
   */
  underlying(t: string, at: Node, depth = 0): string | undefined {
    const c = this.canonical(t, at);
    if (c.startsWith('*') || c.startsWith('untyped ')) return c;
    if (depth > 8) return undefined;
    if (/^[A-Za-z_]\w*$/.test(c)) {
      const decl = this.typeDeclAt(c, at);
      if (decl === undefined) return BASIC_TYPES.has(c) ? c : undefined;
      if (!decl || decl.type !== 'type_spec' || decl.childForFieldName('type_parameters')) return undefined;
      const target = decl.childForFieldName('type');
      const s = target ? this.spelled(target) : undefined;
      return s ? this.underlying(s, decl, depth + 1) : undefined;
    }
    return STD_UNDERLYING[c];
  }

  /** The type of a struct field `owner.field` of a struct type this file declares, named at `at`, when it has one. */
  fieldType(owner: string, field: string, at: Node): string | undefined {
    readsDefinition(owner);                                   // its type may be declared in another function
    const types = this.fields.get(`${owner}.${field}`);
    const t = types && types.size === 1 ? [...types][0] : undefined;
    return t && !t.startsWith('?') ? this.canonical(t, at) : undefined;
  }

  /** The embedded fields' types of the struct type `owner` this file declares, named at `at` ("?text" for one it cannot name). */
  embeddedOf(owner: string, at: Node): readonly string[] {
    readsDefinition(owner);
    return [...(this.fields.get(`${owner}\0embedded`) ?? [])].map((t) => t.startsWith('?') ? t : this.canonical(t, at));
  }

  /** What the file proves about the type of an expression, or undefined. Untyped constants are "untyped int" / "string". Pointers are dropped. */
  typeOf(e: Node, depth = 0): string | undefined {
    return this.exactTypeOf(e, depth)?.replace(/^\*+/, '');
  }

  /**
   * What the file proves about the type of an expression, pointers kept ("*sync.WaitGroup"), aliases followed;
   * untyped constants are "untyped int", "untyped rune", "untyped float", "untyped complex", "untyped bool" or
   * "string". Undefined when the file does not show it.
   */
  exactTypeOf(e: Node, depth = 0): string | undefined {
    if (depth > 8) return undefined;
    switch (e.type) {
      case 'parenthesized_expression': { const c = e.namedChild(0); return c ? this.exactTypeOf(c, depth + 1) : undefined; }
      case 'int_literal': case 'iota': return 'untyped int';
      case 'rune_literal': return 'untyped rune';
      case 'float_literal': return 'untyped float';
      case 'imaginary_literal': return 'untyped complex';
      case 'true': case 'false': return 'untyped bool';
      case 'interpreted_string_literal': case 'raw_string_literal': return 'string';
      case 'unary_expression': {
        const op = e.childForFieldName('operand');
        if (!op) return undefined;
        const t = this.exactTypeOf(op, depth + 1);
        switch (e.child(0)?.type) {
          case '&': return t && `*${t}`;
          case '*': return t?.startsWith('*') ? t.slice(1) : undefined;
          case '+': case '-': case '^': return t && (UNTYPED_NUMBERS.includes(t) || !/^(untyped |\*)|^(string|bool)$/.test(t)) ? t : undefined;
          case '!': return t === 'untyped bool' || t === 'bool' ? t : undefined;
          default: return undefined;
        }
      }
      case 'composite_literal': case 'type_conversion_expression': { const t = e.childForFieldName('type'); return t ? this.typeAt(t) : undefined; }
      case 'identifier': {
        const d = this.declOf(e);
        if (!d) return undefined;
        if (d.type) return this.typeAt(d.type);
        if (d.kind === 'range' || d.kind === 'receiver') return undefined;
        const t = d.value ? this.exactTypeOf(d.value, depth + 1) : d.call ? this.resultType(d.call.node, d.call.index) : undefined;
        // `x := 10` gives an int variable; a constant stays untyped.
        return t && d.kind !== 'const' ? defaultType(t) : t;
      }
      case 'selector_expression': {
        const field = e.childForFieldName('field')?.text;
        const operand = e.childForFieldName('operand');
        if (!field || !operand) return undefined;
        if (operand.type === 'identifier' && this.packageOf(operand)) return undefined;   // pkg.Var: unknown
        // A field of a struct type declared in this file, reached through a value of that type (or a pointer to one).
        const owner = this.typeOf(operand, depth + 1);
        return owner ? this.fieldType(owner, field, e) : undefined;
      }
      case 'index_expression': {
        const operand = e.childForFieldName('operand');
        const t = operand ? this.exactTypeOf(operand, depth + 1) : undefined;
        return t === '[]byte' || t === 'string' ? 'byte' : undefined;
      }
      case 'call_expression': return this.resultType(e, 0);
      case 'binary_expression': {
        const op = e.child(1)?.type ?? '';
        const l = e.childForFieldName('left'); const r = e.childForFieldName('right');
        if (!l || !r) return undefined;
        if (COMPARISONS.has(op)) return 'untyped bool';
        const lt = this.exactTypeOf(l, depth + 1);
        if (op === '<<' || op === '>>') {
          // A constant shift of an untyped integer constant stays one; otherwise the left operand's type (when typed).
          if (lt === 'untyped int') return this.isConstant(r) ? lt : undefined;
          return lt && !lt.startsWith('untyped') ? lt : undefined;
        }
        const rt = this.exactTypeOf(r, depth + 1);
        if (op === '+' && (lt === 'string' || rt === 'string')) return 'string';
        if (!lt || !rt) return undefined;
        if (op === '&&' || op === '||') return sameType(lt, rt) ? lt : undefined;
        const lu = UNTYPED_NUMBERS.indexOf(lt), ru = UNTYPED_NUMBERS.indexOf(rt);
        if (lu >= 0 && ru >= 0) return UNTYPED_NUMBERS[Math.max(lu, ru)];   // 1 + 'a' is a rune, 2 * 1.5 a float
        if (lu >= 0) return rt;                                           // n * 2: the typed operand's type
        if (ru >= 0) return lt;
        return sameType(lt, rt) ? lt : undefined;
      }
      default: return undefined;
    }
  }

  /** True when the file shows `e` is a constant expression: literals, constants, iota, and operations and conversions of them. */
  isConstant(e: Node, depth = 0): boolean {
    if (depth > 8) return false;
    switch (e.type) {
      case 'int_literal': case 'float_literal': case 'imaginary_literal': case 'rune_literal': case 'iota': case 'true': case 'false':
      case 'interpreted_string_literal': case 'raw_string_literal': return true;
      case 'parenthesized_expression': { const c = e.namedChild(0); return !!c && this.isConstant(c, depth + 1); }
      case 'identifier': return this.declOf(e)?.kind === 'const';
      case 'unary_expression': { const op = e.childForFieldName('operand'); return ['+', '-', '^', '!'].includes(e.child(0)?.type ?? '') && !!op && this.isConstant(op, depth + 1); }
      case 'binary_expression': { const l = e.childForFieldName('left'), r = e.childForFieldName('right'); return !!l && !!r && this.isConstant(l, depth + 1) && this.isConstant(r, depth + 1); }
      case 'call_expression': {
        const fn = e.childForFieldName('function');
        const args = e.childForFieldName('arguments')?.namedChildren.filter((x): x is Node => !!x) ?? [];
        if (!fn || args.length !== 1 || !this.isConstant(args[0], depth + 1)) return false;
        // A conversion of a constant to a basic type, or len of a constant string.
        if (fn.type === 'identifier' && fn.text === 'len' && !this.declOf(fn) && !this.topFuncs.has('len') && this.typeDeclAt('len', fn) === undefined) return true;
        const t = this.conversionType(fn);
        return !!t && !t.startsWith('*') && BASIC_TYPES.has(this.underlying(t, fn) ?? '');
      }
      default: return false;
    }
  }

  /** The type `fn(x)` converts to when `fn` is a type: `T`, `int8`, `(*T)`, `time.Duration`; else undefined. */
  conversionType(fn: Node): string | undefined {
    while (fn.type === 'parenthesized_expression' && fn.namedChild(0)) fn = fn.namedChild(0)!;
    if (fn.type === 'identifier') {
      if (this.declOf(fn) || this.topFuncs.has(fn.text)) return undefined;
      const d = this.typeDeclAt(fn.text, fn);
      if (d === null || (d && d.type === 'type_spec' && d.childForFieldName('type_parameters'))) return undefined;
      if (d || BASIC_TYPES.has(fn.text)) return this.canonical(fn.text, fn);
      const dotted = this.canonical(fn.text, fn);
      return STD_UNDERLYING[dotted] ? dotted : undefined;        // `Duration(5)` with `import . "time"`
    }
    if (fn.type === 'unary_expression' && fn.child(0)?.type === '*') {
      const op = fn.childForFieldName('operand');
      const t = op ? this.conversionType(op) : undefined;
      return t && `*${t}`;
    }
    if (fn.type === 'selector_expression') {
      const q = this.qualified(fn);
      return q && STD_UNDERLYING[q] ? q : undefined;
    }
    if (fn.type === 'parenthesized_type' || fn.type === 'pointer_type' || fn.type === 'qualified_type') return this.typeAt(fn);
    return undefined;
  }

  /** The type of result `index` of a function's signature (declaration, literal or func type). */
  private resultOf(sig: Node, index: number): string | undefined {
    const r = sig.childForFieldName('result');
    if (!r) return undefined;
    if (r.type !== 'parameter_list') return index === 0 ? this.typeAt(r) : undefined;
    let i = 0;
    for (const p of r.namedChildren) {
      if (p?.type !== 'parameter_declaration') continue;
      const n = Math.max(1, p.childrenForFieldName('name').filter((x) => !!x).length);
      if (index < i + n) { const t = p.childForFieldName('type'); return t ? this.typeAt(t) : undefined; }
      i += n;
    }
    return undefined;
  }

  /**
   * The type of result `index` of a call the file can account for (pointers kept, as exactTypeOf): builtins,
   * conversions, a few standard functions, and functions, methods and function values this file declares.
   */
  resultType(call: Node, index: number): string | undefined {
    let fn = call.childForFieldName('function');
    const args = call.childForFieldName('arguments')?.namedChildren.filter((x): x is Node => !!x && x.type !== 'comment') ?? [];
    if (!fn) return undefined;
    if (args.length === 1 && index === 0) { const t = this.conversionType(fn); if (t) return t; }
    while (fn.type === 'parenthesized_expression' && fn.namedChild(0)) fn = fn.namedChild(0)!;
    if (fn.type === 'func_literal') return this.resultOf(fn, index);       // called where it is written
    if (fn.type === 'identifier') {
      const d = this.declOf(fn);
      if (d) {
        // A variable holding a function: `var f func() int`, `f := func() int { … }`.
        const sig = d.type?.type === 'function_type' ? d.type : !d.type && d.value?.type === 'func_literal' ? d.value : undefined;
        return sig ? this.resultOf(sig, index) : undefined;
      }
      const funcs = this.topFuncs.get(fn.text);
      if (funcs) return funcs.length === 1 && !funcs[0].childForFieldName('type_parameters') ? this.resultOf(funcs[0], index) : undefined;
      if (this.typeDeclAt(fn.text, fn) !== undefined) return undefined;
      if ((fn.text === 'len' || fn.text === 'cap') && index === 0) return 'int';
      if ((fn.text === 'min' || fn.text === 'max') && args.length && index === 0) {
        // Go 1.21's min and max: the arguments' common type, as for an operation on them.
        let t: string | undefined;
        for (const a of args) {
          const at = this.exactTypeOf(a);
          if (!at) return undefined;
          if (t === undefined) t = at;
          else if (!sameType(at, t)) {
            const ti = UNTYPED_NUMBERS.indexOf(t), ai = UNTYPED_NUMBERS.indexOf(at);
            if (ti >= 0 && ai >= 0) t = UNTYPED_NUMBERS[Math.max(ti, ai)];
            else if (ti >= 0) t = at;
            else if (ai < 0) return undefined;
          }
        }
        return t;
      }
      if (fn.text === 'new' && args[0] && index === 0) { const t = this.typeAt(args[0]); return t && `*${t}`; }
      if (fn.text === 'make' && args[0] && index === 0) return this.typeAt(args[0]);
      return undefined;
    }
    const q = this.qualified(fn);
    if (q) return KNOWN_RESULTS[q]?.[index];
    // A method this file declares on the receiver's type: `c.Len()`.
    if (fn.type === 'selector_expression') {
      const operand = fn.childForFieldName('operand');
      const name = fn.childForFieldName('field')?.text;
      const owner = operand ? this.typeOf(operand) : undefined;
      if (!owner || !name || !/^[A-Za-z_]\w*$/.test(owner)) return undefined;
      const ms = this.methodsOf(owner, name);
      return ms.length === 1 ? this.resultOf(ms[0], index) : undefined;
    }
    return undefined;
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
    if (l.startsWith('//go:build')) { expr = l.slice('//go:build'.length); break; }
    if (l !== '' && !l.startsWith('//')) break;          // the package clause (or a block comment): no header left
    if (end < 0) break;
    at = end + 1;
  }
  if (expr === undefined || !/^\s/.test(expr)) return undefined;
  const tokens = expr.match(/&&|\|\||[!()]|[^\s!()&|]+/g) ?? [];
  let at = 0;
  // Versions as minor numbers (Go 1.x); -1 for none. && takes the larger, || the smaller, ! none.
  const or = (): number => { let v = and(); while (tokens[at] === '||') { at++; const r = and(); v = Math.min(v, r); } return v; };
  const and = (): number => { let v = unary(); while (tokens[at] === '&&') { at++; const r = unary(); v = Math.max(v, r); } return v; };
  const unary = (): number => {
    const t = tokens[at++];
    if (t === '!') { unary(); return -1; }
    if (t === '(') { const v = or(); if (tokens[at] === ')') at++; return v; }
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

const FACTS = memoKey<GoFacts>('go file facts');
const GO_FIELDS = memoKey<Array<[string, string]>>('go: the struct fields a piece declares');

/** The file's facts, made once per analysis and shared by its rules. */
export function goFacts(ctx: RuleContext): GoFacts {
  return ctx.memo(FACTS, () => new GoFacts(ctx.tree, ctx.text, ctx.goModule, ctx.pieces));
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
