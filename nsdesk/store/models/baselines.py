"""Baselines: frozen, named snapshots of the register.

"Progress since The Hague" is computed against what the desk held when the
baseline was taken, not remembered. A baseline item stores the record as it was
(a JSON payload), so it stays readable whatever later happens to the record.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Mapped, relationship

from nsdesk.store import tables as t
from nsdesk.store.base import Base, Record, Retirable, Sensitive


class Baseline(Base, Record, Retirable, Sensitive):
    """A named snapshot ("as reported at The Hague 2014")."""

    __table__ = t.baseline

    name: Mapped[str]
    as_of: Mapped[date]
    event_id: Mapped[int | None]
    description: Mapped[str | None]
    payload_version: Mapped[int]

    items: Mapped[list[BaselineItem]] = relationship(
        back_populates="baseline", order_by="BaselineItem.id"
    )

    def audit_label(self) -> str:
        return f"baseline {self.name}"


class BaselineItem(Base):
    """One record as it stood when the baseline was taken."""

    __table__ = t.baseline_item

    id: Mapped[int]
    baseline_id: Mapped[int]
    record_table: Mapped[str]
    record_uuid: Mapped[str]
    record_ref: Mapped[str | None]
    payload: Mapped[dict[str, Any]]

    baseline: Mapped[Baseline] = relationship(back_populates="items")
