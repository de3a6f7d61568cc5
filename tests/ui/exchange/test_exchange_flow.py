"""File ▸ Export workbook…, Import workbook… and Import history…, on the demo desk,
with real workbooks written by nsdesk and edited as a ministry would (openpyxl).

Each screen is also grabbed to PNG: to a temporary folder in the suite, or to
``$NSDESK_SCREENSHOTS`` for a person to look at.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from nsdesk.services.exchange.export import ExportRequest, export_workbook
from nsdesk.services.records.record_service import RecordService
from nsdesk.services.records.registers import load_register
from nsdesk.ui.desk.opening_flow import open_desk_into
from nsdesk.ui.exchange.exchange_flow import STALE, ExchangeFlow
from nsdesk.ui.exchange.import_wizard import CHOOSE, MAPPING, PREVIEW, RESULT
from nsdesk.ui.exchange.import_words import BLOCKED
from nsdesk.ui.exchange.preview_tree import (
    COL_CELL,
    COL_CONFLICT,
    COL_NEW,
    COL_OLD,
    COL_WHAT,
    conflict_colour,
)
from tests.conftest import DEMO_DAY
from tests.ui.conftest import button


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    wanted = os.environ.get("NSDESK_SCREENSHOTS")
    target = Path(wanted) if wanted else tmp_path / "screens"
    target.mkdir(parents=True, exist_ok=True)
    return target


def grab(widget: QWidget, folder: Path, name: str) -> None:
    """Save what ``widget`` shows; a blank grab is a broken screen."""
    QApplication.processEvents()  # the layout as the user would see it, once settled
    image = widget.grab().toImage()
    assert not image.isNull()
    assert image.width() > 200
    assert image.save(str(folder / f"{name}.png"))


@pytest.fixture
def shown_demo(window, context, demo_desk_location):
    """The demo desk open in the window, with the exchange flow; opened files are recorded."""
    assert open_desk_into(context, window, demo_desk_location)
    context.data.as_of = DEMO_DAY
    flow = ExchangeFlow(context, window)
    opened: list[Path] = []
    flow.open_file = opened.append
    return flow, opened


def status_of(desk, ref: str) -> str:
    return load_register(desk, "commitments", keys=[ref])[0].status


def mfa_return(desk, folder: Path, name: str = "return.xlsx") -> Path:
    out = folder / name
    export_workbook(desk, ExportRequest(agency="MFA"), out)
    return out


def edit_workbook(path: Path, out: Path, changes: dict[tuple[str, str], object]) -> Path:
    """Change cells as a ministry would: ``(ref, header) -> value`` on the Commitments sheet."""
    book = openpyxl.load_workbook(path)
    sheet = book["Commitments"]
    headers = {cell.value: cell.column for cell in sheet[2] if cell.value}
    rows = {sheet.cell(r, 1).value: r for r in range(3, sheet.max_row + 1)}
    for (ref, header), value in changes.items():
        sheet.cell(rows[ref], headers[header]).value = value
    book.save(out)
    return out


def tree_rows(wizard) -> dict[str, dict[str, tuple[str, ...]]]:
    """The preview tree as the user reads it: record -> field -> the row's texts."""
    tree = wizard.preview_page.tree
    found = {}
    for number in range(tree.topLevelItemCount()):
        record = tree.topLevelItem(number)
        found[record.text(COL_WHAT)] = {
            record.child(i).text(COL_WHAT): tuple(
                record.child(i).text(c) for c in range(tree.columnCount())
            )
            for i in range(record.childCount())
        }
    return found


def record_item(wizard, ref: str):
    tree = wizard.preview_page.tree
    return next(
        tree.topLevelItem(i)
        for i in range(tree.topLevelItemCount())
        if tree.topLevelItem(i).text(COL_WHAT).startswith(ref + " ")
    )


# -- the actions ------------------------------------------------------------------------------


