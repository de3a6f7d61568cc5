"""Under a commitment's fields: where it stands, its targets (added, revised and
retired here: :mod:`~nsdesk.ui.records.details.targets_box`), a quick progress
entry, and its status history as a time line (newest first).

Recording progress is the most frequent thing an officer does, so the strip is
made for the keyboard: the date is today's, the status the current one, Tab goes
date → status → progress → evidence → Add, and Ctrl+Return adds the entry from
any field. Afterwards the text fields are empty and the focus is back on the date.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from nsdesk.domain.enums import CommitmentStatus, DeadlineState
from nsdesk.domain.errors import NsdeskError
from nsdesk.services.records.details.commitment import CommitmentDetail, HistoryEntry
from nsdesk.ui.records.commands import RecordActions
from nsdesk.ui.records.details.detail_panel import DetailPanel
from nsdesk.ui.records.details.targets_box import TargetsBox
from nsdesk.ui.widgets.inline_error import (
    FormStrip,
    error_colour,
    is_dark,
    plain_label,
    secondary_colour,
)

ENTRY_ROLE = Qt.ItemDataRole.UserRole + 1
_PAD = 6

# Hues by meaning (moving, done, standing, stuck); lightness follows the palette.
_HUES = {
    CommitmentStatus.IN_PROGRESS: 212,
    CommitmentStatus.PARTIALLY_COMPLETED: 180,
    CommitmentStatus.COMPLETED: 130,
    CommitmentStatus.ONGOING: 270,
    CommitmentStatus.STALLED: 28,
}
_DEADLINE_WORDS = {
    DeadlineState.LATE: "Late",
    DeadlineState.AT_RISK: "At risk",
    DeadlineState.ON_TRACK: "On track",
    DeadlineState.NO_TARGET: "No target",
    DeadlineState.CLOSED: "Closed",
}


def status_colour(status: CommitmentStatus, palette: QPalette) -> QColor:
    """The dot colour of ``status``: a hue by meaning, grey for statuses that do
    not move; light enough for a dark palette, dark enough for a light one."""
    hue = _HUES.get(status)
    if hue is None:
        return secondary_colour(palette)
    return QColor.fromHsl(hue, 170, 170 if is_dark(palette) else 105)


def entry_sentence(entry: HistoryEntry) -> str:
    """One history entry as a screen reader (and the list's type-ahead) reads it."""
    parts = [f"{entry.entry_date.isoformat()}, {entry.status.label}"]
    if entry.narrative:
        parts.append(entry.narrative)
    if entry.evidence:
        parts.append(f"Evidence: {entry.evidence}")
    by = f" by {entry.recorded_by}" if entry.recorded_by else ""
    parts.append(f"{entry.channel.label}{by}")
    return ". ".join(parts)


class TimelineDelegate(QStyledItemDelegate):
    """Paints one entry: a status dot on the time line, the date in a column of its
    own, then status, channel and who, the progress and the evidence, wrapped."""

    def __init__(self, view: QListWidget):
        super().__init__(view)
        self.view = view

    def _columns(self, metrics: QFontMetrics, left: int) -> tuple[int, int, int]:
        dot = metrics.height()
        date_x = left + _PAD + dot + _PAD
        text_x = date_x + metrics.horizontalAdvance("0000-00-00") + 2 * _PAD
        return left + _PAD + dot // 2, date_x, text_x

    def _blocks(self, entry: HistoryEntry) -> list[tuple[str, bool]]:
        """The wrapped text blocks under the heading: (text, secondary)."""
        blocks = []
        if entry.narrative:
            blocks.append((entry.narrative, False))
        if entry.evidence:
            quality = f" ({entry.evidence_quality.label})" if entry.evidence_quality else ""
            blocks.append((f"Evidence: {entry.evidence}{quality}", True))
        return blocks

    def _heights(self, metrics: QFontMetrics, entry: HistoryEntry, width: int) -> list[int]:
        flags = int(Qt.TextFlag.TextWordWrap)
        return [
            metrics.boundingRect(QRect(0, 0, max(width, 40), 100_000), flags, text).height()
            for text, _ in self._blocks(entry)
        ]

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        entry: HistoryEntry = index.data(ENTRY_ROLE)
        metrics = option.fontMetrics
        width = self.view.viewport().width()
        text_x = self._columns(metrics, 0)[2]
        body = sum(self._heights(metrics, entry, width - text_x - _PAD))
        return QSize(width, _PAD + metrics.height() + body + 2 * _PAD)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        entry: HistoryEntry = index.data(ENTRY_ROLE)
        style = self.view.style()
        style.drawPrimitive(
            QStyle.PrimitiveElement.PE_PanelItemViewItem, option, painter, self.view
        )
        palette, rect, metrics = option.palette, option.rect, option.fontMetrics
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        text = palette.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        )
        quiet = text if selected else secondary_colour(palette)
        dot_x, date_x, text_x = self._columns(metrics, rect.left())
        top = rect.top() + _PAD
        line_h = metrics.height()
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        # The time line: a thin rule through every dot, cut at the first and last.
        painter.setPen(QPen(secondary_colour(palette), 1))
        line_top = rect.top() if index.row() > 0 else top + line_h // 2
        line_end = rect.bottom() if index.row() < self.view.count() - 1 else top + line_h // 2
        painter.drawLine(dot_x, line_top, dot_x, line_end)
        radius = line_h * 0.35
        painter.setPen(QPen(palette.color(QPalette.ColorRole.Base), 2))
        painter.setBrush(status_colour(entry.status, palette))
        painter.drawEllipse(
            QRect(
                int(dot_x - radius),
                int(top + line_h / 2 - radius),
                int(2 * radius),
                int(2 * radius),
            )
        )
        painter.setPen(text)
        painter.drawText(
            QRect(date_x, top, text_x - date_x, line_h), 0, entry.entry_date.isoformat()
        )
        bold = QFont(option.font)
        bold.setBold(True)
        painter.setFont(bold)
        status = entry.status.label
        painter.drawText(QRect(text_x, top, rect.right() - text_x, line_h), 0, status)
        after = text_x + QFontMetrics(bold).horizontalAdvance(status) + 2 * _PAD
        painter.setFont(option.font)
        painter.setPen(quiet)
        by = f" · {entry.recorded_by}" if entry.recorded_by else ""
        who = metrics.elidedText(
            f"{entry.channel.label}{by}", Qt.TextElideMode.ElideRight, rect.right() - _PAD - after
        )
        painter.drawText(QRect(after, top, rect.right() - after, line_h), 0, who)
        y = top + line_h
        width = rect.right() - _PAD - text_x
        for (block, secondary), height in zip(
            self._blocks(entry), self._heights(metrics, entry, width), strict=True
        ):
            painter.setPen(quiet if secondary else text)
            painter.drawText(QRect(text_x, y, width, height), int(Qt.TextFlag.TextWordWrap), block)
            y += height
        painter.restore()


