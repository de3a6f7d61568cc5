"""The Universalization page on the demo desk: its counts are the catalogue's, its
filters narrow the table and the map together, its lobbying list is what the data
says, and the keyboard and a screen reader reach everything the map shows."""

from __future__ import annotations

import json
from datetime import date

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication

from nsdesk.domain.enums import Standing
from nsdesk.domain.world_map import FILTERED_OUT, STANDING_COLOURS
from nsdesk.locations import catalogue_path
from nsdesk.services.overview.party_standing import instrument_standings
from nsdesk.services.universalization.geography import geography
from nsdesk.ui.universalization.universalization_view import UniversalizationView
from tests.conftest import DEMO_DAY

WEOG = "group:western_european_others"


@pytest.fixture
def page(qtbot, demo_desk) -> UniversalizationView:
    view = UniversalizationView()
    qtbot.addWidget(view)
    view.resize(1280, 760)
    view.set_desk(demo_desk, DEMO_DAY)
    view.show()
    return view


def _table_codes(view: UniversalizationView) -> set[str]:
    model = view.states_model
    return {model.row_at(row).code for row in range(model.rowCount())}


def test_icsant_counts_are_the_catalogues(page) -> None:
    page.set_instrument("icsant")
    rows = [
        r
        for r in json.loads(catalogue_path().read_text())["participation"]
        if r["instrument"] == "icsant"
    ]
    parties = sum(r["listed_standing"] == "party" for r in rows)
    signatories = sum(r["listed_standing"] == "signatory" for r in rows)
    outside = len(geography().un_members - {r["party"] for r in rows})
    said = page.summary.text()
    assert f"{parties} parties, {signatories} signatories only, {outside} not party" in said
    assert (parties, signatories) == (119, 32)  # the addendum's ICSANT rows, as of 2024
    standings = {s.code: s.standing for s in page.shown.states}
    assert standings["NLD"] is Standing.PARTY
    assert page.own_place.text().startswith("Netherlands (our state): party since 30 Jun 2010")
    assert "127 parties" in page.count_note.text()  # the UN's count of May 2025


def test_the_region_filter_narrows_the_table_and_the_map(page) -> None:
    page.set_instrument("icsant")
    assert len(_table_codes(page)) >= 193
    page.set_region(WEOG)
    members = geography().region(WEOG).members
    assert _table_codes(page) == members
    assert page.tabs.tabText(0) == "&States (29)"
    assert page.map_view.fill_of("BRA") == FILTERED_OUT
    assert page.map_view.fill_of("FRA") == STANDING_COLOURS["party"]
    assert "Western European and other States" in page.map_view.accessibleDescription()
    page.summits_check.setChecked(True)
    assert _table_codes(page) == members & geography().summit_states
    page.set_region(None)
    assert page.map_view.fill_of("BRA") != FILTERED_OUT  # Brazil was at the summits


def test_the_lobbying_list_is_what_the_data_says(page, demo_desk) -> None:
    cppnm, _ = instrument_standings(demo_desk, "cppnm", DEMO_DAY)
    amendment, _ = instrument_standings(demo_desk, "cppnm_a", DEMO_DAY)
    party = {s.code for s in cppnm if s.standing is Standing.PARTY}
    joined = {s.code for s in amendment if s.standing is Standing.PARTY}
    expected = (party - joined) & geography().region(WEOG).members
    found = page.lobbying
    assert found is not None
    assert found.region.key == WEOG  # the Netherlands' group by default
    assert {line.code for line in found.lines} == expected
    assert expected  # not vacuous: the catalogue's amendment list is partial
    assert "CHE" not in expected  # Switzerland is party to both
    model = page.lobbying_model
    assert model.rowCount() == len(expected)
    # a partial list never reads as "not a party": the page says how partial it is
    assert "may have joined" in page.lobbying_note.text()
    assert "as far as the desk lists" in page.lobbying_heading.text()


def test_a_click_on_the_map_shows_the_state_in_the_table(page, qtbot) -> None:
    page.set_instrument("icsant")
    shape = next(s for s in page.map_view._paths if s[0].code == "BRA")[0]
    rect = page.map_view._map_rect()
    x, y = shape.centre
    point = QPoint(int(rect.left() + x * rect.width()), int(rect.top() + y * rect.width()))
    assert page.map_view.code_at(point.toPointF()) == "BRA"
    qtbot.mouseClick(page.map_view, Qt.MouseButton.LeftButton, pos=point)
    assert page.selected_state() == "BRA"


def test_the_table_is_reachable_by_keyboard_and_the_map_is_described(page, qtbot) -> None:
    page.activateWindow()
    page.instrument_combo.setFocus()
    reached = []
    for _ in range(12):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        reached.append(QApplication.focusWidget())
        if QApplication.focusWidget() is page.table:
            break
    assert page.table in reached
    assert page.table.accessibleName() == "States and their standing"
    description = page.map_view.accessibleDescription()
    assert "parties" in description
    assert "States tab" in description
    assert page.map_view.accessibleName() == "World map"
    # the table sorts by standing (parties first), as a reader may ask it to
    page.table.sortByColumn(1, Qt.SortOrder.AscendingOrder)
    first = page.states_proxy.index(0, 1).data()
    assert first == "Party"


def test_the_as_of_day_moves_the_standings(page) -> None:
    page.set_instrument("cppnm_a")
    page.as_of_edit.setDate(date(2016, 5, 7))  # the day before the amendment's entry into force
    before = page.shown.states
    page.as_of_edit.setDate(date(2022, 4, 1))
    after = page.shown.states
    assert _parties(after) > _parties(before)


def _parties(lines) -> int:
    return sum(s.standing is Standing.PARTY for s in lines)


def test_the_page_is_in_the_navigation_and_one_keystroke_away(window, context, demo_desk_path):
    from nsdesk.ui.desk.opening_flow import open_desk_into

    assert open_desk_into(context, window, demo_desk_path)
    workspace = window.workspace
    assert workspace.navigation.item(9).text() == "Universalization"
    action = window.actions_.page_9
    assert action.shortcut().toString() == "Ctrl+0"
    action.trigger()
    assert workspace.current_page() == "universalization"
    assert workspace.universalization_view.shown is not None  # filled from the open desk
    assert workspace.universalization_view.shown.instrument.code == "cppnm"
