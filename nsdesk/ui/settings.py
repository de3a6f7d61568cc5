"""The app's own settings (the last desks, the window's layout, the choices last
made per desk), every key with its default declared here and nowhere else.

Stored as an INI file in nsdesk's configuration folder (see
:mod:`nsdesk.locations`), the same on every platform, so a user or an IT
department can find and read it. The rest of the app reads and writes it only
through the typed methods below.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

from PySide6.QtCore import QByteArray, QSettings

from nsdesk import locations
from nsdesk.domain.errors import ValidationError
from nsdesk.domain.location import DeskLocation, looks_like_address, parse_address
from nsdesk.domain.private_files import make_private_folders

RECENT_DESKS = 8
"""How many recent desks File ▸ Open Recent and the welcome screen list."""

# Every key, with its default (a key whose default is None holds nothing until set).
LAST_DESK = "desks/last"  # the desk opened at the next start; default: none
RECENT = "desks/recent"  # the recent desks, most recent first; default: none
WINDOW_GEOMETRY = "window/geometry"  # QMainWindow.saveGeometry(); default: Qt's
WINDOW_STATE = "window/state"  # QMainWindow.saveState() (tool bars); default: Qt's
WORKSPACE_PAGE = "workspace/page"  # the page shown when a desk opens
DEFAULT_PAGE = "dashboard"
REGISTER_LAYOUT = "registers/{register}/{part}"  # a register's columns and panes
REGISTER_LAYOUT_PARTS = ("header", "splitter")  # default: the register's own
CHOICES = "{scope}/{desk}"  # the choices last made in a dialog, per desk (JSON)
"""What was last chosen in a dialog that writes a file, per desk (by its UUID):
the export's kind, ministry, ceiling and folders, the briefing pack's event,
sections, paper… Default: nothing remembered (the dialog's own defaults)."""

ChoiceScope = Literal["briefing", "exchange", "merge"]
"""The dialogs whose choices are remembered per desk."""


class AppSettings(QSettings):
    """Typed access to the few settings nsdesk keeps."""

    def __init__(self, path: Path | None = None):
        target = path or locations.config_dir() / "nsdesk.ini"
        make_private_folders(target.parent)  # the recent desks' paths: owner-only
        super().__init__(str(target), QSettings.Format.IniFormat)

    # -- the desks --------------------------------------------------------------------
    @property
    def last_desk(self) -> Path | None:
        """The desk opened at the next start (None: the welcome screen)."""
        value = self._text(LAST_DESK)
        return Path(value) if value else None

    @last_desk.setter
    def last_desk(self, path: Path) -> None:
        self.setValue(LAST_DESK, str(path))

    def recent_desks(self) -> list[DeskLocation]:
        """The desks opened lately, most recent first, at most :data:`RECENT_DESKS`:
        desk files, and shared registers (kept as their ``postgresql://`` address,
        which never holds a password). A desk whose file is missing now is kept (its
        drive may only be unplugged); the menus show it greyed."""
        value = self.value(RECENT, [])
        # QSettings gives back a one-item list as a plain string, and none as None.
        texts = [value] if isinstance(value, str) else value if isinstance(value, list) else []
        found: list[DeskLocation] = []
        for text in texts:
            if isinstance(text, str) and text and (location := _location(text)) is not None:
                found.append(location)
        return found[:RECENT_DESKS]

    def remember_desk(self, location: DeskLocation) -> None:
        """Put the desk just opened first among the recent desks (once); a desk file
        is also made the desk opened at the next start (a shared register is not: it
        may ask for a password)."""
        if isinstance(location, Path):
            location = location.resolve()
        others = [p for p in self.recent_desks() if p != location]
        self.setValue(RECENT, [str(p) for p in [location, *others][:RECENT_DESKS]])
        if isinstance(location, Path):
            self.last_desk = location

    def forget_desk(self, location: DeskLocation) -> None:
        """Take ``location`` off the recent desks (the user removed it from the list)."""
        kept = [p for p in self.recent_desks() if p != location]
        self.setValue(RECENT, [str(p) for p in kept])

    # -- the window ---------------------------------------------------------------------
    def window_geometry(self) -> QByteArray | None:
        """The main window's size and place when it was last closed (None: never)."""
        return self._bytes(WINDOW_GEOMETRY)

    def set_window_geometry(self, geometry: QByteArray) -> None:
        """Keep the main window's size and place for the next start."""
        self.setValue(WINDOW_GEOMETRY, geometry)

    def window_state(self) -> QByteArray | None:
        """The main window's tool bars and docks when it was last closed (None: never)."""
        return self._bytes(WINDOW_STATE)

    def set_window_state(self, state: QByteArray) -> None:
        """Keep the main window's tool bars and docks for the next start."""
        self.setValue(WINDOW_STATE, state)

    def workspace_page(self) -> str:
        """The page a desk opens on: the one shown when the app was last closed."""
        return self._text(WORKSPACE_PAGE) or DEFAULT_PAGE

    def set_workspace_page(self, page: str) -> None:
        """Keep the page shown, to open the next desk on."""
        self.setValue(WORKSPACE_PAGE, page)

    def register_layout(self, register: str) -> dict[str, QByteArray]:
        """A register's saved columns and pane sizes (only the parts ever saved)."""
        found = {
            part: self._bytes(REGISTER_LAYOUT.format(register=register, part=part))
            for part in REGISTER_LAYOUT_PARTS
        }
        return {part: value for part, value in found.items() if value is not None}

    def set_register_layout(self, register: str, layout: dict[str, QByteArray]) -> None:
        """Keep a register's columns and pane sizes (``header``, ``splitter``)."""
        for part, state in layout.items():
            self.setValue(REGISTER_LAYOUT.format(register=register, part=part), state)

    # -- choices remembered per desk -------------------------------------------------------
    def remembered_choices(self, scope: ChoiceScope, desk_uuid: str) -> dict[str, Any]:
        """What was last chosen in ``scope``'s dialogs on the desk ``desk_uuid`` (plain
        values; empty if nothing was, or the file was edited into something else)."""
        text = self._text(CHOICES.format(scope=scope, desk=desk_uuid))
        try:
            value = json.loads(text) if text else {}
        except ValueError:  # a hand-edited settings file: start from the defaults
            return {}
        return value if isinstance(value, dict) else {}

    def remember_choices(self, scope: ChoiceScope, desk_uuid: str, **changes: Any) -> None:
        """Keep ``changes`` (plain values) over what ``scope`` remembered for the desk."""
        value = self.remembered_choices(scope, desk_uuid)
        value.update(changes)
        self.setValue(CHOICES.format(scope=scope, desk=desk_uuid), json.dumps(value))

    def _text(self, key: str) -> str:
        """The text kept under ``key`` ('' when none, or when the file was edited into
        something that is not text, such as a list)."""
        value = self.value(key, "", str)
        return value if isinstance(value, str) else ""

    def _bytes(self, key: str) -> QByteArray | None:
        value = self.value(key)
        return value if isinstance(value, QByteArray) else None


def _location(text: str) -> DeskLocation | None:
    """A recent desk as stored: an address, or a file's path (None: unreadable)."""
    if not looks_like_address(text):
        return Path(text)
    try:
        return parse_address(text)
    except ValidationError:
        return None
