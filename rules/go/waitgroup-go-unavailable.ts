import type { Node } from 'web-tree-sitter';
import { atLeast, type Fix, type Rule, type RuleContext } from '../../analysis/types';
import { type GoModel, goModel } from '../../analysis/go/model';
import { argsOf, fileGoVersion, mentionsOf, methodCall, sameNode, startsLine, useKind } from '../lib/go/goutil';

/** How a receiver is a WaitGroup: itself, or through the one embedded field (a pointer or not) of a struct type `owner`. */
interface WaitGroupVia {
  owner?: string;
  embeddedPointer?: boolean;
}

/**
 * How the file proves `recv` is a sync.WaitGroup: one or a pointer to one, or a value of (or pointer to) a struct
 * type declared in a function whose one embedded field is one (a type declared there has no methods, so `Go` is
 * the WaitGroup's). Undefined when the file does not prove it. A package-level struct embedding one is not enough:
 * another file of the package may declare a Go method on it.
 */
function waitGroupIn(model: GoModel, recv: Node): WaitGroupVia | undefined {
  const t = model.exactTypeOf(recv);
  const base = t?.replace(/^\*/, '');
  if (!base || base.startsWith('*')) return undefined; // a **WaitGroup has no methods
  if (base === 'sync.WaitGroup') return {};
  if (!/^[A-Za-z_]\w*$/.test(base)) return undefined;
  const decl = model.typeDeclAt(base, recv);
  if (!decl || decl.type !== 'type_spec' || decl.parent?.parent?.type === 'source_file' || decl.childForFieldName('type')?.type !== 'struct_type')
    return undefined;
  const fields = model.fieldsOf(base, recv);
  const embedded = [...new Set(fields.filter((x) => x.embedded).map((x) => x.type ?? `?${x.written}`))];
  if (embedded.length !== 1 || !/^\*?sync\.WaitGroup$/.test(embedded[0]) || fields.some((x) => x.name === 'Go')) return undefined;
  return { owner: base, embeddedPointer: embedded[0].startsWith('*') };
}

/** A receiver made of a variable and fields (`wg`, `p.wg`, `(&wg)`): the variable and the field selections, outermost last; undefined for anything else (a call, an index). */
function chainOf(recv: Node): { root: Node; fields: Node[] } | undefined {
  const fields: Node[] = [];
  let n: Node | null = recv;
  while (n && n.type !== 'identifier') {
    if (n.type === 'selector_expression') {
      fields.unshift(n);
      n = n.childForFieldName('operand');
    } else if (n.type === 'parenthesized_expression') n = n.namedChild(0);
    else if (n.type === 'unary_expression' && n.child(0)?.type === '&') n = n.childForFieldName('operand');
    else return undefined;
  }
  return n ? { root: n, fields } : undefined;
}

/**
 * True when the receiver denotes the same WaitGroup whenever the function evaluates it (the fix evaluates it again
 * inside the goroutine, where `wg.Go` evaluates it once): reached from a variable through fields of value type
 * (the address is fixed), or from a local pointer variable nothing assigns after its declaration. A pointer in a
 * field, or an embedded pointer, may be assigned anywhere.
 */
function stableReceiver(model: GoModel, chain: { root: Node; fields: Node[] }, embeddedPointer: boolean): boolean {
  if (embeddedPointer) return false;
  for (const sel of chain.fields) {
    const t = model.exactTypeOf(sel);
    if (!t || t.startsWith('*')) return false;
  }
  const t = model.exactTypeOf(chain.root);
  if (!t) return false;
  if (!t.startsWith('*')) return true;
  const d = model.valueBindingAt(chain.root.text, chain.root);
  if (!d || d.kind === 'range' || d.scope.kind === 'package') return false;
  return !mentionsOf(d.scope.node, chain.root.text).some(
    (m) => !sameNode(m, d.node) && useKind(m) === 'write' && sameNode(model.valueBindingAt(m.text, m)?.node, d.node),
  );
}

