"""The world map of one instrument's standing: each state coloured party, signatory
only or outside, the states outside the filter pale, the own state outlined.

Drawn with QPainter from the outlines of :class:`~nsdesk.domain.world_map.WorldMap`
(sharp at any scaling). A state too small to see at the size drawn is a dot. The
map is a picture of the table beside it, which is the way in for the keyboard and a
screen reader: the map's accessible description says what it shows in numbers, a
state's name and standing are its tooltip, and a click on it emits
:attr:`WorldMapView.state_activated` so the table can show that state.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QHelpEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QTransform,
)
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from nsdesk.domain.enums import Standing
from nsdesk.domain.world_map import (
    BORDER,
    FILTERED_OUT,
    OWN_OUTLINE,
    SEA,
    STANDING_COLOURS,
    UNCODED_LAND,
    MapShape,
    WorldMap,
)

_DOT = 2.4  # pixels: the radius of a small state's dot
_SMALL = 3.5  # pixels: outlines smaller than this get a dot as well
_LEGEND = (
    (Standing.PARTY, "Party"),
    (Standing.SIGNATORY, "Signatory only"),
    (Standing.OUTSIDE, "Not a party or not listed"),
)


class WorldMapView(QWidget):
    """A world map coloured by standing; emits a state's code when clicked."""

    state_activated = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._map: WorldMap | None = None
        self._paths: list[tuple[MapShape, QPainterPath]] = []
        self._standings: dict[str, Standing] = {}
        self._names: dict[str, str] = {}
        self._shown: frozenset[str] | None = None
        self._own = ""
        self.setMouseTracking(True)
        self.setMinimumSize(320, 160)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        # Not in the tab chain: the table beside it holds the same facts for the keyboard.
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setAccessibleName("World map")

    # -- data --------------------------------------------------------------------------
    def set_map(self, world: WorldMap) -> None:
        """The outlines to draw (once)."""
        self._map = world
        self._paths = []
        for shape in world.shapes:
            path = QPainterPath()
            for ring in shape.rings:
                path.moveTo(*ring[0])
                for point in ring[1:]:
                    path.lineTo(*point)
                path.closeSubpath()
            self._paths.append((shape, path))
        self.updateGeometry()
        self.update()

    def set_standings(
        self,
        standings: Mapping[str, Standing],
        names: Mapping[str, str],
        *,
        shown: frozenset[str] | None,
        own: str,
        description: str,
    ) -> None:
        """Colour each code by its standing (a code with none, such as a territory
        that is no state, is plain land); codes not in ``shown`` (all when None) are
        drawn pale; ``own`` is outlined. ``description`` is what a screen reader says
        the map shows."""
        self._standings = dict(standings)
        self._names = dict(names)
        self._shown = shown
        self._own = own
        self.setAccessibleDescription(description)
        self.update()

    def fill_of(self, code: str) -> str:
        """The colour the state ``code`` is filled with now (as #rrggbb)."""
        standing = self._standings.get(code)
        if standing is None:
            return UNCODED_LAND
        if self._shown is not None and code not in self._shown:
            return FILTERED_OUT
        return STANDING_COLOURS[standing.value]

    def _dotted(self, shape: MapShape, scale: float) -> bool:
        """A state the view colours, in the filter, too small to see at ``scale``: a dot
        marks it (the states outside the filter are left to their outlines)."""
        return (
            shape.code in self._standings
            and (self._shown is None or shape.code in self._shown)
            and shape.extent * scale < _SMALL
        )

    # -- geometry ----------------------------------------------------------------------
    def _map_rect(self) -> QRectF:
        """Where the map is drawn: as wide as fits, keeping its proportions, with
        room below for the legend."""
        aspect = self._map.aspect if self._map else 0.5
        legend = self._legend_height(self.width())
        width = min(float(self.width()), (self.height() - legend) / aspect)
        height = width * aspect
        return QRectF((self.width() - width) / 2, 0, width, height)

    def _transform(self) -> QTransform:
        rect = self._map_rect()
        return QTransform(rect.width(), 0, 0, rect.width(), rect.left(), rect.top())

    def heightForWidth(self, width: int) -> int:
        aspect = self._map.aspect if self._map else 0.5
        return int(width * aspect) + self._legend_height(width)

    def hasHeightForWidth(self) -> bool:
        return True

    def sizeHint(self) -> QSize:
        return QSize(640, self.heightForWidth(640))

    def code_at(self, point: QPointF) -> str:
        """The code of the state drawn at ``point`` (widget pixels), or ""."""
        scale = self._map_rect().width()
        if scale <= 0:
            return ""
        inverse, _ = self._transform().inverted()
        local = inverse.map(point)
        for shape, _path in self._paths:  # dots sit on top: they are hit first
            if self._dotted(shape, scale):
                cx, cy = shape.centre
                if (cx - local.x()) ** 2 + (cy - local.y()) ** 2 <= ((_DOT + 1) / scale) ** 2:
                    return shape.code
        for shape, path in reversed(self._paths):  # smallest on top
            if path.contains(local):
                return shape.code
        return ""

    # -- painting ----------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = self._map_rect()
        painter.fillRect(rect, QColor(SEA))
        transform = self._transform()
        scale = rect.width()
        border = QPen(QColor(BORDER), 0.6)
        border.setCosmetic(True)
        dots: list[MapShape] = []
        painter.save()
        painter.setTransform(transform, True)
        for shape, path in self._paths:
            if shape.rings:
                painter.setPen(border)
                painter.setBrush(QColor(self.fill_of(shape.code)))
                painter.drawPath(path)
            if self._dotted(shape, scale):
                dots.append(shape)
        own = next((p for s, p in self._paths if s.code == self._own and s.rings), None)
        if own is not None:
            outline = QPen(QColor(OWN_OUTLINE), 1.1)
            outline.setCosmetic(True)
            painter.setPen(outline)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPath(own)
        painter.restore()
        for shape in dots:
            centre = transform.map(QPointF(*shape.centre))
            is_own = shape.code == self._own
            pen = QPen(QColor(OWN_OUTLINE if is_own else "#8a8a8a"), 1.4 if is_own else 0.5)
            painter.setPen(pen)
            painter.setBrush(QBrush(QColor(self.fill_of(shape.code))))
            painter.drawEllipse(centre, _DOT, _DOT)
        self._paint_legend(painter, rect)

    def _legend_entries(self) -> list[tuple[str, str, bool]]:
        """(colour, label, outlined only) of each legend entry."""
        entries = [(STANDING_COLOURS[s.value], label, False) for s, label in _LEGEND]
        if self._shown is not None:
            entries.append((FILTERED_OUT, "Not in the filter", False))
        if self._own:
            entries.append((OWN_OUTLINE, "Our state", True))
        return entries

    def _legend_rows(self, width: float) -> list[list[tuple[str, str, bool]]]:
        """The legend's entries in rows that fit ``width``."""
        metrics = self.fontMetrics()
        size = metrics.height() - 4
        rows: list[list[tuple[str, str, bool]]] = [[]]
        used = 0.0
        for entry in self._legend_entries():
            wanted = size + 4 + metrics.horizontalAdvance(entry[1]) + 14
            if rows[-1] and used + wanted > width:
                rows.append([])
                used = 0.0
            rows[-1].append(entry)
            used += wanted
        return rows

    def _legend_height(self, width: float) -> int:
        return len(self._legend_rows(width)) * (self.fontMetrics().height() + 2) + 6

    def _paint_legend(self, painter: QPainter, rect: QRectF) -> None:
        metrics = self.fontMetrics()
        size = metrics.height() - 4
        y = rect.bottom() + 4
        for row in self._legend_rows(rect.width()):
            x = rect.left()
            for colour, label, outlined in row:
                if outlined:
                    painter.setBrush(Qt.BrushStyle.NoBrush)
                    painter.setPen(QPen(QColor(colour), 1.6))
                else:
                    painter.setBrush(QColor(colour))
                    painter.setPen(QPen(QColor("#6b6b6b"), 0.6))
                painter.drawRect(QRectF(x, y + 2, size, size))
                painter.setPen(self.palette().windowText().color())
                painter.drawText(QPointF(x + size + 4, y + metrics.ascent()), label)
                x += size + 4 + metrics.horizontalAdvance(label) + 14
            y += metrics.height() + 2

    # -- interaction -------------------------------------------------------------------
    def _describe(self, code: str) -> str:
        standing = self._standings.get(code, Standing.OUTSIDE)
        name = self._names.get(code) or next(
            (s.name for s, _ in self._paths if s.code == code), code
        )
        return f"{name}: {standing.label}"

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            code = self.code_at(QPointF(event.pos()))
            if not code:
                QToolTip.hideText()
                event.ignore()
                return True
            QToolTip.showText(event.globalPos(), self._describe(code), self)
            return True
        return super().event(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        code = self.code_at(event.position())
        self.setCursor(Qt.CursorShape.PointingHandCursor if code else Qt.CursorShape.ArrowCursor)
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            code = self.code_at(event.position())
            if code:
                self.state_activated.emit(code)
        super().mouseReleaseEvent(event)
