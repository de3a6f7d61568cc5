"""The audit log: who changed what, when, from which value to which, and how.

Entries are written in the same transaction as the change they describe (see
:mod:`nsdesk.services.unit_of_work`) and never modified afterwards.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Mapped

from nsdesk.domain.enums import AuditAction, Channel
from nsdesk.store import tables as t
from nsdesk.store.base import Base


class AuditEntry(Base):
    """One field of one record changed (or a record created, retired, deleted)."""

    __table__ = t.audit_entry

    id: Mapped[int]
    uuid: Mapped[str]
    at: Mapped[datetime]
    actor: Mapped[str]
    channel: Mapped[Channel]
    action: Mapped[AuditAction]
    record_table: Mapped[str]
    record_uuid: Mapped[str]
    record_label: Mapped[str | None]
    field: Mapped[str | None]
    old_value: Mapped[Any]
    new_value: Mapped[Any]
    operation_id: Mapped[str]
    note: Mapped[str | None]
    # Filled by nsdesk.store.change_log when the entry is inserted (never set here).
    revision: Mapped[int]
    parent_uuid: Mapped[str | None]
    replica_id: Mapped[str]
    hlc: Mapped[str]
