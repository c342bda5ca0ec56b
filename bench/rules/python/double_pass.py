"""python/double-pass: validate every item, then all() over them again vs. one loop that stops at the first failure."""
UNIT = "items"
SIZES = [1_000, 100_000]


def setup(n):
    tasks = {i: (i != n // 2) for i in range(n)}       # one unfinished item in the middle
    return (list(range(n)), tasks)


def flagged(deps, tasks):
    for d in deps:
        if d not in tasks:
            raise KeyError(d)
    return all(tasks[d] for d in deps)


def fixed(deps, tasks):
    done = True
    for d in deps:
        if d not in tasks:
            raise KeyError(d)
        if not tasks[d]:
            done = False
            break
    return done
