"""The change log: every way nsdesk writes audit entries stamps them with one
revision per transaction, the entry each change replaced, this laptop's replica and
a clock stamp — and an entry written around it is refused by the desk itself."""

from __future__ import annotations

import copy
import json
import sqlite3
from datetime import date

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.exc import IntegrityError

from nsdesk.domain.enums import AuditAction, Channel
from nsdesk.domain.hlc import HlcStamp
from nsdesk.domain.location import DeskLocation
from nsdesk.locations import replicas_dir
from nsdesk.services.audit import Actor, AuditContext, creation_rows
from nsdesk.services.backups.backups import take_backup
from nsdesk.services.backups.restore import restore_desk
from nsdesk.services.desk import open_desk
from nsdesk.services.exchange.apply import apply_import
from nsdesk.services.exchange.export import ExportRequest, export_workbook
from nsdesk.services.exchange.preview import preview_import
from nsdesk.services.overview.baselines import freeze_baseline
from nsdesk.services.records.record_service import RecordService
from nsdesk.services.setup.catalogue import Catalogue
from nsdesk.services.setup.catalogue_update import apply_catalogue_update
from nsdesk.services.setup.demo import create_demo_desk
from nsdesk.services.setup.new_desk import create_desk
from nsdesk.store import tables as t
from nsdesk.store.bulk import insert_rows
from nsdesk.store.change_log import ChangeLogError, desk_revision
from tests.conftest import DEMO_DAY
from tests.exchange.workbooks import edit
from tests.support.desks import raw_query

COLUMNS = (
    "uuid, revision, operation_id, action, record_uuid, field, parent_uuid, replica_id, hlc, id"
)


def _rows(location: DeskLocation, sql: str) -> list[dict]:
    """The rows of ``sql`` on the desk at ``location`` (either kind), as dicts."""
    columns = [c.strip() for c in COLUMNS.split(",")]
    return [dict(zip(columns, row, strict=True)) for row in raw_query(location, sql)]


def entries(location: DeskLocation, since: int = 0) -> list[dict]:
    """The desk's audit entries after revision ``since``, in commit order."""
    return _rows(
        location,
        f"SELECT {COLUMNS} FROM audit_entry WHERE revision > {int(since)} ORDER BY revision, id",
    )


def scalar(location: DeskLocation, sql: str):
    return raw_query(location, sql)[0][0]


def mark(location: DeskLocation) -> int:
    return scalar(location, "SELECT value FROM desk_revision")


def this_laptop(location: DeskLocation) -> str:
    """The replica id this profile keeps for the desk at ``location``."""
    desk_uuid = scalar(location, "SELECT uuid FROM desk_settings")
    return json.loads((replicas_dir() / f"{desk_uuid}.json").read_text())["replica_id"]


def assert_stamped(path: DeskLocation, since: int) -> list[dict]:
    """Every entry written after ``since``: one new revision per operation (the
    transaction that wrote it), this profile's replica and a clock stamp of it, and
    for every change but a creation the entry it replaced, on the same record and
    committed no later than itself."""
    new = entries(path, since)
    assert new, "nothing was written"
    replica = this_laptop(path)
    every = {row["uuid"]: row for row in entries(path)}
    revisions: dict[str, set[int]] = {}
    for row in new:
        revisions.setdefault(row["operation_id"], set()).add(row["revision"])
        assert row["replica_id"] == replica
        assert HlcStamp.parse(row["hlc"]).replica_id == replica
        if row["action"] == "create":
            assert row["parent_uuid"] is None
        else:
            parent = every[row["parent_uuid"]]
            assert parent["record_uuid"] == row["record_uuid"]
            assert (parent["revision"], parent["id"]) < (row["revision"], row["id"])
    assert all(len(found) == 1 for found in revisions.values())
    numbers = sorted(r for found in revisions.values() for r in found)
    assert numbers == list(range(since + 1, since + 1 + len(numbers)))
    assert mark(path) == numbers[-1]
    return new


# -- every path that writes audit entries ------------------------------------------------


def test_a_new_desk_stamps_its_catalogue_and_settings(tmp_path):
    path, _ = create_desk(tmp_path / "new.nsdesk", state="NLD")
    new = assert_stamped(path, 0)
    assert {row["revision"] for row in new} == {1}  # the desk and its catalogue: one
    assert len(new) > 400


