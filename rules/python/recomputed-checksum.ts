import type { Node } from 'web-tree-sitter';
import type { Rule, RuleContext } from '../../analysis/types';
import { immutableConstant } from '../lib/python/invariance';
import { hoistFix, innermostLoop, unconditional } from '../lib/python/hoist';
import { calledInLoop, facts, walkAll, within } from '../lib/python/pyutil';

const SERIALISERS = new Set(['json.dumps', 'pickle.dumps', 'repr', 'str', 'marshal.dumps']);
const BUILTINS = new Set(['True', 'False', 'None', 'str', 'repr', 'sorted', 'bytes', 'len']);

/** A call's arguments, without the comments written among them. */
function argumentsOf(call: Node): Node[] {
  return call.childForFieldName('arguments')?.namedChildren.filter((a): a is Node => !!a && a.type !== 'comment') ?? [];
}

/** `hashlib.X(<data>).hexdigest()` where `<data>` serialises something: the data expression, or undefined. */
function digestOfSerialised(call: Node, ctx: RuleContext): Node | undefined {
  const f = facts(ctx);
  const fn = call.childForFieldName('function');
  const hashCall = fn?.type === 'attribute' ? fn.childForFieldName('object') : null;
  if (hashCall?.type !== 'call' || argumentsOf(call).length !== 0) return undefined;
  const q = f.qualify(hashCall.childForFieldName('function'));
  if (!q || !q.startsWith('hashlib.')) return undefined;
  const data = argumentsOf(hashCall)[0];
  if (!data || data.type === 'keyword_argument') return undefined;
  const serialises = [...walkAll(data)].some((n) => n.type === 'call' && SERIALISERS.has(f.qualify(n.childForFieldName('function')) ?? ''));
  return serialises ? data : undefined;
}

/** The names the data depends on: identifiers that are not attribute or keyword names, modules or builtins. */
function roots(data: Node, ctx: RuleContext): string[] {
  const f = facts(ctx);
  const out = new Set<string>();
  for (const n of walkAll(data)) {
    if (n.type !== 'identifier') continue;
    const p = n.parent;
    if (p?.type === 'attribute' && p.childForFieldName('attribute')?.startIndex === n.startIndex) continue;
    if (p?.type === 'keyword_argument' && p.childForFieldName('name')?.startIndex === n.startIndex) continue;
    if (f.binding(n.text) !== undefined || BUILTINS.has(n.text)) continue;
    out.add(n.text);
  }
  return [...out];
}

/** True when `name` is not a parameter or local of `fn` (it is read from the module). */
function moduleLevelOnly(ctx: RuleContext, fn: Node, name: string): boolean {
  const params = fn.childForFieldName('parameters');
  if (params && new RegExp(`(?<![\\w.])${name}(?!\\w)`).test(params.text)) return false;
  const body = fn.childForFieldName('body');
  if (body && new RegExp(`(?<![\\w.])${name}\\s*(=[^=]|\\+=)|(global|nonlocal)\\s+[\\w, ]*\\b${name}\\b|for\\s+${name}\\b`).test(body.text)) return false;
  return ctx.tree.rootNode.namedChildren.some(
    (c) => c?.type === 'expression_statement' && c.namedChild(0)?.type === 'assignment' && c.namedChild(0)!.childForFieldName('left')?.text === name,
  );
}

export const recomputedChecksum: Rule = {
  meta: {
    id: 'python/recomputed-checksum',
    language: 'python',
    title: 'Digest of unchanged data recomputed in a loop',
    severity: 'information',
    fix: 'unsafe',
    docs: {
      what: 'Flags `hashlib.<algorithm>(<serialised data>).hexdigest()` (or `.digest()`), where the data is serialised with `json.dumps`, `pickle.dumps`, `str` or `repr`, inside a loop when nothing the data depends on is touched elsewhere in the loop; and, as information, the same digest of module-level data inside a function that this file calls from a loop. The common shape is a cache key or fingerprint: `hashlib.sha256(json.dumps(config, sort_keys=True).encode()).hexdigest()`. Loops that provably do not repeat it do not count: it leaves the loop right after (`break`, `return`, `raise`, `sys.exit()`), the loop runs over at most 8 literal items or `range(k)` of a constant, or it is a retry loop (it goes round again only from an `except` handler, and leaves on success).',
      why: 'Serialising a structure and hashing the result costs time proportional to its size, and the loop pays it on every iteration for the same answer. Computing the digest once before the loop removes that work.',
      references: [
        "CPython 3.11 `Lib/json/__init__.py` `dumps` and `Lib/json/encoder.py` `_iterencode_dict`: every call encodes the whole structure again, and with `sort_keys=True` builds a new `JSONEncoder` and sorts each dict's items; nothing is kept between calls",
      ],
      example:
        'import hashlib\nimport json\n\n\ndef tag_all(rows, config):\n    for row in rows:\n        row["config"] = hashlib.sha256(json.dumps(config, sort_keys=True).encode()).hexdigest()\n    return rows',
      useInstead:
        'import hashlib\nimport json\n\n\ndef tag_all(rows, config):\n    digest = hashlib.sha256(json.dumps(config, sort_keys=True).encode()).hexdigest()\n    for row in rows:\n        row["config"] = digest\n    return rows',
      fixSafety:
        'Unsafe: the fix computes the digest once before the loop. The loop never names the data again, but it could still change it through another reference (an alias, a method that mutates shared state), and a digest computed in a branch, or before a loop that runs zero times, is now computed where it was not. When the digest is recomputed per call of a function rather than per iteration, there is no automatic fix: memoising it (for instance `functools.lru_cache` over a hashable form of the data) is the remedy, and whether the data can change between calls is for a person to decide. A digest written over several lines moves as it is, re-indented; it gets no fix when one of its line breaks lies only inside brackets around it, where it would end the new statement.',
    },
  },
  mentions: ['digest'],
  query: '(call function: (attribute attribute: (identifier) @m) (#any-of? @m "hexdigest" "digest")) @node',
  check(node, ctx) {
    const data = digestOfSerialised(node, ctx);
    if (!data) return;
    const names = roots(data, ctx);
    const loop = innermostLoop(ctx, node);
    if (!loop) {
      // Not in a loop, but in a function this file calls from one: the same digest per call when the data is
      // module-level (no parameter or local of the function feeds it).
      const caller = calledInLoop(ctx, node);
      const fn = facts(ctx).enclosingScope(node);
      if (!caller || !fn || !names.length || !names.every((n) => moduleLevelOnly(ctx, fn, n))) return;
      ctx.report({
        node,
        severity: 'information',
        message: `This digest of module-level data is recomputed on every call of \`${caller}()\`, which this file calls in a loop; compute it once (or memoise it) if the data does not change.`,
      });
      return;
    }
    for (const n of walkAll(loop.node)) {
      if (n.type === 'identifier' && names.includes(n.text) && !within(n, node)) return;
    }
    const constantOnly = names.every((n) => immutableConstant(ctx, n));
    ctx.report({
      node,
      message: `This digest of \`${data.text.length > 40 ? `${data.text.slice(0, 37)}...` : data.text}\` is the same on every iteration; compute it once before the loop.`,
      fix: hoistFix(ctx, node, loop, 'digest', constantOnly && unconditional(node, loop.node)),
      loop: loop.node,
    });
  },
};
