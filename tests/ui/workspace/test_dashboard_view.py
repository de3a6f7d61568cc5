"""Every figure of the dashboard clicks through to the register, by mouse and by
keyboard, with the filter or the record the user pointed at."""

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette

from nsdesk.domain.enums import Channel
from nsdesk.services.audit import Actor
from nsdesk.services.overview import dashboard as dashboard_module
from nsdesk.services.overview.dashboard import load_dashboard
from nsdesk.services.records.record_service import RecordService
from nsdesk.services.records.register_rows import RegisterFilter
from nsdesk.ui.widgets.bar_chart import BarChart
from nsdesk.ui.workspace.dashboard_view import DashboardView, late_colour
from tests.conftest import DEMO_DAY


@pytest.fixture
def board(demo_desk):
    return load_dashboard(demo_desk, as_of=DEMO_DAY)


@pytest.fixture
def view(qtbot, board):
    shown = DashboardView()
    qtbot.addWidget(shown)
    shown.resize(1180, 760)
    shown.show_dashboard(board)
    shown.show()
    qtbot.waitExposed(shown)
    return shown


def test_the_tiles_show_the_figures(view, board):
    assert view.tiles["total"].value_label.text() == f"{board.total:,}"
    assert view.tiles["late"].value_label.text() == f"{board.late.total:,}"
    assert view.tiles["at_risk"].value_label.text() == f"{board.at_risk.total:,}"
    assert "22 Nov 2026" in view.title_label.text()


@pytest.mark.parametrize(
    ("tile", "wanted"),
    [
        ("late", RegisterFilter(deadline="late")),
        ("at_risk", RegisterFilter(deadline="at_risk")),
        ("completed", RegisterFilter(status="completed")),
        ("total", RegisterFilter()),
    ],
)
def test_clicking_a_tile_opens_the_register_filtered(qtbot, view, tile, wanted):
    with qtbot.waitSignal(view.filter_requested) as signal:
        qtbot.mouseClick(view.tiles[tile], Qt.MouseButton.LeftButton)
    assert signal.args == ["commitments", wanted]


def test_a_tile_answers_the_keyboard(qtbot, view):
    view.tiles["late"].setFocus()
    with qtbot.waitSignal(view.filter_requested) as signal:
        qtbot.keyClick(view.tiles["late"], Qt.Key.Key_Return)
    assert signal.args == ["commitments", RegisterFilter(deadline="late")]


def test_clicking_a_status_bar_lists_that_status(qtbot, view, board):
    chart = view.status_chart
    index = next(i for i, bar in enumerate(chart.bars()) if bar.label == "Completed")
    with qtbot.waitSignal(view.filter_requested) as signal:
        qtbot.mouseClick(chart, Qt.MouseButton.LeftButton, pos=chart.bar_rect(index).center())
    assert signal.args == ["commitments", RegisterFilter(status="completed")]


def test_enter_on_the_focused_theme_bar_lists_that_theme(qtbot, view, board):
    chart = view.theme_chart
    chart.setFocus()
    qtbot.keyClick(chart, Qt.Key.Key_Down)
    qtbot.keyClick(chart, Qt.Key.Key_Down)
    assert chart.current_index() == 2
    with qtbot.waitSignal(view.filter_requested) as signal:
        qtbot.keyClick(chart, Qt.Key.Key_Return)
    assert signal.args == ["commitments", RegisterFilter(theme=board.by_theme[2].code)]


def test_a_chart_reads_its_figures_to_a_screen_reader(view, board):
    assert view.status_chart.accessibleName() == "Commitments by status"
    completed = next(c for c in board.by_status if c.status.value == "completed")
    assert f"Completed: {completed.count}" in view.status_chart.accessibleDescription()
    assert view.theme_chart.accessibleDescription().count(":") == len(board.by_theme)


def test_bars_are_as_long_as_their_values(qtbot):
    chart = BarChart()
    qtbot.addWidget(chart)
    chart.resize(500, chart.sizeHint().height())
    chart.set_bars([("a", "Ten", 10), ("b", "Five", 5), ("c", "None", 0)])
    assert chart.bar_rect(1).width() == pytest.approx(chart.bar_rect(0).width() / 2, abs=1)
    assert chart.bar_rect(2).width() < chart.bar_rect(1).width()


