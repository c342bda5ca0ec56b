import type { Node } from 'web-tree-sitter';
import type { Fix, Rule, RuleContext } from '../../analysis/types';
import { BASIC_TYPES, type GoModel, goModel, INTEGER_TYPES as MODEL_INTEGER_TYPES } from '../../analysis/go/model';
import {
  argsOf,
  freshName,
  ofFunction,
  lineBefore,
  loopStatement,
  mentionsOf,
  methodCall,
  repeatingLoops,
  sameNode,
  useKind,
  walkAll,
  within,
} from '../lib/go/goutil';
import { memoAt } from '../lib/tree';
import { indentAt } from '../../analysis/text';
import { memoKey } from '../../analysis/memo';

/** The types whose values print without a method of their own (the model's basic types, but uintptr and complex). */
const BASIC = new Set([...BASIC_TYPES, 'untyped int'].filter((t) => t !== 'uintptr' && !t.startsWith('complex')));
/** The strconv conversions the rule flags (FormatBool returns one of two constant strings: it builds nothing). */
const STRCONV = new Set(['strconv.Itoa', 'strconv.FormatInt', 'strconv.FormatUint', 'strconv.Quote']);
/** strconv functions that only read their arguments (passing a value to one does not change it). */
const PURE_STRCONV = new Set([...STRCONV, 'strconv.FormatBool']);
const INTEGER_TYPES = new Set([...MODEL_INTEGER_TYPES, 'untyped int']);
const FMT = new Set(['fmt.Sprint', 'fmt.Sprintf', 'fmt.Sprintln']);
/** Values whose String only reads them, and which nothing else can change: they are copied, never shared. */
const VALUE_STRING = new Set(['time.Duration', 'time.Month', 'time.Weekday']);
/** Types whose String only reads the value, which is shared through any pointer to it (or a slice's array). */
const PURE_STRING = new Set(['bytes.Buffer', 'strings.Builder', 'net/url.URL', 'math/big.Int']);

/** A conversion call this rule knows: what it is and the values it depends on. */
interface Conversion {
  kind: 'string-method' | 'strconv' | 'fmt';
  inputs: Node[];
  receiver?: Node;
}

function conversionOf(model: GoModel, call: Node): Conversion | undefined {
  const fn = call.childForFieldName('function');
  if (!fn) return undefined;
  const q = model.resolve(fn);
  const args = argsOf(call);
  if (q && STRCONV.has(q)) {
    if (q === 'strconv.FormatInt' || q === 'strconv.FormatUint') {
      const base = args[1];
      if (!base || base.type !== 'int_literal' || Number(base.text) < 2 || Number(base.text) > 36) return undefined;
    }
    if (!args.length || buildsNothing(model, call)) return undefined;
    return { kind: 'strconv', inputs: args };
  }
  if (q && FMT.has(q)) return args.length && !call.text.includes('...') && !buildsNothing(model, call) ? { kind: 'fmt', inputs: args } : undefined;
  const mc = methodCall(call);
  if (mc && mc.method === 'String' && args.length === 0 && !q) {
    if (mc.receiver.type !== 'identifier' && mc.receiver.type !== 'selector_expression') return undefined;
    return { kind: 'string-method', inputs: [mc.receiver], receiver: mc.receiver };
  }
  return undefined;
}

/**
 * For a conversion whose result is not allocated for small values of its input (buildsNothing): that input and the
 * bound below which (from 0) it builds nothing; undefined for the other conversions.
 * - strconv.Itoa(i), FormatInt(i, 10), FormatUint(i, 10) of 0 <= i < 100 return a slice of a static table (Go's
 *   internal/strconv: `if 0 <= i && i < nSmalls { return small(int(i)) }`, nSmalls = 100).
 * - FormatInt(i, b), FormatUint(i, b) in another base b of 0 <= i < b, and fmt.Sprint(i) (or Sprintf("%d" or "%v",
 *   i)) of a basic integer 0 <= i < 10, make a one-byte string, which the runtime never allocates
 *   (slicebytetostring returns a slice of its static staticuint64s table; an integer below 256 converted to an
 *   interface is one too, convT64).
 */
