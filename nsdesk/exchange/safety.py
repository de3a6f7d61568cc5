"""The checks made on a workbook file before any parser sees it.

Why they exist (docs QUALITY.md, "Workbooks from outside"): measured here, a file
under one megabyte drove raw openpyxl past 1.8 GB of memory, or past a minute, before
it said anything. An ``.xlsx`` is a zip of XML parts, and a zip declares sizes that
nothing forces to be true. So nothing from outside reaches openpyxl or python-calamine
until :func:`check_workbook_file` has

1. looked at the file itself (there, a regular file, not empty, not too large);
2. looked at its leading bytes, so a legacy ``.xls``, a password-protected workbook
   (an OLE container), a CSV or web page renamed ``.xlsx`` each get their own message;
3. read the zip's table of contents (bounded in size before ``zipfile`` parses it)
   and refused what is not a workbook, or what would expand beyond sane bounds,
   from the declared sizes, before decompressing anything;
4. read every part through ``zipfile`` in 1 MiB chunks: ``zipfile`` stops at the
   declared size and checks the CRC, so a part that lies about its size, or was
   damaged, is refused here rather than inside a parser; a part padded with a
   megabyte of blank space (how a zip bomb is built; no spreadsheet program writes
   it) is refused too.

The bounds are absolute — so many bytes expanded, per part and in all — not a
compression ratio. A ratio says nothing about harm: a sheet formatted down to its
last row (a million ``<row s="3" customFormat="1"/>``, legal and what spreadsheet
habits produce) compresses four hundred to one and is 30 MB of sound XML, while a
zip that would expand to gigabytes is refused by its declared size whatever its
ratio. What a sound but large sheet costs to *read* is bounded by the reader
(:mod:`nsdesk.exchange.workbook_reader`), which stops after a run of empty rows.

Only the standard library is used for these checks. :func:`defusedxml_in_force`
imports openpyxl, to confirm before a workbook is read that it parses XML through
defusedxml (an environment variable, ``OPENPYXL_DEFUSEDXML``, can switch that off);
:func:`nsdesk.exchange.xml_protection.defusedxml_problem` answers the same question
for the start-up self-check without importing openpyxl.
"""

from __future__ import annotations

import codecs
import stat
import struct
import zipfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from nsdesk.domain.errors import WorkbookRefusedError

__all__ = ["DEFAULT_LIMITS", "ZipLimits", "check_workbook_file", "defusedxml_in_force"]

_MIB = 1 << 20
_CHUNK = _MIB
_HEAD_BYTES = 4096
_OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_ENCRYPTION_STREAMS = (
    "EncryptionInfo".encode("utf-16-le"),
    "EncryptedPackage".encode("utf-16-le"),
)
_BLANK = b" \t\r\n"  # XML's white space
# A table of contents (the zip's central directory) is read whole by ``zipfile``,
# one object per entry, before anything can be checked: a 50 MB file of empty
# entries costs hundreds of MB and many seconds. Its size is bounded first, at a
# generous kilobyte per allowed entry (Excel's entries take under a hundred bytes).
_DIRECTORY_BYTES_PER_ENTRY = 1024
_EOCD = struct.Struct("<4s4H2LH")  # end of central directory record
_EOCD64_LOCATOR = struct.Struct("<4sLQL")
_EOCD64 = struct.Struct("<4sQ2H2L4Q")
_CENTRAL_ENTRY = struct.Struct("<4s6H3L5H2L")
_EXCEL_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)

