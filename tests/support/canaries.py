"""Canary records: a unique string in every text field of every kind of record, at
every marking level, and visible records pointing at records of every higher level.

The planting is generic over the schema: every table whose rows carry a marking
(``sensitive_tables``) gets a record at each level, and every foreign key (and
link table) from one such kind to another gets, for each pair of levels, a record
at the lower level pointing at the record at the higher one. A new kind of record
or a new reference is planted without anyone adding it here, so the walls test
cannot skip it. Whatever an export carries is then searched for the tokens: a
token of a level above the export's ceiling must never be found.
"""

from __future__ import annotations

import itertools
import secrets
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Connection,
    Date,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    select,
)

from nsdesk.domain.dates import PartialDate
from nsdesk.services.audience.view import sensitive_tables
from nsdesk.store import tables as t
from nsdesk.store.types import PartialDateType, UtcDateTime

LEVELS = ("PUBLIC", "INTERNAL", "RESTRICTED", "CONFIDENTIAL")
ENTRY_DAY = date(2026, 1, 15)
PAST = PartialDate.parse("2025-06-30")  # pledged, signed, issued: before any as-of date
DUE = PartialDate.parse("2027-03-31")  # deadlines: within a year of the packs' as-of date
# Preferred enum values: ones that make a record show up in every output.
_PREFERRED = {"own_role": "lead", "status": "in_progress", "kind": None}


@dataclass(frozen=True, slots=True)
class Canary:
    """One planted record and the token its text fields carry."""

    token: str
    table: str
    level: str
    record_id: int


@dataclass
class Planting:
    """Every canary planted in one desk."""

    own_state_id: int
    canaries: list[Canary] = field(default_factory=list)
    #: (table, level) -> the record every reference of that level points at.
    base: dict[tuple[str, str], int] = field(default_factory=dict)
    #: (table.column, from level, to level) covered by a reference record.
    references: set[tuple[str, str, str]] = field(default_factory=set)

    def above(self, ceiling: str) -> list[Canary]:
        return [c for c in self.canaries if LEVELS.index(c.level) > LEVELS.index(ceiling)]

    def level_of(self, token: str) -> str:
        return next(c.level for c in self.canaries if c.token == token)


def _token(level: str) -> str:
    # Eight characters: short enough for every key column, unbreakable in a table cell.
    return f"Q{level[0]}{secrets.token_hex(3).upper()}"


def _enum_value(column: Column) -> Any:
    enum_class = getattr(column.type, "enum_class", None)
    members = [m.value for m in enum_class] if enum_class is not None else []
    preferred = _PREFERRED.get(column.name)
    if preferred in members:
        return preferred
    non_none = [m for m in members if m not in ("none", "unknown")]
    return (non_none or members)[0]


def _value(column: Column, token: str) -> Any:
    kind = column.type
    if getattr(kind, "enum_class", None) is not None:
        return _enum_value(column)
    if isinstance(kind, PartialDateType):
        if column.name == "submitted":
            return None  # a report still due shows in more places
        return DUE if column.name == "due" else PAST
    if isinstance(kind, UtcDateTime):
        return datetime(2026, 1, 15, tzinfo=UTC)
    if isinstance(kind, Date):
        return ENTRY_DAY
    if isinstance(kind, Boolean):
        return False
    if isinstance(kind, Integer):
        return 1
    if isinstance(kind, JSON):
        return None if column.nullable else {}
    if isinstance(kind, String | Text):
        length = getattr(kind, "length", None)
        if length is not None and length < len(token):
            return None if column.nullable else token[:length]
        return token
    raise AssertionError(f"no canary value for {column.table.name}.{column.name} ({kind!r})")


_SKIPPED = {"id", "uuid", "created_at", "updated_at", "retired_at", "sensitivity"}
_SKIPPED_CATALOGUE = {"catalogue_key", "catalogue_values", "confidence", "as_of"}


def _sensitive_target(column: Column) -> Table | None:
    for fk in column.foreign_keys:
        target = fk.column.table
        if "sensitivity" in target.c and target.name != "marking_level":
            return target
    return None


def _in_multi_unique(table: Table, column: Column) -> bool:
    return any(
        isinstance(c, UniqueConstraint) and len(c.columns) > 1 and column.name in c.columns
        for c in table.constraints
    )


