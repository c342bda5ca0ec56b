// Execution-frequency facts (analysis/frequency.ts): for a node, the loops around it and whether each repeats it.
// Each case names the node by a snippet of its text (the `@` picks an occurrence when it appears twice) and says
// whether it repeats and, when it does not, why.
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Node, Tree } from 'web-tree-sitter';
import { type Frequency, frequency, MAX_LITERAL_ITERATIONS } from '../analysis/frequency';
import { Memo } from '../analysis/memo';
import { parse } from '../analysis/parse';
import { recordReadsInto } from '../analysis/reads';
import type { LanguageId, RuleContext } from '../analysis/types';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyzeDocument, analyzeSource, initEngine } from '../server/src/engine';
import { OpenDocument } from '../server/src/lsp/documents';
import { GO_ENV, goTool } from './harness';

before(async () => {
  await initEngine();
});

const trees: Tree[] = [];
after(() => {
  for (const t of trees) t.delete();
});

/** An analysis's context for each tree parsed here (the facts are worked out once per analysis, in its memo). */
const contexts = new WeakMap<Tree, RuleContext>();

/** The smallest named node spanning the `nth` occurrence of `snippet` in `text`. */
function nodeAt(language: LanguageId, text: string, snippet: string, nth = 0): Node {
  const tree = parse(language, text);
  trees.push(tree);
  const memo = new Memo();
  contexts.set(tree, { text, tree, language, memo: (key, compute) => memo.get(key, compute), report: () => undefined });
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    at = text.indexOf(snippet, at + 1);
    assert.ok(at >= 0, `"${snippet}" not in the source`);
  }
  let n = tree.rootNode.namedDescendantForIndex(at, at + snippet.length);
  assert.ok(n);
  while (n.parent && (n.startIndex > at || n.endIndex < at + snippet.length)) n = n.parent;
  return n;
}

/** The facts of a node nodeAt found, as a rule asks for them. */
function factsOf(node: Node): Frequency {
  const ctx = contexts.get(node.tree);
  assert.ok(ctx, 'a node of a tree nodeAt parsed');
  return frequency(node, ctx);
}

interface Case {
  name: string;
  code: string;
  node: string;
  nth?: number;
  repeats: boolean;
  why?: RegExp;
  loops?: number;
  bound?: number;
}

function check(language: LanguageId, c: Case): void {
  it(c.name, () => {
    const f = factsOf(nodeAt(language, c.code, c.node, c.nth));
    assert.strictEqual(f.repeats, c.repeats, `repeats: ${JSON.stringify({ why: f.why, loops: f.loops.map((l) => l.text.split('\n')[0]) })}`);
    if (c.why) assert.match(f.why ?? '', c.why);
    if (c.loops !== undefined) assert.strictEqual(f.loops.length, c.loops);
    if (c.bound !== undefined) assert.strictEqual(f.bound, c.bound);
    if (c.repeats) assert.ok(f.loops.length > 0);
  });
}

const py = (lines: string[]) => `${lines.join('\n')}\n`;

