"""The trust a copy of a desk gives to other laptops' keys (changes files, issue 18)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Mapped

from nsdesk.store import tables as t
from nsdesk.store.base import Base, Record


class ChangesTrust(Base, Record):
    """A laptop key this copy trusts, or has revoked (edited through the audited unit
    of work, so the history says who trusted or revoked which laptop, and when)."""

    __table__ = t.changes_trust

    fingerprint: Mapped[str]
    label: Mapped[str | None]
    trusted_at: Mapped[datetime | None]
    trusted_by: Mapped[str | None]
    revoked_at: Mapped[datetime | None]
    revoked_by: Mapped[str | None]

    def audit_label(self) -> str:
        who = f" ({self.label})" if self.label else ""
        return f"laptop key {self.fingerprint}{who}"


class RecordAlias(Base, Record):
    """Another key a record is known by: the number it had before an identity clash
    between two laptops' records was settled by renumbering it (schema 0007)."""

    __table__ = t.record_alias

    record_table: Mapped[str]
    record_uuid: Mapped[str]
    alias: Mapped[str]
    note: Mapped[str | None]

    def audit_label(self) -> str:
        return f"alias {self.alias}"
