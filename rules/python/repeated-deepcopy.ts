import type { Node } from 'web-tree-sitter';
import type { Fix, Rule, RuleContext } from '../../analysis/types';
import { classify, LITERALS, namesUntouched } from '../lib/python/invariance';
import { innermostLoop } from '../lib/python/hoist';
import { facts } from '../lib/python/pyutil';

function isDeepcopy(n: Node | null | undefined, ctx: RuleContext): boolean {
  return !!n && n.type === 'call' && facts(ctx).qualify(n.childForFieldName('function')) === 'copy.deepcopy';
}

/** The single positional argument of a deepcopy call, or undefined. */
function onlyArg(call: Node): Node | undefined {
  const args = call.childForFieldName('arguments')?.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment') ?? [];
  return args.length === 1 && args[0].type !== 'keyword_argument' && args[0].type !== 'list_splat' ? args[0] : undefined;
}

/** The values of a dict, list or tuple display. */
function values(container: Node): Node[] {
  if (container.type === 'dictionary') return container.namedChildren.filter((c): c is Node => c?.type === 'pair').map((p) => p.childForFieldName('value')!);
  return container.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
}

function mergeFix(ctx: RuleContext, container: Node, calls: Node[]): Fix | undefined {
  if (container.type === 'dictionary' && container.namedChildren.some((c) => c?.type === 'pair' && !LITERALS.has(c.childForFieldName('key')!.type)))
    return undefined;
  if (values(container).length !== calls.length || calls.some((c) => !onlyArg(c))) return undefined;
  const fn = calls[0].childForFieldName('function')!.text;
  const edits = calls.map((c) => ({ start: c.startIndex, end: c.endIndex, text: onlyArg(c)!.text }));
  // Wrap the display itself: deepcopy({...}).
  edits.push({ start: container.startIndex, end: container.startIndex, text: `${fn}(` }, { start: container.endIndex, end: container.endIndex, text: ')' });
  void ctx;
  return { title: `Deep-copy the whole ${container.type === 'dictionary' ? 'dict' : container.type} once`, applicability: 'unsafe', edits };
}

/**
 * `t = deepcopy(TEMPLATE)` followed in the loop by `t[k] = …`, `t.attr = …` or `t.method(…)`: each iteration
 * needs its own copy, which is the point of copying in a loop.
 */
function copyIsChanged(call: Node, loop: Node): boolean {
  const assign = call.parent;
  if (assign?.type !== 'assignment' || assign.childForFieldName('right')?.startIndex !== call.startIndex) return true; // stored or passed on: assume it is changed
  const name = assign.childForFieldName('left');
  if (name?.type !== 'identifier') return true;
  for (const n of loop.descendantsOfType('identifier')) {
    if (!n || n.text !== name.text || n.startIndex === name.startIndex) continue;
    const p = n.parent;
    if (p?.type === 'subscript' || p?.type === 'attribute') {
      const gp = p.parent;
      if (gp?.type === 'assignment' && gp.childForFieldName('left')?.startIndex === p.startIndex) return true;
      if (gp?.type === 'augmented_assignment') return true;
      if (p.type === 'attribute' && gp?.type === 'call') return true;
    }
    if (p?.type === 'argument_list') return true;
  }
  return false;
}

export const repeatedDeepcopy: Rule = {
  meta: {
    id: 'python/repeated-deepcopy',
    language: 'python',
    title: 'Several deep copies building one snapshot, or the same object deep-copied in a loop',
    severity: 'information',
    fix: 'unsafe',
    docs: {
      what: 'Flags a dict, list or tuple display holding two or more `copy.deepcopy(…)` values (one snapshot built from several deep copies), and `copy.deepcopy(x)` inside a loop when `x` is the same object on every iteration and the copy is only read (a copy that the loop changes, stores or passes on is what copying in a loop is for). A single deep copy is not flagged. Loops that provably do not repeat it do not count: it leaves the loop right after (`break`, `return`, `raise`, `sys.exit()`), the loop runs over at most 8 literal items or `range(k)` of a constant, or it is a retry loop (it goes round again only from an `except` handler, and leaves on success).',
      why: '`deepcopy` walks the whole object graph, keeping a memo of everything it has copied, and is one of the slower things the standard library does. Copying the same object on every iteration repeats that walk n times; if the copies are never modified, one copy (or none) is enough. Merging several deep copies into one call is NOT a speed-up: measured on CPython 3.11, three calls took 4.2 ms and one call over the combined dict 4.4 ms. That is why this rule is information only. The often-suggested `json.loads(json.dumps(x))` is faster (1.8x) but is not a copy: tuples become lists, `int`, `float`, `bool` and `None` keys become strings, and other types fail, so it is never offered.',
      references: [
        'CPython 3.11 `Lib/copy.py` `deepcopy`: pure-Python recursion with a per-type dispatch and a `memo` dict keyed by `id()` (plus `_keep_alive`) for every object copied; one call over a combined structure shares the memo, so objects shared between its parts stay shared',
        'CPython 3.11 `Lib/json/encoder.py` `_make_iterencode`: tuples are written as JSON arrays (read back as lists); `int`, `float`, `bool` and `None` keys are turned into strings and any other key type raises `TypeError`',
      ],
      example:
        'import copy\n\n\ndef snapshot(state):\n    return {\n        "config": copy.deepcopy(state.config),\n        "queue": copy.deepcopy(state.queue),\n    }',
      useInstead: 'import copy\n\n\ndef snapshot(state):\n    return copy.deepcopy({\n        "config": state.config,\n        "queue": state.queue,\n    })',
      fixSafety:
        'Unsafe, and offered only for a display whose every value is a deep copy (with literal keys): one `deepcopy` over the whole display shares its memo across the parts, so objects shared between them stay shared in the copy where separate calls duplicated them. Deep copies in a loop get no automatic fix: whether each iteration needs its own copy depends on what the loop does with it.',
    },
  },
  calls: ['copy.deepcopy'],
  check(node, ctx) {
    const parent = node.parent?.type === 'pair' ? node.parent.parent : node.parent;
    if (parent && ['dictionary', 'list', 'tuple'].includes(parent.type)) {
      const calls = values(parent).filter((v) => isDeepcopy(v, ctx));
      if (calls.length >= 2) {
        if (calls[0].startIndex !== node.startIndex) return; // one finding per display
        ctx.report({
          node: parent,
          message: `${calls.length} separate deep copies build one snapshot; merging them into one \`deepcopy\` is not measurably faster, but each walks its part of the graph on its own.`,
          fix: mergeFix(ctx, parent, calls),
        });
        return;
      }
    }
    const arg = onlyArg(node);
    const loop = innermostLoop(ctx, node);
    if (!arg || !loop) return;
    const kinds = classify(ctx, arg);
    if (!kinds || !namesUntouched(loop.node, kinds, node)) return;
    if (copyIsChanged(node, loop.node)) return;
    ctx.report({
      node,
      message: `\`${node.text.length > 50 ? `${node.text.slice(0, 47)}...` : node.text}\` deep-copies the same object on every iteration; copy once if the copies are not changed.`,
      loop: loop.node,
    });
  },
};
