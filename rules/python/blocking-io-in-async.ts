import type { Node } from 'web-tree-sitter';
import { atLeast, type Fix, type Rule, type RuleContext } from '../../analysis/types';
import { asyncioImport, awaitText, inGeneratorExpression, isAwaited } from '../lib/python/asyncutil';
import { facts } from '../lib/python/pyutil';

/** Blocking calls recognised by their qualified name (resolved through the file's imports). */
const BLOCKING = new Map<string, string>([
  ['open', 'opens a file'],
  ['time.sleep', 'sleeps'],
  ['os.fsync', 'waits for the disk'],
  ['json.load', 'reads a file'],
  ['json.dump', 'writes a file'],
  ['subprocess.run', 'waits for a process'],
  ['subprocess.call', 'waits for a process'],
  ['subprocess.check_call', 'waits for a process'],
  ['subprocess.check_output', 'waits for a process'],
  ...['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'request'].map((m) => [`requests.${m}`, 'waits for the network'] as [string, string]),
]);

/** pathlib methods that block: flagged only on a receiver shown to be a Path (isPath). */
const PATH_METHODS = new Set(['read_text', 'read_bytes', 'write_text', 'write_bytes']);
const PATH_CLASSES = new Set(['Path', 'PurePath', 'PosixPath', 'WindowsPath'].map((c) => `pathlib.${c}`));
/** Path methods that return a Path. */
const PATH_TO_PATH = new Set(['with_name', 'with_suffix', 'with_stem', 'joinpath', 'resolve', 'absolute', 'expanduser', 'relative_to', 'home', 'cwd']);

/**
 * Evidence that an expression is a pathlib path: made by a Path class (or a Path method that returns one, `/`,
 * `.parent`), or a name bound to such a value or annotated as a Path, or pytest's `tmp_path` fixture. Other
 * objects have methods of the same names that do not block: Tornado's `IOStream.read_bytes` returns a future.
 */
function isPath(n: Node | null | undefined, ctx: RuleContext, depth = 0): boolean {
  if (!n || depth > 6) return false;
  const f = facts(ctx);
  switch (n.type) {
    case 'parenthesized_expression':
      return isPath(n.namedChild(0), ctx, depth + 1);
    case 'binary_operator':
      return n.childForFieldName('operator')?.type === '/' && isPath(n.childForFieldName('left'), ctx, depth + 1);
    case 'attribute':
      return n.childForFieldName('attribute')?.text === 'parent' && isPath(n.childForFieldName('object'), ctx, depth + 1);
    case 'call': {
      const fn = n.childForFieldName('function');
      if (!fn) return false;
      const q = f.qualify(fn);
      if (q && (PATH_CLASSES.has(q) || [...PATH_CLASSES].some((c) => q === `${c}.home` || q === `${c}.cwd`))) return true;
      return (
        fn.type === 'attribute' && PATH_TO_PATH.has(fn.childForFieldName('attribute')?.text ?? '') && isPath(fn.childForFieldName('object'), ctx, depth + 1)
      );
    }
    case 'identifier': {
      const b = f.model.bindingAt(n.text, n);
      if (!b) return false;
      const p = b.node.parent;
      if (b.kind === 'parameter') {
        if (b.name === 'tmp_path') return true;
        return annotatesPath(parameterType(p), ctx);
      }
      if ((b.kind === 'assignment' || b.kind === 'annotated-assignment') && p?.type === 'assignment' && p.childForFieldName('left')?.id === b.node.id) {
        if (annotatesPath(p.childForFieldName('type'), ctx)) return true;
        return isPath(p.childForFieldName('right'), ctx, depth + 1);
      }
      if (b.kind === 'for-target' && p && (p.type === 'for_in_clause' || p.type === 'for_statement')) {
        // `for p in folder.glob("*")`, or over a parameter annotated as a collection of paths.
        const over = p.childForFieldName('right');
        if (over?.type === 'call') {
          const fn = over.childForFieldName('function');
          return (
            fn?.type === 'attribute' &&
            ['glob', 'rglob', 'iterdir'].includes(fn.childForFieldName('attribute')?.text ?? '') &&
            isPath(fn.childForFieldName('object'), ctx, depth + 1)
          );
        }
        if (over?.type !== 'identifier') return false;
        const c = f.model.bindingAt(over.text, over);
        return c?.kind === 'parameter' && annotatesPath(parameterType(c.node.parent), ctx, true);
      }
      return false;
    }
  }
  return false;
}

function parameterType(p: Node | null | undefined): Node | null {
  return p && (p.type === 'typed_parameter' || p.type === 'typed_default_parameter') ? p.childForFieldName('type') : null;
}

/** The qualified name a type written as a string stands for (`"Path"`, `"pathlib.Path"`), through the imports where it is. */
function quotedType(s: Node, ctx: RuleContext): string | undefined {
  const name = s.namedChildren.find((c) => c?.type === 'string_content')?.text.trim() ?? '';
  if (!/^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*$/.test(name)) return undefined;
  const [root, ...rest] = name.split('.');
  const imported = facts(ctx).model.bindingAt(root, s)?.imported;
  return imported && [imported, ...rest].join('.');
}

const OPTIONAL = new Set(['typing.Optional', 'typing.Union', 'typing_extensions.Optional', 'typing_extensions.Union']);

/**
 * True when the annotation `t` says a Path (`Path`, `pathlib.PurePath`, `Path | None`, `Optional[Path]`, `"Path"`),
 * resolved through the imports where it is written; with `collection`, a collection of paths (`list[Path]`,
 * `Sequence[pathlib.Path]`: a generic with one Path argument).
 */
function annotatesPath(t: Node | null | undefined, ctx: RuleContext, collection = false, depth = 0): boolean {
  if (!t || depth > 6) return false;
  const f = facts(ctx);
  const inner = (n: Node | null | undefined, asCollection = collection) => annotatesPath(n, ctx, asCollection, depth + 1);
  switch (t.type) {
    case 'type':
    case 'type_parameter':
      return t.namedChildren.length === 1 && inner(t.namedChild(0));
    case 'identifier':
      if (!collection) {
        // `from pathlib import *` may bind it: Path's own names are all there is to go by.
        const r = f.model.lookup(t.text, t);
        if (r.kind === 'star') return r.modules.includes('pathlib') && PATH_CLASSES.has(`pathlib.${t.text}`);
      }
      return !collection && PATH_CLASSES.has(f.qualify(t) ?? '');
    case 'attribute':
      return !collection && PATH_CLASSES.has(f.qualify(t) ?? '');
    case 'string':
      return !collection && PATH_CLASSES.has(quotedType(t, ctx) ?? '');
    case 'binary_operator':
      return t.childForFieldName('operator')?.type === '|' && (inner(t.childForFieldName('left')) || inner(t.childForFieldName('right')));
    case 'generic_type':
    case 'subscript': {
      const base = t.type === 'generic_type' ? t.namedChild(0) : t.childForFieldName('value');
      const args =
        t.type === 'generic_type' ? (t.namedChildren.find((c) => c?.type === 'type_parameter')?.namedChildren ?? []) : t.childrenForFieldName('subscript');
      if (OPTIONAL.has(f.qualify(base) ?? '')) return args.some((a) => inner(a));
      return collection && args.length === 1 && inner(args[0], false);
    }
  }
  return false;
}

function isPathConstructor(n: Node | null, q: (n: Node) => string | undefined): boolean {
  if (!n || n.type !== 'call') return false;
  const name = q(n.childForFieldName('function')!);
  return name === 'pathlib.Path' || name === 'pathlib.PurePath';
}

function buildFix(call: Node, qualified: string, ctx: RuleContext): Fix | undefined {
  const f = facts(ctx);
  const fn = call.childForFieldName('function')!;
  const args = call.childForFieldName('arguments');
  if (!args || args.type !== 'argument_list' || inGeneratorExpression(call)) return undefined;
  // Inside `with open(...) as f:` moving only the open() to a thread would leave the reads blocking.
  if (call.parent?.type === 'with_item' || call.parent?.type === 'as_pattern') return undefined;
  // open() hands back a file whose reads and writes would still block: only the caller can restructure that.
  if (qualified === 'open') return undefined;
  const imports = asyncioImport(f);
  if (!imports) return undefined;
  if (qualified === 'time.sleep') {
    return {
      title: 'Replace time.sleep with await asyncio.sleep',
      // Other tasks now run during the sleep (code may block on purpose), and under trio or anyio's trio
      // backend asyncio.sleep raises: it changes what runs concurrently, so it is never safe.
      applicability: 'unsafe',
      edits: [...imports, { start: call.startIndex, end: call.endIndex, text: awaitText(call, `asyncio.sleep${args.text}`) }],
    };
  }
  // asyncio.to_thread exists from Python 3.9.
  if (!atLeast(ctx.targetVersion, '3.9')) return undefined;
  const inner = args.text.slice(1, -1).trim();
  const callArgs = inner ? `${fn.text}, ${inner}` : fn.text;
  return {
    title: `Run ${fn.text}() in a thread with asyncio.to_thread`,
    applicability: 'unsafe',
    edits: [...imports, { start: call.startIndex, end: call.endIndex, text: awaitText(call, `asyncio.to_thread(${callArgs})`) }],
  };
}

export const blockingIoInAsync: Rule = {
  meta: {
    id: 'python/blocking-io-in-async',
    language: 'python',
    title: 'Blocking I/O inside a coroutine',
    severity: 'information',
    fix: 'unsafe',
    docs: {
      what: "Flags blocking calls made directly inside an `async def`: `open(…)`, `Path.read_text/read_bytes/write_text/write_bytes` on a value shown to be a path (made by `Path(…)`, `/`, `.parent` or a Path method, a name bound to one or annotated `Path`, pytest's `tmp_path`: other objects have methods of these names that do not block, such as Tornado's `IOStream.read_bytes`), `json.load`/`json.dump`, `time.sleep`, `os.fsync`, `requests.*` and `subprocess.run/call/check_call/check_output`. Calls inside a nested plain `def` or `lambda` (which may run in a thread), calls that are already awaited, and methods of the same names called on `self` or `cls` (the class's own, as in an HTTP request class with its own `self.write_bytes(…)` coroutine) are not flagged.",
      why: "A coroutine runs on the event loop's only thread. While a blocking call waits for the disk, the network, a child process or a timer, no other task makes progress: one slow read stalls every request the loop is serving, and concurrency gains from `asyncio` disappear.",
      references: [
        'Python docs, Developing with asyncio (`Doc/library/asyncio-dev.rst`): an event loop runs all callbacks and Tasks in its thread, and while a Task runs no other Task can run in that thread; blocking code "should not be called directly" (a 1-second blocking call delays every Task and IO operation by 1 second)',
        "CPython 3.11 `Lib/asyncio/threads.py` `to_thread`: runs the function through `loop.run_in_executor(None, …)`, in a worker thread of the loop's default executor, with the current `contextvars` context copied",
      ],
      example: 'import time\n\n\nasync def poll(client):\n    while True:\n        await client.ping()\n        time.sleep(5)',
      useInstead: 'import asyncio\n\n\nasync def poll(client):\n    while True:\n        await client.ping()\n        await asyncio.sleep(5)',
      fixSafety:
        '`time.sleep(x)` becomes `await asyncio.sleep(x)`: unsafe, because it changes what runs concurrently. It waits just as long, but other tasks now run during the sleep, and code sometimes blocks the loop on purpose (a test that holds it to provoke a timeout, a section that must not be interleaved); under trio, or anyio on its trio backend, `asyncio.sleep` raises. Every other call becomes `await asyncio.to_thread(fn, *args)` (when the project targets Python 3.9 or later: `python-version` in the configuration), which is unsafe: the work moves to a worker thread, so it may now run concurrently with other tasks touching the same objects. `import asyncio` is added when missing. No fix is offered inside a generator expression (an `await` there would make it an async generator) or for an `open()` used as a context manager (the reads in the block would still block).',
    },
  },
  mentions: ['async'],
  // The blocking functions by qualified name (the engine resolves the calls); Path's methods by name, on a
  // receiver shown to be a path.
  calls: [...BLOCKING.keys()],
  query: `(call function: [(identifier) @name (attribute attribute: (identifier) @name)]
            (#any-of? @name ${[...PATH_METHODS, 'open'].map((n) => `"${n}"`).join(' ')})) @node`,
  check(node, ctx, match) {
    if (isAwaited(node)) return;
    const f = facts(ctx);
    if (!f.inAsyncDef(node)) return;
    const fn = node.childForFieldName('function');
    if (!fn) return;
    let qualified = match?.qualified;
    let what = qualified ? BLOCKING.get(qualified) : undefined;
    if (!match && fn.type === 'attribute') {
      const attr = fn.childForFieldName('attribute')?.text ?? '';
      const obj = fn.childForFieldName('object');
      // `self.write_bytes(…)` is the class's own method (aiohttp's ClientRequest.write_bytes is a coroutine), not
      // Path's: a method call on self or cls, or one the class defines, is not taken for a Path method.
      const ownMethod = obj?.type === 'identifier' && (obj.text === 'self' || obj.text === 'cls' || !!f.model.ownAttribute(fn));
      if ((PATH_METHODS.has(attr) && !ownMethod && isPath(obj, ctx)) || (attr === 'open' && isPathConstructor(obj, (n) => f.qualify(n)))) {
        what = attr.startsWith('read') ? 'reads a file' : attr.startsWith('write') ? 'writes a file' : 'opens a file';
        qualified = `Path.${attr}`;
      }
    }
    if (!what || !qualified) return;
    ctx.report({
      node,
      message: `\`${fn.text}()\` ${what} synchronously, blocking the event loop inside \`async def\`; ${qualified === 'time.sleep' ? 'use `await asyncio.sleep()`' : 'run it with `await asyncio.to_thread()`'}.`,
      fix: buildFix(node, qualified, ctx),
    });
  },
};
