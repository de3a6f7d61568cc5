"""The desk's marking scheme: ordered sensitivity levels and the ceiling rule.

Every record that can leave the desk carries a level. An export has an audience
ceiling: nothing above it leaves, and the marking printed on the export is never
lower than the highest level it actually contains. The scheme is configurable per
desk; the order of its levels is what matters, so it lives here as plain data.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from nsdesk.domain.errors import ValidationError

_CODE = re.compile(r"^[A-Z][A-Z0-9_]{0,31}$")


@dataclass(frozen=True, slots=True)
class MarkingLevel:
    """One level of a marking scheme, e.g. ``RESTRICTED`` / "Restricted"."""

    code: str
    label: str
    description: str = ""


@dataclass(frozen=True, slots=True)
class MarkingScheme:
    """An ordered list of levels, lowest first."""

    levels: tuple[MarkingLevel, ...]

    def __post_init__(self) -> None:
        if not self.levels:
            raise ValidationError("marking scheme", "at least one level")
        codes = [level.code for level in self.levels]
        for code in codes:
            if not _CODE.match(code):
                raise ValidationError(
                    "marking level code",
                    "capital letters, digits or _ (at most 32), starting with a letter",
                    code,
                )
        if len(set(codes)) != len(codes):
            raise ValidationError("marking scheme", "each level code once", codes)

    @classmethod
    def from_codes(cls, codes: Sequence[str]) -> MarkingScheme:
        return cls(tuple(MarkingLevel(code, code.capitalize()) for code in codes))

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(level.code for level in self.levels)

    @property
    def lowest(self) -> str:
        return self.levels[0].code

    def rank(self, code: str) -> int:
        """Position of ``code`` in the scheme (0 is the lowest)."""
        try:
            return self.codes.index(code)
        except ValueError:
            raise ValidationError("Sensitivity", f"one of {', '.join(self.codes)}", code) from None

    def normalise(self, text: str) -> str:
        """The level code matching ``text`` (code or label, any case)."""
        wanted = text.strip().casefold()
        for level in self.levels:
            if wanted in (level.code.casefold(), level.label.casefold()):
                return level.code
        raise ValidationError("Sensitivity", f"one of {', '.join(self.codes)}", text)

    def allows(self, code: str, ceiling: str) -> bool:
        """Whether a record at ``code`` may leave in an export capped at ``ceiling``."""
        return self.rank(code) <= self.rank(ceiling)

    def marking_for(self, included: Iterable[str]) -> str:
        """The marking an export must print: the highest level it includes
        (the lowest level of the scheme when it includes nothing)."""
        highest = self.lowest
        for code in included:
            if self.rank(code) > self.rank(highest):
                highest = code
        return highest

    def label(self, code: str) -> str:
        return self.levels[self.rank(code)].label


DEFAULT_MARKING_SCHEME = MarkingScheme(
    (
        MarkingLevel("PUBLIC", "Public", "May be published."),
        MarkingLevel("INTERNAL", "Internal", "Within the delegation and the ministries."),
        MarkingLevel("RESTRICTED", "Restricted", "Named officials only."),
        MarkingLevel("CONFIDENTIAL", "Confidential", "Handled under national rules."),
    )
)
"""The scheme a new desk starts with; a desk may rename, add or reorder levels."""

DEFAULT_SENSITIVITY = "INTERNAL"
"""The level given to a new record when none is chosen: not public by accident."""
