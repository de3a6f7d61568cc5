"""Migration 0004 turns the history a desk already holds into a change log, giving
every copy of one shared history the same parents, replica and clock stamps (only
the local commit order, the revision, may differ), and a desk edited afterwards
goes on from there."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import datetime
from pathlib import Path

from nsdesk.services.desk import open_desk
from nsdesk.services.records.record_service import RecordService
from nsdesk.store.replicas import origin_replica_id

SAMPLE = Path(__file__).resolve().parents[2] / "db" / "desks" / "0002-sample.nsdesk"
COLUMNS = (
    "id, uuid, at, actor, channel, action, record_table, record_uuid, record_label, field, "
    "old_value, new_value, operation_id, note"
)


def _entry(uuid, at, action, record, field=None, value=None, op=None):
    return {
        "uuid": uuid,
        "at": f"2026-12-0{at[0]} 10:00:{at[1]:02d}.000000",
        "actor": "alice@laptop-1",
        "channel": "typed",
        "action": action,
        "record_table": "commitment",
        "record_uuid": record,
        "record_label": "Commitment",
        "field": field,
        "old_value": None,
        "new_value": None if value is None else f'"{value}"',
        "operation_id": op or f"op-{uuid}",
        "note": None,
    }


def _add(path: Path, rows: list[dict]) -> None:
    connection = sqlite3.connect(path)
    names = list(rows[0])
    connection.executemany(
        f"INSERT INTO audit_entry ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
        [tuple(r[n] for n in names) for r in rows],
    )
    connection.commit()
    connection.close()


def _renumbered_backwards(path: Path) -> None:
    """The same history with other row ids (written in the opposite order): what a
    copy of a shared history may hold. Its commit order then differs, nothing else."""
    connection = sqlite3.connect(path)
    rows = connection.execute(f"SELECT {COLUMNS} FROM audit_entry ORDER BY id DESC").fetchall()
    connection.execute("DELETE FROM audit_entry")
    connection.executemany(
        f"INSERT INTO audit_entry ({COLUMNS}) VALUES (NULL{', ?' * 13})", [r[1:] for r in rows]
    )
    connection.commit()
    connection.close()


def _stamps(path: Path) -> dict[str, tuple]:
    connection = sqlite3.connect(path)
    found = {
        row[0]: row[1:]
        for row in connection.execute(
            "SELECT uuid, parent_uuid, replica_id, hlc, revision, operation_id FROM audit_entry"
        )
    }
    connection.close()
    return found


def _first_commitments(path: Path) -> tuple[str, str]:
    connection = sqlite3.connect(path)
    first, second = (
        r[0] for r in connection.execute("SELECT uuid FROM commitment ORDER BY id LIMIT 2")
    )
    connection.close()
    return first, second


def test_every_copy_of_a_shared_history_gets_the_same_parents_replica_and_stamps(tmp_path):
    base = Path(shutil.copy(SAMPLE, tmp_path / "base.nsdesk"))
    one, two = _first_commitments(base)
    shared = [
        _entry("e1", (1, 1), "update", one, "title", "A1"),
        _entry("e2", (1, 2), "update", one, "title", "A2", op="op-2"),
        _entry("e3", (1, 2), "update", one, "priority", "high", op="op-2"),
        _entry("e4", (1, 3), "retire", one),
        _entry("e5", (1, 4), "restore", one),
        _entry("e6", (1, 5), "delete", two),
        # Two changes of one field at the same moment: ordered by uuid, not row id.
        _entry("f-bbbb", (1, 6), "update", one, "notes", "second", op="op-6"),
        _entry("f-aaaa", (1, 6), "update", one, "notes", "first", op="op-6"),
    ]
    _add(base, shared)
    mine = Path(shutil.copy(base, tmp_path / "mine.nsdesk"))
    theirs = Path(shutil.copy(base, tmp_path / "theirs.nsdesk"))
    _renumbered_backwards(theirs)
    _add(mine, [_entry("mine", (2, 1), "update", one, "title", "Mine")])
    _add(theirs, [_entry("theirs", (3, 1), "update", one, "title", "Theirs")])
    for copy in (mine, theirs):
        open_desk(copy, backups_root=tmp_path / "backups").close()

    a, b = _stamps(mine), _stamps(theirs)
    in_both = set(a) & set(b)
    assert in_both == set(a) - {"mine"} == set(b) - {"theirs"}
    assert all(a[u][:3] == b[u][:3] for u in in_both)  # parent, replica, clock stamp
    assert any(a[u][3] != b[u][3] for u in in_both)  # commit order is each copy's own

    connection = sqlite3.connect(mine)
    create = dict(
        connection.execute(
            "SELECT record_uuid, uuid FROM audit_entry WHERE action = 'create' "
            "AND record_uuid IN (?, ?)",
            (one, two),
        ).fetchall()
    )
    before_deletion = connection.execute(
        "SELECT uuid FROM audit_entry WHERE record_uuid = ? AND uuid != 'e6' "
        "ORDER BY at DESC, uuid DESC LIMIT 1",
        (two,),
    ).fetchone()[0]
    desk_uuid = connection.execute("SELECT uuid FROM desk_settings").fetchone()[0]
    origin_rows = connection.execute("SELECT replica_id, role FROM desk_replica").fetchall()
    at_of_e1 = connection.execute("SELECT at FROM audit_entry WHERE uuid = 'e1'").fetchone()[0]
    operations = connection.execute(
        "SELECT COUNT(DISTINCT operation_id) FROM audit_entry"
    ).fetchone()
    counter = connection.execute("SELECT value FROM desk_revision").fetchone()
    connection.close()
    parent = {u: s[0] for u, s in a.items()}
    assert parent["e1"] == create[one]  # the first change of a field replaced the creation
    assert parent["e2"] == "e1"
    assert parent["e3"] == create[one]  # another field: its own line
    assert parent["e4"] == create[one]
    assert parent["e5"] == "e4"
    assert parent["e6"] == before_deletion  # a deletion follows the record's latest entry
    assert (parent["f-aaaa"], parent["f-bbbb"]) == (create[one], "f-aaaa")
    assert parent["mine"] == "e2"
    assert _stamps(theirs)["theirs"][0] == "e2"

    origin = origin_replica_id(desk_uuid)
    assert origin_rows == [(origin, "origin")]
    assert {s[1] for s in a.values()} == {origin}
    moment = datetime.fromisoformat(at_of_e1 + "+00:00")
    assert a["e1"][2] == f"{round(moment.timestamp() * 1000):015d}-00000-{origin}"
    assert a["e2"][3] == a["e3"][3]  # one operation, one revision
    assert counter == operations  # one revision per operation, numbered from 1


def test_a_migrated_desk_goes_on_from_its_history(tmp_path):
    desk_path = Path(shutil.copy(SAMPLE, tmp_path / "old.nsdesk"))
    one, _ = _first_commitments(desk_path)
    _add(desk_path, [_entry("e1", (1, 1), "update", one, "title", "Before 0004")])
    with open_desk(desk_path, backups_root=tmp_path / "backups") as desk:
        RecordService(desk).update("commitment", one, {"title": "After 0004"})
    stamps = _stamps(desk_path)
    [after] = [u for u, s in stamps.items() if s[3] == max(x[3] for x in stamps.values())]
    assert stamps[after][0] == "e1"  # the new change replaced the last one before
    assert stamps[after][1] != stamps["e1"][1]  # by this laptop, not the origin
