"""Object ids taken from a URL: a number no row can have is a 404, never a database error.

Django answers "no such row" itself for an out-of-range primary key (its integer lookups know the
field's range), but not for a foreign key compared with a number from the URL: SQLite then raises
``OverflowError`` and PostgreSQL a range error. Views that filter on an id from the URL other than
``pk`` (e.g. ``routine_pk`` of a nested route) parse it here first.
"""

from __future__ import annotations

# The largest id a BigAutoField (PostgreSQL bigint, SQLite INTEGER) can hold.
MAX_ID = 2**63 - 1


def object_id(value: object) -> int | None:
    """``value`` as an id some row could have (1..MAX_ID), else None."""
    text = str(value)
    if not text.isascii() or not text.isdigit():
        return None
    number = int(text)
    return number if 1 <= number <= MAX_ID else None
