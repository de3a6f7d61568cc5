"""The changes of a file this desk does not hold yet, one by one, as the merge's
preview lists them: which record, which field, the value it brings, who set it and
when. (The merge's own report counts them by kind; a person checking a file before
merging it reads them.) The file is read through every check of
:func:`~nsdesk.services.merge.changes_files.open_changes`; the desk is only read."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from nsdesk.services.desk import Desk
from nsdesk.services.merge.changes_files import open_changes
from nsdesk.services.merge.merge_state import field_label
from nsdesk.services.merge.outcome import show_value
from nsdesk.store import tables as t

SHOWN = 500
"""How many changes a preview lists one by one; the rest are counted."""
_BATCH = 500
_ACTIONS = {
    "create": "Created",
    "update": "Changed",
    "retire": "Retired",
    "restore": "Restored",
    "delete": "Deleted",
}


@dataclass(frozen=True, slots=True)
class IncomingChange:
    """One change of the file that this desk does not hold."""

    record_table: str
    record_label: str
    action: str  # "Created", "Changed", "Retired", "Restored", "Deleted"
    field_label: str
    value: str
    actor: str
    at: datetime | None


@dataclass(frozen=True, slots=True)
class IncomingChanges:
    """The first :data:`SHOWN` new changes of a file, and how many it holds in all."""

    shown: list[IncomingChange] = field(default_factory=list)
    total: int = 0


def incoming_changes(
    desk: Desk, path: Path, passphrase: str | None = None, *, shown: int = SHOWN
) -> IncomingChanges:
    """The changes of the file at ``path`` that ``desk`` does not hold (see module
    docstring). Raises what :func:`open_changes` raises for a refused file."""
    found: list[IncomingChange] = []
    total = 0
    with open_changes(desk, path, passphrase) as verified, desk.connect() as connection:
        batch: list[dict[str, Any]] = []

        def flush() -> None:
            nonlocal total
            a = t.audit_entry
            uuids = [c["uuid"] for c in batch]
            known = set(connection.execute(select(a.c.uuid).where(a.c.uuid.in_(uuids))).scalars())
            for change in batch:
                if change["uuid"] in known:
                    continue
                total += 1
                if len(found) < shown:
                    found.append(_incoming(change))
            batch.clear()

        for change in verified.changes():
            batch.append(change)
            if len(batch) >= _BATCH:
                flush()
        flush()
    return IncomingChanges(found, total)


def _incoming(change: dict[str, Any]) -> IncomingChange:
    table, action = change["record_table"], str(change["action"])
    name = change.get("field")
    value = change.get("new_value")
    if action == "create" and isinstance(value, dict):
        value = None  # a new record: its fields are listed by the record itself
    at = change.get("at")
    return IncomingChange(
        record_table=table,
        record_label=str(change.get("record_label") or change.get("record_uuid") or ""),
        action=_ACTIONS.get(action, action.capitalize()),
        field_label=field_label(table, name) if name else "",
        value=show_value(value) if action == "update" else "",
        actor=str(change.get("actor") or ""),
        at=datetime.fromisoformat(at) if isinstance(at, str) and at else None,
    )
