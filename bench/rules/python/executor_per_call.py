"""python/executor-per-call: a ThreadPoolExecutor created per call vs. asyncio.to_thread."""
import asyncio
from concurrent.futures import ThreadPoolExecutor

UNIT = "calls"
SIZES = [10, 200]
NUMBER = 1


def setup(n):
    return (n,)


def _work(x):
    return x * 2


def flagged(n):
    async def one(i):
        loop = asyncio.get_running_loop()
        with ThreadPoolExecutor(max_workers=1) as pool:
            return await loop.run_in_executor(pool, _work, i)

    async def main():
        return [await one(i) for i in range(n)]

    return asyncio.run(main())


def fixed(n):
    async def one(i):
        return await asyncio.to_thread(_work, i)

    async def main():
        return [await one(i) for i in range(n)]

    return asyncio.run(main())
