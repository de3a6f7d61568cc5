"""The change log: the one place where audit entries get their revision, parent,
replica and clock stamp.

The audit log records every change field by field; with these four columns it is
also the desk's change log, which merging laptops' desks and a shared register
on a server build on:

* ``revision`` — the commit order. A write transaction takes one revision, the
  first time it writes an audit entry, with ``UPDATE desk_revision SET value =
  value + 1`` (read back); every entry of the transaction carries it. The row
  stays locked until the transaction ends, so a higher revision is always
  committed after a lower one: "what changed since I looked" is ``revision >``
  the revision looked at (:func:`desk_revision`), even where row ids commit out
  of order (a server).
* ``parent_uuid`` — for an update of field F of record R, the entry that last set
  F of R (R's creation when F was never changed since); for a retirement or a
  restoration, the previous one (or the creation); for a deletion, R's latest
  entry of any kind; none for a creation. "Latest" is the highest ``(revision,
  id)``. Concurrency is decided by this history, never by clocks. When a merge
  left a line with several *heads* (entries no later one replaced: two copies
  changed the field apart), the parent is the latest head and ``also_replaces``
  lists the others: an entry written over what the desk showed settles them, and
  closes the open conflict on that line (``changes_conflict``), if any.
* ``replica_id`` — this profile's replica of the desk (:mod:`nsdesk.store.replicas`).
* ``hlc`` — a hybrid logical clock stamp of the transaction, for display order
  and tie-breaks only (:mod:`nsdesk.domain.hlc`).

No writer fills these itself. Every engine on a desk (:func:`install_change_log`,
called by :func:`nsdesk.store.desk_file.create_desk_engine`) stamps every
``INSERT`` into ``audit_entry`` it executes — the ORM unit of work's flushes and
Core's ``connection.execute(audit_entry.insert(), rows)`` alike — and the bulk
path (:func:`nsdesk.store.bulk.insert_rows`) hands its rows to :func:`stamp_entries`
before building its statement. An entry written any other way lacks the required
``revision``, ``replica_id`` and ``hlc`` and the desk refuses it.

A writer that brings entries made elsewhere (a merge), or that settles a conflict
itself, gives their own ``parent_uuid`` (and ``also_replaces``), ``replica_id`` and
``hlc``, which are kept (a ``None`` is filled here, as for any other entry);
``revision`` is always the writing transaction's.
Parents are found for a whole batch at once (one query per 500 records), and a
batch of creations (a demo desk, a catalogue: hundreds of thousands of entries)
costs no query at all.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Engine, event, func, inspect, select, update
from sqlalchemy.sql.dml import Insert

from nsdesk.store import tables as t
from nsdesk.store.ids import new_uuid
from nsdesk.store.replicas import Replica, replica_for
from nsdesk.store.types import utcnow

#: Records per parent query (well under any database's limit on bound values).
_CHUNK = 500
_TAKEN_KEY = "nsdesk.change_log.taken"

CREATE, UPDATE, RETIRE, RESTORE, DELETE = "create", "update", "retire", "restore", "delete"


class ChangeLogError(RuntimeError):
    """Audit entries reached a desk whose change log cannot stamp them (a
    programming error: an engine made without :func:`install_change_log`, or a
    desk without settings)."""


def lineage(action: str, field_name: str | None) -> str | None:
    """Which line of a record's history an entry continues: a field (updates), the
    retired flag (retire, restore); ``None`` for a creation or a deletion."""
    if action == UPDATE:
        return f"field:{field_name or ''}"
    if action in (RETIRE, RESTORE):
        return "retired"
    return None


@dataclass(slots=True)
class _Taken:
    """The revision and stamp one transaction took."""

    transaction: Any
    revision: int
    stamp: str
    replica: Replica
    registered: bool = False

    @property
    def replica_id(self) -> str:
        return self.replica.replica_id


Order = tuple[int, int]
"""Where an entry stands in the desk's commit order: (revision, id)."""


