// The Go model (analysis/go/model.ts): imports (aliased, dot, blank), what names and qualified identifiers resolve
// to, the declaration a name refers to in nested blocks, scopes, named types through aliases, integer expressions
// and conversions, struct fields, and which answers record reads. Each answer is asked of a model over the whole
// text and of one over the analysis's pieces (the top-level declarations), which must agree.
import * as assert from 'assert';
import type { Node, Tree } from 'web-tree-sitter';
import { initEngine } from '../server/src/engine';
import { parse } from '../analysis/parse';
import { GoModel } from '../analysis/go/model';
import { DEFINITION, recordReadsInto } from '../analysis/reads';
import { Memo } from '../analysis/memo';
import type { Piece } from '../analysis/types';

before(async () => {
  await initEngine();
});

function piecesOf(tree: Tree): Piece[] {
  return tree.rootNode.namedChildren.filter((c): c is Node => !!c).map((c) => ({ start: c.startIndex, end: c.endIndex, memo: new Memo() }));
}

/** Finds `expr` in the source: the smallest node that spans it, or with `word`, the node of that word inside it. */
type At = (expr: string, word?: string) => Node;

/** Runs `f` on the two models of `src` (whole text, pieces) and returns its answer, the two agreeing. */
function ask<T>(src: string, f: (m: GoModel, at: At) => T): T {
  const tree = parse('go', src);
  try {
    const at: At = (expr, word) => {
      let i = src.indexOf(expr);
      assert.ok(i >= 0 && src.indexOf(expr, i + 1) < 0, `${JSON.stringify(expr)} occurs once in the source`);
      let len = expr.length;
      if (word !== undefined) {
        const w = expr.indexOf(word);
        assert.ok(w >= 0, `${word} is in ${expr}`);
        i += w;
        len = word.length;
      }
      const n = tree.rootNode.namedDescendantForIndex(i, i + len)!;
      assert.ok(
        n.startIndex === i && n.endIndex === i + len,
        `a node spans ${JSON.stringify(expr.slice(i - src.indexOf(expr), len))} (${n.type} ${JSON.stringify(n.text)})`,
      );
      return n;
    };
    const answers = [new GoModel(tree, src), new GoModel(tree, src, { pieces: piecesOf(tree) })].map((m) => f(m, at));
    assert.deepStrictEqual(answers[1], answers[0], 'the models over the whole text and over pieces agree');
    return answers[0];
  } finally {
    tree.delete();
  }
}

/** The binding the identifier `word` in `expr` refers to: its kind, its scope's kind, and its line. */
function binding(src: string, expr: string, word = /^\w+/.exec(expr)![0]) {
  return ask(src, (m, at) => {
    const n = at(expr, word);
    const b = m.bindingAt(n.text, n);
    return b && { kind: b.kind, scope: b.scope.kind, line: b.node.startPosition.row + 1, ...(b.path ? { path: b.path } : {}) };
  });
}

describe('go model: imports', () => {
  const src = 'package p\n\nimport (\n\t"fmt"\n\tt "time"\n\t. "strings"\n\t_ "net/http/pprof"\n\t"example.com/m/yaml/v3"\n)\n';
  it('binds default and aliased names, keeps dot and blank imports apart', () => {
    assert.deepStrictEqual(
      ask(src, (m) => ({ imports: [...m.imports], dot: m.dotImports, blank: m.blankImports, as: m.importedAs('time') })),
      {
        imports: [
          ['fmt', 'fmt'],
          ['t', 'time'],
          ['yaml', 'example.com/m/yaml/v3'],
        ],
        dot: ['strings'],
        blank: ['net/http/pprof'],
        as: 't',
      },
    );
  });
});

