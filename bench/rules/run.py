"""Times each rule's flagged shape against its fixed shape at two or more sizes, and writes results.json.

Usage: python3 bench/rules/run.py [RULE-NAME ...]     (npm run bench:rules)
Go rules: bench/rules/go/<rule>_test.go, a Go module; each file has Benchmark<Rule> with sub-benchmarks
flagged/n=<size> and fixed/n=<size> and a Test<Rule> that checks both shapes agree. The runner runs the tests,
then `go test -bench` (best of 3), and records each rule with the Go version as its runtime.
Each module in bench/rules/python/ defines SIZES, setup(n) -> args, flagged(*args), fixed(*args), and optionally
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
import timeit

HERE = os.path.dirname(os.path.abspath(__file__))
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


def main(selected):
    results = {}
    if os.path.exists(OUT):
        with open(OUT) as fh:
            results = json.load(fh).get("rules", {})
    folder = os.path.join(HERE, "python")
    sys.path.insert(0, folder)                     # for the benchmarks' shared helpers (_*.py)
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".py") or name.startswith("_"):
            continue
        rule = "python/" + name[:-3].replace("_", "-")
        if selected and rule.split("/")[1] not in selected and rule not in selected:
            continue
        mod = load(os.path.join(folder, name))
        number = getattr(mod, "NUMBER", None)
        repeat = 3 if number == 1 else 5
        sizes, ratios, slow, fast = [], [], [], []
        try:
            for n in mod.SIZES:
                args = mod.setup(n)
                a, b = mod.flagged(*args), mod.fixed(*args)
                if a != b and getattr(mod, "SAME_RESULT", True):
                    raise AssertionError(f"{rule}: flagged and fixed shapes disagree at n={n}")
                t_slow = best(mod.flagged, args, number, repeat)
                t_fast = best(mod.fixed, args, number, repeat)
                sizes.append(n)
                slow.append(t_slow)
                fast.append(t_fast)
                ratios.append(round(t_slow / t_fast, 2))
                print(f"{rule:40} n={n:>9,}  flagged {t_slow * 1e3:10.3f} ms  fixed {t_fast * 1e3:10.3f} ms  ratio {t_slow / t_fast:7.2f}x", flush=True)
        finally:
            if hasattr(mod, "teardown"):
                mod.teardown()
        results[rule] = {
            "unit": getattr(mod, "UNIT", "items"),
            "sizes": sizes,
            "ratios": ratios,
            "flaggedSeconds": [float(f"{t:.6g}") for t in slow],
            "fixedSeconds": [float(f"{t:.6g}") for t in fast],
            "what": (mod.__doc__ or "").strip().split("\n")[0],
        }
        write(results)                                 # after every rule: a failure later keeps what was measured
    main_go(selected, results)
    print(f"wrote {OUT}")


def kebab(camel):
    return re.sub(r"(?<!^)(?=[A-Z])", "-", camel).lower()


def main_go(selected, results):
    folder = os.path.join(HERE, "go")
    if not shutil.which("go"):
        print("go not installed: the Go rules are not measured (apt-get install golang-go)")
        return
    env = dict(os.environ, GOFLAGS="-mod=mod", GOPROXY="off", GOTOOLCHAIN="local")
    files = sorted(f for f in os.listdir(folder) if f.endswith("_test.go") and f != "bench_test.go")
    wanted = []
    for f in files:
        rule = "go/" + f[: -len("_test.go")].replace("_", "-")
        if selected and rule.split("/")[1] not in selected and rule not in selected:
            continue
        wanted.append((rule, f))
    if not wanted:
        return
    names = "|".join("".join(w.capitalize() for w in r.split("/")[1].split("-")) for r, _ in wanted)
    subprocess.run(["go", "test", "-count=1", "-run", f"^Test({names})$", "."], cwd=folder, env=env, check=True)
    out = subprocess.run(["go", "test", "-run", "^$", "-bench", f"^Benchmark({names})$", "-benchtime", "0.3s", "-count", "3", "-benchmem", "."],
                         cwd=folder, env=env, check=True, capture_output=True, text=True).stdout
    version = subprocess.run(["go", "env", "GOVERSION"], env=env, capture_output=True, text=True).stdout.strip()
    times = {}
    memory = {}
    for m in re.finditer(r"^Benchmark(\w+)/(flagged|fixed)/n=(\d+)(?:-\d+)?\s+\d+\s+([\d.]+) ns/op\s+(\d+) B/op", out, re.M):
        key = (kebab(m.group(1)), int(m.group(3)))
        times.setdefault(key, {}).setdefault(m.group(2), []).append(float(m.group(4)) / 1e9)
        memory.setdefault(key, {}).setdefault(m.group(2), []).append(int(m.group(5)))
    for rule, f in wanted:
        src = open(os.path.join(folder, f)).read()
        unit = re.search(r"^// unit: (.+)$", src, re.M)
        what = src.split("\n", 1)[0].lstrip("/ ").strip()
        name = rule.split("/")[1]
        sizes = sorted(n for (r, n) in times if r == name)
        slow = [min(times[(name, n)]["flagged"]) for n in sizes]
        fast = [min(times[(name, n)]["fixed"]) for n in sizes]
        for n, a, b in zip(sizes, slow, fast):
            print(f"{rule:40} n={n:>9,}  flagged {a * 1e3:10.3f} ms  fixed {b * 1e3:10.3f} ms  ratio {a / b:7.2f}x", flush=True)
        results[rule] = {
            "runtime": version.replace("go", "Go ", 1),
            "unit": unit.group(1).strip() if unit else "items",
            "sizes": sizes,
            "ratios": [round(a / b, 2) for a, b in zip(slow, fast)],
            "flaggedSeconds": [float(f"{t:.6g}") for t in slow],
            "fixedSeconds": [float(f"{t:.6g}") for t in fast],
            "flaggedBytes": [min(memory[(name, n)]["flagged"]) for n in sizes],
            "fixedBytes": [min(memory[(name, n)]["fixed"]) for n in sizes],
            "what": what,
        }
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
