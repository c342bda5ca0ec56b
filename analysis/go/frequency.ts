// Go's part of analysis/frequency.ts: the `for` loops around a node (their body, condition and update, up to the
// enclosing function or function literal) and, for each, whether it repeats the node.
//
// Control flow is summarised per statement as the paths that leave it: falling through, an unlabeled `break`
// (to the innermost for, switch or select around it) or `continue`, labeled jumps, `goto`, and leaving the
// function (return, panic, os.Exit, log.Fatal, t.Fatal …). Each path has a state: 0 none, 1 only through a
// failure (the branch of `if err != nil`, or past `if err == nil { … }`, for an error variable: errorVariable),
// 2 a plain path. A node runs at most once per entry of a loop when no path after it gets back to the loop's head;
// a loop is a retry loop when every path from its body back to its head goes through a failure (it leaves on
// success). What a name is bound to (an error variable, the `time` package under another name) comes from the Go
// model (model.ts) of the analysis, kept with the other flow facts in its memo (GoFlowMemo).
//
// Timers (measured: test/frequency.test.ts describes the program and its output): a loop whose every iteration
// waits for a timer (`<-time.After(d)`, or a select whose other cases all leave the loop) runs once per tick,
// whatever the input; a `time.After` that its own iteration then waits for (in such a select, even in a branch)
// makes one timer per tick; and so does a node in the body of a case that receives from a timer
// (`case <-time.After(d):`, `case <-t.C:`, or a variable only ever set to such a channel). None leaves more than
// one unfired timer behind.
import type { Node, Tree } from 'web-tree-sitter';
import { type GoBinding, GoModel } from './model';
import { type Count, items, iterations, type LoopFact, maxState as max, minState as min, RETRY, sameNode as same, type State, union, within } from '../flow';

interface Jumps {
  brk: State;
  cont: State;
}
interface Flow {
  fall: State;
  brk: State;
  cont: State;
  labels: ReadonlyMap<string, Jumps>;
  gotos: ReadonlyMap<string, State>;
  exits: readonly string[];
}

const FUNCS = new Set(['function_declaration', 'method_declaration', 'func_literal']);
const NONE = new Map<never, never>();
const FALLS: Flow = { fall: 2, brk: 0, cont: 0, labels: NONE, gotos: NONE, exits: [] };
export const PACED_LOOP = 'the loop waits for a timer on every iteration';
const PACED_BY = {
  select: ' (every other case of its select leaves the loop)',
  wait: ' (`<-time.After(…)` in its body)',
  update: ' (`<-time.After(…)` after each iteration)',
};
export const PACED_CASE = 'runs only when the timer its select case waits on fires';
export const WAITED = 'the iteration waits for the timer it makes (every other case of its select leaves the loop)';

function exit(how: string): Flow {
  return { ...FALLS, fall: 0, exits: [how] };
}

function mergeLabels(a: ReadonlyMap<string, Jumps>, b: ReadonlyMap<string, Jumps>, gate: State = 2): ReadonlyMap<string, Jumps> {
  if (!b.size || gate === 0) return a;
  const out = new Map(a);
  for (const [k, v] of b) {
    const o = out.get(k);
    out.set(k, { brk: max(o?.brk ?? 0, min(gate, v.brk)), cont: max(o?.cont ?? 0, min(gate, v.cont)) });
  }
  return out;
}
function mergeGotos(a: ReadonlyMap<string, State>, b: ReadonlyMap<string, State>, gate: State = 2): ReadonlyMap<string, State> {
  if (!b.size || gate === 0) return a;
  const out = new Map(a);
  for (const [k, v] of b) out.set(k, max(out.get(k) ?? 0, min(gate, v)));
  return out;
}
function without(labels: ReadonlyMap<string, Jumps>, label: string | undefined): ReadonlyMap<string, Jumps> {
  if (!label || !labels.has(label)) return labels;
  const out = new Map(labels);
  out.delete(label);
  return out;
}
/** Every path of either flow; `gate` caps the second's states (a branch entered only on failure). */
function join(a: Flow, b: Flow, gate: State = 2): Flow {
  return {
    fall: max(a.fall, min(gate, b.fall)),
    brk: max(a.brk, min(gate, b.brk)),
    cont: max(a.cont, min(gate, b.cont)),
    labels: mergeLabels(a.labels, b.labels, gate),
    gotos: mergeGotos(a.gotos, b.gotos, gate),
    exits: gate ? union(a.exits, b.exits) : a.exits,
  };
}

/**
 * What the Go facts work out once per analysis (kept in its memo: analysis/frequency.ts): statement summaries,
 * loops' paths back to their head, timer variables, local and package constants, and the file's Go model.
 */
export interface GoFlowMemo {
  summaries: Map<number, Flow>;
  loops: Map<number, { back: State; paced: keyof typeof PACED_BY | undefined }>;
  timerVars: Map<string, boolean>;
  locals: Map<number, Map<string, number | null>>;
  /** Functions (by id) whose text declares no const. */
  constFree: Set<number>;
  /** Variables (by their declaring identifier's start) that their function uses as an error (usedAsError). */
  errorUses: Map<number, boolean>;
  consts: Map<string, number | null> | undefined;
  /** The analysis's Go model (goModel(ctx)). */
  model: GoModel;
}

