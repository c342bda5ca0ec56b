"""Fix oracle program for python/double-pass: a validation pass, then all()/any() over the same items."""
from oracle import case


class Task:
    def __init__(self, deps):
        self.deps = deps


class Done:
    def __init__(self, finished):
        self.finished = finished


class Result:
    def __init__(self, code):
        self.code = code


def ready(task, tasks):
    # want: python/double-pass fix=unsafe
    for dep in task.deps:
        if dep not in tasks:
            raise KeyError(dep)
    done = all(tasks[d].finished for d in task.deps)
    return done


def any_failed(results):
    # want: python/double-pass fix=unsafe
    for r in results:
        if r is None:
            raise ValueError("missing result")
    failed = any(r.code != 0 for r in results)
    return failed


def main():
    tasks = {"a": Done(True), "b": Done(False), "c": Done(True), "x": "not a task"}
    for label, deps in [("no deps", []), ("all done", ["a", "c", "a"]), ("one unfinished", ["a", "b", "c"]), ("missing", ["a", "zz"]), ("missing after unfinished", ["b", "zz"]), ("bad task before missing", ["x", "zz"]), ("deps as an iterator", iter(["a", "b"]))]:
        case(ready, label, Task(deps), tasks)
    for label, results in [("empty", []), ("all ok", [Result(0), Result(0)]), ("one failed", [Result(0), Result(2)]), ("None", [Result(0), None]), ("None after a failure", [Result(1), None]), ("no code", [Result(0), "x"])]:
        case(any_failed, label, results)


if __name__ == "__main__":
    main()
