"""python/shell-subprocess: running /usr/bin/true through /bin/sh (shell=True) vs. directly from an argument list.

(The program is named by path: a bare `true` would be the shell's builtin and start no program at all.)
"""
import subprocess

UNIT = "runs"
SIZES = [5, 20]
NUMBER = 1


def setup(n):
    return (n,)


def flagged(n):
    for i in range(n):
        subprocess.run(f"/usr/bin/true {i}", shell=True, check=True)


def fixed(n):
    for i in range(n):
        subprocess.run(["/usr/bin/true", str(i)], check=True)
