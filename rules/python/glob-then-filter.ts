import type { Node } from 'web-tree-sitter';
import type { Rule } from '../../analysis/types';
import { facts } from '../lib/python/pyutil';

const GLOB_META = /[*?[\]{}\\]/;

function stringValue(n: Node | null | undefined): string | undefined {
  if (!n || n.type !== 'string' || n.namedChildren.some((c) => c?.type === 'interpolation' || c?.type === 'escape_sequence')) return undefined;
  if (/^[A-Za-z]*/.exec(n.text)![0].toLowerCase().includes('b')) return undefined;
  return n.namedChildren
    .filter((c) => c?.type === 'string_content')
    .map((c) => c!.text)
    .join('');
}

/** The suffixes a condition keeps, when it is a plain suffix or name-ending test on `v` (else undefined). */
function suffixTest(cond: Node, v: string): string[] | undefined {
  if (cond.type === 'parenthesized_expression') return cond.namedChild(0) ? suffixTest(cond.namedChild(0)!, v) : undefined;
  if (cond.type === 'comparison_operator') {
    const [left, right] = cond.namedChildren;
    const op = cond.childForFieldName('operators')?.type ?? cond.child(1)?.type;
    if (!left || !right || left.text !== `${v}.suffix`) return undefined;
    if (op === '==') {
      const s = stringValue(right);
      return s ? [s] : undefined;
    }
    if (op === 'in' && ['tuple', 'set', 'list'].includes(right.type)) {
      const items = right.namedChildren.map((c) => stringValue(c));
      return items.every((x): x is string => !!x) ? items : undefined;
    }
    return undefined;
  }
  if (cond.type === 'call') {
    const fn = cond.childForFieldName('function');
    const args = cond.childForFieldName('arguments');
    if (fn?.type !== 'attribute' || fn.childForFieldName('attribute')?.text !== 'endswith' || !args || args.namedChildCount !== 1) return undefined;
    const obj = fn.childForFieldName('object')?.text;
    if (obj !== `${v}.name` && obj !== `str(${v})` && obj !== `os.fspath(${v})`) return undefined;
    const arg = args.namedChild(0)!;
    if (arg.type === 'tuple') {
      const items = arg.namedChildren.map((c) => stringValue(c));
      return items.every((x): x is string => !!x) ? items : undefined;
    }
    const s = stringValue(arg);
    return s ? [s] : undefined;
  }
  return undefined;
}

/** The conditions that filter what the loop or comprehension sees of each path. */
function filters(consumer: Node, v: string): Node[] {
  if (consumer.type === 'for_statement') {
    const first = consumer.childForFieldName('body')?.namedChildren.find((c) => c && c.type !== 'comment');
    if (first?.type !== 'if_statement') return [];
    const cond = first.childForFieldName('condition');
    if (!cond) return [];
    // `if not TEST: continue` filters the same way as `if TEST: ...`.
    const then = first.childForFieldName('consequence')?.namedChildren.filter((c) => c && c.type !== 'comment') ?? [];
    if (cond.type === 'not_operator' && then.length === 1 && then[0]?.type === 'continue_statement') {
      const arg = cond.childForFieldName('argument');
      return arg ? [arg] : [];
    }
    return first.childForFieldName('alternative') ? [] : [cond];
  }
  const comp = consumer.parent;
  void v;
  return comp
    ? comp.namedChildren
        .filter((c): c is Node => c?.type === 'if_clause')
        .map((c) => c.namedChild(0)!)
        .filter(Boolean)
    : [];
}

/** True when the pattern is `*…{v}` (f-string) or `"*…" + v` with `v` a loop target: the loop varies the suffix. */
function suffixFromLoop(pattern: Node, targets: Set<string | undefined>): boolean {
  if (pattern.type === 'string') {
    let star = false;
    for (const part of pattern.namedChildren) {
      if (part?.type === 'string_content' && part.text.includes('*')) star = true;
      if (part?.type === 'interpolation' && star && targets.has(part.childForFieldName('expression')?.text)) return true;
    }
    return false;
  }
  if (pattern.type === 'binary_operator' && pattern.childForFieldName('operator')?.type === '+') {
    const left = pattern.childForFieldName('left');
    const right = pattern.childForFieldName('right');
    return !!left && !!right && left.type === 'string' && left.text.includes('*') && targets.has(right.text);
  }
  return false;
}

