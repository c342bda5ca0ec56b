import type { Node } from 'web-tree-sitter';
import type { Fix, Rule, RuleContext, TextEdit } from '../../analysis/types';
import { type GoModel, goModel } from '../../analysis/go/model';
import { argsOf, freshName, importFor, lineBefore, loopStatement, mentionsOf, methodCall, repeatingLoops, sameNode, useKind } from '../lib/go/goutil';

/** Types whose values are operating-system streams: each Read on them is a system call. */
const OS_STREAMS = new Set(['os.File', 'net.Conn', 'net.TCPConn', 'net.UnixConn', 'net.UDPConn', 'net.IPConn']);
/** Package variables that hold such streams. */
const OS_STREAM_VALUES = new Set(['os.Stdin', 'os.Stdout', 'os.Stderr']);
/** Functions whose results (by index) are such streams. */
const OPENERS: Record<string, readonly number[]> = {
  'os.Open': [0],
  'os.OpenFile': [0],
  'os.Create': [0],
  'os.CreateTemp': [0],
  'os.NewFile': [0],
  'os.OpenInRoot': [0],
  'os.Pipe': [0, 1],
  'net.Dial': [0],
  'net.DialTimeout': [0],
  'net.DialTCP': [0],
  'net.DialUDP': [0],
  'net.DialUnix': [0],
  'net.DialIP': [0],
  'net.FileConn': [0],
};
/** Listener types and the functions that make them, whose Accept methods return connections. */
const LISTENERS = new Set(['net.Listener', 'net.TCPListener', 'net.UnixListener']);
const LISTEN = new Set(['net.Listen', 'net.ListenTCP', 'net.ListenUnix', 'net.FileListener']);
const ACCEPT = new Set(['Accept', 'AcceptTCP', 'AcceptUnix']);
/** Functions and methods of a net/http client whose first result is a response. */
const HTTP_GETS = new Set(['net/http.Get', 'net/http.Head', 'net/http.Post', 'net/http.PostForm']);
const CLIENT_METHODS = new Set(['Do', 'Get', 'Head', 'Post', 'PostForm']);

/** True when `buf` is provably a one-byte slice: `make([]byte, 1)`, or `b[:]` of a `[1]byte`. */
function oneByte(model: GoModel, buf: Node): boolean {
  if (buf.type === 'identifier') {
    const d = model.valueBindingAt(buf.text, buf);
    const v = d?.value;
    if (!v || v.type !== 'call_expression' || v.childForFieldName('function')?.text !== 'make') return false;
    const [t, n, cap] = argsOf(v);
    return !!t && model.typeName(t) === '[]byte' && n?.text === '1' && !cap;
  }
  if (buf.type === 'slice_expression') {
    const operand = buf.childForFieldName('operand');
    if (!operand || operand.type !== 'identifier' || buf.namedChildCount !== 1) return false;
    const type = model.valueBindingAt(operand.text, operand)?.type;
    return (
      !!type &&
      type.type === 'array_type' &&
      type.childForFieldName('length')?.text === '1' &&
      /^(byte|uint8)$/.test(type.childForFieldName('element')?.text ?? '')
    );
  }
  return false;
}

/** The reader of `r.Read(buf)` or `io.ReadFull(r, buf)` and the buffer, or undefined. */
function readCall(model: GoModel, call: Node): { reader: Node; buf: Node } | undefined {
  const fn = call.childForFieldName('function');
  const args = argsOf(call);
  const q = fn ? model.resolve(fn) : undefined;
  if (q === 'io.ReadFull' || q === 'io.ReadAtLeast') return args.length >= 2 ? { reader: args[0], buf: args[1] } : undefined;
  if (q) return undefined;
  const mc = methodCall(call);
  return mc && mc.method === 'Read' && args.length === 1 ? { reader: mc.receiver, buf: args[0] } : undefined;
}

/**
 * What shows that `reader` reads from the operating system, or undefined: its type (`*os.File`, a `net.Conn` or one
 * of the net connection types), a package variable holding one (`os.Stdin`), or where its value comes from (`os.Open`,
 * `os.OpenFile`, `os.Create`, `net.Dial…`, a listener's `Accept…`, a `net.Dialer`'s `Dial…`), or an HTTP response's
 * Body. In-memory readers (`bytes.Reader`, `strings.Reader`, `bytes.Buffer`), buffered ones (`bufio.Reader`), and
 * interfaces or types the file does not pin down (`io.Reader`) give none.
 */
