"""Fix oracle program for python/insert-front-in-loop: lists built by inserting at the front in a loop."""
import io

from oracle import case, note


def newest_first(events):
    ordered = []
    for event in events:
        ordered.insert(0, event)  # want: python/insert-front-in-loop fix=safe
    return ordered


def stack_lines(text):
    stream = io.StringIO(text)
    lines = list()
    while True:
        line = stream.readline()
        if not line:
            break
        lines.insert(0, line.rstrip("\n"))  # want: python/insert-front-in-loop fix=safe
    return lines


def flat_pairs(groups):
    flat = []
    for name, items in groups:
        for item in items:
            flat.insert(0, (name, item))  # want: python/insert-front-in-loop fix=safe
    return flat


def until_none(values):
    out = []
    for v in values:
        out.insert(0, v)  # want: python/insert-front-in-loop fix=safe
        if v is None:
            break
    return out


def skipping(values):
    out = []
    for v in values:
        if not v:
            continue
        note("keep", v)
        out.insert(0, v * 2)  # want: python/insert-front-in-loop fix=safe
    return out


def capped(values):
    out = []
    for v in values:
        out.insert(0, v)  # want: python/insert-front-in-loop fix=none
        if len(out) > 2:
            break
    return out


class Opaque:
    def __repr__(self):
        return "Opaque()"


def main():
    for label, arg in [("empty", []), ("one", ["a"]), ("many", ["a", "b", "a", "é"]), ("None", [None, 1])]:
        case(newest_first, label, arg)
    for label, arg in [("empty", ""), ("one", "x"), ("many", "a\nb\n\nc\n"), ("unicode", "ü\r\nß")]:
        case(stack_lines, label, arg)
    for label, arg in [("empty", []), ("one", [("g", [1])]), ("many", [("g", [1, 2]), ("h", []), ("g", [1])]), ("not iterable", [("g", [1]), ("h", None)])]:
        case(flat_pairs, label, arg)
    for label, arg in [("empty", []), ("no None", [1, 2, 3]), ("None inside", [1, None, 3]), ("None first", [None])]:
        case(until_none, label, arg)
    for label, arg in [("empty", []), ("many", [1, 0, 2, "", "ab"]), ("bad item", [1, None, {}, 2]), ("raises", [1, Opaque()])]:
        case(skipping, label, arg)
    for label, arg in [("empty", []), ("many", [1, 2, 3, 4])]:
        case(capped, label, arg)


if __name__ == "__main__":
    main()