def test_the_demo_stamps_its_creations_and_its_own_role_updates(tmp_path):
    path, _ = create_demo_desk(tmp_path / "demo.nsdesk", today=DEMO_DAY)
    new = assert_stamped(path, 0)
    roles = [r for r in new if r["action"] == "update" and r["field"] == "own_role"]
    assert roles
    created = {r["record_uuid"]: r["uuid"] for r in new if r["action"] == "create"}
    assert all(r["parent_uuid"] == created[r["record_uuid"]] for r in roles)


def test_an_edit_through_the_unit_of_work_is_stamped(desk):
    since = mark(desk.location)
    ref = RecordService(desk).create("commitment", {"title": "Stamped"})
    RecordService(desk).update("commitment", ref.key, {"title": "Stamped again"})
    assert [r["action"] for r in assert_stamped(desk.location, since)] == [
        "create",
        "create",  # its first history entry
        "update",
    ]


def test_a_catalogue_update_is_stamped(desk):
    data = copy.deepcopy(Catalogue.shipped().data)
    data["version"] = "2027.01.1"
    next(i for i in data["instruments"] if i["code"] == "cppnm_a")["scope"] = "Revised."
    since = mark(desk.location)
    apply_catalogue_update(desk, Catalogue(data), Actor("tester", Channel.TYPED))
    fields = {r["field"] for r in assert_stamped(desk.location, since)}
    assert {"scope", "catalogue_version"} <= fields


def test_an_import_and_the_export_it_answers_are_stamped(demo_desk, tmp_path):
    since = mark(demo_desk.location)
    sent = export_workbook(demo_desk, ExportRequest(agency="MFA"), tmp_path / "mfa.xlsx").path
    exported = assert_stamped(demo_desk.location, since)
    assert [r["action"] for r in exported] == ["create"]  # the desk's record of the export
    import openpyxl

    first = next(
        r[0]
        for r in openpyxl.load_workbook(sent)["Commitments"].iter_rows(min_row=3, values_only=True)
    )
    edited = edit(
        sent,
        tmp_path / "back.xlsx",
        {
            ("Commitments", first, "Next steps"): "Second reading in March",
            ("Commitments", first, "Progress since last update"): "First reading passed",
        },
    )
    since = mark(demo_desk.location)
    apply_import(demo_desk, preview_import(demo_desk, edited))
    actions = {(r["action"], r["field"]) for r in assert_stamped(demo_desk.location, since)}
    assert ("update", "next_steps") in actions  # through the unit of work
    assert ("create", None) in actions  # the progress entry, written in bulk


def test_a_baseline_frozen_in_bulk_is_stamped(desk):
    since = mark(desk.location)
    with desk.transaction(Actor("tester")) as (connection, ctx):
        freeze_baseline(connection, ctx, name="Bulk", as_of=date(2026, 11, 1))
    assert [r["action"] for r in assert_stamped(desk.location, since)] == ["create"]


@pytest.mark.file_desk
def test_a_restore_is_stamped_in_the_restored_desk(new_desk_path, tmp_path):
    with open_desk(new_desk_path) as opened:
        RecordService(opened).create("agency", {"code": "MFA", "name": "Foreign Affairs"})
    backup = take_backup(new_desk_path, root=tmp_path / "backups")
    since = mark(new_desk_path)
    restore_desk(new_desk_path, backup.path, root=tmp_path / "backups")
    [restored] = assert_stamped(new_desk_path, since)
    assert restored["action"] == "update"


@pytest.mark.file_desk
def test_an_entry_written_around_the_change_log_is_refused(new_desk_path):
    # A plain engine, as a careless writer would make: no change log, so no stamps.
    engine = create_engine(f"sqlite:///{new_desk_path}")
    rows = creation_rows(AuditContext(Actor("careless")), "agency", [("u-1", "x", None)])
    try:
        with pytest.raises(IntegrityError, match="NOT NULL"), engine.begin() as connection:
            connection.execute(t.audit_entry.insert(), rows)
        with pytest.raises(ChangeLogError), engine.begin() as connection:
            insert_rows(connection, t.audit_entry, rows)
    finally:
        engine.dispose()
    raw = sqlite3.connect(new_desk_path)
    with pytest.raises(sqlite3.IntegrityError, match="NOT NULL"):
        raw.execute(
            "INSERT INTO audit_entry (uuid, at, actor, channel, action, record_table, "
            "record_uuid, operation_id) VALUES ('u-2', '2026-12-06 10:00:00.000000', 'raw', "
            "'typed', 'create', 'agency', 'r', 'op')"
        )
    raw.close()
    assert scalar(new_desk_path, "SELECT COUNT(*) FROM audit_entry WHERE uuid LIKE 'u-%'") == 0


