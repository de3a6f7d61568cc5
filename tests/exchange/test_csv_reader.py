"""A CSV from outside gets a workbook's care: its encoding is detected, its size
and shape are bounded, nothing in it is ever evaluated, and what is not a table is
refused with its own message."""

from __future__ import annotations

import codecs
import io
import zipfile
from pathlib import Path

import pytest

from nsdesk.domain.errors import WorkbookRefusedError
from nsdesk.exchange.csv_reader import CsvLimits, read_csv

HEADER = "Participant;Signature;Ratification, Acceptance(A), Approval(AA), Accession(a)\r\n"
ROWS = "Côte d'Ivoire;;12 Mar 2012 a\r\nTürkiye;14 Sep 2005;24 Sep 2019\r\n"


def written(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("encoding", "prefix", "said"),
    [
        ("utf-8", b"", "utf-8"),
        ("utf-8", codecs.BOM_UTF8, "utf-8"),
        ("utf-16-le", codecs.BOM_UTF16_LE, "utf-16"),
        ("cp1252", b"", "windows-1252"),  # Excel's "CSV" on a European Windows
    ],
)
def test_the_encoding_is_detected_and_said(tmp_path, encoding, prefix, said):
    path = written(tmp_path, "list.csv", prefix + (HEADER + ROWS).encode(encoding))
    read = read_csv(path)
    assert (read.encoding, read.delimiter) == (said, ";")
    (sheet,) = read.workbook.sheets
    assert [row.values[0] for row in sheet.rows] == ["Participant", "Côte d'Ivoire", "Türkiye"]
    assert sheet.rows[1].values == ("Côte d'Ivoire", None, "12 Mar 2012 a")  # blank: None
    assert [row.number for row in sheet.rows] == [1, 2, 3]


def test_commas_tabs_and_quoted_line_breaks_are_read_as_written(tmp_path):
    text = 'State,Remarks\r\nNorway,"Declaration:\r\nnot bound by Art. 17(2)"\r\n'
    (sheet,) = read_csv(written(tmp_path, "a.csv", text.encode())).workbook.sheets
    assert sheet.rows[1].values == ("Norway", "Declaration:\r\nnot bound by Art. 17(2)")
    tabbed = read_csv(written(tmp_path, "b.tsv", b"State\tSignature\r\nChile\t2005-09-15\r\n"))
    assert tabbed.delimiter == "\t"
    assert tabbed.workbook.sheets[0].rows[1].values == ("Chile", "2005-09-15")


def test_nothing_in_a_cell_is_ever_evaluated(tmp_path):
    text = 'State,Signature\r\n"=HYPERLINK(""http://evil.invalid"",""x"")",+cmd|\' /C calc\'!A0\r\n'
    (sheet,) = read_csv(written(tmp_path, "f.csv", text.encode())).workbook.sheets
    assert sheet.rows[1].values == ('=HYPERLINK("http://evil.invalid","x")', "+cmd|' /C calc'!A0")
    assert sheet.formulas == frozenset()


def zipped() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "said"),
    [
        (b"", "empty"),
        (b"State,Date\x00\x01\x02\r\n", "not a text file"),
        (zipped(), r"a workbook \(\.xlsx\)"),
        (b"%PDF-1.7 ...", "a PDF document"),
        (bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 64, "legacy Excel workbook"),
        (b"\xff\xfe\x00\xd8", "UTF-16"),  # a BOM, then half a character
    ],
)
def test_what_is_not_a_text_table_is_refused_with_its_own_message(tmp_path, data, said):
    with pytest.raises(WorkbookRefusedError, match=said) as caught:
        read_csv(written(tmp_path, "list.csv", data))
    assert caught.value.path.name == "list.csv"


def test_size_rows_columns_and_cells_are_bounded_naming_the_line(tmp_path):
    limits = CsvLimits(max_file_bytes=10_000, max_rows=5, max_columns=4)
    big = written(tmp_path, "big.csv", b"a,b\r\n" * 3000)
    with pytest.raises(WorkbookRefusedError, match="more than the 0 MB"):
        read_csv(big, limits)
    many = written(tmp_path, "many.csv", b"a,b\r\n" * 6)
    with pytest.raises(WorkbookRefusedError, match="more than 5 rows") as rows:
        read_csv(many, limits)
    assert rows.value.where == "line 6"
    wide = written(tmp_path, "wide.csv", b"a,b\r\n1,2,3,4,5\r\n")
    with pytest.raises(WorkbookRefusedError, match="5 columns") as columns:
        read_csv(wide, limits)
    assert columns.value.where == "wide line 2"
    long_cell = written(tmp_path, "long.csv", b"a\r\n" + b"x" * 40_000 + b"\r\n")
    with pytest.raises(WorkbookRefusedError, match="more than a cell holds"):
        read_csv(long_cell)
    huge_field = written(tmp_path, "huge.csv", b'a\r\n"' + b"y" * 200_000 + b'"\r\n')
    with pytest.raises(WorkbookRefusedError, match="cannot be read as a table"):
        read_csv(huge_field)
