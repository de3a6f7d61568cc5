"""The per-field three-way merge that applies a catalogue's records to a desk.

Each catalogue record keeps the values last applied from the catalogue
(``catalogue_values``). For each field:

* the catalogue did not change it → nothing happens;
* the catalogue changed it and the desk still holds the old catalogue value →
  the desk takes the new value (audited, channel *catalogue*);
* the catalogue changed it and the user had edited it → the user's value is kept,
  and the report lists it so the user can look.

Records the user retired stay retired and untouched; nothing is ever deleted;
membership lists, leads, themes and citations only grow. A record the catalogue
withdraws (replaced by others, as the 2016 Action Plans were by five documents)
is retired only when the user never edited it; otherwise it is kept and reported.

A record the user made before the catalogue knew it (their own participation in a
treaty, say) is *adopted* by its natural key rather than duplicated: it takes the
catalogue's key with no base, so the catalogue fills only its empty fields and
every value the user typed is kept (and reported where the catalogue differs).

Where sources conflict, the record holds one value and the other is cited on the
field with its own source and a note (``Wanted.cited``): both stay visible.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Table, null, select, update

from nsdesk.domain.enums import AuditAction
from nsdesk.services.audit import AuditContext, creation_rows, to_json
from nsdesk.store import tables as t
from nsdesk.store.bulk import insert_rows
from nsdesk.store.ids import new_uuid, new_uuids
from nsdesk.store.types import utcnow


@dataclass(frozen=True, slots=True)
class KeptEdit:
    """A field where the catalogue changed but the user's own edit was kept."""

    table: str
    record: str
    field: str
    desk_value: Any
    catalogue_value: Any


@dataclass
class CatalogueReport:
    """What applying a catalogue did."""

    version: str
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    kept_edits: list[KeptEdit] = field(default_factory=list)
    retired: dict[str, int] = field(default_factory=dict)
    adopted: dict[str, int] = field(default_factory=dict)

    def count(self, bucket: dict[str, int], table: str, n: int = 1) -> None:
        if n:
            bucket[table] = bucket.get(table, 0) + n


@dataclass(frozen=True, slots=True)
class Cited:
    """A source cited on one field of a record, with what it says there (the other
    value, where sources conflict)."""

    source: str  # the catalogue's source id (S001)
    field: str | None
    note: str | None


@dataclass(frozen=True, slots=True)
class Wanted:
    """One record as the catalogue wants it: key, column values, label, sources, and
    sources cited on one of its fields."""

    key: str
    values: dict[str, Any]
    label: str
    sources: tuple[str, ...] = ()
    cited: tuple[Cited, ...] = ()
    #: Keys the record had in earlier catalogues (a key shortened to fit its column):
    #: a desk holding it under one of them is re-keyed, not given a second record.
    formerly: tuple[str, ...] = ()


#: The width of every ``catalogue_key`` column.
CATALOGUE_KEY_MAX = 80


def fitted_key(key: str) -> tuple[str, tuple[str, ...]]:
    """``key`` as stored (at most :data:`CATALOGUE_KEY_MAX` characters: a longer one is
    cut and ends in ``~`` and a hash of the whole, so it stays unique and stable),
    with the spelling desks made before the cut may hold."""
    if len(key) <= CATALOGUE_KEY_MAX:
        return key, ()
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:8]
    return f"{key[: CATALOGUE_KEY_MAX - 9]}~{digest}", (key,)


