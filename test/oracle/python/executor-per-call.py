"""Fix oracle program for python/executor-per-call: a thread or process pool created for a single call."""
import asyncio
import threading
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

from oracle import case

COUNTER = {"n": 0}


def measure(text):
    """Where it ran (the kind of thread) and what it computed."""
    name = threading.current_thread().name
    return name.rstrip("0123456789_-"), len(text)


def bump(by):
    COUNTER["n"] += by
    return COUNTER["n"]


async def read(text):
    loop = asyncio.get_running_loop()
    # want: python/executor-per-call fix=unsafe
    with ThreadPoolExecutor(max_workers=1) as pool:
        return await loop.run_in_executor(pool, measure, text)


async def counted(by):
    loop = asyncio.get_running_loop()
    # want: python/executor-per-call fix=unsafe
    with ProcessPoolExecutor(max_workers=1) as workers:
        return await loop.run_in_executor(workers, bump, by), COUNTER["n"]


# Written over several lines: the statement moves out of the block as it is (inside its brackets, or after a
# backslash), dedented with it, and the lines of a string literal keep their bytes.
async def read_split(text):
    loop = asyncio.get_running_loop()
    # want: python/executor-per-call fix=unsafe
    with ThreadPoolExecutor(
        max_workers=1,
    ) as pool:
        return await loop.run_in_executor(
            pool,
            sorted,
            text,
        )


async def shout(suffix):
    loop = asyncio.get_running_loop()
    # want: python/executor-per-call fix=unsafe
    with ThreadPoolExecutor(max_workers=1) as pool:
        return await loop.run_in_executor(pool, str.upper, """first line
        second line""") + suffix


async def marked(text):
    loop = asyncio.get_running_loop()
    # want: python/executor-per-call fix=unsafe
    with ThreadPoolExecutor(max_workers=1) as pool:
        return await loop.run_in_executor(pool, len, text) \
            + 1


def main():
    for label, arg in [("empty", ""), ("unicode", "héllo"), ("no len", None)]:
        case(read, label, arg)
    for label, arg in [("one", 1), ("again", 2), ("not a number", "x")]:
        case(counted, label, arg)
    for label, arg in [("empty", ""), ("unicode", "héllo"), ("not iterable", None)]:
        case(read_split, label, arg)
    for label, arg in [("text", "!"), ("not text", 1)]:
        case(shout, label, arg)
    for label, arg in [("text", "abc"), ("no len", None)]:
        case(marked, label, arg)


if __name__ == "__main__":
    main()
