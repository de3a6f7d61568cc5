"""A count over time drawn with QPainter: one or more series of dated values, each a
step line (a count holds until the next date), optionally with a dot on each dated
value, on a time axis in years and a value axis from zero.

Every colour comes from the palette (light and dark themes read alike); a second
series is dashed, so the two stay apart without colour. The chart keeps
``accessibleDescription`` as every value with its date, which is what a screen
reader reads; the caller sets ``accessibleName``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

_MARGIN = 6


@dataclass(frozen=True, slots=True)
class Series:
    """One line: its name in the legend, its (day, value) points in date order, and
    whether each point is marked with a dot (a dated count a source gives)."""

    label: str
    points: tuple[tuple[date, int], ...]
    dots: bool = False


def _nice_top(value: int) -> int:
    """A round number at or above ``value`` for the top of the value axis."""
    for step in (5, 10, 20, 25, 50, 100, 200, 250, 500, 1000):
        if value <= step * 5:
            return max(step, -(-value // step) * step)
    return value


def _spoken(day: date) -> str:
    return f"{day.day} {day.strftime('%b')} {day.year}"


class StepChart(QWidget):
    """Counts over time: step lines, dots on dated values, a marker on one day."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._series: tuple[Series, ...] = ()
        self._marker: date | None = None
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setMinimumHeight(120)

    def set_series(self, series: Sequence[Series], marker: date | None = None) -> None:
        """Show ``series``; ``marker`` draws a vertical line on that day (the as-of)."""
        self._series = tuple(s for s in series if s.points)
        self._marker = marker
        said = []
        for line in self._series:
            values = ", ".join(f"{v:,} on {_spoken(d)}" for d, v in line.points)
            said.append(f"{line.label}: {values}")
        self.setAccessibleDescription("; ".join(said) or "No data")
        self.update()

    def series(self) -> tuple[Series, ...]:
        """The series shown."""
        return self._series

    def sizeHint(self) -> QSize:
        return QSize(480, self.fontMetrics().height() * 9)

    # -- geometry ----------------------------------------------------------------------
    def _span(self) -> tuple[date, date]:
        days = [d for s in self._series for d, _ in s.points]
        if self._marker is not None:
            days.append(self._marker)
        first, last = min(days), max(days)
        return date(first.year, 1, 1), date(last.year + 1, 1, 1)

    def _plot_rect(self) -> QRectF:
        metrics = self.fontMetrics()
        top = _MARGIN + metrics.height() + 4  # the legend's line
        left = _MARGIN + metrics.horizontalAdvance(f"{self._top():,}") + 6
        bottom = self.height() - _MARGIN - metrics.height() - 2
        return QRectF(left, top, max(self.width() - left - _MARGIN - 4, 10), max(bottom - top, 10))

    def _top(self) -> int:
        return _nice_top(max((v for s in self._series for _, v in s.points), default=1))

    def _x(self, day: date, rect: QRectF, first: date, last: date) -> float:
        return rect.left() + rect.width() * (day - first).days / max((last - first).days, 1)

    def _y(self, value: int, rect: QRectF) -> float:
        return rect.bottom() - rect.height() * value / max(self._top(), 1)

    # -- painting ----------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.WindowText)
        faint = palette.color(QPalette.ColorRole.Mid)
        if not self._series:
            painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "No counts recorded")
            return
        metrics = self.fontMetrics()
        rect = self._plot_rect()
        first, last = self._span()
        # the value axis: 0, half and the top, with faint rules
        painter.setPen(QPen(faint, 0.5))
        for value in (0, self._top() // 2, self._top()):
            y = self._y(value, rect)
            painter.drawLine(QPointF(rect.left(), y), QPointF(rect.right(), y))
            painter.setPen(text)
            label = f"{value:,}"
            painter.drawText(
                QPointF(
                    rect.left() - 6 - metrics.horizontalAdvance(label), y + metrics.ascent() / 2 - 1
                ),
                label,
            )
            painter.setPen(QPen(faint, 0.5))
        # the time axis: a tick and a label every few years
        years = last.year - first.year
        step = next(s for s in (1, 2, 5, 10, 20, 50) if years / s <= 8)
        painter.setPen(text)
        for year in range(first.year, last.year + 1):
            if (year - first.year) % step:
                continue
            x = self._x(date(year, 1, 1), rect, first, last)
            painter.drawLine(QPointF(x, rect.bottom()), QPointF(x, rect.bottom() + 3))
            label = str(year)
            painter.drawText(
                QPointF(x - metrics.horizontalAdvance(label) / 2, rect.bottom() + metrics.height()),
                label,
            )
        if self._marker is not None:
            x = self._x(self._marker, rect, first, last)
            pen = QPen(faint, 1, Qt.PenStyle.DotLine)
            painter.setPen(pen)
            painter.drawLine(QPointF(x, rect.top()), QPointF(x, rect.bottom()))
        colours = [
            palette.color(QPalette.ColorRole.Highlight),
            palette.color(QPalette.ColorRole.WindowText),
        ]
        legend_x = rect.left()
        for index, line in enumerate(self._series):
            colour = colours[index % len(colours)]
            pen = QPen(colour, 2 if index == 0 else 1.4)
            if index:
                pen.setStyle(Qt.PenStyle.DashLine)
            path = QPainterPath()
            for number, (day, value) in enumerate(line.points):
                x, y = self._x(day, rect, first, last), self._y(value, rect)
                if number == 0:
                    path.moveTo(x, y)
                else:
                    path.lineTo(x, path.currentPosition().y())
                    path.lineTo(x, y)
            end = self._marker or line.points[-1][0]
            if end > line.points[-1][0]:
                path.lineTo(self._x(end, rect, first, last), path.currentPosition().y())
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPath(path)
            if line.dots:
                painter.setBrush(colour)
                for day, value in line.points:
                    painter.drawEllipse(
                        QPointF(self._x(day, rect, first, last), self._y(value, rect)), 2.6, 2.6
                    )
            # legend entry
            y = _MARGIN + metrics.ascent()
            painter.setPen(pen)
            painter.drawLine(QPointF(legend_x, y - 4), QPointF(legend_x + 18, y - 4))
            if line.dots:
                painter.drawEllipse(QPointF(legend_x + 9, y - 4), 2.6, 2.6)
            painter.setPen(QColor(text))
            painter.drawText(QPointF(legend_x + 24, y), line.label)
            legend_x += 24 + metrics.horizontalAdvance(line.label) + 18
