"""python/import-in-loop: an import statement executed per iteration vs. once at module level."""
import json

UNIT = "iterations"
SIZES = [1_000, 100_000]


def setup(n):
    return (list(range(n)),)


def flagged(items):
    out = 0
    for i in items:
        import json as j
        out += len(j.__name__)
    return out


def fixed(items):
    out = 0
    for i in items:
        out += len(json.__name__)
    return out
