// Python's part of analysis/frequency.ts: the loops around a node (for/while bodies and comprehensions, up to the
// enclosing def, lambda or class) and, for each, whether it repeats the node.
//
// Control flow is summarised per statement as the paths that leave it: falling through to the next statement,
// `break`, `continue` (to the innermost loop around it), and leaving the function (return, raise, sys.exit …).
// Each path has a state: 0 none, 1 only through an exception handler (a failure), 2 a plain path. A node runs at
// most once per entry of a loop when no path after it gets back to the loop's head; a loop is a retry loop when
// every path from its body back to its head goes through a handler (it leaves on success).
import type { Node, Tree } from 'web-tree-sitter';
import { bindsName } from './bindings';
import { type Count, items, type LoopFact, maxState as max, minState as min, RETRY, sameNode as same, type State, union, within } from '../flow';

interface Flow {
  fall: State;
  brk: State;
  cont: State;
  exits: readonly string[];
}

const SCOPES = new Set(['function_definition', 'lambda', 'class_definition']);
const LOOPS = new Set(['for_statement', 'while_statement']);
const COMPREHENSIONS = new Set(['list_comprehension', 'set_comprehension', 'dictionary_comprehension', 'generator_expression']);
/** Calls that never return: the process exits or the test stops (each raises, or ends the process). */
const EXITS = new Set([
  'sys.exit',
  'exit',
  'quit',
  'os._exit',
  'os.abort',
  'pytest.fail',
  'pytest.skip',
  'pytest.exit',
  'pytest.xfail',
  'self.fail',
  'self.skipTest',
]);
const HANDLERS = new Set(['except_clause', 'except_group_clause']);

const FALLS: Flow = { fall: 2, brk: 0, cont: 0, exits: [] };

function exit(how: string): Flow {
  return { fall: 0, brk: 0, cont: 0, exits: [how] };
}
/** Every path of either flow. */
function join(a: Flow, b: Flow): Flow {
  return { fall: max(a.fall, b.fall), brk: max(a.brk, b.brk), cont: max(a.cont, b.cont), exits: union(a.exits, b.exits) };
}

/** What the Python facts work out once per analysis (in its memo): statement summaries, loops' paths back, module constants. */
export interface PythonFlowMemo {
  summaries: Map<number, Flow>;
  backs: Map<number, State>;
  constants: Map<string, Node | null>;
}

export function pythonFlowMemo(): PythonFlowMemo {
  return { summaries: new Map(), backs: new Map(), constants: new Map() };
}

/** The memo of the pythonLoopFacts call under way (the facts are worked out synchronously, one call at a time). */
let active: PythonFlowMemo | undefined;
function memoOf(_n: Node): PythonFlowMemo {
  if (!active) throw new Error('Python flow facts asked outside pythonLoopFacts');
  return active;
}

function statements(block: Node | null | undefined): Node[] {
  return block ? block.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment') : [];
}

/** The paths through `stmts`, entered with `init` (its fall is the state at the first statement). */
function run(stmts: readonly Node[], init: Flow): Flow {
  let state = init.fall,
    brk = init.brk,
    cont = init.cont,
    exits = init.exits;
  for (const s of stmts) {
    if (state === 0) break;
    const f = summary(s);
    brk = max(brk, min(state, f.brk));
    cont = max(cont, min(state, f.cont));
    if (f.exits.length) exits = union(exits, f.exits);
    state = min(state, f.fall);
  }
  return { fall: state, brk, cont, exits };
}

function seq(block: Node | null | undefined, start: State): Flow {
  return run(statements(block), { fall: start, brk: 0, cont: 0, exits: [] });
}

function blockOf(clause: Node | null | undefined): Node | null {
  if (!clause) return null;
  return clause.childForFieldName('body') ?? clause.childForFieldName('consequence') ?? clause.namedChildren.find((c) => c?.type === 'block') ?? null;
}

function exitCall(stmt: Node): string | undefined {
  const e = stmt.namedChild(0);
  const call = e?.type === 'await' ? e.namedChild(0) : e;
  if (call?.type !== 'call') return undefined;
  const fn = call.childForFieldName('function')?.text.replace(/\s+/g, '');
  return fn && EXITS.has(fn) ? `${fn}()` : undefined;
}

