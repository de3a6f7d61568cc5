"""The dashboard: the figures, the alarms and the calendar of a desk on one page.

Read models only (frozen dataclasses), built in SQLAlchemy Core like
:mod:`nsdesk.services.overview.standings`: statuses come from history, "late" and "at risk"
from :mod:`nsdesk.domain.deadlines` on the as-of day, so every figure here agrees
with what the registers show for the same filter. Every item carries the register
and key that open it, so the view can click through without knowing the schema.

The recent changes read the audit log backwards one operation at a time, never
grouping the whole log: a desk whose demo or catalogue load is one operation of
a hundred thousand entries costs the same as a new one.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Generic, TypeVar

from sqlalchemy import Connection, func, select

from nsdesk.domain.dates import PartialDate
from nsdesk.domain.deadlines import is_due_before
from nsdesk.domain.enums import AuditAction, Channel, CommitmentStatus, DeadlineState
from nsdesk.domain.records import RECORD_SPECS
from nsdesk.services.desk import Desk
from nsdesk.services.overview.standings import CommitmentStanding, commitment_standings
from nsdesk.services.records.registers import REGISTERS
from nsdesk.store import tables as t
from nsdesk.store.types import code_point_order

#: How far ahead "due soon" looks.
DUE_WINDOW_DAYS = 90
#: How many items a list carries; its ``total`` still counts them all.
LIST_LIMIT = 50
#: How many operations "recent changes" shows.
RECENT_LIMIT = 20
# Operations up to this many audit entries are read whole (to count their records);
# larger ones (a big demo, a big import) only from their first entry. A new desk's
# catalogue alone writes some 2,000 (every party's participation).
_DETAILED_OPERATION = 5_000

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class ItemList(Generic[T]):
    """The first items of a list (at most :data:`LIST_LIMIT`) and how many there are."""

    items: tuple[T, ...]
    total: int

    @property
    def more(self) -> int:
        """How many items are left out."""
        return self.total - len(self.items)


@dataclass(frozen=True, slots=True)
class StatusCount:
    """How many live commitments are in one status."""

    status: CommitmentStatus
    label: str
    count: int


@dataclass(frozen=True, slots=True)
class ThemeCount:
    """How many live commitments carry one theme."""

    code: str
    label: str
    count: int


@dataclass(frozen=True, slots=True)
class AlertItem:
    """A commitment that is late or at risk, with the reason in words."""

    ref: str
    title: str
    reason: str
    days_overdue: int
    target: PartialDate | None


@dataclass(frozen=True, slots=True)
class DueItem:
    """Something due on a day: a commitment target, an action item, a report, a
    collective deadline. ``register`` and ``key`` open it."""

    register: str
    key: str
    label: str
    due: PartialDate
    #: The last day ``due`` covers.
    due_by: date
    #: What kind of item this is, in words ("Commitment target").
    kind: str


@dataclass(frozen=True, slots=True)
class NextEvent:
    """The first event that starts after the as-of day."""

    code: str
    name: str
    start: PartialDate

    @property
    def start_day(self) -> date:
        """The event's first possible day: what "due before" compares against."""
        return self.start.earliest()


@dataclass(frozen=True, slots=True)
class RecentChange:
    """One user action from the audit log (one edit, one import, one demo load)."""

    at: datetime
    actor: str
    channel: Channel
    #: Audit entries written (one per created record, one per changed field).
    changes: int
    #: Distinct records touched; ``None`` for very large operations (not counted).
    records: int | None
    summary: str
    #: The register and key that open the record changed, when there is one.
    register: str | None = None
    key: str | None = None


@dataclass(frozen=True, slots=True)
class Dashboard:
    """Everything the dashboard shows about a desk on ``as_of``. Commitment figures
    count live (not retired) commitments only."""

    as_of: date
    total: int
    open: int
    completed: int
    by_status: tuple[StatusCount, ...]
    by_theme: tuple[ThemeCount, ...]
    #: Most overdue first.
    late: ItemList[AlertItem]
    #: Soonest target first.
    at_risk: ItemList[AlertItem]
    #: Due from ``as_of`` to ``due_soon_until`` (both included), soonest first.
    due_soon: ItemList[DueItem]
    due_soon_until: date
    next_event: NextEvent | None
    #: Due on or before the next event's first day and not yet passed.
    due_before_event: ItemList[DueItem]
    #: Newest first.
    recent: tuple[RecentChange, ...]


