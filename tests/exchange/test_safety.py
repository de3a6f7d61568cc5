"""A file from outside is refused, with its own plain message, before any parser sees it.

Each hostile file is generated (``hostile_files.py``); for each, the time and peak
memory of refusing it are printed (``pytest -s``). Time is only printed; memory is
asserted, because a check that inflates the bomb it is meant to refuse is broken.
"""

from __future__ import annotations

import io
import struct
import subprocess
import sys
import time
import tracemalloc
import warnings
import zipfile
from datetime import date
from pathlib import Path

import pytest

from nsdesk.domain.errors import WorkbookRefusedError
from nsdesk.exchange.safety import (
    DEFAULT_LIMITS,
    ZipLimits,
    check_workbook_file,
    defusedxml_in_force,
)
from tests.exchange.hostile_files import (
    CASES,
    HABITS,
    SHEET,
    habit_files,
    hostile_files,
    valid_workbook,
)

PEAK_BOUND = 50 * 1024 * 1024


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, str]]:
    return hostile_files(tmp_path_factory.mktemp("hostile"))


def refusal(path: Path, limits: ZipLimits = DEFAULT_LIMITS) -> WorkbookRefusedError:
    with pytest.raises(WorkbookRefusedError) as caught:
        check_workbook_file(path, limits)
    return caught.value


def outcome(path: Path, limits: ZipLimits) -> WorkbookRefusedError | None:
    try:
        check_workbook_file(path, limits)
    except WorkbookRefusedError as error:
        return error
    return None


def measured(
    path: Path, limits: ZipLimits = DEFAULT_LIMITS, repeat: int = 3
) -> tuple[float, int, WorkbookRefusedError | None]:
    """Best time in seconds over ``repeat`` checks, then the peak traced memory in bytes
    and the outcome of one more check, made under tracemalloc."""
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        outcome(path, limits)
        best = min(best, time.perf_counter() - started)
    tracemalloc.start()
    try:
        result = outcome(path, limits)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return best, peak, result


@pytest.mark.parametrize("case", CASES)
def test_each_hostile_file_is_refused_with_its_own_message_quickly_and_in_little_memory(
    hostile: dict[str, tuple[Path, str]], case: str
) -> None:
    path, fragment = hostile[case]
    error = refusal(path)
    assert fragment in str(error)
    assert path.name in str(error)
    assert error.path == path
    assert error.where is None
    seconds, peak, again = measured(path)
    print(
        f"refused {case} in {seconds * 1000:.2f} ms, peak {peak / 2**20:.2f} MB "
        f"({path.stat().st_size / 1024:,.1f} KB on disk)"
    )
    assert again is not None
    assert peak < PEAK_BOUND


def test_the_hostile_files_are_what_they_claim(hostile: dict[str, tuple[Path, str]]) -> None:
    bomb, _ = hostile["zip_bomb_ratio"]
    assert bomb.stat().st_size < 1024 * 1024
    with zipfile.ZipFile(bomb) as archive:
        assert archive.getinfo(SHEET).file_size >= 300 * 2**20
    flood, _ = hostile["central_directory_flood"]
    assert flood.stat().st_size < DEFAULT_LIMITS.max_file_bytes
    # as small on disk as the million styled rows (the sizes of the hostile_files run)
    same_size, _ = hostile["bomb_sized_like_styled_rows"]
    assert 2 * 2**20 < same_size.stat().st_size < 3 * 2**20
    with zipfile.ZipFile(same_size) as archive:
        assert archive.getinfo(SHEET).file_size > 2 * 2**30


