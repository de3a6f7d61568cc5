"""Themes: the desk's internal list, and its mapping to external schemes.

Users are asked to report in other people's categories (the Seoul communiqué's
eleven areas, the 2010 Work Plan, the NTI Index…). The desk keeps one internal
theme list and maps each theme to areas of those schemes, so a pack can be cut
either way.
"""

from __future__ import annotations

from sqlalchemy.orm import Mapped, relationship

from nsdesk.store import tables as t
from nsdesk.store.base import Base, CatalogueFact, Record, Retirable


class Theme(Base, Record, Retirable, CatalogueFact):
    """A theme of the desk's internal list."""

    __table__ = t.theme

    code: Mapped[str]
    label: Mapped[str]
    description: Mapped[str | None]
    sort_order: Mapped[int]

    scheme_areas: Mapped[list[SchemeArea]] = relationship(
        secondary=t.theme_mapping, back_populates="themes"
    )

    def audit_label(self) -> str:
        return f"theme {self.code}"


class ExternalScheme(Base, Record, CatalogueFact):
    """A categorisation used by others (a communiqué, a work plan, an index)."""

    __table__ = t.external_scheme

    code: Mapped[str]
    name: Mapped[str]
    description: Mapped[str | None]

    areas: Mapped[list[SchemeArea]] = relationship(
        back_populates="scheme", order_by="SchemeArea.sort_order"
    )

    def audit_label(self) -> str:
        return f"scheme {self.code}"


class SchemeArea(Base, Record, CatalogueFact):
    """One area (category) of an external scheme."""

    __table__ = t.scheme_area

    scheme_id: Mapped[int]
    code: Mapped[str]
    label: Mapped[str]
    sort_order: Mapped[int]

    scheme: Mapped[ExternalScheme] = relationship(back_populates="areas")
    themes: Mapped[list[Theme]] = relationship(
        secondary=t.theme_mapping, back_populates="scheme_areas"
    )

    def audit_label(self) -> str:
        return f"scheme area {self.code}"
