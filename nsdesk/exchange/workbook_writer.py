"""A :class:`~nsdesk.exchange.model.WorkbookPlan` in, an ``.xlsx`` file out.

Written with openpyxl's write-only mode (rows stream to the file, memory stays
flat for a register of any size). Formatting is for people: a marking banner
above every register, the marking in every page header and footer, frozen and
filtered headers, widths, dates as dates, and a drop-down list on every
enumerated column (the lists live on a hidden sheet, so long lists such as
agencies are not cut at Excel's 255-character limit for inline lists). A sheet
marked ``protected`` leaves only its editable columns unlocked.

The file is written under a temporary name in the target folder and renamed
into place once whole: a crash or a cancel never leaves half a workbook under
the name the user chose. Both are readable by their owner only. User text in
cells goes by the rule every output shares (:mod:`nsdesk.domain.text`), and in print
headers and footers, where ``&`` starts a code, it is escaped.
"""

from __future__ import annotations

import contextlib
import json
import os
import unicodedata
from collections.abc import Callable
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation

from nsdesk.domain.dates import PartialDate
from nsdesk.domain.errors import NsdeskError
from nsdesk.domain.private_files import open_private_file
from nsdesk.domain.text import strip_hidden
from nsdesk.exchange.cells import CellTooLongError, clean_text, needs_string_type
from nsdesk.exchange.model import (
    FIRST_DATA_ROW,
    HEADER_ROW,
    LISTS_SHEET,
    META_SHEET,
    ColumnKind,
    SheetPlan,
    WorkbookPlan,
    WriteResult,
)
from nsdesk.locations import exports_dir

ProgressReport = Callable[[int], None]
"""Called with the number of rows written so far; may raise to cancel."""

_PROGRESS_EVERY = 500
_LINE_HEIGHT = 13.5  # points, one line of the style's 10-point font
_SPARE_VALIDATION_ROWS = 1_000  # drop-downs reach below the data, for rows a user adds


class CellTextTooLongError(NsdeskError):
    """A text would be cut by the workbook format; nothing is written."""

    def __init__(self, sheet: str, row_key: str, header: str, length: int):
        self.sheet, self.row_key, self.header, self.length = sheet, row_key, header, length
        super().__init__(
            f"{sheet}, {row_key}, {header}: {length:,} characters, more than a workbook "
            f"cell holds (32,767); shorten it in the desk before exporting"
        )


@cache
def load_workbook_style() -> dict[str, Any]:
    """The workbook look (``exports/workbook/style.json``)."""
    with (exports_dir() / "workbook" / "style.json").open(encoding="utf-8") as handle:
        return json.load(handle)


class _Styles:
    """The few cell styles every workbook uses, built once per workbook."""

    def __init__(self, style: dict[str, Any]):
        font, size = style["font"], style["font_size"]
        self.banner_font = Font(
            name=font, size=style["banner_size"], bold=True, color=style["banner_font_colour"]
        )
        self.banner_fill = PatternFill("solid", fgColor=style["banner_fill"])
        self.header_font = Font(name=font, size=size, bold=True, color=style["header_font_colour"])
        self.header_fill = PatternFill("solid", fgColor=style["header_fill"])
        self.editable_fill = PatternFill("solid", fgColor=style["editable_fill"])
        self.id_font = Font(name=font, size=size - 1, color=style["id_font_colour"])
        self.title_font = Font(name=font, size=14, bold=True)
        self.wrap = Alignment(wrap_text=True, vertical="top")
        self.left = Alignment(horizontal="left")
        self.top_left = Alignment(horizontal="left", vertical="top")
        self.unlocked = Protection(locked=False)
        self.date_format = style["date_format"]
        self.widths: dict[str, float] = style["widths"]
        self.instructions_width: float = style["instructions_width"]


