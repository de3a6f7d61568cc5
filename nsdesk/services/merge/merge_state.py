"""What one merge holds while it runs: the file's facts, the values of the entries it
looks at (from the file or the desk), the histories of the records it touches, what
it will write and what undoing it needs; refusing a change, naming a laptop, and
writing the entries it merged. Every part of the merge builds on :class:`MergeState`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, select

from nsdesk.domain.changes_errors import MergeRefusedError
from nsdesk.domain.hlc import HlcStamp
from nsdesk.domain.records import RECORD_SPECS
from nsdesk.services.audit import Actor, to_json
from nsdesk.services.merge.codec import Rows, TableCodec, codecs
from nsdesk.services.merge.lineage import RecordHistory
from nsdesk.services.merge.outcome import Decisions, MergeReport, OnConflict
from nsdesk.store import tables as t
from nsdesk.store.bulk import insert_rows
from nsdesk.store.change_log import RETIRED_LINE
from nsdesk.store.ids import new_uuid


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


class EntryValues:
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


class MergeState:
    """The state of one changes file merged into one desk connection (see
    :mod:`nsdesk.services.merge.engine`): nothing here decides, it holds."""

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
        self.values = EntryValues(connection)
        self.histories: dict[str, RecordHistory] = {}
        # (record, field) that may have an open conflict: read once, then kept up to
        # date by the conflicts this merge opens (None until first asked).
        self.maybe_open: set[tuple[str, str | None]] | None = None
        self.tables: dict[str, str] = {}  # record uuid -> table
        self.position = 0
        self.number = 0  # the change being merged, counted from 1
        self.audit: list[dict[str, Any]] = []
        self.pending: dict[tuple[str, str], list[tuple[str, Any]]] = {}  # (uuid, value)
        self.journal: dict[tuple[str, str, str], Any] = {}
        self.created: list[tuple[str, str]] = []
        self.created_set: set[tuple[str, str]] = set()
        self.prefetched: dict[tuple[str, str, str], Any] = {}
        # The last change whose value was checked: (its entry uuid, the value decoded).
        self.checked: tuple[str, Any] | None = None
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

    def _laptop(self, replica_id: str) -> str:
        if replica_id == self.facts.sender_replica:
            return self.facts.sender_label or f"laptop {replica_id[:8]}"
        return self.names.get(replica_id) or f"laptop {replica_id[:8]}"

    def _label(self, change: dict[str, Any]) -> str:
        return str(change.get("record_label") or change.get("record_uuid"))

    def _write_audit(self) -> None:
        if not self.audit:
            return
        rows, self.audit = self.audit, []
        insert_rows(self.c, t.audit_entry, uniform_rows(rows))


def short_error(error: Exception) -> str:
    """The first line of what the database said (for a refusal's sentence)."""
    text = str(getattr(error, "orig", error))
    return text.splitlines()[0][:200]


def uuid_list(value: Any) -> bool:
    """Whether ``value`` is a list of UUIDs as text."""
    return isinstance(value, list) and all(isinstance(v, str) and len(v) <= 36 for v in value)


def as_moment(text: Any) -> datetime:
    """A moment from its ISO text (or the moment itself)."""
    if isinstance(text, datetime):
        return text
    return datetime.fromisoformat(str(text))


def utc_moment(text: Any) -> datetime:
    """A moment from a change (its ISO text) or the desk (a datetime), in UTC: the two
    compare alike."""
    found = as_moment(text)
    return found.replace(tzinfo=UTC) if found.tzinfo is None else found.astimezone(UTC)


def journal_value(value: Any) -> Any:
    """A column's value as the undo journal keeps it (JSON)."""
    return to_json(value)


AUDIT_COLUMNS = tuple(c.name for c in t.audit_entry.columns if c.name not in ("id", "revision"))
"""The change log's columns an incoming change fills (the desk numbers the rest)."""


_CHANGE_KEYS = frozenset({*AUDIT_COLUMNS, "revision"})


def audit_row(change: dict[str, Any]) -> dict[str, Any]:
    """An incoming change as the row that records it (its own stamps kept; the
    revision is this desk's)."""
    if change.keys() == _CHANGE_KEYS:  # as the reading checked it: a copy will do
        row = dict(change)
        del row["revision"]
    else:
        row = {name: change.get(name) for name in AUDIT_COLUMNS}
    row["at"] = as_moment(change["at"])
    return row


def uniform_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows naming the same columns (executemany needs it)."""
    first = rows[0].keys()
    if all(r.keys() == first for r in rows):
        return rows
    names = set().union(*(r.keys() for r in rows))
    return [{n: r.get(n) for n in names} for r in rows]