# -- revisions and parents -------------------------------------------------------------


def test_a_transaction_takes_one_revision_however_many_times_it_flushes(desk):
    since = mark(desk.location)
    service = RecordService(desk)
    with desk.writing(Actor("tester")) as session:
        writer = service._writer(session)
        agency = writer.create("agency", {"code": "MFA", "name": "Foreign Affairs"})
        session.flush()
        writer.update(agency, {"name": "Ministry of Foreign Affairs"})
        session.flush()
        writer.create("agency", {"code": "MOD", "name": "Defence"})
    service.update("agency", "MOD", {"name": "Ministry of Defence"})
    service.retire("agency", "MOD")
    revisions = [r["revision"] for r in entries(desk.location, since)]
    assert revisions == [since + 1] * 3 + [since + 2, since + 3]
    with desk.connect() as connection:
        assert desk_revision(connection) == since + 3


def test_a_rolled_back_transaction_gives_its_revision_back(desk):
    since = mark(desk.location)

    def fail_half_way() -> None:
        with desk.writing(Actor("tester")) as session:
            RecordService(desk)._writer(session).create("agency", {"code": "MFA", "name": "F"})
            session.flush()
            raise RuntimeError("the user's change failed half way")

    with pytest.raises(RuntimeError):
        fail_half_way()
    RecordService(desk).create("agency", {"code": "MOD", "name": "Defence"})
    assert {r["revision"] for r in entries(desk.location, since)} == {since + 1}


def test_each_field_chains_to_the_change_it_replaced(desk):
    service = RecordService(desk)
    since = mark(desk.location)
    ref = service.create("commitment", {"title": "First"})
    service.update("commitment", ref.key, {"title": "Second"})
    service.update("commitment", ref.key, {"title": "Third", "priority": "high"})
    service.retire("commitment", ref.key)
    service.restore("commitment", ref.key)
    mine = [r for r in entries(desk.location, since) if r["record_uuid"] == ref.uuid]
    by = {(r["action"], r["field"], r["revision"]): r for r in mine}
    create = by["create", None, since + 1]["uuid"]
    second = by["update", "title", since + 2]
    third = by["update", "title", since + 3]
    priority = by["update", "priority", since + 3]
    retired = by["retire", None, since + 4]
    restored = by["restore", None, since + 5]
    assert second["parent_uuid"] == create
    assert third["parent_uuid"] == second["uuid"]
    assert priority["parent_uuid"] == create  # another field: its own line
    assert retired["parent_uuid"] == create
    assert restored["parent_uuid"] == retired["uuid"]


def test_changes_of_one_field_in_one_batch_chain_in_their_order(desk):
    ref = RecordService(desk).create("agency", {"code": "MFA", "name": "Foreign Affairs"})
    rows = [
        {
            **creation_rows(AuditContext(Actor("tester")), "agency", [(ref.uuid, "MFA", None)])[0],
            "action": AuditAction.UPDATE,
            "field": "name",
            "new_value": name,
        }
        for name in ("One", "Two")
    ]
    since = mark(desk.location)
    with desk.transaction(Actor("tester")) as (connection, _ctx):
        connection.execute(t.audit_entry.insert(), rows)
    one, two = entries(desk.location, since)
    create = next(r for r in entries(desk.location) if r["record_uuid"] == ref.uuid)
    assert (one["parent_uuid"], two["parent_uuid"]) == (create["uuid"], one["uuid"])


def test_revisions_run_in_commit_order_over_many_desks_writes(desk):
    service = RecordService(desk)
    with desk.connect() as connection:
        before = desk_revision(connection)
    for number in range(5):
        service.create("agency", {"code": f"A{number}", "name": f"Agency {number}"})
    with desk.connect() as connection:
        a = t.audit_entry
        rows = connection.execute(
            select(a.c.revision, a.c.hlc).where(a.c.revision > before).order_by(a.c.id)
        ).all()
    assert [r.revision for r in rows] == list(range(before + 1, before + 6))
    stamps = [HlcStamp.parse(r.hlc) for r in rows]
    assert stamps == sorted(stamps)
    assert len(set(stamps)) == 5
