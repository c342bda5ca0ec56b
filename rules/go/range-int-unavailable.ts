import type { Node } from 'web-tree-sitter';
import { atLeast, type Fix, type Rule, type RuleContext } from '../../analysis/types';
import { type GoModel, goModel } from '../../analysis/go/model';
import { fileGoVersion, freshName, mentionsOf, sameNode, useKind, walkAll, within } from '../lib/go/goutil';

/**
 * The type of the range operand when the file proves it is an integer (the model's isInteger): "untyped int" or
 * "untyped rune" for a constant, else a type (as the model spells it) whose underlying type is an integer type.
 */
function integerType(model: GoModel, operand: Node): string | undefined {
  return model.isInteger(operand) ? model.exactTypeOf(operand) : undefined;
}

/** The zero of type `t` as the counting loop declares its counter (`T(0)`), or undefined when the file cannot name the type. */
function zeroOf(model: GoModel, t: string): string | undefined {
  if (t === 'int' || t === 'untyped int') return '0';
  if (t === 'untyped rune') return 'rune(0)'; // range over a rune constant counts in runes
  const dot = t.lastIndexOf('.');
  if (dot < 0) return `${t}(0)`;
  const path = t.slice(0, dot),
    name = t.slice(dot + 1);
  const local = model.importedAs(path);
  if (local) return `${local}.${name}(0)`;
  return model.dotImports.includes(path) ? `${name}(0)` : undefined;
}

/** True for a call that cannot change anything and gives the same value each time: a conversion, len, cap, min or max. */
function pureCall(model: GoModel, call: Node): boolean {
  const fn = call.childForFieldName('function');
  if (!fn) return false;
  if (fn.type === 'identifier' && ['len', 'cap', 'min', 'max'].includes(fn.text) && !model.valueBindingAt(fn.text, fn) && !model.functions.has(fn.text))
    return true;
  return !!model.conversionType(fn);
}

/**
 * For `for v = range n` (assigning a variable declared before the loop): why code outside the loop could see
 * that the counting loop leaves `v` at n (or 0 when it does not run) where the range leaves n-1 (or `v` as it
 * was), or undefined when nothing outside the loop reads `v`.
 */
function finalValueSeen(model: GoModel, loop: Node, v: Node): string | undefined {
  const d = model.valueBindingAt(v.text, v);
  if (!d) return `\`${v.text}\` is declared where this file does not show, and may be read after the loop`;
  if (d.scope.kind === 'package') return `\`${v.text}\` is a package-level variable, which code elsewhere may read after the loop`;
  if (d.kind === 'result') return `\`${v.text}\` is a named result, returned with the value the loop leaves`;
  for (const m of mentionsOf(d.scope.node, v.text)) {
    if (within(m, loop) || sameNode(m, d.node)) continue;
    const md = model.valueBindingAt(m.text, m);
    if (md && sameNode(md.node, d.node))
      return `\`${v.text}\` is used outside the loop, where it would be one past the range's last value (or 0 instead of unchanged when the loop does not run)`;
  }
  return undefined;
}

