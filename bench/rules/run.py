"""Times each rule's flagged shape against its fixed shape at two or more sizes, and writes results.json.

Usage: python3 bench/rules/run.py [RULE-NAME ...]     (npm run bench:rules)
Each module in bench/rules/python/ defines SIZES, setup(n) -> args, flagged(*args), fixed(*args), and optionally
UNIT, NUMBER (calls per timing; default: chosen by timeit) and teardown(). The two shapes must return equal
results (when they return anything): the runner checks that before timing.
"""
import datetime
import importlib.util
import json
import os
import platform
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
    print(f"wrote {OUT}")


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
