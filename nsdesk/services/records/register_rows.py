"""A register's rows as the user reads them, and the filters over them.

A register is loaded once into read models (:class:`RegisterRow`: the cells as
the user reads them, a sort key per column, and the facets the filters ask
about) and then filtered and sorted in memory over those precomputed values.
That is what keeps a 6,000-commitment register interactive: a filter is one pass
over prepared strings (milliseconds), where a ``QSortFilterProxyModel`` calls back
into Python for every cell it compares. The rows are read from the desk by
:mod:`nsdesk.services.records.register_loaders`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from typing import Any

from nsdesk.domain.dates import PartialDate
from nsdesk.domain.enums import CLOSED_STATUSES, DeadlineState

#: The status filter's "any open status" (not completed, superseded or withdrawn).
OPEN = "open"
_CLOSED = frozenset(s.value for s in CLOSED_STATUSES)

#: The filters a register may offer (``RegisterDefinition.facets``).
FACETS = ("status", "theme", "agency", "deadline", "due_before", "sensitivity")


@dataclass(frozen=True, slots=True)
class RegisterFilter:
    """What the user asked to see. Empty fields do not filter."""

    text: str = ""
    #: A :class:`CommitmentStatus` value, or :data:`OPEN` for any status still open.
    status: str | None = None
    #: A theme code.
    theme: str | None = None
    #: An agency code (lead or contributing).
    agency: str | None = None
    #: ``late`` or ``at_risk`` (a :class:`DeadlineState` value).
    deadline: str | None = None
    #: Only items whose due date falls on or before this day (and not already passed).
    due_before: date | None = None
    #: What the user reads for ``due_before`` (an event's name), kept for the filter bar.
    due_before_label: str = ""
    #: A level of the desk's marking scheme.
    sensitivity: str | None = None
    #: Show retired records too (marked as such).
    include_retired: bool = False
    #: Only the records a merge left something open on (the "Conflicts" filter):
    #: those whose UUID is in ``among``.
    conflicts: bool = False
    among: frozenset[str] = frozenset()

    @property
    def is_empty(self) -> bool:
        return self == RegisterFilter()


@dataclass(frozen=True, slots=True)
class RegisterRow:
    """One record as a line of its register."""

    #: What :func:`nsdesk.services.records.record_service.find_record` accepts: ref, code or UUID.
    key: str
    cells: tuple[str, ...]
    sort_keys: tuple[Any, ...]
    retired: bool = False
    status: str | None = None
    themes: frozenset[str] = frozenset()
    agencies: frozenset[str] = frozenset()
    deadline: DeadlineState | None = None
    #: Why the item is late or at risk, in words (empty otherwise).
    deadline_reason: str = ""
    #: The last day the item is due (its binding target, or its due date).
    due: date | None = None
    sensitivity: str | None = None
    #: All the cells, folded, for the text filter.
    haystack: str = field(default="", repr=False)
    #: The record's UUID: it names the record even when its key is edited.
    uuid: str = ""

    @property
    def identity(self) -> str:
        """What names this record across reloads: its UUID (its key when not read)."""
        return self.uuid or self.key

    def matches(
        self, wanted: RegisterFilter, *, as_of: date | None = None, words: Sequence[str] = ()
    ) -> bool:
        """Whether this row passes every filter set in ``wanted``; ``words`` are the
        folded words of ``wanted.text`` (split once by :func:`filter_rows`)."""
        if self.retired and not wanted.include_retired:
            return False
        if not all(word in self.haystack for word in words):
            return False
        if wanted.status == OPEN:
            if self.status is None or self.status in _CLOSED:
                return False
        elif wanted.status and self.status != wanted.status:
            return False
        if wanted.theme and wanted.theme not in self.themes:
            return False
        if wanted.agency and wanted.agency not in self.agencies:
            return False
        if wanted.deadline and (self.deadline is None or self.deadline.value != wanted.deadline):
            return False
        if wanted.sensitivity and self.sensitivity != wanted.sensitivity:
            return False
        if wanted.conflicts and self.identity not in wanted.among:
            return False
        if wanted.due_before is not None:
            if self.due is None or self.due > wanted.due_before:
                return False
            if as_of is not None and self.due < as_of:
                return False  # already passed: that is "late", listed apart
        return True


def fold(text: str) -> str:
    """The form text is compared in by the text filter."""
    return text.casefold()


def filter_rows(
    rows: Iterable[RegisterRow], wanted: RegisterFilter, *, as_of: date | None = None
) -> list[RegisterRow]:
    """The rows that pass ``wanted``; ``wanted.text`` is matched word by word, in any case."""
    words = fold(wanted.text).split()
    return [row for row in rows if row.matches(wanted, as_of=as_of, words=words)]


# -- cells and sort keys -----------------------------------------------------------------


def cell_text(value: Any) -> str:
    """How a value reads in a list."""
    if value is None:
        return ""
    if isinstance(value, PartialDate):
        return value.display()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, Enum):
        return getattr(value, "label", str(value.value))
    if isinstance(value, int):
        return f"{value:,}"
    return " ".join(str(value).split())


def sort_key(value: Any) -> tuple[int, Any]:
    """A key that orders values of one column, empty cells last."""
    if value is None or value == "":
        return (1, 0)
    if isinstance(value, PartialDate):
        return (0, value.sort_key())
    if isinstance(value, date):
        return (0, (value.year, value.month, value.day))
    if isinstance(value, bool | int | float):
        return (0, value)
    if isinstance(value, Enum):
        return (0, fold(getattr(value, "label", str(value.value))))
    text = str(value)
    # Numbered refs order by number: C-0100 before C-10000.
    return (0, (len(text), text)) if _is_ref(text) else (0, fold(text))


def _is_ref(text: str) -> bool:
    return len(text) > 2 and text[1] == "-" and text[0].isalpha() and text[2:].isdigit()
