"""A horizontal bar chart drawn with QPainter: one row per item, label, bar, value.

Drawn, not rendered to a pixmap, so it is sharp at any display scaling; every
colour comes from the widget's palette, so it reads in light and dark themes.
Each bar is a button: a click, or Enter/Space on the bar that has the keyboard's
focus mark (moved with Up/Down), emits :attr:`BarChart.bar_activated` with its key.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import (
    QFocusEvent,
    QFontMetrics,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import QToolTip, QWidget

# Ideal widths, in average character widths: enough for "Partially completed" and
# most theme names; longer labels are elided (the tooltip gives them whole).
_LABEL_CHARS = 34
_BAR_CHARS = 24
_MARGIN = 4
_GAP = 8


@dataclass(frozen=True, slots=True)
class Bar:
    """One bar: the key it reports when activated, its label and its value."""

    key: str
    label: str
    value: int


class BarChart(QWidget):
    """Horizontal bars for (key, label, value) items; activating a bar emits its key.

    The caller sets ``accessibleName``; the chart keeps ``accessibleDescription``
    as "label: value" for every bar, which is what a screen reader reads.
    """

    bar_activated = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._bars: tuple[Bar, ...] = ()
        self._current = -1
        self._hovered = -1
        self._pressed = -1
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setBackgroundRole(QPalette.ColorRole.Window)

    # -- data --------------------------------------------------------------------
    def set_bars(self, items: Sequence[tuple[str, str, int]]) -> None:
        """Show ``items`` as (key, label, value), in the order given."""
        self._bars = tuple(Bar(key, label, value) for key, label, value in items)
        self._current = 0 if self._bars and self._current < 0 else self._current
        self._current = min(self._current, len(self._bars) - 1)
        self._hovered = self._pressed = -1
        self.setAccessibleDescription(
            "; ".join(f"{bar.label}: {bar.value:,}" for bar in self._bars) or "No data"
        )
        self.updateGeometry()
        self.update()

    def bars(self) -> tuple[Bar, ...]:
        """The bars shown, in order."""
        return self._bars

    def current_index(self) -> int:
        """The bar with the keyboard's focus mark (-1 when there are none)."""
        return self._current

    def set_current_index(self, index: int) -> None:
        """Move the focus mark to bar ``index`` (clamped to the bars there are)."""
        if not self._bars:
            return
        self._current = max(0, min(index, len(self._bars) - 1))
        self.update()

    # -- geometry -------------------------------------------------------------------
    def _metrics(self) -> QFontMetrics:
        return self.fontMetrics()

    def _row_height(self) -> int:
        return self._metrics().height() + 10

    def _value_width(self) -> int:
        widest = max((bar.value for bar in self._bars), default=0)
        return self._metrics().horizontalAdvance(f"{widest:,}") + _GAP

    def _label_width(self) -> int:
        metrics = self._metrics()
        wanted = max((metrics.horizontalAdvance(bar.label) for bar in self._bars), default=0)
        # Labels take what they need, up to half the width: the bars keep the rest.
        return min(wanted + _GAP, max(self.width() - 2 * _MARGIN, 0) // 2)

    def row_rect(self, index: int) -> QRect:
        """The whole row of bar ``index`` (label, bar and value): what a click hits."""
        height = self._row_height()
        return QRect(_MARGIN, _MARGIN + index * height, self.width() - 2 * _MARGIN, height)

    def bar_rect(self, index: int) -> QRect:
        """The bar of item ``index`` as drawn (at least 2 pixels wide)."""
        row = self.row_rect(index)
        left = row.left() + _GAP // 2 + self._label_width()
        span = max(row.right() - self._value_width() - left, 1)
        widest = max((bar.value for bar in self._bars), default=0) or 1
        length = max(round(span * self._bars[index].value / widest), 2)
        inset = max(row.height() // 5, 3)
        return QRect(left, row.top() + inset, length, row.height() - 2 * inset)

    def index_at(self, point: QPoint) -> int:
        """The bar whose row contains ``point``, or -1."""
        for index in range(len(self._bars)):
            if self.row_rect(index).contains(point):
                return index
        return -1

    def sizeHint(self) -> QSize:
        metrics = self._metrics()
        wanted = max((metrics.horizontalAdvance(bar.label) for bar in self._bars), default=0)
        labels = min(wanted, metrics.averageCharWidth() * _LABEL_CHARS)
        bars = metrics.averageCharWidth() * _BAR_CHARS
        width = 2 * _MARGIN + labels + _GAP + bars + self._value_width()
        rows = max(len(self._bars), 1)
        return QSize(width, 2 * _MARGIN + rows * self._row_height())

    def minimumSizeHint(self) -> QSize:
        hint = self.sizeHint()
        return QSize(self._metrics().averageCharWidth() * 24, hint.height())

    # -- painting -------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.WindowText)
        if not self._bars:
            painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "No data")
            return
        metrics = self._metrics()
        label_width = self._label_width()
        for index, bar in enumerate(self._bars):
            row = self.row_rect(index)
            if index == self._hovered:
                painter.fillRect(row, palette.color(QPalette.ColorRole.AlternateBase))
            label_rect = QRect(row.left() + _GAP // 2, row.top(), label_width - _GAP, row.height())
            painter.setPen(text)
            painter.drawText(
                label_rect,
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                metrics.elidedText(bar.label, Qt.TextElideMode.ElideRight, label_rect.width()),
            )
            shape = self.bar_rect(index)
            if bar.value:
                painter.fillRect(shape, palette.color(QPalette.ColorRole.Highlight))
            value_rect = QRect(shape.right() + _GAP // 2, row.top(), self.width(), row.height())
            painter.drawText(
                value_rect,
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                f"{bar.value:,}",
            )
        if self.hasFocus() and 0 <= self._current < len(self._bars):
            pen = QPen(palette.color(QPalette.ColorRole.Highlight), 2)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(self.row_rect(self._current).adjusted(1, 1, -1, -1))

    # -- interaction ------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        moves: dict[int, int] = {  # event.key() is a plain int
            Qt.Key.Key_Up: self._current - 1,
            Qt.Key.Key_Down: self._current + 1,
            Qt.Key.Key_Home: 0,
            Qt.Key.Key_End: len(self._bars) - 1,
        }
        if key in moves and self._bars:
            self.set_current_index(moves[key])
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space) and self._bars:
            self.bar_activated.emit(self._bars[self._current].key)
        else:
            super().keyPressEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._pressed = self.index_at(event.position().toPoint())
            if self._pressed >= 0:
                self.set_current_index(self._pressed)
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        index = self.index_at(event.position().toPoint())
        if event.button() == Qt.MouseButton.LeftButton and index >= 0 and index == self._pressed:
            self.bar_activated.emit(self._bars[index].key)
        self._pressed = -1
        super().mouseReleaseEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        index = self.index_at(event.position().toPoint())
        if index != self._hovered:
            self._hovered = index
            cursor = Qt.CursorShape.PointingHandCursor if index >= 0 else Qt.CursorShape.ArrowCursor
            self.setCursor(cursor)
            self.update()
        super().mouseMoveEvent(event)

    def leaveEvent(self, event: QEvent) -> None:
        self._hovered = -1
        self.update()
        super().leaveEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        self.update()
        super().focusInEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        self.update()
        super().focusOutEvent(event)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            index = self.index_at(event.pos())
            if index < 0:
                QToolTip.hideText()
                event.ignore()
                return True
            bar = self._bars[index]
            QToolTip.showText(
                event.globalPos(),
                f"{bar.label}: {bar.value:,}. Click to list them.",
                self,
                self.row_rect(index),
            )
            return True
        return super().event(event)
