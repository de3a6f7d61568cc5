"""Agencies (ministries and bodies that own commitments) and their contacts."""

from __future__ import annotations

from sqlalchemy.orm import Mapped, relationship

from nsdesk.domain.enums import AgencyKind
from nsdesk.store import tables as t
from nsdesk.store.base import Base, Record, Retirable, Sensitive


class Agency(Base, Record, Sensitive, Retirable):
    """A ministry or body that leads or contributes to commitments."""

    __table__ = t.agency

    code: Mapped[str]
    name: Mapped[str]
    kind: Mapped[AgencyKind]
    parent_id: Mapped[int | None]
    notes: Mapped[str | None]

    contacts: Mapped[list[AgencyContact]] = relationship(
        back_populates="agency", order_by="AgencyContact.name"
    )

    def audit_label(self) -> str:
        return f"{self.code} {self.name}"


class AgencyContact(Base, Record, Sensitive, Retirable):
    """A person at an agency; personal data, so INTERNAL or above by default."""

    __table__ = t.agency_contact

    agency_id: Mapped[int]
    name: Mapped[str]
    role: Mapped[str | None]
    email: Mapped[str | None]
    phone: Mapped[str | None]
    notes: Mapped[str | None]

    agency: Mapped[Agency] = relationship(back_populates="contacts")

    def audit_label(self) -> str:
        return f"contact {self.name}"