describe('frequency: Python', () => {
  const cases: Case[] = [
    { name: 'not in a loop: no loops, no repetition', code: py(['def f(xs):', '    xs.insert(0, 1)']), node: 'xs.insert(0, 1)', repeats: false, loops: 0 },
    {
      name: 'a loop over a variable repeats',
      code: py(['def f(xs, out):', '    for x in xs:', '        out.insert(0, x)']),
      node: 'out.insert(0, x)',
      repeats: true,
      loops: 1,
    },
    {
      name: 'followed by break: at most once per entry',
      code: py(['def f(xs, out):', '    for x in xs:', '        out.insert(0, x)', '        break']),
      node: 'out.insert(0, x)',
      repeats: false,
      why: /leaves the loop right after \(break\)/,
      bound: 1,
    },
    {
      name: 'followed by return',
      code: py(['def f(xs):', '    for x in xs:', '        import json', '        return json.loads(x)']),
      node: 'import json',
      repeats: false,
      why: /\(return\)/,
    },
    {
      name: 'followed by raise',
      code: py(['def f(xs):', '    for x in xs:', '        import json', '        raise ValueError(x)']),
      node: 'import json',
      repeats: false,
      why: /\(raise\)/,
    },
    {
      name: 'followed by sys.exit()',
      code: py(['import sys', 'def f(xs):', '    for x in xs:', '        import json', '        sys.exit(1)']),
      node: 'import json',
      repeats: false,
      why: /sys\.exit\(\)/,
    },
    {
      name: 'followed by os._exit() and pytest.fail()',
      code: py([
        'def f(xs):',
        '    for x in xs:',
        '        import json',
        '        if x:',
        '            os._exit(1)',
        '        else:',
        '            pytest.fail("no")',
      ]),
      node: 'import json',
      repeats: false,
      why: /os\._exit\(\), pytest\.fail\(\)/,
    },
    {
      name: 'in an if branch that ends with break',
      code: py(['def f(xs, out):', '    for x in xs:', '        if x.ready:', '            out.insert(0, x)', '            break', '        x.wait()']),
      node: 'out.insert(0, x)',
      repeats: false,
      why: /break/,
    },
    {
      name: 'in an else branch that ends with return',
      code: py([
        'def f(xs, out):',
        '    for x in xs:',
        '        if x.ready:',
        '            x.wait()',
        '        else:',
        '            out.insert(0, x)',
        '            return out',
      ]),
      node: 'out.insert(0, x)',
      repeats: false,
      why: /return/,
    },
    {
      name: 'still repeats: a break on one branch of an if without else',
      code: py(['def f(xs, out):', '    for x in xs:', '        out.insert(0, x)', '        if x.last:', '            break']),
      node: 'out.insert(0, x)',
      repeats: true,
    },
    {
      name: 'still repeats: an if/else where one branch continues',
      code: py([
        'def f(xs, out):',
        '    for x in xs:',
        '        out.insert(0, x)',
        '        if x.last:',
        '            break',
        '        else:',
        '            continue',
      ]),
      node: 'out.insert(0, x)',
      repeats: true,
    },
    {
      name: 'still repeats: break only leaves the inner loop',
      code: py(['def f(rows, out):', '    for row in rows:', '        for x in row:', '            out.insert(0, x)', '            break']),
      node: 'out.insert(0, x)',
      repeats: true,
      loops: 1,
    },
    {
      name: 'return leaves every loop',
      code: py(['def f(rows, out):', '    for row in rows:', '        for x in row:', '            out.insert(0, x)', '            return out']),
      node: 'out.insert(0, x)',
      repeats: false,
      loops: 0,
    },
    {
      name: 'a break in a nested loop after it does not leave this one',
      code: py(['def f(xs, ys, out):', '    for x in xs:', '        out.insert(0, x)', '        for y in ys:', '            break']),
      node: 'out.insert(0, x)',
      repeats: true,
    },
    {
      name: 'while True that is always left',
      code: py(['def f(q):', '    while True:', '        import queue', '        return q.get()']),
      node: 'import queue',
      repeats: false,
    },
    {
      name: 'range(1) runs once',
      code: py(['def f():', '    for count in range(1):', '        import json']),
      node: 'import json',
      repeats: false,
      why: /loop of 1 iteration \(range\(1\)\)/,
      bound: 1,
    },
    {
      name: 'a tuple of three literal names',
      code: py(['def f(obj, s):', '    for name in ("a", "b", "c"):', '        s += getattr(obj, name)']),
      node: 's += getattr(obj, name)',
      repeats: false,
      why: /loop over 3 literal items/,
      bound: 3,
    },
    {
      name: 'a list, a set, a dict, a string, a bare tuple',
      code: py([
        'def f(s):',
        '    for a in [1, 2]:',
        '        for b in {3}:',
        '            for c in {"k": 1}:',
        '                for d in "xy":',
        '                    for e in 1, 2, 3:',
        '                        s += str(a)',
      ]),
      node: 's += str(a)',
      repeats: false,
      loops: 0,
      bound: 2 * 1 * 1 * 2 * 3,
    },
    {
      name: 'range(2, 10, 2), enumerate, zip and .items() of literals',
      code: py([
        'def f(s):',
        '    for i in range(2, 10, 2):',
        '        for j, k in enumerate(("a", "b")):',
        '            for p, q in zip((1, 2), (3, 4, 5)):',
        '                for u, v in {"a": 1}.items():',
        '                    s += k',
      ]),
      node: 's += k',
      repeats: false,
      bound: 4 * 2 * 2 * 1,
    },
    {
      name: `more than ${MAX_LITERAL_ITERATIONS} literal items repeats`,
      code: py(['def f(s):', `    for x in (${Array.from({ length: MAX_LITERAL_ITERATIONS + 1 }, (_, i) => i).join(', ')}):`, '        s += str(x)']),
      node: 's += str(x)',
      repeats: true,
    },
    {
      name: 'a starred tuple is not literal',
      code: py(['def f(s, xs):', '    for x in (1, *xs):', '        s += str(x)']),
      node: 's += str(x)',
      repeats: true,
    },
    {
      name: 'range(K) with a module constant K',
      code: py(['RETRIES = 3', 'def f(s):', '    for i in range(RETRIES):', '        s += "x"']),
      node: 's += "x"',
      repeats: false,
      why: /3 iterations/,
    },
    {
      name: 'a module tuple constant',
      code: py(['NAMES = ("a", "b")', 'def f(s, o):', '    for n in NAMES:', '        s += getattr(o, n)']),
      node: 's += getattr(o, n)',
      repeats: false,
      why: /2 literal items \(NAMES\)/,
    },
    {
      name: 'a module constant rebound elsewhere is not a constant',
      code: py(['RETRIES = 3', 'def g():', '    global RETRIES', '    RETRIES = 100', 'def f(s):', '    for i in range(RETRIES):', '        s += "x"']),
      node: 's += "x"',
      repeats: true,
    },
    {
      name: 'a module list that something else mentions is not a constant',
      code: py(['NAMES = ["a", "b"]', 'NAMES.append("c")', 'def f(s, o):', '    for n in NAMES:', '        s += n']),
      node: 's += n',
      repeats: true,
    },
    {
      name: 'a parameter named like a constant shadows it',
      code: py(['N = 3', 'def f(s, N):', '    for i in range(N):', '        s += "x"']),
      node: 's += "x"',
      repeats: true,
    },
    {
      name: 'retry loop: try … break, except … continue',
      code: py([
        'import requests, time',
        'def f(url):',
        '    for attempt in range(retries):',
        '        try:',
        '            r = requests.get(url)',
        '            break',
        '        except OSError:',
        '            time.sleep(2 ** attempt)',
        '            continue',
      ]),
      node: 'requests.get(url)',
      repeats: false,
      why: /retry loop/,
    },
    {
      name: 'retry loop: return on success, sleep after the handler',
      code: py([
        'def f(url):',
        '    while True:',
        '        try:',
        '            return fetch(url)',
        '        except OSError:',
        '            log()',
        '        time.sleep(1)',
      ]),
      node: 'time.sleep(1)',
      repeats: false,
      why: /retry loop/,
    },
    {
      name: 'not a retry loop: the success path goes on',
      code: py([
        'def f(urls, out):',
        '    for url in urls:',
        '        try:',
        '            data = fetch(url)',
        '        except OSError:',
        '            continue',
        '        out.append(data)',
      ]),
      node: 'fetch(url)',
      repeats: true,
    },
    {
      name: 'a break in finally ends every path',
      code: py(['def f(xs):', '    for x in xs:', '        try:', '            import json', '        finally:', '            break']),
      node: 'import json',
      repeats: false,
    },
    { name: 'a comprehension over a variable repeats its element', code: py(['def f(xs):', '    return [g(x) for x in xs]']), node: 'g(x)', repeats: true },
    {
      name: 'a comprehension over a literal does not',
      code: py(['def f():', '    return [g(x) for x in (1, 2, 3)]']),
      node: 'g(x)',
      repeats: false,
      why: /comprehension over 3 literal items/,
    },
    {
      name: 'the first iterable of a comprehension runs once',
      code: py(['def f(xs):', '    return [x for x in g(xs)]']),
      node: 'g(xs)',
      repeats: false,
      loops: 0,
    },
    {
      name: 'the header of a loop is not repeated by it',
      code: py(['def f(xs):', '    for x in g(xs):', '        pass']),
      node: 'g(xs)',
      repeats: false,
      loops: 0,
    },
    {
      name: 'a literal inner loop inside a loop over data repeats through the outer one',
      code: py(['def f(rows, s):', '    for row in rows:', '        for k in ("a", "b"):', '            s += row[k]']),
      node: 's += row[k]',
      repeats: true,
      loops: 1,
    },
    {
      name: 'a def inside the loop is another scope',
      code: py(['def f(xs):', '    for x in xs:', '        def g():', '            import json']),
      node: 'import json',
      repeats: false,
      loops: 0,
    },
  ];
  for (const c of cases) check('python', c);

  it('records the read of a module constant, also when the answer comes from the cache', () => {
    const code = py(['N = 2', 'def f(s):', '    for i in range(N):', '        s += "x"']);
    const node = nodeAt('python', code, 's += "x"');
    for (let k = 0; k < 2; k++) {
      const reads = new Set<string>();
      recordReadsInto(reads);
      try {
        assert.strictEqual(factsOf(node).repeats, false);
      } finally {
        recordReadsInto(undefined);
      }
      assert.deepStrictEqual([...reads], ['N']);
    }
  });
});

