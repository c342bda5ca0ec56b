// Fix guards for shapes where a fix once changed behaviour (issue "Advice that holds on code nobody here has read").
// Where a fix is offered, the code runs before and after it with python3 and the outcomes are compared.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { analyzeSource, fixSource, initEngine } from '../server/src/engine';
import { GO_ENV, goTool } from './harness';

before(async () => {
  await initEngine();
});

/** Runs `main` of a Python program in a folder with the given extra modules; returns what it printed or raised. */
function runPython(program: string, modules: Record<string, string> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotspots-guard-'));
  try {
    for (const [name, text] of Object.entries(modules)) fs.writeFileSync(path.join(dir, `${name}.py`), text);
    fs.writeFileSync(path.join(dir, 'prog.py'), program);
    const r = spawnSync('python3', ['-c', 'import prog; prog.main()'], { cwd: dir, encoding: 'utf8' });
    return `${r.stdout}${r.stderr
      .split('\n')
      .filter((l) => /Error|Exception/.test(l))
      .join('\n')}|exit ${r.status}`;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs a Go main package with the test toolchain; returns what it printed, or undefined without a toolchain. */
function runGo(program: string): string | undefined {
  const t = goTool();
  if (!t) return undefined;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotspots-guard-go-'));
  try {
    fs.writeFileSync(path.join(dir, 'go.mod'), `module example.com/guard\n\ngo ${t.version}\n`);
    fs.writeFileSync(path.join(dir, 'main.go'), program);
    const r = spawnSync(t.go, ['run', '.'], { cwd: dir, encoding: 'utf8', env: GO_ENV });
    return `${r.stdout}${r.stderr}|exit ${r.status}`;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// A stand-in for requests: records calls, so the program's output shows which path each request took.
const FAKE_REQUESTS = 'class Session:\n    def get(self, url, **kw):\n        return f"session {url}"\n\n\ndef get(url, **kw):\n    return f"plain {url}"\n';

describe('fix guards', () => {
  it('requests-without-session puts the session after the import that binds requests, even a late one', () => {
    const src =
      '"""Fetch things."""\nimport os\nimport sys\n\nsys.path.insert(0, os.path.dirname(__file__))\n\nimport requests\n\n\ndef fetch_all(urls):\n    return [requests.get(u, timeout=5) for u in urls]\n\n\ndef main():\n    print(fetch_all(["a", "b"]))\n';
    const fixed = fixSource(src, 'python', { unsafe: true, only: 'python/requests-without-session' }).text;
    assert.notStrictEqual(fixed, src, 'a fix is offered');
    assert.ok(fixed.indexOf('HTTP_SESSION = requests.Session()') > fixed.indexOf('import requests'), fixed);
    const before = runPython(src, { requests: FAKE_REQUESTS });
    const after = runPython(fixed, { requests: FAKE_REQUESTS });
    assert.match(before, /plain a/);
    assert.match(after, /\['session a', 'session b'\]\n\|exit 0/);
  });

  it('blocking-io-in-async: time.sleep -> await asyncio.sleep is unsafe (other tasks run during the sleep)', () => {
    const src = 'import time\n\n\nasync def hold():\n    time.sleep(0.01)\n';
    const f = analyzeSource(src, 'python').find((x) => x.rule === 'python/blocking-io-in-async');
    assert.strictEqual(f?.fix?.applicability, 'unsafe');
    // And the difference is real: another task runs during the new sleep, not during the old one.
    const program = (sleep: string) =>
      `import asyncio\nimport time\n\n\nasync def hold(log):\n    log.append("start")\n    ${sleep}\n    log.append("end")\n\n\nasync def other(log):\n    log.append("other")\n\n\nasync def run():\n    log = []\n    await asyncio.gather(hold(log), other(log))\n    print(log)\n\n\ndef main():\n    asyncio.run(run())\n`;
    const fixedProgram = fixSource(program('time.sleep(0.01)'), 'python', { unsafe: true, only: 'python/blocking-io-in-async' }).text;
    assert.match(fixedProgram, /await asyncio\.sleep\(0\.01\)/);
    assert.match(runPython(program('time.sleep(0.01)')), /\['start', 'end', 'other'\]/);
    assert.match(runPython(fixedProgram), /\['start', 'other', 'end'\]/);
  });

  it('string-concat-in-loop offers no builder for an accumulator on both sides (`s += s`)', function () {
    this.timeout(60_000);
    const program = (loop: string) =>
      `package main\n\nimport (\n\t"fmt"\n\t"strings"\n)\n\nvar _ strings.Builder\n\nfunc doubled(seed string, n int) string {\n\ts := seed\n${loop}\treturn s\n}\n\nfunc main() { fmt.Println(doubled("ab", 3)) }\n`;
    const src = program('\tfor i := 0; i < n; i++ {\n\t\ts += s\n\t}\n');
    const found = analyzeSource(src, 'go').filter((x) => x.rule === 'go/string-concat-in-loop');
    assert.strictEqual(found.length, 1, 'still flagged: the string doubles every iteration');
    assert.strictEqual(found[0].fix, undefined);
    // What a builder rewrite did: it appended the string as it was before the loop.
    const builder = program('\tvar sb strings.Builder\n\tsb.WriteString(s)\n\tfor i := 0; i < n; i++ {\n\t\tsb.WriteString(s)\n\t}\n\ts = sb.String()\n');
    const before = runGo(src);
    if (before === undefined) this.skip();
    assert.strictEqual(before, 'abababababababab\n|exit 0');
    assert.strictEqual(runGo(builder), 'abababab\n|exit 0');
  });

  it('goroutine-leak-early-return offers no wg.Wait() where waiting would block forever', function () {
    this.timeout(120_000);
    // Each shape returns early; with a Wait inserted before that return the program deadlocks.
    const shapes: Record<string, { fn: string; call: string }> = {
      'wg.Add(n) counted goroutines not yet started': {
        fn: 'func run(stop bool, jobs []func()) error {\n\tvar wg sync.WaitGroup\n\twg.Add(len(jobs))\n\tfor i, job := range jobs {\n\t\tif stop && i == 1 {\n\t\t\t/*WAIT*/ return errors.New("stopped")\n\t\t}\n\t\tgo func(job func()) {\n\t\t\tdefer wg.Done()\n\t\t\tjob()\n\t\t}(job)\n\t}\n\twg.Wait()\n\treturn nil\n}\n',
        call: 'run(true, []func(){func() {}, func() {}, func() {}})',
      },
      'the goroutines end only when a deferred close runs': {
        fn: 'func run(stop bool, n int) error {\n\tvar wg sync.WaitGroup\n\tdone := make(chan struct{})\n\tdefer close(done)\n\tfor i := 0; i < n; i++ {\n\t\twg.Add(1)\n\t\tgo func() {\n\t\t\tdefer wg.Done()\n\t\t\t<-done\n\t\t}()\n\t}\n\tif stop {\n\t\t/*WAIT*/ return errors.New("stopped")\n\t}\n\twg.Wait()\n\treturn nil\n}\n',
        call: 'run(true, 3)',
      },
      'the other goroutines block sending once the function stops reading': {
        fn: 'func run(jobs []func() error) error {\n\tvar wg sync.WaitGroup\n\tresults := make(chan error)\n\tfor _, job := range jobs {\n\t\twg.Add(1)\n\t\tgo func(job func() error) {\n\t\t\tdefer wg.Done()\n\t\t\tresults <- job()\n\t\t}(job)\n\t}\n\tfor range jobs {\n\t\tif err := <-results; err != nil {\n\t\t\t/*WAIT*/ return err\n\t\t}\n\t}\n\twg.Wait()\n\treturn nil\n}\n',
        call: 'run([]func() error{func() error { return errors.New("x") }, func() error { return errors.New("y") }})',
      },
    };
    for (const [why, { fn, call }] of Object.entries(shapes)) {
      const program = (body: string) => `package main\n\nimport (\n\t"errors"\n\t"fmt"\n\t"sync"\n)\n\n${body}\nfunc main() { fmt.Println(${call}) }\n`;
      const src = program(fn.replace('/*WAIT*/ ', ''));
      const found = analyzeSource(src, 'go').filter((x) => x.rule === 'go/goroutine-leak-early-return');
      assert.strictEqual(found.length, 1, `${why}: flagged`);
      assert.strictEqual(found[0].fix, undefined, `${why}: no fix`);
      const before = runGo(src);
      if (before === undefined) this.skip();
      assert.match(before!, /exit 0$/, why);
      assert.match(runGo(program(fn.replace('/*WAIT*/ ', 'wg.Wait()\n\t\t\t')))!, /all goroutines are asleep - deadlock/, `${why}: a Wait there deadlocks`);
    }
  });

  it('materialized-then-iterated makes no generator of an async comprehension (TypeError when consumed)', () => {
    const src =
      'async def total(feed):\n    items = [x async for x in feed]\n    return sum(items)\n\n\nasync def biggest(fetch, keys):\n    values = [await fetch(k) for k in keys]\n    return max(values)\n';
    assert.deepStrictEqual(
      analyzeSource(src, 'python').filter((x) => x.rule === 'python/materialized-then-iterated'),
      [],
    );
    // What the old fix produced fails at run time.
    const broken =
      'import asyncio\n\n\nasync def feed():\n    for i in range(3):\n        yield i\n\n\nasync def total():\n    items = (x async for x in feed())\n    return sum(items)\n\n\ndef main():\n    print(asyncio.run(total()))\n';
    assert.match(runPython(broken), /TypeError/);
    assert.match(runPython(broken.replace('(x async for x in feed())', '[x async for x in feed()]')), /^3\n/);
  });
});