export function goFlowMemo(model: GoModel): GoFlowMemo {
  return {
    summaries: new Map(),
    loops: new Map(),
    timerVars: new Map(),
    locals: new Map(),
    constFree: new Set(),
    errorUses: new Map(),
    consts: undefined,
    model,
  };
}

/** The memo of the goLoopFacts call under way (the facts are worked out synchronously, one call at a time). */
let active: GoFlowMemo | undefined;
function memoOf(n: Node): GoFlowMemo {
  if (!active || active.model.tree !== n.tree) throw new Error('Go flow facts asked outside goLoopFacts, or of another tree');
  return active;
}

/** The Go model of `n`'s file. */
function modelOf(n: Node): GoModel {
  return memoOf(n).model;
}

/** The statements of a block, a statement list, or a case clause. */
function statements(n: Node | null | undefined): Node[] {
  if (!n) return [];
  const list = n.type === 'statement_list' ? n : n.namedChildren.find((c) => c?.type === 'statement_list');
  return list ? list.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment') : [];
}

function run(stmts: readonly Node[], init: Flow): Flow {
  let state = init.fall,
    brk = init.brk,
    cont = init.cont,
    labels = init.labels,
    gotos = init.gotos,
    exits = init.exits;
  for (const s of stmts) {
    if (state === 0) break;
    const f = summary(s);
    brk = max(brk, min(state, f.brk));
    cont = max(cont, min(state, f.cont));
    labels = mergeLabels(labels, f.labels, state);
    gotos = mergeGotos(gotos, f.gotos, state);
    if (f.exits.length) exits = union(exits, f.exits);
    state = min(state, f.fall);
  }
  return { fall: state, brk, cont, labels, gotos, exits };
}

function seq(n: Node | null | undefined, start: State): Flow {
  return run(statements(n), { ...FALLS, fall: start });
}

/** `panic(…)`, `os.Exit`, `log.Fatal*`, `x.Fatal*` (testing, klog, logrus, zap), `t.FailNow`, `t.Skip*`, `runtime.Goexit`. */
function exitCall(stmt: Node): string | undefined {
  const call = stmt.namedChild(0);
  if (call?.type !== 'call_expression') return undefined;
  const fn = call.childForFieldName('function');
  if (fn?.type === 'identifier') return fn.text === 'panic' ? 'panic' : undefined;
  if (fn?.type !== 'selector_expression') return undefined;
  const recv = fn.childForFieldName('operand')?.text ?? '';
  const name = fn.childForFieldName('field')?.text ?? '';
  const q = `${recv}.${name}`;
  if (q === 'os.Exit' || q === 'runtime.Goexit' || /^log\.(Fatal|Panic)(f|ln)?$/.test(q) || /^(Fatal|Fatalf|Fatalln)$/.test(name)) return `${q}()`;
  // testify: require.Fail* stops the test (t.FailNow), and so does assert.FailNow.
  if (/^require\.Fail(Now)?f?$|^assert\.FailNowf?$/.test(q)) return `${q}()`;
  if (/^(t|b|tb|f)$/.test(recv) && /^(FailNow|SkipNow|Skip|Skipf)$/.test(name)) return `${q}()`;
  return undefined;
}

function labelOf(stmt: Node): string | undefined {
  return stmt.parent?.type === 'labeled_statement' ? stmt.parent.childForFieldName('label')?.text : undefined;
}
function jumpLabel(stmt: Node): string | undefined {
  return stmt.namedChildren.find((c) => c?.type === 'label_name')?.text;
}

/** `err != nil` (a failure test: 'nonnil') or `err == nil` ('nil'), for an error variable (errorVariable). */
function errTest(cond: Node | null): 'nonnil' | 'nil' | undefined {
  let c = cond;
  while (c?.type === 'parenthesized_expression') c = c.namedChild(0);
  if (c?.type !== 'binary_expression') return undefined;
  const op = c.child(1)?.type;
  if (op !== '!=' && op !== '==') return undefined;
  const l = c.childForFieldName('left'),
    r = c.childForFieldName('right');
  const isErr = (x: Node | null) => x?.type === 'identifier' && errorVariable(x);
  if (!((r?.type === 'nil' && isErr(l)) || (l?.type === 'nil' && isErr(r)))) return undefined;
  return op === '!=' ? 'nonnil' : 'nil';
}

/** Calls that make an error value. */
const ERROR_MAKERS = new Set(['errors.New', 'errors.Join', 'fmt.Errorf']);

/**
 * True when the identifier `id` names an error variable, by how the Go model shows it bound (provenError). A name
 * the file cannot type (set from a method or a function of another file, received from a channel, declared in
 * another file of the package) counts by Go's naming convention, `err` or `…Err`: without types that is the only
 * sign (a quarter of the nil tests of such names in loops of the Go corpora, nearly all `err := x.Close()`), and
 * taking any nilable value for an error would make `if item == nil { return }` turn an iteration loop into a retry.
 */
function errorVariable(id: Node): boolean {
  const model = modelOf(id);
  const b = model.valueBindingAt(id.text, id);
  return (!!b && provenError(model, b, 0)) || /^(err|\w*Err)$/.test(id.text);
}

