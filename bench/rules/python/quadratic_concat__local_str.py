"""python/quadratic-concat, a local str appended to: s += piece (CPython resizes it in place) vs. collecting and joining once."""
UNIT = "pieces"
SIZES = [4, 100, 10_000]


def setup(n):
    return ([f"{i:08d}" for i in range(n)],)


def flagged(pieces):
    s = ""
    for piece in pieces:
        s += piece
    return s


def fixed(pieces):
    s = ""
    s_parts = []
    for piece in pieces:
        s_parts.append(piece)
    s = "".join(s_parts)
    return s
