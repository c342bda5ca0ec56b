// A model of one Go file: its imports (aliased, dot, blank), the package's and each block's declarations, what a
// name or a qualified identifier stands for where it is used, the named types the file declares and what they are
// underneath, struct fields, and the types it proves for expressions (literals, conversions such as int8(10),
// constants, declared variables, results of the functions it declares and of a few standard ones). The questions are
// named and ordered as the Python model's (analysis/python/semantic.ts): resolve, resolveCall, lookup, bindingAt,
// isShadowed, scopeOf. Without types from other files: a name another file of the package declares is unbound here.
//
// The model is lazy, as the Python one: declarations are found per top-level declaration when a use inside it (or
// at package level) first asks, by one query over it; a function's own type declarations only when its text says
// `type` (or it is generic). Go has no way for code inside a function to bind a package-level name, so a lookup
// depends only on the function it is asked in and on package-level declarations, which the incremental analysis
// compares whole (their skeletons: analysis/analyze.ts); what it reads of other functions is recorded
// (analysis/reads.ts): the fields of a struct type, which a function may declare (readsDefinition). Struct fields are
// kept per piece in the piece's memo (RuleContext.pieces), so an edit re-reads only the edited declaration's.
import { Query, type Node, type Tree } from 'web-tree-sitter';
import { capturesIn, language } from '../parse';
import { readsDefinition } from '../reads';
import { sameNode as same, within } from '../flow';
import { Memo, memoKey } from '../memo';
import type { Piece, RuleContext } from '../types';

export const BASIC_TYPES = new Set([
  'bool',
  'string',
  'int',
  'int8',
  'int16',
  'int32',
  'int64',
  'uint',
  'uint8',
  'uint16',
  'uint32',
  'uint64',
  'uintptr',
  'byte',
  'rune',
  'float32',
  'float64',
  'complex64',
  'complex128',
]);
export const INTEGER_TYPES = new Set(['int', 'int8', 'int16', 'int32', 'int64', 'uint', 'uint8', 'uint16', 'uint32', 'uint64', 'uintptr', 'byte', 'rune']);
export const FUNC_TYPES = new Set(['function_declaration', 'method_declaration', 'func_literal']);

/** Go's predeclared identifiers (the universe block): types, constants, nil and the builtin functions. */
const PREDECLARED = new Set(
  (
    'bool byte complex64 complex128 error float32 float64 int int8 int16 int32 int64 rune string uint uint8 uint16 uint32 ' +
    'uint64 uintptr any comparable true false iota nil append cap clear close complex copy delete imag len make max min new ' +
    'panic print println real recover'
  ).split(' '),
);

/** True when `name` is one of Go's predeclared identifiers (`len`, `int`, `nil`, `true` …). */
export function isPredeclared(name: string): boolean {
  return PREDECLARED.has(name);
}

export type GoScopeKind =
  | 'package' // the package block: the file's top-level const, var, type and func declarations
  | 'file' // the file block: its imports (inside the package block)
  | 'function' // a function, method or func literal: its receiver, parameters, results and type parameters
  | 'block'; // a block, or the implicit block of a for, if, switch or select clause or case

export type GoBindingKind =
  | 'import' // import "time" (binds time), import t "time"; dot and blank imports bind no name
  | 'const'
  | 'var' // const and var specs, at package level or in a function
  | 'short' // x := …, also in for, if and switch initializers
  | 'param'
  | 'result'
  | 'receiver'
  | 'range' // for k, v := range …
  | 'func' // a top-level function
  | 'type' // a type spec or alias, at package level or in a function
  | 'type-parameter'; // func f[T any], and a method receiver's type arguments

/** The kinds of binding that declare a value (a variable, constant, parameter, result, receiver, range variable). */
export const VALUE_KINDS: ReadonlySet<GoBindingKind> = new Set<GoBindingKind>(['const', 'var', 'short', 'param', 'result', 'receiver', 'range']);

/** A name declared in a scope. */
export interface GoBinding {
  readonly name: string;
  readonly kind: GoBindingKind;
  /** The declaring identifier (for an import without alias, the import path's string literal). */
  readonly node: Node;
  /** Where the name is visible. */
  readonly scope: GoScope;
  /** A written type (`var x T`, a parameter's type). */
  readonly type?: Node;
  /** The value given to this name, when there is one value per name (`x := v`, `const c = 1`). */
  readonly value?: Node;
  /** `a, b := f()`: the call and this name's position among its results. */
  readonly call?: { node: Node; index: number };
  /** For an import, the path; for a type or func, its declaration (the type spec or alias, the function). */
  readonly path?: string;
  readonly declaration?: Node;
}

/** What a name means at some place: a binding of this file, a predeclared identifier, possibly a dot import's, or nothing. */
export type GoResolution =
  | { kind: 'binding'; binding: GoBinding }
  | { kind: 'builtin'; name: string }
  | { kind: 'dot'; paths: readonly string[] } // not declared here, exported, and the file dot-imports these packages
  | { kind: 'unbound' }; // declared in another file of the package, or nowhere

export class GoScope {
  /** @internal */
  constructor(
    private readonly model: GoModel,
    readonly kind: GoScopeKind,
    readonly node: Node,
  ) {}

  get start(): number {
    return this.node.startIndex;
  }
  get end(): number {
    return this.node.endIndex;
  }

  /** The scope around this one (the file block's is the package block; the package block has none). */
  get parent(): GoScope | undefined {
    return this.model.parentOf(this);
  }

  /** The bindings of `name` declared directly in this scope, in the order of the text. */
  bindings(name: string): readonly GoBinding[] {
    return this.model.bindingsIn(this, name);
  }
}

/** A struct field as fieldsOf reports it. */
export interface GoField {
  /** The field's name (an embedded field's is its type's name); undefined for an embedded type the file cannot name. */
  readonly name: string | undefined;
  /** Its type as exactTypeOf spells types ("*T", "sync.WaitGroup", "[]byte"), undefined when the file cannot name it. */
  readonly type: string | undefined;
  /** The type as the text writes it (`*sync.WaitGroup`, `map[string]int`). */
  readonly written: string;
  readonly embedded: boolean;
}

