"""What a merge found and did, as plain read models for the command line and the app.

A preview and a merge return the same :class:`MergeReport`; the conflicts a desk
holds are :class:`OpenItem` rows (:mod:`nsdesk.services.merge.conflicts`). Values
are shown as the change log records them (a reference by its key, a set as its
keys), never re-read from the desk.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any


class OnConflict(StrEnum):
    """What a merge does with each conflict it finds (``--on-conflict``)."""

    LATER = "later"  # leave it open: the desk keeps its value, the field is flagged
    KEEP = "keep"  # settle it for this desk's value (a resolution that travels)
    TAKE = "take"  # settle it for the incoming value (a resolution that travels)
    FAIL = "fail"  # change nothing if any conflict would be left


class ItemKind(StrEnum):
    """What a merge left for a person."""

    CONFLICT = "conflict"  # two different values of one field
    IDENTITY = "identity"  # two records with one human key
    REVIEW = "review"  # retired on one side, edited on the other (and the like)


@dataclass(frozen=True, slots=True)
class Side:
    """One value of a field as an entry of the change log set it: the value as
    recorded, who set it, when, and on which laptop."""

    entry_uuid: str
    value: Any
    actor: str
    at: datetime | None
    replica_id: str
    laptop: str

    def shown(self) -> str:
        """The value in plain text ("(nothing)" when empty)."""
        return show_value(self.value)


def show_value(value: Any) -> str:
    """A recorded value in plain text: a set as its keys, nothing as "(nothing)"."""
    if value is None or value == "" or value == []:
        return "(nothing)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {show_value(v)}" for k, v in value.items())
    return " ".join(str(value).split())


@dataclass(frozen=True, slots=True)
class OpenItem:
    """A conflict, an identity clash or a record to review.

    For a conflict: ``mine`` is the value the desk shows, ``theirs`` the competing
    ones, ``base`` the value they all replaced (``None`` for two creations). For an
    identity clash: ``key`` is the shared key, ``other_uuid`` the other record,
    ``provisional`` the key this record holds until it is settled."""

    id: int | None
    kind: ItemKind
    record_table: str
    record_uuid: str
    record_label: str
    field: str | None
    field_label: str
    base: Side | None = None
    mine: Side | None = None
    theirs: tuple[Side, ...] = ()
    key: str | None = None
    other_uuid: str | None = None
    other_label: str | None = None
    provisional: str | None = None
    note: str = ""
    detected_at: datetime | None = None
    resolved_at: datetime | None = None
    resolution: str | None = None

    @property
    def open(self) -> bool:
        return self.resolved_at is None

    def describe(self) -> str:
        """One line a person reads."""
        if self.kind is ItemKind.IDENTITY:
            return (
                f"{self.record_label}: two records are {self.key} (this one holds "
                f"{self.provisional} until settled; the other is {self.other_label})"
            )
        if self.kind is ItemKind.REVIEW:
            return f"{self.record_label}: {self.note}"
        mine = self.mine.shown() if self.mine else "?"
        theirs = " | ".join(f"{s.shown()} ({s.laptop})" for s in self.theirs)
        return f"{self.record_label}, {self.field_label}: this desk {mine} | {theirs}"


@dataclass(frozen=True, slots=True)
class MergedField:
    """A field both sides changed that merged without a conflict: the same value on
    both sides, or a set merged against the value both started from."""

    record_table: str
    record_uuid: str
    record_label: str
    field: str
    how: str  # "same value" or "sets merged"


@dataclass(slots=True)
class MergeReport:
    """What merging one changes file did (or, for a preview, would do)."""

    path: Path
    file_id: str
    sender_label: str
    sender_replica: str
    fingerprint: str
    marking: str
    total: int = 0
    known: int = 0
    applied: dict[str, int] = field(default_factory=dict)
    merged: list[MergedField] = field(default_factory=list)
    conflicts: list[OpenItem] = field(default_factory=list)
    settled: list[OpenItem] = field(default_factory=list)
    clashes: list[OpenItem] = field(default_factory=list)
    reviews: list[OpenItem] = field(default_factory=list)
    merge_id: int | None = None
    desk_mark: int = 0
    dry_run: bool = False

    @property
    def applied_total(self) -> int:
        return sum(self.applied.values())

    @property
    def changed_anything(self) -> bool:
        """Whether the merge brings anything the desk did not have."""
        return self.total > self.known

    def count(self, table: str) -> None:
        self.applied[table] = self.applied.get(table, 0) + 1


Decision = str | tuple[str, Any]
"""How a person settled one conflict: ``"keep"``, ``"take"`` or ``("value", V)``."""
Decisions = Mapping[tuple[str, str], Decision]
"""Decisions per conflict, keyed by (record UUID, field)."""
