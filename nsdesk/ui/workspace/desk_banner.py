"""The band at the top of an open desk: whose desk it is, the DEMO label, why it
is read-only, and what the user must know before relying on it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from nsdesk.ui.wording import desk_name

if TYPE_CHECKING:
    from nsdesk.domain.location import DeskLocation
    from nsdesk.services.desk import DeskInfo


def read_only_text(reason: str | None) -> str:
    """The read-only bar: why, when known."""
    if not reason:
        return "Read-only: changes cannot be saved."
    return f"Read-only: {reason.rstrip('.')}. Changes cannot be saved."


class DeskBanner(QWidget):
    """Identity line, DEMO label, read-only bar and warnings bar."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.title_label = QLabel()
        self.title_label.setTextFormat(Qt.TextFormat.PlainText)
        font = self.title_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.title_label.setFont(font)
        self.subtitle_label = QLabel()
        self.subtitle_label.setTextFormat(Qt.TextFormat.PlainText)
        self.subtitle_label.setWordWrap(True)  # a long path never widens the window
        self.demo_label = QLabel("DEMO — illustrative data")
        self.demo_label.setAccessibleName("Demo desk")
        self.demo_label.setStyleSheet(
            "QLabel { background: #8a5300; color: white; padding: 3px 8px; font-weight: bold; }"
        )
        line = QHBoxLayout()
        line.addWidget(self.title_label)
        line.addSpacing(12)
        line.addWidget(self.subtitle_label, 1)
        line.addWidget(self.demo_label)

        # Full width: what the user must know before relying on what follows (why
        # nothing can be saved; a network share; a crash checked).
        self.read_only_label = QLabel()
        self.read_only_label.setTextFormat(Qt.TextFormat.PlainText)
        self.read_only_label.setWordWrap(True)
        self.read_only_label.setAccessibleName("Read-only")
        self.read_only_label.setStyleSheet(
            "QLabel { background: #5f6368; color: white; padding: 6px 10px; }"
        )
        self.warnings_bar = QFrame()
        self.warnings_bar.setObjectName("warnings_bar")
        self.warnings_bar.setAccessibleName("Warnings")
        self.warnings_bar.setStyleSheet(
            "QFrame#warnings_bar { background: #fdf0d2; border: 1px solid #d9a93f; }"
            "QFrame#warnings_bar QLabel { color: #3d2c00; }"
        )
        self._warnings_layout = QVBoxLayout(self.warnings_bar)
        self._warnings_layout.setContentsMargins(10, 6, 10, 6)
        self._warnings_layout.setSpacing(6)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(line)
        layout.addWidget(self.read_only_label)
        layout.addWidget(self.warnings_bar)

    def show_desk(
        self,
        path: DeskLocation,
        info: DeskInfo,
        *,
        read_only: bool,
        read_only_reason: str | None = None,
        warnings: Sequence[str] = (),
    ) -> None:
        self.title_label.setText(f"{info.own_state_name} — nuclear-security desk")
        delegation = info.delegation or "Delegation not named"
        self.subtitle_label.setText(
            f"{delegation} · {desk_name(path)} · catalogue {info.catalogue_version}"
        )
        self.demo_label.setVisible(info.is_demo)
        self.read_only_label.setText(read_only_text(read_only_reason))
        self.read_only_label.setVisible(read_only)
        self.set_warnings(warnings)

    def set_warnings(self, warnings: Sequence[str]) -> None:
        """One line per warning in the warning bar; the bar hides when there is none."""
        while (item := self._warnings_layout.takeAt(0)) is not None:
            if widget := item.widget():
                widget.hide()  # at once: deleteLater waits for the event loop
                widget.deleteLater()
        for text in warnings:
            label = QLabel(text)
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setWordWrap(True)
            self._warnings_layout.addWidget(label)
        self.warnings_bar.setVisible(bool(warnings))

    def warnings(self) -> list[str]:
        """The warnings shown, as the user reads them."""
        items = (self._warnings_layout.itemAt(i) for i in range(self._warnings_layout.count()))
        labels = (item.widget() for item in items if item is not None)
        return [label.text() for label in labels if isinstance(label, QLabel)]
