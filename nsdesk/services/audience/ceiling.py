"""The audience ceiling of an export: which marking levels may leave the desk.

Every export (a briefing pack, a register workbook, a ministry's return) is cut
for an audience: nothing marked above its ceiling leaves, in any section or
sheet, and the marking printed on it is the highest level it actually includes.
"""

from __future__ import annotations

from nsdesk.domain.errors import ValidationError
from nsdesk.domain.marking import MarkingScheme

WITHHELD = "(withheld)"
"""Printed where a name belongs to a record above the ceiling."""


class Audience:
    """The ceiling of one export: which marking levels may leave, and which did."""

    def __init__(self, scheme: MarkingScheme, ceiling: str):
        self.scheme = scheme
        try:
            self.ceiling = scheme.normalise(ceiling)
        except ValidationError:
            raise ValidationError(
                "Audience ceiling", f"one of {', '.join(scheme.codes)}", ceiling
            ) from None
        limit = scheme.rank(self.ceiling)
        self._allowed = frozenset(code for code in scheme.codes if scheme.rank(code) <= limit)
        self.included: set[str] = set()
        self.withheld: set[str] = set()

    def admit(self, sensitivity: str, record: str | None = None) -> bool:
        """Whether a record marked ``sensitivity`` may be in the pack; the ones
        admitted count towards the marking printed on it, and ``record`` (its
        UUID) of a refused one towards the pack's "withheld" total."""
        if sensitivity in self._allowed:
            self.included.add(sensitivity)
            return True
        if record is not None:
            self.withheld.add(record)
        return False

    def permits(self, sensitivity: str) -> bool:
        """Whether ``sensitivity`` is within the ceiling, without counting it."""
        return sensitivity in self._allowed

    @property
    def marking(self) -> str:
        """The marking to print: the highest level actually included."""
        return self.scheme.marking_for(self.included)
