"""File ▸ Briefing pack…: the dialog on the demo desk (its choices, its sections,
its profiles) and the journey from the action to a PDF on disk."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt

from nsdesk.services.briefing.profiles import (
    briefing_choices,
    load_profiles,
    retire_profile,
    save_profile,
)
from nsdesk.ui.briefing.briefing_dialog import BriefingDialog, ProfileKeeper
from nsdesk.ui.briefing.briefing_flow import BriefingFlow
from nsdesk.ui.desk.opening_flow import open_desk_into
from tests.conftest import DEMO_DAY

ALL_SECTIONS = (
    "cover",
    "contents",
    "summary",
    "changes",
    "themes",
    "alerts",
    "sheets",
    "gift_baskets",
    "instruments",
    "universalization",
    "deadlines",
    "sources",
)


def make_dialog(qtbot, desk, **kwargs) -> BriefingDialog:
    """The dialog over the real demo desk, saving profiles in it, judged on the demo's day."""
    keeper = ProfileKeeper(
        load=lambda: load_profiles(desk),
        save=lambda profile: save_profile(desk, profile),
        retire=lambda name: retire_profile(desk, name),
    )
    dialog = BriefingDialog(
        briefing_choices(desk, DEMO_DAY),
        as_of=DEMO_DAY,
        desk_folder=desk.path.parent,
        profiles=keeper,
        **kwargs,
    )
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def combo_texts(combo) -> list[str]:
    return [combo.itemText(i) for i in range(combo.count())]


def go_to(dialog: BriefingDialog, key: str) -> None:
    """Make the section ``key`` the current one in the list, as a click on it does."""
    tree = dialog.sections_list
    item = next(
        tree.topLevelItem(i)
        for i in range(tree.topLevelItemCount())
        if tree.topLevelItem(i).data(0, Qt.ItemDataRole.UserRole) == key
    )
    tree.setFocus()
    tree.setCurrentItem(item)


def toggle(qtbot, dialog: BriefingDialog, key: str) -> None:
    """Go to the section ``key`` in the list and press Space, as a user checks it."""
    go_to(dialog, key)
    qtbot.keyClick(dialog.sections_list, Qt.Key.Key_Space)


def test_the_dialog_offers_the_desks_events_baselines_and_levels_with_the_defaults(
    qtbot, demo_desk
):
    dialog = make_dialog(qtbot, demo_desk)
    events = combo_texts(dialog.event_combo)
    assert events[0] == "(no event)"
    assert "2014 Nuclear Security Summit (The Hague) (24 Mar 2014)" in events
    # The next event after the demo's day is chosen.
    assert dialog.event_combo.currentText() == "Sherpa meeting (DEMO) (23 Feb 2027)"
    assert combo_texts(dialog.baseline_combo) == [
        "(no baseline)",
        "As reported at The Hague 2014 (2014-03-24)",
    ]
    assert dialog.baseline_combo.currentIndex() == 1
    assert combo_texts(dialog.ceiling_combo) == [
        "Public (PUBLIC)",
        "Internal (INTERNAL)",
        "Restricted (RESTRICTED)",
        "Confidential (CONFIDENTIAL)",
    ]
    assert dialog.ceiling_combo.currentText() == "Internal (INTERNAL)"  # the desk's default
    assert combo_texts(dialog.paper_combo) == ["A4", "Letter"]
    assert dialog.as_of_edit.date() == QDate(2026, 11, 22)
    assert dialog.as_of_edit.calendarPopup()
    assert dialog.profile_combo.currentText() == "(as last used)"
    assert dialog.open_check.isChecked()
    assert (
        dialog.output_path()
        == demo_desk.path.parent / "Briefing Sherpa meeting (DEMO) 2026-11-22.pdf"
    )
    assert dialog.create_button.isEnabled()
    assert dialog.create_button.isDefault()
    request = dialog.request()
    assert (request.event, request.baseline, request.ceiling, request.paper) == (
        "demo_sherpa_2027",
        "As reported at The Hague 2014",
        "INTERNAL",
        "A4",
    )
    assert request.sections == ALL_SECTIONS
    # Every control is named for assistive technology.
    for widget in (
        dialog.profile_combo,
        dialog.event_combo,
        dialog.as_of_edit,
        dialog.baseline_combo,
        dialog.ceiling_combo,
        dialog.paper_combo,
        dialog.sections_list,
        dialog.output_edit,
        dialog.open_check,
    ):
        assert widget.accessibleName()


