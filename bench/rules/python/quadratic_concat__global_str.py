"""python/quadratic-concat, a module-level str appended to (global s; s += piece): CPython resizes in place only a function's plain locals, so this copies every time, vs. collecting and joining once."""
UNIT = "pieces"
SIZES = [4, 100, 10_000]

TEXT = ""


def setup(n):
    return ([f"{i:08d}" for i in range(n)],)


def flagged(pieces):
    global TEXT
    TEXT = ""
    for piece in pieces:
        TEXT += piece
    return TEXT


def fixed(pieces):
    global TEXT
    parts = []
    for piece in pieces:
        parts.append(piece)
    TEXT = "".join(parts)
    return TEXT
