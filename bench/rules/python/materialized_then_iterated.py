"""python/materialized-then-iterated: max() over a list comprehension vs. over a generator expression."""
UNIT = "items"
SIZES = [1_000, 1_000_000]


def setup(n):
    return (list(range(n)),)


def flagged(values):
    squares = [v * v for v in values if v % 3]
    return max(squares)


def fixed(values):
    squares = (v * v for v in values if v % 3)
    return max(squares)