class RecordMerger:
    """Merges catalogue records into one desk connection inside the caller's
    transaction, table by table, counting what it did in ``report``."""

    def __init__(self, connection: Connection, ctx: AuditContext, public_level: str):
        self.connection = connection
        self.ctx = ctx
        self.public_level = public_level
        self.source_ids: dict[str, int] = {}
        self.report: CatalogueReport | None = None

    def merge(self, table: Table, wanted: list[Wanted]) -> dict[str, int]:
        """Insert new records, three-way-merge existing ones; ``key → id`` of all."""
        assert self.report is not None
        columns = sorted({c for w in wanted for c in w.values})
        self._rekey(table, [w for w in wanted if w.formerly])
        existing = {
            row.catalogue_key: row
            for row in self.connection.execute(
                select(
                    table.c.id,
                    table.c.uuid,
                    table.c.catalogue_key,
                    table.c.catalogue_values,
                    # records that cannot be retired count as never retired
                    table.c.get("retired_at", null().label("retired_at")),
                    *(table.c[c] for c in columns),
                ).where(table.c.catalogue_key.in_([w.key for w in wanted]))
            )
        }
        inserts, audit = [], []
        sensitive = "sensitivity" in table.c
        fresh = [item for item in wanted if item.key not in existing]
        for item, record_uuid in zip(fresh, new_uuids(len(fresh)), strict=True):
            snapshot = to_json(item.values)  # the merge base, and what the audit says
            values = {
                **item.values,
                "uuid": record_uuid,
                "catalogue_key": item.key,
                "catalogue_values": snapshot,
            }
            if sensitive:
                values["sensitivity"] = self.public_level
            inserts.append(values)
            audit.append((record_uuid, item.label, snapshot))
        for item in wanted:
            row = existing.get(item.key)
            if row is not None and row.retired_at is None:
                self._merge_existing(table, row, item)
        if inserts:
            # executemany needs every row to name the same columns
            names = set().union(*(r.keys() for r in inserts))
            insert_rows(self.connection, table, [{n: r.get(n) for n in names} for r in inserts])
            insert_rows(self.connection, t.audit_entry, creation_rows(self.ctx, table.name, audit))
            self.report.count(self.report.created, table.name, len(inserts))
        ids = dict(
            self.connection.execute(
                select(table.c.catalogue_key, table.c.id).where(
                    table.c.catalogue_key.in_([w.key for w in wanted])
                )
            ).all()
        )
        self._cite(table, wanted)
        return ids

    def _rekey(self, table: Table, wanted: list[Wanted]) -> None:
        """Give records held under an earlier key of theirs their current key (audited)."""
        for item in wanted:
            row = self.connection.execute(
                select(table.c.id, table.c.uuid, table.c.catalogue_key).where(
                    table.c.catalogue_key.in_(item.formerly)
                )
            ).first()
            if row is None:
                continue
            self.connection.execute(
                update(table).where(table.c.id == row.id).values(catalogue_key=item.key)
            )
            self.connection.execute(
                t.audit_entry.insert(),
                {
                    "uuid": new_uuid(),
                    "at": utcnow(),
                    "actor": self.ctx.actor.name,
                    "channel": self.ctx.actor.channel,
                    "action": "update",
                    "record_table": table.name,
                    "record_uuid": row.uuid,
                    "record_label": item.label[:200],
                    "field": "catalogue_key",
                    "old_value": row.catalogue_key,
                    "new_value": item.key,
                    "operation_id": self.ctx.operation_id,
                    "note": self.ctx.note,
                },
            )

    def _merge_existing(self, table: Table, row: Any, item: Wanted) -> None:
        assert self.report is not None
        base: dict[str, Any] = row.catalogue_values or {}
        changes: dict[str, Any] = {}
        audit_rows = []
        for name, value in item.values.items():
            theirs, mine = to_json(value), to_json(getattr(row, name))
            old_base = base.get(name)
            if theirs in (old_base, mine):
                continue
            if mine == old_base or (name not in base and mine is None):
                changes[name] = value
                audit_rows.append((name, mine, theirs))
            else:
                self.report.kept_edits.append(KeptEdit(table.name, item.label, name, mine, theirs))
        new_base = to_json(item.values)
        if not changes and new_base == base:
            return
        self.connection.execute(
            update(table)
            .where(table.c.id == row.id)
            .values(**changes, catalogue_values=new_base, updated_at=utcnow())
        )
        if changes:
            self.report.count(self.report.updated, table.name)
            self.connection.execute(
                t.audit_entry.insert(),
                [
                    {
                        "uuid": new_uuid(),
                        "at": utcnow(),
                        "actor": self.ctx.actor.name,
                        "channel": self.ctx.actor.channel,
                        "action": "update",
                        "record_table": table.name,
                        "record_uuid": row.uuid,
                        "record_label": item.label[:200],
                        "field": name,
                        "old_value": old,
                        "new_value": new,
                        "operation_id": self.ctx.operation_id,
                        "note": self.ctx.note,
                    }
                    for name, old, new in audit_rows
                ],
            )

    def link(self, table: Table, pairs: Iterable[tuple[int, int]]) -> None:
        """Add the missing rows of a link table (existing links are left alone)."""
        left, right = (c.name for c in table.primary_key.columns)
        wanted = set(pairs)
        if not wanted:
            return
        present = set(self.connection.execute(select(table.c[left], table.c[right])).all())
        missing = sorted(wanted - present)
        if missing:
            insert_rows(self.connection, table, [{left: a, right: b} for a, b in missing])

    def _cite(self, table: Table, wanted: list[Wanted]) -> None:
        cited = [w for w in wanted if w.sources or w.cited]
        if not cited:
            return
        rows = self.connection.execute(
            select(table.c.catalogue_key, table.c.uuid).where(
                table.c.catalogue_key.in_([w.key for w in cited])
            )
        ).all()
        subject = dict(rows)
        citations = t.citation
        present: set[tuple[Any, ...]] = set(
            self.connection.execute(
                select(citations.c.source_id, citations.c.subject_uuid, citations.c.field).where(
                    citations.c.subject_table == table.name
                )
            ).all()
        )
        new = []
        for item in cited:
            if item.key not in subject:
                continue  # a conflict on a record this catalogue does not carry
            citing = [Cited(sid, None, None) for sid in item.sources] + list(item.cited)
            for citation in citing:
                triple = (self.source_ids[citation.source], subject[item.key], citation.field)
                if triple not in present:
                    present.add(triple)
                    new.append(
                        {
                            "source_id": triple[0],
                            "subject_table": table.name,
                            "subject_uuid": triple[1],
                            "field": citation.field,
                            "note": citation.note,
                        }
                    )
        if new:
            for row, fresh in zip(new, new_uuids(len(new)), strict=True):
                row["uuid"] = fresh
            insert_rows(self.connection, citations, new)

    def adopt(self, table: Table, found: dict[str, int]) -> None:
        """Give records the user made the catalogue key that names them (``key → id``
        of records without one): from now on they are merged, never duplicated."""
        assert self.report is not None
        if not found:
            return
        for key, record_id in found.items():
            self.connection.execute(
                update(table).where(table.c.id == record_id).values(catalogue_key=key)
            )
        self.report.count(self.report.adopted, table.name, len(found))

    def withdraw(self, table: Table, keys: Iterable[str]) -> None:
        """Retire the records the catalogue no longer carries, unless the user edited
        them (those are kept, and reported)."""
        assert self.report is not None
        keys = list(keys)
        if not keys or "retired_at" not in table.c:
            return
        columns = [c for c in table.c if c.name not in _BOOKKEEPING]
        rows = self.connection.execute(
            select(table).where(table.c.catalogue_key.in_(keys), table.c.retired_at.is_(None))
        ).all()
        retired = []
        for row in rows:
            base: dict[str, Any] = row.catalogue_values or {}
            edited = [
                c.name
                for c in columns
                if c.name in base and to_json(getattr(row, c.name)) != base[c.name]
            ]
            label = str(getattr(row, "title", None) or getattr(row, "name", None) or row.uuid)
            if edited:
                self.report.kept_edits.extend(
                    KeptEdit(table.name, label, name, to_json(getattr(row, name)), None)
                    for name in edited
                )
                continue
            retired.append((row.id, row.uuid, label))
        now = utcnow()
        for record_id, _uuid, _label in retired:
            self.connection.execute(
                update(table).where(table.c.id == record_id).values(retired_at=now, updated_at=now)
            )
        if retired:
            self.connection.execute(
                t.audit_entry.insert(),
                [
                    {
                        "uuid": new_uuid(),
                        "at": now,
                        "actor": self.ctx.actor.name,
                        "channel": self.ctx.actor.channel,
                        "action": AuditAction.RETIRE,
                        "record_table": table.name,
                        "record_uuid": record_uuid,
                        "record_label": label[:200],
                        "field": None,
                        "old_value": None,
                        "new_value": None,
                        "operation_id": self.ctx.operation_id,
                        "note": "withdrawn from the catalogue",
                    }
                    for _id, record_uuid, label in retired
                ],
            )
            self.report.count(self.report.retired, table.name, len(retired))


_BOOKKEEPING = frozenset(
    {"id", "uuid", "created_at", "updated_at", "retired_at", "catalogue_key", "catalogue_values"}
)
