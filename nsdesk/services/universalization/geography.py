"""Where states are: the UN M49 regions, the UN regional groups, the summits'
participants and the world map, read from the data shipped in ``resources/``.

None of this is in a desk: it is public reference data, the same for every desk, read
once per process (resources/README.md says where each file comes from):

* ``regions/m49.csv`` — every ISO 3166-1 alpha-3 code with its UN M49 region,
  sub-region and intermediate region (UN Statistics Division), whether it is a UN
  Member State, and a point inside it;
* ``regions/un_regional_groups.csv`` — the five regional groups of Member States;
* ``regions/summit_participants.csv`` — the states at each Nuclear Security Summit
  (the catalogue carries only how many took part);
* ``map/countries.json`` — Natural Earth's country outlines, simplified.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from nsdesk.domain.errors import NsdeskError
from nsdesk.domain.world_map import MapShape, WorldMap, marker_of, project, shape_of
from nsdesk.locations import resources_dir

GROUPS: tuple[tuple[str, str], ...] = (
    ("african", "African States"),
    ("asia_pacific", "Asia-Pacific States"),
    ("eastern_european", "Eastern European States"),
    ("latin_american_caribbean", "Latin American and Caribbean States"),
    ("western_european_others", "Western European and other States"),
)
"""The UN regional groups, in the order the UN lists them: (key, name)."""

GROUP_SHORT: dict[str, str] = {
    "African States": "African",
    "Asia-Pacific States": "Asia-Pacific",
    "Eastern European States": "Eastern European",
    "Latin American and Caribbean States": "Latin America & Caribbean",
    "Western European and other States": "Western European & other",
}
"""A group's name where a table has little room."""

SUMMITS: tuple[str, ...] = ("nss2010", "nss2012", "nss2014", "nss2016")
"""The Nuclear Security Summits, by their event codes in the catalogue."""


class GeographyDataError(NsdeskError):
    """A reference file nsdesk ships is missing or not as expected."""


@dataclass(frozen=True, slots=True)
class Region:
    """A set of states a view can be narrowed to: a UN regional group or an M49 area."""

    key: str  # "group:african", "m49:150" (Europe), "m49:155" (Western Europe)
    label: str
    kind: str  # "group", "region", "sub_region", "intermediate"
    members: frozenset[str] = field(hash=False, compare=False)


@dataclass(frozen=True, slots=True)
class Place:
    """Where one state or territory is, by the M49 standard and the UN groups."""

    code: str
    name: str
    un_member: bool
    region: str
    sub_region: str
    intermediate: str
    group: str | None  # key of its UN regional group; None for Kiribati and non-members
    group_note: str
    point: tuple[float, float] | None  # latitude, longitude


@dataclass(frozen=True, slots=True)
class Geography:
    """The regions to filter by (groups first, then M49 regions and their parts) and
    where each code is."""

    regions: tuple[Region, ...]
    places: dict[str, Place] = field(hash=False, compare=False)
    summits: dict[str, frozenset[str]] = field(hash=False, compare=False)

    def region(self, key: str) -> Region | None:
        """The region ``key`` names, or None."""
        return next((r for r in self.regions if r.key == key), None)

    def group_of(self, code: str) -> Region | None:
        """The UN regional group of the state ``code`` (None for Kiribati, which is in
        none, and for what is not a Member State)."""
        place = self.places.get(code)
        if place is None or place.group is None:
            return None
        return self.region(f"group:{place.group}")

    @property
    def un_members(self) -> frozenset[str]:
        """The 193 UN Member States."""
        return frozenset(code for code, place in self.places.items() if place.un_member)

    @property
    def summit_states(self) -> frozenset[str]:
        """The states that took part in at least one of the four summits."""
        return frozenset().union(*self.summits.values())


def _rows(path: Path) -> list[dict[str, str]]:
    try:
        with path.open(encoding="utf-8", newline="") as stream:
            return list(csv.DictReader(stream))
    except OSError as error:
        raise GeographyDataError(f"{path}: cannot be read ({error.strerror})") from error


@cache
def geography() -> Geography:
    """The regions, groups and summit participants (read once)."""
    folder = resources_dir() / "regions"
    m49 = _rows(folder / "m49.csv")
    groups = {r["iso3"]: r for r in _rows(folder / "un_regional_groups.csv")}
    summit_rows = _rows(folder / "summit_participants.csv")
    places: dict[str, Place] = {}
    for row in m49:
        code = row["iso3"]
        grouped = groups.get(code)
        latitude, longitude = row["latitude"], row["longitude"]
        places[code] = Place(
            code=code,
            name=row["name"],
            un_member=row["un_member"] == "Y",
            region=row["region"],
            sub_region=row["sub_region"],
            intermediate=row["intermediate"],
            group=grouped["group"] if grouped else None,
            group_note=grouped["note"] if grouped else "",
            point=(float(latitude), float(longitude)) if latitude and longitude else None,
        )
    regions: list[Region] = []
    for key, label in GROUPS:
        members = frozenset(c for c, g in groups.items() if g["group"] == key)
        regions.append(Region(f"group:{key}", label, "group", members))
    areas: dict[tuple[str, str, str], set[str]] = {}
    for row in m49:
        for kind, code_column, name_column in (
            ("region", "region_code", "region"),
            ("sub_region", "sub_region_code", "sub_region"),
            ("intermediate", "intermediate_code", "intermediate"),
        ):
            if row[code_column]:
                areas.setdefault((kind, row[code_column], row[name_column]), set()).add(row["iso3"])
    order = {"region": 0, "sub_region": 1, "intermediate": 2}
    for (kind, code, name), members in sorted(
        areas.items(), key=lambda item: (order[item[0][0]], item[0][2])
    ):
        regions.append(Region(f"m49:{code}", name, kind, frozenset(members)))
    summits = {
        summit: frozenset(r["iso3"] for r in summit_rows if r[summit] == "Y") for summit in SUMMITS
    }
    return Geography(tuple(regions), places, summits)


@cache
def world_map() -> WorldMap:
    """The world map's shapes, projected, largest first; a Member State without an
    outline at the map's scale (Tuvalu) gets a marker at its point (read once)."""
    path = resources_dir() / "map" / "countries.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise GeographyDataError(f"{path}: cannot be read ({error})") from error
    shapes: list[MapShape] = []
    for country in data["countries"]:
        rings = tuple(
            tuple(project(flat[i] / 100, flat[i + 1] / 100) for i in range(0, len(flat), 2))
            for flat in country["rings"]
        )
        shapes.append(shape_of(country["code"], country["name"], rings))
    drawn = {s.code for s in shapes}
    for place in geography().places.values():
        if place.un_member and place.code not in drawn and place.point is not None:
            latitude, longitude = place.point
            shapes.append(marker_of(place.code, place.name, project(longitude, latitude)))
    shapes.sort(key=lambda s: -s.area)
    return WorldMap(tuple(shapes), data["source"])
