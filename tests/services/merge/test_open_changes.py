"""A changes file read for a real desk: every hostile file refused with a sentence
naming it, and the desk unchanged, byte for byte of its content; a good file from a
trusted laptop accepted once, then refused as a replay."""

from __future__ import annotations

import pytest

from nsdesk.domain.changes_errors import ChangesFileRefusedError, UnknownKeyError
from nsdesk.exchange.changes import KeyState
from nsdesk.services.audit import Actor
from nsdesk.services.desk import open_desk
from nsdesk.services.merge.changes_files import examine_changes, open_changes, record_receipt
from nsdesk.services.merge.trust import revoke_key, trust_key
from tests.exchange.changes.forge import PASSPHRASE, write_sample
from tests.exchange.changes.hostile_changes import CASES, Keys, hostile_changes
from tests.exchange.workbooks import content_digest


@pytest.fixture
def prepared(new_desk_location, tmp_path):
    """A desk that trusts one laptop, revoked another, and received one file; the
    hostile files for it."""
    keys = Keys.new()
    with open_desk(new_desk_location) as desk:
        trust_key(desk, keys.trusted.fingerprint, label="Anna's laptop")
        revoke_key(desk, keys.revoked.fingerprint)
        files = hostile_changes(tmp_path / "files", keys, desk.info().uuid)
        with open_changes(desk, tmp_path / "files" / "replay_original.nsdesk-changes") as first:
            assert len(list(first)) == 20
            with desk.transaction(Actor.local()) as (connection, _ctx):
                record_receipt(connection, first, "anna@laptop-7")
    return new_desk_location, keys, files


def test_every_hostile_file_is_refused_and_the_desk_is_unchanged(prepared):
    desk_path, _keys, files = prepared
    before = content_digest(desk_path)
    with open_desk(desk_path) as desk:
        for case in CASES:
            found = files[case]
            with (
                pytest.raises(ChangesFileRefusedError) as refused,
                open_changes(desk, found.path, PASSPHRASE) as verified,
            ):
                list(verified)
            said = str(refused.value)
            assert said.startswith(found.path.name), (case, said)
            assert found.says in said, (case, said)
    assert content_digest(desk_path) == before


def test_a_good_file_from_a_trusted_laptop_is_read_then_refused_as_a_replay(prepared, tmp_path):
    desk_path, keys, _files = prepared
    good = tmp_path / "good.nsdesk-changes"
    with open_desk(desk_path) as desk:
        written = write_sample(
            good, keys.trusted, passphrase=PASSPHRASE, desk_uuid=desk.info().uuid
        )
        with open_changes(desk, good, PASSPHRASE) as verified:
            assert list(verified) == written
            assert verified.header.sender_label == "Anna's laptop"
            with desk.transaction(Actor.local()) as (connection, _ctx):
                record_receipt(connection, verified, "bob@laptop-2")
        with pytest.raises(
            ChangesFileRefusedError, match=r"already received: on .* by bob@laptop-2"
        ):
            open_changes(desk, good, PASSPHRASE)


def test_the_first_file_from_a_laptop_asks_for_its_fingerprint_then_is_read(prepared, tmp_path):
    desk_path, keys, files = prepared
    with open_desk(desk_path) as desk:
        with pytest.raises(UnknownKeyError) as refused:
            open_changes(desk, files["unknown_key"].path)
        assert refused.value.fingerprint == keys.stranger.fingerprint
        trust_key(desk, refused.value.fingerprint, label="Carla's laptop")
        with open_changes(desk, files["unknown_key"].path) as verified:
            assert len(list(verified)) == 20


def test_examining_a_file_tells_what_it_is_without_raising(prepared, tmp_path):
    desk_path, keys, files = prepared
    with open_desk(desk_path, read_only=True) as desk:
        stranger = examine_changes(files["unknown_key"].path, desk)
        assert stranger.fingerprint == keys.stranger.fingerprint
        assert stranger.trust is not None
        assert stranger.trust.state is KeyState.UNKNOWN
        assert stranger.summary is not None
        assert stranger.summary.total == 20
        assert isinstance(stranger.refusal, UnknownKeyError)
        altered = examine_changes(files["flipped_byte_in_body"].path, desk)
        assert altered.envelope is None
        assert "altered" in str(altered.refusal)
        sealed = tmp_path / "sealed.nsdesk-changes"
        write_sample(sealed, keys.trusted, passphrase=PASSPHRASE, desk_uuid=desk.info().uuid)
        locked = examine_changes(sealed, desk)
        assert locked.accepted
        assert locked.summary is None
        assert locked.envelope is not None
        assert locked.envelope.marking == "RESTRICTED"
        opened = examine_changes(sealed, desk, PASSPHRASE)
        assert opened.accepted
        assert opened.summary is not None
        assert opened.summary.counts == {"commitment": 20}
    alone = examine_changes(sealed, None, PASSPHRASE)
    assert alone.accepted
    assert not alone.desk_checked
    assert alone.trust is None
