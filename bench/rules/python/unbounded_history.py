"""python/unbounded-history: appending to a list that grows forever vs. a deque(maxlen=10_000)."""
import collections

UNIT = "appends"
SIZES = [10_000, 1_000_000]
# The deque keeps only the newest 10,000: the point is bounded memory, so the results differ by design.
SAME_RESULT = False


def setup(n):
    return (n,)


def flagged(n):
    log = []
    for i in range(n):
        log.append(i)
    return len(log)


def fixed(n):
    log = collections.deque(maxlen=10_000)
    for i in range(n):
        log.append(i)
    return len(log)
