"""File ▸ Import workbook…: choose the file, match a foreign table's columns, check
every change, settle the conflicts, apply.

The wizard only shows and asks. It says what it wants through its signals
(:attr:`ImportWizard.preview_requested`, :attr:`ImportWizard.apply_requested`);
:mod:`nsdesk.ui.exchange.exchange_flow` does the work in the background and answers with
:meth:`ImportWizard.show_refusal`, :meth:`ImportWizard.show_mapping`,
:meth:`ImportWizard.show_preview` and :meth:`ImportWizard.show_result`. Nothing
changes in the desk before the user presses Apply.

Pages (:mod:`nsdesk.ui.exchange.import_pages`, :mod:`nsdesk.ui.exchange.preview_page`):
(1) the file (a workbook, or a CSV table); (2) for a table nsdesk did not write,
what it is (progress on commitments, or a depositary's list read as participation
in one instrument, with its date and source), which field each of its columns
holds, and up to which marking the records it may change go (the desk's default
marking unless chosen higher); (3) the preview — record by record, field
by field, what is in the desk now and what the workbook says, the conflicts to
settle, the markings it would lower (Apply waits until that is confirmed), the
cells refused and the notes; (4) what the import did, and how to undo it
(:meth:`ImportWizard.page` is one of CHOOSE, MAPPING, PREVIEW, RESULT). The wizard
moves between them and keeps the buttons in step; its frame (the buttons, the
status sentence, the busy state) is the merge wizard's too
(:mod:`nsdesk.ui.widgets.wizard_dialog`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from nsdesk.ui.exchange.import_pages import ChoosePage, MappingPage, OpenChooser, ResultPage
from nsdesk.ui.exchange.preview_page import PreviewPage
from nsdesk.ui.exchange.resolutions import ConflictKey
from nsdesk.ui.widgets.wizard_dialog import WizardDialog

if TYPE_CHECKING:
    from nsdesk.services.exchange.apply import ImportResult
    from nsdesk.services.exchange.changes import ImportPreview, ParticipationTarget
    from nsdesk.services.exchange.foreign_tables import ForeignTable

CHOOSE, MAPPING, PREVIEW, RESULT = range(4)


class ImportWizard(WizardDialog):
    """The import of one workbook, page by page, over the window."""

    preview_requested = Signal(object, object)
    """(path, mapping): read this workbook and say what it would change; the
    mapping (header -> field key) is None unless the user matched a foreign table."""
    apply_requested = Signal(object, object)
    """(preview, resolutions): apply this preview; resolutions map
    (record key, column) to ``"desk"`` or ``"workbook"`` for every conflict."""

    def __init__(
        self,
        *,
        folder: Path,
        choose_file: OpenChooser | None = None,
        levels: Sequence[tuple[str, str]] = (),
        default_ceiling: str | None = None,
        instruments: Sequence[tuple[str, str]] = (),
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.result: ImportResult | None = None
        self.setWindowTitle("Import workbook — nsdesk")

        self.choose_page = ChoosePage(folder=folder, choose_file=choose_file)
        self.choose_page.changed.connect(self._update_buttons)
        self.choose_page.chosen.connect(self.go_next)
        self.mapping_page = MappingPage(
            levels=levels, default_ceiling=default_ceiling, instruments=instruments
        )
        self.mapping_page.changed.connect(self._update_buttons)
        self.preview_page = PreviewPage()
        self.preview_page.changed.connect(self._update_buttons)
        self.result_page = ResultPage()
        self._default_ceiling = default_ceiling
        self._layout = self._lay_out(
            (self.choose_page, self.mapping_page, self.preview_page, self.result_page),
            doing="What the import is doing",
            applying="Make the changes listed, in one step",
        )
        self._show_page(CHOOSE)

    # -- what the flow asks and answers ---------------------------------------------------
    @property
    def preview(self) -> ImportPreview | None:
        """The preview shown (or last shown) on page 3."""
        return self.preview_page.preview

    @property
    def table(self) -> ForeignTable | None:
        """The foreign table whose columns page 2 matches (None: nsdesk wrote the file)."""
        return self.mapping_page.table

    def path(self) -> Path:
        """The workbook to import."""
        return self.choose_page.path()

    def choose_file(self, path: Path) -> None:
        """Import ``path``: show it and read it (as choosing it in the file dialog does)."""
        self.choose_page.set_path(path)
        self.go_next()

    def show_refusal(self, problem: str, where: str | None = None) -> None:
        """The file is not a workbook nsdesk can read: say why, on the first page."""
        self.set_busy(None)
        self._show_page(CHOOSE)
        self.choose_page.show_refusal(problem, where)

    def show_mapping(
        self,
        table: ForeignTable,
        samples: Mapping[str, Sequence[str]],
        preview: ImportPreview,
    ) -> None:
        """Ask which field each column of a foreign ``table`` holds, starting from its
        proposed mapping; ``preview`` is what that mapping gives (shown if kept)."""
        self.set_busy(None)
        self.mapping_page.show_table(table, samples, preview)
        self._show_page(MAPPING)
        self.mapping_page.check()
        self.mapping_page.focus_first()

    def participation_target(self) -> ParticipationTarget | None:
        """The depositary's list the foreign table was said to be (None: progress)."""
        return self.mapping_page.target()

    def foreign_ceiling(self) -> str | None:
        """The ceiling the user chose for a foreign table, or None for the desk's
        default marking (chosen or left alone)."""
        return self.mapping_page.foreign_ceiling()

    def show_preview(self, preview: ImportPreview, *, message: str = "") -> None:
        """Show what ``preview`` would change; ``message`` says why it is shown again.
        Sides already chosen for conflicts that are still there are kept."""
        self.set_busy(None)
        self.preview_page.show_preview(preview)
        self._show_page(PREVIEW)
        self._layout.activate()  # the page at the width it is shown at
        self.preview_page.settle_layout()
        if message:
            self.say(message)

    def lowering_confirmed(self) -> bool:
        """Whether the user confirmed the markings the preview lowers (True if none)."""
        return self.preview_page.lowering_confirmed()

    def resolutions(self) -> dict[ConflictKey, str]:
        """The side chosen for each conflict: (record key, column) -> desk or workbook."""
        return self.preview_page.tree.resolutions.chosen()

    def show_result(self, result: ImportResult) -> None:
        """Say what the import did, and how to undo it."""
        self.set_busy(None)
        self.result = result
        name = self.preview.path.name if self.preview is not None else "The workbook"
        self.result_page.show_result(result, name)
        self._show_page(RESULT)
        self.close_button.setFocus()

    # -- moving between pages -----------------------------------------------------------------
    def go_next(self) -> None:
        """Read the file (page 1), or preview the mapped table (page 2)."""
        if self.busy or not self.next_button.isEnabled():
            return
        if self.page() == CHOOSE:
            self.choose_page.refusal_error.clear_message()
            self.mapping_page.table = self.mapping_page.proposed = None
            self.preview_page.tree.forget_sides()
            self.set_busy(f"Reading {self.path().name}…")
            self.preview_requested.emit(self.path(), None)
        elif self.page() == MAPPING:
            kept = self.mapping_page.kept_preview()
            if kept is not None:
                self.show_preview(kept)
                return
            self.set_busy("Reading the table with these columns…")
            self.preview_requested.emit(self.path(), self.mapping_page.mapping())

    def go_back(self) -> None:
        """Back to the columns (a foreign table) or to the file, unless work is under way."""
        if self.busy:
            return
        if self.page() == PREVIEW and self.table is not None:
            self._show_page(MAPPING)
        elif self.page() in (MAPPING, PREVIEW):
            self._show_page(CHOOSE)
            self.choose_page.path_edit.setFocus()

    def apply(self) -> None:
        """Ask for the preview to be applied with the sides chosen."""
        if self.busy or not self.apply_button.isEnabled() or self.preview is None:
            return
        self.set_busy("Importing…")
        self.apply_requested.emit(self.preview, self.resolutions())

    def _update_buttons(self) -> None:
        page = self.page()
        busy = self.busy
        self.back_button.setVisible(page in (MAPPING, PREVIEW))
        self.back_button.setEnabled(not busy)
        self.next_button.setVisible(page in (CHOOSE, MAPPING))
        self.apply_button.setVisible(page == PREVIEW)
        self.choose_page.set_busy(busy)
        self.close_button.setText("Close" if page == RESULT else "Cancel")
        self.close_button.setEnabled(not busy)
        if page == CHOOSE:
            self.next_button.setEnabled(not busy and self.choose_page.has_path())
            self.next_button.setDefault(True)
        elif page == MAPPING:
            self.next_button.setEnabled(not busy and self.mapping_page.problem() is None)
            self.next_button.setDefault(True)
        else:
            self.next_button.setDefault(False)
        if page == PREVIEW:
            reason = self.preview_page.update_buttons(busy)
            # Apply is never the default: Return in the list must not import the workbook.
            self.apply_button.setEnabled(not busy and not reason)
            self.apply_button.setToolTip(reason)
