"""Fix oracle program for python/shell-subprocess: commands run through a shell, on local programs only."""
import os
import subprocess
from pathlib import Path

from oracle import case


def base(path, suffix):
    done = subprocess.run(f"basename {path} {suffix}", shell=True, capture_output=True, text=True)  # want: python/shell-subprocess fix=unsafe
    return done.returncode, done.stdout, bool(done.stderr)


def copied(src, dest):
    subprocess.check_call(  # want: python/shell-subprocess fix=unsafe
        f"cp {src} {dest}",
        shell=True,
        stderr=subprocess.DEVNULL,
    )
    return sorted(os.listdir("."))


def constant():
    done = subprocess.run("basename /x/y.txt .txt", shell=True, capture_output=True, text=True)  # want: python/shell-subprocess fix=unsafe
    return done.returncode, done.stdout


def listed(args):
    done = subprocess.run(["printf", "%s;", *args], shell=True, capture_output=True, text=True)  # want: python/shell-subprocess fix=unsafe
    return done.returncode, done.stdout


def counted(path):
    out = subprocess.check_output(f"wc -c {path}", shell=True, text=True, stderr=subprocess.STDOUT)  # want: python/shell-subprocess fix=unsafe
    return out.split()[0]


def main():
    Path("a.txt").write_text("ä\n", encoding="utf-8")
    for label, a, b in [("plain", "/x/y.txt", ".txt"), ("numbers", 12, 2), ("empty word", "", ".txt"), ("space inside", "/x/two words.txt", ".txt"), ("semicolon inside", "a.c;echo", "b")]:
        case(base, label, a, b)
    for label, src, dest in [("ok", "a.txt", "b.txt"), ("missing", "none.txt", "c.txt")]:
        case(copied, label, src, dest)
    case(constant, "no input")
    for label, arg in [("none", []), ("many", ["x", "ü"])]:
        case(listed, label, arg)
    for label, arg in [("file", "a.txt"), ("missing", "none.txt")]:
        case(counted, label, arg)


if __name__ == "__main__":
    main()
