"""The regions, groups, summits and map nsdesk ships say what their sources say, and
fit one another: every Member State is in one UN regional group (but Kiribati), the
summits' lists have the catalogue's numbers, and the map can colour every state."""

from __future__ import annotations

from sqlalchemy import select

from nsdesk.locations import resources_dir
from nsdesk.services.universalization.geography import SUMMITS, geography, world_map
from nsdesk.store import tables as t


def test_every_member_state_is_in_one_regional_group_but_kiribati() -> None:
    places = geography()
    assert len(places.un_members) == 193
    groups = [r for r in places.regions if r.kind == "group"]
    assert [len(g.members) for g in groups] == [54, 53, 23, 33, 29]  # WEOG with the US
    placed = [code for g in groups for code in g.members]
    assert len(placed) == len(set(placed)), "a state in two groups"
    assert places.un_members - set(placed) == {"KIR"}
    assert places.group_of("NLD").label == "Western European and other States"
    assert places.group_of("KIR") is None


def test_m49_regions_name_the_un_statistics_areas() -> None:
    places = geography()
    europe = places.region("m49:150")
    western = places.region("m49:155")
    assert (europe.label, western.label) == ("Europe", "Western Europe")
    assert {"NLD", "DEU", "FRA"} <= western.members < europe.members
    assert places.places["NLD"].sub_region == "Western Europe"
    caribbean = next(r for r in places.regions if r.label == "Caribbean")
    assert caribbean.kind == "intermediate"
    assert "JAM" in caribbean.members


def test_the_summits_lists_have_the_catalogues_numbers(desk) -> None:
    places = geography()
    with desk.connect() as connection:
        counted = dict(
            connection.execute(
                select(t.event.c.code, t.event.c.participating_states).where(
                    t.event.c.code.in_(SUMMITS)
                )
            ).all()
        )
    assert (
        {s: len(places.summits[s]) for s in SUMMITS}
        == counted
        == {
            "nss2010": 47,
            "nss2012": 53,
            "nss2014": 53,
            "nss2016": 52,
        }
    )
    assert "RUS" in places.summits["nss2014"]
    assert "RUS" not in places.summits["nss2016"]
    assert len(places.summit_states) == 53


def test_the_map_can_colour_every_member_state_and_stays_small() -> None:
    world = world_map()
    assert geography().un_members <= world.codes()
    tuvalu = next(s for s in world.shapes if s.code == "TUV")
    assert tuvalu.rings == ()
    assert 0 < tuvalu.centre[0] < 1
    netherlands = next(s for s in world.shapes if s.code == "NLD")
    x, y = netherlands.centre
    assert 0.5 < x < 0.56
    assert 0.1 < y / world.aspect < 0.2
    assert (resources_dir() / "map" / "countries.json").stat().st_size < 300_000
    licences = {p.name for p in (resources_dir() / "map").iterdir()}
    assert "world-atlas-LICENSE.txt" in licences