_AGAIN = "ask for it again"
_SAVE_AS_XLSX = "open it in Excel or LibreOffice and save it as an Excel workbook (.xlsx)"
_DAMAGED = (
    "the workbook is incomplete or damaged (the file was cut short, perhaps by an "
    f"interrupted download or e-mail): {_AGAIN}"
)
_PASSWORD = (
    "the workbook is protected by a password: open it in Excel, remove the password "
    "(File ▸ Info ▸ Protect Workbook), save it and import again"
)
_LEGACY_XLS = f"this is a legacy Excel 97–2003 workbook (.xls): {_SAVE_AS_XLSX}"
_HTML = (
    "this is a web page (HTML) saved with an .xlsx name, not a workbook (some systems "
    f'export "Excel" files this way): {_SAVE_AS_XLSX}'
)
_XML_2003 = (
    "this is an Excel 2003 XML spreadsheet saved with an .xlsx name, not a workbook: "
    f"{_SAVE_AS_XLSX}"
)
_XML = (
    "this is an XML file (perhaps a web page) saved with an .xlsx name, not a workbook: "
    f"{_SAVE_AS_XLSX}"
)
_CSV = (
    "this is a text file (CSV) renamed to .xlsx, not a workbook: open it in Excel or "
    "LibreOffice and save it as .xlsx"
)
_TEXT = (
    "this is a text file renamed to .xlsx, not a workbook: open it in Excel or "
    "LibreOffice and save it as .xlsx"
)
_NOT_WORKBOOK = (
    "this is not an Excel workbook (it does not start like one): check that this is the "
    "file you meant, or open it in the program that made it and save it as an Excel "
    "workbook (.xlsx)"
)


@dataclass(frozen=True, slots=True)
class ZipLimits:
    """Bounds a workbook from outside must stay within; all sizes in bytes."""

    max_file_bytes: int = 50 * 1024 * 1024  # the file on disk
    max_entries: int = 2_000
    max_entry_bytes: int = 200 * 1024 * 1024  # one member, uncompressed (declared)
    max_total_bytes: int = 400 * 1024 * 1024  # all members, uncompressed (declared)
    # The longest run of blank space (XML white space) a part may hold: padding is what
    # zip bombs are made of, while real XML has at most a line's indentation. Checked
    # exactly at and above the 1 MiB read chunk.
    max_blank_run: int = _MIB


DEFAULT_LIMITS = ZipLimits()


class _RefusedError(Exception):
    """Internal: carries the plain-language problem up to :func:`check_workbook_file`."""

    def __init__(self, problem: str):
        super().__init__(problem)
        self.problem = problem


def check_workbook_file(path: Path, limits: ZipLimits = DEFAULT_LIMITS) -> None:
    """Refuse (WorkbookRefusedError) what is not a sound .xlsx; return None when the file
    may be parsed.

    Nothing is decompressed before the declared sizes have been checked, and no
    part is ever held whole in memory: refusing a zip bomb costs milliseconds and
    well under a megabyte.
    """
    path = Path(path)
    try:
        size = _check_plain_file(path, limits)
        try:
            with path.open("rb") as file:
                head = file.read(_HEAD_BYTES)
                if head.startswith(_OLE_MAGIC):
                    raise _RefusedError(_PASSWORD if _ole_is_encrypted(file) else _LEGACY_XLS)
                if not head.startswith(_ZIP_MAGIC):
                    raise _RefusedError(_not_a_zip(head))
                _check_table_of_contents(file, size, limits)
            _check_zip(path, limits)
        except OSError as exc:
            raise _RefusedError(_unreadable(exc)) from exc
    except _RefusedError as refusal:
        raise WorkbookRefusedError(path, refusal.problem) from None


def defusedxml_in_force() -> bool:
    """Whether openpyxl parses XML through defusedxml (openpyxl.xml.DEFUSEDXML is True
    and defusedxml imports)."""
    # lazy: openpyxl (~0.1 s) only when a workbook is about to be read, and whether
    # these import at all is part of the answer
    try:
        import defusedxml  # noqa: F401
        import openpyxl.xml  # lazy: as said above the try
        from openpyxl.xml import functions
    except ImportError:
        return False
    # openpyxl reads sheets and shared strings with ``iterparse``: make sure the one
    # it actually imported is defusedxml's, not only that the flag says so.
    return openpyxl.xml.DEFUSEDXML is True and functions.iterparse.__module__.startswith(
        "defusedxml"
    )


