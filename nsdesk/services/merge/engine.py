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

The parts, by what each decides: :mod:`~nsdesk.services.merge.merge_state` (what a
merge holds), :mod:`~nsdesk.services.merge.value_writes` (writing values and sets),
:mod:`~nsdesk.services.merge.reviews` (what is flagged for review),
:mod:`~nsdesk.services.merge.identity_clashes` (provisional keys),
:mod:`~nsdesk.services.merge.line_settling` (fast-forward, same value, sets, open
conflicts) and :mod:`~nsdesk.services.merge.settlements` (settling conflicts); here,
the run: each change checked and dispatched to what it does to its record.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from nsdesk.services.merge.codec import (
    BOOKKEEPING,
    WITHHELD_FIELDS,
    TableCodec,
    reference_id,
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
from nsdesk.services.merge.merge_state import (
    FileFacts,
    as_moment,
    audit_row,
    field_label,
    hlc_number,
    journal_value,
    laptop_names,
    short_error,
    uuid_list,
)
from nsdesk.services.merge.settlements import Settlements
from nsdesk.store import tables as t
from nsdesk.store.change_log import change_log_of
from nsdesk.store.types import utcnow

BATCH = 2000
"""Changes read, checked and written at a time: memory stays that of a batch."""
TOLERATED = frozenset({"uuid", "retired_at", "created_at", "updated_at"})
"""Bookkeeping columns a creation may carry besides the record's fields."""
_SERIES = {"C": t.commitment, "A": t.action_item}
_ALLOCATED = re.compile(r"^([A-Z])-(\d+)$")

__all__ = ["BATCH", "FileFacts", "Merge", "field_label", "hlc_number", "laptop_names"]


class Merge(Settlements):
    """One changes file merged into one desk connection (see module docstring).

    ``decisions`` settles named conflicts ((record UUID, field) → "keep", "take" or
    ("value", V)); the others follow ``on_conflict``. Nothing is committed here: the
    caller's transaction is committed or rolled back whole."""

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
        self._prefetch(fresh)  # first: it learns the row ids of the records it reads
        by_table: dict[str, set[str]] = {}
        for change in fresh:
            by_table.setdefault(change["record_table"], set()).add(change["record_uuid"])
        for table, records in by_table.items():
            codec = self.codecs.get(table)
            if codec is not None:
                self.rows.ids_of(codec.table, records)
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
        """The values the batch's updates replace, read at once (for the undo journal),
        with the row ids of their records."""
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
                query = select(table.c.uuid, table.c.id, *(table.c[n] for n in names)).where(
                    table.c.uuid.in_(records[start : start + 500])
                )
                rows: Sequence[Any] = self.c.execute(query).all()  # at once, not one by one
                for uuid, row_id, *values in rows:
                    self.rows.remember(table_name, uuid, row_id)
                    for name, value in zip(names, values, strict=True):
                        if uuid in columns[name]:
                            self.prefetched[(table_name, uuid, name)] = journal_value(value)

    def _one(self, change: dict[str, Any]) -> None:
        table = change["record_table"]
        codec = self.codecs.get(table)
        if codec is None:
            raise self.refuse(f"it changes {table} records, which do not travel between desks")
        record = change["record_uuid"]
        known_table = self.tables.setdefault(record, table)
        if known_table != table:
            raise self.refuse(f"it names record {record} as {table}, which is {known_table}")
        history = self.histories.get(record)
        if history is None:  # read with its batch, unless the desk has none of it
            history = self.histories[record] = RecordHistory(record)
        action = change["action"]
        also = change.get("also_replaces")
        if also is not None and not uuid_list(also):
            raise self.refuse("its 'also_replaces' is not a list of entry UUIDs")
        parents = parents_of(change.get("parent_uuid"), also)
        field_name = change.get("field")
        line = lineage(action, field_name)
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
        uuid, stamp, replica = change["uuid"], change["hlc"], change["replica_id"]
        self.values.run[uuid] = change
        self.position += 1
        entry = Entry(uuid, action, field_name, parents, stamp, replica, (1, self.position))
        self.replicas.setdefault(replica, None)
        if self.newest_stamp is None or stamp > self.newest_stamp:
            self.newest_stamp = stamp
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
        self.audit.append(audit_row(change))

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
            if not codec.knows(name) and name not in TOLERATED:
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
        at = as_moment(change["at"])
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
                f"the desk refuses the {codec.name} it creates ({short_error(error)})"
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
        self._check_value(codec, name, change)
        self._review_if_retired(codec, change, history)
        history.add(entry)
        self._settle(codec, history, f"field:{name}", entry)

    def _check_value(self, codec: TableCodec, name: str, change: dict[str, Any]) -> None:
        """Refuse a value this desk could never hold, whether or not it applies now: a
        value that only joins a conflict may be taken later, by anyone."""
        value = change.get("new_value")
        if name in codec.scalars:
            # Kept for placing the value, which then need not decode it again.
            self.checked = (change["uuid"], self._decode(codec, name, value))
        elif name in codec.references:
            given = change.get("refs")
            refs = given if isinstance(given, dict) else {}
            _, ok = reference_id(self.rows, codec.references[name], value, refs.get("new"))
            withheld = refs.get("withheld") or name in (refs.get(WITHHELD_FIELDS) or ())
            if not ok and not withheld:
                raise self.refuse(f"its {name} names a record this desk does not have ({value!r})")

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
                f"({short_error(error)})"
            ) from None
        self.rows.forget(codec.name, record)
        self.journal[(codec.name, record, "(deleted)")] = True
        self.report.count(codec.name)

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


def _batches(changes: Iterable[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for change in changes:
        batch.append(change)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
