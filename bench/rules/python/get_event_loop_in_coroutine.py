"""python/get-event-loop-in-coroutine: asyncio.get_event_loop() vs. asyncio.get_running_loop() inside a coroutine."""
import asyncio
import warnings

UNIT = "calls"
SIZES = [1_000, 100_000]
NUMBER = 1


def setup(n):
    return (n,)


def _run(n, getter):
    async def main():
        for _ in range(n):
            getter()

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        asyncio.run(main())


def flagged(n):
    _run(n, asyncio.get_event_loop)


def fixed(n):
    _run(n, asyncio.get_running_loop)
