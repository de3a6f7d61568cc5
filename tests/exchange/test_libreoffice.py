"""Workbooks through LibreOffice, as ministries send them back.

A return re-saved by LibreOffice (``soffice --headless --convert-to xlsx``)
imports exactly the edits made in it, nothing more; and an exported workbook
opened by LibreOffice shows user text beginning with ``=`` as that text, not as
a computed value. ``.ci/run`` installs LibreOffice Calc when it can.
"""

from __future__ import annotations

import csv
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import update

from nsdesk.services.exchange.export import ExportRequest, export_workbook
from nsdesk.services.exchange.preview import preview_import
from nsdesk.services.records.record_service import RecordService
from nsdesk.store import tables as t
from tests.exchange.workbooks import column_of

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.skipif(
    SOFFICE is None,
    reason="LibreOffice (soffice) is not installed: apt-get install libreoffice-calc-nogui "
    "(.ci/run does this when it can) to check workbooks re-saved by LibreOffice",
)


def _convert(source: Path, to: str, folder: Path) -> Path:
    """``source`` opened and saved again by LibreOffice, as ``to`` (xlsx, csv…)."""
    folder.mkdir(parents=True, exist_ok=True)
    profile = folder / "lo-profile"
    completed = subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            to,
            "--outdir",
            str(folder),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    result = folder / f"{source.stem}.{to.split(':')[0]}"
    assert result.exists(), completed.stdout + completed.stderr
    return result


def test_a_return_resaved_by_libreoffice_imports_exactly_its_edits(demo_desk, tmp_path):
    out = export_workbook(demo_desk, ExportRequest(agency="MFA"), tmp_path / "mfa.xlsx").path
    unchanged = _convert(out, "xlsx", tmp_path / "lo-unchanged")
    preview = preview_import(demo_desk, unchanged)
    assert preview.refused == ()
    assert preview.records == ()

    wb = openpyxl.load_workbook(out)
    ws = wb["Commitments"]
    first = ws.cell(3, column_of(ws, "Ref")).value
    second = ws.cell(4, column_of(ws, "Ref")).value
    current = ws.cell(3, column_of(ws, "Status")).value
    ws.cell(3, column_of(ws, "Status")).value = "Stalled" if current != "Stalled" else "Ongoing"
    ws.cell(4, column_of(ws, "Progress since last update")).value = "Décret n° 2026-14\nsigné"
    ws.cell(4, column_of(ws, "Revised target")).value = "2031-06-30"
    wb.save(tmp_path / "edited.xlsx")
    resaved = _convert(tmp_path / "edited.xlsx", "xlsx", tmp_path / "lo-edited")

    preview = preview_import(demo_desk, resaved)
    assert preview.refused == ()
    changes = {r.label.split()[0]: {c.header: c.new for c in r.changes} for r in preview.records}
    assert changes == {
        first: {"Status": "Stalled" if current != "Stalled" else "Ongoing"},
        second: {
            "Progress since last update": "Décret n° 2026-14\nsigné",
            "Revised target": "2031-06-30",
        },
    }


def test_text_beginning_with_equals_is_text_in_libreoffice(demo_desk, tmp_path):
    services = RecordService(demo_desk)
    ref = services.create("commitment", {"title": "placeholder"}).key
    with demo_desk.transaction(services.actor) as (connection, _):
        connection.execute(
            update(t.commitment).where(t.commitment.c.ref == ref).values(title="=1+1")
        )
    out = export_workbook(demo_desk, ExportRequest(), tmp_path / "register.xlsx").path
    # CSV of the active (first) sheet is what LibreOffice displays; make Commitments first.
    wb = openpyxl.load_workbook(out)
    wb.move_sheet("Commitments", offset=-wb.sheetnames.index("Commitments"))
    wb.active = 0
    wb.save(tmp_path / "commitments-first.xlsx")
    shown = _convert(  # comma-separated, quoted, UTF-8 (LibreOffice's filter options)
        tmp_path / "commitments-first.xlsx",
        "csv:Text - txt - csv (StarCalc):44,34,76",
        tmp_path / "lo-csv",
    )
    with shown.open(encoding="utf-8", newline="") as handle:
        rows = {row[0]: row for row in csv.reader(handle) if row}
    assert rows[ref][1] == "=1+1"


def test_a_return_widened_in_libreoffice_is_refused_by_row_and_cell(demo_desk, tmp_path):
    from sqlalchemy import select

    from tests.exchange.workbooks import content_digest

    out = export_workbook(demo_desk, ExportRequest(agency="MFA"), tmp_path / "mfa.xlsx").path
    with demo_desk.connect() as connection:
        theirs = (
            connection.execute(
                select(t.commitment.c.ref)
                .join(t.agency, t.agency.c.id == t.commitment.c.lead_agency_id)
                .where(t.agency.c.code == "JUS", t.commitment.c.sensitivity == "INTERNAL")
                .order_by(t.commitment.c.ref)
            )
            .scalars()
            .first()
        )
    wb = openpyxl.load_workbook(out)
    ws = wb["Commitments"]
    ws.protection.sheet = False
    row = ws.max_row + 1
    ws.cell(row, column_of(ws, "Ref")).value = theirs
    ws.cell(row, column_of(ws, "Status")).value = "Withdrawn"
    title = column_of(ws, "Title")
    ws.cell(3, title).value = "Renamed by the ministry"
    wb.save(tmp_path / "widened.xlsx")
    resaved = _convert(tmp_path / "widened.xlsx", "xlsx", tmp_path / "lo-widened")

    before = content_digest(demo_desk)
    preview = preview_import(demo_desk, resaved)
    refused = {c.where: c.reason for c in preview.refused}
    assert set(refused) == {
        f"Commitments!{openpyxl.utils.get_column_letter(title)}3",
        f"Commitments!{row}:{row}",
    }
    assert refused[f"Commitments!{row}:{row}"].startswith(
        f"{theirs} was not in the return sent to MFA"
    )
    assert not preview.can_apply
    assert content_digest(demo_desk) == before


def test_a_register_resaved_by_libreoffice_unchanged_is_a_no_op(demo_desk, tmp_path):
    out = export_workbook(demo_desk, ExportRequest(), tmp_path / "register.xlsx").path
    resaved = _convert(out, "xlsx", tmp_path / "lo-register")
    preview = preview_import(demo_desk, resaved)
    assert (preview.refused, preview.records, preview.lowered) == ((), (), ())