const DECL_QUERY = `
  (parameter_declaration) @d (variadic_parameter_declaration) @d (var_spec) @d (const_spec) @d
  (short_var_declaration) @d (range_clause) @d (import_spec) @d`;
let declQuery: Query | undefined;
let fieldQuery: Query | undefined;

function addTo<T>(map: Map<string, T[]>, name: string, d: T): void {
  const l = map.get(name);
  if (l) l.push(d);
  else map.set(name, [d]);
}

const NO_BINDINGS: readonly GoBinding[] = [];

/** Untyped numeric constants, in the order an operation on two of them takes the later kind. */
const UNTYPED_NUMBERS = ['untyped int', 'untyped rune', 'untyped float', 'untyped complex'];
const COMPARISONS = new Set(['==', '!=', '<', '<=', '>', '>=']);

/** True when two types as the model spells them are identical (byte is uint8, rune is int32). */
function sameType(a: string, b: string): boolean {
  const norm = (t: string) => (t === 'byte' ? 'uint8' : t === 'rune' ? 'int32' : t);
  return norm(a) === norm(b);
}

/** The type a variable set from a value of type `t` gets: an untyped constant's default type. */
function defaultType(t: string): string {
  switch (t) {
    case 'untyped int':
      return 'int';
    case 'untyped rune':
      return 'rune';
    case 'untyped float':
      return 'float64';
    case 'untyped complex':
      return 'complex128';
    case 'untyped bool':
      return 'bool';
    default:
      return t;
  }
}

/** Named types of the standard library with a predeclared underlying type (conversions to them, values of them). */
const STD_UNDERLYING: Record<string, string> = {
  'time.Duration': 'int64',
  'time.Month': 'int',
  'time.Weekday': 'int',
  'io/fs.FileMode': 'uint32',
  'os.FileMode': 'uint32',
  'reflect.Kind': 'uint',
  'syscall.Signal': 'int',
};

/** Result types of a few standard functions (pointers kept). */
const KNOWN_RESULTS: Record<string, string[]> = {
  'bytes.NewBuffer': ['*bytes.Buffer'],
  'bytes.NewBufferString': ['*bytes.Buffer'],
  'io.ReadAll': ['[]byte'],
  'io/ioutil.ReadAll': ['[]byte'],
  'os.ReadFile': ['[]byte'],
  'io/ioutil.ReadFile': ['[]byte'],
  'strconv.Itoa': ['string'],
  'strconv.FormatInt': ['string'],
  'fmt.Sprintf': ['string'],
  'fmt.Sprint': ['string'],
  'fmt.Sprintln': ['string'],
  'strings.Repeat': ['string'],
  'strings.Join': ['string'],
  'strings.TrimSpace': ['string'],
  'strings.ToLower': ['string'],
  'strings.ToUpper': ['string'],
  'bufio.NewReader': ['*bufio.Reader'],
  'strings.NewReader': ['*strings.Reader'],
  'bytes.NewReader': ['*bytes.Reader'],
  'bufio.NewReaderSize': ['*bufio.Reader'],
  'bufio.NewScanner': ['*bufio.Scanner'],
  'time.NewTimer': ['*time.Timer'],
  'time.NewTicker': ['*time.Ticker'],
  'strings.Count': ['int'],
  'strings.Index': ['int'],
  'strconv.Atoi': ['int', 'error'],
  'unicode/utf8.RuneCountInString': ['int'],
  'unicode/utf8.RuneLen': ['int'],
  'unsafe.Sizeof': ['uintptr'],
  'unsafe.Alignof': ['uintptr'],
  'unsafe.Offsetof': ['uintptr'],
};

/** Node types that open a scope for the declarations below them. */
const SCOPE_NODES = new Set([
  'block',
  'source_file',
  'for_statement',
  'if_statement',
  'switch_statement',
  'type_switch_statement',
  'communication_case',
  'expression_case',
  'type_case',
  'default_case',
  ...FUNC_TYPES,
]);

/** The node of the scope that holds a declaration found at `n` (the innermost block or clause around it). */
function scopeNodeOf(n: Node): Node {
  for (let p = n.parent; p; p = p.parent) if (SCOPE_NODES.has(p.type)) return p;
  return n.tree.rootNode;
}

function* walk(root: Node): Generator<Node> {
  const stack: Node[] = [root];
  while (stack.length) {
    const n = stack.pop()!;
    yield n;
    for (let i = n.namedChildCount - 1; i >= 0; i--) {
      const c = n.namedChild(i);
      if (c) stack.push(c);
    }
  }
}

/** The text between a Go string literal's quotes (import paths: no escapes to undo). */
export function stringValue(n: Node): string | undefined {
  return n.type === 'raw_string_literal' || n.type === 'interpreted_string_literal' ? n.text.slice(1, -1) : undefined;
}

/** The name a package is known by when imported without an alias: its path's last element (`v2` is skipped). */
export function defaultImportName(path: string): string {
  const last = path.split('/').pop() ?? path;
  return /^v\d+$/.test(last) && path.includes('/') ? path.split('/').slice(-2)[0] : last;
}

/** What a piece's memo keeps of the struct fields it declares: owner, field name, type as spelled ("?text": unnamed), embedded, text. */
type FieldEntry = [owner: string, name: string | undefined, type: string, embedded: boolean, text: string];
const GO_FIELDS = memoKey<FieldEntry[]>('go: the struct fields a piece declares');

/** The options a model is made with. */
export interface GoModelOptions {
  /** RuleContext.pieces: the analysis's pieces, whose memos keep each piece's struct fields between edits. */
  pieces?: readonly Piece[];
}

