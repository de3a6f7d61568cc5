"""Two laptops that each created the next commitment: the clash is shown, never
renumbered silently, and once a person settles it the renumbered record is still
found by the number it had (search, lookups, the import's comparison), and the
history names the laptop each change came from."""

from __future__ import annotations

from pathlib import Path

import pytest

from nsdesk.services.merge.conflicts import list_items, settle_clash
from nsdesk.services.merge.outcome import ItemKind
from nsdesk.services.records.history import load_history
from nsdesk.services.records.record_service import RecordService, find_record
from nsdesk.services.records.search import search_desk
from tests.services.merge.laptops import Laptop, laptops

# Laptops keep desk files: these tests copy one desk file to each officer's laptop.
# A travel copy merged back into a register on a server is tested beside them
# (test_register_merge.py, in the server-desk run).
pytestmark = pytest.mark.file_desk


@pytest.fixture
def pair(demo_desk_path: Path, tmp_path: Path) -> tuple[Laptop, Laptop]:
    anna, ben = laptops(demo_desk_path, tmp_path, "anna", "ben")
    return anna, ben


def test_two_laptops_new_commitment_of_one_number_is_a_clash_settled_with_an_alias(pair):
    anna, ben = pair
    annas = anna.create("commitment", {"title": "Anna's new workshop", "pledged_on": "2016"})
    bens = ben.create("commitment", {"title": "Ben's new exercise", "pledged_on": "2016"})
    number = anna.value("commitment", "uuid", annas, "ref")
    assert ben.value("commitment", "uuid", bens, "ref") == number

    report = ben.merge(anna.send())
    (clash,) = report.clashes
    assert clash.key == number
    provisional = ben.value("commitment", "uuid", annas, "ref")
    assert provisional != number
    assert provisional.startswith(f"{number}~")
    assert ben.value("commitment", "uuid", bens, "ref") == number

    with ben.desk() as desk:
        (item,) = list_items(desk, kinds=(ItemKind.IDENTITY,))
        settle_clash(desk, item.id, same=False, actor=ben.actor)
        assert list_items(desk) == []
    renumbered = ben.value("commitment", "uuid", annas, "ref")
    assert renumbered not in (number, provisional)
    assert renumbered.startswith("C-")

    with ben.desk() as desk:
        found = search_desk(desk, number).all_results()
        keys = [hit.key for hit in found]
        assert keys[:2] == [renumbered, number]
        assert f"known as {number} before it was renumbered" in found[0].snippet_text
        # the history names the laptop Anna's creation came from
        rows = [r for r in load_history(desk, kind="commitment") if r.record_uuid == annas]
        assert {row.laptop for row in rows} >= {"anna", "this desk"}
        made_here = [r for r in load_history(desk, kind="commitment") if r.record_uuid == bens]
        assert {row.laptop for row in made_here} == {"this desk"}

    # The renumbering travels: Anna's copy takes the new number, and keeps the alias.
    anna.merge(ben.send())
    assert anna.value("commitment", "uuid", annas, "ref") == renumbered
    assert anna.value("commitment", "uuid", bens, "ref") == number
    with anna.desk() as desk:
        assert list_items(desk) == []


def test_the_record_holding_a_number_wins_a_lookup_and_search_still_lists_the_alias(pair):
    anna, ben = pair
    annas = anna.create("commitment", {"title": "Anna's new workshop", "pledged_on": "2016"})
    bens = ben.create("commitment", {"title": "Ben's new exercise", "pledged_on": "2016"})
    number = anna.value("commitment", "uuid", annas, "ref")
    ben.merge(anna.send())
    with ben.desk() as desk:
        (item,) = list_items(desk, kinds=(ItemKind.IDENTITY,))
        settle_clash(desk, item.id, same=False, actor=ben.actor)
        RecordService(desk, ben.actor).retire("commitment", number)
        # Ben's own record still holds the number (retired): a lookup finds it first.
        with desk.reading() as session:
            assert find_record(session, "commitment", number).uuid == bens
    with ben.desk() as desk:
        hits = search_desk(desk, number).all_results()
        assert [hit.key for hit in hits][:1] == [ben.value("commitment", "uuid", annas, "ref")]
