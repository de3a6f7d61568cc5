"""The app never replaces a pack or a workbook silently: a path typed into the output
field is confirmed before the dialog closes, and nothing is written before that."""

from __future__ import annotations

import hashlib

from PySide6.QtCore import Qt

from nsdesk.ui.desk.opening_flow import open_desk_into
from nsdesk.ui.exchange.exchange_flow import ExchangeFlow
from tests.conftest import DEMO_DAY


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_typed_existing_path_is_replaced_only_once_the_user_agrees(
    qtbot, window, context, demo_desk_location, tmp_path, modal
):
    assert open_desk_into(context, window, demo_desk_location)
    context.data.as_of = DEMO_DAY
    flow = ExchangeFlow(context, window)
    flow.open_file = lambda path: None
    out = tmp_path / "register.xlsx"
    out.write_bytes(b"the user's own file\n")
    before = _digest(out)
    window.actions_.export_workbook.trigger()
    dialog = flow.export_dialog
    dialog.output_edit.clear()
    qtbot.keyClicks(dialog.output_edit, str(out))  # typed, not chosen in a file dialog

    modal.click("No")
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    title, question = modal.seen[0]
    assert title == "Replace file — nsdesk"
    assert f"register.xlsx already exists in {tmp_path}. Replace it?" in question
    assert dialog.isVisible()  # still choosing: nothing was started
    assert _digest(out) == before
    assert [p.name for p in tmp_path.iterdir() if "xlsx" in p.name] == ["register.xlsx"]

    modal.click("Yes")
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: out.read_bytes()[:2] == b"PK", timeout=60_000)
    assert _digest(out) != before
