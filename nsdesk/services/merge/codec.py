"""How a change's values become a row's, and a row's values a change's.

A change names a record by its table and UUID and a field as the unit of work names
it (:mod:`nsdesk.services.unit_of_work`): a column (``title``), a reference without
its ``_id`` (``lead_agency``, whose value is the referenced record's key and whose
UUID is in the entry's ``refs``), a set (a many-to-many relationship of the mapped
class, ``themes``: the keys, and the UUIDs in ``refs``) or, for a creation, all of
them at once. This module knows, per table, which is which and how a JSON value
goes back into a column, derived from the schema statement and its set fields
(:mod:`nsdesk.store.set_fields`, which the mapped classes are held to), and reads
and writes rows with SQLAlchemy Core for the merge, which may write tens of
thousands of values in one transaction.

A referenced record is found by the UUID the entry carries; an entry written before
schema 0007 carries none, and is found by its key (a code, a ref) or UUID as the
value gives it. A marking level is named by its code, which is its key for good.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from typing import Any

from sqlalchemy import JSON, Boolean, Column, Connection, Date, Integer, String, Table, select
from sqlalchemy import Enum as SqlEnum

from nsdesk.domain.dates import PartialDate
from nsdesk.services.audit import to_json
from nsdesk.services.merge.change_schema import LOCAL_TABLES
from nsdesk.store import tables as t
from nsdesk.store.set_fields import set_fields_of
from nsdesk.store.types import PartialDateType, UtcDateTime

#: Columns that are bookkeeping of the row, not a field a change sets.
BOOKKEEPING = frozenset({"id", "uuid", "created_at", "updated_at", "retired_at"})
#: Unique text columns that are not a record's human key.
_NOT_KEYS = frozenset({"uuid", "catalogue_key", "fingerprint", "file_id"})
#: ``refs`` of a creation lists here the fields whose record was withheld by the
#: sender's ceiling (their UUID travels, their key does not).
WITHHELD_FIELDS = "(withheld)"

Decoder = Callable[[Any], Any]


class CodecError(ValueError):
    """A value a column cannot hold (the message says what was expected)."""


@dataclass(frozen=True, slots=True)
class Reference:
    """A field that names another record: its column and the table it points into.
    ``by_code``: a marking level, named by its code (the column holds the code)."""

    field: str
    column: str
    target: Table
    by_code: bool


@dataclass(frozen=True, slots=True)
class LinkSet:
    """A set field: the link table, its column naming this record and the other one."""

    field: str
    link: Table
    own: str
    other: str
    target: Table


@dataclass(frozen=True, slots=True)
class TableCodec:
    """What the fields of one table's records are."""

    table: Table
    scalars: Mapping[str, Column[Any]]
    references: Mapping[str, Reference]
    sets: Mapping[str, LinkSet]
    keys: tuple[str, ...]
    retirable: bool
    decoders: dict[str, Decoder] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return str(self.table.name)

    def knows(self, name: str) -> bool:
        """Whether ``name`` is a field a change may set on this table's records."""
        return name in self.scalars or name in self.references or name in self.sets

    def column_of(self, name: str) -> str:
        """The column a scalar or reference field is stored in."""
        reference = self.references.get(name)
        return reference.column if reference is not None else name

    def decode(self, name: str, value: Any) -> Any:
        """A scalar field's JSON value as its column takes it (``CodecError`` if it
        cannot be one)."""
        decoder = self.decoders.get(name)
        if decoder is None:
            decoder = self.decoders[name] = _decoder(self.scalars[name])
        if value is None:
            return None
        try:
            return decoder(value)
        except (TypeError, ValueError, KeyError) as error:
            raise CodecError(f"{value!r} is not a value of {self.name}.{name} ({error})") from None