export const globThenFilter: Rule = {
  meta: {
    id: 'python/glob-then-filter',
    language: 'python',
    title: 'Whole tree listed, then filtered by suffix',
    severity: 'information',
    fix: 'safe',
    docs: {
      what: 'Flags `path.rglob("*")` (or `path.glob("**/*")`) iterated by a loop or comprehension that keeps only one suffix (`p.suffix == ".py"`, `p.name.endswith(".py")`, `str(p).endswith(".py")`), and `rglob`/`glob` called inside a loop with a pattern built from the loop variable (one walk of the tree per suffix). A filter on several suffixes over one `rglob("*")` is not flagged: one traversal with a set test is the right shape; nor is an ending with a `/` in it (`str(p).endswith("/setup.py")`), which no pattern of names matches the same way.',
      why: 'With `"*"` pathlib builds a `Path` object for every file and directory in the tree and the loop throws most of them away. Giving the suffix to `rglob` lets the matcher reject each file name before its `Path` is built: on the CPython standard library (13.7k matches), `rglob("*.py")` took 229 ms against 379 ms for `rglob("*")` plus a filter. Calling `rglob` once per suffix is worse than either: each call walks the whole tree again (three suffixes: 620 ms against 395 ms for one walk and a set test; `os.walk` with a `frozenset` test took 158 ms).',
      references: [
        'CPython 3.11 `Lib/pathlib.py` `_WildcardSelector._select_from`: tests `self.match(name)` on each `os.scandir` entry and builds a `Path` (`_make_child_relpath`) only for names that match',
        'CPython 3.11 `Lib/pathlib.py` `Path.rglob` and `_RecursiveWildcardSelector._iterate_directories`: each `rglob` call walks every directory of the tree again with `scandir`',
        "CPython 3.13 `Lib/glob.py` `_Globber.wildcard_selector` (used by pathlib since 3.13): the same test of `entry.name` before the entry's path is taken",
      ],
      example: 'from pathlib import Path\n\n\ndef sources(root):\n    return [p for p in Path(root).rglob("*") if p.suffix == ".py"]',
      useInstead: 'from pathlib import Path\n\n\ndef sources(root):\n    return [p for p in Path(root).rglob("*.py") if p.suffix == ".py"]',
      fixSafety:
        'Safe: the fix gives the suffix to the glob pattern and keeps the filter, so exactly the same paths come out, in the same order (every path the filter keeps matches the narrower pattern). The once-per-suffix shape has no automatic fix: turn it into one walk with a set of suffixes by hand.',
    },
  },
  mentions: ['glob'],
  query: `(call function: (attribute attribute: (identifier) @m) arguments: (argument_list) (#any-of? @m "rglob" "glob")) @node`,
  check(node, ctx) {
    const fn = node.childForFieldName('function')!;
    const method = fn.childForFieldName('attribute')!.text;
    // One argument, the pattern (comments in the argument list do not count).
    const args = node.childForFieldName('arguments')!.namedChildren.filter((c): c is NonNullable<typeof c> => !!c && c.type !== 'comment');
    if (args.length !== 1) return;
    const patternNode = args[0];
    const pattern = stringValue(patternNode);
    const f = facts(ctx);
    if (pattern === undefined) {
      // A suffix taken from a loop variable: f"*{ext}" or "*" + ext. One full walk per iteration.
      const loops = f.enclosingLoops(node);
      const targets = new Set(loops.map((l) => l.childForFieldName('left')?.text).filter(Boolean));
      if (suffixFromLoop(patternNode, targets) && (method === 'rglob' || patternNode.text.includes('**'))) {
        ctx.report({
          node,
          message: `\`${method}()\` inside a loop over suffixes walks the whole tree once per iteration; walk once and test each path against a set of suffixes.`,
        });
      }
      return;
    }
    if (!(method === 'rglob' && pattern === '*') && !(method === 'glob' && pattern === '**/*')) return;
    const consumer = node.parent;
    if (
      !consumer ||
      (consumer.type !== 'for_statement' && consumer.type !== 'for_in_clause') ||
      consumer.childForFieldName('right')?.startIndex !== node.startIndex
    )
      return;
    const v = consumer.childForFieldName('left');
    if (!v || v.type !== 'identifier') return;
    const suffixes = filters(consumer, v.text)
      .map((c) => suffixTest(c, v.text))
      .find((s) => s && s.length);
    // A separator in the suffix (`str(p).endswith("/x.py")`) makes a pattern over path parts, which misses the
    // paths right below the root (test/oracle/python/glob-then-filter.py).
    if (!suffixes || suffixes.length !== 1 || GLOB_META.test(suffixes[0]) || !suffixes[0] || suffixes[0].includes('/')) return;
    const narrowed = method === 'rglob' ? `*${suffixes[0]}` : `**/*${suffixes[0]}`;
    const quote = patternNode.text.slice(-1);
    ctx.report({
      node,
      message: `\`${method}(${patternNode.text})\` lists every path and the filter keeps only \`${suffixes[0]}\`; pass \`${quote}${narrowed}${quote}\` so the walk skips the rest.`,
      fix: {
        title: `Glob for ${narrowed}`,
        applicability: 'safe',
        edits: [{ start: patternNode.startIndex, end: patternNode.endIndex, text: `${quote}${narrowed}${quote}` }],
      },
    });
  },
};
