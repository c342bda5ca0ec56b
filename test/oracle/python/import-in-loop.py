"""Fix oracle program for python/import-in-loop: imports inside loops, each function called on several inputs."""
import os
import statistics
from json import dumps

from oracle import case


def ordinals(stamps):
    out = []
    for s in stamps:
        from datetime import date  # want: python/import-in-loop fix=safe
        out.append(date.fromisoformat(s).toordinal())
    return out


def rooted(parts):
    out = []
    for p in parts:
        import os.path as osp  # want: python/import-in-loop fix=safe
        out.append(osp.join("root", p))
    return out


def cwd_names(names):
    out = []
    for n in names:
        import os  # want: python/import-in-loop fix=safe
        out.append(os.path.basename(n))
    return out


def means(groups):
    out = []
    for g in groups:
        import statistics  # want: python/import-in-loop fix=safe
        out.append(statistics.mean(g))
    return out


def roundtrip(items):
    items = list(items)
    out = []
    while items:
        item = items.pop()
        # want: python/import-in-loop fix=safe
        from json import dumps, loads as parse
        out.append(dumps(parse(item), ensure_ascii=False))
    return out


class Tally:
    def count(self, words):
        counts = {}
        for w in words:
            import unicodedata  # want: python/import-in-loop fix=safe
            key = unicodedata.normalize("NFC", w)
            counts[key] = counts.get(key, 0) + 1
        return counts


def split_all(rows):
    for row in rows:
        import shlex  # want: python/import-in-loop fix=safe
        yield shlex.split(row)


def positions(rows):
    out = []
    for row in rows:
        total = 0; import bisect  # want: python/import-in-loop fix=safe
        total += 1
        out.append((bisect.bisect(sorted(row), "m"), row[:8], total))
    return out


def ticks(events):
    out = []
    for kind in events:
        if kind == "tick":
            from operator import add  # want: python/import-in-loop fix=safe
            out.append(add(len(out), 1))
        else:
            out.append(kind)
    return out


def first_long(words):
    for w in words:
        import string  # want: python/import-in-loop fix=safe
        if len(w) > 3:
            return w.strip(string.punctuation)
        if w == "stop":
            break
    return None


def widgets_for(names):
    out = []
    for n in names:
        import oracle_widgets  # want: python/import-in-loop fix=unsafe
        out.append(oracle_widgets.make(n))
    return out


def gadgets(names):
    out = []
    for n in names:
        if n is None:
            raise ValueError("no name")
        import oracle_gadgets  # want: python/import-in-loop fix=unsafe
        out.append(oracle_gadgets.make(n))
    return out


def main():
    for label, arg in [("empty", []), ("one", ["2024-02-29"]), ("many", ["2024-01-01", "1999-12-31", "2024-01-01"]), ("bad date", ["2024-01-01", "not a date"])]:
        case(ordinals, label, arg)
    for label, arg in [("empty", []), ("one", ["a"]), ("many", ["a", "b/c", "ünï"])]:
        case(rooted, label, arg)
    for label, arg in [("empty", []), ("many", ["/x/y", "z", "/x/y"]), ("not a path", [None])]:
        case(cwd_names, label, arg)
    for label, arg in [("empty", []), ("one", [[1]]), ("many", [[1, 2], [3, 5], [0.5]]), ("empty group", [[1], []])]:
        case(means, label, arg)
    for label, arg in [("empty", []), ("one", ["1"]), ("many", ['{"a": 1}', "[1, 2]", '"é"', "null"]), ("invalid", ["1", "nope", "2"])]:
        case(roundtrip, label, arg)
    t = Tally()
    for label, arg in [("empty", []), ("one", ["a"]), ("unicode", ["é", "e\u0301", "é", "ß"])]:
        case(t.count, label, arg)
    for label, arg in [("empty", []), ("one", ["a b"]), ("quotes", ["a 'b c'", 'x "y z" w']), ("unbalanced", ["ok", "a 'b"])]:
        case(split_all, label, arg)
    for label, arg in [("empty", []), ("one", ["zebra"]), ("many", ["alphabet soup", "mm", ""])]:
        case(positions, label, arg)
    for label, arg in [("empty", []), ("ticks", ["tick", "tock", "tick"]), ("no ticks", ["tock"])]:
        case(ticks, label, arg)
    for label, arg in [("empty", []), ("found", ["a", "stop", "long!"]), ("long first", ["...word..."]), ("stop", ["ab", "stop", "longer"]), ("none", ["a", "b"])]:
        case(first_long, label, arg)
    for label, arg in [("empty", []), ("one", ["a"]), ("many", ["b", "c"])]:
        case(widgets_for, label, arg)
    for label, arg in [("empty", []), ("None first", [None, "a"]), ("many", ["a", "b"]), ("again", ["c"])]:
        case(gadgets, label, arg)
    print("module level:", os.sep, statistics.median([3, 1, 2]), dumps("x"))


if __name__ == "__main__":
    main()
