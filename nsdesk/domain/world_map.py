"""A world map as plain data: country outlines projected onto a unit rectangle.

The window (QPainter) and the briefing pack (reportlab) draw the same map from this:
each country an outline (or, too small to see, a marker), in the Equal Earth
projection (Šavrič, Patterson and Jenny, 2018; an equal-area projection with straight
parallels), cropped to the latitudes where states are (Antarctica is not drawn).
``x`` runs 0→1 west to east and ``y`` 0→1 north to south; a drawing scales both by
its width (``height = width * aspect``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

_A1, _A2, _A3, _A4 = 1.340264, -0.081106, 0.000893, 0.003796
_M = math.sqrt(3) / 2
NORTH, SOUTH = 84.0, -57.0  # degrees of latitude shown
Point = tuple[float, float]


def _equal_earth(longitude: float, latitude: float) -> Point:
    """Equal Earth x, y (unit sphere) for degrees of longitude and latitude."""
    lam, phi = math.radians(longitude), math.radians(max(min(latitude, 90.0), -90.0))
    theta = math.asin(_M * math.sin(phi))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = (2 * math.sqrt(3) * lam * math.cos(theta)) / (
        3 * (9 * _A4 * t6 * t2 + 7 * _A3 * t6 + 3 * _A2 * t2 + _A1)
    )
    y = theta * (_A1 + _A2 * t2 + t6 * (_A3 + _A4 * t2))
    return x, y


_X_EDGE = _equal_earth(180.0, 0.0)[0]
_Y_TOP = _equal_earth(0.0, NORTH)[1]
_Y_BOTTOM = _equal_earth(0.0, SOUTH)[1]
_WIDTH = 2 * _X_EDGE
ASPECT = (_Y_TOP - _Y_BOTTOM) / _WIDTH
"""The map's height for a width of 1."""


def project(longitude: float, latitude: float) -> Point:
    """Where a place falls on the map: ``x`` in 0..1, ``y`` in 0..ASPECT (north at 0)."""
    x, y = _equal_earth(longitude, latitude)
    return (x + _X_EDGE) / _WIDTH, (_Y_TOP - y) / _WIDTH


@dataclass(frozen=True, slots=True)
class MapShape:
    """One country's outlines (each a closed ring of projected points; none for a
    state the map's scale has no outline for), and where to put a dot for it when
    its outlines are too small to see at the size drawn."""

    code: str  # ISO 3166-1 alpha-3; "" for land no state code names (Kosovo, N. Cyprus…)
    name: str
    rings: tuple[tuple[Point, ...], ...]
    centre: Point
    #: The larger side of its main outline's bounding box (0 with no outline): a
    #: drawing marks the state with a dot where this is under a few points.
    extent: float = 0.0
    #: The projected area of its outlines (a drawing paints the largest first, so an
    #: enclave such as Lesotho is painted over the state around it).
    area: float = 0.0


def shape_of(code: str, name: str, rings: tuple[tuple[Point, ...], ...]) -> MapShape:
    """A country's shape from its projected outlines, its centre and extent taken from
    the largest outline."""
    if not rings:
        raise ValueError(f"{code or name}: no outline (use marker_of)")
    main = max(rings, key=ring_area)
    xs, ys = [p[0] for p in main], [p[1] for p in main]
    centre = ((min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2)
    extent = max(max(xs) - min(xs), max(ys) - min(ys))
    return MapShape(code, name, rings, centre, extent, sum(ring_area(r) for r in rings))


def marker_of(code: str, name: str, centre: Point) -> MapShape:
    """A state with no outline at the map's scale: only a dot at ``centre``."""
    return MapShape(code, name, (), centre)


@dataclass(frozen=True, slots=True)
class WorldMap:
    """The shapes to draw, largest first, and where the data came from."""

    shapes: tuple[MapShape, ...]
    source: str
    aspect: float = ASPECT

    def codes(self) -> frozenset[str]:
        """The codes the map can colour (outlines and markers)."""
        return frozenset(s.code for s in self.shapes if s.code)


def ring_area(ring: tuple[Point, ...]) -> float:
    """The area a ring encloses (shoelace formula, always positive)."""
    total = 0.0
    for (x0, y0), (x1, y1) in zip(ring, (*ring[1:], ring[0]), strict=True):
        total += x0 * y1 - x1 * y0
    return abs(total) / 2


# The colours of a status map, the same in the window and in the briefing pack:
# blue and orange stay apart for the common colour-vision deficiencies, and "outside"
# is the grey depositaries' maps use; a state outside the filter is paler still.
STANDING_COLOURS: dict[str, str] = {
    "party": "#2166ac",
    "signatory": "#f4a335",
    "outside": "#b0b0b0",
}
FILTERED_OUT = "#e9e9e9"
UNCODED_LAND = "#e2e2e2"  # land no state code names (Kosovo, N. Cyprus…)
SEA = "#f3f7fb"
BORDER = "#ffffff"
OWN_OUTLINE = "#111111"