def test_the_actions_are_in_the_file_menu_and_follow_the_desk(
    qtbot, window, context, demo_desk_location
):
    actions = window.actions_
    file_menu = actions.menus["&File"].actions()
    for name, text, keys in (
        ("export_workbook", "Export workbook…", "Ctrl+E"),
        ("import_workbook", "Import workbook…", "Ctrl+I"),
        ("import_history", "Import history…", ""),
    ):
        action = getattr(actions, name)
        assert action.text().replace("&", "") == text
        assert action.shortcut().toString() == keys
        assert action in file_menu
        assert not action.isEnabled()  # no desk yet
    assert "Ctrl+E\tExport workbook…" in actions.shortcut_lines()
    context.read_only = True
    assert open_desk_into(context, window, demo_desk_location)
    # A read-only desk's import history can be read, but nothing imported, and nothing
    # exported either: every export is recorded in the desk.
    assert not actions.export_workbook.isEnabled()
    assert actions.import_history.isEnabled()
    assert not actions.import_workbook.isEnabled()
    flow = ExchangeFlow(context, window)
    assert flow.start_import() is None
    assert flow.start_export() is None
    assert "every export is recorded in the desk" in window.statusBar().currentMessage()
    actions.import_history.trigger()
    dialog = flow.history_dialog
    assert dialog is not None
    assert dialog.isVisible()
    assert not dialog.undo_button.isEnabled()
    assert "read-only" in dialog.status_label.text()
    dialog.reject()


# -- export ----------------------------------------------------------------------------------


def test_exporting_a_return_for_mfa_writes_only_mfas_commitments(
    qtbot, window, context, shown_demo, tmp_path, shots
):
    flow, opened = shown_demo
    flow.today = lambda: date(2026, 11, 22)
    window.actions_.export_workbook.trigger()
    dialog = flow.export_dialog
    assert dialog is not None
    assert dialog.isVisible()
    assert dialog.register_radio.isChecked()
    assert dialog.output_path().name == "NLD-register-2026-11-22.xlsx"
    assert not dialog.agency_combo.isEnabled()
    assert dialog.ceiling_combo.currentData() == "INTERNAL"  # the desk's default
    for widget in (dialog.agency_combo, dialog.ceiling_combo, dialog.output_edit):
        assert widget.accessibleName()
    dialog.return_radio.click()
    dialog.agency_combo.setCurrentIndex(dialog.agency_combo.findData("MFA"))
    assert dialog.agency_combo.isEnabled()
    assert dialog.agency_combo.currentText() == "MFA — Ministry of Foreign Affairs"
    assert dialog.output_path().name == "NLD-return-MFA-2026-11-22.xlsx"
    out = tmp_path / "for MFA.xlsx"
    flow.choose_save_file = lambda parent, title, suggested: out
    dialog.output.chooser = flow.choose_save_file
    qtbot.mouseClick(dialog.browse_button, Qt.MouseButton.LeftButton)
    assert dialog.output_path() == out
    grab(dialog, shots, "export_dialog")
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)

    # Only MFA's commitments within the ceiling, read back from the file.
    sheet = openpyxl.load_workbook(out)["Commitments"]
    refs = {sheet.cell(r, 1).value for r in range(3, sheet.max_row + 1)} - {None}
    rows = load_register(context.desk, "commitments")
    leads = {r.key for r in rows if r.cells[3] == "MFA"}
    within = {
        r.key for r in rows if r.cells[3] == "MFA" and r.sensitivity in ("PUBLIC", "INTERNAL")
    }
    assert refs == within  # those marked above the ceiling are left out
    assert leads - within == leads - refs
    message = window.statusBar().currentMessage()
    # the rows, and what the return left out: commitments above the ceiling, and
    # progress entries or targets deciding a status or target, said to be withheld
    assert message.startswith(
        f"Workbook written: the return for MFA, {len(within)} rows in 1 sheet, marked Internal ("
    )
    assert message.endswith(" withheld)")
    box = flow.message_box
    assert box is not None
    assert box.isVisible()
    assert box.text() == "The return for MFA was written to for MFA.xlsx."
    withheld = message.rsplit("(", 1)[1].split(" ")[0]  # the status bar's count
    assert (
        f"{withheld} records marked above the audience ceiling were left out"
        in box.informativeText()
    )
    grab(box, shots, "export_written")
    button(box, "Show the folder").click()
    assert opened == [tmp_path]
    # The next export starts from these choices.
    window.actions_.export_workbook.trigger()
    again = flow.export_dialog
    assert again.return_radio.isChecked()
    assert again.agency_combo.currentData() == "MFA"
    assert again.output_path() == tmp_path / "NLD-return-MFA-2026-11-22.xlsx"
    again.reject()


