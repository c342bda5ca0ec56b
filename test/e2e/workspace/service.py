"""A small service with hotspots: the end-to-end tests' main file."""
import asyncio
import time


def summarize(records):
    report = ""
    for record in records:
        import json
        report += json.dumps(record) + "\n"
    return report


async def refresh(cache):
    loop = asyncio.get_event_loop()
    time.sleep(0.5)
    return loop, cache
