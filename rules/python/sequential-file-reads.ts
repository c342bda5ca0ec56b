import type { Node } from 'web-tree-sitter';
import { repeatedBy } from '../../analysis/frequency';
import { eolOf, indentAt, lineStartOf } from '../../analysis/text';
import type { Fix, Rule, RuleContext } from '../../analysis/types';
import { joinsLines, reindented } from '../lib/python/layout';
import { facts, walkAll, within } from '../lib/python/pyutil';

const READERS = new Set(['read_text', 'read_bytes']);

/** A whole-file read of a path: `p.read_text()`, `p.read_bytes()`, `open(p).read()`. Returns the path expression. */
function readOf(call: Node, ctx: RuleContext): Node | undefined {
  const fn = call.childForFieldName('function');
  if (fn?.type !== 'attribute') return undefined;
  const method = fn.childForFieldName('attribute')!.text;
  const obj = fn.childForFieldName('object')!;
  if (READERS.has(method)) return obj;
  if (
    method === 'read' &&
    obj.type === 'call' &&
    facts(ctx).qualify(obj.childForFieldName('function')) === 'open' &&
    (call.childForFieldName('arguments')?.namedChildCount ?? 0) === 0
  ) {
    return obj.childForFieldName('arguments')?.namedChild(0) ?? undefined;
  }
  return undefined;
}

/** The loop or comprehension over paths that this read belongs to, when the path comes from its target. */
function overPaths(call: Node, path: Node): Node | undefined {
  for (let p = call.parent; p; p = p.parent) {
    if (p.type === 'function_definition' || p.type === 'lambda' || p.type === 'class_definition') return undefined;
    const isLoop =
      p.type === 'for_statement' ||
      p.type === 'list_comprehension' ||
      p.type === 'dictionary_comprehension' ||
      p.type === 'generator_expression' ||
      p.type === 'set_comprehension';
    if (!isLoop) continue;
    const clause = p.type === 'for_statement' ? p : p.namedChildren.find((c) => c?.type === 'for_in_clause');
    const target = clause?.childForFieldName('left');
    if (!clause || !target || (p.type === 'for_statement' && !within(call, p.childForFieldName('body')!))) continue;
    const names = new Set([...walkAll(target)].filter((n) => n.type === 'identifier').map((n) => n.text));
    if ([...walkAll(path)].some((n) => n.type === 'identifier' && names.has(n.text))) return p;
  }
  return undefined;
}

/**
 * `NAME = [p.read_text() for p in PATHS]` (one clause, no condition) becomes a thread-pool map inside a `with`
 * block, so the pool is shut down when the reads are done.
 */
function buildFix(ctx: RuleContext, call: Node, loop: Node): Fix | undefined {
  if (loop.type !== 'list_comprehension' || loop.childForFieldName('body')?.startIndex !== call.startIndex) return undefined;
  const clauses = loop.namedChildren.filter((c) => c?.type === 'for_in_clause' || c?.type === 'if_clause');
  const target = clauses[0]?.childForFieldName('left');
  if (clauses.length !== 1 || target?.type !== 'identifier') return undefined;
  const stmt = loop.parent?.parent;
  if (
    loop.parent?.type !== 'assignment' ||
    loop.parent.childForFieldName('left')?.type !== 'identifier' ||
    stmt?.type !== 'expression_statement' ||
    stmt.parent?.type !== 'block'
  )
    return undefined;
  if (ctx.text.slice(lineStartOf(ctx.text, stmt.startIndex), stmt.startIndex).trim() !== '') return undefined;
  const iterable = clauses[0]!.childForFieldName('right')!;
  // Written over several lines, the statement is rebuilt from its read and its paths: a comment would be lost.
  if ([...walkAll(stmt)].some((n) => n.type === 'comment') || !joinsLines(ctx.text, call) || !joinsLines(ctx.text, iterable)) return undefined;
  const f = facts(ctx);
  const imp = f.ensureImport('concurrent.futures');
  if (imp === undefined) return undefined;
  const pool = f.freshName('pool', f.enclosingScope(stmt));
  const indent = indentAt(ctx.text, stmt.startIndex);
  const step = indent.includes('\t') ? '\t' : '    ';
  const name = loop.parent.childForFieldName('left')!.text;
  const eol = eolOf(ctx.text);
  const moved = (part: Node) => reindented(ctx.text, part, part.startIndex, part.endIndex, indentAt(ctx.text, part.startIndex), indent + step);
  return {
    title: 'Read the files with a thread pool',
    applicability: 'unsafe',
    edits: [
      ...(imp ? [imp] : []),
      {
        start: stmt.startIndex,
        end: stmt.endIndex,
        text: `with concurrent.futures.ThreadPoolExecutor() as ${pool}:${eol}${indent}${step}${name} = list(${pool}.map(lambda ${target.text}: ${moved(call)}, ${moved(iterable)}))`,
      },
    ],
  };
}

