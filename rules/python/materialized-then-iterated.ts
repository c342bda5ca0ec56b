import type { Node } from 'web-tree-sitter';
import type { Fix, Rule } from '../../analysis/types';
import { facts, scopeUsing, walkAll } from '../lib/python/pyutil';

// Builtins that consume an iterable item by item without keeping it. (`sorted`, `set`, `tuple` and `str.join`
// build a whole collection anyway, so handing them a generator saves nothing and is slower.)
const CONSUMERS = new Set(['sum', 'any', 'all', 'min', 'max']);

/** How the single use consumes the name: iterated by a for (its body), by a comprehension, or by a builtin. */
function consumption(use: Node): { kind: 'for'; loop: Node } | { kind: 'comprehension' } | { kind: 'once' } | undefined {
  const p = use.parent;
  if (!p) return undefined;
  if (p.type === 'for_statement' && p.childForFieldName('right')?.startIndex === use.startIndex) return { kind: 'for', loop: p };
  if (p.type === 'for_in_clause' && p.childForFieldName('right')?.startIndex === use.startIndex) {
    const comp = p.parent;
    const first = comp?.namedChildren.find((c) => c?.type === 'for_in_clause');
    return first?.startIndex === p.startIndex ? { kind: 'comprehension' } : undefined;
  }
  if (p.type === 'argument_list' && p.namedChildCount === 1) {
    const fn = p.parent?.childForFieldName('function');
    if (fn?.type === 'identifier' && CONSUMERS.has(fn.text)) return { kind: 'once' };
  }
  return undefined;
}

/** Names the comprehension reads (its source and anything its element or conditions mention). */
function namesIn(n: Node): Set<string> {
  const out = new Set<string>();
  for (const x of walkAll(n)) if (x.type === 'identifier') out.add(x.text);
  return out;
}

/** True when the loop body touches a name the comprehension reads: the list may be a deliberate snapshot. */
function bodyTouchesSource(comprehension: Node, use: ReturnType<typeof consumption>): boolean {
  if (use?.kind !== 'for') return false;
  const reads = namesIn(comprehension);
  const body = use.loop.childForFieldName('body');
  for (const x of body ? walkAll(body) : []) if (x.type === 'identifier' && reads.has(x.text)) return true;
  return false;
}

/**
 * True when evaluating the comprehension lazily cannot be observed: no calls, subscripts or attribute lookups
 * (which may run code or raise), no walrus or await.
 */
function inert(comprehension: Node): boolean {
  return ![...walkAll(comprehension)].some((x) => ['call', 'subscript', 'attribute', 'await', 'named_expression'].includes(x.type));
}

/**
 * True for an asynchronous comprehension (`[x async for x in feed]`, or one that awaits): as parentheses it would
 * be an async generator, which `for`, `sum` and the other consumers cannot iterate (TypeError).
 */
function isAsync(comprehension: Node): boolean {
  for (const x of walkAll(comprehension)) {
    if (x.type === 'await') return true;
    if (x.type === 'for_in_clause' && x.child(0)?.type === 'async') return true;
  }
  return false;
}

function buildFix(value: Node, comprehension: Node): Fix {
  return {
    title: 'Use a generator expression instead of building a list',
    // Never safe: even an inert comprehension iterates its source lazily, and a generator's code then runs
    // between the consumer's items (test/oracle/python/materialized-then-iterated.py).
    applicability: 'unsafe',
    edits: [{ start: value.startIndex, end: value.endIndex, text: `(${comprehension.text.slice(1, -1)})` }],
  };
}

