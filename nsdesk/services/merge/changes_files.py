"""Reading a changes file for a desk, and looking into one (``nsdesk changes show``).

:func:`open_changes` is what the merge calls: every check of
:mod:`nsdesk.exchange.changes.reader` against this desk — its UUID, the schemas this
nsdesk understands, the keys it trusts, the files it already received — before any
change is handed out; the desk is only read. :func:`record_receipt` is what the
merge writes, in the transaction that applies the file, so the same file is refused
next time. :func:`examine_changes` says what a file is and whether it would be
accepted, without raising for a refusal: counts and metadata, never a value.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from sqlalchemy import Connection, insert, select

from nsdesk.domain.changes_errors import ChangesFileRefusedError
from nsdesk.exchange.changes import (
    DEFAULT_LIMITS,
    ChangesLimits,
    Envelope,
    Expectations,
    KeyStatus,
    Summary,
    VerifiedChanges,
    check_expectations,
    open_changes_file,
    read_changes,
)
from nsdesk.services.desk import Desk
from nsdesk.services.merge.change_schema import change_schema
from nsdesk.services.merge.trust import DeskTrust
from nsdesk.store import tables as t
from nsdesk.store.schema_revisions import SCHEMA_REVISIONS
from nsdesk.store.types import utcnow


def _received(connection: Connection) -> Callable[[str], str | None]:
    table = t.changes_received

    def received(file_id: str) -> str | None:
        row = connection.execute(
            select(table.c.received_at, table.c.actor, table.c.file_name).where(
                table.c.file_id == file_id
            )
        ).first()
        if row is None:
            return None
        return f"on {row.received_at:%Y-%m-%d %H:%M} UTC by {row.actor}, as {row.file_name}"

    return received


def expectations(desk: Desk, connection: Connection) -> Expectations:
    """What ``desk`` expects of a changes file, its receipts read through ``connection``."""
    return Expectations(
        desk_uuid=desk.info().uuid,
        schema_revisions=SCHEMA_REVISIONS,
        schema=change_schema(),
        received=_received(connection),
    )


def open_changes(
    desk: Desk,
    path: Path,
    passphrase: str | None = None,
    *,
    limits: ChangesLimits = DEFAULT_LIMITS,
    hold_bytes: int = 0,
) -> VerifiedChanges:
    """The changes file at ``path``, verified for ``desk``: intact, signed by a key the
    desk trusts, meant for this desk, of a schema it understands, not received before,
    every change valid. Raises :class:`ChangesFileRefusedError` (an
    :class:`~nsdesk.domain.changes_errors.UnknownKeyError` carries the fingerprint to
    confirm) with a sentence naming the file. The caller closes what it returns.
    ``hold_bytes``: the changes are handed out as they were checked, not parsed again,
    while their lines come to no more than that (for a caller that keeps them all)."""
    with desk.connect() as connection:
        return read_changes(
            path,
            DeskTrust(connection),
            passphrase,
            expect=expectations(desk, connection),
            limits=limits,
            hold_bytes=hold_bytes,
        )


def record_receipt(
    connection: Connection, verified: VerifiedChanges, actor: str, at: datetime | None = None
) -> None:
    """Record in the desk, through the merge's ``connection`` (its transaction), that
    ``verified`` was received: the same file is then refused as a replay."""
    connection.execute(
        insert(t.changes_received).values(
            file_id=verified.header.file_id,
            file_name=verified.path.name[:260],
            digest=verified.digest,
            fingerprint=verified.fingerprint,
            sender_replica=verified.header.sender_replica,
            received_at=at or utcnow(),
            actor=actor[:120],
        )
    )


@dataclass(frozen=True, slots=True)
class ChangesReport:
    """What a changes file is, as far as could be told, and whether it is accepted.

    ``envelope`` is ``None`` when the file is not intact (then nothing it says is
    believed); ``summary`` is ``None`` when it is encrypted and no passphrase was given
    (or the contents were refused). ``trust`` is the desk's word on its key (``None``
    without a desk). ``refusal`` is the first reason it would be refused."""

    path: Path
    envelope: Envelope | None = None
    fingerprint: str | None = None
    digest: str | None = None
    summary: Summary | None = None
    trust: KeyStatus | None = None
    desk_checked: bool = False
    refusal: ChangesFileRefusedError | None = None

    @property
    def accepted(self) -> bool:
        """Whether nothing was found wrong (with a desk: the desk would accept it)."""
        return self.refusal is None


def examine_changes(
    path: Path,
    desk: Desk | None = None,
    passphrase: str | None = None,
    *,
    limits: ChangesLimits = DEFAULT_LIMITS,
) -> ChangesReport:
    """Look into the changes file at ``path``: its integrity, header and counts (the
    counts of an encrypted file need ``passphrase``), each change's validity, and, with
    ``desk``, whether that desk would accept it. Never raises for a refused file: the
    report says why."""
    try:
        file = open_changes_file(path, limits)
    except ChangesFileRefusedError as refusal:
        return ChangesReport(Path(path), refusal=refusal)
    with file:
        found = ChangesReport(
            Path(path),
            envelope=file.envelope,
            fingerprint=file.fingerprint,
            digest=file.digest.hex(),
            desk_checked=desk is not None,
        )
        summary = None
        try:
            if not file.encrypted or passphrase is not None:
                summary = file.unseal(change_schema(), passphrase).summary
            if desk is not None:
                with desk.connect() as connection:
                    trust = DeskTrust(connection)
                    found = replace(found, summary=summary, trust=trust.status(file.fingerprint))
                    check_expectations(file, expectations(desk, connection), trust)
        except ChangesFileRefusedError as refusal:
            return replace(found, summary=summary, refusal=refusal)
        return replace(found, summary=summary)