def test_activating_a_late_item_opens_that_commitment(qtbot, view, board):
    first = view.late_list.topLevelItem(0)
    view.late_list.setFocus()
    view.late_list.setCurrentItem(first)
    with qtbot.waitSignal(view.record_requested) as signal:
        qtbot.keyClick(view.late_list, Qt.Key.Key_Return)
    assert signal.args == ["commitments", board.late.items[0].ref]


def test_double_clicking_a_due_item_opens_it_in_its_register(qtbot, view, board):
    items = view.due_soon_list
    row = next(i for i, item in enumerate(board.due_soon.items) if item.register == "reporting")
    expected = board.due_soon.items[row]
    items.scrollToItem(items.topLevelItem(row))
    rect = items.visualItemRect(items.topLevelItem(row))
    with qtbot.waitSignal(view.record_requested) as signal:
        # A double click is a press and release, then the double click itself.
        qtbot.mouseClick(items.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(items.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert signal.args == ["reporting", expected.key]


def test_the_heading_of_the_next_event_lists_what_falls_due_before_it(qtbot, view, board):
    event = board.next_event
    assert event.name in view.due_before_button.text()
    with qtbot.waitSignal(view.filter_requested) as signal:
        qtbot.mouseClick(view.due_before_button, Qt.MouseButton.LeftButton)
    wanted = RegisterFilter(due_before=event.start_day, due_before_label=event.name)
    assert signal.args == ["commitments", wanted]


def test_the_rest_of_a_long_list_opens_in_the_register(qtbot, demo_desk, monkeypatch):
    monkeypatch.setattr(dashboard_module, "LIST_LIMIT", 3)
    board = load_dashboard(demo_desk, as_of=DEMO_DAY)
    view = DashboardView()
    qtbot.addWidget(view)
    view.show_dashboard(board)
    rest = view.late_list.topLevelItem(3)
    assert rest.text(0) == f"… and {board.late.more:,} more: show them in the register"
    with qtbot.waitSignal(view.filter_requested) as signal:
        view.late_list.itemActivated.emit(rest, 0)
    assert signal.args == ["commitments", RegisterFilter(deadline="late")]


def test_the_latest_edit_heads_recent_changes_and_opens_its_record(qtbot, demo_desk):
    service = RecordService(
        demo_desk, Actor("officer@laptop", Channel.TYPED), today=lambda: DEMO_DAY
    )
    service.update("commitment", "C-0002", {"title": "Host a peer review"})
    view = DashboardView()
    qtbot.addWidget(view)
    view.show_dashboard(load_dashboard(demo_desk, as_of=DEMO_DAY))
    newest = view.recent_list.topLevelItem(0)
    assert newest.text(1).startswith("Edited C-0002 Host a peer review")
    assert newest.text(3) == "officer@laptop"
    with qtbot.waitSignal(view.record_requested) as signal:
        view.recent_list.itemActivated.emit(newest, 0)
    assert signal.args == ["commitments", "C-0002"]


def test_an_empty_desk_says_so_instead_of_showing_blank_lists(qtbot, desk):
    view = DashboardView()
    qtbot.addWidget(view)
    view.show_dashboard(load_dashboard(desk, as_of=date(2026, 11, 22)))
    assert view.late_list.topLevelItem(0).text(0) == "Nothing is late."
    assert view.tiles["total"].value_label.text() == "0"
    assert view.theme_chart.accessibleDescription() == "No data"


@pytest.mark.parametrize("window", ["#f0f0f0", "#ffffff", "#2b2b2b", "#1e1e1e"])
def test_the_late_red_reads_on_light_and_dark_windows(window):
    palette = QPalette()
    palette.setColor(QPalette.ColorRole.Window, QColor(window))
    red = late_colour(palette)
    assert contrast(red, QColor(window)) >= 4.5


def contrast(a: QColor, b: QColor) -> float:
    def luminance(colour: QColor) -> float:
        channels = []
        for value in (colour.redF(), colour.greenF(), colour.blueF()):
            channels.append(value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4)
        r, g, b_ = channels
        return 0.2126 * r + 0.7152 * g + 0.0722 * b_

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_every_control_has_a_name_for_screen_readers(view):
    from PySide6.QtWidgets import QAbstractButton, QTreeWidget

    controls = [*view.findChildren(QAbstractButton), *view.findChildren(QTreeWidget)]
    controls += view.findChildren(BarChart)
    assert controls
    assert all(control.accessibleName() for control in controls), [
        type(c).__name__ for c in controls if not c.accessibleName()
    ]
