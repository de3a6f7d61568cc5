"""The desk's own settings: its state, delegation, marking scheme, counters."""

from __future__ import annotations

from sqlalchemy.orm import Mapped, relationship

from nsdesk.domain.dates import PartialDate
from nsdesk.store import tables as t
from nsdesk.store.base import Base, Record
from nsdesk.store.models.parties import Party


class MarkingLevelRow(Base):
    """One level of the desk's marking scheme; ``rank`` orders them, lowest first."""

    __table__ = t.marking_level

    code: Mapped[str]
    uuid: Mapped[str]
    rank: Mapped[int]
    label: Mapped[str]
    description: Mapped[str | None]

    def audit_label(self) -> str:
        return f"marking level {self.code}"


class DeskSettings(Base, Record):
    """The single row that says whose desk this is."""

    __table__ = t.desk_settings

    own_state_id: Mapped[int]
    delegation: Mapped[str | None]
    default_sensitivity: Mapped[str]
    is_demo: Mapped[bool]
    catalogue_version: Mapped[str | None]
    catalogue_as_of: Mapped[PartialDate | None]
    prepared_by: Mapped[str | None]

    own_state: Mapped[Party] = relationship()

    def audit_label(self) -> str:
        return "Desk settings"


class SequenceCounter(Base):
    """The next number of a human-readable id series (``C-0001``, ``A-0001``)."""

    __table__ = t.sequence_counter

    name: Mapped[str]
    next_value: Mapped[int]