@dataclass(slots=True)
class _History:
    """What a batch needs of one record's history: its creations (one, unless two
    copies created the same record), the entries of each lineage with the entries
    they replaced, and its latest entry, each as (order, entry uuid)."""

    created: list[tuple[Order, str]] = field(default_factory=list)
    lines: dict[str, list[tuple[Order, str]]] = field(default_factory=dict)
    replaced: dict[str, set[str]] = field(default_factory=dict)
    latest: tuple[Order, str] | None = None

    def heads(self, line: str) -> list[tuple[Order, str]]:
        """The entries of ``line`` no later entry replaced (the creations count as
        the first entries of every line), oldest first: one, unless two copies
        changed the line concurrently and the merge left both."""
        gone = self.replaced.get(line, set())
        return sorted(c for c in (*self.created, *self.lines.get(line, ())) if c[1] not in gone)

    def parent(self, action: str, line: str | None) -> tuple[str | None, list[str]]:
        """The entry an entry of ``action`` on ``line`` replaces (see module
        docstring), and the other heads of the line it replaces too."""
        if action == CREATE:
            return None, []
        if action == DELETE:
            return (self.latest[1] if self.latest else None), []
        heads = self.heads(line or "")
        if not heads:
            return None, []
        return heads[-1][1], [uuid for _, uuid in heads[:-1]]

    def add(
        self,
        order: Order,
        action: str,
        line: str | None,
        entry_uuid: str,
        replaced: Sequence[str | None] = (),
    ) -> None:
        """Take in an entry (in commit order) and the entries it replaced."""
        if action == CREATE:
            self.created.append((order, entry_uuid))
        elif line is not None:
            self.lines.setdefault(line, []).append((order, entry_uuid))
            self.replaced.setdefault(line, set()).update(r for r in replaced if r)
        self.latest = (order, entry_uuid)


def _action(value: Any) -> str:
    return str(getattr(value, "value", value))


class ChangeLog:
    """Stamps the audit entries written through one engine (see module docstring).

    ``desk_uuid`` names the desk when its settings do not exist yet (a desk being
    created); otherwise it is read from the desk the first time it is needed."""

    def __init__(self, desk_uuid: str | None = None):
        self._desk_uuid = desk_uuid
        self._replica: Replica | None = None
        self._kept: bool | None = None
        self._lock = threading.Lock()
        # The revisions committed through this engine, until :func:`own_revisions_in`
        # has counted them: a window tells its own changes from other officers'.
        self._committed: list[int] = []

    # -- the transaction's revision and stamp ------------------------------------------
    def _keeps_log(self, connection: Connection) -> bool:
        """Whether the desk has a change log (a desk not yet migrated has not: a
        restored backup of an older schema is stamped when it is migrated)."""
        if self._kept is None:
            self._kept = inspect(connection).has_table("desk_revision")
        return self._kept

    def replica(self, connection: Connection) -> Replica:
        """This profile's replica of the desk, its clock moved past the desk's last
        stamp (a merge observes the stamps it brings in through it too)."""
        with self._lock:
            if self._replica is None:
                desk_uuid = (
                    self._desk_uuid or connection.execute(select(t.desk_settings.c.uuid)).scalar()
                )
                if desk_uuid is None:
                    raise ChangeLogError("the desk has no settings, so no identity to stamp with")
                replica = replica_for(desk_uuid)
                a = t.audit_entry
                last = select(func.max(a.c.revision)).scalar_subquery()
                latest = connection.execute(
                    select(func.max(a.c.hlc)).where(a.c.revision == last)
                ).scalar()
                if latest:
                    replica.observe(latest)
                self._replica = replica
            return self._replica

    def _taken(self, connection: Connection) -> _Taken:
        transaction = connection.get_transaction()
        if transaction is None:
            raise ChangeLogError("audit entries are written inside a transaction")
        taken: _Taken | None = connection.info.get(_TAKEN_KEY)
        # Still this transaction's, unless a savepoint that took it was rolled back.
        if (
            taken is not None
            and taken.transaction is transaction
            and _current(connection) == taken.revision
        ):
            return taken
        replica = self.replica(connection)
        r = t.desk_revision
        done = connection.execute(update(r).where(r.c.id == 1).values(value=r.c.value + 1))
        if done.rowcount != 1:
            raise ChangeLogError("the desk has no revision counter (desk_revision is empty)")
        taken = _Taken(transaction, _current(connection), str(replica.stamp()), replica)
        connection.info[_TAKEN_KEY] = taken
        return taken

    @staticmethod
    def _register(connection: Connection, replica_id: str, label: str | None) -> None:
        """Name this replica in the desk the first time it writes there."""
        known = t.desk_replica
        if connection.execute(
            select(known.c.replica_id).where(known.c.replica_id == replica_id)
        ).first():
            return
        connection.execute(
            known.insert().values(
                replica_id=replica_id,
                role="laptop",
                label=(label or "")[:200] or None,
                first_seen=utcnow(),
            )
        )

    def take_revision(self, connection: Connection) -> int:
        """The revision of the transaction ``connection`` is in, taken now if it has
        none yet (for a writer that compares it with a mark before writing)."""
        return self._taken(connection).revision

    # -- stamping ------------------------------------------------------------------------
    def stamp(
        self, connection: Connection, rows: Sequence[Mapping[str, Any]]
    ) -> list[dict[str, Any]]:
        """``rows`` (audit entries as column → value) with their revision, parent,
        replica and clock stamp filled; each gets a UUID if it has none."""
        columns = self.stamp_columns(connection, rows)
        return [
            {**row, **{name: values[number] for name, values in columns.items()}}
            for number, row in enumerate(rows)
        ]

    def stamp_columns(
        self, connection: Connection, rows: Sequence[Mapping[str, Any]]
    ) -> dict[str, list[Any]]:
        """The stamps of ``rows`` as columns (name → one value per row): ``uuid``,
        ``revision``, ``parent_uuid``, ``replica_id`` and ``hlc``, each row's own
        value kept where it gives one (``revision`` aside). The rows are not copied:
        the bulk path adds these columns to its own (see module docstring); a desk
        without a change log yet gets none."""
        if not rows or not self._keeps_log(connection):
            return {}
        taken = self._taken(connection)
        if not taken.registered:
            self._register(connection, taken.replica_id, rows[0].get("actor"))
            taken.registered = True
        count = len(rows)
        columns: dict[str, list[Any]] = {
            "uuid": [row.get("uuid") or new_uuid() for row in rows],
            "revision": [taken.revision] * count,
            "parent_uuid": [row.get("parent_uuid") for row in rows],
            "also_replaces": [row.get("also_replaces") for row in rows],
        }
        for name, ours in (("replica_id", taken.replica_id), ("hlc", taken.stamp)):
            given = [row.get(name) for row in rows]
            columns[name] = [v or ours for v in given] if any(given) else [ours] * count
        # StrEnum actions compare equal to their text; creations have no parent.
        wanting = {
            row["record_uuid"]
            for row, parent in zip(rows, columns["parent_uuid"], strict=True)
            if parent is None and row["action"] != CREATE
        }
        if wanting:
            self._parents(connection, taken.revision, rows, columns, wanting)
        return columns

    def _parents(
        self,
        connection: Connection,
        revision: int,
        rows: Sequence[Mapping[str, Any]],
        columns: dict[str, list[Any]],
        records: set[str],
    ) -> None:
        """Fill the parents the rows lack, in order: a row may replace one before it.
        A row on a line with several heads (concurrent values a merge left) replaces
        them all: it was written over what the desk showed, so it settles them, and
        an open conflict on that line is closed by it."""
        histories = _histories(connection, records)
        parents, others, uuids = columns["parent_uuid"], columns["also_replaces"], columns["uuid"]
        beyond = 1 << 62  # after every entry already in the desk, in this batch's order
        settled: list[tuple[str, str, str]] = []
        for number, row in enumerate(rows):
            record = row["record_uuid"]
            history = histories.get(record)
            if history is None:
                if record not in records:
                    continue  # a creation of a record no row here changes
                history = histories[record] = _History()
            action = _action(row["action"])
            line = lineage(action, row.get("field"))
            if parents[number] is None:
                parent, also = history.parent(action, line)
                parents[number] = parent
                if also:
                    others[number] = also
                    settled.append((record, conflict_field(line), uuids[number]))
            history.add(
                (revision, beyond + number),
                action,
                line,
                uuids[number],
                (parents[number], *(others[number] or ())),
            )
        if settled and _keeps_conflicts(connection):
            _close_conflicts(connection, settled)


