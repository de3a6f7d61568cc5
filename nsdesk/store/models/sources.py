"""Sources and citations: where every catalogue fact (and any user fact) came from."""

from __future__ import annotations

from sqlalchemy.orm import Mapped, relationship

from nsdesk.store import tables as t
from nsdesk.store.base import Base, Record


class Source(Base, Record):
    """A public document or page a fact was taken from."""

    __table__ = t.source

    title: Mapped[str]
    url: Mapped[str | None]

    def audit_label(self) -> str:
        return f"source {self.title[:60]}"


class Citation(Base, Record):
    """ "This record (or this field of it) rests on that source"."""

    __table__ = t.citation

    source_id: Mapped[int]
    subject_table: Mapped[str]
    subject_uuid: Mapped[str]
    field: Mapped[str | None]
    note: Mapped[str | None]

    source: Mapped[Source] = relationship()

    def audit_label(self) -> str:
        return f"citation of {self.subject_table} {self.subject_uuid}"
