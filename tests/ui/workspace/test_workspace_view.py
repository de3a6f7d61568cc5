"""The open desk's workspace between sessions: the page shown and each register's
columns come back from the app's settings file."""

from nsdesk.ui.settings import AppSettings
from nsdesk.ui.workspace.workspace_view import DeskWorkspace


def workspace(qtbot, data) -> DeskWorkspace:
    shown = DeskWorkspace()
    qtbot.addWidget(shown)
    shown.show_desk(data, data.desk.location)
    return shown


def test_the_page_and_a_registers_columns_come_back_next_time(qtbot, tmp_path, demo_data):
    first = workspace(qtbot, demo_data)
    first.open_register("commitments").table.horizontalHeader().setSectionHidden(3, True)
    first.show_page("instruments")
    settings = AppSettings(tmp_path / "settings.ini")
    first.save_layout(settings)
    settings.sync()

    again = workspace(qtbot, demo_data)
    again.restore_layout(AppSettings(tmp_path / "settings.ini"))
    assert again.current_page() == "instruments"
    assert "commitments" not in again.registers  # a register is built when first shown
    commitments = again.open_register("commitments")
    assert commitments.table.horizontalHeader().isSectionHidden(3)
    assert not commitments.table.horizontalHeader().isSectionHidden(2)
