import type { Node } from 'web-tree-sitter';
import type { Fix, Rule, RuleContext, TextEdit } from '../../analysis/types';
import { type GoBinding, goModel } from '../../analysis/go/model';
import {
  freshName,
  importFor,
  lineAfter,
  lineBefore,
  loopStatement,
  mentionsOf,
  repeatingLoops,
  sameNode,
  startsLine,
  walkAll,
  within,
} from '../lib/go/goutil';

/** `s += a` or `s = s + a + b`: the target and the appended parts, or undefined. */
function appendOf(stmt: Node): { target: Node; parts: Node[] } | undefined {
  if (stmt.type !== 'assignment_statement') return undefined;
  const left = stmt.childForFieldName('left')?.namedChildren ?? [];
  const right = stmt.childForFieldName('right')?.namedChildren ?? [];
  if (left.length !== 1 || right.length !== 1 || !left[0] || !right[0]) return undefined;
  const target = left[0];
  if (target.type !== 'identifier' && target.type !== 'selector_expression') return undefined;
  const op = stmt.childForFieldName('operator')?.text;
  if (op === '+=') return { target, parts: [right[0]] };
  if (op !== '=') return undefined;
  // Unfold the left-leaning chain ((s + a) + b) down to `s`.
  const parts: Node[] = [];
  let e: Node = right[0];
  while (e.type === 'binary_expression' && e.child(1)?.type === '+') {
    const r = e.childForFieldName('right');
    const l = e.childForFieldName('left');
    if (!r || !l) return undefined;
    parts.unshift(r);
    e = l;
  }
  return parts.length && e.text === target.text ? { target, parts } : undefined;
}

/** Why `s` cannot be moved into a strings.Builder around `loop`, or undefined when it can. */
function blocked(loop: Node, name: string, appends: Node[]): string | undefined {
  const labels = new Set<string>();
  if (loop.parent?.type === 'labeled_statement') labels.add(loop.parent.childForFieldName('label')?.text ?? '');
  for (const n of walkAll(loop)) {
    if (n.type === 'labeled_statement') labels.add(n.childForFieldName('label')?.text ?? '');
    if (n.type === 'return_statement' || n.type === 'goto_statement') return 'the loop can return';
    if ((n.type === 'break_statement' || n.type === 'continue_statement') && n.namedChild(0) && !labels.has(n.namedChild(0)!.text))
      return 'the loop can jump out of an outer loop';
    if (n.type === 'func_literal' && mentionsOf(n, name).length) return 'a function literal sees the string';
    if (n.type === 'identifier' && n.text === name && !appends.some((a) => within(n, a))) return 'the loop reads the string';
  }
  // `s += s`: the builder would append the value the string had before the loop, not the one built so far.
  if (appends.some((a) => appendOf(a)!.parts.some((p) => mentionsOf(p, name).length))) return 'an append reads the string itself';
  return undefined;
}

function buildFix(ctx: RuleContext, decl: GoBinding, target: Node, loops: Node[]): Fix | undefined {
  const name = target.text;
  // The outermost loop around the append, inside the declaration's scope, that only appends to the string.
  let chosen: { loop: Node; appends: Node[] } | undefined;
  for (const loop of loops) {
    if (within(decl.node, loop)) break;
    const appends: Node[] = [];
    for (const m of mentionsOf(loop, name)) {
      const stmt = m.parent?.parent;
      const app = stmt ? appendOf(stmt) : undefined;
      if (stmt && app && sameNode(app.target, m)) appends.push(stmt);
    }
    if (blocked(loop, name, appends)) continue; // an outer loop may still hold every jump
    if (!appends.every((a) => startsLine(ctx.text, a))) break;
    chosen = { loop, appends };
  }
  if (!chosen) return undefined;
  // A pointer to the string or a function literal that sees it, made before the loop, would read the value from
  // before the loop while the builder holds the text (test/oracle/go/string-concat-in-loop.go).
  for (const n of walkAll(decl.scope.node)) {
    if (n.type === 'func_literal' && mentionsOf(n, name).length) return undefined;
    if (n.type === 'unary_expression' && n.child(0)?.type === '&' && n.namedChild(0)?.text === name) return undefined;
  }
  const stmt = loopStatement(chosen.loop);
  const strings = importFor(ctx, 'strings');
  if (!strings) return undefined;
  const pkg = strings.name;
  const edits: TextEdit[] = strings.edit ? [strings.edit] : [];
  const sb = freshName(ctx, 'sb', chosen.loop);
  // Starts empty when declared empty and untouched between the declaration and the loop.
  const spec = decl.node.parent?.type === 'expression_list' ? decl.node.parent.parent : decl.node.parent;
  const emptyInit = (decl.kind === 'var' && !decl.value) || (decl.value && (decl.value.text === '""' || decl.value.text === '``'));
  const between = mentionsOf(decl.scope.node, name).some((m) => spec && m.startIndex >= spec.endIndex && m.startIndex < stmt.startIndex);
  const before = lineBefore(ctx.text, stmt, emptyInit && !between ? `var ${sb} ${pkg}.Builder` : `var ${sb} ${pkg}.Builder\n${sb}.WriteString(${name})`);
  const after = lineAfter(ctx.text, stmt, `${name} = ${sb}.String()`);
  if (!before || !after) return undefined;
  edits.push(before, after);
  for (const a of chosen.appends) {
    const app = appendOf(a)!;
    const indent = /^[ \t]*/.exec(ctx.text.slice(ctx.text.lastIndexOf('\n', a.startIndex) + 1))![0];
    const eol = ctx.text.includes('\r\n') ? '\r\n' : '\n';
    edits.push({ start: a.startIndex, end: a.endIndex, text: app.parts.map((p) => `${sb}.WriteString(${p.text})`).join(`${eol}${indent}`) });
  }
  return { title: `Build \`${name}\` with a strings.Builder`, applicability: 'safe', edits, binds: [sb] };
}

