"""``nsdesk changes show`` and ``nsdesk changes trust`` as a person or a script uses
them: what is printed (counts and metadata, never a value), and the exit statuses of
PRODUCT.md (0 done, 1 refused, 2 usage, 3 desk cannot be opened)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from nsdesk.cli import main
from nsdesk.services.desk import open_desk
from nsdesk.services.merge.laptop_key import laptop_key
from tests.exchange.changes.forge import PASSPHRASE, write_sample
from tests.exchange.changes.hostile_changes import CASES, Keys, hostile_changes
from tests.exchange.workbooks import content_digest


def _desk_uuid(path) -> str:
    with open_desk(path, read_only=True) as desk:
        return desk.info().uuid


def _run(capsys, *args) -> tuple[int, str, str]:
    status = main([str(a) for a in args])
    said = capsys.readouterr()
    return status, said.out, said.err


def test_show_says_who_sent_what_and_never_a_value(new_desk_location, tmp_path, capsys):
    key = laptop_key(tmp_path / "annas-profile")
    sent = tmp_path / "anna.nsdesk-changes"
    written = write_sample(sent, key, desk_uuid=_desk_uuid(new_desk_location))
    status, out, err = _run(capsys, "changes", "show", sent)
    assert status == 0, err
    assert f"Key:        {key.fingerprint}" in out
    assert "Sender:     Anna's laptop" in out
    assert "Changes:    20: commitment 20" in out
    assert "Marking:    RESTRICTED" in out
    assert "Integrity:  intact" in out
    for change in written:
        assert change["new_value"] not in out
        assert change["record_label"] not in out
        assert change["record_uuid"] not in out


def test_the_first_file_from_a_laptop_is_refused_until_its_key_is_trusted(
    new_desk_location, tmp_path, capsys
):
    key = laptop_key(tmp_path / "annas-profile")
    sent = tmp_path / "anna.nsdesk-changes"
    write_sample(sent, key, desk_uuid=_desk_uuid(new_desk_location))
    status, out, err = _run(capsys, "changes", "show", sent, "--desk", new_desk_location)
    assert status == 1
    assert f"Key:        {key.fingerprint}" in out
    assert "Trust:      the key is not known in" in out
    assert f"nsdesk changes trust DESK --fingerprint {key.fingerprint}" in err
    status, out, _ = _run(
        capsys,
        "changes",
        "trust",
        new_desk_location,
        "--fingerprint",
        key.fingerprint,
        "--label",
        "Anna's laptop",
    )
    assert status == 0
    assert "(Anna's laptop) is trusted" in out
    status, out, _ = _run(capsys, "changes", "show", sent, "--desk", new_desk_location)
    assert status == 0
    assert "would accept it" in out


def test_every_hostile_file_is_refused_with_status_1_and_the_desk_unchanged(
    new_desk_location, tmp_path, capsys
):
    keys = Keys.new()
    status, _, _ = _run(
        capsys, "changes", "trust", new_desk_location, "--fingerprint", keys.trusted.fingerprint
    )
    assert status == 0
    status, _, _ = _run(
        capsys, "changes", "trust", new_desk_location, "--revoke", keys.revoked.fingerprint
    )
    assert status == 0
    files = hostile_changes(tmp_path / "files", keys, _desk_uuid(new_desk_location))
    passphrase = tmp_path / "passphrase.txt"
    passphrase.write_text(PASSPHRASE + "\n", "utf-8")
    before = content_digest(new_desk_location)
    for case in CASES:
        if case.startswith("replayed"):
            continue  # a receipt is written by a merge, which is not built yet
        found = files[case]
        status, _, err = _run(
            capsys,
            "changes",
            "show",
            found.path,
            "--desk",
            new_desk_location,
            "--passphrase-file",
            passphrase,
        )
        assert status == 1, case
        assert err.startswith(f"nsdesk: {found.path.name}"), (case, err)
        assert found.says in " ".join(err.split()), (case, err)
    assert content_digest(new_desk_location) == before


def test_an_encrypted_file_shows_its_envelope_and_keeps_its_counts_sealed(tmp_path, capsys):
    key = laptop_key(tmp_path / "annas-profile")
    sealed = tmp_path / "sealed.nsdesk-changes"
    write_sample(sealed, key, passphrase=PASSPHRASE)
    status, out, _ = _run(capsys, "changes", "show", sealed)
    assert status == 0
    assert "Changes:    sealed: give --passphrase-file" in out
    assert "Sender:     (sealed)" in out
    assert "Marking:    RESTRICTED" in out
    right, wrong = tmp_path / "right.txt", tmp_path / "wrong.txt"
    right.write_text(PASSPHRASE + "\n", "utf-8")
    wrong.write_text("not the passphrase\n", "utf-8")
    status, out, _ = _run(capsys, "changes", "show", sealed, "--passphrase-file", right)
    assert status == 0
    assert "Changes:    20: commitment 20" in out
    status, _, err = _run(capsys, "changes", "show", sealed, "--passphrase-file", wrong)
    assert status == 1
    assert "the passphrase is not the one it was encrypted with" in err
    status, _, err = _run(capsys, "changes", "show", sealed, "--passphrase-file", tmp_path / "no")
    assert status == 2


def test_trust_lists_the_desks_keys_and_this_laptops_own(new_desk_location, capsys):
    status, out, _ = _run(capsys, "changes", "trust", new_desk_location)
    assert status == 0
    assert f"This laptop's key: {laptop_key().fingerprint}" in out
    assert "trusts no other laptop yet" in out


@pytest.mark.parametrize(
    ("args", "status", "said"),
    [
        (["--fingerprint", "3f9a-1c04"], 2, "is not a key fingerprint"),
        (["--revoke", "zz"], 2, "is not a key fingerprint"),
        (["--label", "Anna"], 2, "--label goes with --fingerprint"),
    ],
)
def test_trust_usage_errors(new_desk_location, capsys, args, status, said):
    code, _, err = _run(capsys, "changes", "trust", new_desk_location, *args)
    assert code == status
    assert said in err


def test_the_exit_statuses_as_a_script_sees_them(new_desk_location, tmp_path):
    """Real processes: 1 refused, 2 usage, 3 the desk cannot be opened."""
    fingerprint = laptop_key(tmp_path / "profile").fingerprint

    def nsdesk(*args):
        return subprocess.run(
            [sys.executable, "-m", "nsdesk", "changes", *map(str, args)],
            capture_output=True,
            text=True,
            timeout=120,
        )

    assert nsdesk("trust", new_desk_location, "--revoke", fingerprint).returncode == 0
    again = nsdesk("trust", new_desk_location, "--fingerprint", fingerprint)
    assert again.returncode == 1
    assert "cannot be trusted again" in again.stderr
    assert nsdesk("show", tmp_path / "missing.nsdesk-changes").returncode == 2
    missing_desk = nsdesk("trust", tmp_path / "nowhere.nsdesk", "--fingerprint", fingerprint)
    assert missing_desk.returncode == 3
    assert "nowhere.nsdesk" in missing_desk.stderr