def test_a_cancelled_export_leaves_no_file(qtbot, window, context, shown_demo, tmp_path):
    flow, _ = shown_demo
    background = context.background
    original = background.run_with_progress

    def cancel_at_once(title, work, *args, **kwargs):  # the user presses Cancel at once
        def cancelled_work(progress):
            progress.cancel()
            return work(progress)

        return original(title, cancelled_work, *args, **kwargs)

    background.run_with_progress = cancel_at_once
    flow.export(context.desk, ExportRequest(), tmp_path / "register.xlsx")
    assert "cancelled, and no file was left" in window.statusBar().currentMessage()
    assert list(tmp_path.glob("*.xlsx")) == []


# -- import ----------------------------------------------------------------------------------


def test_an_edited_return_is_previewed_applied_listed_and_undone(
    qtbot, window, context, shown_demo, tmp_path, shots, modal
):
    flow, _ = shown_demo
    desk = context.desk
    edited = edit_workbook(
        mfa_return(desk, tmp_path),
        tmp_path / "MFA return, filled in.xlsx",
        {
            ("C-0002", "Status"): "In progress",
            ("C-0002", "Progress since last update"): "Bill sent to parliament on 3 November.",
        },
    )
    assert status_of(desk, "C-0002") == "pledged"
    context.data.actions.update("commitment", "C-0001", {"notes": "typed before the import"})
    assert window.undo_stack.canUndo()
    window.workspace.open_register_record("commitments", "C-0002")

    chosen: list[Path] = []

    def choose(parent, title, folder):
        chosen.append(folder)
        return edited

    flow.choose_open_file = choose
    window.actions_.import_workbook.trigger()
    wizard = flow.wizard
    assert wizard is not None
    assert wizard.isVisible()
    assert wizard.page() == CHOOSE
    assert not wizard.next_button.isEnabled()  # no file yet
    grab(wizard, shots, "import_choose")
    qtbot.mouseClick(wizard.choose_page.browse_button, Qt.MouseButton.LeftButton)
    assert chosen == [desk.files_folder()]
    assert wizard.page() == PREVIEW
    summary = wizard.preview_page.summary_label.text()
    assert summary.startswith("Return from MFA · ")
    assert summary.endswith(
        " rows read · 1 record and 2 fields would change · no conflicts · no refused cells"
    )
    rows = tree_rows(wizard)
    (label,) = rows
    assert label.startswith("C-0002 Work for the early entry into force")
    status = rows[label]["Status"]
    assert (status[COL_CELL], status[COL_OLD], status[COL_NEW]) == (
        "Commitments!D4",
        "Pledged",
        "In progress",
    )
    narrative = rows[label]["Progress since last update"]
    assert narrative[COL_OLD] == "(added to the history)"
    assert narrative[COL_NEW] == "Bill sent to parliament on 3 November."
    assert not wizard.preview_page.conflict_buttons.isVisible()
    assert wizard.apply_button.isEnabled()
    assert not wizard.apply_button.isDefault()  # Return in the list never imports
    grab(wizard, shots, "import_preview")

    qtbot.mouseClick(wizard.apply_button, Qt.MouseButton.LeftButton)
    assert wizard.page() == RESULT
    said = wizard.result_page.result_label.text()
    assert "1 record: 2 fields, 1 progress entry" in said
    assert "File ▸ Import history" in wizard.result_page.undo_label.text()
    assert "Ctrl+Z does not undo an import" in wizard.result_page.undo_label.text()
    assert wizard.close_button.text() == "Close"
    grab(wizard, shots, "import_result")
    assert status_of(desk, "C-0002") == "in_progress"
    # The register on screen shows it, and Ctrl+Z cannot write over the import.
    view = window.workspace.registers["commitments"]
    shown = {view.model.row_at(r).key: view.model.row_at(r) for r in range(view.model.rowCount())}
    assert shown["C-0002"].status == "in_progress"
    assert not window.undo_stack.canUndo()
    assert "Undo it from File ▸ Import history" in window.statusBar().currentMessage()
    qtbot.mouseClick(wizard.close_button, Qt.MouseButton.LeftButton)
    assert not wizard.isVisible()

    window.actions_.import_history.trigger()
    history = flow.history_dialog
    assert history.table.rowCount() == 1
    cells = [history.table.item(0, c).text() for c in range(history.table.columnCount())]
    assert cells[1:4] == ["MFA return, filled in.xlsx", "Return", "MFA"]
    assert cells[5] == "1 record: 2 fields, 1 progress entry"
    assert cells[6] == ""
    assert history.undo_button.isEnabled()
    grab(history, shots, "import_history")
    modal.click("Undo import")
    qtbot.mouseClick(history.undo_button, Qt.MouseButton.LeftButton)
    title, text = modal.seen[0]
    assert title == "Undo this import?"
    assert "MFA return, filled in.xlsx from MFA" in text
    assert "1 record: 2 fields, 1 progress entry" in text
    assert status_of(desk, "C-0002") == "pledged"
    assert history.table.item(0, 6).text()  # when it was undone
    assert not history.undo_button.isEnabled()
    assert "was undone" in history.status_label.text()
    assert window.statusBar().currentMessage().startswith("Import undone:")
    shown = {view.model.row_at(r).key: view.model.row_at(r) for r in range(view.model.rowCount())}
    assert shown["C-0002"].status == "pledged"
    history.reject()