describe('go model: resolve, resolveCall', () => {
  const src = `package p

import (
	t "time"
	. "strings"
)

func wait(d t.Duration) {
	<-t.After(d)
	_ = ToUpper("x")
	_ = len("abc")
	_ = helper()
}

func shadowed(t clock, s []int) {
	<-t.After(1)
	len := 3
	_ = len + 1
}

type clock interface{ After(int) <-chan int }

func helper() int { return 0 }
`;
  it('qualifies through an aliased import, in values and types', () => {
    assert.strictEqual(
      ask(src, (m, at) => m.resolve(at('t.After(d)', 't.After'))),
      'time.After',
    );
    assert.strictEqual(
      ask(src, (m, at) => m.resolveCall(at('t.After(d)'))),
      'time.After',
    );
    assert.strictEqual(
      ask(src, (m, at) => m.resolve(at('t.Duration'))),
      'time.Duration',
    );
    assert.strictEqual(
      ask(src, (m, at) => m.resolve(at('t.After(d)', 't'))),
      'time',
    );
  });
  it('qualifies an exported name of the one dot import, and predeclared names as themselves', () => {
    assert.strictEqual(
      ask(src, (m, at) => m.resolveCall(at('ToUpper("x")'))),
      'strings.ToUpper',
    );
    assert.strictEqual(
      ask(src, (m, at) => m.resolveCall(at('len("abc")'))),
      'len',
    );
  });
  it('resolves nothing the file declares, nor what a local shadows', () => {
    assert.strictEqual(
      ask(src, (m, at) => m.resolveCall(at('_ = helper()', 'helper()'))),
      undefined,
    );
    assert.strictEqual(
      ask(src, (m, at) => m.resolveCall(at('t.After(1)'))),
      undefined,
      'the parameter t shadows the package',
    );
    assert.strictEqual(
      ask(src, (m, at) => m.resolve(at('len + 1', 'len'))),
      undefined,
      'a local len',
    );
  });
  it('with two dot imports an exported name is ambiguous', () => {
    const two = 'package p\n\nimport (\n\t. "strings"\n\t. "bytes"\n)\n\nvar _ = ToUpper("x")\n';
    assert.deepStrictEqual(
      ask(two, (m, at) => m.lookup('ToUpper', at('ToUpper'))),
      { kind: 'dot', paths: ['strings', 'bytes'] },
    );
    assert.strictEqual(
      ask(two, (m, at) => m.resolveCall(at('ToUpper("x")'))),
      undefined,
    );
  });
});