function smallInput(model: GoModel, call: Node): { input: Node; below: number } | undefined {
  const fn = call.childForFieldName('function');
  const q = fn ? model.resolve(fn) : undefined;
  const args = argsOf(call);
  if (q === 'strconv.Itoa' && args.length === 1) return { input: args[0], below: 100 };
  if ((q === 'strconv.FormatInt' || q === 'strconv.FormatUint') && args.length === 2 && args[1].type === 'int_literal') {
    const base = Number(args[1].text);
    return { input: args[0], below: base === 10 ? 100 : base };
  }
  const verbs = q === 'fmt.Sprintf' && args.length === 2 && /^(?:"%[dv]"|`%[dv]`)$/.test(args[0].text);
  if ((q === 'fmt.Sprint' && args.length === 1) || verbs) {
    const input = args[args.length - 1];
    return INTEGER_TYPES.has(model.exactTypeOf(input) ?? '') ? { input, below: 10 } : undefined;
  }
  return undefined;
}

/**
 * True when the conversion provably allocates nothing (see smallInput): its input is known to lie in [0, bound),
 * or (fmt.Sprint of a string constant of at most one byte) its result is at most one byte.
 */
function buildsNothing(model: GoModel, call: Node): boolean {
  const small = smallInput(model, call);
  if (small) {
    const r = rangeOf(model, small.input);
    return !!r && r.lo >= 0 && r.hi < small.below;
  }
  const fn = call.childForFieldName('function');
  const args = argsOf(call);
  if (fn && model.resolve(fn) === 'fmt.Sprint' && args.length === 1 && model.isConstant(args[0]) && model.exactTypeOf(args[0]) === 'string') {
    const s = stringConstant(model, args[0]);
    return s !== undefined && (s === '' || (s.length === 1 && s.charCodeAt(0) < 0x80));
  }
  return false;
}

/** The value of a string literal without escapes (or a constant set to one), else undefined. */
function stringConstant(model: GoModel, e: Node, depth = 0): string | undefined {
  if (depth > 8) return undefined;
  if (e.type === 'raw_string_literal') return e.text.slice(1, -1);
  if (e.type === 'interpreted_string_literal') return e.text.includes('\\') ? undefined : e.text.slice(1, -1);
  if (e.type === 'parenthesized_expression' && e.namedChild(0)) return stringConstant(model, e.namedChild(0)!, depth + 1);
  if (e.type === 'identifier') {
    const d = model.valueBindingAt(e.text, e);
    return d?.kind === 'const' && d.value ? stringConstant(model, d.value, depth + 1) : undefined;
  }
  return undefined;
}

/**
 * The value of an integer constant expression the file spells out (literals, constants declared with a value that
 * does not use iota, operations on them, conversions to integer types), else undefined.
 */
function constValue(model: GoModel, e: Node, depth = 0): number | undefined {
  if (depth > 8) return undefined;
  switch (e.type) {
    case 'int_literal': {
      const t = e.text.replace(/_/g, '');
      const v = /^0[0-7]+$/.test(t) ? parseInt(t.slice(1), 8) : /^0[oO]/.test(t) ? parseInt(t.slice(2), 8) : Number(t);
      return Number.isSafeInteger(v) ? v : undefined;
    }
    case 'parenthesized_expression': {
      const c = e.namedChild(0);
      return c ? constValue(model, c, depth + 1) : undefined;
    }
    case 'identifier': {
      const d = model.valueBindingAt(e.text, e);
      if (d?.kind !== 'const' || !d.value || (d.type && !INTEGER_TYPES.has(model.underlying(model.typeName(d.type) ?? '', d.type) ?? ''))) return undefined;
      for (const n of walkAll(d.value)) if (n.type === 'iota') return undefined;
      return constValue(model, d.value, depth + 1);
    }
    case 'unary_expression': {
      const op = e.childForFieldName('operand');
      const v = op ? constValue(model, op, depth + 1) : undefined;
      if (v === undefined) return undefined;
      const sign = e.child(0)?.type;
      return sign === '-' ? -v : sign === '+' ? v : undefined;
    }
    case 'binary_expression': {
      const l = e.childForFieldName('left'),
        r = e.childForFieldName('right');
      const a = l ? constValue(model, l, depth + 1) : undefined;
      const b = r ? constValue(model, r, depth + 1) : undefined;
      if (a === undefined || b === undefined) return undefined;
      let v: number | undefined;
      switch (e.child(1)?.type) {
        case '+':
          v = a + b;
          break;
        case '-':
          v = a - b;
          break;
        case '*':
          v = a * b;
          break;
        case '/':
          v = b === 0 ? undefined : Math.trunc(a / b);
          break;
        case '%':
          v = b === 0 ? undefined : a % b;
          break;
        case '<<':
          v = b >= 0 && b < 53 ? a * 2 ** b : undefined;
          break;
        case '>>':
          v = b >= 0 && b < 53 ? Math.floor(a / 2 ** b) : undefined;
          break;
        default:
          v = undefined;
      }
      return v !== undefined && Number.isSafeInteger(v) ? v : undefined;
    }
    case 'call_expression': {
      // int64(5): a conversion to an integer type keeps a small value (one that every such type holds).
      const fn = e.childForFieldName('function');
      const args = argsOf(e);
      const t = fn && args.length === 1 ? model.conversionType(fn) : undefined;
      const u = t ? model.underlying(t, fn!) : undefined;
      if (!u || !INTEGER_TYPES.has(u)) return undefined;
      const v = constValue(model, args[0], depth + 1);
      return v !== undefined && v <= 127 && v >= (/^(uint|byte)/.test(u) ? 0 : -128) ? v : undefined;
    }
    default:
      return undefined;
  }
}