@pytest.fixture(scope="module")
def habits(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return habit_files(tmp_path_factory.mktemp("habits"))


@pytest.mark.parametrize("shape", HABITS)
def test_sheets_shaped_by_spreadsheet_habits_are_not_bombs(
    habits: dict[str, Path], hostile: dict[str, tuple[Path, str]], shape: str
) -> None:
    """A million formatted empty rows (with or without row numbers) or columns formatted
    out to XFD expand a lot, and very regularly, but to tens of megabytes: accepted,
    while the bomb of the same size on disk is refused (above)."""
    path = habits[shape]
    with zipfile.ZipFile(path) as archive:
        member = archive.getinfo(SHEET)
    seconds, peak, result = measured(path)
    print(
        f"accepted {shape} in {seconds * 1000:.1f} ms, peak {peak / 2**20:.2f} MB "
        f"({path.stat().st_size / 1024:,.1f} KB on disk, its sheet "
        f"{member.file_size / 2**20:,.1f} MB, 1:{member.file_size / member.compress_size:,.0f})"
    )
    assert result is None
    assert peak < PEAK_BOUND
    bomb, _ = hostile["bomb_sized_like_styled_rows"]
    if shape == "styled_rows_numbered":
        assert abs(bomb.stat().st_size - path.stat().st_size) < 64 * 1024


def test_a_small_valid_workbook_passes(tmp_path: Path) -> None:
    assert check_workbook_file(valid_workbook(tmp_path / "commitments.xlsx")) is None


def test_a_large_realistic_workbook_written_by_openpyxl_passes(tmp_path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Commitments"
    sheet.append(["Ref", "Title", "Due", "Status", "Share", "Check"])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for _ in range(6_000):  # identical rows: as repetitive as real data gets
        sheet.append(["C-0001", "Report on the review", date(2026, 11, 22), "open", 0.5, "=1+1"])
    book.create_sheet("Notes").append(["Exported for the delegation"])
    path = tmp_path / "large.xlsx"
    book.save(path)
    with zipfile.ZipFile(path) as archive:
        member = archive.getinfo(SHEET)
    assert member.file_size > 2**20  # more than a chunk of the read-through
    seconds, peak, result = measured(path)
    print(
        f"accepted a {member.file_size / 2**20:.1f} MB sheet in {seconds * 1000:.1f} ms, "
        f"peak {peak / 2**20:.2f} MB"
    )
    assert result is None
    assert peak < PEAK_BOUND


def test_reading_every_part_streams_even_when_the_limits_let_a_bomb_through(
    hostile: dict[str, tuple[Path, str]],
) -> None:
    bomb, _ = hostile["zip_bomb_ratio"]
    generous = ZipLimits(max_entry_bytes=2**30, max_total_bytes=2**30, max_blank_run=2**31)
    seconds, peak, result = measured(bomb, generous, repeat=1)
    print(f"read the 300 MB bomb through in {seconds * 1000:.0f} ms, peak {peak / 2**20:.2f} MB")
    assert result is None
    assert peak < PEAK_BOUND


def test_a_missing_file_and_a_folder_are_refused(tmp_path: Path) -> None:
    assert "does not exist" in str(refusal(tmp_path / "gone.xlsx"))
    folder = tmp_path / "folder.xlsx"
    folder.mkdir()
    assert "this is a folder" in str(refusal(folder))


@pytest.mark.parametrize(
    ("limits", "fragment"),
    [
        (ZipLimits(max_file_bytes=1_000), "more than the 1000 bytes a workbook to import may be"),
        (ZipLimits(max_entries=5), "more than the 5 a workbook may hold"),
        (ZipLimits(max_entry_bytes=500), "alone is"),
        (ZipLimits(max_total_bytes=4_000), "over the 3.9 KB limit"),
    ],
    ids=["file size", "entries", "one part", "all parts"],
)
def test_each_bound_is_its_own_refusal(tmp_path: Path, limits: ZipLimits, fragment: str) -> None:
    error = refusal(valid_workbook(tmp_path / "commitments.xlsx"), limits)
    assert fragment in str(error)


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"\xef\xbb\xbf  <HTML><body><table></table></body></HTML>", "web page (HTML)"),
        (b"<table><tr><td>1</td></tr></table>", "web page (HTML)"),
        (
            b'<?xml version="1.0"?>\n'
            b'<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">',
            "Excel 2003 XML spreadsheet",
        ),
        (b'<?xml version="1.0"?>\n<html xmlns="http://www.w3.org/1999/xhtml">', "web page (HTML)"),
        ("Réf;Statut\nC-0001;terminé\n".encode("cp1252"), "text file (CSV)"),
        (("Ref\tStatus\n" + "é" * 5000).encode(), "text file (CSV)"),  # "é" cut at 4 KiB
        (b"just some words\n", "text file renamed"),
        (bytes(range(256)) * 4, "does not start like one"),
        (b"PK\x05\x06" + bytes(18), "does not start like one"),
    ],
    ids=[
        "html-bom",
        "html-table",
        "xml-2003",
        "xhtml",
        "csv-cp1252",
        "csv-utf8-cut",
        "plain-text",
        "binary",
        "empty-zip",
    ],
)
def test_leading_bytes_say_what_the_file_is(tmp_path: Path, content: bytes, fragment: str) -> None:
    path = tmp_path / "renamed.xlsx"
    path.write_bytes(content)
    assert fragment in str(refusal(path))


