import type { Node } from 'web-tree-sitter';
import type { Fix, Rule, RuleContext, TextEdit } from '../../analysis/types';
import { argsOf, type GoFacts, goFacts, lineBefore, loopStatement, mentionsOf, methodCall, repeatingLoops } from './goutil';

/** Readers that are operating-system streams: each Read on them is a system call. */
const OS_STREAMS = new Set(['os.File', 'net.Conn', 'net.TCPConn', 'net.UnixConn', 'net.UDPConn', 'net.IPConn']);
/** Selectors that name such a stream. */
const OS_STREAM_VALUES = new Set(['os.Stdin']);

/** Readers that are already buffered or in memory: a one-byte Read on them costs no system call. */
const BUFFERED = new Set(['bufio.Reader', 'bytes.Reader', 'strings.Reader', 'bytes.Buffer']);

/** True when `buf` is provably a one-byte slice: `make([]byte, 1)`, or `b[:]` of a `[1]byte`. */
function oneByte(f: GoFacts, buf: Node): boolean {
  if (buf.type === 'identifier') {
    const d = f.declOf(buf);
    const v = d?.value;
    if (!v || v.type !== 'call_expression' || v.childForFieldName('function')?.text !== 'make') return false;
    const [t, n, cap] = argsOf(v);
    return !!t && f.typeName(t) === '[]byte' && n?.text === '1' && !cap;
  }
  if (buf.type === 'slice_expression') {
    const operand = buf.childForFieldName('operand');
    if (!operand || operand.type !== 'identifier' || buf.namedChildCount !== 1) return false;
    const type = f.declOf(operand)?.type;
    return !!type && type.type === 'array_type' && type.childForFieldName('length')?.text === '1' && /^(byte|uint8)$/.test(type.childForFieldName('element')?.text ?? '');
  }
  return false;
}

/** The reader of `r.Read(buf)` or `io.ReadFull(r, buf)` and the buffer, or undefined. */
function readCall(f: GoFacts, call: Node): { reader: Node; buf: Node } | undefined {
  const fn = call.childForFieldName('function');
  const args = argsOf(call);
  const q = fn ? f.qualified(fn) : undefined;
  if (q === 'io.ReadFull' || q === 'io.ReadAtLeast') return args.length >= 2 ? { reader: args[0], buf: args[1] } : undefined;
  if (q) return undefined;
  const mc = methodCall(call);
  return mc && mc.method === 'Read' && args.length === 1 ? { reader: mc.receiver, buf: args[0] } : undefined;
}

function buildFix(ctx: RuleContext, f: GoFacts, reader: Node, loop: Node): Fix | undefined {
  if (reader.type !== 'identifier' && reader.type !== 'selector_expression') return undefined;
  const root = reader.type === 'identifier' ? reader.text : reader.text.split('.')[0];
  // The loop must read the stream only through this call, or buffered and unbuffered reads would interleave.
  const mentions = mentionsOf(loop, root);
  if (mentions.length !== 1) return undefined;
  const bufio = f.importFor('bufio');
  if (!bufio) return undefined;
  const pkg = bufio.name;
  const edits: TextEdit[] = bufio.edit ? [bufio.edit] : [];
  const br = f.freshName(loop, 'br');
  const before = lineBefore(ctx.text, loopStatement(loop), `${br} := ${pkg}.NewReader(${reader.text})`);
  if (!before) return undefined;
  edits.push(before, { start: reader.startIndex, end: reader.endIndex, text: br });
  return { title: `Read through a bufio.Reader`, applicability: 'unsafe', edits, binds: [br] };
}

