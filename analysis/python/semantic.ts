// A semantic model of one Python file: scopes, the bindings in each, and what a name or attribute chain stands for
// where it is used (Python's LEGB lookup with the class-scope rule, global/nonlocal, star imports, builtins).
// In the spirit of Ruff's ruff_python_semantic and pyflakes, without types: a name resolves to a qualified name only
// through an import (or importlib.import_module / pytest.importorskip / __import__) or as an unshadowed builtin.
//
// The model is lazy, because rules ask about a few names in a few places and every node that crosses the WASM
// boundary costs about a microsecond (a full build of a 6,000-line file walks some 35,000 nodes):
// - Where code runs: a scope index per top-level statement (or statement of a top-level class), from one query: each
//   scope's own ranges (a def's parameter names and body; its defaults and annotations run around it; a
//   comprehension but its first iterable), so the scope of a position is found without climbing the tree.
// - What a scope binds: one walk of that scope's own code (its comprehensions with it; nested defs, lambdas and
//   classes only as far as their headers), on the first question that needs it; skipped when the text shows every
//   occurrence of the name there is a read (`name.x`, `name(…)`) or, but for those, one of the def's own parameters.
// - What the module binds: put together from the file's pieces (RuleContext.pieces), each piece keeping in its memo
//   the module bindings of a name it makes, so an edit inside one definition re-reads only that definition.
// A question whose answer depends on code outside the piece it is asked in (the module's or a top-level class's
// bindings) records a read of the name (analysis/reads.ts): the incremental analysis then re-runs the piece when an
// edit changes what the file says about that name. `build()` walks everything instead (one pass), and answers from
// its walks alone: the tests check the shortcuts against it.
import { Query, type Node, type Tree } from 'web-tree-sitter';
import { capturesIn } from '../parse';
import { readsName } from '../reads';
import { Memo, memoKey } from '../memo';
import type { Piece, RuleContext } from '../types';

export type ScopeKind = 'module' | 'class' | 'function' | 'lambda' | 'comprehension' | 'type';

export type BindingKind =
  | 'import' // import a.b (binds a), import a.b as c
  | 'from-import' // from m import b [as c], from . import x, from __future__ import x
  | 'assignment' // x = …, a, *b = …
  | 'augmented-assignment' // x += …
  | 'annotated-assignment' // x: int = …
  | 'annotation' // x: int (no value: local to a function all the same)
  | 'parameter' // def f(a, /, b=1, *args, c, **kw), lambda a: …
  | 'function' // def f
  | 'class' // class C
  | 'for-target' // for x in …, async for, and a comprehension's for clauses
  | 'with-target' // with … as x
  | 'except-handler' // except E as e
  | 'named-expression' // (x := …)
  | 'match-capture' // case Point(x=px), case [a, *rest], case {"k": v, **kw}, case _ as y
  | 'type-parameter' // def f[T], class C[T], type A[T] = …
  | 'type-alias' // type A = …
  | 'deletion'; // del x (the name is unbound from here on)

/** A name bound in a scope. */
export interface Binding {
  readonly name: string;
  readonly kind: BindingKind;
  /** The scope the name is bound in: for a name declared global or nonlocal, the module or the enclosing function. */
  readonly scope: Scope;
  /** The bound name in the tree: the identifier (for `import a.b`, the dotted name; for `import a.b as c`, `c`). */
  readonly node: Node;
  readonly start: number;
  readonly end: number;
  /** Where code of its scope that runs in order (module, class body) starts to see it: after the binding statement. */
  readonly visibleFrom: number;
  /** For an import, the qualified name it binds: `a` (`import a.b`), `a.b` (`import a.b as c`), `m.b`, `..m.b`. */
  readonly imported?: string;
  /** `global x` or `nonlocal x` sent the binding from the scope whose code makes it to `scope`. */
  readonly declared?: 'global' | 'nonlocal';
}

/** What a name means at some place: a binding, a builtin, possibly a star import's, or nothing. */
export type Resolution =
  | { kind: 'binding'; binding: Binding }
  | { kind: 'builtin'; name: string }
  | { kind: 'star'; modules: readonly string[] } // not bound, but `from m import *` (of these modules) may bind it
  | { kind: 'unbound'; deletion?: Binding }; // deleted here (the deletion), or bound nowhere and not a builtin

export interface Reference {
  readonly name: string;
  readonly node: Node;
  readonly scope: Scope;
}

export class Scope {
  /** @internal */ readonly own = new Map<string, BindingImpl[]>();
  /** @internal Names declared `global` or `nonlocal` in this scope, with their declaration. */
  readonly declarations = new Map<string, { kind: 'global' | 'nonlocal'; node: Node }>();
  /** @internal Bindings this scope's code makes that global/nonlocal sent elsewhere. */
  readonly redirected: BindingImpl[] = [];
  /** @internal */ readonly references: Reference[] = [];
  /** @internal */ readonly children: Scope[] = [];
  /** @internal */ built = false;
  /** @internal Per-name answers of `bindingsOf`. */
  readonly cache = new Map<string, readonly Binding[]>();
  /** @internal Where a function's or lambda's parameter names are (its parameter list without defaults and annotations). */
  params: ReadonlyArray<readonly [number, number]> | undefined;
  private _node: Node | undefined;

  /** @internal */
  constructor(
    readonly model: SemanticModel,
    readonly kind: ScopeKind,
    readonly start: number,
    readonly end: number,
    readonly nodeType: string,
    readonly parent: Scope | undefined,
    node?: Node,
  ) {
    this._node = node;
  }

  /** The module, def, lambda, class or comprehension (for a type scope: the generic def or class, or the type alias). */
  get node(): Node {
    return (this._node ??= this.model.nodeOfScope(this));
  }

  /** The bindings of `name` in this scope, in the order of the text (including those sent here by global/nonlocal). */
  bindings(name: string): readonly Binding[] {
    return this.model.bindingsOf(this, name);
  }

  /** True when a `from m import *` binds unknown names here (module scope). */
  get hasStarImport(): boolean {
    return this.kind === 'module' && this.model.hasStarImport();
  }

  /** The names bound in this scope (the whole model is built first). */
  names(): string[] {
    this.model.build();
    const out = new Set(this.own.keys());
    if (this.kind === 'module') for (const b of this.model.globalBindings()) out.add(b.name);
    return [...out];
  }
}

const BUILTINS = new Set(
  (
    'ArithmeticError AssertionError AttributeError BaseException BaseExceptionGroup BlockingIOError BrokenPipeError BufferError ' +
    'BytesWarning ChildProcessError ConnectionAbortedError ConnectionError ConnectionRefusedError ConnectionResetError ' +
    'DeprecationWarning EOFError Ellipsis EncodingWarning EnvironmentError Exception ExceptionGroup False FileExistsError ' +
    'FileNotFoundError FloatingPointError FutureWarning GeneratorExit IOError ImportError ImportWarning IndentationError ' +
    'IndexError InterruptedError IsADirectoryError KeyError KeyboardInterrupt LookupError MemoryError ModuleNotFoundError ' +
    'NameError None NotADirectoryError NotImplemented NotImplementedError OSError OverflowError PendingDeprecationWarning ' +
    'PermissionError ProcessLookupError PythonFinalizationError RecursionError ReferenceError ResourceWarning RuntimeError ' +
    'RuntimeWarning StopAsyncIteration StopIteration SyntaxError SyntaxWarning SystemError SystemExit TabError TimeoutError ' +
    'True TypeError UnboundLocalError UnicodeDecodeError UnicodeEncodeError UnicodeError UnicodeTranslateError UnicodeWarning ' +
    'UserWarning ValueError Warning WindowsError ZeroDivisionError __build_class__ __debug__ __import__ abs aiter all anext any ' +
    'ascii bin bool breakpoint bytearray bytes callable chr classmethod compile complex copyright credits delattr dict dir ' +
    'divmod enumerate eval exec exit filter float format frozenset getattr globals hasattr hash help hex id input int ' +
    'isinstance issubclass iter len license list locals map max memoryview min next object oct open ord pow print property ' +
    'quit range repr reversed round set setattr slice sorted staticmethod str sum super tuple type vars zip ' +
    // Names every module has.
    '__name__ __doc__ __file__ __builtins__ __spec__ __loader__ __package__ __path__ __annotations__ __cached__'
  ).split(' '),
);

/** True when `name` is one of Python's builtins (or a name every module has, such as `__name__`). */
export function isBuiltin(name: string): boolean {
  return BUILTINS.has(name);
}

/** Parents under which an identifier is read or names an attribute or keyword, never bound (a quick answer). */
const NEVER_BINDS_UNDER = new Set([
  'attribute',
  'call',
  'argument_list',
  'keyword_argument',
  'subscript',
  'binary_operator',
  'unary_operator',
  'comparison_operator',
  'boolean_operator',
  'not_operator',
  'return_statement',
  'conditional_expression',
  'await',
  'pair',
  'dictionary',
  'set',
  'interpolation',
  'expression_statement',
  'decorator',
  'assert_statement',
  'raise_statement',
  'list_comprehension',
  'set_comprehension',
  'dictionary_comprehension',
  'generator_expression',
  'slice',
  'if_clause',
]);

/** A function that imports the module its first argument names, and how the result relates to that module. */
const MODULE_LOADERS = new Map<string, 'module' | 'top'>([
  ['importlib.import_module', 'module'],
  ['pytest.importorskip', 'module'],
  ['__import__', 'top'], // __import__("a.b") returns the package a
]);

