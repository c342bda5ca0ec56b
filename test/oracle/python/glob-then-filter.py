"""Fix oracle program for python/glob-then-filter: whole trees listed, then filtered by suffix.

The tree is made in the working folder before the cases run; paths are shown relative to it, in the order the
walk gave them (the fix claims the same order).
"""
import os
from pathlib import Path

from oracle import case, note

# sub/x.py and empty.py are folders.
TREE = ["a.py", "b.txt", "ü.py", ".py", "sub/c.py", "sub/d.PY", "sub/x.py/inner.txt", "sub/deep/e.ipynb", "f.ipynb", "notes.toml", "x.py", "conf/x.py", "sub/ab/x.py"]


def sources(root):
    return [p.relative_to(root).as_posix() for p in Path(root).rglob("*") if p.suffix == ".py"]  # want: python/glob-then-filter fix=safe


def notebooks(root):
    found = []
    for path in root.glob("**/*"):  # want: python/glob-then-filter fix=safe
        if not path.name.endswith(".ipynb"):
            continue
        found.append(path.relative_to(root).as_posix())
    return found


def configs(root):
    for entry in Path(root).rglob('*'):  # want: python/glob-then-filter fix=safe
        if str(entry).endswith(".toml"):
            note("config", entry.name)
    return "done"


def named(root):
    return [p.relative_to(root).as_posix() for p in Path(root).rglob("*") if p.name.endswith(".py")]  # want: python/glob-then-filter fix=safe


# Not flagged: a pattern with the separator ("*/x.py") would miss root/x.py.
def exact_file(root):
    return [str(p) for p in Path(root).rglob("*") if str(p).endswith("/x.py")]


def setup(root):
    for name in TREE:
        p = Path(root, name)
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(name, encoding="utf-8")
    os.makedirs(Path(root, "empty.py"))


def main():
    setup("tree")
    for label, root in [("tree", "tree"), ("subfolder", "tree/sub"), ("missing", "nowhere"), ("a file", "tree/a.py")]:
        case(sources, label, root)
        case(notebooks, label, Path(root))
        case(configs, label, root)
        case(named, label, root)
    for label, root in [("tree", "tree"), ("dot", "."), ("subfolder", "tree/sub")]:
        case(exact_file, label, root)


if __name__ == "__main__":
    main()