def load_dashboard(desk: Desk, as_of: date | None = None) -> Dashboard:
    """The dashboard of ``desk`` on ``as_of`` (today by default)."""
    day = as_of or date.today()
    until = day + timedelta(days=DUE_WINDOW_DAYS)
    with desk.connect() as connection:
        commitments = commitment_standings(connection, day, live_only=True)
        next_event = _next_event(connection, day)
        horizon = max(until, next_event.start_day) if next_event else until
        due = _items_due(connection, commitments, day, horizon)
        recent = recent_changes(connection)
        themes = _theme_counts(connection)
    statuses = Counter(c.status for c in commitments)
    late = sorted(
        (_alert(c) for c in commitments if c.assessment.state is DeadlineState.LATE),
        key=lambda a: (-a.days_overdue, len(a.ref), a.ref),
    )
    at_risk = sorted(
        (_alert(c) for c in commitments if c.assessment.state is DeadlineState.AT_RISK),
        key=lambda a: (a.target.latest() if a.target else date.max, len(a.ref), a.ref),
    )
    due_before = (
        [item for item in due if is_due_before(item.due, next_event.start, as_of=day)]
        if next_event
        else []
    )
    return Dashboard(
        as_of=day,
        total=len(commitments),
        open=sum(n for status, n in statuses.items() if not status.is_closed),
        completed=statuses[CommitmentStatus.COMPLETED],
        by_status=tuple(StatusCount(s, s.label, statuses[s]) for s in CommitmentStatus),
        by_theme=themes,
        late=_capped(late),
        at_risk=_capped(at_risk),
        due_soon=_capped([item for item in due if item.due_by <= until]),
        due_soon_until=until,
        next_event=next_event,
        due_before_event=_capped(due_before),
        recent=recent,
    )


def _capped(items: list[T]) -> ItemList[T]:
    return ItemList(tuple(items[:LIST_LIMIT]), len(items))


# -- commitments ---------------------------------------------------------------------


def _alert(standing: CommitmentStanding) -> AlertItem:
    found = standing.assessment
    return AlertItem(
        standing.ref, standing.title, found.reason, found.days_overdue, standing.target
    )


def _theme_counts(connection: Connection) -> tuple[ThemeCount, ...]:
    link, c, theme = t.commitment_theme, t.commitment, t.theme
    count = func.count().label("n")
    rows = connection.execute(
        select(theme.c.code, theme.c.label, count)
        .select_from(link.join(c, c.c.id == link.c.commitment_id).join(theme))
        .where(c.c.retired_at.is_(None))
        .group_by(theme.c.id)
        .order_by(count.desc(), theme.c.sort_order, code_point_order(theme.c.label))
    )
    return tuple(ThemeCount(code, label, n) for code, label, n in rows)


# -- what falls due -----------------------------------------------------------------


def _next_event(connection: Connection, day: date) -> NextEvent | None:
    e = t.event
    upcoming = [
        NextEvent(code, name, start)
        for code, name, start in connection.execute(
            select(e.c.code, e.c.name, e.c.start_date).where(
                e.c.retired_at.is_(None), e.c.start_date.is_not(None)
            )
        )
        if start.earliest() > day
    ]
    return min(upcoming, key=lambda event: (event.start_day, event.name), default=None)


