"""python/recomputed-checksum: the digest of the same serialised config per iteration vs. once."""
import hashlib
import json

UNIT = "rows"
SIZES = [100, 10_000]
CONFIG = {f"key{i}": list(range(i % 10)) for i in range(200)}


def setup(n):
    return ([{"id": i} for i in range(n)],)


def flagged(rows):
    for row in rows:
        row["config"] = hashlib.sha256(json.dumps(CONFIG, sort_keys=True).encode()).hexdigest()
    return rows


def fixed(rows):
    digest = hashlib.sha256(json.dumps(CONFIG, sort_keys=True).encode()).hexdigest()
    for row in rows:
        row["config"] = digest
    return rows
