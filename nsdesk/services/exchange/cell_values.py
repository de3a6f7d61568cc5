"""One cell of a workbook as the import reads it: the value to apply and how it
shows, or why it cannot be taken.

A date may be typed as a date cell, 2027-06-30, 30 June 2027, a month or a year; a
drop-down value in any case, by its label, its stored value or — for a status —
the words ministries write in their own trackers; an agency by its code; a
marking by its code or label. Text is checked by the record field it fills. A cell
that fits none of these is refused with what was expected.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from nsdesk.domain.enums import (
    AgencyKind,
    CommitmentStatus,
    GiftBasketRole,
    LabelledEnum,
    Priority,
)
from nsdesk.domain.errors import ValidationError
from nsdesk.domain.fields import FieldSpec, coerce
from nsdesk.domain.marking import MarkingScheme
from nsdesk.domain.records import spec_for
from nsdesk.exchange.cells import DateCellError, cell_text, partial_date_from_cell
from nsdesk.exchange.model import ColumnKind
from nsdesk.services.exchange.headers import fold_header
from nsdesk.services.exchange.sheet_specs import EVIDENCE, NARRATIVE, ColumnSpec


class CellRefusedError(Exception):
    """A cell the import cannot take; ``reason`` says what was expected. Caught by the
    comparison, which refuses the cell by its address: never reaches the user as such."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """What the drop-down columns accept, case and surrounding spaces ignored."""

    agencies: dict[str, str]  # casefolded code -> code, live agencies within the ceiling
    marking: MarkingScheme


def parse_cell(
    column: ColumnSpec, kind: str, value: Any, vocabulary: Vocabulary, date1904: bool
) -> tuple[Any, str]:
    """The value to apply for ``value`` in ``column`` of a ``kind`` record (``None`` for
    blank), and its display; :class:`CellRefusedError` says why not."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, ""
    if column.kind is ColumnKind.DATE:
        try:
            parsed = partial_date_from_cell(value, date1904)
        except DateCellError as error:
            raise CellRefusedError(f"expected a date like 2027-06-30 ({error})") from None
        except ValueError:
            raise CellRefusedError("expected a date like 2027-06-30") from None
        return parsed, str(parsed)
    if column.kind is ColumnKind.CHOICE:
        return _parse_choice(column, value, vocabulary)
    text = cell_text(value) or ""
    record_field = _field_spec(kind, column.field)
    if record_field is not None:
        try:
            stored = coerce(record_field, text)
        except ValidationError as error:
            raise CellRefusedError(f"expected {error.expected}") from None
        return stored, stored or ""
    return text, text


def _field_spec(kind: str, name: str | None) -> FieldSpec | None:
    """The record field a column fills (a progress entry's, for the virtual ones)."""
    if name is None:
        return None
    if name in (NARRATIVE, EVIDENCE):
        return spec_for("status_entry").field(name)
    try:
        return spec_for(kind).field(name)
    except KeyError:
        return None


#: What ministries write in their own trackers for a status, in the languages the
#: process works in, beyond the labels themselves (which match in any case).
STATUS_WORDS: dict[str, CommitmentStatus] = {
    word: status
    for status, words in {
        CommitmentStatus.IN_PROGRESS: ("en cours", "en curso", "underway", "under way", "started"),
        CommitmentStatus.COMPLETED: (
            "done",
            "complete",
            "achieved",
            "terminé",
            "termine",
            "achevé",
            "acheve",
            "réalisé",
            "realise",
            "completado",
            "cumplido",
        ),
        CommitmentStatus.PARTIALLY_COMPLETED: ("partially done", "partiellement réalisé"),
        CommitmentStatus.STALLED: ("blocked", "on hold", "bloqué", "bloque", "en suspens"),
        CommitmentStatus.PLEDGED: ("not started", "non commencé", "pendiente"),
        CommitmentStatus.ONGOING: ("continuing", "permanent", "continuous"),
    }.items()
    for word in words
}


@cache
def _enum_words(enum_class: type[LabelledEnum]) -> dict[str, LabelledEnum]:
    """Every way a drop-down value may be written, folded: value, label, and for a
    status the ministries' own words."""
    words: dict[str, LabelledEnum] = dict(STATUS_WORDS) if enum_class is CommitmentStatus else {}
    for member in enum_class:
        words[fold_header(member.value.replace("_", " "))] = member
        words[fold_header(member.label)] = member
    return words


_ENUMS: dict[str, type[LabelledEnum]] = {
    "status": CommitmentStatus,
    "priority": Priority,
    "role": GiftBasketRole,
    "agency_kind": AgencyKind,
}


def _parse_choice(column: ColumnSpec, value: Any, vocabulary: Vocabulary) -> tuple[Any, str]:
    text = cell_text(value) or ""
    if column.choices in _ENUMS:
        enum_class = _ENUMS[column.choices]
        try:
            member = _enum_words(enum_class).get(fold_header(text.replace("_", " ")))
            member = member or enum_class.parse(text)
        except ValueError:
            choices = ", ".join(m.label for m in enum_class)
            raise CellRefusedError(f"expected one of the list: {choices}") from None
        return member, member.label
    if column.choices == "agency":
        code = vocabulary.agencies.get(text.casefold())
        if code is None:
            raise CellRefusedError("expected the code of an agency of this desk, such as MFA")
        return code, code
    if column.choices == "sensitivity":
        try:
            code = vocabulary.marking.normalise(text)
        except ValidationError:
            raise CellRefusedError(
                f"expected one of: {', '.join(vocabulary.marking.codes)}"
            ) from None
        return code, code
    return text, text


__all__ = ["STATUS_WORDS", "CellRefusedError", "Vocabulary", "parse_cell"]
