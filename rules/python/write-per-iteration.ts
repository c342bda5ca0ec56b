import type { Node } from 'web-tree-sitter';
import type { Rule, RuleContext } from '../../server/src/core/types';
import { classify, namesUntouched } from './invariance';
import { facts, LOOP_TYPES, SCOPE_TYPES, within } from './pyutil';

/** The innermost for/while loop whose body runs `n`, stopping at a def, lambda or class. */
function loopAround(n: Node): Node | undefined {
  for (let p = n.parent; p; p = p.parent) {
    if (SCOPE_TYPES.has(p.type)) return undefined;
    if (LOOP_TYPES.has(p.type)) { const body = p.childForFieldName('body'); if (body && within(n, body)) return p; }
  }
  return undefined;
}

function stringValue(n: Node | undefined): string | undefined {
  if (!n || n.type !== 'string' || n.namedChildren.some((c) => c?.type === 'interpolation')) return undefined;
  return n.namedChildren.filter((c) => c?.type === 'string_content').map((c) => c!.text).join('');
}

/** The path a write goes to, and how: `open(P, "w")`, `open(P, mode="a")`, `Path(P).write_text(...)`, `p.write_bytes(...)`. */
function writeTarget(call: Node, ctx: RuleContext): { path: Node; append: boolean } | undefined {
  const fn = call.childForFieldName('function');
  const args = call.childForFieldName('arguments')?.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment') ?? [];
  if (!fn) return undefined;
  const q = facts(ctx).qualify(fn);
  if (q === 'open' || q === 'io.open') {
    const modeArg = args.find((a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === 'mode')?.childForFieldName('value') ?? (args[1]?.type !== 'keyword_argument' ? args[1] : undefined);
    const mode = stringValue(modeArg ?? undefined);
    if (!mode || !/[wax]/.test(mode) || !args[0] || args[0].type === 'keyword_argument') return undefined;
    return { path: args[0], append: mode.includes('a') };
  }
  if (fn.type === 'attribute' && ['write_text', 'write_bytes'].includes(fn.childForFieldName('attribute')!.text)) {
    const obj = fn.childForFieldName('object')!;
    if (obj.type === 'call') {
      const oq = facts(ctx).qualify(obj.childForFieldName('function'));
      const first = obj.childForFieldName('arguments')?.namedChild(0);
      if ((oq === 'pathlib.Path' || oq === 'pathlib.PurePath') && first && first.type !== 'keyword_argument') return { path: first, append: false };
      return undefined;
    }
    return { path: obj, append: false };
  }
  return undefined;
}

/** True when the statement holding `n` is the last thing its iteration runs (through nested if/with blocks). */
function lastInIteration(n: Node, loop: Node): boolean {
  let stmt: Node = n;
  while (stmt.parent && stmt.parent.type !== 'block') stmt = stmt.parent;
  for (let block = stmt.parent; block; block = stmt.parent) {
    const last = block.namedChildren.filter((c) => c && c.type !== 'comment').pop();
    if (!last || last.startIndex !== stmt.startIndex) return false;
    const owner = block.parent;
    if (!owner) return false;
    if (owner.startIndex === loop.startIndex) return true;
    // The branch or with block ends the iteration only if its statement is last in turn.
    stmt = owner.type === 'else_clause' || owner.type === 'elif_clause' || owner.type === 'except_clause' || owner.type === 'finally_clause' ? owner.parent! : owner;
    if (!stmt.parent || stmt.parent.type !== 'block') return false;
  }
  return false;
}

export const writePerIteration: Rule = {
  meta: {
    id: 'python/write-per-iteration',
    language: 'python',
    title: 'The same file opened for writing on every iteration',
    severity: 'warning',
    fix: 'none',
    docs: {
      what: 'Flags a file opened for writing or appending (`open(path, "w"/"a"/"x"…)`, `Path(path).write_text/write_bytes`, `p.write_text/write_bytes`) inside a `for` or `while` body when the path cannot change between iterations (a literal, a constant module name, or a name the loop does not otherwise touch) and the write is the last thing the iteration does. Different paths per iteration, a log opened once before the loop, `os.devnull`, and writes followed by more work in the same iteration (often the file is written to be used right away) are not flagged.',
      why: 'Every open, write and close of the same file is a round trip to the operating system and, for a rewrite, truncates and rewrites the whole file, often followed by an `fsync`. In "w" mode only the last iteration\'s content survives, so all the earlier writes are wasted; in "a" mode the file is reopened for every line. Writing once after the loop, or opening the file once before it, does the same work once.',
      example: 'import json\n\n\ndef save_progress(items, state):\n    for item in items:\n        state[item.id] = item.process()\n        with open("progress.json", "w") as fh:\n            json.dump(state, fh)',
      useInstead: 'import json\n\n\ndef save_progress(items, state):\n    for item in items:\n        state[item.id] = item.process()\n    with open("progress.json", "w") as fh:\n        json.dump(state, fh)',
      fixSafety: 'No automatic fix. Rewriting each iteration is sometimes the point (a checkpoint that must survive a crash mid-loop), and moving the write changes what is on disk if the loop fails part-way: decide by hand, and consider checkpointing every N items instead.',
    },
  },
  query: `(call function: [(identifier) @name (attribute attribute: (identifier) @name)]
            (#any-of? @name "open" "write_text" "write_bytes")) @node`,
  check(node, ctx) {
    const target = writeTarget(node, ctx);
    if (!target) return;
    const loop = loopAround(node);
    if (!loop || target.path.text === 'os.devnull') return;
    // Only when nothing runs after the write in the iteration: otherwise the file is often written in order to be
    // used right away (a module imported, a process run on it), and each write is needed.
    if (!lastInIteration(node, loop)) return;
    const kinds = classify(ctx, target.path);
    if (!kinds || !namesUntouched(loop, kinds, target.path)) return;
    const shown = target.path.text.length > 40 ? `${target.path.text.slice(0, 37)}...` : target.path.text;
    ctx.report({
      node,
      message: target.append
        ? `\`${shown}\` is reopened for appending on every iteration; open it once before the loop.`
        : `\`${shown}\` is opened and rewritten on every iteration, and only the last write survives; write once after the loop.`,
    });
  },
};
