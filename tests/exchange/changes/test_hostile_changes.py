"""Every hostile changes file is refused whole, with a sentence naming the file and
what is wrong, before a single change is handed out (issue 18, "Bad input gets a
clear error and changes nothing"). With a desk: tests/services/merge."""

from __future__ import annotations

import gzip
import os
import tracemalloc
from pathlib import Path

import pytest

from nsdesk.domain.changes_errors import (
    ChangesFileRefusedError,
    PassphraseError,
    RevokedKeyError,
    UnknownKeyError,
)
from nsdesk.exchange.changes import ChangesLimits, open_changes_file, read_changes
from tests.exchange.changes.forge import (
    PASSPHRASE,
    Trust,
    assemble,
    decompose,
    expectations,
    write_sample,
)
from tests.exchange.changes.hostile_changes import CASES, REPLAYED_ID, Keys, hostile_changes

RECEIVED = {REPLAYED_ID: "on 2026-11-20 09:00 UTC by bob@laptop-2, as replay_original"}


@pytest.fixture(scope="module")
def keys() -> Keys:
    return Keys.new()


@pytest.fixture(scope="module")
def hostile(keys: Keys, tmp_path_factory: pytest.TempPathFactory):
    return hostile_changes(tmp_path_factory.mktemp("hostile"), keys)


def _read(path: Path, keys: Keys, passphrase: str | None = PASSPHRASE):
    trust = Trust({keys.trusted.fingerprint}, {keys.revoked.fingerprint})
    with read_changes(path, trust, passphrase, expect=expectations(RECEIVED)) as verified:
        return list(verified)


@pytest.mark.parametrize("case", CASES)
def test_each_hostile_file_is_refused_with_a_sentence_naming_it(case, hostile, keys):
    found = hostile[case]
    with pytest.raises(ChangesFileRefusedError) as refused:
        _read(found.path, keys)
    said = str(refused.value)
    assert said.startswith(f"{found.path.name}"), said
    assert found.says in said, said


def test_the_valid_file_the_hostile_ones_are_made_from_is_read(hostile, keys):
    folder = next(iter(hostile.values())).path.parent
    assert len(_read(folder / "valid.nsdesk-changes", keys)) == 20
    trust = Trust({keys.trusted.fingerprint})
    original = folder / "replay_original.nsdesk-changes"
    with read_changes(original, trust, expect=expectations()) as not_yet_received:
        assert len(list(not_yet_received)) == 20


def test_an_unknown_key_is_refused_with_its_fingerprint_to_confirm(hostile, keys):
    with pytest.raises(UnknownKeyError) as refused:
        _read(hostile["unknown_key"].path, keys)
    assert refused.value.fingerprint == keys.stranger.fingerprint
    assert f"--fingerprint {keys.stranger.fingerprint}" in str(refused.value)


def test_a_revoked_key_says_when_it_was_revoked(hostile, keys):
    with pytest.raises(RevokedKeyError) as refused:
        _read(hostile["revoked_key"].path, keys)
    assert "revoked 2026-11-02 10:31 UTC by anna@laptop-7" in str(refused.value)


def test_a_byte_flipped_anywhere_in_the_compressed_file_never_passes_unnoticed(tmp_path, keys):
    """Every 7th byte flipped in turn: the file is refused, or reads exactly as it was
    written. A flip can leave the contents intact: the gzip header's time and system
    bytes carry nothing, and a deflate stream has the odd bit whose flip decodes to
    the same bytes (seen about once in 20 files, in a different place each time, as
    the signature and the nonce vary). What the signature protects is the contents,
    so the promise is that different contents are never accepted."""
    original = tmp_path / "original.nsdesk-changes"
    written = write_sample(original, keys.trusted)
    data = original.read_bytes()
    unnoticed = []
    for offset in range(0, len(data), 7):
        flipped = tmp_path / f"flip-{offset}.nsdesk-changes"
        altered = bytearray(data)
        altered[offset] ^= 0x01
        flipped.write_bytes(bytes(altered))
        outcome = _outcome(flipped, keys)
        if isinstance(outcome, ChangesFileRefusedError):
            assert str(outcome).startswith(flipped.name)
        else:
            assert outcome == written, offset
            unnoticed.append(offset)
    # Nearly every flip is caught outright; the few that are not changed nothing.
    assert len(set(unnoticed) - set(range(4, 10))) <= 2, unnoticed


def _outcome(path: Path, keys: Keys):
    try:
        return _read(path, keys)
    except ChangesFileRefusedError as error:
        return error


