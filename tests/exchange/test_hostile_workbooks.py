"""A generated suite of hostile workbooks, one per rule of QUALITY.md.

Every file is made here. Each is refused with a message naming the problem and
the cell (exit status 1 from ``nsdesk import``) and leaves the desk's content
exactly as it was; the ones that are odd but sound (renamed, reordered or extra
columns, hidden rows, dates in several forms) import exactly what they say.
Time and peak memory of each refusal are printed.
"""

from __future__ import annotations

import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from nsdesk.services.exchange.export import ExportRequest, export_workbook
from nsdesk.services.exchange.preview import preview_import
from nsdesk.services.records.details.commitment import commitment_detail
from tests.exchange.hostile_files import CASES, hostile_files
from tests.exchange.workbooks import column_of, content_digest, row_of

Edit = Callable[[openpyxl.Workbook, Path], None]


def _unprotect(wb: openpyxl.Workbook) -> openpyxl.worksheet.worksheet.Worksheet:
    ws = wb["Commitments"]
    ws.protection.sheet = False
    return ws


def _first_ref(ws) -> str:
    return ws.cell(3, column_of(ws, "Ref")).value


def formula_in_status(wb, _folder):
    ws = _unprotect(wb)
    ws.cell(3, column_of(ws, "Status")).value = '=IF(1,"Completed","Stalled")'


def merged_header(wb, _folder):
    ws = _unprotect(wb)
    ws.merge_cells(start_row=2, start_column=4, end_row=2, end_column=5)


def no_id_columns(wb, _folder):
    ws = _unprotect(wb)
    ws.cell(2, column_of(ws, "Record id")).value = "Identifier"
    ws.cell(2, column_of(ws, "Ref")).value = "Number"


def duplicate_ids(wb, _folder):
    ws = _unprotect(wb)
    last = ws.max_row + 1
    for column in range(1, ws.max_column + 1):
        ws.cell(last, column).value = ws.cell(3, column).value
    ws.cell(last, column_of(ws, "Evidence")).value = "second copy"


def value_outside_the_list(wb, _folder):
    ws = _unprotect(wb)
    ws.cell(3, column_of(ws, "Status")).value = "Nearly there"


def ambiguous_date(wb, _folder):
    ws = _unprotect(wb)
    ws.cell(3, column_of(ws, "Revised target")).value = "03/04/2031"


def impossible_date(wb, _folder):
    ws = _unprotect(wb)
    ws.cell(3, column_of(ws, "Revised target")).value = "2031-02-30"


def unknown_record_id(wb, _folder):
    ws = _unprotect(wb)
    ws.cell(3, column_of(ws, "Record id")).value = "00000000-0000-4000-8000-000000000000"


def ref_and_id_disagree(wb, _folder):
    ws = _unprotect(wb)
    ws.cell(3, column_of(ws, "Ref")).value = ws.cell(4, column_of(ws, "Ref")).value


def far_corner_value(wb, _folder):
    ws = _unprotect(wb)
    ws.cell(1_048_576, 16_384).value = "x"


# openpyxl cuts text at 32,767 characters and refuses control characters when it
# writes, so these two are written as placeholders and patched into the XML, as
# other spreadsheet programs write them.
_PATCHES = {
    "LONG-PLACEHOLDER": "y" * 40_000,
    "CONTROL-PLACEHOLDER": "bad_x001B_escape",  # OOXML's escape for ESC (U+001B)
}


def too_long_text(wb, _folder):
    ws = _unprotect(wb)
    ws.cell(3, column_of(ws, "Progress since last update")).value = "LONG-PLACEHOLDER"


def control_characters(wb, _folder):
    ws = _unprotect(wb)
    ws.cell(3, column_of(ws, "Evidence")).value = "CONTROL-PLACEHOLDER"


def _save_patched(wb: openpyxl.Workbook, path: Path) -> None:
    import zipfile

    wb.save(path)
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    for name, data in parts.items():
        for placeholder, text in _PATCHES.items():
            data = data.replace(placeholder.encode(), text.encode())
        parts[name] = data
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)


