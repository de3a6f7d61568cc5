"""What one change in a changes file is: an audit entry of the desk's change log.

The keys are not listed anywhere by hand: they are the columns of ``audit_entry``
(all but its row id), read from the schema statement (:mod:`nsdesk.store.tables`),
so when the change log gains a column (the revision, parent, replica and clock of
schema 0004) the file carries it and the reader requires it, with nothing else to
edit. A column's SQL type says how its value travels; a few keys say more (a UUID,
a clock stamp) by name, below. The tables and fields a change may name are those of
the reading desk's records.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from enum import Enum
from functools import cache
from typing import Any

from sqlalchemy import JSON, Column, Integer, String, Table
from sqlalchemy import Enum as SqlEnum

from nsdesk.exchange.changes import ChangeSchema, KeyKind, KeySpec
from nsdesk.exchange.changes.lines import UUID
from nsdesk.store import tables as t
from nsdesk.store.set_fields import set_fields_of
from nsdesk.store.types import UtcDateTime

LOCAL_TABLES = frozenset({"changes_trust", "changes_received", "workbook_export"})
"""Tables that belong to one copy of a desk and never travel in a changes file: the
keys this copy trusts, the files it received, and the workbooks it exported (a return
is judged against the desk that sent it; elsewhere it is read like a foreign table).
A change naming one is refused, so whatever chooses the changes to send leaves them
out."""

_UUID_KEYS = frozenset({"uuid", "parent_uuid", "record_uuid", "operation_id"})
_PATTERNS: dict[str, tuple[re.Pattern[str], str]] = {
    # The hybrid logical clock of schema 0004: ms since the epoch (15 digits), a
    # counter (5 digits), the replica id.
    "hlc": (
        re.compile(r"^\d{15}-\d{5}-[0-9A-Za-z._:-]{1,36}$"),
        "a clock stamp like 001764000000000-00000-<replica id>",
    ),
}


def _key_spec(column: Column[Any]) -> KeySpec:
    """How the value of one ``audit_entry`` column travels, from its SQL type."""
    name, nullable, kind = str(column.name), bool(column.nullable), column.type
    if isinstance(kind, UtcDateTime):
        return KeySpec(name, KeyKind.DATETIME, nullable)
    if isinstance(kind, SqlEnum):
        return KeySpec(name, KeyKind.CHOICE, nullable, choices=frozenset(kind.enums))
    if isinstance(kind, JSON):
        return KeySpec(name, KeyKind.JSON, nullable)
    if isinstance(kind, Integer):
        return KeySpec(name, KeyKind.INTEGER, nullable)
    if isinstance(kind, String):
        if name in _UUID_KEYS:
            return KeySpec(name, KeyKind.TEXT, nullable, 36, pattern=UUID, what="a UUID")
        pattern, what = _PATTERNS.get(name, (None, ""))
        return KeySpec(name, KeyKind.TEXT, nullable, kind.length, pattern=pattern, what=what)
    raise TypeError(
        f"audit_entry.{name} is of type {kind!r}, which a changes file does not know how "
        "to carry: say how in nsdesk/services/merge/change_schema.py"
    )


def _field_names(table: Table) -> frozenset[str]:
    """The fields an audit entry may name for a record of ``table``: its columns, a
    reference also without its ``_id`` (as the unit of work names it), and its sets
    (:mod:`nsdesk.store.set_fields`: the mapped classes are not loaded to read a file)."""
    names: set[str] = set(set_fields_of(table))
    for column in table.columns:
        # str(): SQLAlchemy's names are a subclass of str that a file must not carry
        names.add(str(column.name))
        names.add(str(column.name).removesuffix("_id"))
    return frozenset(names)


@cache
def change_schema() -> ChangeSchema:
    """The schema every change of a changes file is written and checked against: the
    columns of ``audit_entry`` in their order, and the records this desk holds."""
    keys = tuple(_key_spec(column) for column in t.audit_entry.columns if column.name != "id")
    tables = {
        str(table.name): _field_names(table)
        for table in t.metadata.sorted_tables
        if "uuid" in table.c and table is not t.audit_entry and table.name not in LOCAL_TABLES
    }
    return ChangeSchema(keys=keys, tables=tables)


def to_change(row: Mapping[str, Any]) -> dict[str, Any]:
    """An ``audit_entry`` row as a change: its keys in the schema's order, a moment as
    ISO text, an enumeration as its value."""
    change = {}
    for name in change_schema().names:
        value = row[name]
        if isinstance(value, datetime):
            value = value.isoformat()
        elif isinstance(value, Enum):
            value = value.value
        change[name] = value
    return change