/**
 * The values an integer expression can have where it is, when the file shows bounds: a constant; the variable of
 * `for i := range k` (0..k-1) or of `for i := c; i < k; i++` (c..k-1; also `<=`, and `i--` down to a bound) with
 * constants c and k, where the loop's body never changes the variable; conversions of those to integer types.
 */
function rangeOf(model: GoModel, e: Node, depth = 0): { lo: number; hi: number } | undefined {
  if (depth > 8) return undefined;
  const c = constValue(model, e);
  if (c !== undefined) return { lo: c, hi: c };
  if (e.type === 'parenthesized_expression') {
    const x = e.namedChild(0);
    return x ? rangeOf(model, x, depth + 1) : undefined;
  }
  if (e.type === 'call_expression') {
    const fn = e.childForFieldName('function');
    const args = argsOf(e);
    const t = fn && args.length === 1 ? model.conversionType(fn) : undefined;
    if (!t || !INTEGER_TYPES.has(model.underlying(t, fn!) ?? '')) return undefined;
    const r = rangeOf(model, args[0], depth + 1);
    return r && r.lo >= 0 && r.hi <= 127 ? r : undefined;
  }
  if (e.type !== 'identifier') return undefined;
  const d = model.valueBindingAt(e.text, e);
  if (!d || (d.kind !== 'range' && d.kind !== 'short')) return undefined;
  const loop = d.scope.node;
  if (loop.type !== 'for_statement') return undefined;
  const body = loop.childForFieldName('body');
  if (!body || !within(e, body)) return undefined;
  // The body never changes the variable (nor takes its address).
  for (const u of mentionsOf(body, e.text))
    if (useKind(u) !== 'read' && model.valueBindingAt(u.text, u)?.node.startIndex === d.node.startIndex) return undefined;
  if (d.kind === 'range') {
    const clause = d.node.parent?.parent;
    const left = clause?.childForFieldName('left');
    const right = clause?.childForFieldName('right');
    if (clause?.type !== 'range_clause' || !left || !right || !sameNode(left.namedChild(0), d.node)) return undefined;
    const k = constValue(model, right);
    return k !== undefined && k >= 1 ? { lo: 0, hi: k - 1 } : undefined;
  }
  const clause = loop.namedChildren.find((x) => x?.type === 'for_clause');
  const init = clause?.childForFieldName('initializer');
  const cond = clause?.childForFieldName('condition');
  const update = clause?.childForFieldName('update');
  if (!clause || !init || !cond || !update || !sameNode(init, d.node.parent?.parent) || !d.value || cond.type !== 'binary_expression') return undefined;
  const start = constValue(model, d.value);
  if (start === undefined) return undefined;
  const l = cond.childForFieldName('left'),
    r = cond.childForFieldName('right');
  let op = cond.child(1)?.type ?? '';
  let bound: Node | null = r;
  if (r?.type === 'identifier' && r.text === e.text && !(l?.type === 'identifier' && l.text === e.text)) {
    bound = l;
    op = ({ '>': '<', '>=': '<=', '<': '>', '<=': '>=' } as Record<string, string>)[op] ?? '';
  } else if (l?.type !== 'identifier' || l.text !== e.text) return undefined;
  const k = bound ? constValue(model, bound) : undefined;
  if (k === undefined) return undefined;
  const step = update.type === 'inc_statement' ? 1 : update.type === 'dec_statement' ? -1 : 0;
  if (update.namedChild(0)?.text !== e.text) return undefined;
  if (step === 1 && op === '<') return { lo: start, hi: k - 1 };
  if (step === 1 && op === '<=') return { lo: start, hi: k };
  if (step === -1 && op === '>') return { lo: k + 1, hi: start };
  if (step === -1 && op === '>=') return { lo: k, hi: start };
  return undefined;
}