def _items_due(
    connection: Connection, commitments: list[CommitmentStanding], since: date, until: date
) -> list[DueItem]:
    """The open items of the four kinds due from ``since`` to ``until``, soonest first."""
    # (register, kind, key, label, due) of every open dated item; filtered below.
    found: list[tuple[str, str, str, str, PartialDate]] = [
        ("commitments", "Commitment target", c.ref, f"{c.ref} {c.title}", c.target)
        for c in commitments
        if c.target is not None and not c.status.is_closed
    ]
    a, r, d = t.action_item, t.reporting_obligation, t.deadline
    open_statuses = [s for s in CommitmentStatus if not s.is_closed]
    for ref, title, due in connection.execute(
        select(a.c.ref, a.c.title, a.c.due).where(
            a.c.retired_at.is_(None), a.c.due.is_not(None), a.c.status.in_(open_statuses)
        )
    ):
        found.append(("action_items", "Action item", ref, f"{ref} {title}", due))
    for uuid, title, due in connection.execute(
        select(r.c.uuid, r.c.title, r.c.due).where(
            r.c.retired_at.is_(None), r.c.due.is_not(None), r.c.submitted.is_(None)
        )
    ):
        found.append(("reporting", "Report due", uuid, title, due))
    for uuid, text, due in connection.execute(
        select(d.c.uuid, d.c.description, d.c.due).where(d.c.retired_at.is_(None))
    ):
        found.append(("deadlines", "Collective deadline", uuid, text, due))
    items = [
        DueItem(register, key, label, due, last, kind)
        for register, kind, key, label, due in found
        if since <= (last := due.latest()) <= until
    ]
    items.sort(key=lambda item: (item.due_by, _KIND_ORDER[item.kind], item.label))
    return items


_KIND_ORDER = {"Commitment target": 0, "Action item": 1, "Report due": 2, "Collective deadline": 3}


# -- recent changes ----------------------------------------------------------------

# The register that lists each kind; its key is the kind's key field, else the UUID.
_REGISTER_OF = {definition.kind: name for name, definition in REGISTERS.items()}
# A history entry or a target opens the commitment it belongs to.
_OPENS_PARENT = {"status_entry": t.status_entry, "target": t.target}
_VERBS = {
    AuditAction.CREATE: "Created",
    AuditAction.UPDATE: "Edited",
    AuditAction.RETIRE: "Retired",
    AuditAction.RESTORE: "Restored",
    AuditAction.DELETE: "Deleted",
}
# Channels whose operations are loads rather than edits, summarised as a whole.
_BULK = {
    Channel.DEMO: "Demo data written",
    Channel.CATALOGUE: "Reference catalogue applied",
    Channel.MIGRATION: "Desk updated to a newer nsdesk",
    Channel.MERGED: "Merged from another desk",
}


def recent_changes(connection: Connection, limit: int = RECENT_LIMIT) -> tuple[RecentChange, ...]:
    """The last ``limit`` operations of the audit log, newest first, in commit order.

    The entries of one operation are written in one transaction, so they share one
    revision: each step reads the newest entry below the previous operation's
    revision (through the ``revision`` index) and that operation's extent through the
    ``operation_id`` index."""
    a = t.audit_entry
    below: int | None = None
    found = []
    imports = _imports(connection)
    while len(found) < limit:
        newest = select(a.c.operation_id, a.c.at, a.c.actor, a.c.channel).order_by(
            a.c.revision.desc(), a.c.id.desc()
        )
        if below is not None:
            newest = newest.where(a.c.revision < below)
        head = connection.execute(newest.limit(1)).first()
        if head is None:
            break
        changes, first_revision = connection.execute(
            select(func.count(), func.min(a.c.revision)).where(
                a.c.operation_id == head.operation_id
            )
        ).one()
        entries = connection.execute(
            select(
                a.c.action,
                a.c.record_table,
                a.c.record_uuid,
                a.c.record_label,
                a.c.field,
                a.c.new_value,
            )
            .where(a.c.operation_id == head.operation_id)
            .order_by(a.c.id)
            .limit(_DETAILED_OPERATION if changes <= _DETAILED_OPERATION else 1)
        ).all()
        found.append(_describe(connection, head, changes, entries, imports))
        below = first_revision
    return tuple(found)


