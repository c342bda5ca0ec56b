import type { Node } from 'web-tree-sitter';
import { bindsName } from '../../analysis/python/bindings';
import type { Fix, Rule, RuleContext, TextEdit } from '../../analysis/types';
import { initBeforeLoop, lineAfterLoop, lineBeforeLoop, mentions, rewriteBlocked } from '../lib/python/accumulator';
import { facts, LOOP_TYPES, walkAll, within } from '../lib/python/pyutil';

type Kind = 'str' | 'bytes' | 'list';

interface Site {
  stmt: Node; // the expression_statement
  target: Node; // the accumulator as written on the left
  self?: Node; // the accumulator's own operand on the right (assignment form)
  chunk: string; // the source of what is added
  prepend: boolean;
  augmented: boolean;
}

function plusOperands(n: Node): Node[] {
  if (n.type === 'binary_operator' && n.childForFieldName('operator')?.type === '+') {
    return [...plusOperands(n.childForFieldName('left')!), ...plusOperands(n.childForFieldName('right')!)];
  }
  return [n];
}

/** Recognises `acc += x`, `acc = acc + x` and `acc = x + acc` in an expression statement. */
function siteOf(stmt: Node, text: string): Site | undefined {
  if (stmt.type !== 'expression_statement' || stmt.namedChildCount !== 1) return undefined;
  const a = stmt.namedChild(0)!;
  const target = a.childForFieldName('left');
  let right = a.childForFieldName('right');
  while (right?.type === 'parenthesized_expression' && a.type === 'assignment') right = right.namedChild(0); // black: `x = (a + x)`
  if (!target || !right || (target.type !== 'identifier' && target.type !== 'attribute')) return undefined;
  if (a.type === 'augmented_assignment') {
    if (a.childForFieldName('operator')?.type !== '+=') return undefined;
    return { stmt, target, chunk: right.text, prepend: false, augmented: true };
  }
  if (a.type !== 'assignment') return undefined;
  const ops = plusOperands(right);
  if (ops.length < 2) return undefined;
  const name = target.text;
  if (ops[0].text === name && !ops.slice(1).some((o) => o.text === name)) {
    return { stmt, target, self: ops[0], chunk: text.slice(ops[1].startIndex, ops[ops.length - 1].endIndex), prepend: false, augmented: false };
  }
  if (ops[ops.length - 1].text === name && !ops.slice(0, -1).some((o) => o.text === name)) {
    return { stmt, target, self: ops[ops.length - 1], chunk: text.slice(ops[0].startIndex, ops[ops.length - 2].endIndex), prepend: true, augmented: false };
  }
  return undefined;
}

/** `(a + b)` -> `a + b` when the parentheses wrap the whole chunk and hold no top-level comma. */
function unparen(chunk: string): string {
  if (!chunk.startsWith('(') || !chunk.endsWith(')')) return chunk;
  let depth = 0;
  for (let i = 0; i < chunk.length; i++) {
    const c = chunk[i];
    if (c === '"' || c === "'") {
      for (i++; i < chunk.length && chunk[i] !== c; i++) if (chunk[i] === '\\') i++;
      continue;
    }
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      if (--depth === 0 && i < chunk.length - 1) return chunk;
    } else if (c === ',' && depth === 1) return chunk;
  }
  const inner = chunk.slice(1, -1).trim();
  return inner === '' || inner.startsWith('yield') ? chunk : inner;
}

function literalKind(v: Node): Kind | undefined {
  if (v.type === 'string' || v.type === 'concatenated_string') {
    const first = v.type === 'string' ? v : v.namedChild(0)!;
    const prefix = first.text.match(/^[A-Za-z]*/)![0].toLowerCase();
    return prefix.includes('b') ? 'bytes' : 'str';
  }
  if (v.type === 'list') return 'list';
  return undefined;
}

interface Init {
  stmt: Node;
  kind: Kind;
  empty: boolean;
  loop: Node;
}

