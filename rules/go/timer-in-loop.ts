import type { Node } from 'web-tree-sitter';
import { atLeast, type Fix, type Rule, type RuleContext, type TextEdit } from '../../analysis/types';
import { measured } from '../measured';
import { type GoModel, goModel, VALUE_KINDS } from '../../analysis/go/model';
import {
  argsOf,
  enclosingLoops,
  enclosingScope,
  freshName,
  lineBefore,
  loopStatement,
  mentionsOf,
  repeatingLoops,
  sameNode,
  startsLine,
  statementOf,
  useKind,
  walkAll,
  within,
} from '../lib/go/goutil';

/** A duration expression with no calls (other than conversions) and no names declared inside `loop`. */
function stableBefore(model: GoModel, d: Node, loop: Node): boolean {
  for (const n of walkAll(d)) {
    if (n.type === 'call_expression') return false;
    if (n.type === 'identifier') {
      const decl = model.valueBindingAt(n.text, n);
      if (decl && within(decl.node, loop)) return false;
    }
  }
  return true;
}

/** `case <-time.After(d):` directly in a select that is a statement of the loop body. */
function afterInSelect(call: Node, loop: Node): Node | undefined {
  const unary = call.parent;
  const recv = unary?.parent;
  const cc = recv?.parent;
  const select = cc?.parent;
  if (
    unary?.type !== 'unary_expression' ||
    recv?.type !== 'receive_statement' ||
    recv.childForFieldName('left') ||
    cc?.type !== 'communication_case' ||
    select?.type !== 'select_statement'
  )
    return undefined;
  const body = loop.childForFieldName('body');
  return body && sameNode(select.parent?.parent, body) ? select : undefined;
}

/** Lines that restart a timer for another period; before Go 1.23 a fired, unread value must be drained first. */
function resetCode(timer: string, d: string, modern: boolean): string {
  return modern ? `${timer}.Reset(${d})` : `if !${timer}.Stop() {\n\tselect {\n\tcase <-${timer}.C:\n\tdefault:\n\t}\n}\n${timer}.Reset(${d})`;
}

function buildFix(ctx: RuleContext, model: GoModel, call: Node, loop: Node, pkg: string, modern: boolean): Fix | undefined {
  if (enclosingLoops(loop).length) return undefined; // a defer per outer iteration would pile up
  const [d] = argsOf(call);
  if (!d || !stableBefore(model, d, loop)) return undefined;
  const outer = loopStatement(loop);
  if (!startsLine(ctx.text, outer)) return undefined;
  const fn = call.childForFieldName('function')?.childForFieldName('field')?.text;
  const edits: TextEdit[] = [];
  let timer: string;
  if (fn === 'NewTimer') {
    // `t := time.NewTimer(d)` as a statement of the loop body, `t` not reassigned elsewhere.
    const decl = call.parent?.parent;
    if (decl?.type !== 'short_var_declaration' || !sameNode(decl.parent?.parent, loop.childForFieldName('body'))) return undefined;
    const left = decl.childForFieldName('left')?.namedChildren ?? [];
    if (left.length !== 1 || left[0]?.type !== 'identifier') return undefined;
    timer = left[0].text;
    if (
      mentionsOf(enclosingScope(loop) ?? ctx.tree.rootNode, timer).some(
        (m) => !within(m, loop) && model.valueBindingAt(m.text, m)?.node.startIndex === left[0]!.startIndex,
      )
    )
      return undefined;
    if (mentionsOf(loop, timer).some((m) => useKind(m) !== 'read' && !sameNode(m, left[0]))) return undefined;
    if (model.bindingsOf(timer, loop).some((x) => VALUE_KINDS.has(x.kind) && x.node.startIndex !== left[0]!.startIndex && within(loop, x.scope.node)))
      return undefined;
    const reset = lineBefore(ctx.text, decl, resetCode(timer, d.text, modern));
    if (!reset) return undefined;
    edits.push({ start: reset.start, end: nextLine(ctx.text, decl.endIndex), text: reset.text });
  } else {
    const select = afterInSelect(call, loop);
    if (!select || !startsLine(ctx.text, select)) return undefined;
    timer = freshName(ctx, 'timer', loop);
    const reset = lineBefore(ctx.text, select, resetCode(timer, d.text, modern));
    if (!reset) return undefined;
    edits.push(reset, { start: call.startIndex, end: call.endIndex, text: `${timer}.C` });
  }
  const before = lineBefore(ctx.text, outer, `${timer} := ${pkg}.NewTimer(${d.text})\ndefer ${timer}.Stop()`);
  if (!before) return undefined;
  edits.unshift(before);
  return { title: `Create one timer before the loop and Reset it each iteration`, applicability: 'unsafe', edits, binds: [timer] };
}

