"""Merging a changes file into a desk: preview it, then apply it in one transaction.

:func:`preview_merge` reads the file through every check of the container
(:func:`~nsdesk.services.merge.changes_files.open_changes`), merges it in a
transaction that is rolled back, and says what it would do: the changes applied,
the ones it would merge silently, the conflicts, identity clashes and records to
review. :func:`apply_merge` takes a backup made for the purpose, then merges the
file in ONE transaction with the decisions taken on the preview (per conflict, or
by policy), recording the file as received (a second merge of the same file is
refused) with what its sender knew and what the merge replaced (to undo it). A
refusal, a cancel or ``--on-conflict fail`` with a conflict left changes nothing.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, insert, select, update

from nsdesk.domain.changes_errors import MergeConflictsError, MergeStaleError
from nsdesk.domain.enums import Channel
from nsdesk.exchange.changes import DEFAULT_LIMITS, ChangesLimits, VerifiedChanges
from nsdesk.services.audit import Actor
from nsdesk.services.backups.backups import BackupReason, take_backup
from nsdesk.services.desk import Desk
from nsdesk.services.merge.changes_files import open_changes
from nsdesk.services.merge.codec import codecs
from nsdesk.services.merge.engine import FileFacts, Merge, field_label
from nsdesk.services.merge.lineage import load_histories
from nsdesk.services.merge.outcome import (
    Decisions,
    ItemKind,
    MergeReport,
    OnConflict,
    OpenItem,
)
from nsdesk.services.progress import Progress
from nsdesk.store import tables as t
from nsdesk.store.change_log import RETIRED_LINE, desk_revision, take_revision
from nsdesk.store.types import utcnow

HOLD_BYTES = 16 << 20
"""Decompressed lines (about 20,000 changes) up to which a file's changes are handed to
the merge as the reading checked them, rather than parsed a second time: the merge
keeps every change it applies to the end anyway; one it already has is let go as it
is handed out. A larger file is read again, as it is consumed."""


class _DryRunError(Exception):
    """Carries a preview's report out of the transaction it rolls back."""

    def __init__(self, report: MergeReport):
        self.report = report


def preview_merge(
    desk: Desk,
    path: Path,
    passphrase: str | None = None,
    *,
    on_conflict: OnConflict = OnConflict.LATER,
    decisions: Decisions | None = None,
    actor: Actor | None = None,
    limits: ChangesLimits = DEFAULT_LIMITS,
    progress: Progress | None = None,
) -> MergeReport:
    """What merging the changes file at ``path`` would do to ``desk``; nothing is
    changed. Raises :class:`~nsdesk.domain.changes_errors.ChangesFileRefusedError`
    (and its kinds) naming the file, as :func:`apply_merge` would."""
    return _merge(
        desk,
        Path(path),
        passphrase,
        on_conflict=on_conflict,
        decisions=decisions,
        actor=actor,
        limits=limits,
        progress=progress,
        dry_run=True,
        backup=False,
        expect_mark=None,
    )


def apply_merge(
    desk: Desk,
    path: Path,
    passphrase: str | None = None,
    *,
    on_conflict: OnConflict = OnConflict.LATER,
    decisions: Decisions | None = None,
    actor: Actor | None = None,
    limits: ChangesLimits = DEFAULT_LIMITS,
    progress: Progress | None = None,
    backup: bool = True,
    preview: MergeReport | None = None,
) -> MergeReport:
    """Merge the changes file at ``path`` into ``desk`` in one transaction, after a
    backup (see module docstring). ``decisions`` settles conflicts by (record UUID,
    field); the others follow ``on_conflict``. With ``preview``, refuses
    (:class:`MergeStaleError`) when the desk changed since it was made. Raises
    :class:`MergeConflictsError` for ``OnConflict.FAIL`` with a conflict left, and
    :class:`~nsdesk.domain.errors.CancelledError` when ``progress`` is cancelled;
    either way nothing is changed."""
    return _merge(
        desk,
        Path(path),
        passphrase,
        on_conflict=on_conflict,
        decisions=decisions,
        actor=actor,
        limits=limits,
        progress=progress,
        dry_run=False,
        backup=backup,
        expect_mark=preview.desk_mark if preview is not None else None,
    )