# case -> (edit, the cell named, a fragment of the reason)
CELL_CASES: dict[str, tuple[Edit, str, str]] = {
    "formula": (formula_in_status, "Commitments!D3", "formula"),
    "merged_header": (merged_header, "Commitments!D2:E2", "merged header"),
    "no_id_columns": (no_id_columns, "Commitments!2:2", "cannot be matched"),
    "duplicate_ids": (duplicate_ids, "Commitments!", "also in row 3"),
    "outside_the_list": (value_outside_the_list, "Commitments!D3", "one of the list"),
    "ambiguous_date": (ambiguous_date, "Commitments!H3", "day-first or month-first"),
    "impossible_date": (impossible_date, "Commitments!H3", "date"),
    "unknown_record": (unknown_record_id, "Commitments!3:3", "no record in the return sent"),
    "ref_and_id_disagree": (ref_and_id_disagree, "Commitments!3:3", "different records"),
    "too_long_text": (too_long_text, "Commitments!E3", "text longer than 32,767 characters"),
    "control_characters": (control_characters, "Commitments!F3", "control characters"),
}


@pytest.fixture(scope="module")
def exported(desk_copies, tmp_path_factory):
    """A demo desk and its MFA return, shared by the cases (none of them changes the desk)."""

    from nsdesk.services.desk import open_desk

    folder = tmp_path_factory.mktemp("hostile")
    path = desk_copies.copy("demo", folder, "demo.nsdesk")
    with open_desk(path) as desk:
        out = export_workbook(desk, ExportRequest(agency="MFA"), folder / "mfa.xlsx").path
    return path, out, folder


def _run_import(desk: Path, workbook: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "nsdesk", "import", str(desk), str(workbook)],
        capture_output=True,
        text=True,
        timeout=120,
    )


def _measured(call: Callable[[], object]) -> tuple[object, float, float]:
    tracemalloc.start()
    started = time.perf_counter()
    try:
        result = call()
    except Exception as error:  # the refusal is the result
        result = error
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    return result, elapsed, peak


@pytest.mark.parametrize("case", sorted(CELL_CASES))
def test_each_hostile_cell_is_refused_by_cell_and_the_desk_is_unchanged(exported, case):
    from nsdesk.services.desk import open_desk

    desk_path, out, folder = exported
    make, where, reason = CELL_CASES[case]
    wb = openpyxl.load_workbook(out)
    make(wb, folder)
    hostile = folder / f"{case}.xlsx"
    _save_patched(wb, hostile)
    before = content_digest(desk_path)
    with open_desk(desk_path, read_only=True) as desk:
        preview, elapsed, peak = _measured(lambda: preview_import(desk, hostile))
    if isinstance(preview, Exception):  # refused whole (bounds): the message names the cell
        message = str(preview)
    else:
        message = "\n".join(f"{c.where}: {c.reason}" for c in preview.refused)
        assert preview.refused, f"{case}: nothing refused"
        assert not preview.can_apply
    print(f"refused {case} in {elapsed * 1000:.0f} ms, peak {peak:.1f} MB: {message[:100]}")
    assert where in message, message
    assert reason in message, message
    completed = _run_import(desk_path, hostile)
    assert completed.returncode == 1, completed.stderr
    assert where in completed.stderr
    assert hostile.name in completed.stderr
    assert content_digest(desk_path) == before


def test_a_value_far_beyond_the_table_is_refused_without_reading_the_sheet(exported):
    from nsdesk.services.desk import open_desk

    desk_path, out, folder = exported
    wb = openpyxl.load_workbook(out)
    far_corner_value(wb, folder)
    wb.save(folder / "far.xlsx")
    with open_desk(desk_path, read_only=True) as desk:
        refusal, elapsed, peak = _measured(lambda: preview_import(desk, folder / "far.xlsx"))
    print(f"refused far_corner_value in {elapsed * 1000:.0f} ms, peak {peak:.1f} MB")
    assert "XFD1048576" in str(refusal)
    assert "outside the area" in str(refusal)
    assert peak < 50


@pytest.fixture(scope="module")
def hostile(exported):
    """The generated hostile files, written once for the module (a few seconds)."""
    return hostile_files(exported[2] / "files")


@pytest.mark.parametrize("case", CASES)
def test_each_hostile_file_is_refused_by_the_command_line_with_status_1(exported, hostile, case):
    desk_path, _, _ = exported
    path, fragment = hostile[case]
    before = content_digest(desk_path)
    started = time.perf_counter()
    completed = _run_import(desk_path, path)
    print(f"nsdesk import refused {case} in {time.perf_counter() - started:.2f} s (whole process)")
    assert completed.returncode == 1
    assert path.name in completed.stderr, completed.stderr
    assert fragment in completed.stderr, completed.stderr
    assert content_digest(desk_path) == before


