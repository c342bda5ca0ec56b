// Facts about a Python file that several rules need: scopes, loops, imports, bound names, the import block.
import { Query, type Node, type Tree } from 'web-tree-sitter';
import { indentAt, lineStartOf, nextLineStart, eolOf } from '../../../analysis/text';
import { readsName } from '../../../analysis/reads';
import { bindsName } from '../../../analysis/python/bindings';
import { pythonModel, type SemanticModel } from '../../../analysis/python/semantic';
import { memoKey } from '../../../analysis/memo';
import { frequency } from '../../../analysis/frequency';
import type { Piece, RuleContext, TextEdit } from '../../../analysis/types';
import { piecesOr, sameNode, walkAll, walkPruned, within } from '../tree';

export { sameNode, walkAll, within };

export const SCOPE_TYPES = new Set(['function_definition', 'lambda', 'class_definition']);
export const LOOP_TYPES = new Set(['for_statement', 'while_statement']);
export const COMPREHENSION_TYPES = new Set(['list_comprehension', 'set_comprehension', 'dictionary_comprehension', 'generator_expression']);

export function isAsyncDef(n: Node): boolean {
  return n.type === 'function_definition' && n.child(0)?.type === 'async';
}

export function isLoopBodyOf(n: Node, loop: Node): boolean {
  const body = loop.childForFieldName('body');
  return !!body && within(n, body);
}

/** Walks a subtree without descending into nested defs, lambdas and classes. */
export function walkScope(root: Node, includeRoot = true): Generator<Node> {
  return walkPruned(root, (n) => SCOPE_TYPES.has(n.type), includeRoot);
}

export interface ImportedName {
  name: string;
  alias?: string;
  node: Node;
}
export interface ImportInfo {
  node: Node;
  kind: 'import' | 'from';
  module: string; // dotted module ('' for `from . import x` styles: then relative is set)
  relative: boolean;
  names: ImportedName[];
  wildcard: boolean;
}

interface Region {
  start: number;
  end: number;
  node: Node;
  kind: 'scope' | 'loop';
  async: boolean;
  bodyStart: number;
  bodyEnd: number;
  parent: number;
}

const REGION_QUERY = '[(function_definition) (lambda) (class_definition) (for_statement) (while_statement)] @region';
const IMPORT_WORD = /\b(?:import|from)\b/g;
const compiled = new Map<string, Query>();
function query(tree: Tree, source: string): Query {
  let q = compiled.get(source);
  if (!q) {
    q = new Query(tree.language, source);
    compiled.set(source, q);
  }
  return q;
}

/**
 * Facts about one parsed file, computed on first use and shared by every rule for that tree. Lookups that
 * would walk the tree from JavaScript (slow: every node crosses the WASM boundary) use queries instead.
 */
export class PyFacts {
  private _bindings: Map<string, string> | undefined;
  private _topImports: ImportInfo[] | undefined;
  private readonly _regions = new Map<number, Region[]>();
  private readonly assignedCache = new Map<string, boolean>();
  /** What file-wide facts are put together from: the analysis's pieces with their memos, or the whole text. */
  private readonly pieces: readonly Piece[];

  /** `pieces`: RuleContext.pieces, when the analysis keeps them between edits. */
  constructor(
    private readonly ctx: RuleContext,
    readonly tree: Tree = ctx.tree,
    readonly text: string = ctx.text,
    pieces: readonly Piece[] | undefined = ctx.pieces,
  ) {
    this.pieces = piecesOr(pieces, text);
  }

