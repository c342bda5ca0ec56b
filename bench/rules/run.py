"""Times each rule's flagged shape against its fixed shape at two or more sizes, and writes results.json.

Usage: python3 bench/rules/run.py [RULE-NAME ...]     (npm run bench:rules)
Go rules: bench/rules/go/<rule>_test.go, a Go module; each file has Benchmark<Rule> with sub-benchmarks
flagged/n=<size> and fixed/n=<size> and a Test<Rule> that checks both shapes agree. The runner runs the tests,
then `go test -bench` (best of 3), on the Go that scripts/go-toolchain.sh picks, in a copy of the module at that
toolchain's go line, and records each rule with the Go version as its runtime (see main_go for the extra runs).
Each module in bench/rules/python/ (and <rule>__<variant>.py for another shape the same rule flags) defines SIZES, setup(n) -> args, flagged(*args), fixed(*args), and optionally
UNIT, NUMBER (calls per timing; default: chosen by timeit) and teardown(). The two shapes must return equal
results (when they return anything): the runner checks that before timing.
"""
import datetime
import importlib.util
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import timeit

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
OUT = os.path.join(HERE, "results.json")


def load(path):
    spec = importlib.util.spec_from_file_location(os.path.basename(path)[:-3], path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def best(fn, args, number, repeat):
    timer = timeit.Timer(lambda: fn(*args))
    if number is None:
        number, _ = timer.autorange()
    return min(timer.repeat(repeat=repeat, number=number)) / number


def measure_python(label, mod):
    """Times one benchmark module (its SIZES, setup, flagged, fixed) and returns its entry."""
    number = getattr(mod, "NUMBER", None)
    repeat = 3 if number == 1 else 5
    sizes, ratios, slow, fast = [], [], [], []
    try:
        for n in mod.SIZES:
            args = mod.setup(n)
            a, b = mod.flagged(*args), mod.fixed(*args)
            if a != b and getattr(mod, "SAME_RESULT", True):
                raise AssertionError(f"{label}: flagged and fixed shapes disagree at n={n}")
            t_slow = best(mod.flagged, args, number, repeat)
            t_fast = best(mod.fixed, args, number, repeat)
            sizes.append(n)
            slow.append(t_slow)
            fast.append(t_fast)
            ratios.append(round(t_slow / t_fast, 2))
            print(f"{label:40} n={n:>9,}  flagged {t_slow * 1e3:10.3f} ms  fixed {t_fast * 1e3:10.3f} ms  ratio {t_slow / t_fast:7.2f}x", flush=True)
    finally:
        if hasattr(mod, "teardown"):
            mod.teardown()
    return {
        "unit": getattr(mod, "UNIT", "items"),
        "sizes": sizes,
        "ratios": ratios,
        "flaggedSeconds": [float(f"{t:.6g}") for t in slow],
        "fixedSeconds": [float(f"{t:.6g}") for t in fast],
        "what": (mod.__doc__ or "").strip().split("\n")[0],
        "date": datetime.date.today().isoformat(),
    }


def main(selected):
    results = {}
    if os.path.exists(OUT):
        with open(OUT) as fh:
            results = json.load(fh).get("rules", {})
    folder = os.path.join(HERE, "python")
    sys.path.insert(0, folder)                     # for the benchmarks' shared helpers (_*.py)
    names = sorted(n for n in os.listdir(folder) if n.endswith(".py") and not n.startswith("_"))
    for name in names:
        if "__" in name:
            continue                               # a variant: measured with its rule below
        rule = "python/" + name[:-3].replace("_", "-")
        if selected and rule.split("/")[1] not in selected and rule not in selected:
            continue
        entry = measure_python(rule, load(os.path.join(folder, name)))
        # <rule>__<variant>.py: the same rule's fix on another shape it flags (its findings quote these figures).
        variants = {}
        for other in names:
            base, _, variant = other[:-3].partition("__")
            if variant and base == name[:-3]:
                key = variant.replace("_", "-")
                variants[key] = measure_python(f"{rule} ({key})", load(os.path.join(folder, other)))
        if variants:
            entry["variants"] = variants
        results[rule] = entry
        write(results)                                 # after every rule: a failure later keeps what was measured
    main_go(selected, results)
    print(f"wrote {OUT}")


def kebab(camel):
    return re.sub(r"(?<!^)(?=[A-Z])", "-", camel).lower()


def go_binary(legacy=False):
    """The go command scripts/go-toolchain.sh picks (the machine's Go 1.22+, else Debian's), or Debian's Go 1.19."""
    args = ["bash", os.path.join(ROOT, "scripts", "go-toolchain.sh")] + (["--legacy"] if legacy else [])
    r = subprocess.run(args, capture_output=True, text=True)
    return r.stdout.strip() if r.returncode == 0 else None


def go_version(go):
    """("Go 1.26.8", "1.26") for a go command."""
    v = subprocess.run([go, "env", "GOVERSION"], capture_output=True, text=True, check=True).stdout.strip()
    return v.replace("go", "Go ", 1), ".".join(v[2:].split(".")[:2])


def run_go(go, wanted, go_line):
    """Tests, then benchmarks, the wanted rules in a copy of the module whose go.mod says `go <go_line>`.

    The go line matters beyond the language: the runtime's GODEBUG defaults follow the main module's go line
    (a module below go 1.23 keeps the old timers even when a newer toolchain builds it).
    Returns {rule: entry}."""
    env = dict(os.environ, GOFLAGS="-mod=mod", GOPROXY="off", GOTOOLCHAIN="local")
    with tempfile.TemporaryDirectory(prefix="hotspots-gobench-") as tmp:
        folder = os.path.join(tmp, "bench")
        shutil.copytree(os.path.join(HERE, "go"), folder)
        with open(os.path.join(folder, "go.mod"), "w") as fh:
            fh.write(f"module example.com/hotspots/bench\n\ngo {go_line}\n")
        names = "|".join(camel(r) for r, _ in wanted)
        subprocess.run([go, "test", "-count=1", "-run", f"^Test({names})$", "."], cwd=folder, env=env, check=True)
        out = subprocess.run([go, "test", "-run", "^$", "-bench", f"^Benchmark({names})$", "-benchtime", "0.3s", "-count", "3", "-benchmem", "."],
                             cwd=folder, env=env, check=True, capture_output=True, text=True).stdout
    runtime, _ = go_version(go)
    times = {}
    memory = {}
    for m in re.finditer(r"^Benchmark(\w+)/(flagged|fixed)/n=(\d+)(?:-\d+)?\s+\d+\s+([\d.]+) ns/op\s+(\d+) B/op", out, re.M):
        key = (kebab(m.group(1)), int(m.group(3)))
        times.setdefault(key, {}).setdefault(m.group(2), []).append(float(m.group(4)) / 1e9)
        memory.setdefault(key, {}).setdefault(m.group(2), []).append(int(m.group(5)))
    entries = {}
    for rule, _ in wanted:
        name = rule.split("/")[1]
        sizes = sorted(n for (r, n) in times if r == name)
        slow = [min(times[(name, n)]["flagged"]) for n in sizes]
        fast = [min(times[(name, n)]["fixed"]) for n in sizes]
        for n, a, b in zip(sizes, slow, fast):
            print(f"{rule:40} n={n:>9,}  flagged {a * 1e3:10.3f} ms  fixed {b * 1e3:10.3f} ms  ratio {a / b:7.2f}x  ({runtime}, go {go_line})", flush=True)
        entries[rule] = {
            "date": datetime.date.today().isoformat(),
            "runtime": runtime,
            "goLine": go_line,
            "sizes": sizes,
            "ratios": [round(a / b, 2) for a, b in zip(slow, fast)],
            "flaggedSeconds": [float(f"{t:.6g}") for t in slow],
            "fixedSeconds": [float(f"{t:.6g}") for t in fast],
            "flaggedBytes": [min(memory[(name, n)]["flagged"]) for n in sizes],
            "fixedBytes": [min(memory[(name, n)]["fixed"]) for n in sizes],
        }
    return entries


def camel(rule):
    return "".join(w.capitalize() for w in rule.split("/")[1].split("-"))


def main_go(selected, results):
    """Each Go rule on the current toolchain, in a module at that toolchain's go line; a benchmark file's
    `// also at go: 1.22` line adds a run at that go line (the variant "go1.22"), and Debian's Go 1.19, when it
    is installed, a run kept under "legacy"."""
    folder = os.path.join(HERE, "go")
    go = go_binary()
    if not go:
        print("no Go toolchain: the Go rules are not measured (apt-get install golang-go)")
        return
    files = sorted(f for f in os.listdir(folder) if f.endswith("_test.go") and f != "bench_test.go")
    wanted = []
    for f in files:
        rule = "go/" + f[: -len("_test.go")].replace("_", "-")
        if selected and rule.split("/")[1] not in selected and rule not in selected:
            continue
        wanted.append((rule, f))
    if not wanted:
        return
    runtime, line = go_version(go)
    if int(line.split(".")[1]) < 22:
        print(f"the Go figures come from {runtime}: no Go 1.22 or newer here (scripts/go-toolchain.sh)")
    current = run_go(go, wanted, line)
    sources = {rule: open(os.path.join(folder, f)).read() for rule, f in wanted}
    also = {rule: re.findall(r"^// also at go: ([\d.]+)$", src, re.M) for rule, src in sources.items()}
    by_line = {}
    for extra in sorted({v for vs in also.values() for v in vs}):
        subset = [(r, f) for r, f in wanted if extra in also[r]]
        for rule, entry in run_go(go, subset, extra).items():
            by_line.setdefault(rule, {})["go" + extra] = entry
    legacy = {}
    old = go_binary(legacy=True)
    if old and go_version(old)[0] != runtime:
        legacy = run_go(old, wanted, "1.19")
    elif not old:
        print("Debian's Go 1.19 is not installed: no legacy figures are kept beside the current ones")
    for rule, f in wanted:
        src = sources[rule]
        unit = re.search(r"^// unit: (.+)$", src, re.M)
        entry = dict(current[rule], unit=unit.group(1).strip() if unit else "items", what=src.split("\n", 1)[0].lstrip("/ ").strip())
        if rule in by_line:
            entry["variants"] = by_line[rule]
        if rule in legacy:
            entry["legacy"] = legacy[rule]
        results[rule] = entry
    write(results)


def write(results):
    data = {
        "runtime": f"CPython {platform.python_version()}",
        "machine": f"{os.cpu_count()} cores, {platform.machine()}, {platform.system()}",
        "date": datetime.date.today().isoformat(),
        "rules": dict(sorted(results.items())),
    }
    with open(OUT, "w") as fh:
        json.dump(data, fh, indent=2)
        fh.write("\n")


if __name__ == "__main__":
    main(sys.argv[1:])