/** What a site adds: the right side of `+=`, or each operand but the accumulator's own (concatenated one by one). */
function pieces(s: Site): Node[] {
  let right = s.stmt.namedChild(0)!.childForFieldName('right')!;
  while (!s.augmented && right.type === 'parenthesized_expression' && right.namedChild(0)) right = right.namedChild(0)!;
  return s.augmented ? [right] : plusOperands(right).filter((o) => o.startIndex !== s.self?.startIndex);
}

/**
 * True when a piece is provably of the accumulator's kind (a literal, `str(…)`, `x + ","`: a literal operand makes
 * it that kind or raises as before). Another value (None, bytes onto a str) made the concatenation raise in its
 * iteration; joined, it raises another TypeError after the loop, and a list extended in place takes any iterable
 * where `acc + (1, 2)` raised (test/oracle/python/quadratic-concat.py).
 */
function ofKind(kind: Kind, n: Node): boolean {
  if (n.type === 'parenthesized_expression') return !!n.namedChild(0) && ofKind(kind, n.namedChild(0)!);
  const fn = n.type === 'call' ? n.childForFieldName('function') : undefined;
  if (kind === 'list') return n.type === 'list' || n.type === 'list_comprehension' || (fn?.type === 'identifier' && ['list', 'sorted'].includes(fn.text));
  if (literalKind(n) === kind) return true;
  if (fn?.type === 'identifier') return (kind === 'str' ? ['str', 'repr', 'ascii', 'chr', 'format'] : ['bytes']).includes(fn.text);
  if (fn?.type === 'attribute')
    return (
      ['join', 'format'].includes(fn.childForFieldName('attribute')?.text ?? '') &&
      !!fn.childForFieldName('object') &&
      literalKind(fn.childForFieldName('object')!) === kind
    );
  if (n.type !== 'binary_operator' || !['+', '%', '*'].includes(n.childForFieldName('operator')?.type ?? '')) return false;
  return [n.childForFieldName('left'), n.childForFieldName('right')].some((o) => !!o && ofKind(kind, o));
}

