"""What went wrong, in the words every window of the app uses (wording.error_text),
for refusals made by a real desk, a real file system and a real lock."""

from __future__ import annotations

import pytest

from nsdesk.domain.errors import (
    DeskError,
    DeskLockedError,
    FieldChangedError,
    NsdeskError,
    ValidationError,
)
from nsdesk.services.audit import Actor
from nsdesk.services.desk import open_desk
from nsdesk.services.records.record_service import RecordService
from nsdesk.ui.wording import as_sentence, error_text, is_refusal, local, when
from tests.support.processes import desk_held_by_another_process


def refusal(action, kind: type[BaseException]) -> BaseException:
    with pytest.raises(kind) as caught:
        action()
    return caught.value


def test_a_refused_value_names_the_field_unless_it_is_shown_under_it(desk):
    service = RecordService(desk)
    ref = service.create("commitment", {"title": "Ratify the amendment"})
    error = refusal(
        lambda: service.update("commitment", ref.uuid, {"pledged_on": "31/03/2026"}),
        ValidationError,
    )
    assert isinstance(error, ValidationError)
    assert is_refusal(error)
    said = error_text(error)
    assert said.startswith("Pledged: expected a date like 2026-03-31")
    assert said.endswith("; got “31/03/2026”")
    under_the_field = error_text(error, at_field=True)
    assert under_the_field.startswith("expected a date like")
    assert "Pledged" not in under_the_field
    assert as_sentence(under_the_field).startswith("Expected a date like")
    assert as_sentence(under_the_field).endswith("”.")


def test_a_field_changed_meanwhile_says_whose_change_when_and_both_values(desk):
    alice = RecordService(desk, Actor("alice@laptop-1"))
    ref = alice.create("commitment", {"title": "Ratify the amendment"})
    RecordService(desk, Actor("bob@laptop-2")).update("commitment", ref.key, {"title": "Bob's"})
    error = refusal(
        lambda: alice.update(
            "commitment", ref.key, {"title": "Alice's"}, expected={"title": "Ratify the amendment"}
        ),
        FieldChangedError,
    )
    assert isinstance(error, FieldChangedError)
    assert is_refusal(error)
    [changed] = error.fields
    assert changed.changed_at is not None
    said = error_text(error)
    assert said == (
        f"Commitment {ref.key}: Title is now “Bob's” (changed by bob@laptop-2, "
        f"{when(changed.changed_at)}), no longer “Ratify the amendment”; nothing was changed"
    )
    assert f"{local(changed.changed_at):%H:%M})" in said  # the laptop's time, not UTC
    under_the_field = as_sentence(error_text(error, at_field=True))
    assert under_the_field.startswith("Now “Bob's” (changed by bob@laptop-2, ")
    assert "Title" not in under_the_field


def test_a_desk_that_cannot_be_opened_says_its_reason(tmp_path):
    empty = tmp_path / "empty.nsdesk"
    empty.write_bytes(b"")
    error = refusal(lambda: open_desk(empty), DeskError)
    assert isinstance(error, DeskError)
    assert error_text(error) == error.reason.rstrip(".")
    assert "empty" in error_text(error)


@pytest.mark.file_desk
def test_a_desk_open_elsewhere_names_who_has_it(new_desk_path):
    with desk_held_by_another_process(new_desk_path):
        error = refusal(lambda: open_desk(new_desk_path), DeskLockedError)
    assert isinstance(error, DeskLockedError)
    said = error_text(error)
    assert said.startswith("the desk is open for editing by ")
    assert said.endswith("; close it there first")
    assert "UTC" not in said  # the holder's time in the laptop's own time


def test_the_systems_refusal_names_the_file(tmp_path):
    missing = tmp_path / "nowhere" / "file.txt"
    error = refusal(missing.read_text, FileNotFoundError)
    assert is_refusal(error)
    assert error_text(error) == f"No such file or directory ({missing})"


def test_a_fault_is_not_a_refusal():
    error = refusal(lambda: {}["key"], KeyError)
    assert not is_refusal(error)
    assert not isinstance(error, NsdeskError)
    assert error_text(error) == "'key'"  # what the error dialog's details start from
