"""Fix oracle program for python/sequential-file-reads: many files read one after another.

Real files in the working folder, and Doc objects that count their reads (in a set, so the order the threads of
the fixed program read in does not show; what shows is which documents were read at all).
"""
from pathlib import Path

from oracle import case, note

READ = set()


class Doc:
    def __init__(self, name, text=None):
        self.name = name
        self.text = text

    def read_text(self):
        READ.add(self.name)
        if self.text is None:
            raise FileNotFoundError(f"no {self.name}")
        return self.text


def texts(paths):
    contents = [p.read_text() for p in paths]  # want: python/sequential-file-reads fix=unsafe
    return contents


def blobs(names, root):
    data = [(root / n).read_bytes() for n in names]  # want: python/sequential-file-reads fix=unsafe
    return [len(d) for d in data]


def opened(paths):
    raw = [open(p, encoding="utf-8").read() for p in paths]  # want: python/sequential-file-reads fix=unsafe
    return raw


# Written over several lines: the statement is rebuilt from its read and its paths, which move as they are.
def documents(paths):
    # want: python/sequential-file-reads fix=unsafe
    docs = [open(p,
                 encoding="utf-8").read()
            for p in paths]
    return docs


def listed(folder):
    # want: python/sequential-file-reads fix=unsafe
    contents = [p.read_bytes() for p in sorted(
        Path(folder).glob("*.txt"),
    )]
    return contents


def counted(fn):
    def run(*args):
        READ.clear()
        try:
            return fn(*args)
        finally:
            if READ:
                note("read", sorted(READ))

    run.__name__ = fn.__name__
    return run


def main():
    Path("a.txt").write_text("alpha", encoding="utf-8")
    Path("b.txt").write_text("bêta", encoding="utf-8")
    for label, arg in [("empty", []), ("files", [Path("a.txt"), Path("b.txt"), Path("a.txt")]), ("missing", [Path("a.txt"), Path("nope.txt")])]:
        case(counted(texts), label, arg)
    for label, arg in [("docs", [Doc("x", "1"), Doc("y", "2")]), ("missing doc", [Doc("x", "1"), Doc("gone"), Doc("z", "3")])]:
        case(counted(texts), label, arg)
    for label, arg in [("empty", []), ("files", ["a.txt", "b.txt"]), ("missing", ["nope.txt", "a.txt"])]:
        case(blobs, label, arg, Path("."))
    for label, arg in [("files", ["b.txt"]), ("missing", ["a.txt", "nope.txt"])]:
        case(opened, label, arg)
    for label, arg in [("empty", []), ("files", ["b.txt", "a.txt"]), ("missing", ["nope.txt"])]:
        case(documents, label, arg)
    for label, arg in [("files", "."), ("no files", "nowhere")]:
        case(listed, label, arg)


if __name__ == "__main__":
    main()
