"""The app's own settings (window layout, the last desk), with declared defaults.

Stored as an INI file in nsdesk's configuration folder (see
:mod:`nsdesk.locations`), the same on every platform, so a user or an IT
department can find and read it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from nsdesk import locations


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

    def window_geometry(self) -> QByteArray | None:
        value = self.value("window/geometry")
        return value if isinstance(value, QByteArray) else None

    def set_window_geometry(self, geometry: QByteArray) -> None:
        self.setValue("window/geometry", geometry)
