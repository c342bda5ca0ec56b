"""Fix oracle program for python/write-per-iteration: the same file rewritten on every iteration.

Each case writes its own file; after the call (returned or raised) the case notes what the file holds.
"""
import json
import os
from pathlib import Path

from oracle import case, note


def checkpoint(items, path):
    state = {}
    for item in items:
        state[item] = len(item)
        with open(path, "w") as fh:  # want: python/write-per-iteration fix=unsafe
            json.dump(state, fh, ensure_ascii=False)
    return len(state)


def report(rows, target):
    text = ""
    for row in rows:
        text = text + row.strip() + ";"
        Path(target).write_text(text, encoding="utf-8")  # want: python/write-per-iteration fix=unsafe
    return len(text)


def bump(times, counter_path):
    n = 0
    while n < times:
        n += 1
        counter_path.write_bytes(str(n).encode())  # want: python/write-per-iteration fix=unsafe
    return n


def last_row(rows, target):
    for row in rows:
        # Flagged, but no fix: after the loop, `row` is unbound when the loop ran zero times.
        Path(target).write_text(row, encoding="utf-8")  # want: python/write-per-iteration fix=none
    return "written"


def on_disk(fn):
    """fn, then a note of what its file (the last argument) holds."""
    def run(*args):
        path = args[-1]
        try:
            return fn(*args)
        finally:
            note("file", repr(Path(path).read_text(encoding="utf-8")) if os.path.exists(path) else "absent")

    run.__name__ = fn.__name__
    return run


def main():
    for i, (label, arg) in enumerate([("empty", []), ("one", ["a"]), ("many", ["a", "bb", "a", "ü"]), ("fails inside", ["a", None, "c"])]):
        case(on_disk(checkpoint), label, arg, f"checkpoint{i}.json")
    for i, (label, arg) in enumerate([("empty", []), ("many", [" x ", "y", ""]), ("fails inside", ["x", 3])]):
        case(on_disk(report), label, arg, f"report{i}.txt")
    for i, (label, arg) in enumerate([("zero", 0), ("three", 3), ("negative", -1)]):
        case(on_disk(bump), label, arg, Path(f"counter{i}"))
    for i, (label, arg) in enumerate([("empty", []), ("many", ["x", "y"]), ("fails inside", ["x", None])]):
        case(on_disk(last_row), label, arg, f"last{i}.txt")


if __name__ == "__main__":
    main()
