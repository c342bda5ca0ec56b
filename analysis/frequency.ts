// How often a node runs, as far as its own code shows: the loops around it, and for each whether it really
// repeats the node as the input grows. A loop does not count when
//   - every path after the node leaves the loop (return, break, raise, sys.exit, panic, t.Fatal, os.Exit, goto
//     out, or an if/else branch that ends so): it runs at most once per entry of the loop;
//   - the loop iterates a literal collection, `range(k)`, `for i := 0; i < k; i++` or `range k` with a constant
//     k of at most MAX_LITERAL_ITERATIONS items;
//   - it is a retry loop: it goes round again only after a failure (a Python exception handler, a Go branch on
//     `err != nil` or past `if err == nil { return }`, for a variable the Go model shows is an error) and leaves on
//     success, so its body runs until the first success, however large the input;
//   - (Go) the loop waits for a timer on every iteration (a select whose every other case leaves the loop), or the
//     node runs only when the timer a select case waits on fires: it runs once per tick, not once per item.
// The facts depend only on the node's ancestors and the statements of its loops (what the incremental analysis
// re-runs together); a constant defined at module or package level (`range(RETRIES)`) is recorded as a read
// of its name (reads.ts). Go's also depend on what the model says a name of the function is bound to, which is
// decided by that function, the imports, package-level declarations and other functions' signatures, all of
// which the incremental analysis compares whole.
import type { Node } from 'web-tree-sitter';
import { readsName } from './reads';
import { memoKey } from './memo';
import type { LanguageId, RuleContext } from './types';
import type { LoopFact } from './flow';
import { goFlowMemo, type GoFlowMemo, goLoopFacts } from './go/frequency';
import { goModel } from './go/model';
import { pythonFlowMemo, type PythonFlowMemo, pythonLoopFacts } from './python/frequency';

/** The most iterations a literal-bounded loop may have and still count as not repeating. */
export const MAX_LITERAL_ITERATIONS = 8;

export interface Frequency {
  /** The loops that repeat the node, innermost first (Python: for/while statements and comprehensions). */
  loops: Node[];
  /** True when some loop repeats the node: evidence that it runs many times per call as the input grows. */
  repeats: boolean;
  /** Why the loops around the node that do not repeat it do not (innermost first, joined by '; '). */
  why?: string;
  /** When nothing repeats the node and every loop around it has a bound: at most this many runs per call. */
  bound?: number;
  /** Every loop around the node (up to its function), innermost first, with its verdict. */
  enclosing: LoopFact[];
}

type FactsByNode = Map<number, { facts: Frequency; reads: string[] }>;
const FACTS = memoKey<FactsByNode>('execution-frequency facts by node');
const GO_FLOW = memoKey<GoFlowMemo>('Go statement flows');
const PYTHON_FLOW = memoKey<PythonFlowMemo>('Python statement flows');

/**
 * The execution-frequency facts of `node` (see the top of this file), worked out once per analysis (ctx.memo).
 * Go: the analysis's model (goModel(ctx)) says what a name is bound to (an error variable, `time` imported under
 * another name).
 */
export function frequency(node: Node, ctx: RuleContext): Frequency {
  const byNode = ctx.memo(FACTS, (): FactsByNode => new Map());
  const key = node.id;
  const known = byNode.get(key);
  if (known) {
    for (const name of known.reads) readsName(name); // each caller's piece records what the answer read
    return known.facts;
  }
  const reads: string[] = [];
  const enclosing =
    ctx.language === 'python'
      ? pythonLoopFacts(node, MAX_LITERAL_ITERATIONS, reads, ctx.memo(PYTHON_FLOW, pythonFlowMemo))
      : goLoopFacts(
          node,
          MAX_LITERAL_ITERATIONS,
          reads,
          ctx.memo(GO_FLOW, () => goFlowMemo(goModel(ctx))),
        );
  for (const name of reads) readsName(name);
  const loops = enclosing.filter((l) => l.repeats).map((l) => l.loop);
  const quiet = enclosing.filter((l) => !l.repeats);
  const why = quiet.length
    ? quiet
        .map((l) => l.why)
        .filter(Boolean)
        .join('; ')
    : undefined;
  const bound = !loops.length && enclosing.length && enclosing.every((l) => l.bound !== undefined) ? enclosing.reduce((p, l) => p * l.bound!, 1) : undefined;
  const out: Frequency = { loops, repeats: loops.length > 0, enclosing, ...(why ? { why } : {}), ...(bound !== undefined ? { bound } : {}) };
  byNode.set(key, { facts: out, reads });
  return out;
}

/** True when `loop` is one of the loops that repeat `node`. */
export function repeatedBy(node: Node, loop: Node, ctx: RuleContext): boolean {
  return frequency(node, ctx).loops.some((l) => l.startIndex === loop.startIndex && l.endIndex === loop.endIndex && l.type === loop.type);
}

/** Source text for a message: one line, at most `max` characters. */
function shown(text: string, max = 40): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 3)}...` : one;
}

/**
 * Why a finding in `loop` matters, in words a message can carry: "once per item of `rows`", "on every pass of
 * the `while` loop". For a loop that repeats the node (see `frequency`): what it iterates is what the cost grows with.
 */
export function repetition(loop: Node, language: LanguageId): string {
  if (language === 'python') {
    if (loop.type === 'while_statement') return `on every pass of \`while ${shown(loop.childForFieldName('condition')?.text ?? '')}\``;
    const over =
      loop.type === 'for_statement' ? loop.childForFieldName('right') : loop.namedChildren.find((c) => c?.type === 'for_in_clause')?.childForFieldName('right');
    return over ? `once per item of \`${shown(over.text)}\`` : 'on every iteration';
  }
  const range = loop.namedChildren.find((c) => c?.type === 'range_clause');
  const over = range?.childForFieldName('right');
  if (over) return `once per element of \`${shown(over.text)}\``;
  const cond =
    loop.namedChildren.find((c) => c?.type === 'for_clause')?.childForFieldName('condition') ??
    loop.namedChildren.find((c) => c && c.type !== 'block' && c.type !== 'comment' && c.type !== 'for_clause');
  return cond ? `on every iteration of \`for ${shown(cond.text)}\`` : 'on every pass of the endless `for` loop';
}