/**
 * True when the binding is an error variable: declared of type `error` (a var, a parameter, a named result), the
 * last of several names set from one call (`n, err := r.Read(p)`: Go puts the error last; a function of this file
 * is asked its result's type instead), or set from errors.New, fmt.Errorf, a call of a function of this file (or a
 * function value) that returns an error, or another error variable.
 */
function provenError(model: GoModel, b: GoBinding, depth: number): boolean {
  if (b.type) return errorType(model, b.type);
  if (b.kind === 'range' || b.kind === 'receiver' || depth > 8) return false;
  if (b.call) {
    const declared = declaredResult(model, b.call.node, b.call.index);
    if (declared !== undefined) return declared === 'error';
    // A method or another file's function: Go puts the error last, but so does `k, v := it.Next()` its value;
    // the last of several names counts only when its function also uses it as an error.
    return b.call.index === namesBound(b) - 1 && usedAsError(model, b);
  }
  let v = b.value;
  while (v?.type === 'parenthesized_expression') v = v.namedChild(0) ?? undefined;
  if (v?.type === 'call_expression') return ERROR_MAKERS.has(model.resolveCall(v) ?? '') || declaredResult(model, v, 0) === 'error';
  if (v?.type === 'identifier') {
    const from = model.valueBindingAt(v.text, v);
    return !!from && provenError(model, from, depth + 1);
  }
  return false;
}

/**
 * Evidence in its own function that a variable holds an error: it is returned where the function's result is an
 * `error`, passed to `errors.Is`/`As`/`Unwrap` or `fmt.Errorf`, its `Error()` called, or compared with another
 * package's error value (`io.EOF`, `sql.ErrNoRows`: Go names them `Err…`).
 */
function usedAsError(model: GoModel, b: GoBinding): boolean {
  const memo = memoOf(b.node).errorUses;
  let v = memo.get(b.node.startIndex);
  if (v === undefined) memo.set(b.node.startIndex, (v = findErrorUse(model, b)));
  return v;
}

/** usedAsError's walk of the variable's function, once per variable. */
function findErrorUse(model: GoModel, b: GoBinding): boolean {
  let fn: Node | null = b.node.parent;
  while (fn && !FUNCS.has(fn.type)) fn = fn.parent;
  if (!fn) return false;
  const results = resultTypes(fn);
  const body = fn.childForFieldName('body');
  const stack: Node[] = body ? [body] : [];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'identifier' && n.text === b.name && model.valueBindingAt(b.name, n) === b && usesAsError(model, n, results)) return true;
    if (n.type === 'func_literal') continue; // its own returns are another function's
    for (const c of n.namedChildren) if (c) stack.push(c);
  }
  return false;
}

/** The result types of a function, one per result (`(n int, err error)`, `(int, error)`, `error`). */
function resultTypes(fn: Node): Node[] {
  const r = fn.childForFieldName('result');
  if (!r) return [];
  if (r.type !== 'parameter_list') return [r];
  const out: Node[] = [];
  for (const p of r.namedChildren) {
    if (p?.type !== 'parameter_declaration') continue;
    const type = p.childForFieldName('type');
    const names = p.childrenForFieldName('name').length;
    if (type) for (let i = 0; i < Math.max(1, names); i++) out.push(type);
  }
  return out;
}

const ERROR_USES = new Set(['errors.Is', 'errors.As', 'errors.Unwrap', 'fmt.Errorf']);

/** True when this use of a variable treats it as an error (see usedAsError). */
function usesAsError(model: GoModel, id: Node, results: Node[]): boolean {
  const p = id.parent;
  if (!p) return false;
  if (p.type === 'expression_list' && p.parent?.type === 'return_statement') {
    const values = p.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
    const at = values.findIndex((v) => v.id === id.id);
    return values.length === results.length && at >= 0 && errorType(model, results[at]);
  }
  if (p.type === 'selector_expression' && p.childForFieldName('operand')?.id === id.id) return p.childForFieldName('field')?.text === 'Error';
  if (p.type === 'argument_list' && p.parent?.type === 'call_expression') return ERROR_USES.has(model.resolveCall(p.parent) ?? '');
  if (p.type === 'binary_expression' && /^[!=]=$/.test(p.child(1)?.type ?? '')) {
    const other = p.childForFieldName('left')?.id === id.id ? p.childForFieldName('right') : p.childForFieldName('left');
    if (other?.type !== 'selector_expression') return false;
    const q = model.resolve(other);
    return !!q && q.includes('.') && /^(Err\w*|EOF)$/.test(other.childForFieldName('field')?.text ?? '');
  }
  return false;
}

/** The written type `error`, the predeclared one. */
function errorType(model: GoModel, type: Node): boolean {
  return type.type === 'type_identifier' && type.text === 'error' && model.lookup('error', type).kind === 'builtin';
}

/**
 * The type of result `index` of a call of a function this file declares or a function value (model.resultType);
 * not asked of methods, whose receiver's type may lie in a field of a struct of another piece.
 */
function declaredResult(model: GoModel, call: Node, index: number): string | undefined {
  let fn = call.childForFieldName('function');
  while (fn?.type === 'parenthesized_expression') fn = fn.namedChild(0);
  if (fn?.type !== 'identifier' && fn?.type !== 'func_literal') return undefined;
  return model.resultType(call, index);
}