/** `e` without parentheses and conversions to integer types around it (`int64(p)` -> `p`). */
function stripConversions(model: GoModel, e: Node): Node {
  for (let depth = 0; depth < 8; depth++) {
    if (e.type === 'parenthesized_expression' && e.namedChild(0)) {
      e = e.namedChild(0)!;
      continue;
    }
    const fn = e.type === 'call_expression' ? e.childForFieldName('function') : null;
    const args = fn ? argsOf(e) : [];
    const t = fn && args.length === 1 ? model.conversionType(fn) : undefined;
    if (!t || !INTEGER_TYPES.has(model.underlying(t, fn!) ?? '')) break;
    e = args[0];
  }
  return e;
}

/** The local variables an expression reads; undefined if it calls something or reads what the file cannot pin down. */
function localsRead(model: GoModel, e: Node): Node[] | undefined {
  const out: Node[] = [];
  for (const n of walkAll(e)) {
    if (
      n.type === 'call_expression' ||
      n.type === 'index_expression' ||
      n.type === 'func_literal' ||
      (n.type === 'unary_expression' && n.child(0)?.type === '<-')
    )
      return undefined;
    if (n.type !== 'identifier') continue;
    if (n.parent?.type === 'selector_expression' && sameNode(n.parent.childForFieldName('operand'), n) && model.packageOf(n)) continue; // time.Second
    const d = model.valueBindingAt(n.text, n);
    if (!d) {
      if (n.text === 'true' || n.text === 'false' || n.text === 'nil') continue;
      return undefined;
    }
    if (d.kind === 'const') continue;
    if (d.scope.kind === 'package') return undefined; // a package variable: other code may change it
    out.push(n);
  }
  return out;
}

/** True when the loop cannot change variable `v`: no writes, no address taken, no mutating method call, no passing it on. */
function unchangedIn(model: GoModel, loop: Node, v: Node, allowed: Node): boolean {
  const decl = model.valueBindingAt(v.text, v);
  if (!decl || within(decl.node, loop)) return false;
  // Changed during the loop through what was made before it: a pointer (`p := &v`, then `*p++`) or a function
  // literal that assigns it (`next := func() { v++ }`) (test/oracle/go/loop-invariant-conversion.go).
  for (const u of mentionsOf(decl.scope.node, v.text)) {
    if (within(u, loop) || model.valueBindingAt(u.text, u)?.node.startIndex !== decl.node.startIndex) continue;
    if (u.parent?.type === 'unary_expression' && u.parent.child(0)?.type === '&') return false;
    for (let p = u.parent; p && !sameNode(p, decl.scope.node); p = p.parent) if (p.type === 'func_literal' && useKind(u) !== 'read') return false;
  }
  for (const u of mentionsOf(loop, v.text)) {
    if (model.valueBindingAt(u.text, u)?.node.startIndex !== decl.node.startIndex) continue; // another variable of that name
    if (useKind(u) !== 'read') return false;
    if (within(u, allowed)) continue;
    let e: Node = u;
    while (
      e.parent &&
      ((e.parent.type === 'selector_expression' && sameNode(e.parent.childForFieldName('operand'), e)) || e.parent.type === 'parenthesized_expression')
    )
      e = e.parent;
    const p = e.parent;
    if (!p) return false;
    if (p.type === 'call_expression' && sameNode(p.childForFieldName('function'), e)) {
      if (e.type === 'selector_expression' && e.childForFieldName('field')?.text !== 'String') return false; // v.Add(1)
    }
    if (p.type === 'argument_list' && sameNode(e, u) && decl.type && model.isValueType(decl.type)) continue; // a copy is passed
    if (p.type === 'argument_list') {
      const call = p.parent!;
      const name = call.childForFieldName('function');
      const q = name ? model.resolve(name) : undefined;
      if (!(q && (PURE_STRCONV.has(q) || FMT.has(q) || q.startsWith('strings.'))) && name?.text !== 'len' && name?.text !== 'cap') return false;
    }
    if (
      p.type === 'expression_list' &&
      p.parent &&
      (p.parent.type === 'assignment_statement' || p.parent.type === 'inc_statement') &&
      sameNode(p.parent.childForFieldName('left'), p)
    )
      return false;
    if (p.type === 'inc_statement' || p.type === 'dec_statement') return false;
    if (p.type === 'unary_expression' && p.child(0)?.type === '&') return false;
  }
  return true;
}