export const sequentialFileReads: Rule = {
  meta: {
    id: 'python/sequential-file-reads',
    language: 'python',
    title: 'Many files read one after another',
    severity: 'hint',
    fix: 'unsafe',
    docs: {
      what: 'Flags a whole-file read (`p.read_text()`, `p.read_bytes()`, `open(p).read()`) inside a loop or comprehension whose target supplies the path: many files read one after another. Loops that provably do not repeat it do not count: it leaves the loop right after (`break`, `return`, `raise`, `sys.exit()`), the loop runs over at most 8 literal items or `range(k)` of a constant, or it is a retry loop (it goes round again only from an `except` handler, and leaves on success).',
      why: 'Each read waits for the storage before the next one starts. On a cold cache, a network file system or object storage mounted as files, that wait dominates and reading with a small thread pool (`concurrent.futures.ThreadPoolExecutor().map`) overlaps the waits. On a warm page cache with small files the reads are memory copies and a pool only adds overhead: measure before changing it. That is why this rule is a hint.',
      references: [
        'CPython `Python/fileutils.c` `_Py_read` (behind `FileIO.read`): "Release the GIL to call read()", so reads in several threads wait for the storage at the same time',
        'CPython 3.11 `Lib/concurrent/futures/_base.py` `Executor.map`: submits every call before yielding, then yields the results in the order of the inputs',
      ],
      example: 'from pathlib import Path\n\n\ndef load_all(folder):\n    return {p.name: p.read_text() for p in Path(folder).glob("*.json")}',
      useInstead:
        'from concurrent.futures import ThreadPoolExecutor\nfrom pathlib import Path\n\n\ndef load_all(folder):\n    paths = list(Path(folder).glob("*.json"))\n    with ThreadPoolExecutor(max_workers=8) as pool:\n        return dict(zip((p.name for p in paths), pool.map(Path.read_text, paths)))',
      fixSafety:
        'Unsafe, offered only for `NAME = [p.read_text() for p in PATHS]` (one `for`, no condition, no comment inside, which would be lost; also `read_bytes()` and `open(p).read()`; over several lines too): the statement becomes a `concurrent.futures.ThreadPoolExecutor` map inside a `with` block, which keeps the order of results. Reads now run concurrently, so when one fails the others may already have run, and the pool costs more than it saves on a warm cache with small files: measure before applying it.',
    },
  },
  query: '(call function: (attribute attribute: (identifier) @m) (#any-of? @m "read_text" "read_bytes" "read")) @node',
  check(node, ctx) {
    const path = readOf(node, ctx);
    if (!path) return;
    const loop = overPaths(node, path);
    // A loop that reads at most once, or a few literal paths, reads nothing one after another worth a pool.
    if (!loop || !repeatedBy(node, loop, ctx)) return;
    ctx.report({
      node,
      fix: buildFix(ctx, node, loop),
      message: `Files are read one after another in this ${loop.type === 'for_statement' ? 'loop' : 'comprehension'}; on cold or remote storage a thread pool overlaps the waits (measure first: on a warm cache it does not pay).`,
    });
  },
};
