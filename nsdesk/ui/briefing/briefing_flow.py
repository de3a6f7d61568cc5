"""File ▸ Briefing pack… (Ctrl+P): the dialog over the open desk, then the pack made
in the background with a progress dialog that can cancel.

Once made, the status bar says how many pages and how the pack is marked; what
could not be printed as written is listed in a message; and the pack is opened in
the system's PDF viewer if the user asked. A refused pack is said in a message;
a cancelled one leaves no file. The last choices are kept per desk in the app's
settings, so the next pack starts from them.

Only Qt's core is imported here: the dialog, the services and reportlab load when
the user first asks for a pack.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMessageBox

    from nsdesk.services.briefing.pack import BriefingOutcome, BriefingRequest
    from nsdesk.services.desk import Desk
    from nsdesk.ui.briefing.briefing_dialog import BriefingDialog
    from nsdesk.ui.context import AppContext
    from nsdesk.ui.main_window import MainWindow

TITLE = "Making the briefing pack"
NOTES_SHOWN = 12
"""How many render notes the message lists before "and n more" (all are in its details)."""


def open_with_viewer(path: Path) -> bool:
    """Open ``path`` in the system's viewer for it; False if none would open it."""
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QDesktopServices

    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


class BriefingFlow(QObject):
    """Answers the window's ``briefing_requested``: asks, makes, reports, opens.

    :attr:`open_file` opens a finished pack (tests put a callable that only
    records the path); :attr:`dialog` and :attr:`message_box` are the last
    dialog and message shown, for whoever needs to look at them.
    """

    pack_written = Signal(Path)
    """A briefing pack was written to this file."""

    def __init__(self, context: AppContext, window: MainWindow):
        super().__init__(window)
        self.context = context
        self.window = window
        self.open_file: Callable[[Path], bool | None] = open_with_viewer
        self.dialog: BriefingDialog | None = None
        self.message_box: QMessageBox | None = None
        window.briefing_requested.connect(self.start)

    # -- asking ---------------------------------------------------------------------------
    def start(self) -> BriefingDialog | None:
        """Show the briefing dialog over the window (None if no desk is open)."""
        desk = self.context.desk
        if desk is None:
            return None
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.raise_()
            return self.dialog
        from nsdesk.services.briefing.profiles import (
            briefing_choices,
            load_profiles,
            retire_profile,
            save_profile,
        )
        from nsdesk.ui.briefing.briefing_dialog import BriefingDialog, ProfileKeeper

        data = self.context.data
        as_of = data.as_of if data is not None else date.today()
        keeper = ProfileKeeper(
            load=lambda: load_profiles(desk),
            save=lambda profile: save_profile(desk, profile),
            retire=lambda name: retire_profile(desk, name),
        )
        dialog = BriefingDialog(
            briefing_choices(desk, as_of),
            as_of=as_of,
            desk_folder=desk.path.parent,
            profiles=keeper,
            remembered=self._remembered(desk),
            read_only_reason=self.context.read_only_reason,
            parent=self.window,
        )
        dialog.accepted.connect(lambda: self.make(desk, dialog))
        dialog.finished.connect(lambda: self._closed(dialog))
        self.dialog = dialog
        dialog.open()
        return dialog

    def _closed(self, dialog: BriefingDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()

    def _remembered(self, desk: Desk) -> dict[str, Any]:
        return self.context.settings.remembered_choices("briefing", desk.info().uuid)

    # -- making -----------------------------------------------------------------------------
    def make(self, desk: Desk, dialog: BriefingDialog) -> None:
        """Make the pack the dialog asks for, in the background, with progress."""
        self.context.settings.remember_choices("briefing", desk.info().uuid, **dialog.remembered())
        self.write(desk, dialog.request(), dialog.output_path(), open_after=dialog.open_when_made)

    def write(
        self, desk: Desk, request: BriefingRequest, out: Path, *, open_after: bool = False
    ) -> None:
        """Write the pack ``request`` asks for to ``out``, then report it (and open it)."""
        from nsdesk.services.briefing.pack import write_briefing

        self.window.show_status(f"Making the briefing pack {out.name}…")
        self.context.background.run_with_progress(
            TITLE,
            lambda progress: write_briefing(desk, request, out, progress),
            lambda outcome: self._written(outcome, open_after=open_after),
            lambda error: self._refused(out, error),
            parent_widget=self.window,
            on_cancelled=lambda: self.window.show_status(
                f"The briefing pack {out.name} was not made: cancelled, and no file was left."
            ),
        )

    def _written(self, outcome: BriefingOutcome, *, open_after: bool) -> None:
        from nsdesk.ui.wording import count

        withheld = f"{outcome.withheld:,} withheld" if outcome.withheld else "none withheld"
        self.window.show_status(
            f"Briefing pack written: {count(outcome.pages, 'page')}, "
            f"marked {outcome.marking_label} ({withheld})",
            more=str(outcome.path),
        )
        if outcome.notes:
            self._show_notes(outcome)
        if open_after and self.open_file(outcome.path) is False:
            self.window.show_status(
                f"The briefing pack was written to {outcome.path}, but no PDF viewer "
                "would open it.",
                more=str(outcome.path),
            )
        self.pack_written.emit(outcome.path)

    def _show_notes(self, outcome: BriefingOutcome) -> None:
        from nsdesk.briefing.model import SECTION_TITLES
        from nsdesk.ui.wording import count

        lines = [
            f"{SECTION_TITLES.get(n.section, n.section)}"
            + (f", {n.record}" if n.record else "")
            + f": {n.message}"
            for n in outcome.notes
        ]
        shown = "\n".join(lines[:NOTES_SHOWN])
        if len(lines) > NOTES_SHOWN:
            shown += f"\n… and {len(lines) - NOTES_SHOWN:,} more (see the details)."
        self._message(
            "information",
            "Briefing pack — nsdesk",
            f"The pack was written, but {count(len(lines), 'place')} could not be printed "
            "exactly as written (characters its fonts do not have):",
            shown,
            details="\n".join(lines),
        )

    def _refused(self, out: Path, error: BaseException) -> None:
        from nsdesk.ui.wording import error_text, is_refusal, sentence_case

        if not is_refusal(error):  # a fault: the app's error dialog, with the details, and the log
            self.window.show_status("The briefing pack was not made: an unexpected error.")
            sys.excepthook(type(error), error, error.__traceback__)
            return
        reason = sentence_case(error_text(error))
        self.window.show_status(f"The briefing pack was not made: {reason}")
        self._message(
            "warning",
            "Briefing pack not made — nsdesk",
            f"The briefing pack {out.name} was not made.",
            reason if reason.endswith(".") else reason + ".",
        )

    def _message(
        self, kind: str, title: str, text: str, informative: str, *, details: str = ""
    ) -> None:
        from nsdesk.ui.message_box import open_message

        self.message_box = open_message(
            self.window, title, text, informative, details=details, warning=kind == "warning"
        )
