"""Hostile changes files merged with the real command (``nsdesk changes merge``) into
a real desk: every one generated here, refused with a sentence that names the file
and what is wrong, exit status 1, and the desk's content unchanged row for row.

The file-level cases (altered, truncated, unknown or revoked key, another desk,
newer format or schema, gzip bomb, malformed lines, replays) come from
:mod:`tests.exchange.changes.hostile_changes`; the merge-level ones (intact, signed
by a trusted laptop, but naming a record, field or entry this desk does not have)
are made below from a demo desk's real records."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from sqlalchemy import select

from nsdesk.cli import main
from nsdesk.services.audit import Actor
from nsdesk.services.desk import open_desk
from nsdesk.services.merge.changes_files import open_changes, record_receipt
from nsdesk.store import tables as t
from tests.exchange.changes.forge import PASSPHRASE, sample_change, write_sample
from tests.exchange.changes.hostile_changes import CASES, Keys, hostile_changes
from tests.exchange.workbooks import content_digest
from tests.services.merge.laptops import laptops, profile

# Laptops keep desk files: these tests copy one desk file to each officer's laptop.
# A travel copy merged back into a register on a server is tested beside them
# (test_register_merge.py, in the server-desk run).
pytestmark = pytest.mark.file_desk


def _run(capsys, *args) -> tuple[int, str, str]:
    status = main([str(a) for a in args])
    said = capsys.readouterr()
    return status, said.out, " ".join(said.err.split())


@pytest.fixture
def trusting(new_desk_path, tmp_path, capsys):
    """A desk that trusts one laptop key and revoked another, through the command."""
    keys = Keys.new()
    assert (
        _run(capsys, "changes", "trust", new_desk_path, "--fingerprint", keys.trusted.fingerprint)[
            0
        ]
        == 0
    )
    assert (
        _run(capsys, "changes", "trust", new_desk_path, "--revoke", keys.revoked.fingerprint)[0]
        == 0
    )
    return new_desk_path, keys


def test_every_hostile_file_is_refused_by_merge_with_status_1_and_the_desk_unchanged(
    trusting, tmp_path, capsys
):
    desk_path, keys = trusting
    with open_desk(desk_path) as desk:
        files = hostile_changes(tmp_path / "files", keys, desk.info().uuid)
        # The replays need the original received first (its sample records are not
        # this desk's, so it is recorded as received, as a merge would).
        with open_changes(desk, files["replayed"].path) as first:
            list(first)
            with desk.transaction(Actor.local()) as (connection, _ctx):
                record_receipt(connection, first, "anna@laptop-7")
    passphrase = tmp_path / "passphrase.txt"
    passphrase.write_text(PASSPHRASE + "\n", "utf-8")
    before = content_digest(desk_path)
    for case in CASES:
        found = files[case]
        for dry in ((), ("--dry-run",)):
            status, out, err = _run(
                capsys,
                "changes",
                "merge",
                desk_path,
                found.path,
                "--passphrase-file",
                passphrase,
                *dry,
            )
            assert status == 1, (case, dry, out, err)
            assert err.startswith(f"nsdesk: {found.path.name}"), (case, err)
            assert found.says in err, (case, err)
    assert content_digest(desk_path) == before


def _commitment(desk_path: Path) -> str:
    """The UUID of a commitment of the desk."""
    with open_desk(desk_path, read_only=True) as desk, desk.connect() as connection:
        return connection.execute(
            select(t.commitment.c.uuid).where(t.commitment.c.ref == "C-0002")
        ).scalar_one()


def _merge_level_cases(record: str, good: str) -> dict[str, tuple[dict, str]]:
    """Changes that pass every check of the file but cannot be merged here (``good``:
    the file's first change, an edit of another field of ``record``)."""
    agency = str(uuid.uuid4())
    return {
        "record_that_does_not_exist": (
            sample_change(1),
            "a record this desk does not have",
        ),
        "entry_that_neither_holds": (
            sample_change(2, record_uuid=record, parent_uuid=str(uuid.uuid4())),
            "which neither this desk nor the file holds",
        ),
        "replaces_another_fields_entry": (
            sample_change(3, record_uuid=record, field="title", parent_uuid=good),
            "not a change of the same field",
        ),
        "creation_with_a_field_that_does_not_exist": (
            sample_change(
                4,
                action="create",
                field=None,
                old_value=None,
                new_value={"title": "Planted", "password": "hunter2"},
            ),
            "it sets a field commitment records do not have ('password')",
        ),
        "reference_to_a_record_that_does_not_exist": (
            sample_change(
                5,
                record_uuid=record,
                field="lead_agency",
                old_value=None,
                new_value="NOPE",
                refs={"new": agency},
            ),
            "its lead_agency names a record this desk does not have ('NOPE')",
        ),
        "value_a_field_cannot_hold": (
            sample_change(6, record_uuid=record, field="pledged_on", new_value="next Tuesday"),
            "pledged_on",
        ),
    }


def test_a_file_naming_what_this_desk_does_not_have_is_refused_whole(
    demo_desk_path, tmp_path, capsys
):
    keys = Keys.new()
    assert (
        _run(capsys, "changes", "trust", demo_desk_path, "--fingerprint", keys.trusted.fingerprint)[
            0
        ]
        == 0
    )
    with open_desk(demo_desk_path, read_only=True) as desk:
        desk_uuid = desk.info().uuid
    record = _commitment(demo_desk_path)
    before = content_digest(demo_desk_path)
    for number in range(6):
        # A good change first: the refusal of a later one takes it back too.
        good = sample_change(100 + number, record_uuid=record, field="next_steps", new_value="ok")
        case, (change, says) = list(_merge_level_cases(record, good["uuid"]).items())[number]
        path = tmp_path / f"{case}.nsdesk-changes"
        write_sample(path, keys.trusted, [good, change], desk_uuid=desk_uuid)
        status, out, err = _run(capsys, "changes", "merge", demo_desk_path, path)
        assert status == 1, (case, out, err)
        assert err.startswith(f"nsdesk: {path.name}, change 2: "), (case, err)
        assert says in err, (case, err)
        assert err.endswith("Nothing was changed"), (case, err)
    assert content_digest(demo_desk_path) == before


def test_merging_the_same_file_twice_changes_nothing_and_says_so(demo_desk_path, tmp_path, capsys):
    anna, ben = laptops(demo_desk_path, tmp_path, "anna", "ben")
    anna.edit("commitment", "C-0002", {"next_steps": "Anna's next steps"})
    sent = anna.send()
    with profile(ben.home):
        status, out, err = _run(capsys, "changes", "merge", ben.path, sent)
        assert status == 0, err
        assert "applied: 1" in out
        before = content_digest(ben.path)
        status, out, err = _run(capsys, "changes", "merge", ben.path, sent)
        assert status == 1
        assert err.startswith(f"nsdesk: {sent.name}: ")
        assert "already received" in err
        # A copy under another name is the same file (its id): refused the same way.
        copy = tmp_path / "copy.nsdesk-changes"
        copy.write_bytes(sent.read_bytes())
        status, _, err = _run(capsys, "changes", "merge", ben.path, copy)
        assert status == 1
        assert "already received" in err
        assert content_digest(ben.path) == before
