import type { Node } from 'web-tree-sitter';
import type { Rule, RuleContext } from '../../analysis/types';
import { type Arg, classify, namesUntouched } from '../lib/python/invariance';
import { facts } from '../lib/python/pyutil';
import { hoistFix, innermostLoop, unconditional } from '../lib/python/hoist';

/** Pure, costly calls: the name of a local to hold the result, and whether the result is immutable. */
const PURE = new Map<string, { local: string; immutable: boolean }>([
  ['re.compile', { local: 'pattern', immutable: true }],
  ['json.dumps', { local: 'encoded', immutable: true }],
  ['json.loads', { local: 'decoded', immutable: false }],
  ['sorted', { local: 'ordered', immutable: false }],
  ['datetime.datetime.fromisoformat', { local: 'parsed', immutable: true }],
  ['datetime.date.fromisoformat', { local: 'parsed', immutable: true }],
]);
export const HASHES = new Set(['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512', 'blake2b', 'blake2s', 'sha3_256', 'sha3_512']);

/** The expression to hoist: the call itself, or for hashlib the whole `hashlib.sha256(x).hexdigest()` chain. */
function candidate(call: Node, ctx: RuleContext): { expr: Node; local: string; immutable: boolean; args: Node } | undefined {
  const f = facts(ctx);
  const fn = call.childForFieldName('function');
  const args = call.childForFieldName('arguments');
  if (!fn || !args || args.type !== 'argument_list') return undefined;
  const q = f.qualify(fn);
  if (!q) return undefined;
  const pure = PURE.get(q);
  if (pure) return { expr: call, args, ...pure };
  const [mod, name] = q.split('.');
  if (mod === 'hashlib' && name && HASHES.has(name) && q.split('.').length === 2) {
    // Only `hashlib.X(data).hexdigest()` / `.digest()`: the hash object itself is stateful.
    const attr = call.parent;
    const outer = attr?.parent;
    const method = attr?.type === 'attribute' ? attr.childForFieldName('attribute')?.text : undefined;
    if (outer?.type === 'call' && (method === 'hexdigest' || method === 'digest') && outer.childForFieldName('arguments')?.namedChildCount === 0) {
      return { expr: outer, args, local: 'digest', immutable: true };
    }
  }
  return undefined;
}

/** The value is only read where it stands: iterated by a `for`, tested with `in`, or measured by `len()`. */
function readOnlyUse(expr: Node): boolean {
  const p = expr.parent;
  if (!p) return false;
  if ((p.type === 'for_statement' || p.type === 'for_in_clause') && p.childForFieldName('right')?.startIndex === expr.startIndex) return true;
  if (p.type === 'comparison_operator' && /\bin\b/.test(p.text) && p.namedChildren[p.namedChildren.length - 1]?.startIndex === expr.startIndex) return true;
  return p.type === 'argument_list' && p.parent?.childForFieldName('function')?.text === 'len';
}

