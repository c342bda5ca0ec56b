"""python/quadratic-concat, a str attribute appended to: self.s += piece (copied every time) vs. collecting and joining once."""
UNIT = "pieces"
SIZES = [4, 100, 10_000]


class Report:
    def __init__(self):
        self.text = ""


def setup(n):
    return ([f"{i:08d}" for i in range(n)],)


def flagged(pieces):
    r = Report()
    for piece in pieces:
        r.text += piece
    return r.text


def fixed(pieces):
    r = Report()
    parts = []
    for piece in pieces:
        parts.append(piece)
    r.text += "".join(parts)
    return r.text