/** The benchmark run at a go line below 1.23 (bench/rules/go/timer_in_loop_test.go, `// also at go:`). */
const OLD_TIMERS = 'go1.22';

/** Bytes the flagged shape allocates per iteration at a current go line, rounded to tens, from the benchmark. */
const ALLOCATED = (() => {
  const m = measured('go/timer-in-loop');
  const last =
    m && m.flaggedBytes && m.fixedBytes ? (m.flaggedBytes[m.flaggedBytes.length - 1] - m.fixedBytes[m.fixedBytes.length - 1]) / m.sizes[m.sizes.length - 1] : 0;
  return last > 0 ? `about ${Math.round(last / 10) * 10}` : '';
})();

function nextLine(text: string, at: number): number {
  let e = at;
  while (e < text.length && text[e] !== '\n') e++;
  return e < text.length ? e + 1 : e;
}

/**
 * `if t == nil { t = time.NewTimer(d) }` in the loop: a timer made only when there is none (set back to nil when
 * it is used up, as sarama's brokerProducer does per batch), not one per iteration.
 */
function nilGuarded(stmt: Node, loop: Node): boolean {
  if (stmt.type !== 'assignment_statement' && stmt.type !== 'short_var_declaration') return false;
  const target = stmt.childForFieldName('left')?.text.replace(/\s+/g, '');
  if (!target) return false;
  for (let p = stmt.parent; p && p.startIndex >= loop.startIndex && p.id !== loop.id; p = p.parent) {
    if (p.type !== 'if_statement') continue;
    // The test itself or one of its conjuncts (`flushEvery > 0 && t == nil`).
    const conjuncts = (p.childForFieldName('condition')?.text ?? '').replace(/\s+/g, '').split('&&');
    if (conjuncts.some((c) => c === `${target}==nil` || c === `nil==${target}`)) return true;
  }
  return false;
}