/** A Go file of these lines, importing `time` when they use it (the facts know `time.After` through the imports). */
const go = (lines: string[]) => `package p\n\n${lines.some((l) => l.includes('time.')) ? 'import "time"\n\n' : ''}${lines.join('\n')}\n`;

describe('frequency: Go', () => {
  const cases: Case[] = [
    {
      name: 'a loop over a variable repeats',
      code: go(['func f(xs []string) (s string) {', '\tfor _, x := range xs {', '\t\ts += x', '\t}', '\treturn', '}']),
      node: 's += x',
      repeats: true,
    },
    {
      name: 'followed by break',
      code: go(['func f(xs []string) (s string) {', '\tfor _, x := range xs {', '\t\ts += x', '\t\tbreak', '\t}', '\treturn', '}']),
      node: 's += x',
      repeats: false,
      why: /\(break\)/,
      bound: 1,
    },
    {
      name: 'followed by return, panic, os.Exit, log.Fatal, t.Fatal, t.Skip',
      code: go([
        'func f(t *testing.T, xs []string, k int) (s string) {',
        '\tfor _, x := range xs {',
        '\t\ts += x',
        '\t\tswitch k {',
        '\t\tcase 1:',
        '\t\t\treturn',
        '\t\tcase 2:',
        '\t\t\tpanic(x)',
        '\t\tcase 3:',
        '\t\t\tos.Exit(1)',
        '\t\tcase 4:',
        '\t\t\tlog.Fatalf("%s", x)',
        '\t\tcase 5:',
        '\t\t\tt.Fatal(x)',
        '\t\tdefault:',
        '\t\t\tt.Skip(x)',
        '\t\t}',
        '\t}',
        '\treturn',
        '}',
      ]),
      node: 's += x',
      repeats: false,
      why: /return, panic, os\.Exit\(\), log\.Fatalf\(\), t\.Fatal\(\), t\.Skip\(\)/,
    },
    {
      name: 'a switch without default falls through: still repeats',
      code: go([
        'func f(xs []string, k int) (s string) {',
        '\tfor _, x := range xs {',
        '\t\ts += x',
        '\t\tswitch k {',
        '\t\tcase 1:',
        '\t\t\treturn',
        '\t\t}',
        '\t}',
        '\treturn',
        '}',
      ]),
      node: 's += x',
      repeats: true,
    },
    {
      name: 'in an if branch that ends with return',
      code: go([
        'func f(xs []string) (s string) {',
        '\tfor _, x := range xs {',
        '\t\tif x == "" {',
        '\t\t\ts += x',
        '\t\t\treturn',
        '\t\t}',
        '\t}',
        '\treturn',
        '}',
      ]),
      node: 's += x',
      repeats: false,
    },
    {
      name: 'still repeats: a break on one branch of an if without else',
      code: go([
        'func f(xs []string) (s string) {',
        '\tfor _, x := range xs {',
        '\t\ts += x',
        '\t\tif x == "" {',
        '\t\t\tbreak',
        '\t\t}',
        '\t}',
        '\treturn',
        '}',
      ]),
      node: 's += x',
      repeats: true,
    },
    {
      name: 'a break inside a select leaves only the select: still repeats',
      code: go([
        'func f(xs []string, done chan int) (s string) {',
        '\tfor _, x := range xs {',
        '\t\ts += x',
        '\t\tselect {',
        '\t\tcase <-done:',
        '\t\t\tbreak',
        '\t\t}',
        '\t}',
        '\treturn',
        '}',
      ]),
      node: 's += x',
      repeats: true,
    },
    {
      name: 'a labeled break out of a select leaves the loop',
      code: go([
        'func f(xs []string, done chan int) (s string) {',
        'loop:',
        '\tfor _, x := range xs {',
        '\t\ts += x',
        '\t\tselect {',
        '\t\tcase <-done:',
        '\t\t\tbreak loop',
        '\t\t}',
        '\t}',
        '\treturn',
        '}',
      ]),
      node: 's += x',
      repeats: false,
      why: /break/,
    },
    {
      name: 'continue to an outer loop leaves the inner one only',
      code: go([
        'func f(rows [][]string) (s string) {',
        'outer:',
        '\tfor _, row := range rows {',
        '\t\tfor _, x := range row {',
        '\t\t\ts += x',
        '\t\t\tcontinue outer',
        '\t\t}',
        '\t}',
        '\treturn',
        '}',
      ]),
      node: 's += x',
      repeats: true,
      loops: 1,
    },
    {
      name: 'goto out of the loop',
      code: go(['func f(xs []string) (s string) {', '\tfor _, x := range xs {', '\t\ts += x', '\t\tgoto done', '\t}', 'done:', '\treturn', '}']),
      node: 's += x',
      repeats: false,
      why: /goto/,
    },
    {
      name: 'goto to a label inside the loop still repeats',
      code: go([
        'func f(xs []string) (s string) {',
        '\tfor _, x := range xs {',
        '\tagain:',
        '\t\ts += x',
        '\t\tif x == "" {',
        '\t\t\tgoto again',
        '\t\t}',
        '\t\treturn',
        '\t}',
        '\treturn',
        '}',
      ]),
      node: 's += x',
      repeats: true,
    },
    {
      name: 'a composite literal of two items',
      code: go(['func f(o map[string]string) (s string) {', '\tfor _, k := range []string{"a", "b"} {', '\t\ts += o[k]', '\t}', '\treturn', '}']),
      node: 's += o[k]',
      repeats: false,
      why: /loop over 2 literal items/,
      bound: 2,
    },
    {
      name: 'for i := 0; i < 3; i++',
      code: go(['func f() (s string) {', '\tfor i := 0; i < 3; i++ {', '\t\ts += "x"', '\t}', '\treturn', '}']),
      node: 's += "x"',
      repeats: false,
      why: /loop of 3 iterations \(i < 3\)/,
      bound: 3,
    },
    {
      name: 'range 4 and range K with a package constant',
      code: go([
        'const K = 5',
        '',
        'func f() (s string) {',
        '\tfor range 4 {',
        '\t\tfor i := range K {',
        '\t\t\ts += strconv.Itoa(i)',
        '\t\t}',
        '\t}',
        '\treturn',
        '}',
      ]),
      node: 's += strconv.Itoa(i)',
      repeats: false,
      bound: 20,
    },
    {
      name: 'a bound in one conjunct of the condition: it may stop sooner, never later',
      code: go([
        'func f(found func() bool) (s string) {',
        '\tdone := false',
        '\tfor i := 0; !done && i < 5; i++ {',
        '\t\ts += "x"',
        '\t\tdone = found()',
        '\t}',
        '\treturn',
        '}',
      ]),
      node: 's += "x"',
      repeats: false,
      why: /5 iterations \(i < 5\)/,
    },
    {
      name: "followed by testify's require.FailNow",
      code: go([
        'func f(t *testing.T, xs []string) (s string) {',
        '\tfor _, x := range xs {',
        '\t\ts += x',
        '\t\trequire.FailNow(t, "no")',
        '\t}',
        '\treturn',
        '}',
      ]),
      node: 's += x',
      repeats: false,
      why: /require\.FailNow\(\)/,
    },
    {
      name: 'a counting loop whose counter the body changes is not bounded',
      code: go(['func f() (s string) {', '\tfor i := 0; i < 3; i++ {', '\t\ts += "x"', '\t\ti--', '\t}', '\treturn', '}']),
      node: 's += "x"',
      repeats: true,
    },
    {
      name: 'a bound that is a variable repeats',
      code: go(['func f(n int) (s string) {', '\tfor i := 0; i < n; i++ {', '\t\ts += "x"', '\t}', '\treturn', '}']),
      node: 's += "x"',
      repeats: true,
    },
    {
      name: 'retry loop: for { …; if err == nil { return } }',
      code: go([
        'func f() error {',
        '\tfor {',
        '\t\terr := try()',
        '\t\tif err == nil {',
        '\t\t\treturn nil',
        '\t\t}',
        '\t\tselect {',
        '\t\tcase <-ctx.Done():',
        '\t\t\treturn ctx.Err()',
        '\t\tcase <-time.After(backoff()):',
        '\t\t}',
        '\t}',
        '}',
      ]),
      node: 'try()',
      repeats: false,
      why: /retry loop|timer/,
    },
    {
      name: 'retry loop: if err != nil { sleep; continue }; return',
      code: go([
        'func f() (net.Conn, error) {',
        '\tfor {',
        '\t\tconn, err := dial()',
        '\t\tif err != nil {',
        '\t\t\ttime.Sleep(time.Second)',
        '\t\t\tcontinue',
        '\t\t}',
        '\t\treturn conn, nil',
        '\t}',
        '}',
      ]),
      node: 'dial()',
      repeats: false,
      why: /retry loop/,
    },
    // An error variable is known by how it is bound (the Go model), not by its name.
    {
      name: 'retry loop: the error is the last of the names a method sets and is returned as one, whatever it is called',
      code: go([
        'func f(d Dialer) (net.Conn, error) {',
        '\tfor {',
        '\t\tconn, failure := d.Dial()',
        '\t\tif failure == ErrClosed {',
        '\t\t\treturn nil, failure',
        '\t\t}',
        '\t\tif failure != nil {',
        '\t\t\tpause()',
        '\t\t\tcontinue',
        '\t\t}',
        '\t\treturn conn, nil',
        '\t}',
        '}',
      ]),
      node: 'd.Dial()',
      repeats: false,
      why: /retry loop/,
    },
    {
      name: "retry loop: the last of the names a method sets, compared with another package's error value",
      code: go([
        'import "io"',
        '',
        'func f(r Source) []byte {',
        '\tfor {',
        '\t\tchunk, e := r.Next()',
        '\t\tif e == io.EOF {',
        '\t\t\treturn nil',
        '\t\t}',
        '\t\tif e != nil {',
        '\t\t\tcontinue',
        '\t\t}',
        '\t\treturn chunk',
        '\t}',
        '}',
      ]),
      node: 'r.Next()',
      repeats: false,
      why: /retry loop/,
    },
    {
      name: "not a retry loop: the last of the names a method sets, never used as an error (an iterator's value)",
      code: go([
        'func f(it *Iter) string {',
        '\ts := ""',
        '\tfor {',
        '\t\tkey, val := it.Next()',
        '\t\tif val == nil {',
        '\t\t\treturn s',
        '\t\t}',
        '\t\ts += key',
        '\t}',
        '}',
      ]),
      node: 's += key',
      repeats: true,
    },
    {
      name: 'retry loop: a variable declared `var e error`, assigned the last result of a call',
      code: go([
        'func f(r io.Reader, buf []byte) int {',
        '\tvar n int',
        '\tvar e error',
        '\tfor {',
        '\t\tn, e = r.Read(buf)',
        '\t\tif e == nil {',
        '\t\t\treturn n',
        '\t\t}',
        '\t}',
        '}',
      ]),
      node: 'r.Read(buf)',
      repeats: false,
      why: /retry loop/,
    },
    {
      name: 'retry loop: set from a function of the file, or a function value, that returns an error',
      code: go([
        'func connect() error { return nil }',
        '',
        'func f(put func(string) error, key string) {',
        '\tfor {',
        '\t\tproblem := connect()',
        '\t\tif problem != nil {',
        '\t\t\tcontinue',
        '\t\t}',
        '\t\tstored := put(key)',
        '\t\tif stored == nil {',
        '\t\t\treturn',
        '\t\t}',
        '\t}',
        '}',
      ]),
      node: 'put(key)',
      repeats: false,
      why: /retry loop/,
    },
    {
      name: 'retry loop: a parameter of type error',
      code: go(['func f(last error, retry func() error) {', '\tfor {', '\t\tif last == nil {', '\t\t\treturn', '\t\t}', '\t\tlast = retry()', '\t}', '}']),
      node: 'retry()',
      repeats: false,
      why: /retry loop/,
    },
    {
      name: 'retry loop: a variable set from fmt.Errorf',
      code: go([
        'import "fmt"',
        '',
        'func f(try func() bool) {',
        '\tlast := fmt.Errorf("not yet")',
        '\tfor {',
        '\t\tif try() {',
        '\t\t\tlast = nil',
        '\t\t}',
        '\t\tif last == nil {',
        '\t\t\treturn',
        '\t\t}',
        '\t}',
        '}',
      ]),
      node: 'try()',
      repeats: false,
      why: /retry loop/,
    },
    {
      name: 'not a retry loop: a nil test of a value the file does not show is an error',
      code: go(['func f(q *Queue) {', '\tfor {', '\t\titem := q.Pop()', '\t\tif item == nil {', '\t\t\treturn', '\t\t}', '\t\thandle(item)', '\t}', '}']),
      node: 'handle(item)',
      repeats: true,
    },
    {
      name: 'not a retry loop: a function of the file that returns something else than an error',
      code: go([
        'func next() (int, *Item) { return 0, nil }',
        '',
        'func f() {',
        '\tfor {',
        '\t\t_, item := next()',
        '\t\tif item == nil {',
        '\t\t\treturn',
        '\t\t}',
        '\t\thandle(item)',
        '\t}',
        '}',
      ]),
      node: 'handle(item)',
      repeats: true,
    },
    {
      name: 'not a retry loop: it leaves on failure and goes on on success',
      code: go([
        'func f(r io.Reader, buf []byte) error {',
        '\tfor {',
        '\t\tn, err := r.Read(buf)',
        '\t\tif err != nil {',
        '\t\t\treturn err',
        '\t\t}',
        '\t\tuse(buf[:n])',
        '\t}',
        '}',
      ]),
      node: 'r.Read(buf)',
      repeats: true,
    },
    {
      name: 'select: time.After as a case while another case loops (one timer per message)',
      code: go([
        'func f(in chan int) {',
        '\tfor {',
        '\t\tselect {',
        '\t\tcase v := <-in:',
        '\t\t\thandle(v)',
        '\t\tcase <-time.After(time.Minute):',
        '\t\t\treturn',
        '\t\t}',
        '\t}',
        '}',
      ]),
      node: 'time.After(time.Minute)',
      repeats: true,
    },
    {
      name: 'select: every other case leaves the loop (one pending timer at a time)',
      code: go([
        'func f(done chan int) {',
        '\tfor {',
        '\t\tselect {',
        '\t\tcase <-done:',
        '\t\t\treturn',
        '\t\tcase <-time.After(time.Millisecond):',
        '\t\t\tpoll()',
        '\t\t}',
        '\t}',
        '}',
      ]),
      node: 'time.After(time.Millisecond)',
      repeats: false,
      why: /waits for a timer on every iteration/,
    },
    // time.After is known through the imports: under another name, or a dot import; not a method of a local `time`.
    {
      name: 'select: every other case leaves the loop, with time imported under another name',
      code: go([
        'import clock "time"',
        '',
        'func f(done chan int) {',
        '\tfor {',
        '\t\tselect {',
        '\t\tcase <-done:',
        '\t\t\treturn',
        '\t\tcase <-clock.After(clock.Millisecond):',
        '\t\t\tpoll()',
        '\t\t}',
        '\t}',
        '}',
      ]),
      node: 'clock.After(clock.Millisecond)',
      repeats: false,
      why: /waits for a timer on every iteration/,
    },
    {
      name: 'a bare wait paces the loop, with time dot-imported',
      code: go(['import . "time"', '', 'func f(items []int) {', '\tfor _, v := range items {', '\t\t<-After(Millisecond)', '\t\tsend(v)', '\t}', '}']),
      node: 'send(v)',
      repeats: false,
      why: /waits for a timer on every iteration/,
    },
    {
      name: 'the case of a local `time` value is no timer: what runs in it repeats',
      code: go([
        'func f(in chan int, time *Scheduler) {',
        '\tfor {',
        '\t\tselect {',
        '\t\tcase v := <-in:',
        '\t\t\thandle(v)',
        '\t\tcase <-time.After(5):',
        '\t\t\tflush()',
        '\t\t}',
        '\t}',
        '}',
      ]),
      node: 'flush()',
      repeats: true,
    },
    {
      name: 'select: a continue before it skips the wait, so what runs before it repeats',
      code: go([
        'func f(done chan int, busy func() bool) {',
        '\tfor {',
        '\t\tif busy() {',
        '\t\t\tcontinue',
        '\t\t}',
        '\t\tselect {',
        '\t\tcase <-done:',
        '\t\t\treturn',
        '\t\tcase <-time.After(time.Millisecond):',
        '\t\t}',
        '\t}',
        '}',
      ]),
      node: 'busy()',
      repeats: true,
    },
    {
      name: '… but the timer itself is still waited for each time it is made',
      code: go([
        'func f(done chan int, busy func() bool) {',
        '\tfor {',
        '\t\tif busy() {',
        '\t\t\tcontinue',
        '\t\t}',
        '\t\tselect {',
        '\t\tcase <-done:',
        '\t\t\treturn',
        '\t\tcase <-time.After(time.Millisecond):',
        '\t\t}',
        '\t}',
        '}',
      ]),
      node: 'time.After(time.Millisecond)',
      repeats: false,
      why: /waits for the timer it makes/,
    },
    {
      name: 'select with a default does not wait',
      code: go([
        'func f(done chan int) {',
        '\tfor {',
        '\t\tselect {',
        '\t\tcase <-done:',
        '\t\t\treturn',
        '\t\tcase <-time.After(time.Millisecond):',
        '\t\tdefault:',
        '\t\t}',
        '\t}',
        '}',
      ]),
      node: 'time.After(time.Millisecond)',
      repeats: true,
    },
    {
      name: 'time.After re-armed in the body of the case that waits on it',
      code: go([
        'func f(in chan int) {',
        '\ttick := time.After(time.Second)',
        '\tfor {',
        '\t\tselect {',
        '\t\tcase v := <-in:',
        '\t\t\thandle(v)',
        '\t\tcase <-tick:',
        '\t\t\tflush()',
        '\t\t\ttick = time.After(time.Second)',
        '\t\t}',
        '\t}',
        '}',
      ]),
      node: 'time.After(time.Second)',
      nth: 1,
      repeats: false,
      why: /only when the timer its select case waits on fires/,
    },
    {
      name: 'time.After in the body of a ticker case',
      code: go([
        'func f(t *time.Ticker, out chan int) {',
        '\tfor {',
        '\t\tselect {',
        '\t\tcase <-t.C:',
        '\t\t\tselect {',
        '\t\t\tcase out <- 1:',
        '\t\t\tcase <-time.After(time.Second):',
        '\t\t\t}',
        '\t\t}',
        '\t}',
        '}',
      ]),
      node: 'time.After(time.Second)',
      repeats: false,
      why: /timer/,
    },
    {
      name: 'still repeats: time.After in the body of a per-message case',
      code: go([
        'func f(in, out chan int) {',
        '\tfor {',
        '\t\tselect {',
        '\t\tcase v := <-in:',
        '\t\t\tselect {',
        '\t\t\tcase out <- v:',
        '\t\t\tcase <-time.After(time.Minute):',
        '\t\t\t}',
        '\t\t}',
        '\t}',
        '}',
      ]),
      node: 'time.After(time.Minute)',
      repeats: true,
    },
    {
      name: "still repeats: re-armed in another case's body (a debounce)",
      code: go([
        'func f(in chan int) {',
        '\tvar flush <-chan time.Time',
        '\tfor {',
        '\t\tselect {',
        '\t\tcase <-in:',
        '\t\t\tflush = time.After(time.Minute)',
        '\t\tcase <-flush:',
        '\t\t\tflush = nil',
        '\t\t}',
        '\t}',
        '}',
      ]),
      node: 'time.After(time.Minute)',
      repeats: true,
    },
    {
      name: 'select in a branch: the iteration waits for the timer it makes',
      code: go([
        'func f(ups []time.Duration, ctx context.Context) {',
        '\tfor _, d := range ups {',
        '\t\tif d > 0 {',
        '\t\t\tselect {',
        '\t\t\tcase <-ctx.Done():',
        '\t\t\t\treturn',
        '\t\t\tcase <-time.After(d):',
        '\t\t\t}',
        '\t\t}',
        '\t\tsend(d)',
        '\t}',
        '}',
      ]),
      node: 'time.After(d)',
      repeats: false,
      why: /waits for the timer it makes/,
    },
    {
      name: 'a wait in the update: every iteration waits for a timer',
      code: go([
        'func f(ctx context.Context) {',
        '\tfor ; ctx.Err() == nil; <-time.After(time.Millisecond) {',
        '\t\tif try() {',
        '\t\t\tcontinue',
        '\t\t}',
        '\t\tstrconv.Itoa(3)',
        '\t}',
        '}',
      ]),
      node: 'strconv.Itoa(3)',
      repeats: false,
      why: /waits for a timer on every iteration/,
    },
    {
      name: 'a bare wait in the body paces the loop',
      code: go(['func f(items []int) {', '\tfor _, v := range items {', '\t\t<-time.After(time.Millisecond)', '\t\tsend(strconv.Itoa(v))', '\t}', '}']),
      node: 'strconv.Itoa(v)',
      repeats: false,
      why: /waits for a timer on every iteration/,
    },
    {
      name: 'still repeats: the other case leaves only an inner loop',
      code: go([
        'func f(in chan int) {',
        '\tfor {',
        '\tinner:',
        '\t\tfor {',
        '\t\t\tselect {',
        '\t\t\tcase <-in:',
        '\t\t\t\tbreak inner',
        '\t\t\tcase <-time.After(time.Second):',
        '\t\t\t}',
        '\t\t}',
        '\t}',
        '}',
      ]),
      node: 'time.After(time.Second)',
      repeats: true,
      loops: 1,
    },
    {
      name: 'the condition of a loop repeats with it',
      code: go(['func f(xs []string) {', '\tfor i := 0; i < len(strings.Join(xs, "")); i++ {', '\t}', '}']),
      node: 'strings.Join(xs, "")',
      repeats: true,
    },
    {
      name: 'a function literal is another function',
      code: go(['func f(xs []string) {', '\tfor _, x := range xs {', '\t\tgo func() {', '\t\t\t_ = time.After(time.Second)', '\t\t}()', '\t}', '}']),
      node: 'time.After(time.Second)',
      repeats: false,
      loops: 0,
    },
  ];
  for (const c of cases) check('go', c);

  it('records the read of a package constant', () => {
    const code = go(['const K = 2', '', 'func f() (s string) {', '\tfor i := 0; i < K; i++ {', '\t\ts += "x"', '\t}', '\treturn', '}']);
    const reads = new Set<string>();
    recordReadsInto(reads);
    try {
      assert.strictEqual(factsOf(nodeAt('go', code, 's += "x"')).repeats, false);
    } finally {
      recordReadsInto(undefined);
    }
    assert.deepStrictEqual([...reads], ['K']);
  });
});

