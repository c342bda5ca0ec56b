"""Fix oracle program for python/get-event-loop-in-coroutine: asyncio.get_event_loop() inside coroutines."""
import asyncio
from asyncio import get_event_loop

from oracle import case, note


async def measure(items):
    loop = asyncio.get_event_loop()  # want: python/get-event-loop-in-coroutine fix=safe
    sizes = []
    for item in items:
        sizes.append(await loop.run_in_executor(None, len, item))
    return sizes, loop is asyncio.get_running_loop()


async def by_name(values):
    loop = get_event_loop()  # want: python/get-event-loop-in-coroutine fix=safe
    future = loop.create_future()
    loop.call_soon(future.set_result, sum(values))
    return await future


class Client:
    def __init__(self):
        self.closed = False

    async def close(self, reason):
        asyncio.get_event_loop().call_soon(note, "closing", reason)  # want: python/get-event-loop-in-coroutine fix=safe
        await asyncio.sleep(0)
        if not reason:
            raise ValueError("no reason given")
        self.closed = True
        return self.closed


async def in_task(names):
    async def one(name):
        return name.upper(), asyncio.get_event_loop() is asyncio.get_running_loop()  # want: python/get-event-loop-in-coroutine fix=safe

    return await asyncio.gather(*(one(n) for n in names))


def main():
    for label, arg in [("empty", []), ("one", ["ab"]), ("many", ["ab", "", "üñï", "ab"]), ("no len", ["a", 3])]:
        case(measure, label, arg)
    for label, arg in [("empty", []), ("many", [1, 2, 3]), ("not numbers", [1, "x"])]:
        case(by_name, label, arg)
    for label, arg in [("reason", "done"), ("no reason", "")]:
        case(Client().close, label, arg)
    for label, arg in [("empty", []), ("many", ["a", "é"]), ("None", ["a", None])]:
        case(in_task, label, arg)


if __name__ == "__main__":
    main()
