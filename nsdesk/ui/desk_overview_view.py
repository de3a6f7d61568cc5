"""The desk at a glance: who it belongs to, the key figures, and the commitments.

The first view of the app; the full registers, editors and dashboard build on it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from nsdesk.domain.enums import CommitmentStatus, DeadlineState
from nsdesk.ui.commitments_table_model import (
    COL_DEADLINE,
    COL_LEAD,
    COL_MARKING,
    COL_REF,
    COL_STATUS,
    COL_TARGET,
    COL_TITLE,
    COL_UPDATED,
    CommitmentsTableModel,
)
from nsdesk.ui.table_view import list_table

if TYPE_CHECKING:
    from nsdesk.services.overview import DeskOverview

# The widest text each column normally holds.
_COLUMN_SAMPLES = {
    COL_REF: "C-00000",
    COL_STATUS: "Partially completed",
    COL_LEAD: "Lead",
    COL_TARGET: "31 Dec 2026",
    COL_DEADLINE: "Late (9,999 days)",
    COL_UPDATED: "Last update",
    COL_MARKING: "CONFIDENTIAL",
}
_SHOWN_COUNTS = (
    "commitment",
    "status_entry",
    "gift_basket",
    "action_item",
    "instrument",
    "participation",
    "agency",
    "event",
    "document",
    "baseline",
)


def read_only_text(reason: str | None) -> str:
    """The read-only bar: why, when known."""
    if not reason:
        return "Read-only: changes cannot be saved."
    return f"Read-only: {reason.rstrip('.')}. Changes cannot be saved."


class FigureTile(QFrame):
    """One key figure: a large number over its caption."""

    def __init__(self, caption: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.value_label = QLabel("–")
        font = self.value_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.8)
        font.setBold(True)
        self.value_label.setFont(font)
        self.caption_label = QLabel(caption)
        layout = QVBoxLayout(self)
        layout.addWidget(self.value_label)
        layout.addWidget(self.caption_label)
        self.setAccessibleName(caption)

    def set_value(self, value: int) -> None:
        self.value_label.setText(f"{value:,}")
        self.setAccessibleDescription(f"{value:,}")


class DeskOverviewView(QWidget):
    """Identity banner, key figures, record counts and the commitments table."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.title_label = QLabel()
        font = self.title_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.title_label.setFont(font)
        self.subtitle_label = QLabel()
        self.subtitle_label.setTextFormat(Qt.TextFormat.PlainText)
        self.demo_label = QLabel("DEMO — illustrative data")
        self.demo_label.setStyleSheet(
            "QLabel { background: #8a5300; color: white; padding: 3px 8px; font-weight: bold; }"
        )
        banner = QHBoxLayout()
        banner.addWidget(self.title_label)
        banner.addStretch(1)
        banner.addWidget(self.demo_label)

        # Above the figures, full width: what the user must know before relying on
        # what follows (why nothing can be saved; a network share; a crash checked).
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

        self.tiles = {
            "commitments": FigureTile("Commitments"),
            "open": FigureTile("Open"),
            "completed": FigureTile("Completed"),
            "late": FigureTile("Late"),
            "at_risk": FigureTile("At risk"),
        }
        figures = QHBoxLayout()
        for tile in self.tiles.values():
            figures.addWidget(tile)

        self.counts_label = QLabel()
        self.counts_label.setWordWrap(True)
        self.counts_label.setTextFormat(Qt.TextFormat.PlainText)

        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText("Filter commitments by id, title, agency or status")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setAccessibleName("Filter commitments")

        self.model = CommitmentsTableModel(self)
        self.filter_edit.textChanged.connect(self.model.set_filter)

        self.table = list_table(
            self.model, name="Commitments", samples=_COLUMN_SAMPLES, stretch=COL_TITLE
        )
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(COL_REF, Qt.SortOrder.AscendingOrder)

        grid = QGridLayout(self)
        grid.addLayout(banner, 0, 0)
        grid.addWidget(self.subtitle_label, 1, 0)
        grid.addWidget(self.read_only_label, 2, 0)
        grid.addWidget(self.warnings_bar, 3, 0)
        grid.addLayout(figures, 4, 0)
        grid.addWidget(self.counts_label, 5, 0)
        grid.addWidget(self.filter_edit, 6, 0)
        grid.addWidget(self.table, 7, 0)
        grid.setRowStretch(7, 1)

    def show_overview(
        self,
        overview: DeskOverview,
        *,
        warnings: Sequence[str] = (),
        read_only_reason: str | None = None,
    ) -> None:
        """Show the desk; ``warnings`` in the warning bar, ``read_only_reason`` in the
        read-only bar (shown whenever the desk is read-only)."""
        info = overview.info
        self.title_label.setText(f"{info.own_state_name} — nuclear-security desk")
        delegation = info.delegation or "Delegation not named"
        self.subtitle_label.setText(
            f"{delegation} · {overview.path.name} · catalogue {info.catalogue_version} · "
            f"as of {overview.as_of.isoformat()}"
        )
        self.demo_label.setVisible(info.is_demo)
        self.read_only_label.setText(read_only_text(read_only_reason))
        self.read_only_label.setVisible(overview.read_only)
        self.set_warnings(warnings)
        rows = overview.commitments
        self.tiles["commitments"].set_value(len(rows))
        self.tiles["open"].set_value(sum(1 for r in rows if not r.status.is_closed))
        self.tiles["completed"].set_value(
            sum(1 for r in rows if r.status is CommitmentStatus.COMPLETED)
        )
        self.tiles["late"].set_value(overview.count_in(DeadlineState.LATE))
        self.tiles["at_risk"].set_value(overview.count_in(DeadlineState.AT_RISK))
        shown = [c for c in overview.counts if c.kind in _SHOWN_COUNTS]
        self.counts_label.setText("   ·   ".join(f"{c.plural}: {c.live:,}" for c in shown))
        self.model.set_rows(rows)

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
        labels = (
            self._warnings_layout.itemAt(i).widget() for i in range(self._warnings_layout.count())
        )
        return [label.text() for label in labels if isinstance(label, QLabel)]
