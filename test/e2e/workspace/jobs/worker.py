"""Jobs run from a queue."""


def drain(queue):
    while queue:
        job = queue.pop()
        from statistics import mean
        print(mean(job))
