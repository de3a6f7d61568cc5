"""What this copy of nsdesk is: its version, the catalogue and desk schema it
carries, the libraries it runs on, and the folders it keeps things in.

``nsdesk --version`` prints it and Help ▸ About shows it, so that whoever helps a
delegation ("which version are you on?") reads the same facts in both places.
Library versions come from the installed distributions' metadata, so asking for
them imports neither reportlab nor openpyxl; the bundle carries that metadata.
"""

from __future__ import annotations

import platform
import sqlite3
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from nsdesk import __version__, locations
from nsdesk.domain.errors import CatalogueError
from nsdesk.services.setup.catalogue import Catalogue
from nsdesk.store.schema_revisions import SCHEMA_HEAD

#: (what the user reads, the distribution whose version it is)
LIBRARIES = (
    ("Qt (PySide6)", "PySide6-Essentials"),
    ("SQLAlchemy", "SQLAlchemy"),
    ("reportlab", "reportlab"),
    ("openpyxl", "openpyxl"),
)


@dataclass(frozen=True, slots=True)
class Component:
    name: str
    version: str


@dataclass(frozen=True, slots=True)
class AppIdentity:
    version: str
    catalogue_version: str
    catalogue_as_of: str
    schema_revision: str
    components: tuple[Component, ...]

    def facts(self) -> list[tuple[str, str]]:
        """(label, value) for everything below the version, in the order shown."""
        return [
            ("Catalogue", f"{self.catalogue_version} (as of {self.catalogue_as_of})"),
            ("Desk schema", self.schema_revision),
            *((c.name, c.version) for c in self.components),
        ]

    def lines(self, extra: list[tuple[str, str]] | None = None) -> list[str]:
        """The identity as the lines ``nsdesk --version`` prints and About copies."""
        facts = self.facts() + (extra or [])
        width = max(len(label) for label, _ in facts)
        return [f"nsdesk {self.version}", *(f"  {label:<{width}}  {v}" for label, v in facts)]


@dataclass(frozen=True, slots=True)
class AppFolders:
    """Where the user's things live, as About shows them."""

    desks: Path
    backups: Path
    logs: Path


def _distribution_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def app_identity(qt_version: str | None = None) -> AppIdentity:
    """This copy's identity. ``qt_version`` is the Qt actually loaded, when the
    caller has Qt (the app); otherwise the binding's release is reported, which the
    PySide6 wheels tie to the Qt they carry."""
    try:
        catalogue = Catalogue.shipped()
        catalogue_version, as_of = catalogue.version, str(catalogue.as_of)
    except (CatalogueError, FileNotFoundError):
        catalogue_version, as_of = "missing", "-"
    components = [Component("Python", platform.python_version())]
    for label, distribution in LIBRARIES:
        version = _distribution_version(distribution)
        if distribution == "PySide6-Essentials" and qt_version and qt_version != version:
            version = f"{qt_version} (PySide6 {version})"
        components.append(Component(label, version))
    components.insert(1, Component("SQLite", sqlite3.sqlite_version))
    components.append(Component("Platform", platform.platform(terse=True)))
    return AppIdentity(
        version=__version__,
        catalogue_version=catalogue_version,
        catalogue_as_of=as_of,
        schema_revision=SCHEMA_HEAD,
        components=tuple(components),
    )


def app_folders(desk_path: Path | None, backups_folder: Path | None) -> AppFolders:
    """The folders About lists: the open desk's folder (else where new desks go),
    its backups (else the backups of all desks) and the log."""
    return AppFolders(
        desks=desk_path.parent if desk_path is not None else locations.desks_dir(),
        backups=backups_folder or locations.backups_dir(),
        logs=locations.log_dir(),
    )