export const stringConcatInLoop: Rule = {
  meta: {
    id: 'go/string-concat-in-loop',
    language: 'go',
    title: 'string built with += across loop iterations',
    severity: 'information',
    fix: 'safe',
    docs: {
      what: 'Flags `s += x` and `s = s + x + …` inside a `for` loop when `s` is provably a `string` (declared as one, set from a string literal or a function known to return one) and lives outside the loop, so it grows across iterations. An append followed by `break` or `return` (done once) is not flagged, nor other types (`+=` on numbers, `[]byte` appends). Loops that provably do not repeat it do not count: it leaves the loop right after (`break`, `return`, `panic`, `os.Exit`, `t.Fatal`, `goto` out), the loop runs at most 8 times by its header (a composite literal, `for i := 0; i < k; i++`, `range k` with a constant k), or it is a retry loop (it goes round again only past `if err == nil { return … }` or through an `if err != nil` branch, and leaves on success).',
      why: 'Go strings are immutable: each `+=` allocates a new string and copies everything so far, so n appends copy O(n²) bytes and produce n garbage strings. A `strings.Builder` appends to one buffer that grows geometrically (2x, then about 1.25x past 256 bytes), so the total copying stays linear in the length of the result, and its `String()` makes no copy.',
      references: [
        'Go 1.26 `src/runtime/string.go` `concatstrings`: `a + b` allocates a new string of the total length (`rawstringtmp`) and copies every operand into it; only when a single operand is non-empty is that operand returned as is',
        'Go 1.26 `src/strings/builder.go`: `WriteString` appends to one `[]byte`, `grow` reallocates to twice the capacity plus the request, and `String` returns the buffer without copying (`unsafe.String`)',
        "Go 1.26 `src/runtime/slice.go` `nextslicecap`: `append` doubles a slice's capacity below 256 and grows it by about 1.25x above",
      ],
      example:
        'package report\n\nfunc csvLine(fields []string) string {\n\tline := ""\n\tfor _, f := range fields {\n\t\tline += f + ","\n\t}\n\treturn line\n}\n',
      useInstead:
        'package report\n\nimport "strings"\n\nfunc csvLine(fields []string) string {\n\tvar sb strings.Builder\n\tfor _, f := range fields {\n\t\tsb.WriteString(f + ",")\n\t}\n\treturn sb.String()\n}\n',
      fixSafety:
        "Safe when offered: a `strings.Builder` is declared before the loop (seeded with the string's current value unless it is provably empty), each append becomes `WriteString` calls, and the string is assigned `sb.String()` right after the loop, which is the same text. It is offered only when the string is a local variable, the loop does nothing else with it (an append such as `s += s` that reads the string itself gets no fix: the builder would append the value from before the loop), no function literal sees it and nothing takes its address (either would read the value from before the loop), and the loop cannot be left by `return`, `goto` or a jump to an outer loop (the assignment after the loop would be skipped).",
    },
  },
  mentions: ['+'],
  query: '(assignment_statement operator: ["+=" "="]) @node',
  check(node, ctx) {
    const app = appendOf(node);
    if (!app) return;
    // Loops that append once and leave (a break or return after it), or run a few literal times, do not count.
    const loops = repeatingLoops(node, ctx);
    if (!loops.length) return;
    const model = goModel(ctx);
    if (model.typeOf(app.target) !== 'string') return;
    // Reset inside the loop (`s = x` besides the appends): it does not grow across iterations.
    for (const m of mentionsOf(loops[0], app.target.type === 'identifier' ? app.target.text : '')) {
      const st = m.parent?.parent;
      if (st?.type === 'assignment_statement' && sameNode(st.childForFieldName('left')?.namedChild(0), m) && !appendOf(st)) return;
      if (st?.type === 'short_var_declaration' && within(m, st.childForFieldName('left')!)) return;
      // One finding per string and loop: the first append reports it (and its fix rewrites every append).
      if (
        st &&
        st.startIndex < node.startIndex &&
        st.type === 'assignment_statement' &&
        sameNode(st.childForFieldName('left')?.namedChild(0), m) &&
        appendOf(st) &&
        sameNode(repeatingLoops(st, ctx)[0], loops[0])
      )
        return;
    }
    let decl: GoBinding | undefined;
    if (app.target.type === 'identifier') {
      decl = model.valueBindingAt(app.target.text, app.target);
      // Declared inside the innermost loop: it restarts every iteration and grows only in nested loops.
      if (!decl || within(decl.node, loops[0])) return;
    }
    ctx.report({
      node,
      message: `\`${app.target.text}\` grows by concatenation on every iteration, copying the whole string each time (O(n²)): build it with a strings.Builder.`,
      fix: decl && decl.scope.kind !== 'package' && decl.kind !== 'receiver' ? buildFix(ctx, decl, app.target, loops) : undefined,
      loop: loops[0],
    });
  },
};