/** `while True:` / `while 1:`: it ends only by a break (or by leaving the function). */
function infinite(loop: Node): boolean {
  if (loop.type !== 'while_statement') return false;
  const c = loop.childForFieldName('condition');
  return !!c && (c.type === 'true' || (c.type === 'integer' && Number(c.text) !== 0));
}

/** The paths out of a loop statement once it is entered, given its body's paths from the head (`head`). */
function loopExit(loop: Node, bodyFlow: Flow, head: State): Flow {
  const inf = infinite(loop);
  let fall = max(bodyFlow.brk, inf ? min(head, seq(loop.childForFieldName('body'), 2).brk) : head);
  let brk: State = 0,
    cont: State = 0,
    exits = bodyFlow.exits;
  const alt = loop.childForFieldName('alternative');
  if (alt && !inf) {
    // The else clause runs when the loop ends without a break; its break and continue belong to the loop outside.
    const e = seq(blockOf(alt), head);
    fall = max(bodyFlow.brk, e.fall);
    brk = e.brk;
    cont = e.cont;
    exits = union(exits, e.exits);
  }
  return { fall, brk, cont, exits };
}

/** A try statement's paths, given those of its body and else clause (`normal`): handlers are failures; then finally. */
function tryExit(tryStmt: Node, normal: Flow): Flow {
  let out = normal;
  for (const c of tryStmt.namedChildren) if (c && HANDLERS.has(c.type)) out = join(out, seq(blockOf(c), 1));
  return finallyAfter(tryStmt, out);
}

function finallyAfter(tryStmt: Node, flow: Flow): Flow {
  const fin = tryStmt.namedChildren.find((c) => c?.type === 'finally_clause');
  if (!fin) return flow;
  const f = seq(blockOf(fin), 2);
  if (f.fall === 0) return { fall: 0, brk: f.brk, cont: f.cont, exits: f.exits }; // it always leaves: nothing else goes on
  return { fall: flow.fall, brk: max(flow.brk, f.brk), cont: max(flow.cont, f.cont), exits: union(flow.exits, f.exits) };
}

/** The paths out of one statement, from its start. */
function summary(s: Node): Flow {
  const memo = memoOf(s).summaries;
  let f = memo.get(s.id);
  if (!f) {
    f = computeSummary(s);
    memo.set(s.id, f);
  }
  return f;
}

function computeSummary(s: Node): Flow {
  switch (s.type) {
    case 'return_statement':
      return exit('return');
    case 'raise_statement':
      return exit('raise');
    case 'break_statement':
      return { fall: 0, brk: 2, cont: 0, exits: [] };
    case 'continue_statement':
      return { fall: 0, brk: 0, cont: 2, exits: [] };
    case 'expression_statement': {
      const how = exitCall(s);
      return how ? exit(how) : FALLS;
    }
    case 'if_statement': {
      let out = seq(s.childForFieldName('consequence'), 2);
      let hasElse = false;
      for (const alt of s.childrenForFieldName('alternative')) {
        if (!alt) continue;
        if (alt.type === 'else_clause') hasElse = true;
        out = join(out, seq(blockOf(alt), 2));
      }
      return hasElse ? out : join(out, FALLS);
    }
    case 'for_statement':
    case 'while_statement': {
      // Entered from the top; a for (or a while on a condition) may end after any iteration.
      return loopExit(s, seq(s.childForFieldName('body'), 2), 2);
    }
    case 'try_statement': {
      const body = seq(s.childForFieldName('body'), 2);
      const alt = s.namedChildren.find((c) => c?.type === 'else_clause');
      const normal = alt ? run(statements(blockOf(alt)), body) : body;
      return tryExit(s, normal);
    }
    case 'with_statement':
      return seq(s.childForFieldName('body'), 2);
    case 'match_statement': {
      let out = FALLS; // no case may match
      for (const c of s.childForFieldName('body')?.namedChildren ?? []) if (c?.type === 'case_clause') out = join(out, seq(blockOf(c), 2));
      return out;
    }
    default:
      return FALLS;
  }
}

