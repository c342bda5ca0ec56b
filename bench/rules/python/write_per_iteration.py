"""python/write-per-iteration: rewriting the same JSON file every iteration vs. once after the loop."""
import json
import os
import tempfile

UNIT = "iterations"
SIZES = [100, 1_000]
NUMBER = 1
_dir = tempfile.mkdtemp(prefix="hotspots-write-")
PATH = os.path.join(_dir, "state.json")


def setup(n):
    return (n,)


def teardown():
    try:
        os.remove(PATH)
    except FileNotFoundError:
        pass
    os.rmdir(_dir)


def flagged(n):
    state = {}
    for i in range(n):
        state[str(i)] = i
        with open(PATH, "w") as fh:
            json.dump(state, fh)


def fixed(n):
    state = {}
    for i in range(n):
        state[str(i)] = i
    with open(PATH, "w") as fh:
        json.dump(state, fh)
