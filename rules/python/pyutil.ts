// Facts about a Python file that several rules need: scopes, loops, imports, bound names, the import block.
import type { Node, Tree } from 'web-tree-sitter';
import { indentAt, lineStartOf, nextLineStart, eolOf } from '../../server/src/core/text';
import type { RuleContext, TextEdit } from '../../server/src/core/types';

export const SCOPE_TYPES = new Set(['function_definition', 'lambda', 'class_definition']);
export const LOOP_TYPES = new Set(['for_statement', 'while_statement']);

export function isAsyncDef(n: Node): boolean {
  return n.type === 'function_definition' && n.child(0)?.type === 'async';
}

/** The nearest enclosing def, lambda or class (the boundary of "runs when this code runs"). */
export function enclosingScope(n: Node): Node | undefined {
  for (let p = n.parent; p; p = p.parent) if (SCOPE_TYPES.has(p.type)) return p;
  return undefined;
}

/** True inside an `async def`, with no nested plain def, lambda or class in between. */
export function inAsyncDef(n: Node): boolean {
  const s = enclosingScope(n);
  return !!s && isAsyncDef(s);
}

/** web-tree-sitter hands out a new object per lookup: compare nodes by position and type. */
export function sameNode(a: Node | null | undefined, b: Node | null | undefined): boolean {
  if (!a || !b) return !a && !b;
  return a.startIndex === b.startIndex && a.endIndex === b.endIndex && a.type === b.type;
}

/** True when `n` lies inside the subtree of `ancestor` (or is it). */
export function within(n: Node, ancestor: Node): boolean {
  return n.startIndex >= ancestor.startIndex && n.endIndex <= ancestor.endIndex;
}

/**
 * The loops (innermost first) whose body runs `n` once per iteration, up to the enclosing scope.
 * The else clause and the header (iterable, condition) run once, so they do not count.
 */
export function enclosingLoops(n: Node): Node[] {
  const out: Node[] = [];
  let child = n;
  for (let p = n.parent; p; child = p, p = p.parent) {
    if (SCOPE_TYPES.has(p.type)) break;
    if (LOOP_TYPES.has(p.type)) {
      const body = p.childForFieldName('body');
      if (body && within(child, body) ) out.push(p);
    }
  }
  return out;
}

export function isLoopBodyOf(n: Node, loop: Node): boolean {
  const body = loop.childForFieldName('body');
  return !!body && within(n, body);
}

/** Walks a subtree without descending into nested defs, lambdas and classes. */
export function* walkScope(root: Node, includeRoot = true): Generator<Node> {
  const stack: Node[] = includeRoot ? [root] : [...root.namedChildren].filter(Boolean).reverse() as Node[];
  while (stack.length) {
    const n = stack.pop()!;
    yield n;
    if (n !== root && SCOPE_TYPES.has(n.type)) continue;
    for (let i = n.namedChildCount - 1; i >= 0; i--) { const c = n.namedChild(i); if (c) stack.push(c); }
  }
}

export function* walkAll(root: Node): Generator<Node> {
  const stack: Node[] = [root];
  while (stack.length) {
    const n = stack.pop()!;
    yield n;
    for (let i = n.namedChildCount - 1; i >= 0; i--) { const c = n.namedChild(i); if (c) stack.push(c); }
  }
}

export interface ImportedName { name: string; alias?: string; node: Node }
export interface ImportInfo {
  node: Node;
  kind: 'import' | 'from';
  module: string;                 // dotted module ('' for `from . import x` styles: then relative is set)
  relative: boolean;
  names: ImportedName[];
  wildcard: boolean;
  topLevel: boolean;
}

export class PyFacts {
  readonly imports: ImportInfo[] = [];
  /** Local name -> qualified name, from every import in the file. */
  readonly bindings = new Map<string, string>();
  /** Names bound other than by an import (assignments, defs, parameters, loop targets …). */
  readonly assigned = new Set<string>();
  /** Every identifier spelled in the file (for choosing fresh names). */
  readonly identifiers = new Set<string>();

  constructor(readonly tree: Tree, readonly text: string) {
    for (const n of walkAll(tree.rootNode)) {
      switch (n.type) {
        case 'identifier': this.identifiers.add(n.text); break;
        case 'import_statement':
        case 'import_from_statement': this.addImport(n); break;
        case 'assignment':
        case 'augmented_assignment': this.bindTargets(n.childForFieldName('left')); break;
        case 'for_statement':
        case 'for_in_clause': this.bindTargets(n.childForFieldName('left')); break;
        case 'function_definition':
        case 'class_definition': this.bindTargets(n.childForFieldName('name')); break;
        case 'parameters':
        case 'lambda_parameters': this.bindParameters(n); break;
        case 'as_pattern_target': this.bindTargets(n); break;
        case 'named_expression': this.bindTargets(n.childForFieldName('name')); break;
        case 'global_statement':
        case 'nonlocal_statement': for (const c of n.namedChildren) if (c) this.assigned.add(c.text); break;
        case 'except_clause': {
          // `except E as name` (older grammars) binds the identifier after `as`.
          for (let i = 0; i + 1 < n.childCount; i++) {
            if (n.child(i)?.type === 'as') this.bindTargets(n.child(i + 1));
          }
          break;
        }
      }
    }
  }