class _SheetWriter:
    """Writes one register sheet's rows, counting what had to be replaced."""

    def __init__(self, ws: Any, plan: SheetPlan, styles: _Styles):
        self.ws, self.plan, self.styles = ws, plan, styles
        self.replaced = 0
        editable = [c.editable and plan.protected for c in plan.columns]
        self._editable = editable
        self._kinds = [c.kind for c in plan.columns]
        # A return is read on screen and printed: its texts wrap. A register is
        # large and filtered: its cells stay one line (and fast to write).
        self.wrapped = [
            plan.protected and c.kind in (ColumnKind.TEXT, ColumnKind.LONG_TEXT)
            for c in plan.columns
        ]

    def value_cell(self, column: int, value: Any, row_key: str) -> Any:
        kind = self._kinds[column]
        if isinstance(value, PartialDate):
            exact = value.as_date()
            value = exact if exact is not None else str(value)
        string_typed = False
        if isinstance(value, str):
            try:
                value, replaced = clean_text(value)
            except CellTooLongError as error:
                raise CellTextTooLongError(
                    self.plan.name, row_key, self.plan.columns[column].header, error.length
                ) from None
            self.replaced += replaced
            string_typed = needs_string_type(value)
        # A return is small and printed: every cell is styled. A register is large:
        # only the text that must be typed as text is; openpyxl gives a date value
        # its date format itself.
        if not (self.plan.protected or string_typed):
            return value
        cell = WriteOnlyCell(self.ws, value=value)
        if string_typed:
            cell.data_type = "s"  # text, never a formula or an error literal
        if isinstance(value, date | datetime):
            cell.number_format = self.styles.date_format
            cell.alignment = self.styles.left  # like the months and years written as text
        if self._editable[column]:
            cell.protection = self.styles.unlocked
            cell.fill = self.styles.editable_fill
        if kind is ColumnKind.ID:
            cell.font = self.styles.id_font
        if self.wrapped[column]:
            cell.alignment = self.styles.wrap
        elif self.plan.protected:
            cell.alignment = self.styles.top_left  # level with the wrapped texts
        return cell


# Excel refuses a header or footer longer than this (the codes included).
_HEADER_FOOTER_LIMIT = 255


def header_footer_text(text: str) -> str:
    """``text`` as it must be put into a print header or footer to print literally.

    Header and footer strings are code-bearing (``&D`` prints the date, ``&C`` starts
    the centre section, ``&"Arial,Bold"&14`` changes the font): ``&`` is doubled, so
    ``Ministry of R&D`` prints as written and ``&C PUBLIC`` cannot print a second,
    false marking. Hidden characters go by the rule every output shares; line breaks
    and other controls become spaces (a header is one line).
    """
    cleaned = strip_hidden(text)
    cleaned = "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in cleaned)
    return " ".join(cleaned.split()).replace("&", "&&")


def _set_page(ws: Any, marking: str, title: str) -> None:
    """The marking in every page's header and footer; landscape, fitted to width.

    The marking and the title are user text (the desk's marking labels, an agency's
    name): they go through :func:`header_footer_text`. A title too long for a header
    is shortened there (it is whole on the sheet's banner and instructions)."""
    marking_code = header_footer_text(marking)
    title_code = header_footer_text(title)
    # &L&C&R, the bold-font code and the footer's own codes take the rest.
    room = _HEADER_FOOTER_LIMIT - len(marking_code) - 40
    if len(title_code) > room:
        title_code = header_footer_text(_shortened(title, room))
    for part in (ws.oddHeader, ws.evenHeader, ws.firstHeader):
        part.center.text = marking_code
        part.center.font = "-,Bold"  # the sheet's font, bold
        part.right.text = title_code
    for part in (ws.oddFooter, ws.evenFooter, ws.firstFooter):
        part.center.text = marking_code
        part.center.font = "-,Bold"
        part.left.text = "&A"  # the sheet's name: our own code
        part.right.text = "Page &P of &N"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _shortened(text: str, room: int) -> str:
    """The longest start of ``text`` that, escaped and with an ellipsis, fits ``room``."""
    cut = len(text)
    while cut > 0 and len(header_footer_text(text[:cut])) + 1 > room:
        cut -= 1
    return text[:cut].rstrip() + "…"


def _plain(text: str) -> str:
    """Text of nsdesk's own making that quotes user text (a title naming an agency),
    cleaned as every cell is."""
    return clean_text(text)[0]


def _banner(ws: Any, text: str, width: int, styles: _Styles) -> list[Any]:
    text = _plain(text)
    cells = []
    for column in range(width):
        cell = WriteOnlyCell(ws, value=text if column == 0 else None)
        if column == 0 and needs_string_type(text):
            cell.data_type = "s"
        cell.font = styles.banner_font
        cell.fill = styles.banner_fill
        cells.append(cell)
    return cells


class _Lists:
    """The hidden sheet of drop-down lists: one column per distinct list."""

    def __init__(self) -> None:
        self.columns: dict[tuple[str, ...], int] = {}

    def reference(self, choices: tuple[str, ...]) -> str:
        index = self.columns.setdefault(choices, len(self.columns) + 1)
        letter = get_column_letter(index)
        return f"'{LISTS_SHEET}'!${letter}$1:${letter}${len(choices)}"

    def write(self, wb: Workbook) -> None:
        ws = wb.create_sheet(LISTS_SHEET)
        ws.sheet_state = "hidden"
        lists = list(self.columns)
        for row in range(max((len(c) for c in lists), default=0)):
            ws.append([c[row] if row < len(c) else None for c in lists])