function osStream(model: GoModel, reader: Node, depth = 0): { what: string; http?: boolean } | undefined {
  if (depth > 4) return undefined;
  while (reader.type === 'parenthesized_expression' && reader.namedChild(0)) reader = reader.namedChild(0)!;
  const t = model.exactTypeOf(reader);
  if (t && OS_STREAMS.has(t.replace(/^\*+/, ''))) return { what: t };
  if (reader.type === 'selector_expression') {
    const q = model.resolve(reader);
    if (q) return OS_STREAM_VALUES.has(q) ? { what: q } : undefined;
    const operand = reader.childForFieldName('operand');
    if (reader.childForFieldName('field')?.text === 'Body' && operand && httpResponse(model, operand, depth + 1))
      return { what: 'an HTTP response body', http: true };
    return undefined;
  }
  if (reader.type === 'call_expression') return fromCall(model, reader, 0, depth + 1);
  if (reader.type !== 'identifier') return undefined;
  const d = model.valueBindingAt(reader.text, reader);
  if (!d) return undefined;
  // A variable declared with another type (`var r io.Reader = os.Stdin`) may be set to another reader later.
  if (
    d.type &&
    mentionsOf(d.scope.node, reader.text).some((u) => useKind(u) !== 'read' && !sameNode(u, d.node) && sameNode(model.valueBindingAt(u.text, u)?.node, d.node))
  )
    return undefined;
  if (d.value) return osStream(model, d.value, depth + 1);
  if (d.call) return fromCall(model, d.call.node, d.call.index, depth + 1);
  return undefined;
}

/** osStream for result `index` of a call. */
function fromCall(model: GoModel, call: Node, index: number, depth: number): { what: string; http?: boolean } | undefined {
  const fn = call.childForFieldName('function');
  const q = fn ? model.resolve(fn) : undefined;
  if (q) return OPENERS[q]?.includes(index) ? { what: `from ${q}` } : undefined;
  const mc = methodCall(call);
  if (!mc || index !== 0) return undefined;
  if (ACCEPT.has(mc.method) && listener(model, mc.receiver, depth + 1)) return { what: 'a connection a listener accepted' };
  if (/^Dial/.test(mc.method) && model.typeOf(mc.receiver) === 'net.Dialer') return { what: `from net.Dialer.${mc.method}` };
  return undefined;
}

/** True when `e` is provably a net listener: of a listener type, or made by net.Listen…. */
function listener(model: GoModel, e: Node, depth: number): boolean {
  if (LISTENERS.has(model.typeOf(e) ?? '')) return true;
  if (e.type !== 'identifier' || depth > 4) return false;
  const d = model.valueBindingAt(e.text, e);
  const call = d?.call?.index === 0 ? d.call.node : d?.value?.type === 'call_expression' ? d.value : undefined;
  const fn = call?.childForFieldName('function');
  return !d?.type && !!fn && LISTEN.has(model.resolve(fn) ?? '');
}

/** True when `e` is provably an `*http.Response` (or one): by its type, or made by http.Get… or a client's Do…. */
function httpResponse(model: GoModel, e: Node, depth: number): boolean {
  if (model.typeOf(e) === 'net/http.Response') return true;
  if (e.type !== 'identifier' || depth > 4) return false;
  const d = model.valueBindingAt(e.text, e);
  if (!d || d.type || d.call?.index !== 0) return false;
  const call = d.call.node;
  const fn = call.childForFieldName('function');
  const q = fn ? model.resolve(fn) : undefined;
  if (q) return HTTP_GETS.has(q);
  const mc = methodCall(call);
  if (!mc || !CLIENT_METHODS.has(mc.method)) return false;
  return (
    model.typeOf(mc.receiver) === 'net/http.Client' || (mc.receiver.type === 'selector_expression' && model.resolve(mc.receiver) === 'net/http.DefaultClient')
  );
}