def test_truncation_at_every_tenth_of_the_file_is_refused_as_incomplete(tmp_path, keys):
    original = tmp_path / "original.nsdesk-changes"
    write_sample(original, keys.trusted)
    data = original.read_bytes()
    for tenth in range(1, 10):
        cut = tmp_path / f"cut-{tenth}.nsdesk-changes"
        cut.write_bytes(data[: len(data) * tenth // 10])
        with pytest.raises(ChangesFileRefusedError, match="it is incomplete"):
            _read(cut, keys)


def test_a_gzip_bomb_is_refused_after_one_lines_worth_of_memory(hostile, keys):
    bomb = hostile["gzip_bomb"].path
    assert bomb.stat().st_size < 2 << 20  # a gigabyte once decompressed
    tracemalloc.start()
    try:
        with pytest.raises(ChangesFileRefusedError, match="compression bomb"):
            _read(bomb, keys)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 32 << 20, f"refusing the bomb took {peak / 2**20:.0f} MiB"


def test_a_flood_of_short_lines_stops_at_the_bounds(tmp_path, keys):
    """A bomb of tiny lines: stopped by the count of changes, and by the decompressed
    size, whichever comes first (bounds lowered so the test is quick)."""
    flood = tmp_path / "flood.nsdesk-changes"
    valid = tmp_path / "valid.nsdesk-changes"
    write_sample(valid, keys.trusted)
    envelope = decompose(valid)[0]
    flood.write_bytes(gzip.compress(envelope + b"{}\n" * 2_000_000))
    trust = Trust({keys.trusted.fingerprint})
    with pytest.raises(ChangesFileRefusedError, match="more than 100,000 changes"):
        read_changes(flood, trust, expect=expectations(), limits=ChangesLimits(max_changes=100_000))
    with pytest.raises(
        ChangesFileRefusedError, match="more than 1,000,000 bytes once decompressed"
    ):
        read_changes(
            flood, trust, expect=expectations(), limits=ChangesLimits(max_total_bytes=10**6)
        )


def test_a_file_larger_than_allowed_is_refused_before_it_is_read(tmp_path, keys):
    big = tmp_path / "big.nsdesk-changes"
    write_sample(big, keys.trusted)
    limit = big.stat().st_size - 1
    with pytest.raises(ChangesFileRefusedError, match=f"a changes file is at most {limit:,}"):
        open_changes_file(big, ChangesLimits(max_file_bytes=limit))


def test_an_encrypted_file_needs_its_passphrase_and_says_so(tmp_path, keys):
    sealed = tmp_path / "sealed.nsdesk-changes"
    write_sample(sealed, keys.trusted, passphrase=PASSPHRASE)
    with pytest.raises(PassphraseError, match="it is encrypted: give the passphrase"):
        _read(sealed, keys, passphrase=None)
    with pytest.raises(PassphraseError, match="not the one it was encrypted with"):
        _read(sealed, keys, passphrase="not the passphrase")
    assert len(_read(sealed, keys)) == 20


def test_an_encrypted_file_is_checked_and_refused_without_its_passphrase(tmp_path, keys):
    """Integrity, desk and key are checked before anyone types a passphrase."""
    sealed = tmp_path / "sealed.nsdesk-changes"
    write_sample(sealed, keys.stranger, passphrase=PASSPHRASE)
    with pytest.raises(UnknownKeyError):
        _read(sealed, keys, passphrase=None)
    lines = decompose(sealed)
    lines[1] = lines[1].replace(lines[1][20:24], b"AAAA", 1)  # the sealed chunk
    altered = tmp_path / "altered.nsdesk-changes"
    altered.write_bytes(gzip.compress(b"".join(lines)))
    with pytest.raises(ChangesFileRefusedError, match="was altered after it was signed"):
        _read(altered, keys, passphrase=None)


def test_an_encrypted_chunk_tampered_by_a_trusted_key_is_refused(tmp_path, keys):
    """A trusted laptop that re-signs a file whose sealed chunk it altered still cannot
    slip it through: the chunk does not open."""
    sealed = tmp_path / "sealed.nsdesk-changes"
    many = [*range(3000)]
    from tests.exchange.changes.forge import sample_change

    write_sample(sealed, keys.trusted, [sample_change(i) for i in many], passphrase=PASSPHRASE)
    lines = decompose(sealed)
    assert len(lines) > 4, "the sample must span several sealed chunks"
    lines[2] = lines[2].replace(lines[2][40:44], b"AAAA", 1)
    resigned = assemble(tmp_path / "resigned.nsdesk-changes", lines[:-1], keys.trusted)
    with pytest.raises(ChangesFileRefusedError, match="a sealed chunk does not open"):
        _read(resigned, keys)


def test_a_sealed_chunk_dropped_and_re_signed_is_refused(tmp_path, keys):
    sealed = tmp_path / "sealed.nsdesk-changes"
    from tests.exchange.changes.forge import sample_change

    write_sample(
        sealed, keys.trusted, [sample_change(i) for i in range(3000)], passphrase=PASSPHRASE
    )
    lines = decompose(sealed)
    resigned = assemble(
        tmp_path / "dropped.nsdesk-changes", [*lines[:2], *lines[3:-1]], keys.trusted
    )
    with pytest.raises(ChangesFileRefusedError, match="does not open"):
        _read(resigned, keys)
    last_dropped = assemble(tmp_path / "last.nsdesk-changes", lines[:-2], keys.trusted)
    with pytest.raises(ChangesFileRefusedError, match="does not open"):
        _read(last_dropped, keys)


def test_a_folder_or_a_missing_file_is_named(tmp_path, keys):
    with pytest.raises(ChangesFileRefusedError, match=r"missing\.nsdesk-changes: there is no such"):
        _read(tmp_path / "missing.nsdesk-changes", keys)
    folder = tmp_path / "folder.nsdesk-changes"
    folder.mkdir()
    with pytest.raises(ChangesFileRefusedError, match="it is a folder"):
        _read(folder, keys)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX's")
def test_a_named_pipe_is_refused_without_waiting_for_a_writer(tmp_path, keys):
    pipe = tmp_path / "pipe.nsdesk-changes"
    os.mkfifo(pipe)
    with pytest.raises(ChangesFileRefusedError, match="it is not a regular file"):
        _read(pipe, keys)