def _write_register(
    wb: Workbook,
    plan: SheetPlan,
    workbook: WorkbookPlan,
    styles: _Styles,
    lists: _Lists,
    progress: ProgressReport | None,
    written: int,
) -> tuple[int, int]:
    ws = wb.create_sheet(plan.name)
    width = len(plan.columns)
    last_letter = get_column_letter(width)
    for index, column in enumerate(plan.columns, start=1):
        dimension = ws.column_dimensions[get_column_letter(index)]
        dimension.width = column.width or styles.widths.get(column.kind.value, 20)
        # The record id tells the import which record a row is: kept out of sight
        # (and out of print), so nobody types over it.
        dimension.hidden = column.kind is ColumnKind.ID
    ws.freeze_panes = f"B{FIRST_DATA_ROW}"
    _set_page(ws, workbook.marking, plan.title)
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    last_row = HEADER_ROW + len(plan.rows)
    ws.auto_filter.ref = f"A{HEADER_ROW}:{last_letter}{max(last_row, HEADER_ROW + 1)}"
    _add_validations(ws, plan, lists, last_row)
    if plan.protected:
        ws.protection.sheet = True
        ws.protection.autoFilter = False  # filtering stays allowed
        ws.protection.formatColumns = False
        ws.protection.formatRows = False

    banner = "  ·  ".join(
        part for part in (workbook.marking.upper(), plan.title, workbook.withheld_note) if part
    )
    ws.append(_banner(ws, banner, width, styles))
    ws.row_dimensions[HEADER_ROW].height = 2 * _LINE_HEIGHT  # headers wrap onto two lines
    header = []
    for column in plan.columns:
        cell = WriteOnlyCell(ws, value=column.header)
        cell.font = styles.header_font
        cell.fill = styles.header_fill
        cell.alignment = styles.wrap
        header.append(cell)
    ws.append(header)

    sheet_writer = _SheetWriter(ws, plan, styles)
    convert = sheet_writer.value_cell
    widths = [ws.column_dimensions[get_column_letter(i + 1)].width for i in range(width)]
    for number, row in enumerate(plan.rows, start=FIRST_DATA_ROW):
        key = str(row[0]) if row and row[0] is not None else "a new row"
        if plan.protected:
            # Spreadsheets do not grow a row to fit wrapped text they did not lay
            # out themselves (LibreOffice keeps the default height): say it.
            lines = _lines_needed(row, widths, sheet_writer.wrapped)
            if lines > 1:
                ws.row_dimensions[number].height = lines * _LINE_HEIGHT
        ws.append([convert(i, value, key) for i, value in enumerate(row)])
        written += 1
        if progress is not None and written % _PROGRESS_EVERY == 0:
            progress(written)
    return written, sheet_writer.replaced