/** The statement (a child of a block or the module) that holds `n`, or `n` itself. */
function statementOf(n: Node): Node | undefined {
  let s: Node | null = n;
  while (s && s.parent && s.parent.type !== 'block' && s.parent.type !== 'module') s = s.parent;
  return s?.parent ? s : undefined;
}

/** `stmts` after `stmt` in its block, run after `cur` (what `stmt` does from the node on). */
function rest(block: Node, stmt: Node, cur: Flow): Flow {
  const all = statements(block);
  const at = all.findIndex((x) => x.startIndex === stmt.startIndex);
  return run(at >= 0 ? all.slice(at + 1) : [], cur);
}

/**
 * The paths from just after `node` back to the head of `loop` (its state), and how the others leave: 0 means the
 * node runs at most once per entry of the loop.
 */
function afterNode(node: Node, loop: Node): { back: State; exits: readonly string[] } {
  const first = statementOf(node);
  if (!first) return { back: 2, exits: [] };
  let stmt: Node = first;
  let cur = summary(stmt);
  for (let guard = 0; guard < 1000; guard++) {
    const block: Node | null = stmt.parent;
    if (!block || block.type !== 'block') return { back: 2, exits: [] };
    const after = rest(block, stmt, cur);
    const owner: Node | null = block.parent;
    if (!owner) return { back: 2, exits: [] };
    switch (owner.type) {
      case 'for_statement':
      case 'while_statement':
        if (same(owner, loop)) return { back: max(after.fall, after.cont), exits: after.brk ? union(after.exits, ['break']) : after.exits };
        cur = loopExit(owner, after, max(after.fall, after.cont));
        stmt = owner;
        break;
      case 'else_clause': {
        const gp = owner.parent!;
        cur = gp.type === 'try_statement' ? finallyAfter(gp, after) : after;
        stmt = gp;
        break;
      }
      case 'elif_clause':
        cur = after;
        stmt = owner.parent!;
        break;
      case 'if_statement':
      case 'with_statement':
        cur = after;
        stmt = owner;
        break;
      case 'try_statement': {
        // From the try body: on to the else clause, or (the node or what follows it raised) to a handler.
        const alt = owner.namedChildren.find((c: Node | null) => c?.type === 'else_clause');
        cur = tryExit(owner, alt ? run(statements(blockOf(alt)), after) : after);
        stmt = owner;
        break;
      }
      case 'except_clause':
      case 'except_group_clause':
        cur = finallyAfter(owner.parent!, after);
        stmt = owner.parent!;
        break;
      case 'finally_clause':
        cur = after;
        stmt = owner.parent!;
        break;
      case 'case_clause':
        cur = after;
        stmt = owner.parent!.parent!;
        break; // block of the match statement
      default:
        return { back: 2, exits: [] }; // a def, class or module
    }
  }
  return { back: 2, exits: [] };
}

/** The state of the paths from the start of a loop's body back to its head: 1 for a retry loop. */
function loopBack(loop: Node): State {
  const memo = memoOf(loop).backs;
  let b = memo.get(loop.id);
  if (b === undefined) {
    const f = seq(loop.childForFieldName('body'), 2);
    b = max(f.fall, f.cont);
    memo.set(loop.id, b);
  }
  return b;
}

// ---- literal bounds ----

function intValue(e: Node, reads: string[]): number | undefined {
  if (e.type === 'integer') {
    const v = Number(e.text.replace(/_/g, ''));
    return Number.isSafeInteger(v) ? v : undefined;
  }
  if (e.type === 'unary_operator' && e.child(0)?.type === '-') {
    const v = intValue(e.namedChild(0)!, reads);
    return v === undefined ? undefined : -v;
  }
  if (e.type === 'parenthesized_expression' && e.namedChild(0)) return intValue(e.namedChild(0)!, reads);
  if (e.type === 'identifier') {
    const c = moduleConstant(e, reads);
    return c && c.type !== 'identifier' ? intValue(c, reads) : undefined;
  }
  return undefined;
}

function positional(call: Node): Node[] | undefined {
  const args = call.childForFieldName('arguments');
  if (!args || args.type !== 'argument_list') return undefined;
  const out = args.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
  return out.some((a) => a.type === 'list_splat' || a.type === 'dictionary_splat' || a.type === 'keyword_argument') ? undefined : out;
}

