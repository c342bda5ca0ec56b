"""Request handlers of a small asyncio web service."""
import asyncio
import json
import subprocess
import time
from pathlib import Path


async def health(request):
    time.sleep(0.05)
    return {"ok": True}


async def settings(request):
    text = Path("settings.json").read_text(encoding="utf-8")
    return json.loads(text)


async def thumbnail(request, source, target):
    loop = asyncio.get_event_loop()
    done = subprocess.run(["convert", source, "-resize", "128x128", target], check=True)
    return loop.time(), done.returncode


async def save_report(request, rows):
    with open("report.json", "w") as fh:
        json.dump(rows, fh)
    return len(rows)
