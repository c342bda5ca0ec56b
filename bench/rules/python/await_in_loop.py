"""python/await-in-loop: awaiting n independent 1 ms calls one by one vs. asyncio.gather."""
import asyncio

UNIT = "calls"
SIZES = [10, 100]
NUMBER = 1


def setup(n):
    return (n,)


async def _fetch(i):
    await asyncio.sleep(0.001)
    return i


def flagged(n):
    async def main():
        out = []
        for i in range(n):
            out.append(await _fetch(i))
        return out

    return asyncio.run(main())


def fixed(n):
    async def main():
        out = []
        out.extend(await asyncio.gather(*(_fetch(i) for i in range(n))))
        return out

    return asyncio.run(main())