# -- odd but sound: handled, not refused ------------------------------------------------------


def test_renamed_reordered_and_extra_columns_and_hidden_rows_import_exactly_the_edits(
    demo_desk, tmp_path
):
    out = export_workbook(demo_desk, ExportRequest(agency="MFA"), tmp_path / "mfa.xlsx").path
    wb = openpyxl.load_workbook(out)
    ws = _unprotect(wb)
    ref = _first_ref(ws)
    second = ws.cell(4, column_of(ws, "Ref")).value
    ws.cell(2, column_of(ws, "Status")).value = "Current status"  # a synonym
    ws.cell(2, column_of(ws, "Progress since last update")).value = "Narrative"
    ws.move_range("A2:A200", cols=ws.max_column + 1)  # Ref moved to the far right
    ws.cell(2, ws.max_column + 1).value = "Our own remarks"  # an extra column
    ws.cell(3, ws.max_column).value = "not for nsdesk"
    status_col = [c.value for c in ws[2]].index("Current status") + 1
    narrative_col = [c.value for c in ws[2]].index("Narrative") + 1
    current = ws.cell(3, status_col).value
    ws.cell(3, status_col).value = "stalled" if current != "Stalled" else "withdrawn"
    ws.cell(4, narrative_col).value = "Hidden but real"
    ws.row_dimensions[4].hidden = True
    wb.save(tmp_path / "odd.xlsx")

    preview = preview_import(demo_desk, tmp_path / "odd.xlsx")
    assert preview.refused == ()
    changed = {r.label.split()[0]: [c.header for c in r.changes] for r in preview.records}
    assert changed == {ref: ["Status"], second: ["Progress since last update"]}
    assert any("Our own remarks" in note for note in preview.notes)
    assert any("row 4 is hidden" in note for note in preview.notes)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (date(2031, 6, 30), "2031-06-30"),
        (47_299, "2029-06-30"),  # a serial number, 1900 system
        ("30 June 2031", "2031-06-30"),
        ("June 30, 2031", "2031-06-30"),
        ("30.06.2031", "2031-06-30"),
        ("2031-06", "2031-06"),
        (2031, "2031"),
    ],
)
def test_dates_in_real_serial_and_text_forms_are_read_when_unambiguous(
    demo_desk, tmp_path, cell, expected
):
    out = export_workbook(demo_desk, ExportRequest(agency="MFA"), tmp_path / "mfa.xlsx").path
    wb = openpyxl.load_workbook(out)
    ws = wb["Commitments"]
    ws.cell(3, column_of(ws, "Revised target")).value = cell
    wb.save(tmp_path / "dates.xlsx")
    [record] = preview_import(demo_desk, tmp_path / "dates.xlsx").records
    [change] = record.changes
    assert change.new == expected


def test_a_1904_workbook_reads_serial_dates_in_its_own_system(demo_desk, tmp_path):
    out = export_workbook(demo_desk, ExportRequest(agency="MFA"), tmp_path / "mfa.xlsx").path
    wb = openpyxl.load_workbook(out)
    wb.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904
    ws = wb["Commitments"]
    ws.cell(3, column_of(ws, "Revised target")).value = date(2031, 6, 30)
    wb.save(tmp_path / "mac.xlsx")
    [record] = preview_import(demo_desk, tmp_path / "mac.xlsx").records
    assert record.changes[0].new == "2031-06-30"


def test_a_row_for_a_record_retired_locally_is_refused_by_row(demo_desk, tmp_path):
    from nsdesk.services.records.record_service import RecordService

    out = export_workbook(demo_desk, ExportRequest(agency="MFA"), tmp_path / "mfa.xlsx").path
    ws = openpyxl.load_workbook(out)["Commitments"]
    ref = _first_ref(ws)
    RecordService(demo_desk).retire("commitment", ref)
    wb = openpyxl.load_workbook(out)
    ws = wb["Commitments"]
    ws.cell(row_of(ws, ref), column_of(ws, "Evidence")).value = "late news"
    wb.save(tmp_path / "b.xlsx")
    preview = preview_import(demo_desk, tmp_path / "b.xlsx")
    [refused] = preview.refused
    assert refused.where == "Commitments!3:3"
    assert "retired in the desk" in refused.reason
    assert commitment_detail(demo_desk, ref) is not None