def _decoder(column: Column[Any]) -> Decoder:
    kind = column.type
    if isinstance(kind, PartialDateType):
        return lambda v: PartialDate.parse(str(v))
    if isinstance(kind, UtcDateTime):
        return lambda v: _moment(str(v))
    if isinstance(kind, Date):
        return lambda v: date.fromisoformat(str(v))
    if isinstance(kind, SqlEnum):
        enum_class = kind.enum_class
        if enum_class is not None:
            return lambda v: enum_class(v)
        return lambda v: _choice(v, kind.enums)
    if isinstance(kind, Boolean):
        return _boolean
    if isinstance(kind, Integer):
        return _integer
    if isinstance(kind, JSON):
        return lambda v: v
    if isinstance(kind, String):
        limit = kind.length
        return lambda v: _text(v, limit)
    return lambda v: v


def _moment(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError("a moment must say its offset from UTC")
    return moment


def _choice(value: Any, choices: Iterable[str]) -> str:
    if value not in set(choices):
        raise ValueError(f"one of {', '.join(sorted(choices))}")
    return str(value)


def _boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError("true or false")
    return value


def _integer(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError("a whole number")
    return value


def _text(value: Any, limit: int | None) -> str:
    if not isinstance(value, str):
        raise ValueError("text")
    if limit is not None and len(value) > limit:
        raise ValueError(f"at most {limit} characters")
    return value


def _sets_of(table: Table) -> dict[str, LinkSet]:
    found: dict[str, LinkSet] = {}
    for name, link in set_fields_of(table).items():
        own = next(c for c in link.c if any(fk.column.table is table for fk in c.foreign_keys))
        other = next(c for c in link.c if c is not own)
        target = next(iter(other.foreign_keys)).column.table
        found[name] = LinkSet(name, link, str(own.name), str(other.name), target)
    return found


def _codec(table: Table) -> TableCodec:
    scalars: dict[str, Column[Any]] = {}
    references: dict[str, Reference] = {}
    for column in table.c:
        name = str(column.name)
        if name in BOOKKEEPING:
            continue
        if column.foreign_keys:
            target = next(iter(column.foreign_keys)).column.table
            by_code = target is t.marking_level
            field_name = name if by_code else name.removesuffix("_id")
            references[field_name] = Reference(field_name, name, target, by_code)
            continue
        scalars[name] = column
    keys = tuple(
        str(c.name)
        for c in table.c
        if c.unique and isinstance(c.type, String) and c.name not in _NOT_KEYS
    )
    return TableCodec(
        table=table,
        scalars=scalars,
        references=references,
        sets=_sets_of(table),
        keys=keys,
        retirable="retired_at" in table.c,
    )


@cache
def codecs() -> dict[str, TableCodec]:
    """The codec of every table whose records travel in a changes file."""
    return {
        str(table.name): _codec(table)
        for table in t.metadata.sorted_tables
        if "uuid" in table.c and table is not t.audit_entry and table.name not in LOCAL_TABLES
    }


def key_of(table: Table) -> str | None:
    """The column a person names a record of ``table`` by (``ref``, ``code``), as the
    unit of work records a reference to it; ``None``: by its UUID."""
    for name in ("ref", "code"):
        if name in table.c:
            return name
    return None


# -- values as a change carries them ---------------------------------------------------


def set_identity(values: Iterable[Any] | None, uuids: Iterable[Any] | None) -> frozenset[str]:
    """A set's members as compared in a merge: by UUID where the entry carries them,
    by key otherwise (an entry written before schema 0007)."""
    if uuids is not None:
        return frozenset(str(u) for u in uuids)
    return frozenset(f"key:{v}" for v in values or ())


def scalar_identity(value: Any, uuid: Any) -> Any:
    """A scalar or reference value as compared in a merge (a reference by its UUID)."""
    if uuid is not None:
        return ("uuid", uuid)
    return ("value", _hashable(value))


def _hashable(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_hashable(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((k, _hashable(v)) for k, v in value.items()))
    return value


# -- reading rows the way the change log records them -----------------------------------


class Rows:
    """Finds records by UUID or key for one connection, remembering what it found
    (a merge resolves the same agencies and commitments thousands of times)."""

    def __init__(self, connection: Connection):
        self.connection = connection
        self._ids: dict[tuple[str, str], int | None] = {}
        self._by_key: dict[tuple[str, str], int | None] = {}

    def forget(self, table: str, uuid: str) -> None:
        """Drop what is remembered of a record (it was deleted)."""
        self._ids.pop((table, uuid), None)

    def remember(self, table: str, uuid: str, row_id: int | None) -> None:
        """Remember a record's row id (it was just created)."""
        self._ids[(table, uuid)] = row_id

    def id_of(self, table: Table, uuid: str) -> int | None:
        """The row id of the record of ``table`` with ``uuid``, or ``None``."""
        key = (str(table.name), uuid)
        if key not in self._ids:
            self._ids[key] = self.connection.execute(
                select(table.c.id).where(table.c.uuid == uuid)
            ).scalar()
        return self._ids[key]

    def ids_of(self, table: Table, uuids: Iterable[str]) -> dict[str, int]:
        """The row ids of the records of ``table`` among ``uuids`` (one query per 500)."""
        name = str(table.name)
        wanted = sorted({u for u in uuids if (name, u) not in self._ids})
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            found = dict(
                self.connection.execute(
                    select(table.c.uuid, table.c.id).where(table.c.uuid.in_(chunk))
                ).all()
            )
            for uuid in chunk:
                self._ids[(name, uuid)] = found.get(uuid)
        return {u: i for u in uuids if (i := self._ids.get((name, u))) is not None}

    def id_by_key(self, table: Table, value: Any) -> int | None:
        """The row id of the record ``value`` names as an entry before schema 0007
        did: its key (code, ref) or its UUID."""
        text = str(value)
        cache_key = (str(table.name), text)
        if cache_key not in self._by_key:
            key = key_of(table)
            found = None
            if key is not None:
                found = self.connection.execute(
                    select(table.c.id).where(table.c[key] == text)
                ).scalar()
            if found is None and "uuid" in table.c:
                found = self.connection.execute(
                    select(table.c.id).where(table.c.uuid == text)
                ).scalar()
            self._by_key[cache_key] = found
        return self._by_key[cache_key]


def reference_id(rows: Rows, reference: Reference, value: Any, uuid: Any) -> tuple[Any, bool]:
    """What the column of ``reference`` holds for a change's ``value`` and ``uuid``,
    and whether the record it names was found (a marking level: its code)."""
    if value is None and uuid is None:
        return None, True
    if reference.by_code:
        return value, value is not None
    if uuid is not None:
        found = rows.id_of(reference.target, str(uuid))
        return found, found is not None
    found = rows.id_by_key(reference.target, value)
    return found, found is not None


def row_snapshot(
    connection: Connection, codec: TableCodec, row: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """A row's values as a creation entry records them, with the UUIDs of the records
    they name (``refs``): what the unit of work writes for a record it creates. For
    records a bulk writer made without one (kept for tests and tools that log them)."""
    values: dict[str, Any] = {}
    refs: dict[str, Any] = {}
    for name, column in codec.scalars.items():
        values[name] = to_json(row[column.name])
    for name, reference in codec.references.items():
        raw = row[reference.column]
        if raw is None or reference.by_code:
            values[name] = raw
            continue
        target = reference.target
        key = key_of(target)
        found = connection.execute(
            select(target.c.uuid, *([target.c[key]] if key else [])).where(target.c.id == raw)
        ).first()
        if found is None:
            values[name] = None
            continue
        values[name] = found[-1]  # its key, or its UUID when it has none
        refs[name] = found[0]
    for name, link in codec.sets.items():
        members = connection.execute(
            select(link.target.c.uuid, *([link.target.c[k]] if (k := key_of(link.target)) else []))
            .join(link.link, link.link.c[link.other] == link.target.c.id)
            .where(link.link.c[link.own] == row["id"])
        ).all()
        if members:
            values[name] = sorted(str(m[-1]) for m in members)
            refs[name] = sorted(str(m[0]) for m in members)
    return values, refs


def as_enum_value(value: Any) -> Any:
    """An enumeration member as its value (what a change carries)."""
    return value.value if isinstance(value, enum.Enum) else value
