"""User text in a workbook stays inert: an agency's name cannot rewrite the printed
header (``&`` starts a code there), and cells carry no bidi override or hidden
character — by the same rule as the briefing pack."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest

from nsdesk.services.exchange.export import ExportRequest, export_workbook
from nsdesk.services.exchange.preview import preview_import
from nsdesk.services.records.record_service import RecordService
from tests.exchange.test_libreoffice import SOFFICE, _convert
from tests.exchange.workbooks import column_of, row_of

CODE_BEARING_NAMES = ["Ministry of R&D", "&C PUBLIC", '&"Arial,Bold"&14 X']


def _return_for(desk, name: str, folder: Path) -> Path:
    RecordService(desk).update("agency", "MFA", {"name": name})
    return export_workbook(desk, ExportRequest(agency="MFA"), folder / "mfa.xlsx").path


def _headers(path: Path) -> dict[str, str]:
    """Each sheet's odd-page header as stored in the file (XML entities decoded)."""
    found = {}
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/sheet"):
                match = re.search(r"<oddHeader>(.*?)</oddHeader>", archive.read(name).decode())
                if match:
                    found[name] = match.group(1).replace("&amp;", "&").replace("&quot;", '"')
    return found


def _codes(header: str) -> list[str]:
    """The codes a spreadsheet obeys in a header string, in order ("&" for a literal
    ampersand written "&&")."""
    return re.findall(r'&(&|"[^"]*"|\d+|.)', header)


@pytest.mark.parametrize("name", CODE_BEARING_NAMES)
def test_an_agency_name_is_escaped_in_the_print_header(demo_desk, tmp_path, name):
    headers = _headers(_return_for(demo_desk, name, tmp_path))
    instructions = headers["xl/worksheets/sheet1.xml"]
    escaped = name.replace("&", "&&")
    assert instructions == f'&C&"-,Bold"Internal&RNetherlands: return for {escaped} (MFA)'
    # Every sheet's header has one centre section (the marking) and one right one.
    assert all(_codes(h).count("C") == 1 for h in headers.values())
    assert all(_codes(h).count("R") == 1 for h in headers.values())


def test_a_header_never_exceeds_what_excel_accepts(demo_desk, tmp_path):
    name = "R&D " * 50  # 200 characters, 250 once escaped
    headers = _headers(_return_for(demo_desk, name, tmp_path))
    instructions = headers["xl/worksheets/sheet1.xml"]
    assert len(instructions) <= 255
    assert instructions.endswith("…")
    assert set(_codes(instructions)) == {"C", '"-,Bold"', "R", "&"}  # no &D (the date)


@pytest.mark.skipif(
    SOFFICE is None or shutil.which("pdftotext") is None,
    reason="needs LibreOffice (apt-get install libreoffice-calc-nogui) and pdftotext "
    "(apt-get install poppler-utils); .ci/run installs both",
)
@pytest.mark.parametrize("name", CODE_BEARING_NAMES)
def test_libreoffice_prints_the_name_literally_beside_one_marking(demo_desk, tmp_path, name):
    pdf = _convert(_return_for(demo_desk, name, tmp_path), "pdf", tmp_path / "lo")
    first_page = subprocess.run(
        ["pdftotext", "-layout", "-f", "1", "-l", "1", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    header = next(line for line in first_page.splitlines() if line.strip())
    sections = [part for part in re.split(r"\s{2,}", header.strip()) if part]
    assert sections == ["Internal", f"Netherlands: return for {name} (MFA)"]
    footer = [line for line in first_page.splitlines() if line.strip()][-1]
    assert re.split(r"\s{2,}", footer.strip()) == ["Instructions", "Internal", "Page 1 of 2"]


def test_cells_carry_no_bidi_override_or_hidden_character(demo_desk, tmp_path):
    path = _return_for(demo_desk, "Ministry of Foreign Affairs", tmp_path)
    ref = openpyxl.load_workbook(path)["Commitments"].cell(3, 1).value
    RecordService(demo_desk).update(
        "commitment",
        ref,
        {
            "title": "Report to the \u202eCILBUP\u202c summit\u200b",
            "next_steps": "Sign\u2066 the\u2069 act\ufeff; می\u200cخواهم; 👩\u200d⚕\ufe0f",
        },
    )
    path.unlink()
    path = export_workbook(demo_desk, ExportRequest(agency="MFA"), tmp_path / "mfa.xlsx").path
    ws = openpyxl.load_workbook(path)["Commitments"]
    row = row_of(ws, ref)
    assert ws.cell(row, column_of(ws, "Title")).value == "Report to the CILBUP summit"
    assert ws.cell(row, column_of(ws, "Next steps")).value == (
        "Sign the act; می\u200cخواهم; 👩\u200d⚕\ufe0f"  # the joiners that shape are kept
    )
    # Sent back untouched, the return changes nothing: the cells lost only what the
    # desk's values had hidden.
    assert preview_import(demo_desk, path).records == ()