  /** The import statements in [start, end) of the text. With `topLevelOnly`, those of the module's own body. */
  private importStatements(start: number, end: number, topLevelOnly = false): Node[] {
    const out: Node[] = [];
    let last = -1;
    IMPORT_WORD.lastIndex = start;
    for (let m = IMPORT_WORD.exec(this.text); m && m.index < end; m = IMPORT_WORD.exec(this.text)) {
      // A statement of the module's body begins its line, or follows a `;` on it.
      if (topLevelOnly && !/^[ \t]*$|;/.test(this.text.slice(this.text.lastIndexOf('\n', m.index - 1) + 1, m.index))) continue;
      const word = this.tree.rootNode.descendantForIndex(m.index, m.index + m[0].length);
      const stmt = word?.parent;
      if (!word || word.type !== m[0] || !stmt || (stmt.type !== 'import_statement' && stmt.type !== 'import_from_statement')) continue;
      if (stmt.startIndex === last || stmt.endIndex > end) continue; // `from x import y`: both words lead to one statement
      if (topLevelOnly && stmt.parent?.type !== 'module') continue;
      last = stmt.startIndex;
      out.push(stmt);
    }
    return out;
  }

  /** The names each import statement binds, as qualified names: `np` -> `numpy`, `sleep` -> `time.sleep`. */
  private get bindings(): Map<string, string> {
    if (!this._bindings) {
      this._bindings = new Map();
      // Piece by piece, in order (a later import of a name wins), each piece's from its memo when it has one.
      for (const p of this.pieces) {
        for (const [name, qualified] of p.memo.get(IMPORT_BINDINGS, () => bindingsOf(this.importStatements(p.start, p.end).flatMap((n) => this.importsOf(n)))))
          this._bindings.set(name, qualified);
      }
    }
    return this._bindings;
  }

  /** The qualified name an import anywhere in the file binds `name` to (a read of `name` across the file). */
  binding(name: string): string | undefined {
    readsName(name);
    return this.bindings.get(name);
  }

  /** True when the file binds `name` other than by an import (assignment, def, parameter, loop target …). */
  isAssigned(name: string): boolean {
    readsName(name);
    let v = this.assignedCache.get(name);
    if (v === undefined) {
      const word = name.replace(/[^\w]/g, '');
      const re = new RegExp(`(?<![\\w.])${word}(?!\\w)`, 'g');
      v = this.pieces.some((p) => p.memo.named(BINDS_NAME, name, () => this.bindsIn(re, word.length, p.start, p.end)));
      this.assignedCache.set(name, v);
    }
    return v;
  }

  /** True when [start, end) of the text binds the word `re` finds (see isAssigned). */
  private bindsIn(re: RegExp, length: number, start: number, end: number): boolean {
    re.lastIndex = start;
    for (let m = re.exec(this.text); m && m.index + length <= end; m = re.exec(this.text)) {
      const n = this.tree.rootNode.descendantForIndex(m.index, m.index + length);
      if (n && n.type === 'identifier' && bindsName(n)) return true;
    }
    return false;
  }

  /**
   * Defs, lambdas, classes and loops of the piece of the file around `n` (a top-level statement, or a statement in
   * the body of a top-level class: the analysis's pieces), in document order, each with the index of its enclosing
   * region; a class member's list starts with its class. Found per piece, so an edit re-reads only its own.
   */
  private regionsOf(n: Node): Region[] {
    let top = n;
    let cls: Node | undefined;
    for (let p = n.parent; p && p.type !== 'module'; top = p, p = p.parent) {
      const c = p.type === 'block' ? p.parent : null;
      if (
        c?.type === 'class_definition' &&
        (c.parent?.type === 'module' || (c.parent?.type === 'decorated_definition' && c.parent.parent?.type === 'module'))
      ) {
        cls = c;
        break;
      }
    }
    let out = this._regions.get(top.id);
    if (out) return out;
    out = [];
    const stack: number[] = [];
    if (cls) {
      out.push({ start: cls.startIndex, end: cls.endIndex, node: cls, kind: 'scope', async: false, bodyStart: -1, bodyEnd: -1, parent: -1 });
      stack.push(0);
    }
    for (const { node } of query(this.tree, REGION_QUERY).captures(top)) {
      const start = node.startIndex,
        end = node.endIndex;
      while (stack.length && out[stack[stack.length - 1]].end <= start) stack.pop();
      const loop = node.type === 'for_statement' || node.type === 'while_statement';
      const body = loop ? node.childForFieldName('body') : null;
      out.push({
        start,
        end,
        node,
        kind: loop ? 'loop' : 'scope',
        async: node.type === 'function_definition' && this.text.startsWith('async', start),
        bodyStart: body ? body.startIndex : -1,
        bodyEnd: body ? body.endIndex : -1,
        parent: stack.length ? stack[stack.length - 1] : -1,
      });
      stack.push(out.length - 1);
    }
    this._regions.set(top.id, out);
    return out;
  }