/** How many names the spec or assignment of a binding from a call sets (`a, b := f()`: 2). */
function namesBound(b: GoBinding): number {
  const p = b.node.parent;
  if (p?.type === 'expression_list') return p.namedChildren.filter((c) => c?.type === 'identifier').length;
  return p?.type === 'var_spec' ? p.childrenForFieldName('name').length : 0;
}

function infinite(loop: Node): boolean {
  if (loop.namedChildren.some((c) => c?.type === 'range_clause')) return false;
  const clause = loop.namedChildren.find((c) => c?.type === 'for_clause');
  if (clause) return !clause.childForFieldName('condition');
  return !loop.namedChildren.some((c) => c && c.type !== 'block' && c.type !== 'comment');
}

/**
 * The paths out of an inner loop: `after` are the paths from somewhere in its body (from its start, or after a
 * node), `head` the state with which they get back to its head. From the head the body may run again, and the
 * loop ends (unless it is `for {}`) or is left by a break.
 */
function loopExit(loop: Node, after: Flow, head: State): Flow {
  const label = labelOf(loop);
  const body = loop.childForFieldName('body');
  const fromStart = head ? seq(body, 2) : FALLS;
  const brkOf = (f: Flow) => max(f.brk, f.labels.get(label ?? '')?.brk ?? 0);
  const ends = infinite(loop) ? min(head, brkOf(fromStart)) : head;
  let labels = without(after.labels, label),
    gotos = after.gotos,
    exits = after.exits;
  if (head) {
    labels = mergeLabels(labels, without(fromStart.labels, label), head);
    gotos = mergeGotos(gotos, fromStart.gotos, head);
    exits = union(exits, fromStart.exits);
  }
  return { fall: max(brkOf(after), ends), brk: 0, cont: 0, labels, gotos, exits };
}

/** A switch or select: its cases' paths, unlabeled (or own-label) breaks ending the statement. */
function casesExit(stmt: Node, cases: Flow[], implicitFall: boolean): Flow {
  const label = labelOf(stmt);
  let out: Flow = { ...FALLS, fall: implicitFall ? 2 : 0 };
  for (const c of cases) {
    out = join(out, { ...c, fall: max(c.fall, max(c.brk, c.labels.get(label ?? '')?.brk ?? 0)), brk: 0, labels: without(c.labels, label) });
  }
  return out;
}

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
    case 'expression_statement': {
      const how = exitCall(s);
      return how ? exit(how) : FALLS;
    }
    case 'break_statement': {
      const l = jumpLabel(s);
      return l ? { ...FALLS, fall: 0, labels: new Map([[l, { brk: 2, cont: 0 }]]) } : { ...FALLS, fall: 0, brk: 2 };
    }
    case 'continue_statement': {
      const l = jumpLabel(s);
      return l ? { ...FALLS, fall: 0, labels: new Map([[l, { brk: 0, cont: 2 }]]) } : { ...FALLS, fall: 0, cont: 2 };
    }
    case 'goto_statement': {
      const l = jumpLabel(s);
      return l ? { ...FALLS, fall: 0, gotos: new Map([[l, 2 as State]]) } : FALLS;
    }
    case 'block':
      return seq(s, 2);
    case 'labeled_statement': {
      const inner = s.namedChildren.find((c) => c && c.type !== 'label_name' && c.type !== 'comment');
      return inner ? summary(inner) : FALLS;
    }
    case 'if_statement': {
      const test = errTest(s.childForFieldName('condition'));
      const cons = seq(s.childForFieldName('consequence'), test === 'nonnil' ? 1 : 2);
      const altGate: State = test === 'nil' ? 1 : 2;
      const alt = s.childForFieldName('alternative');
      if (!alt) return join(cons, FALLS, altGate);
      return join(cons, alt.type === 'block' ? seq(alt, 2) : summary(alt), altGate);
    }
    case 'for_statement':
      return loopExit(s, seq(s.childForFieldName('body'), 2), 2);
    case 'expression_switch_statement':
    case 'type_switch_statement': {
      const cases = s.namedChildren.filter((c): c is Node => !!c && (c.type === 'expression_case' || c.type === 'default_case' || c.type === 'type_case'));
      return casesExit(
        s,
        cases.map((c) => seq(c, 2)),
        !cases.some((c) => c.type === 'default_case'),
      );
    }
    case 'select_statement': {
      const cases = s.namedChildren.filter((c): c is Node => !!c && (c.type === 'communication_case' || c.type === 'default_case'));
      if (!cases.length) return exit('select {}');
      return casesExit(
        s,
        cases.map((c) => seq(c, 2)),
        false,
      );
    }
    default:
      return FALLS;
  }
}

/** The statement (in a statement list) that holds `n`, or `n` itself; labeled statements whole. */
function statementOf(n: Node): Node | undefined {
  let s: Node | null = n;
  while (s && s.parent && s.parent.type !== 'statement_list') s = s.parent;
  return s?.parent ? s : undefined;
}

/** A loop's statement in its list: the labeled statement around it, if any. */
function loopStatement(loop: Node): Node {
  return loop.parent?.type === 'labeled_statement' ? loop.parent : loop;
}

function rest(list: Node, stmt: Node, cur: Flow): Flow {
  const all = list.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
  const at = all.findIndex((x) => x.startIndex === stmt.startIndex);
  return run(at >= 0 ? all.slice(at + 1) : [], cur);
}