/**
 * True when `n` runs on every pass through `loop`'s body: not in an if's branches, a switch or select case, the
 * right side of && or ||, or a function literal; and it does not end the loop (a return, or a block that
 * returns or breaks right after it), where it runs at most once.
 */
function everyIteration(n: Node, loop: Node): boolean {
  const body = loop.childForFieldName('body');
  return !!body && unconditional(n, body, true);
}

/** True when `n` runs whenever `body` runs (see everyIteration); `leaving`: a return or a break right after counts as conditional. */
function unconditional(n: Node, body: Node, leaving: boolean): boolean {
  let child = n;
  for (let p = n.parent; p && !sameNode(p, body); child = p, p = p.parent) {
    switch (p.type) {
      case 'if_statement':
        if (!sameNode(p.childForFieldName('condition'), child) && !sameNode(p.childForFieldName('initializer'), child)) return false;
        break;
      case 'expression_case':
      case 'default_case':
      case 'type_case':
      case 'communication_case':
      case 'func_literal':
        return false;
      case 'return_statement':
        if (leaving) return false;
        break;
      case 'binary_expression':
        if ((p.child(1)?.type === '&&' || p.child(1)?.type === '||') && sameNode(p.childForFieldName('right'), child)) return false;
        break;
      case 'statement_list':
        if (!leaving) break;
        for (let s = child.nextNamedSibling; s; s = s.nextNamedSibling) {
          if (s.type === 'return_statement' || s.type === 'break_statement' || s.type === 'goto_statement') return false;
        }
        break;
    }
  }
  return true;
}

/**
 * True unless `x.String()` is provably a read of a value nothing else changes in the meantime: x's type is one
 * copied by value (VALUE_STRING), or x is a variable declared with a non-pointer, non-slice type that is pure
 * (PURE_STRING) or whose String method (when this file declares it) has a value receiver. Through a pointer,
 * another alias may write what String reads while x itself stays the same (a framer writing into the buffer x
 * points to); a String method on a pointer may also read a stream or change x (compiler decoders do).
 */
function statefulString(model: GoModel, ctx: RuleContext, receiver: Node): boolean {
  const t = model.typeOf(receiver);
  if (t && VALUE_STRING.has(t)) return false;
  if (receiver.type !== 'identifier') return true;
  const d = model.valueBindingAt(receiver.text, receiver);
  if (!d || !d.type || d.type.type === 'pointer_type' || d.type.type === 'slice_type' || !t) return true;
  if (PURE_STRING.has(t) || t.includes('.')) return false;
  for (const top of ctx.tree.rootNode.namedChildren) {
    if (top?.type !== 'method_declaration' || top.childForFieldName('name')?.text !== 'String') continue;
    const recvType = top.childForFieldName('receiver')?.namedChild(0)?.childForFieldName('type');
    if (recvType?.type === 'pointer_type' && recvType.namedChild(0)?.text === t) return true;
  }
  return false;
}

/** The outermost loop (innermost first in `loops`) across which every input stays the same, or undefined. */
function invariantLoop(model: GoModel, call: Node, conv: Conversion, loops: Node[]): Node | undefined {
  const vars: Node[] = [];
  for (const input of conv.inputs) {
    const locals = localsRead(model, input);
    if (!locals) return undefined;
    vars.push(...locals);
  }
  let chosen: Node | undefined;
  for (const loop of loops) {
    if (!everyIteration(call, loop) || !vars.every((v) => unchangedIn(model, loop, v, call))) break;
    chosen = loop;
  }
  return chosen;
}