  private bindTargets(t: Node | null | undefined): void {
    if (!t) return;
    if (t.type === 'identifier') { this.assigned.add(t.text); return; }
    if (t.type === 'attribute' || t.type === 'subscript') return;
    for (const c of t.namedChildren) if (c) this.bindTargets(c);
  }

  private bindParameters(ps: Node): void {
    for (const p of ps.namedChildren) {
      if (!p) continue;
      if (p.type === 'identifier') this.assigned.add(p.text);
      else {
        const name = p.childForFieldName('name') ?? p.namedChildren.find((c) => c?.type === 'identifier');
        if (name) this.bindTargets(name);
        for (const c of p.namedChildren) if (c && (c.type === 'list_splat_pattern' || c.type === 'dictionary_splat_pattern')) this.bindTargets(c);
      }
    }
  }

  private addImport(n: Node): void {
    const topLevel = n.parent?.type === 'module';
    if (n.type === 'import_statement') {
      for (const item of n.childrenForFieldName('name')) {
        if (!item) continue;
        const dotted = item.type === 'aliased_import' ? item.childForFieldName('name')! : item;
        const alias = item.type === 'aliased_import' ? item.childForFieldName('alias')?.text : undefined;
        const module = dotted.text.replace(/\s+/g, '');
        this.imports.push({ node: n, kind: 'import', module, relative: false, names: [{ name: module, alias, node: item }], wildcard: false, topLevel });
        if (alias) this.bindings.set(alias, module);
        else { const head = module.split('.')[0]; this.bindings.set(head, head); }
      }
      return;
    }
    const modNode = n.childForFieldName('module_name');
    if (!modNode) return;
    const relative = modNode.type === 'relative_import';
    const module = modNode.text.replace(/\s+/g, '');
    const names: ImportedName[] = [];
    for (const item of n.childrenForFieldName('name')) {
      if (!item) continue;
      const dotted = item.type === 'aliased_import' ? item.childForFieldName('name')! : item;
      const alias = item.type === 'aliased_import' ? item.childForFieldName('alias')?.text : undefined;
      names.push({ name: dotted.text, alias, node: item });
      if (!relative) this.bindings.set(alias ?? dotted.text, `${module}.${dotted.text}`);
    }
    const wildcard = n.namedChildren.some((c) => c?.type === 'wildcard_import');
    this.imports.push({ node: n, kind: 'from', module, relative, names, wildcard, topLevel });
  }

  /** The qualified name a call's function expression refers to: `time.sleep`, `open`, or undefined. */
  qualify(fn: Node | null | undefined): string | undefined {
    if (!fn) return undefined;
    if (fn.type === 'identifier') {
      const name = fn.text;
      const bound = this.bindings.get(name);
      if (bound !== undefined) return this.assigned.has(name) ? undefined : bound;
      return this.assigned.has(name) ? undefined : name;      // a builtin, unless the file rebinds it
    }
    if (fn.type === 'attribute') {
      const obj = fn.childForFieldName('object');
      const attr = fn.childForFieldName('attribute');
      if (!obj || !attr) return undefined;
      if (obj.type === 'identifier' && !this.bindings.has(obj.text)) return undefined;
      const q = this.qualify(obj);
      return q === undefined ? undefined : `${q}.${attr.text}`;
    }
    return undefined;
  }

  /** A name not yet used anywhere in the file, derived from `base`. */
  freshName(base: string): string {
    if (!this.identifiers.has(base)) return base;
    for (let i = 2; ; i++) if (!this.identifiers.has(`${base}${i}`)) return `${base}${i}`;
  }

  /** Top-level imports that start before `offset`. */
  topImportsBefore(offset: number): ImportInfo[] {
    return this.imports.filter((i) => i.topLevel && i.node.endIndex <= offset);
  }

  /** Where a new module-level import goes: after the leading import block (or docstring, or header comments). */
  importInsertionPoint(): number {
    let after: Node | undefined;
    let sawDocstring = false;
    for (const c of this.tree.rootNode.namedChildren) {
      if (!c) continue;
      if (c.type === 'comment') { if (!after) continue; else continue; }
      if (!sawDocstring && !after && c.type === 'expression_statement' && c.namedChild(0)?.type === 'string') {
        sawDocstring = true; after = c; continue;
      }
      if (c.type === 'import_statement' || c.type === 'import_from_statement' || c.type === 'future_import_statement') { after = c; continue; }
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
    if (this.assigned.has(local)) return undefined;
    const other = this.bindings.get(local);
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

const factsCache = new WeakMap<Tree, PyFacts>();
export function facts(ctx: RuleContext): PyFacts {
  let f = factsCache.get(ctx.tree);
  if (!f) { f = new PyFacts(ctx.tree, ctx.text); factsCache.set(ctx.tree, f); }
  return f;
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

export { indentAt };
