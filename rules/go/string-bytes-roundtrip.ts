import type { Node } from 'web-tree-sitter';
import type { Rule, TextEdit } from '../../analysis/types';
import { type GoModel, goModel } from '../../analysis/go/model';
import { argsOf, mentionsOf, methodCall, sameNode, useKind } from '../lib/go/goutil';

/** Functions that read a byte slice argument and neither keep nor change it (by package path, with the argument index). */
const READ_ONLY_ARG: Record<string, number[]> = {
  'encoding/json.Unmarshal': [0],
  'encoding/json.Valid': [0],
  'encoding/xml.Unmarshal': [0],
  'bytes.Equal': [0, 1],
  'bytes.Contains': [0, 1],
  'bytes.HasPrefix': [0, 1],
  'bytes.HasSuffix': [0, 1],
  'bytes.Index': [0, 1],
  'bytes.Count': [0, 1],
  'os.WriteFile': [1],
  'crypto/sha256.Sum256': [0],
  'crypto/sha1.Sum': [0],
  'crypto/md5.Sum': [0],
  'hash/crc32.ChecksumIEEE': [0],
  'encoding/hex.EncodeToString': [0],
  'unicode/utf8.Valid': [0],
};

/** A string made from bytes: `buf.String()` of a bytes.Buffer, or `string(b)` of a []byte. Returns the bytes expression. */
function bytesBehind(model: GoModel, e: Node): string | undefined {
  if (e.type !== 'call_expression') return undefined;
  const fn = e.childForFieldName('function');
  const args = argsOf(e);
  if (fn?.type === 'identifier' && fn.text === 'string' && !model.valueBindingAt(fn.text, fn) && args.length === 1) {
    return model.typeOf(args[0]) === '[]byte' ? args[0].text : undefined;
  }
  const mc = methodCall(e);
  if (mc && mc.method === 'String' && args.length === 0 && model.typeOf(mc.receiver) === 'bytes.Buffer') return `${mc.receiver.text}.Bytes()`;
  return undefined;
}

/** True when the converted slice goes straight into a function that only reads it. */
function readOnlyUse(model: GoModel, conv: Node): boolean {
  const list = conv.parent;
  if (list?.type !== 'argument_list') return false;
  const call = list.parent!;
  const index = argsOf(call).findIndex((a) => sameNode(a, conv));
  const fn = call.childForFieldName('function');
  const q = fn ? model.resolve(fn) : undefined;
  if (q) return READ_ONLY_ARG[q]?.includes(index) ?? false;
  // io.Writer's contract: Write must not modify the slice or keep it.
  const mc = methodCall(call);
  return !!mc && mc.method === 'Write' && index === 0;
}

