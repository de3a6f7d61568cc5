"""The main window, driven on real desks: what it shows, its actions, its layout."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from nsdesk.domain.enums import DeadlineState
from nsdesk.services.records.register_rows import RegisterFilter, filter_rows
from nsdesk.services.records.registers import load_register
from nsdesk.ui.desk.opening_flow import open_desk_into
from nsdesk.ui.main_window import MainWindow
from nsdesk.ui.wording import desk_name


def test_the_window_shows_the_desk_its_state_and_the_demo_label(
    window, context, demo_desk_location
):
    assert open_desk_into(context, window, demo_desk_location)
    # the file's name, or "register on HOST/DB"
    name = desk_name(demo_desk_location)
    assert window.windowTitle() == f"{name} — Netherlands — nsdesk [DEMO]"
    banner = window.workspace.banner
    assert banner.demo_label.isVisible()
    assert not banner.read_only_label.isVisible()
    assert "Netherlands" in banner.title_label.text()
    assert window.workspace.current_page() == "dashboard"
    assert window.workspace.dashboard.tiles["total"].value_label.text() == "60"
    assert "DEMO" in window.desk_status.text()
    assert str(demo_desk_location) in window.desk_status.text()
    if context.desk.is_file:  # a shared register is not a recent desk file
        assert context.settings.last_desk == demo_desk_location.resolve()


def test_every_section_is_one_keystroke_away(qtbot, window, context, demo_desk_location):
    open_desk_into(context, window, demo_desk_location)
    labels = [window.workspace.navigation.item(i).text() for i in range(9)]
    assert labels == [
        "Dashboard",
        "Commitments",
        "Gift baskets",
        "Instruments",
        "Events & documents",
        "Agencies",
        "Reporting",
        "Baselines",
        "History",
    ]
    window.actions_.page_1.trigger()  # Ctrl+2
    assert window.workspace.current_page() == "commitments"
    assert window.workspace.current_register().model.rowCount() == 60
    window.actions_.page_8.trigger()  # Ctrl+9
    assert window.workspace.current_page() == "history"
    shortcuts = {
        a.text().replace("&", ""): a.shortcut().toString() for a in window.actions_.by_name.values()
    }
    assert shortcuts["Search the desk…"] == "Ctrl+K"
    assert shortcuts["New record…"] == "Ctrl+N"
    assert window.actions_.undo.shortcut().toString() == "Ctrl+Z"


def test_the_dashboard_late_figure_opens_the_late_commitments(window, context, demo_desk_location):
    open_desk_into(context, window, demo_desk_location)
    late = window.workspace.dashboard.tiles["late"]
    late.click()
    view = window.workspace.current_register()
    assert view.definition.name == "commitments"
    assert view.filter_bar.current().deadline == "late"
    rows = load_register(context.desk, "commitments")
    expected = filter_rows(rows, RegisterFilter(deadline="late"))
    assert view.model.rowCount() == len(expected) == int(late.value_label.text())
    assert all(
        view.model.row_at(r).deadline is DeadlineState.LATE for r in range(view.model.rowCount())
    )


def test_a_file_that_is_not_a_desk_is_explained_and_the_window_stays_usable(
    window, context, tmp_path, monkeypatch
):
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: shown.append(args[1:3]))
    text_file = tmp_path / "notes.nsdesk"
    text_file.write_text("not a desk")
    assert not open_desk_into(context, window, text_file)
    assert shown == [("The desk could not be opened", f"{text_file}\n\nA text file, not a desk.")]
    assert "A text file, not a desk." in window.message_label.text()
    assert text_file.read_text() == "not a desk"
    assert window.menuBar().isEnabled()


def test_a_read_only_desk_says_so_and_offers_no_edits(window, context, demo_desk_location):
    context.read_only = True
    assert open_desk_into(context, window, demo_desk_location)
    assert window.windowTitle().endswith("[DEMO] [read-only]")
    assert window.workspace.banner.read_only_label.isVisible()
    assert "you opened it read-only" in window.workspace.banner.read_only_label.text()
    assert not window.actions_.new_record.isEnabled()
    assert window.actions_.search.isEnabled()


def test_undo_and_redo_survive_switching_views(qtbot, window, context, demo_desk_location):
    open_desk_into(context, window, demo_desk_location)
    workspace = window.workspace
    view = workspace.open_register_record("commitments", "C-0012")
    commitments = workspace.registers["commitments"]
    title = commitments.editor.fields["title"].widget
    title.setFocus()
    title.selectAll()
    qtbot.keyClicks(title, "Fund a regional nuclear security master's programme")
    qtbot.keyClick(title, Qt.Key.Key_Return)
    assert view
    workspace.show_page("history")
    history = workspace.history_view.model
    assert history.row_at(0).new_value == "Fund a regional nuclear security master's programme"
    workspace.show_page("gift_baskets")
    window.actions_.undo.trigger()
    # Undo shows what it undid: the commitment, with its old title.
    assert workspace.current_page() == "commitments"
    assert commitments.current_key() == "C-0012"
    assert title.text() != "Fund a regional nuclear security master's programme"
    window.actions_.redo.trigger()
    assert title.text() == "Fund a regional nuclear security master's programme"
    assert context.data.values("commitment", "C-0012")["title"] == title.text()


def test_opening_another_desk_forgets_the_undo_steps(
    qtbot, window, context, demo_desk_location, new_desk_location
):
    open_desk_into(context, window, demo_desk_location)
    context.data.actions.retire("commitment", "C-0001")
    assert window.undo_stack.canUndo()
    open_desk_into(context, window, new_desk_location)
    assert not window.undo_stack.canUndo()


def test_the_window_appears_without_loading_the_store():
    import subprocess
    import sys

    code = (
        "import sys; import nsdesk.app, nsdesk.ui.main_window; "
        "heavy = [m for m in ('sqlalchemy', 'alembic', 'reportlab', 'openpyxl') "
        "if m in sys.modules]; print(heavy)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_a_window_without_a_desk_disables_what_needs_one(qtbot):
    window = MainWindow()
    qtbot.addWidget(window)
    assert not window.actions_.backups.isEnabled()
    assert not window.actions_.new_record.isEnabled()
    assert window.actions_.open_desk.isEnabled()
    assert window.actions_.new_desk.isEnabled()


def test_showing_a_desk_never_loads_the_orm(demo_desk_location):
    """The first window's data path (the dashboard) is SQLAlchemy Core only: the
    mapped classes (ten times slower to import) load when something is first edited."""
    import subprocess
    import sys

    code = (
        "import sys; from pathlib import Path\n"
        "from nsdesk.services.desk import open_desk\n"
        "from nsdesk.services.overview.dashboard import load_dashboard\n"
        f"desk = open_desk({str(demo_desk_location)!r})\n"
        "assert load_dashboard(desk).total == 60\n"
        "print(sorted(m for m in sys.modules if m.startswith(('sqlalchemy.orm', "
        "'nsdesk.store.models', 'alembic'))))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_the_open_figure_lists_every_open_commitment(window, context, demo_desk_location):
    open_desk_into(context, window, demo_desk_location)
    tile = window.workspace.dashboard.tiles["open"]
    tile.click()
    view = window.workspace.current_register()
    shown = {view.model.row_at(r).cells[2] for r in range(view.model.rowCount())}
    assert view.model.rowCount() == int(tile.value_label.text())
    assert not shown & {"Completed", "Superseded", "Withdrawn"}


def test_the_dashboard_shows_an_edit_made_elsewhere_when_it_is_next_shown(
    window, context, demo_desk_location
):
    open_desk_into(context, window, demo_desk_location)
    total = window.workspace.dashboard.tiles["total"].value_label
    view = window.workspace.open_register_record("commitments", "C-0003")
    assert view
    window.workspace.registers["commitments"].retire_current()
    window.workspace.show_page("dashboard")
    assert total.text() == "59"
    window.actions_.undo.trigger()  # shows the commitment again, in its register
    window.workspace.show_page("dashboard")
    assert total.text() == "60"


def test_opening_a_desk_in_the_window_never_loads_the_orm(demo_desk_location):
    """Through the window's own path to the first sight of a desk, not only the
    dashboard's read: the record service (and the ORM) wait for the first edit."""
    import os
    import subprocess
    import sys

    code = (
        "import sys; from pathlib import Path\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "from nsdesk.ui.context import AppContext\n"
        "from nsdesk.ui.background import Background, run_now\n"
        "from nsdesk.ui.desk.opening_flow import open_desk_into\n"
        "from nsdesk.ui.main_window import MainWindow\n"
        "from nsdesk.ui.settings import AppSettings\n"
        "w = MainWindow(); w.show()\n"
        "c = AppContext(settings=AppSettings(), background=Background(executor=run_now))\n"
        "from nsdesk.domain.location import existing_desk_location\n"
        "assert open_desk_into(c, w, existing_desk_location(sys.argv[1]))\n"
        "app.processEvents()\n"
        "assert w.workspace.dashboard.tiles['total'].value_label.text() == '60'\n"
        "print(sorted(m for m in sys.modules if m.startswith(('sqlalchemy.orm', "
        "'nsdesk.store.models', 'alembic'))))\n"
        "c.close_desk()\n"
    )
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run(
        [sys.executable, "-c", code, str(demo_desk_location)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
        timeout=180,
    )
    assert result.stdout.strip() == "[]"
