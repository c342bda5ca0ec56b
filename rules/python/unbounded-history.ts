import type { Node } from 'web-tree-sitter';
import type { Fix, Rule, RuleContext } from '../../analysis/types';
import { attributesInClass, facts, textOutside } from '../lib/python/pyutil';

// Names that say "a record of everything that happened". Generic collectors (events, messages, entries) are
// left out: in the corpora they were mostly short-lived objects gathering results for one run.
const HISTORY_NAME = /(^|_)(history|log|logs|trace|traces|audit|journal)$/i;
const GROWTH = new Set(['append', 'extend', 'insert']);
const READS = new Set(['count', 'index', 'copy']);

type Use = 'grow' | 'len' | 'read' | 'other';

/** How one occurrence of `self.name` (an attribute node) is used. */
function useOf(attr: Node): Use {
  const p = attr.parent;
  if (!p) return 'other';
  if (p.type === 'attribute' && p.childForFieldName('object')?.startIndex === attr.startIndex) {
    const method = p.childForFieldName('attribute')?.text ?? '';
    if (p.parent?.type !== 'call') return 'other';
    return GROWTH.has(method) ? 'grow' : READS.has(method) ? 'read' : 'other';
  }
  if (p.type === 'argument_list' && p.parent?.childForFieldName('function')?.text === 'len') return 'len';
  if ((p.type === 'for_statement' || p.type === 'for_in_clause') && p.childForFieldName('right')?.startIndex === attr.startIndex) return 'read';
  if (p.type === 'subscript' && p.childForFieldName('value')?.startIndex === attr.startIndex) {
    // A read like self.log[-1]; a write or delete through the subscript trims or replaces.
    const gp = p.parent;
    if (gp?.type === 'assignment' && gp.childForFieldName('left')?.startIndex === p.startIndex) return 'other';
    if (gp?.type === 'delete_statement' || (gp?.type === 'expression_list' && gp.parent?.type === 'delete_statement')) return 'other';
    return 'read';
  }
  if (p.type === 'comparison_operator' && /\bin\b/.test(p.text)) return 'read';
  // Truth tests: `if self.log`, `x if self.log else y`, `not self.log`, `self.log and …`.
  if (['conditional_expression', 'boolean_operator', 'not_operator'].includes(p.type)) return 'read';
  if (
    (p.type === 'if_statement' || p.type === 'while_statement' || p.type === 'elif_clause') &&
    p.childForFieldName('condition')?.startIndex === attr.startIndex
  )
    return 'read';
  return 'other';
}

function buildFix(ctx: RuleContext, init: Node, uses: Node[]): Fix | undefined {
  // A deque cannot be sliced, and len() stops counting once it is full: keep the list where either is used.
  if (uses.some((u) => useOf(u) === 'len' || (u.parent?.type === 'subscript' && /:/.test(u.parent.text.slice(u.text.length))))) return undefined;
  const imp = facts(ctx).ensureImport('collections');
  if (imp === undefined) return undefined;
  const value = init.childForFieldName('right')!;
  return {
    title: 'Keep only the newest 10,000 entries (collections.deque(maxlen=10_000))',
    applicability: 'unsafe',
    edits: [...(imp ? [imp] : []), { start: value.startIndex, end: value.endIndex, text: 'collections.deque(maxlen=10_000)' }],
  };
}

export const unboundedHistory: Rule = {
  meta: {
    id: 'python/unbounded-history',
    language: 'python',
    title: 'History list that only ever grows',
    severity: 'information',
    fix: 'unsafe',
    docs: {
      what: 'Flags an attribute set to `[]` in `__init__`, named like a history, log or trace (`history`, `call_log`, `request_trace`, `audit` …), that the class only ever appends to, reads, iterates or measures: nothing pops, clears, removes, slices it down, reassigns it or hands it to other code, and no other code in the file trims it.',
      why: 'In a long-lived object (a server, a client, a cache, a simulation) such a list grows by one entry per event for the life of the process: memory climbs steadily, and code that scans the list gets slower with uptime. A `collections.deque(maxlen=N)` keeps the newest N entries in constant memory, and appending to a full deque drops the oldest entry in constant time.',
      references: [
        'Python docs, `collections.deque`: appends and pops from either end take about O(1); once a bounded (`maxlen`) deque is full, adding items discards the same number from the opposite end',
      ],
      example:
        'class Client:\n    def __init__(self):\n        self.request_log = []\n\n    def send(self, request):\n        self.request_log.append(request)\n        return self.transport.send(request)',
      useInstead:
        'import collections\n\n\nclass Client:\n    def __init__(self):\n        self.request_log = collections.deque(maxlen=10_000)\n\n    def send(self, request):\n        self.request_log.append(request)\n        return self.transport.send(request)',
      fixSafety:
        'Unsafe: old entries are dropped once 10,000 have been kept (choose the bound for the program). The fix is not offered when the list is sliced (a deque cannot be) or its `len()` is used (as a running index it would stop growing at the bound: keep a separate counter).',
    },
  },
  mentions: ['__init__'],
  query: '(function_definition name: (identifier) @name (#eq? @name "__init__")) @node',
  check(node, ctx) {
    const cls = node.parent?.parent;
    if (cls?.type !== 'class_definition') return;
    const selfName = node.childForFieldName('parameters')?.namedChild(0)?.text;
    if (!selfName) return;
    const body = node.childForFieldName('body');
    for (const stmt of body?.namedChildren ?? []) {
      const a = stmt?.type === 'expression_statement' ? stmt.namedChild(0) : null;
      const left = a?.type === 'assignment' ? a.childForFieldName('left') : null;
      let right = a?.childForFieldName('right');
      while (right?.type === 'parenthesized_expression') right = right.namedChild(0); // black writes `x = ([])`
      if (!a || left?.type !== 'attribute' || left.childForFieldName('object')?.text !== selfName || right?.type !== 'list' || right.namedChildCount !== 0)
        continue;
      const name = left.childForFieldName('attribute')!.text;
      if (!HISTORY_NAME.test(name)) continue;
      // Every `<self>.name` in the class: grows and reads only.
      const uses: Node[] = [];
      let grows = false;
      let ok = true;
      for (const attr of attributesInClass(cls, name)) {
        if (attr.startIndex === left.startIndex) continue;
        const use = useOf(attr);
        if (use === 'other') {
          ok = false;
          break;
        }
        if (use === 'grow') grows = true;
        uses.push(attr);
      }
      if (!ok || !grows) continue;
      // Code elsewhere in the file that trims it (obj.events.clear(), del obj.events[:n], obj.events = ...).
      const outside = textOutside(ctx, cls, name);
      if (new RegExp(`\\.${name}\\s*(\\.\\s*(pop|clear|remove)\\b|\\[[^\\]]*\\]\\s*=|=[^=])|del\\s+[\\w.]*\\.${name}\\b`).test(outside)) continue;
      ctx.report({
        node: a,
        message: `\`${left.text}\` is only ever appended to: in a long-lived object it grows without bound; keep the newest entries with \`collections.deque(maxlen=…)\`.`,
        fix: buildFix(ctx, a, uses),
      });
    }
  },
};
