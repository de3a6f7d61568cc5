"""Exporting the register and a ministry's return: what a reader of the workbook sees."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import update

from nsdesk.domain.errors import ValidationError
from nsdesk.exchange.workbook_writer import CellTextTooLongError
from nsdesk.services.exchange.export import ExportRequest, export_workbook
from nsdesk.services.records.record_service import RecordService
from nsdesk.store import tables as t
from nsdesk.store.migrate import SCHEMA_HEAD

REGISTER_SHEETS = [
    "Instructions",
    "Commitments",
    "History",
    "Gift baskets",
    "Signatories",
    "Action items",
    "Participation",
    "Reporting",
    "Agencies",
    "Lists",
    "nsdesk",
]


def _all_text(path: Path) -> str:
    wb = openpyxl.load_workbook(path)
    parts = []
    for ws in wb.worksheets:
        parts.append(ws.title)
        for row in ws.iter_rows(values_only=True):
            parts.extend(str(v) for v in row if v is not None)
        parts.append(ws.oddHeader.center.text or "")
    return "\n".join(parts)


def test_register_workbook_has_every_register_formatted_for_people(demo_desk, tmp_path):
    out = export_workbook(demo_desk, ExportRequest(), tmp_path / "register.xlsx")
    wb = openpyxl.load_workbook(out.path)
    assert wb.sheetnames == REGISTER_SHEETS
    assert [wb[n].sheet_state for n in ("Lists", "nsdesk")] == ["hidden"] * 2
    ws = wb["Commitments"]
    assert ws["A1"].value.startswith("INTERNAL")  # the banner row
    assert [c.value for c in ws[2]][:3] == ["Ref", "Title", "Lead agency"]
    assert ws.freeze_panes == "B3"
    assert ws.auto_filter.ref.startswith("A2:")
    assert ws.oddHeader.center.text == "Internal"
    assert ws.oddFooter.center.text == "Internal"
    pledged = ws.cell(row=3, column=[c.value for c in ws[2]].index("Pledged") + 1)
    assert pledged.is_date or pledged.value is None or isinstance(pledged.value, str)
    status_letter = openpyxl.utils.get_column_letter([c.value for c in ws[2]].index("Status") + 1)
    lists = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
    assert any(str(dv.sqref).startswith(f"{status_letter}3:") for dv in lists)
    meta = {r[0]: r[1] for r in wb["nsdesk"].iter_rows(values_only=True)}
    assert meta["kind"] == "register"
    assert meta["schema"] == SCHEMA_HEAD
    assert out.rows == sum(wb[n].max_row - 2 for n in REGISTER_SHEETS[1:9])


def test_dates_are_dates_in_the_workbook(demo_desk, tmp_path):
    out = export_workbook(demo_desk, ExportRequest(), tmp_path / "register.xlsx")
    ws = openpyxl.load_workbook(out.path)["History"]
    dates = [row[1] for row in ws.iter_rows(min_row=3, max_row=12)]
    assert dates
    assert all(cell.is_date for cell in dates)


def test_a_return_holds_only_that_ministrys_items_and_unlocks_only_its_columns(demo_desk, tmp_path):
    out = export_workbook(demo_desk, ExportRequest(agency="mfa"), tmp_path / "mfa.xlsx")
    assert out.kind == "return"
    assert out.agency == "MFA"
    wb = openpyxl.load_workbook(out.path)
    assert wb.sheetnames == ["Instructions", "Commitments", "Lists", "nsdesk"]
    assert wb.security.lockStructure
    ws = wb["Commitments"]
    assert ws.protection.sheet
    headers = [c.value for c in ws[2]]
    refs = [r[0] for r in ws.iter_rows(min_row=3, values_only=True)]
    services = RecordService(demo_desk)
    assert refs
    assert all(services.values("commitment", ref)["lead_agency"] == "MFA" for ref in refs)
    editable = {"Status", "Progress since last update", "Evidence", "Next steps", "Revised target"}
    for column, header in enumerate(headers, start=1):
        locked = ws.cell(row=3, column=column).protection.locked
        assert locked == (header not in editable), header
    prompts = {dv.promptTitle: dv.prompt for dv in ws.data_validations.dataValidation}
    assert prompts["Progress since last update"] == "What was done, in a few sentences."
    instructions = " ".join(str(r[0]) for r in wb["Instructions"].iter_rows(values_only=True))
    assert "yellow columns" in instructions
    assert "Revised target" in instructions


def test_unknown_agency_is_refused_naming_the_known_ones(demo_desk, tmp_path):
    with pytest.raises(ValidationError, match="MFA"):
        export_workbook(demo_desk, ExportRequest(agency="NOPE"), tmp_path / "x.xlsx")
    assert not (tmp_path / "x.xlsx").exists()


def test_nothing_above_the_ceiling_leaves_in_any_sheet(demo_desk, tmp_path):
    services = RecordService(demo_desk)
    canary = services.create(
        "commitment",
        {"title": "CANARY-SECRET pledge", "lead_agency": "MFA", "sensitivity": "CONFIDENTIAL"},
    )
    services.record_progress(canary.key, status="in_progress", narrative="CANARY-NARRATIVE")
    internal = export_workbook(demo_desk, ExportRequest(), tmp_path / "internal.xlsx")
    text = _all_text(internal.path)
    assert "CANARY" not in text
    assert canary.uuid not in text
    assert internal.withheld > 0
    ret = export_workbook(demo_desk, ExportRequest(agency="MFA"), tmp_path / "ret.xlsx")
    assert "CANARY" not in _all_text(ret.path)
    full = export_workbook(demo_desk, ExportRequest(ceiling="CONFIDENTIAL"), tmp_path / "full.xlsx")
    text = _all_text(full.path)
    assert "CANARY-SECRET pledge" in text
    assert "CANARY-NARRATIVE" in text
    assert full.marking == "Confidential"
    assert openpyxl.load_workbook(full.path)["Commitments"].oddHeader.center.text == "Confidential"


@pytest.mark.parametrize(
    "title", ['=HYPERLINK("http://x")', "+31 70 1234", "-minus", "@sum", "#N/A", "\tTabbed"]
)
def test_text_that_looks_like_a_formula_stays_text(demo_desk, tmp_path, title):
    ref = RecordService(demo_desk).create("commitment", {"title": "placeholder"}).key
    with demo_desk.transaction(RecordService(demo_desk).actor) as (connection, _):
        connection.execute(
            update(t.commitment).where(t.commitment.c.ref == ref).values(title=title)
        )
    out = export_workbook(demo_desk, ExportRequest(), tmp_path / "register.xlsx")
    ws = openpyxl.load_workbook(out.path)["Commitments"]
    cell = ws.cell(
        row=next(r for r in range(3, ws.max_row + 1) if ws.cell(r, 1).value == ref), column=2
    )
    assert cell.data_type == "s"
    assert cell.value == title


def test_control_characters_are_replaced_not_fatal(demo_desk, tmp_path):
    ref = RecordService(demo_desk).create("commitment", {"title": "Ctrl"}).key
    with demo_desk.transaction(RecordService(demo_desk).actor) as (connection, _):
        connection.execute(
            update(t.commitment).where(t.commitment.c.ref == ref).values(notes="bell\x07here")
        )
    out = export_workbook(demo_desk, ExportRequest(), tmp_path / "register.xlsx")
    assert out.replaced_characters == 1
    assert "bell\ufffdhere" in _all_text(out.path)


def test_text_longer_than_a_cell_is_refused_never_cut(demo_desk, tmp_path):
    ref = RecordService(demo_desk).create("commitment", {"title": "Long"}).key
    with demo_desk.transaction(RecordService(demo_desk).actor) as (connection, _):
        connection.execute(
            update(t.commitment).where(t.commitment.c.ref == ref).values(text="x" * 40_000)
        )
    target = tmp_path / "register.xlsx"
    with pytest.raises(CellTextTooLongError, match=rf"Commitments, {ref}, Verbatim text: 40,000"):
        export_workbook(demo_desk, ExportRequest(), target)
    assert list(tmp_path.glob("*.xlsx")) == []
    assert list(tmp_path.glob(".*partial")) == []
