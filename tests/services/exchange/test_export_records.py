"""The desk records every workbook it exports, in the same operation that writes it."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select

from nsdesk.domain.errors import CancelledError, DeskReadOnlyError, DiskFullError
from nsdesk.services.desk import open_desk
from nsdesk.services.exchange.export import ExportRequest, export_workbook
from nsdesk.services.exchange.export_records import find_export, list_exports
from nsdesk.services.progress import Progress
from nsdesk.services.records.record_service import RecordService
from nsdesk.store import tables as t
from tests.support.filesystems import mounted_tmpfs, remount_read_only


def _exports(desk) -> int:
    with desk.connect() as connection:
        return connection.execute(select(func.count()).select_from(t.workbook_export)).scalar()


def _recorded(desk, export_id):
    with desk.connect() as connection:
        return find_export(connection, export_id)


def test_a_return_is_recorded_with_what_it_was_sent_with(demo_desk, tmp_path):
    out = export_workbook(demo_desk, ExportRequest(agency="mfa"), tmp_path / "for MFA.xlsx")
    record = _recorded(demo_desk, out.export_id)
    assert (record.kind, record.agency, record.ceiling, record.marking) == (
        "return",
        "MFA",
        "INTERNAL",
        "INTERNAL",
    )
    assert record.file_name == "for MFA.xlsx"
    assert record.file_sha256 == hashlib.sha256(out.path.read_bytes()).hexdigest()
    assert record.actor  # who exported it: user@host
    assert record.described().startswith("the return sent to MFA on ")
    # The export id printed in the workbook is the record's key.
    meta = {
        r[0]: r[1] for r in openpyxl.load_workbook(out.path)["nsdesk"].iter_rows(values_only=True)
    }
    assert meta["export id"] == out.export_id
    # Every row of the workbook, and nothing else, is in the record.
    ws = openpyxl.load_workbook(out.path)["Commitments"]
    refs = {r[0] for r in ws.iter_rows(min_row=3, values_only=True)}
    [sheet] = record.sheets.values()
    assert sheet.name == "Commitments"
    assert sheet.editable == ("status", "narrative", "evidence", "next_steps", "revised_target")
    assert {row.key for row in sheet.rows.values()} == refs
    first = next(iter(sheet.rows.values()))
    assert set(first.fields) == set(sheet.editable)
    assert set(first.locked) == {"ref", "title", "target", "last_update"}
    assert all(len(v) == 16 for v in (*first.fields.values(), *first.locked.values()))
    # ...and the export is in the history, as one entry.
    with demo_desk.connect() as connection:
        entry = connection.execute(
            select(t.audit_entry).where(t.audit_entry.c.record_uuid == out.export_id)
        ).one()
    assert entry.record_label == "return for MFA to for MFA.xlsx"
    assert entry.new_value["records"] == len(refs)


def test_a_register_records_every_editable_sheet_and_the_ceiling_chosen(demo_desk, tmp_path):
    out = export_workbook(
        demo_desk, ExportRequest(ceiling="confidential"), tmp_path / "register.xlsx"
    )
    record = _recorded(demo_desk, out.export_id)
    assert (record.kind, record.agency, record.ceiling, record.marking) == (
        "register",
        None,
        "CONFIDENTIAL",
        "CONFIDENTIAL",
    )
    assert set(record.sheets) == {
        "Commitments",
        "Gift baskets",
        "Action items",
        "Participation",
        "Reporting",
        "Agencies",
    }  # History and Signatories are for reading: nothing there can change
    wb = openpyxl.load_workbook(out.path)
    for name, sheet in record.sheets.items():
        assert len(sheet.rows) == wb[name].max_row - 2, name
    assert [e.export_id for e in list_exports(demo_desk)] == [out.export_id]


def test_the_workbook_no_longer_carries_fingerprints(demo_desk, tmp_path):
    out = export_workbook(demo_desk, ExportRequest(agency="MFA"), tmp_path / "mfa.xlsx")
    record = _recorded(demo_desk, out.export_id)
    assert openpyxl.load_workbook(out.path).sheetnames == [
        "Instructions",
        "Commitments",
        "Lists",
        "nsdesk",
    ]
    fingerprints = {
        f for row in record.sheets["Commitments"].rows.values() for f in row.fields.values()
    }
    text = "\n".join(
        str(v)
        for ws in openpyxl.load_workbook(out.path).worksheets
        for row in ws.iter_rows(values_only=True)
        for v in row
        if v is not None
    )
    assert not any(f in text for f in fingerprints)


def test_a_read_only_desk_cannot_export_since_it_cannot_record_it(demo_desk_location, tmp_path):
    with open_desk(demo_desk_location, read_only=True) as desk:
        with pytest.raises(DeskReadOnlyError, match="every export is recorded in the desk"):
            export_workbook(desk, ExportRequest(agency="MFA"), tmp_path / "mfa.xlsx")
        assert _exports(desk) == 0
    assert list(tmp_path.glob("*.xlsx")) == []


@pytest.mark.parametrize("step", ["Writing", "Recording"])
def test_a_cancelled_export_leaves_neither_file_nor_record(demo_desk, tmp_path, step):
    def cancel_at(done, total, text):
        if text.startswith(step):
            progress.cancel()

    progress = Progress(cancel_at)
    with pytest.raises(CancelledError):
        export_workbook(demo_desk, ExportRequest(), tmp_path / "register.xlsx", progress)
    assert _exports(demo_desk) == 0
    assert [p.name for p in tmp_path.iterdir() if "nsdesk" not in p.name] == []


def test_an_export_into_a_read_only_folder_leaves_no_record(demo_desk, tmp_path):
    folder = tmp_path / "stick"
    with mounted_tmpfs(folder, size_kb=1024):
        remount_read_only(folder)
        with pytest.raises(OSError, match="Read-only file system"):
            export_workbook(demo_desk, ExportRequest(agency="MFA"), folder / "mfa.xlsx")
        assert list(folder.iterdir()) == []
    assert _exports(demo_desk) == 0
    assert RecordService(demo_desk).values("agency", "MFA")  # the desk is still usable


def _fill(filler: Path) -> None:
    """Write ``filler`` until its disk is full."""

    def write_forever(fd: int) -> None:
        while True:
            os.write(fd, b"\0" * 65536)

    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        with pytest.raises(OSError, match="No space left"):
            write_forever(fd)
    finally:
        os.close(fd)


@pytest.mark.file_desk
def test_when_the_record_cannot_be_stored_no_file_is_left_under_its_name(desk_templates, tmp_path):
    folder = tmp_path / "small"
    template = desk_templates["demo"]
    with mounted_tmpfs(folder, size_kb=template.stat().st_size // 1024 + 2048):
        desk_path = Path(shutil.copy(template, folder / "desk.nsdesk"))
        with open_desk(desk_path) as desk:
            filler = folder / "filler"
            _fill(filler)  # the disk the desk is on fills up
            with pytest.raises(DiskFullError, match="disk is full"):
                export_workbook(desk, ExportRequest(), tmp_path / "register.xlsx")
            filler.unlink()
            assert _exports(desk) == 0
        assert [p.name for p in tmp_path.iterdir() if p.name not in ("small", "nsdesk-home")] == []


def test_when_the_file_cannot_take_its_name_the_record_is_rolled_back(demo_desk, tmp_path):
    taken = tmp_path / "register.xlsx"
    taken.mkdir()  # a folder already has the name chosen
    with pytest.raises(IsADirectoryError):
        export_workbook(demo_desk, ExportRequest(), taken)
    assert _exports(demo_desk) == 0
    assert taken.is_dir()
    assert [p.name for p in tmp_path.iterdir() if "nsdesk" not in p.name] == ["register.xlsx"]
