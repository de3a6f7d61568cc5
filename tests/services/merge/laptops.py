"""Laptops for the merge tests: real desk files copied from one, each with its own
user profile (``NSDESK_HOME``), so each has its own replica id and signing key, as
two officers' laptops would."""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterator
from itertools import count
from pathlib import Path
from typing import Any

from sqlalchemy import select

from nsdesk.services.audit import Actor
from nsdesk.services.desk import Desk, open_desk
from nsdesk.services.merge.laptop_key import laptop_key
from nsdesk.services.merge.merging import apply_merge, preview_merge
from nsdesk.services.merge.outcome import MergeReport
from nsdesk.services.merge.sending import SentChanges, export_changes
from nsdesk.services.merge.trust import trust_key
from nsdesk.services.records.record_service import RecordService
from nsdesk.store import tables as t

_files = count(1)


@contextlib.contextmanager
def profile(home: Path) -> Iterator[None]:
    """Run as the user whose profile is ``home``."""
    before = os.environ.get("NSDESK_HOME")
    os.environ["NSDESK_HOME"] = str(home)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("NSDESK_HOME", None)
        else:
            os.environ["NSDESK_HOME"] = before


class Laptop:
    """One officer's laptop: a copy of the desk and a profile of its own."""

    def __init__(self, name: str, folder: Path, template: Any, *, in_place: bool = False):
        self.name = name
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.home = folder / "home"
        # ``in_place``: the desk itself (a register on a server), not a copy of it.
        self.path: Any = (
            template if in_place else Path(shutil.copy(template, folder / f"{name}.nsdesk"))
        )
        self.actor = Actor(f"{name}@laptop")
        with profile(self.home):
            self.fingerprint = laptop_key().fingerprint

    @contextlib.contextmanager
    def desk(self) -> Iterator[Desk]:
        """The desk, opened as this laptop's user."""
        with profile(self.home), open_desk(self.path, backups_root=self.folder / "backups") as d:
            yield d

    def edit(self, kind: str, key: str, changes: dict[str, Any]) -> None:
        with self.desk() as desk:
            RecordService(desk, self.actor).update(kind, key, changes)

    def create(self, kind: str, values: dict[str, Any]) -> str:
        with self.desk() as desk:
            return RecordService(desk, self.actor).create(kind, values).uuid

    def trusts(self, *others: Laptop) -> None:
        with self.desk() as desk:
            for other in others:
                trust_key(desk, other.fingerprint, label=other.name)

    def send(self, **options: Any) -> Path:
        """A changes file of what the others have not seen (options as export_changes)."""
        path = self.folder / f"{self.name}-{next(_files)}.nsdesk-changes"
        with self.desk() as desk:
            self.sent: SentChanges = export_changes(desk, path, label=self.name, **options)
        return path

    def merge(self, path: Path, **options: Any) -> MergeReport:
        with self.desk() as desk:
            return apply_merge(desk, path, actor=self.actor, backup=False, **options)

    def preview(self, path: Path, **options: Any) -> MergeReport:
        with self.desk() as desk:
            return preview_merge(desk, path, actor=self.actor, **options)

    def value(self, table: str, key_column: str, key: str, column: str) -> Any:
        with self.desk() as desk, desk.connect() as connection:
            tb = t.metadata.tables[table]
            return connection.execute(select(tb.c[column]).where(tb.c[key_column] == key)).scalar()


def laptops(template: Path, folder: Path, *names: str) -> list[Laptop]:
    """Laptops with copies of ``template``, each trusting every other's key."""
    made = [Laptop(name, folder / name, template) for name in names]
    for laptop in made:
        laptop.trusts(*(other for other in made if other is not laptop))
    return made