  /** The innermost region strictly around [start, end) (not the node itself). */
  private innermost(n: Node): [Region[], number] {
    const rs = this.regionsOf(n);
    const start = n.startIndex,
      end = n.endIndex;
    let lo = 0,
      hi = rs.length - 1,
      at = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (rs[mid].start <= start) {
        at = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    while (at >= 0) {
      const r = rs[at];
      const isSelf = r.start === start && r.end === end && r.node.type === n.type;
      if (!isSelf && r.start <= start && end <= r.end) return [rs, at];
      at = isSelf ? r.parent : r.end <= start ? r.parent : at - 1;
    }
    return [rs, -1];
  }

  /** The nearest enclosing def, lambda or class (the boundary of "runs when this code runs"). */
  enclosingScope(n: Node): Node | undefined {
    const [rs, at] = this.innermost(n);
    for (let i = at; i >= 0; i = rs[i].parent) if (rs[i].kind === 'scope') return rs[i].node;
    return undefined;
  }

  /** True inside an `async def`, with no nested plain def, lambda or class in between. */
  inAsyncDef(n: Node): boolean {
    const [rs, at] = this.innermost(n);
    for (let i = at; i >= 0; i = rs[i].parent) if (rs[i].kind === 'scope') return rs[i].async;
    return false;
  }

  /**
   * The loops (innermost first) whose body runs `n` once per iteration, up to the enclosing scope.
   * The else clause and the header (iterable, condition) run once, so they do not count.
   */
  enclosingLoops(n: Node): Node[] {
    const out: Node[] = [];
    const [rs, at] = this.innermost(n);
    for (let i = at; i >= 0; i = rs[i].parent) {
      const r = rs[i];
      if (r.kind === 'scope') break;
      if (r.bodyStart <= n.startIndex && n.endIndex <= r.bodyEnd) out.push(r.node);
    }
    return out;
  }

  /**
   * The for/while loops around `n` that repeat it (analysis/frequency.ts), innermost first: enclosingLoops without
   * those that run it at most once per entry (it leaves the loop right after), iterate a few literal items, or
   * retry until the first success. What the loop rules count as evidence that `n` runs many times per call.
   */
  repeatingLoops(n: Node): Node[] {
    if (!this.enclosingLoops(n).length) return []; // most nodes: no loop, known from the regions
    return frequency(n, this.ctx).loops.filter((l) => LOOP_TYPES.has(l.type));
  }

  /** inLoop, counting only the loops and comprehensions that repeat `n` (see repeatingLoops). */
  repeats(n: Node): boolean {
    return this.inLoop(n) && frequency(n, this.ctx).repeats;
  }

  /** What one import statement imports: one entry per module of an `import a, b`, one for a `from` import. */
  importsOf(n: Node): ImportInfo[] {
    if (n.type === 'import_statement') {
      const out: ImportInfo[] = [];
      for (const item of n.childrenForFieldName('name')) {
        if (!item) continue;
        const dotted = item.type === 'aliased_import' ? item.childForFieldName('name')! : item;
        const alias = item.type === 'aliased_import' ? item.childForFieldName('alias')?.text : undefined;
        const module = dotted.text.replace(/\s+/g, '');
        out.push({ node: n, kind: 'import', module, relative: false, names: [{ name: module, alias, node: item }], wildcard: false });
      }
      return out;
    }
    const modNode = n.childForFieldName('module_name');
    if (!modNode) return [];
    const relative = modNode.type === 'relative_import';
    const module = modNode.text.replace(/\s+/g, '');
    const names: ImportedName[] = [];
    for (const item of n.childrenForFieldName('name')) {
      if (!item) continue;
      const dotted = item.type === 'aliased_import' ? item.childForFieldName('name')! : item;
      const alias = item.type === 'aliased_import' ? item.childForFieldName('alias')?.text : undefined;
      names.push({ name: dotted.text, alias, node: item });
    }
    const wildcard = n.namedChildren.some((c) => c?.type === 'wildcard_import');
    return [{ node: n, kind: 'from', module, relative, names, wildcard }];
  }

  /**
   * The qualified name a call's function expression refers to where it is (`time.sleep`, `subprocess.Popen`,
   * `open`), or undefined: resolved per scope by the semantic model (a parameter or local of that name, or a method
   * of the same name in some class, does not matter elsewhere). The model records the names it looks up across the
   * file (analysis/reads.ts) and keeps each piece's module bindings in the piece's memo.
   */
  qualify(fn: Node | null | undefined): string | undefined {
    return fn ? this.model.resolve(fn) : undefined;
  }

  /** The file's semantic model (analysis/python/semantic.ts): scopes, bindings, what a name means where it is used. */
  get model(): SemanticModel {
    return (this._model ??= pythonModel(this.ctx));
  }
  private _model: SemanticModel | undefined;

  /**
   * True when `n` runs inside `with pytest.raises(…):` or `with self.assertRaises(…):` (and its Regex forms) in
   * its own function: the code is expected to fail there, usually before doing the work a rule is about.
   */
  expectedToRaise(n: Node): boolean {
    for (let p = n.parent; p && !SCOPE_TYPES.has(p.type); p = p.parent) {
      if (p.type !== 'with_statement') continue;
      const clause = p.namedChildren.find((c) => c?.type === 'with_clause');
      for (const item of clause?.namedChildren ?? []) {
        let v = item?.childForFieldName('value');
        if (v?.type === 'as_pattern') v = v.namedChild(0);
        if (v?.type !== 'call') continue;
        const fn = v.childForFieldName('function');
        if (!fn) continue;
        const q = this.qualify(fn);
        if (q === 'pytest.raises' || q === 'unittest.TestCase.assertRaises') return true;
        // `self.assertRaises(…)`: a method of the test case, called on the method's first parameter.
        if (
          fn.type === 'attribute' &&
          /^assertRaises(Regex|Regexp)?$/.test(fn.childForFieldName('attribute')?.text ?? '') &&
          this.model.receiverClass(fn.childForFieldName('object'))
        )
          return true;
      }
    }
    return false;
  }

  /**
   * A name not yet used, derived from `base`. With `scope` (a def or lambda), only that function's text must
   * not use it: a local there cannot clash with names in other functions, and any global it reads is in its text.
   */
  freshName(base: string, scope?: Node): string {
    const local = scope && scope.type !== 'class_definition';
    const text = local ? scope.text : this.text;
    const used = (name: string) => {
      if (!local) readsName(name); // looked up in the whole file
      return new RegExp(`(?<![\\w.])${name}(?!\\w)`).test(text);
    };
    if (!used(base)) return base;
    for (let i = 2; ; i++) if (!used(`${base}${i}`)) return `${base}${i}`;
  }

  /**
   * True when `n` runs repeatedly: inside a for/while body, or in a comprehension's element, condition or
   * later clause (the first iterable is evaluated once), before reaching a def, lambda or class.
   */
  inLoop(n: Node): boolean {
    if (this.enclosingLoops(n).length) return true;
    let child = n;
    for (let p = n.parent; p; child = p, p = p.parent) {
      if (SCOPE_TYPES.has(p.type)) return false;
      if (COMPREHENSION_TYPES.has(p.type)) {
        const first = p.namedChildren.find((c) => c?.type === 'for_in_clause');
        const iterable = first?.childForFieldName('right');
        if (!(iterable && within(n, iterable))) return true;
      }
      void child;
    }
    return false;
  }

  /** Top-level imports that start before `offset`. */
  topImportsBefore(offset: number): ImportInfo[] {
    this._topImports ??= this.importStatements(0, this.text.length, true).flatMap((n) => this.importsOf(n));
    return this._topImports.filter((i) => i.node.endIndex <= offset);
  }

  /** Where a new module-level import goes: after the leading import block (or docstring, or header comments). */
  importInsertionPoint(): number {
    if (this._insertAt === undefined) this._insertAt = this.computeInsertionPoint();
    return this._insertAt;
  }
  private _insertAt: number | undefined;

  private computeInsertionPoint(): number {
    let after: Node | undefined;
    let sawDocstring = false;
    for (const c of this.tree.rootNode.namedChildren) {
      if (!c) continue;
      if (c.type === 'comment') {
        if (!after) continue;
        else continue;
      }
      if (!sawDocstring && !after && c.type === 'expression_statement' && c.namedChild(0)?.type === 'string') {
        sawDocstring = true;
        after = c;
        continue;
      }
      if (c.type === 'import_statement' || c.type === 'import_from_statement' || c.type === 'future_import_statement') {
        after = c;
        continue;
      }
      break;
    }
    if (after) return nextLineStart(this.text, after.endIndex);
    // No imports and no docstring: after leading comment lines (shebang, encoding, licence).
    let at = 0;
    while (at < this.text.length && this.text[at] === '#') at = nextLineStart(this.text, at);
    return at;
  }

  /**
   * An edit that makes `import module` (with `alias`) available at module level, or null when it already is,
   * or undefined when it cannot be done safely (the name is bound otherwise in the file).
   */
  ensureImport(module: string, alias?: string, before = this.text.length): TextEdit | null | undefined {
    const local = alias ?? module.split('.')[0];
    const has = this.topImportsBefore(before).some((i) => i.kind === 'import' && i.names.some((n) => n.name === module && n.alias === alias));
    if (has) return null;
    if (this.isAssigned(local)) return undefined;
    const other = this.binding(local);
    if (other !== undefined && other !== (alias ? module : local)) return undefined;
    const at = this.importInsertionPoint();
    return { start: at, end: at, text: `import ${module}${alias ? ` as ${alias}` : ''}${eolOf(this.text)}` };
  }

  /** An edit that makes `from module import name [as alias]` available at module level (merging into an existing line), null if it is. */
  ensureFromImport(module: string, name: string, alias: string | undefined, before: number): TextEdit | null {
    const tops = this.topImportsBefore(before).filter((i) => i.kind === 'from' && i.module === module && !i.wildcard);
    if (tops.some((i) => i.names.some((n) => n.name === name && n.alias === alias))) return null;
    const spelled = alias ? `${name} as ${alias}` : name;
    const target = tops.find((i) => i.names.length > 0);
    if (target) {
      const last = target.names[target.names.length - 1].node;
      return { start: last.endIndex, end: last.endIndex, text: `, ${spelled}` };
    }
    const at = this.importInsertionPoint();
    return { start: at, end: at, text: `from ${module} import ${spelled}${eolOf(this.text)}` };
  }
}

const FACTS = memoKey<PyFacts>('python file facts');
const IMPORT_BINDINGS = memoKey<Array<[string, string]>>("python: the names a piece's imports bind");
const BINDS_NAME = memoKey<Map<string, boolean>>('python: does a piece bind a name other than by import');

/** The file's facts, made once per analysis and shared by its rules. */
export function facts(ctx: RuleContext): PyFacts {
  return ctx.memo(FACTS, () => new PyFacts(ctx));
}

/** The names imports bind, in order, each with the qualified name it stands for. */
function bindingsOf(imports: readonly ImportInfo[]): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const i of imports) {
    if (i.kind === 'import') {
      const { name, alias } = i.names[0];
      out.push(alias ? [alias, name] : [name.split('.')[0], name.split('.')[0]]);
    } else if (!i.relative) {
      for (const n of i.names) out.push([n.alias ?? n.name, `${i.module}.${n.name}`]);
    }
  }
  return out;
}