describe('go model: lookup, bindingAt, isShadowed, scopeOf', () => {
  const src = `package p

import "os"

const limit = 10

var count int

type ID int

func f[T any](x int, v T) (n int, err error) {
	y := x // 1
	{
		x := "inner"
		_ = x // 2
	}
	if x := 2; x > 1 {
		_ = x // 3
	}
	for i, s := range []string{} {
		_, _ = i, s
	}
	x := x + 1
	_ = x // 4
	_ = y
	const local = 1
	_ = local
	type os struct{}
	_ = os{}
	return n, err
}

func (id ID) g() ID { return id + limit + ID(count) }

func h() { _ = os.Args; _ = f[int]; var e error; _ = e }
`;
  it('finds the innermost declaration before the use, block by block', () => {
    assert.deepStrictEqual(binding(src, 'x // 1'), { kind: 'param', scope: 'function', line: 11 });
    assert.deepStrictEqual(binding(src, 'x // 2'), { kind: 'short', scope: 'block', line: 14 });
    assert.deepStrictEqual(binding(src, 'x // 3'), { kind: 'short', scope: 'block', line: 17 }, "the if statement's clause");
    assert.deepStrictEqual(binding(src, 'x := x + 1'), { kind: 'short', scope: 'block', line: 23 }, 'the declaring identifier');
    assert.deepStrictEqual(
      ask(src, (m, at) => {
        const n = at('x + 1', 'x');
        return m.bindingAt('x', n)?.kind;
      }),
      'param',
      '`x := x + 1` reads the outer x',
    );
    assert.deepStrictEqual(binding(src, 'x // 4'), { kind: 'short', scope: 'block', line: 23 });
    assert.deepStrictEqual(binding(src, 'i, s\n', 's'), { kind: 'range', scope: 'block', line: 20 });
    assert.deepStrictEqual(binding(src, 'n, err\n', 'err'), { kind: 'result', scope: 'function', line: 11 });
    assert.deepStrictEqual(binding(src, 'id + limit'), { kind: 'receiver', scope: 'function', line: 33 });
    assert.deepStrictEqual(binding(src, '_ = local', 'local'), { kind: 'const', scope: 'block', line: 26 });
  });
  it("then the package's declarations and the file's imports", () => {
    assert.deepStrictEqual(binding(src, 'limit + ID', 'limit'), { kind: 'const', scope: 'package', line: 5 });
    assert.deepStrictEqual(binding(src, 'ID(count)', 'count'), { kind: 'var', scope: 'package', line: 7 });
    assert.deepStrictEqual(binding(src, 'ID(count)', 'ID'), { kind: 'type', scope: 'package', line: 9 });
    assert.deepStrictEqual(binding(src, 'f[int]', 'f'), { kind: 'func', scope: 'package', line: 11 });
    assert.deepStrictEqual(binding(src, 'os.Args', 'os'), { kind: 'import', scope: 'file', line: 3, path: 'os' });
    assert.deepStrictEqual(binding(src, 'v T)', 'T'), { kind: 'type-parameter', scope: 'function', line: 11 });
    assert.deepStrictEqual(binding(src, '_ = os{}', 'os'), { kind: 'type', scope: 'block', line: 28 }, 'a local type shadows the package');
    assert.strictEqual(binding(src, 'e error', 'error'), undefined, 'a predeclared type');
  });
  it('isShadowed: something other than an import or a predeclared identifier', () => {
    assert.deepStrictEqual(
      ask(src, (m, at) => [
        m.isShadowed('os', at('os.Args', 'os')),
        m.isShadowed('os', at('_ = os{}', 'os')),
        m.isShadowed('error', at('e error', 'error')),
        m.isShadowed('x', at('x // 4', 'x')),
      ]),
      [false, true, false, true],
    );
    assert.deepStrictEqual(
      ask(src, (m, at) => [m.lookup('error', at('e error', 'error')).kind, m.lookup('nowhere', at('os.Args')).kind]),
      ['builtin', 'unbound'],
    );
  });
  it('scopeOf: blocks, clauses, functions, the file and package blocks', () => {
    const chain = ask(src, (m, at) => {
      const out: string[] = [];
      for (let s: ReturnType<GoModel['scopeOf']> | undefined = m.scopeOf(at('x // 2', 'x')); s; s = s.parent) out.push(`${s.kind}:${s.node.type}`);
      return out;
    });
    assert.deepStrictEqual(chain, ['block:block', 'block:block', 'function:function_declaration', 'file:source_file', 'package:source_file']);
    assert.strictEqual(
      ask(src, (m, at) => m.scopeOf(at('x > 1', 'x')).node.type),
      'if_statement',
    );
    assert.deepStrictEqual(
      ask(src, (m, at) =>
        m
          .scopeOf(at('x // 4', 'x'))
          .bindings('x')
          .map((b) => [b.kind, b.node.startPosition.row + 1]),
      ),
      [['short', 23]],
    );
    assert.deepStrictEqual(
      ask(src, (m, at) =>
        m
          .scopeOf(at('v T)', 'v'))
          .bindings('x')
          .map((b) => b.kind),
      ),
      ['param'],
    );
    assert.deepStrictEqual(
      ask(src, (m) => m.package.bindings('ID').map((b) => b.kind)),
      ['type'],
    );
    assert.deepStrictEqual(
      ask(src, (m) => m.file.bindings('os').map((b) => b.path)),
      ['os'],
    );
  });
});

