"""Unexpected errors: logged, shown calmly, details one click from the clipboard."""

from __future__ import annotations

import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from nsdesk import diagnostics
from nsdesk.ui.error_dialog import ErrorDialog, UnexpectedErrors


def test_an_uncaught_error_is_logged_and_shown_with_copyable_details(
    qtbot, window, monkeypatch, log_here
):
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # put back after the test
    errors = UnexpectedErrors(window)
    diagnostics.install_excepthook(errors)

    def broken_slot():
        raise RuntimeError("the ministry's workbook had no sheets")

    QTimer.singleShot(0, broken_slot)
    qtbot.waitUntil(lambda: errors.dialog is not None and errors.dialog.isVisible(), timeout=5_000)
    dialog = errors.dialog
    assert dialog.windowTitle() == "Unexpected error — nsdesk"
    assert "Changes saved before it are safe" in dialog.text_label.text()
    assert str(log_here) in dialog.log_label.text()
    details = dialog.details_edit.toPlainText()
    assert "RuntimeError: the ministry's workbook had no sheets" in details
    assert "broken_slot" in details  # the traceback, for whoever helps
    assert dialog.details_edit.isReadOnly()
    assert "the ministry's workbook had no sheets" in log_here.read_text()

    QApplication.clipboard().clear()
    dialog.copy_button.click()
    assert QApplication.clipboard().text() == details
    assert dialog.copied_label.text() == "The details are on the clipboard."


def test_errors_that_follow_join_the_dialog_already_open(qtbot, window):
    errors = UnexpectedErrors(window)
    errors("first traceback")
    first = errors.dialog
    errors("second traceback")
    assert errors.dialog is first
    text = first.details_edit.toPlainText()
    assert "first traceback" in text
    assert "second traceback" in text


def test_closing_the_dialog_needs_no_decision(qtbot, tmp_path):
    from PySide6.QtWidgets import QPushButton

    dialog = ErrorDialog("Traceback…", tmp_path / "nsdesk.log")
    qtbot.addWidget(dialog)
    dialog.show()
    labels = sorted(b.text() for b in dialog.findChildren(QPushButton))
    assert labels == ["Close", "Copy details"]
    next(b for b in dialog.findChildren(QPushButton) if b.text() == "Close").click()
    assert not dialog.isVisible()
