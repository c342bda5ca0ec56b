"""Fix oracle program for python/loop-invariant-call: pure, costly calls repeated with the same arguments."""
import hashlib
import json
import re
from datetime import date, datetime

from oracle import case, note

DATE = r"^\d{4}-\d{2}-\d{2}"
EPOCH = "2020-01-01T00:00:00"
KEYS = ["b", "a", "c"]


def dated(lines):
    out = []
    for line in lines:
        if re.compile(DATE).match(line):  # want: python/loop-invariant-call fix=unsafe
            out.append(line)
    return out


def since_epoch(rows):
    out = []
    for row in rows:
        note("row", row)
        out.append((row - datetime.fromisoformat(EPOCH)).days)  # want: python/loop-invariant-call fix=safe
    return out


def tagged(items, settings):
    return [(item, json.dumps(settings, sort_keys=True)) for item in items]  # want: python/loop-invariant-call fix=unsafe


def fingerprint(chunks, salt):
    chunks = list(chunks)
    seen = set()
    while chunks:
        chunk = chunks.pop()
        seen.add((chunk, hashlib.sha256(salt).hexdigest()[:8]))  # want: python/loop-invariant-call fix=unsafe
    return seen


def ordered_values(records):
    out = []
    for record in records:
        for key in sorted(KEYS):  # want: python/loop-invariant-call fix=unsafe
            out.append(record.get(key))
    return out


def both_dated(rows):
    out = []
    for row in rows:
        for key in ("a", "b"):
            out.append(bool(re.compile(DATE).match(row[key])))  # want: python/loop-invariant-call fix=unsafe
    return out


def leap_days(days):
    return [date.fromisoformat("2024-02-29").replace(day=d).isoformat() for d in days]  # want: python/loop-invariant-call fix=safe


def words(lines):
    out = []
    for line in lines:
        out.extend(re.compile(r"\w+").findall(line))  # want: python/loop-invariant-call fix=safe
        if len(out) > 5:
            break
    return out


def config_lines(names):
    lines = []
    for name in names:
        lines.append(name + "=" + json.dumps("ü"))  # want: python/loop-invariant-call fix=safe
    return lines


def class_checks(lines):
    class Checks:
        # Flagged, but no fix: a local here would be a class attribute, which the comprehension cannot see.
        VALID = [s for s in lines if re.compile(DATE).match(s)]  # want: python/loop-invariant-call fix=none

    return Checks.VALID, sorted(k for k in vars(Checks) if not k.startswith("__"))


# Written over several lines: the call moves as it is (inside its brackets, or after a backslash), re-indented, and
# the lines of a string literal keep their bytes.
def block_numbers(blocks):
    out = []
    for block in blocks:
        # want: python/loop-invariant-call fix=safe
        found = re.compile(
            """^begin
        (\\d+)
        end$"""
        ).search(block)
        out.append(found.group(1) if found else None)
    return out


def encoded_rows(rows):
    out = []
    for row in rows:
        # want: python/loop-invariant-call fix=safe
        out.append(row + json.dumps(
            EPOCH,  # the shared start
            indent=2,
        ))
    return out


def tagged_split(items, settings):
    return [
        (
            item,
            # want: python/loop-invariant-call fix=unsafe
            json.dumps(
                settings,
                sort_keys=True,
            ),
        )
        for item in items
    ]


def salted(chunks, salt):
    out = []
    for chunk in chunks:
        # want: python/loop-invariant-call fix=unsafe
        tag = hashlib.sha256(salt) \
            .hexdigest()[:8]
        out.append((chunk, tag))
    return out


def main():
    for label, arg in [("empty", []), ("one", ["2024-01-01 x"]), ("many", ["2024-01-01", "nope", "1999-12-31", "2024-01-01"]), ("not text", ["2024-01-01", None])]:
        case(dated, label, arg)
    d = datetime.fromisoformat
    for label, arg in [("empty", []), ("one", [d("2020-01-02T00:00:00")]), ("many", [d("2021-01-01T00:00:00"), d("2019-12-31T00:00:00")]), ("not a date", [d("2020-01-03T00:00:00"), "x"])]:
        case(since_epoch, label, arg)
    for label, items, settings in [("empty", [], {"b": 1}), ("many", [1, 2, 1], {"b": 1, "a": "é"}), ("unserialisable, no items", [], {"s": {1}}), ("unserialisable", [1], {"s": {1}})]:
        case(tagged, label, items, settings)
    for label, chunks, salt in [("empty", [], b"s"), ("many", [b"a", b"b", b"a"], b"s"), ("str salt, no chunks", [], "s"), ("str salt", [b"a"], "s")]:
        case(fingerprint, label, chunks, salt)
    for label, arg in [("empty", []), ("one", [{"a": 1}]), ("many", [{"a": 1, "c": 3}, {}, {"b": None}]), ("not a dict", [{"a": 1}, None])]:
        case(ordered_values, label, arg)
    for label, arg in [("empty", []), ("one", [{"a": "2024-01-01", "b": "x"}]), ("missing key", [{"a": "2024-01-01"}])]:
        case(both_dated, label, arg)
    for label, arg in [("empty", []), ("many", [1, 29, 15]), ("bad day", [1, 30])]:
        case(leap_days, label, arg)
    for label, arg in [("empty", []), ("one", ["a b"]), ("early exit", ["a b c", "d e f", "g"]), ("unicode", ["ünï côdé"])]:
        case(words, label, arg)
    for label, arg in [("empty", []), ("many", ["a", "b", "a"]), ("not text", ["a", 1])]:
        case(config_lines, label, arg)
    for label, arg in [("empty", []), ("many", ["2024-01-01", "x", "1999-12-31"])]:
        case(class_checks, label, arg)
    blocks = ["begin\n        12\n        end", "begin\n12\nend", "begin\n    7\n    end", "begin\n        7\n        end\n"]
    for label, arg in [("empty", []), ("many", blocks), ("not text", ["x", 1])]:
        case(block_numbers, label, arg)
    for label, arg in [("empty", []), ("many", ["a", "b"]), ("not text", ["a", 1])]:
        case(encoded_rows, label, arg)
    for label, items, settings in [("empty", [], {"b": 1}), ("many", [1, 2], {"b": 1, "a": "é"}), ("unserialisable", [1], {"s": {1}})]:
        case(tagged_split, label, items, settings)
    for label, chunks, salt in [("empty", [], b"s"), ("many", [b"a", b"b"], b"s"), ("str salt", [b"a"], "s")]:
        case(salted, label, chunks, salt)


if __name__ == "__main__":
    main()
