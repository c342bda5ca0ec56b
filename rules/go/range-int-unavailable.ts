import type { Node } from 'web-tree-sitter';
import { atLeast, type Fix, type Rule, type RuleContext } from '../../server/src/core/types';
import { type GoFacts, goFacts, mentionsOf, useKind, walkAll, within } from './goutil';

const INTEGER_TYPES = new Set(['int', 'int8', 'int16', 'int32', 'int64', 'uint', 'uint8', 'uint16', 'uint32', 'uint64', 'uintptr', 'byte', 'rune', 'untyped int']);

/** The integer type of the range operand when the file proves it is an integer. */
function integerType(f: GoFacts, operand: Node): string | undefined {
  const t = f.typeOf(operand);
  return t && INTEGER_TYPES.has(t) ? t : undefined;
}

/** Why the three-clause loop could behave differently from the range over an int, or undefined when it cannot. */
function differsBecause(f: GoFacts, loop: Node, body: Node, counter: string | undefined, operand: Node): string | undefined {
  // The range operand is evaluated once; the condition `i < n` every iteration.
  if (operand.type !== 'int_literal') {
    for (const n of walkAll(operand)) {
      if (n.type === 'call_expression' && n.childForFieldName('function')?.text !== 'len') return 'the bound is a call, evaluated once by range but on every iteration by the condition';
      if (n.type === 'identifier' && !f.packageOf(n)) {
        // Written, passed on, called, or a method's receiver: it may change.
        const risky = (m: Node) => useKind(m) !== 'read' || ['argument_list', 'call_expression', 'selector_expression'].includes(m.parent?.type ?? '');
        if (mentionsOf(body, n.text).some(risky)) return `\`${n.text}\` may change inside the loop`;
      }
    }
  }
  if (counter) {
    for (const m of mentionsOf(body, counter)) {
      if (useKind(m) !== 'read') return `the loop body changes or takes the address of \`${counter}\``;
      for (let p = m.parent; p && !within(loop, p); p = p.parent) {
        if (p.type === 'func_literal') return `a function literal captures \`${counter}\` (one variable per loop before Go 1.22)`;
      }
    }
  }
  return undefined;
}

function buildFix(ctx: RuleContext, f: GoFacts, loop: Node, clause: Node, operand: Node, type: string): Fix | undefined {
  const body = loop.childForFieldName('body');
  const left = clause.childForFieldName('left');
  if (!body) return undefined;
  const vars = left?.namedChildren.filter((x): x is Node => !!x) ?? [];
  if (vars.length > 1) return undefined;
  const declares = !!left && ctx.text.slice(left.endIndex, clause.endIndex).trimStart().startsWith(':=');
  let counter: string | undefined = vars[0]?.text;
  if (counter === '_') counter = undefined;
  const name = counter ?? f.freshName(loop, 'i');
  const op = declares || !counter ? ':=' : '=';
  const zero = type === 'int' || type === 'untyped int' || !declares && counter ? '0' : `${type}(0)`;
  const bound = operand.type === 'binary_expression' ? `(${operand.text})` : operand.text;
  const why = differsBecause(f, loop, body, counter, operand);
  return {
    title: `Rewrite as \`for ${name} ${op} ${zero}; ${name} < ${bound}; ${name}++\``,
    applicability: why ? 'unsafe' : 'safe',
    edits: [{ start: clause.startIndex, end: clause.endIndex, text: `${name} ${op} ${zero}; ${name} < ${bound}; ${name}++` }],
  };
}

export const rangeIntUnavailable: Rule = {
  meta: {
    id: 'go/range-int-unavailable',
    language: 'go',
    category: 'correctness',
    title: 'range over an integer before Go 1.22',
    severity: 'error',
    fix: 'safe',
    before: '1.22',
    docs: {
      what: 'Flags `for i := range n` where the file proves `n` is an integer (an integer literal or constant, `len(…)`, a variable or parameter declared with an integer type or set from one) in a module whose go.mod says `go 1.21` or lower. Ranging over an integer is valid since Go 1.22, so nothing is flagged at 1.22 and above, nor without a go.mod (the newest Go is assumed), nor over slices, maps, strings, channels or anything whose type the file does not show.',
      why: 'Before Go 1.22 the loop does not compile ("cannot range over n"): the module promises to build with an older toolchain than the code needs. Either raise the `go` line or write the counting loop.',
      example: 'package jobs\n\nfunc retries(n int) int {\n\ttotal := 0\n\tfor i := range n {\n\t\ttotal += i\n\t}\n\treturn total\n}\n',
      useInstead: 'package jobs\n\nfunc retries(n int) int {\n\ttotal := 0\n\tfor i := 0; i < n; i++ {\n\t\ttotal += i\n\t}\n\treturn total\n}\n',
      fixSafety: 'Safe when the counting loop provably behaves the same: the bound is a literal, a constant, `len(…)` or a variable the loop does not change, and the body neither assigns the counter, takes its address, nor captures it in a function literal (before Go 1.22 a three-clause loop shares one variable across iterations). Otherwise the fix is offered as unsafe. A counter of a sized type (`int64`) starts at `int64(0)`.',
    },
  },
  mentions: ['range'],
  query: '(for_statement (range_clause right: (_) @operand) @node)',
  check(node, ctx) {
    if (atLeast(ctx.targetVersion, rangeIntUnavailable.meta.before!)) return;
    const operand = node.childForFieldName('right');
    const loop = node.parent;
    if (!operand || !loop) return;
    const f = goFacts(ctx);
    const type = integerType(f, operand);
    if (!type) return;
    ctx.report({
      node: operand,
      message: `Ranging over an integer needs Go 1.22; this module's go.mod says go ${ctx.targetVersion}, so this loop does not compile there: count with \`for i := 0; i < ${operand.text}; i++\` or raise the go directive.`,
      fix: buildFix(ctx, f, loop, node, operand, type),
    });
  },
};
