"""python/quadratic-concat: prepending bytes chunks (always quadratic) vs. collecting and joining once."""
UNIT = "chunks"
SIZES = [1_000, 10_000]


def setup(n):
    return ([bytes([i % 256]) * 64 for i in range(n)],)


def flagged(chunks):
    buf = b""
    for chunk in chunks:
        buf = chunk + buf
    return buf


def fixed(chunks):
    parts = []
    for chunk in chunks:
        parts.append(chunk)
    return b"".join(reversed(parts))