export const materializedThenIterated: Rule = {
  meta: {
    id: 'python/materialized-then-iterated',
    language: 'python',
    title: 'List built only to be iterated once',
    severity: 'information',
    fix: 'unsafe',
    docs: {
      what: 'Flags a list comprehension (or `list(<generator>)`) bound to a name that is then used exactly once, to be iterated: as the only argument of `sum`, `any`, `all`, `min` or `max`, or, when the comprehension is inert (no calls, subscripts or attribute lookups), by a `for` loop or the first `for` of another comprehension. `sorted`, `set`, `tuple` and `str.join` are not counted: they build a whole collection anyway. Asynchronous comprehensions (`async for`, or an `await` inside) are not flagged: in parentheses they would be async generators, which these consumers cannot iterate. Names used twice, indexed, passed to `len()`, returned or used inside a loop that does not also build them are not flagged, nor a list iterated by a loop whose body touches what the comprehension reads (`keys = [k for k in table]` then `del table[k]` needs that snapshot).',
      why: 'The list holds every item in memory at once only to be walked a single time. A generator expression produces the items one by one as they are consumed: memory stays constant instead of growing with the input, and `any`/`all` can stop at the first deciding item without computing the rest. For small inputs the list can be as fast or faster; the gain is memory and early exit, which is why this is information, not a warning.',
      references: [
        'Python docs, Language Reference, "Generator expressions": a generator expression yields a new generator object whose values are computed lazily as `__next__()` is called; only the leftmost iterable is evaluated at once',
        'CPython `Doc/library/functions.rst` `all` and `any`: each is equivalent to a loop that returns at the first false (for `any`, true) element, so the rest of a generator is never computed',
      ],
      example: 'def total_size(paths):\n    sizes = [p.stat().st_size for p in paths]\n    return sum(sizes)',
      useInstead: 'def total_size(paths):\n    sizes = (p.stat().st_size for p in paths)\n    return sum(sizes)',
      fixSafety:
        "Unsafe: the comprehension now runs interleaved with its consumer, so side effects happen in a different order and an exception surfaces after part of the loop has run. That holds even for an inert comprehension (no calls, subscripts or attribute lookups): its source is now iterated item by item as the consumer asks (a generator's own code runs between the loop body's iterations), an operator such as `v / 2` may raise only after the loop body ran for the earlier items, and `any`/`all` stop before the items that would have raised.",
    },
  },
  query: `(expression_statement (assignment left: (identifier) right: [(list_comprehension) (call function: (identifier) @fn arguments: (generator_expression))] (#eq? @fn "list"))) @node
          (expression_statement (assignment left: (identifier) right: (list_comprehension))) @node`,
  check(node, ctx) {
    const assign = node.namedChild(0)!;
    const target = assign.childForFieldName('left')!;
    const value = assign.childForFieldName('right')!;
    const comprehension = value.type === 'call' ? value.childForFieldName('arguments')! : value;
    if (value.type === 'call' && value.childForFieldName('function')?.text !== 'list') return;
    const f = facts(ctx);
    const scope = f.enclosingScope(node);
    if (!scope) return; // module level: other modules may import the name
    const name = target.text;
    const scopeNode = scopeUsing(scope, name); // a class body: its methods are read too
    // Every mention of the name in the function: exactly this binding and one use after it.
    const re = new RegExp(`(?<![\\w.])${name}(?!\\w)`, 'g');
    const body = scopeNode.text;
    const uses: Node[] = [];
    for (let m = re.exec(body); m; m = re.exec(body)) {
      const at = scopeNode.startIndex + m.index;
      if (at === target.startIndex) continue;
      const n = ctx.tree.rootNode.descendantForIndex(at, at + name.length);
      if (!n || n.type !== 'identifier') continue; // in a string or comment
      uses.push(n);
      if (uses.length > 1) return;
    }
    if (uses.length !== 1 || uses[0].startIndex < node.endIndex) return;
    const use = uses[0];
    if (f.enclosingScope(use)?.startIndex !== scope.startIndex) return; // read by a nested function
    // A use inside a loop that does not also rebuild the list would iterate it more than once.
    const buildLoops = new Set(f.enclosingLoops(node).map((l) => l.startIndex));
    if (f.enclosingLoops(use).some((l) => !buildLoops.has(l.startIndex))) return;
    const how = consumption(use);
    if (!how) return;
    // An async comprehension has no plain generator to become.
    if (isAsync(comprehension)) return;
    // `for k in keys: del table[k]` over `keys = [k for k in table]` needs the snapshot: not a hotspot.
    if (bodyTouchesSource(comprehension, how)) return;
    // Building every item first and then running the loop body is often deliberate (start all the workers,
    // then wait for each): with user code on both sides, only an inert comprehension is a clear case.
    if (how.kind !== 'once' && !inert(comprehension)) return;
    ctx.report({
      node,
      message: `\`${name}\` is built as a whole list only to be iterated once; a generator expression avoids holding every item in memory.`,
      fix: buildFix(value, comprehension),
    });
  },
};