export const loopInvariantCall: Rule = {
  meta: {
    id: 'python/loop-invariant-call',
    language: 'python',
    title: 'Costly pure call repeated with the same arguments in a loop',
    severity: 'information',
    fix: 'mixed',
    docs: {
      what: 'Flags a call to a known-pure, costly function inside a loop (a `for`/`while` body or a comprehension) whose arguments cannot change between iterations: `re.compile`, `json.dumps`, `json.loads`, `sorted`, `datetime.fromisoformat`/`date.fromisoformat`, and `hashlib.<algorithm>(data).hexdigest()`/`.digest()`. Arguments count as unchanging when they are literals, module constants bound once to a literal, or names (and attribute chains) that the loop never mentions anywhere else. Loops that provably do not repeat it do not count: it leaves the loop right after (`break`, `return`, `raise`, `sys.exit()`), the loop runs over at most 8 literal items or `range(k)` of a constant, or it is a retry loop (it goes round again only from an `except` handler, and leaves on success).',
      why: "The call computes the same value on every iteration: a regex is looked up in (or, past 512 patterns, recompiled into) `re`'s cache, a structure is serialised or parsed again, a list is sorted again, a digest is recomputed. Doing it once before the loop removes that work from every iteration.",
      references: [
        'CPython 3.11 `Lib/re/__init__.py` `_compile`: `re.compile` and the module-level functions look the pattern up in `_cache` on every call; `_MAXCACHE = 512`, and a new pattern past that drops the oldest entry, which is compiled again when next used',
        'CPython 3.11 `Lib/json/__init__.py` `dumps` and `loads`: each call encodes or decodes the whole value again; only the encoder and decoder objects for the default arguments are reused',
      ],
      example:
        'import re\n\n\ndef matching(lines):\n    out = []\n    for line in lines:\n        if re.compile(r"^\\d{4}-\\d{2}-\\d{2}").match(line):\n            out.append(line)\n    return out',
      useInstead:
        'import re\n\n\ndef matching(lines):\n    out = []\n    pattern = re.compile(r"^\\d{4}-\\d{2}-\\d{2}")\n    for line in lines:\n        if pattern.match(line):\n            out.append(line)\n    return out',
      fixSafety:
        'The fix computes the value into a local before the loop (or before the statement holding the comprehension) and uses the local in the loop. It is safe when the call runs on every iteration, its arguments are literals or constant module names, and its result is immutable (a compiled pattern, a string, a datetime, a digest). It is unsafe when the call sits in a branch or its arguments are names the loop merely does not touch: the call could now raise or cost once where the loop never reached it. `json.loads` and `sorted` return a new mutable object on every call, so their fix is offered only where the result is just read (iterated by a `for`, tested with `in`, passed to `len`), and it is unsafe. In every case, a loop that runs zero times now evaluates the call once. No fix is offered in a class body: the local would be a class attribute, which a comprehension there cannot see. A call written over several lines moves as it is, re-indented (string literals keep their bytes); it gets no fix when one of its line breaks lies only inside brackets around it, where it would end the new statement.',
    },
  },
  query: `(call function: [(identifier) @name (attribute attribute: (identifier) @name)]
            (#any-of? @name "compile" "dumps" "loads" "sorted" "fromisoformat" ${[...HASHES].map((h) => `"${h}"`).join(' ')})) @node`,
  check(node, ctx) {
    const c = candidate(node, ctx);
    if (!c) return;
    // Serialising data to hash it is python/recomputed-checksum's finding, for the whole digest expression.
    for (let p = c.expr.parent; p && p.type !== 'expression_statement' && p.type !== 'block'; p = p.parent) {
      if (p.type === 'call' && facts(ctx).qualify(p.childForFieldName('function'))?.startsWith('hashlib.')) return;
    }
    const loop = innermostLoop(ctx, c.expr);
    if (!loop) return;
    const args = c.args.namedChildren.filter((a): a is Node => !!a && a.type !== 'comment');
    if (!args.length) return;
    const kinds: Arg[] = [];
    for (const a of args) {
      const k = classify(ctx, a);
      if (!k) return;
      kinds.push(...k);
    }
    // Names must not appear anywhere else in the loop: any other mention could rebind or mutate them.
    if (!namesUntouched(loop.node, kinds, c.expr)) return;
    const safe = c.immutable && kinds.every((k) => k.kind !== 'name') && unconditional(c.expr, loop.node);
    // A mutable result shared across iterations is only equivalent when it is read, never kept or changed.
    const fixable = c.immutable || readOnlyUse(c.expr);
    const shown = c.expr.text.length > 50 ? `${c.expr.text.slice(0, 47)}...` : c.expr.text;
    ctx.report({
      node: c.expr,
      message: `\`${shown}\` gives the same result on every iteration of the ${loop.comprehension ? 'comprehension' : 'loop'}; compute it once before the loop.`,
      fix: fixable ? hoistFix(ctx, c.expr, loop, c.local, safe) : undefined,
      loop: loop.node,
    });
  },
};
