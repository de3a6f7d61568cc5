"""Who changes the register, through which channel, and how an audit entry reads.

Audit entries are written in the same transaction as the change they describe,
by one of two paths:

* edits through the ORM are audited automatically by the session of
  :mod:`nsdesk.services.unit_of_work`, which refuses any change made without an
  audit context;
* bulk loads (a new desk's catalogue, a demo desk) insert rows with SQLAlchemy
  Core for speed and write their "create" entries through :func:`creation_rows`.

Either way the store's change log (:mod:`nsdesk.store.change_log`) stamps every
entry as it is inserted — the transaction's revision, the entry it replaced, the
replica and a clock stamp — so no writer fills (or can forget) those itself.

This module holds what both share and imports no mapped class.
"""

from __future__ import annotations

import getpass
import socket
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from typing import Any

from nsdesk.domain.dates import PartialDate
from nsdesk.domain.enums import AuditAction, Channel
from nsdesk.store.ids import new_uuid, new_uuids
from nsdesk.store.types import utcnow


def default_actor_name() -> str:
    """``user@host``: who is at the keyboard, and on which laptop."""
    try:
        user = getpass.getuser()
    except Exception:
        user = "unknown"
    return f"{user}@{socket.gethostname()}"


@dataclass(frozen=True, slots=True)
class Actor:
    """Who makes a change and through which channel."""

    name: str
    channel: Channel = Channel.TYPED

    @classmethod
    def local(cls, channel: Channel = Channel.TYPED) -> Actor:
        return cls(default_actor_name(), channel)


@dataclass(slots=True)
class AuditContext:
    """What every audit entry of one unit of work shares."""

    actor: Actor
    operation_id: str = field(default_factory=new_uuid)
    note: str | None = None


def to_json(value: Any) -> Any:
    """A value as stored in an audit entry (or a catalogue merge base)."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, PartialDate):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple | set | frozenset):
        return [to_json(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): to_json(v) for k, v in value.items()}
    return str(value)


def creation_rows(
    ctx: AuditContext, table: str, records: Iterable[tuple[str, str, Any]]
) -> list[dict[str, Any]]:
    """Audit rows for bulk-created records, given ``(uuid, label, new_value)`` each."""
    records = list(records)
    at = utcnow()
    return [
        {
            "uuid": entry_uuid,
            "at": at,
            "actor": ctx.actor.name,
            "channel": ctx.actor.channel,
            "action": AuditAction.CREATE,
            "record_table": table,
            "record_uuid": record_uuid,
            "record_label": label[:200],
            "field": None,
            "old_value": None,
            "new_value": value,
            "operation_id": ctx.operation_id,
            "note": ctx.note,
        }
        for (record_uuid, label, value), entry_uuid in zip(
            records, new_uuids(len(records)), strict=True
        )
    ]