/**
 * An edit that deletes a statement that stands alone on its line(s); when it is the only statement of its
 * block, it becomes `pass`. Undefined when the statement shares a line with other code.
 */
export function deleteStatement(text: string, stmt: Node): TextEdit | undefined {
  const lineStart = lineStartOf(text, stmt.startIndex);
  const lineEnd = nextLineStart(text, stmt.endIndex);
  const before = text.slice(lineStart, stmt.startIndex);
  const after = text.slice(stmt.endIndex, lineEnd);
  // `a; import x` or `import x; b`: remove the statement and one of its semicolons.
  const prevSemi = /;[ \t]*$/.exec(before);
  if (prevSemi && before.trim() !== ';') {
    let s = lineStart + prevSemi.index;
    while (s > lineStart && (text[s - 1] === ' ' || text[s - 1] === '\t')) s--;
    return { start: s, end: stmt.endIndex, text: '' };
  }
  const nextSemi = /^[ \t]*;[ \t]*/.exec(after);
  if (nextSemi && after.slice(nextSemi[0].length).trim() !== '' && !after.slice(nextSemi[0].length).trim().startsWith('#')) {
    return { start: stmt.startIndex, end: stmt.endIndex + nextSemi[0].length, text: '' };
  }
  if (before.trim() !== '') return undefined;
  const rest = after.trim();
  if (rest !== '' && !rest.startsWith('#')) return undefined;
  const block = stmt.parent;
  const siblings = block ? block.namedChildren.filter((c) => c && c.type !== 'comment') : [];
  if (block && block.type === 'block' && siblings.length === 1) {
    return { start: stmt.startIndex, end: stmt.endIndex, text: 'pass' };
  }
  return { start: lineStart, end: lineEnd, text: '' };
}