def test_a_refused_cell_blocks_the_import_and_is_listed(
    qtbot, window, context, shown_demo, tmp_path, shots
):
    flow, _ = shown_demo
    desk = context.desk
    edited = edit_workbook(
        mfa_return(desk, tmp_path),
        tmp_path / "bad.xlsx",
        {("C-0002", "Status"): "nonsense", ("C-0007", "Status"): "Completed"},
    )
    wizard = flow.start_import(edited)
    assert wizard.page() == PREVIEW
    assert not wizard.apply_button.isEnabled()
    assert wizard.preview_page.blocked_label.isVisible()
    assert wizard.preview_page.blocked_label.text().startswith(BLOCKED)
    assert wizard.preview_page.details_tabs.tabText(0) == "Refused cells (1)"
    refused = [wizard.preview_page.refused_list.item(0, c).text() for c in range(4)]
    assert refused[:3] == ["Commitments!D4", "Status", "nonsense"]
    assert refused[3].startswith("expected one of the list: Pledged, In progress")
    grab(wizard, shots, "import_refused")
    wizard.apply()  # even asked directly, nothing happens
    assert wizard.page() == PREVIEW
    assert status_of(desk, "C-0007") == "in_progress"
    wizard.reject()


def test_a_conflict_must_be_settled_before_apply(
    qtbot, window, context, shown_demo, tmp_path, shots
):
    flow, _ = shown_demo
    desk = context.desk
    exported = mfa_return(desk, tmp_path)
    # After the export, the desk and the ministry both change C-0002's status.
    RecordService(desk).record_progress("C-0002", status="stalled", narrative="Blocked in cabinet")
    edited = edit_workbook(
        exported,
        tmp_path / "conflict.xlsx",
        {("C-0002", "Status"): "Completed", ("C-0007", "Next steps"): "Send the report"},
    )
    wizard = flow.start_import(edited)
    assert wizard.page() == PREVIEW
    rows = tree_rows(wizard)
    c2 = next(v for k, v in rows.items() if k.startswith("C-0002"))
    assert c2["Status"][COL_OLD] == "Stalled"
    assert c2["Status"][COL_NEW] == "Completed"
    assert c2["Status"][COL_CONFLICT] == "Conflict: choose a side"  # said, not only coloured
    item = record_item(wizard, "C-0002")
    conflict_row = item.child(0)
    assert not conflict_row.icon(COL_WHAT).isNull()
    assert conflict_row.background(COL_OLD).color() == conflict_colour(
        wizard.preview_page.tree.palette()
    )
    assert item.text(COL_WHAT).endswith("Commitments row 4   ·   1 conflict to settle")
    assert not wizard.apply_button.isEnabled()
    assert "Choose a side for 1 conflict" in wizard.preview_page.blocked_label.text()
    assert wizard.preview_page.conflict_buttons.isVisible()
    assert wizard.preview_page.take_button.isEnabled()  # the first record is chosen at first
    wizard.preview_page.only_conflicts_check.setChecked(True)
    assert record_item(wizard, "C-0007").isHidden()  # no conflict there
    assert not item.isHidden()
    wizard.preview_page.only_conflicts_check.setChecked(False)
    assert not record_item(wizard, "C-0007").isHidden()
    grab(wizard, shots, "import_conflict")
    wizard.preview_page.tree.clearSelection()
    assert not wizard.preview_page.take_button.isEnabled()  # nothing chosen in the list
    wizard.preview_page.tree.setCurrentItem(item)  # the record: "take all" of its conflicts
    assert wizard.preview_page.take_button.isEnabled()
    qtbot.mouseClick(wizard.preview_page.take_button, Qt.MouseButton.LeftButton)
    assert conflict_row.text(COL_CONFLICT) == "Conflict: take the workbook's"
    assert item.text(COL_WHAT).endswith("1 conflict settled")
    assert wizard.apply_button.isEnabled()
    grab(wizard, shots, "import_conflict_settled")
    qtbot.mouseClick(wizard.preview_page.keep_all_button, Qt.MouseButton.LeftButton)
    assert wizard.resolutions() == {(wizard.preview_page.tree.record_key(item), "status"): "desk"}
    qtbot.mouseClick(wizard.apply_button, Qt.MouseButton.LeftButton)
    assert wizard.page() == RESULT
    assert (
        "1 kept the desk's value, 0 took the workbook's" in wizard.result_page.result_label.text()
    )
    assert status_of(desk, "C-0002") == "stalled"
    assert RecordService(desk).values("commitment", "C-0007")["next_steps"] == "Send the report"
    wizard.reject()


