"""The history with undo that the import and the merge histories are made of, on a
history of its own (changes files sent from a laptop), so what the shared window
promises is held whatever the two histories say: Close waits while an undo runs,
the list is read again with the same row chosen, and a refusal is said in a
sentence and a box."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

import pytest
from PySide6.QtCore import Signal

from nsdesk.domain.errors import NsdeskError
from nsdesk.ui.background import Background, run_now
from nsdesk.ui.widgets.undo_history import Refusal, UndoHistoryDialog, UndoWords

SAMPLES = {0: "Wed 30 Sep 2026, 23:59", 1: "delegation-2026-11-22.nsdesk-changes"}
MADE = datetime(2016, 3, 31, 9, 30).astimezone()  # local: shown as 09:30


@dataclass(frozen=True)
class Sent:
    number: int
    file_name: str
    changes: int
    undone_at: datetime | None = None


class Sends:
    """What the dialog reads and undoes through: sends, newest first; undoing one
    refused (later work) for the numbers in ``blocked``, a fault for ``broken``."""

    def __init__(self, *sends: Sent) -> None:
        self.sends = list(sends)
        self.blocked: set[int] = set()
        self.broken: set[int] = set()

    def load(self) -> tuple[Sent, ...]:
        return tuple(self.sends)

    def undo(self, number: int) -> int:
        if number in self.blocked:
            raise NsdeskError("C-0002 was changed again since")
        if number in self.broken:
            raise RuntimeError("a fault")
        at = next(n for n, s in enumerate(self.sends) if s.number == number)
        self.sends[at] = replace(self.sends[at], undone_at=datetime.now(UTC))
        return self.sends[at].changes


class SendHistoryDialog(UndoHistoryDialog[Sent, int]):
    send_undone = Signal(int, int)
    words = UndoWords(
        noun="send",
        a_noun="a send",
        heading="Changes sent from {desk}",
        note="Every changes file sent from this desk, newest first.",
        table_name="Sends from this desk, newest first",
        undo_description="Take back the chosen send",
        nothing_yet="Nothing has been sent from this desk yet.",
    )
    headers = ("Sent", "File", "What it carried", "Undone")
    samples = SAMPLES
    counts_column = 2

    def key(self, record: Sent) -> int:
        return record.number

    def made_at(self, record: Sent) -> datetime:
        return MADE

    def cells(self, record: Sent) -> dict[int, str]:
        return {1: record.file_name, 2: f"{record.changes} changes"}

    def question(self, record: Sent) -> str:
        return f"Undo sending {record.file_name}?"

    def taken_back(self, outcome: Any) -> int:
        return outcome

    def announce(self, record: Sent, taken_back: int) -> None:
        self.send_undone.emit(record.number, taken_back)

    def refusal(self, record: Sent, error: BaseException) -> Refusal:
        return Refusal(
            f"The send of {record.file_name} was not undone; nothing was changed.",
            f"The send of {record.file_name} was not undone.",
            f"{error}.",
        )


@pytest.fixture
def sends() -> Sends:
    return Sends(Sent(3, "third.nsdesk-changes", 4), Sent(2, "second.nsdesk-changes", 2))


def history(
    qtbot, sends: Sends, executor: Callable = run_now, read_only: str | None = None
) -> SendHistoryDialog:
    dialog = SendHistoryDialog(
        sends.load,
        sends.undo,
        background=Background(executor=executor),
        desk_name="delegation.nsdesk",
        read_only_reason=read_only,
    )
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def texts(dialog: SendHistoryDialog, row: int) -> list[str]:
    return [dialog.table.item(row, c).text() for c in range(dialog.table.columnCount())]


def test_an_undo_under_way_holds_the_window_then_says_what_it_took_back(qtbot, sends, modal):
    jobs: list[Callable[[], None]] = []
    dialog = history(qtbot, sends, executor=jobs.append)
    assert dialog.windowTitle() == "Send history of delegation.nsdesk — nsdesk"
    assert dialog.undo_button.text() == "&Undo send…"
    assert dialog.status_label.accessibleName() == "Send history status"
    assert texts(dialog, 0)[:3] == ["Thu 31 Mar 2016, 09:30", "third.nsdesk-changes", "4 changes"]
    dialog.table.selectRow(1)
    modal.click("Undo send")
    dialog.undo_button.click()
    assert modal.seen[0][0] == "Undo this send?"
    assert "Undo sending second.nsdesk-changes?" in modal.seen[0][1]
    # While the undo runs nothing else can be asked, and the window stays.
    assert dialog.status_label.text() == "Undoing the send of second.nsdesk-changes…"
    assert not dialog.undo_button.isEnabled()
    assert not dialog.close_button.isEnabled()
    dialog.reject()
    assert dialog.isVisible()
    with qtbot.waitSignal(dialog.send_undone) as undone:
        jobs.pop()()
    assert undone.args == [2, 2]
    assert dialog.status_label.text() == (
        "The send of second.nsdesk-changes was undone: 2 changes taken back."
    )
    # Read again, the same send still chosen: struck through, said undone, not offered.
    assert dialog.selected() == sends.sends[1]
    assert texts(dialog, 1)[3]
    assert dialog.table.item(1, 2).font().strikeOut()
    assert not dialog.table.item(0, 2).font().strikeOut()
    assert not dialog.undo_button.isEnabled()
    assert dialog.undo_button.toolTip() == "This send was undone already."
    assert dialog.close_button.isEnabled()
    dialog.reject()
    assert not dialog.isVisible()


def test_cancelling_the_question_changes_nothing(qtbot, sends, modal):
    dialog = history(qtbot, sends)
    modal.click("Cancel")
    dialog.undo_button.click()
    assert dialog.selected() == sends.sends[0]
    assert sends.sends[0].undone_at is None
    assert dialog.status_label.text() == ""
    assert dialog.undo_button.isEnabled()


def test_a_refusal_is_said_under_the_list_and_in_a_box_and_may_be_tried_again(qtbot, sends):
    sends.blocked.add(3)
    dialog = history(qtbot, sends)
    dialog.ask_undo(confirm=False)
    assert dialog.status_label.text() == (
        "The send of third.nsdesk-changes was not undone; nothing was changed."
    )
    box = dialog.message_box
    assert box is not None
    assert box.windowTitle() == "Send not undone — nsdesk"
    assert box.text() == "The send of third.nsdesk-changes was not undone."
    assert box.informativeText() == "C-0002 was changed again since."
    assert dialog.undo_button.isEnabled()
    assert dialog.close_button.isEnabled()
    box.accept()


def test_a_fault_goes_to_the_error_dialog_and_the_list_says_so(qtbot, sends, monkeypatch):
    sends.broken.add(3)
    faults: list[BaseException] = []
    monkeypatch.setattr(sys, "excepthook", lambda _kind, error, _tb: faults.append(error))
    dialog = history(qtbot, sends)
    dialog.ask_undo(confirm=False)
    assert [str(f) for f in faults] == ["a fault"]
    assert dialog.status_label.text() == (
        "The send of third.nsdesk-changes was not undone: an unexpected error."
    )
    assert dialog.message_box is None
    assert dialog.undo_button.isEnabled()


def test_a_read_only_desk_shows_its_history_and_says_why_nothing_can_be_undone(qtbot, sends):
    dialog = history(qtbot, sends, read_only="another officer has it open.")
    assert dialog.table.rowCount() == 2
    assert dialog.status_label.text() == (
        "Undoing a send needs the desk open for editing, and it is read-only: "
        "another officer has it open."
    )
    assert not dialog.undo_button.isEnabled()
    assert dialog.undo_button.toolTip() == "Undoing a send needs the desk open for editing."
    dialog.ask_undo(confirm=False)
    assert sends.sends[0].undone_at is None


def test_an_empty_history_says_so(qtbot):
    dialog = history(qtbot, Sends())
    assert dialog.table.rowCount() == 0
    assert dialog.status_label.text() == "Nothing has been sent from this desk yet."
    assert not dialog.undo_button.isEnabled()
