"""Creating a desk: schema, marking scheme, catalogue, settings and (for a demo)
its content, all in one transaction.

A new desk file is built completely under a temporary name in the target folder
and only then linked into place under its real name, so a crash never leaves a
half-made desk where the user expects one. A new server desk is made in an
existing, empty database (IT creates it) in one transaction — schema, grants and
content — so a failure leaves the database empty. Opening a desk needs none of
this (nor the catalogue): see :mod:`nsdesk.services.desk`.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, select

from nsdesk.domain.dates import PartialDate
from nsdesk.domain.enums import Channel
from nsdesk.domain.errors import DeskError, DeskExistsError, ValidationError
from nsdesk.domain.location import ServerAddress, SomeLocation
from nsdesk.domain.marking import DEFAULT_MARKING_SCHEME, DEFAULT_SENSITIVITY, MarkingScheme
from nsdesk.services.audit import Actor, AuditContext, creation_rows
from nsdesk.services.desk import DeskInfo, read_desk_info
from nsdesk.services.progress import Progress
from nsdesk.services.setup.catalogue import Catalogue, iso_state_records
from nsdesk.services.setup.catalogue_merge import CatalogueReport
from nsdesk.services.setup.catalogue_update import CatalogueMerger
from nsdesk.store import tables as t
from nsdesk.store.desk_file import (
    create_desk_engine,
    fsync_directory,
    initialise_new_file,
    journal_files,
    wal_file,
)
from nsdesk.store.ids import new_uuid
from nsdesk.store.migrate import upgrade
from nsdesk.store.replicas import forget_replica

Populate = Callable[[Connection, AuditContext, DeskInfo, Progress], None]
"""Fills a brand-new desk (e.g. with demo content) inside its creating transaction,
reporting its own steps (any total) and checking for cancel between them."""


def _require_checkpointed(path: Path) -> None:
    """The last connection to close folds the WAL into the file and deletes it; a
    WAL still there would hold work the file lacks, so the file is not placed."""
    wal = wal_file(path)
    if wal.exists() and wal.stat().st_size > 0:
        raise DeskError(path, "the new desk could not be completed (its journal is still open)")


def _place(temporary: Path, final: Path) -> None:
    """Give the finished desk its name without ever replacing an existing file."""
    try:
        os.link(temporary, final)  # fails if ``final`` appeared meanwhile
    except FileExistsError:
        raise DeskExistsError(final, "a file of that name appeared meanwhile") from None
    except OSError:
        # File systems without hard links (FAT, some network shares).
        if final.exists():
            raise DeskExistsError(final, "a file of that name already exists") from None
        os.replace(temporary, final)
    else:
        temporary.unlink()
    fsync_directory(final.parent)


def create_desk(
    path: SomeLocation,
    *,
    state: str,
    delegation: str | None = None,
    actor: Actor | None = None,
    catalogue: Catalogue | None = None,
    scheme: MarkingScheme = DEFAULT_MARKING_SCHEME,
    is_demo: bool = False,
    populate: Populate | None = None,
    progress: Progress | None = None,
) -> tuple[SomeLocation, CatalogueReport]:
    """Create a desk for ``state`` (ISO 3166 alpha-3) at ``path`` — a new file, or an
    existing empty database on a server — and return where it is.

    Refuses an existing file or a database already holding a desk
    (:class:`DeskExistsError`), a database holding other tables
    (:class:`~nsdesk.domain.errors.NotADeskError`) and an unknown state
    (:class:`ValidationError`). Reports its steps to ``progress`` and stops at the
    next one when it is cancelled (:class:`~nsdesk.domain.errors.CancelledError`).
    On any failure or cancel no file is left behind and the database stays empty.
    """
    progress = progress or Progress.none()
    actor = actor or Actor.local()
    catalogue = catalogue or Catalogue.shipped()
    # The desk's UUID is chosen now: its first audit entries (the catalogue's) are
    # stamped by this laptop's replica of it before its settings row exists.
    settings_uuid = new_uuid()
    fill = _Filling(
        settings_uuid, state, delegation, actor, catalogue, scheme, is_demo, populate, progress
    )
    if isinstance(path, ServerAddress):
        try:
            return path, _create_on_server(path, fill)
        except BaseException:
            forget_replica(settings_uuid)  # no desk: no replica of it in the profile either
            raise
    if path.exists():
        raise DeskExistsError(path, "a file of that name already exists; nothing was changed")
    if not path.parent.is_dir():
        raise DeskError(path, f"the folder {path.parent} does not exist")
    temporary = path.with_name(f".{path.name}.creating-{os.getpid()}")
    for leftover in (temporary, *journal_files(temporary)):
        leftover.unlink(missing_ok=True)
    placed = False
    try:
        progress.report(0, 100, "Creating the desk file")
        initialise_new_file(temporary)
        upgrade(temporary)
        progress.check_cancelled()
        engine = create_desk_engine(temporary, desk_uuid=settings_uuid)
        try:
            with engine.begin() as connection:
                report = fill(connection)
        finally:
            engine.dispose()
        _require_checkpointed(temporary)
        progress.check_cancelled()  # the last moment at which nothing is placed
        _place(temporary, path)
        placed = True
    finally:
        for leftover in (temporary, *journal_files(temporary)):
            leftover.unlink(missing_ok=True)
        if not placed:  # no desk: no replica of it in the profile either
            forget_replica(settings_uuid)
    progress.report(100, 100, "Done")
    return path, report


@dataclass(frozen=True, slots=True)
class _Filling:
    """What goes into a new desk once its schema is there, the same on a file and on
    a server: marking scheme, catalogue, settings, and a demo's content."""

    settings_uuid: str
    state: str
    delegation: str | None
    actor: Actor
    catalogue: Catalogue
    scheme: MarkingScheme
    is_demo: bool
    populate: Populate | None
    progress: Progress

    def __call__(self, connection: Connection) -> CatalogueReport:
        """Fill the new desk inside ``connection``'s transaction (one audited operation)."""
        progress = self.progress
        # Out of 100: the schema is most of a plain desk's time, the content most of a demo's.
        schema_done, catalogue_done = (15, 30) if self.populate is not None else (50, 90)
        progress.report(schema_done, 100, "Adding the catalogue")
        ctx = AuditContext(self.actor, note="new desk")  # one operation: desk and content
        report = _fill_new_desk(
            connection,
            ctx,
            settings_uuid=self.settings_uuid,
            state=self.state,
            delegation=self.delegation,
            catalogue=self.catalogue,
            scheme=self.scheme,
            is_demo=self.is_demo,
        )
        progress.check_cancelled()
        if self.populate is not None:
            progress.report(catalogue_done, 100, "Adding the content")
            info = read_desk_info(connection)
            self.populate(connection, ctx, info, progress.part(catalogue_done, 95, 100))
            progress.check_cancelled()  # raised inside: the transaction rolls back
        progress.report(95, 100, "Saving the desk")
        return report