def _merge(
    desk: Desk,
    path: Path,
    passphrase: str | None,
    *,
    on_conflict: OnConflict,
    decisions: Decisions | None,
    actor: Actor | None,
    limits: ChangesLimits,
    progress: Progress | None,
    dry_run: bool,
    backup: bool,
    expect_mark: int | None,
) -> MergeReport:
    progress = progress or Progress.none()
    actor = actor or Actor.local(Channel.MERGED)
    with (
        _collector_paused(),
        open_changes(desk, path, passphrase, limits=limits, hold_bytes=HOLD_BYTES) as verified,
    ):
        total = verified.header.total
        progress.check_cancelled()
        if backup:
            progress.report(0, total + 1, "Backing up the desk")
            take_backup(desk.path, BackupReason.BEFORE_MERGE, root=desk.backups_root)
        progress.check_cancelled()
        try:
            with desk.transaction(actor) as (connection, _ctx):
                report = _run(
                    connection,
                    verified,
                    actor=actor,
                    on_conflict=on_conflict,
                    decisions=decisions,
                    progress=progress,
                    expect_mark=expect_mark,
                    dry_run=dry_run,
                )
                if dry_run:
                    raise _DryRunError(report)
        except _DryRunError as done:
            return done.report
    return report


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector paused while a merge runs. A merge holds every change of
    its file, with the histories and entries of their records, to the end: tens of
    thousands of containers that the collector scanned again and again, finding
    nothing (a tenth of a merge of 10,000 changes); what a merge lets go, reference
    counting frees at once. Whatever cycles it left are collected when it ends."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _run(
    connection: Connection,
    verified: VerifiedChanges,
    *,
    actor: Actor,
    on_conflict: OnConflict,
    decisions: Decisions | None,
    progress: Progress,
    expect_mark: int | None,
    dry_run: bool,
) -> MergeReport:
    header = verified.header
    mark = desk_revision(connection)
    if expect_mark is not None and mark != expect_mark:
        raise MergeStaleError(
            f"{verified.path.name}: the desk changed since the merge was previewed; preview "
            "it again. Nothing was changed"
        )
    revision = take_revision(connection)
    received = t.changes_received
    received_id = connection.execute(
        insert(received).values(
            file_id=header.file_id,
            file_name=verified.path.name[:260],
            digest=verified.digest,
            fingerprint=verified.fingerprint,
            sender_replica=header.sender_replica,
            received_at=utcnow(),
            actor=actor.name[:120],
            knows=dict(header.knows),
            revision=revision,
        )
    ).inserted_primary_key[0]  # type: ignore[index]
    report = MergeReport(
        path=verified.path,
        file_id=header.file_id,
        sender_label=header.sender_label,
        sender_replica=header.sender_replica,
        fingerprint=verified.fingerprint,
        marking=header.marking,
        desk_mark=mark,
        dry_run=dry_run,
    )
    merge = Merge(
        connection,
        FileFacts(
            verified.path,
            header.file_id,
            header.sender_replica,
            header.sender_label,
            dict(header.knows),
        ),
        actor=actor,
        on_conflict=on_conflict,
        decisions=decisions,
        received_id=received_id,
        report=report,
    )
    total = header.total

    def step(done: int) -> None:
        progress.check_cancelled()
        progress.report(done, total + 1, "Merging the changes")

    merge.run(verified.changes(), step)
    left = merge.open_conflicts()
    report.conflicts = [_conflict_item(connection, merge, record, name) for record, name in left]
    report.clashes = _items(connection, received_id, ItemKind.IDENTITY)
    reviews = _items(connection, received_id, ItemKind.REVIEW)
    if reviews:
        report.reviews = reviews
    if on_conflict is OnConflict.FAIL and left:
        raise MergeConflictsError(verified.path, [item.describe() for item in report.conflicts])
    report.merge_id = received_id
    connection.execute(
        update(received)
        .where(received.c.id == received_id)
        .values(
            operation_id=merge.operation_id,
            counts={
                "total": report.total,
                "known": report.known,
                "applied": report.applied,
                "merged": len(report.merged),
                "conflicts": len(report.conflicts),
                "settled": len(report.settled),
                "clashes": len(report.clashes),
                "reviews": len(report.reviews),
            },
            journal=_journal(merge),
        )
    )
    progress.report(total + 1, total + 1, "Merged")
    return report