/** True when a statement labeled `label` is inside `loop`'s body (a goto there stays in the loop). */
function labelInside(loop: Node, label: string): boolean {
  const body = loop.childForFieldName('body');
  return !!body && body.descendantsOfType('labeled_statement').some((l) => l?.childForFieldName('label')?.text === label);
}

/** At the loop itself: the state of the paths back to its head, and how the others leave. */
function finish(after: Flow, loop: Node): { back: State; exits: readonly string[] } {
  const label = labelOf(loop);
  const own = after.labels.get(label ?? '');
  let back = max(max(after.fall, after.cont), own?.cont ?? 0);
  let exits = after.exits;
  if (after.brk || own?.brk) exits = union(exits, ['break']);
  if ([...after.labels.keys()].some((k) => k !== label)) exits = union(exits, ['a jump to an outer loop']);
  for (const [l, st] of after.gotos) {
    if (!st) continue;
    if (labelInside(loop, l)) back = max(back, st);
    else exits = union(exits, ['goto']);
  }
  return { back, exits };
}

/** The paths from just after `node` back to the head of `loop`: 0 means it runs at most once per entry. */
function afterNode(node: Node, loop: Node): { back: State; exits: readonly string[] } {
  const body = loop.childForFieldName('body');
  if (!body || !within(node, body)) return finish(seq(body, 2), loop); // the condition or update: then the body
  const first = statementOf(node);
  if (!first) return { back: 2, exits: [] };
  let stmt: Node = first;
  let cur = summary(stmt);
  for (let guard = 0; guard < 1000; guard++) {
    const list: Node | null = stmt.parent;
    if (!list || list.type !== 'statement_list') return { back: 2, exits: [] };
    const after = rest(list, stmt, cur);
    const owner: Node | null = list.parent;
    if (!owner) return { back: 2, exits: [] };
    if (owner.type === 'block') {
      const gp: Node | null = owner.parent;
      if (gp?.type === 'for_statement') {
        if (same(gp, loop)) return finish(after, loop);
        const label = labelOf(gp);
        const head = max(max(after.fall, after.cont), after.labels.get(label ?? '')?.cont ?? 0);
        cur = loopExit(gp, after, head);
        stmt = loopStatement(gp);
      } else if (gp?.type === 'if_statement') {
        cur = after;
        let s: Node = gp;
        while (s.parent?.type === 'if_statement') s = s.parent; // else if: the chain's first if
        stmt = s;
      } else if (gp?.type === 'statement_list' || gp?.type === 'labeled_statement') {
        cur = after;
        stmt = gp.type === 'labeled_statement' ? gp : owner;
      } else return { back: 2, exits: [] }; // a function
    } else if (['expression_case', 'default_case', 'type_case', 'communication_case'].includes(owner.type)) {
      const sw = owner.parent!;
      cur = casesExit(sw, [after], false);
      stmt = loopStatement(sw);
    } else return { back: 2, exits: [] };
  }
  return { back: 2, exits: [] };
}

// ---- timers ----

/** The channel a select case receives from, or undefined (a send, or default). */
function received(c: Node): Node | undefined {
  const comm = c.childForFieldName('communication');
  if (!comm) return undefined;
  const right = comm.type === 'receive_statement' ? comm.childForFieldName('right') : comm.type === 'expression_statement' ? comm.namedChild(0) : comm;
  let u = right;
  while (u?.type === 'parenthesized_expression') u = u.namedChild(0);
  if (u?.type !== 'unary_expression' || u.child(0)?.type !== '<-') return undefined;
  let op = u.childForFieldName('operand');
  while (op?.type === 'parenthesized_expression') op = op.namedChild(0);
  return op ?? undefined;
}

/** `time.After(d)` or `time.Tick(d)`, through whatever name the file imports `time` by (or a dot import): which one. */
function timerCallOf(e: Node | null | undefined): 'time.After' | 'time.Tick' | undefined {
  if (e?.type !== 'call_expression') return undefined;
  const fn = e.childForFieldName('function');
  // Most calls are of neither: the called name says so without a lookup.
  const name = fn?.type === 'selector_expression' ? fn.childForFieldName('field')?.text : fn?.type === 'identifier' ? fn.text : undefined;
  if (name !== 'After' && name !== 'Tick') return undefined;
  const q = modelOf(e).resolveCall(e);
  return q === 'time.After' || q === 'time.Tick' ? q : undefined;
}

function timerCall(e: Node | null | undefined): boolean {
  return timerCallOf(e) !== undefined;
}

/** `time.After(d)`, `time.Tick(d)`, `t.C` (a Timer's or Ticker's channel), or a variable only ever set to one of them (or nil). */
function timerChannel(e: Node | undefined, fn: Node | undefined): boolean {
  if (!e) return false;
  if (timerCall(e)) return true;
  if (e.type === 'selector_expression') return e.childForFieldName('field')?.text === 'C';
  if (e.type !== 'identifier' || !fn) return false;
  const memo = memoOf(fn).timerVars;
  const key = `${fn.id}:${e.text}`;
  let v = memo.get(key);
  if (v === undefined) {
    v = timerVariable(e.text, fn);
    memo.set(key, v);
  }
  return v;
}

