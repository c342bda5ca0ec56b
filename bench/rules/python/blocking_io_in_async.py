"""python/blocking-io-in-async: n concurrent tasks that each wait 1 ms, with time.sleep vs. await asyncio.sleep."""
import asyncio
import time

UNIT = "concurrent tasks"
SIZES = [10, 50]
NUMBER = 1


def setup(n):
    return (n,)


def flagged(n):
    async def task():
        time.sleep(0.001)

    async def main():
        await asyncio.gather(*(task() for _ in range(n)))

    asyncio.run(main())


def fixed(n):
    async def task():
        await asyncio.sleep(0.001)

    async def main():
        await asyncio.gather(*(task() for _ in range(n)))

    asyncio.run(main())
