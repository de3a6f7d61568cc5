"""What the Edit menu and the undo button's tooltip call each step: the words a
person uses — statuses by their label, records by their ref, code or name —
never an internal key ("in_progress", "gb_2012_nssc") or a UUID."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt

from nsdesk.domain.enums import GiftBasketRole, MilestoneKind
from tests.ui.records.details.test_panels import (
    actions_for,
    basket_panel,
    choose_step,
    commitment_panel,
    ctrl_return,
    instrument_panel,
    role_button,
)

#: A snake_case key, or a UUID's run of hex digits.
INTERNAL = re.compile(r"\b[a-z0-9]+_[a-z0-9_]+\b|[0-9a-f]{8}-[0-9a-f]{4}")


def test_every_step_of_the_panels_is_named_in_words(qtbot, demo_desk):
    actions = actions_for(demo_desk)
    stack = actions.undo_stack
    said = []

    panel = commitment_panel(qtbot, demo_desk, actions, "C-0007")
    qtbot.keyClicks(panel.narrative_edit, "Draft report sent to the ministries")
    ctrl_return(qtbot, panel.narrative_edit)
    said.append(stack.undoText())
    assert stack.undoText() == "Record progress on C-0007 (in progress)"

    baskets = basket_panel(qtbot, demo_desk, actions)
    qtbot.mouseClick(role_button(baskets, GiftBasketRole.LEAD), Qt.MouseButton.LeftButton)
    said.append(stack.undoText())
    assert stack.undoText().startswith("Edit Our role of “")

    instruments = instrument_panel(qtbot, demo_desk, actions, "icsant")
    choose_step(instruments, MilestoneKind.PARLIAMENT_APPROVAL)
    qtbot.keyClicks(instruments.actual_edit, "2026-10-01")
    ctrl_return(qtbot, instruments.actual_edit)
    said.append(stack.undoText())

    actions.retire("gift_basket", "gb_2016_insider_threats")
    said.append(stack.undoText())
    actions.update("instrument", "cppnm_a", {"notes": "Asked the depositary for the list"})
    said.append(stack.undoText())
    actions.add_target("C-0012", "2028", clause="para. 12")
    said.append(stack.undoText())

    assert all(not INTERNAL.search(text) for text in said), said
    assert said[2] == "Record parliament approval for ICSANT (Nuclear Terrorism Convention)"