class Planter:
    """Plants canaries in an open connection (one transaction, Core inserts)."""

    def __init__(self, connection: Connection):
        self.connection = connection
        own = connection.execute(select(t.desk_settings.c.own_state_id)).scalar_one()
        self.planting = Planting(own)

    def make(self, table: Table, level: str, **fixed: Any) -> int:
        """A record of ``table`` at ``level``, every text field carrying its token;
        required references point at the PUBLIC base record of their kind (a
        fresh one where a unique constraint needs it)."""
        token = _token(level)
        row: dict[str, Any] = {"sensitivity": level} if "sensitivity" in table.c else {}
        for column in table.c:
            if column.name in _SKIPPED:
                continue
            if column.name in _SKIPPED_CATALOGUE and "catalogue_key" in table.c:
                continue  # catalogue bookkeeping: not what a record says
            if column.name in fixed:
                row[column.name] = fixed[column.name]
                continue
            if column.foreign_keys:
                row[column.name] = self._reference(table, column)
                continue
            row[column.name] = _value(column, token)
        if table is t.target:
            row["due_by"] = row["due"].latest()
        if table is t.party:
            return 0
        record_id = self.connection.execute(table.insert().values(**row)).inserted_primary_key[0]
        self.planting.canaries.append(Canary(token, table.name, level, record_id))
        return record_id

    def _reference(self, table: Table, column: Column) -> Any:
        target = _sensitive_target(column)
        if target is None:
            fk = next(iter(column.foreign_keys))
            if fk.column.table is t.party:
                return self.planting.own_state_id
            if fk.column.table.name == "marking_level":
                return LEVELS[0]
            return None  # import batches and other bookkeeping: not a reference to plant
        if column.nullable:
            return None
        if _in_multi_unique(table, column):
            return self.make(target, "PUBLIC")
        return self.base_record(target.name, "PUBLIC")

    def base_record(self, table_name: str, level: str) -> int:
        key = (table_name, level)
        if key not in self.planting.base:
            self.planting.base[key] = self.make(t.metadata.tables[table_name], level)
        return self.planting.base[key]

    def plant(self) -> Planting:
        """A base record of every kind at every level, then the references."""
        tables = [tb for tb in t.metadata.sorted_tables if tb in sensitive_tables()]
        for table in tables:
            for level in LEVELS:
                self.base_record(table.name, level)
        for table in tables:
            for column in table.c:
                target = _sensitive_target(column)
                if target is None:
                    continue
                for low, high in itertools.combinations(LEVELS, 2):
                    pointed = (
                        self.make(target, high)  # one per referrer: the pair must be unique
                        if _in_multi_unique(table, column)
                        else self.base_record(target.name, high)
                    )
                    self.make(table, low, **{column.name: pointed})
                    self.planting.references.add((f"{table.name}.{column.name}", low, high))
        for link in links_between_sensitive_kinds():
            left, right = (c for c in link.primary_key.columns)
            left_kind, right_kind = _sensitive_target(left), _sensitive_target(right)
            for low, high in itertools.combinations(LEVELS, 2):
                self.connection.execute(
                    link.insert().values(
                        **{
                            left.name: self.make(left_kind, low),
                            right.name: self.base_record(right_kind.name, high),
                        }
                    )
                )
                self.planting.references.add((link.name, low, high))
        return self.planting


def links_between_sensitive_kinds() -> list[Table]:
    """Pure link tables whose both sides are records carrying a marking."""
    return [
        table
        for table in t.metadata.sorted_tables
        if "sensitivity" not in table.c
        and len(table.primary_key.columns) == 2
        and all(_sensitive_target(c) is not None for c in table.primary_key.columns)
    ]


def references_between_sensitive_kinds() -> set[str]:
    """Every ``table.column`` naming a record that carries a marking, from one that does."""
    return {
        f"{table.name}.{column.name}"
        for table in sensitive_tables()
        for column in table.c
        if _sensitive_target(column) is not None
    } | {link.name for link in links_between_sensitive_kinds()}


# -- searching what left ---------------------------------------------------------------


def xlsx_parts(path: Path) -> dict[str, str]:
    """Every part of a workbook (sheets, hidden ones included, shared strings,
    document properties…) as text."""
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name).decode("utf-8", "replace") for name in archive.namelist()}


def pdf_parts(path: Path) -> dict[str, str]:
    """Every place text can hide in a PDF: each page's extracted text, bookmarks,
    metadata, and every object's uncompressed bytes (annotations, forms, XMP)."""
    from pypdf import PdfReader
    from pypdf.generic import StreamObject

    reader = PdfReader(str(path))
    parts = {f"page {i + 1}": page.extract_text() or "" for i, page in enumerate(reader.pages)}
    parts["metadata"] = " ".join(str(v) for v in (reader.metadata or {}).values())

    def walk(items: Iterable[Any]) -> Iterable[str]:
        for item in items:
            if isinstance(item, list):
                yield from walk(item)
            else:
                yield str(item.title)

    parts["outline"] = "\n".join(walk(reader.outline))
    objects = []
    for number in range(1, reader.trailer["/Size"]):
        try:
            obj = reader.get_object(number)
        except Exception:  # a free entry of the cross-reference table
            continue
        if isinstance(obj, StreamObject):
            objects.append(obj.get_data().decode("latin-1"))
        elif obj is not None:
            objects.append(repr(obj))
    parts["objects"] = "\n".join(objects)
    return parts


def found_tokens(parts: dict[str, str], canaries: Iterable[Canary]) -> dict[str, list[str]]:
    """token -> the parts it was found in."""
    found: dict[str, list[str]] = {}
    for canary in canaries:
        where = [name for name, text in parts.items() if canary.token in text]
        if where:
            found[canary.token] = where
    return found


def highest(levels: Iterable[str]) -> str:
    ranked = [LEVELS.index(level) for level in levels]
    return LEVELS[max(ranked, default=0)]