/** The statement node (child of a block or module) that contains `n`. */
export function statementOf(n: Node): Node {
  let s = n;
  while (s.parent && s.parent.type !== 'block' && s.parent.type !== 'module') s = s.parent;
  return s;
}

/** The def around `n`, if it is called from inside a loop or comprehension somewhere in this file. */
export function calledInLoop(ctx: RuleContext, n: Node): string | undefined {
  const f = facts(ctx);
  const def = f.enclosingScope(n);
  if (!def || def.type !== 'function_definition') return undefined;
  const name = def.childForFieldName('name')?.text;
  if (!name) return undefined;
  readsName(name);
  const re = new RegExp(`(?<![\\w])${name}\\s*\\(`, 'g');
  for (let m = re.exec(ctx.text); m; m = re.exec(ctx.text)) {
    const id = ctx.tree.rootNode.descendantForIndex(m.index, m.index + name.length);
    if (!id || id.type !== 'identifier') continue;
    const call = id.parent?.type === 'attribute' ? id.parent.parent : id.parent;
    if (call?.type !== 'call' || (id.parent?.type === 'attribute' && id.parent.childForFieldName('attribute')?.startIndex !== id.startIndex)) continue;
    // Any loop: the call site is in another piece, and whether its loop repeats it depends on statements around
    // it that the incremental analysis does not compare (occurrences describe only a name's enclosing nodes).
    if (f.inLoop(call)) return name;
  }
  return undefined;
}

export { indentAt };

/**
 * The `<x>.name` attributes in a class, all its methods' included (each method is a piece of its own: the read of
 * `name` across them is recorded).
 */
export function attributesInClass(cls: Node, name: string): Node[] {
  readsName(name);
  return cls.descendantsOfType('attribute').filter((a): a is Node => !!a && a.childForFieldName('attribute')?.text === name);
}

/** The file's text outside `node`, to search for `name` (a read of `name` across the file, recorded). */
export function textOutside(ctx: RuleContext, node: Node, name: string): string {
  readsName(name);
  return ctx.text.slice(0, node.startIndex) + ctx.text.slice(node.endIndex);
}

/**
 * The node of the scope whose code binds and uses a name defined in `scope` (a def, lambda or class): for a class
 * body, its methods see the name too (other pieces: the read is recorded).
 */
export function scopeUsing(scope: Node, name: string): Node {
  if (scope.type === 'class_definition') readsName(name);
  return scope;
}