def test_no_event_is_asked_for_explicitly_and_the_file_name_follows_the_event(qtbot, demo_desk):
    dialog = make_dialog(qtbot, demo_desk)
    dialog.event_combo.setCurrentIndex(dialog.event_combo.findData("nss2014"))
    # The event's name, not its key (nss2014).
    name = dialog.event_combo.currentText().rsplit(" (", 1)[0]  # without its date
    assert name.startswith("2014 Nuclear Security Summit")
    assert dialog.output_path().name == f"Briefing {name} 2026-11-22.pdf"
    dialog.event_combo.setCurrentIndex(0)  # (no event)
    dialog.baseline_combo.setCurrentIndex(0)  # (no baseline)
    request = dialog.request()
    assert request.event is None
    assert request.baseline is None
    assert not request.use_defaults  # "none" means none, not the next event
    assert dialog.output_path().name == "Briefing 2026-11-22.pdf"
    # Once the user has typed a path, choosing an event leaves it alone.
    dialog.output_edit.clear()
    qtbot.keyClicks(dialog.output_edit, "for the minister")
    dialog.event_combo.setCurrentIndex(dialog.event_combo.findData("nss2016"))
    assert dialog.output_path() == demo_desk.path.parent / "for the minister.pdf"


def test_unchecking_every_section_disables_create_and_says_why(qtbot, demo_desk):
    dialog = make_dialog(qtbot, demo_desk)
    for key in ALL_SECTIONS:
        toggle(qtbot, dialog, key)
    assert dialog.request().sections == ()
    assert not dialog.create_button.isEnabled()
    assert dialog.sections_error.isVisible()
    assert "at least one section" in dialog.sections_error.text()
    toggle(qtbot, dialog, "alerts")
    assert dialog.create_button.isEnabled()
    assert not dialog.sections_error.isVisible()
    assert dialog.request().sections == ("alerts",)


def test_an_empty_output_path_disables_create(qtbot, demo_desk):
    dialog = make_dialog(qtbot, demo_desk)
    dialog.output_edit.selectAll()
    qtbot.keyClick(dialog.output_edit, Qt.Key.Key_Delete)
    assert not dialog.create_button.isEnabled()


