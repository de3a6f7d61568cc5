"""The main journeys through the real window: search and open, desk settings with
undo, and the first-run screen of an app started without a desk."""

from __future__ import annotations

from PySide6.QtCore import Qt

from nsdesk.ui.desk.desk_wiring import DeskWiring
from nsdesk.ui.desk.opening_flow import open_desk_into
from nsdesk.ui.workspace.search_flow import open_result


def test_search_finds_a_history_entry_and_enter_opens_its_commitment(
    qtbot, window, context, demo_desk_location
):
    from nsdesk.services.records.search import search_desk
    from nsdesk.ui.workspace.search_dialog import SearchDialog

    open_desk_into(context, window, demo_desk_location)
    context.data.actions.record_progress(
        "C-0021", status="in_progress", narrative="Gelderland forensics laboratory accredited"
    )
    dialog = SearchDialog(lambda q: search_desk(context.desk, q), window)
    qtbot.addWidget(dialog)
    dialog.debounce_ms = 0
    dialog.result_chosen.connect(lambda register, key: open_result(window, register, key))
    qtbot.keyClicks(dialog.query_edit, "gelderland accredited")
    dialog.run_search()
    qtbot.keyClick(dialog.query_edit, Qt.Key.Key_Return)
    view = window.workspace.current_register()
    assert view.definition.name == "commitments"
    assert view.current_key() == "C-0021"
    assert view.model.row_at(view.model.row_of("C-0021")).cells[2] == "In progress"


def test_desk_settings_change_the_banner_and_undo_puts_them_back(
    qtbot, window, context, demo_desk_location, monkeypatch
):
    wiring = DeskWiring(context, window)
    open_desk_into(context, window, demo_desk_location)
    before = context.desk.info().delegation
    from nsdesk.ui.desk import desk_flow as desk_flows

    def capture(ctx, win, apply):  # what the dialog's OK does, without the modal dialog
        apply({"delegation": "Permanent Mission to the IAEA, Vienna"})

    monkeypatch.setattr(desk_flows, "edit_desk_settings_flow", capture)
    wiring.edit_settings()
    assert context.desk.info().delegation == "Permanent Mission to the IAEA, Vienna"
    assert "Permanent Mission to the IAEA" in window.workspace.banner.subtitle_label.text()
    assert window.undo_stack.undoText() == "Change desk settings"
    window.undo_stack.undo()
    assert context.desk.info().delegation == before
    assert (before or "Delegation not named") in window.workspace.banner.subtitle_label.text()


def test_the_app_without_a_desk_opens_on_the_welcome_screen(tmp_path):
    """The real app, in its own process (it runs its own event loop and quits)."""
    import json
    import os
    import subprocess
    import sys

    code = (
        "import json\n"
        "from PySide6.QtCore import QTimer\n"
        "from PySide6.QtWidgets import QApplication\n"
        "from nsdesk.app import run_app\n"
        "from nsdesk.ui.main_window import MainWindow\n"
        "from nsdesk.ui.desk.welcome_view import WelcomeView\n"
        "app = QApplication([])\n"
        "seen = {}\n"
        "def inspect_then_quit():\n"
        "    win = next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow))\n"
        "    seen['welcome'] = isinstance(win.pages.currentWidget(), WelcomeView)\n"
        "    menu = win.menuBar().actions()[0].menu()\n"
        "    seen['keys'] = {a.text().replace('&', ''): a.shortcut().toString()\n"
        "                    for a in menu.actions()}\n"
        "    QApplication.quit()\n"
        "QTimer.singleShot(2500, inspect_then_quit)\n"
        "assert run_app(None) == 0\n"
        "print(json.dumps(seen))\n"
    )
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", NSDESK_HOME=str(tmp_path / "home"))
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["welcome"]
    # The shortcuts are added after the first paint, but they are there.
    assert seen["keys"]["Open desk…"] == "Ctrl+O"
    assert seen["keys"]["New desk…"] == "Ctrl+Shift+N"
    assert seen["keys"]["Quit"] == "Ctrl+Q"
