"""``nsdesk changes export|merge|conflicts|resolve|merges|undo`` as two officers use
them, on real desk files, each command run as that officer's laptop (its profile):
the words printed and the exit statuses of PRODUCT.md — 0 done, 1 refused or
conflicts left with nothing changed (``--on-conflict fail``), 2 usage."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from nsdesk.cli import main
from tests.exchange.workbooks import content_digest
from tests.services.merge.laptops import Laptop, laptops, profile

# Laptops keep desk files: these tests copy one desk file to each officer's laptop.
# A travel copy merged back into a register on a server is tested beside them
# (test_register_merge.py, in the server-desk run).
pytestmark = pytest.mark.file_desk


@pytest.fixture
def pair(demo_desk_path: Path, tmp_path: Path) -> tuple[Laptop, Laptop]:
    anna, ben = laptops(demo_desk_path, tmp_path, "anna", "ben")
    return anna, ben


def nsdesk(capsys, laptop: Laptop, *args) -> tuple[int, str, str]:
    """Run ``nsdesk changes …`` as ``laptop``'s user."""
    with profile(laptop.home):
        status = main(["changes", *map(str, args)])
    said = capsys.readouterr()
    return status, said.out, " ".join(said.err.split())


def _export(capsys, laptop: Laptop, name: str, *extra) -> Path:
    out = laptop.folder / f"{name}.nsdesk-changes"
    status, said, err = nsdesk(capsys, laptop, "export", laptop.path, "-o", out, *extra)
    assert status == 0, err
    assert f"Wrote {out}" in said
    return out


def test_a_conflict_shown_settled_and_sent_back_without_a_second_one(pair, capsys):
    anna, ben = pair
    anna.edit("commitment", "C-0003", {"title": "Anna's title", "next_steps": "Anna's steps"})
    ben.edit("commitment", "C-0003", {"title": "Ben's title"})
    sent = _export(capsys, anna, "from-anna")

    before = content_digest(ben.path)
    status, out, _ = nsdesk(capsys, ben, "merge", ben.path, sent, "--dry-run")
    assert status == 0
    assert out.startswith(f"Would merge {sent.name} from ")
    assert f"(key {anna.fingerprint}) into {ben.path}:" in out
    assert "open conflicts: 1" in out
    assert "Nothing was changed (--dry-run)." in out
    assert content_digest(ben.path) == before

    status, _, err = nsdesk(capsys, ben, "merge", ben.path, sent, "--on-conflict", "fail")
    assert status == 1
    assert err.startswith(f"nsdesk: {sent.name}: merging it would leave 1 conflict:")
    assert err.endswith("Nothing was changed")
    assert content_digest(ben.path) == before

    status, out, _ = nsdesk(capsys, ben, "merge", ben.path, sent)
    assert status == 0
    assert "open conflicts: 1 (the desk keeps its values)" in out
    assert "mine: 'Ben's title'" in out
    assert "theirs: 'Anna's title' (" in out
    assert ", anna@laptop)" in out
    assert ben.value("commitment", "ref", "C-0003", "title") == "Ben's title"
    assert ben.value("commitment", "ref", "C-0003", "next_steps") == "Anna's steps"

    status, out, _ = nsdesk(capsys, ben, "conflicts", ben.path)
    assert status == 0
    number = out.splitlines()[1].split()[0]
    assert "conflict" in out.splitlines()[1]
    status, out, _ = nsdesk(capsys, ben, "resolve", ben.path, number, "--take")
    assert status == 0
    assert out.startswith(f"Settled {number}:")
    assert ben.value("commitment", "ref", "C-0003", "title") == "Anna's title"
    status, out, _ = nsdesk(capsys, ben, "conflicts", ben.path)
    assert "has no open conflict" in out

    back = _export(capsys, ben, "from-ben")
    status, out, _ = nsdesk(capsys, anna, "merge", anna.path, back)
    assert status == 0
    assert "open conflicts" not in out
    assert anna.value("commitment", "ref", "C-0003", "title") == "Anna's title"
    status, out, _ = nsdesk(capsys, anna, "conflicts", anna.path)
    assert "has no open conflict" in out