export class GoModel {
  /** Package name -> import path, for the imports that bind a name (`import "time"`, `import t "time"`). */
  readonly imports = new Map<string, string>();
  /** Paths imported with `import . "path"`. */
  readonly dotImports: string[] = [];
  /** Paths imported with `import _ "path"`. */
  readonly blankImports: string[] = [];
  /** The import declarations, in order, and the spec list of the first grouped one. */
  readonly importDeclarations: Node[] = [];
  readonly importList?: Node;
  /** The package block and the file block (its imports). */
  readonly package: GoScope;
  readonly file: GoScope;
  /**
   * The declarations inside each top-level declaration (function, method, var …), by its start, found when first
   * asked: those visible only inside it by name, and those of the package (a `var` or `const` at top level).
   */
  private readonly declsByTop = new Map<number, { local: Map<string, GoBinding[]>; pkg: GoBinding[] }>();
  private _topDecls: Map<string, GoBinding[]> | undefined;
  private _fields: Map<string, FieldEntry[]> | undefined;
  /** The file's top-level declarations, in order. */
  private readonly tops: Node[];
  /** What file-wide facts are put together from: the analysis's pieces with their memos, or the whole text. */
  private readonly pieces: readonly Piece[];
  private readonly scopes = new Map<string, GoScope>();
  private readonly others = new Map<string, GoBinding>();