def test_the_conflict_colours_read_in_a_dark_theme(
    qtbot, window, context, shown_demo, tmp_path, shots
):
    from tests.ui.test_screenshots import dark_palette

    flow, _ = shown_demo
    desk = context.desk
    exported = mfa_return(desk, tmp_path)
    RecordService(desk).record_progress("C-0002", status="stalled")
    edited = edit_workbook(exported, tmp_path / "dark.xlsx", {("C-0002", "Status"): "Completed"})
    app = QApplication.instance()
    light = app.palette()
    app.setPalette(dark_palette())  # as the system's dark theme does, before the wizard opens
    try:
        wizard = flow.start_import(edited)
        row = record_item(wizard, "C-0002").child(0)
        background = row.background(COL_OLD).color()
        text = wizard.preview_page.tree.palette().color(
            wizard.preview_page.tree.palette().ColorRole.Text
        )
        assert background.lightnessF() < 0.4 < text.lightnessF()  # light text on dark amber
        grab(wizard, shots, "import_conflict_dark")
        wizard.reject()
    finally:
        app.setPalette(light)


def test_a_desk_changed_since_the_preview_is_read_again(
    qtbot, window, context, shown_demo, tmp_path
):
    flow, _ = shown_demo
    desk = context.desk
    edited = edit_workbook(
        mfa_return(desk, tmp_path), tmp_path / "stale.xlsx", {("C-0002", "Status"): "Completed"}
    )
    wizard = flow.start_import(edited)
    assert wizard.apply_button.isEnabled()
    RecordService(desk).update("commitment", "C-0007", {"notes": "changed meanwhile"})
    qtbot.mouseClick(wizard.apply_button, Qt.MouseButton.LeftButton)
    assert wizard.page() == PREVIEW
    assert wizard.status_label.text() == STALE
    assert status_of(desk, "C-0002") == "pledged"
    qtbot.mouseClick(wizard.apply_button, Qt.MouseButton.LeftButton)
    assert wizard.page() == RESULT
    assert status_of(desk, "C-0002") == "completed"
    wizard.reject()


