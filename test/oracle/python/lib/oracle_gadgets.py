"""A module beside the program (first-party) whose import has an effect: it notes when it is imported."""
from oracle import note

note("oracle_gadgets imported")


def make(name):
    return f"gadget {name}"
