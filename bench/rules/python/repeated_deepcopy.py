"""python/repeated-deepcopy: three deepcopy calls for one snapshot vs. one deepcopy of the combined dict."""
import copy

UNIT = "entries per part"
SIZES = [100, 10_000]


def setup(n):
    state = {name: {f"k{i}": [i, {"v": i}] for i in range(n)} for name in ("config", "queue", "cache")}
    return (state,)


def flagged(state):
    return {"config": copy.deepcopy(state["config"]), "queue": copy.deepcopy(state["queue"]), "cache": copy.deepcopy(state["cache"])}


def fixed(state):
    return copy.deepcopy({"config": state["config"], "queue": state["queue"], "cache": state["cache"]})
