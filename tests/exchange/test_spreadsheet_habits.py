"""Workbooks shaped by spreadsheet habits are read, in time proportional to their data.

A return formatted down to the bottom of its sheet (a million styled empty rows,
with row numbers or, as some tools write them, without), or with its columns
formatted out to XFD, previews exactly as the plain return does; the reader parses
the data and a short run of empty rows below it, never the formatted area (what it
parsed is counted, so the work is asserted without timing it; the time and memory
are printed). What a run of empty rows must not hide is refused: a value below it
(named by cell), more rows or cells than the bounds, a text longer than a cell of
Excel can hold.
"""

from __future__ import annotations

import re
import time
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from nsdesk.cli import main
from nsdesk.domain.errors import WorkbookRefusedError
from nsdesk.exchange.workbook_reader import DEFAULT_READ_LIMITS, ReadLimits, read_workbook
from nsdesk.services.exchange.export import ExportRequest, export_workbook
from nsdesk.services.exchange.preview import preview_import
from tests.exchange.hostile_files import (
    HABITS,
    SHEET,
    habit_files,
    sheet_member,
    styled_to_the_bottom,
    valid_workbook,
)
from tests.exchange.workbooks import column_of, content_digest

NARRATIVE = ("The regulator reported the draft to the council of ministers. " * 60)[:3_412]


def _measured(call: Callable[[], object]) -> tuple[object, float, float]:
    """What ``call`` returned (or raised), its seconds, and its tracemalloc peak in MB
    (a second call: tracing slows every allocation down)."""

    def outcome() -> object:
        try:
            return call()
        except WorkbookRefusedError as error:
            return error

    started = time.perf_counter()
    result = outcome()
    elapsed = time.perf_counter() - started
    tracemalloc.start()
    try:
        outcome()
        peak = tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()
    return result, elapsed, peak


@pytest.fixture(scope="module")
def returned(desk_copies, tmp_path_factory):
    """A demo desk, its MFA return edited by the ministry (a status, a long narrative),
    and that return in each shape of the habits."""
    from nsdesk.services.desk import open_desk

    folder = tmp_path_factory.mktemp("habits")
    desk_path = desk_copies.copy("demo", folder)  # a file, or a database on the server
    with open_desk(desk_path) as desk:
        out = export_workbook(desk, ExportRequest(agency="MFA"), folder / "mfa.xlsx").path
    wb = openpyxl.load_workbook(out)
    ws = wb["Commitments"]
    current = ws.cell(3, column_of(ws, "Status")).value
    ws.cell(3, column_of(ws, "Status")).value = "Stalled" if current != "Stalled" else "Withdrawn"
    ws.cell(4, column_of(ws, "Progress since last update")).value = NARRATIVE
    wb.save(folder / "edited.xlsx")
    shapes = habit_files(folder / "shapes", folder / "edited.xlsx", "Commitments")
    return desk_path, folder / "edited.xlsx", shapes


def _changes(preview) -> list:
    return [
        (r.key, r.sheet, r.row, [(c.cell, c.header, c.old, c.new) for c in r.changes])
        for r in preview.records
    ]


@pytest.mark.parametrize("shape", HABITS)
def test_a_return_shaped_by_habits_previews_as_the_plain_one_parsing_only_its_data(returned, shape):
    from nsdesk.services.desk import open_desk

    desk_path, plain, shapes = returned
    with open_desk(desk_path, read_only=True) as desk:
        expected, plain_seconds, plain_peak = _measured(lambda: preview_import(desk, plain))
        preview, seconds, peak = _measured(lambda: preview_import(desk, shapes[shape]))
    print(
        f"previewed {shape} ({shapes[shape].stat().st_size / 2**20:.1f} MB on disk) in "
        f"{seconds:.2f} s, peak {peak:.1f} MB; the plain return {plain_seconds:.2f} s, "
        f"peak {plain_peak:.1f} MB"
    )
    assert not isinstance(preview, Exception), preview
    assert preview.refused == ()
    assert _changes(preview) == _changes(expected)
    assert [len(r.changes) for r in preview.records] == [1, 1]

    read, plain_read = read_workbook(shapes[shape]), read_workbook(plain)
    sheet, plain_sheet = read.sheet("Commitments"), plain_read.sheet("Commitments")
    assert sheet is not None
    assert plain_sheet is not None
    assert sheet.rows == plain_sheet.rows
    # the data's rows and one run of empty rows below them: not the million
    assert sheet.rows_parsed <= len(plain_sheet.rows) + DEFAULT_READ_LIMITS.empty_run


