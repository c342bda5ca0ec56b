// Ground truth for the version-gated Go rules: small Go programs, one per gated construct and spelling, compiled
// at several `go` lines with the installed toolchain (which enforces the module's language version, and whose vet
// reports standard-library API newer than it). Each rule must report exactly where the toolchain rejects the
// construct for its gate, and nowhere else. The spellings the rule knowingly misses are listed as data, with the
// reason, and checked to be real misses (rejected, not flagged) so that the list stays honest. All cases of one go
// line are packages of one module, vetted by one `go vet ./...`; the go lines run side by side. Without a Go 1.22
// or later toolchain the suite is skipped (pending). VERSION_GATES_MATRIX=1 prints the case matrix.
import * as assert from 'assert';
import { execFileSync, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { analyzeSource, fixSource, initEngine } from '../server/src/engine';
import { applyEdits } from '../analysis/fixes';
import { goVersionFor, parseGoDirective } from '../server/src/workspace/gomod';
import { LineIndex } from '../analysis/text';
import { atLeast } from '../analysis/types';

type Construct = 'range-int' | 'range-func' | 'waitgroup-go';

interface Case {
  construct: Construct;
  spelling: string;
  /** Go source after the package clause; the construct's line ends with `// gate`. */
  code: string;
  /** Knowingly not caught: why the file does not show the rule what it needs. */
  missed?: string;
  /** Rejected at every go line for a reason other than the gate (must never be flagged). */
  invalid?: string;
  /** A `//go:build` expression for the file, whose Go version (if it implies one) overrides the module's. */
  build?: string;
}

/** The rule that gates each construct (range over a function has none yet: range-int must stay silent on it). */
const RULE: Record<Construct, string> = {
  'range-int': 'go/range-int-unavailable',
  'range-func': 'go/range-int-unavailable',
  'waitgroup-go': 'go/waitgroup-go-unavailable',
};
/** The toolchain's message when it rejects the construct for its gate (range over an int: the compiler; WaitGroup.Go: vet's stdversion). */
const GATE_ERROR: Record<Construct, RegExp> = {
  'range-int': /cannot range over .*: requires go1\.22 or later/,
  'range-func': /cannot range over .*: requires go1\.23 or later/,
  'waitgroup-go': /\bGo requires go1\.25 or later/,
};

/** The Go version from which each construct is valid. */
const VALID_FROM: Record<Construct, string> = { 'range-int': '1.22', 'range-func': '1.23', 'waitgroup-go': '1.25' };

/** The go lines every case is compiled at (those above the installed toolchain are left out). */
const GO_LINES = ['1.21', '1.21.0', '1.22', '1.22.0', '1.23', '1.24', '1.24.0', '1.25', '1.25.0'];

function imports(list: string[]): string {
  if (!list.length) return '';
  return list.length === 1 ? `import ${list[0]}\n\n` : `import (\n${list.map((l) => `\t${l}\n`).join('')})\n\n`;
}

/** `for i := range <expr>` in a function `f(<params>)`, after `setup` lines, with top-level `decls`. */
function ranged(
  construct: Construct,
  spelling: string,
  expr: string,
  o: { params?: string; setup?: string[]; decls?: string; imports?: string[]; missed?: string; invalid?: string; header?: string } = {},
): Case {
  const setup = (o.setup ?? []).map((l) => `\t${l}\n`).join('');
  const code = `${imports(o.imports ?? [])}${o.decls ? `${o.decls}\n\n` : ''}func f${o.header ?? ''}(${o.params ?? ''}) {\n${setup}\tfor i := range ${expr} { // gate\n\t\t_ = i\n\t}\n}\n`;
  return { construct, spelling, code, missed: o.missed, invalid: o.invalid };
}
const int = (spelling: string, expr: string, o?: Parameters<typeof ranged>[3]) => ranged('range-int', spelling, expr, o);

const CASES: Case[] = [
  // Integer literals and constants.
  int('decimal literal', '10'),
  int('hex literal', '0x0A'),
  int('octal literal (0o)', '0o12'),
  int('octal literal (legacy 0)', '012'),
  int('binary literal', '0b1010'),
  int('literal with underscores', '1_000'),
  int('rune literal', "'a'"),
  int('rune escape', "'\\x03'"),
  int('negative literal', '-1'),
  int('parenthesized literal', '(10)'),
  int('untyped package constant', 'n', { decls: 'const n = 10' }),
  int('untyped local constant', 'k', { setup: ['const k = 4'] }),
  int('typed constant int64', 'm', { decls: 'const m int64 = 3' }),
  int('typed constant by conversion', 'm', { decls: 'const m = uint8(3)' }),
  int('iota', 'c', { decls: 'const (\n\ta = iota\n\tb\n\tc\n)' }),
  int('typed iota, repeated spec', 'y', { decls: 'type T uint\n\nconst (\n\tx T = iota + 1\n\ty\n)' }),
  int('rune constant', 'r', { decls: "const r = 'x'" }),
  int('constant of a constant expression', 'e', { decls: 'const n = 10\n\nconst e = n * 2' }),
  // Untyped constant expressions.
  int('constant shift 1 << 3', '1 << 3'),
  int('constant times literal n * 2', 'n * 2', { decls: 'const n = 10' }),
  int('len of a constant string', 'len("abc")'),
  int('constant division 10 / 3', '10 / 3'),
  int("rune plus int 'a' + 1", "'a' + 1"),
  int('nested constant expression', '(2 + 3) * 4'),
  int('negated constant', '-n', { decls: 'const n = 10' }),
  int('complement of a constant', '^n', { decls: 'const n = -4' }),
  int('typed constant shift', 'm << 2', { decls: 'const m int64 = 3' }),
  // Conversions.
  int('conversion int8(10)', 'int8(10)'),
  int('conversion uint(n) of a param', 'uint(n)', { params: 'n int' }),
  int('conversion byte(x)', 'byte(x)', { params: 'x int' }),
  int('conversion uintptr(4)', 'uintptr(4)'),
  int('conversion rune(5)', 'rune(5)'),
  int('conversion int64(len(s))', 'int64(len(s))', { params: 's []string' }),
  int('parenthesized type conversion (int)(3)', '(int)(3)'),
  int('conversion to a named type T(3)', 'T(3)', { decls: 'type T uint' }),
  int('conversion time.Duration(3)', 'time.Duration(3)', { imports: ['"time"'] }),
  int('conversion through an aliased import', 't.Duration(3)', { imports: ['t "time"'] }),
  int('conversion through a dot import', 'Duration(3)', { imports: ['. "time"'] }),
  // Named integer types.
  int('var of a named type T uint', 'v', { decls: 'type T uint', setup: ['var v T = 3'] }),
  int('param of a named type', 'v', { decls: 'type T uint', params: 'v T' }),
  int('named type of a named type (type U T)', 'v', { decls: 'type T uint\n\ntype U T', params: 'v U' }),
  int('field of a named type', 's.n', { decls: 'type T uint\n\ntype S struct{ n T }', params: 's S' }),
  int('alias type A = int', 'a', { decls: 'type A = int', params: 'a A' }),
  int('alias of a named type', 'b', { decls: 'type T uint\n\ntype B = T', params: 'b B' }),
  int('local named type', 'v', { setup: ['type L int8', 'var v L = 2'] }),
  int('named type on time.Duration', 'd', { decls: 'type D time.Duration', imports: ['"time"'], params: 'd D' }),
  int('time.Duration value', 'd', { imports: ['"time"'], params: 'd time.Duration' }),
  int('result of a named type', 'g()', { decls: 'type T uint\n\nfunc g() T { return 2 }' }),
  // Variables, parameters and results.
  int('int param', 'n', { params: 'n int' }),
  int('uint64 param', 'n', { params: 'n uint64' }),
  int('int32 param', 'n', { params: 'n int32' }),
  int('one of several params', 'b', { params: 'a, b int' }),
  { construct: 'range-int', spelling: 'named result', code: 'func f() (n int) {\n\tn = 3\n\tfor i := range n { // gate\n\t\t_ = i\n\t}\n\treturn\n}\n' },
  int('short var x := 5', 'x', { setup: ['x := 5'] }),
  int('var x = 5', 'x', { setup: ['var x = 5'] }),
  int('var x int = 3', 'x', { setup: ['var x int = 3'] }),
  int('typed var from a conversion', 'x', { setup: ['x := int16(2)'] }),
  int('var of a var', 'y', { params: 'n int', setup: ['y := n'] }),
  int('package-level var', 'total', { decls: 'var total int' }),
  int('one of two results', 'x', { decls: 'func two() (int, string) { return 1, "" }', setup: ['x, s := two()', '_ = s'] }),
  int('typed operation n + 1', 'n + 1', { params: 'n int' }),
  int('typed operation a * b', 'a * b', { params: 'a, b int8' }),
  int('rune var', 'r', { params: 'r rune' }),
  int('byte of a []byte', 'b[0]', { params: 'b []byte' }),
  int('byte of a string', 's[0]', { params: 's string' }),
  // len and cap.
  int('len of a slice', 'len(s)', { params: 's []int' }),
  int('cap of a slice', 'cap(s)', { params: 's []int' }),
  int('len of a map', 'len(m)', { params: 'm map[string]int' }),
  int('len of a string', 'len(s)', { params: 's string' }),
  int('len of an array', 'len(a)', { params: 'a [4]int' }),
  int('len of a channel', 'len(c)', { params: 'c chan int' }),
  // Calls.
  int('function returning int', 'count()', { decls: 'func count() int { return 3 }' }),
  int('method returning int', 'c.Len()', { decls: 'type C struct{}\n\nfunc (C) Len() int { return 3 }', params: 'c C' }),
  int('method through a pointer receiver', 'c.Len()', { decls: 'type C struct{}\n\nfunc (*C) Len() int { return 3 }', params: 'c *C' }),
  int('function value', 'g()', { setup: ['g := func() int { return 2 }'] }),
  int('function-typed var', 'g()', { params: 'g func() int' }),
  int('immediately called literal', 'func() int { return 2 }()'),
  int('strings.Count', 'strings.Count("aa", "a")', { imports: ['"strings"'] }),
  int('strconv.Atoi result', 'n', { imports: ['"strconv"'], setup: ['n, err := strconv.Atoi("3")', '_ = err'] }),
  int('unsafe.Sizeof', 'unsafe.Sizeof(x)', { imports: ['"unsafe"'], params: 'x int' }),
  int('min of ints (Go 1.21)', 'min(3, n)', { params: 'n int' }),
  // Struct fields.
  int('struct field', 's.n', { decls: 'type S struct{ n int }', params: 's S' }),
  int('field through a pointer', 'p.n', { decls: 'type S struct{ n int }', params: 'p *S' }),
  int('nested field', 'o.in.n', { decls: 'type In struct{ n int }\n\ntype Out struct{ in In }', params: 'o Out' }),
  // Integers the rule cannot see.
  int('call into another package', 'strings.LastIndex("ab", "b")', {
    imports: ['"strings"'],
    missed: 'a function of another package (outside the few standard ones GoFacts knows): its result type is not in this file',
  }),
  int('constant of another package', 'math.MaxInt8', { imports: ['"math"'], missed: 'a constant declared in another package' }),
  int('type parameter ~int', 'n', {
    header: '[N ~int]',
    params: 'n N',
    missed: "a type parameter: what it ranges over depends on its constraint's type set, which the rule does not work out",
  }),
  int('element of a []int', 'xs[0]', { params: 'xs []int', missed: 'element types of slices (other than []byte) and arrays are not tracked' }),
  int('map value', 'm["k"]', { params: 'm map[string]int', missed: 'map value types are not tracked' }),
  int('channel receive', '<-c', { params: 'c chan int', missed: 'channel element types are not tracked' }),
  {
    construct: 'range-int',
    spelling: 'index variable of a range over a slice',
    code: 'func f(s []string) {\n\tfor j := range s {\n\t\tfor i := range j { // gate\n\t\t\t_ = i\n\t\t}\n\t}\n}\n',
    missed: 'the index of a range over a slice is an int, but range variables are given no type',
  },
  int('non-constant shift 1 << s', '1 << s', {
    params: 's uint',
    missed: 'a shift by a variable: the type of its untyped left operand comes from the context (int here), which the rule does not reason about',
  }),
  int('promoted field', 'o.n', {
    decls: 'type In struct{ n int }\n\ntype Out struct{ In }',
    params: 'o Out',
    missed: 'fields promoted through an embedded struct are not looked up',
  }),
  int('method of a type of another package', 'b.Len()', {
    imports: ['"strings"'],
    params: 'b *strings.Builder',
    missed: 'methods of types of other packages are not known',
  }),
  int('generic function result', 'id(3)', {
    decls: 'func id[T any](x T) T { return x }',
    missed: 'the result of a generic function depends on its type arguments',
  }),
  // Not integers: never flagged.
  int('slice', 's', { params: 's []int' }),
  int('map', 'm', { params: 'm map[string]int' }),
  int('string var', 's', { params: 's string' }),
  int('string literal', '"abc"'),
  int('channel', 'c', { params: 'c chan int' }),
  int('array', 'a', { params: 'a [3]int' }),
  int('pointer to an array', '&a', { setup: ['var a [3]int'] }),
  int('new pointer to an array', 'new([3]int)'),
  int('named slice type', 'v', { decls: 'type Ints []int', params: 'v Ints' }),
  int('[]byte conversion', '[]byte("x")'),
  int('slice literal', '[]int{1, 2}'),
  int('float constant 1.5', '1.5', { invalid: 'cannot range over a float constant' }),
  int('float constant with an integer value 3.0', '3.0', { invalid: 'a float constant is not an integer, whatever its value' }),
  int('float constant expression 2 * 1.5', '2 * 1.5', { invalid: 'an untyped float constant' }),
  int('float var', 'x', { params: 'x float64', invalid: 'cannot range over a float64' }),
  int('named float type', 'x', { decls: 'type F float64', params: 'x F', invalid: 'cannot range over a float type' }),
  int('complex constant', '1i', { invalid: 'cannot range over a complex constant' }),
  int('pointer to an int', 'p', { params: 'p *int', invalid: 'cannot range over a pointer to an int' }),
  int('address of an int', '&x', { params: 'x int', invalid: 'cannot range over a pointer to an int' }),
  int('bool', 'true', { invalid: 'cannot range over a bool' }),
  // A //go:build line with a Go version sets the file's language version, above or below the module's go line.
  { ...int('file at go1.22 by //go:build (upgrade)', 'n', { params: 'n int' }), build: 'go1.22' },
  { ...int('file at go1.21 by //go:build (downgrade)', 'n', { params: 'n int' }), build: 'go1.21' },
  { ...int('//go:build !tag && go1.22', 'n', { params: 'n int' }), build: '!hotspots_never && go1.22' },
  { ...int('//go:build go1.21 || go1.22 (the lesser)', 'n', { params: 'n int' }), build: 'go1.21 || go1.22' },
  { ...int('//go:build with no version', 'n', { params: 'n int' }), build: '!hotspots_never' },
  // Range over functions: Go 1.23, another gate; range-int must stay silent on them.
  ranged('range-func', 'func(yield func(int) bool)', 'seq', { params: 'seq func(yield func(int) bool)' }),
  { construct: 'range-func', spelling: 'func(yield func() bool)', code: 'func f(seq func(yield func() bool)) {\n\tfor range seq { // gate\n\t}\n}\n' },
  {
    construct: 'range-func',
    spelling: 'func(yield func(K, V) bool)',
    code: 'func f(seq func(yield func(string, int) bool)) {\n\tfor k, v := range seq { // gate\n\t\t_, _ = k, v\n\t}\n}\n',
  },
  ranged('range-func', 'named iterator type', 'seq', { decls: 'type Seq func(yield func(int) bool)', params: 'seq Seq' }),
];

/** `wg.Go(…)` cases: `code` is the body of `f`, after the declarations. */
function wg(spelling: string, body: string[], o: { decls?: string; imports?: string[]; params?: string; missed?: string; invalid?: string } = {}): Case {
  const code = `${imports(o.imports ?? ['"sync"'])}${o.decls ? `${o.decls}\n\n` : ''}func f(${o.params ?? ''}) {\n${body.map((l) => `\t${l}\n`).join('')}}\n`;
  return { construct: 'waitgroup-go', spelling, code, missed: o.missed, invalid: o.invalid };
}
CASES.push(
  wg('var wg sync.WaitGroup', ['var wg sync.WaitGroup', 'wg.Go(func() {}) // gate', 'wg.Wait()']),
  wg('wg := &sync.WaitGroup{}', ['wg := &sync.WaitGroup{}', 'wg.Go(func() {}) // gate', 'wg.Wait()']),
  wg('wg := new(sync.WaitGroup)', ['wg := new(sync.WaitGroup)', 'wg.Go(func() {}) // gate', 'wg.Wait()']),
  wg('pointer param', ['wg.Go(work) // gate'], { params: 'wg *sync.WaitGroup, work func()' }),
  wg('struct field', ['p.wg.Go(func() {}) // gate', 'p.wg.Wait()'], { decls: 'type pool struct{ wg sync.WaitGroup }', params: 'p *pool' }),
  wg('pointer field', ['p.wg.Go(func() {}) // gate'], { decls: 'type pool struct{ wg *sync.WaitGroup }', params: 'p pool' }),
  wg('alias type G = sync.WaitGroup', ['var g G', 'g.Go(func() {}) // gate', 'g.Wait()'], { decls: 'type G = sync.WaitGroup' }),
  wg('alias of a pointer', ['var g PG = new(sync.WaitGroup)', 'g.Go(func() {}) // gate'], { decls: 'type PG = *sync.WaitGroup' }),
  wg('embedded in a local struct type', ['type pool struct{ sync.WaitGroup }', 'var p pool', 'p.Go(func() {}) // gate', 'p.Wait()']),
  wg('pointer embedded in a local struct type', ['type pool struct{ *sync.WaitGroup }', 'p := pool{new(sync.WaitGroup)}', 'p.Go(func() {}) // gate']),
  wg('aliased import s "sync"', ['var wg s.WaitGroup', 'wg.Go(func() {}) // gate', 'wg.Wait()'], { imports: ['s "sync"'] }),
  wg('dot import . "sync"', ['var wg WaitGroup', 'wg.Go(func() {}) // gate', 'wg.Wait()'], { imports: ['. "sync"'] }),
  wg('result of a function of this file', ['wg := newWG()', 'wg.Go(func() {}) // gate', 'wg.Wait()'], {
    decls: 'func newWG() *sync.WaitGroup { return new(sync.WaitGroup) }',
  }),
  wg('a call as receiver', ['newWG().Go(func() {}) // gate'], { decls: 'func newWG() *sync.WaitGroup { return new(sync.WaitGroup) }' }),
  wg('parenthesized receiver', ['var wg sync.WaitGroup', '(&wg).Go(func() {}) // gate', 'wg.Wait()']),
  wg('in a defer statement', ['var wg sync.WaitGroup', 'defer wg.Wait()', 'defer wg.Go(func() {}) // gate']),
  wg('in a go statement', ['var wg sync.WaitGroup', 'go wg.Go(func() {}) // gate', 'wg.Wait()']),
  wg('embedded in a package-level struct type', ['var p pool', 'p.Go(func() {}) // gate', 'p.Wait()'], {
    decls: 'type pool struct{ sync.WaitGroup }',
    missed: 'another file of the package may declare a Go method on a package-level type, which would take the place of the promoted one',
  }),
  wg('method value', ['var wg sync.WaitGroup', 'g := wg.Go // gate', 'g(func() {})', 'wg.Wait()'], {
    missed: 'a method value, not a call: the rule looks at calls',
  }),
  wg('method expression', ['var wg sync.WaitGroup', '(*sync.WaitGroup).Go(&wg, func() {}) // gate', 'wg.Wait()'], {
    missed: 'a method expression: its receiver is a type, which the rule does not look at',
  }),
  wg('embedded twice over', ['type inner struct{ sync.WaitGroup }', 'type outer struct{ inner }', 'var p outer', 'p.Go(func() {}) // gate', 'p.Wait()'], {
    missed: 'promotion through more than one level of embedding is not followed',
  }),
  { ...wg('file at go1.25 by //go:build (upgrade)', ['var wg sync.WaitGroup', 'wg.Go(func() {}) // gate', 'wg.Wait()']), build: 'go1.25' },
  { ...wg('file at go1.24 by //go:build (downgrade)', ['var wg sync.WaitGroup', 'wg.Go(func() {}) // gate', 'wg.Wait()']), build: 'go1.24' },
  // Not a WaitGroup.Go: never flagged.
  wg('a type of this file with its own Go', ['var r runner', 'r.Go(func() {}) // gate'], {
    imports: [],
    decls: 'type runner struct{}\n\nfunc (runner) Go(f func()) { f() }',
  }),
  wg('a struct embedding a WaitGroup with its own Go', ['var p pool', 'p.Go(func() {}) // gate', 'p.Wait()'], {
    decls: 'type pool struct{ sync.WaitGroup }\n\nfunc (p *pool) Go(f func()) { f() }',
  }),
  wg('an interface with a Go method', ['r.Go(func() {}) // gate'], { imports: [], params: 'r interface{ Go(func()) }' }),
  wg('a defined type on sync.WaitGroup', ['var g G', 'g.Go(func() {}) // gate'], {
    decls: 'type G sync.WaitGroup',
    invalid: 'a defined type does not inherit the methods of its underlying type',
  }),
  wg('a pointer to a pointer', ['wg := new(sync.WaitGroup)', 'pp := &wg', 'pp.Go(func() {}) // gate'], { invalid: 'a **WaitGroup has no methods' }),
);

interface Diagnostic {
  line: number;
  message: string;
}
interface Outcome {
  errors: Diagnostic[];
  gate: boolean;
  flagged: boolean;
}
/** A fixed source, compiled once, at the lowest go line where the fix was offered. */
interface FixCheck {
  text: string;
  line: string;
  errors: Diagnostic[];
}

const gateLine = (code: string) => code.split('\n').findIndex((l) => l.includes('// gate'));
const pkg = (i: number) => `p${String(i).padStart(3, '0')}`;
const fixPkg = (i: number) => `x${String(i).padStart(3, '0')}`;
const ENV = { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '-mod=mod', GOPROXY: 'off', GOWORK: 'off' };

/** The go command the tests use (scripts/go-toolchain.sh when present, else the one on PATH), with its version. */
function findGo(): { go: string; version: string } | undefined {
  const candidates: string[] = [];
  const script = path.join(__dirname, '..', 'scripts', 'go-toolchain.sh');
  if (fs.existsSync(script)) {
    try {
      candidates.push(execFileSync('bash', [script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
    } catch {
      /* none */
    }
  }
  candidates.push('go');
  for (const go of candidates) {
    try {
      const m = /go(\d+)\.(\d+)/.exec(execFileSync(go, ['env', 'GOVERSION'], { encoding: 'utf8', env: ENV }));
      if (m) return { go, version: `${m[1]}.${m[2]}` };
    } catch {
      /* try the next */
    }
  }
  return undefined;
}

/** The source of case `i` in its own package. */
const sourceOf = (i: number) => `${CASES[i].build ? `//go:build ${CASES[i].build}\n\n` : ''}package ${pkg(i)}\n\n${CASES[i].code}`;

/**
 * Writes a module at `goLine` with one package per source, runs `go vet ./...` once (type errors, then vet's
 * analyzers, stdversion among them), and returns the diagnostics per package.
 */
async function vetModule(go: string, goLine: string, sources: Map<string, string>): Promise<Map<string, Diagnostic[]>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotspots-gates-'));
  try {
    fs.writeFileSync(path.join(dir, 'go.mod'), `module example.com/gates\n\ngo ${goLine}\n`);
    for (const [p, text] of sources) {
      fs.mkdirSync(path.join(dir, p));
      fs.writeFileSync(path.join(dir, p, 'case.go'), text);
    }
    const { status, output } = await new Promise<{ status: number | null; output: string }>((resolve, reject) => {
      const child = spawn(go, ['vet', './...'], { cwd: dir, env: ENV });
      let output = '';
      child.stdout.on('data', (d) => {
        output += d;
      });
      child.stderr.on('data', (d) => {
        output += d;
      });
      child.on('error', reject);
      child.on('close', (code) => resolve({ status: code, output }));
    });
    const out = new Map<string, Diagnostic[]>();
    for (const line of output.split('\n')) {
      const m = /(?:^|\s)(?:\.\/)?([px]\d{3})\/case\.go:(\d+):\d+: (.*)$/.exec(line);
      if (!m) continue;
      const l = out.get(m[1]) ?? [];
      l.push({ line: Number(m[2]) - 1, message: m[3] });
      out.set(m[1], l);
    }
    if (status !== 0 && !out.size) throw new Error(`go vet failed without diagnostics at go ${goLine}:\n${output}`);
    return out;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function lineOf(text: string, offset: number): number {
  return new LineIndex(text).position(offset).line;
}

describe('version gates: ground truth from the Go toolchain', function () {
  this.timeout(180_000);
  let tool: { go: string; version: string };
  let lines: string[];
  /** Outcome per case index and go line. */
  const results = new Map<string, Outcome>();
  const key = (i: number, line: string) => `${i}@${line}`;
  const fixChecks: FixCheck[] = [];

  before(async function () {
    const found = findGo();
    if (!found || !atLeast(found.version, '1.22')) {
      console.log(
        `      version gates: skipped, no Go 1.22 or later toolchain (${found ? `found go ${found.version} at ${found.go}` : 'no go command found'}); scripts/go-toolchain.sh --install installs one`,
      );
      this.skip();
    }
    tool = found!;
    await initEngine();
    lines = GO_LINES.filter((l) => atLeast(tool.version, parseGoDirective(`go ${l}`)!));
    // The rules first, at each line (as the go.mod parser reads it); then one vet per line, all lines at once.
    const modules = lines.map((line) => {
      const target = parseGoDirective(`go ${line}`)!;
      const sources = new Map<string, string>();
      CASES.forEach((c, i) => {
        const src = sourceOf(i);
        const findings = analyzeSource(src, 'go', { targetVersion: target }).filter((f) => f.rule === RULE[c.construct]);
        const gl = gateLine(src);
        const flagged = findings.some((f) => lineOf(src, f.start) === gl);
        const edits = findings.find((f) => f.fix)?.fix?.edits;
        const text = edits ? applyEdits(src, edits) : undefined;
        if (text && !fixChecks.some((x) => x.text === text)) {
          fixChecks.push({ text, line, errors: [] });
          sources.set(fixPkg(fixChecks.length - 1), text.replace(`package ${pkg(i)}`, `package ${fixPkg(fixChecks.length - 1)}`));
        }
        results.set(key(i, line), { errors: [], gate: false, flagged });
        sources.set(pkg(i), src);
      });
      return { line, sources };
    });
    const t0 = Date.now();
    const diags = await Promise.all(modules.map((m) => vetModule(tool.go, m.line, m.sources)));
    if (process.env.VERSION_GATES_MATRIX)
      console.log(`      ${modules.length} go lines, ${modules.reduce((n, m) => n + m.sources.size, 0)} packages vetted in ${Date.now() - t0} ms`);
    modules.forEach(({ line }, k) => {
      CASES.forEach((c, i) => {
        const r = results.get(key(i, line))!;
        r.errors = diags[k].get(pkg(i)) ?? [];
        const gl = gateLine(sourceOf(i));
        r.gate = r.errors.some((d) => d.line === gl && GATE_ERROR[c.construct].test(d.message));
      });
      fixChecks.forEach((x, j) => {
        if (x.line === line) x.errors = diags[k].get(fixPkg(j)) ?? [];
      });
    });
    if (process.env.VERSION_GATES_MATRIX) console.log(matrix());
  });

  /** The case matrix: construct, spelling, and per go line the toolchain's verdict / the rule's. */
  function matrix(): string {
    const head = ['construct', 'spelling', ...lines.map((l) => `go ${l}`), 'note'];
    const rows = CASES.map((c, i) => [
      c.construct,
      c.spelling,
      ...lines.map((l) => {
        const r = results.get(key(i, l))!;
        const compiler = r.gate ? 'rejects' : r.errors.length ? 'error' : 'ok';
        return `${compiler}/${r.flagged ? 'FLAG' : '-'}`;
      }),
      c.missed ? `missed: ${c.missed}` : c.invalid ? `invalid: ${c.invalid}` : '',
    ]);
    return [head, ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
  }

  const rows = (construct: Construct[]) => CASES.map((c, i) => ({ c, i })).filter(({ c }) => construct.includes(c.construct));

  function exactly(construct: Construct[]) {
    const wrong: string[] = [];
    for (const { c, i } of rows(construct)) {
      if (c.missed) continue;
      for (const line of lines) {
        const r = results.get(key(i, line))!;
        // Range over a function has no rule of its own yet: range-int must stay silent on it at every line.
        const expected = c.construct === 'range-func' ? false : r.gate;
        if (expected !== r.flagged)
          wrong.push(
            `${c.construct} / ${c.spelling} / go ${line}: the toolchain ${r.gate ? 'rejects it for the gate' : `accepts it for the gate${r.errors.length ? ` (other errors: ${r.errors.map((e) => e.message).join('; ')})` : ''}`}, the rule ${r.flagged ? 'reports it' : 'is silent'}`,
          );
      }
    }
    assert.deepStrictEqual(wrong, []);
  }

  it('go/range-int-unavailable reports exactly where the compiler rejects range over an integer (and never on range over a function)', () => {
    exactly(['range-int', 'range-func']);
    // The gate is real: at go 1.21 every spelling caught is rejected, at 1.22 none is.
    const caught = rows(['range-int']).filter(({ c }) => !c.missed && !c.invalid && results.get(key(CASES.indexOf(c), lines[0]))!.gate);
    assert.ok(caught.length >= 70, `${caught.length} integer spellings caught`);
  });

  it('go/waitgroup-go-unavailable reports exactly where vet rejects WaitGroup.Go as newer than the go line', function () {
    if (!atLeast(tool.version, '1.25')) {
      console.log(`      version gates: WaitGroup.Go needs a Go 1.25 toolchain to check against (found ${tool.version})`);
      this.skip();
    }
    exactly(['waitgroup-go']);
  });

  it('the spellings knowingly not caught are real misses: rejected below the gate, never reported', function () {
    const missed = CASES.map((c, i) => ({ c, i })).filter(({ c }) => c.missed && (c.construct !== 'waitgroup-go' || atLeast(tool.version, '1.25')));
    assert.ok(missed.length >= 10);
    const wrong: string[] = [];
    for (const { c, i } of missed) {
      const at = lines.map((l) => results.get(key(i, l))!);
      if (!at.some((r) => r.gate)) wrong.push(`${c.spelling}: the toolchain never rejects it for the gate, so it is no miss`);
      if (at.some((r) => r.flagged)) wrong.push(`${c.spelling}: reported, so it is caught: take it off the list`);
    }
    assert.deepStrictEqual(wrong, []);
  });

  it('every case is valid Go at the newest go line, except those rejected at every line for another reason', function () {
    const newest = lines[lines.length - 1];
    const wrong: string[] = [];
    CASES.forEach((c, i) => {
      // With an older toolchain the newest line may still be below the construct's version; a //go:build line may pin another.
      if (!atLeast(parseGoDirective(`go ${newest}`), VALID_FROM[c.construct]) || c.build) return;
      const r = results.get(key(i, newest))!;
      if (c.invalid) {
        for (const line of lines) {
          const at = results.get(key(i, line))!;
          if (!at.errors.length || at.gate)
            wrong.push(`${c.spelling} at go ${line}: expected a non-gate error (${c.invalid}), got ${at.errors.map((e) => e.message).join('; ') || 'none'}`);
        }
      } else if (r.errors.length) {
        wrong.push(`${c.spelling} at go ${newest}: ${r.errors.map((e) => e.message).join('; ')}`);
      }
    });
    assert.deepStrictEqual(wrong, []);
  });

  it('each fix offered compiles and vets at the lowest go line it was offered for, gofmt-clean', function () {
    const checked = fixChecks;
    assert.ok(checked.length >= 80, `${checked.length} distinct fixes checked`);
    assert.deepStrictEqual(
      checked.filter((x) => x.errors.length).map((x) => `at go ${x.line}: ${x.errors.map((e) => e.message).join('; ')}\n${x.text}`),
      [],
    );
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotspots-gates-fmt-'));
    try {
      const files = checked.map((x, j) => {
        const f = path.join(dir, `${fixPkg(j)}.go`);
        fs.writeFileSync(f, x.text);
        return f;
      });
      const gofmt = path.join(path.dirname(tool.go), 'gofmt');
      const out = execFileSync(fs.existsSync(gofmt) ? gofmt : 'gofmt', ['-l', ...files], { encoding: 'utf8' }).trim();
      assert.strictEqual(out, '', `not gofmt-clean:\n${out}`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('range-int fix guard: run before and after, a safe rewrite keeps what the code computes, and the = form that differs is unsafe', function () {
    // The fixture's Final* functions return what their loop leaves; before: ranging over an int (go 1.22), after:
    // the rule's rewrite run with Go 1.21's semantics (a `//go:build go1.21` file: one variable per three-clause loop).
    const fixture = path.join(__dirname, 'fixtures', 'go', 'range-int-unavailable.go');
    const text = fs.readFileSync(fixture, 'utf8');
    const target = goVersionFor(fixture)!;
    const findings = analyzeSource(text, 'go', { targetVersion: target }).filter((f) => f.rule === 'go/range-int-unavailable');
    const fixed = fixSource(text, 'go', { unsafe: true, only: 'go/range-int-unavailable', targetVersion: target }).text;
    const names = [...text.matchAll(/^func (Final\w+)\(\)/gm)].map((m) => ({ name: m[1], at: m.index! }));
    assert.ok(names.length >= 6, 'the fixture has Final* cases');
    const applicability = new Map<string, string>();
    for (const { name, at } of names) {
      const end = text.indexOf('\n}\n', at);
      const inside = findings.filter((f) => f.start > at && f.start < end);
      assert.strictEqual(inside.length, 1, `${name}: one finding`);
      assert.ok(inside[0].fix, `${name}: a fix`);
      applicability.set(name, inside[0].fix!.applicability);
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotspots-guard-'));
    try {
      fs.writeFileSync(path.join(dir, 'go.mod'), 'module example.com/guard\n\ngo 1.22\n');
      for (const [p, t] of [
        ['before', text],
        ['after', `//go:build go1.21\n\n${fixed}`],
      ]) {
        fs.mkdirSync(path.join(dir, p));
        fs.writeFileSync(path.join(dir, p, 'cases.go'), t);
      }
      fs.mkdirSync(path.join(dir, 'cmd'));
      fs.writeFileSync(
        path.join(dir, 'cmd', 'main.go'),
        `package main\n\nimport (\n\t"fmt"\n\n\tafter "example.com/guard/after"\n\tbefore "example.com/guard/before"\n)\n\nfunc main() {\n${names.map(({ name }) => `\tfmt.Printf("%s\\t%v\\t%v\\n", "${name}", before.${name}(), after.${name}())\n`).join('')}}\n`,
      );
      const r = spawnSync(tool.go, ['run', './cmd'], { cwd: dir, encoding: 'utf8', env: ENV });
      assert.strictEqual(r.status, 0, r.stderr);
      const table = r.stdout
        .trim()
        .split('\n')
        .map((l) => l.split('\t'));
      if (process.env.VERSION_GATES_MATRIX) console.log(table.map(([n, b, a]) => `${n}: before ${b}, after ${a}, fix ${applicability.get(n)}`).join('\n'));
      const wrong: string[] = [];
      let differ = 0;
      for (const [name, b, a] of table) {
        if (b !== a) differ++;
        if (b !== a && applicability.get(name) === 'safe') wrong.push(`${name}: before ${b}, after ${a}, but the fix is safe`);
      }
      assert.deepStrictEqual(wrong, []);
      assert.ok(differ >= 3, 'some rewrites do change the result (the guard has something to guard)');
      // The = form: range leaves the last value, the counting loop one more; with no iteration, unchanged against 0.
      assert.deepStrictEqual(
        table.find(([n]) => n === 'FinalAssignUsed'),
        ['FinalAssignUsed', '9', '10'],
      );
      assert.deepStrictEqual(
        table.find(([n]) => n === 'FinalAssignEmpty'),
        ['FinalAssignEmpty', '-1', '0'],
      );
      assert.strictEqual(applicability.get('FinalAssignUsed'), 'unsafe');
      assert.strictEqual(applicability.get('FinalAssignUnused'), 'safe');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
