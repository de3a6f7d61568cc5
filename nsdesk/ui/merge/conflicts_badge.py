"""The status bar's count of what merges left open: conflicts, identity clashes and
records to review. Hidden when there is none; a click (or Enter on it) opens them."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtWidgets import QPushButton

from nsdesk.ui import wording


def badge_text(counts: Mapping[str, int]) -> str:
    """ "3 open conflicts, 1 identity clash" (empty when nothing is open)."""
    parts = []
    if n := counts.get("conflict", 0):
        parts.append(wording.count(n, "open conflict"))
    if n := counts.get("identity", 0):
        parts.append(wording.count(n, "identity clash", "identity clashes"))
    if n := counts.get("review", 0):
        parts.append(wording.count(n, "record to review", "records to review"))
    return ", ".join(parts)


class ConflictsBadge(QPushButton):
    """What merges left open, counted; a click shows them."""

    def __init__(self) -> None:
        super().__init__()
        self.setFlat(True)
        self.setAccessibleName("Open conflicts")
        self.setToolTip("What merges left for a person to decide: click to see them")
        self.setStyleSheet("QPushButton { color: #b3261e; font-weight: bold; padding: 0 6px; }")
        self.hide()

    def show_counts(self, counts: Mapping[str, int]) -> None:
        """Show ``counts`` (kind -> open items); hidden when none is open."""
        text = badge_text(counts)
        self.setText(f"⚠ {text}" if text else "")
        self.setVisible(bool(text))