function hoistName(ctx: RuleContext, loop: Node, conv: Conversion): string {
  const base = conv.inputs[0];
  const last = base.type === 'selector_expression' ? base.childForFieldName('field')?.text : base.type === 'identifier' ? base.text : undefined;
  const wanted = conv.kind === 'fmt' ? 'msg' : last ? `${last}Str` : 'str';
  return freshName(ctx, /^[A-Za-z_]\w*$/.test(wanted) ? wanted : 'str', loop);
}

/**
 * The call's text for a statement of its own before the loop, where lineBefore indents each line (but blank ones):
 * a call over several lines keeps each continuation line's indentation relative to the line the call starts on
 * (gofmt's, one tab per open bracket). Undefined when a raw string or a comment spans lines (re-indenting would
 * change it), or a continuation line is indented less than that line.
 */
function hoistedText(text: string, call: Node): string | undefined {
  const lines = call.text.split(/\r?\n/);
  if (lines.length === 1) return call.text;
  for (const n of walkAll(call)) {
    if ((n.type === 'raw_string_literal' || n.type === 'comment') && n.startPosition.row !== n.endPosition.row) return undefined;
  }
  const base = indentAt(text, call.startIndex);
  const rest = lines.slice(1).map((l) => (l.trim() ? l : ''));
  if (rest.some((l) => l && !l.startsWith(base))) return undefined;
  return [lines[0], ...rest.map((l) => l.slice(base.length))].join('\n');
}

/** A call's text on one line and without comments, for a title or a message: `f(\n\ta,\n\tb,\n)` as `f(a, b)`. */
function oneLine(call: Node): string {
  let text = call.text;
  const comments = [...walkAll(call)].filter((n) => n.type === 'comment').reverse();
  for (const c of comments) text = text.slice(0, c.startIndex - call.startIndex) + text.slice(c.endIndex - call.startIndex);
  return text
    .replace(/\(\s*\n\s*/g, '(')
    .replace(/,?\s*\n\s*\)/g, ')')
    .replace(/\s*\n\s*/g, ' ')
    .trim();
}

function buildFix(ctx: RuleContext, model: GoModel, call: Node, conv: Conversion, loop: Node): Fix | undefined {
  const name = hoistName(ctx, loop, conv);
  const hoisted = hoistedText(ctx.text, call);
  const before = hoisted === undefined ? undefined : lineBefore(ctx.text, loopStatement(loop), `${name} := ${hoisted}`);
  if (!before) return undefined;
  // strconv and fmt on values of basic types are pure; a String method of a type this file does not show may
  // panic (a nil receiver) or have effects, and would now run even when the loop body does not.
  const receiverType = conv.receiver ? (model.typeOf(conv.receiver) ?? '') : '';
  let unsafe = conv.kind === 'string-method' && !PURE_STRING.has(receiverType) && !VALUE_STRING.has(receiverType);
  if (conv.kind === 'fmt') unsafe = conv.inputs.some((a) => !BASIC.has(model.typeOf(a) ?? ''));
  return {
    title: `Compute \`${oneLine(call)}\` once before the loop`,
    applicability: unsafe ? 'unsafe' : 'safe',
    edits: [before, { start: call.startIndex, end: call.endIndex, text: name }],
    binds: [name],
  };
}

/** The names of the calls conversionOf knows (strconv's, fmt's and String), whatever a package is imported as. */
const CONVERTING_NAMES = /\b(?:String|Itoa|FormatInt|FormatUint|Quote|Sprint|Sprintf|Sprintln)\b/;

/** convertersOf's answer for the analysis, and each function's share in its piece's memo. */
const CONVERTERS = memoKey<Map<string, Map<number, Converted>>>('go: functions converting a parameter on every call');
const CONVERTED_PARAMETERS = memoKey<{ name: string; params: Map<number, Converted> } | undefined>('go: the parameters a function converts on every call');
/** How a function converts one of its parameters: the call, and (see smallInput) the bound below which it builds nothing. */
interface Converted {
  how: string;
  below?: number;
}
/**
 * The functions of the file that convert a parameter on every call (p.String(), strconv.Itoa(p), fmt.Sprint…(p))
 * and never change it: name -> parameter index -> the conversion.
 * Each function's answer depends only on its own text (and imports and package-level declarations, whose change
 * re-analyses the whole file), so the editor keeps it in that function's piece memo.
 */
