import type { Node } from 'web-tree-sitter';
import { atLeast, type Fix, type Rule, type RuleContext } from '../../server/src/core/types';
import { argsOf, goFacts, methodCall, startsLine } from './goutil';

function buildFix(ctx: RuleContext, stmt: Node, receiver: Node, fn: Node): Fix | undefined {
  if (!startsLine(ctx.text, stmt)) return undefined;
  const wg = receiver.text;
  let goroutine: string;
  if (fn.type === 'func_literal') {
    const params = fn.childForFieldName('parameters');
    const body = fn.childForFieldName('body');
    if (!body || !params || params.namedChildCount > 0 || fn.childForFieldName('result')) return undefined;
    const inner = ctx.text.slice(body.startIndex + 1, body.endIndex - 1);
    const open = ctx.text.slice(fn.startIndex, body.startIndex + 1);        // `func() {`
    if (inner.includes('\n')) {
      const indent = /^[ \t]*/.exec(ctx.text.slice(ctx.text.lastIndexOf('\n', stmt.startIndex) + 1))![0];
      goroutine = `go ${open}\n${indent}\tdefer ${wg}.Done()${inner}}()`;
    } else {
      goroutine = inner.trim() ? `go ${open} defer ${wg}.Done(); ${inner.trim()} }()` : `go ${open} defer ${wg}.Done() }()`;
    }
  } else if (fn.type === 'identifier' || fn.type === 'selector_expression') {
    // Passed as an argument, the function value is still evaluated when the statement runs, as with wg.Go(f)
    // (a closure would read a loop variable later, and before Go 1.22 all iterations share one).
    const p = wg === 'f' ? 'fn' : 'f';
    goroutine = `go func(${p} func()) { defer ${wg}.Done(); ${p}() }(${fn.text})`;
  } else {
    return undefined;
  }
  const indent = /^[ \t]*/.exec(ctx.text.slice(ctx.text.lastIndexOf('\n', stmt.startIndex) + 1))![0];
  const eol = ctx.text.includes('\r\n') ? '\r\n' : '\n';
  return {
    title: `Rewrite as \`${wg}.Add(1)\` and \`go func() { defer ${wg}.Done(); … }()\``,
    applicability: 'safe',
    edits: [{ start: stmt.startIndex, end: stmt.endIndex, text: `${wg}.Add(1)${eol}${indent}${goroutine.replace(/\n/g, eol)}` }],
  };
}

export const waitgroupGoUnavailable: Rule = {
  meta: {
    id: 'go/waitgroup-go-unavailable',
    language: 'go',
    category: 'correctness',
    title: 'sync.WaitGroup.Go before Go 1.25',
    severity: 'error',
    fix: 'safe',
    before: '1.25',
    docs: {
      what: 'Flags `wg.Go(f)` where the file proves `wg` is a `sync.WaitGroup` (declared as one, a pointer to one, `new(sync.WaitGroup)`, `&sync.WaitGroup{}`, or a struct field declared as one) in a module whose go.mod says `go 1.24` or lower. `WaitGroup.Go` was added in Go 1.25, so nothing is flagged at 1.25 and above, nor without a go.mod (the newest Go is assumed).',
      why: 'Before Go 1.25 `WaitGroup` has no `Go` method and the package does not compile. The method is shorthand for `Add(1)`, a goroutine, and `defer Done()` in it; spelling that out works on every version.',
      example: 'package jobs\n\nimport "sync"\n\nfunc runAll(tasks []func()) {\n\tvar wg sync.WaitGroup\n\tfor _, task := range tasks {\n\t\twg.Go(task)\n\t}\n\twg.Wait()\n}\n',
      useInstead: 'package jobs\n\nimport "sync"\n\nfunc runAll(tasks []func()) {\n\tvar wg sync.WaitGroup\n\tfor _, task := range tasks {\n\t\twg.Add(1)\n\t\tgo func(f func()) { defer wg.Done(); f() }(task)\n\t}\n\twg.Wait()\n}\n',
      fixSafety: 'Safe: `wg.Go(f)` is defined as `wg.Add(1)` followed by `go func() { defer wg.Done(); f() }()`, which is exactly what the fix writes (the function literal\'s body is kept as it was, with `defer wg.Done()` as its first statement). A function value is passed to the new literal as an argument, so it is evaluated when the statement runs, as `wg.Go(f)` does (a closure would read it later, and before Go 1.22 a loop variable is shared by all iterations).',
    },
  },
  mentions: ['sync'],
  query: '(call_expression function: (selector_expression field: (field_identifier) @m) (#eq? @m "Go")) @node',
  check(call, ctx) {
    if (atLeast(ctx.targetVersion, waitgroupGoUnavailable.meta.before!)) return;
    const node = call.parent;                                 // the statement: `wg.Go(f)` on its own
    const mc = methodCall(call);
    if (node?.type !== 'expression_statement' || !mc) return;
    const f = goFacts(ctx);
    if (f.typeOf(mc.receiver) !== 'sync.WaitGroup') return;
    const [fn, extra] = argsOf(call);
    if (!fn || extra) return;
    ctx.report({
      node: call,
      message: `sync.WaitGroup has no Go method before Go 1.25 and this module's go.mod says go ${ctx.targetVersion}: call \`${mc.receiver.text}.Add(1)\` and start the goroutine with \`defer ${mc.receiver.text}.Done()\`.`,
      fix: buildFix(ctx, node, mc.receiver, fn),
    });
  },
};