function timerVariable(name: string, fn: Node): boolean {
  let set = false;
  const text = fn.text;
  const re = new RegExp(`(?<![\\w.])${name}(?!\\w)`, 'g');
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const id = fn.tree.rootNode.descendantForIndex(fn.startIndex + m.index, fn.startIndex + m.index + name.length);
    if (!id || id.type !== 'identifier') continue;
    const p = id.parent;
    if (p?.type === 'parameter_declaration') return false;
    let v: Node | null | undefined;
    if (p?.type === 'var_spec') {
      const names = p.childrenForFieldName('name');
      const i = names.findIndex((x) => same(x, id));
      if (i < 0) continue;
      v = p.childForFieldName('value')?.namedChild(i);
      if (!v) continue; // `var t <-chan time.Time`: nil
    } else {
      if (p?.type !== 'expression_list') continue;
      const stmt = p.parent;
      if ((stmt?.type !== 'assignment_statement' && stmt?.type !== 'short_var_declaration') || !same(stmt.childForFieldName('left'), p)) continue;
      v = stmt.childForFieldName('right')?.namedChild(p.namedChildren.findIndex((c) => same(c, id)));
    }
    if (!v || (!timerCall(v) && v.type !== 'nil')) return false;
    if (timerCall(v)) set = true;
  }
  return set;
}

/**
 * True when every path of a case's body leaves `loop` (return, break to the loop or out, goto out …). `inner`:
 * labels of statements between the case and the loop, whose jumps stay in the loop.
 */
function leaves(caseFlow: Flow, loop: Node, inner: ReadonlySet<string> = new Set()): boolean {
  if (caseFlow.fall || caseFlow.brk || caseFlow.cont || caseFlow.gotos.size) return false;
  if ([...caseFlow.labels.keys()].some((l) => inner.has(l))) return false;
  const own = caseFlow.labels.get(labelOf(loop) ?? '');
  return !own?.cont;
}

/** The labels of the statements around `n` up to `loop` (not the loop's own). */
function labelsBetween(n: Node, loop: Node): Set<string> {
  const out = new Set<string>();
  for (let p = n.parent; p && !same(p, loop); p = p.parent) {
    if (p.type === 'labeled_statement') {
      const l = p.childForFieldName('label')?.text;
      if (l) out.add(l);
    }
  }
  return out;
}

/** `<-X` as a statement (a bare wait) with X a timer channel. */
function bareWait(stmt: Node | null | undefined, fn: Node | undefined): boolean {
  const u = stmt?.type === 'expression_statement' ? stmt.namedChild(0) : null;
  return u?.type === 'unary_expression' && u.child(0)?.type === '<-' && timerChannel(u.childForFieldName('operand') ?? undefined, fn);
}

/**
 * A select with no default whose cases each either leave `loop` or receive from a timer (with `except`, only
 * that case may stay in the loop): passing it, an iteration either leaves or has waited for a timer.
 */
function waitsForTimer(select: Node, loop: Node, fn: Node | undefined, except?: Node): boolean {
  const cases = select.namedChildren.filter((c): c is Node => !!c && (c.type === 'communication_case' || c.type === 'default_case'));
  const inner = labelsBetween(select, loop);
  return cases.every((c) => {
    if (c.type === 'default_case') return false;
    if (except) return same(c, except) || leaves(seq(c, 2), loop, inner);
    return leaves(seq(c, 2), loop, inner) || timerChannel(received(c), fn);
  });
}

/**
 * A loop whose every iteration waits for a timer: its update is `<-time.After(d)`, or a statement of its body
 * reached without a `continue` is such a wait or a select with no default whose cases each either receive from
 * a timer or leave the loop.
 */
function pacedLoop(loop: Node): keyof typeof PACED_BY | undefined {
  const fn = enclosingFunction(loop);
  if (bareWait(loop.namedChildren.find((c) => c?.type === 'for_clause')?.childForFieldName('update'), fn)) return 'update';
  const body = statements(loop.childForFieldName('body'));
  for (let i = 0; i < body.length; i++) {
    const s = body[i].type === 'labeled_statement' ? body[i].namedChildren.find((c) => c?.type === 'select_statement') : body[i];
    if (!s || (s.type !== 'select_statement' && !bareWait(s, fn))) continue;
    const before = run(body.slice(0, i), FALLS);
    if (!before.fall || before.cont || before.gotos.size || before.labels.get(labelOf(loop) ?? '')?.cont) return undefined;
    if (s.type !== 'select_statement') return 'wait';
    if (waitsForTimer(s, loop, fn)) return 'select';
  }
  return undefined;
}

/**
 * `node` makes the timer its iteration then waits for: it is in `<-time.After(d)` as a statement, or in the
 * channel of a select case whose other cases all leave the loop (the select may sit in a branch). Each timer it
 * makes fires (or the loop is left) before it makes the next.
 */
function waitedFor(node: Node, loop: Node): boolean {
  for (let p = node.parent; p && !same(p, loop); p = p.parent) {
    if (p.type !== 'unary_expression' || p.child(0)?.type !== '<-') continue;
    const op = p.childForFieldName('operand');
    if (!op || !within(node, op) || timerCallOf(op) !== 'time.After') return false;
    const up = p.parent;
    if (up?.type === 'expression_statement') return true;
    const c = up?.type === 'receive_statement' ? up.parent : null;
    if (c?.type !== 'communication_case' || !same(c.childForFieldName('communication'), up) || !c.parent) return false;
    // No loop in between: leaving that one would not leave this one.
    for (let q = c.parent.parent; q && !same(q, loop); q = q.parent) if (q.type === 'for_statement') return false;
    return waitsForTimer(c.parent, loop, enclosingFunction(node), c);
  }
  return false;
}