export const timerInLoop: Rule = {
  meta: {
    id: 'go/timer-in-loop',
    language: 'go',
    title: 'time.NewTimer or time.After created on every loop iteration',
    severity: 'information',
    fix: 'unsafe',
    docs: {
      what: 'Flags `time.NewTimer(d)` and `time.After(d)` inside a `for` loop (typically a loop around a `select` that handles messages or items). Timers created before the loop are not flagged, nor one made only when there is none (`if t == nil { t = time.NewTimer(d) }`: one per batch, not per iteration), nor `time.Tick`ers, nor timers in a function literal the loop starts. How much it matters depends on the go line of go.mod, not on the toolchain: in a module below go 1.23 a timer that never fired is not collected until it fires, so a loop that leaves the `select` by another case keeps every timer alive for its full duration; from go 1.23 on, timers nobody references are collected and the cost is an allocation and a runtime timer per iteration. Both are information: graded blind on code no rule was tuned on, none of 30 sampled findings was worth a warning (most were loops over a few items or in tests). Loops that provably do not repeat it do not count: it leaves the loop right after (`break`, `return`, `panic`, `os.Exit`, `t.Fatal`, `goto` out), the loop runs at most 8 times by its header (a composite literal, `for i := 0; i < k; i++`, `range k` with a constant k), or it is a retry loop (it goes round again only past `if err == nil { return … }` or through an `if err != nil` branch, and leaves on success). Nor is a timer that its iteration then waits for (`<-time.After(d)`, or a `select`, even in a branch, whose other cases all leave the loop: one timer per tick, at most one pending), or one made in the body of a case that receives from a timer (re-armed after it fired, or once per tick of a `Ticker`): these make one timer per period, not one per message.',
      why: 'A busy loop (a message pump, a retry loop with a long timeout) creates a timer per message: in a module below go 1.23, with a 1-minute timeout and 10,000 messages a minute, about 10,000 live timers and their channels sit in the heap. Go 1.23 made unreferenced timers collectable and their channels unbuffered, but only for programs whose main module says go 1.23 or later: a current toolchain building a module at an older go line keeps the old timers (GODEBUG `asynctimerchan=1`; Go 1.23 release notes, "Timer changes", and the `time` package docs of `NewTimer` and `After`). Either way one timer reset per iteration avoids an allocation per message.',
      references: [
        'Go 1.26 `src/time/sleep.go`, docs of `NewTimer` and `After`: as of Go 1.23 the garbage collector can recover unreferenced timers that have not expired or been stopped, and the timer channel is synchronous; GODEBUG `asynctimerchan=1` restores both pre-Go 1.23 behaviours',
        'Go 1.23 release notes, "Timer changes" (`doc/next/6-stdlib/1-time.md`): the new behaviours are enabled only when the main program is in a module whose go.mod `go` line is 1.23.0 or later; when Go 1.23 builds older programs the old behaviours remain',
        "Go 1.26 `doc/godebug.md` and `src/internal/godebugs/table.go` (`asynctimerchan`, changed in Go 1.23, old value 1): GODEBUG defaults follow the go line of the work module's go.mod; checked with Go 1.26.8: 100,000 unreferenced one-hour timers keep 26 MB live at `go 1.22` and 69 KB at `go 1.23`",
        "Go 1.26 `src/time/sleep.go` `syncTimer` and `src/runtime/time.go` `newTimer`, `needsAdd`: a channel timer enters a P's timer heap only while a goroutine is blocked on its channel; under `asynctimerchan=1` the runtime is not told about the channel, so each pending timer stays in the heap until it fires",
      ],
      example:
        'package poll\n\nimport (\n\t"context"\n\t"time"\n)\n\nfunc pump(ctx context.Context, in <-chan int, handle func(int)) {\n\tfor {\n\t\tselect {\n\t\tcase v := <-in:\n\t\t\thandle(v)\n\t\tcase <-time.After(time.Minute):\n\t\t\treturn\n\t\tcase <-ctx.Done():\n\t\t\treturn\n\t\t}\n\t}\n}\n',
      useInstead:
        'package poll\n\nimport (\n\t"context"\n\t"time"\n)\n\nfunc pump(ctx context.Context, in <-chan int, handle func(int)) {\n\tidle := time.NewTimer(time.Minute)\n\tdefer idle.Stop()\n\tfor {\n\t\tidle.Reset(time.Minute)\n\t\tselect {\n\t\tcase v := <-in:\n\t\t\thandle(v)\n\t\tcase <-idle.C:\n\t\t\treturn\n\t\tcase <-ctx.Done():\n\t\t\treturn\n\t\t}\n\t}\n}\n',
      fixSafety:
        'Unsafe: one timer is created before the loop (and stopped when the function returns) and reset at the point where the old code created a new one. Below Go 1.23 the fix drains a fired, unread value before `Reset` (`if !t.Stop() { select { case <-t.C: default: } }`), which is the documented pattern; since Go 1.23 `Reset` alone is exact. It is offered only for `t := time.NewTimer(d)` as a statement of the loop body, or `time.After(d)` as a case of a `select` that is a statement of the loop body, with a duration that involves no calls and nothing declared in the loop, in a loop that is not itself inside a loop. Check code that hands the timer or its channel to something that outlives the iteration.',
    },
  },
  mentions: ['time'],
  calls: ['time.NewTimer', 'time.After'],
  check(node, ctx, match) {
    const model = goModel(ctx);
    const fnNode = node.childForFieldName('function');
    const q = match?.qualified;
    if (!fnNode || (q !== 'time.NewTimer' && q !== 'time.After')) return;
    const loops = repeatingLoops(node, ctx);
    if (!loops.length) return;
    const modern = atLeast(ctx.targetVersion, '1.23');
    const what = q === 'time.After' ? 'time.After' : 'time.NewTimer';
    const stmt = statementOf(node);
    if (!stmt) return;
    if (nilGuarded(stmt, loops[0])) return;
    ctx.report({
      node,
      loop: loops[0],
      message: modern
        ? `${what} allocates a new timer${ALLOCATED ? ` (${ALLOCATED} bytes)` : ''} on every iteration; from go 1.23 on, timers nobody references are collected, so this costs time and garbage, not memory held: create one timer before the loop and Reset it.`
        : `${what} creates a timer on every iteration, and in a module below go 1.23 (this one says go ${ctx.targetVersion}, which keeps the old timers whatever the toolchain) one that never fires stays in memory for its whole duration: create one timer before the loop, Reset it each iteration, and Stop it on exit.`,
      // Through a dot import (`After(d)`) the package has no name to write the new timer with: no fix.
      fix: fnNode.type === 'selector_expression' ? buildFix(ctx, model, node, loops[0], fnNode.childForFieldName('operand')!.text, modern) : undefined,
      measuredAs: modern ? undefined : OLD_TIMERS,
    });
  },
};
