// The Python semantic model (analysis/python/semantic.ts): one case per binding kind and per resolution rule, as
// small programs with the qualified name (or none) a name or call resolves to. Every answer is asked three ways,
// which must agree: of a lazy model over the whole text, of a lazy model over the analysis's pieces (top-level
// statements, a top-level class split into its header and members), and of the fully built model.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { Node, Tree } from 'web-tree-sitter';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyzeDocument, analyzeSource, initEngine, RULES } from '../server/src/engine';
import { OpenDocument } from '../server/src/lsp/documents';
import { parse } from '../analysis/parse';
import { type Binding, type ScopeKind, SemanticModel } from '../analysis/python/semantic';
import type { Finding, Piece } from '../analysis/types';
import { Memo } from '../analysis/memo';

/** The pieces the incremental analysis makes of a file (analysis/analyze.ts unitsOf), each with an empty memo. */
function piecesOf(tree: Tree): Piece[] {
  const out: Piece[] = [];
  for (const top of tree.rootNode.namedChildren) {
    if (!top) continue;
    const cls = top.type === 'class_definition' ? top : top.type === 'decorated_definition' ? top.childForFieldName('definition') : null;
    const body = cls?.type === 'class_definition' ? cls.childForFieldName('body') : null;
    const members = body?.namedChildren.filter((c): c is Node => !!c) ?? [];
    if (!body || !members.length || members[0].startIndex !== body.startIndex) {
      out.push({ start: top.startIndex, end: top.endIndex, memo: new Memo() });
      continue;
    }
    out.push({ start: top.startIndex, end: body.startIndex, memo: new Memo() });
    for (const m of members) out.push({ start: m.startIndex, end: m.endIndex, memo: new Memo() });
  }
  return out;
}

/** The three models of a text (see the header). */
function models(tree: Tree, src: string): SemanticModel[] {
  return [new SemanticModel(tree, src), new SemanticModel(tree, src, { pieces: piecesOf(tree) }), new SemanticModel(tree, src).build()];
}

/** The identifier or attribute chain `expr` at its `nth` occurrence in the text (the whole dotted expression). */
function nodeAt(tree: Tree, src: string, expr: string, nth = 0): Node {
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    at = src.indexOf(expr, at + 1);
    assert.ok(at >= 0, `${expr} (#${nth}) is in the source`);
  }
  const dotted = /^[\w.]+/.exec(expr)![0];
  const n = tree.rootNode.descendantForIndex(at, at + dotted.length)!;
  assert.ok(n.type === 'identifier' || n.type === 'attribute', `${dotted} is a name or an attribute chain (${n.type})`);
  return n;
}

/** What `expr` (its dotted start, at its nth occurrence) resolves to, the three models agreeing. */
function resolveAt(src: string, expr: string, nth = 0): string | undefined {
  const tree = parse('python', src);
  try {
    const n = nodeAt(tree, src, expr, nth);
    const answers = models(tree, src).map((m) => m.resolve(n));
    assert.deepStrictEqual(answers.slice(1), [answers[0], answers[0]], `lazy, by pieces and built models agree on ${expr}`);
    return answers[0];
  } finally {
    tree.delete();
  }
}

/** The binding a name at `expr` refers to: its kind and the kind of the scope it is bound in. */
function bindingAt(src: string, expr: string, nth = 0): { kind: string; scope: ScopeKind; imported?: string } | undefined {
  const tree = parse('python', src);
  try {
    const n = nodeAt(tree, src, expr, nth);
    const name = n.type === 'identifier' ? n.text : /^\w+/.exec(n.text)![0];
    const answers = models(tree, src).map((m) => {
      const b: Binding | undefined = m.bindingAt(name, n);
      return b && { kind: b.kind, scope: b.scope.kind, ...(b.imported !== undefined ? { imported: b.imported } : {}), at: b.start };
    });
    assert.deepStrictEqual(answers.slice(1), [answers[0], answers[0]], `the models agree on the binding of ${name}`);
    if (!answers[0]) return undefined;
    const { at: _at, ...rest } = answers[0];
    return rest;
  } finally {
    tree.delete();
  }
}

function shadowedAt(src: string, name: string, expr: string): boolean {
  const tree = parse('python', src);
  try {
    const n = nodeAt(tree, src, expr);
    const answers = models(tree, src).map((m) => m.isShadowed(name, n));
    assert.deepStrictEqual(answers.slice(1), [answers[0], answers[0]]);
    return answers[0];
  } finally {
    tree.delete();
  }
}

function scopeKindAt(src: string, expr: string, nth = 0): string {
  const tree = parse('python', src);
  try {
    const m = new SemanticModel(tree, src);
    const s = m.scopeOf(nodeAt(tree, src, expr, nth));
    return s.kind === 'module'
      ? 'module'
      : `${s.kind} ${s.node.type === 'function_definition' || s.node.type === 'class_definition' ? s.node.childForFieldName('name')?.text : s.node.type}`;
  } finally {
    tree.delete();
  }
}