function buildFix(ctx: RuleContext, model: GoModel, stmt: Node, receiver: Node, fn: Node, via: WaitGroupVia): Fix | undefined {
  // The fix evaluates the receiver twice, once in the goroutine: only for variables and their fields.
  const chain = chainOf(receiver);
  if (!chain || !startsLine(ctx.text, stmt)) return undefined;
  // Through an embedded WaitGroup, Add and Done must be the WaitGroup's too.
  const owner = via.owner;
  if (owner && ['Add', 'Done'].some((m) => model.fieldsOf(owner).some((x) => x.name === m) || model.methodsOf(owner, m).length)) return undefined;
  const wg = receiver.text;
  let goroutine: string;
  if (fn.type === 'func_literal') {
    const params = fn.childForFieldName('parameters');
    const body = fn.childForFieldName('body');
    if (!body || !params || params.namedChildCount > 0 || fn.childForFieldName('result')) return undefined;
    const inner = ctx.text.slice(body.startIndex + 1, body.endIndex - 1);
    const open = ctx.text.slice(fn.startIndex, body.startIndex + 1); // `func() {`
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
    applicability: stableReceiver(model, chain, !!via.embeddedPointer) ? 'safe' : 'unsafe',
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
    fix: 'mixed',
    before: '1.25',
    docs: {
      what: 'Flags `wg.Go(f)` where the file proves `wg` is a `sync.WaitGroup` in a module whose go.mod says `go 1.24` or lower: declared as one or a pointer to one (also through an alias such as `type G = sync.WaitGroup`, a renamed `import s "sync"` or a dot import), `new(sync.WaitGroup)`, `&sync.WaitGroup{}`, a struct field declared as one, the result of a function this file declares, or a value of a struct type declared inside a function that embeds one. `WaitGroup.Go` was added in Go 1.25, so nothing is flagged at 1.25 and above, nor without a go.mod (the newest Go is assumed); a `//go:build` line that implies a Go version (`//go:build go1.25`) sets the file\'s version instead, as it does for the toolchain. A `Go` method of another type is not flagged, nor a package-level struct type that embeds a WaitGroup (another file of the package may declare its own `Go` on it), nor a method value (`f := wg.Go`).',
      why: "Before Go 1.25 `WaitGroup` has no `Go` method, so a toolchain older than 1.25, which the module's go line still accepts, does not compile the package (a newer toolchain builds it whatever the go line says; only `go vet` reports it). The method is shorthand for `Add(1)`, a goroutine, and `defer Done()` in it (Go 1.26's skips `Done` when the function panics, which crashes the program either way); spelling that out works on every version.",
      references: [
        'Go 1.26 `api/go1.25.txt`: `pkg sync, method (*WaitGroup) Go(func()) #63796`, new in Go 1.25',
        'Go 1.26 `src/sync/waitgroup.go` `(*WaitGroup).Go`: `wg.Add(1)`, then a goroutine that runs `f()` and calls `wg.Done()` from a deferred function, except that when `f` panics it re-panics without `Done` ("The function f must not panic"); golang/go issue #76126 quotes the Go 1.25 body, `defer wg.Done(); f()`',
        'Go 1.26 `src/cmd/vendor/golang.org/x/tools/go/analysis/passes/stdversion/stdversion.go`: the vet check that reports standard-library symbols newer than the file\'s Go version; the compiler does not: Go 1.26.8 builds `wg.Go(f)` in a `go 1.24` module, and `go vet` reports "sync.Go requires go1.25 or later (module is go1.24)"',
      ],
      example:
        'package jobs\n\nimport "sync"\n\nfunc runAll(tasks []func()) {\n\tvar wg sync.WaitGroup\n\tfor _, task := range tasks {\n\t\twg.Go(task)\n\t}\n\twg.Wait()\n}\n',
      useInstead:
        'package jobs\n\nimport "sync"\n\nfunc runAll(tasks []func()) {\n\tvar wg sync.WaitGroup\n\tfor _, task := range tasks {\n\t\twg.Add(1)\n\t\tgo func(f func()) { defer wg.Done(); f() }(task)\n\t}\n\twg.Wait()\n}\n',
      fixSafety:
        "Safe when the receiver always denotes the same WaitGroup: a variable or its fields of value type, or a local pointer nothing assigns after its declaration. `wg.Go(f)` is defined as `wg.Add(1)` followed by `go func() { defer wg.Done(); f() }()`, which is exactly what the fix writes (the function literal's body is kept as it was, with `defer wg.Done()` as its first statement). A function value is passed to the new literal as an argument, so it is evaluated when the statement runs, as `wg.Go(f)` does (a closure would read it later, and before Go 1.22 a loop variable is shared by all iterations). The goroutine evaluates the receiver again when it finishes, so the fix is unsafe when a pointer on the way to the WaitGroup may change in between: a pointer variable that is assigned again, a loop variable or package-level, a pointer field, an embedded pointer; and it is not offered when the receiver is more than a variable and fields (a call, an index). No fix inside `go` or `defer`, nor through an embedded WaitGroup when the struct has its own `Add` or `Done`.",
    },
  },
  mentions: ['sync'],
  query: '(call_expression function: (selector_expression field: (field_identifier) @m) (#eq? @m "Go")) @node',
  check(call, ctx) {
    const gate = fileGoVersion(ctx);
    if (atLeast(gate.version, waitgroupGoUnavailable.meta.before!)) return;
    const stmt = call.parent; // `wg.Go(f)` on its own, or after `go` / `defer`
    const mc = methodCall(call);
    if (!mc || !stmt || !['expression_statement', 'go_statement', 'defer_statement'].includes(stmt.type)) return;
    const model = goModel(ctx);
    const via = waitGroupIn(model, mc.receiver);
    if (!via) return;
    const [fn, extra] = argsOf(call);
    if (!fn || extra) return;
    ctx.report({
      node: call,
      message: `sync.WaitGroup has no Go method before Go 1.25 and ${gate.from === 'file' ? `this file's //go:build line sets go ${gate.version}` : `this module's go.mod says go ${gate.version}`}: call \`${mc.receiver.text}.Add(1)\` and start the goroutine with \`defer ${mc.receiver.text}.Done()\`.`,
      fix: stmt.type === 'expression_statement' ? buildFix(ctx, model, stmt, mc.receiver, fn, via) : undefined,
    });
  },
};
