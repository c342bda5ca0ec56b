import type { Node } from 'web-tree-sitter';
import { indentAt, lineStartOf, nextLineStart } from '../../analysis/text';
import type { Fix, Rule, RuleContext } from '../../analysis/types';
import { lineAfterLoop } from '../lib/python/accumulator';
import { classify, namesUntouched } from '../lib/python/invariance';
import { facts, walkScope } from '../lib/python/pyutil';

/** The innermost for/while loop that repeats `n` (analysis/frequency.ts), stopping at a def, lambda or class. */
function loopAround(n: Node, ctx: RuleContext): Node | undefined {
  return facts(ctx).repeatingLoops(n)[0];
}

function stringValue(n: Node | undefined): string | undefined {
  if (!n || n.type !== 'string' || n.namedChildren.some((c) => c?.type === 'interpolation')) return undefined;
  return n.namedChildren
    .filter((c) => c?.type === 'string_content')
    .map((c) => c!.text)
    .join('');
}

/** Functions that only write what they are given to a file handle (resolved through the imports). */
const WRITER_FUNCTIONS = new Set(['json.dump', 'pickle.dump', 'marshal.dump', 'yaml.dump', 'yaml.safe_dump', 'toml.dump', 'print', 'os.fsync']);
/** Methods of the handle itself that write. */
const HANDLE_WRITES = new Set(['write', 'writelines', 'flush']);

/** `f.write(…)`, `json.dump(x, f)`, `print(…, file=f)`: a statement that writes to `handle` and does nothing else. */
function writesTo(stmt: Node, handle: string, ctx: RuleContext): boolean {
  const call = stmt.type === 'expression_statement' && stmt.namedChildCount === 1 ? stmt.namedChild(0) : null;
  const fn = call?.type === 'call' ? call.childForFieldName('function') : null;
  if (!fn || !stmt.text.includes(handle)) return false;
  if (fn.type === 'attribute' && HANDLE_WRITES.has(fn.childForFieldName('attribute')?.text ?? '') && fn.childForFieldName('object')?.type === 'identifier')
    return true;
  return WRITER_FUNCTIONS.has(facts(ctx).qualify(fn) ?? '');
}

/**
 * `with open(...) as f:` whose block does nothing but write to `f` (write, writelines, json.dump, print(file=f),
 * flush, fsync). A block that also reads the file or works with it means each iteration's file is needed.
 */
function withBlockOnlyWrites(open: Node, ctx: RuleContext): boolean {
  const value = open.parent?.type === 'as_pattern' ? open.parent : null;
  const item = value?.parent;
  const stmt = item?.parent?.parent;
  if (item?.type !== 'with_item' || stmt?.type !== 'with_statement') return false;
  const handle = value!.childForFieldName('alias')?.text;
  const body = stmt.childForFieldName('body')?.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment') ?? [];
  return !!handle && body.length > 0 && body.every((s) => writesTo(s, handle, ctx));
}