def _with_rows_replaced(path: Path, target: Path, old: bytes, new: bytes, count: int = 1) -> Path:
    """``path`` with the last ``count`` occurrences of ``old`` in its Commitments sheet
    replaced by ``new``."""
    with (
        zipfile.ZipFile(path) as source,
        zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as copy,
    ):
        member = sheet_member(source, "Commitments")
        for info in source.infolist():
            data = source.read(info)
            if info.filename == member:
                head, *rest = data.rsplit(old, count)
                assert len(rest) == count, f"{old!r} not found {count} times"
                data = head + new + new.join(rest)
            copy.writestr(info.filename, data)
    return target


def test_a_value_below_a_long_run_of_empty_rows_is_refused_by_its_cell(tmp_path):
    styled = styled_to_the_bottom(
        valid_workbook(tmp_path / "v.xlsx"), tmp_path / "s.xlsx", "Commitments", last_row=5_000
    )
    row = re.search(rb'<row r="4000"[^>]*/>', zipfile.ZipFile(styled).read(SHEET))
    assert row is not None
    late = b'<row r="4000"><c r="B4000" t="inlineStr"><is><t>late news</t></is></c></row>'
    hostile = _with_rows_replaced(styled, tmp_path / "late.xlsx", row[0], late)
    with pytest.raises(WorkbookRefusedError) as refused:
        read_workbook(hostile)
    assert refused.value.where == "Commitments!B4000"
    assert "a value lies below the table, after 1,000 or more empty rows" in str(refused.value)
    assert "ends at row 2" in str(refused.value)


def test_without_row_numbers_the_value_below_the_run_is_refused_by_its_sheet(tmp_path):
    styled = styled_to_the_bottom(
        valid_workbook(tmp_path / "v.xlsx"),
        tmp_path / "s.xlsx",
        "Commitments",
        numbered=False,
        last_row=5_000,
    )
    empty = re.search(rb"<row [^>]*/>", zipfile.ZipFile(styled).read(SHEET))
    assert empty is not None
    late = b'<row><c t="inlineStr"><is><t>late news</t></is></c></row>'
    hostile = _with_rows_replaced(styled, tmp_path / "late.xlsx", empty[0], late)
    with pytest.raises(WorkbookRefusedError) as refused:
        read_workbook(hostile)
    assert refused.value.where == "Commitments"
    assert "below the table" in str(refused.value)


def test_a_table_below_a_long_run_of_empty_rows_is_refused_saying_so(tmp_path):
    source = valid_workbook(tmp_path / "v.xlsx")
    empty = b"".join(b'<row r="%d" s="0" customFormat="1"/>' % n for n in range(1, 1_500))
    with zipfile.ZipFile(source) as original:
        xml = original.read(SHEET)
    rows = b"".join(re.findall(rb"<row\b.*?</row>", xml))
    lower = re.sub(  # the same rows, 1,499 rows lower
        rb'\br="([A-Z]*)(\d+)"', lambda m: b'r="%s%d"' % (m[1], int(m[2]) + 1_499), rows
    )
    moved = _with_rows_replaced(source, tmp_path / "low.xlsx", rows, empty + lower)
    with pytest.raises(WorkbookRefusedError) as refused:
        read_workbook(moved)
    assert refused.value.where == "Commitments!A1500"
    assert "the table begins below 1,000 or more empty rows" in str(refused.value)


def test_a_value_after_a_shorter_gap_is_read(tmp_path):
    styled = styled_to_the_bottom(
        valid_workbook(tmp_path / "v.xlsx"), tmp_path / "s.xlsx", "Commitments", last_row=5_000
    )
    row = re.search(rb'<row r="900"[^>]*/>', zipfile.ZipFile(styled).read(SHEET))
    assert row is not None
    later = b'<row r="900"><c r="A900" t="inlineStr"><is><t>C-0900</t></is></c></row>'
    sheet = read_workbook(_with_rows_replaced(styled, tmp_path / "gap.xlsx", row[0], later)).sheet(
        "Commitments"
    )
    assert sheet is not None
    assert [(r.number, r.values[0]) for r in sheet.rows] == [
        (1, "Ref"),
        (2, "C-0001"),
        (900, "C-0900"),
    ]


def test_a_prefixed_sheet_formatted_to_the_bottom_keeps_its_merged_cells(tmp_path):
    """SpreadsheetML written with a namespace prefix (``<x:row>``), the merged ranges
    listed after a million formatted rows: the scan past the run finds both."""
    source = valid_workbook(tmp_path / "v.xlsx")
    with zipfile.ZipFile(source) as original:
        parts = {name: original.read(name) for name in original.namelist()}
    main_ns = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    xml = re.sub(rb"<(/?)([A-Za-z]\w*)([\s/>])", rb"<\1x:\2\3", parts[SHEET])
    xml = xml.replace(main_ns, main_ns.replace(b"xmlns=", b"xmlns:x="))
    rows = b"".join(b'<x:row r="%d" s="0" customFormat="1"/>' % n for n in range(3, 1_048_577))
    merges = b'<x:mergeCells count="1"><x:mergeCell ref="A1:B1"/></x:mergeCells>'
    parts[SHEET] = xml.replace(b"</x:sheetData>", rows + b"</x:sheetData>" + merges)
    path = tmp_path / "prefixed.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as copy:
        for name, data in parts.items():
            copy.writestr(name, data)
    sheet = read_workbook(path).sheet("Commitments")
    assert sheet is not None
    assert [r.values for r in sheet.rows] == [("Ref", "Status"), ("C-0001", "completed")]
    assert sheet.merged == ("A1:B1",)
    assert sheet.rows_parsed == 2 + DEFAULT_READ_LIMITS.empty_run


