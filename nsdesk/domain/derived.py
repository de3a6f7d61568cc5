"""Values derived from a record's children, each rule written once.

A commitment's **status** is never stored: it is the status of its latest live
history entry (by entry date, then by the order entries were recorded). Its
**binding target** is the earliest of its targets still in force: live, and not
revised by another live target. The desk's lists, its detail panes, the
workbooks and the briefing pack all derive them through these functions, so they
cannot disagree; the store's SQL expressions for lists follow the same rule.

The functions take anything with the attributes they read (SQLAlchemy rows,
mapped objects, read models), and only the live children: retired ones are the
caller's to leave out.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Protocol, TypeVar

from nsdesk.domain.dates import PartialDate


class TargetLike(Protocol):
    """What the binding rule reads of a target."""

    @property
    def id(self) -> int: ...
    @property
    def due(self) -> PartialDate: ...
    @property
    def revises_id(self) -> int | None: ...


class EntryLike(Protocol):
    """What the status rule reads of a history entry."""

    @property
    def uuid(self) -> str: ...
    @property
    def created_at(self) -> datetime: ...
    @property
    def entry_date(self) -> date: ...


TargetT = TypeVar("TargetT", bound=TargetLike)
EntryT = TypeVar("EntryT", bound=EntryLike)


def revised_ids(targets: Iterable[TargetLike]) -> frozenset[int]:
    """The ids of the targets another of ``targets`` revises."""
    return frozenset(t.revises_id for t in targets if t.revises_id is not None)


def targets_in_force(targets: Iterable[TargetT]) -> list[TargetT]:
    """The targets not revised by another of ``targets`` (all live), in their order."""
    listed = list(targets)
    revised = revised_ids(listed)
    return [t for t in listed if t.id not in revised]


def binding_target(targets: Iterable[TargetT]) -> TargetT | None:
    """The earliest target in force (by the last day its due date covers, then by
    id), or ``None`` when there is none."""
    return min(targets_in_force(targets), key=lambda t: (t.due.latest(), t.id), default=None)


def latest_entry(entries: Iterable[EntryT], as_of: date | None = None) -> EntryT | None:
    """The entry that sets the status: the latest by date, then by the moment it was
    recorded, then by UUID, among those dated on or before ``as_of`` (all of them
    when ``as_of`` is ``None``). Entries interleave by date whichever copy of a desk
    recorded them, and every copy breaks a tie the same way (row ids differ between
    copies; a merged entry keeps the moment it was recorded)."""
    dated = (e for e in entries if as_of is None or e.entry_date <= as_of)
    return max(dated, key=lambda e: (e.entry_date, e.created_at, e.uuid), default=None)


def own_state_listed(
    members: set[int], count: int | None, own_state_id: int, complete: bool | None = None
) -> bool | None:
    """Whether a signatory snapshot naming ``members`` (party ids) lists the own
    state; ``None`` when it cannot be known. ``complete`` is what the snapshot says
    of its list: a list known to be partial proves nothing by leaving a state out;
    one whose completeness is not known counts as whole only when it names as many
    members as the count (a shorter list, or one with no count, names only some)."""
    if own_state_id in members:
        return True
    if complete is True:
        return False
    if complete is False or not members or count is None or len(members) < count:
        return None
    return False
