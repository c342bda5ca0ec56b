"""python/insert-front-in-loop: list.insert(0, x) per item vs. append and one reverse."""
UNIT = "items"
SIZES = [1_000, 50_000]


def setup(n):
    return (list(range(n)),)


def flagged(items):
    out = []
    for x in items:
        out.insert(0, x)
    return out


def fixed(items):
    out = []
    for x in items:
        out.append(x)
    out.reverse()
    return out
