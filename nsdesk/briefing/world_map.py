"""The Universalization section's pictures: the world map coloured by standing and
the party count over time, drawn as vector paths (small, sharp at any zoom).

The map draws the same outlines and colours as the window
(:mod:`nsdesk.domain.world_map`): each state party, signatory only or outside, a
state whose standing is withheld in the plain colour of land, the own state outlined,
a state too small for the page a dot. Its legend and its as-of date are drawn under
it. Only nsdesk's own words are drawn here (legend, axis, dates); the desk's text
goes through the text setter in the section's tables.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from reportlab.lib import colors
from reportlab.platypus import Flowable

from nsdesk.domain.world_map import (
    BORDER,
    OWN_OUTLINE,
    SEA,
    STANDING_COLOURS,
    UNCODED_LAND,
    WorldMap,
)

_SMALL = 2.2  # points: outlines smaller than this get a dot as well
# A pack's map needs no detail finer than this (points): the next point of an outline
# is drawn only this far from the last, and an outline smaller than it is left out,
# which keeps a map near 30 KB of the pack rather than 180.
_STEP = 1.8
_DOT = 1.3  # points: a dot's radius
_LEGEND = (
    ("party", "Party"),
    ("signatory", "Signatory only"),
    ("outside", "Not a party or not listed"),
)


def _hex(value: str) -> colors.Color:
    return colors.HexColor(value)


class WorldMapFlowable(Flowable):
    """The world coloured by ``standings`` (code → "party" | "signatory" | "outside" |
    "withheld"), ``own`` outlined, with a legend and "As of …" under it."""

    def __init__(
        self,
        world: WorldMap,
        standings: Mapping[str, str],
        *,
        own: str,
        as_of: str,
        width: float,
        font: str,
        ink: colors.Color,
    ):
        super().__init__()
        self.world, self.standings, self.own, self.as_of = world, dict(standings), own, as_of
        self.map_width = width
        self.map_height = width * world.aspect
        self.font, self.ink = font, ink
        self.legend_height = 14.0

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.map_width, self.map_height + self.legend_height

    def _fill(self, code: str) -> colors.Color:
        standing = self.standings.get(code)
        if standing is None or standing == "withheld":
            return _hex(UNCODED_LAND)
        return _hex(STANDING_COLOURS[standing])

    def draw(self) -> None:
        canvas = self.canv
        width, height = self.map_width, self.map_height

        def point(x: float, y: float) -> tuple[float, float]:
            return round(x * width, 1), round(height - y * width, 1)

        # One path per colour: a few long runs of coordinates, which deflate well.
        by_fill: dict[str, Any] = {}
        dots, own = [], None
        for shape in self.world.shapes:
            rings = []
            for ring in shape.rings:
                kept = [point(*ring[0])]
                for x, y in ring[1:]:
                    here = point(x, y)
                    if abs(here[0] - kept[-1][0]) + abs(here[1] - kept[-1][1]) >= _STEP:
                        kept.append(here)
                if len(kept) >= 3:
                    rings.append(kept)
            if rings:
                fill = self._fill(shape.code).hexval()
                path = by_fill.setdefault(fill, canvas.beginPath())
                for kept in rings:
                    path.moveTo(*kept[0])
                    for x, y in kept[1:]:
                        path.lineTo(x, y)
                    path.close()
                if shape.code == self.own:
                    own = rings
            if shape.code in self.standings and shape.extent * width < _SMALL:
                dots.append(shape)
        canvas.saveState()
        canvas.translate(0, self.legend_height)
        canvas.setFillColor(_hex(SEA))
        canvas.rect(0, 0, width, height, stroke=0, fill=1)
        canvas.setStrokeColor(_hex(BORDER))
        canvas.setLineWidth(0.25)
        canvas.setLineJoin(1)
        for fill, path in by_fill.items():
            canvas.setFillColor(colors.HexColor(int(fill, 16)))
            canvas.drawPath(path, stroke=1, fill=1)
        if own is not None:
            path = canvas.beginPath()
            for kept in own:
                path.moveTo(*kept[0])
                for x, y in kept[1:]:
                    path.lineTo(x, y)
                path.close()
            canvas.setStrokeColor(_hex(OWN_OUTLINE))
            canvas.setLineWidth(0.6)
            canvas.drawPath(path, stroke=1, fill=0)
        for shape in dots:
            x, y = point(*shape.centre)
            canvas.setFillColor(self._fill(shape.code))
            is_own = shape.code == self.own
            canvas.setStrokeColor(_hex(OWN_OUTLINE if is_own else "#8a8a8a"))
            canvas.setLineWidth(0.6 if is_own else 0.25)
            canvas.circle(x, y, _DOT, stroke=1, fill=1)
        canvas.restoreState()
        canvas.saveState()
        self._legend()
        canvas.restoreState()

    def _legend(self) -> None:
        canvas = self.canv
        size, y = 6.0, 3.0
        x = 0.0
        canvas.setFont(self.font, 7)
        entries = [(STANDING_COLOURS[key], label) for key, label in _LEGEND]
        if "withheld" in self.standings.values():
            entries.append((UNCODED_LAND, "Standing withheld"))
        for colour, label in entries:
            canvas.setFillColor(_hex(colour))
            canvas.setStrokeColor(_hex("#8a8a8a"))
            canvas.setLineWidth(0.3)
            canvas.rect(x, y, size, size, stroke=1, fill=1)
            canvas.setFillColor(self.ink)
            canvas.drawString(x + size + 3, y + 0.8, label)
            x += size + 3 + canvas.stringWidth(label, self.font, 7) + 10
        if self.own:
            canvas.setStrokeColor(_hex(OWN_OUTLINE))
            canvas.setLineWidth(0.9)
            canvas.rect(x, y, size, size, stroke=1, fill=0)
            canvas.setFillColor(self.ink)
            canvas.drawString(x + size + 3, y + 0.8, "Our state")
        canvas.drawRightString(self.map_width, y + 0.8, self.as_of)


def _nice_top(value: int) -> int:
    for step in (5, 10, 20, 25, 50, 100, 200, 250, 500, 1000):
        if value <= step * 5:
            return max(step, -(-value // step) * step)
    return value


class CountChart(Flowable):
    """Parties over time: the dated counts as dots on a step line, the parties the
    desk lists as a dashed step line, a dotted line on the pack's date."""

    def __init__(
        self,
        counted: Sequence[tuple[date, int]],
        listed: Sequence[tuple[date, int]],
        *,
        as_of: date,
        width: float,
        height: float,
        font: str,
        ink: colors.Color,
        accent: colors.Color,
        rule: colors.Color,
    ):
        super().__init__()
        self.counted, self.listed, self.as_of = tuple(counted), tuple(listed), as_of
        self.chart_width, self.chart_height = width, height
        self.font, self.ink, self.accent, self.rule = font, ink, accent, rule

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.chart_width, self.chart_height

    def draw(self) -> None:
        canvas = self.canv
        days = [d for d, _ in (*self.counted, *self.listed)] + [self.as_of]
        first, last = date(min(days).year, 1, 1), date(max(days).year + 1, 1, 1)
        top = _nice_top(max((v for _, v in (*self.counted, *self.listed)), default=1))
        left, bottom = 24.0, 12.0
        plot_w, plot_h = self.chart_width - left - 4, self.chart_height - bottom - 14

        def x_of(day: date) -> float:
            return left + plot_w * (day - first).days / max((last - first).days, 1)

        def y_of(value: int) -> float:
            return bottom + plot_h * value / max(top, 1)

        canvas.saveState()
        canvas.setFont(self.font, 6.5)
        canvas.setLineWidth(0.3)
        for value in (0, top // 2, top):
            canvas.setStrokeColor(self.rule)
            canvas.line(left, y_of(value), left + plot_w, y_of(value))
            canvas.setFillColor(self.ink)
            canvas.drawRightString(left - 3, y_of(value) - 2, f"{value:,}")
        years = last.year - first.year
        step = next(s for s in (1, 2, 5, 10, 20, 50) if years / s <= 8)
        for year in range(first.year, last.year + 1, step):
            canvas.drawCentredString(x_of(date(year, 1, 1)), 2, str(year))
        canvas.setStrokeColor(self.rule)
        canvas.setDash(1, 2)
        canvas.line(x_of(self.as_of), bottom, x_of(self.as_of), bottom + plot_h)
        for points, colour, dashed, dots in (
            (self.counted, self.accent, False, True),
            (self.listed, self.ink, True, False),
        ):
            if not points:
                continue
            if dashed:
                canvas.setDash(3, 2)
            else:
                canvas.setDash()
            canvas.setStrokeColor(colour)
            canvas.setLineWidth(1.1 if not dashed else 0.7)
            path = canvas.beginPath()
            path.moveTo(x_of(points[0][0]), y_of(points[0][1]))
            level = points[0][1]
            for day, value in points[1:]:
                path.lineTo(x_of(day), y_of(level))
                path.lineTo(x_of(day), y_of(value))
                level = value
            if self.as_of > points[-1][0]:
                path.lineTo(x_of(self.as_of), y_of(level))
            canvas.drawPath(path, stroke=1, fill=0)
            if dots:
                canvas.setFillColor(colour)
                for day, value in points:
                    canvas.circle(x_of(day), y_of(value), 1.4, stroke=0, fill=1)
        # the legend, top left
        canvas.setDash()
        y = self.chart_height - 6
        canvas.setStrokeColor(self.accent)
        canvas.setLineWidth(1.1)
        canvas.line(left, y + 2, left + 12, y + 2)
        canvas.setFillColor(self.accent)
        canvas.circle(left + 6, y + 2, 1.4, stroke=0, fill=1)
        canvas.setFillColor(self.ink)
        canvas.drawString(left + 16, y, "Dated counts (sources)")
        x = left + 16 + canvas.stringWidth("Dated counts (sources)", self.font, 6.5) + 12
        canvas.setDash(3, 2)
        canvas.setStrokeColor(self.ink)
        canvas.setLineWidth(0.7)
        canvas.line(x, y + 2, x + 12, y + 2)
        canvas.drawString(x + 16, y, "Listed in the desk")
        canvas.restoreState()