  constructor(
    readonly tree: Tree,
    readonly text: string,
    options: GoModelOptions = {},
  ) {
    declQuery ??= new Query(language('go'), DECL_QUERY);
    this.pieces = options.pieces ?? [{ start: 0, end: text.length, memo: new Memo() }];
    this.package = new GoScope(this, 'package', tree.rootNode);
    this.file = new GoScope(this, 'file', tree.rootNode);
    this.tops = tree.rootNode.namedChildren.filter((c): c is Node => !!c);
    for (const top of this.tops) {
      if (top.type !== 'import_declaration') continue;
      this.importDeclarations.push(top);
      const list = top.namedChildren.find((c) => c?.type === 'import_spec_list');
      if (list && !this.importList) this.importList = list;
      for (const cap of declQuery.captures(top)) {
        if (cap.node.type !== 'import_spec') continue;
        const p = cap.node.childForFieldName('path');
        const path = p ? stringValue(p) : undefined;
        if (!path) continue;
        const alias = cap.node.childForFieldName('name')?.text;
        if (alias === '.') this.dotImports.push(path);
        if (alias === '_') this.blankImports.push(path);
        if (alias === '_' || alias === '.') continue;
        this.imports.set(alias ?? defaultImportName(path), path);
      }
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // The questions the Python model answers too.

  /** The qualified name of the function a call calls (`time.After`, `strconv.Itoa`, `len`), or undefined. */
  resolveCall(call: Node): string | undefined {
    const fn = call.type === 'call_expression' ? call.childForFieldName('function') : null;
    return fn ? this.resolve(fn) : undefined;
  }

  /**
   * The qualified name an identifier or qualified identifier stands for here: `t.After` with `import t "time"` is
   * "time.After" (a type `t.Duration` too); `After` with `import . "time"` (the file's only dot import; an exported
   * name it does not declare) is "time.After"; a package name is its path; a predeclared identifier not shadowed is
   * itself (`len`). Undefined for a local, parameter, package-level declaration of the file, a selector on a value, and
   * anything a declaration shadows (a local `time` makes `time.After` a method or field of that value).
   */
  resolve(n: Node | null | undefined): string | undefined {
    if (!n) return undefined;
    if (n.type === 'identifier' || n.type === 'type_identifier' || n.type === 'package_identifier') {
      const r = this.lookup(n.text, n);
      if (r.kind === 'binding') return r.binding.kind === 'import' ? r.binding.path : undefined;
      if (r.kind === 'builtin') return r.name;
      if (r.kind === 'dot') return r.paths.length === 1 ? `${r.paths[0]}.${n.text}` : undefined;
      return undefined;
    }
    if (n.type === 'selector_expression' || n.type === 'qualified_type') return this.qualified(n);
    return undefined;
  }

  /**
   * The declaration `name` refers to at `node`, by Go's scoping: the innermost block (or clause) that declares it
   * before `node` (a variable is visible after its spec: `x := x + 1` reads the outer x), then the function's
   * parameters, results, receiver and type parameters, the file's imports, the package's declarations; undefined for a
   * predeclared identifier or a name this file does not declare.
   */
  bindingAt(name: string, node: Node): GoBinding | undefined {
    const v = this.valueAt(name, node);
    const local = v && v.scope.kind !== 'package' ? v : undefined;
    const type = this.localTypeAt(name, node);
    if (local || type) {
      if (!type) return local;
      if (!local) return type;
      const ts = type.scope.start,
        ls = local.scope.start;
      return ts > ls || (ts === ls && type.node.startIndex > local.node.startIndex) ? type : local;
    }
    if (this.imports.has(name)) return this.importBinding(name);
    if (v) return v;
    return this.packageTypeBinding(name) ?? this.functionBinding(name);
  }

  /**
   * bindingAt among the declarations of values only (VALUE_KINDS: variables, constants, parameters, results,
   * receivers, range variables): what a use of `name` as a value reads, types, functions and imports aside.
   */
  valueBindingAt(name: string, node: Node): GoBinding | undefined {
    return this.valueAt(name, node);
  }

  /** What `name` means at `node` (see bindingAt): a binding, a predeclared identifier, maybe a dot import's, or nothing. */
  lookup(name: string, node: Node): GoResolution {
    const b = this.bindingAt(name, node);
    if (b) return { kind: 'binding', binding: b };
    if (PREDECLARED.has(name)) return { kind: 'builtin', name };
    if (this.dotImports.length && /^\p{Lu}/u.test(name)) return { kind: 'dot', paths: this.dotImports };
    return { kind: 'unbound' };
  }

  /** True when `name` at `node` stands for something of this file other than an import: a local, a parameter, a package-level declaration. */
  isShadowed(name: string, node: Node): boolean {
    const b = this.bindingAt(name, node);
    return !!b && b.kind !== 'import';
  }

  /** The innermost scope around `node` (for a top-level declaration, the file block). */
  scopeOf(node: Node): GoScope {
    for (let p = node.parent; p; p = p.parent) {
      if (p.type === 'source_file') return this.file;
      if (SCOPE_NODES.has(p.type)) return this.scopeFor(p);
    }
    return this.file;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Declarations.

  /** The import path a package name refers to at `use`, unless a declaration shadows it there. */
  packageOf(use: Node): string | undefined {
    if (!this.imports.has(use.text)) return undefined;
    const b = this.bindingAt(use.text, use);
    return b?.kind === 'import' ? b.path : undefined;
  }

  /** The name the file uses for an imported package path, if it imports it under a name. */
  importedAs(path: string): string | undefined {
    for (const [name, p] of this.imports) if (p === path) return name;
    return undefined;
  }

  /**
   * Every binding of `name` that code in the top-level declaration around `at` may see somewhere: that declaration's
   * own (in any of its blocks, before or after `at`), the file's import and the package's declarations.
   */
  bindingsOf(name: string, at: Node): GoBinding[] {
    const out = [...this.localDecls(name, at), ...this.localTypeBindings(name, at)];
    if (this.imports.has(name)) out.push(this.importBinding(name));
    out.push(...(this.topDecls.get(name) ?? NO_BINDINGS));
    const t = this.packageTypeBinding(name);
    if (t) out.push(t);
    const f = this.functionBinding(name);
    if (f) out.push(f);
    return out;
  }

  /** The names of the package-level variables and constants this file declares. */
  packageValueNames(): Iterable<string> {
    return this.topDecls.keys();
  }

  /** The file's top-level functions by name (their headers are what other functions may read of them). */
  get functions(): ReadonlyMap<string, readonly Node[]> {
    if (!this._topFuncs) {
      this._topFuncs = new Map();
      for (const top of this.tops) {
        const name = top.type === 'function_declaration' ? top.childForFieldName('name')?.text : undefined;
        if (name) addTo(this._topFuncs, name, top);
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
        const recv = top
          .childForFieldName('receiver')
          ?.namedChildren.find((c) => c?.type === 'parameter_declaration')
          ?.childForFieldName('type');
        const t = recv ? this.spelled(recv)?.replace(/^\*/, '') : undefined;
        const m = top.childForFieldName('name')?.text;
        if (t && m) addTo(this._methods, `${t}.${m}`, top);
      }
    }
    return this._methods.get(`${owner}.${name}`) ?? [];
  }

  /**
   * What the type name `name` means at `at`, as far as this file shows: its type spec or alias (the innermost
   * local one in scope there, else the package's one), null when it is a type parameter or unclear (declared
   * twice), undefined when the file declares no such type (a predeclared type, or one of another file).
   */
  typeDeclAt(name: string, at: Node): Node | null | undefined {
    const best = this.localTypeAt(name, at);
    if (best) return best.kind === 'type' ? best.declaration! : null;
    const pkg = this.pkgTypes.get(name);
    return pkg ? (pkg.length === 1 ? pkg[0] : null) : undefined;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Types.

  /** `pkg.Name` spelled with the import path ("sync.WaitGroup"), a builtin name, "[]byte", or undefined. Aliases are followed, pointers dropped. */
  typeName(type: Node): string | undefined {
    return this.typeAt(type)?.replace(/^\*+/, '');
  }

  /**
   * What the named type `typeName` (as exactTypeOf spells types; named at `at`, by default at package level) is
   * underneath when the file shows it, through aliases and definitions: a predeclared type's name, "*…" for a
   * pointer, an untyped constant's kind; undefined for a struct, a type of another file, a type parameter ….
   */
  underlying(typeName: string, at: Node = this.tree.rootNode, depth = 0): string | undefined {
    const c = this.canonical(typeName, at);
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

  /**
   * True when the file proves `expr` is of an integer type: an integer or rune literal, an untyped integer constant,
   * a conversion to an integer type (`int8(10)`, `time.Duration(5)`), a constant, variable or call result of a type
   * whose underlying type is an integer type, and operations on those.
   */
  isInteger(expr: Node): boolean {
    const t = this.exactTypeOf(expr);
    if (!t) return false;
    if (t === 'untyped int' || t === 'untyped rune') return true;
    const u = this.underlying(t, expr);
    return !!u && INTEGER_TYPES.has(u);
  }

  /**
   * The fields of the struct type named `structType` that this file declares (at package level or in a function;
   * every declaration of that name), their types named at `at`. Reads the type's definition (analysis/reads.ts):
   * a function that declares it may change without the asking piece's knowing.
   */
  fieldsOf(structType: string, at: Node = this.tree.rootNode): readonly GoField[] {
    readsDefinition(structType);
    return (this.fields.get(structType) ?? []).map(([, name, type, embedded, written]) => ({
      name,
      embedded,
      written,
      type: type.startsWith('?') ? undefined : this.canonical(type, at),
    }));
  }

  /** The type of field `field` of the struct type `owner` this file declares, named at `at`, when it has one (fieldsOf). */
  fieldType(owner: string, field: string, at: Node): string | undefined {
    readsDefinition(owner); // its type may be declared in another function
    let t: string | undefined;
    for (const [, name, type] of this.fields.get(owner) ?? []) {
      if (name !== field) continue;
      if (t !== undefined && t !== type) return undefined; // declared twice, differently
      t = type;
    }
    return t && !t.startsWith('?') ? this.canonical(t, at) : undefined;
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
      case 'parenthesized_expression': {
        const c = e.namedChild(0);
        return c ? this.exactTypeOf(c, depth + 1) : undefined;
      }
      case 'int_literal':
      case 'iota':
        return 'untyped int';
      case 'rune_literal':
        return 'untyped rune';
      case 'float_literal':
        return 'untyped float';
      case 'imaginary_literal':
        return 'untyped complex';
      case 'true':
      case 'false':
        return 'untyped bool';
      case 'interpreted_string_literal':
      case 'raw_string_literal':
        return 'string';
      case 'unary_expression': {
        const op = e.childForFieldName('operand');
        if (!op) return undefined;
        const t = this.exactTypeOf(op, depth + 1);
        switch (e.child(0)?.type) {
          case '&':
            return t && `*${t}`;
          case '*':
            return t?.startsWith('*') ? t.slice(1) : undefined;
          case '+':
          case '-':
          case '^':
            return t && (UNTYPED_NUMBERS.includes(t) || !/^(untyped |\*)|^(string|bool)$/.test(t)) ? t : undefined;
          case '!':
            return t === 'untyped bool' || t === 'bool' ? t : undefined;
          default:
            return undefined;
        }
      }
      case 'composite_literal':
      case 'type_conversion_expression': {
        const t = e.childForFieldName('type');
        return t ? this.typeAt(t) : undefined;
      }
      case 'identifier': {
        const d = this.valueAt(e.text, e);
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
        if (operand.type === 'identifier' && this.packageOf(operand)) return undefined; // pkg.Var: unknown
        // A field of a struct type declared in this file, reached through a value of that type (or a pointer to one).
        const owner = this.typeOf(operand, depth + 1);
        return owner ? this.fieldType(owner, field, e) : undefined;
      }
      case 'index_expression': {
        const operand = e.childForFieldName('operand');
        const t = operand ? this.exactTypeOf(operand, depth + 1) : undefined;
        return t === '[]byte' || t === 'string' ? 'byte' : undefined;
      }
      case 'call_expression':
        return this.resultType(e, 0);
      case 'binary_expression': {
        const op = e.child(1)?.type ?? '';
        const l = e.childForFieldName('left');
        const r = e.childForFieldName('right');
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
        const lu = UNTYPED_NUMBERS.indexOf(lt),
          ru = UNTYPED_NUMBERS.indexOf(rt);
        if (lu >= 0 && ru >= 0) return UNTYPED_NUMBERS[Math.max(lu, ru)]; // 1 + 'a' is a rune, 2 * 1.5 a float
        if (lu >= 0) return rt; // n * 2: the typed operand's type
        if (ru >= 0) return lt;
        return sameType(lt, rt) ? lt : undefined;
      }
      default:
        return undefined;
    }
  }

  /** True when the file shows `e` is a constant expression: literals, constants, iota, and operations and conversions of them. */
  isConstant(e: Node, depth = 0): boolean {
    if (depth > 8) return false;
    switch (e.type) {
      case 'int_literal':
      case 'float_literal':
      case 'imaginary_literal':
      case 'rune_literal':
      case 'iota':
      case 'true':
      case 'false':
      case 'interpreted_string_literal':
      case 'raw_string_literal':
        return true;
      case 'parenthesized_expression': {
        const c = e.namedChild(0);
        return !!c && this.isConstant(c, depth + 1);
      }
      case 'identifier':
        return this.valueAt(e.text, e)?.kind === 'const';
      case 'unary_expression': {
        const op = e.childForFieldName('operand');
        return ['+', '-', '^', '!'].includes(e.child(0)?.type ?? '') && !!op && this.isConstant(op, depth + 1);
      }
      case 'binary_expression': {
        const l = e.childForFieldName('left'),
          r = e.childForFieldName('right');
        return !!l && !!r && this.isConstant(l, depth + 1) && this.isConstant(r, depth + 1);
      }
      case 'call_expression': {
        const fn = e.childForFieldName('function');
        const args = e.childForFieldName('arguments')?.namedChildren.filter((x): x is Node => !!x) ?? [];
        if (!fn || args.length !== 1 || !this.isConstant(args[0], depth + 1)) return false;
        // A conversion of a constant to a basic type, or len of a constant string.
        if (fn.type === 'identifier' && fn.text === 'len' && this.isBuiltin(fn)) return true;
        const t = this.conversionType(fn);
        return !!t && !t.startsWith('*') && BASIC_TYPES.has(this.underlying(t, fn) ?? '');
      }
      default:
        return false;
    }
  }

  /** True when the identifier is a predeclared one here (`len`, `string`): no variable, function or type of the file shadows it. */
  isBuiltin(id: Node): boolean {
    return PREDECLARED.has(id.text) && !this.valueAt(id.text, id) && !this.functions.has(id.text) && this.typeDeclAt(id.text, id) === undefined;
  }

  /** The type `fn(x)` converts to when `fn` is a type: `T`, `int8`, `(*T)`, `time.Duration`; else undefined. */
  conversionType(fn: Node): string | undefined {
    while (fn.type === 'parenthesized_expression' && fn.namedChild(0)) fn = fn.namedChild(0)!;
    if (fn.type === 'identifier') {
      if (this.valueAt(fn.text, fn) || this.functions.has(fn.text)) return undefined;
      const d = this.typeDeclAt(fn.text, fn);
      if (d === null || (d && d.type === 'type_spec' && d.childForFieldName('type_parameters'))) return undefined;
      if (d || BASIC_TYPES.has(fn.text)) return this.canonical(fn.text, fn);
      const dotted = this.canonical(fn.text, fn);
      return STD_UNDERLYING[dotted] ? dotted : undefined; // `Duration(5)` with `import . "time"`
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

  /**
   * The type of result `index` of a call the file can account for (pointers kept, as exactTypeOf): builtins,
   * conversions, a few standard functions, and functions, methods and function values this file declares.
   */
  resultType(call: Node, index: number): string | undefined {
    let fn = call.childForFieldName('function');
    const args = call.childForFieldName('arguments')?.namedChildren.filter((x): x is Node => !!x && x.type !== 'comment') ?? [];
    if (!fn) return undefined;
    if (args.length === 1 && index === 0) {
      const t = this.conversionType(fn);
      if (t) return t;
    }
    while (fn.type === 'parenthesized_expression' && fn.namedChild(0)) fn = fn.namedChild(0)!;
    if (fn.type === 'func_literal') return this.resultOf(fn, index); // called where it is written
    if (fn.type === 'identifier') {
      const d = this.valueAt(fn.text, fn);
      if (d) {
        // A variable holding a function: `var f func() int`, `f := func() int { … }`.
        const sig = d.type?.type === 'function_type' ? d.type : !d.type && d.value?.type === 'func_literal' ? d.value : undefined;
        return sig ? this.resultOf(sig, index) : undefined;
      }
      const funcs = this.functions.get(fn.text);
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
            const ti = UNTYPED_NUMBERS.indexOf(t),
              ai = UNTYPED_NUMBERS.indexOf(at);
            if (ti >= 0 && ai >= 0) t = UNTYPED_NUMBERS[Math.max(ti, ai)];
            else if (ti >= 0) t = at;
            else if (ai < 0) return undefined;
          }
        }
        return t;
      }
      if (fn.text === 'new' && args[0] && index === 0) {
        const t = this.typeAt(args[0]);
        return t && `*${t}`;
      }
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
          if (!memo.has(t.text)) {
            memo.set(t.text, false);
            memo.set(t.text, check(def, depth + 1));
          }
          return memo.get(t.text)!;
        }
        if (t.type === 'struct_type') {
          const fields = t.namedChild(0)?.namedChildren.filter((x): x is Node => x?.type === 'field_declaration') ?? [];
          return fields.every((fd) => {
            const ft = fd.childForFieldName('type');
            return !!ft && fd.childrenForFieldName('name').length > 0 && check(ft, depth + 1);
          });
        }
        return false;
      };
      this.valueTypes = new Set([...specs.keys()].filter((n) => check(specs.get(n)!, 0)));
    }
    return type.type === 'type_identifier' && (BASIC_TYPES.has(type.text) || this.valueTypes.has(type.text));
  }

  // ---------------------------------------------------------------------------------------------------------------
  // How the answers are found.

  /** @internal GoScope.parent. */
  parentOf(s: GoScope): GoScope | undefined {
    if (s.kind === 'package') return undefined;
    if (s.kind === 'file') return this.package;
    return this.scopeOf(s.node);
  }

  /** @internal GoScope.bindings. */
  bindingsIn(s: GoScope, name: string): readonly GoBinding[] {
    if (s.kind === 'file') return this.imports.has(name) ? [this.importBinding(name)] : NO_BINDINGS;
    if (s.kind === 'package') {
      const out = [...(this.topDecls.get(name) ?? NO_BINDINGS)];
      for (const spec of this.pkgTypes.get(name) ?? []) out.push(this.typeBinding(spec, this.package));
      for (const fn of this.functions.get(name) ?? []) out.push(this.other('func', fn.childForFieldName('name')!, this.package, { declaration: fn }));
      return out.sort((a, b) => a.node.startIndex - b.node.startIndex);
    }
    return [...this.localDecls(name, s.node), ...this.localTypeBindings(name, s.node)]
      .filter((b) => same(b.scope.node, s.node))
      .sort((a, b) => a.node.startIndex - b.node.startIndex);
  }

  /** The scope object of a scope node (one per node). */
  private scopeFor(n: Node): GoScope {
    if (n.type === 'source_file') return this.package;
    const key = `${n.startIndex}:${n.endIndex}:${n.type}`;
    let s = this.scopes.get(key);
    if (!s) {
      s = new GoScope(this, FUNC_TYPES.has(n.type) ? 'function' : 'block', n);
      this.scopes.set(key, s);
    }
    return s;
  }

  /** Bindings of imports, top-level functions and types, made when first asked for. */
  private other(kind: GoBindingKind, node: Node, scope: GoScope, extra: Partial<GoBinding>): GoBinding {
    const key = `${kind}:${node.startIndex}`;
    let b = this.others.get(key);
    if (!b) {
      b = { name: node.text, kind, node, scope, ...extra };
      this.others.set(key, b);
    }
    return b;
  }

  private importBinding(name: string): GoBinding {
    let b = this.importBindings.get(name);
    if (b) return b;
    const path = this.imports.get(name)!;
    for (const decl of this.importDeclarations) {
      for (const cap of declQuery!.captures(decl)) {
        const spec = cap.node;
        const p = spec.type === 'import_spec' ? spec.childForFieldName('path') : null;
        const alias = spec.childForFieldName('name');
        // The last spec binding the name (the one `imports` holds).
        if (p && stringValue(p) === path && (alias ? alias.text : defaultImportName(path)) === name)
          b = { name, kind: 'import', node: alias ?? p, scope: this.file, path, declaration: spec };
      }
    }
    b ??= { name, kind: 'import', node: this.tree.rootNode, scope: this.file, path };
    this.importBindings.set(name, b);
    return b;
  }
  private readonly importBindings = new Map<string, GoBinding>();

  private typeBinding(spec: Node, scope: GoScope): GoBinding {
    return this.other('type', spec.childForFieldName('name') ?? spec, scope, { declaration: spec, type: undefined });
  }

  private packageTypeBinding(name: string): GoBinding | undefined {
    const spec = this.pkgTypes.get(name)?.[0];
    return spec ? this.typeBinding(spec, this.package) : undefined;
  }

  private functionBinding(name: string): GoBinding | undefined {
    const fn = this.functions.get(name)?.[0];
    const id = fn?.childForFieldName('name');
    return fn && id ? this.other('func', id, this.package, { declaration: fn }) : undefined;
  }

  /**
   * The package-level declarations (of `var` and `const`), by name. With localDecls, all a use can refer to: a name
   * declared in another function is not visible outside it, so each function's own are found only when asked.
   */
  private get topDecls(): ReadonlyMap<string, readonly GoBinding[]> {
    if (!this._topDecls) {
      this._topDecls = new Map();
      for (const top of this.tops) {
        if (top.type !== 'var_declaration' && top.type !== 'const_declaration') continue;
        for (const d of this.declsIn(top).pkg) addTo(this._topDecls, d.name, d);
      }
    }
    return this._topDecls;
  }

  /** Declarations named `name` inside the top-level declaration that holds `at` (the package's excepted). */
  private localDecls(name: string, at: Node): readonly GoBinding[] {
    const top = this.topOf(at);
    return (top && this.declsIn(top).local.get(name)) || NO_BINDINGS;
  }

  /**
   * The variable, constant, parameter, result or receiver `name` refers to at `use`: the innermost visible scope's,
   * latest before it (types, functions and imports aside).
   */
  private valueAt(name: string, use: Node): GoBinding | undefined {
    const top = this.topDecls.get(name);
    const local = this.localDecls(name, use);
    if (!top && !local.length) return undefined;
    let best: GoBinding | undefined;
    for (const d of top ? (local.length ? [...top, ...local] : top) : local) {
      if (!within(use, d.scope.node)) continue;
      const isLocal = d.scope.kind !== 'package';
      if (isLocal && d.node.startIndex > use.startIndex) continue;
      if (d.kind === 'short' || d.kind === 'var' || d.kind === 'const') {
        // The name is visible only after its own spec ends (`x := x + 1` reads the outer x).
        const spec = d.node.parent?.type === 'expression_list' ? d.node.parent.parent : d.node.parent;
        if (isLocal && spec && use.startIndex < spec.endIndex && !same(use, d.node)) continue;
      }
      if (!best || d.scope.start > best.scope.start || (d.scope.start === best.scope.start && d.node.startIndex > best.node.startIndex)) best = d;
    }
    return best;
  }

  /** The declarations found inside one top-level declaration (see declsByTop). */
  private declsIn(top: Node): { local: Map<string, GoBinding[]>; pkg: GoBinding[] } {
    let out = this.declsByTop.get(top.startIndex);
    if (out) return out;
    const local = new Map<string, GoBinding[]>();
    const pkg: GoBinding[] = [];
    const add = (d: GoBinding) => {
      if (d.scope.kind === 'package') pkg.push(d);
      else addTo(local, d.name, d);
    };
    for (const cap of declQuery!.captures(top)) {
      const d = cap.node;
      switch (d.type) {
        case 'parameter_declaration':
        case 'variadic_parameter_declaration': {
          const fn = d.parent?.parent;
          if (!fn || !FUNC_TYPES.has(fn.type)) break; // a parameter of a function type, not a declaration
          const type = d.childForFieldName('type') ?? undefined;
          const kind =
            fn.type === 'method_declaration' && same(fn.childForFieldName('receiver'), d.parent)
              ? 'receiver'
              : same(fn.childForFieldName('result'), d.parent)
                ? 'result'
                : 'param';
          const scope = this.scopeFor(fn);
          for (const id of d.childrenForFieldName('name')) {
            if (id) add({ name: id.text, node: id, scope, kind, type: d.type === 'variadic_parameter_declaration' ? undefined : type });
          }
          break;
        }
        case 'var_spec':
        case 'const_spec': {
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
          const scope = this.scopeFor(scopeNodeOf(d));
          names.forEach((id, i) =>
            add({
              name: id.text,
              node: id,
              scope,
              kind: d.type === 'var_spec' ? 'var' : 'const',
              type,
              value: values.length === names.length ? values[i] : undefined,
              call: values.length === 1 && names.length > 1 && values[0].type === 'call_expression' ? { node: values[0], index: i } : undefined,
            }),
          );
          break;
        }
        case 'short_var_declaration': {
          const left = d.childForFieldName('left')?.namedChildren.filter((x): x is Node => !!x) ?? [];
          const right = d.childForFieldName('right')?.namedChildren.filter((x): x is Node => !!x) ?? [];
          // `for i := 0; …` scopes to the loop; `if v := …; …` to the if.
          const scope = this.scopeFor(
            d.parent?.type === 'for_clause'
              ? d.parent.parent!
              : d.parent?.type === 'if_statement' || d.parent?.type === 'switch_statement'
                ? d.parent
                : scopeNodeOf(d),
          );
          left.forEach((id, i) => {
            if (id.type !== 'identifier' || id.text === '_') return;
            add({
              name: id.text,
              node: id,
              scope,
              kind: 'short',
              value: right.length === left.length ? right[i] : undefined,
              call: right.length === 1 && left.length > 1 && right[0].type === 'call_expression' ? { node: right[0], index: i } : undefined,
            });
          });
          break;
        }
        case 'range_clause': {
          const left = d.childForFieldName('left');
          if (
            !left ||
            !d.text
              .slice(left.endIndex - d.startIndex)
              .trimStart()
              .startsWith(':=')
          )
            break;
          const scope = this.scopeFor(d.parent!);
          for (const id of left.namedChildren) if (id?.type === 'identifier') add({ name: id.text, node: id, scope, kind: 'range' });
          break;
        }
      }
    }
    out = { local, pkg };
    this.declsByTop.set(top.startIndex, out);
    return out;
  }

  /**
   * The struct fields this file declares, by owner (the named struct types of this file: `type S struct { … }`, at
   * package level or in a function). An embedded field counts under its type's name (`S.WaitGroup`). Piece by piece
   * from their memos in the editor.
   */
  private get fields(): ReadonlyMap<string, readonly FieldEntry[]> {
    if (!this._fields) {
      const fields = new Map<string, FieldEntry[]>();
      for (const p of this.pieces) {
        for (const e of p.memo.get(GO_FIELDS, () => this.fieldsIn(p.start, p.end))) addTo(fields, e[0], e);
      }
      this._fields = fields;
    }
    return this._fields;
  }

  private fieldsIn(start: number, end: number): FieldEntry[] {
    const out: FieldEntry[] = [];
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
        for (const id of names) out.push([owner, id.text, written, false, type.text]);
      } else {
        // Embedded: `sync.WaitGroup`, `*T`; the field is named after the type.
        const pointer = d.child(0)?.type === '*';
        const written = this.spelled(type);
        const name = type.type === 'qualified_type' ? type.childForFieldName('name')?.text : type.type === 'type_identifier' ? type.text : undefined;
        out.push([owner, name, written ? `${pointer ? '*' : ''}${written}` : `?${type.text}`, true, `${pointer ? '*' : ''}${type.text}`]);
      }
    }
    return out;
  }

  /** The top-level declaration that holds `at`, if any (a search over the file's top-level nodes). */
  private topOf(at: Node): Node | undefined {
    let lo = 0,
      hi = this.tops.length - 1,
      found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.tops[mid].startIndex <= at.startIndex) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
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
          if (name) addTo(this._pkgTypes, name, spec!);
        }
      }
    }
    return this._pkgTypes;
  }

  /** Type declarations and type parameters inside one top-level declaration, by name (the nodes that declare them). */
  private localTypes(top: Node): Map<string, Node[]> {
    let out = this.localTypesByTop.get(top.startIndex);
    if (out) return out;
    out = new Map();
    const add = (name: string | undefined, n: Node) => {
      if (name) addTo(out!, name, n);
    };
    // Most functions declare no types: a word search spares them the walk.
    const generic = !!top.childForFieldName('type_parameters') || !!top.childForFieldName('receiver')?.text.includes('[');
    if (
      (top.type === 'function_declaration' || top.type === 'method_declaration') &&
      (generic || /\btype\b/.test(this.text.slice(top.startIndex, top.endIndex)))
    ) {
      for (const n of walk(top)) {
        if (n.type === 'type_spec' || n.type === 'type_alias') add(n.childForFieldName('name')?.text, n);
        else if (n.type === 'type_parameter_declaration') for (const id of n.childrenForFieldName('name')) if (id) add(id.text, id);
      }
      // `func (s S[T]) m()`: the receiver's type arguments declare type parameters.
      const recv = top.type === 'method_declaration' ? top.childForFieldName('receiver') : null;
      if (recv) for (const n of walk(recv)) if (n.type === 'type_arguments') for (const a of walk(n)) if (a.type === 'type_identifier') add(a.text, a);
    }
    this.localTypesByTop.set(top.startIndex, out);
    return out;
  }

  /** The type declarations and type parameters named `name` in the top-level declaration around `at`, with their scopes. */
  private localTypeCandidates(name: string, at: Node): Array<{ node: Node; scope: Node; start: number }> {
    const top = this.topOf(at);
    const out: Array<{ node: Node; scope: Node; start: number }> = [];
    for (const n of top ? (this.localTypes(top).get(name) ?? []) : []) {
      const param = n.type === 'identifier' || n.type === 'type_identifier';
      out.push({ node: n, scope: param ? top! : scopeNodeOf(n), start: param ? top!.startIndex : n.startIndex });
    }
    return out;
  }

  private localTypeBindings(name: string, at: Node): GoBinding[] {
    return this.localTypeCandidates(name, at).map((c) => this.localTypeBinding(c));
  }

  private localTypeBinding(c: { node: Node; scope: Node }): GoBinding {
    const scope = this.scopeFor(c.scope);
    return c.node.type === 'type_spec' || c.node.type === 'type_alias' ? this.typeBinding(c.node, scope) : this.other('type-parameter', c.node, scope, {});
  }

  /** The innermost local type declaration or type parameter named `name` in scope at `at`. */
  private localTypeAt(name: string, at: Node): GoBinding | undefined {
    let best: { node: Node; scope: Node; start: number } | undefined;
    for (const c of this.localTypeCandidates(name, at)) {
      if (!within(at, c.scope) || at.startIndex < c.start) continue;
      if (!best || c.scope.startIndex > best.scope.startIndex || (c.scope.startIndex === best.scope.startIndex && c.start > best.start)) best = c;
    }
    return best && this.localTypeBinding(best);
  }

  /** "path.Name" for a `pkg.Name` selector or qualified type whose package is an import not shadowed there, else undefined. */
  private qualified(fn: Node): string | undefined {
    if (fn.type === 'qualified_type') {
      const pkg = fn.childForFieldName('package');
      const name = fn.childForFieldName('name');
      const path = pkg ? this.packageOf(pkg) : undefined;
      return path && name ? `${path}.${name.text}` : undefined;
    }
    if (fn.type !== 'selector_expression') return undefined;
    const operand = fn.childForFieldName('operand');
    const field = fn.childForFieldName('field');
    if (!operand || !field || operand.type !== 'identifier') return undefined;
    const path = this.packageOf(operand);
    return path ? `${path}.${field.text}` : undefined;
  }

  /**
   * A written type as a string, syntax only: "*T", "T", "path.Name" (through the file's imports), "[]byte", a
   * predeclared type's name; undefined for the rest (maps, funcs, other slices, generic instances …).
   */
  private spelled(type: Node): string | undefined {
    switch (type.type) {
      case 'pointer_type': {
        const t = type.namedChild(0);
        const s = t ? this.spelled(t) : undefined;
        return s ? `*${s}` : undefined;
      }
      case 'parenthesized_type': {
        const t = type.namedChild(0);
        return t ? this.spelled(t) : undefined;
      }
      case 'type_identifier':
      case 'identifier':
        return type.text; // `new(T)`: a type among the arguments parses as an identifier
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
      default:
        return undefined;
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

  /** The type of result `index` of a function's signature (declaration, literal or func type). */
  private resultOf(sig: Node, index: number): string | undefined {
    const r = sig.childForFieldName('result');
    if (!r) return undefined;
    if (r.type !== 'parameter_list') return index === 0 ? this.typeAt(r) : undefined;
    let i = 0;
    for (const p of r.namedChildren) {
      if (p?.type !== 'parameter_declaration') continue;
      const n = Math.max(1, p.childrenForFieldName('name').filter((x) => !!x).length);
      if (index < i + n) {
        const t = p.childForFieldName('type');
        return t ? this.typeAt(t) : undefined;
      }
      i += n;
    }
    return undefined;
  }
}

const MODEL = memoKey<GoModel>('go model');

/**
 * The model of the file being analysed, made on first use and shared by every rule of the analysis. Its answers
 * record what they read across the file (analysis/reads.ts), so a rule asking it needs no record of its own.
 */
export function goModel(ctx: RuleContext): GoModel {
  return ctx.memo(MODEL, () => new GoModel(ctx.tree, ctx.text, { pieces: ctx.pieces }));
}
