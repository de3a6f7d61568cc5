"""The merge itself: one changes file's entries applied to one desk connection, inside
the caller's transaction.

For each change, in the order the sender's desk committed them:

* already in this desk (same entry UUID): skipped, so a file merged twice, or files
  that overlap, change nothing;
* its record, field and the entries it replaced are checked: a change naming a
  record or a field this desk does not have, or replacing an entry neither desk
  holds, refuses the whole file (:class:`MergeRefusedError`);
* it joins its record's history, and the line it is on (a field, or the record's
  retirements) is settled from its *heads* (:mod:`nsdesk.services.merge.lineage`):
  one head — the change replaced what the desk shows — and its value is applied
  (fast-forward); several heads with one value, or a set, and they merge silently (a
  set three-way, against the value they all started from); several different values
  of a field, and it is an open conflict: the desk keeps the value it shows, both
  sides are kept, and the conflict is recorded (``changes_conflict``).

A record created with a human key another record of this desk already has (two
laptops' C-0043) is an identity clash: it is created under a provisional key that
says so (``C-0043~1a2b``), never renumbered for good until a person settles it. A
record retired on one side and edited on the other keeps both, and is flagged for
review. Append-only records (progress entries, targets, citations, milestones) are
creations of new records: they never conflict.

Entries are written as they came (their UUID, parent, replica and clock stamp), with
this transaction's revision, so the history names the laptop each came from.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from nsdesk.domain.changes_errors import MergeRefusedError
from nsdesk.domain.enums import AuditAction, Channel
from nsdesk.domain.hlc import HlcStamp
from nsdesk.domain.records import RECORD_SPECS
from nsdesk.services.audit import Actor, to_json
from nsdesk.services.merge.codec import (
    BOOKKEEPING,
    WITHHELD_FIELDS,
    CodecError,
    Rows,
    TableCodec,
    codecs,
    reference_id,
    scalar_identity,
    set_identity,
)
from nsdesk.services.merge.lineage import (
    CREATE,
    DELETE,
    RESTORE,
    RETIRE,
    UPDATE,
    Entry,
    RecordHistory,
    lineage,
    load_histories,
    parents_of,
)
from nsdesk.services.merge.outcome import (
    Decisions,
    ItemKind,
    MergedField,
    MergeReport,
    OnConflict,
    OpenItem,
    Side,
)
from nsdesk.store import tables as t
from nsdesk.store.bulk import insert_rows
from nsdesk.store.change_log import RETIRED_LINE, change_log_of, conflict_field
from nsdesk.store.ids import new_uuid
from nsdesk.store.types import utcnow

BATCH = 2000
"""Changes read, checked and written at a time: memory stays that of a batch."""
_TOLERATED = frozenset({"uuid", "retired_at", "created_at", "updated_at"})
_SERIES = {"C": t.commitment, "A": t.action_item}
_ALLOCATED = re.compile(r"^([A-Z])-(\d+)$")


@dataclass(frozen=True, slots=True)
class FileFacts:
    """What the merge needs of the file: its name (for refusals), who sent it and
    what the sender knew of each replica."""

    path: Any
    file_id: str
    sender_replica: str
    sender_label: str
    knows: Mapping[str, int]


def hlc_number(stamp: str) -> int:
    """A clock stamp as the number a changes file's ``knows`` compares: its
    milliseconds and counter (``ms * 100000 + counter``)."""
    parsed = HlcStamp.parse(stamp)
    return parsed.ms * 100_000 + parsed.counter


def laptop_names(connection: Connection) -> dict[str, str]:
    """Each replica the desk knows, by the name a person reads."""
    names: dict[str, str] = {}
    for replica_id, role, label in connection.execute(
        select(t.desk_replica.c.replica_id, t.desk_replica.c.role, t.desk_replica.c.label)
    ):
        if role == "origin":
            names[replica_id] = "this desk's history before laptops kept apart"
        else:
            names[replica_id] = label or f"laptop {replica_id[:8]}"
    return names


def field_label(table: str, name: str | None) -> str:
    """A field as a person reads it (the form's label where the kind has one)."""
    if not name:
        return ""
    if name == RETIRED_LINE:
        return "Retired"
    spec = RECORD_SPECS.get(table)
    if spec is not None:
        for fspec in spec.fields:
            if fspec.name == name or fspec.name == name.removesuffix("_id"):
                return fspec.label
    return name.replace("_", " ").capitalize()


class _Changes:
    """The values of entries the merge looks at, from this file or from the desk."""

    def __init__(self, connection: Connection):
        self.connection = connection
        self.run: dict[str, dict[str, Any]] = {}
        self._desk: dict[str, dict[str, Any]] = {}

    def get(self, uuid: str) -> dict[str, Any]:
        found = self.run.get(uuid) or self._desk.get(uuid)
        if found is None:
            a = t.audit_entry
            row = (
                self.connection.execute(
                    select(
                        a.c.uuid,
                        a.c.action,
                        a.c.field,
                        a.c.new_value,
                        a.c.old_value,
                        a.c.refs,
                        a.c.actor,
                        a.c.at,
                        a.c.replica_id,
                        a.c.record_label,
                    ).where(a.c.uuid == uuid)
                )
                .mappings()
                .first()
            )
            if row is None:
                raise KeyError(uuid)
            found = dict(row)
            found["action"] = str(getattr(found["action"], "value", found["action"]))
            self._desk[uuid] = found
        return found


class Merge:
    """One changes file merged into one desk connection (see module docstring).

    ``decisions`` settles named conflicts ((record UUID, field) → "keep", "take" or
    ("value", V)); the others follow ``on_conflict``. Nothing is committed here: the
    caller's transaction is committed or rolled back whole."""

    def __init__(
        self,
        connection: Connection,
        facts: FileFacts,
        *,
        actor: Actor,
        on_conflict: OnConflict = OnConflict.LATER,
        decisions: Decisions | None = None,
        received_id: int | None = None,
        report: MergeReport,
    ):
        self.c = connection
        self.facts = facts
        self.actor = actor
        self.on_conflict = on_conflict
        self.decisions = dict(decisions or {})
        self.received_id = received_id
        self.report = report
        self.rows = Rows(connection)
        self.codecs = codecs()
        self.values = _Changes(connection)
        self.histories: dict[str, RecordHistory] = {}
        self.tables: dict[str, str] = {}  # record uuid -> table
        self.position = 0
        self.number = 0  # the change being merged, counted from 1
        self.audit: list[dict[str, Any]] = []
        self.pending: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self.journal: dict[tuple[str, str, str], Any] = {}
        self.created: list[tuple[str, str]] = []
        self.created_set: set[tuple[str, str]] = set()
        self.prefetched: dict[tuple[str, str, str], Any] = {}
        self.restores: list[tuple[TableCodec, str, str, Any]] = []
        self.touched_conflicts: dict[tuple[str, str], None] = {}
        self.reviewed: set[tuple[str, str]] = set()
        self.replicas: dict[str, None] = {}
        self.newest_stamp: str | None = None
        self.operation_id = new_uuid()
        self.names = laptop_names(connection)

    # -- refusals ------------------------------------------------------------------------
    def refuse(self, problem: str) -> MergeRefusedError:
        return MergeRefusedError(self.facts.path, problem, f"change {self.number:,}")

    # -- the run -------------------------------------------------------------------------
    def run(self, changes: Iterable[dict[str, Any]], progress: Callable[[int], None]) -> None:
        """Merge every change (in batches), then settle what the policy settles."""
        for batch in _batches(changes, BATCH):
            self._batch(batch)
            progress(self.number)
        self._flush_updates()
        self._write_audit()
        self._settle_policy()
        self._flush_updates()
        self._write_audit()
        self._bump_counters()
        self._register_replicas()

    def _batch(self, batch: list[dict[str, Any]]) -> None:
        uuids = [change["uuid"] for change in batch]
        known = set()
        a = t.audit_entry
        for start in range(0, len(uuids), 500):
            known.update(
                self.c.execute(
                    select(a.c.uuid).where(a.c.uuid.in_(uuids[start : start + 500]))
                ).scalars()
            )
        fresh = [
            change
            for change in batch
            if change["uuid"] not in known and change["uuid"] not in self.values.run
        ]
        missing = {c["record_uuid"] for c in fresh} - self.histories.keys()
        if missing:
            self.histories.update(load_histories(self.c, missing))
        by_table: dict[str, set[str]] = {}
        for change in fresh:
            by_table.setdefault(change["record_table"], set()).add(change["record_uuid"])
        for table, records in by_table.items():
            codec = self.codecs.get(table)
            if codec is not None:
                self.rows.ids_of(codec.table, records)
        self._prefetch(fresh)
        for change in batch:
            self.number += 1
            self.report.total += 1
            if change["uuid"] in known or change["uuid"] in self.values.run:
                self.report.known += 1
                continue
            self._one(change)
        self._flush_updates()
        self._write_audit()

    def _prefetch(self, changes: list[dict[str, Any]]) -> None:
        """The values the batch's updates replace, read at once (for the undo journal)."""
        wanted: dict[str, dict[str, set[str]]] = {}
        for change in changes:
            codec = self.codecs.get(change["record_table"])
            if codec is None:
                continue
            action, name = change["action"], change.get("field")
            if action == UPDATE and name and (name in codec.scalars or name in codec.references):
                column = codec.column_of(name)
            elif action in (RETIRE, RESTORE) and codec.retirable:
                column = "retired_at"
            else:
                continue
            key = (codec.name, change["record_uuid"], column)
            if key in self.journal or key in self.prefetched:
                continue
            wanted.setdefault(codec.name, {}).setdefault(column, set()).add(change["record_uuid"])
        for table_name, columns in wanted.items():
            table = self.codecs[table_name].table
            names = sorted(columns)
            records = sorted(set().union(*columns.values()))
            for start in range(0, len(records), 500):
                query = select(table.c.uuid, *(table.c[n] for n in names)).where(
                    table.c.uuid.in_(records[start : start + 500])
                )
                for row in self.c.execute(query):
                    for number, name in enumerate(names, start=1):
                        if row[0] in columns[name]:
                            self.prefetched[(table_name, row[0], name)] = _journal_value(
                                row[number]
                            )

    def _one(self, change: dict[str, Any]) -> None:
        table = change["record_table"]
        codec = self.codecs.get(table)
        if codec is None:
            raise self.refuse(f"it changes {table} records, which do not travel between desks")
        record = change["record_uuid"]
        known_table = self.tables.setdefault(record, table)
        if known_table != table:
            raise self.refuse(f"it names record {record} as {table}, which is {known_table}")
        history = self.histories.setdefault(record, RecordHistory(record))
        action = change["action"]
        parents = parents_of(change.get("parent_uuid"), change.get("also_replaces"))
        if change.get("also_replaces") is not None and not _uuid_list(change["also_replaces"]):
            raise self.refuse("its 'also_replaces' is not a list of entry UUIDs")
        line = lineage(action, change.get("field"))
        for parent in parents:
            if parent not in history.entries:
                raise self.refuse(
                    f"it replaces entry {parent} of {codec.name} {record}, which neither this "
                    "desk nor the file holds: its history cannot be placed (ask the sender for "
                    "a file with everything: nsdesk changes export --all)"
                )
            if action != DELETE and line is not None and not history.on_line(parent, line):
                raise self.refuse(
                    f"it replaces entry {parent}, which is not a change of the same field"
                )
        self.values.run[change["uuid"]] = change
        self.position += 1
        entry = Entry(
            uuid=change["uuid"],
            action=action,
            field=change.get("field"),
            parents=parents,
            hlc=change["hlc"],
            replica=change["replica_id"],
            order=(1, self.position),
        )
        self.replicas.setdefault(change["replica_id"], None)
        if self.newest_stamp is None or change["hlc"] > self.newest_stamp:
            self.newest_stamp = change["hlc"]
        if action == CREATE:
            self._create(codec, change, history, entry)
        elif action == UPDATE:
            self._update(codec, change, history, entry)
        elif action in (RETIRE, RESTORE):
            self._retire(codec, change, history, entry)
        elif action == DELETE:
            self._delete(codec, change, history, entry)
        else:
            raise self.refuse(f"its action {action!r} is not one nsdesk knows")
        self.audit.append(_audit_row(change))

    # -- creations -----------------------------------------------------------------------
    def _create(
        self, codec: TableCodec, change: dict[str, Any], history: RecordHistory, entry: Entry
    ) -> None:
        if change.get("parent_uuid") or change.get("also_replaces"):
            raise self.refuse("a creation replaces no earlier entry, but this one says it does")
        if change.get("field") is not None:
            raise self.refuse("a creation names no single field, but this one does")
        snapshot = change.get("new_value")
        if not isinstance(snapshot, dict):
            raise self.refuse(
                f"it creates {codec.name} {change['record_uuid']} without the record's values"
            )
        for name in snapshot:
            if not codec.knows(name) and name not in _TOLERATED:
                raise self.refuse(f"it sets a field {codec.name} records do not have ({name!r})")
        refs = change.get("refs") or {}
        if not isinstance(refs, dict):
            raise self.refuse("its 'refs' is not what a creation carries")
        record = change["record_uuid"]
        exists = self.rows.id_of(codec.table, record) is not None
        history.add(entry)
        if exists:
            # Two copies created the same record (a catalogue's, a marking level):
            # each field is a line with two first values.
            for name in snapshot:
                if codec.knows(name):
                    self._settle(codec, history, f"field:{name}", entry)
            return
        if history.deleted is not None:
            self._review(codec, change, "created on another laptop after it was deleted here")
            return
        self._flush_updates()
        values: dict[str, Any] = {"uuid": record}
        withheld = set(refs.get(WITHHELD_FIELDS) or ())
        at = _moment(change["at"])
        if "created_at" in codec.table.c:
            values["created_at"] = at
            values["updated_at"] = at
        for name, raw in snapshot.items():
            if name in codec.scalars:
                if raw is None and codec.scalars[name].default is not None:
                    continue  # the unit of work saw it before its default was given
                values[name] = self._decode(codec, name, raw)
            elif name in codec.references:
                reference = codec.references[name]
                found, ok = reference_id(self.rows, reference, raw, refs.get(name))
                if not ok:
                    if name in withheld:
                        self._review(codec, change, f"its {name} names a record withheld from you")
                        found = None
                    else:
                        raise self.refuse(
                            f"its {name} names a record this desk does not have ({raw!r})"
                        )
                values[reference.column] = found
            elif name == "retired_at" and raw is not None and codec.retirable:
                values["retired_at"] = self._decode_moment(raw)
        self._claim_keys(codec, record, values, change)
        try:
            inserted = self.c.execute(insert(codec.table).values(**values))
        except IntegrityError as error:  # an integrity rule of the desk refused the row
            raise self.refuse(
                f"the desk refuses the {codec.name} it creates ({_short(error)})"
            ) from None
        key = inserted.inserted_primary_key
        row_id = key[0] if key else None
        self.rows.remember(codec.name, record, row_id)
        for name, link in codec.sets.items():
            if name in snapshot:
                members = self._members(codec, name, snapshot[name], refs.get(name), change)
                self._write_set(link, row_id, members)
        self.created.append((codec.name, record))
        self.created_set.add((codec.name, record))
        self.report.count(codec.name)

    # -- updates -------------------------------------------------------------------------
    def _update(
        self, codec: TableCodec, change: dict[str, Any], history: RecordHistory, entry: Entry
    ) -> None:
        name = change.get("field")
        if not name or name in BOOKKEEPING or not codec.knows(name):
            raise self.refuse(f"it sets a field {codec.name} records do not have ({name!r})")
        record = change["record_uuid"]
        if self.rows.id_of(codec.table, record) is None and history.deleted is None:
            raise self.refuse(
                f"it changes {codec.name} {record} ({change.get('record_label') or 'no label'}), "
                "a record this desk does not have"
            )
        self._review_if_retired(codec, change, history)
        history.add(entry)
        self._settle(codec, history, f"field:{name}", entry)

    def _retire(
        self, codec: TableCodec, change: dict[str, Any], history: RecordHistory, entry: Entry
    ) -> None:
        if not codec.retirable:
            raise self.refuse(f"it retires a {codec.name} record, which cannot be retired")
        record = change["record_uuid"]
        if self.rows.id_of(codec.table, record) is None and history.deleted is None:
            raise self.refuse(f"it retires {codec.name} {record}, a record this desk does not have")
        if change["action"] == RETIRE:
            self._review_if_edited(codec, change, history)
        history.add(entry)
        self._settle(codec, history, "retired", entry)

    def _delete(
        self, codec: TableCodec, change: dict[str, Any], history: RecordHistory, entry: Entry
    ) -> None:
        record = change["record_uuid"]
        row_id = self.rows.id_of(codec.table, record)
        history.add(entry)
        if row_id is None:
            return  # deleted here too, or never held: nothing to remove
        self._flush_updates()
        try:
            for link in codec.sets.values():
                self.c.execute(delete(link.link).where(link.link.c[link.own] == row_id))
            self.c.execute(delete(codec.table).where(codec.table.c.id == row_id))
        except IntegrityError as error:
            raise self.refuse(
                f"it deletes {codec.name} {record}, which other records here still use "
                f"({_short(error)})"
            ) from None
        self.rows.forget(codec.name, record)
        self.journal[(codec.name, record, "(deleted)")] = True
        self.report.count(codec.name)

    # -- settling a line -----------------------------------------------------------------
    def _settle(self, codec: TableCodec, history: RecordHistory, line: str, entry: Entry) -> None:
        record = history.record_uuid
        field_name = conflict_field(line)
        heads = history.heads(line)
        open_row = self.open_conflict(record, field_name)
        if heads == [entry.uuid]:
            self._apply(codec, history, line, entry.uuid)
            if open_row is not None:
                self._close(open_row, "superseded", entry.uuid)
            self.report.count(codec.name)
            return
        if entry.uuid not in heads:
            return  # a creation another entry already replaced here (same record twice)
        name = line.removeprefix("field:")
        if line != "retired" and name in codec.sets:
            merged = self._merged_set(codec, history, line, heads)
            self._apply_set(codec, record, name, merged)
            self._merged(codec, history, field_name, "sets merged", entry.uuid)
            if open_row is not None:
                self._close(open_row, "merged", entry.uuid)
            return
        identities = {self._identity(codec, line, h) for h in heads}
        if len(identities) == 1:
            kept = open_row["kept_uuid"] if open_row is not None else None
            if kept is not None and kept not in heads:
                self._apply(codec, history, line, entry.uuid)
            self._merged(codec, history, field_name, "same value", entry.uuid)
            if open_row is not None:
                self._close(open_row, "merged", entry.uuid)
            return
        if open_row is not None:
            kept = open_row["kept_uuid"]
        else:
            before = [h for h in heads if h != entry.uuid]
            kept = before[-1] if before else entry.uuid
        if kept not in heads:
            kept = entry.uuid  # the desk follows its own line to the change that replaced it
            self._apply(codec, history, line, entry.uuid)
        self._open(codec, history, field_name, heads, kept, open_row)

    def _identity(self, codec: TableCodec, line: str, uuid: str) -> Any:
        value, ref = self._value_on(codec, line, uuid)
        return scalar_identity(value, ref)

    def _value_on(self, codec: TableCodec, line: str, uuid: str) -> tuple[Any, Any]:
        """(value, referenced UUID or set of UUIDs) entry ``uuid`` gives ``line``."""
        change = self.values.get(uuid)
        action = change["action"]
        refs = change.get("refs") or {}
        if line == "retired":
            if action == CREATE:
                snapshot = change.get("new_value") or {}
                return snapshot.get("retired_at") is not None, None
            return action == RETIRE, None
        name = line.removeprefix("field:")
        if action == CREATE:
            snapshot = change.get("new_value") or {}
            ref = refs.get(name) if isinstance(refs, dict) else None
            return snapshot.get(name), ref
        ref = refs.get("new") if isinstance(refs, dict) else None
        return change.get("new_value"), ref

    def _merged_set(
        self, codec: TableCodec, history: RecordHistory, line: str, heads: list[str]
    ) -> frozenset[str]:
        """The three-way merge of the set ``heads`` hold: a member is in if it was in
        the value they all started from and no side took it out, or a side put it in."""
        base_uuid = history.common_ancestor(heads)
        base = self._base_set(codec, history, line, base_uuid) if base_uuid else frozenset()
        added: set[str] = set()
        removed: set[str] = set()
        for head in heads:
            value = self._set_value(codec, line, head)
            added |= value - base
            removed |= base - value
        return frozenset((base - removed) | added)

    def _base_set(
        self, codec: TableCodec, history: RecordHistory, line: str, base_uuid: str
    ) -> frozenset[str]:
        """The set both sides started from. A record made by a bulk writer (the demo, an
        old desk) has a creation entry without its sets: then the set an entry replacing
        that creation says it found there (its old value) is the base."""
        change = self.values.get(base_uuid)
        name = line.removeprefix("field:")
        if change["action"] == CREATE and name not in (change.get("new_value") or {}):
            for entry in history.entries.values():
                if base_uuid in entry.parents and entry.line == line:
                    child = self.values.get(entry.uuid)
                    given = child.get("refs")
                    refs = given if isinstance(given, dict) else {}
                    old = child.get("old_value")
                    return set_identity(old if isinstance(old, list) else [], refs.get("old"))
        return self._set_value(codec, line, base_uuid)

    def _set_value(self, codec: TableCodec, line: str, uuid: str) -> frozenset[str]:
        value, ref = self._value_on(codec, line, uuid)
        return set_identity(value if isinstance(value, list) else [], ref)

    # -- applying values -----------------------------------------------------------------
    def _apply(self, codec: TableCodec, history: RecordHistory, line: str, uuid: str) -> None:
        """Give the record the value entry ``uuid`` gives ``line``."""
        record = history.record_uuid
        if self.rows.id_of(codec.table, record) is None:
            return  # deleted here: the entry is kept, there is no row to change
        value, ref = self._value_on(codec, line, uuid)
        change = self.values.get(uuid)
        if line == "retired":
            moment = _moment(change["at"]) if value else None
            if change["action"] == CREATE:
                moment = self._decode_moment((change.get("new_value") or {}).get("retired_at"))
            self._set_column(codec, record, "retired_at", moment)
            return
        name = line.removeprefix("field:")
        if name in codec.sets:
            members = self._members(codec, name, value, ref, change)
            self._apply_set(codec, record, name, members)
            return
        if name in codec.references:
            reference = codec.references[name]
            found, ok = reference_id(self.rows, reference, value, ref)
            if not ok:
                withheld = isinstance(change.get("refs"), dict) and (
                    change["refs"].get("withheld")
                    or name in (change["refs"].get(WITHHELD_FIELDS) or ())
                )
                if withheld:
                    self._review(codec, change, f"its {name} names a record withheld from you")
                    found = None
                else:
                    raise self.refuse(
                        f"its {name} names a record this desk does not have ({value!r})"
                    )
            self._set_column(codec, record, reference.column, found)
            return
        decoded = self._decode(codec, name, value)
        if name in codec.keys:
            decoded = self._key_value(codec, record, name, decoded, change)
        self._set_column(codec, record, name, decoded)
        restores, self.restores = self.restores, []
        for other_codec, other, column, key in restores:
            self._set_column(other_codec, other, column, key)

    def _decode(self, codec: TableCodec, name: str, value: Any) -> Any:
        try:
            return codec.decode(name, value)
        except CodecError as error:
            raise self.refuse(str(error)) from None

    def _decode_moment(self, value: Any) -> datetime | None:
        if value is None:
            return None
        try:
            return _moment(str(value))
        except ValueError:
            raise self.refuse(f"{value!r} is not a moment") from None

    def _set_column(self, codec: TableCodec, record: str, column: str, value: Any) -> None:
        key = (codec.name, record, column)
        if key not in self.journal and (codec.name, record) not in self.created_set:
            if key in self.prefetched:
                self.journal[key] = self.prefetched.pop(key)
            else:
                self.journal[key] = self._current(codec, record, column)
        self.pending.setdefault((codec.name, column), []).append({"u": record, "v": value})

    def _current(self, codec: TableCodec, record: str, column: str) -> Any:
        self._flush_updates()
        value = self.c.execute(
            select(codec.table.c[column]).where(codec.table.c.uuid == record)
        ).scalar()
        return _journal_value(value)

    def _flush_updates(self) -> None:
        if not self.pending:
            return
        pending, self.pending = self.pending, {}
        now = utcnow()
        for (table_name, column), rows in pending.items():
            table = self.codecs[table_name].table
            statement = update(table).where(table.c.uuid == _bind("u"))
            values: dict[str, Any] = {column: _bind("v")}
            if "updated_at" in table.c:
                values["updated_at"] = now
            self.c.execute(statement.values(values), rows)

    def _members(
        self, codec: TableCodec, name: str, keys: Any, uuids: Any, change: dict[str, Any]
    ) -> frozenset[str]:
        """A set value as member identities (UUIDs; keys for an old entry)."""
        if keys is not None and not isinstance(keys, list):
            raise self.refuse(f"its {name} is not a list")
        if uuids is not None and not _uuid_list(uuids):
            raise self.refuse(f"the records its {name} names are not a list of UUIDs")
        return set_identity(keys or [], uuids)

    def _apply_set(
        self, codec: TableCodec, record: str, name: str, members: frozenset[str]
    ) -> None:
        link = codec.sets[name]
        row_id = self.rows.id_of(codec.table, record)
        if row_id is None:
            return
        self._flush_updates()
        key = (codec.name, record, name)
        current = self._set_now(codec, name, row_id)
        if key not in self.journal:
            self.journal[key] = sorted(current)
        if current == members:
            return
        self._write_set(link, row_id, members, replace=True)

    def _set_now(self, codec: TableCodec, name: str, row_id: int) -> frozenset[str]:
        link = codec.sets[name]
        target = link.target
        return frozenset(
            self.c.execute(
                select(target.c.uuid)
                .join(link.link, link.link.c[link.other] == target.c.id)
                .where(link.link.c[link.own] == row_id)
            ).scalars()
        )

    def _write_set(
        self, link: Any, row_id: int | None, members: frozenset[str], *, replace: bool = False
    ) -> None:
        if row_id is None:
            return
        ids: list[int] = []
        by_uuid = [m for m in members if not m.startswith("key:")]
        found = self.rows.ids_of(link.target, by_uuid)
        for member in members:
            if member.startswith("key:"):
                member_id = self.rows.id_by_key(link.target, member[4:])
            else:
                member_id = found.get(member)
            if member_id is None:
                continue  # withheld from this desk, or retired away: not a member here
            ids.append(member_id)
        if replace:
            self.c.execute(delete(link.link).where(link.link.c[link.own] == row_id))
        if ids:
            self.c.execute(
                insert(link.link), [{link.own: row_id, link.other: i} for i in sorted(set(ids))]
            )

    # -- identity ------------------------------------------------------------------------
    def _claim_keys(
        self, codec: TableCodec, record: str, values: dict[str, Any], change: dict[str, Any]
    ) -> None:
        for name in codec.keys:
            if values.get(name) is not None:
                values[name] = self._key_value(codec, record, name, values[name], change)

    def _key_value(
        self, codec: TableCodec, record: str, name: str, value: Any, change: dict[str, Any]
    ) -> Any:
        """``value`` if no other record holds it as its key; otherwise a provisional key
        that says so, and an identity clash for a person to settle."""
        table = codec.table
        other = self.c.execute(
            select(table.c.uuid, table.c.id).where(table.c[name] == value, table.c.uuid != record)
        ).first()
        self._close_clashes(codec, record, name)
        if other is None:
            return value
        provisional = self._provisional(codec, name, str(value), record)
        self.c.execute(
            insert(t.changes_conflict).values(
                kind=ItemKind.IDENTITY.value,
                record_table=codec.name,
                record_uuid=record,
                field=name,
                heads={"column": name, "key": value},
                other_uuid=other.uuid,
                provisional=provisional,
                note=f"created on {self._laptop(change['replica_id'])} as {value}, "
                f"which a record of this desk already is",
                detected_at=utcnow(),
                received_id=self.received_id,
            )
        )
        return provisional

    def _provisional(self, codec: TableCodec, name: str, value: str, record: str) -> str:
        column = codec.table.c[name]
        limit = getattr(column.type, "length", None) or 80
        for width in range(4, 33):
            suffix = "~" + record.replace("-", "")[:width]
            candidate = value[: max(1, limit - len(suffix))] + suffix
            taken = self.c.execute(select(codec.table.c.id).where(column == candidate)).first()
            if taken is None:
                return candidate
        raise self.refuse(f"no provisional key is free for {value}")

    def _close_clashes(self, codec: TableCodec, record: str, name: str) -> None:
        """A record whose key changes leaves the clashes it was in; a record that held a
        provisional key because of it takes its own key back."""
        c = t.changes_conflict
        rows = self.c.execute(
            select(c).where(
                c.c.kind == ItemKind.IDENTITY.value,
                c.c.resolved_at.is_(None),
                c.c.field == name,
                (c.c.record_uuid == record) | (c.c.other_uuid == record),
            )
        ).all()
        for row in rows:
            self.c.execute(
                update(c)
                .where(c.c.id == row.id)
                .values(resolved_at=utcnow(), resolution="renumbered")
            )
            if row.record_uuid != record:
                key = (row.heads or {}).get("key")
                self._flush_updates()
                still = self.c.execute(
                    select(codec.table.c.uuid).where(
                        codec.table.c[name] == key, codec.table.c.uuid != row.record_uuid
                    )
                ).first()
                if still is None or still.uuid == record:
                    self.restores.append((codec, row.record_uuid, name, key))

    # -- conflicts -----------------------------------------------------------------------
    def open_conflict(self, record: str, field_name: str) -> Any:
        c = t.changes_conflict
        return (
            self.c.execute(
                select(c).where(
                    c.c.kind == ItemKind.CONFLICT.value,
                    c.c.record_uuid == record,
                    c.c.field == field_name,
                    c.c.resolved_at.is_(None),
                )
            )
            .mappings()
            .first()
        )

    def _open(
        self,
        codec: TableCodec,
        history: RecordHistory,
        field_name: str,
        heads: list[str],
        kept: str,
        open_row: Any,
    ) -> None:
        c = t.changes_conflict
        if open_row is not None:
            self.c.execute(
                update(c).where(c.c.id == open_row["id"]).values(heads=heads, kept_uuid=kept)
            )
        else:
            self.c.execute(
                insert(c).values(
                    kind=ItemKind.CONFLICT.value,
                    record_table=codec.name,
                    record_uuid=history.record_uuid,
                    field=field_name,
                    heads=heads,
                    kept_uuid=kept,
                    detected_at=utcnow(),
                    received_id=self.received_id,
                )
            )
        self.touched_conflicts[(history.record_uuid, field_name)] = None

    def _close(self, row: Any, resolution: str, entry_uuid: str | None) -> None:
        c = t.changes_conflict
        self.c.execute(
            update(c)
            .where(c.c.id == row["id"])
            .values(resolved_at=utcnow(), resolution=resolution, resolution_uuid=entry_uuid)
        )

    def _merged(
        self, codec: TableCodec, history: RecordHistory, field_name: str, how: str, uuid: str
    ) -> None:
        change = self.values.get(uuid)
        self.report.merged.append(
            MergedField(
                codec.name,
                history.record_uuid,
                str(change.get("record_label") or history.record_uuid),
                field_name,
                how,
            )
        )

    def _settle_policy(self) -> None:
        """Settle the conflicts this merge left open as decided (per conflict, or by the
        policy); ``fail`` is the caller's (it refuses when any is left)."""
        for record, field_name in list(self.touched_conflicts):
            row = self.open_conflict(record, field_name)
            if row is None:
                continue
            decision = self.decisions.get((record, field_name))
            if decision is None:
                if self.on_conflict is OnConflict.KEEP:
                    decision = "keep"
                elif self.on_conflict is OnConflict.TAKE:
                    decision = "take"
            if decision is None:
                continue
            entry = self.settle(row, decision)
            self.report.settled.append(
                OpenItem(
                    id=row["id"],
                    kind=ItemKind.CONFLICT,
                    record_table=row["record_table"],
                    record_uuid=record,
                    record_label=self._label(entry),
                    field=field_name,
                    field_label=field_label(row["record_table"], field_name),
                    note=f"settled: {decision if isinstance(decision, str) else 'edited'}",
                )
            )

    def _label(self, change: dict[str, Any]) -> str:
        return str(change.get("record_label") or change.get("record_uuid"))

    def settle(self, row: Mapping[str, Any], decision: Any) -> dict[str, Any]:
        """Settle the open conflict ``row``: keep the desk's value, take the newest
        competing one, or write ``("value", V)``; the resolution is an entry of the
        change log replacing every side, so it travels and settles the same conflict
        wherever it arrives. Returns the entry written."""
        record, field_name = row["record_uuid"], row["field"]
        table = row["record_table"]
        codec = self.codecs[table]
        history = self.histories.get(record)
        if history is None:
            history = self.histories[record] = load_histories(self.c, [record])[record]
        line = "retired" if field_name == RETIRED_LINE else f"field:{field_name}"
        heads = history.heads(line)
        kept = row["kept_uuid"] if row["kept_uuid"] in heads else heads[-1]
        if decision == "keep":
            chosen, refs_new = self._value_on(codec, line, kept)
            how = "kept this desk's value"
        elif decision == "take":
            others = [h for h in heads if h != kept]
            newest = max(others, key=lambda h: (history.entries[h].hlc, h))
            chosen, refs_new = self._value_on(codec, line, newest)
            how = f"took the value from {self._laptop(history.entries[newest].replica)}"
        elif isinstance(decision, tuple) and decision[0] == "value":
            chosen, refs_new = decision[1], None
            if line != "retired" and field_name in codec.references:
                chosen, refs_new = self._reference_by_key(codec, field_name, chosen)
            how = "a new value"
        else:
            raise ValueError(f"not a decision: {decision!r}")
        shown, shown_ref = self._value_on(codec, line, kept)
        newest_head = max(heads, key=lambda h: history.entries[h].order)
        entry_uuid = new_uuid()
        label = self._label(self.values.get(newest_head))
        at = utcnow()
        if line == "retired":
            action = AuditAction.RETIRE if chosen else AuditAction.RESTORE
            field_value = None
        else:
            action = AuditAction.UPDATE
            field_value = field_name
        refs = None
        if line != "retired" and (shown_ref is not None or refs_new is not None):
            refs = {"old": shown_ref, "new": refs_new}
        row_out = {
            "uuid": entry_uuid,
            "at": at,
            "actor": self.actor.name,
            "channel": Channel.MERGED,
            "action": action,
            "record_table": table,
            "record_uuid": record,
            "record_label": label[:200],
            "field": field_value,
            "old_value": None if line == "retired" else shown,
            "new_value": None if line == "retired" else chosen,
            "operation_id": self.operation_id,
            "note": f"conflict settled: {how}",
            "parent_uuid": newest_head,
            "also_replaces": [h for h in heads if h != newest_head],
            "refs": refs,
        }
        self.audit.append(row_out)
        stored = {
            **row_out,
            "action": str(action.value),
            "at": at.isoformat(),
            "replica_id": "",
            "hlc": "",
        }
        self.values.run[entry_uuid] = stored
        self.position += 1
        history.add(
            Entry(
                uuid=entry_uuid,
                action=str(action.value),
                field=field_value,
                parents=(newest_head, *row_out["also_replaces"]),
                hlc="~",  # newer than every stamp: it is written now
                replica="",
                order=(1, self.position),
            )
        )
        self._apply(codec, history, line, entry_uuid)
        self._close(
            row,
            "kept" if decision == "keep" else "taken" if decision == "take" else "value",
            entry_uuid,
        )
        return stored

    def _reference_by_key(self, codec: TableCodec, name: str, key: Any) -> tuple[Any, Any]:
        reference = codec.references[name]
        if key is None or reference.by_code:
            return key, None
        found = self.rows.id_by_key(reference.target, key)
        if found is None:
            raise self.refuse(f"{key!r} names no record this desk has")
        uuid = self.c.execute(
            select(reference.target.c.uuid).where(reference.target.c.id == found)
        ).scalar()
        return key, uuid

    # -- review --------------------------------------------------------------------------
    def _knew(self, entry: Entry) -> bool:
        """Whether the sender had seen ``entry`` when it wrote the file."""
        if entry.order[0] == 1:
            return True  # in the file
        try:
            return hlc_number(entry.hlc) <= self.facts.knows.get(entry.replica, -1)
        except ValueError:
            return True

    def _review_if_retired(
        self, codec: TableCodec, change: dict[str, Any], history: RecordHistory
    ) -> None:
        heads = history.heads("retired")
        for head in heads:
            entry = history.entries[head]
            # The sender had not seen the retirement, or the edit is older than it
            # (an edit made after seeing it would carry a later stamp).
            if entry.action == RETIRE and (
                not self._knew(entry) or (entry.order[0] == 0 and change["hlc"] < entry.hlc)
            ):
                self._review(codec, change, "edited on another laptop while it was retired here")
                return

    def _review_if_edited(
        self, codec: TableCodec, change: dict[str, Any], history: RecordHistory
    ) -> None:
        for entry in history.entries.values():
            if entry.action == UPDATE and (
                not self._knew(entry) or (entry.order[0] == 0 and change["hlc"] < entry.hlc)
            ):
                self._review(codec, change, "retired on another laptop while it was edited here")
                return

    def _review(self, codec: TableCodec, change: dict[str, Any], reason: str) -> None:
        record = change["record_uuid"]
        if (record, reason) in self.reviewed:
            return
        self.reviewed.add((record, reason))
        note = f"{reason} ({self._laptop(change['replica_id'])})"
        self.c.execute(
            insert(t.changes_conflict).values(
                kind=ItemKind.REVIEW.value,
                record_table=codec.name,
                record_uuid=record,
                field=change.get("field"),
                note=note,
                detected_at=utcnow(),
                received_id=self.received_id,
            )
        )
        self.report.reviews.append(
            OpenItem(
                id=None,
                kind=ItemKind.REVIEW,
                record_table=codec.name,
                record_uuid=record,
                record_label=str(change.get("record_label") or record),
                field=change.get("field"),
                field_label=field_label(codec.name, change.get("field")),
                note=note,
            )
        )

    def _laptop(self, replica_id: str) -> str:
        if replica_id == self.facts.sender_replica:
            return self.facts.sender_label or f"laptop {replica_id[:8]}"
        return self.names.get(replica_id) or f"laptop {replica_id[:8]}"

    # -- the end -------------------------------------------------------------------------
    def _write_audit(self) -> None:
        if not self.audit:
            return
        rows, self.audit = self.audit, []
        insert_rows(self.c, t.audit_entry, _uniform(rows))

    def _bump_counters(self) -> None:
        """The id series continue after every number the merge brought in, so the next
        record this desk creates never takes a number another laptop used."""
        if not any(table in ("commitment", "action_item") for table, _ in self.created):
            return
        counter = t.sequence_counter
        for series, table in _SERIES.items():
            highest = 0
            for (ref,) in self.c.execute(
                select(table.c.ref).where(table.c.ref.like(f"{series}-%"))
            ):
                match = _ALLOCATED.match(ref or "")
                if match:
                    highest = max(highest, int(match.group(2)))
            current = self.c.execute(
                select(counter.c.next_value).where(counter.c.name == series)
            ).scalar()
            if current is None:
                self.c.execute(insert(counter).values(name=series, next_value=highest + 1))
            elif current <= highest:
                self.c.execute(
                    update(counter).where(counter.c.name == series).values(next_value=highest + 1)
                )

    def _register_replicas(self) -> None:
        """Name in the desk the laptops its merged changes came from, and move this
        laptop's clock past their stamps."""
        known = set(self.c.execute(select(t.desk_replica.c.replica_id)).scalars())
        now = utcnow()
        for replica in self.replicas:
            if replica in known or not replica:
                continue
            label = self.facts.sender_label if replica == self.facts.sender_replica else None
            self.c.execute(
                insert(t.desk_replica).values(
                    replica_id=replica, role="laptop", label=(label or None), first_seen=now
                )
            )
        if self.newest_stamp:
            change_log_of(self.c).replica(self.c).observe(self.newest_stamp)

    def finish(self) -> None:
        """Write what is pending (values, entries): for a caller that settled a
        conflict outside a merge."""
        self._flush_updates()
        self._write_audit()

    def open_conflicts(self) -> list[tuple[str, str]]:
        """The conflicts this merge touched that are still open."""
        return [key for key in self.touched_conflicts if self.open_conflict(*key) is not None]

    def side(self, uuid: str, codec: TableCodec, line: str) -> Side:
        """One value of a conflict as a person reads it."""
        change = self.values.get(uuid)
        value, _ = self._value_on(codec, line, uuid)
        at = change.get("at")
        return Side(
            entry_uuid=uuid,
            value=value,
            actor=str(change.get("actor") or ""),
            at=_moment(at) if isinstance(at, str | datetime) and at else None,
            replica_id=str(change.get("replica_id") or ""),
            laptop=self._laptop(str(change.get("replica_id") or "")),
        )


def _bind(name: str) -> Any:
    return bindparam(name)


def _short(error: Exception) -> str:
    text = str(getattr(error, "orig", error))
    return text.splitlines()[0][:200]


def _uuid_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) and len(v) <= 36 for v in value)


def _moment(text: Any) -> datetime:
    if isinstance(text, datetime):
        return text
    return datetime.fromisoformat(str(text))


def _journal_value(value: Any) -> Any:
    return to_json(value)


def _batches(changes: Iterable[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for change in changes:
        batch.append(change)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


_AUDIT_COLUMNS = tuple(c.name for c in t.audit_entry.columns if c.name not in ("id", "revision"))


def _audit_row(change: dict[str, Any]) -> dict[str, Any]:
    """An incoming change as the row that records it (its own stamps kept)."""
    row = {name: change.get(name) for name in _AUDIT_COLUMNS}
    row["at"] = _moment(change["at"])
    return row


def _uniform(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows naming the same columns (executemany needs it)."""
    names = set().union(*(r.keys() for r in rows))
    return [{n: r.get(n) for n in names} for r in rows]
