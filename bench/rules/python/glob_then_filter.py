"""python/glob-then-filter: rglob("*") filtered to one suffix vs. rglob("*.py"), over a generated tree."""
import os
import pathlib
import shutil
import tempfile

UNIT = "files in the tree"
SIZES = [500, 5_000]
NUMBER = 1
_trees = {}


def setup(n):
    if n not in _trees:
        root = pathlib.Path(tempfile.mkdtemp(prefix="hotspots-glob-"))
        for i in range(n):
            d = root / f"d{i % 25}" / f"e{i % 7}"
            d.mkdir(parents=True, exist_ok=True)
            (d / f"f{i}{'.py' if i % 4 == 0 else '.txt'}").write_bytes(b"")
        _trees[n] = root
    return (_trees[n],)


def teardown():
    for root in _trees.values():
        shutil.rmtree(root, ignore_errors=True)


def flagged(root):
    return [p for p in root.rglob("*") if p.suffix == ".py"]


def fixed(root):
    return [p for p in root.rglob("*.py") if p.suffix == ".py"]
