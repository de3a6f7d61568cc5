"""The import wizard's third page: what the workbook would change, before anything
does — the changes record by record (:class:`~nsdesk.ui.exchange.preview_tree.PreviewTree`,
which holds the conflicts' sides), the markings it would lower (confirmed here
first), the cells refused and the notes, and why Apply waits, if it does."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from nsdesk.ui.exchange.import_words import blocking_reason, lowering_text, preview_summary
from nsdesk.ui.exchange.long_values import preview_text, value_tip
from nsdesk.ui.exchange.preview_tree import PreviewTree
from nsdesk.ui.exchange.resolutions import DESK, WORKBOOK
from nsdesk.ui.widgets.dialog_style import heading_label, note_label, section_label, text_label
from nsdesk.ui.widgets.inline_error import InlineError, error_colour

if TYPE_CHECKING:
    from nsdesk.services.exchange.changes import ImportPreview

FIT_ROWS_AT_MOST = 300
"""Past this many refused cells, rows keep one line each."""
REFUSED_VALUE_CHARS = 80
"""The most characters of a refused value its row shows (the tooltip shows more)."""


class PreviewPage(QWidget):
    """Page 3: everything the import would do, the conflicts to settle, and what
    stands between the preview and Apply."""

    changed = Signal()
    """What Apply waits for may have changed (a side chosen, the lowering confirmed,
    other rows chosen in the list)."""

    def __init__(self) -> None:
        super().__init__()
        self.preview: ImportPreview | None = None
        self.summary_label = section_label("")
        self.summary_label.setAccessibleName("What the workbook would change")
        self.blocked_label = InlineError(None, "Import")
        self.file_label = note_label()
        self.lowering_label = text_label()
        self.lowering_label.setAccessibleName("Markings the workbook lowers")
        self.lowering_check = QCheckBox("I confirm lowering these &markings")
        self.lowering_check.setAccessibleName("Confirm lowering these markings")
        self.lowering_check.toggled.connect(lambda *_: self.changed.emit())
        self.lowering_box = QWidget()
        lowering = QVBoxLayout(self.lowering_box)
        lowering.setContentsMargins(0, 0, 0, 0)
        lowering.addWidget(self.lowering_label)
        confirm = QHBoxLayout()  # as wide as its words: a click beside them does nothing
        confirm.addWidget(self.lowering_check)
        confirm.addStretch(1)
        lowering.addLayout(confirm)
        self.lowering_box.hide()

        self.tree = PreviewTree()
        self.tree.itemSelectionChanged.connect(self.changed)
        self.tree.resolutions_changed.connect(self.changed)

        self.keep_button = QPushButton("&Keep the desk's value")
        self.take_button = QPushButton("&Take the workbook's")
        for button, side in ((self.keep_button, DESK), (self.take_button, WORKBOOK)):
            button.setToolTip(
                "For the conflicts chosen in the list (a record: all of its conflicts)"
            )
            button.clicked.connect(lambda _=False, side=side: self.tree.resolve_selected(side))
        self.keep_all_button = QPushButton("Keep the desk's for a&ll")
        self.keep_all_button.clicked.connect(lambda: self.tree.resolve_all(DESK))
        self.take_all_button = QPushButton("Take the w&orkbook's for all")
        self.take_all_button.clicked.connect(lambda: self.tree.resolve_all(WORKBOOK))
        self.conflict_buttons = QWidget()
        row = QHBoxLayout(self.conflict_buttons)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(QLabel("Conflicts:"))
        for button in (
            self.keep_button,
            self.take_button,
            self.keep_all_button,
            self.take_all_button,
        ):
            button.setAutoDefault(False)
            row.addWidget(button)
        row.addStretch(1)
        self.only_conflicts_check = QCheckBox("Show only the records with &conflicts")
        self.only_conflicts_check.setAccessibleName("Show only the records with conflicts")
        self.only_conflicts_check.toggled.connect(self.tree.show_only_conflicts)
        row.addWidget(self.only_conflicts_check)

        # A table rather than a tree: its rows grow to show a reason whole (what the
        # cell should hold is the part the ministry needs to read).
        self.refused_list = QTableWidget(0, 4)
        self.refused_list.setAccessibleName("Refused cells")
        self.refused_list.setHorizontalHeaderLabels(
            ["Cell", "Column", "Value", "Why it is refused"]
        )
        self.refused_list.verticalHeader().hide()
        self.refused_list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.refused_list.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.refused_list.setWordWrap(True)
        self.refused_list.setShowGrid(False)
        self.refused_list.setAlternatingRowColors(True)
        metrics = self.refused_list.fontMetrics()
        refused_header = self.refused_list.horizontalHeader()
        refused_header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft)
        refused_header.sectionResized.connect(lambda *_: self._fit_refused_rows())
        refused_header.resizeSection(0, metrics.horizontalAdvance("Commitments!AA1000") + 16)
        refused_header.resizeSection(1, metrics.horizontalAdvance("M" * 12))
        refused_header.resizeSection(2, metrics.horizontalAdvance("M" * 16))
        refused_header.setStretchLastSection(True)
        self.notes_list = QListWidget()
        self.notes_list.setAccessibleName("Notes on the workbook")
        self.notes_list.setWordWrap(True)
        self.notes_list.setAlternatingRowColors(True)
        self.details_tabs = QTabWidget()
        self.details_tabs.setDocumentMode(True)
        self.details_tabs.setAccessibleName("Refused cells and notes")

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.tree)
        self.splitter.addWidget(self.details_tabs)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.addWidget(heading_label("Import a workbook — check the changes"))
        layout.addWidget(self.file_label)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.blocked_label)
        layout.addWidget(self.lowering_box)
        layout.addWidget(self.conflict_buttons)
        layout.addWidget(self.splitter, 1)

    def show_preview(self, preview: ImportPreview) -> None:
        """Show what ``preview`` would change (sides already chosen for conflicts that
        are still there are kept; a lowering is confirmed again)."""
        self.preview = preview
        self.file_label.setText(str(preview.path))
        self.summary_label.setText(preview_summary(preview))
        self.lowering_check.setChecked(False)  # a preview read again is confirmed again
        self.lowering_label.setText(lowering_text(preview))
        self.lowering_box.setVisible(bool(preview.lowered))
        self.tree.show_preview(preview, only_conflicts=self.only_conflicts_check.isChecked())

        error = QBrush(error_colour(self.palette()))
        self.refused_list.setRowCount(len(preview.refused))
        for number, refused in enumerate(preview.refused):
            value = preview_text(refused.value, REFUSED_VALUE_CHARS)
            texts = (refused.where, refused.header, value, refused.reason)
            for column, text in enumerate(texts):
                cell = QTableWidgetItem(text)
                cell.setToolTip(
                    value_tip(refused.value, whole_elsewhere=False) if column == 2 else text
                )
                cell.setTextAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
                if column == 0:
                    cell.setForeground(error)
                self.refused_list.setItem(number, column, cell)
        self._fit_refused_rows()
        self.notes_list.clear()
        self.notes_list.addItems(list(preview.notes))
        tabs = self.details_tabs
        tabs.clear()
        if preview.refused:
            tabs.addTab(self.refused_list, f"Refused cells ({len(preview.refused):,})")
        if preview.notes:
            tabs.addTab(self.notes_list, f"Notes ({len(preview.notes):,})")
        tabs.setVisible(bool(preview.refused or preview.notes))
        if preview.refused:  # what blocks the import gets as much room as the changes
            half = max(self.splitter.height(), 400) // 2
            self.splitter.setSizes([half, half])
        self.conflict_buttons.setVisible(bool(preview.conflicts))

    def settle_layout(self) -> None:
        """Once the page is shown: the refused rows measured again at the width the
        page is laid out at, and the focus where the user reads first."""
        if self.preview is None:
            return
        if self.preview.refused:
            self._fit_refused_rows()
        (self.tree if self.preview.records else self.refused_list).setFocus()

    def _fit_refused_rows(self) -> None:
        """Rows as tall as their reason needs (a long list keeps one line a row: measuring
        thousands of rows would stall the page; tooltips carry the rest)."""
        if self.refused_list.rowCount() <= FIT_ROWS_AT_MOST:
            self.refused_list.resizeRowsToContents()

    def lowering_confirmed(self) -> bool:
        """Whether the user confirmed the markings the preview lowers (True if none)."""
        return self.preview is not None and (
            not self.preview.lowered or self.lowering_check.isChecked()
        )

    def update_buttons(self, busy: bool) -> str:
        """Say (and return) why Apply waits ("": it need not); enable the conflict
        buttons for what is chosen in the list."""
        reason = blocking_reason(
            self.preview, self.tree.resolutions.open_count(), self.lowering_confirmed()
        )
        if reason:
            self.blocked_label.show_message(reason)
        else:
            self.blocked_label.clear_message()
        selected = bool(self.tree.selected_conflicts())
        self.keep_button.setEnabled(not busy and selected)
        self.take_button.setEnabled(not busy and selected)
        for button in (self.keep_all_button, self.take_all_button):
            button.setEnabled(not busy and bool(self.tree.resolutions))
        return reason