const LOADER_WORDS = /\b(?:import_module|importorskip|__import__)\b/;

/** A binding as a piece's memo keeps it: offsets relative to the piece's start, no nodes (they belong to one tree). */
interface PlainBinding {
  name: string;
  kind: BindingKind;
  start: number;
  end: number;
  visible: number;
  imported?: string;
  declared?: 'global' | 'nonlocal';
  loader?: { start: number; end: number; module: string };
}

class BindingImpl implements Binding {
  private _node: Node | undefined;
  /** @internal `x = importlib.import_module("m")`: the callee's range and the module, resolved on first use. */
  loader?: { start: number; end: number; module: string };
  private _imported: string | undefined | null = null;

  constructor(
    private readonly model: SemanticModel,
    readonly name: string,
    readonly kind: BindingKind,
    public scope: Scope,
    node: Node | undefined,
    readonly start: number,
    readonly end: number,
    readonly visibleFrom: number,
    imported?: string,
    public declared?: 'global' | 'nonlocal',
  ) {
    this._node = node;
    if (imported !== undefined) this._imported = imported;
  }

  get node(): Node {
    return (this._node ??= this.model.nodeAt(this.start, this.end));
  }

  get imported(): string | undefined {
    if (this._imported === null) {
      this._imported = undefined;
      if (this.loader) this._imported = this.model.loaded(this.loader);
    }
    return this._imported;
  }
}

function named(n: Node): Node[] {
  const out: Node[] = [];
  for (const c of n.namedChildren) if (c && c.type !== 'comment') out.push(c);
  return out;
}

