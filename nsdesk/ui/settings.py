"""The app's own settings (window layout, the last desk), with declared defaults.

Stored as an INI file in nsdesk's configuration folder (see
:mod:`nsdesk.locations`), the same on every platform, so a user or an IT
department can find and read it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from nsdesk import locations

RECENT_DESKS = 8
"""How many recent desks File ▸ Open Recent and the welcome screen list."""


class AppSettings(QSettings):
    """Typed access to the few settings nsdesk keeps."""

    def __init__(self, path: Path | None = None):
        target = path or locations.config_dir() / "nsdesk.ini"
        target.parent.mkdir(parents=True, exist_ok=True)
        super().__init__(str(target), QSettings.Format.IniFormat)

    @property
    def last_desk(self) -> Path | None:
        value = self.value("desks/last", "", str)
        return Path(value) if value else None

    @last_desk.setter
    def last_desk(self, path: Path) -> None:
        self.setValue("desks/last", str(path))

    def recent_desks(self) -> list[Path]:
        """The desks opened lately, most recent first, at most :data:`RECENT_DESKS`.
        A desk whose file is missing now is kept (its drive may only be unplugged);
        the menus show it greyed."""
        value = self.value("desks/recent", [])
        # QSettings gives back a one-item list as a plain string, and none as None.
        texts = [value] if isinstance(value, str) else list(value or [])
        return [Path(text) for text in texts if text][:RECENT_DESKS]

    def remember_desk(self, path: Path) -> None:
        """Put the desk just opened first among the recent desks (once), and make it
        the desk opened at the next start."""
        path = path.resolve()
        others = [p for p in self.recent_desks() if p != path]
        self.setValue("desks/recent", [str(p) for p in [path, *others][:RECENT_DESKS]])
        self.last_desk = path

    def forget_desk(self, path: Path) -> None:
        """Take ``path`` off the recent desks (the user removed it from the list)."""
        kept = [p for p in self.recent_desks() if p != path]
        self.setValue("desks/recent", [str(p) for p in kept])

    def window_geometry(self) -> QByteArray | None:
        value = self.value("window/geometry")
        return value if isinstance(value, QByteArray) else None

    def set_window_geometry(self, geometry: QByteArray) -> None:
        self.setValue("window/geometry", geometry)
