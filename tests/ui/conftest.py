"""What the UI tests share: the window, an app context whose background work
runs synchronously, and a way to answer the modal dialog that is about to open."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QEvent, QTimer
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget

from nsdesk.ui.background import Background, run_now
from nsdesk.ui.context import AppContext
from nsdesk.ui.main_window import MainWindow
from nsdesk.ui.settings import AppSettings

_STACKS: list[QUndoStack] = []


def undo_stack() -> QUndoStack:
    """An undo stack for a test, owned by the application as the window's is by the
    window, and emptied after the test. A stack Python owns alone would be deleted by
    whichever garbage collection finds it, together with the commands it owns and
    their Python halves in an order PySide cannot survive (a segmentation fault in a
    later test)."""
    stack = QUndoStack(QApplication.instance())
    _STACKS.append(stack)
    return stack


@pytest.fixture(autouse=True)
def no_window_outlives_its_test(qtbot) -> Iterator[None]:
    """After each test every window it left open is closed and deleted, and Python's
    garbage is collected, here, between tests. A window a test made and lost into a
    reference cycle would otherwise be deleted by a later collection whenever one
    happens — in the middle of a later test's painting, which PySide cannot survive
    ("Internal C++ object already deleted", then "pure virtual method called")."""
    yield
    import gc  # lazy: only this teardown collects by hand

    while _STACKS:
        stack = _STACKS.pop()
        stack.clear()
        stack.deleteLater()
    for widget in QApplication.topLevelWidgets():
        if widget.isVisible():
            widget.close()
            widget.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@pytest.fixture
def window(qtbot) -> MainWindow:
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    return win


@pytest.fixture
def background() -> Background:
    """Background work done at once, on the test's thread."""
    return Background(executor=run_now)


@pytest.fixture
def context(background) -> Iterator[AppContext]:
    ctx = AppContext(settings=AppSettings(), background=background)
    yield ctx
    ctx.close_desk()


def button(dialog: QWidget, text: str) -> QAbstractButton:
    """The dialog's button labelled ``text`` (accelerator ampersands ignored)."""
    found = [b for b in dialog.findChildren(QAbstractButton) if b.text().replace("&", "") == text]
    assert found, (
        f"no button {text!r} in {[b.text() for b in dialog.findChildren(QAbstractButton)]}"
    )
    return found[0]


class ModalAnswers:
    """Answers the next modal dialogs, in order, once each is showing; records
    what each said (its title and every label's text) for the test to check."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, str]] = []
        self._plans: list[Callable[[QWidget], None]] = []
        self._timer = QTimer()
        self._timer.setInterval(20)
        self._timer.timeout.connect(self._poll)

    def click(self, text: str, *, then: Callable[[QWidget], None] | None = None) -> None:
        """Click the button ``text`` in the next modal dialog (after ``then(dialog)``)."""

        def plan(dialog: QWidget) -> None:
            if then is not None:
                then(dialog)
            button(dialog, text).click()

        self._plans.append(plan)
        self._timer.start()

    def _poll(self) -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None or not dialog.isVisible() or not self._plans:
            return
        from PySide6.QtWidgets import QLabel

        texts = "\n".join(label.text() for label in dialog.findChildren(QLabel) if label.text())
        self.seen.append((dialog.windowTitle(), texts))
        plan = self._plans.pop(0)
        if not self._plans:
            self._timer.stop()
        plan(dialog)


@pytest.fixture
def modal() -> Iterator[ModalAnswers]:
    answers = ModalAnswers()
    yield answers
    answers._timer.stop()
    assert not answers._plans, "a dialog the test expected never opened"


@pytest.fixture
def log_here(monkeypatch) -> Iterator:
    """The log written to this test's own folder: diagnostics configures logging once
    per process, on the first test's folder otherwise."""
    import logging

    from nsdesk import diagnostics

    logger = logging.getLogger("nsdesk")
    before = list(logger.handlers)
    monkeypatch.setattr(diagnostics, "_configured", False)
    yield diagnostics.log_file()
    for handler in logger.handlers[:]:
        if handler not in before:
            logger.removeHandler(handler)
            handler.close()


@pytest.fixture
def demo_data(demo_desk):
    """The demo desk as the views see it, judged on the demo's day, with a real
    undo stack."""
    from nsdesk.services.records.record_service import RecordService
    from nsdesk.ui.records.commands import RecordActions
    from nsdesk.ui.records.desk_data import DeskData
    from tests.conftest import DEMO_DAY

    stack = undo_stack()
    actions = RecordActions(RecordService(demo_desk, today=lambda: DEMO_DAY), stack)
    data = DeskData(demo_desk, actions, as_of=DEMO_DAY)
    yield data
    stack.clear()