describe('python semantic model', () => {
  before(async () => {
    await initEngine();
  });

  describe('bindings, by kind', () => {
    it('import a.b binds a (to a); a.b.c is a.b.c, and b alone is not bound', () => {
      const src = 'import os.path\nimport a.b\nos.path.join(x)\na.b.c()\nb()\n';
      assert.strictEqual(resolveAt(src, 'os.path.join'), 'os.path.join');
      assert.strictEqual(resolveAt(src, 'a.b.c'), 'a.b.c');
      assert.deepStrictEqual(bindingAt(src, 'a.b.c'), { kind: 'import', scope: 'module', imported: 'a' });
      assert.strictEqual(resolveAt(src, 'b()'), undefined);
    });

    it('import a.b as c binds c to a.b', () => {
      const src = 'import a.b as c, os\nc.d()\nos.getcwd()\n';
      assert.strictEqual(resolveAt(src, 'c.d'), 'a.b.d');
      assert.strictEqual(resolveAt(src, 'os.getcwd'), 'os.getcwd');
    });

    it('from a import b as c binds c to a.b (and not b)', () => {
      const src = 'from subprocess import Popen as pop, run\npop(["ls"])\nrun("x")\nPopen(1)\n';
      assert.strictEqual(resolveAt(src, 'pop(['), 'subprocess.Popen');
      assert.strictEqual(resolveAt(src, 'run("x")'), 'subprocess.run');
      assert.strictEqual(resolveAt(src, 'Popen(1)'), undefined);
    });

    it('relative imports bind the relative name (never the builtin or a package of the same name)', () => {
      const src = 'from . import x\nfrom ..m import y as z\nfrom .utils import open\nx.y()\nz()\nopen(p)\n';
      assert.strictEqual(resolveAt(src, 'x.y'), '.x.y');
      assert.strictEqual(resolveAt(src, 'z()'), '..m.y');
      assert.strictEqual(resolveAt(src, 'open(p)'), '.utils.open');
    });

    it('from m import * marks the module: names it does not bind otherwise, builtins too, are unknown', () => {
      const src = 'from os import *\nimport time\nopen(p)\ntime.sleep(1)\nsleep(1)\n';
      assert.strictEqual(resolveAt(src, 'open(p)'), undefined); // os exports its own open
      assert.strictEqual(resolveAt(src, 'time.sleep'), 'time.sleep');
      assert.strictEqual(resolveAt(src, 'sleep(1)'), undefined);
      assert.strictEqual(shadowedAt(src, 'open', 'open(p)'), true);
      const tree = parse('python', src);
      try {
        assert.strictEqual(new SemanticModel(tree, src).module.hasStarImport, true);
      } finally {
        tree.delete();
      }
      assert.strictEqual(resolveAt('import os\nopen(p)\n', 'open(p)'), 'open');
    });

    it('assignment targets, unpacking and starred, are bindings (a later one shadows an import)', () => {
      const src = 'from time import sleep\nsleep(0)\na, (b, *sleep) = [d, e] = f()\nsleep(1)\nd.x()\n';
      assert.strictEqual(resolveAt(src, 'sleep(0)'), 'time.sleep');
      assert.strictEqual(resolveAt(src, 'sleep(1)'), undefined);
      assert.deepStrictEqual(bindingAt(src, 'sleep(1)'), { kind: 'assignment', scope: 'module' });
      assert.deepStrictEqual(bindingAt(src, 'd.x'), { kind: 'assignment', scope: 'module' });
    });

    it('augmented assignment binds (and makes the name local to a function)', () => {
      const src = 'import json\ndef f():\n    json += 1\n    json.dumps(x)\njson.dumps(y)\n';
      assert.deepStrictEqual(bindingAt(src, 'json.dumps(x)'), { kind: 'augmented-assignment', scope: 'function' });
      assert.strictEqual(resolveAt(src, 'json.dumps(x)'), undefined);
      assert.strictEqual(resolveAt(src, 'json.dumps(y)'), 'json.dumps');
    });

    it('annotated assignment binds; a bare annotation makes the name local to a function too', () => {
      const src =
        'import time\ndef f():\n    time: Clock\n    time.sleep(1)\ndef g():\n    time: Clock = make()\n    time.sleep(2)\ndef h():\n    time.sleep(3)\n';
      assert.deepStrictEqual(bindingAt(src, 'time.sleep(1)'), { kind: 'annotation', scope: 'function' });
      assert.deepStrictEqual(bindingAt(src, 'time.sleep(2)'), { kind: 'annotated-assignment', scope: 'function' });
      assert.strictEqual(resolveAt(src, 'time.sleep(3)'), 'time.sleep');
      assert.strictEqual(resolveAt('import time\nx.y: int = 1\ntime.sleep(1)\n', 'time.sleep'), 'time.sleep'); // an attribute target binds nothing
    });

    it('parameters of every form: positional-only, defaults, annotated, *args, keyword-only, **kwargs', () => {
      const src =
        'import time, json, os, re, io\ndef f(time, /, json: int = 1, *os, re, io=2, **kw):\n    time.sleep(1)\n    json.dumps(2)\n    os.getcwd()\n    re.compile(3)\n    io.open(4)\n    kw.get(5)\n';
      for (const e of ['time.sleep', 'json.dumps', 'os.getcwd', 're.compile', 'io.open', 'kw.get']) {
        assert.strictEqual(resolveAt(src, e), undefined, e);
        assert.deepStrictEqual(bindingAt(src, e), { kind: 'parameter', scope: 'function' }, e);
      }
    });

    it('lambda parameters bind in the lambda; its defaults are read outside it', () => {
      const src = 'import time\nf = lambda time, *a, k=time.monotonic, **kw: time.sleep(1)\ntime.sleep(2)\n';
      assert.strictEqual(resolveAt(src, 'time.sleep(1)'), undefined);
      assert.deepStrictEqual(bindingAt(src, 'time.sleep(1)'), { kind: 'parameter', scope: 'lambda' });
      assert.strictEqual(resolveAt(src, 'time.monotonic'), 'time.monotonic');
      assert.strictEqual(resolveAt(src, 'time.sleep(2)'), 'time.sleep');
    });

    it('def and class names are bindings of the scope around them', () => {
      const src = 'def open(p):\n    return p\nclass sleep:\n    pass\nopen(1)\nsleep(2)\n';
      assert.deepStrictEqual(bindingAt(src, 'open(1)'), { kind: 'function', scope: 'module' });
      assert.deepStrictEqual(bindingAt(src, 'sleep(2)'), { kind: 'class', scope: 'module' });
      assert.strictEqual(resolveAt(src, 'open(1)'), undefined);
    });

    it('for and async for targets bind, tuples included', () => {
      const src = 'import time\nasync def f(xs):\n    for i, time in xs:\n        time.sleep(1)\n    async for (json, open) in xs:\n        open(2)\n';
      assert.deepStrictEqual(bindingAt(src, 'time.sleep'), { kind: 'for-target', scope: 'function' });
      assert.deepStrictEqual(bindingAt(src, 'open(2)'), { kind: 'for-target', scope: 'function' });
    });

    it('with and async with `as` targets bind, tuples included', () => {
      const src =
        'async def f():\n    async with lock() as (open, b), other() as sleep:\n        open(1)\n        sleep(2)\n    with ctx() as c:\n        c.run(3)\n';
      assert.deepStrictEqual(bindingAt(src, 'open(1)'), { kind: 'with-target', scope: 'function' });
      assert.deepStrictEqual(bindingAt(src, 'sleep(2)'), { kind: 'with-target', scope: 'function' });
      assert.deepStrictEqual(bindingAt(src, 'c.run'), { kind: 'with-target', scope: 'function' });
    });

    it('except … as binds the name in the handler, and unbinds it when the handler ends', () => {
      const src = 'import time\ntry:\n    pass\nexcept (OSError, time.Error) as time:\n    time.sleep(1)\ntime.sleep(2)\n';
      assert.deepStrictEqual(bindingAt(src, 'time.sleep(1)'), { kind: 'except-handler', scope: 'module' });
      assert.strictEqual(resolveAt(src, 'time.Error'), 'time.Error');
      assert.strictEqual(resolveAt(src, 'time.sleep(2)'), undefined); // deleted at the end of the handler
      assert.strictEqual(shadowedAt(src, 'time', 'time.sleep(2)'), true);
      assert.strictEqual(resolveAt('try:\n    pass\nexcept* ValueError as open:\n    open(1)\n', 'open(1)'), undefined);
      // At module level the builtin shows again after the handler; in a function the name is then unbound.
      assert.strictEqual(resolveAt('try:\n    pass\nexcept OSError as open:\n    pass\nopen(p)\n', 'open(p)'), 'open');
      assert.strictEqual(bindingAt('def f():\n    try:\n        pass\n    except OSError as e:\n        pass\n    e.x()\n', 'e.x'), undefined);
    });

    it('a walrus binds in the enclosing scope that is not a comprehension', () => {
      const src = 'from time import sleep\ndef f(fs):\n    ys = [(sleep := g) for g in fs]\n    sleep(1)\nsleep(2)\n[(open := h) for h in hs]\nopen(3)\n';
      assert.deepStrictEqual(bindingAt(src, 'sleep(1)'), { kind: 'named-expression', scope: 'function' });
      assert.strictEqual(resolveAt(src, 'sleep(2)'), 'time.sleep');
      assert.deepStrictEqual(bindingAt(src, 'open(3)'), { kind: 'named-expression', scope: 'module' });
      assert.strictEqual(resolveAt('import os\nif (os := get()):\n    os.getcwd()\n', 'os.getcwd'), undefined);
    });

    it('match captures bind: class keyword patterns, sequences with *rest, mappings with **rest, `as`', () => {
      const body = (p: string) => `import time\nmatch v:\n    case ${p}:\n        time.sleep(1)\n`;
      for (const p of [
        'Point(x=time, y=0)',
        '[a, *time]',
        '{"k": time}',
        '{"k": 1, **time}',
        'str() as time',
        '_ as time',
        'time',
        '(a, time)',
        '[Point(time)]',
      ]) {
        assert.deepStrictEqual(bindingAt(body(p), 'time.sleep'), { kind: 'match-capture', scope: 'module' }, p);
      }
      // Value patterns and class names are read, not bound.
      assert.strictEqual(resolveAt(body('time.X'), 'time.sleep'), 'time.sleep');
      assert.strictEqual(resolveAt(body('Point(x=0)'), 'time.sleep'), 'time.sleep');
      assert.deepStrictEqual(bindingAt('import enum\nmatch v:\n    case enum.Flag.A:\n        pass\n', 'enum', 1), {
        kind: 'import',
        scope: 'module',
        imported: 'enum',
      });
      // The guard sees the captures.
      assert.deepStrictEqual(bindingAt('match v:\n    case [open] if open(1):\n        pass\n', 'open(1)'), { kind: 'match-capture', scope: 'module' });
    });

    it("global sends a function's binding to the module: a lazy import there counts for every function", () => {
      const src = 'np = None\ndef load():\n    global np\n    import numpy as np\ndef use():\n    return np.array(x)\n';
      assert.strictEqual(resolveAt(src, 'np.array'), 'numpy.array');
      assert.deepStrictEqual(bindingAt(src, 'np.array'), { kind: 'import', scope: 'module', imported: 'numpy' });
      const rebinds = 'import time\ndef fake():\n    global time\n    time = FakeClock()\ndef wait():\n    time.sleep(1)\n';
      assert.strictEqual(resolveAt(rebinds, 'time.sleep'), undefined);
      // A name declared global is read from the module even where the function binds it.
      assert.strictEqual(resolveAt('import time\ndef f():\n    global time\n    time.sleep(1)\n    time = 1\n', 'time.sleep'), undefined);
      assert.strictEqual(resolveAt('import time\ndef f():\n    global time\n    time.sleep(1)\n', 'time.sleep'), 'time.sleep');
    });

    it("nonlocal reads and binds the enclosing function's name", () => {
      const src = 'def outer():\n    import time\n    def inner():\n        nonlocal time\n        time.sleep(1)\n    inner()\n    time.sleep(2)\n';
      assert.strictEqual(resolveAt(src, 'time.sleep(1)'), 'time.sleep');
      assert.deepStrictEqual(bindingAt(src, 'time.sleep(1)'), { kind: 'import', scope: 'function', imported: 'time' });
      const rebinds = 'def outer():\n    from time import sleep\n    def inner():\n        nonlocal sleep\n        sleep = fake\n    inner()\n    sleep(2)\n';
      assert.strictEqual(resolveAt(rebinds, 'sleep(2)'), undefined); // the inner function's binding is the last
      assert.deepStrictEqual(bindingAt(rebinds, 'sleep(2)'), { kind: 'assignment', scope: 'function' });
    });

    it('del unbinds: in a function the name is then unbound; at module level the builtin shows again', () => {
      assert.strictEqual(resolveAt('import time\ndef f():\n    del time\n    time.sleep(1)\n', 'time.sleep'), undefined);
      assert.strictEqual(resolveAt('open = make()\ndel open\nopen(p)\n', 'open(p)'), 'open');
      assert.strictEqual(resolveAt('open = make()\nopen(p)\ndel open\n', 'open(p)'), undefined);
      assert.strictEqual(resolveAt('import time\ndel time, x\ntime.sleep(1)\n', 'time.sleep'), undefined);
      assert.deepStrictEqual(bindingAt('import os\ndel os.environ["X"]\nos.getcwd()\n', 'os.getcwd'), { kind: 'import', scope: 'module', imported: 'os' });
    });

    it('type parameters bind in their own scope; a type alias binds its name', () => {
      const src =
        'from time import sleep\ndef f[sleep: int, *Ts, **P](x: sleep) -> sleep:\n    return sleep(1)\nsleep(2)\nclass C[sleep](Base[sleep]):\n    y: sleep\ntype json[T] = list[T]\njson.dumps(3)\n';
      assert.deepStrictEqual(bindingAt(src, 'sleep(1)'), { kind: 'type-parameter', scope: 'type' });
      assert.deepStrictEqual(bindingAt(src, 'sleep) ->'), { kind: 'type-parameter', scope: 'type' });
      assert.deepStrictEqual(bindingAt(src, 'sleep]):'), { kind: 'type-parameter', scope: 'type' });
      assert.strictEqual(resolveAt(src, 'sleep(2)'), 'time.sleep');
      assert.deepStrictEqual(bindingAt(src, 'json.dumps'), { kind: 'type-alias', scope: 'module' });
    });
  });

  describe('resolution', () => {
    it("LEGB: a local beats an enclosing function's, which beats the module's, which beats the builtin", () => {
      const src =
        'open = make()\ndef outer(open):\n    def inner():\n        open(1)\n        def innermost(open):\n            open(2)\n    return inner\nopen(3)\ndef plain():\n    return len(x)\n';
      assert.deepStrictEqual(bindingAt(src, 'open(1)'), { kind: 'parameter', scope: 'function' });
      assert.deepStrictEqual(bindingAt(src, 'open(2)'), { kind: 'parameter', scope: 'function' });
      assert.deepStrictEqual(bindingAt(src, 'open(3)'), { kind: 'assignment', scope: 'module' });
      assert.strictEqual(resolveAt(src, 'len(x)'), 'len');
    });

    it('a name bound anywhere in a function is local to all of it, even before the binding', () => {
      const src = 'import time\nasync def f():\n    time.sleep(1)\n    if cond:\n        time = Clock()\nasync def g():\n    time.sleep(2)\n';
      assert.strictEqual(resolveAt(src, 'time.sleep(1)'), undefined);
      assert.strictEqual(resolveAt(src, 'time.sleep(2)'), 'time.sleep');
    });

    it('class scope: class body names are seen by code in the body, not by its methods or nested functions', () => {
      const src =
        'from time import sleep\nclass C:\n    def sleep(self):\n        return sleep(1)\n    x = sleep(2)\n    def m(self):\n        def inner():\n            return sleep(3)\n';
      assert.strictEqual(resolveAt(src, 'sleep(1)'), 'time.sleep');
      assert.deepStrictEqual(bindingAt(src, 'sleep(2)'), { kind: 'function', scope: 'class' });
      assert.strictEqual(resolveAt(src, 'sleep(3)'), 'time.sleep');
      // A method's decorators and defaults run in the class body.
      const deco =
        'import functools\nclass C:\n    functools = None\n    @functools.cache\n    def m(self, f=functools.partial):\n        return functools.reduce(f)\n';
      assert.strictEqual(resolveAt(deco, 'functools.cache'), undefined);
      assert.strictEqual(resolveAt(deco, 'functools.partial'), undefined);
      assert.strictEqual(resolveAt(deco, 'functools.reduce'), 'functools.reduce');
    });

    it('class scope: a comprehension in a class body sees class names only in its first iterable', () => {
      const src = 'import json\nclass C:\n    json = None\n    rows = [json.dumps(r) for r in json.items]\n';
      assert.strictEqual(resolveAt(src, 'json.dumps'), 'json.dumps');
      assert.strictEqual(resolveAt(src, 'json.items'), undefined);
      assert.strictEqual(scopeKindAt(src, 'json.items'), 'class C');
      assert.strictEqual(scopeKindAt(src, 'json.dumps'), 'comprehension list_comprehension');
    });

    it('comprehensions are scopes: their targets are not seen outside, their first iterable is evaluated outside', () => {
      const src = 'import os\ndef f(xs):\n    ys = [os for os in xs if os.ok]\n    zs = {k: v for k, v in (os.environ, 1)}\n    return os.getcwd()\n';
      assert.deepStrictEqual(bindingAt(src, 'os.ok'), { kind: 'for-target', scope: 'comprehension' });
      assert.strictEqual(resolveAt(src, 'os.environ'), 'os.environ');
      assert.strictEqual(resolveAt(src, 'os.getcwd'), 'os.getcwd');
      const nested = 'def f(rows):\n    return [c for r in rows for c in r if c.ok]\n';
      assert.deepStrictEqual(bindingAt(nested, 'c.ok'), { kind: 'for-target', scope: 'comprehension' });
      assert.deepStrictEqual(bindingAt(nested, 'rows for'), { kind: 'parameter', scope: 'function' });
    });

    it("code that runs in order sees the binding before it; a def's body sees the scope's last binding", () => {
      const src = 'import json\njson.dumps(1)\ndef f():\n    return json.dumps(2)\njson = Fake()\njson.dumps(3)\n';
      assert.strictEqual(resolveAt(src, 'json.dumps(1)'), 'json.dumps');
      assert.strictEqual(resolveAt(src, 'json.dumps(2)'), undefined);
      assert.strictEqual(resolveAt(src, 'json.dumps(3)'), undefined);
      // An assignment's value sees the binding before the assignment.
      assert.strictEqual(resolveAt('from time import sleep\nsleep = wrap(sleep)\n', 'sleep)'), 'time.sleep');
      // Later imports win: the usual optional-dependency pattern.
      assert.strictEqual(
        resolveAt('try:\n    import ujson as json\nexcept ImportError:\n    import json\ndef f():\n    json.loads(x)\n', 'json.loads'),
        'json.loads',
      );
    });

    it('builtins resolve to their own name unless shadowed anywhere on the way out', () => {
      assert.strictEqual(resolveAt('open(p)\n', 'open(p)'), 'open');
      assert.strictEqual(resolveAt('def f(open):\n    open(p)\nopen(q)\n', 'open(q)'), 'open');
      assert.strictEqual(resolveAt('def f(open):\n    open(p)\n', 'open(p)'), undefined);
      assert.strictEqual(resolveAt('sleep(1)\n', 'sleep(1)'), undefined); // not bound, not a builtin
      assert.strictEqual(shadowedAt('def f(open):\n    open(p)\n', 'open', 'open(p)'), true);
      assert.strictEqual(shadowedAt('import json\ndef f():\n    json.dumps(p)\n', 'json', 'json.dumps'), false);
      assert.strictEqual(shadowedAt('open(p)\n', 'open', 'open(p)'), false);
    });

    it('importlib.import_module, pytest.importorskip and __import__ bind a module', () => {
      const src =
        'import importlib, pytest\nrequests = pytest.importorskip("requests")\nyaml = importlib.import_module("ruamel.yaml")\nos = __import__("os.path")\nfrom importlib import import_module\nsp = import_module("subprocess")\n' +
        'def t():\n    requests.get(u)\n    yaml.load(f)\n    os.getcwd()\n    sp.run(c)\n';
      assert.strictEqual(resolveAt(src, 'requests.get'), 'requests.get');
      assert.strictEqual(resolveAt(src, 'yaml.load'), 'ruamel.yaml.load');
      assert.strictEqual(resolveAt(src, 'os.getcwd'), 'os.getcwd'); // __import__("os.path") returns os
      assert.strictEqual(resolveAt(src, 'sp.run'), 'subprocess.run');
      // Only through the real loader: a function of the file's own, or a module the file does not import, loads nothing.
      assert.strictEqual(resolveAt('def import_module(m):\n    return m\nx = import_module("json")\nx.loads(s)\n', 'x.loads'), undefined);
      assert.strictEqual(resolveAt('x = importlib.import_module("json")\nx.loads(s)\n', 'x.loads'), undefined);
      assert.strictEqual(resolveAt('import importlib\nx = importlib.import_module(name)\nx.loads(s)\n', 'x.loads'), undefined);
    });

    it('attribute chains resolve through their first name only; self.x, calls and subscripts do not resolve', () => {
      const src =
        'import os\nfrom os import path\nclass C:\n    def m(self):\n        self.path.join(a)\n        path.join(b)\n        os.path.join(c)\n        os.environ["X"].split()\n        get().x()\n';
      assert.strictEqual(resolveAt(src, 'self.path.join'), undefined);
      assert.strictEqual(resolveAt(src, 'path.join(b)'), 'os.path.join');
      assert.strictEqual(resolveAt(src, 'os.path.join(c)'), 'os.path.join');
      const tree = parse('python', src);
      try {
        const m = new SemanticModel(tree, src);
        const calls = tree.rootNode.descendantsOfType('call').filter((c): c is Node => !!c);
        assert.deepStrictEqual(
          calls.map((c) => m.resolveCall(c) ?? null),
          [null, 'os.path.join', 'os.path.join', null, null, null],
        );
      } finally {
        tree.delete();
      }
    });

    it('scopeOf: decorators, defaults, annotations and the name of a def belong to the scope around it', () => {
      const src = 'class C:\n    @deco\n    def m(self, a: Ann = dflt) -> Ret:\n        body\nlam = lambda q=qd: qb\n';
      assert.strictEqual(scopeKindAt(src, 'deco'), 'class C');
      assert.strictEqual(scopeKindAt(src, 'dflt'), 'class C');
      assert.strictEqual(scopeKindAt(src, 'Ann'), 'class C');
      assert.strictEqual(scopeKindAt(src, 'Ret'), 'class C');
      assert.strictEqual(scopeKindAt(src, 'm('), 'class C');
      assert.strictEqual(scopeKindAt(src, 'self'), 'function m');
      assert.strictEqual(scopeKindAt(src, 'body'), 'function m');
      assert.strictEqual(scopeKindAt(src, 'qd'), 'module');
      assert.strictEqual(scopeKindAt(src, 'qb'), 'lambda lambda');
      assert.strictEqual(scopeKindAt('def f[T](x: T) -> T:\n    y\n', 'T) ->'), 'type f');
      assert.strictEqual(scopeKindAt('def f[T](x: T) -> T:\n    y\n', 'y'), 'function f');
    });

    it('references are the names read: not attribute names, keyword names, import names or bound names', () => {
      const src = 'import os\nfrom m import a as b\nx = os.path.join(y, sep=z)\ndef f(p, q=d):\n    return [p for p in q if p]\nclass K(Base):\n    attr = x\n';
      const tree = parse('python', src);
      try {
        const refs = new SemanticModel(tree, src).references().map((r) => `${r.name}@${r.scope.kind}`);
        assert.deepStrictEqual(refs, [
          'os@module',
          'y@module',
          'z@module',
          'd@module',
          'p@comprehension',
          'q@function',
          'p@comprehension',
          'Base@module',
          'x@class',
        ]);
      } finally {
        tree.delete();
      }
    });

    it("ownAttribute: self.name in a method is the class's own method or attribute, when the class defines it", () => {
      const src =
        'class Store:\n    def write_bytes(self, b):\n        pass\n    async def save(self, b):\n        self.write_bytes(b)\n        self.path.write_bytes(b)\n        self.read_text()\n    @staticmethod\n    def s(self):\n        self.write_bytes(1)\n';
      const tree = parse('python', src);
      try {
        for (const m of models(tree, src)) {
          const at = (e: string) => m.ownAttribute(nodeAt(tree, src, e));
          assert.strictEqual(at('self.write_bytes(b)')?.kind, 'function');
          assert.strictEqual(at('self.path.write_bytes'), undefined);
          assert.strictEqual(at('self.read_text'), undefined);
          assert.strictEqual(at('self.write_bytes(1)'), undefined);
        }
      } finally {
        tree.delete();
      }
    });
  });

  describe('the real-world cases', () => {
    it('a parameter named sleep in one coroutine leaves time.sleep in another', () => {
      const src = 'from time import sleep\n\nasync def retry(op, sleep):\n    await sleep(1)\n\nasync def poll():\n    sleep(5)\n';
      assert.strictEqual(resolveAt(src, 'sleep(1)'), undefined);
      assert.strictEqual(resolveAt(src, 'sleep(5)'), 'time.sleep');
    });

    it('a local socket = … in one function leaves socket.create_connection in another', () => {
      const src =
        'import socket\n\ndef serve():\n    socket = make()\n    socket.create_connection(a)\n\ndef dial():\n    return socket.create_connection(b)\n';
      assert.strictEqual(resolveAt(src, 'socket.create_connection(a)'), undefined);
      assert.strictEqual(resolveAt(src, 'socket.create_connection(b)'), 'socket.create_connection');
    });

    it("a method def open(self) leaves the builtin open everywhere else, even in that class's other methods", () => {
      const src = 'class Door:\n    def open(self):\n        return open("door.txt")\n\nasync def read(p):\n    return open(p)\n';
      assert.strictEqual(resolveAt(src, 'open("door'), 'open');
      assert.strictEqual(resolveAt(src, 'open(p)'), 'open');
    });

    it('from subprocess import Popen as pop is followed', () => {
      assert.strictEqual(resolveAt('from subprocess import Popen as pop\n\ndef run(cmd):\n    return pop(cmd, shell=True)\n', 'pop(cmd'), 'subprocess.Popen');
    });

    it('requests = pytest.importorskip("requests") binds requests', () => {
      assert.strictEqual(
        resolveAt('import pytest\n\nrequests = pytest.importorskip("requests")\n\ndef test_get():\n    requests.get(URL)\n', 'requests.get'),
        'requests.get',
      );
    });

    it("self.write_bytes(…) of the user's own class is not Path.write_bytes", () => {
      const src = 'class Blob:\n    def write_bytes(self, data):\n        ...\n\n    async def flush(self):\n        self.write_bytes(b"")\n';
      assert.strictEqual(resolveAt(src, 'self.write_bytes'), undefined);
      const tree = parse('python', src);
      try {
        assert.strictEqual(new SemanticModel(tree, src).ownAttribute(nodeAt(tree, src, 'self.write_bytes'))?.kind, 'function');
      } finally {
        tree.delete();
      }
    });
  });

  describe('laziness and pieces', () => {
    it('on every fixture and docs example, every name read resolves alike lazily, by pieces and in the built model', function () {
      this.timeout(120_000);
      const texts: string[] = [];
      const dir = path.join(__dirname, 'fixtures', 'python');
      for (const f of fs.readdirSync(dir)) if (f.endsWith('.py')) texts.push(fs.readFileSync(path.join(dir, f), 'utf8'));
      for (const r of RULES) if (r.meta.language === 'python') texts.push(r.meta.docs.example, r.meta.docs.useInstead);
      let checked = 0;
      for (const src of texts) {
        const tree = parse('python', src);
        try {
          const [lazy, byPieces, built] = models(tree, src);
          for (const ref of built.references()) {
            const key = (m: SemanticModel) => {
              const r = m.lookup(ref.name, ref.node);
              return r.kind === 'binding' ? `${r.binding.kind}@${r.binding.start}:${r.binding.imported ?? ''}` : r.kind;
            };
            assert.strictEqual(key(lazy), key(built), `${ref.name} at ${ref.node.startIndex}`);
            assert.strictEqual(key(byPieces), key(built), `${ref.name} at ${ref.node.startIndex}`);
            checked++;
          }
        } finally {
          tree.delete();
        }
      }
      assert.ok(checked > 1000, `${checked} references checked`);
    });

    it('pieces keep their module bindings across an edit elsewhere, and the answers are those of a fresh model', () => {
      const before = 'import time\n\n\ndef a():\n    time.sleep(1)\n\n\ndef b():\n    pass\n';
      const after = before.replace('    pass\n', '    global time\n    time = Fake()\n');
      const t1 = parse('python', before);
      const t2 = parse('python', after);
      try {
        const p1 = piecesOf(t1);
        assert.strictEqual(new SemanticModel(t1, before, { pieces: p1 }).resolve(nodeAt(t1, before, 'time.sleep')), 'time.sleep');
        // The edit touched the last piece only: it gets a fresh memo, the others keep theirs.
        const p2 = piecesOf(t2).map((p, i) => (i < p1.length - 1 ? { ...p, memo: p1[i].memo } : p));
        assert.ok(p1[0].memo.size > 0, "the import's piece remembered what it binds");
        assert.strictEqual(new SemanticModel(t2, after, { pieces: p2 }).resolve(nodeAt(t2, after, 'time.sleep')), undefined);
        assert.strictEqual(new SemanticModel(t2, after).resolve(nodeAt(t2, after, 'time.sleep')), undefined);
      } finally {
        t1.delete();
        t2.delete();
      }
    });
  });
  describe('in the incremental analysis (rules/python/pyutil.ts qualify)', () => {
    /** Analyses `src`, replaces the first `from` with `to`, analyses again from the kept state; checks it against a whole analysis. */
    function afterEdit(src: string, from: string, to: string) {
      const od = new OpenDocument(TextDocument.create('file:///t.py', 'python', 1, src), 'python');
      try {
        const first = analyzeDocument(od.currentTree(), od.text, 'python', undefined);
        od.analysis = first.state;
        const at = src.indexOf(from);
        assert.ok(at >= 0, `${from} is in the source`);
        od.applyChanges([{ range: { start: od.doc.positionAt(at), end: od.doc.positionAt(at + from.length) }, text: to }], 2);
        const second = analyzeDocument(od.currentTree(), od.text, 'python', od.analysis);
        assert.deepStrictEqual(second.findings, analyzeSource(od.text, 'python'), 'same findings as a whole analysis');
        return { before: first.findings, after: second.findings, ran: second.state.ran };
      } finally {
        od.dispose();
      }
    }
    const blocking = (fs: Finding[]) => fs.filter((f) => f.rule === 'python/blocking-io-in-async').length;

    // The sources say "global" from the start: a rule that mentions `glob` would otherwise join the analysis (a new rule set: all re-run).
    it("a def that starts rebinding the module's time with global clears the finding in a coroutine the edit did not touch", () => {
      const src = '"""Module globals."""\nimport time\n\n\nasync def a():\n    time.sleep(1)\n\n\ndef b():\n    return 1\n';
      const r = afterEdit(src, '    return 1\n', '    global time\n    time = FakeClock()\n');
      assert.strictEqual(blocking(r.before), 1);
      assert.strictEqual(blocking(r.after), 0);
      assert.strictEqual(r.ran, 2); // b, and a: it read `time` across the file
    });

    it("dropping a local rebinding of sleep makes that coroutine's call time.sleep, re-running it alone", () => {
      const src = 'from time import sleep\n\n\nasync def a(nap):\n    sleep = nap\n    sleep(1)\n\n\nasync def b():\n    sleep(2)\n';
      const r = afterEdit(src, '    sleep = nap\n', '');
      assert.strictEqual(blocking(r.before), 1); // b's call only
      assert.strictEqual(blocking(r.after), 2);
      assert.strictEqual(r.ran, 2); // a, and b: it read `sleep` across the file, and a's changed
    });

    it('a local binding of another name in one def re-runs no other def', () => {
      const src = 'import time\n\n\nasync def a():\n    time.sleep(1)\n\n\ndef b():\n    return 1\n';
      const r = afterEdit(src, '    return 1\n', '    socket = make()\n    return socket\n');
      assert.strictEqual(r.ran, 1);
      assert.strictEqual(blocking(r.after), 1);
    });

    it('a method named open added to a class leaves open() in other coroutines a finding', () => {
      const src = 'class Door:\n    def close(self):\n        pass\n\n\nasync def read(p):\n    return open(p)\n';
      const r = afterEdit(src, '    def close(self):\n        pass\n', '    def open(self):\n        pass\n');
      assert.strictEqual(blocking(r.before), 1);
      assert.strictEqual(blocking(r.after), 1);
    });

    it('a module bound by pytest.importorskip in another def, through global, makes requests.get a finding', () => {
      const src = '"""Module globals."""\nimport pytest\n\nrequests = None\n\n\ndef fetch(url):\n    return requests.get(url)\n\n\ndef setup():\n    pass\n';
      const timeouts = (fs: Finding[]) => fs.filter((f) => f.rule === 'python/http-without-timeout').length;
      const r = afterEdit(src, '    pass\n', '    global requests\n    requests = pytest.importorskip("requests")\n');
      assert.strictEqual(timeouts(r.before), 0);
      assert.strictEqual(timeouts(r.after), 1);
      assert.strictEqual(r.ran, 2);
    });
  });
});