function convertersOf(ctx: RuleContext, model: GoModel): Map<string, Map<number, Converted>> {
  return ctx.memo(CONVERTERS, () => {
    const byName = new Map<string, Map<number, Converted>>();
    for (const fn of ctx.tree.rootNode.namedChildren) {
      if (fn?.type !== 'function_declaration') continue;
      const found = memoAt(ctx.pieces, fn, CONVERTED_PARAMETERS, () => convertedParameters(ctx, model, fn));
      if (found) byName.set(found.name, found.params);
    }
    return byName;
  });
}

/** The parameters (by index) a function converts on every call, with the conversion; undefined for none. */
function convertedParameters(ctx: RuleContext, model: GoModel, fn: Node): { name: string; params: Map<number, Converted> } | undefined {
  const name = fn.childForFieldName('name')?.text;
  const body = fn.childForFieldName('body');
  const params = fn.childForFieldName('parameters')?.namedChildren.filter((p): p is Node => p?.type === 'parameter_declaration') ?? [];
  if (!name || !body) return undefined;
  // Most functions convert nothing: a look at the text spares them the walk. By the called names alone, as the
  // rule's query does: the package may be imported under another name, or with a dot.
  if (!CONVERTING_NAMES.test(ctx.text.slice(body.startIndex, body.endIndex))) return undefined;
  const idents = new Map<string, Node[]>();
  for (const n of walkAll(body))
    if (n.type === 'identifier') {
      const l = idents.get(n.text);
      if (l) l.push(n);
      else idents.set(n.text, [n]);
    }
  let index = 0;
  const found = new Map<number, Converted>();
  for (const p of params) {
    const names = p.childrenForFieldName('name').filter((x): x is Node => !!x);
    for (const id of names.length ? names : [null]) {
      if (id) {
        const uses = idents.get(id.text) ?? [];
        if (uses.length && uses.every((u) => useKind(u) === 'read')) {
          for (const u of uses) {
            const call = u.parent?.type === 'selector_expression' ? u.parent.parent : u.parent?.parent;
            if (call?.type !== 'call_expression') continue;
            // The conversion reads only this parameter (and constants) and runs on every call. A String method
            // of a pointer (or of a type the file does not show) may read what another alias changes in the loop.
            const conv = conversionOf(model, call);
            if (conv?.receiver && statefulString(model, ctx, conv.receiver)) continue;
            const reads = conv && conv.inputs.flatMap((i) => localsRead(model, i) ?? [i]);
            if (conv && reads && reads.length > 0 && reads.every((r) => r.text === id.text) && unconditional(call, body, false)) {
              const small = smallInput(model, call);
              found.set(index, { how: call.text, below: small && stripConversions(model, small.input).text === id.text ? small.below : undefined });
              break;
            }
          }
        }
      }
      index++;
    }
  }
  return found.size ? { name, params: found } : undefined;
}

