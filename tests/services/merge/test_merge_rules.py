"""Merging two laptops' copies of one desk: each rule of issue 18, on real desk files,
each laptop with its own profile (replica id and signing key)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from nsdesk.domain.changes_errors import ChangesFileRefusedError, MergeConflictsError
from nsdesk.services.merge.conflicts import list_items, resolve_conflict
from nsdesk.services.merge.outcome import ItemKind, OnConflict
from nsdesk.services.records.record_service import RecordService
from nsdesk.store import tables as t
from nsdesk.store.models import Commitment
from tests.services.merge.laptops import Laptop, laptops

# Laptops keep desk files: these tests copy one desk file to each officer's laptop.
# A travel copy merged back into a register on a server is tested beside them
# (test_register_merge.py, in the server-desk run).
pytestmark = pytest.mark.file_desk


@pytest.fixture
def pair(demo_desk_path: Path, tmp_path: Path) -> tuple[Laptop, Laptop]:
    anna, ben = laptops(demo_desk_path, tmp_path, "anna", "ben")
    return anna, ben


def _commitment(laptop: Laptop, ref: str, column: str):
    return laptop.value("commitment", "ref", ref, column)


def test_edits_to_different_fields_of_one_commitment_merge_silently(pair):
    anna, ben = pair
    anna.edit("commitment", "C-0002", {"next_steps": "Anna's next steps"})
    ben.edit("commitment", "C-0002", {"talking_points": "Ben's talking points"})
    report = ben.merge(anna.send())
    assert report.conflicts == []
    anna.merge(ben.send())
    for laptop in (anna, ben):
        assert _commitment(laptop, "C-0002", "next_steps") == "Anna's next steps"
        assert _commitment(laptop, "C-0002", "talking_points") == "Ben's talking points"
        with laptop.desk() as desk:
            assert list_items(desk) == []


def test_two_values_of_one_field_are_a_conflict_each_desk_keeping_its_own(pair):
    anna, ben = pair
    # The demo makes its records in bulk: its creation entries carry no fields, so the
    # value both sides started from is the one their edits say they replaced.
    title_before = _commitment(ben, "C-0003", "title")
    assert title_before
    anna.edit("commitment", "C-0003", {"title": "Anna's title"})
    ben.edit("commitment", "C-0003", {"title": "Ben's title"})
    at_ben = ben.merge(anna.send())
    assert [(c.field, c.mine.value, [s.value for s in c.theirs]) for c in at_ben.conflicts] == [
        ("title", "Ben's title", ["Anna's title"])
    ]
    assert at_ben.conflicts[0].theirs[0].laptop == "anna"
    assert _commitment(ben, "C-0003", "title") == "Ben's title"
    at_anna = anna.merge(ben.send())
    assert [c.mine.value for c in at_anna.conflicts] == ["Anna's title"]
    assert _commitment(anna, "C-0003", "title") == "Anna's title"
    # Ben settles it; his settlement travels and closes Anna's conflict too.
    with ben.desk() as desk:
        (item,) = list_items(desk, kinds=(ItemKind.CONFLICT,))
        assert item.base is not None
        assert item.base.value == title_before
        assert item.base.shown() == " ".join(title_before.split())
        resolve_conflict(desk, item.id, "take", actor=ben.actor)
    assert _commitment(ben, "C-0003", "title") == "Anna's title"
    back = anna.merge(ben.send())
    assert back.conflicts == []
    with anna.desk() as desk:
        assert list_items(desk) == []
    assert _commitment(anna, "C-0003", "title") == "Anna's title"


def test_the_same_value_on_both_sides_merges_silently(pair):
    anna, ben = pair
    anna.edit("commitment", "C-0004", {"next_steps": "Same words"})
    ben.edit("commitment", "C-0004", {"next_steps": "Same words"})
    report = ben.merge(anna.send())
    assert report.conflicts == []
    assert [(m.field, m.how) for m in report.merged] == [("next_steps", "same value")]
    # A later edit on Ben's side replaces both, and merges at Anna's without a conflict.
    ben.edit("commitment", "C-0004", {"next_steps": "Ben's later words"})
    assert anna.merge(ben.send()).conflicts == []
    assert _commitment(anna, "C-0004", "next_steps") == "Ben's later words"


def test_sets_merge_three_way_against_the_common_ancestor(pair):
    anna, ben = pair
    with anna.desk() as desk, desk.connect() as connection:
        themes = RecordService(desk).values("commitment", "C-0005")["themes"]
        codes = list(connection.execute(select(t.theme.c.code)).scalars())
    added_by_anna = next(c for c in codes if c not in themes)
    added_by_ben = next(c for c in codes if c not in themes and c != added_by_anna)
    removed_by_ben = themes[0]
    anna.edit("commitment", "C-0005", {"themes": [*themes, added_by_anna]})
    ben.edit(
        "commitment",
        "C-0005",
        {"themes": [*(c for c in themes if c != removed_by_ben), added_by_ben]},
    )
    at_ben = ben.merge(anna.send())
    assert at_ben.conflicts == []
    anna.merge(ben.send())
    expected = sorted({*themes, added_by_anna, added_by_ben} - {removed_by_ben})
    for laptop in (anna, ben):
        with laptop.desk() as desk:
            assert sorted(RecordService(desk).values("commitment", "C-0005")["themes"]) == expected


def test_progress_entries_of_one_day_interleave_and_every_copy_derives_one_status(pair):
    anna, ben = pair
    day = date(2026, 11, 20)
    with anna.desk() as desk:
        RecordService(desk, anna.actor).record_progress("C-0006", status="stalled", entry_date=day)
    with ben.desk() as desk:
        RecordService(desk, ben.actor).record_progress("C-0006", status="completed", entry_date=day)
    assert ben.merge(anna.send()).conflicts == []
    anna.merge(ben.send())
    statuses = set()
    for laptop in (anna, ben):
        with laptop.desk() as desk, desk.reading() as session:
            found = session.scalars(select(Commitment).where(Commitment.ref == "C-0006")).one()
            statuses.add(found.status)
            assert [e.status for e in found.history][-2:] in (
                ["stalled", "completed"],
                ["completed", "stalled"],
            )
    assert len(statuses) == 1


def test_retired_on_one_side_and_edited_on_the_other_keeps_both_and_asks_for_review(pair):
    anna, ben = pair
    ben.edit("commitment", "C-0007", {"next_steps": "Ben still works on it"})
    with anna.desk() as desk:
        RecordService(desk, anna.actor).retire("commitment", "C-0007")
    at_ben = ben.merge(anna.send())
    at_anna = anna.merge(ben.send())
    # Each side is told: Ben's merge sees a retirement of what he edited, Anna's an edit
    # older than her retirement.
    assert [r.kind for r in at_ben.reviews] == [ItemKind.REVIEW]
    assert "retired on another laptop" in at_ben.reviews[0].note
    assert [r.kind for r in at_anna.reviews] == [ItemKind.REVIEW]
    assert "edited on another laptop" in at_anna.reviews[0].note
    for laptop in (anna, ben):
        assert _commitment(laptop, "C-0007", "retired_at") is not None
        assert _commitment(laptop, "C-0007", "next_steps") == "Ben still works on it"


def test_a_file_merged_twice_is_refused_the_second_time_and_overlaps_are_skipped(pair):
    anna, ben = pair
    anna.edit("commitment", "C-0008", {"next_steps": "first"})
    first = anna.send()
    ben.merge(first)
    with pytest.raises(ChangesFileRefusedError, match="already received"):
        ben.merge(first)
    anna.edit("commitment", "C-0008", {"next_steps": "second"})
    second = anna.send()  # Ben has not answered yet: it carries the first edit again
    report = ben.merge(second)
    assert report.known >= 1
    assert _commitment(ben, "C-0008", "next_steps") == "second"


def test_a_dry_run_says_what_would_happen_and_changes_nothing(pair):
    anna, ben = pair
    anna.edit("commitment", "C-0009", {"title": "Anna's"})
    ben.edit("commitment", "C-0009", {"title": "Ben's"})
    path = anna.send()
    preview = ben.preview(path)
    assert len(preview.conflicts) == 1
    assert _commitment(ben, "C-0009", "title") == "Ben's"
    with ben.desk() as desk:
        assert list_items(desk) == []
    assert len(ben.merge(path).conflicts) == 1


def test_on_conflict_fail_changes_nothing_and_take_settles_for_the_file(pair):
    anna, ben = pair
    anna.edit("commitment", "C-0010", {"title": "Anna's"})
    anna.edit("commitment", "C-0011", {"next_steps": "no conflict here"})
    ben.edit("commitment", "C-0010", {"title": "Ben's"})
    path = anna.send()
    with pytest.raises(MergeConflictsError, match="1 conflict"):
        ben.merge(path, on_conflict=OnConflict.FAIL)
    assert _commitment(ben, "C-0011", "next_steps") != "no conflict here"
    report = ben.merge(path, on_conflict=OnConflict.TAKE)
    assert report.conflicts == []
    assert len(report.settled) == 1
    assert _commitment(ben, "C-0010", "title") == "Anna's"
    # the settlement travels: Anna merges it without a conflict of her own
    assert anna.merge(ben.send()).conflicts == []
    assert _commitment(anna, "C-0010", "title") == "Anna's"
