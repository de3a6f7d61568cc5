"""What the app does once its window has painted: errors nothing else caught are
logged and shown from then on, though their dialog is imported only when one comes."""

from __future__ import annotations

import sys

from PySide6.QtCore import QTimer

from nsdesk.app import _log_and_show_unexpected_errors
from nsdesk.ui.error_dialog import ErrorDialog


def test_the_first_unexpected_error_is_logged_and_shown(qtbot, window, monkeypatch, log_here):
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # put back after the test
    _log_and_show_unexpected_errors(window)

    def broken_slot():
        raise RuntimeError("the desk's folder went away")

    QTimer.singleShot(0, broken_slot)
    qtbot.waitUntil(lambda: window.findChild(ErrorDialog) is not None, timeout=5_000)
    dialog = window.findChild(ErrorDialog)
    qtbot.waitUntil(dialog.isVisible, timeout=5_000)
    assert "RuntimeError: the desk's folder went away" in dialog.details_edit.toPlainText()
    assert "the desk's folder went away" in log_here.read_text()

    QTimer.singleShot(0, lambda: 1 / 0)  # the next one joins the dialog already open
    qtbot.waitUntil(lambda: "ZeroDivisionError" in dialog.details_edit.toPlainText())
    assert window.findChildren(ErrorDialog) == [dialog]
