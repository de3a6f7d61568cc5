"""The undo steps on a real desk: a step the desk refuses to undo or redo leaves
the stack (and says so) rather than leaving it out of step with the desk; a macro
is one step, taken back whole when it fails halfway."""

from __future__ import annotations

import pytest

from nsdesk.domain.errors import ValidationError
from nsdesk.services.audit import Actor
from nsdesk.services.records.record_service import RecordService
from nsdesk.services.setup.desk_settings import read_desk_settings, update_desk_settings
from nsdesk.ui.records.commands import DeskSettingsCommand
from tests.conftest import DEMO_DAY
from tests.ui.conftest import undo_stack


@pytest.fixture
def said(demo_data) -> list[str]:
    """What the undo stack told the user (the status bar's sentences)."""
    sentences: list[str] = []
    demo_data.actions.action_failed.connect(sentences.append)
    return sentences


def lead_of(demo_data, ref: str) -> str | None:
    return demo_data.values("commitment", ref)["lead_agency"]


def other_agency(demo_data, than: str) -> str:
    service = RecordService(demo_data.desk)
    codes = [row.key for row in demo_data.rows("agencies") if not row.retired]
    return next(code for code in codes if code != than and service.identify("agency", code))


def test_an_undo_the_desk_refuses_takes_the_step_off_the_stack(demo_data, said):
    actions, stack = demo_data.actions, demo_data.actions.undo_stack
    first = lead_of(demo_data, "C-0001")
    assert first
    actions.update("commitment", "C-0002", {"notes": "an earlier step"})
    actions.update("commitment", "C-0001", {"lead_agency": other_agency(demo_data, first)})
    assert stack.count() == 2
    # Meanwhile the first lead agency is retired (elsewhere, not on this stack).
    RecordService(demo_data.desk, today=lambda: DEMO_DAY).retire("agency", first)
    stack.undo()
    assert lead_of(demo_data, "C-0001") != first  # the desk refused to go back
    assert stack.count() == 1  # and the stack does not pretend it did
    assert stack.undoText() == "Edit Notes of C-0002"
    assert not stack.canRedo()
    (sentence,) = said
    assert sentence.startswith("Could not undo “Edit Lead agency of C-0001”: ")
    assert "not retired" in sentence
    assert sentence.endswith("It was taken off the undo list.")
    stack.undo()  # the steps before it still undo
    assert demo_data.values("commitment", "C-0002")["notes"] != "an earlier step"


def test_a_redo_the_desk_refuses_takes_the_step_off_the_stack(demo_data, said):
    actions, stack = demo_data.actions, demo_data.actions.undo_stack
    first = lead_of(demo_data, "C-0001")
    second = other_agency(demo_data, first)
    actions.update("commitment", "C-0001", {"lead_agency": second})
    stack.undo()
    assert lead_of(demo_data, "C-0001") == first
    RecordService(demo_data.desk, today=lambda: DEMO_DAY).retire("agency", second)
    stack.redo()
    assert lead_of(demo_data, "C-0001") == first
    assert stack.count() == 0
    assert not stack.canRedo()
    assert said[0].startswith("Could not redo “Edit Lead agency of C-0001”")


def test_an_undo_never_overwrites_a_later_change_by_someone_else(demo_data, said):
    actions, stack = demo_data.actions, demo_data.actions.undo_stack
    before = demo_data.values("commitment", "C-0001")["title"]
    actions.update("commitment", "C-0001", {"title": "Alice's title"})
    actions.update("commitment", "C-0001", {"notes": "Alice's notes"})
    bob = RecordService(demo_data.desk, Actor("bob@laptop-2"), today=lambda: DEMO_DAY)
    bob.update("commitment", "C-0001", {"title": "Bob's title"})
    stack.undo()  # Alice's notes: nobody changed them since, so they go
    assert demo_data.values("commitment", "C-0001")["notes"] != "Alice's notes"
    stack.undo()  # Alice's title: Bob's later one stays
    assert demo_data.values("commitment", "C-0001")["title"] == "Bob's title" != before
    assert stack.count() == 1  # the refused step left the stack; the notes step remains
    (sentence,) = said
    assert sentence.startswith("Could not undo “Edit Title of C-0001”: ")
    assert "Title is now “Bob's title” (changed by bob@laptop-2, " in sentence
    assert "no longer “Alice's title”" in sentence
    assert sentence.endswith("It was taken off the undo list.")


def test_a_redo_never_overwrites_a_change_made_after_the_undo(demo_data, said):
    actions, stack = demo_data.actions, demo_data.actions.undo_stack
    actions.update("commitment", "C-0002", {"notes": "Alice's notes"})
    stack.undo()
    bob = RecordService(demo_data.desk, Actor("bob@laptop-2"), today=lambda: DEMO_DAY)
    bob.update("commitment", "C-0002", {"notes": "Bob's notes"})
    stack.redo()
    assert demo_data.values("commitment", "C-0002")["notes"] == "Bob's notes"
    assert not stack.canRedo()
    assert said[0].startswith("Could not redo “Edit Notes of C-0002”: ")
    assert "bob@laptop-2" in said[0]


def test_a_macro_is_one_step_and_is_taken_back_whole_when_it_fails(demo_data):
    actions, stack = demo_data.actions, demo_data.actions.undo_stack
    with actions.macro("Tidy two commitments"):
        actions.update("commitment", "C-0001", {"notes": "one"})
        actions.update("commitment", "C-0002", {"notes": "two"})
    assert stack.count() == 1
    assert stack.undoText() == "Tidy two commitments"
    stack.undo()
    assert demo_data.values("commitment", "C-0001")["notes"] != "one"
    assert demo_data.values("commitment", "C-0002")["notes"] != "two"
    stack.redo()
    assert demo_data.values("commitment", "C-0002")["notes"] == "two"

    def half_done() -> None:
        with actions.macro("Half of it"):
            actions.update("commitment", "C-0003", {"notes": "made"})
            actions.update("commitment", "C-0004", {"pledged_on": "not a date"})

    with pytest.raises(ValidationError):
        half_done()
    assert demo_data.values("commitment", "C-0003")["notes"] != "made"  # taken back
    assert stack.count() == 1  # only the first macro; nothing of the failed one to redo
    assert not stack.canRedo()


def test_a_desk_settings_step_is_done_once_when_pushed_then_undone_and_redone(desk):
    stack = undo_stack()
    said: list[str] = []

    def apply(changes):
        return update_desk_settings(desk, **changes).changes()

    before = apply({"prepared_by": "J. Jansen"})
    stack.push(DeskSettingsCommand(apply, before, {"prepared_by": "J. Jansen"}, report=said.append))
    assert read_desk_settings(desk).prepared_by == "J. Jansen"
    assert stack.count() == 1
    stack.undo()
    assert read_desk_settings(desk).prepared_by != "J. Jansen"
    stack.redo()
    assert read_desk_settings(desk).prepared_by == "J. Jansen"

    refused = DeskSettingsCommand(apply, {"default_sensitivity": "NO-SUCH"}, {}, report=said.append)
    stack.push(refused)
    stack.undo()  # the desk refuses a default marking that is not a level
    assert stack.count() == 1
    assert said[0].startswith("Could not undo “Change desk settings”: ")
    assert len(said) == 1
