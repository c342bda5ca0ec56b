"""Fix oracle program for python/materialized-then-iterated: lists built only to be iterated once."""
from oracle import case, note


def positive_squares(values):
    squares = [v * v for v in values if v > 0]  # want: python/materialized-then-iterated fix=unsafe
    return sum(squares)


def shown(users):
    wanted = [u for u in users if u]  # want: python/materialized-then-iterated fix=unsafe
    for n in wanted:
        note("user", n)
    return "done"


def halves(values):
    parts = [v / 2 for v in values]  # want: python/materialized-then-iterated fix=unsafe
    out = []
    for p in parts:
        note("half", p)
        out.append(p)
    return out


def marked(rows):
    ids = [r for r in rows if r]  # want: python/materialized-then-iterated fix=unsafe
    return {i: True for i in ids}


def longest(parts):
    cleaned = list(p.strip() for p in parts)  # want: python/materialized-then-iterated fix=unsafe
    return max(cleaned)


def widest(parts):
    sizes = [len(p) for p in parts]  # want: python/materialized-then-iterated fix=unsafe
    return any(sizes)


def noisy(values):
    """A generator that notes each item it produces (and raises where the input holds an exception)."""
    for v in values:
        if isinstance(v, Exception):
            raise v
        note("produce", v)
        yield v


def main():
    for label, arg in [("empty", []), ("one", [3]), ("many", [1, -2, 3, 1, 0.5]), ("None inside", [1, None, 2])]:
        case(positive_squares, label, arg)
    for label, arg in [("empty", []), ("many", ["ann", "", "bö", "ann", None])]:
        case(shown, label, arg)
    for label, arg in [("empty", []), ("many", [1, 3, 4]), ("None inside", [2, None, 4]), ("zero", [0])]:
        case(halves, label, arg)
    case(halves, "generator", noisy([1, 2]))
    for label, arg in [("empty", []), ("many", [1, 0, 2, 1]), ("unhashable", [1, [2]])]:
        case(marked, label, arg)
    for label, arg in [("empty", []), ("one", [" a "]), ("many", [" b", "c ", " ü "]), ("None inside", [" a", None])]:
        case(longest, label, arg)
    for label, arg in [("empty", []), ("many", ["", "ab", "c"]), ("None after", ["ab", None]), ("None first", [None, "ab"])]:
        case(widest, label, arg)
    for label, arg in [("empty", []), ("many", ["ann", "ü"]), ("raises inside", ["ann", KeyError("k"), "bo"])]:
        case(shown, "generator, " + label, noisy(arg))


if __name__ == "__main__":
    main()