function buildFix(ctx: RuleContext, reader: Node, loop: Node): Fix | undefined {
  if (reader.type !== 'identifier' && reader.type !== 'selector_expression') return undefined;
  const root = reader.type === 'identifier' ? reader.text : reader.text.split('.')[0];
  // The loop must read the stream only through this call, or buffered and unbuffered reads would interleave.
  const mentions = mentionsOf(loop, root);
  if (mentions.length !== 1) return undefined;
  const bufio = importFor(ctx, 'bufio');
  if (!bufio) return undefined;
  const pkg = bufio.name;
  const edits: TextEdit[] = bufio.edit ? [bufio.edit] : [];
  const br = freshName(ctx, 'br', loop);
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
    severity: 'information',
    fix: 'unsafe',
    docs: {
      what: "Flags `r.Read(b)`, `io.ReadFull(r, b)` and `io.ReadAtLeast(r, b, …)` inside a `for` loop when `b` is provably one byte long (`make([]byte, 1)`, or `a[:]` of a `[1]byte`) and `r` provably reads from the operating system: its declared or inferred type is `*os.File`, `net.Conn` or one of the net connection types, it is `os.Stdin`, or its value comes from `os.Open`, `os.OpenFile`, `os.Create`, `net.Dial…` or a listener's `Accept…`; also the `Body` of an `*http.Response` (which the Transport already reads through a 4 KiB buffer: there each one-byte Read costs the body's locks and framing, not a system call, and the message says so). A small Read costs a system call only on the operating system's readers: in-memory readers (`bytes.Reader`, `strings.Reader`, `bytes.Buffer`, a package's own reader over its buffers), readers that are buffered already (`bufio.Reader`) and readers whose type the file does not pin down (an `io.Reader` parameter, a variable of an interface type) are not flagged. Loops that provably do not repeat it do not count: it leaves the loop right after (`break`, `return`, `panic`, `os.Exit`, `t.Fatal`, `goto` out), the loop runs at most 8 times by its header (a composite literal, `for i := 0; i < k; i++`, `range k` with a constant k), or it is a retry loop (it goes round again only past `if err == nil { return … }` or through an `if err != nil` branch, and leaves on success).",
      why: 'On a file, a pipe or a socket each `Read` is a system call: reading a 1 MiB stderr stream a byte at a time makes a million of them. A `bufio.Reader` (or a `bufio.Scanner` for lines, with a bounded `Buffer`) reads kilobytes per call and hands out bytes from memory.',
      references: [
        'Go 1.26 `src/os/file.go` `(*File).Read`, `src/os/file_posix.go` `read` and `src/internal/poll/fd_unix.go` `(*FD).Read`: each call is one `syscall.Read` on the descriptor (for pipes and sockets, after waiting in the netpoller on `EAGAIN`)',
        'Go 1.26 `src/bufio/bufio.go`: `NewReader` uses `defaultBufSize = 4096`, and small reads are served from that buffer, refilled by one `Read` of the underlying reader',
        'Go 1.26 `src/bufio/scan.go`: `MaxScanTokenSize = 64 * 1024` by default; `(*Scanner).Buffer` sets the initial buffer and the maximum token size',
        "Go 1.26 `src/net/http/transport.go` (`bufio.NewReaderSize(pconn, t.readBufferSize())`, 4 KiB by default) and `src/net/http/transfer.go` `readTransfer`: a client response `Body` already reads through a bufio.Reader, so a one-byte `Body.Read` is not a system call but still takes the body's locks and framing",
      ],
      example:
        'package logs\n\nimport "os"\n\nfunc countLines(f *os.File) (int, error) {\n\tlines := 0\n\tone := make([]byte, 1)\n\tfor {\n\t\tn, err := f.Read(one)\n\t\tif n == 1 && one[0] == \'\\n\' {\n\t\t\tlines++\n\t\t}\n\t\tif err != nil {\n\t\t\treturn lines, nil\n\t\t}\n\t}\n}\n',
      useInstead:
        'package logs\n\nimport (\n\t"bufio"\n\t"os"\n)\n\nfunc countLines(f *os.File) (int, error) {\n\tlines := 0\n\tone := make([]byte, 1)\n\tbr := bufio.NewReader(f)\n\tfor {\n\t\tn, err := br.Read(one)\n\t\tif n == 1 && one[0] == \'\\n\' {\n\t\t\tlines++\n\t\t}\n\t\tif err != nil {\n\t\t\treturn lines, nil\n\t\t}\n\t}\n}\n',
      fixSafety:
        'Unsafe: the fix wraps the reader in a `bufio.Reader` before the loop and reads through it, which returns the same bytes in the same order, but the wrapper reads ahead: bytes past where the loop stops stay in its buffer, so code that reads the stream again after the loop (or hands it to someone else) misses them. It is offered only when the loop touches the reader through this one call.',
    },
  },
  mentions: ['Read'],
  query: `
    (call_expression function: (selector_expression field: (field_identifier) @m) (#any-of? @m "Read" "ReadFull" "ReadAtLeast")) @node`,
  check(node, ctx) {
    const model = goModel(ctx);
    const rc = readCall(model, node);
    if (!rc || !oneByte(model, rc.buf)) return;
    const loops = repeatingLoops(node, ctx);
    if (!loops.length) return;
    // Only where the reader provably reads from the operating system: a one-byte Read of an in-memory or buffered
    // reader is a copy, and of an interface (io.Reader) or another type there is no telling.
    const os = osStream(model, rc.reader);
    if (!os) return;
    ctx.report({
      node,
      message: os.http
        ? `Reads one byte per call in a loop from \`${rc.reader.text}\` (${os.what}): every Read takes the body's locks and goes through its framing. Wrap it in a bufio.Reader (or use a bufio.Scanner) before the loop.`
        : `Reads one byte per call in a loop from \`${rc.reader.text}\` (${os.what}): every Read is a system call. Wrap it in a bufio.Reader (or use a bufio.Scanner) before the loop.`,
      fix: buildFix(ctx, rc.reader, loops[0]),
      loop: loops[0],
    });
  },
};
