"""python/quadratic-concat, a list rebuilt: items = items + batch (a new list every time) vs. extending it in place."""
UNIT = "batches"
SIZES = [4, 100, 10_000]


def setup(n):
    return ([[i, i + 1] for i in range(n)],)


def flagged(batches):
    items = []
    for batch in batches:
        items = items + batch
    return items


def fixed(batches):
    items = []
    for batch in batches:
        items += batch
    return items