def test_password_streams_are_found_across_a_chunk_boundary(tmp_path: Path) -> None:
    path = tmp_path / "protected.xlsx"
    name = "EncryptedPackage".encode("utf-16-le")
    start = bytes.fromhex("D0CF11E0A1B11AE1")
    path.write_bytes(start.ljust(2**20 - len(name) // 2, b"\x00") + name + bytes(512))
    assert "protected by a password" in str(refusal(path))


def zip_holding(path: Path, names: list[str]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return path


@pytest.mark.parametrize(
    ("names", "fragment"),
    [
        (["[Content_Types].xml", "xl/workbook.bin"], "Excel binary workbook (.xlsb)"),
        (["[Content_Types].xml", "word/document.xml"], "a Word document (.docx)"),
        (["mimetype", "content.xml", "META-INF/manifest.xml"], "OpenDocument"),
        ([f"doc{n}.txt" for n in range(5)], "doc0.txt, doc1.txt, doc2.txt and 2 other files"),
    ],
    ids=["xlsb", "docx", "ods", "listing"],
)
def test_a_zip_that_is_not_a_workbook_says_what_it_holds(
    tmp_path: Path, names: list[str], fragment: str
) -> None:
    error = refusal(zip_holding(tmp_path / "archive.xlsx", names))
    assert "this is a zip archive, not an Excel workbook" in str(error)
    assert fragment in str(error)


def test_a_workbook_with_two_parts_of_the_same_name_is_refused(tmp_path: Path) -> None:
    source = valid_workbook(tmp_path / "commitments.xlsx")
    path = tmp_path / "twice.xlsx"
    with (
        zipfile.ZipFile(source) as original,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive,
        warnings.catch_warnings(),
    ):
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate: that is the point
        for member in original.infolist():
            archive.writestr(member.filename, original.read(member))
        archive.writestr(SHEET, b"<worksheet/>")
    assert f"two parts named {SHEET}" in str(refusal(path))


def test_a_compression_excel_does_not_use_is_refused(tmp_path: Path) -> None:
    source = valid_workbook(tmp_path / "commitments.xlsx")
    path = tmp_path / "bzip2.xlsx"
    with (
        zipfile.ZipFile(source) as original,
        zipfile.ZipFile(path, "w", zipfile.ZIP_BZIP2) as archive,
    ):
        for member in original.infolist():
            archive.writestr(member.filename, original.read(member))
    assert "compression Excel does not use (method 12" in str(refusal(path))


def test_a_part_locked_with_a_zip_password_is_refused(tmp_path: Path) -> None:
    data = bytearray(valid_workbook(tmp_path / "commitments.xlsx").read_bytes())
    at = data.find(b"PK\x01\x02")
    struct.pack_into("<H", data, at + 8, struct.unpack_from("<H", data, at + 8)[0] | 0x1)
    path = tmp_path / "locked.xlsx"
    path.write_bytes(bytes(data))
    assert "locked with a zip password" in str(refusal(path))


def test_a_zip64_end_record_is_read_as_zipfile_reads_it(tmp_path: Path) -> None:
    """Some writers always end with a Zip64 record; the table-of-contents check must
    find the central directory where zipfile will."""
    data = valid_workbook(tmp_path / "commitments.xlsx").read_bytes()
    end = data.rfind(b"PK\x05\x06")
    _, _, _, on_disk, entries, size, offset, _ = struct.unpack_from("<4s4H2LH", data, end)
    record = struct.pack(
        "<4sQ2H2L4Q", b"PK\x06\x06", 44, 45, 45, 0, 0, on_disk, entries, size, offset
    )
    locator = struct.pack("<4sLQL", b"PK\x06\x07", 0, end, 1)
    saturated = struct.pack(
        "<4s4H2LH", b"PK\x05\x06", 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0
    )
    path = tmp_path / "zip64.xlsx"
    path.write_bytes(data[:end] + record + locator + saturated)
    with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as archive:
        assert SHEET in archive.namelist()
    assert check_workbook_file(path) is None
    assert "more than the 5" in str(refusal(path, ZipLimits(max_entries=5)))


def test_openpyxl_parses_through_defusedxml_here() -> None:
    assert defusedxml_in_force() is True


def test_switching_defusedxml_off_in_the_environment_is_noticed() -> None:
    script = "from nsdesk.exchange.safety import defusedxml_in_force as f; print(f())"
    result = subprocess.run(
        [sys.executable, "-c", script],
        env={"OPENPYXL_DEFUSEDXML": "False", "PATH": ""},
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert result.stdout.strip() == "False"
