"""Briefing profiles: a named choice and order of a pack's sections (schema 0002)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Mapped

from nsdesk.store import tables as t
from nsdesk.store.base import Base, Record, Retirable


class BriefingProfile(Base, Record, Retirable):
    """A named choice and order of briefing-pack sections."""

    __table__ = t.briefing_profile

    name: Mapped[str]
    sections: Mapped[list[str]]
    options: Mapped[dict[str, Any] | None]

    def audit_label(self) -> str:
        return f"briefing profile {self.name}"
