"""What other officers changed: the records whose rows a window must read again.

A window that follows a shared desk (:mod:`nsdesk.ui.workspace.desk_watch`) learns
from the desk's commit-order revision *that* someone else committed; this says
*what*, from the change log, so the window reads again the few rows that changed
instead of every register — at the scale of an archive a register takes a few
hundred milliseconds to read, and a busy ministry commits every few seconds.

Only a change that touches nothing but its own row (and, for a progress entry or a
target, its commitment's row) is followed row by row. Anything another register
names by its key — an agency, an event, a gift basket, an instrument, a theme, a
state — or that is not a record (settings, markings, the catalogue, a baseline), or
a change too large to be worth picking apart, asks for everything to be read again,
as View ▸ Reload does.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy import select

from nsdesk.services.desk import Desk
from nsdesk.store import tables as t

#: Kinds whose changes show only in their own row of their own register.
ROW_LOCAL_KINDS = frozenset(
    {"commitment", "action_item", "document", "deadline", "reporting_obligation"}
)
#: Parts of a commitment shown in its row (the status, the target in force).
_PARTS_OF_COMMITMENT = frozenset({"status_entry", "target"})

#: More changed records than this are read again whole (one read beats many).
MOST_ROWS = 200


@dataclass(frozen=True, slots=True)
class FollowedChanges:
    """What changed between two revisions, as the views must read it again.

    ``everything`` asks for every view to be read again; otherwise ``records`` maps
    each kind to the UUIDs of its records whose rows changed (created, edited,
    retired or deleted)."""

    everything: bool
    records: Mapping[str, frozenset[str]] = field(default_factory=dict)

    @property
    def kinds(self) -> frozenset[str]:
        return frozenset(self.records)


EVERYTHING = FollowedChanges(everything=True)


def changes_between(desk: Desk, after: int, upto: int, *, most: int = MOST_ROWS) -> FollowedChanges:
    """The records whose rows changed in the revisions ``after < revision <= upto``."""
    a = t.audit_entry
    with desk.connect() as connection:
        touched = connection.execute(
            select(a.c.record_table, a.c.record_uuid)
            .where(a.c.revision > after, a.c.revision <= upto)
            .distinct()
            .limit(most + 1)
        ).all()
        if not touched or len(touched) > most:
            # Nothing logged (an export noted, a conflict row…) or too much: read it all.
            return EVERYTHING
        records: dict[str, set[str]] = {}
        parts: set[str] = set()
        for table, uuid in touched:
            if table in _PARTS_OF_COMMITMENT:
                parts.add(uuid)
            elif table in ROW_LOCAL_KINDS:
                records.setdefault(table, set()).add(uuid)
            else:
                return EVERYTHING
        if parts:
            owners = _commitments_of(connection, parts)
            if owners is None:
                return EVERYTHING
            records.setdefault("commitment", set()).update(owners)
    return FollowedChanges(
        everything=False, records={kind: frozenset(uuids) for kind, uuids in records.items()}
    )


def _commitments_of(connection, parts: set[str]) -> set[str] | None:
    """The UUIDs of the commitments ``parts`` (progress entries, targets) belong to;
    None when one of them is no longer on the desk (its owner cannot be told)."""
    c = t.commitment
    owners: set[str] = set()
    found = 0
    for table in (t.status_entry, t.target):
        rows = connection.execute(
            select(table.c.uuid, c.c.uuid)
            .join(c, c.c.id == table.c.commitment_id)
            .where(table.c.uuid.in_(sorted(parts)))
        ).all()
        found += len(rows)
        owners.update(owner for _part, owner in rows)
    return owners if found == len(parts) else None
