"""File ▸ Export workbook… (Ctrl+E), Import workbook… (Ctrl+I) and Import history…:
the Excel exchange with the ministries, from the window.

Export: the dialog asks (register or one ministry's return, the audience
ceiling, the file); the workbook is written in the background with a progress
dialog that can cancel, and recorded in the desk (so a read-only desk cannot
export); the status bar then says rows, sheets, marking and what was withheld,
and a message offers to open the workbook or its folder. What every flow that
writes a file shares (one dialog at a time, the choices remembered per desk,
progress, refusals) is :mod:`nsdesk.ui.output_file`'s.

Import: the wizard (:mod:`nsdesk.ui.exchange.import_wizard`) asks for the file; the flow
reads it in the background and answers with a refusal, the column-matching page
(a table nsdesk did not write) or the preview; Apply runs in the background, as
one transaction, after which the registers are read again. An import is undone
from the import history (:mod:`nsdesk.ui.exchange.import_history_dialog`), not with
Ctrl+Z, so the undo stack is cleared: its steps were made before the desk changed
under them.

Only Qt's core is imported here: the dialogs and the services (with SQLAlchemy
and openpyxl) load when the user first asks.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal

from nsdesk.domain.errors import WorkbookRefusedError
from nsdesk.ui.output_file import DialogSlot, FileChooser, OutputFileFlow, OutputWords
from nsdesk.ui.wording import count

if TYPE_CHECKING:
    from PySide6.QtWidgets import QAbstractButton

    from nsdesk.services.desk import Desk
    from nsdesk.services.exchange.apply import ImportResult
    from nsdesk.services.exchange.changes import ImportPreview
    from nsdesk.services.exchange.export import ExportOutcome, ExportRequest
    from nsdesk.services.exchange.foreign_tables import ForeignTable
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


class ExchangeFlow(OutputFileFlow):
    """Answers the window's export, import and import-history requests.

    :attr:`choose_open_file` replaces the import's file dialog (None: Qt's); the
    dialogs showing are :attr:`export_dialog`, :attr:`wizard` and
    :attr:`history_dialog` (None once closed); the rest is
    :class:`~nsdesk.ui.output_file.OutputFileFlow`'s.
    """

    scope = "exchange"
    words = OutputWords(noun="workbook", made="written", progress_title=EXPORT_TITLE)

    exported = Signal(Path)
    """A workbook was written to this file."""
    imported = Signal(str)
    """An import was applied; its UUID in the import history."""
    import_undone = Signal(str)
    """An import was undone; its UUID in the import history."""

    def __init__(self, context: AppContext, window: MainWindow):
        super().__init__(context, window)
        self.choose_open_file: FileChooser | None = None
        self.today: Callable[[], date] = date.today
        self._export: DialogSlot[ExportDialog] = DialogSlot()
        self._wizard: DialogSlot[ImportWizard] = DialogSlot()
        self._history: DialogSlot[ImportHistoryDialog] = DialogSlot()
        window.export_requested.connect(self.start_export)
        window.import_requested.connect(self.start_import)
        window.import_history_requested.connect(self.show_history)

    @property
    def export_dialog(self) -> ExportDialog | None:
        """The export dialog showing (None once closed)."""
        return self._export.dialog

    @property
    def wizard(self) -> ImportWizard | None:
        """The import wizard showing (None once closed)."""
        return self._wizard.dialog

    @property
    def history_dialog(self) -> ImportHistoryDialog | None:
        """The import history showing (None once closed)."""
        return self._history.dialog

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
        return self._export.show(lambda: self._export_dialog(desk))

    def _export_dialog(self, desk: Desk) -> ExportDialog:
        # lazy: the dialog and the registers' services (the ORM) load on the first export
        from nsdesk.services.records.choices import reference_choices
        from nsdesk.ui.exchange.export_dialog import ExportDialog

        info = desk.info()
        remembered = self.remembered(desk).get("export")
        dialog = ExportDialog(
            agencies=reference_choices(desk, "agency"),
            levels=tuple((level.code, level.label) for level in info.marking.levels),
            default_ceiling=info.default_sensitivity,
            state=info.own_state_code,
            today=self.today(),
            folder=desk.files_folder(),
            remembered=remembered if isinstance(remembered, dict) else None,
            choose_file=self.choose_save_file,
            parent=self.window,
        )
        dialog.accepted.connect(lambda: self._export_chosen(desk, dialog))
        return dialog

    def _export_chosen(self, desk: Desk, dialog: ExportDialog) -> None:
        self.remember(desk, export=dialog.remembered())
        self.export(desk, dialog.request(), dialog.output_path())

    def export(self, desk: Desk, request: ExportRequest, out: Path) -> None:
        """Write the workbook ``request`` asks for to ``out``, then report it."""
        # lazy: the export's services import openpyxl, which only an export needs
        from nsdesk.services.exchange.export import export_workbook

        what = f"the return for {request.agency}" if request.agency else "the register"
        self.write_file(
            out,
            lambda progress: export_workbook(desk, request, out, progress),
            self._exported,
            status=f"Exporting {what} to {out.name}…",
        )

    def _exported(self, outcome: ExportOutcome) -> None:
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
        opening = {"Open the workbook": None, "Show the folder": outcome.path.parent}
        box = self.message(
            "Workbook written — nsdesk",
            f"{what} was written to {outcome.path.name}.",
            " ".join(said) + f"\n\n{outcome.path.parent}",
            warning=False,
            actions=tuple(opening),
        )

        def clicked(button: QAbstractButton) -> None:
            if button.text() in opening:
                self.open_written(outcome.path, opening[button.text()])

        box.buttonClicked.connect(clicked)

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
        return self._wizard.show(
            lambda: self._import_wizard(desk),
            opened=lambda wizard: None if path is None else wizard.choose_file(path),
        )

    def _import_wizard(self, desk: Desk) -> ImportWizard:
        # lazy: the wizard loads on the first import
        from nsdesk.services.exchange.depositary import depositary_instruments
        from nsdesk.ui.exchange.import_wizard import ImportWizard

        folder = Path(self.remembered(desk).get("import_folder") or desk.files_folder())
        info = desk.info()
        wizard = ImportWizard(
            folder=folder if folder.is_dir() else desk.files_folder(),
            choose_file=self.choose_open_file,
            levels=tuple((level.code, level.label) for level in info.marking.levels),
            default_ceiling=info.default_sensitivity,
            instruments=depositary_instruments(desk),
            parent=self.window,
        )
        wizard.preview_requested.connect(
            lambda chosen, mapping: self.preview(desk, wizard, chosen, mapping)
        )
        wizard.apply_requested.connect(
            lambda preview, sides: self.apply(desk, wizard, preview, sides)
        )
        return wizard

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
        # lazy: the import's services import openpyxl and the ORM, which only an import needs
        from nsdesk.services.exchange.foreign_tables import inspect_table
        from nsdesk.services.exchange.preview import preview_import
        from nsdesk.services.exchange.reading import read_table
        from nsdesk.services.exchange.sheets import FOREIGN
        from nsdesk.ui.exchange.import_words import sample_values

        # A foreign table reaches the desk's default marking unless the user chose a
        # higher ceiling on the mapping page; the first reading never has one. It is
        # a depositary's list when the user said so there.
        ceiling = wizard.foreign_ceiling() if mapping is not None else None
        target = wizard.participation_target() if mapping is not None else None

        def work(progress):
            preview = preview_import(
                desk, path, progress=progress, mapping=mapping, ceiling=ceiling, target=target
            )
            if preview.kind != FOREIGN or mapping is not None:
                return preview, None, None
            workbook = read_table(path)  # the examples the mapping page shows
            table = inspect_table(desk, path, workbook)
            # inspect_table read the table from this sheet; were it gone, the mapping
            # page would show no examples rather than fail.
            sheet = workbook.sheet(table.sheet)
            found = sheet.rows if sheet is not None else []
            rows = [r.values for r in found if r.number > table.header_row][:SAMPLE_ROWS]
            return preview, table, sample_values(rows, table.headers)

        self.remember(desk, import_folder=str(Path(path).parent))
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
        if isinstance(error, WorkbookRefusedError):
            wizard.show_refusal(error.problem, error.where)
            return
        reason = self.refusal(error)
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
        # lazy: the import's services import the ORM, which only an import needs
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
        # lazy: the import's services import the ORM, which only an import needs
        from nsdesk.services.exchange.apply import ImportStaleError
        from nsdesk.services.exchange.depositary import DEPOSITARY
        from nsdesk.services.exchange.sheets import FOREIGN

        if isinstance(error, ImportStaleError):
            mapping = dict(preview.mapping) if preview.kind in (FOREIGN, DEPOSITARY) else None
            self.preview(desk, wizard, preview.path, mapping, message=STALE)
            return
        reason = self.refusal(error)
        wizard.set_busy(None)
        if reason is None:
            wizard.say("The workbook was not imported: an unexpected error.")
            sys.excepthook(type(error), error, error.__traceback__)
            return
        wizard.say(f"The workbook was not imported: {reason}")
        self.message(
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
        return self._history.show(lambda: self._history_dialog(desk))

    def _history_dialog(self, desk: Desk) -> ImportHistoryDialog:
        # lazy: the dialog and the import services (the ORM) load on the first look
        from nsdesk.services.exchange.import_history import list_imports, undo_import
        from nsdesk.ui.exchange.import_history_dialog import ImportHistoryDialog

        dialog = ImportHistoryDialog(
            lambda: list_imports(desk),
            lambda uuid: undo_import(desk, uuid),
            background=self.context.background,
            desk_name=desk.name,
            read_only_reason=self.context.read_only_reason,
            parent=self.window,
        )
        dialog.import_undone.connect(self._undone)
        return dialog

    def _undone(self, uuid: str, undone: int) -> None:
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