def test_a_cancelled_import_changes_nothing(qtbot, window, context, shown_demo, tmp_path):
    flow, _ = shown_demo
    desk = context.desk
    edited = edit_workbook(
        mfa_return(desk, tmp_path), tmp_path / "cancel.xlsx", {("C-0002", "Status"): "Completed"}
    )
    wizard = flow.start_import(edited)
    background = context.background
    original = background.run_with_progress

    def cancel_at_once(title, work, *args, **kwargs):
        def cancelled_work(progress):
            progress.cancel()
            return work(progress)

        return original(title, cancelled_work, *args, **kwargs)

    background.run_with_progress = cancel_at_once
    qtbot.mouseClick(wizard.apply_button, Qt.MouseButton.LeftButton)
    assert wizard.page() == PREVIEW
    assert "cancelled: nothing was changed" in wizard.status_label.text()
    assert wizard.apply_button.isEnabled()  # ready to try again
    assert status_of(desk, "C-0002") == "pledged"
    wizard.reject()


def test_an_import_changed_again_since_cannot_be_undone(
    qtbot, window, context, shown_demo, tmp_path, shots, modal
):
    flow, _ = shown_demo
    desk = context.desk
    edited = edit_workbook(
        mfa_return(desk, tmp_path),
        tmp_path / "next steps.xlsx",
        {("C-0002", "Next steps"): "Table the bill in January"},
    )
    wizard = flow.start_import(edited)
    wizard.apply()
    assert wizard.page() == RESULT
    wizard.reject()
    context.data.actions.update("commitment", "C-0002", {"next_steps": "Cabinet first"})
    history = flow.show_history()
    modal.click("Undo import")
    history.ask_undo()
    box = history.message_box
    assert box is not None
    assert box.isVisible()
    assert "cannot be undone" in box.text()
    assert "C-0002" in box.informativeText()
    assert "Nothing was changed" in box.informativeText()
    grab(box, shots, "import_undo_blocked")
    assert RecordService(desk).values("commitment", "C-0002")["next_steps"] == "Cabinet first"
    assert history.undo_button.isEnabled()  # still there to undo once the later edit is undone
    box.accept()
    history.reject()