/**
 * How many timers one call makes, and how many are still pending (never fired) when it returns, for each select
 * shape: `after` stands for time.After and records each timer, so that Stop() at the end tells whether it fired.
 * Measured with go1.26 (go line 1.22), 1000 messages 50 µs apart:
 *   A other case loops, timer case leaves:  1000 messages -> 1001 timers created, 1001 pending at return
 *   B timer case loops, other cases leave:  50 ms of 1 ms polls -> 46 timers created, 1 pending at return
 *   C re-armed in its own case body (10 ms): 1000 messages -> 102 timers created, 1 pending at return (1095 ms)
 *   D re-armed in another case's body:      1000 messages -> 1000 timers created, 1000 pending at return
 *   E in the body of a per-message case:    1000 messages -> 1000 timers created, 1000 pending at return
 *   F retry loop, 3 failures then success:  3 timers created, 0 pending at return
 * So a timer repeats with the input (one per message, each left pending) in A, D and E; in B and C the loop makes
 * one per tick and at most one is pending; in F one per failure. The test runs a shorter version (200 messages)
 * and checks that frequency() says `repeats` exactly where the pending timers grow with the messages.
 */
const TIMERS = `package main

import (
	"fmt"
	"time"
)

var timers []*time.Timer

func after(d time.Duration) <-chan time.Time {
	t := time.NewTimer(d)
	timers = append(timers, t)
	return t.C
}

func count() (created, pending int) {
	created = len(timers)
	for _, t := range timers {
		if t.Stop() {
			pending++
		}
	}
	timers = nil
	return
}

const msgs = 200

func feed() <-chan int {
	in := make(chan int)
	go func() {
		for i := 0; i < msgs; i++ {
			in <- i
			time.Sleep(50 * time.Microsecond)
		}
		close(in)
	}()
	return in
}

func pumpA(in <-chan int) {
	for {
		select {
		case _, ok := <-in:
			if !ok {
				return
			}
		case <-after(time.Minute):
			return
		}
	}
}

func pumpB(done <-chan struct{}) {
	for {
		select {
		case <-done:
			return
		case <-after(time.Millisecond):
		}
	}
}

func pumpC(in <-chan int) {
	tick := after(10 * time.Millisecond)
	for {
		select {
		case _, ok := <-in:
			if !ok {
				return
			}
		case <-tick:
			tick = after(10 * time.Millisecond)
		}
	}
}

func pumpD(in <-chan int) {
	var flush <-chan time.Time
	for {
		select {
		case _, ok := <-in:
			if !ok {
				return
			}
			flush = after(time.Minute)
		case <-flush:
			flush = nil
		}
	}
}

func pumpE(in <-chan int, out chan<- int) {
	for {
		select {
		case v, ok := <-in:
			if !ok {
				return
			}
			select {
			case out <- v:
			case <-after(time.Minute):
			}
		}
	}
}

func pumpF(try func() error) {
	for {
		err := try()
		if err == nil {
			return
		}
		<-after(time.Millisecond)
	}
}

func main() {
	pumpA(feed())
	fmt.Println(count())
	done := make(chan struct{})
	go func() { time.Sleep(30 * time.Millisecond); close(done) }()
	pumpB(done)
	fmt.Println(count())
	pumpC(feed())
	fmt.Println(count())
	pumpD(feed())
	fmt.Println(count())
	out := make(chan int)
	go func() {
		for range out {
		}
	}()
	pumpE(feed(), out)
	fmt.Println(count())
	fails := 3
	pumpF(func() error {
		if fails--; fails >= 0 {
			return fmt.Errorf("fail")
		}
		return nil
	})
	fmt.Println(count())
}
`;

