"""File ▸ Merge changes…: verify the file, preview what it would do, settle the
conflicts, apply — the import wizard's shape, for a changes file from another laptop.

The wizard only shows and asks. It says what it wants through its signals
(:attr:`MergeWizard.examine_requested`, :attr:`MergeWizard.preview_requested`,
:attr:`MergeWizard.apply_requested`); :mod:`nsdesk.ui.merge.merge_flow` does the work
in the background and answers with :meth:`~MergeWizard.show_examined`,
:meth:`~MergeWizard.show_refusal`, :meth:`~MergeWizard.show_preview` and
:meth:`~MergeWizard.show_result`. Nothing changes in the desk before Apply — but for
trusting a laptop's key, which the user confirmed on the first page.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QPushButton, QWidget

from nsdesk.ui.merge.merge_pages import ConflictsPage, PreviewPage, ResultPage
from nsdesk.ui.merge.verify_page import OpenChooser, VerifyPage
from nsdesk.ui.widgets.wizard_dialog import WizardDialog

if TYPE_CHECKING:
    from nsdesk.services.merge.changes_files import ChangesReport
    from nsdesk.services.merge.incoming import IncomingChanges
    from nsdesk.services.merge.outcome import MergeReport, OpenItem

VERIFY, PREVIEW, CONFLICTS, RESULT = range(4)


class MergeWizard(WizardDialog):
    """The merge of one changes file, page by page, over the window."""

    examine_requested = Signal(object, object)
    """(path, passphrase or None): read this file and say what it is."""
    preview_requested = Signal(object, object, object, object)
    """(path, passphrase, fingerprint to trust or None, the sender's name): trust the
    key if asked, then say what merging the file would do."""
    apply_requested = Signal(object, object, object)
    """(preview, decisions on conflicts, identity clashes settled): merge the file."""
    conflicts_requested = Signal()
    """The user asked for the desk's open conflicts (from the last page)."""

    def __init__(
        self,
        *,
        folder: Path,
        choose_file: OpenChooser | None = None,
        ask_value: Callable[[QWidget, OpenItem, str], str | None] | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.preview: MergeReport | None = None
        self.result: MergeReport | None = None
        self._left = 0  # items the merge left open (the last page offers to show them)
        self.setWindowTitle("Merge changes — nsdesk")
        self.verify_page = VerifyPage(folder=folder, choose_file=choose_file)
        self.verify_page.changed.connect(self._update_buttons)
        self.verify_page.chosen.connect(self.go_next)
        self.preview_page = PreviewPage()
        self.conflicts_page = ConflictsPage(ask_value=ask_value)
        self.conflicts_page.changed.connect(self._update_buttons)
        self.result_page = ResultPage()
        self.conflicts_button = QPushButton("Open the &conflicts")
        self.conflicts_button.clicked.connect(self._open_conflicts)
        self._lay_out(
            (self.verify_page, self.preview_page, self.conflicts_page, self.result_page),
            doing="What the merge is doing",
            applying="Merge the changes listed, in one step",
            more=(self.conflicts_button,),
        )
        self._show_page(VERIFY)

    # -- what the flow asks and answers ---------------------------------------------------
    def path(self) -> Path:
        return self.verify_page.path()

    def choose_file(self, path: Path) -> None:
        """Merge ``path``: show it and read it (as choosing it in the file dialog does)."""
        self.verify_page.set_path(path)
        self.go_next()

    def show_examined(self, report: ChangesReport, earlier: Sequence[str]) -> None:
        """Show what the file is (page 1)."""
        self.set_busy(None)
        self._show_page(VERIFY)
        self.verify_page.show_examined(report, earlier)
        self._update_buttons()
        if self.verify_page.needs_passphrase():
            self.verify_page.passphrase_edit.setFocus()
        elif self.verify_page.trust_check.isVisible():
            self.verify_page.trust_check.setFocus()
        else:
            self.next_button.setFocus()

    def show_refusal(self, text: str) -> None:
        """The file cannot be merged: say why, on the first page."""
        self.set_busy(None)
        self._show_page(VERIFY)
        self.verify_page.show_refusal(text)

    def show_preview(
        self, report: MergeReport, incoming: IncomingChanges | None = None, *, message: str = ""
    ) -> None:
        """Show what merging would do (page 2): ``report``, and each change of the file
        the desk lacks (``incoming``); ``message`` says why it is shown again."""
        self.set_busy(None)
        self.preview = report
        self.preview_page.show_report(report, incoming)
        self.conflicts_page.show_items(report.conflicts, report.clashes)
        self._show_page(PREVIEW)
        self.preview_page.tree.setFocus()
        if message:
            self.say(message)

    def show_result(self, report: MergeReport, settled: Sequence[str], open_left: int) -> None:
        """Say what the merge did (page 4)."""
        self.set_busy(None)
        self.result = report
        self.result_page.show_result(report, settled, open_left)
        self._show_page(RESULT)
        self._left = open_left
        self._update_buttons()
        self.close_button.setFocus()

    # -- moving between pages ---------------------------------------------------------------
    def _has_items(self) -> bool:
        return bool(self.conflicts_page.rows)

    def go_next(self) -> None:
        """Read the file, or move on to the preview (page 1); to the conflicts (page 2)."""
        if self.busy:
            return
        page = self.page()
        verify = self.verify_page
        if page == VERIFY:
            if not verify.has_path():
                return
            if verify.report is None or (
                verify.needs_passphrase() and verify.passphrase_edit.text()
            ):
                self.set_busy(f"Reading {self.path().name}…")
                self.examine_requested.emit(self.path(), verify.passphrase())
                return
            if verify.problem() is not None:
                return
            self.set_busy("Reading what the file would change…")
            self.preview_requested.emit(
                self.path(), verify.passphrase(), verify.trust_to_confirm(), verify.sender_name()
            )
        elif page == PREVIEW and self._has_items():
            self._show_page(CONFLICTS)
            self.conflicts_page.table.setFocus()

    def go_back(self) -> None:
        if self.busy:
            return
        if self.page() == CONFLICTS:
            self._show_page(PREVIEW)
        elif self.page() == PREVIEW:
            self._show_page(VERIFY)
            self.verify_page.path_edit.setFocus()

    def decisions(self) -> dict[tuple[str, str], Any]:
        return self.conflicts_page.decisions()

    def apply(self) -> None:
        """Ask for the previewed merge to be applied with the decisions taken."""
        if self.busy or self.preview is None or not self.apply_button.isEnabled():
            return
        self.set_busy("Merging…")
        self.apply_requested.emit(
            self.preview, self.conflicts_page.decisions(), self.conflicts_page.clash_choices()
        )

    def _open_conflicts(self) -> None:
        self.conflicts_requested.emit()
        self.accept()

    def _update_buttons(self) -> None:
        page, busy = self.page(), self.busy
        verify = self.verify_page
        verify.set_busy(busy)  # the file's fields wait while it is read
        self.back_button.setVisible(page in (PREVIEW, CONFLICTS))
        self.back_button.setEnabled(not busy)
        self.next_button.setVisible(page == VERIFY or (page == PREVIEW and self._has_items()))
        self.apply_button.setVisible(page in (PREVIEW, CONFLICTS))
        self.conflicts_button.setVisible(page == RESULT and self._left > 0)
        self.close_button.setText("Close" if page == RESULT else "Cancel")
        self.close_button.setEnabled(not busy)
        if page == VERIFY:
            reading = verify.report is None or (
                verify.needs_passphrase() and bool(verify.passphrase_edit.text())
            )
            can = verify.has_path() and (reading or verify.problem() is None)
            self.next_button.setEnabled(not busy and can)
            self.next_button.setToolTip("" if can else (verify.problem() or ""))
            self.next_button.setDefault(True)
        elif page == PREVIEW:
            self.next_button.setEnabled(not busy)
            self.next_button.setDefault(self._has_items())
        if page in (PREVIEW, CONFLICTS):
            nothing = self.preview is not None and not self.preview.changed_anything
            self.apply_button.setEnabled(not busy and not nothing)
            self.apply_button.setToolTip(
                "Nothing to merge: the desk holds it all" if nothing else ""
            )
            # Apply is never the default: Return in a list must not merge the file.
            self.apply_button.setDefault(False)
