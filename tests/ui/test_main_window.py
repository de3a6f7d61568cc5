"""The first window, driven on real desks."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from nsdesk.domain.enums import DeadlineState
from nsdesk.services.desk import open_desk
from nsdesk.services.overview import load_overview
from nsdesk.ui.commitments_table_model import COL_DEADLINE, COL_REF
from nsdesk.ui.desk_opening import open_desk_into
from nsdesk.ui.main_window import MainWindow


def test_the_window_shows_the_desk_its_state_and_the_demo_label(window, context, demo_desk_path):
    assert open_desk_into(context, window, demo_desk_path)
    assert window.windowTitle() == "demo.nsdesk — Netherlands — nsdesk [DEMO]"
    view = window.overview_view
    assert view.demo_label.isVisible()
    assert not view.read_only_label.isVisible()
    assert "Netherlands" in view.title_label.text()
    assert view.tiles["commitments"].value_label.text() == "60"
    assert view.table.model().rowCount() == 60
    assert "DEMO" in window.desk_status.text()
    assert context.settings.last_desk == demo_desk_path.resolve()


def test_the_figures_match_the_register(window, context, demo_desk_path):
    open_desk_into(context, window, demo_desk_path)
    overview = load_overview(context.desk)
    tiles = window.overview_view.tiles
    assert tiles["late"].value_label.text() == str(overview.count_in(DeadlineState.LATE))
    assert tiles["at_risk"].value_label.text() == str(overview.count_in(DeadlineState.AT_RISK))


def test_filtering_and_sorting_the_commitments(qtbot, window, context, demo_desk_path):
    open_desk_into(context, window, demo_desk_path)
    view = window.overview_view
    qtbot.keyClicks(view.filter_edit, "forensics")
    table = view.table.model()
    titles = {table.index(r, 1).data() for r in range(table.rowCount())}
    assert titles
    assert all("forensics" in t.lower() for t in titles)
    view.filter_edit.clear()
    view.table.sortByColumn(COL_DEADLINE, Qt.SortOrder.AscendingOrder)
    assert table.index(0, COL_DEADLINE).data().startswith("Late")
    view.table.sortByColumn(COL_REF, Qt.SortOrder.AscendingOrder)
    assert table.index(0, COL_REF).data() == "C-0001"


def test_a_file_that_is_not_a_desk_is_explained_and_the_window_stays_usable(
    window, context, tmp_path, monkeypatch
):
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: shown.append(args[1:3]))
    text_file = tmp_path / "notes.nsdesk"
    text_file.write_text("not a desk")
    assert not open_desk_into(context, window, text_file)
    assert shown == [("The desk could not be opened", f"{text_file}\n\na text file, not a desk")]
    assert "a text file, not a desk" in window.message_label.text()
    assert text_file.read_text() == "not a desk"
    assert window.menuBar().isEnabled()


def test_a_read_only_desk_says_so(window, demo_desk_path):
    with open_desk(demo_desk_path, read_only=True) as desk:
        window.show_overview(load_overview(desk))
    assert window.windowTitle().endswith("[DEMO] [read-only]")
    assert window.overview_view.read_only_label.isVisible()


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


def test_showing_a_desk_never_loads_the_orm(demo_desk_path):
    """The first window's data path is SQLAlchemy Core only: the mapped classes
    (ten times slower to import) load when something is first edited."""
    import subprocess
    import sys

    code = (
        "import sys; from pathlib import Path\n"
        "from nsdesk.services.desk import open_desk\n"
        "from nsdesk.services.overview import load_overview\n"
        f"desk = open_desk(Path({str(demo_desk_path)!r}))\n"
        "assert len(load_overview(desk).commitments) == 60\n"
        "print(sorted(m for m in sys.modules if m.startswith(('sqlalchemy.orm', "
        "'nsdesk.store.models', 'alembic'))))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_opening_the_app_without_a_desk_explains_what_to_do(qtbot, monkeypatch):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from nsdesk.app import run_app

    seen = {}

    def inspect_then_quit():
        win = next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow))
        seen["text"] = win.message_label.text()
        seen["keys"] = [
            a.shortcut().toString() for a in win.menuBar().actions()[0].menu().actions()
        ]
        QApplication.quit()

    QTimer.singleShot(200, inspect_then_quit)
    assert run_app(None) == 0
    assert "No desk is open" in seen["text"]
    assert "nsdesk init" in seen["text"]
    # The shortcuts are added after the first paint, but they are there (Ctrl+O is
    # what the message tells the user to press).
    assert seen["keys"] == ["Ctrl+O", "Ctrl+Shift+B", "", "Ctrl+Q"]
