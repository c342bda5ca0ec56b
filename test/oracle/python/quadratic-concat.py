"""Fix oracle program for python/quadratic-concat: str, bytes and list accumulators rebuilt by concatenation."""
from oracle import case, note


def tail(chunks):
    buf = b""
    for chunk in chunks:
        buf = chunk + buf  # want: python/quadratic-concat fix=unsafe
    return buf


def csv_line(cells):
    line = ""
    for cell in cells:
        line += cell + ","  # want: python/quadratic-concat fix=safe
    return line


def table(rows):
    text = "name,value\n"
    for name, value in rows:
        text = text + name + "," + str(value) + "\n"  # want: python/quadratic-concat fix=unsafe
    return text


def packets(frames):
    payload = b""
    i = 0
    while i < len(frames):
        payload += frames[i]  # want: python/quadratic-concat fix=unsafe
        i += 1
    return payload


def cased(words):
    out = ""
    for w in words:
        if w.isupper():
            out += w.lower()  # want: python/quadratic-concat fix=unsafe
        else:
            out += w  # want: python/quadratic-concat fix=unsafe
    return out


def grid_text(grid):
    s = ""
    for row in grid:
        for cell in row:
            s += str(cell)  # want: python/quadratic-concat fix=safe
        s += "\n"  # want: python/quadratic-concat fix=safe
    return s


def flattened(batches):
    acc = []
    for batch in batches:
        acc = acc + batch  # want: python/quadratic-concat fix=unsafe
    return acc


def maybe_body(flag, parts):
    body = ""
    if flag:
        for p in parts:
            body = body + p.strip()  # want: python/quadratic-concat fix=unsafe
    return body


def wrapped(rows):
    out = b""
    for row in rows:
        for part in (b"<", row, b">"):
            out = part + out  # want: python/quadratic-concat fix=unsafe
    return out


def noted(words):
    s = ""
    for w in words:
        s += w  # want: python/quadratic-concat fix=unsafe
        note("added")
    return s


def tagged(items):
    out = ""
    for x in items:
        out = out + "<" + str(x) + ">"  # want: python/quadratic-concat fix=safe
    return out


def doubled(items):
    acc = []
    for x in items:
        acc = acc + [x, x]  # want: python/quadratic-concat fix=safe
    return acc


def framed(nums):
    buf = b""
    for n in nums:
        buf = b"%d;" % n + buf  # want: python/quadratic-concat fix=safe
    return buf


def formatted(rows):
    s = "{"
    for k, v in rows:
        s += f"{k}={v!r},"  # want: python/quadratic-concat fix=safe
    return s


def main():
    for label, arg in [("empty", []), ("one", [b"a"]), ("many", [b"a", b"bc", b"a", "é".encode()]), ("None inside", [b"a", None, b"b"])]:
        case(tail, label, arg)
    for label, arg in [("empty", []), ("one", ["a"]), ("many", ["a", "é", "a", ""]), ("None inside", ["a", None])]:
        case(csv_line, label, arg)
    for label, arg in [("empty", []), ("one", [("a", 1)]), ("many", [("a", 1), ("ü", None), ("a", 1.5)]), ("short row", [("a", 1), ("b",)])]:
        case(table, label, arg)
    for label, arg in [("empty", []), ("one", [b"x"]), ("many", [b"x", b"", b"yz", b"x"])]:
        case(packets, label, arg)
    for label, arg in [("empty", []), ("one", ["AB"]), ("many", ["AB", "cd", "ÉÈ", "cd"]), ("None inside", ["a", None, "b"])]:
        case(cased, label, arg)
    for label, arg in [("empty", []), ("one row", [[1]]), ("many", [[1, 2], [], ["é", None]])]:
        case(grid_text, label, arg)
    for label, arg in [("empty", []), ("one", [[1]]), ("many", [[1], [2, 3], [1], []]), ("tuple inside", [[1], (2, 3)]), ("None inside", [[1], None])]:
        case(flattened, label, arg)
    for label, flag, parts in [("off", False, [" a "]), ("on empty", True, []), ("on", True, [" a ", "b ", " ü"]), ("on None", True, ["a", None])]:
        case(maybe_body, label, flag, parts)
    for label, arg in [("empty", []), ("one", [b"x"]), ("many", [b"x", b"y", b"x"])]:
        case(wrapped, label, arg)
    for label, arg in [("empty", []), ("one", ["a"]), ("many", ["a", "b", "a"]), ("None inside", ["a", None, "b"])]:
        case(noted, label, arg)

    for label, arg in [("empty", []), ("many", [1, None, "é", 1])]:
        case(tagged, label, arg)
        case(doubled, label, arg)
    for label, arg in [("empty", []), ("many", [1, -2, 1]), ("None inside", [1, None]), ("not a number", [1, "x"])]:
        case(framed, label, arg)
    for label, arg in [("empty", []), ("many", [("a", 1), ("é", None)]), ("short row", [("a", 1), ("b",)])]:
        case(formatted, label, arg)


if __name__ == "__main__":
    main()
