"""How the fix oracle's Python programs report: one line per case, the same on every run.

A case is one call of one function on one input. Its line is `name(input): returns <value>` or
`name(input): raises <Type>: <message>`, followed by `| <note>; <note>` for what the call did on the way (the
calls a fake module recorded, the files written). test/fix-oracle.test.ts compares these lines before and after
a fix, case by case.
"""
import asyncio
import inspect

_notes = []


def note(*parts):
    """Records something the current case did (shown after its result, in the order it happened)."""
    _notes.append(" ".join(str(p) for p in parts))


def show(value):
    """A deterministic text for a value: sets sorted, generators and other iterators drained."""
    if isinstance(value, (set, frozenset)):
        return "{" + ", ".join(sorted(show(v) for v in value)) + "}"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{show(k)}: {show(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(show(v) for v in value) + "]"
    if isinstance(value, tuple):
        return "(" + ", ".join(show(v) for v in value) + ("," if len(value) == 1 else "") + ")"
    if inspect.isgenerator(value) or type(value).__name__ in ("map", "filter", "zip"):
        return "iter " + show(list(value))
    return repr(value)


def case(fn, label, *args, **kwargs):
    """Calls fn (a coroutine function runs to completion) and prints what it returned or raised."""
    del _notes[:]
    try:
        value = fn(*args, **kwargs)
        if inspect.iscoroutine(value):
            value = asyncio.run(value)
        out = "returns " + show(value)
    except Exception as e:  # noqa: BLE001 - the exception is the case's result
        out = f"raises {type(e).__name__}: {e}"
    tail = " | " + "; ".join(_notes) if _notes else ""
    print(f"{fn.__name__}({label}): {out}{tail}", flush=True)
