"""A commitment's targets set in the app: added, revised and retired from its panel
with the keyboard, each one undo step audited through the record service, and a
refusal said beside the field — on the demo desk."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from nsdesk.domain.enums import AuditAction
from nsdesk.services.records.details.commitment import commitment_detail
from nsdesk.services.records.registers import load_register
from nsdesk.store import tables as t
from nsdesk.store.models import AuditEntry
from nsdesk.ui.records.details.commitment_panel import CommitmentDetailPanel
from tests.conftest import DEMO_DAY
from tests.ui.records.details.test_panels import actions_for, ctrl_return, rows


@pytest.fixture
def actions(demo_desk):
    return actions_for(demo_desk)


@pytest.fixture
def pledged(actions):
    """A commitment typed in from a national statement: pledged, no target yet."""
    return actions.create(
        "commitment", {"title": "Ratify the amended CPPNM", "pledged_on": "2024-03"}
    ).key


def panel_for(qtbot, demo_desk, actions, key):
    panel = CommitmentDetailPanel(
        actions, lambda k: commitment_detail(demo_desk, k, as_of=DEMO_DAY), today=lambda: DEMO_DAY
    )
    qtbot.addWidget(panel)
    panel.resize(520, 900)
    panel.show()
    panel.show_record(key)
    with qtbot.waitActive(panel):
        panel.activateWindow()
    return panel


def listed(panel) -> list[str]:
    box = panel.targets.list
    return [box.item(r).text() for r in range(box.count())]


def register_row(desk, ref):
    (row,) = load_register(desk, "commitments", as_of=DEMO_DAY, keys=[ref])
    return row


def type_target(qtbot, panel, due: str, clause: str) -> None:
    box = panel.targets
    box.due_edit.setFocus()
    qtbot.keyClicks(box.due_edit, due)
    qtbot.keyClick(box.due_edit, Qt.Key.Key_Tab)
    assert panel.focusWidget() is box.clause_edit
    qtbot.keyClicks(box.clause_edit, clause)


def test_a_target_is_added_revised_and_retired_each_one_undo_step(
    qtbot, demo_desk, actions, pledged
):
    panel = panel_for(qtbot, demo_desk, actions, pledged)
    box = panel.targets
    assert box.none_label.isVisible()
    assert panel.deadline_label.text() == "No target set (as of 2026-11-22)"
    stack = actions.undo_stack
    steps = stack.count()

    type_target(qtbot, panel, "2026-06", "para. 4 of the national statement")
    ctrl_return(qtbot, box.clause_edit)  # adds it
    assert listed(panel) == ["Due Jun 2026 (para. 4 of the national statement)"]
    assert panel.deadline_label.text().startswith("Late: target Jun 2026 passed 145 days ago")
    assert register_row(demo_desk, pledged).cells[4:6] == ("Jun 2026", "Late (145 days)")
    assert stack.undoText() == f"Add target due Jun 2026 to {pledged}"
    assert (box.due_edit.text(), box.clause_edit.text()) == ("", "")
    assert panel.focusWidget() is box.due_edit

    type_target(qtbot, panel, "2027-03", "para. 9 of the 2026 progress report")
    qtbot.keyClick(box.clause_edit, Qt.Key.Key_Tab)  # to Add target
    qtbot.keyClick(panel.focusWidget(), Qt.Key.Key_Tab)  # to Revise
    assert panel.focusWidget() is box.revise_button
    qtbot.keyClick(box.revise_button, Qt.Key.Key_Space)
    assert listed(panel) == [
        "Due Jun 2026 (para. 4 of the national statement) — revised by a later target",
        "Due Mar 2027 (para. 9 of the 2026 progress report)",
    ]
    assert panel.deadline_label.text() == "On track (as of 2026-11-22)"
    assert register_row(demo_desk, pledged).cells[4] == "Mar 2027"
    assert stack.undoText() == f"Revise the target of {pledged}: due Mar 2027, was Jun 2026"
    assert box.selected() == box.lines[1].uuid  # the new one
    assert box.revise_button.isEnabled()  # the target in force can be revised
    revision = box.lines[1].uuid

    box.list.setFocus()
    qtbot.keyClick(box.list, Qt.Key.Key_Up)  # the revised one cannot be revised again
    assert not box.revise_button.isEnabled()
    qtbot.keyClick(box.list, Qt.Key.Key_Down)
    for _ in range(6):  # Due, Clause, Add target, Revise, Retire
        qtbot.keyClick(panel.focusWidget(), Qt.Key.Key_Tab)
        if panel.focusWidget() is box.retire_button:
            break
    qtbot.keyClick(box.retire_button, Qt.Key.Key_Space)
    assert listed(panel) == ["Due Jun 2026 (para. 4 of the national statement)"]  # in force again
    assert stack.undoText() == f"Retire the target due Mar 2027 of {pledged}"
    assert stack.count() == steps + 3  # three steps, one each

    stack.undo()  # the retirement
    assert len(listed(panel)) == 2
    stack.undo()  # the revision
    assert listed(panel) == ["Due Jun 2026 (para. 4 of the national statement)"]
    stack.undo()  # the first target
    assert listed(panel) == []
    assert box.none_label.isVisible()
    assert register_row(demo_desk, pledged).cells[4] == ""
    with demo_desk.reading() as session:
        audited = session.scalars(
            select(AuditEntry.action).where(AuditEntry.record_uuid == revision)
        ).all()
    assert audited == [
        AuditAction.CREATE,
        AuditAction.RETIRE,
        AuditAction.RESTORE,
        AuditAction.RETIRE,
    ]


def test_a_refused_target_is_said_beside_its_field_and_nothing_is_written(
    qtbot, demo_desk, actions, pledged
):
    panel = panel_for(qtbot, demo_desk, actions, pledged)
    box = panel.targets
    targets = rows(demo_desk, t.target)
    type_target(qtbot, panel, "2023", "para. 2")
    ctrl_return(qtbot, box.due_edit)
    assert box.error_for("Due") == "Expected a date on or after the pledge (2024-03); got “2023”."
    assert panel.focusWidget() is box.due_edit
    box.due_edit.setText("31/02/2027")
    ctrl_return(qtbot, box.due_edit)
    assert "a month like 2026-03" in box.error_for("Due")
    box.due_edit.setText("")
    ctrl_return(qtbot, box.clause_edit)
    assert "a due date" in box.error_for("Due")
    assert rows(demo_desk, t.target) == targets
    assert listed(panel) == []


def test_a_retired_commitment_or_a_read_only_desk_shows_targets_and_takes_none(
    qtbot, demo_desk, actions
):
    panel = panel_for(qtbot, demo_desk, actions, "C-0007")
    shown = ["Due Jul 2026 — Target set in the national statement."]
    assert listed(panel) == shown
    assert panel.targets.add_button.isEnabled()
    assert panel.targets.retire_button.isEnabled()
    actions.retire("commitment", "C-0007")
    assert listed(panel) == shown
    assert not panel.targets.add_button.isEnabled()
    assert not panel.targets.retire_button.isEnabled()
    actions.undo_stack.undo()
    assert panel.targets.add_button.isEnabled()
    panel.set_read_only(True)
    assert listed(panel) == shown
    for button in (panel.targets.add_button, panel.targets.revise_button):
        assert not button.isEnabled()
    assert not panel.targets.due_edit.isEnabled()


def test_an_ongoing_commitment_does_not_say_no_target_above_its_target(qtbot, demo_desk, actions):
    panel = panel_for(qtbot, demo_desk, actions, "C-0012")  # ongoing, no target
    assert panel.deadline_label.text() == (
        "No target set: ongoing activity without an end date (as of 2026-11-22)"
    )
    actions.add_target("C-0012", "2028", clause="para. 12")
    assert listed(panel) == ["Due 2028 (para. 12)"]
    said = panel.deadline_label.text()
    assert not said.startswith("No target")
    assert said == (
        "Not judged against its target: ongoing activity without an end date (as of 2026-11-22)"
    )
