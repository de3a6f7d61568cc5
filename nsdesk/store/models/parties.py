"""Parties: states (ISO 3166 alpha-3) and international organisations."""

from __future__ import annotations

from sqlalchemy.orm import Mapped

from nsdesk.domain.enums import PartyKind
from nsdesk.store import tables as t
from nsdesk.store.base import Base, CatalogueFact, Record, Retirable


class Party(Base, Record, Retirable, CatalogueFact):
    """A state or an organisation that can join instruments and sign statements."""

    __table__ = t.party

    code: Mapped[str]
    kind: Mapped[PartyKind]
    name: Mapped[str]
    official_name: Mapped[str | None]
    alpha2: Mapped[str | None]

    def audit_label(self) -> str:
        return f"{self.code} {self.name}"
