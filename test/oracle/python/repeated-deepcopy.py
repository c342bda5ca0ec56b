"""Fix oracle program for python/repeated-deepcopy: several deep copies building one snapshot."""
import copy
from copy import deepcopy

from oracle import case


class State:
    def __init__(self, config, queue):
        self.config = config
        self.queue = queue


def snapshot(state):
    snap = {  # want: python/repeated-deepcopy fix=unsafe
        "config": copy.deepcopy(state.config),
        "queue": copy.deepcopy(state.queue),
    }
    return snap, snap["config"] is state.config, any(item is snap["config"] for item in snap["queue"])


def pair(a, b):
    x, y = (deepcopy(a), deepcopy(b))  # want: python/repeated-deepcopy fix=unsafe
    return x, y, x is y, x == a


def listed(items, extra):
    out = [deepcopy(items), deepcopy(extra)]  # want: python/repeated-deepcopy fix=unsafe
    return out, out[0] is items


class Unpicklable:
    def __deepcopy__(self, memo):
        raise TypeError("cannot copy this")


def main():
    cfg = {"hosts": ["a", "b"]}
    for label, state in [("separate", State({"a": 1}, [1, 2])), ("empty", State({}, [])), ("shared", State(cfg, [cfg, "x"])), ("no queue", State({"a": 1}, None))]:
        case(snapshot, label, state)
    case(snapshot, "missing attribute", object())
    same = [1, [2]]
    for label, a, b in [("separate", [1], [2]), ("same object", same, same), ("equal, not same", [1, [2]], [1, [2]]), ("None", None, None), ("unicode", "ü", "ß")]:
        case(pair, label, a, b)
    case(pair, "uncopyable second", [1], Unpicklable())
    inner = {"k": "v"}
    for label, items, extra in [("separate", [1], {"e": 2}), ("shared inner", [inner], {"x": inner}), ("same", same, same)]:
        case(listed, label, items, extra)


if __name__ == "__main__":
    main()