def test_the_cells_and_rows_parsed_are_bounded(tmp_path):
    small = valid_workbook(tmp_path / "v.xlsx")
    with pytest.raises(WorkbookRefusedError) as refused:
        read_workbook(small, ReadLimits(max_cells=3))
    assert refused.value.where == "Commitments!B2"
    assert "more than 3 cells" in str(refused.value)
    # the same row number again and again: each row is counted, whatever it says
    again = b'<row r="2"><c r="A2"><v>1</v></c></row>' * 1_500
    repeated = _with_rows_replaced(
        small, tmp_path / "again.xlsx", b"</sheetData>", again + b"</sheetData>"
    )
    with pytest.raises(WorkbookRefusedError) as refused:
        read_workbook(repeated, ReadLimits(max_rows=1_000))
    assert "more than 1,000 rows" in str(refused.value)


def _with_text(tmp_path: Path, text: str) -> Path:
    """A small workbook whose cell B2 holds ``text`` (patched into the XML: openpyxl
    itself would not write more than a cell holds)."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Commitments"
    sheet.append(["Ref", "Progress"])
    sheet.append(["C-0001", "PLACEHOLDER"])
    written = tmp_path / "written.xlsx"
    book.save(written)
    path = tmp_path / "text.xlsx"
    with (
        zipfile.ZipFile(written) as source,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as copy,
    ):
        for info in source.infolist():
            copy.writestr(info.filename, source.read(info).replace(b"PLACEHOLDER", text.encode()))
    return path


@pytest.mark.parametrize(
    ("text", "refused"),
    [
        ("y" * 32_767, False),
        ("y" * 32_768, True),
        ("\N{GRINNING FACE}" * 16_384, True),  # 32,768 in UTF-16, as Excel counts
    ],
    ids=["at the limit", "one more", "beyond in UTF-16"],
)
def test_a_text_longer_than_a_cell_holds_is_refused_by_its_cell(tmp_path, text, refused):
    path = _with_text(tmp_path, text)
    if not refused:
        sheet = read_workbook(path).sheet("Commitments")
        assert sheet is not None
        assert sheet.rows[1].values[1] == text
        return
    with pytest.raises(WorkbookRefusedError) as caught:
        read_workbook(path)
    assert caught.value.where == "Commitments!B2"
    assert str(caught.value).startswith(
        "text.xlsx, Commitments!B2: text longer than 32,767 characters"
    )


def test_the_command_line_refuses_the_over_long_narrative_without_printing_it(
    returned, tmp_path, capsys
):
    desk_path, plain, _ = returned
    wb = openpyxl.load_workbook(plain)
    ws = wb["Commitments"]
    ws.cell(3, column_of(ws, "Progress since last update")).value = "LONG-PLACEHOLDER"
    wb.save(tmp_path / "long.xlsx")
    path = _with_rows_replaced(
        tmp_path / "long.xlsx", tmp_path / "longer.xlsx", b"LONG-PLACEHOLDER", b"z" * 40_000
    )
    before = content_digest(desk_path)
    assert main(["import", str(desk_path), str(path), "--dry-run"]) == 1
    out, err = capsys.readouterr()
    assert "Commitments!E3: text longer than 32,767 characters (40,000)" in err
    assert "zzzzzzzzzz" not in out + err
    assert content_digest(desk_path) == before


def test_the_command_line_shortens_the_long_narrative_and_reads_the_styled_return(returned, capsys):
    desk_path, plain, shapes = returned
    assert main(["import", str(desk_path), str(plain), "--dry-run"]) == 0
    plain_out = capsys.readouterr().out
    assert main(["import", str(desk_path), str(shapes["styled_rows_unnumbered"]), "--dry-run"]) == 0
    styled_out = capsys.readouterr().out
    line = next(line for line in plain_out.splitlines() if "Progress since last update" in line)
    assert line.endswith("' … (3,412 characters)")
    assert len(line) < 300
    assert styled_out.replace("styled_rows_unnumbered.xlsx", "edited.xlsx") == plain_out