/** How many items iterating `e` yields, when the code spells them out (or a module constant does). */
function literalCount(e: Node, reads: string[], depth = 0): Count | undefined {
  if (depth > 3) return undefined;
  switch (e.type) {
    case 'tuple':
    case 'list':
    case 'set':
    case 'expression_list': {
      const elems = e.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
      if (elems.some((c) => c.type === 'list_splat' || c.type === 'parenthesized_list_splat' || c.type === 'yield')) return undefined;
      return { n: elems.length, what: items(elems.length) };
    }
    case 'dictionary': {
      const elems = e.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
      if (elems.some((c) => c.type !== 'pair')) return undefined;
      return { n: elems.length, what: items(elems.length) };
    }
    case 'string': {
      if (/^[A-Za-z]*[fFtT]/.test(e.text) || e.namedChildren.some((c) => c?.type === 'interpolation')) return undefined;
      const n = e.namedChildren.filter((c) => c?.type === 'string_content' || c?.type === 'escape_sequence').reduce((k, c) => k + c!.text.length, 0);
      return { n, what: `a ${n}-character literal string` };
    }
    case 'parenthesized_expression':
      return e.namedChild(0) ? literalCount(e.namedChild(0)!, reads, depth + 1) : undefined;
    case 'identifier': {
      const v = moduleConstant(e, reads);
      const c = v && v.type !== 'identifier' ? literalCount(v, reads, depth + 1) : undefined;
      return c && { ...c, what: `${c.what} (${e.text})` };
    }
    case 'call': {
      const fn = e.childForFieldName('function');
      const args = positional(e);
      if (!fn || !args) {
        if (fn?.text === 'enumerate' && e.childForFieldName('arguments')?.namedChild(0))
          return literalCount(e.childForFieldName('arguments')!.namedChild(0)!, reads, depth + 1);
        return undefined;
      }
      if (fn.type === 'identifier') {
        if (fn.text === 'range' && args.length >= 1 && args.length <= 3) {
          const v = args.map((a) => intValue(a, reads));
          if (v.some((x) => x === undefined)) return undefined;
          const [start, stop, step] = v.length === 1 ? [0, v[0]!, 1] : [v[0]!, v[1]!, v[2] ?? 1];
          if (step === 0) return undefined;
          const n = Math.max(0, Math.ceil((stop - start) / step));
          return { n, what: `${n} iteration${n === 1 ? '' : 's'} (${e.text})`, of: true };
        }
        if (['enumerate', 'reversed', 'sorted', 'list', 'tuple', 'set', 'frozenset', 'iter'].includes(fn.text) && args.length === 1) {
          const c = literalCount(args[0], reads, depth + 1);
          return c && (c.of ? c : { n: c.n, what: items(c.n) });
        }
        if (fn.text === 'zip' && args.length) {
          const cs = args.map((a) => literalCount(a, reads, depth + 1));
          if (cs.some((c) => !c)) return undefined;
          const n = Math.min(...cs.map((c) => c!.n));
          return { n, what: items(n) };
        }
        return undefined;
      }
      if (fn.type === 'attribute' && args.length === 0 && ['items', 'keys', 'values'].includes(fn.childForFieldName('attribute')?.text ?? '')) {
        const obj = fn.childForFieldName('object');
        return obj && (obj.type === 'dictionary' || obj.type === 'identifier') ? literalCount(obj, reads, depth + 1) : undefined;
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

// ---- module constants ----

const IMMUTABLE = new Set(['integer', 'string', 'tuple', 'unary_operator', 'parenthesized_expression']);

/**
 * The literal a module-level name stands for: bound exactly once in the whole file (so no scope shadows it and
 * nothing rebinds it), by `NAME = <literal>` at module level. A list, set or dict counts only when every other mention of the
 * name iterates it (nothing can change it). Records the read of the name across the file.
 */
function moduleConstant(id: Node, reads: string[]): Node | undefined {
  const name = id.text;
  reads.push(name);
  const memo = memoOf(id).constants;
  let value = memo.get(name);
  if (value === undefined) {
    value = findConstant(id.tree, name) ?? null;
    memo.set(name, value);
  }
  return value ?? undefined;
}

function findConstant(tree: Tree, name: string): Node | undefined {
  if (!/^[A-Za-z_]\w*$/.test(name)) return undefined;
  const text = tree.rootNode.text;
  const re = new RegExp(`(?<![\\w.])${name}(?!\\w)`, 'g');
  let def: Node | undefined;
  const others: Node[] = [];
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const n = tree.rootNode.descendantForIndex(m.index, m.index + name.length);
    if (!n || n.type !== 'identifier') continue; // in a string or comment
    if (!bindsName(n, true)) {
      others.push(n);
      continue;
    }
    if (def) return undefined; // bound twice
    const assign = n.parent;
    const stmt = assign?.parent;
    if (
      assign?.type !== 'assignment' ||
      assign.childForFieldName('left')?.startIndex !== n.startIndex ||
      stmt?.type !== 'expression_statement' ||
      stmt.parent?.type !== 'module'
    )
      return undefined;
    def = n;
  }
  const value = def?.parent?.childForFieldName('right');
  if (!value) return undefined;
  if (IMMUTABLE.has(value.type)) return value;
  if (value.type === 'call' && value.childForFieldName('function')?.text === 'frozenset')
    return value.childForFieldName('arguments')?.namedChild(0) ?? undefined;
  if (
    ['list', 'set', 'dictionary'].includes(value.type) &&
    others.every((o) => {
      const p = o.parent;
      return (p?.type === 'for_statement' || p?.type === 'for_in_clause') && p.childForFieldName('right')?.startIndex === o.startIndex;
    })
  )
    return value;
  return undefined;
}

// ---- the verdicts ----

function loopFact(node: Node, loop: Node, max: number, reads: string[]): LoopFact {
  const after = afterNode(node, loop);
  if (after.back === 0)
    return {
      loop,
      repeats: false,
      why: after.exits.length ? `leaves the loop right after (${after.exits.join(', ')})` : "never gets back to the loop's head",
      bound: 1,
    };
  const iterable = loop.type === 'for_statement' ? loop.childForFieldName('right') : null;
  const count = iterable ? literalCount(iterable, reads) : undefined;
  if (count && count.n <= max) return { loop, repeats: false, why: `loop ${count.of ? 'of' : 'over'} ${count.what}`, bound: count.n };
  if (loopBack(loop) === 1) return { loop, repeats: false, why: RETRY };
  return { loop, repeats: true };
}

function comprehensionFact(node: Node, comp: Node, max: number, reads: string[]): LoopFact | undefined {
  const clauses = comp.namedChildren.filter((c): c is Node => c?.type === 'for_in_clause');
  const first = clauses[0]?.childForFieldName('right');
  if (!first || within(node, first)) return undefined; // the first iterable is evaluated once
  const body = comp.childForFieldName('body');
  const inBody = !!body && within(node, body);
  const repeating = clauses.filter((c) => inBody || (c.startIndex < node.startIndex && !within(node, c.childForFieldName('right') ?? c)));
  let bound = 1;
  for (const c of repeating) {
    const right = c.childForFieldName('right');
    const count = right ? literalCount(right, reads) : undefined;
    if (!count || count.n > max) return { loop: comp, repeats: true };
    bound *= count.n;
  }
  const one = repeating.length === 1 ? literalCount(repeating[0].childForFieldName('right')!, reads) : undefined;
  return {
    loop: comp,
    repeats: false,
    why: one ? `comprehension ${one.of ? 'of' : 'over'} ${one.what}` : `comprehension over ${bound} literal combinations`,
    bound,
  };
}

/** The loops around `node` up to its def, lambda or class, innermost first, each with its verdict. */
export function pythonLoopFacts(node: Node, max: number, reads: string[], memo: PythonFlowMemo): LoopFact[] {
  const outer = active;
  active = memo;
  try {
    const out: LoopFact[] = [];
    for (let p = node.parent; p && !SCOPES.has(p.type); p = p.parent) {
      if (LOOPS.has(p.type)) {
        const body = p.childForFieldName('body');
        if (body && within(node, body)) out.push(loopFact(node, p, max, reads));
      } else if (COMPREHENSIONS.has(p.type)) {
        const f = comprehensionFact(node, p, max, reads);
        if (f) out.push(f);
      }
    }
    return out;
  } finally {
    active = outer;
  }
}
