"""Events (summits, conferences, meetings), their documents and the deadlines
their outcome documents set for all participants."""

from __future__ import annotations

from sqlalchemy.orm import Mapped, relationship

from nsdesk.domain.dates import PartialDate
from nsdesk.domain.enums import DocumentKind, EventKind
from nsdesk.store import tables as t
from nsdesk.store.base import Base, CatalogueFact, Record, Retirable, Sensitive
from nsdesk.store.models.parties import Party


class Event(Base, Record, Sensitive, Retirable, CatalogueFact):
    """A summit, ministerial, review conference, General Conference, sherpa meeting…"""

    __table__ = t.event

    code: Mapped[str]
    kind: Mapped[EventKind]
    name: Mapped[str]
    start_date: Mapped[PartialDate | None]
    end_date: Mapped[PartialDate | None]
    city: Mapped[str | None]
    venue: Mapped[str | None]
    host_party_id: Mapped[int | None]
    participating_states: Mapped[int | None]

    host: Mapped[Party | None] = relationship()
    documents: Mapped[list[Document]] = relationship(back_populates="event", order_by="Document.id")

    def audit_label(self) -> str:
        return self.name


class Document(Base, Record, Sensitive, Retirable, CatalogueFact):
    """An outcome document, national statement, progress report, INFCIRC…"""

    __table__ = t.document

    kind: Mapped[DocumentKind]
    title: Mapped[str]
    event_id: Mapped[int | None]
    issued_by_party_id: Mapped[int | None]
    issued_on: Mapped[PartialDate | None]
    citation: Mapped[str | None]
    url: Mapped[str | None]
    text: Mapped[str | None]

    event: Mapped[Event | None] = relationship(back_populates="documents")

    def audit_label(self) -> str:
        return self.title[:80]


class Deadline(Base, Record, Sensitive, Retirable, CatalogueFact):
    """A deadline an outcome document set for all participants
    (e.g. Seoul 2012: entry into force of the CPPNM amendment by 2014)."""

    __table__ = t.deadline

    description: Mapped[str]
    due: Mapped[PartialDate]
    event_id: Mapped[int | None]
    document_id: Mapped[int | None]
    instrument_id: Mapped[int | None]

    event: Mapped[Event | None] = relationship()
    document: Mapped[Document | None] = relationship()

    def audit_label(self) -> str:
        return f"deadline {self.due}: {self.description[:60]}"