def _imports(connection: Connection) -> dict[str, str]:
    """operation id → what the summary says for imports and their undoing."""
    b = t.import_batch
    words = {}
    for file_name, operation_id, undo_id in connection.execute(
        select(b.c.file_name, b.c.operation_id, b.c.undo_operation_id)
    ):
        words[operation_id] = f"Imported {file_name}"
        if undo_id:
            words[undo_id] = f"Undid the import of {file_name}"
    return words


def _describe(
    connection: Connection, head: Any, changes: int, entries: Sequence[Any], imports: dict[str, str]
) -> RecentChange:
    first = entries[0]
    detailed = changes <= _DETAILED_OPERATION
    records = len({e.record_uuid for e in entries}) if detailed else None
    if head.operation_id in imports or not detailed or (records != 1 and head.channel in _BULK):
        # One record would not represent a load of thousands: nothing to open.
        summary = imports.get(head.operation_id) or _BULK.get(head.channel, "Records changed")
        return RecentChange(head.at, head.actor, head.channel, changes, records, summary)
    register, key = _opener(connection, first.record_table, first.record_uuid)
    parent = key if first.record_table in _OPENS_PARENT else None
    summary = _summary(first, entries, parent=parent)
    return RecentChange(head.at, head.actor, head.channel, changes, records, summary, register, key)


def _summary(first: Any, entries: Sequence[Any], *, parent: str | None) -> str:
    """ "Edited C-0042 Title (title)", "Recorded progress on C-0042", "Created … and 2 more"."""
    own = [e for e in entries if e.record_uuid == first.record_uuid]
    if first.record_table == "status_entry" and first.action is AuditAction.CREATE:
        text = f"Recorded progress on {parent or 'a commitment'}"
        status = (first.new_value or {}).get("status")
        if status in CommitmentStatus._value2member_map_:
            text += f": {CommitmentStatus(status).label.lower()}"
    elif first.action is AuditAction.UPDATE:
        fields = dict.fromkeys(_field_label(first.record_table, e.field) for e in own if e.field)
        subject = first.record_label or _noun({first.record_table})
        text = f"Edited {subject} ({', '.join(fields)})" if fields else f"Edited {subject}"
    else:
        text = f"{_VERBS[first.action]} {first.record_label or _noun({first.record_table})}"
    # A new commitment's first history entry is part of creating it, not news.
    others = {
        e.record_uuid: e.record_table
        for e in entries
        if e.record_uuid != first.record_uuid
        and not (first.action is AuditAction.CREATE and e.record_table in _OPENS_PARENT)
    }
    if others:
        text += f" and {len(others):,} more {_noun(set(others.values()), len(others))}"
    return text


def _noun(tables: set[str], n: int = 1) -> str:
    """What ``n`` records of ``tables`` are called: "progress entries", "records"."""
    spec = RECORD_SPECS.get(next(iter(tables))) if len(tables) == 1 else None
    if spec is None:
        return "record" if n == 1 else "records"
    return spec.label.lower() if n == 1 else spec.plural.lower()


def _field_label(table: str, name: str) -> str:
    spec = RECORD_SPECS.get(table)
    labels = {f.name: f.label for f in spec.fields} if spec else {}
    return labels.get(name, name.replace("_", " ")).lower()


def _opener(connection: Connection, table: str, uuid: str) -> tuple[str | None, str | None]:
    """The register and key that open the record ``uuid`` of ``table``, if it still
    exists and a register lists it (a history entry opens its commitment)."""
    if table in _OPENS_PARENT:
        child, c = _OPENS_PARENT[table], t.commitment
        ref = connection.execute(
            select(c.c.ref).join(child, child.c.commitment_id == c.c.id).where(child.c.uuid == uuid)
        ).scalar()
        return ("commitments", ref) if ref else (None, None)
    register = _REGISTER_OF.get(table)
    if register is None:
        return None, None
    record = t.metadata.tables[table]
    key_column = RECORD_SPECS[table].key_field or "uuid"
    key = connection.execute(select(record.c[key_column]).where(record.c.uuid == uuid)).scalar()
    return (register, str(key)) if key is not None else (None, None)
