"""The dialog that shows how far long work got, with a Cancel button.

It only shows what it is given and says that the user wants to stop
(:attr:`ProgressDialog.cancel_requested`); :class:`nsdesk.ui.background.Background`
decides when it appears (only for work that lasts), feeds it on the GUI thread
and closes it when the work ends. Closing it by hand (Escape, the window's close
button) asks to cancel too: the dialog stays until the work has really stopped,
so the user never believes something stopped that is still running.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from nsdesk.ui.widgets.dialog_style import heading_label, note_label


class ProgressDialog(QDialog):
    """A window-modal "``title``: step under way, bar, Cancel" dialog."""

    cancel_requested = Signal()
    """The user pressed Cancel (or Escape, or closed the dialog), once."""

    def __init__(self, title: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(f"{title} — nsdesk")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self._finished = False
        self.cancelling = False

        self.heading_label = heading_label(title)
        self.step_label = note_label("Starting…")
        self.step_label.setAccessibleName("Step under way")
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)  # busy until the first report says how much there is
        self.bar.setAccessibleName(f"Progress of: {title}")
        self.bar.setTextVisible(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setAccessibleDescription(f"Stop {title.lower()}; nothing is kept")
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(self.heading_label)
        layout.addWidget(self.step_label)
        layout.addWidget(self.bar)
        layout.addWidget(buttons)
        self.setMinimumWidth(440)

    def set_progress(self, done: int, total: int, text: str = "") -> None:
        """Show that ``done`` of ``total`` are done, and the step under way."""
        if total > 0:
            self.bar.setRange(0, total)
            self.bar.setValue(min(max(done, 0), total))
        if text and not self.cancelling:
            self.step_label.setText(f"{text}…")

    def reject(self) -> None:
        """Cancel, Escape: ask the work to stop; the dialog stays until it has."""
        if self._finished:
            super().reject()
            return
        if self.cancelling:
            return
        self.cancelling = True
        self.cancel_button.setEnabled(False)
        self.step_label.setText("Cancelling… (stopping at the next safe point)")
        self.cancel_requested.emit()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._finished:
            super().closeEvent(event)
            return
        event.ignore()
        self.reject()

    def finish(self) -> None:
        """The work ended (done, failed or cancelled): close and go."""
        self._finished = True
        self.done(
            QDialog.DialogCode.Accepted if not self.cancelling else QDialog.DialogCode.Rejected
        )
        self.deleteLater()
