"""What the views of an open desk read and write through, in one object.

The views never hold a desk or a session: they ask this object for rows, values
and choices (read models from the services) and write through its
:class:`~nsdesk.ui.records.commands.RecordActions`. The choices of drop-downs are
kept until a change to their kind says they are stale.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from nsdesk.services.records.choices import (
    Choice,
    FilterChoices,
    load_filter_choices,
    reference_choices,
)
from nsdesk.services.records.locate import locate
from nsdesk.services.records.register_rows import RegisterRow
from nsdesk.services.records.registers import load_register

if TYPE_CHECKING:
    from nsdesk.services.desk import Desk, DeskInfo
    from nsdesk.services.merge.outcome import OpenItem
    from nsdesk.ui.records.commands import RecordActions


@dataclass
class DeskData:
    """The open desk as the views see it."""

    desk: Desk
    actions: RecordActions
    #: The day "late", "at risk" and "due before" are judged on (today in the app).
    as_of: date = field(default_factory=date.today)
    _choices: dict[str, tuple[Choice, ...]] = field(default_factory=dict)
    _filter_choices: FilterChoices | None = None

    @property
    def read_only(self) -> bool:
        return self.desk.read_only

    def info(self) -> DeskInfo:
        return self.desk.info()

    def rows(self, register: str, keys: Collection[str] | None = None) -> list[RegisterRow]:
        return load_register(self.desk, register, as_of=self.as_of, keys=keys)

    def owner_of(self, kind: str, key: str) -> tuple[str, str] | None:
        """The register that lists record ``key`` of ``kind`` (or, for a part of a
        record — a progress entry, a target — its owner) and the key it selects there."""
        return locate(self.desk, kind, key)

    def values(self, kind: str, key: str) -> dict[str, Any]:
        return self.actions.service.values(kind, key)

    def choices_for(self, kind: str) -> tuple[Choice, ...]:
        """The records a reference to ``kind`` may name (cached until they change)."""
        if kind not in self._choices:
            self._choices[kind] = reference_choices(self.desk, kind)
        return self._choices[kind]

    def marking_choices(self) -> tuple[Choice, ...]:
        return tuple(Choice(level.code, level.label) for level in self.info().marking.levels)

    def filter_choices(self) -> FilterChoices:
        if self._filter_choices is None:
            self._filter_choices = load_filter_choices(self.desk)
        return self._filter_choices

    # -- what merges left open ------------------------------------------------------------
    def conflicted(self, kind: str) -> frozenset[str]:
        """The UUIDs of the records of ``kind`` a merge left something open on."""
        # lazy: the merge's services load with the first look at conflicts
        from nsdesk.services.merge.open_records import records_with_open_items

        return records_with_open_items(self.desk, kind)

    def open_items(self, kind: str, uuid: str) -> list[OpenItem]:
        """What merges left open on one record (its conflicts, clashes, reviews)."""
        from nsdesk.services.merge.open_records import open_items_of  # lazy: as above

        return open_items_of(self.desk, kind, uuid) if uuid else []

    def settle_conflict(self, kind: str, uuid: str, item_id: int, decision: str) -> str:
        """Settle the open conflict ``item_id`` ("keep" or "take"), as a change that
        travels; every view showing ``kind`` reads it again. Returns what was done."""
        from nsdesk.services.merge.conflicts import resolve_conflict  # lazy: as above

        done = resolve_conflict(self.desk, item_id, decision)
        self.actions.changed(frozenset({kind}), (kind, uuid))
        return done.said

    def forget(self, kinds: Collection[str]) -> None:
        """Records of ``kinds`` changed: their drop-down lists are read again when next asked."""
        for kind in kinds:
            self._choices.pop(kind, None)
        if {"theme", "agency", "event"} & set(kinds):
            self._filter_choices = None
