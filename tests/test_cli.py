"""The command line contract of PRODUCT.md: commands, messages, exit statuses."""

import hashlib
import re
import sqlite3
import subprocess
import sys

import pytest

from nsdesk import __version__
from nsdesk.cli import main
from nsdesk.store.migrate import SCHEMA_HEAD
from tests.exchange.workbooks import content_digest
from tests.support.desks import raw_query, raw_sql


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def where(location):
    """How the command line names a desk: a file's path or a server's address."""
    return str(location)


def test_version(capsys):
    assert main(["--version"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"nsdesk {__version__}\n")
    for label in ("Catalogue", "Desk schema", "Python", "SQLite", "Qt (PySide6)", "reportlab"):
        assert f"\n  {label} " in out
    assert f"Desk schema   {SCHEMA_HEAD}" in out
    assert out.rstrip().endswith("Self-check    ok")


def _nsdesk(*args, **env):
    import os

    return subprocess.run(
        [sys.executable, "-m", "nsdesk", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
    )


def test_an_unsafe_installation_refuses_every_command_and_changes_nothing(tmp_path):
    """OPENPYXL_DEFUSEDXML=False would let a ministry's workbook expand entities:
    nsdesk refuses to start (exit 4) and says why, before touching anything."""
    desk = tmp_path / "never.nsdesk"
    result = _nsdesk("demo", str(desk), OPENPYXL_DEFUSEDXML="False")
    assert result.returncode == 4
    assert "nsdesk will not start" in result.stderr
    assert "OPENPYXL_DEFUSEDXML is set to 'False'" in result.stderr
    assert not desk.exists()


def test_version_still_answers_on_an_unsafe_installation_and_says_so():
    result = _nsdesk("--version", OPENPYXL_DEFUSEDXML="False")
    assert result.returncode == 0
    assert "Self-check    FAILED: nsdesk will refuse to start" in result.stdout
    assert "OPENPYXL_DEFUSEDXML" in result.stdout


def test_init_then_check_prints_the_counts(new_location, capsys):
    assert (
        main(
            [
                "init",
                where(new_location),
                "--state",
                "nld",
                "--delegation",
                "Permanent Mission",
            ]
        )
        == 0
    )
    assert "Created" in capsys.readouterr().out
    assert main(["check", where(new_location)]) == 0
    out = capsys.readouterr().out
    assert "State:      NLD Netherlands" in out
    assert "Delegation: Permanent Mission" in out
    assert "Integrity:  ok" in out
    assert "Instruments                 27" in out
    assert f"Schema:     {SCHEMA_HEAD}" in out


def test_a_desk_name_without_suffix_gets_nsdesk(tmp_path, capsys):
    assert main(["init", str(tmp_path / "mydesk"), "--state", "NLD"]) == 0
    assert (tmp_path / "mydesk.nsdesk").exists()


def test_init_never_overwrites(new_desk_location, capsys):
    before = content_digest(new_desk_location)
    assert main(["init", where(new_desk_location), "--state", "FRA"]) == 1
    assert re.search("already (exists|holds a desk)", capsys.readouterr().err)
    assert content_digest(new_desk_location) == before


def test_an_unknown_state_is_a_usage_error_with_a_suggestion(tmp_path, capsys):
    assert main(["init", str(tmp_path / "x.nsdesk"), "--state", "Netherlands"]) == 2
    assert "did you mean NLD (Netherlands)?" in capsys.readouterr().err
    assert main(["init", str(tmp_path / "x.nsdesk"), "--state", "XYZ"]) == 2
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("content", "words"),
    [(b"", "empty (0 bytes)"), (b"status,commitment\n", "a text file, not a desk")],
)
def test_check_refuses_what_is_not_a_desk_and_leaves_it_untouched(tmp_path, capsys, content, words):
    path = tmp_path / "suspect.nsdesk"
    path.write_bytes(content)
    assert main(["check", str(path)]) == 3
    assert words in capsys.readouterr().err
    assert path.read_bytes() == content
    assert [p.name for p in tmp_path.iterdir()] == ["suspect.nsdesk"]


def test_check_refuses_a_desk_from_a_newer_nsdesk_and_leaves_it_untouched(
    new_desk_location, capsys
):
    raw_sql(new_desk_location, "UPDATE alembic_version SET version_num = '0999'")
    before = raw_query(new_desk_location, "SELECT COUNT(*) FROM audit_entry")
    assert main(["check", where(new_desk_location)]) == 3
    err = capsys.readouterr().err
    assert "newer version of nsdesk (schema 0999)" in err
    assert main(["export", where(new_desk_location), "-o", "never.xlsx"]) == 3
    assert raw_query(new_desk_location, "SELECT version_num FROM alembic_version") == [("0999",)]
    assert raw_query(new_desk_location, "SELECT COUNT(*) FROM audit_entry") == before


@pytest.mark.file_desk  # a server enforces its foreign keys: no such damage can be stored
def test_check_reports_damage_found_inside_a_desk(new_desk_path, capsys):
    connection = sqlite3.connect(new_desk_path)
    connection.execute("PRAGMA foreign_keys = OFF")
    connection.execute("UPDATE gift_basket SET event_id = 9999 WHERE code = 'gb_2012_nssc'")
    connection.commit()
    connection.close()
    assert main(["check", str(new_desk_path)]) == 3
    out = capsys.readouterr().out
    assert "PROBLEMS FOUND" in out
    assert "gift_basket row" in out


def test_usage_errors_exit_2(capsys):
    assert main(["check"]) == 2
    assert main(["demo", "x.nsdesk", "--scale", "0"]) == 2
    assert main(["init", "x.nsdesk"]) == 2  # --state is required
    assert "--state" in capsys.readouterr().err


def test_demo_is_marked_demo(new_location, capsys):
    assert main(["demo", where(new_location), "--seed", "3"]) == 0
    assert "DEMO desk" in capsys.readouterr().out
    assert main(["check", where(new_location)]) == 0
    assert "[DEMO]" in capsys.readouterr().out


def test_the_real_command_runs_as_a_process(new_location, tmp_path):
    run = lambda *args: subprocess.run(  # noqa: E731
        [sys.executable, "-m", "nsdesk", *args], capture_output=True, text=True, timeout=120
    )
    created = run("init", where(new_location), "--state", "NLD")
    assert created.returncode == 0, created.stderr
    checked = run("check", where(new_location))
    assert checked.returncode == 0
    assert "Integrity:  ok" in checked.stdout
    missing = run("check", str(tmp_path / "nothing.nsdesk"))
    assert missing.returncode == 3
    assert "no such file" in missing.stderr
    assert not (tmp_path / "nothing.nsdesk").exists()


@pytest.mark.file_desk
def test_backup_and_restore_from_the_command_line(new_desk_path, tmp_path, capsys):
    copy = tmp_path / "usb" / "copy.nsdesk"
    copy.parent.mkdir()
    assert main(["backup", str(new_desk_path), "--to", str(copy)]) == 0
    out = capsys.readouterr().out
    assert f"Backed up {new_desk_path} to {copy}" in out
    assert "integrity ok" in out
    assert main(["backup", str(new_desk_path), "--to", str(copy)]) == 2  # never overwrites
    assert "already exists" in capsys.readouterr().err
    assert main(["restore", str(new_desk_path), "--from", str(copy)]) == 0
    out = capsys.readouterr().out
    assert "The desk it replaced is kept as" in out
    assert "To undo, restore it" in out


@pytest.mark.file_desk
def test_restore_refuses_a_file_that_is_not_a_backup(new_desk_path, tmp_path, capsys):
    bogus = tmp_path / "bogus.nsdesk"
    bogus.write_text("just text")
    before = digest(new_desk_path)
    assert main(["restore", str(new_desk_path), "--from", str(bogus)]) == 1
    assert "cannot be restored" in capsys.readouterr().err
    assert digest(new_desk_path) == before


@pytest.mark.file_desk
def test_a_desk_open_elsewhere_cannot_be_restored_over(new_desk_path, tmp_path, capsys):
    from tests.support.processes import desk_held_by_another_process

    copy = tmp_path / "copy.nsdesk"
    assert main(["backup", str(new_desk_path), "--to", str(copy)]) == 0
    with desk_held_by_another_process(new_desk_path):
        # PRODUCT.md: exit 3 when the desk cannot be opened, "locked" named first.
        assert main(["restore", str(new_desk_path), "--from", str(copy)]) == 3
    assert "open for editing by" in capsys.readouterr().err


@pytest.mark.file_desk
def test_restore_without_from_lists_the_backups(new_desk_path, capsys):
    from nsdesk.services.backups.backups import take_backup

    info = take_backup(new_desk_path)
    assert main(["restore", str(new_desk_path)]) == 2
    captured = capsys.readouterr()
    assert f"Backups of {new_desk_path}, newest first:" in captured.out
    assert str(info.path) in captured.out
    assert "manual" in captured.out
    assert "choose the backup to restore with --from FILE" in captured.err


@pytest.mark.file_desk
def test_check_names_a_session_that_left_the_desk_open_and_lost_work(new_desk_path, capsys):
    import sqlite3 as sql
    from pathlib import Path

    from tests.services.backups.test_crash_check import crash_after_work

    crash_after_work(new_desk_path, 3, "backup")
    for journal in ("-wal", "-shm"):
        Path(f"{new_desk_path}{journal}").unlink(missing_ok=True)
    assert sql.connect(new_desk_path).execute("PRAGMA quick_check").fetchone() == ("ok",)
    assert main(["check", str(new_desk_path)]) == 3
    out = capsys.readouterr().out
    assert "left by a session that did not close the desk" in out
    assert "commitment: 3 rows that the newest backup holds are missing" in out
    assert f"To restore it: nsdesk restore {new_desk_path} --from" in out
