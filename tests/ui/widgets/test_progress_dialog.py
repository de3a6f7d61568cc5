"""Long work with a progress dialog: it shows only if the work lasts, follows the
worker's reports, and its Cancel button stops the work."""

from __future__ import annotations

import threading
import time

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from nsdesk.ui.background import Background, run_now
from nsdesk.ui.widgets.progress_dialog import ProgressDialog


@pytest.fixture
def parent(qtbot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.show()
    return widget


class Outcomes:
    def __init__(self) -> None:
        self.done: list[object] = []
        self.errors: list[BaseException] = []
        self.cancelled = 0
        self.threads: set[int] = set()

    def kwargs(self) -> dict:
        def cancelled() -> None:
            self.cancelled += 1
            self.threads.add(threading.get_ident())

        return {
            "on_done": self.done.append,
            "on_error": self.errors.append,
            "on_cancelled": cancelled,
        }

    @property
    def ended(self) -> bool:
        return bool(self.done or self.errors or self.cancelled)


def _until_cancelled(progress) -> str:
    """Work that reports 3 of 10, then waits for Cancel (at most 10 s)."""
    progress.report(3, 10, "Adding commitments")
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        progress.check_cancelled()
        time.sleep(0.01)
    return "never cancelled"


def test_cancel_stops_the_work_and_ends_in_on_cancelled_on_the_gui_thread(qtbot, parent):
    background = Background()
    outcomes = Outcomes()
    task = background.run_with_progress(
        "Creating the demo desk", _until_cancelled, parent_widget=parent, **outcomes.kwargs()
    )
    qtbot.waitUntil(lambda: task.dialog is not None and task.dialog.isVisible(), timeout=5_000)
    dialog = task.dialog
    assert dialog.parent() is parent
    assert dialog.windowModality() == Qt.WindowModality.WindowModal
    qtbot.waitUntil(lambda: dialog.bar.value() == 3, timeout=5_000)  # the worker's report
    assert dialog.bar.maximum() == 10
    assert dialog.step_label.text() == "Adding commitments…"
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: outcomes.ended, timeout=5_000)
    assert outcomes.cancelled == 1
    assert outcomes.done == []
    assert outcomes.errors == []
    assert outcomes.threads == {threading.get_ident()}
    assert not [d for d in parent.findChildren(ProgressDialog) if d.isVisible()]  # closed
    assert task.dialog is None
    assert not background.busy
    assert background.wait(5_000)


def test_escape_cancels_too_and_the_dialog_stays_until_the_work_has_stopped(qtbot, parent):
    background = Background()
    outcomes = Outcomes()
    stopping = threading.Event()

    def slow_to_stop(progress) -> None:
        while not progress.cancelled:
            time.sleep(0.01)
        stopping.wait(5)  # a step that must finish before the work can stop
        progress.check_cancelled()

    task = background.run_with_progress(
        "Exporting", slow_to_stop, parent_widget=parent, show_after_ms=50, **outcomes.kwargs()
    )
    qtbot.waitUntil(lambda: task.dialog is not None and task.dialog.isVisible(), timeout=5_000)
    dialog = task.dialog
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: task.progress.cancelled, timeout=5_000)
    assert dialog.isVisible()  # still working: the user is not told it stopped
    assert not dialog.cancel_button.isEnabled()
    assert "Cancelling" in dialog.step_label.text()
    stopping.set()
    qtbot.waitUntil(lambda: outcomes.ended, timeout=5_000)
    assert outcomes.cancelled == 1
    background.wait(5_000)


def test_waiting_at_exit_cancels_work_with_progress_rather_than_wait_for_it(qtbot, parent):
    background = Background()
    outcomes = Outcomes()
    task = background.run_with_progress(
        "Creating the demo desk", _until_cancelled, parent_widget=parent, **outcomes.kwargs()
    )
    qtbot.waitUntil(lambda: task.latest is not None, timeout=5_000)  # under way
    started = time.monotonic()
    assert background.wait(5_000)
    assert time.monotonic() - started < 2  # not the work's 10 s
    qtbot.waitUntil(lambda: outcomes.ended, timeout=5_000)
    assert outcomes.cancelled == 1


def test_quick_work_shows_no_dialog_and_gives_its_result(qtbot, parent):
    background = Background()
    outcomes = Outcomes()
    task = background.run_with_progress(
        "Saving", lambda progress: 42, parent_widget=parent, **outcomes.kwargs()
    )
    qtbot.waitUntil(lambda: outcomes.ended, timeout=5_000)
    assert outcomes.done == [42]
    qtbot.wait(500)  # past the moment a dialog would have shown
    assert task.dialog is None
    assert parent.findChildren(ProgressDialog) == []


def test_with_run_now_the_work_ends_before_the_call_returns(parent):
    outcomes = Outcomes()
    reports = []

    def work(progress):
        progress.report(1, 2, "Half way")
        reports.append(progress)
        return "made"

    task = Background(executor=run_now).run_with_progress(
        "Making", work, parent_widget=parent, **outcomes.kwargs()
    )
    assert outcomes.done == ["made"]
    assert task.ended
    assert task.dialog is None
    assert task.latest == (1, 2, "Half way")


def test_an_error_goes_to_on_error_not_to_on_cancelled(parent):
    outcomes = Outcomes()
    Background(executor=run_now).run_with_progress(
        "Making", lambda progress: 1 / 0, parent_widget=parent, **outcomes.kwargs()
    )
    assert [type(e) for e in outcomes.errors] == [ZeroDivisionError]
    assert outcomes.cancelled == 0
    assert outcomes.done == []


def test_a_cancelled_task_without_on_cancelled_just_ends(parent, monkeypatch):
    import sys

    hooked = []
    monkeypatch.setattr(sys, "excepthook", lambda *args: hooked.append(args))
    done = []

    def cancelled_at_once(progress):
        progress.cancel()
        progress.check_cancelled()

    Background(executor=run_now).run_with_progress(
        "Making", cancelled_at_once, done.append, parent_widget=parent
    )
    assert done == []
    assert hooked == []