def _lines_needed(row: Any, widths: list[float], wrapped: list[bool]) -> int:
    lines = 1
    for value, column_width, wraps in zip(row, widths, wrapped, strict=False):
        if wraps and isinstance(value, str) and value:
            per_line = max(int(column_width * 1.1), 8)
            needed = sum(max(1, -(-len(part) // per_line)) for part in value.split("\n"))
            lines = max(lines, needed)
    return min(lines, 15)


def _add_validations(ws: Any, plan: SheetPlan, lists: _Lists, last_row: int) -> None:
    """A drop-down on every enumerated column, and a column's note shown as the
    message a spreadsheet displays when one of its cells is selected."""
    bottom = last_row if plan.protected else last_row + _SPARE_VALIDATION_ROWS
    for index, column in enumerate(plan.columns, start=1):
        is_list = column.kind is ColumnKind.CHOICE and bool(column.choices)
        if not is_list and not column.note:
            continue
        letter = get_column_letter(index)
        validation = DataValidation(
            type="list" if is_list else None,
            formula1=lists.reference(column.choices) if is_list else None,
            allow_blank=True,
            showErrorMessage=is_list,
            errorTitle=column.header if is_list else None,
            error=f"Choose a value from the list for {column.header}." if is_list else None,
            showInputMessage=bool(column.note),
            promptTitle=column.header if column.note else None,
            prompt=column.note or None,
        )
        validation.add(f"{letter}{FIRST_DATA_ROW}:{letter}{max(bottom, FIRST_DATA_ROW)}")
        ws.data_validations.append(validation)  # write-only sheets lack add_data_validation


def _write_instructions(wb: Workbook, plan: WorkbookPlan, styles: _Styles) -> None:
    ws = wb.create_sheet("Instructions")
    ws.column_dimensions["A"].width = styles.instructions_width
    _set_page(ws, plan.marking, plan.instructions_title)
    banner = "  ·  ".join(part for part in (plan.marking.upper(), plan.withheld_note) if part)
    ws.append(_banner(ws, banner, 1, styles))
    title_text = _plain(plan.instructions_title)
    title = WriteOnlyCell(ws, value=title_text)
    if needs_string_type(title_text):
        title.data_type = "s"
    title.font = styles.title_font
    ws.append([title])
    ws.row_dimensions[2].height = 22  # the title's larger font
    for number, paragraph in enumerate(plan.instructions, start=3):
        text, _ = clean_text(paragraph)
        lines = _lines_needed([text], [styles.instructions_width], [True])
        ws.row_dimensions[number].height = lines * _LINE_HEIGHT + 3
        cell = WriteOnlyCell(ws, value=text)
        cell.alignment = styles.wrap
        if needs_string_type(text):
            cell.data_type = "s"
        ws.append([cell])
    if any(sheet.protected for sheet in plan.sheets):
        ws.protection.sheet = True


def _write_metadata(wb: Workbook, plan: WorkbookPlan) -> None:
    # The plan's fingerprints stay out of the file: the desk records them with the
    # export, and an import believes that record, not a sheet anyone can edit.
    meta = wb.create_sheet(META_SHEET)
    meta.sheet_state = "hidden"
    for key, value in plan.metadata.items():
        meta.append([key, _as_string_cell(meta, value)])


def _as_string_cell(ws: Any, value: str) -> Any:
    if not needs_string_type(value):
        return value
    cell = WriteOnlyCell(ws, value=value)
    cell.data_type = "s"
    return cell


def _discard(wb: Workbook) -> None:
    """Close the sheets' row streams and remove their temporary files now: left to
    the garbage collector, a half-written sheet's stream fails noisily later."""
    for ws in wb.worksheets:
        rows, writer = getattr(ws, "_rows", None), getattr(ws, "_writer", None)
        with contextlib.suppress(Exception):
            if rows is not None:
                rows.close()
        with contextlib.suppress(Exception):
            if writer is not None:
                writer.close()
                writer.cleanup()


def _write(plan: WorkbookPlan, stream: Any, progress: ProgressReport | None) -> tuple[int, int]:
    """Write ``plan`` as a workbook into ``stream``; the rows written and the
    characters replaced."""
    styles = _Styles(load_workbook_style())
    wb = Workbook(write_only=True)
    wb.properties.title = _plain(plan.title)
    wb.properties.creator = _plain(plan.author) or "nsdesk"
    wb.properties.keywords = _plain(plan.marking)
    wb.properties.subject = _plain(plan.instructions_title)
    if any(sheet.protected for sheet in plan.sheets):
        wb.security = WorkbookProtection(lockStructure=True)
    lists = _Lists()
    written = replaced = 0
    try:
        _write_instructions(wb, plan, styles)
        for sheet in plan.sheets:
            written, sheet_replaced = _write_register(
                wb, sheet, plan, styles, lists, progress, written
            )
            replaced += sheet_replaced
        lists.write(wb)
        _write_metadata(wb, plan)
        wb.save(stream)
    except BaseException:
        _discard(wb)  # a failed save too: close the sheets' streams now
        raise
    return written, replaced


def write_workbook(
    plan: WorkbookPlan, path: Path, progress: ProgressReport | None = None
) -> WriteResult:
    """Write ``plan`` to ``path`` (temporary name, then renamed into place), readable
    by its owner only.

    Raises :class:`CellTextTooLongError` (nothing written) when a text would not
    fit a cell; ``progress`` may raise to cancel, which also leaves nothing."""
    path = Path(path)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.partial")
    temporary.unlink(missing_ok=True)  # left by a crashed run that had this process id
    # Made first, owner-only: a folder that cannot be written is said before any
    # work, and the file is never readable by others, not even while half-written.
    stream = open_private_file(temporary)
    try:
        with stream:
            written, replaced = _write(plan, stream, progress)
        os.replace(temporary, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
    return WriteResult(rows=written, replaced_characters=replaced)