def test_a_foreign_table_is_matched_column_by_column_then_imported(
    qtbot, window, context, shown_demo, tmp_path, shots
):
    flow, _ = shown_demo
    desk = context.desk
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Tracker"
    sheet.append(["Commitment ID", "Statut", "Progress", "Owner"])
    sheet.append(["C-0002", "In progress", "Draft bill approved by cabinet", "A. Jansen"])
    sheet.append(["C-0007", "Completed", "Report sent to the 1540 Committee", "B. de Vries"])
    path = tmp_path / "ministry tracker.xlsx"
    book.save(path)

    wizard = flow.start_import(path)
    assert wizard.page() == MAPPING
    assert wizard.mapping_page.mapping() == {
        "Commitment ID": "ref",
        "Statut": "status",
        "Progress": "narrative",
        "Owner": "",
    }
    combo = wizard.mapping_page.combo("Statut")
    assert combo.currentText() == "Status"
    assert combo.accessibleName() == "Imported as, for the column Statut"
    assert wizard.mapping_page.combo("Owner").currentText() == "(not imported)"
    assert "recognised" in wizard.mapping_page.note.text()
    grab(wizard, shots, "import_mapping")
    # Without a Ref column nothing can be matched: said, and Next waits.
    wizard.mapping_page.set_mapping("Commitment ID", "")
    assert not wizard.next_button.isEnabled()
    assert "No column is imported as Ref" in wizard.mapping_page.error.text()
    wizard.mapping_page.set_mapping("Commitment ID", "ref")
    wizard.mapping_page.set_mapping("Progress", "")  # only the statuses, this time
    qtbot.mouseClick(wizard.next_button, Qt.MouseButton.LeftButton)
    assert wizard.page() == PREVIEW
    assert wizard.preview_page.summary_label.text().startswith(
        "Table nsdesk did not write · 2 rows read"
    )
    fields = {field for record in tree_rows(wizard).values() for field in record}
    assert fields == {"Status"}
    qtbot.mouseClick(wizard.back_button, Qt.MouseButton.LeftButton)
    assert wizard.page() == MAPPING
    wizard.mapping_page.set_mapping("Progress", "narrative")
    qtbot.mouseClick(wizard.next_button, Qt.MouseButton.LeftButton)
    rows = tree_rows(wizard)
    c2 = next(v for k, v in rows.items() if k.startswith("C-0002"))
    assert c2["Status"][COL_CELL] == "Tracker!B2"
    assert c2["Progress since last update"][COL_NEW] == "Draft bill approved by cabinet"
    qtbot.mouseClick(wizard.apply_button, Qt.MouseButton.LeftButton)
    assert wizard.page() == RESULT
    assert status_of(desk, "C-0002") == "in_progress"
    assert status_of(desk, "C-0007") == "completed"
    wizard.reject()
    # The next table with these columns is matched as this one was.
    again = flow.start_import(path)
    assert again.page() == MAPPING
    assert "used last time" in again.mapping_page.note.text()
    again.reject()


def test_a_csv_renamed_xlsx_is_refused_in_plain_words(
    qtbot, window, context, shown_demo, tmp_path, shots
):
    flow, _ = shown_demo
    fake = tmp_path / "return.xlsx"
    fake.write_text("Ref,Status\nC-0002,Completed\n", encoding="utf-8")
    wizard = flow.start_import(fake)
    assert wizard.page() == CHOOSE
    said = wizard.choose_page.refusal_error.text()
    assert wizard.choose_page.refusal_error.isVisible()
    assert said.startswith("return.xlsx cannot be imported: this is a text file (CSV)")
    assert "save it as .xlsx" in said
    assert said.endswith("Nothing was changed in the desk.")
    assert wizard.next_button.isEnabled()  # another file, or the same once saved again
    assert not wizard.busy
    grab(wizard, shots, "import_refused_file")
    wizard.reject()
    assert not wizard.isVisible()


def test_reading_and_applying_run_off_the_gui_thread(qtbot, window, context, shown_demo, tmp_path):
    from nsdesk.ui.background import Background

    flow, _ = shown_demo
    desk = context.desk
    edited = edit_workbook(
        mfa_return(desk, tmp_path), tmp_path / "threaded.xlsx", {("C-0002", "Status"): "Stalled"}
    )
    context.background = Background(window)  # on the thread pool, as in the app
    wizard = flow.start_import(edited)
    assert wizard.busy  # reading: the buttons wait, Escape does not close the wizard
    assert not wizard.next_button.isEnabled()
    assert not wizard.close_button.isEnabled()
    wizard.reject()
    assert wizard.isVisible()
    qtbot.waitUntil(lambda: wizard.page() == PREVIEW, timeout=30_000)
    assert not wizard.busy
    qtbot.mouseClick(wizard.apply_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.page() == RESULT, timeout=30_000)
    assert status_of(desk, "C-0002") == "stalled"
    context.background.wait()
    wizard.reject()