/** The accumulator's initial literal: the nearest assignment to it among the statements before a loop around the site. */
function findInit(site: Site, loops: Node[]): Init | undefined {
  const found = initBeforeLoop(site.target.text, loops);
  const kind = found ? literalKind(found.value) : undefined;
  if (!found || !kind) return undefined;
  const v = found.value;
  const empty = kind === 'list' ? v.namedChildCount === 0 : /^[A-Za-z]*("""""""||""|'')$/.test(v.text);
  return { stmt: found.stmt, kind, empty, loop: found.loop };
}

function buildFix(ctx: RuleContext, init: Init, sites: Site[]): Fix | undefined {
  const target = sites[0].target;
  if (target.type !== 'identifier') return undefined; // attributes may be read by any call in the loop
  if (sites.some((s) => s.prepend !== sites[0].prepend)) return undefined;
  const loop = init.loop;
  if (rewriteBlocked(ctx, loop, target.text)) return undefined;
  const prepend = sites[0].prepend;
  const name = target.text;
  const edits: TextEdit[] = [];
  const applicability = sites.every((s) => pieces(s).every((p) => ofKind(init.kind, p))) ? 'safe' : 'unsafe';

  if (init.kind === 'list') {
    if (prepend) return undefined;
    // A fresh list that nothing else sees: extending it in place is the same as rebuilding it.
    for (const s of sites) {
      if (s.augmented) return undefined;
      edits.push({ start: s.stmt.startIndex, end: s.stmt.endIndex, text: `${name} += ${s.chunk}` });
    }
    return { title: `Extend \`${name}\` in place instead of rebuilding it`, applicability, edits };
  }

  const parts = facts(ctx).freshName(`${name}_parts`);
  const joiner = init.kind === 'bytes' ? 'b""' : '""';
  const joined = prepend ? `${joiner}.join(reversed(${parts}))` : `${joiner}.join(${parts})`;
  const before = lineBeforeLoop(ctx.text, loop, `${parts} = []`);
  const after = lineAfterLoop(ctx.text, loop, init.empty ? `${name} = ${joined}` : prepend ? `${name} = ${joined} + ${name}` : `${name} += ${joined}`);
  if (!before || !after) return undefined;
  edits.push(before, after);
  for (const s of sites) edits.push({ start: s.stmt.startIndex, end: s.stmt.endIndex, text: `${parts}.append(${unparen(s.chunk)})` });
  return {
    title: prepend
      ? `Collect the pieces of \`${name}\` in a list and join them once, reversed`
      : `Collect the pieces of \`${name}\` in a list and join them once`,
    applicability,
    edits,
  };
}

/**
 * Which benchmark of bench/rules/python/quadratic_concat*.py this site's shape is: prepends are the main one
 * (bytes prepended), the others each have a variant.
 */
function measuredShape(kind: Kind, site: Site, fast: boolean): string | undefined {
  if (kind === 'list') return 'list';
  if (site.prepend) return undefined;
  if (kind === 'bytes') return 'bytes-append';
  return site.target.type === 'attribute' ? 'attribute-str' : fast ? 'local-str' : 'global-str';
}

/**
 * True when `s += x` on this name can be resized in place by CPython: a plain local of a function (the in-place
 * path is taken only when the next instruction stores to a fast local: Python/specialize.c, BINARY_OP_INPLACE_ADD
 * _UNICODE). A module or class variable, a global or nonlocal, or a variable a nested function reads (a cell) is
 * copied every time.
 */
function fastLocal(ctx: RuleContext, target: Node): boolean {
  if (target.type !== 'identifier') return false;
  const b = facts(ctx).model.bindingAt(target.text, target);
  if (!b || b.declared || b.scope.kind !== 'function') return false;
  const scope = facts(ctx).enclosingScope(target);
  if (!scope) return false;
  // Each place the name occurs in the function's text (a few): one of them in a nested scope makes it a cell.
  const name = target.text;
  for (let at = ctx.text.indexOf(name, scope.startIndex); at >= 0 && at + name.length <= scope.endIndex; at = ctx.text.indexOf(name, at + name.length)) {
    if (IDENTIFIER_CHAR.test(ctx.text[at - 1] ?? '') || IDENTIFIER_CHAR.test(ctx.text[at + name.length] ?? '')) continue;
    const n = scope.descendantForIndex(at, at + name.length);
    if (n?.type === 'identifier' && n.startIndex === at && facts(ctx).enclosingScope(n)?.id !== scope.id) return false;
  }
  return true;
}

const IDENTIFIER_CHAR = /[\p{L}\p{N}_]/u;

export const quadraticConcat: Rule = {
  meta: {
    id: 'python/quadratic-concat',
    language: 'python',
    title: 'Accumulator rebuilt by concatenation in a loop',
    severity: 'information',
    fix: 'mixed',
    docs: {
      what: 'Flags a `str`, `bytes` or `list` accumulator that a loop rebuilds by concatenation on every iteration: `buf = chunk + buf`, `s = s + x`, `s += x` (str and bytes), `items = items + more` (lists), where the accumulator starts as a literal before the loop. Not flagged: an accumulator the loop also rebinds afresh (`name = make(); name = c + name`), which carries nothing over from one iteration to the next. Loops that provably do not repeat it do not count: it leaves the loop right after (`break`, `return`, `raise`, `sys.exit()`), the loop runs over at most 8 literal items or `range(k)` of a constant, or it is a retry loop (it goes round again only from an `except` handler, and leaves on success).',
      why: 'Strings, bytes and the list built by `a + b` are new objects: each iteration copies everything accumulated so far, so n iterations copy O(n²) bytes. Prepending (`buf = chunk + buf`) and concatenating bytes or attributes (`self.s += x`) are always quadratic. Appending to a local `str` is the one case CPython softens (it resizes the string in place when nothing else refers to it; only for a plain local variable of a function, stored with `STORE_FAST`: at module level, or for a `global`, `nonlocal` or closure variable, `+=` copies the whole string every time), so there it is a constant-factor cost, not a quadratic one, and the finding is only informational.',
      references: [
        'Python docs, Built-in Types, "Common Sequence Operations" note 6: concatenating immutable sequences always results in a new object, so building one up by repeated concatenation has a quadratic runtime cost in the total length',
        'CPython 3.11 `Python/specialize.c` `_Py_Specialize_BinaryOp`: `str + str` (for `+` and `+=`) becomes `BINARY_OP_INPLACE_ADD_UNICODE` only when the next instruction is a `STORE_FAST` into the local that holds the left operand',
        'CPython 3.11 `Python/ceval.c` `BINARY_OP_INPLACE_ADD_UNICODE`: handles `left = left + right` and `left += right` by dropping the local\'s reference and calling `PyUnicode_Append`, which can then extend the string in place, "to avoid quadratic behavior when one neglects to use str.join()"',
      ],
      example: 'def tail(chunks):\n    buf = b""\n    for chunk in chunks:\n        buf = chunk + buf\n    return buf',
      useInstead:
        'def tail(chunks):\n    buf = b""\n    buf_parts = []\n    for chunk in chunks:\n        buf_parts.append(chunk)\n    buf = b"".join(reversed(buf_parts))\n    return buf',
      fixSafety:
        'The pieces are collected in a new list, appended in loop order, and joined once after the loop (reversed for prepends), which builds the same value. A list accumulator rebuilt with `acc = acc + x` is extended in place instead, which is the same because the list was created just before the loop and nothing else refers to it. Safe when every piece is provably of the accumulator\'s type: a literal or f-string, `str(…)`, `repr(…)`, an expression with such an operand (`cell + ","`, `"%d" % n`), and for a list a list display, comprehension, `list(…)` or `sorted(…)`. Otherwise unsafe: a piece of another type (None, bytes onto a str) made the concatenation raise in its iteration, while the join raises another TypeError once the loop has finished (after the rest of the loop has run), and `acc += (1, 2)` extends a list where `acc + (1, 2)` raised. No fix is offered when the accumulator is an attribute, is read inside the loop other than by the concatenation itself, or when the loop can be left by `return`, `yield`, `raise` or an exception handler that would then see a half-built value.',
    },
  },
  query:
    '(expression_statement [(augmented_assignment operator: "+=") (assignment right: (binary_operator operator: "+")) (assignment right: (parenthesized_expression (binary_operator operator: "+")))]) @node',
  check(node, ctx) {
    const site = siteOf(node, ctx.text);
    if (!site) return;
    const loops = facts(ctx).repeatingLoops(node);
    if (!loops.length) return;
    const init = findInit(site, loops);
    if (!init) return;
    // `list += x` extends in place: not quadratic.
    if (init.kind === 'list' && site.augmented) return;
    const loop = init.loop;
    // Every concatenation site of this accumulator in the loop, and every other mention of it.
    const sites: Site[] = [];
    for (const n of walkAll(loop)) {
      if (n.type !== 'expression_statement' || !LOOP_TYPES.has(loop.type)) continue;
      const s = siteOf(n, ctx.text);
      if (s && s.target.type === site.target.type && s.target.text === site.target.text && !(init.kind === 'list' && s.augmented)) sites.push(s);
    }
    const own = new Set<number>();
    for (const s of sites) {
      own.add(s.target.startIndex);
      if (s.self) own.add(s.self.startIndex);
    }
    const otherReads = mentions(loop, site.target).filter((m) => !own.has(m.startIndex));
    // Rebound afresh in the loop (`name = "".join(…)` before `name = c + name`): nothing carries over from one
    // iteration to the next, so nothing accumulated is copied.
    if (otherReads.some((m) => bindsName(m))) return;
    const fast = init.kind === 'str' && !site.prepend && fastLocal(ctx, site.target);
    const quadratic = !fast;
    const what = site.prepend ? 'Prepending to' : 'Concatenating onto';
    const message = quadratic
      ? `${what} \`${site.target.text}\` (${init.kind}) in a loop copies everything accumulated so far on every iteration (quadratic); collect the pieces in a list and join once.`
      : `Appending to the local str \`${site.target.text}\` in a loop is resized in place by CPython, so it is not quadratic; collecting the pieces and joining once saves only a constant factor.`;
    ctx.report({
      node,
      message,
      severity: quadratic ? undefined : 'information',
      measuredAs: measuredShape(init.kind, site, fast),
      fix: otherReads.length || sites.some((s) => !within(s.stmt, loop)) ? undefined : buildFix(ctx, init, sites),
      loop,
    });
  },
};
