"""A reader that holds the changes it checked (what a merge asks for, so the file is
parsed once) hands out exactly what reading the file again gives, once; beyond its
budget it reads them again; and it refuses every hostile file as the plain reader
does, before a change is handed out."""

from __future__ import annotations

from pathlib import Path

import pytest

from nsdesk.domain.changes_errors import ChangesFileRefusedError
from nsdesk.exchange.changes import SigningKey, read_changes
from tests.exchange.changes.forge import (
    PASSPHRASE,
    Trust,
    decompose,
    expectations,
    sample_change,
    write_sample,
)
from tests.exchange.changes.hostile_changes import CASES, REPLAYED_ID, Keys, hostile_changes

KEY = SigningKey.generate()
TRUST = Trust({KEY.fingerprint})
EVERYTHING = 1 << 30


@pytest.mark.parametrize("passphrase", [None, PASSPHRASE])
def test_held_changes_are_the_file_s_changes_and_are_handed_out_once(tmp_path, passphrase):
    path = tmp_path / "held.nsdesk-changes"
    written = write_sample(path, KEY, [sample_change(i) for i in range(300)], passphrase)
    with read_changes(
        path, TRUST, passphrase, expect=expectations(), hold_bytes=EVERYTHING
    ) as verified:
        first = list(verified)
        again = list(verified)  # read again from the snapshot, as without holding
    assert first == written
    assert again == written
    assert all(a is not b for a, b in zip(first, again, strict=True))


def test_a_file_beyond_the_budget_is_read_again_whole(tmp_path):
    path = tmp_path / "large.nsdesk-changes"
    written = write_sample(path, KEY, [sample_change(i) for i in range(300)])
    line_bytes = len(decompose(path)[2])
    with read_changes(path, TRUST, expect=expectations(), hold_bytes=line_bytes * 100) as verified:
        assert list(verified) == written


def test_every_hostile_file_is_refused_alike_when_the_changes_are_held(tmp_path):
    keys = Keys.new()
    hostile = hostile_changes(tmp_path, keys)
    trust = Trust({keys.trusted.fingerprint}, {keys.revoked.fingerprint})
    received = {REPLAYED_ID: "on 2026-11-20 09:00 UTC by bob@laptop-2, as replay_original"}
    for case in CASES:
        found = hostile[case]
        with pytest.raises(ChangesFileRefusedError) as refused:
            read_changes(
                Path(found.path),
                trust,
                PASSPHRASE,
                expect=expectations(received),
                hold_bytes=EVERYTHING,
            ).close()
        said = str(refused.value)
        assert said.startswith(found.path.name), (case, said)
        assert found.says in said, (case, said)
