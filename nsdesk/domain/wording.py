"""How a count is said, the same in the app, the command line and the files nsdesk
writes: "1 record", "12 records", "1,204 records" — never "1 records" or "record(s)"."""

from __future__ import annotations


def count(n: int, one: str, many: str | None = None) -> str:
    """ "1 change", "12 changes", "1,204 changes"; ``many`` where the plural is not
    made with an "s" ("1 entry", "3 entries")."""
    return f"{n:,} {one if n == 1 else (many or one + 's')}"
