"""File ▸ Briefing pack… (Ctrl+P): the dialog over the open desk, then the pack made
in the background with a progress dialog that can cancel.

Once made, the status bar says how many pages and how the pack is marked; what
could not be printed as written is listed in a message; and the pack is opened in
the system's PDF viewer if the user asked. A refused pack is said in a message;
a cancelled one leaves no file. The last choices are kept per desk in the app's
settings, so the next pack starts from them (:mod:`nsdesk.ui.output_file` does
all of that for every flow that writes a file).

Only Qt's core is imported here: the dialog, the services and reportlab load when
the user first asks for a pack.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal

from nsdesk.ui.output_file import DialogSlot, OutputFileFlow, OutputWords
from nsdesk.ui.wording import count

if TYPE_CHECKING:
    from nsdesk.services.briefing.pack import BriefingOutcome, BriefingRequest
    from nsdesk.services.desk import Desk
    from nsdesk.ui.briefing.briefing_dialog import BriefingDialog
    from nsdesk.ui.context import AppContext
    from nsdesk.ui.main_window import MainWindow

TITLE = "Making the briefing pack"
NOTES_SHOWN = 12
"""How many render notes the message lists before "and n more" (all are in its details)."""


class BriefingFlow(OutputFileFlow):
    """Answers the window's ``briefing_requested``: asks, makes, reports, opens.

    :attr:`dialog` is the dialog showing (None once closed); the rest is
    :class:`~nsdesk.ui.output_file.OutputFileFlow`'s.
    """

    scope = "briefing"
    words = OutputWords(noun="briefing pack", made="made", progress_title=TITLE)

    pack_written = Signal(Path)
    """A briefing pack was written to this file."""

    def __init__(self, context: AppContext, window: MainWindow):
        super().__init__(context, window)
        self._dialog: DialogSlot[BriefingDialog] = DialogSlot()
        window.briefing_requested.connect(self.start)

    @property
    def dialog(self) -> BriefingDialog | None:
        """The briefing dialog showing (None once closed)."""
        return self._dialog.dialog

    # -- asking ---------------------------------------------------------------------------
    def start(self) -> BriefingDialog | None:
        """Show the briefing dialog over the window (None if no desk is open)."""
        desk = self.context.desk
        if desk is None:
            return None
        return self._dialog.show(lambda: self._build(desk))

    def _build(self, desk: Desk) -> BriefingDialog:
        # lazy: the dialog and the profiles' services (the ORM) load on the first pack
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
            desk_folder=desk.files_folder(),
            profiles=keeper,
            remembered=self.remembered(desk),
            read_only_reason=self.context.read_only_reason,
            choose_file=self.choose_save_file,
            parent=self.window,
        )
        dialog.accepted.connect(lambda: self.make(desk, dialog))
        return dialog

    # -- making -----------------------------------------------------------------------------
    def make(self, desk: Desk, dialog: BriefingDialog) -> None:
        """Make the pack the dialog asks for, in the background, with progress."""
        self.remember(desk, **dialog.remembered())
        self.write(desk, dialog.request(), dialog.output_path(), open_after=dialog.open_when_made)

    def write(
        self, desk: Desk, request: BriefingRequest, out: Path, *, open_after: bool = False
    ) -> None:
        """Write the pack ``request`` asks for to ``out``, then report it (and open it)."""
        # lazy: the pack's services import reportlab, which only a pack needs
        from nsdesk.services.briefing.pack import write_briefing

        self.write_file(
            out,
            lambda progress: write_briefing(desk, request, out, progress),
            lambda outcome: self._written(outcome, open_after=open_after),
            status=f"Making the briefing pack {out.name}…",
        )

    def _written(self, outcome: BriefingOutcome, *, open_after: bool) -> None:
        withheld = f"{outcome.withheld:,} withheld" if outcome.withheld else "none withheld"
        self.window.show_status(
            f"Briefing pack written: {count(outcome.pages, 'page')}, "
            f"marked {outcome.marking_label} ({withheld})",
            more=str(outcome.path),
        )
        if outcome.notes:
            self._show_notes(outcome)
        if open_after:
            self.open_written(outcome.path)
        self.pack_written.emit(outcome.path)

    def _show_notes(self, outcome: BriefingOutcome) -> None:
        # lazy: the pack's model loads with the first pack made
        from nsdesk.briefing.model import SECTION_TITLES

        lines = [
            f"{SECTION_TITLES.get(n.section, n.section)}"
            + (f", {n.record}" if n.record else "")
            + f": {n.message}"
            for n in outcome.notes
        ]
        shown = "\n".join(lines[:NOTES_SHOWN])
        if len(lines) > NOTES_SHOWN:
            shown += f"\n… and {len(lines) - NOTES_SHOWN:,} more (see the details)."
        self.message(
            "Briefing pack — nsdesk",
            f"The pack was written, but {count(len(lines), 'place')} could not be printed "
            "exactly as written (characters its fonts do not have):",
            shown,
            details="\n".join(lines),
            warning=False,
        )
