"""The desk at a glance: who it belongs to, the key figures, and the commitments.

The first view of the app; the full registers, editors and dashboard build on it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
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
        self.read_only_label = QLabel("Read-only: changes cannot be saved")
        self.read_only_label.setStyleSheet(
            "QLabel { background: #5f6368; color: white; padding: 3px 8px; }"
        )
        banner = QHBoxLayout()
        banner.addWidget(self.title_label)
        banner.addStretch(1)
        banner.addWidget(self.read_only_label)
        banner.addWidget(self.demo_label)

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

        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(COL_REF, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)  # one line per commitment; the tooltip has it all
        self.table.verticalHeader().hide()
        self.table.setAccessibleName("Commitments")
        # Widths from the font, not from the data: measuring every cell would cost
        # seconds on an archive-sized register. The title takes the remaining width.
        header = self.table.horizontalHeader()
        metrics = self.table.fontMetrics()
        for column, sample in _COLUMN_SAMPLES.items():
            header.resizeSection(column, metrics.horizontalAdvance(sample) + 24)
        header.setSectionResizeMode(COL_TITLE, QHeaderView.ResizeMode.Stretch)

        grid = QGridLayout(self)
        grid.addLayout(banner, 0, 0)
        grid.addWidget(self.subtitle_label, 1, 0)
        grid.addLayout(figures, 2, 0)
        grid.addWidget(self.counts_label, 3, 0)
        grid.addWidget(self.filter_edit, 4, 0)
        grid.addWidget(self.table, 5, 0)
        grid.setRowStretch(5, 1)

    def show_overview(self, overview: DeskOverview) -> None:
        info = overview.info
        self.title_label.setText(f"{info.own_state_name} — nuclear-security desk")
        delegation = info.delegation or "Delegation not named"
        self.subtitle_label.setText(
            f"{delegation} · {overview.path.name} · catalogue {info.catalogue_version} · "
            f"as of {overview.as_of.isoformat()}"
        )
        self.demo_label.setVisible(info.is_demo)
        self.read_only_label.setVisible(overview.read_only)
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
