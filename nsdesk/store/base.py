"""The declarative base, and the behaviour (not the columns) many records share.

The columns live in :mod:`nsdesk.store.tables`; the mapped classes map onto those
tables (``__table__``) and add relationships and behaviour. The mixins below
declare the shared columns' Python types for readers and type checkers.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import DeclarativeBase, Mapped

from nsdesk.domain.dates import PartialDate
from nsdesk.domain.enums import Confidence
from nsdesk.store.ids import new_uuid
from nsdesk.store.tables import metadata

__all__ = ["Base", "CatalogueFact", "Record", "Retirable", "Sensitive", "new_uuid"]


class Base(DeclarativeBase):
    """Declarative base of every mapped class in a desk."""

    metadata = metadata


class Record:
    """Every record: a row id, a UUID across desks, created and updated in UTC."""

    id: Mapped[int]
    uuid: Mapped[str]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    def audit_label(self) -> str:
        """How the record is named in audit entries and messages."""
        return f"{type(self).__name__} {self.uuid}"


class Sensitive:
    """A record that can leave the desk, and so carries a sensitivity level."""

    sensitivity: Mapped[str]


class Retirable:
    """A record that is retired (hidden, kept) rather than deleted."""

    retired_at: Mapped[datetime | None]

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None


class CatalogueFact:
    """A record that may have come from the shipped catalogue."""

    catalogue_key: Mapped[str | None]
    confidence: Mapped[Confidence | None]
    as_of: Mapped[PartialDate | None]
    catalogue_values: Mapped[dict[str, Any] | None]
    notes: Mapped[str | None]
