"""A register fits a small laptop: its form never scrolls sideways, its list gives
its spare width to the title, and the editor beside it starts narrower than the
list and keeps the width the user gives it, between sessions too."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from nsdesk.domain.records import spec_for
from nsdesk.ui.desk.opening_flow import open_desk_into
from nsdesk.ui.records.new_record_dialog import NewRecordDialog
from nsdesk.ui.settings import AppSettings
from nsdesk.ui.workspace.workspace_view import DeskWorkspace
from tests.ui.fit_check import fit_problems

TITLE = 1  # the commitments' title column


def settle() -> None:
    for _ in range(3):
        QApplication.processEvents()


@pytest.fixture
def small_window(window, context, demo_desk_path):
    """The demo desk in a window of a 1,024×700 laptop screen."""
    window.resize(1024, 700)
    assert open_desk_into(context, window, demo_desk_path)
    return window


def test_the_window_fits_a_1024_pixel_screen(small_window):
    for page in ("commitments", "gift_baskets", "instruments", "events", "reporting"):
        small_window.workspace.show_page(page)
        settle()
        assert small_window.width() == 1024, page


def test_the_title_column_takes_the_spare_width_on_a_small_screen(small_window):
    view = small_window.workspace.open_register("commitments")
    settle()
    header = view.table.horizontalHeader()
    title = header.sectionSize(TITLE)
    others = [header.sectionSize(c) for c in range(header.count()) if c != TITLE]
    assert title > max(others)  # it was 60 px (three letters) beside 130 px of status
    assert title >= view.table.fontMetrics().averageCharWidth() * 16
    assert not view.table.horizontalScrollBar().isVisible()


def test_the_editor_starts_narrower_than_the_list(small_window):
    for page in ("commitments", "gift_baskets", "events", "reporting"):
        small_window.workspace.show_page(page)
        settle()
        view = small_window.workspace.current_register()
        assert view is not None
        list_width, editor_width = view.splitter.sizes()
        assert editor_width < list_width, page
        assert not fit_problems(small_window), page


def test_a_wider_window_widens_the_list_not_the_editor(small_window):
    view = small_window.workspace.open_register("commitments")
    settle()
    view.splitter.moveSplitter(view.splitter.sizes()[0] - 40, 1)  # the user widens the editor
    editor = view.splitter.sizes()[1]
    small_window.resize(1366, 768)
    settle()
    assert view.splitter.sizes()[1] == editor


def test_the_editor_width_is_kept_between_sessions(qtbot, tmp_path, demo_data):
    first = DeskWorkspace()
    qtbot.addWidget(first)
    first.resize(1280, 760)
    first.show_desk(demo_data, demo_data.desk.path)
    first.show()
    view = first.open_register("commitments")
    settle()
    view.splitter.moveSplitter(view.splitter.sizes()[0] - 57, 1)
    chosen = view.splitter.sizes()[1]
    settings = AppSettings(tmp_path / "settings.ini")
    first.save_layout(settings)
    settings.sync()

    again = DeskWorkspace()
    qtbot.addWidget(again)
    again.resize(1366, 768)  # another day, another screen
    again.show_desk(demo_data, demo_data.desk.path)
    again.restore_layout(AppSettings(tmp_path / "settings.ini"))
    again.show()
    settle()
    assert again.open_register("commitments").splitter.sizes()[1] == chosen


def test_the_new_commitment_form_never_scrolls_sideways(qtbot, small_window):
    view = small_window.workspace.open_register("commitments")
    assert view.data is not None
    dialog = NewRecordDialog(spec_for("commitment"), view.data, parent=small_window)
    qtbot.addWidget(dialog)
    dialog.show()
    settle()
    scroll = dialog.findChild(type(view.detail_scroll))
    for name, field in dialog.editor.fields.items():
        field.widget.setFocus()  # as the user tabs through it
        settle()
        assert scroll.horizontalScrollBar().value() == 0, name
        assert not scroll.horizontalScrollBar().isVisible(), name
    assert not fit_problems(dialog)
    assert dialog.height() <= 700
