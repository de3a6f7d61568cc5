"""The app's one explicit context: settings, the open desk and the services that
work on it. Passed to the UI workflows instead of globals."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from nsdesk.ui.background import Background
from nsdesk.ui.settings import AppSettings

if TYPE_CHECKING:
    from nsdesk.services.desk import Desk
    from nsdesk.ui.backups.auto_backup import AutoBackup
    from nsdesk.ui.records.desk_data import DeskData

AfterPaint = Callable[[Callable[[], None]], None]


@dataclass
class AppContext:
    """The one explicit context passed around instead of globals."""

    settings: AppSettings
    desk: Desk | None = None
    read_only: bool = False
    #: What the views read and write the open desk through (None: no desk open).
    data: DeskData | None = None
    background: Background = field(default_factory=Background)
    #: Backs up the open desk on opening and periodically (None: no automatic backups).
    auto_backup: AutoBackup | None = None
    #: Runs a callback once the window has painted what it was just given (None: at once).
    after_paint: AfterPaint | None = None

    @property
    def read_only_reason(self) -> str | None:
        """Why the open desk is read-only, in the words the user reads (None if writable)."""
        desk = self.desk
        return desk.notes.read_only_reason if desk is not None and desk.read_only else None

    def close_desk(self) -> None:
        if self.auto_backup is not None:
            self.auto_backup.stop()
        if self.data is not None:
            self.data.actions.deleteLater()  # its undo steps name a desk now closed
            self.data = None
        if self.desk is not None:
            desk, self.desk = self.desk, None
            desk.close()
