"""Ctrl+Z answers for the desk wherever no text field has its own typing to undo.

A Qt text field claims Ctrl+Z (and Ctrl+Shift+Z, Ctrl+Y) whenever it has the
focus, even with nothing of its own to undo; so after "Add entry" put the focus
back in the date field, Ctrl+Z did nothing to the entry just added. Here each
text field of the window, when it first takes the focus, gets a filter that lets
it keep those keys only while it has typing to undo (or redo); otherwise they go
to the window's Undo and Redo, the desk's own steps.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit, QPlainTextEdit, QTextEdit, QWidget

_WATCHED = "nsdesk_undo_keys"  # a property marking the fields already watched


def own_history(widget: QObject, redo: bool) -> bool:
    """Whether ``widget`` (a text field) has typing of its own to undo (or redo)."""
    if isinstance(widget, QComboBox):
        line = widget.lineEdit()
        return line is not None and own_history(line, redo)
    if isinstance(widget, QLineEdit):
        if widget.isReadOnly():
            return False
        return widget.isRedoAvailable() if redo else widget.isUndoAvailable()
    if isinstance(widget, QPlainTextEdit | QTextEdit):
        if widget.isReadOnly():
            return False
        document = widget.document()
        return document.isRedoAvailable() if redo else document.isUndoAvailable()
    return False


def _is_text_field(widget: QWidget) -> bool:
    if isinstance(widget, QComboBox):
        return widget.lineEdit() is not None
    return isinstance(widget, QLineEdit | QPlainTextEdit | QTextEdit)


class UndoKeys(QObject):
    """Routes the undo and redo keys of ``window``'s text fields (see the module)."""

    def __init__(self, window: QWidget):
        super().__init__(window)
        self.window = window
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_changed)

    def _focus_changed(self, _old: QWidget | None, now: QWidget | None) -> None:
        if now is None or now.window() is not self.window or not _is_text_field(now):
            return
        if now.property(_WATCHED):
            return
        now.setProperty(_WATCHED, True)
        now.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.ShortcutOverride or not isinstance(event, QKeyEvent):
            return False
        if event.matches(QKeySequence.StandardKey.Undo):
            redo = False
        elif event.matches(QKeySequence.StandardKey.Redo) or _is_ctrl_y(event):
            redo = True
        else:
            return False
        # Unclaimed, the keys reach the window's Undo or Redo; claimed, the field's own.
        return not own_history(watched, redo)


def _is_ctrl_y(event: QKeyEvent) -> bool:
    return QKeySequence(event.keyCombination()) == QKeySequence("Ctrl+Y")