export const loopInvariantConversion: Rule = {
  meta: {
    id: 'go/loop-invariant-conversion',
    language: 'go',
    title: 'string conversion of a loop-invariant value inside a loop',
    severity: 'information',
    fix: 'mixed',
    docs: {
      what: "Flags `x.String()`, `strconv.Itoa(n)` (and `FormatInt`, `FormatUint`, `Quote`) and `fmt.Sprint`/`Sprintf`/`Sprintln` inside a `for` loop when every value they read is a local variable or constant that the loop provably does not change (no assignment, `++`, `&x`, mutating method call, or passing it to other functions, and no pointer to it or function literal assigning it made before the loop). Also flags a call in the loop that passes such a value to a function of the same file which converts that parameter on every call (information, no fix: the function's signature has to change). Conversions that build nothing are not flagged: `strconv.FormatBool` (it returns one of two constant strings); `Itoa`, `FormatInt(…, 10)` and `FormatUint(…, 10)` of a value known to lie in 0..99 (a constant, or the variable of `for i := range k` or `for i := c; i < k; i++` with constants, which the loop's body does not change), which return a slice of strconv's static table; and those whose result is one byte (a single digit in another base, `fmt.Sprint` of a digit or of a one-byte constant), which the runtime never allocates. Values that change per iteration, package variables, calls with side effects in their arguments and `x.String()` through a pointer (another alias may change what it reads while the pointer stays the same) are not flagged. Loops that provably do not repeat it do not count: it leaves the loop right after (`break`, `return`, `panic`, `os.Exit`, `t.Fatal`, `goto` out), the loop runs at most 8 times by its header (a composite literal, `for i := 0; i < k; i++`, `range k` with a constant k), or it is a retry loop (it goes round again only past `if err == nil { return … }` or through an `if err != nil` branch, and leaves on success).",
      why: 'Each conversion allocates a new string with the same contents on every iteration: a polling loop of 100 iterations builds the same ID string 100 times. Converting once before the loop removes the allocations and the formatting work.',
      references: [
        'Go 1.26 `src/internal/strconv/itoa.go` `FormatInt` (behind `strconv.Itoa` and `FormatInt`): base-10 values 0..99 come from a static table (`small`); any other value is formatted into a stack array and returned as `string(a[j:])`, a new allocation',
        "Go 1.26 `src/fmt/print.go` `Sprintf` (likewise `Sprint`, `Sprintln`): formats into a pooled printer's buffer and returns `string(p.buf)`, a new string on every call",
        'Go 1.26 `src/runtime/string.go` `slicebytetostring`: a one-byte result points into the static `staticuint64s` table; longer results are allocated with `mallocgc` and copied',
      ],
      example:
        'package poll\n\nimport "strconv"\n\nfunc keys(tenant int, ids []string) []string {\n\tout := make([]string, 0, len(ids))\n\tfor _, id := range ids {\n\t\tout = append(out, strconv.Itoa(tenant)+"/"+id)\n\t}\n\treturn out\n}\n',
      useInstead:
        'package poll\n\nimport "strconv"\n\nfunc keys(tenant int, ids []string) []string {\n\tout := make([]string, 0, len(ids))\n\ttenantStr := strconv.Itoa(tenant)\n\tfor _, id := range ids {\n\t\tout = append(out, tenantStr+"/"+id)\n\t}\n\treturn out\n}\n',
      fixSafety:
        'Safe for `strconv` functions, and for `fmt.Sprint*` when every argument is provably of a basic type: these are pure, so computing them once before the loop gives the same string. Unsafe for `x.String()` of a type the file does not show, and for `fmt` of such values: a `String` method may panic on a nil receiver or have effects, and it would now run even when the loop body does not.',
    },
  },
  mentions: ['String', 'Itoa', 'Format', 'Quote', 'Sprint'],
  query: `
    (call_expression function: (selector_expression field: (field_identifier) @f) (#any-of? @f "String" "Itoa" "FormatInt" "FormatUint" "Quote" "FormatBool" "Sprint" "Sprintf" "Sprintln")) @node
    (call_expression function: (identifier)) @node`,
  check(node, ctx) {
    const fnNode = node.childForFieldName('function');
    if (!fnNode) return;
    const model = goModel(ctx);
    if (fnNode.type === 'identifier') {
      // Through a call: g(…, v, …) where g converts that parameter.
      const conv = ofFunction(convertersOf(ctx, model), fnNode.text); // read from the callee's own declaration
      if (!conv || model.valueBindingAt(fnNode.text, fnNode)) return;
      const loops = repeatingLoops(node, ctx);
      if (!loops.length || !everyIteration(node, loops[0])) return;
      const args = argsOf(node);
      for (const [i, { how, below }] of conv) {
        const a = args[i];
        if (!a || a.type !== 'identifier') continue;
        const r = below === undefined ? undefined : rangeOf(model, a);
        if (r && r.lo >= 0 && r.hi < below!) continue; // the conversion builds nothing for such values
        const locals = localsRead(model, a);
        if (!locals || !locals.every((v) => unchangedIn(model, loops[0], v, a))) continue;
        ctx.report({
          node: a,
          severity: 'information',
          message: `\`${fnNode.text}\` converts this argument with \`${how}\` on every call, and \`${a.text}\` does not change in the loop: convert it once before the loop and pass the string.`,
        });
      }
      return;
    }
    const conv = conversionOf(model, node);
    if (!conv || (conv.receiver && statefulString(model, ctx, conv.receiver))) return;
    const loops = repeatingLoops(node, ctx);
    if (!loops.length) return;
    const loop = invariantLoop(model, node, conv, loops);
    if (!loop) return;
    const shown = oneLine(node);
    ctx.report({
      node,
      message: `\`${shown.length > 40 ? `${shown.slice(0, 40)}…` : shown}\` builds the same string on every iteration (its inputs do not change in the loop): compute it once before the loop.`,
      fix: buildFix(ctx, model, node, conv, loop),
      loop,
    });
  },
};