# -- the file itself -------------------------------------------------------------------


def _check_plain_file(path: Path, limits: ZipLimits) -> int:
    try:
        status = path.stat()
    except FileNotFoundError:
        raise _RefusedError(
            "the file does not exist (it may have been moved, renamed or deleted): choose it again"
        ) from None
    except OSError as exc:
        raise _RefusedError(_unreadable(exc)) from None
    if stat.S_ISDIR(status.st_mode):
        raise _RefusedError("this is a folder, not a workbook: choose the workbook file inside it")
    if not stat.S_ISREG(status.st_mode):
        raise _RefusedError("this is not an ordinary file (a device or pipe): choose a workbook")
    if status.st_size == 0:
        raise _RefusedError(f"the file is empty (0 bytes), not a workbook: {_AGAIN}")
    if status.st_size > limits.max_file_bytes:
        raise _RefusedError(
            f"the file is {_size(status.st_size)}, more than the {_size(limits.max_file_bytes)} "
            "a workbook to import may be: ask for a smaller one (for instance without pictures, "
            "or one sheet at a time)"
        )
    return status.st_size


# -- leading bytes ---------------------------------------------------------------------


def _ole_is_encrypted(file: BinaryIO) -> bool:
    """Whether an OLE container holds Office's encryption streams (a password-protected
    .xlsx is stored that way). The stream names sit in the OLE directory as UTF-16-LE;
    the file is at most ``max_file_bytes`` and is read in chunks."""
    keep = max(len(name) for name in _OLE_ENCRYPTION_STREAMS) - 1
    file.seek(0)
    tail = b""
    while chunk := file.read(_CHUNK):
        window = tail + chunk
        if any(name in window for name in _OLE_ENCRYPTION_STREAMS):
            return True
        tail = window[-keep:]
    return False


def _not_a_zip(head: bytes) -> str:
    text = _as_text(head)
    if text is None:
        return _NOT_WORKBOOK
    lead = text.lstrip().lower()
    if lead.startswith(("<!doctype html", "<html", "<table")):
        return _HTML
    if lead.startswith("<?xml"):
        if "urn:schemas-microsoft-com:office:spreadsheet" in lead:
            return _XML_2003
        return _HTML if "<html" in lead else _XML
    if any(separator in text for separator in ",;\t"):
        return _CSV
    return _TEXT