@pytest.mark.parametrize(("policy", "title"), [("keep", "Ben's title"), ("take", "Anna's title")])
def test_keep_or_take_settles_every_conflict_as_a_change_that_travels(pair, capsys, policy, title):
    anna, ben = pair
    anna.edit("commitment", "C-0004", {"title": "Anna's title"})
    ben.edit("commitment", "C-0004", {"title": "Ben's title"})
    status, out, _ = nsdesk(
        capsys, ben, "merge", ben.path, _export(capsys, anna, "a"), "--on-conflict", policy
    )
    assert status == 0
    assert "settled: " in out
    assert "open conflicts" not in out
    assert ben.value("commitment", "ref", "C-0004", "title") == title
    status, out, _ = nsdesk(capsys, anna, "merge", anna.path, _export(capsys, ben, "b"))
    assert status == 0
    assert "open conflicts" not in out
    assert anna.value("commitment", "ref", "C-0004", "title") == title


def test_a_merge_is_listed_and_undone_as_changes_that_travel(pair, capsys):
    anna, ben = pair
    anna.edit("commitment", "C-0005", {"next_steps": "Anna's steps"})
    was = ben.value("commitment", "ref", "C-0005", "next_steps")
    assert nsdesk(capsys, ben, "merge", ben.path, _export(capsys, anna, "a"))[0] == 0
    status, out, _ = nsdesk(capsys, ben, "merges", ben.path)
    assert status == 0
    assert out.startswith("merge 1: a.nsdesk-changes from ")
    assert "1 applied" in out
    status, out, _ = nsdesk(capsys, ben, "undo", ben.path, "1")
    assert status == 0
    assert out.startswith("Undid merge 1: 1 value put back")
    assert ben.value("commitment", "ref", "C-0005", "next_steps") == was
    status, _, err = nsdesk(capsys, ben, "undo", ben.path, "1")
    assert status == 1
    assert "undone" in err
    # The undo travels: Anna's copy takes the value back too.
    assert nsdesk(capsys, anna, "merge", anna.path, _export(capsys, ben, "b"))[0] == 0
    assert anna.value("commitment", "ref", "C-0005", "next_steps") == was


def test_everything_on_request_and_an_encrypted_file_both_ways(pair, capsys, tmp_path):
    anna, ben = pair
    anna.edit("commitment", "C-0006", {"next_steps": "Sealed steps"})
    secret = tmp_path / "passphrase.txt"
    secret.write_text("a long shared passphrase\n", "utf-8")
    sealed = _export(capsys, anna, "sealed", "--all", "--passphrase-file", secret)
    status, _, err = nsdesk(capsys, ben, "merge", ben.path, sealed)
    assert status == 1
    assert err.startswith(f"nsdesk: {sealed.name}")
    assert "passphrase" in err
    status, out, _ = nsdesk(capsys, ben, "merge", ben.path, sealed, "--passphrase-file", secret)
    assert status == 0, out
    assert "already here" in out
    assert ben.value("commitment", "ref", "C-0006", "next_steps") == "Sealed steps"


def test_the_exit_statuses_as_a_script_sees_them(pair, tmp_path):
    """Real processes of the installed command: 0 merged, 1 refused (received
    already), 2 usage."""
    anna, ben = pair
    anna.edit("commitment", "C-0007", {"next_steps": "From a script"})
    sent = anna.send()

    def run(*args):
        return subprocess.run(
            [sys.executable, "-m", "nsdesk", "changes", *map(str, args)],
            capture_output=True,
            text=True,
            timeout=120,
            env={**__import__("os").environ, "NSDESK_HOME": str(ben.home)},
        )

    assert run("merge", ben.path, sent).returncode == 0
    again = run("merge", ben.path, sent)
    assert again.returncode == 1
    assert "already received" in again.stderr
    assert run("merge", ben.path, sent, "--on-conflict", "sometimes").returncode == 2
    assert run("resolve", ben.path, "x", "--keep").returncode == 2