export const bytewiseRead: Rule = {
  meta: {
    id: 'go/bytewise-read',
    language: 'go',
    title: 'stream read one byte at a time',
    severity: 'warning',
    fix: 'unsafe',
    docs: {
      what: 'Flags `r.Read(b)`, `io.ReadFull(r, b)` and `io.ReadAtLeast(r, b, …)` inside a `for` loop when `b` is provably one byte long (`make([]byte, 1)`, or `a[:]` of a `[1]byte`) and `r` is not provably buffered or in memory (`bufio.Reader`, `bytes.Reader`, `strings.Reader`, `bytes.Buffer` are not flagged). It is a warning where `r` is provably an operating-system stream (`*os.File`, `os.Stdin`, a `net.Conn` or one of the net connection types) and information elsewhere (an `io.Reader` or another type may already be buffered or in memory). Loops that provably do not repeat it do not count: it leaves the loop right after (`break`, `return`, `panic`, `os.Exit`, `t.Fatal`, `goto` out), the loop runs at most 8 times by its header (a composite literal, `for i := 0; i < k; i++`, `range k` with a constant k), or it is a retry loop (it goes round again only past `if err == nil { return … }` or through an `if err != nil` branch, and leaves on success).',
      why: 'On a file, a pipe or a socket each `Read` is a system call: reading a 1 MiB stderr stream a byte at a time makes a million of them. A `bufio.Reader` (or a `bufio.Scanner` for lines, with a bounded `Buffer`) reads kilobytes per call and hands out bytes from memory.',
      example: 'package logs\n\nimport "os"\n\nfunc countLines(f *os.File) (int, error) {\n\tlines := 0\n\tone := make([]byte, 1)\n\tfor {\n\t\tn, err := f.Read(one)\n\t\tif n == 1 && one[0] == \'\\n\' {\n\t\t\tlines++\n\t\t}\n\t\tif err != nil {\n\t\t\treturn lines, nil\n\t\t}\n\t}\n}\n',
      useInstead: 'package logs\n\nimport (\n\t"bufio"\n\t"os"\n)\n\nfunc countLines(f *os.File) (int, error) {\n\tlines := 0\n\tone := make([]byte, 1)\n\tbr := bufio.NewReader(f)\n\tfor {\n\t\tn, err := br.Read(one)\n\t\tif n == 1 && one[0] == \'\\n\' {\n\t\t\tlines++\n\t\t}\n\t\tif err != nil {\n\t\t\treturn lines, nil\n\t\t}\n\t}\n}\n',
      fixSafety: 'Unsafe: the fix wraps the reader in a `bufio.Reader` before the loop and reads through it, which returns the same bytes in the same order, but the wrapper reads ahead: bytes past where the loop stops stay in its buffer, so code that reads the stream again after the loop (or hands it to someone else) misses them. It is offered only when the loop touches the reader through this one call.',
    },
  },
  mentions: ['Read'],
  query: `
    (call_expression function: (selector_expression field: (field_identifier) @m) (#any-of? @m "Read" "ReadFull" "ReadAtLeast")) @node`,
  check(node, ctx) {
    const f = goFacts(ctx);
    const rc = readCall(f, node);
    if (!rc || !oneByte(f, rc.buf)) return;
    if (BUFFERED.has(f.typeOf(rc.reader) ?? '')) return;
    const loops = repeatingLoops(node);
    if (!loops.length) return;
    // A warning only where the reader is provably a file, a socket or standard input; an interface (io.Reader) or
    // another type may be in memory or buffered already, so there the claim is only a possibility.
    const type = f.typeOf(rc.reader);
    const os = (type !== undefined && OS_STREAMS.has(type)) || OS_STREAM_VALUES.has(rc.reader.text);
    ctx.report({
      node,
      severity: os ? undefined : 'information',
      message: os
        ? `Reads one byte per call in a loop from \`${rc.reader.text}\` (${type ?? rc.reader.text}): every Read is a system call. Wrap it in a bufio.Reader (or use a bufio.Scanner) before the loop.`
        : `Reads one byte per call in a loop; if \`${rc.reader.text}\`${type ? ` (${type})` : ''} is a file, pipe or socket rather than a buffered or in-memory reader, every Read is a system call: wrap it in a bufio.Reader (or use a bufio.Scanner) before the loop.`,
      fix: buildFix(ctx, f, rc.reader, loops[0]),
    });
  },
};