class CommitmentDetailPanel(DetailPanel[CommitmentDetail]):
    """Where a commitment stands, its targets, a progress strip and its history."""

    watches = frozenset({"status_entry", "commitment", "target"})

    def __init__(
        self,
        actions: RecordActions,
        load: Callable[[str], CommitmentDetail],
        parent: QWidget | None = None,
        *,
        today: Callable[[], date] = date.today,
    ):
        super().__init__(actions, load, parent)
        self._today = today

        self.status_label = plain_label(name="Status now")
        bold = self.status_label.font()
        bold.setBold(True)
        self.status_label.setFont(bold)
        self.deadline_label = plain_label(name="Deadline")
        self.targets = TargetsBox(actions)

        self.strip = FormStrip("Record progress")
        self.date_edit = QLineEdit()
        self.date_edit.setPlaceholderText("YYYY-MM-DD")
        self.date_edit.setToolTip("The day it happened: 2026-03-31 (today if left empty)")
        self.status_combo = QComboBox()
        for status in CommitmentStatus:
            self.status_combo.addItem(status.label, status.value)
        self.narrative_edit = QPlainTextEdit()
        self.narrative_edit.setTabChangesFocus(True)
        self.narrative_edit.setPlaceholderText("What happened")
        lines = self.narrative_edit.fontMetrics().lineSpacing()
        self.narrative_edit.setFixedHeight(lines * 3 + 12)
        self.evidence_edit = QLineEdit()
        self.evidence_edit.setPlaceholderText("Document, letter or web address")
        self.add_button = QPushButton("&Add entry")
        self.add_button.setAccessibleName("Add progress entry")
        self.add_button.setToolTip("Add the entry (Ctrl+Return in any field)")
        self.add_button.clicked.connect(self.add_entry)
        self.strip.add_field("&Date", self.date_edit)
        self.strip.add_field("S&tatus", self.status_combo)
        self.strip.add_field("&Progress", self.narrative_edit)
        self.strip.add_field("E&vidence", self.evidence_edit)
        self.strip.add_buttons(self.add_button, hint="Ctrl+Return")
        self.strip.on_submit(self.add_entry)
        for first, second in (
            (self.date_edit, self.status_combo),
            (self.status_combo, self.narrative_edit),
            (self.narrative_edit, self.evidence_edit),
            (self.evidence_edit, self.add_button),
        ):
            QWidget.setTabOrder(first, second)

        self.timeline = QListWidget()
        self.timeline.setAccessibleName("Progress history, newest first")
        self.timeline.setItemDelegate(TimelineDelegate(self.timeline))
        self.timeline.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        # Entries wrap to the viewport: a scroll bar that came and went would
        # change that width after the entries were measured.
        self.timeline.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.timeline.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.timeline.setResizeMode(QListView.ResizeMode.Adjust)
        self.timeline.setMinimumHeight(self.fontMetrics().height() * 10)
        history_label = QLabel("&History (newest first)")
        history_label.setBuddy(self.timeline)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.status_label, self.deadline_label, self.strip, self.targets):
            layout.addWidget(widget)
        layout.addWidget(history_label)
        layout.addWidget(self.timeline, 1)
        self.show_record(None)

    # -- showing ---------------------------------------------------------------------
    def clear_input(self) -> None:
        self.date_edit.setText(self._today().isoformat())
        self.narrative_edit.clear()
        self.evidence_edit.clear()

    def clear_errors(self) -> None:
        self.strip.clear_errors()

    def show_detail(self, detail: CommitmentDetail | None) -> None:
        """Show where the commitment stands, its targets and its history."""
        self.timeline.clear()
        if detail is None:
            self.status_label.setText("No commitment is shown.")
            self.deadline_label.clear()
            self.targets.show_targets(None, ())
            return
        self.status_label.setText(f"Status now: {detail.status.label}")
        self.deadline_label.setText(self._deadline_text(detail))
        alarming = detail.deadline.state in (DeadlineState.LATE, DeadlineState.AT_RISK)
        colour = error_colour(self.palette()).name() if alarming else ""
        self.deadline_label.setStyleSheet(f"QLabel {{ color: {colour}; }}" if colour else "")
        self.targets.show_targets(detail.ref, detail.targets)
        self.status_combo.setCurrentIndex(self.status_combo.findData(detail.status.value))
        for entry in detail.history:
            item = QListWidgetItem(entry_sentence(entry))
            item.setData(ENTRY_ROLE, entry)
            self.timeline.addItem(item)

    @staticmethod
    def _deadline_text(detail: CommitmentDetail) -> str:
        """Where the commitment stands against its target, as of the day judged.
        "No target" is said only of a commitment without one: an ongoing activity
        with a target listed is "not judged against its target"."""
        assessment = detail.deadline
        words = _DEADLINE_WORDS[assessment.state]
        reason = assessment.reason
        if assessment.state is DeadlineState.NO_TARGET and detail.targets:
            words = "Not judged against its target"
        elif assessment.state is DeadlineState.NO_TARGET:
            words = "No target set"
        said = f"{words}: {reason}" if reason else words
        return f"{said} (as of {detail.as_of.isoformat()})"

    def update_enabled(self) -> None:
        # A read-only desk shows the history, and so does a retired commitment; the
        # strip takes a new entry in neither.
        retired = self.detail is not None and self.detail.retired
        self.strip.setEnabled(self.editable and not retired)
        self.targets.set_editable(self.editable and not retired)
        why = "The desk is read-only." if self.read_only else ""
        self.strip.setToolTip(why or ("The commitment is retired." if retired else ""))

    # -- recording progress -----------------------------------------------------------
    def add_entry(self) -> bool:
        """Record the strip's entry as one undoable action; on a refusal say why
        beside the field and write nothing. True when the entry was added."""
        if self.detail is None or not self.strip.isEnabled():
            return False
        self.strip.clear_errors()
        try:
            self.record_actions.record_progress(
                self.detail.ref,
                entry_date=self.date_edit.text().strip() or None,
                status=self.status_combo.currentData(),
                narrative=self.narrative_edit.toPlainText().strip() or None,
                evidence=self.evidence_edit.text().strip() or None,
            )
        except NsdeskError as error:
            self.strip.show_error(error)
            return False
        # Emptied with their typing forgotten: Ctrl+Z now undoes the entry, not a field.
        self.narrative_edit.clear()
        self.evidence_edit.setText("")
        self.date_edit.setText(self.date_edit.text())
        self.date_edit.setFocus(Qt.FocusReason.OtherFocusReason)
        self.date_edit.selectAll()
        return True
