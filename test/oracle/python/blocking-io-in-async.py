"""Fix oracle program for python/blocking-io-in-async: blocking calls inside coroutines.

Each coroutine runs beside another task that logs when it gets the event loop, so the output shows whether the
blocking call held the loop (the other task runs after it) or let it go (the other task runs during it).
"""
import asyncio
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from time import sleep

import requests
from oracle import case, note


async def settle(delay):
    note("settle start")
    time.sleep(delay)  # want: python/blocking-io-in-async fix=unsafe
    note("settle slept")
    sleep(delay / 2)  # want: python/blocking-io-in-async fix=unsafe
    note("settle end")
    return delay


async def load_config(path):
    text = Path(path).read_text(encoding="utf-8")  # want: python/blocking-io-in-async fix=unsafe
    note("config read")
    return json.loads(text)


async def save(path, data):
    Path(path).write_bytes(data)  # want: python/blocking-io-in-async fix=unsafe
    note("saved")
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)  # want: python/blocking-io-in-async fix=unsafe
    finally:
        os.close(fd)
    return len(data)


async def read_json(path):
    with open(path) as fh:  # want: python/blocking-io-in-async fix=none
        return json.load(fh)  # want: python/blocking-io-in-async fix=unsafe


async def call_api(url):
    reply = requests.get(url, timeout=5)  # want: python/blocking-io-in-async fix=unsafe
    note("api answered")
    return reply.json()


async def run_tool(code):
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)  # want: python/blocking-io-in-async fix=unsafe
    note("tool done")
    return done.returncode, done.stdout.strip()


async def size_of(path):
    return len(Path(path).read_bytes())  # want: python/blocking-io-in-async fix=unsafe


def beside(coroutine_function):
    """The coroutine function run beside another task that notes when it gets the loop (named as the function)."""
    async def other():
        note("other task runs")

    async def run(*args):
        result, _ = await asyncio.gather(coroutine_function(*args), other())
        return result

    run.__name__ = coroutine_function.__name__
    return run


def setup():
    Path("config.json").write_text('{"name": "café", "n": [1, 2]}', encoding="utf-8")
    Path("broken.json").write_text("{nope", encoding="utf-8")
    Path("empty.json").write_text("", encoding="utf-8")


def main():
    setup()
    for label, d in [("zero", 0), ("short", 0.02)]:
        case(beside(settle), label, d)
    case(beside(settle), "negative", -1)
    for label, p in [("ok", "config.json"), ("missing", "nowhere.json"), ("broken", "broken.json")]:
        case(beside(load_config), label, p)
    for label, p, data in [("ok", "out.bin", b"\x00\x01"), ("empty", "out2.bin", b""), ("no folder", "no/such/out.bin", b"x")]:
        case(beside(save), label, p, data)
    for label, p in [("ok", "config.json"), ("empty", "empty.json"), ("missing", "nowhere.json")]:
        case(beside(read_json), label, p)
    for label, url in [("ok", "https://api.example/ok"), ("down", "https://down.example/")]:
        case(beside(call_api), label, url)
    for label, code in [("prints", "print('ü')"), ("fails", "import sys; sys.exit(3)")]:
        case(beside(run_tool), label, code)
    for label, p in [("ok", "config.json"), ("missing", "nowhere.json")]:
        case(beside(size_of), label, p)


if __name__ == "__main__":
    main()
