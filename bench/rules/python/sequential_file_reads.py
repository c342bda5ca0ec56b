"""python/sequential-file-reads: reading small files one by one vs. a thread-pool map (warm page cache)."""
import concurrent.futures
import pathlib
import shutil
import tempfile

UNIT = "files (4 KiB, cached)"
SIZES = [50, 500]
NUMBER = 1
_dirs = {}


def setup(n):
    if n not in _dirs:
        root = pathlib.Path(tempfile.mkdtemp(prefix="hotspots-reads-"))
        for i in range(n):
            (root / f"f{i}.txt").write_text("x" * 4096)
        _dirs[n] = sorted(root.iterdir())
    return (_dirs[n],)


def teardown():
    for paths in _dirs.values():
        if paths:
            shutil.rmtree(paths[0].parent, ignore_errors=True)


def flagged(paths):
    return [p.read_text() for p in paths]


def fixed(paths):
    with concurrent.futures.ThreadPoolExecutor() as pool:
        return list(pool.map(lambda p: p.read_text(), paths))
