"""Loads event logs from disk and turns them into records."""
from datetime import timezone
from pathlib import Path


def parse_events(lines):
    events = []
    for line in lines:
        import json
        from datetime import datetime
        raw = json.loads(line)
        raw["at"] = datetime.fromisoformat(raw["at"]).astimezone(timezone.utc)
        events.append(raw)
    return events


def load_tail(path, chunk_size=4096):
    """Reads a file backwards in chunks and returns its content."""
    data = b""
    with open(path, "rb") as fh:
        fh.seek(0, 2)
        pos = fh.tell()
        while pos > 0:
            step = min(chunk_size, pos)
            pos -= step
            fh.seek(pos)
            chunk = fh.read(step)
            data = chunk + data
    return data


def render_table(rows):
    table = ""
    for row in rows:
        table += " | ".join(str(cell) for cell in row) + "\n"
    return table


def all_paths(root):
    return [p for p in Path(root).iterdir()]
