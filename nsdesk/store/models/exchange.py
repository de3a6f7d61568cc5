"""The workbook exchange's records: the import history and remembered column mappings."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Mapped

from nsdesk.store import tables as t
from nsdesk.store.base import Base, Record


class ImportBatch(Base, Record):
    """One imported workbook, undoable as a whole."""

    __table__ = t.import_batch

    file_name: Mapped[str]
    file_sha256: Mapped[str]
    workbook_kind: Mapped[str]
    agency_id: Mapped[int | None]
    export_id: Mapped[str | None]
    imported_at: Mapped[datetime]
    actor: Mapped[str]
    operation_id: Mapped[str]
    counts: Mapped[dict[str, Any] | None]
    undone_at: Mapped[datetime | None]
    undo_operation_id: Mapped[str | None]
    notes: Mapped[str | None]

    def audit_label(self) -> str:
        return f"import of {self.file_name}"


class ColumnMapping(Base, Record):
    """How a foreign table's columns map to fields, remembered per source."""

    __table__ = t.column_mapping

    source_key: Mapped[str]
    mapping: Mapped[dict[str, Any]]

    def audit_label(self) -> str:
        return f"column mapping {self.source_key}"