function enclosingFunction(n: Node): Node | undefined {
  for (let p = n.parent; p; p = p.parent) if (FUNCS.has(p.type)) return p;
  return undefined;
}

/** A select case between `node` and `loop` whose body holds the node and that receives from a timer. */
function inTimerCase(node: Node, loop: Node): boolean {
  const fn = enclosingFunction(node);
  for (let p = node.parent; p && !same(p, loop); p = p.parent) {
    if (p.type !== 'communication_case') continue;
    const comm = p.childForFieldName('communication');
    if (comm && within(node, comm)) continue;
    if (timerChannel(received(p), fn)) return true;
  }
  return false;
}

function loopInfo(loop: Node): { back: State; paced: keyof typeof PACED_BY | undefined } {
  const memo = memoOf(loop).loops;
  let i = memo.get(loop.id);
  if (!i) {
    i = { back: finish(seq(loop.childForFieldName('body'), 2), loop).back, paced: pacedLoop(loop) };
    memo.set(loop.id, i);
  }
  return i;
}

// ---- literal bounds ----

/** An integer literal or a constant declared with one (in the function, or at package level: a read of the name). */
function intValue(e: Node | null | undefined, reads: string[]): number | undefined {
  while (e?.type === 'parenthesized_expression') e = e.namedChild(0);
  if (!e) return undefined;
  if (e.type === 'int_literal') {
    const t = e.text.replace(/_/g, '');
    const v = /^0[0-7]+$/.test(t) ? parseInt(t, 8) : Number(t.replace(/^0o/i, '0o'));
    return Number.isSafeInteger(v) ? v : undefined;
  }
  if (e.type === 'identifier') return constValue(e, reads);
  return undefined;
}

function constValue(id: Node, reads: string[]): number | undefined {
  const name = id.text;
  const memo = memoOf(id);
  memo.consts ??= packageConsts(id.tree);
  reads.push(name);
  let top = enclosingFunction(id);
  for (let f = top; f; f = enclosingFunction(f)) top = f;
  if (!top) return memo.consts.get(name) ?? undefined;
  // A name the function declares is that declaration: a const set to a literal counts, anything else does not.
  // Most bounds are variables of functions that declare no const and shadow no package constant: no walk then.
  const pkg = memo.consts.get(name);
  let locals = memo.locals.get(top.id);
  if (!locals) {
    if (pkg == null && !memo.constFree.has(top.id) && !top.text.includes('const')) memo.constFree.add(top.id);
    if (pkg == null && memo.constFree.has(top.id)) return undefined;
    locals = localNames(top);
    memo.locals.set(top.id, locals);
  }
  const local = locals.get(name);
  return local !== undefined ? (local ?? undefined) : (pkg ?? undefined);
}

/** The names a function declares: an integer for a const set to a literal, null for anything else (or twice). */
function localNames(fn: Node): Map<string, number | null> {
  const out = new Map<string, number | null>();
  for (const d of fn.descendantsOfType(['const_spec', 'var_spec', 'parameter_declaration', 'short_var_declaration', 'range_clause'])) {
    if (!d) continue;
    const names = (
      d.type === 'short_var_declaration' || d.type === 'range_clause' ? (d.childForFieldName('left')?.namedChildren ?? []) : d.childrenForFieldName('name')
    ).filter((x): x is Node => !!x);
    const values = d.type === 'const_spec' ? (d.childForFieldName('value')?.namedChildren ?? []) : [];
    for (const n of names) {
      const one = d.type === 'const_spec' && names.length === 1 && values.length === 1 && values[0]?.type === 'int_literal' && !out.has(n.text);
      out.set(n.text, one ? (intValue(values[0], []) ?? null) : null);
    }
  }
  return out;
}

/** Package-level constants set to an integer literal (null: declared otherwise, or more than once). */
function packageConsts(tree: Tree): Map<string, number | null> {
  const out = new Map<string, number | null>();
  for (const top of tree.rootNode.namedChildren) {
    if (top?.type !== 'const_declaration' && top?.type !== 'var_declaration') continue;
    for (const spec of top.namedChildren) {
      if (spec?.type !== 'const_spec' && spec?.type !== 'var_spec') continue;
      const names = spec.childrenForFieldName('name');
      const values = spec.childForFieldName('value')?.namedChildren ?? [];
      for (const n of names) {
        if (!n) continue;
        const ok = spec.type === 'const_spec' && names.length === 1 && values.length === 1 && values[0]?.type === 'int_literal' && !out.has(n.text);
        out.set(n.text, ok ? (intValue(values[0], []) ?? null) : null);
      }
    }
  }
  return out;
}

/** True when the loop body writes `name` (assignment, ++/--, or its address is taken). */
function written(body: Node, name: string): boolean {
  for (const id of body.descendantsOfType('identifier')) {
    if (!id || id.text !== name) continue;
    const p = id.parent;
    if (p?.type === 'inc_statement' || p?.type === 'dec_statement') return true;
    if (p?.type === 'unary_expression' && p.child(0)?.type === '&') return true;
    if (
      p?.type === 'expression_list' &&
      (p.parent?.type === 'assignment_statement' || p.parent?.type === 'short_var_declaration') &&
      same(p.parent.childForFieldName('left'), p)
    )
      return true;
  }
  return false;
}