def _current(connection: Connection) -> int:
    r = t.desk_revision
    return connection.execute(select(r.c.value).where(r.c.id == 1)).scalar_one()


def _histories(connection: Connection, records: set[str]) -> dict[str, _History]:
    """What the parents of entries on ``records`` need, from the desk, in commit order."""
    a = t.audit_entry
    histories: dict[str, _History] = {}
    wanted = sorted(records)
    for start in range(0, len(wanted), _CHUNK):
        query = (
            select(
                a.c.record_uuid,
                a.c.action,
                a.c.field,
                a.c.uuid,
                a.c.revision,
                a.c.id,
                a.c.parent_uuid,
                a.c.also_replaces,
            )
            .where(a.c.record_uuid.in_(wanted[start : start + _CHUNK]))
            .order_by(a.c.revision, a.c.id)
        )
        for row in connection.execute(query):
            action = _action(row.action)
            histories.setdefault(row.record_uuid, _History()).add(
                (row.revision, row.id),
                action,
                lineage(action, row.field),
                row.uuid,
                (row.parent_uuid, *(row.also_replaces or ())),
            )
    return histories


def conflict_field(line: str | None) -> str:
    """How a conflict names the line it is on: the field, or ``(retired)`` for the
    line of retirements and restorations."""
    if line is None or line == "retired":
        return RETIRED_LINE
    return line.removeprefix("field:")


