"""python/loop-invariant-call: re.compile of the same pattern per iteration (re's cache hit) vs. once."""
import re

UNIT = "lines"
SIZES = [1_000, 100_000]


def setup(n):
    return ([f"2024-01-{i % 28 + 1:02d} entry {i}" for i in range(n)],)


def flagged(lines):
    return sum(1 for line in lines if re.compile(r"^\d{4}-\d{2}-\d{2}").match(line))


def fixed(lines):
    pattern = re.compile(r"^\d{4}-\d{2}-\d{2}")
    return sum(1 for line in lines if pattern.match(line))
