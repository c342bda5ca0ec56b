"""Fix oracle program for python/recomputed-checksum: a digest of unchanged data recomputed in a loop."""
import hashlib
import json
import pickle

from oracle import case


def tag_all(rows, config):
    for row in rows:
        row["config"] = hashlib.sha256(json.dumps(config, sort_keys=True).encode()).hexdigest()[:12]  # want: python/recomputed-checksum fix=unsafe
    return rows


def keys(jobs, settings):
    return [(job, hashlib.md5(pickle.dumps(settings, protocol=4)).hexdigest()[:12]) for job in jobs]  # want: python/recomputed-checksum fix=unsafe


def tag_until(rows, config, on_row):
    for row in rows:
        row["config"] = hashlib.sha1(json.dumps(config).encode()).hexdigest()[:12]  # want: python/recomputed-checksum fix=unsafe
        on_row(row)
        if row.get("last"):
            break
    return rows


# Written over several lines: the digest moves as it is (inside its brackets, or after a backslash), re-indented.
def tag_each(rows, config):
    for row in rows:
        # want: python/recomputed-checksum fix=unsafe
        row["config"] = hashlib.sha256(
            json.dumps(
                config,
                sort_keys=True,
            ).encode()
        ).hexdigest()[:12]
    return rows


def stamp_each(rows, config):
    for row in rows:
        # want: python/recomputed-checksum fix=unsafe
        row["stamp"] = hashlib.md5(repr(config).encode()) \
            .hexdigest()[:12]
    return rows


def ignore(row):
    pass


def main():
    config = {"region": "eu", "tier": 2, "name": "ü"}
    for label, rows in [("empty", []), ("one", [{}]), ("many", [{"id": 1}, {"id": 2}, {"id": 1}])]:
        case(tag_all, label, rows, config)
    for label, rows, cfg in [("unserialisable, no rows", [], {"s": {1}}), ("unserialisable", [{}], {"s": {1}})]:
        case(tag_all, label, rows, cfg)
    for label, jobs, settings in [("empty", [], [1, "a"]), ("many", ["a", "b"], [1, "a"]), ("unpicklable, no jobs", [], [lambda: 1])]:
        case(keys, label, jobs, settings)
    for label, rows in [("empty", []), ("stops early", [{"id": 1}, {"id": 2, "last": True}, {"id": 3}])]:
        case(tag_until, label, rows, dict(config), ignore)
    for label, rows in [("empty", []), ("many", [{"id": 1}, {"id": 2}])]:
        case(tag_each, label, [dict(r) for r in rows], config)
        case(stamp_each, label, [dict(r) for r in rows], config)
    shared = {"version": 1}

    def bump_version(row):
        shared["version"] += 1

    case(tag_until, "changed through an alias", [{"id": 1}, {"id": 2}], shared, bump_version)


if __name__ == "__main__":
    main()