/** How many iterations the loop's header spells out, when it does. */
function literalCount(loop: Node, reads: string[]): Count | undefined {
  const range = loop.namedChildren.find((c) => c?.type === 'range_clause');
  if (range) {
    let r = range.childForFieldName('right');
    while (r?.type === 'parenthesized_expression') r = r.namedChild(0);
    if (!r) return undefined;
    if (r.type === 'composite_literal') {
      const body = r.childForFieldName('body');
      const elems = body?.namedChildren.filter((c) => c && c.type !== 'comment') ?? [];
      return { n: elems.length, what: items(elems.length) };
    }
    if (r.type === 'interpreted_string_literal' || r.type === 'raw_string_literal') {
      const n = r.text.length - 2;
      return { n, what: `a ${n}-byte literal string` };
    }
    const v = intValue(r, reads);
    return v === undefined ? undefined : { n: Math.max(0, v), what: iterations(Math.max(0, v), `range ${r.text}`), of: true };
  }
  const clause = loop.namedChildren.find((c) => c?.type === 'for_clause');
  const init = clause?.childForFieldName('initializer');
  const update = clause?.childForFieldName('update');
  if (init?.type !== 'short_var_declaration' || !update) return undefined;
  const vars = init.childForFieldName('left')?.namedChildren ?? [];
  const starts = init.childForFieldName('right')?.namedChildren ?? [];
  if (vars.length !== 1 || starts.length !== 1 || vars[0]?.type !== 'identifier') return undefined;
  const i = vars[0].text;
  // `i < K`, or one conjunct of `… && i < K && …` (the loop may stop sooner, never later).
  const conjuncts = (e: Node | null): Node[] => {
    while (e?.type === 'parenthesized_expression') e = e.namedChild(0);
    if (e?.type === 'binary_expression' && e.child(1)?.type === '&&')
      return [...conjuncts(e.childForFieldName('left')), ...conjuncts(e.childForFieldName('right'))];
    return e ? [e] : [];
  };
  const from = intValue(starts[0], reads);
  const step =
    update.type === 'inc_statement' && update.namedChild(0)?.text === i
      ? 1
      : update.type === 'dec_statement' && update.namedChild(0)?.text === i
        ? -1
        : update.type === 'assignment_statement' &&
            update.childForFieldName('left')?.text === i &&
            /^[+-]=$/.test(update.childForFieldName('operator')?.text ?? '') &&
            update.childForFieldName('right')?.text === '1'
          ? update.childForFieldName('operator')!.text === '+='
            ? 1
            : -1
          : 0;
  if (from === undefined || !step) return undefined;
  const body = loop.childForFieldName('body');
  for (const cond of conjuncts(clause?.childForFieldName('condition') ?? null)) {
    if (cond.type !== 'binary_expression') continue;
    let op = cond.child(1)?.type ?? '';
    let l = cond.childForFieldName('left'),
      r = cond.childForFieldName('right');
    if (r?.type === 'identifier' && r.text === i) {
      [l, r] = [r, l];
      op = ({ '<': '>', '<=': '>=', '>': '<', '>=': '<=' } as Record<string, string>)[op] ?? op;
    }
    if (l?.type !== 'identifier' || l.text !== i) continue;
    const to = intValue(r, reads);
    if (to === undefined) continue;
    let n: number | undefined;
    if (step > 0 && (op === '<' || op === '<=')) n = to - from + (op === '<=' ? 1 : 0);
    if (step < 0 && (op === '>' || op === '>=')) n = from - to + (op === '>=' ? 1 : 0);
    if (n === undefined) continue;
    if (body && written(body, i)) return undefined;
    n = Math.max(0, n);
    return { n, what: iterations(n, cond.text), of: true };
  }
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
  const count = literalCount(loop, reads);
  if (count && count.n <= max) return { loop, repeats: false, why: `loop ${count.of ? 'of' : 'over'} ${count.what}`, bound: count.n };
  const info = loopInfo(loop);
  if (info.paced) return { loop, repeats: false, why: PACED_LOOP + PACED_BY[info.paced] };
  if (waitedFor(node, loop)) return { loop, repeats: false, why: WAITED };
  if (inTimerCase(node, loop)) return { loop, repeats: false, why: PACED_CASE };
  if (info.back === 1) return { loop, repeats: false, why: RETRY };
  return { loop, repeats: true };
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

/**
 * The `for` loops that run `node` on each iteration (body, condition, update), innermost first, with verdicts.
 * `memo`: the analysis's flow facts and Go model (goFlowMemo, kept in ctx.memo by analysis/frequency.ts).
 */
export function goLoopFacts(node: Node, max: number, reads: string[], memo: GoFlowMemo): LoopFact[] {
  const outer = active;
  active = memo;
  try {
    const out: LoopFact[] = [];
    for (let p = node.parent; p && !FUNCS.has(p.type); p = p.parent) {
      if (p.type === 'for_statement' && inLoopBody(node, p)) out.push(loopFact(node, p, max, reads));
    }
    return out;
  } finally {
    active = outer;
  }
}
