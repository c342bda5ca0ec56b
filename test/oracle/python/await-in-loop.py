"""Fix oracle program for python/await-in-loop: independent awaits run one after another in a loop.

The client notes when each call starts and ends, and yields to the event loop in between, so the output shows
whether the calls ran one after another or together. A "bad" key raises inside its call.
"""
from oracle import case, note


class Client:
    async def get(self, key):
        import asyncio

        note("start", key)
        await asyncio.sleep(0)
        if "bad" in str(key):
            raise LookupError(f"no {key}")
        note("end", key)
        return str(key).upper()


class Store:
    async def get(self, key, value):
        import asyncio

        await asyncio.sleep(0)
        note("got", key)
        return (key, value * 2)


async def fetch_all(client, keys):
    pages = []
    # want: python/await-in-loop fix=unsafe
    for key in keys:
        pages.append(await client.get(key))
    return pages


async def pairs(store, items):
    got = []
    # want: python/await-in-loop fix=unsafe
    for key, value in items.items():
        got.append(await store.get(key, value))
    return got


async def fetch_rows(client, rows):
    pages = []
    for row in rows:
        # want: python/await-in-loop fix=unsafe
        for key in row:
            pages.append(await client.get(key))
    return pages


def main():
    c = Client()
    for label, arg in [("empty", []), ("one", ["a"]), ("many", ["a", "b", "a", "ü"]), ("one fails", ["a", "bad", "c"])]:
        case(fetch_all, label, c, arg)
    s = Store()
    for label, arg in [("empty", {}), ("many", {"x": 1, "y": "é"}), ("bad value", {"x": 1, "y": None})]:
        case(pairs, label, s, arg)
    for label, arg in [("empty", []), ("rows", [["a", "b"], [], ["c"]]), ("fails in a row", [["a"], ["bad", "d"]])]:
        case(fetch_rows, label, c, arg)


if __name__ == "__main__":
    main()