def _journal(merge: Merge) -> dict[str, Any]:
    """What undoing the merge needs: each value it replaced, the records it created."""
    return {
        "values": [
            [table, record, name, value] for (table, record, name), value in merge.journal.items()
        ],
        "created": [[table, record] for table, record in merge.created],
    }


def _conflict_item(connection: Connection, merge: Merge, record: str, name: str) -> OpenItem:
    row = merge.open_conflict(record, name)
    return conflict_item(connection, row, merge)


def conflict_item(connection: Connection, row: Any, merge: Merge | None = None) -> OpenItem:
    """An open conflict row as a person reads it: the desk's value, the competing ones
    and the value they all replaced, each with who set it, when and on which laptop."""
    table, record, name = row["record_table"], row["record_uuid"], row["field"]
    codec = codecs()[table]
    line = "retired" if name == RETIRED_LINE else f"field:{name}"
    if merge is None:
        merge = Merge(
            connection,
            FileFacts("", "", "", "", {}),
            actor=Actor("reader"),
            report=MergeReport(Path(""), "", "", "", "", ""),
        )
    history = merge.histories.get(record)
    if history is None:
        history = merge.histories[record] = load_histories(connection, [record])[record]
    heads = [h for h in (row["heads"] or []) if h in history.entries] or history.heads(line)
    kept = row["kept_uuid"] if row["kept_uuid"] in heads else heads[-1]
    base_uuid = history.common_ancestor(heads)
    mine = merge.side(kept, codec, line)
    theirs = tuple(merge.side(h, codec, line) for h in heads if h != kept)
    label = merge.values.get(kept).get("record_label") or record
    return OpenItem(
        id=row["id"],
        kind=ItemKind.CONFLICT,
        record_table=table,
        record_uuid=record,
        record_label=str(label),
        field=name,
        field_label=field_label(table, name),
        base=merge.base_side(history, base_uuid, codec, line) if base_uuid else None,
        mine=mine,
        theirs=theirs,
        detected_at=row["detected_at"],
        resolved_at=row["resolved_at"],
        resolution=row["resolution"],
    )


def _items(connection: Connection, received_id: int, kind: ItemKind) -> list[OpenItem]:
    c = t.changes_conflict
    rows = connection.execute(
        select(c).where(c.c.received_id == received_id, c.c.kind == kind.value).order_by(c.c.id)
    ).mappings()
    return [plain_item(connection, row) for row in rows]


def plain_item(connection: Connection, row: Any) -> OpenItem:
    """An identity clash or a review item as a person reads it."""
    table = row["record_table"]
    codec_table = t.metadata.tables[table]
    label = _label_of(connection, codec_table, row["record_uuid"])
    other_label = (
        _label_of(connection, codec_table, row["other_uuid"]) if row["other_uuid"] else None
    )
    heads = row["heads"] if isinstance(row["heads"], dict) else {}
    return OpenItem(
        id=row["id"],
        kind=ItemKind(row["kind"]),
        record_table=table,
        record_uuid=row["record_uuid"],
        record_label=label,
        field=row["field"],
        field_label=field_label(table, row["field"]),
        key=heads.get("key"),
        other_uuid=row["other_uuid"],
        other_label=other_label,
        provisional=row["provisional"],
        note=row["note"] or "",
        detected_at=row["detected_at"],
        resolved_at=row["resolved_at"],
        resolution=row["resolution"],
    )


def _label_of(connection: Connection, table: Any, uuid: str) -> str:
    a = t.audit_entry
    label = connection.execute(
        select(a.c.record_label)
        .where(a.c.record_uuid == uuid, a.c.record_label.is_not(None))
        .order_by(a.c.revision.desc(), a.c.id.desc())
        .limit(1)
    ).scalar()
    for column in ("ref", "code", "name", "title"):
        if column in table.c:
            current = connection.execute(
                select(table.c[column]).where(table.c.uuid == uuid)
            ).scalar()
            if current is not None:
                return f"{current}" if label is None else f"{current} ({label})"
    return str(label or uuid)