def _as_text(head: bytes) -> str | None:
    """The leading bytes as text (UTF-16 with a byte-order mark, UTF-8 or cp1252), or
    None when they do not read as text. A character cut by the 4 KiB limit is fine."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings: Sequence[str] = ("utf-16",)  # Excel's "Unicode text" export
    elif b"\x00" in head:
        return None
    else:
        encodings = ("utf-8", "cp1252")
    for encoding in encodings:
        try:
            text = codecs.getincrementaldecoder(encoding)().decode(head, final=False)
        except UnicodeDecodeError:
            continue
        text = text.removeprefix("\ufeff")
        if any((ch < " " and ch not in "\t\n\r\f\x1a") or ch == "\x7f" for ch in text):
            return None
        return text
    return None


# -- the zip's table of contents, before zipfile reads it ------------------------------


def _check_table_of_contents(file: BinaryIO, size: int, limits: ZipLimits) -> None:
    """Find the central directory as ``zipfile`` will, bound its size, and count its
    entries, so that ``zipfile.ZipFile`` never builds more than ``max_entries`` of them."""
    tail_length = min(size, _EOCD.size + 0xFFFF)
    file.seek(size - tail_length)
    tail = file.read(tail_length)
    found = tail.rfind(b"PK\x05\x06")
    if found < 0 or found + _EOCD.size > len(tail):
        raise _RefusedError(_DAMAGED)  # no end record: the file was cut short
    _, _, _, _, declared_entries, directory_size, _, _ = _EOCD.unpack_from(tail, found)
    directory_end = size - tail_length + found
    if directory_end >= _EOCD64_LOCATOR.size:
        file.seek(directory_end - _EOCD64_LOCATOR.size)
        locator = file.read(_EOCD64_LOCATOR.size)
        if locator.startswith(b"PK\x06\x07"):
            record_at = directory_end - _EOCD64_LOCATOR.size - _EOCD64.size
            if record_at < 0:
                raise _RefusedError(_DAMAGED)
            file.seek(record_at)
            record = file.read(_EOCD64.size)
            if len(record) != _EOCD64.size or not record.startswith(b"PK\x06\x06"):
                raise _RefusedError(_DAMAGED)
            declared_entries, directory_size = _EOCD64.unpack(record)[7:9]
            directory_end = record_at
    directory_start = directory_end - directory_size
    if directory_start < 0:
        raise _RefusedError(_DAMAGED)
    if declared_entries > limits.max_entries:
        raise _RefusedError(_too_many_entries(declared_entries, limits))
    if directory_size > limits.max_entries * _DIRECTORY_BYTES_PER_ENTRY:
        raise _RefusedError(
            f"the workbook's table of contents is {_size(directory_size)}, far more than "
            f"a workbook of at most {limits.max_entries:,} parts needs: refused as unsafe"
        )
    file.seek(directory_start)
    directory = file.read(directory_size)
    entries, at = 0, 0
    while at < len(directory):
        if directory[at : at + 4] != b"PK\x01\x02" or at + _CENTRAL_ENTRY.size > len(directory):
            raise _RefusedError(_DAMAGED)
        fields = _CENTRAL_ENTRY.unpack_from(directory, at)
        at += _CENTRAL_ENTRY.size + fields[10] + fields[11] + fields[12]
        entries += 1
        if entries > limits.max_entries:
            raise _RefusedError(_too_many_entries(entries, limits, at_least=True))


# -- the zip, through zipfile ----------------------------------------------------------


def _check_zip(path: Path, limits: ZipLimits) -> None:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, ValueError, EOFError, NotImplementedError):
        raise _RefusedError(_DAMAGED) from None
    with archive:
        members = archive.infolist()
        names = [member.filename for member in members]
        if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
            raise _RefusedError(_not_a_workbook_zip(names))
        _check_declared(members, limits)
        for member in members:
            _read_through(archive, member, limits)


def _check_declared(members: list[zipfile.ZipInfo], limits: ZipLimits) -> None:
    if len(members) > limits.max_entries:
        raise _RefusedError(_too_many_entries(len(members), limits))
    seen: set[str] = set()
    for member in members:
        if member.filename in seen:
            raise _RefusedError(
                f"the workbook is damaged or was tampered with (it holds two parts named "
                f"{_shown(member.filename)}, which Excel never writes): {_AGAIN}"
            )
        seen.add(member.filename)
    total = sum(member.file_size for member in members)
    for member in members:
        if member.file_size > limits.max_entry_bytes:
            raise _RefusedError(
                _expands(
                    total,
                    f"member {_shown(member.filename)} alone is {_size(member.file_size)}, "
                    f"over the {_size(limits.max_entry_bytes)} limit",
                )
            )
    if total > limits.max_total_bytes:
        raise _RefusedError(_expands(total, f"over the {_size(limits.max_total_bytes)} limit"))
    for member in members:
        if member.flag_bits & 0x1:
            raise _RefusedError(
                f"the workbook's parts are locked with a zip password (part "
                f"{_shown(member.filename)}), which Excel never does: {_SAVE_AS_XLSX}"
            )
        if member.compress_type not in _EXCEL_METHODS:
            raise _RefusedError(
                f"the workbook was packed with a compression Excel does not use (method "
                f"{member.compress_type}, part {_shown(member.filename)}): {_SAVE_AS_XLSX}"
            )


def _read_through(archive: zipfile.ZipFile, member: zipfile.ZipInfo, limits: ZipLimits) -> None:
    """Decompress one part in chunks and drop them. ``zipfile`` stops at the declared
    size and checks the CRC at the end: a part that lies or was damaged raises. On the
    way, the blank space at the edges of the chunks is measured: a run longer than a
    chunk always spans an edge, so a run over ``max_blank_run`` (at least a chunk) is
    found exactly, at the cost of two strips a chunk."""
    if member.is_dir():
        return
    run = 0  # blank bytes up to the end of the chunk read last
    try:
        with archive.open(member) as stream:
            while chunk := stream.read(_CHUNK):
                rest = chunk.lstrip(_BLANK)
                run += len(chunk) - len(rest)
                if run > limits.max_blank_run:
                    raise _RefusedError(_padded(member, limits))
                if rest:
                    run = len(rest) - len(rest.rstrip(_BLANK))
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, NotImplementedError):
        raise _RefusedError(
            f"the workbook is incomplete or damaged (its part {_shown(member.filename)} does "
            f"not read back as it was written; perhaps the download or e-mail was "
            f"interrupted): {_AGAIN}"
        ) from None


# -- messages --------------------------------------------------------------------------


def _not_a_workbook_zip(names: list[str]) -> str:
    opening = "this is a zip archive, not an Excel workbook: it holds"
    if "xl/workbook.bin" in names:
        return f"{opening} an Excel binary workbook (.xlsb): {_SAVE_AS_XLSX}"
    if "word/document.xml" in names:
        return f"{opening} a Word document (.docx), not a workbook: choose the workbook"
    if "ppt/presentation.xml" in names:
        return f"{opening} a PowerPoint presentation (.pptx), not a workbook: choose the workbook"
    if "content.xml" in names and "META-INF/manifest.xml" in names:
        return f"{opening} an OpenDocument file (such as a LibreOffice .ods): {_SAVE_AS_XLSX}"
    files = [name for name in names if not name.endswith("/")]
    if not files:
        return f"{opening} nothing: choose the workbook"
    shown = ", ".join(_shown(name) for name in files[:3])
    more = f" and {len(files) - 3:,} other files" if len(files) > 3 else ""
    return (
        f"{opening} {shown}{more} and no workbook: if a workbook is inside, extract it and "
        "import that file"
    )


def _unreadable(exc: OSError) -> str:
    return (
        f"the file cannot be read ({exc.strerror or exc}): copy it into one of your own "
        "folders and import the copy"
    )


def _too_many_entries(count: int, limits: ZipLimits, *, at_least: bool = False) -> str:
    counted = f"at least {count:,}" if at_least else f"{count:,}"
    return (
        f"the workbook holds {counted} parts, more than the {limits.max_entries:,} a workbook "
        "may hold (Excel writes a few dozen): refused as unsafe"
    )


def _expands(total: int, detail: str) -> str:
    return f"the workbook would expand to {_size(total)} when opened ({detail}): refused as unsafe"


def _padded(member: zipfile.ZipInfo, limits: ZipLimits) -> str:
    return (
        f"the workbook's part {_shown(member.filename)} holds more than "
        f"{_size(limits.max_blank_run)} of nothing but blank space, which no spreadsheet "
        "program writes (it is how zip bombs are padded): refused as unsafe"
    )


def _size(count: int) -> str:
    """A byte count as people read it: 812 bytes, 3.4 KB, 300 MB, 1.2 GB."""
    if count < 1024:
        return f"{count} byte" if count == 1 else f"{count} bytes"
    value = float(count)
    for unit in ("KB", "MB", "GB", "TB"):
        value /= 1024
        if value < 1024 or unit == "TB":
            return f"{value:.1f} {unit}" if value < 10 else f"{value:,.0f} {unit}"
    raise AssertionError("unreachable")  # pragma: no cover


def _shown(name: str, limit: int = 80) -> str:
    """A part name safe to show: no control characters, no endless names."""
    clean = "".join(ch if ch.isprintable() else "?" for ch in name)
    return clean if len(clean) <= limit else clean[: limit - 1] + "…"