export const stringBytesRoundtrip: Rule = {
  meta: {
    id: 'go/string-bytes-roundtrip',
    language: 'go',
    title: '[]byte of a string that was just made from bytes',
    severity: 'information',
    fix: 'mixed',
    docs: {
      what: 'Flags `[]byte(x)` where `x` is a string the file proves was just produced from bytes: `buf.String()` of a `bytes.Buffer`, `string(b)` of a `[]byte`, or a local variable set to one of those and used only here (as in `json.Unmarshal([]byte(s), &v)` after `s := buf.String()`). Conversions of genuine strings (parameters, literals, values of unknown type) are not flagged.',
      why: 'Each conversion copies the whole content: bytes to a string, then the string back to bytes. Measured on a 1 MiB document passed to `json.Unmarshal`, the round trip allocates 3 MiB per call against 1 MiB for the bytes themselves; the time is dominated by the parsing, so the fix saves memory (and garbage-collector work under load), not wall time, which is why this is information. The bytes were there all along (`buf.Bytes()`, `b`). When a whole reader is decoded once, `json.NewDecoder(io.LimitReader(r, max)).Decode(&v)` avoids even the buffer (not offered as a fix: it accepts trailing data that `Unmarshal` rejects).',
      references: [
        "Go 1.26 `src/runtime/string.go` `slicebytetostring` and `stringtoslicebyte`: `string(b)` and `[]byte(s)` each allocate (`mallocgc`, `rawbyteslice`) and copy the whole content, unless the result is one byte or fits the caller's small non-escaping stack buffer",
        'Go 1.26 `src/bytes/buffer.go`: `(*Buffer).String` returns `string(b.buf[b.off:])`, a copy; `(*Buffer).Bytes` returns the unread slice itself, which aliases the buffer',
        'Go 1.26 `src/encoding/json/decode.go` `Unmarshal` and `src/encoding/json/stream.go` `(*Decoder).Decode`: `Unmarshal` first checks that the whole input is well-formed (`checkValid`); `Decode` reads only the next JSON value from its input',
      ],
      example:
        'package api\n\nimport (\n\t"bytes"\n\t"encoding/json"\n\t"io"\n)\n\nfunc decode(r io.Reader, v any) error {\n\tvar buf bytes.Buffer\n\tif _, err := io.Copy(&buf, r); err != nil {\n\t\treturn err\n\t}\n\treturn json.Unmarshal([]byte(buf.String()), v)\n}\n',
      useInstead:
        'package api\n\nimport (\n\t"bytes"\n\t"encoding/json"\n\t"io"\n)\n\nfunc decode(r io.Reader, v any) error {\n\tvar buf bytes.Buffer\n\tif _, err := io.Copy(&buf, r); err != nil {\n\t\treturn err\n\t}\n\treturn json.Unmarshal(buf.Bytes(), v)\n}\n',
      fixSafety:
        'Safe when the slice goes straight into a function that only reads it (`json.Unmarshal`, `xml.Unmarshal`, `bytes.Equal` and friends, `os.WriteFile`, hashing, a `Write` method, whose io.Writer contract forbids keeping or changing the slice) and, for a variable, the buffer is not touched between the two lines. Otherwise unsafe: the copy is gone, so the result shares memory with the buffer, and writing to either, or to the buffer later, shows in the other.',
    },
  },
  mentions: ['byte', 'uint8'],
  query: '(type_conversion_expression type: (slice_type element: (type_identifier) @el) (#any-of? @el "byte" "uint8")) @node',
  check(node, ctx) {
    const operand = node.childForFieldName('operand');
    if (!operand) return;
    const model = goModel(ctx);
    const edits: TextEdit[] = [];
    let bytesExpr = bytesBehind(model, operand);
    let untouched = true;
    if (bytesExpr) {
      edits.push({ start: node.startIndex, end: node.endIndex, text: bytesExpr });
    } else if (operand.type === 'identifier') {
      // s := buf.String() … []byte(s), with s used nowhere else.
      const d = model.valueBindingAt(operand.text, operand);
      if (!d || d.kind !== 'short' || !d.value || d.scope.kind === 'package') return;
      bytesExpr = bytesBehind(model, d.value);
      if (!bytesExpr) return;
      const uses = mentionsOf(d.scope.node, operand.text).filter(
        (m) => model.valueBindingAt(m.text, m)?.node.startIndex === d.node.startIndex && !sameNode(m, d.node),
      );
      if (uses.length !== 1 || !sameNode(uses[0], operand) || uses.some((u) => useKind(u) !== 'read')) return;
      const source = bytesExpr.replace(/\.Bytes\(\)$/, '');
      untouched = !mentionsOf(d.scope.node, source.split('.')[0]).some((m) => m.startIndex > d.value!.endIndex && m.startIndex < node.startIndex);
      edits.push({ start: d.value.startIndex, end: d.value.endIndex, text: bytesExpr }, { start: node.startIndex, end: node.endIndex, text: operand.text });
    } else {
      return;
    }
    const safe = untouched && readOnlyUse(model, node);
    ctx.report({
      node,
      message: `\`${node.text.length > 40 ? `${node.text.slice(0, 40)}…` : node.text}\` copies bytes into a string and back: use the bytes directly (\`${bytesExpr}\`).`,
      fix: { title: `Use \`${bytesExpr}\` instead of converting twice`, applicability: safe ? 'safe' : 'unsafe', edits },
    });
  },
};
