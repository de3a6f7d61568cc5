"""The first-run screen: find a state by typing, create, open, the demo, recent desks."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog

from nsdesk import locations
from nsdesk.ui.desk.welcome_view import WelcomeView, desk_file_name
from nsdesk.ui.settings import RECENT_DESKS, AppSettings


@pytest.fixture
def view(qtbot) -> WelcomeView:
    widget = WelcomeView()
    qtbot.addWidget(widget)
    widget.resize(1180, 760)
    widget.show()
    widget.setFocus()
    return widget


@pytest.fixture
def save_as(monkeypatch):
    """Answer the (modal) save dialog with a path; records what it proposed."""
    asked = []

    def answer(path: str):
        def dialog(parent, caption, proposed, filters):
            asked.append((caption, proposed, filters))
            return path, filters

        monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(dialog))

    answer.asked = asked
    return answer


def test_typing_part_of_a_name_narrows_the_states_and_enter_creates(qtbot, view, save_as, tmp_path):
    assert view.filtered.rowCount() > 240  # every ISO 3166 state
    assert view.filter_edit.hasFocus()
    qtbot.keyClicks(view.filter_edit, "neth")
    shown = [view.filtered.index(r, 0).data() for r in range(view.filtered.rowCount())]
    assert shown == ["Netherlands (NLD)"]
    assert view.chosen_state() == ("NLD", "Netherlands")
    assert view.create_button.isEnabled()
    save_as(str(tmp_path / "ours"))
    with qtbot.waitSignal(view.create_requested) as signal:
        qtbot.keyClick(view.filter_edit, Qt.Key.Key_Return)
    assert signal.args == ["NLD", "", tmp_path / "ours.nsdesk"]  # the suffix is added
    caption, proposed, _ = save_as.asked[0]
    assert caption == "Create a desk for Netherlands"
    assert Path(proposed) == locations.desks_dir() / "Netherlands.nsdesk"
    if os.name == "posix":  # the modes mean nothing on Windows (the profile's ACL keeps it)
        assert stat.S_IMODE(locations.desks_dir().stat().st_mode) == 0o700  # made owner-only


def test_down_moves_into_the_list_and_the_code_finds_a_state_too(qtbot, view, save_as, tmp_path):
    qtbot.keyClicks(view.filter_edit, "kor")
    assert view.filtered.rowCount() >= 2  # both Koreas
    qtbot.keyClick(view.filter_edit, Qt.Key.Key_Down)
    assert view.state_list.hasFocus()
    qtbot.keyClick(view.state_list, Qt.Key.Key_Down)
    second = view.chosen_state()
    assert second is not None
    assert second[0] in {"KOR", "PRK"}
    view.filter_edit.clear()
    qtbot.keyClicks(view.filter_edit, "FRA")  # an ISO3 code
    assert view.chosen_state() == ("FRA", "France")
    qtbot.keyClicks(view.delegation_edit, "Delegation of France")
    save_as(str(tmp_path / "france.nsdesk"))
    with qtbot.waitSignal(view.create_requested) as signal:
        view.create_button.click()
    assert signal.args == ["FRA", "Delegation of France", tmp_path / "france.nsdesk"]


def test_nothing_is_created_without_a_state_or_when_the_save_dialog_is_cancelled(
    qtbot, view, save_as
):
    assert view.chosen_state() is None
    assert not view.create_button.isEnabled()
    qtbot.keyClicks(view.filter_edit, "no such state")
    assert view.filtered.rowCount() == 0
    assert "No state matches" in view.chosen_label.text()
    view.filter_edit.clear()
    qtbot.keyClicks(view.filter_edit, "neth")
    save_as("")  # the user cancelled the save dialog
    with qtbot.assertNotEmitted(view.create_requested):
        view.request_create()


def test_open_and_demo_buttons_say_what_the_user_wants(qtbot, view):
    with qtbot.waitSignal(view.open_requested):
        qtbot.keyClick(view, Qt.Key.Key_O, Qt.KeyboardModifier.AltModifier)
    with qtbot.waitSignal(view.demo_requested):
        view.demo_button.click()


def test_recent_desks_open_with_enter_and_a_missing_one_is_greyed(qtbot, view, tmp_path):
    present = tmp_path / "present.nsdesk"
    present.write_bytes(b"")
    missing = tmp_path / "gone.nsdesk"
    assert not view.recent_list.isVisible()
    view.set_recent_desks([present, missing])
    assert view.recent_list.isVisible()
    assert view.recent_list.count() == 2
    assert "not found" in view.recent_list.item(1).text()
    assert "not found" not in view.recent_list.item(0).text()
    view.recent_list.setFocus()
    with qtbot.waitSignal(view.recent_requested) as signal:
        qtbot.keyClick(view.recent_list, Qt.Key.Key_Return)
    assert signal.args == [present]


def test_tab_goes_through_the_screen_in_reading_order(qtbot, view):
    qtbot.keyClicks(view.filter_edit, "neth")
    seen = [QApplication.focusWidget()]
    for _ in range(6):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        seen.append(QApplication.focusWidget())
    assert seen == [
        view.filter_edit,
        view.state_list,
        view.delegation_edit,
        view.create_button,
        view.open_button,
        view.demo_button,
        view.filter_edit,  # the recent list is hidden while empty
    ]


def test_recent_desks_are_remembered_most_recent_first_once_each(tmp_path):
    settings = AppSettings(tmp_path / "settings.ini")
    assert settings.recent_desks() == []
    paths = [tmp_path / f"desk{n}.nsdesk" for n in range(RECENT_DESKS + 2)]
    for path in paths:
        settings.remember_desk(path)
    settings.remember_desk(paths[5])
    recent = settings.recent_desks()
    assert len(recent) == RECENT_DESKS
    assert recent[:2] == [paths[5].resolve(), paths[-1].resolve()]
    assert len(set(recent)) == len(recent)
    assert settings.last_desk == paths[5].resolve()
    again = AppSettings(tmp_path / "settings.ini")
    assert again.recent_desks() == recent
    again.forget_desk(recent[0])
    assert recent[0] not in again.recent_desks()


def test_a_new_desk_is_proposed_under_the_states_name():
    assert desk_file_name("Netherlands") == "Netherlands.nsdesk"
    assert desk_file_name("Bolivia (Plurinational State of)") == (
        "Bolivia-Plurinational-State-of.nsdesk"
    )


def test_an_exact_code_or_name_is_listed_first(qtbot, view):
    def listed() -> list[str]:
        return [view.filtered.index(r, 0).data() for r in range(view.filtered.rowCount())]

    qtbot.keyClicks(view.filter_edit, "nor")
    assert listed()[0] == "Norway (NOR)"  # its code, before Norfolk Island
    assert "Norfolk Island (NFK)" in listed()
    assert view.chosen_state() == ("NOR", "Norway")
    view.filter_edit.clear()
    qtbot.keyClicks(view.filter_edit, "niger")
    assert listed()[:2] == ["Niger (NER)", "Nigeria (NGA)"]  # the name itself first
    view.filter_edit.clear()
    qtbot.keyClicks(view.filter_edit, "guinea")
    assert listed()[0] == "Guinea (GIN)"
    assert listed().index("Equatorial Guinea (GNQ)") > listed().index("Guinea-Bissau (GNB)")
    view.filter_edit.clear()
    assert listed()[0] == "Afghanistan (AFG)"  # nothing typed: in alphabetical order
