"""Saving checks what the editor showed: a field someone else changed since is not
overwritten — nothing is written, and the refusal says the value shown, the value
now, who changed it and when. Different fields of one record never conflict."""

from __future__ import annotations

import pytest

from nsdesk.domain.dates import PartialDate
from nsdesk.domain.enums import Channel
from nsdesk.domain.errors import FieldChangedError
from nsdesk.services.audit import Actor
from nsdesk.services.records.record_service import RecordService
from tests.support.desks import raw_query


def officers(desk):
    """Alice at this keyboard, Bob in another session on the same desk."""
    return (
        RecordService(desk, Actor("alice@laptop-1", Channel.TYPED)),
        RecordService(desk, Actor("bob@laptop-2", Channel.TYPED)),
    )


def audit_count(desk) -> int:
    return raw_query(desk.location, "SELECT COUNT(*) FROM audit_entry")[0][0]


def test_a_field_changed_by_someone_else_since_it_was_shown_is_not_overwritten(desk):
    alice, bob = officers(desk)
    ref = alice.create("commitment", {"title": "Ratify the amendment"})
    shown = alice.values("commitment", ref.key)  # what Alice's editor shows
    bob.update("commitment", ref.key, {"title": "Ratify the amended convention"})
    entries = audit_count(desk)

    with pytest.raises(FieldChangedError) as refused:
        alice.update(
            "commitment",
            ref.key,
            {"title": "Ratify the CPPNM amendment"},
            expected={"title": shown["title"]},
        )

    assert alice.values("commitment", ref.key)["title"] == "Ratify the amended convention"
    assert audit_count(desk) == entries  # nothing written, not even a revision's worth
    [field] = refused.value.fields
    assert (field.name, field.label) == ("title", "Title")
    assert (field.shown, field.current) == ("Ratify the amendment", "Ratify the amended convention")
    assert field.changed_by == "bob@laptop-2"
    assert field.changed_at is not None
    said = str(refused.value)
    assert said.startswith(f"Commitment {ref.key}: Title is now “Ratify the amended convention”")
    assert "by bob@laptop-2" in said
    assert "no longer “Ratify the amendment”" in said
    assert said.endswith("nothing was changed")


def test_different_fields_of_one_record_are_both_kept(desk):
    alice, bob = officers(desk)
    ref = alice.create("commitment", {"title": "Ratify the amendment", "notes": "Draft"})
    shown = alice.values("commitment", ref.key)
    bob.update("commitment", ref.key, {"notes": "Cabinet agreed"})
    alice.update("commitment", ref.key, {"title": "Ratify it"}, expected={"title": shown["title"]})
    now = alice.values("commitment", ref.key)
    assert (now["title"], now["notes"]) == ("Ratify it", "Cabinet agreed")


def test_the_same_value_in_another_form_is_not_a_change(desk):
    alice, _ = officers(desk)
    alice.create("agency", {"code": "MFA", "name": "Foreign Affairs"})
    agency = alice.identify("agency", "MFA")
    ref = alice.create(
        "commitment",
        {
            "title": "T",
            "lead_agency": "MFA",
            "pledged_on": "2016-03",
            "themes": ["counter_smuggling", "computer_cyber_security"],
        },
    )
    alice.update(
        "commitment",
        ref.key,
        {"title": "T2"},
        expected={
            "lead_agency": agency.uuid,  # by UUID where the desk shows the code
            "pledged_on": PartialDate(2016, 3),
            "themes": ["computer_cyber_security", "counter_smuggling"],  # any order
            "title": "T",
        },
    )
    assert alice.values("commitment", ref.key)["title"] == "T2"


def test_every_changed_field_is_named_when_several_were(desk):
    alice, bob = officers(desk)
    ref = alice.create("commitment", {"title": "T", "notes": "N"})
    bob.update("commitment", ref.key, {"title": "Bob's title", "notes": None})
    with pytest.raises(FieldChangedError) as refused:
        alice.update(
            "commitment",
            ref.key,
            {"title": "A", "notes": "B"},
            expected={"title": "T", "notes": "N"},
        )
    assert [(f.name, f.shown, f.current) for f in refused.value.fields] == [
        ("title", "T", "Bob's title"),
        ("notes", "N", None),
    ]
    assert "Notes is now “(empty)”" in str(refused.value)
