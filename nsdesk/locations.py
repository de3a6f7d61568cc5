"""Where nsdesk keeps things: the user's folders (platformdirs) and the resources
it carries (catalogue, fonts, icons).

Set ``NSDESK_HOME`` to keep every user folder under one directory instead (the
developer mode, and what the tests use so they never touch a real profile).
Imports nothing from nsdesk, so every layer may use it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from platformdirs import PlatformDirs

APP_NAME = "nsdesk"
HOME_ENV = "NSDESK_HOME"


def _override() -> Path | None:
    value = os.environ.get(HOME_ENV)
    return Path(value).expanduser() if value else None


def _platform_dirs() -> PlatformDirs:
    # lazy: with NSDESK_HOME set (tests, developer mode) platformdirs is never needed
    from platformdirs import PlatformDirs

    return PlatformDirs(APP_NAME, appauthor=False)


def data_dir() -> Path:
    """Application data (backups live below it)."""
    root = _override()
    return root / "data" if root else Path(_platform_dirs().user_data_dir)


def backups_dir() -> Path:
    """Automatic backups, one folder per desk. Deliberately not beside the desk:
    a desk in a synced folder must not fill it with copies."""
    return data_dir() / "backups"


def replicas_dir() -> Path:
    """This laptop's identity as a replica of each desk it edits, one file per desk
    (kept in the profile, not in the desk: a copied desk must not share it)."""
    return data_dir() / "replicas"


def config_dir() -> Path:
    """Settings (window layout, recent desks)."""
    root = _override()
    return root / "config" if root else Path(_platform_dirs().user_config_dir)


def log_dir() -> Path:
    root = _override()
    return root / "logs" if root else Path(_platform_dirs().user_log_dir)


def desks_dir() -> Path:
    """Where new desks are proposed by default: the user's documents."""
    root = _override()
    return root / "desks" if root else Path(_platform_dirs().user_documents_dir) / "nsdesk"


def resources_dir() -> Path:
    """The catalogue, fonts and icons: inside the package when installed from a
    wheel or bundle, the repository's ``resources/`` folder when run from source."""
    package = Path(__file__).resolve().parent
    for candidate in (package / "_resources", package.parent / "resources"):
        if (candidate / "catalogue").is_dir():
            return candidate
    raise FileNotFoundError(
        "nsdesk's resources are missing (catalogue, fonts); the installation is incomplete"
    )


def exports_dir() -> Path:
    """The look of what nsdesk produces (the briefing-pack style): inside the
    package when installed, the repository's ``exports/`` folder from source."""
    package = Path(__file__).resolve().parent
    for candidate in (package / "_exports", package.parent / "exports"):
        if (candidate / "briefing").is_dir():
            return candidate
    raise FileNotFoundError(
        "nsdesk's export styles are missing (exports/briefing); the installation is incomplete"
    )


def catalogue_path() -> Path:
    return resources_dir() / "catalogue" / "catalogue.json"