/** The path a write goes to, and how: `open(P, "w")`, `open(P, mode="a")`, `Path(P).write_text(...)`, `p.write_bytes(...)`. */
function writeTarget(call: Node, ctx: RuleContext): { path: Node; append: boolean } | undefined {
  const fn = call.childForFieldName('function');
  const args = call.childForFieldName('arguments')?.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment') ?? [];
  if (!fn) return undefined;
  const q = facts(ctx).qualify(fn);
  if (q === 'open' || q === 'io.open') {
    const modeArg =
      args.find((a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === 'mode')?.childForFieldName('value') ??
      (args[1]?.type !== 'keyword_argument' ? args[1] : undefined);
    const mode = stringValue(modeArg ?? undefined);
    // Write-only modes ('+' means the file is also read back), opened by a `with` whose block only writes to it.
    if (!mode || !/[wax]/.test(mode) || mode.includes('+') || !args[0] || args[0].type === 'keyword_argument') return undefined;
    if (!withBlockOnlyWrites(call, ctx)) return undefined;
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
    stmt =
      owner.type === 'else_clause' || owner.type === 'elif_clause' || owner.type === 'except_clause' || owner.type === 'finally_clause' ? owner.parent! : owner;
    if (!stmt.parent || stmt.parent.type !== 'block') return false;
  }
  return false;
}

/**
 * Moves a rewrite that ends every iteration to after the loop. Only for a full rewrite ("w" mode or
 * write_text/write_bytes) that is a statement of the loop body itself, in a loop that always runs to the end.
 */
function buildFix(ctx: RuleContext, call: Node, loop: Node, append: boolean): Fix | undefined {
  if (append) return undefined; // every append is needed
  let stmt: Node = call;
  while (stmt.parent && stmt.parent.type !== 'block') stmt = stmt.parent;
  const body = loop.childForFieldName('body')!;
  if (stmt.parent?.startIndex !== body.startIndex || loop.childForFieldName('alternative')) return undefined;
  if (body.namedChildren.filter((c) => c && c.type !== 'comment').length < 2) return undefined;
  for (const n of walkScope(loop)) {
    if (['break_statement', 'continue_statement', 'return_statement', 'raise_statement', 'yield', 'try_statement'].includes(n.type)) return undefined;
  }
  const text = ctx.text;
  const start = lineStartOf(text, stmt.startIndex);
  const end = nextLineStart(text, stmt.endIndex);
  if (text.slice(start, stmt.startIndex).trim() !== '' || text.slice(stmt.endIndex, end).trim().replace(/^#.*/, '') !== '') return undefined;
  const inner = indentAt(text, stmt.startIndex);
  const outer = indentAt(text, loop.startIndex);
  if (!inner.startsWith(outer) || inner === outer) return undefined;
  // The statement with any comment after it on its last line.
  const lines = text
    .slice(stmt.startIndex, end)
    .replace(/\r?\n$/, '')
    .split(/\r?\n/);
  const strip = inner.slice(outer.length);
  if (lines.slice(1).some((l) => l.trim() !== '' && !l.startsWith(inner))) return undefined; // e.g. a multi-line string
  const moved = [lines[0], ...lines.slice(1).map((l) => (l.startsWith(strip) ? l.slice(strip.length) : l))].join('\n');
  const after = lineAfterLoop(text, loop, moved);
  if (!after) return undefined;
  return { title: 'Write the file once, after the loop', applicability: 'unsafe', edits: [{ start, end, text: '' }, after] };
}

export const writePerIteration: Rule = {
  meta: {
    id: 'python/write-per-iteration',
    language: 'python',
    title: 'The same file opened for writing on every iteration',
    severity: 'information',
    fix: 'unsafe',
    docs: {
      what: 'Flags a file opened for writing or appending (`with open(path, "w"/"a"/"x"…) as f:` whose block only writes to `f`, `Path(path).write_text/write_bytes`, `p.write_text/write_bytes`) inside a `for` or `while` body when the path cannot change between iterations (a literal, a constant module name, or a name the loop does not otherwise touch) and the write is the last thing the iteration does. Different paths per iteration, a log opened once before the loop, `os.devnull`, and writes followed by more work in the same iteration (often the file is written to be used right away) are not flagged. Loops that provably do not repeat it do not count: it leaves the loop right after (`break`, `return`, `raise`, `sys.exit()`), the loop runs over at most 8 literal items or `range(k)` of a constant, or it is a retry loop (it goes round again only from an `except` handler, and leaves on success).',
      why: 'Every open, write and close of the same file is a round trip to the operating system and, for a rewrite, truncates and rewrites the whole file; an `fsync` the code adds waits for the disk every time (`close()` itself does not sync). In "w" mode only the last iteration\'s content survives, so all the earlier writes are wasted; in "a" mode the file is reopened for every line. Writing once after the loop, or opening the file once before it, does the same work once.',
      references: [
        'CPython 3.11 `Lib/_pyio.py` `FileIO.__init__` (the pure-Python reference of `io`): mode `"w"` opens with `O_CREAT | O_TRUNC`, emptying the file on every open, and `"a"` with `O_APPEND | O_CREAT`; `close()` closes the descriptor without an `fsync`',
        'CPython 3.11 `Lib/pathlib.py` `Path.write_text` and `write_bytes`: each call opens the file with mode `"w"` (`"wb"`), writes and closes it',
      ],
      example:
        'import json\n\n\ndef save_progress(items, state):\n    for item in items:\n        state[item.id] = item.process()\n        with open("progress.json", "w") as fh:\n            json.dump(state, fh)',
      useInstead:
        'import json\n\n\ndef save_progress(items, state):\n    for item in items:\n        state[item.id] = item.process()\n    with open("progress.json", "w") as fh:\n        json.dump(state, fh)',
      fixSafety:
        'Unsafe. For a full rewrite ("w" mode, `write_text`, `write_bytes`) that is a statement of the loop body itself, in a loop with no `break`, `continue`, `return`, `raise` or `try`, the fix moves it to after the loop, where it writes the final state once. What is on disk changes if the loop fails part-way (rewriting each iteration is sometimes the point: a checkpoint that must survive a crash), and a loop that runs zero times now writes once. Appends get no fix: open the file once before the loop by hand.',
    },
  },
  query: `(call function: [(identifier) @name (attribute attribute: (identifier) @name)]
            (#any-of? @name "open" "write_text" "write_bytes")) @node`,
  check(node, ctx) {
    const target = writeTarget(node, ctx);
    if (!target) return;
    const loop = loopAround(node, ctx);
    if (!loop || target.path.text === 'os.devnull') return;
    // Only when nothing runs after the write in the iteration: otherwise the file is often written in order to be
    // used right away (a module imported, a process run on it), and each write is needed.
    if (!lastInIteration(node, loop)) return;
    const kinds = classify(ctx, target.path);
    if (!kinds || !namesUntouched(loop, kinds, target.path)) return;
    const shown = target.path.text.length > 40 ? `${target.path.text.slice(0, 37)}...` : target.path.text;
    ctx.report({
      node,
      fix: buildFix(ctx, node, loop, target.append),
      loop,
      message: target.append
        ? `\`${shown}\` is reopened for appending on every iteration; open it once before the loop.`
        : `\`${shown}\` is opened and rewritten on every iteration, and only the last write survives; write once after the loop.`,
    });
  },
};
