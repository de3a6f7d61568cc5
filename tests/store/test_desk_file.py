"""The desk file: what is refused before SQLite touches it, and how it is opened."""

import hashlib
import sqlite3
import zipfile
from pathlib import Path

import pytest

from nsdesk.domain.errors import (
    DeskDamagedError,
    DeskNotFoundError,
    EmptyDeskFileError,
    NotADeskError,
)
from nsdesk.store.desk_file import create_desk_engine, probe_desk, raw_connect

# About recognising and opening a desk file.
pytestmark = pytest.mark.file_desk


def fingerprint(path: Path) -> tuple[bytes, list[str]]:
    return hashlib.sha256(path.read_bytes()).digest(), sorted(p.name for p in path.parent.iterdir())


def make_zip(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")


@pytest.mark.parametrize(
    ("maker", "error", "words"),
    [
        (lambda p: p.write_bytes(b""), EmptyDeskFileError, r"empty \(0 bytes\)"),
        (lambda p: p.write_text("commitment,status\nC-1,done\n"), NotADeskError, "text file"),
        (lambda p: p.write_text("<html><body>desk</body></html>"), NotADeskError, "HTML"),
        (make_zip, NotADeskError, "ZIP archive"),
        (lambda p: p.write_bytes(b"%PDF-1.7\n..."), NotADeskError, "PDF"),
        (
            lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600)),
            NotADeskError,
            r"legacy \.xls",
        ),
    ],
)
def test_a_file_that_is_not_a_desk_is_refused_and_left_as_it_was(tmp_path, maker, error, words):
    path = tmp_path / "mine.nsdesk"
    maker(path)
    before = fingerprint(path)
    with pytest.raises(error, match=words) as raised:
        probe_desk(path)
    assert raised.value.path == path
    assert fingerprint(path) == before


def test_another_programs_sqlite_database_is_not_a_desk(tmp_path):
    path = tmp_path / "other.sqlite"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE notes (body TEXT)")
    connection.commit()
    connection.close()
    with pytest.raises(NotADeskError, match="another program"):
        probe_desk(path)


def test_a_missing_desk_is_reported_and_not_created(tmp_path):
    path = tmp_path / "nowhere.nsdesk"
    with pytest.raises(DeskNotFoundError):
        probe_desk(path)
    assert not path.exists()


def test_a_truncated_desk_is_refused_as_damaged(new_desk_path):
    data = new_desk_path.read_bytes()
    new_desk_path.write_bytes(data[: len(data) // 3])
    with pytest.raises(DeskDamagedError):
        probe_desk(new_desk_path)


def test_a_desk_with_garbage_pages_is_refused_as_damaged(new_desk_path):
    data = bytearray(new_desk_path.read_bytes())
    data[4096 : 4096 * 4] = b"\xff" * (4096 * 3)  # the schema's first pages
    new_desk_path.write_bytes(bytes(data))
    with pytest.raises(DeskDamagedError, match=r"damage|cannot open"):
        probe_desk(new_desk_path)


def test_desk_connections_use_the_safe_pragmas(new_desk_path):
    engine = create_desk_engine(new_desk_path)
    with engine.connect() as connection:
        pragma = lambda name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()  # noqa: E731
        assert pragma("foreign_keys") == 1
        assert pragma("synchronous") == 2  # FULL: a committed edit survives power loss
        assert pragma("journal_mode") == "wal"
        assert pragma("busy_timeout") == 5000
    engine.dispose()


def test_a_reading_connection_refuses_writes_and_leaves_no_files_behind(new_desk_path):
    before = fingerprint(new_desk_path)
    connection = raw_connect(new_desk_path, mode="read")
    with pytest.raises(sqlite3.OperationalError, match=r"readonly|query_only"):
        connection.execute("DELETE FROM party")
    connection.close()
    assert fingerprint(new_desk_path) == before


def test_transactions_are_real_so_ddl_rolls_back(new_desk_path):
    engine = create_desk_engine(new_desk_path)

    def crash_midway():
        with engine.begin() as connection:
            connection.exec_driver_sql("CREATE TABLE half_done (x INTEGER)")
            connection.exec_driver_sql("DELETE FROM theme_mapping")
            raise RuntimeError("crash midway")

    with pytest.raises(RuntimeError):
        crash_midway()
    with engine.connect() as connection:
        tables = {r[0] for r in connection.exec_driver_sql("SELECT name FROM sqlite_master")}
        kept = connection.exec_driver_sql("SELECT COUNT(*) FROM theme_mapping").scalar()
    engine.dispose()
    assert "half_done" not in tables
    assert kept > 0
