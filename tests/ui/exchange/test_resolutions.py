"""The sides chosen for an import's conflicts, held apart from the rows that show
them: what the import is given, what is still open, and what survives the same
file read again."""

from __future__ import annotations

from nsdesk.ui.exchange.resolutions import DESK, WORKBOOK, Resolutions

C2_STATUS, C2_NOTES, C7_STATUS = ("c2", "status"), ("c2", "notes"), ("c7", "status")


def test_every_conflict_starts_open_and_only_settled_ones_are_given_to_the_import():
    sides = Resolutions([C2_STATUS, C2_NOTES, C7_STATUS])
    assert len(sides) == 3
    assert sides.open_count() == 3
    assert sides.chosen() == {}
    sides.settle(sides.of_record("c2"), WORKBOOK)
    assert sides.open_count() == 1
    assert sides.chosen() == {C2_STATUS: WORKBOOK, C2_NOTES: WORKBOOK}
    assert sides.side(C7_STATUS) is None
    sides.settle_all(DESK)
    assert sides.chosen() == {C2_STATUS: DESK, C2_NOTES: DESK, C7_STATUS: DESK}


def test_a_key_that_is_no_conflict_is_not_settled():
    sides = Resolutions([C2_STATUS])
    sides.settle([("c9", "status")], DESK)
    assert ("c9", "status") not in sides
    assert sides.chosen() == {}
    assert sides.records() == {"c2"}


def test_the_same_file_read_again_keeps_the_sides_of_the_conflicts_still_there():
    first = Resolutions([C2_STATUS, C7_STATUS])
    first.settle([C2_STATUS], WORKBOOK)
    first.settle([C7_STATUS], DESK)
    # Read again: C-0007's conflict is gone (the desk changed back), a new one came.
    again = Resolutions([C2_STATUS, C2_NOTES], first.chosen())
    assert again.chosen() == {C2_STATUS: WORKBOOK}
    assert again.side(C2_NOTES) is None
    assert again.keys() == [C2_STATUS, C2_NOTES]
