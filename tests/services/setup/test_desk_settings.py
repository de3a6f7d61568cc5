"""The desk's settings: delegation, prepared by, default marking and marking levels."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from nsdesk.domain.errors import ValidationError
from nsdesk.domain.marking import MarkingLevel
from nsdesk.services.setup.desk_settings import read_desk_settings, update_desk_settings
from nsdesk.store import models as m


def _audit(desk, table):
    with desk.reading() as session:
        return session.scalars(select(m.AuditEntry).where(m.AuditEntry.record_table == table)).all()


def test_reading_gives_the_delegation_and_the_levels_lowest_first(desk):
    view = read_desk_settings(desk)
    assert view.own_state_code == "NLD"
    assert view.delegation == "Test delegation"
    assert view.default_sensitivity == "INTERNAL"
    assert [level.code for level in view.levels] == [
        "PUBLIC",
        "INTERNAL",
        "RESTRICTED",
        "CONFIDENTIAL",
    ]


def test_an_update_is_seen_by_the_next_info_and_returns_what_it_replaced(desk):
    assert desk.info().delegation == "Test delegation"  # cached before the change
    before = update_desk_settings(
        desk, delegation="  Delegation of the Netherlands ", prepared_by="J. Jansen"
    )
    assert before.delegation == "Test delegation"
    assert before.prepared_by is None
    assert desk.info().delegation == "Delegation of the Netherlands"
    assert read_desk_settings(desk).prepared_by == "J. Jansen"
    entries = _audit(desk, "desk_settings")
    changed = {e.field: (e.old_value, e.new_value) for e in entries if e.action == "update"}
    assert changed["delegation"] == ("Test delegation", "Delegation of the Netherlands")
    assert changed["prepared_by"] == (None, "J. Jansen")
    assert len({e.operation_id for e in entries if e.action == "update"}) == 1


def test_applying_the_previous_values_undoes_an_update(desk):
    original = read_desk_settings(desk)
    levels = [*original.levels, MarkingLevel("SECRET", "Secret", "National secret.")]
    before = update_desk_settings(desk, delegation="", default_sensitivity="SECRET", levels=levels)
    changed = read_desk_settings(desk)
    assert changed.delegation is None  # a blank delegation is stored as nothing
    assert changed.levels[-1] == MarkingLevel("SECRET", "Secret", "National secret.")
    assert desk.info().marking.codes[-1] == "SECRET"
    assert desk.info().default_sensitivity == "SECRET"
    update_desk_settings(desk, **before.changes())
    assert read_desk_settings(desk) == original
    assert "SECRET" not in desk.info().marking.codes


def test_labels_and_descriptions_can_be_renamed(desk):
    levels = list(read_desk_settings(desk).levels)
    levels[2] = MarkingLevel("RESTRICTED", "Departmental", "Named officials in the ministries.")
    update_desk_settings(desk, levels=levels)
    assert desk.info().marking.label("RESTRICTED") == "Departmental"
    (entry,) = [e for e in _audit(desk, "marking_level") if e.field == "label"]
    assert (entry.old_value, entry.new_value) == ("Restricted", "Departmental")


def test_a_level_in_use_cannot_be_removed_and_the_error_says_how_many_use_it(demo_desk):
    levels = [lv for lv in read_desk_settings(demo_desk).levels if lv.code != "RESTRICTED"]
    with pytest.raises(ValidationError) as caught:
        update_desk_settings(demo_desk, levels=levels)
    assert "RESTRICTED" in caught.value.field
    assert "records are marked RESTRICTED" in str(caught.value)
    assert "RESTRICTED" in demo_desk.info().marking.codes


def test_an_unused_level_can_be_removed(desk):
    levels = [lv for lv in read_desk_settings(desk).levels if lv.code != "CONFIDENTIAL"]
    update_desk_settings(desk, levels=levels)
    assert desk.info().marking.codes == ("PUBLIC", "INTERNAL", "RESTRICTED")
    assert any(e.action == "delete" for e in _audit(desk, "marking_level"))


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda lv: [lv[1], lv[0], *lv[2:]], "Marking levels"),  # existing levels moved
        (lambda lv: [MarkingLevel("LOW", "Low"), *lv], "Marking levels"),  # new below
        (lambda lv: [*lv, MarkingLevel("top secret", "Top")], "marking level code"),
        (lambda lv: [*lv, MarkingLevel("TOP", "  ")], "Label of marking level TOP"),
        (lambda lv: [*lv, MarkingLevel("TOP", "public")], "Marking levels"),  # same label
        (lambda lv: [*lv, MarkingLevel("PUBLIC", "Again")], "marking scheme"),
    ],
)
def test_changes_that_would_alter_what_a_marking_means_are_refused(desk, change, field):
    original = read_desk_settings(desk)
    with pytest.raises(ValidationError) as caught:
        update_desk_settings(desk, delegation="Changed", levels=change(list(original.levels)))
    assert caught.value.field == field
    assert read_desk_settings(desk) == original  # nothing at all was changed


def test_the_default_marking_must_be_one_of_the_levels(desk):
    with pytest.raises(ValidationError) as caught:
        update_desk_settings(desk, default_sensitivity="SECRET")
    assert caught.value.field == "Default marking"
    levels = [lv for lv in read_desk_settings(desk).levels if lv.code != "INTERNAL"]
    with pytest.raises(ValidationError):
        update_desk_settings(desk, levels=levels)  # INTERNAL is still the default
    update_desk_settings(desk, default_sensitivity="RESTRICTED")
    assert desk.info().default_sensitivity == "RESTRICTED"