def _create_on_server(address: ServerAddress, fill: _Filling) -> CatalogueReport:
    """Make the desk in the empty database at ``address``, all in one transaction."""
    # lazy: the server's side (and psycopg) load only for a server desk
    from nsdesk.store.server import creating_desk

    fill.progress.report(0, 100, "Creating the desk on the server")
    with creating_desk(address, desk_uuid=fill.settings_uuid) as connection:
        fill.progress.check_cancelled()
        report = fill(connection)
        fill.progress.check_cancelled()  # the last moment at which nothing is committed
    fill.progress.report(100, 100, "Done")
    return report


def state_choices() -> list[tuple[str, str]]:
    """Every state a desk can be created for: ``(ISO 3166 alpha-3, name)`` with the
    name the desk will show, ordered by name."""
    records = iso_state_records(PartialDate.of("2000"))  # the date is not shown here
    return sorted(((r["code"], r["name"]) for r in records), key=lambda pair: pair[1].casefold())


def _fill_new_desk(
    connection: Connection,
    ctx: AuditContext,
    *,
    settings_uuid: str,
    state: str,
    delegation: str | None,
    catalogue: Catalogue,
    scheme: MarkingScheme,
    is_demo: bool,
) -> CatalogueReport:
    actor = ctx.actor
    connection.execute(
        t.marking_level.insert(),
        [
            {
                "code": level.code,
                "uuid": new_uuid(),
                "rank": rank,
                "label": level.label,
                "description": level.description,
            }
            for rank, level in enumerate(scheme.levels)
        ],
    )
    catalogue_ctx = AuditContext(
        Actor(actor.name, Channel.CATALOGUE), ctx.operation_id, f"catalogue {catalogue.version}"
    )
    report = CatalogueMerger(connection, catalogue_ctx, scheme.lowest).apply(catalogue)
    code = state.strip().upper()
    parties = t.party
    state_id = connection.execute(
        select(parties.c.id).where(parties.c.code == code, parties.c.kind == "state")
    ).scalar_one_or_none()
    if state_id is None:
        raise ValidationError("state", "an ISO 3166 alpha-3 code such as NLD", state)
    default = DEFAULT_SENSITIVITY if DEFAULT_SENSITIVITY in scheme.codes else scheme.lowest
    connection.execute(
        t.desk_settings.insert(),
        {
            "id": 1,
            "uuid": settings_uuid,
            "own_state_id": state_id,
            "delegation": delegation,
            "default_sensitivity": default,
            "is_demo": is_demo,
            "catalogue_version": catalogue.version,
            "catalogue_as_of": catalogue.as_of,
        },
    )
    connection.execute(
        t.audit_entry.insert(),
        creation_rows(
            ctx,
            "desk_settings",
            [
                (
                    settings_uuid,
                    "Desk settings",
                    {
                        "own_state": code,
                        "delegation": delegation,
                        "is_demo": is_demo,
                        "catalogue_version": catalogue.version,
                    },
                ),
            ],
        ),
    )
    return report