function escapeWord(name: string): string {
  return name.replace(/[^\w]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The options a model is made with. */
export interface ModelOptions {
  /** RuleContext.pieces: the analysis's pieces, whose memos keep each piece's module bindings between edits. */
  pieces?: readonly Piece[];
}

/** A top-level statement. */
interface Top {
  start: number;
  end: number;
  node: Node;
  mayBind: Map<string, boolean>;
  segment?: Segment;
}

/** A top-level statement, or a statement of a top-level class's body (then `cls` is the class): a unit of indexing. */
interface Segment {
  start: number;
  end: number;
  node: Node;
  cls?: Node;
  body?: Node;
  index?: ScopeInfo[];
  intervals?: Interval[];
  def?: DefInfo | null;
}

/** A top-level def or a method of a top-level class: where its parameter list and body start, and per name what its text binds. */
interface DefInfo {
  start: number;
  end: number;
  body: number;
  params: number;
  names: Map<string, typeof NONE | typeof WALK | number[]>;
  parent: () => Scope;
}

/** A scope found by the scope query: its kind and range, and the ranges of the text that are its own code. */
interface ScopeInfo {
  kind: ScopeKind;
  start: number;
  end: number;
  nodeType: string;
  own: Array<[number, number]>;
  params?: Array<[number, number]>;
  /** The type scope of a generic def or class (its parent). */
  typeScope?: ScopeInfo;
  /** For a type scope: the def or class it belongs to. */
  of?: ScopeInfo;
  scope?: Scope;
}
interface Interval {
  start: number;
  end: number;
  info: ScopeInfo;
}

/**
 * The scopes of a segment and the parts of them that decide where code is evaluated: a def's parameter list
 * (whose defaults and annotations are evaluated around it) and body, a lambda's, a class's body, a comprehension's
 * first iterable (evaluated around it), and the parts of generic defs, classes and type aliases in their type scope.
 */
const SCOPE_QUERY = `
(function_definition) @fn
(function_definition parameters: (_) @fn.params)
(function_definition body: (_) @fn.body)
(function_definition type_parameters: (_) @fn.tp)
(function_definition return_type: (_) @fn.ret)
(lambda) @lam
(lambda parameters: (_) @lam.params)
(lambda body: (_) @lam.body)
(class_definition) @cls
(class_definition body: (_) @cls.body)
(class_definition type_parameters: (_) @cls.tp)
(class_definition superclasses: (_) @cls.bases)
[(list_comprehension) (set_comprehension) (dictionary_comprehension) (generator_expression)] @comp
(for_in_clause) @clause
(for_in_clause right: (_) @iter)
(type_alias_statement) @alias
(type_alias_statement left: (type (generic_type (type_parameter) @alias.tp)))
(type_alias_statement right: (_) @alias.right)
(default_parameter value: (_) @default)
(typed_default_parameter value: (_) @default)
(typed_parameter type: (_) @ann)
(typed_default_parameter type: (_) @ann)
`;
const scopeQueries = new WeakMap<object, Query>();
/** Parts whose end is known from their scope's (a body ends its def; a parameter list ends where the rest of the header starts). */
const STARTS_ONLY = new Set(['fn.params', 'fn.body', 'lam.params', 'lam.body', 'cls.body']);
const CAPTURED_TYPES: Record<string, string> = { fn: 'function_definition', lam: 'lambda', cls: 'class_definition', alias: 'type_alias_statement' };

export class SemanticModel {
  readonly module: Scope;
  private readonly scopes = new Map<string, Scope>();
  /** Bindings by the start of their node (what the walks found so far). */
  private readonly byStart = new Map<number, BindingImpl[]>();
  /** Top-level statements whose module-level code has been walked. */
  private readonly segmentsWalked = new Set<number>();
  private readonly segments = new Map<number, Segment>();
  private readonly pieces: readonly Piece[];
  private readonly moduleCache = new Map<string, readonly Binding[]>();
  private readonly toModule = new Map<string, BindingImpl[]>();
  private complete = false;
  private stars: string[] | undefined;
  private readonly quickCache = new Map<string, QuickAnswer>();
  private readonly tops = new Map<number, Top>();
  private readonly topOfPiece = new Map<Piece, Top>();
  private readonly segmentOfPiece = new Map<Piece, Segment>();
  /** The pieces are the analysis's (many), not the whole text as one. */
  private readonly piecewise: boolean;

  constructor(
    readonly tree: Tree,
    readonly text: string,
    options: ModelOptions = {},
  ) {
    this.module = new Scope(this, 'module', 0, text.length, 'module', undefined, tree.rootNode);
    this.pieces = options.pieces ?? [{ start: 0, end: text.length, memo: new Memo() }];
    this.piecewise = !!options.pieces && options.pieces.length > 1;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Questions rules ask.

  /** The qualified name of the function a call calls (`time.sleep`, `subprocess.Popen`, `open`), or undefined. */
  resolveCall(call: Node): string | undefined {
    const fn = call.type === 'call' ? call.childForFieldName('function') : null;
    return fn ? this.resolve(fn) : undefined;
  }

  /**
   * The qualified name an identifier or attribute chain stands for here: through an import (`pop` after `from
   * subprocess import Popen as pop` is `subprocess.Popen`; `c.d` after `import a.b as c` is `a.b.d`), a module loaded
   * by `importlib.import_module("m")` or `pytest.importorskip("m")`, or a builtin not shadowed (`open`). Undefined for
   * a parameter, a local or module variable, a def or class of the file, an attribute of anything else (`self.x`).
   */
  resolve(n: Node | null | undefined): string | undefined {
    if (!n) return undefined;
    const type = n.type;
    if (type === 'identifier') return this.qualifiedOf(this.lookup(n.text, n));
    if (type === 'attribute') {
      const obj = n.childForFieldName('object');
      const attr = n.childForFieldName('attribute');
      if (!obj || !attr) return undefined;
      const q = this.resolve(obj);
      return q === undefined ? undefined : `${q}.${attr.text}`;
    }
    return undefined;
  }

  private qualifiedOf(r: Resolution): string | undefined {
    if (r.kind === 'builtin') return r.name;
    if (r.kind === 'binding') return r.binding.imported;
    return undefined;
  }

  /** The binding `name` refers to at `node` (undefined for a builtin, a name not bound, or one a star import may bind). */
  bindingAt(name: string, node: Node): Binding | undefined {
    const r = this.lookup(name, node);
    return r.kind === 'binding' ? r.binding : undefined;
  }

  /**
   * True when `name` at `node` stands for something other than an import or a builtin: a parameter, a local, an
   * assignment, a def or class, a name deleted here, or one a star import may bind.
   */
  isShadowed(name: string, node: Node): boolean {
    const r = this.lookup(name, node);
    if (r.kind === 'builtin') return false;
    if (r.kind === 'binding') return r.binding.kind !== 'import' && r.binding.kind !== 'from-import' && r.binding.imported === undefined;
    if (r.kind === 'star') return true;
    return !!r.deletion;
  }

  /**
   * For a name that is a method's first parameter where it is used (`self`, `cls`, or whatever the method calls
   * it; not in a staticmethod), the class the method belongs to.
   */
  receiverClass(n: Node | null | undefined): Scope | undefined {
    if (n?.type !== 'identifier') return undefined;
    const b = this.bindingAt(n.text, n);
    if (!b || b.kind !== 'parameter' || b.scope.kind !== 'function') return undefined;
    const fn = b.scope;
    const params = fn.node.childForFieldName('parameters');
    const first = params ? named(params)[0] : undefined;
    const firstName = first && (first.type === 'identifier' ? first : (first.childForFieldName('name') ?? first.namedChild(0)));
    if (!firstName || firstName.startIndex !== b.start) return undefined;
    let cls = fn.parent;
    if (cls?.kind === 'type') cls = cls.parent;
    if (cls?.kind !== 'class') return undefined;
    const decorated = fn.node.parent?.type === 'decorated_definition' ? fn.node.parent : undefined;
    if (decorated && named(decorated).some((d) => d.type === 'decorator' && /^@\s*staticmethod\b/.test(d.text))) return undefined;
    return cls;
  }

  /** For `self.name` or `cls.name` in a method: the class's own binding of `name` (a method, a class attribute). */
  ownAttribute(attribute: Node): Binding | undefined {
    if (attribute.type !== 'attribute') return undefined;
    const attr = attribute.childForFieldName('attribute');
    const cls = attr && this.receiverClass(attribute.childForFieldName('object'));
    if (!cls) return undefined;
    const own = cls.bindings(attr.text).filter((x) => x.kind !== 'deletion');
    return own[own.length - 1];
  }

  /** The scope `node` is evaluated in (a def's decorators, defaults and name belong to the enclosing scope). */
  scopeOf(node: Node): Scope {
    return this.scopeAt(node.startIndex);
  }

  /**
   * What `name` means at `node`, by Python's rules: the innermost function-like scope that binds it anywhere (a name
   * bound in a function is local to all of it), unless declared global or nonlocal; class bodies only for code
   * directly in them; then the module, then the builtins. In code that runs in order (module, class body, a
   * function's own code) the binding is the last one before `node`; from code that runs later (a def's body), the
   * scope's last binding.
   */
  lookup(name: string, node: Node): Resolution {
    const pos = node.startIndex;
    // The built model answers from its walks alone (the tests compare the shortcuts with it).
    if (this.complete) return this.lookupFrom(name, this.scopeAt(pos), pos);
    return this.inDefBody(name, pos) ?? this.moduleOnly(name, pos) ?? this.lookupFrom(name, this.scopeAt(pos), pos);
  }

  /**
   * The answer without finding the scopes around `pos`, when `pos` is in the body of a top-level def or of a method
   * of a top-level class and every place the word occurs in that def is a read, but for its own parameters: then
   * `name` is that parameter, or (code in a def runs later) the module's last binding of it.
   */
  private inDefBody(name: string, pos: number): Resolution | undefined {
    const d = this.defAround(pos);
    if (!d) return undefined;
    let v = d.names.get(name);
    if (v === undefined) {
      let params: number[] | undefined = [];
      forWords(this.text, name, d.start, d.end, (at) => {
        if (readByText(this.text, at, name.length)) return true;
        const id = this.identifierAt(at, name);
        if (!id) return true;
        const p = id.parent;
        const pt = p?.type ?? '';
        if (NEVER_BINDS_UNDER.has(pt)) return true;
        if (p && isParameterName(id, p, pt, d.params)) {
          params!.push(at);
          return true;
        }
        params = undefined;
        return false;
      });
      v = params === undefined ? WALK : params.length ? params : NONE;
      d.names.set(name, v);
    }
    if (v === NONE) return this.inModule(name, pos, true);
    if (v === WALK) return undefined;
    const fn = this.scopeFor('function', d.start, d.end, 'function_definition', d.parent());
    const at = v[v.length - 1];
    const b =
      this.byStart.get(at)?.find((x) => x.kind === 'parameter' && x.scope === fn) ??
      new BindingImpl(this, name, 'parameter', fn, undefined, at, at + name.length, d.start);
    return { kind: 'binding', binding: b };
  }

  /** The top-level def, or method of a top-level class, whose body holds `pos` (not generic ones). */
  private defAround(pos: number): DefInfo | undefined {
    const seg = this.segmentAt(pos);
    if (seg.def === undefined) {
      seg.def = null;
      let n: Node | null = seg.node;
      if (n.type === 'decorated_definition') n = n.childForFieldName('definition');
      const inClass = !!seg.cls && !(seg.node.startIndex <= seg.cls.startIndex && seg.cls.endIndex <= seg.node.endIndex);
      if (
        n?.type === 'function_definition' &&
        seg.node !== this.tree.rootNode &&
        (!inClass || !seg.cls!.childForFieldName('type_parameters')) &&
        !n.childForFieldName('type_parameters')
      ) {
        const body = n.childForFieldName('body');
        const params = n.childForFieldName('parameters');
        if (body && params) {
          const def = n;
          const cls = inClass ? seg.cls! : undefined;
          seg.def = {
            start: def.startIndex,
            end: def.endIndex,
            body: body.startIndex,
            params: params.startIndex,
            names: new Map(),
            parent: () => (cls ? this.scopeFor('class', cls.startIndex, cls.endIndex, 'class_definition', this.module) : this.module),
          };
        }
      }
    }
    return seg.def && pos >= seg.def.body && pos < seg.def.end ? seg.def : undefined;
  }

  /**
   * The answer without finding the scopes around `pos`, when the top-level statement there cannot bind `name`
   * (every place the word occurs in it is a read) and the module binds it, if at all, before that statement: then
   * only the module's bindings (or the builtins) matter, whichever scope `pos` is in.
   */
  private moduleOnly(name: string, pos: number): Resolution | undefined {
    const top = this.topAt(pos);
    if (!top) return undefined;
    let may = top.mayBind.get(name);
    if (may === undefined) {
      may = false;
      forWords(this.text, name, top.start, top.end, (at) => {
        if (readByText(this.text, at, name.length)) return true;
        const id = this.identifierAt(at, name);
        if (id && !neverBinds(id)) {
          may = true;
          return false;
        }
        return true;
      });
      top.mayBind.set(name, may);
    }
    if (may) return undefined;
    readsName(name);
    const bs = this.bindingsOf(this.module, name);
    if (bs.some((b) => b.visibleFrom > top.start)) return undefined;
    const b = pick(bs, pos, false);
    if (b && b.kind !== 'deletion') return { kind: 'binding', binding: b };
    return this.builtinOrStar(name, b);
  }

  /**
   * The top-level statement around `pos`: its range and node, and per name whether its text may bind it. Found
   * through the analysis's pieces when there are (once per piece), else asked of the tree.
   */
  private topAt(pos: number): Top | undefined {
    const piece = this.pieceAt(pos);
    if (piece) {
      const known = this.topOfPiece.get(piece);
      if (known) return known;
    }
    const top = this.tree.rootNode.firstNamedChildForIndex(pos);
    if (!top || top.startIndex > pos) return undefined;
    let t = this.tops.get(top.startIndex);
    if (!t) {
      t = { start: top.startIndex, end: top.endIndex, node: top, mayBind: new Map() };
      this.tops.set(t.start, t);
    }
    if (pos >= t.end) return undefined;
    if (piece && piece.start >= t.start && piece.end <= t.end) this.topOfPiece.set(piece, t);
    return t;
  }

  /** What the name a reference (from `references()`) reads means. */
  resolveReference(ref: Reference): Resolution {
    return this.lookupFrom(ref.name, ref.scope, ref.node.startIndex);
  }

  private lookupFrom(name: string, start: Scope, pos: number): Resolution {
    let deferred = false;
    let s: Scope | undefined = start;
    let prev: Scope | undefined;
    while (s) {
      const skipClass = s.kind === 'class' && prev !== undefined && !(prev === start && prev.kind === 'type');
      if (!skipClass) {
        if (s.kind === 'module') return this.inModule(name, pos, deferred);
        if (s.kind === 'class') readsName(name);
        const decl = this.declarationOf(s, name);
        if (decl === 'global') return this.inModule(name, pos, true);
        if (decl !== 'nonlocal') {
          const bs = this.bindingsOf(s, name);
          if (bs.length) {
            const b = pick(bs, pos, deferred);
            if (s.kind !== 'class') {
              // A name bound anywhere in a function is local to all of it.
              const local = b ?? pick(bs, pos, true)!;
              return local.kind === 'deletion' ? { kind: 'unbound', deletion: local } : { kind: 'binding', binding: local };
            }
            // A class body not yet binding it (or having deleted it) reads it from further out.
            if (b && b.kind !== 'deletion') return { kind: 'binding', binding: b };
          }
        }
      }
      if (s.kind === 'function' || s.kind === 'lambda' || (s.kind === 'type' && s.nodeType === 'type_alias_statement')) deferred = true;
      prev = s;
      s = s.parent;
    }
    return this.builtinOrStar(name);
  }

  private inModule(name: string, pos: number, deferred: boolean): Resolution {
    readsName(name);
    const bs = this.bindingsOf(this.module, name);
    const b = pick(bs, pos, deferred);
    if (b && b.kind !== 'deletion') return { kind: 'binding', binding: b };
    return this.builtinOrStar(name, b);
  }

  /** A name the module does not bind (here): a star import's, a builtin, or nothing (`del` of a module name shows the builtin again). */
  private builtinOrStar(name: string, deletion?: Binding): Resolution {
    if (this.hasStarImport()) return { kind: 'star', modules: this.starModules() };
    if (BUILTINS.has(name)) return { kind: 'builtin', name };
    return deletion ? { kind: 'unbound', deletion } : { kind: 'unbound' };
  }

  // ---------------------------------------------------------------------------------------------------------------
  // The whole model, for tools and tests.

  /** Builds every scope (one pass over the tree). Lookups work without it; `references()` and `names()` need it. */
  build(): this {
    if (this.complete) return this;
    for (const top of named(this.tree.rootNode)) this.walkSegment(top);
    const todo = [...this.module.children];
    while (todo.length) {
      const s = todo.pop()!;
      if (s.kind !== 'comprehension' && s.kind !== 'type') this.ensureBuilt(s);
      todo.push(...s.children);
    }
    this.complete = true;
    this.moduleCache.clear();
    this.module.cache.clear();
    return this;
  }

  /** Every scope, outermost first (builds the model). */
  allScopes(): Scope[] {
    this.build();
    const out: Scope[] = [];
    const visit = (s: Scope) => {
      out.push(s);
      for (const c of s.children) visit(c);
    };
    visit(this.module);
    return out;
  }

  /** Every identifier the file reads, in the order of the text, with the scope it is read in (builds the model). */
  references(): Reference[] {
    return this.allScopes()
      .flatMap((s) => s.references)
      .sort((a, b) => a.node.startIndex - b.node.startIndex);
  }

  /** @internal Bindings sent to the module by `global` (the model is built). */
  globalBindings(): Binding[] {
    return [...this.toModule.values()].flat();
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Bindings of a scope.

  /** @internal */
  bindingsOf(s: Scope, name: string): readonly Binding[] {
    let v = s.cache.get(name);
    if (v) return v;
    if (s.kind === 'module') v = this.moduleBindings(name);
    else {
      const q = s.kind === 'class' || this.ownerOf(s).built ? WALK : this.quick(s, name);
      if (q === NONE) v = [];
      else if (q !== WALK) v = q;
      else {
        this.ensureBuilt(s);
        const own = s.own.get(name) ?? [];
        const pulled = s.kind === 'function' || s.kind === 'lambda' ? this.pulledNonlocal(s, name) : [];
        v = pulled.length ? [...own, ...pulled].sort((a, b) => a.start - b.start) : own;
      }
    }
    s.cache.set(name, v);
    return v;
  }

  private declarationOf(s: Scope, name: string): 'global' | 'nonlocal' | undefined {
    if (s.kind === 'comprehension' || s.kind === 'type') return undefined;
    if (s.kind !== 'class' && !s.built && this.quick(s, name) !== WALK) return undefined;
    this.ensureBuilt(s);
    return s.declarations.get(name)?.kind;
  }

  /**
   * What the text of a scope says about `name` without walking it: NONE when every place the word occurs in it is
   * a read (`name.attr`, `name(…)`, an argument …), the parameter bindings when the only others are its parameters'
   * names, or WALK. Saves walking a function to learn that `time` is not local or `self` only a parameter.
   */
  private quick(s: Scope, name: string): QuickAnswer {
    const key = `${s.kind}:${s.start}:${s.end}:${name}`;
    let v = this.quickCache.get(key);
    if (v !== undefined) return v;
    v = NONE;
    const params: Binding[] = [];
    for (const at of wordsIn(this.text, name, s.start, s.end)) {
      if (s.params && s.params.some(([a, b]) => a <= at && at < b)) {
        // A parameter's name (its list without defaults and annotations holds nothing else), or a comment there.
        const id = this.identifierAt(at, name);
        if (id) params.push(new BindingImpl(this, name, 'parameter', s, id, at, at + name.length, s.start));
        continue;
      }
      if (readByText(this.text, at, name.length)) continue;
      const id = this.identifierAt(at, name);
      if (id && !neverBinds(id)) {
        v = WALK;
        break;
      }
    }
    if (v !== WALK && params.length) v = params;
    this.quickCache.set(key, v);
    return v;
  }

  /** Bindings of `name` that nested functions' `nonlocal name` send to the function scope `s`. */
  private pulledNonlocal(s: Scope, name: string): Binding[] {
    const out: Binding[] = [];
    for (const at of wordsIn(this.text, 'nonlocal', s.start, s.end)) {
      const kw = this.tree.rootNode.descendantForIndex(at, at + 'nonlocal'.length);
      const stmt = kw?.parent;
      if (stmt?.type !== 'nonlocal_statement' || !named(stmt).some((c) => c.text === name)) continue;
      const g = this.scopeOf(stmt);
      if (g === s) continue;
      this.ensureBuilt(g);
      for (const b of g.redirected) if (b.name === name && b.scope === s) out.push(b);
    }
    return out;
  }

  /** The module's bindings of `name`, put together from the pieces (each keeps its share in its memo). */
  private moduleBindings(name: string): readonly Binding[] {
    let v = this.moduleCache.get(name);
    if (v) return v;
    if (this.complete) {
      v = [...(this.module.own.get(name) ?? []), ...(this.toModule.get(name) ?? [])].sort((a, b) => a.start - b.start);
    } else {
      const out: Binding[] = [];
      for (const p of this.pieces) {
        const plain = p.memo.named(MODULE_BINDINGS, name, () => this.moduleBindingsIn(name, p.start, p.end));
        for (const pb of plain) out.push(this.materialize(pb, p.start));
      }
      v = out;
    }
    this.moduleCache.set(name, v);
    return v;
  }

  /** The module bindings of `name` made in [start, end) of the text, relative to `start` (a piece's memo). */
  private moduleBindingsIn(name: string, start: number, end: number): PlainBinding[] {
    const out: PlainBinding[] = [];
    for (const at of wordsIn(this.text, name, start, end)) {
      if (readByText(this.text, at, name.length)) continue;
      const id = this.identifierAt(at, name);
      if (!id || neverBinds(id)) continue;
      const s = this.scopeAt(at);
      if (this.ownerOf(s) === this.module) this.walkSegment(this.segmentAt(at).node, true);
      else this.ensureBuilt(s);
      for (const b of this.byStart.get(at) ?? []) {
        if (b.name !== name || b.scope !== this.module) continue;
        out.push({
          name,
          kind: b.kind,
          start: b.start - start,
          end: b.end - start,
          visible: b.visibleFrom - start,
          ...(b.loader
            ? { loader: { start: b.loader.start - start, end: b.loader.end - start, module: b.loader.module } }
            : b.imported !== undefined
              ? { imported: b.imported }
              : {}),
          ...(b.declared ? { declared: b.declared } : {}),
        });
      }
      // The deletion `except E as name:` makes when its handler ends has no node of its own.
      for (const b of this.byStart.get(-at - 1) ?? []) {
        if (b.scope === this.module) out.push({ name, kind: 'deletion', start: b.start - start, end: b.end - start, visible: b.visibleFrom - start });
      }
    }
    return out;
  }

  private materialize(pb: PlainBinding, base: number): Binding {
    const walked = this.byStart
      .get(base + pb.start)
      ?.find((b) => b.name === pb.name && b.scope === this.module && b.kind === pb.kind && b.visibleFrom === base + pb.visible);
    if (walked) return walked;
    const b = new BindingImpl(this, pb.name, pb.kind, this.module, undefined, base + pb.start, base + pb.end, base + pb.visible, pb.imported, pb.declared);
    if (pb.loader) b.loader = { start: base + pb.loader.start, end: base + pb.loader.end, module: pb.loader.module };
    return b;
  }

  /** True when a `from m import *` at module level may bind any name. */
  hasStarImport(): boolean {
    return this.starModules().length > 0;
  }

  /** The modules the file imports `*` from, at module level (`from m import *`; a relative one as written, `.m`). */
  starModules(): readonly string[] {
    if (this.stars === undefined) {
      this.stars = [];
      const re = /\bimport\s*\*/g;
      for (let m = re.exec(this.text); m; m = re.exec(this.text)) {
        const at = m.index + m[0].length - 1;
        const n = this.tree.rootNode.descendantForIndex(at, at + 1);
        const w = n?.type === 'wildcard_import' ? n : n?.parent;
        if (w?.type === 'wildcard_import' && this.scopeAt(at) === this.module) {
          this.stars.push(w.parent?.childForFieldName('module_name')?.text ?? '');
        }
      }
    }
    return this.stars;
  }

  /** @internal The module a loader call loads (`importlib.import_module("m")`), if the callee is that loader. */
  loaded(loader: { start: number; end: number; module: string }): string | undefined {
    const callee = this.nodeAt(loader.start, loader.end);
    const how = MODULE_LOADERS.get(this.resolve(callee) ?? '');
    if (!how) return undefined;
    return how === 'top' ? loader.module.split('.')[0] : loader.module;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Where code is evaluated: scopes found by position.

  /** The analysis's piece around `pos`, when the model has the analysis's pieces. */
  private pieceAt(pos: number): Piece | undefined {
    if (!this.piecewise) return undefined;
    const ps = this.pieces;
    let lo = 0,
      hi = ps.length - 1,
      at: Piece | undefined;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (ps[mid].start <= pos) {
        at = ps[mid];
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return at && pos < at.end ? at : undefined;
  }

  /** The segment (top-level statement, or statement of a top-level class's body) around `pos`. */
  private segmentAt(pos: number): Segment {
    const piece = this.pieceAt(pos);
    const known = piece && this.segmentOfPiece.get(piece);
    if (known) return known;
    const found = this.findSegment(pos);
    if (piece && found.start <= piece.start && piece.end <= found.end) this.segmentOfPiece.set(piece, found);
    return found;
  }

  private findSegment(pos: number): Segment {
    const t = this.topAt(pos);
    if (!t) return this.segmentFor(this.tree.rootNode);
    const top = t.node;
    let seg = t.segment;
    if (!seg) {
      seg = { start: top.startIndex, end: t.end, node: top };
      t.segment = seg;
      const cls = top.type === 'class_definition' ? top : top.type === 'decorated_definition' ? top.childForFieldName('definition') : null;
      const body = cls?.type === 'class_definition' ? cls.childForFieldName('body') : null;
      if (body) {
        seg.end = body.startIndex;
        seg.cls = cls!;
        seg.body = body;
      }
      this.segments.set(top.startIndex, seg);
    }
    if (seg.cls && pos >= seg.end) {
      // A statement of the class's body: a segment of its own.
      const body = seg.body!;
      const member = body.firstNamedChildForIndex(pos);
      if (member && member.startIndex <= pos) {
        let m = this.segments.get(member.startIndex);
        if (!m) {
          m = { start: member.startIndex, end: member.endIndex, node: member, cls: seg.cls };
          this.segments.set(member.startIndex, m);
        }
        return m;
      }
      return { start: body.startIndex, end: body.endIndex, node: body, cls: seg.cls };
    }
    return seg;
  }

  private segmentFor(n: Node): Segment {
    let seg = this.segments.get(-1);
    if (!seg) {
      seg = { start: 0, end: 0, node: n };
      this.segments.set(-1, seg);
    }
    return seg;
  }

  /** @internal The scope code at `pos` is evaluated in. */
  scopeAt(pos: number): Scope {
    const seg = this.segmentAt(pos);
    const intervals = this.indexOf(seg);
    let best: Interval | undefined;
    for (const iv of intervals) {
      if (iv.start > pos) break;
      if (pos < iv.end) best = iv;
    }
    return best ? this.scopeOfInfo(best.info, seg) : this.module;
  }

  private indexOf(seg: Segment): Interval[] {
    if (seg.intervals) return seg.intervals;
    const infos: ScopeInfo[] = [];
    if (seg.node !== this.tree.rootNode) {
      let q = scopeQueries.get(this.tree.language);
      if (!q) {
        q = new Query(this.tree.language, SCOPE_QUERY);
        scopeQueries.set(this.tree.language, q);
      }
      const member = seg.cls && !(seg.node.startIndex <= seg.cls.startIndex && seg.cls.endIndex <= seg.node.endIndex);
      const caps = (member ? q.captures(seg.node) : capturesIn(q, seg.node, seg.start, seg.end)).map((c) => ({
        name: c.name,
        start: c.node.startIndex,
        end: STARTS_ONLY.has(c.name) ? c.node.startIndex : c.node.endIndex,
        type: CAPTURED_TYPES[c.name] ?? (c.name === 'comp' ? c.node.type : ''),
      }));
      if (member) {
        // The class around a statement of its body.
        const cls = seg.cls!;
        const body = cls.childForFieldName('body');
        const c: ScopeInfo = {
          kind: 'class',
          start: cls.startIndex,
          end: cls.endIndex,
          nodeType: 'class_definition',
          own: body ? [[body.startIndex, body.endIndex]] : [],
        };
        if (cls.childForFieldName('type_parameters')) c.typeScope = { kind: 'type', start: c.start, end: c.end, nodeType: 'class_definition', own: [], of: c };
        infos.push(c);
        if (c.typeScope) infos.push(c.typeScope);
      }
      infos.push(...scopeInfos(caps));
    }
    const intervals: Interval[] = [];
    for (const info of infos) for (const [start, end] of info.own) if (end > start) intervals.push({ start, end, info });
    intervals.sort((a, b) => a.start - b.start || b.end - a.end);
    seg.index = infos;
    seg.intervals = intervals;
    return intervals;
  }

  /** The Scope of a scope the index found, with its parents. */
  private scopeOfInfo(info: ScopeInfo, seg: Segment): Scope {
    if (info.scope) return info.scope;
    let parent: Scope;
    if (info.typeScope) parent = this.scopeOfInfo(info.typeScope, seg);
    else {
      // The innermost code around the whole scope (for a type scope, around its def or class).
      const self = info.of ?? info;
      let best: Interval | undefined;
      for (const iv of seg.intervals!) {
        if (iv.start > self.start) break;
        if (iv.info === self || iv.info === info || iv.info === self.typeScope) continue;
        if (iv.end >= self.end) best = iv;
      }
      parent = best ? this.scopeOfInfo(best.info, seg) : this.module;
    }
    const s = this.scopeFor(info.kind, info.start, info.end, info.nodeType, parent);
    if (info.params && !s.params) s.params = info.params;
    info.scope = s;
    return s;
  }

  private scopeFor(kind: ScopeKind, start: number, end: number, nodeType: string, parent: Scope, node?: Node): Scope {
    const key = `${kind}:${start}:${end}`;
    let s = this.scopes.get(key);
    if (!s) {
      s = new Scope(this, kind, start, end, nodeType, parent, node);
      this.scopes.set(key, s);
      parent.children.push(s);
    }
    return s;
  }

  /** @internal */
  nodeOfScope(s: Scope): Node {
    let n: Node | null = this.tree.rootNode.descendantForIndex(s.start, s.end);
    while (n && n.type !== s.nodeType && n.parent && n.parent.startIndex === s.start && n.parent.endIndex === s.end) n = n.parent;
    return n ?? this.tree.rootNode;
  }

  /** The scope whose walk fills `s`: comprehensions and type scopes are filled with the scope around them. */
  private ownerOf(s: Scope): Scope {
    let o = s;
    while ((o.kind === 'comprehension' || o.kind === 'type') && o.parent) o = o.parent;
    return o;
  }

  /** @internal */
  ensureBuilt(s: Scope): void {
    const o = this.ownerOf(s);
    if (o.built) return;
    if (o === this.module) {
      // Module-level code is walked one top-level statement at a time.
      if (s !== o) this.walkSegment(this.segmentAt(s.start).node, true);
      return;
    }
    o.built = true;
    const w = new Walker(this);
    const n = o.node;
    if (o.kind === 'class') {
      const body = n.childForFieldName('body');
      if (body) w.visit(body, o);
    } else {
      const params = n.childForFieldName('parameters');
      if (params) w.parameters(params, o);
      const body = n.childForFieldName('body');
      if (body) w.visit(body, o);
    }
    this.redirect(o);
  }

  /** Walks a top-level statement's module-level code (once per tree); `top` may be a class body's statement. */
  private walkSegment(top: Node, up = false): void {
    let t = top;
    if (up) while (t.parent && t.parent.type !== 'module') t = t.parent;
    if (this.segmentsWalked.has(t.startIndex)) return;
    this.segmentsWalked.add(t.startIndex);
    new Walker(this).visit(t, this.module);
  }

  /** Sends the bindings of names declared global or nonlocal in `s` to the module or the enclosing function. */
  private redirect(s: Scope): void {
    if (!s.declarations.size) return;
    for (const [name, d] of s.declarations) {
      const bs = s.own.get(name);
      if (!bs) continue;
      s.own.delete(name);
      const target = d.kind === 'global' ? this.module : this.nonlocalTarget(s, name);
      for (const b of bs) {
        b.declared = d.kind;
        if (target) b.scope = target;
        s.redirected.push(b);
        if (target === this.module) {
          const l = this.toModule.get(name);
          if (l) l.push(b);
          else this.toModule.set(name, [b]);
        }
      }
    }
  }

  /** The function scope a `nonlocal name` in `s` refers to: the nearest enclosing one that binds it. */
  private nonlocalTarget(s: Scope, name: string): Scope | undefined {
    for (let p = s.parent; p && p.kind !== 'module'; p = p.parent) {
      if (p.kind === 'class' || p.kind === 'comprehension' || p.kind === 'type') continue;
      this.ensureBuilt(p);
      const d = p.declarations.get(name)?.kind;
      if (d === 'global') return this.module;
      if (d === 'nonlocal') continue;
      if (p.own.has(name)) return p;
    }
    return undefined;
  }

  /** @internal */
  addBinding(b: BindingImpl, at: Scope): void {
    const l = at.own.get(b.name);
    if (l) l.push(b);
    else at.own.set(b.name, [b]);
    const key = b instanceof DeletionAt ? -b.nameAt - 1 : b.start;
    const s = this.byStart.get(key);
    if (s) s.push(b);
    else this.byStart.set(key, [b]);
  }

  /** @internal */
  newBinding(name: string, kind: BindingKind, scope: Scope, node: Node, visibleFrom: number, imported?: string): BindingImpl {
    return new BindingImpl(this, name, kind, scope, node, node.startIndex, node.endIndex, visibleFrom, imported);
  }

  /** @internal */
  childScope(kind: ScopeKind, n: Node, parent: Scope): Scope {
    return this.scopeFor(kind, n.startIndex, n.endIndex, n.type, parent, n);
  }

  /** @internal */
  nodeAt(start: number, end: number): Node {
    const n = this.tree.rootNode.descendantForIndex(start, end) ?? this.tree.rootNode;
    // `import os` binds the dotted name `os`, whose only child spans it too.
    const p = n.parent;
    return n.type === 'identifier' && p?.type === 'dotted_name' && p.startIndex === start && p.endIndex === end ? p : n;
  }

  private identifierAt(at: number, name: string): Node | undefined {
    const n = this.tree.rootNode.descendantForIndex(at, at + name.length);
    return n && n.type === 'identifier' && n.startIndex === at && n.endIndex === at + name.length ? n : undefined;
  }
}

type QuickAnswer = typeof NONE | typeof WALK | Binding[];
const NONE = 'none' as const;
const WALK = 'walk' as const;

/** True when the identifier `id` (whose parent is `p`, of type `pt`) names a parameter of the list starting at `params`. */
function isParameterName(id: Node, p: Node, pt: string, params: number): boolean {
  if (pt === 'parameters') return p.startIndex === params;
  if (
    pt !== 'typed_parameter' &&
    pt !== 'default_parameter' &&
    pt !== 'typed_default_parameter' &&
    pt !== 'list_splat_pattern' &&
    pt !== 'dictionary_splat_pattern'
  )
    return false;
  const list = p.parent;
  if (list?.type !== 'parameters' || list.startIndex !== params) return false;
  // A default's value may be a bare name too; a typed parameter's annotation is a `type` node.
  return pt === 'default_parameter' || pt === 'typed_default_parameter' ? p.childForFieldName('name')?.startIndex === id.startIndex : true;
}

/** What the scope query found, as scopes with their own code (see ScopeInfo). */
function scopeInfos(caps: ReadonlyArray<{ name: string; start: number; end: number; type: string }>): ScopeInfo[] {
  const of = (name: string) => caps.filter((c) => c.name === name);
  /** The innermost of `owners` around [start, end): a part starts after its owner does (a body may start with a nested def). */
  const innermost = <T extends { start: number; end: number }>(owners: T[], start: number, end: number): T | undefined => {
    let best: T | undefined;
    for (const o of owners) if (o.start < start && end <= o.end && (!best || o.start >= best.start)) best = o;
    return best;
  };
  type Part = [number, number];
  type Def = {
    start: number;
    end: number;
    type: string;
    params?: Part;
    body?: number;
    tp?: Part;
    ret?: Part;
    bases?: Part;
    right?: Part;
    holes: Part[];
    anns: Part[];
  };
  const mk = (c: { start: number; end: number; type: string }): Def => ({ start: c.start, end: c.end, type: c.type, holes: [], anns: [] });
  const fns = of('fn').map(mk),
    lams = of('lam').map(mk),
    clss = of('cls').map(mk),
    aliases = of('alias').map(mk);
  const attach = (owners: Def[], name: string, f: (o: Def, c: { start: number; end: number }) => void) => {
    for (const c of of(name)) {
      const o = innermost(owners, c.start, c.end);
      if (o) f(o, c);
    }
  };
  attach(fns, 'fn.params', (o, c) => {
    o.params = [c.start, c.start];
  });
  attach(fns, 'fn.body', (o, c) => {
    o.body = c.start;
  });
  attach(fns, 'fn.tp', (o, c) => {
    o.tp = [c.start, c.end];
  });
  attach(fns, 'fn.ret', (o, c) => {
    o.ret = [c.start, c.end];
  });
  attach(lams, 'lam.params', (o, c) => {
    o.params = [c.start, c.start];
  });
  attach(lams, 'lam.body', (o, c) => {
    o.body = c.start;
  });
  attach(clss, 'cls.body', (o, c) => {
    o.body = c.start;
  });
  attach(clss, 'cls.tp', (o, c) => {
    o.tp = [c.start, c.end];
  });
  attach(clss, 'cls.bases', (o, c) => {
    o.bases = [c.start, c.end];
  });
  attach(aliases, 'alias.tp', (o, c) => {
    o.tp = [c.start, c.end];
  });
  attach(aliases, 'alias.right', (o, c) => {
    o.right = [c.start, c.end];
  });
  // A parameter list reaches the return annotation or the body (what lies between is `->` or `:`).
  for (const d of [...fns, ...lams]) if (d.params) d.params[1] = d.ret ? d.ret[0] : (d.body ?? d.end);
  // Defaults and annotations belong to the def or lambda whose parameter list holds them.
  const withParams = [...fns, ...lams].filter((d) => d.params).map((d) => ({ start: d.params![0], end: d.params![1], d }));
  for (const c of caps) {
    if (c.name !== 'default' && c.name !== 'ann') continue;
    const o = innermost(withParams, c.start, c.end);
    if (!o) continue;
    o.d.holes.push([c.start, c.end]);
    if (c.name === 'ann') o.d.anns.push([c.start, c.end]);
  }
  const out: ScopeInfo[] = [];
  for (const d of fns) {
    const params = d.params ? subtract(d.params, d.holes) : [];
    const info: ScopeInfo = {
      kind: 'function',
      start: d.start,
      end: d.end,
      nodeType: d.type,
      own: [...params, ...(d.body !== undefined ? [[d.body, d.end] as Part] : [])],
      params,
    };
    if (d.tp) {
      info.typeScope = { kind: 'type', start: d.start, end: d.end, nodeType: d.type, own: [d.tp, ...d.anns, ...(d.ret ? [d.ret] : [])], of: info };
      out.push(info.typeScope);
    }
    out.push(info);
  }
  for (const d of lams) {
    const params = d.params ? subtract(d.params, d.holes) : [];
    const own: Part[] = d.params ? [...params, [d.params[1], d.end]] : [[d.start + 'lambda'.length, d.end]];
    out.push({ kind: 'lambda', start: d.start, end: d.end, nodeType: d.type, own, params });
  }
  for (const d of clss) {
    const info: ScopeInfo = { kind: 'class', start: d.start, end: d.end, nodeType: d.type, own: d.body !== undefined ? [[d.body, d.end]] : [] };
    if (d.tp) {
      info.typeScope = { kind: 'type', start: d.start, end: d.end, nodeType: d.type, own: [d.tp, ...(d.bases ? [d.bases] : [])], of: info };
      out.push(info.typeScope);
    }
    out.push(info);
  }
  for (const d of aliases)
    out.push({ kind: 'type', start: d.start, end: d.end, nodeType: d.type, own: [...(d.tp ? [d.tp] : []), ...(d.right ? [d.right] : [])] });
  // A comprehension is its own code but for its first iterable (after its opening bracket).
  const comps = of('comp').map((c) => ({ ...c, first: undefined as { start: number; end: number } | undefined, iters: [] as Part[] }));
  const clauses = of('clause').map((c) => ({ ...c, iters: [] as Part[] }));
  for (const it of of('iter')) innermost(clauses, it.start, it.end)?.iters.push([it.start, it.end]);
  for (const cl of clauses) {
    const comp = innermost(comps, cl.start, cl.end);
    if (comp && (!comp.first || cl.start < comp.first.start)) {
      comp.first = cl;
      comp.iters = cl.iters;
    }
  }
  for (const c of comps) {
    const own: Part[] = c.iters.length
      ? [
          [c.start + 1, c.iters[0][0]],
          [c.iters[c.iters.length - 1][1], c.end],
        ]
      : [[c.start + 1, c.end]];
    out.push({ kind: 'comprehension', start: c.start, end: c.end, nodeType: c.type, own });
  }
  return out;
}

/** `range` without the `holes` inside it. */
function subtract(range: [number, number], holes: Array<[number, number]>): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let at = range[0];
  for (const [a, b] of [...holes].sort((x, y) => x[0] - y[0])) {
    if (a > at) out.push([at, a]);
    at = Math.max(at, b);
  }
  if (at < range[1]) out.push([at, range[1]]);
  return out;
}

/**
 * True when the text alone shows the word at `at` is read: `name.attr` (outside an import statement) or `name(`
 * (not after `def` or `class`), so it cannot bind the name.
 */
function readByText(text: string, at: number, length: number): boolean {
  let i = at + length;
  while (text[i] === ' ' || text[i] === '\t') i++;
  const next = text[i];
  if (next !== '.' && next !== '(') return false;
  const lineStart = text.lastIndexOf('\n', at - 1) + 1;
  // A statement continued from the line before (a backslash) is not judged by this line alone.
  if (lineStart >= 2 && (text[lineStart - 2] === '\\' || (text[lineStart - 2] === '\r' && text[lineStart - 3] === '\\'))) return false;
  const before = text.slice(lineStart, at);
  if (next === '.') return !/\bimport\b/.test(before) && text[i + 1] !== '.';
  return !/\b(?:def|class)\s*$/.test(before);
}

function sameRange(a: Node, b: Node): boolean {
  return a.startIndex === b.startIndex && a.endIndex === b.endIndex;
}

/** The binding among `bs` (in text order) that code at `pos` sees: the last visible by then, or the last of all. */
function pick(bs: readonly Binding[], pos: number, deferred: boolean): Binding | undefined {
  let out: Binding | undefined;
  for (const b of bs) if ((deferred || b.visibleFrom <= pos) && (!out || b.visibleFrom >= out.visibleFrom)) out = b;
  return out;
}

function neverBinds(id: Node): boolean {
  const p = id.parent;
  return !!p && NEVER_BINDS_UNDER.has(p.type);
}

/** Calls `f` with each offset of `word` as a whole word in [start, end) of the text, until it returns false. */
function forWords(text: string, word: string, start: number, end: number, f: (at: number) => boolean): void {
  const re = new RegExp(`(?<![\\w])${escapeWord(word)}(?![\\w])`, 'g');
  const sub = text.slice(start, end);
  for (let m = re.exec(sub); m; m = re.exec(sub)) if (!f(start + m.index)) return;
}

/** Offsets of `word` as a whole word in [start, end) of the text. */
function wordsIn(text: string, word: string, start: number, end: number): number[] {
  const out: number[] = [];
  const re = new RegExp(`(?<![\\w])${escapeWord(word)}(?![\\w])`, 'g');
  const sub = text.slice(start, end);
  for (let m = re.exec(sub); m; m = re.exec(sub)) out.push(start + m.index);
  return out;
}

/** Each piece's share of the module's bindings of a name (moduleBindings). */
const MODULE_BINDINGS = memoKey<Map<string, PlainBinding[]>>('semantic: module bindings by name');

/**
 * One walk over a scope's own code, recording bindings, declarations, references and nested scopes. Nested defs,
 * lambdas and classes are entered only as far as what runs where they are defined (decorators, defaults,
 * annotations, bases, the name they bind); comprehensions are walked whole, as scopes of their own.
 */
class Walker {
  constructor(private readonly model: SemanticModel) {}

  private bind(id: Node, s: Scope, kind: BindingKind, visibleFrom: number, imported?: string): BindingImpl {
    const b = this.model.newBinding(id.type === 'dotted_name' ? id.text.split('.')[0].trim() : id.text, kind, s, id, visibleFrom, imported);
    this.model.addBinding(b, s);
    return b;
  }

  private ref(id: Node, s: Scope): void {
    s.references.push({ name: id.text, node: id, scope: s });
  }

  /** The scope a walrus binds in: the nearest enclosing one that is not a comprehension. */
  private walrusScope(s: Scope): Scope {
    let t = s;
    while (t.kind === 'comprehension' && t.parent) t = t.parent;
    return t;
  }

  /** A function's or lambda's parameter list, bound in its own scope `s` (defaults and annotations belong outside). */
  parameters(params: Node, s: Scope): void {
    const from = s.node.startIndex;
    for (const p of named(params)) {
      switch (p.type) {
        case 'identifier':
          this.bind(p, s, 'parameter', from);
          break;
        case 'default_parameter':
        case 'typed_default_parameter': {
          const name = p.childForFieldName('name');
          if (name) this.target(name, s, 'parameter', from);
          break;
        }
        case 'typed_parameter': {
          const first = p.namedChild(0);
          if (first) this.target(first, s, 'parameter', from);
          break;
        }
        case 'list_splat_pattern':
        case 'dictionary_splat_pattern':
        case 'tuple_pattern':
          this.target(p, s, 'parameter', from);
          break;
        default:
          break; // the / and * separators
      }
    }
  }

  /** A parameter list's defaults (in `s`, where the def runs) and annotations (in `ann`). */
  private parameterHeaders(params: Node, s: Scope, ann: Scope): void {
    for (const p of named(params)) {
      const value = p.type === 'default_parameter' || p.type === 'typed_default_parameter' ? p.childForFieldName('value') : null;
      if (value) this.visit(value, s);
      const type = p.type === 'typed_parameter' || p.type === 'typed_default_parameter' ? p.childForFieldName('type') : null;
      if (type) this.visit(type, ann);
    }
  }

  /** Type parameters `[T: int, *Ts, **P]`, bound in the type scope `t` (bounds are read there). */
  private typeParameters(tp: Node, t: Scope): void {
    for (const ty of named(tp)) {
      const inner = ty.type === 'type' ? ty.namedChild(0) : ty;
      if (!inner) continue;
      if (inner.type === 'identifier') this.bind(inner, t, 'type-parameter', t.node.startIndex);
      else if (inner.type === 'constrained_type') {
        const [first, ...rest] = named(inner);
        const id = first?.type === 'type' ? first.namedChild(0) : first;
        if (id?.type === 'identifier') this.bind(id, t, 'type-parameter', t.node.startIndex);
        for (const r of rest) this.visit(r, t);
      } else if (inner.type === 'splat_type') {
        const id = named(inner).find((c) => c.type === 'identifier');
        if (id) this.bind(id, t, 'type-parameter', t.node.startIndex);
      } else this.visit(inner, t);
    }
  }

  /** An assignment's (or loop's, with's …) target: names are bound, attributes and subscripts read. */
  target(t: Node, s: Scope, kind: BindingKind, visibleFrom: number): void {
    switch (t.type) {
      case 'identifier':
        this.bind(t, s, kind, visibleFrom);
        break;
      case 'pattern_list':
      case 'tuple_pattern':
      case 'list_pattern':
      case 'tuple':
      case 'list':
      case 'expression_list':
      case 'parenthesized_expression':
      case 'list_splat_pattern':
      case 'list_splat':
      case 'dictionary_splat_pattern':
      case 'as_pattern_target':
        for (const c of named(t)) this.target(c, s, kind, visibleFrom);
        break;
      default:
        this.visit(t, s); // attribute, subscript: reads
    }
  }

  visit(n: Node, s: Scope): void {
    switch (n.type) {
      case 'identifier':
        this.ref(n, s);
        return;
      case 'comment':
      case 'string_content':
      case 'integer':
      case 'float':
      case 'true':
      case 'false':
      case 'none':
      case 'escape_sequence':
      case 'keyword_separator':
      case 'positional_separator':
      case 'pass_statement':
      case 'break_statement':
      case 'continue_statement':
        return;
      case 'attribute': {
        const obj = n.childForFieldName('object');
        if (obj) this.visit(obj, s);
        return;
      }
      case 'keyword_argument': {
        const v = n.childForFieldName('value');
        if (v) this.visit(v, s);
        return;
      }
      case 'dotted_name': {
        // outside imports and patterns: a name and its attributes
        const first = n.namedChild(0);
        if (first) this.visit(first, s);
        return;
      }
      case 'import_statement':
        this.importStatement(n, s);
        return;
      case 'import_from_statement':
      case 'future_import_statement':
        this.fromImport(n, s);
        return;
      case 'assignment':
        this.assignment(n, s, n.endIndex);
        return;
      case 'augmented_assignment': {
        const right = n.childForFieldName('right');
        if (right) this.visit(right, s);
        const left = n.childForFieldName('left');
        if (left?.type === 'identifier') {
          this.ref(left, s);
          this.bind(left, s, 'augmented-assignment', n.endIndex);
        } else if (left) this.visit(left, s);
        return;
      }
      case 'for_statement': {
        const right = n.childForFieldName('right');
        if (right) this.visit(right, s);
        const body = n.childForFieldName('body');
        const left = n.childForFieldName('left');
        if (left) this.target(left, s, 'for-target', body ? body.startIndex : n.endIndex);
        for (const c of named(n)) if (!(left && sameRange(c, left)) && !(right && sameRange(c, right))) this.visit(c, s);
        return;
      }
      case 'with_item': {
        const value = n.childForFieldName('value');
        if (value?.type === 'as_pattern') {
          const alias = value.childForFieldName('alias');
          for (const c of named(value)) if (!(alias && sameRange(c, alias))) this.visit(c, s);
          if (alias) this.target(alias, s, 'with-target', n.endIndex);
        } else if (value) this.visit(value, s);
        return;
      }
      case 'except_clause':
        this.exceptClause(n, s);
        return;
      case 'named_expression': {
        const value = n.childForFieldName('value');
        if (value) this.visit(value, s);
        const name = n.childForFieldName('name');
        if (name) this.bind(name, this.walrusScope(s), 'named-expression', n.endIndex);
        return;
      }
      case 'global_statement':
      case 'nonlocal_statement': {
        if (s.kind === 'module') return;
        const kind = n.type === 'global_statement' ? 'global' : 'nonlocal';
        for (const id of named(n)) if (id.type === 'identifier' && !s.declarations.has(id.text)) s.declarations.set(id.text, { kind, node: id });
        return;
      }
      case 'delete_statement': {
        for (const c of named(n)) this.deletion(c, s, n.endIndex);
        return;
      }
      case 'decorated_definition': {
        for (const c of named(n)) {
          if (c.type === 'decorator') this.visit(c, s);
        }
        const def = n.childForFieldName('definition');
        if (def) this.visit(def, s);
        return;
      }
      case 'function_definition':
        this.functionHeader(n, s);
        return;
      case 'class_definition':
        this.classHeader(n, s);
        return;
      case 'lambda': {
        const params = n.childForFieldName('parameters');
        if (params) this.parameterHeaders(params, s, s);
        this.model.childScope('lambda', n, s);
        return;
      }
      case 'list_comprehension':
      case 'set_comprehension':
      case 'dictionary_comprehension':
      case 'generator_expression':
        this.comprehension(n, s);
        return;
      case 'match_statement':
        this.matchStatement(n, s);
        return;
      case 'type_alias_statement':
        this.typeAlias(n, s);
        return;
      default:
        for (const c of named(n)) this.visit(c, s);
    }
  }

  private importStatement(n: Node, s: Scope): void {
    for (const item of n.childrenForFieldName('name')) {
      if (!item) continue;
      if (item.type === 'aliased_import') {
        const dotted = item.childForFieldName('name');
        const alias = item.childForFieldName('alias');
        if (dotted && alias) this.bind(alias, s, 'import', n.endIndex, dotted.text.replace(/\s+/g, ''));
      } else if (item.type === 'dotted_name') {
        const top = item.text.replace(/\s+/g, '').split('.')[0];
        this.bind(item, s, 'import', n.endIndex, top);
      }
    }
  }

  private fromImport(n: Node, s: Scope): void {
    const modNode = n.type === 'future_import_statement' ? null : n.childForFieldName('module_name');
    const module = n.type === 'future_import_statement' ? '__future__' : modNode ? modNode.text.replace(/\s+/g, '') : undefined;
    if (module === undefined) return;
    const prefix = /^\.+$/.test(module) ? module : `${module}.`;
    for (const item of n.childrenForFieldName('name')) {
      if (!item) continue;
      const dotted = item.type === 'aliased_import' ? item.childForFieldName('name') : item;
      const alias = item.type === 'aliased_import' ? item.childForFieldName('alias') : item;
      if (!dotted || !alias) continue;
      this.bind(alias, s, 'from-import', n.endIndex, `${prefix}${dotted.text.replace(/\s+/g, '')}`);
    }
    // `from m import *` binds names nobody can list: the model asks hasStarImport().
  }

  private assignment(n: Node, s: Scope, visibleFrom: number): void {
    const right = n.childForFieldName('right');
    const type = n.childForFieldName('type');
    const left = n.childForFieldName('left');
    if (right) {
      if (right.type === 'assignment') this.assignment(right, s, visibleFrom);
      else this.visit(right, s);
    }
    if (type) this.visit(type, s);
    if (!left) return;
    const kind: BindingKind = !right ? 'annotation' : type ? 'annotated-assignment' : 'assignment';
    if (left.type === 'identifier' && right?.type === 'call' && LOADER_WORDS.test(this.model.text.slice(right.startIndex, right.endIndex))) {
      const loader = moduleLoader(right);
      if (loader) {
        const b = this.bind(left, s, kind, visibleFrom);
        b.loader = loader;
        return;
      }
    }
    if (!right && left.type !== 'identifier') {
      this.visit(left, s);
      return;
    } // `x.y: int` binds nothing
    this.target(left, s, kind, visibleFrom);
  }

  private exceptClause(n: Node, s: Scope): void {
    const block = named(n).find((c) => c.type === 'block');
    const handlerName = (alias: Node) => {
      const id = alias.type === 'as_pattern_target' ? alias.namedChild(0) : alias;
      if (id?.type === 'identifier') {
        this.bind(id, s, 'except-handler', block ? block.startIndex : n.endIndex);
        // The name is deleted when the handler ends.
        this.model.addBinding(new DeletionAt(this.model, id.text, s, n.endIndex, id.startIndex), s);
      } else if (id) this.target(id, s, 'except-handler', block ? block.startIndex : n.endIndex);
    };
    const direct = n.childForFieldName('alias'); // `except E, e` (Python 2)
    for (const c of named(n)) {
      if (c.type === 'block' || (direct && sameRange(c, direct))) continue;
      if (c.type === 'as_pattern') {
        const alias = c.childForFieldName('alias');
        for (const x of named(c)) if (!(alias && sameRange(x, alias))) this.visit(x, s);
        if (alias) handlerName(alias);
      } else this.visit(c, s);
    }
    if (direct) handlerName(direct);
    if (block) this.visit(block, s);
  }

  private deletion(t: Node, s: Scope, visibleFrom: number): void {
    switch (t.type) {
      case 'identifier':
        this.bind(t, s, 'deletion', visibleFrom);
        break;
      case 'expression_list':
      case 'tuple':
      case 'list':
      case 'parenthesized_expression':
      case 'pattern_list':
        for (const c of named(t)) this.deletion(c, s, visibleFrom);
        break;
      default:
        this.visit(t, s);
    }
  }

  private functionHeader(n: Node, s: Scope): void {
    const tp = n.childForFieldName('type_parameters');
    const t = tp ? this.model.childScope('type', n, s) : s;
    if (tp) this.typeParameters(tp, t);
    const params = n.childForFieldName('parameters');
    if (params) this.parameterHeaders(params, s, t);
    const ret = n.childForFieldName('return_type');
    if (ret) this.visit(ret, t);
    this.model.childScope('function', n, t);
    const name = n.childForFieldName('name');
    if (name) this.bind(name, s, 'function', outerEnd(n));
  }

  private classHeader(n: Node, s: Scope): void {
    const tp = n.childForFieldName('type_parameters');
    const t = tp ? this.model.childScope('type', n, s) : s;
    if (tp) this.typeParameters(tp, t);
    const bases = n.childForFieldName('superclasses');
    if (bases) this.visit(bases, t);
    this.model.childScope('class', n, t);
    const name = n.childForFieldName('name');
    if (name) this.bind(name, s, 'class', outerEnd(n));
  }

  private comprehension(n: Node, s: Scope): void {
    const parts = named(n);
    const first = parts.find((c) => c.type === 'for_in_clause');
    const c = this.model.childScope('comprehension', n, s);
    if (first) for (const r of clauseIterables(first)) this.visit(r, s);
    const from = n.startIndex;
    for (const part of parts) {
      if (part.type === 'for_in_clause') {
        if (part !== first && !sameRange(part, first!)) for (const r of clauseIterables(part)) this.visit(r, c);
        const left = part.childForFieldName('left');
        if (left) this.target(left, c, 'for-target', from);
      } else this.visit(part, c); // the element (or key: value) and the if clauses
    }
  }

  private matchStatement(n: Node, s: Scope): void {
    const body = n.childForFieldName('body');
    for (const c of named(n)) if (!(body && sameRange(c, body))) this.visit(c, s); // the subject
    if (!body) return;
    for (const clause of named(body)) {
      if (clause.type !== 'case_clause') {
        this.visit(clause, s);
        continue;
      }
      for (const c of named(clause)) {
        if (c.type === 'case_pattern') this.pattern(c, s, c.endIndex);
        else this.visit(c, s); // the guard, then the block
      }
    }
  }

  /** A case pattern: capture names are bound, value patterns (`Color.RED`) and class names read. */
  private pattern(p: Node, s: Scope, visibleFrom: number): void {
    switch (p.type) {
      case 'dotted_name': {
        const ids = named(p);
        if (ids.length === 1 && ids[0].type === 'identifier') this.bind(ids[0], s, 'match-capture', visibleFrom);
        else if (ids[0]) this.ref(ids[0], s);
        return;
      }
      case 'identifier':
        this.bind(p, s, 'match-capture', visibleFrom);
        return; // `as y`, `*rest`, `**kw`
      case 'class_pattern': {
        const [cls, ...rest] = named(p);
        if (cls?.type === 'dotted_name') {
          const first = cls.namedChild(0);
          if (first) this.ref(first, s);
        } else if (cls) this.pattern(cls, s, visibleFrom);
        for (const r of rest) this.pattern(r, s, visibleFrom);
        return;
      }
      case 'keyword_pattern': {
        const [, ...rest] = named(p); // the keyword is an attribute name
        for (const r of rest) this.pattern(r, s, visibleFrom);
        return;
      }
      case 'dict_pattern': {
        const keys = new Set(
          p
            .childrenForFieldName('key')
            .filter((k): k is Node => !!k)
            .map((k) => k.startIndex),
        );
        for (const c of named(p)) {
          if (keys.has(c.startIndex)) {
            if (c.type === 'dotted_name') {
              const f = c.namedChild(0);
              if (f) this.ref(f, s);
            }
          } else this.pattern(c, s, visibleFrom);
        }
        return;
      }
      case 'case_pattern':
      case 'as_pattern':
      case 'list_pattern':
      case 'tuple_pattern':
      case 'union_pattern':
      case 'splat_pattern':
        for (const c of named(p)) this.pattern(c, s, visibleFrom);
        return;
      default:
        this.visit(p, s); // literals; anything else is read
    }
  }

  private typeAlias(n: Node, s: Scope): void {
    const left = n.childForFieldName('left');
    const right = n.childForFieldName('right');
    const t = this.model.childScope('type', n, s);
    const g = left?.namedChild(0);
    if (g?.type === 'generic_type') {
      const [name, ...rest] = named(g);
      for (const r of rest) if (r.type === 'type_parameter') this.typeParameters(r, t);
      if (name?.type === 'identifier') this.bind(name, s, 'type-alias', n.endIndex);
    } else if (g?.type === 'identifier') this.bind(g, s, 'type-alias', n.endIndex);
    if (right) this.visit(right, t);
  }
}

/** A deletion with no node of its own (the implicit `del e` at the end of `except E as e:`). */
class DeletionAt extends BindingImpl {
  /** `nameAt`: where the handler's name is (what the deletion is filed under). */
  constructor(
    model: SemanticModel,
    name: string,
    scope: Scope,
    at: number,
    readonly nameAt: number,
  ) {
    super(model, name, 'deletion', scope, undefined, at, at, at);
  }
}

/** Where a def or class ends, decorators included. */
function outerEnd(def: Node): number {
  return def.endIndex;
}

/** The iterables of a for clause (everything after `in`). */
function clauseIterables(clause: Node): Node[] {
  const left = clause.childForFieldName('left');
  return named(clause).filter((c) => !(left && sameRange(c, left)));
}

/** `importlib.import_module("m")`, `pytest.importorskip("m")`, `__import__("m")`: the callee and the module. */
function moduleLoader(call: Node): { start: number; end: number; module: string } | undefined {
  const fn = call.childForFieldName('function');
  const args = call.childForFieldName('arguments');
  if (!fn || !args || (fn.type !== 'attribute' && fn.type !== 'identifier')) return undefined;
  const last = fn.type === 'attribute' ? fn.childForFieldName('attribute')?.text : fn.text;
  if (last !== 'import_module' && last !== 'importorskip' && last !== '__import__') return undefined;
  const first = args.namedChild(0);
  if (first?.type !== 'string') return undefined;
  const m = /^(?:[rRuU]|)(['"])([\w.]+)\1$/.exec(first.text);
  if (!m || m[2].startsWith('.')) return undefined;
  return { start: fn.startIndex, end: fn.endIndex, module: m[2] };
}

const MODEL = memoKey<SemanticModel>('python semantic model');

/**
 * The model of the file being analysed, made on first use and shared by every rule of the analysis. Its answers
 * record what they read across the file (analysis/reads.ts), so a rule asking it needs no record of its own.
 */
export function pythonModel(ctx: RuleContext): SemanticModel {
  return ctx.memo(MODEL, () => new SemanticModel(ctx.tree, ctx.text, { pieces: ctx.pieces }));
}