/** Why the three-clause loop could behave differently from the range over an int, or undefined when it cannot. */
function differsBecause(model: GoModel, loop: Node, body: Node, counter: string | undefined, operand: Node): string | undefined {
  // The range operand is evaluated once; the condition `i < n` every iteration.
  if (!model.isConstant(operand)) {
    for (const n of walkAll(operand)) {
      if (n.type === 'call_expression' && !pureCall(model, n)) return 'the bound is a call, evaluated once by range but on every iteration by the condition';
      // Memory other code may share: an element (of anything but a string), a field through a pointer.
      const inner = n.childForFieldName('operand');
      if (n.type === 'index_expression' && (!inner || model.exactTypeOf(inner) !== 'string'))
        return 'the bound reads an element, which other code may change while the loop runs';
      if (
        n.type === 'selector_expression' &&
        inner &&
        !(inner.type === 'identifier' && model.packageOf(inner)) &&
        !/^[^*]/.test(model.exactTypeOf(inner) ?? '*')
      )
        return 'the bound reads a field through a pointer, which other code may change while the loop runs';
      if (
        n.type === 'identifier' &&
        !model.packageOf(n) &&
        model.valueBindingAt(n.text, n)?.kind !== 'const' &&
        !(n.parent?.type === 'call_expression' && sameNode(n.parent.childForFieldName('function'), n) && pureCall(model, n.parent))
      ) {
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

function buildFix(ctx: RuleContext, model: GoModel, loop: Node, clause: Node, operand: Node, type: string): Fix | undefined {
  const body = loop.childForFieldName('body');
  const left = clause.childForFieldName('left');
  if (!body) return undefined;
  const vars = left?.namedChildren.filter((x): x is Node => !!x) ?? [];
  if (vars.length > 1) return undefined;
  const declares = !!left && ctx.text.slice(left.endIndex, clause.endIndex).trimStart().startsWith(':=');
  let counter: string | undefined = vars[0]?.text;
  if (counter === '_') counter = undefined;
  // `for i := range i` ranges over the outer i; in `i < i` both would be the counter.
  if (counter && [...walkAll(operand)].some((n) => n.type === 'identifier' && n.text === counter)) return undefined;
  const name = counter ?? freshName(ctx, 'i', loop);
  const op = declares || !counter ? ':=' : '=';
  const zero = !declares && counter ? '0' : zeroOf(model, type);
  if (!zero) return undefined;
  const bound = operand.type === 'binary_expression' ? `(${operand.text})` : operand.text;
  let why = differsBecause(model, loop, body, counter, operand);
  if (!why && counter && !declares) {
    // `for v = range n` assigns a variable that outlives the loop.
    why =
      vars[0].type === 'identifier'
        ? finalValueSeen(model, loop, vars[0])
        : `\`${counter}\` is not a plain variable: the counting loop leaves it one past the last value, and evaluates it again on every iteration`;
  }
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
    fix: 'mixed',
    before: '1.22',
    docs: {
      what: 'Flags `for i := range n` where the file proves `n` is an integer in a module whose go.mod says `go 1.21` or lower: an integer or rune literal or constant (typed, untyped, `iota`, or an expression of them such as `1 << 3` or `len("abc")`), a conversion such as `int8(x)` or `uint(n)`, `len(…)` or `cap(…)`, a variable, parameter, result or struct field declared with an integer type, a named type this file defines on one (`type ID uint`, and aliases), or a call of a function or method this file declares that returns one. Ranging over an integer is valid since Go 1.22, so nothing is flagged at 1.22 and above, nor without a go.mod (the newest Go is assumed); a `//go:build` line that implies a Go version (`//go:build go1.22`) sets the file\'s version instead, as it does for the compiler. Nor is anything flagged over slices, maps, strings, channels, arrays, pointers, functions, floats or anything whose type the file does not show (a call into another package, a type parameter, an element of a slice or map).',
      why: 'Before Go 1.22 the loop does not compile ("cannot range over n"), and a newer toolchain rejects it too while the go line is older ("cannot range over n (variable of type int): requires go1.22 or later"): the module promises to build with an older toolchain than the code needs. Either raise the `go` line or write the counting loop.',
      references: [
        'Go spec (`doc/go_spec.html`), "Language versions", Go 1.22: a "for" statement with a "range" clause may iterate over integer values from zero to an upper limit; source using a feature is rejected when the language version used by the compiler is older',
        'Go 1.26 `src/cmd/compile/internal/types2/range.go` `rangeKeyVal` (and `src/go/types/range.go`): ranging over an integer is refused with "requires go1.22 or later" when the language version is below 1.22; checked with Go 1.26.8 on a `go 1.21` module: "cannot range over n (variable of type int): requires go1.22 or later (-lang was set to go1.21; check go.mod)"',
      ],
      example: 'package jobs\n\nfunc retries(n int) int {\n\ttotal := 0\n\tfor i := range n {\n\t\ttotal += i\n\t}\n\treturn total\n}\n',
      useInstead: 'package jobs\n\nfunc retries(n int) int {\n\ttotal := 0\n\tfor i := 0; i < n; i++ {\n\t\ttotal += i\n\t}\n\treturn total\n}\n',
      fixSafety:
        'Safe when the counting loop provably behaves the same: the bound is a constant, a conversion, `len(…)` or a variable the loop does not change (not an element, nor a field reached through a pointer, which other code may change), and the body neither assigns the counter, takes its address, nor captures it in a function literal (before Go 1.22 a three-clause loop shares one variable across iterations). Otherwise the fix is offered as unsafe. The `=` form (`for i = range n`, assigning a variable declared before the loop) is unsafe whenever anything outside the loop may read the variable: a mention of it outside the loop, a named result, a package-level variable, a field or element: the range leaves it at n-1, or unchanged when the loop does not run, where the counting loop leaves n, or 0. A counter of a sized or named type starts at `int64(0)`, `T(0)`; over a rune constant at `rune(0)`.',
    },
  },
  mentions: ['range'],
  query: '(for_statement (range_clause right: (_) @operand) @node)',
  check(node, ctx) {
    const gate = fileGoVersion(ctx);
    if (atLeast(gate.version, rangeIntUnavailable.meta.before!)) return;
    const operand = node.childForFieldName('right');
    const loop = node.parent;
    if (!operand || !loop) return;
    const model = goModel(ctx);
    const type = integerType(model, operand);
    if (!type) return;
    ctx.report({
      node: operand,
      message: `Ranging over an integer needs Go 1.22; ${gate.from === 'file' ? `this file's //go:build line sets go ${gate.version}` : `this module's go.mod says go ${gate.version}`}, so this loop does not compile there: count with \`for i := 0; i < ${operand.text}; i++\` or raise ${gate.from === 'file' ? 'that version' : 'the go directive'}.`,
      fix: buildFix(ctx, model, loop, node, operand, type),
    });
  },
};