describe('go model: named types, integers, conversions', () => {
  const src = `package p

import "time"

type Celsius float64
type Temp = Celsius
type ID int8
type Alias = ID
type Pair struct{ a, b int }
type List[T any] []T

const k = 3
const f = 2.5
const d time.Duration = 5

var n Alias

func g(s string, c Celsius) {
	type Local uint16
	x := 10
	_ = []any{int8(10), 10, 'a', 1.5, ID(3), time.Duration(5), k, f, d, n, x, s, len(s), Celsius(1), c, Local(2), 1 << 3, x * 2, Temp(1)}
}
`;
  it('underlying: through aliases and definitions, to a predeclared type', () => {
    assert.deepStrictEqual(
      ask(src, (m) => ['Temp', 'Alias', 'ID', 'Pair', 'List', 'time.Duration', 'int', '*ID', 'Local'].map((t) => m.underlying(t))),
      ['float64', 'int8', 'int8', undefined, undefined, 'int64', 'int', '*ID', undefined],
    );
    assert.strictEqual(
      ask(src, (m, at) => m.underlying('Local', at('x := 10'))),
      'uint16',
      "a function's own type, named inside it",
    );
  });
  it('isInteger: literals, conversions, constants, variables and results of integer types', () => {
    const got = ask(src, (m, at) => {
      const list = at('[]any{', '[]any').parent!.childForFieldName('body')!;
      return list.namedChildren.map((e) => [e!.text, m.isInteger(e!.namedChild(0) ?? e!)]);
    });
    assert.deepStrictEqual(Object.fromEntries(got), {
      'int8(10)': true,
      '10': true,
      "'a'": true,
      '1.5': false,
      'ID(3)': true,
      'time.Duration(5)': true,
      k: true,
      f: false,
      d: true,
      n: true,
      x: true,
      s: false,
      'len(s)': true,
      'Celsius(1)': false,
      c: false,
      'Local(2)': true,
      '1 << 3': true,
      'x * 2': true,
      'Temp(1)': false,
    });
  });
  it('conversions and constants', () => {
    assert.deepStrictEqual(
      ask(src, (m, at) => [
        m.conversionType(at('int8(10)', 'int8')),
        m.conversionType(at('Temp(1)', 'Temp')),
        m.exactTypeOf(at('ID(3)')),
        m.isConstant(at('ID(3)')),
        m.isConstant(at('x * 2')),
      ]),
      ['int8', 'Celsius', 'ID', true, false],
    );
  });
});

describe('go model: struct fields, and the reads answers record', () => {
  const src = `package p

import "sync"

type Server struct {
	mu, other sync.Mutex
	*sync.WaitGroup
	names map[string]int
	Pair
}

type Pair struct{ a, b int }

func run(s *Server) {
	type hidden struct{ n int }
	_ = s.names
	_ = s.mu
}
`;
  it('fieldsOf: named, embedded and unnamed types, and structs declared in a function', () => {
    assert.deepStrictEqual(
      ask(src, (m) => m.fieldsOf('Server')),
      [
        { name: 'mu', type: 'sync.Mutex', written: 'sync.Mutex', embedded: false },
        { name: 'other', type: 'sync.Mutex', written: 'sync.Mutex', embedded: false },
        { name: 'WaitGroup', type: '*sync.WaitGroup', written: '*sync.WaitGroup', embedded: true },
        { name: 'names', type: undefined, written: 'map[string]int', embedded: false },
        { name: 'Pair', type: 'Pair', written: 'Pair', embedded: true },
      ],
    );
    assert.deepStrictEqual(
      ask(src, (m) => m.fieldsOf('hidden').map((f) => [f.name, f.type])),
      [['n', 'int']],
    );
    assert.deepStrictEqual(
      ask(src, (m, at) => [m.exactTypeOf(at('s.mu')), m.exactTypeOf(at('s.names'))]),
      ['sync.Mutex', undefined],
    );
  });
  it("records a read of the struct type's definition, and none for lookups inside a function or at package level", () => {
    const reads = (f: (m: GoModel, at: At) => unknown) =>
      ask(src, (m, at) => {
        const into = new Set<string>();
        recordReadsInto(into);
        try {
          f(m, at);
        } finally {
          recordReadsInto(undefined);
        }
        return [...into].sort();
      });
    assert.deepStrictEqual(
      reads((m) => m.fieldsOf('Server')),
      [`${DEFINITION}Server`],
    );
    assert.deepStrictEqual(
      reads((m, at) => m.exactTypeOf(at('s.mu'))),
      [`${DEFINITION}Server`],
    );
    assert.deepStrictEqual(
      reads((m, at) => [
        m.bindingAt('s', at('s.names', 's')),
        m.resolve(at('other sync.Mutex', 'sync.Mutex')),
        m.lookup('Pair', at('s.mu')),
        m.underlying('Pair'),
        m.isInteger(at('s.names', 's')),
      ]),
      [],
    );
  });
});