RETIRED_LINE = "(retired)"


def _keeps_conflicts(connection: Connection) -> bool:
    return inspect(connection).has_table("changes_conflict")


def _close_conflicts(connection: Connection, settled: list[tuple[str, str, str]]) -> None:
    """Close the open conflicts the entries ``settled`` (record, field, entry uuid)
    replaced every side of."""
    c = t.changes_conflict
    now = utcnow()
    for record, field_name, entry_uuid in settled:
        connection.execute(
            update(c)
            .where(
                c.c.kind == "conflict",
                c.c.record_uuid == record,
                c.c.field == field_name,
                c.c.resolved_at.is_(None),
            )
            .values(
                resolved_at=now,
                resolution="edited",
                resolution_uuid=entry_uuid,
                resolved_by=None,
            )
        )


_logs: weakref.WeakKeyDictionary[Engine, ChangeLog] = weakref.WeakKeyDictionary()


VERBATIM = "nsdesk_verbatim_audit"
"""An execution option: audit entries inserted on a connection carrying it are kept as
they are, stamps included (a whole desk copied between the kinds is the same history,
not new changes)."""


def install_change_log(engine: Engine, *, desk_uuid: str | None = None) -> ChangeLog:
    """Make ``engine`` stamp every audit entry inserted through it (see module docstring)."""
    log = ChangeLog(desk_uuid)
    _logs[engine] = log

    @event.listens_for(engine, "commit")
    def _committed(connection: Connection) -> None:
        taken: _Taken | None = connection.info.pop(_TAKEN_KEY, None)
        if taken is not None:
            taken.replica.save()  # its clock, and on the first commit its id
            with log._lock:
                log._committed.append(taken.revision)

    @event.listens_for(engine, "rollback")
    def _rolled_back(connection: Connection) -> None:
        # A connection the server cut is invalidated: its info cannot be reached until
        # it is rolled back, and a stale revision is never reused (its transaction differs).
        if not connection.invalidated:
            connection.info.pop(_TAKEN_KEY, None)

    @event.listens_for(engine, "before_execute", retval=True)
    def _stamp(
        connection: Connection,
        statement: Any,
        multiparams: Any,
        params: Any,
        _options: Any,
    ) -> tuple[Any, Any, Any]:
        if (
            isinstance(statement, Insert)
            and statement.table is t.audit_entry
            and not connection.get_execution_options().get(VERBATIM)
        ):
            if multiparams:
                multiparams = log.stamp(connection, multiparams)
            elif params:
                params = log.stamp(connection, [params])[0]
        return statement, multiparams, params

    return log


def change_log_of(connection: Connection) -> ChangeLog:
    """The change log of the engine ``connection`` belongs to; ``ChangeLogError``
    when it has none (no audit entry can then be written through it)."""
    log = _logs.get(connection.engine)
    if log is None:
        raise ChangeLogError("this engine keeps no change log: use create_desk_engine")
    return log


def stamp_entries(
    connection: Connection, rows: Sequence[Mapping[str, Any]]
) -> list[dict[str, Any]]:
    """``rows`` stamped by the change log of ``connection``'s engine."""
    return change_log_of(connection).stamp(connection, rows)


def stamp_columns(
    connection: Connection, rows: Sequence[Mapping[str, Any]]
) -> dict[str, list[Any]]:
    """The stamps of ``rows`` as columns, for a writer that builds its own INSERT
    from column lists (the bulk path): see :meth:`ChangeLog.stamp_columns`. None on a
    connection copying a history verbatim (:data:`VERBATIM`)."""
    if connection.get_execution_options().get(VERBATIM):
        return {}
    return change_log_of(connection).stamp_columns(connection, rows)


def take_revision(connection: Connection) -> int:
    """The revision of the transaction ``connection`` is in (taken now if need be)."""
    return change_log_of(connection).take_revision(connection)


def own_revisions_in(engine: Engine, after: int, upto: int) -> int:
    """How many of the revisions ``after < revision <= upto`` were committed through
    ``engine`` (this process's own writes); those up to ``upto`` are forgotten then,
    so each is counted once. 0 for an engine without a change log."""
    log = _logs.get(engine)
    if log is None:
        return 0
    with log._lock:
        mine = sum(1 for revision in log._committed if after < revision <= upto)
        log._committed = [revision for revision in log._committed if revision > upto]
    return mine


def desk_revision(connection: Connection) -> int:
    """The desk's last revision as ``connection`` sees it (committed, or this
    transaction's own): a mark to compare with later (``revision >`` it is newer)."""
    r = t.desk_revision
    return connection.execute(select(r.c.value).where(r.c.id == 1)).scalar() or 0
