"""File ▸ Export workbook… (Ctrl+E), Import workbook… (Ctrl+I) and Import history…:
the Excel exchange with the ministries, from the window.

Export: the dialog asks (register or one ministry's return, the audience
ceiling, the file); the workbook is written in the background with a progress
dialog that can cancel, and recorded in the desk (so a read-only desk cannot
export); the status bar then says rows, sheets, marking and what was withheld,
and a message offers to open the workbook or its folder.

Import: the wizard (:mod:`nsdesk.ui.exchange.import_wizard`) asks for the file; the flow
reads it in the background and answers with a refusal, the column-matching page
(a table nsdesk did not write) or the preview; Apply runs in the background, as
one transaction, after which the registers are read again. An import is undone
from the import history (:mod:`nsdesk.ui.exchange.import_history_dialog`), not with
Ctrl+Z, so the undo stack is cleared: its steps were made before the desk changed
under them.

The last choices (export kind, ministry, ceiling, folders) are kept per desk in
the app's settings. Only Qt's core is imported here: the dialogs and the
services (with SQLAlchemy and openpyxl) load when the user first asks.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from nsdesk.ui.briefing.briefing_flow import open_with_viewer

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMessageBox, QWidget

    from nsdesk.services.desk import Desk
    from nsdesk.services.exchange.apply import ImportResult
    from nsdesk.services.exchange.export import ExportOutcome, ExportRequest
    from nsdesk.services.exchange.foreign_tables import ForeignTable
    from nsdesk.services.exchange.preview import ImportPreview
    from nsdesk.ui.context import AppContext
    from nsdesk.ui.exchange.export_dialog import ExportDialog
    from nsdesk.ui.exchange.import_history_dialog import ImportHistoryDialog
    from nsdesk.ui.exchange.import_wizard import ImportWizard
    from nsdesk.ui.main_window import MainWindow

EXPORT_TITLE = "Exporting the workbook"
PREVIEW_TITLE = "Reading the workbook"
APPLY_TITLE = "Importing the workbook"
SAMPLE_ROWS = 200
"""How many rows of a foreign table the mapping page takes its examples from."""
STALE = (
    "The desk changed after this preview was made, so it was read again: check the "
    "changes, then apply."
)

#: (parent, title, suggested file or folder) -> the chosen path, or None.
FileChooser = Callable[["QWidget", str, Path], Path | None]


class ExchangeFlow(QObject):
    """Answers the window's export, import and import-history requests.

    :attr:`open_file` opens a written workbook or its folder (tests put a
    callable that only records the path); :attr:`choose_save_file` and
    :attr:`choose_open_file` replace the file dialogs (None: Qt's). The last
    dialogs and message shown are kept for whoever needs to look at them.
    """

    exported = Signal(Path)
    """A workbook was written to this file."""
    imported = Signal(str)
    """An import was applied; its UUID in the import history."""
    import_undone = Signal(str)
    """An import was undone; its UUID in the import history."""

    def __init__(self, context: AppContext, window: MainWindow):
        super().__init__(window)
        self.context = context
        self.window = window
        self.open_file: Callable[[Path], bool | None] = open_with_viewer
        self.choose_save_file: FileChooser | None = None
        self.choose_open_file: FileChooser | None = None
        self.today: Callable[[], date] = date.today
        self.export_dialog: ExportDialog | None = None
        self.wizard: ImportWizard | None = None
        self.history_dialog: ImportHistoryDialog | None = None
        self.message_box: QMessageBox | None = None
        window.export_requested.connect(self.start_export)
        window.import_requested.connect(self.start_import)
        window.import_history_requested.connect(self.show_history)

    # -- remembering ------------------------------------------------------------------------
    def _remembered(self, desk: Desk) -> dict[str, Any]:
        return self.context.settings.remembered_choices("exchange", desk.info().uuid)

    def _remember(self, desk: Desk, **changes: Any) -> None:
        self.context.settings.remember_choices("exchange", desk.info().uuid, **changes)

    # -- export ---------------------------------------------------------------------------------
    def start_export(self) -> ExportDialog | None:
        """Show the export dialog over the window (None if no desk is open)."""
        desk = self.context.desk
        if desk is None:
            return None
        if desk.read_only:
            self.window.show_status(
                "Nothing can be exported: every export is recorded in the desk, and the desk "
                f"is read-only ({self.context.read_only_reason})."
            )
            return None
        if self.export_dialog is not None and self.export_dialog.isVisible():
            self.export_dialog.raise_()
            return self.export_dialog
        from nsdesk.services.records.registers import reference_choices
        from nsdesk.ui.exchange.export_dialog import ExportDialog

        info = desk.info()
        remembered = self._remembered(desk).get("export")
        dialog = ExportDialog(
            agencies=reference_choices(desk, "agency"),
            levels=tuple((level.code, level.label) for level in info.marking.levels),
            default_ceiling=info.default_sensitivity,
            state=info.own_state_code,
            today=self.today(),
            folder=desk.path.parent,
            remembered=remembered if isinstance(remembered, dict) else None,
            choose_file=self.choose_save_file,
            parent=self.window,
        )
        dialog.accepted.connect(lambda: self._export_chosen(desk, dialog))
        dialog.finished.connect(lambda: self._export_closed(dialog))
        self.export_dialog = dialog
        dialog.open()
        return dialog

    def _export_closed(self, dialog: ExportDialog) -> None:
        if self.export_dialog is dialog:
            self.export_dialog = None
        dialog.deleteLater()

    def _export_chosen(self, desk: Desk, dialog: ExportDialog) -> None:
        self._remember(desk, export=dialog.remembered())
        self.export(desk, dialog.request(), dialog.output_path())

    def export(self, desk: Desk, request: ExportRequest, out: Path) -> None:
        """Write the workbook ``request`` asks for to ``out``, then report it."""
        from nsdesk.services.exchange.export import export_workbook

        what = f"the return for {request.agency}" if request.agency else "the register"
        self.window.show_status(f"Exporting {what} to {out.name}…")
        self.context.background.run_with_progress(
            EXPORT_TITLE,
            lambda progress: export_workbook(desk, request, out, progress),
            self._exported,
            lambda error: self._export_refused(out, error),
            parent_widget=self.window,
            on_cancelled=lambda: self.window.show_status(
                f"The workbook {out.name} was not written: cancelled, and no file was left."
            ),
        )

    def _exported(self, outcome: ExportOutcome) -> None:
        from nsdesk.ui.wording import count

        what = f"the return for {outcome.agency}" if outcome.agency else "the register"
        withheld = f"{outcome.withheld:,} withheld" if outcome.withheld else "none withheld"
        self.window.show_status(
            f"Workbook written: {what}, {count(outcome.rows, 'row')} in "
            f"{count(len(outcome.sheets), 'sheet')}, marked {outcome.marking} ({withheld})",
            more=str(outcome.path),
        )
        self._offer_to_open(outcome)
        self.exported.emit(outcome.path)

    def _offer_to_open(self, outcome: ExportOutcome) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QMessageBox

        from nsdesk.ui.wording import count

        what = f"The return for {outcome.agency}" if outcome.agency else "The register"
        said = [
            f"{count(outcome.rows, 'row')} in {count(len(outcome.sheets), 'sheet')} "
            f"({', '.join(outcome.sheets)}), marked {outcome.marking}."
        ]
        if outcome.withheld:
            said.append(
                f"{count(outcome.withheld, 'record')} marked above the audience ceiling "
                f"{'was' if outcome.withheld == 1 else 'were'} left out."
            )
        else:
            said.append("Nothing was left out for the audience ceiling.")
        if outcome.replaced_characters:
            said.append(
                f"{count(outcome.replaced_characters, 'character')} a workbook cannot hold "
                f"{'was' if outcome.replaced_characters == 1 else 'were'} replaced by “\ufffd”."
            )
        box = QMessageBox(
            QMessageBox.Icon.Information,
            "Workbook written — nsdesk",
            f"{what} was written to {outcome.path.name}.",
            QMessageBox.StandardButton.NoButton,
            self.window,
        )
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setInformativeText(" ".join(said) + f"\n\n{outcome.path.parent}")
        open_button = box.addButton("Open the workbook", QMessageBox.ButtonRole.ActionRole)
        folder_button = box.addButton("Show the folder", QMessageBox.ButtonRole.ActionRole)
        close_button = box.addButton(QMessageBox.StandardButton.Close)
        box.setDefaultButton(close_button)
        box.setEscapeButton(close_button)

        def clicked(button) -> None:
            if button is open_button:
                target = outcome.path
            elif button is folder_button:
                target = outcome.path.parent
            else:
                return
            if self.open_file(target) is False:
                self.window.show_status(
                    f"The workbook was written to {outcome.path}, but nothing on this "
                    "computer would open it.",
                    more=str(outcome.path),
                )

        box.buttonClicked.connect(clicked)
        box.setWindowModality(Qt.WindowModality.WindowModal)
        box.finished.connect(box.deleteLater)
        self.message_box = box
        box.open()

    def _export_refused(self, out: Path, error: BaseException) -> None:
        reason = self._refusal(error)
        if reason is None:
            self.window.show_status("The workbook was not written: an unexpected error.")
            sys.excepthook(type(error), error, error.__traceback__)
            return
        self.window.show_status(f"The workbook was not written: {reason}")
        self._message(
            "Workbook not written — nsdesk",
            f"The workbook {out.name} was not written.",
            reason if reason.endswith(".") else reason + ".",
        )

    # -- import ---------------------------------------------------------------------------------
    def start_import(self, path: Path | None = None) -> ImportWizard | None:
        """Show the import wizard over the window, reading ``path`` at once if given
        (None if no desk is open, or it cannot be changed)."""
        desk = self.context.desk
        if desk is None:
            return None
        if desk.read_only:
            self.window.show_status(
                f"Nothing can be imported: the desk is read-only ({self.context.read_only_reason})."
            )
            return None
        if self.wizard is not None and self.wizard.isVisible():
            self.wizard.raise_()
            return self.wizard
        from nsdesk.ui.exchange.import_wizard import ImportWizard

        folder = Path(self._remembered(desk).get("import_folder") or desk.path.parent)
        info = desk.info()
        wizard = ImportWizard(
            folder=folder if folder.is_dir() else desk.path.parent,
            choose_file=self.choose_open_file,
            levels=tuple((level.code, level.label) for level in info.marking.levels),
            default_ceiling=info.default_sensitivity,
            parent=self.window,
        )
        wizard.preview_requested.connect(
            lambda chosen, mapping: self.preview(desk, wizard, chosen, mapping)
        )
        wizard.apply_requested.connect(
            lambda preview, sides: self.apply(desk, wizard, preview, sides)
        )
        wizard.finished.connect(lambda: self._wizard_closed(wizard))
        self.wizard = wizard
        wizard.open()
        if path is not None:
            wizard.choose_file(path)
        return wizard

    def _wizard_closed(self, wizard: ImportWizard) -> None:
        if self.wizard is wizard:
            self.wizard = None
        wizard.deleteLater()

    def preview(
        self,
        desk: Desk,
        wizard: ImportWizard,
        path: Path,
        mapping: Mapping[str, str] | None,
        *,
        message: str = "",
    ) -> None:
        """Read ``path`` in the background and show the wizard what it would change
        (or, for a table nsdesk did not write, first how its columns match)."""
        from nsdesk.services.exchange.foreign_tables import inspect_table
        from nsdesk.services.exchange.preview import FOREIGN, preview_import, read_checked
        from nsdesk.ui.exchange.import_wizard import sample_values

        # A foreign table reaches the desk's default marking unless the user chose a
        # higher ceiling on the mapping page; the first reading never has one.
        ceiling = wizard.foreign_ceiling() if mapping is not None else None

        def work(progress):
            preview = preview_import(
                desk, path, progress=progress, mapping=mapping, ceiling=ceiling
            )
            if preview.kind != FOREIGN or mapping is not None:
                return preview, None, None
            workbook = read_checked(path)  # the examples the mapping page shows
            table = inspect_table(desk, path, workbook)
            sheet = workbook.sheet(table.sheet)
            rows = [r.values for r in sheet.rows if r.number > table.header_row][:SAMPLE_ROWS]
            return preview, table, sample_values(rows, table.headers)

        self._remember(desk, import_folder=str(Path(path).parent))
        self.context.background.run_with_progress(
            PREVIEW_TITLE,
            work,
            lambda found: self._previewed(wizard, *found, message=message),
            lambda error: self._preview_refused(wizard, error),
            parent_widget=wizard,
            on_cancelled=lambda: self._stopped(
                wizard, "Reading the workbook was cancelled; nothing was changed."
            ),
        )

    def _previewed(
        self,
        wizard: ImportWizard,
        preview: ImportPreview,
        table: ForeignTable | None,
        samples: Mapping[str, Any] | None,
        *,
        message: str = "",
    ) -> None:
        if table is not None:
            wizard.show_mapping(table, samples or {}, preview)
        else:
            wizard.show_preview(preview, message=message)

    def _preview_refused(self, wizard: ImportWizard, error: BaseException) -> None:
        from nsdesk.domain.errors import WorkbookRefusedError

        if isinstance(error, WorkbookRefusedError):
            wizard.show_refusal(error.problem, error.where)
            return
        reason = self._refusal(error)
        if reason is None:
            wizard.set_busy(None)
            sys.excepthook(type(error), error, error.__traceback__)
            return
        wizard.show_refusal(reason)

    def _stopped(self, wizard: ImportWizard, text: str) -> None:
        wizard.set_busy(None)
        wizard.say(text)

    def apply(
        self,
        desk: Desk,
        wizard: ImportWizard,
        preview: ImportPreview,
        sides: Mapping[tuple[str, str], str],
    ) -> None:
        """Apply ``preview`` in the background, each conflict settled as ``sides`` says,
        and the markings it lowers only if the user confirmed them in the wizard."""
        from nsdesk.services.audit import default_actor_name
        from nsdesk.services.exchange.apply import Side, apply_import

        resolutions = {key: Side(side) for key, side in sides.items()}
        confirmed = None
        if preview.lowered and wizard.lowering_confirmed():
            confirmed = f"{default_actor_name()} in the import preview"
        self.context.background.run_with_progress(
            APPLY_TITLE,
            lambda progress: apply_import(
                desk,
                preview,
                resolutions=resolutions,
                progress=progress,
                lowering_confirmed_by=confirmed,
            ),
            lambda result: self._applied(wizard, preview, result),
            lambda error: self._apply_refused(desk, wizard, preview, error),
            parent_widget=wizard,
            on_cancelled=lambda: self._stopped(
                wizard, "The import was cancelled: nothing was changed in the desk."
            ),
        )

    def _applied(self, wizard: ImportWizard, preview: ImportPreview, result: ImportResult) -> None:
        from nsdesk.ui.wording import count

        wizard.show_result(result)
        self._desk_changed()
        self.window.show_status(
            f"Imported {preview.path.name}: {count(result.records, 'record')}, "
            f"{count(result.fields, 'field')} changed. Undo it from File ▸ Import history…",
            more=str(preview.path),
        )
        self.imported.emit(result.batch)

    def _apply_refused(
        self, desk: Desk, wizard: ImportWizard, preview: ImportPreview, error: BaseException
    ) -> None:
        from nsdesk.services.exchange.apply import ImportStaleError
        from nsdesk.services.exchange.preview import FOREIGN

        if isinstance(error, ImportStaleError):
            mapping = dict(preview.mapping) if preview.kind == FOREIGN else None
            self.preview(desk, wizard, preview.path, mapping, message=STALE)
            return
        reason = self._refusal(error)
        wizard.set_busy(None)
        if reason is None:
            wizard.say("The workbook was not imported: an unexpected error.")
            sys.excepthook(type(error), error, error.__traceback__)
            return
        wizard.say(f"The workbook was not imported: {reason}")
        self._message(
            "Workbook not imported — nsdesk",
            f"{preview.path.name} was not imported.",
            f"{reason.rstrip('.')}. Nothing was changed in the desk.",
            parent=wizard,
        )

    # -- the import history -----------------------------------------------------------------
    def show_history(self) -> ImportHistoryDialog | None:
        """Show the desk's import history over the window (None if no desk is open)."""
        desk = self.context.desk
        if desk is None:
            return None
        if self.history_dialog is not None and self.history_dialog.isVisible():
            self.history_dialog.raise_()
            return self.history_dialog
        from nsdesk.services.exchange.apply import list_imports, undo_import
        from nsdesk.ui.exchange.import_history_dialog import ImportHistoryDialog

        dialog = ImportHistoryDialog(
            lambda: list_imports(desk),
            lambda uuid: undo_import(desk, uuid),
            background=self.context.background,
            desk_name=desk.path.name,
            read_only_reason=self.context.read_only_reason,
            parent=self.window,
        )
        dialog.import_undone.connect(self._undone)
        dialog.finished.connect(lambda: self._history_closed(dialog))
        self.history_dialog = dialog
        dialog.open()
        return dialog

    def _history_closed(self, dialog: ImportHistoryDialog) -> None:
        if self.history_dialog is dialog:
            self.history_dialog = None
        dialog.deleteLater()

    def _undone(self, uuid: str, undone: int) -> None:
        from nsdesk.ui.wording import count

        self._desk_changed()
        self.window.show_status(f"Import undone: {count(undone, 'change')} taken back.")
        self.import_undone.emit(uuid)

    # -- shared -----------------------------------------------------------------------------
    def _desk_changed(self) -> None:
        """An import (or its undo) changed the desk: every page reads it again, and
        the undo steps made before it are dropped (they would write over it)."""
        if self.window.has_workspace:
            self.window.workspace.reload()
        self.window.undo_stack.clear()

    @staticmethod
    def _refusal(error: BaseException) -> str | None:
        """A refusal in the user's words (None: not a refusal but a fault)."""
        from nsdesk.ui.wording import error_text, is_refusal, sentence_case

        return sentence_case(error_text(error)) if is_refusal(error) else None

    def _message(
        self, title: str, text: str, informative: str, *, parent: QWidget | None = None
    ) -> None:
        from nsdesk.ui.message_box import open_message

        self.message_box = open_message(parent or self.window, title, text, informative)
