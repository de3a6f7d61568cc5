"""Make resources/map/countries.json from Natural Earth's admin-0 countries as the
``world-atlas`` package redistributes them (TopoJSON).

Run once by hand when the map is to change (it is not part of the app)::

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python resources/map/build.py package/countries-50m.json resources/map/countries.json

What it does, so the output can be checked against the input:

* decodes the TopoJSON arcs (quantised, delta-encoded) into longitude/latitude rings;
* names every shape by its ISO 3166-1 alpha-3 code, from the numeric code the file
  carries (``pycountry``); a shape without a code (Kosovo, N. Cyprus, Somaliland,
  Siachen Glacier…) is kept as land with an empty code, so the map has no holes;
* leaves out Antarctica (no state) and simplifies every ring (Douglas–Peucker, a
  tolerance of 0.1 degree), dropping islands under 0.02 square degrees unless they
  are all a country has;
* writes coordinates as integers in hundredths of a degree, sorted by code, so the
  same input gives the same bytes.

Natural Earth is in the public domain; world-atlas (Mike Bostock) is ISC-licensed.
"""

from __future__ import annotations

import argparse
import json
import math
from itertools import pairwise
from pathlib import Path
from typing import Any

import pycountry

TOLERANCE = 0.1  # degrees
SMALLEST_ISLAND = 0.02  # square degrees
LEFT_OUT = {"010"}  # Antarctica

Ring = list[tuple[float, float]]


def _arcs(topology: dict[str, Any]) -> list[Ring]:
    scale_x, scale_y = topology["transform"]["scale"]
    move_x, move_y = topology["transform"]["translate"]
    decoded = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * scale_x + move_x, y * scale_y + move_y))
        decoded.append(points)
    return decoded


def _ring(arcs: list[Ring], indexes: list[int]) -> Ring:
    ring: Ring = []
    for index in indexes:
        points = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        ring.extend(points[1:] if ring else points)
    return ring


def _clip(ring: Ring, keep_west: bool, meridian: float) -> Ring:
    """The part of ``ring`` west (or east) of ``meridian`` (Sutherland–Hodgman)."""

    def inside(point: tuple[float, float]) -> bool:
        return point[0] <= meridian if keep_west else point[0] >= meridian

    clipped: Ring = []
    for current, following in zip(ring, ring[1:] + ring[:1], strict=True):
        if inside(current):
            clipped.append(current)
        if inside(current) != inside(following):
            (x0, y0), (x1, y1) = current, following
            share = (meridian - x0) / (x1 - x0)
            clipped.append((meridian, y0 + share * (y1 - y0)))
    return clipped


def _split_at_antimeridian(ring: Ring) -> list[Ring]:
    """A ring that crosses 180° (Fiji, Chukotka) as the rings on either side of it,
    instead of one drawn across the whole map."""
    jumps = any(abs(b[0] - a[0]) > 180 for a, b in pairwise(ring))
    if not jumps:
        return [ring]
    unwrapped: Ring = [ring[0]]
    for x, y in ring[1:]:
        previous = unwrapped[-1][0]
        while x - previous > 180:
            x -= 360
        while previous - x > 180:
            x += 360
        unwrapped.append((x, y))
    parts = []
    for low, high, shift in ((-540.0, -180.0, 360.0), (-180.0, 180.0, 0.0), (180.0, 540.0, -360.0)):
        part = _clip(_clip(unwrapped, False, low), True, high)
        if len(part) >= 3:
            parts.append([(x + shift, y) for x, y in part])
    return parts


def _area(ring: Ring) -> float:
    return abs(
        sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True))
        / 2
    )


def _simplify(ring: Ring, tolerance: float) -> Ring:
    """Douglas–Peucker on an open polyline (the ring's closing point is its first)."""
    if len(ring) < 4:
        return ring
    keep = [False] * len(ring)
    keep[0] = keep[-1] = True
    stack = [(0, len(ring) - 1)]
    while stack:
        first, last = stack.pop()
        (x0, y0), (x1, y1) = ring[first], ring[last]
        length = math.hypot(x1 - x0, y1 - y0)
        farthest, distance = -1, tolerance
        for index in range(first + 1, last):
            x, y = ring[index]
            if length == 0:
                d = math.hypot(x - x0, y - y0)
            else:
                d = abs((x1 - x0) * (y0 - y) - (x0 - x) * (y1 - y0)) / length
            if d > distance:
                farthest, distance = index, d
        if farthest >= 0:
            keep[farthest] = True
            stack += [(first, farthest), (farthest, last)]
    return [point for point, kept in zip(ring, keep, strict=True) if kept]


def _alpha3(numeric: str | None) -> str:
    if numeric is None:
        return ""
    country = pycountry.countries.get(numeric=numeric)
    return country.alpha_3 if country is not None else ""


def build(source: Path) -> dict[str, Any]:
    topology = json.loads(source.read_text(encoding="utf-8"))
    arcs = _arcs(topology)
    countries = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        numeric = geometry.get("id")
        if numeric in LEFT_OUT or geometry.get("type") is None:
            continue
        polygons = [geometry["arcs"]] if geometry["type"] == "Polygon" else list(geometry["arcs"])
        rings = [
            part
            for polygon in polygons
            for indexes in polygon[:1]
            for part in _split_at_antimeridian(_ring(arcs, indexes))
        ]
        rings.sort(key=_area, reverse=True)
        kept = [rings[0], *(r for r in rings[1:] if _area(r) >= SMALLEST_ISLAND)]
        shapes = []
        for ring in kept:
            simple = _simplify(ring, TOLERANCE)
            if len(simple) < 4:  # an island smaller than the tolerance: keep its outline
                simple = ring
            shapes.append([v for x, y in simple for v in (round(x * 100), round(y * 100))])
        countries.append(
            {"code": _alpha3(numeric), "name": geometry["properties"]["name"], "rings": shapes}
        )
    countries.sort(key=lambda c: (c["code"] == "", c["code"], c["name"]))
    return {
        "format": 1,
        "units": "hundredths of a degree; rings are outer boundaries, [lon, lat, lon, lat, …]",
        "source": (
            "Natural Earth 1:50m Cultural Vectors, Admin 0 – Countries, version 4.1.0 "
            "(public domain), as redistributed in the npm package world-atlas 2.0.2 "
            "(countries-50m.json; ISC licence, Mike Bostock); simplified by "
            "resources/map/build.py"
        ),
        "countries": countries,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="world-atlas countries-50m.json")
    parser.add_argument("output", type=Path)
    args = parser.parse_args()
    data = build(args.source)
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    args.output.write_text(text + "\n", encoding="utf-8")
    print(f"{len(data['countries'])} shapes, {len(text):,} bytes")


if __name__ == "__main__":
    main()