def test_apply_waits_for_the_confirmation_of_a_lowered_marking(
    qtbot, window, context, shown_demo, tmp_path, shots
):
    from sqlalchemy import select

    from nsdesk.store import tables as t

    flow, _ = shown_demo
    desk = context.desk
    register = tmp_path / "register.xlsx"
    export_workbook(desk, ExportRequest(), register)
    book = openpyxl.load_workbook(register)
    sheet = book["Commitments"]
    headers = {cell.value: cell.column for cell in sheet[2] if cell.value}
    row = next(r for r in range(3, sheet.max_row + 1) if sheet.cell(r, 1).value == "C-0002")
    assert sheet.cell(row, headers["Sensitivity"]).value == "INTERNAL"
    sheet.cell(row, headers["Sensitivity"]).value = "PUBLIC"
    book.save(tmp_path / "lowered.xlsx")
    letter = openpyxl.utils.get_column_letter(headers["Sensitivity"])

    wizard = flow.start_import(tmp_path / "lowered.xlsx")
    assert wizard.page() == PREVIEW
    assert wizard.preview_page.lowering_box.isVisible()
    said = wizard.preview_page.lowering_label.text()
    assert f"C-0002 (Commitments!{letter}{row}) from INTERNAL to PUBLIC" in said
    assert not wizard.preview_page.lowering_check.isChecked()
    assert not wizard.apply_button.isEnabled()
    assert "lowers the marking of 1 record" in wizard.preview_page.blocked_label.text()
    grab(wizard, shots, "import_lowered_marking")
    wizard.apply()  # even asked directly, nothing happens
    assert wizard.page() == PREVIEW
    qtbot.mouseClick(wizard.preview_page.lowering_check, Qt.MouseButton.LeftButton)
    assert wizard.apply_button.isEnabled()
    assert not wizard.preview_page.blocked_label.isVisible()
    qtbot.mouseClick(wizard.apply_button, Qt.MouseButton.LeftButton)
    assert wizard.page() == RESULT
    assert RecordService(desk).values("commitment", "C-0002")["sensitivity"] == "PUBLIC"
    with desk.connect() as connection:
        note = connection.execute(
            select(t.audit_entry.c.note)
            .where(t.audit_entry.c.field == "sensitivity")
            .order_by(t.audit_entry.c.id.desc())
            .limit(1)
        ).scalar_one()
    assert note.startswith("Marking lowered from INTERNAL to PUBLIC by import of lowered.xlsx")
    assert note.endswith("in the import preview")
    wizard.reject()


def test_a_foreign_tables_ceiling_is_the_default_marking_unless_chosen(
    qtbot, window, context, shown_demo, tmp_path, shots
):
    flow, _ = shown_demo
    desk = context.desk
    restricted = next(
        r.key
        for r in load_register(desk, "commitments")
        if r.sensitivity == "RESTRICTED" and not r.retired
    )
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Tracker"
    sheet.append(["Commitment ID", "Statut"])
    sheet.append(["C-0002", "Stalled"])
    sheet.append([restricted, "Withdrawn"])
    book.save(tmp_path / "tracker.xlsx")

    wizard = flow.start_import(tmp_path / "tracker.xlsx")
    assert wizard.page() == MAPPING
    assert (
        wizard.mapping_page.ceiling_combo.currentText()
        == "Marked up to Internal (the desk's default marking)"
    )
    assert wizard.foreign_ceiling() is None
    grab(wizard, shots, "import_mapping_ceiling")
    qtbot.mouseClick(wizard.next_button, Qt.MouseButton.LeftButton)
    assert wizard.page() == PREVIEW
    assert not wizard.apply_button.isEnabled()
    refused = [wizard.preview_page.refused_list.item(0, c).text() for c in range(4)]
    assert refused[0] == "Tracker!3:3"
    assert "above the ceiling of this import (Internal)" in refused[3]
    qtbot.mouseClick(wizard.back_button, Qt.MouseButton.LeftButton)
    wizard.mapping_page.set_foreign_ceiling("RESTRICTED")
    qtbot.mouseClick(wizard.next_button, Qt.MouseButton.LeftButton)
    assert wizard.page() == PREVIEW
    assert wizard.preview.ceiling == "RESTRICTED"
    assert {k.split()[0] for k in tree_rows(wizard)} == {"C-0002", restricted}
    assert wizard.apply_button.isEnabled()
    qtbot.mouseClick(wizard.apply_button, Qt.MouseButton.LeftButton)
    assert wizard.page() == RESULT
    assert status_of(desk, restricted) == "withdrawn"
    wizard.reject()