def test_move_up_and_down_change_the_order_of_the_sections(qtbot, demo_desk):
    dialog = make_dialog(qtbot, demo_desk)
    assert not dialog.up_button.isEnabled()  # Cover is first: it cannot go higher
    qtbot.mouseClick(dialog.down_button, Qt.MouseButton.LeftButton)
    assert dialog.request().sections[:3] == ("contents", "cover", "summary")
    assert dialog.up_button.isEnabled()
    qtbot.mouseClick(dialog.down_button, Qt.MouseButton.LeftButton)
    assert dialog.request().sections[:3] == ("contents", "summary", "cover")
    # The keyboard does the same in the list.
    qtbot.keyClick(dialog.sections_list, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert dialog.request().sections[:3] == ("contents", "cover", "summary")
    toggle(qtbot, dialog, "contents")  # unchecked: moved but not printed
    assert dialog.request().sections[:2] == ("cover", "summary")
    last = dialog.sections_list.topLevelItem(len(ALL_SECTIONS) - 1)
    dialog.sections_list.setCurrentItem(last)
    assert not dialog.down_button.isEnabled()


def test_a_saved_profile_is_offered_next_time_and_restores_its_sections_and_options(
    qtbot, demo_desk, modal
):
    dialog = make_dialog(qtbot, demo_desk)
    for key in ALL_SECTIONS:
        if key not in ("summary", "alerts"):
            toggle(qtbot, dialog, key)
    go_to(dialog, "alerts")
    for _ in range(3):  # alerts above summary
        qtbot.keyClick(dialog.sections_list, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert dialog.request().sections == ("alerts", "summary")
    dialog.paper_combo.setCurrentIndex(dialog.paper_combo.findData("Letter"))
    dialog.ceiling_combo.setCurrentIndex(dialog.ceiling_combo.findData("PUBLIC"))
    dialog.baseline_combo.setCurrentIndex(0)  # (no baseline)
    modal.click("OK", then=lambda box: box.setTextValue("Ministers' short pack"))
    qtbot.mouseClick(dialog.save_profile_button, Qt.MouseButton.LeftButton)
    assert dialog.profile_combo.currentText() == "Ministers' short pack"
    assert dialog.delete_profile_button.isEnabled()
    dialog.close()

    again = make_dialog(qtbot, demo_desk)
    assert again.profile_names() == ["Ministers' short pack"]
    assert again.request().paper == "A4"  # nothing chosen yet: the defaults
    again.profile_combo.setFocus()
    qtbot.keyClick(again.profile_combo, Qt.Key.Key_Down)  # the user picks the profile
    assert again.profile_combo.currentText() == "Ministers' short pack"
    request = again.request()
    assert request.sections == ("alerts", "summary")
    assert (request.paper, request.ceiling, request.baseline) == ("Letter", "PUBLIC", None)
    # Its other sections are listed, unchecked, to add back.
    assert again.sections_list.topLevelItemCount() == len(ALL_SECTIONS)
    # Back to "(as last used)": the defaults again.
    qtbot.keyClick(again.profile_combo, Qt.Key.Key_Up)
    assert again.request().sections == ALL_SECTIONS
    assert again.request().paper == "A4"


def test_deleting_a_profile_takes_it_off_the_list(qtbot, demo_desk, modal):
    from nsdesk.services.briefing.profiles import BriefingProfile

    save_profile(demo_desk, BriefingProfile("Sherpa", ("cover", "alerts"), {"paper": "A4"}))
    dialog = make_dialog(qtbot, demo_desk)
    assert dialog.profile_names() == ["Sherpa"]
    assert not dialog.delete_profile_button.isEnabled()  # "(as last used)" is not a profile
    dialog.choose_profile("Sherpa")
    assert dialog.request().sections == ("cover", "alerts")
    modal.click("Yes")
    qtbot.mouseClick(dialog.delete_profile_button, Qt.MouseButton.LeftButton)
    assert dialog.profile_names() == []
    assert dialog.profile_combo.currentText() == "(as last used)"
    assert "Sherpa" in modal.seen[0][1]
    assert make_dialog(qtbot, demo_desk).profile_names() == []


def test_a_folder_that_does_not_exist_is_said_beside_the_output_file(qtbot, demo_desk, tmp_path):
    dialog = make_dialog(qtbot, demo_desk)
    dialog.output_edit.setText(str(tmp_path / "no such folder" / "pack.pdf"))
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert dialog.output_error.isVisible()
    assert "does not exist" in dialog.output_error.text()


def test_the_file_chosen_in_the_file_dialog_is_not_asked_about_again(
    qtbot, window, context, shown_demo, tmp_path, modal
):
    flow, _ = shown_demo
    existing = tmp_path / "chosen.pdf"
    existing.write_bytes(b"%PDF- an earlier pack")
    asked: list[tuple[str, Path]] = []

    def choose(parent, title, suggested):  # the file dialog, which asked about replacing
        asked.append((title, suggested))
        return existing

    flow.choose_save_file = choose
    dialog = flow.start()
    proposed = dialog.output_path()
    qtbot.mouseClick(dialog.choose_button, Qt.MouseButton.LeftButton)
    assert asked == [("Write the PDF file to", proposed)]
    assert dialog.output_path() == existing
    dialog.accept()  # no second question: the file dialog asked it
    assert modal.seen == []
    assert not dialog.isVisible()


def test_the_action_needs_a_desk_and_may_read_a_read_only_one(
    qtbot, window, context, demo_desk_path
):
    action = window.actions_.briefing
    assert action.text().replace("&", "") == "Briefing pack…"
    assert action.shortcut().toString() == "Ctrl+P"
    assert action in window.actions_.menus["&File"].actions()
    assert not action.isEnabled()  # no desk yet
    context.read_only = True
    assert open_desk_into(context, window, demo_desk_path)
    assert action.isEnabled()
    assert not window.actions_.new_record.isEnabled()
    flow = BriefingFlow(context, window)
    action.trigger()
    dialog = flow.dialog
    assert dialog is not None
    assert dialog.isVisible()
    assert dialog.windowModality() == Qt.WindowModality.WindowModal  # over the window
    # A read-only desk makes packs, but keeps its profiles as they are.
    assert not dialog.save_profile_button.isEnabled()
    assert "read-only" in dialog.save_profile_button.toolTip()
    dialog.reject()


@pytest.fixture
def shown_demo(window, context, demo_desk_path):
    """The demo desk open in the window, judged on the demo's day, with the flow."""
    assert open_desk_into(context, window, demo_desk_path)
    context.data.as_of = DEMO_DAY
    flow = BriefingFlow(context, window)
    opened: list[Path] = []
    flow.open_file = opened.append  # capture instead of launching a viewer
    return flow, opened


def test_the_action_makes_a_pack_opens_it_and_says_how_many_pages(
    qtbot, window, context, shown_demo, tmp_path
):
    from nsdesk.ui.background import Background

    flow, opened = shown_demo
    context.background = Background(window)  # on the thread pool, as in the app
    window.actions_.briefing.trigger()
    dialog = flow.dialog
    out = tmp_path / "Sherpa briefing.pdf"
    dialog.output_edit.clear()
    qtbot.keyClicks(dialog.output_edit, str(out))
    dialog.paper_combo.setCurrentIndex(dialog.paper_combo.findData("Letter"))
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(opened), timeout=60_000)
    assert opened == [out]
    assert out.read_bytes().startswith(b"%PDF")
    message = window.statusBar().currentMessage()
    assert message.startswith("Briefing pack written: ")
    assert " pages, marked " in message
    assert "withheld" in message
    assert not list(tmp_path.glob(".*.part"))  # nothing half-made is left beside it
    # The next pack starts from these choices.
    window.actions_.briefing.trigger()
    assert flow.dialog.isVisible()
    assert flow.dialog.paper_combo.currentText() == "Letter"
    assert flow.dialog.output_path().parent == tmp_path
    flow.dialog.reject()


def test_a_pack_not_asked_to_open_is_only_written(qtbot, window, context, shown_demo, tmp_path):
    flow, opened = shown_demo
    dialog = flow.start()
    dialog.set_output_path(tmp_path / "quiet.pdf")
    dialog.open_check.setChecked(False)
    for key in ALL_SECTIONS[1:]:
        toggle(qtbot, dialog, key)  # the cover only
    dialog.accept()
    qtbot.waitUntil(lambda: (tmp_path / "quiet.pdf").exists(), timeout=60_000)
    assert opened == []
    assert "1 page," in window.statusBar().currentMessage()


def test_a_cancelled_pack_leaves_no_file(qtbot, window, context, shown_demo, tmp_path):
    flow, opened = shown_demo
    background = context.background
    original = background.run_with_progress

    def cancel_at_once(title, work, *args, **kwargs):  # the user presses Cancel at once
        def cancelled_work(progress):
            progress.cancel()
            return work(progress)

        return original(title, cancelled_work, *args, **kwargs)

    background.run_with_progress = cancel_at_once
    dialog = flow.start()
    dialog.set_output_path(tmp_path / "cancelled.pdf")
    dialog.accept()
    qtbot.waitUntil(lambda: "cancelled" in window.statusBar().currentMessage())
    assert "no file was left" in window.statusBar().currentMessage()
    assert list(tmp_path.glob("*.pdf")) == []
    assert list(tmp_path.glob(".*.part")) == []
    assert opened == []


def test_a_refused_pack_is_said_in_a_message(qtbot, window, context, shown_demo, tmp_path):
    from nsdesk.services.briefing.pack import BriefingRequest

    flow, opened = shown_demo
    flow.write(
        context.desk,
        BriefingRequest(event="no_such_event", sections=("cover",), use_defaults=False),
        tmp_path / "refused.pdf",
        open_after=True,
    )
    qtbot.waitUntil(lambda: flow.message_box is not None and flow.message_box.isVisible())
    assert "was not made" in flow.message_box.text()
    assert "no_such_event" in flow.message_box.informativeText()
    assert "was not made" in window.statusBar().currentMessage()
    assert not (tmp_path / "refused.pdf").exists()
    assert opened == []
    flow.message_box.accept()


def test_characters_the_fonts_lack_are_listed_by_section_and_record(
    qtbot, window, context, shown_demo, tmp_path
):
    flow, opened = shown_demo
    context.data.actions.update("commitment", "C-0001", {"title": "Forensics centre \U00010330"})
    dialog = flow.start()
    dialog.set_output_path(tmp_path / "notes.pdf")
    for key in ALL_SECTIONS:
        if key != "sheets":
            toggle(qtbot, dialog, key)
    dialog.accept()
    qtbot.waitUntil(lambda: flow.message_box is not None and flow.message_box.isVisible())
    box = flow.message_box
    assert "could not be printed" in box.text()
    said = box.informativeText()
    assert said.startswith("Detailed sheets, ")
    # Gothic: no shipped font draws it (Chinese, Japanese and Korean all print).
    assert "C-0001: character U+10330" in said
    assert "Briefing pack written" in window.statusBar().currentMessage()
    assert opened == [tmp_path / "notes.pdf"]  # the pack is still opened
    box.accept()