describe('frequency: Go timers, measured', () => {
  it('says a timer repeats exactly in the select shapes whose pending timers grow with the messages', function () {
    this.timeout(120_000);
    const tool = goTool();
    if (!tool) this.skip();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotspots-timers-'));
    let out: string;
    try {
      fs.writeFileSync(path.join(dir, 'go.mod'), 'module timers\n\ngo 1.22\n');
      fs.writeFileSync(path.join(dir, 'main.go'), TIMERS);
      out = execFileSync(tool!.go, ['run', '.'], { cwd: dir, encoding: 'utf8', env: GO_ENV });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    const pending = out
      .trim()
      .split('\n')
      .map((l) => Number(l.split(' ')[1]));
    assert.strictEqual(pending.length, 6, out);
    // The analysis sees each `after(` as the time.After it stands for.
    const text = TIMERS.replace(/(?<!func )\bafter\(/g, 'time.After(');
    ['A', 'B', 'C', 'D', 'E', 'F'].forEach((shape, i) => {
      const fn = text.indexOf(`func pump${shape}(`);
      const at = text.indexOf('time.After(', text.indexOf('for {', fn));
      const node = nodeAt('go', text, text.slice(at, text.indexOf(')', at) + 1), text.slice(0, at).split(text.slice(at, text.indexOf(')', at) + 1)).length - 1);
      const grows = pending[i] > 1;
      assert.strictEqual(factsOf(node).repeats, grows, `${shape}: ${pending[i]} pending of ${out.trim().split('\n')[i]}`);
    });
  });
});

describe('frequency: incremental analysis', () => {
  /** Analyses `src`, replaces `from` with `to`, analyses again from the kept state: the rules of the pieces run, and the findings before and after. */
  function afterEdit(lang: LanguageId, src: string, from: string, to: string) {
    const od = new OpenDocument(TextDocument.create(`file:///t.${lang === 'go' ? 'go' : 'py'}`, lang, 1, src), lang);
    try {
      const first = analyzeDocument(od.currentTree(), od.text, lang, undefined, {});
      od.analysis = first.state;
      const at = src.indexOf(from);
      od.applyChanges([{ range: { start: od.doc.positionAt(at), end: od.doc.positionAt(at + from.length) }, text: to }], 2);
      const second = analyzeDocument(od.currentTree(), od.text, lang, od.analysis, {});
      assert.deepStrictEqual(second.findings, analyzeSource(od.text, lang, {}), 'same findings as a whole analysis');
      return { before: first.findings.map((f) => f.rule), after: second.findings.map((f) => f.rule), ran: second.state.ran };
    } finally {
      od.dispose();
    }
  }

  it('python: binding the module constant in another def makes the loop over range(CONSTANT) repeat', () => {
    // f read RETRIES across the file (a constant is bound once, at module level): g's new binding re-runs it.
    const src = py([
      'RETRIES = 3',
      '',
      '',
      'def f():',
      '    s = b""',
      '    for i in range(RETRIES):',
      '        s = bytes(i) + s',
      '    return s',
      '',
      '',
      'def g():',
      '    return 1',
    ]);
    for (const edit of ['    RETRIES = 100\n    return RETRIES', '    global RETRIES\n    RETRIES = 100']) {
      const r = afterEdit('python', src, '    return 1', edit);
      assert.deepStrictEqual(r.before, []);
      assert.deepStrictEqual(r.after, ['python/quadratic-concat']);
      if (!edit.includes('global')) assert.strictEqual(r.ran, 2);
    }
  });

  it('an edit after the node inside its own def (a break) re-runs that def, which drops the finding', () => {
    const src = py([
      'def f(xs):',
      '    s = b""',
      '    for x in xs:',
      '        s = x + s',
      '        print(x)',
      '    return s',
      '',
      '',
      'def g():',
      '    return 1',
    ]);
    const r = afterEdit('python', src, '        print(x)', '        break');
    assert.deepStrictEqual(r.before, ['python/quadratic-concat']);
    assert.deepStrictEqual(r.after, []);
    assert.strictEqual(r.ran, 1);
  });
});
