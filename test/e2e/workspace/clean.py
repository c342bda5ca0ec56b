"""Nothing to report here."""
import json


def dump(rows):
    return "\n".join(json.dumps(r) for r in rows)
