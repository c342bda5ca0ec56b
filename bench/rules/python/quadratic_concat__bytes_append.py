"""python/quadratic-concat, bytes appended to: buf += chunk (bytes are never resized in place) vs. collecting and joining once."""
UNIT = "chunks"
SIZES = [4, 100, 10_000]


def setup(n):
    return ([bytes([i % 256]) * 64 for i in range(n)],)


def flagged(chunks):
    buf = b""
    for chunk in chunks:
        buf += chunk
    return buf


def fixed(chunks):
    buf = b""
    buf_parts = []
    for chunk in chunks:
        buf_parts.append(chunk)
    buf = b"".join(buf_parts)
    return buf
