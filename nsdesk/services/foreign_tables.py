"""Tables nsdesk did not write: a ministry's own tracker, a depositary's list.

Their columns are mapped to fields — by header synonyms at first ("Statut",
"Progress", "Deadline"…), then as the user corrects the mapping — and the
mapping is remembered per source (the layout of its header row), so next
month's tracker from the same ministry imports without asking again. Rows are
matched to commitments by their Ref; without the export's fingerprints there
are no conflicts to detect, and a blank cell never clears a value.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from sqlalchemy import func, select

from nsdesk.domain.errors import WorkbookRefusedError
from nsdesk.exchange.model import ReadSheet, ReadWorkbook
from nsdesk.services.audience import Audience
from nsdesk.services.audience_view import AudienceView
from nsdesk.services.desk import Desk
from nsdesk.services.exchange_import import (
    FOREIGN,
    HeaderMatch,
    ImportPreview,
    Vocabulary,
    _Collector,
    compare_sheet,
    desk_records,
    file_sha256,
    fold_header,
    match_header,
    read_checked,
)
from nsdesk.services.exchange_sheets import (
    RETURN_COMMITMENTS,
    ExportScope,
    SheetSpec,
)
from nsdesk.services.progress import Progress
from nsdesk.store import tables as t

#: What a foreign table's columns can be mapped to: a commitment's Ref (to find it)
#: and the fields a ministry reports on.
FOREIGN_PROGRESS = SheetSpec(
    "Foreign table",
    "Progress from a table nsdesk did not write",
    "commitment",
    "ref",
    tuple(c for c in RETURN_COMMITMENTS.columns if c.key not in ("record_id", "last_update")),
    RETURN_COMMITMENTS.load,
)
IGNORE = ""
"""The mapping value of a column that is not imported."""


@dataclass(frozen=True, slots=True)
class ForeignTable:
    """A foreign table's header, and the mapping proposed for it."""

    sheet: str
    header_row: int
    headers: tuple[str, ...]
    source_key: str
    mapping: Mapping[str, str]  # header -> field key ("" = ignored)
    remembered: bool

    @staticmethod
    def fields() -> tuple[tuple[str, str], ...]:
        """The fields a column can be mapped to: (key, header)."""
        return tuple((c.key, c.header) for c in FOREIGN_PROGRESS.columns)


def _table_sheet(workbook: ReadWorkbook, path: Path) -> ReadSheet:
    for sheet in workbook.sheets:
        if sheet.visible and len(sheet.rows) >= 2:
            return sheet
    raise WorkbookRefusedError(path, "no sheet of the workbook holds a table (a header and rows)")


def _header_row(sheet: ReadSheet) -> tuple[int, tuple[str, ...]]:
    for row in sheet.rows[:12]:
        texts = [v for v in row.values if isinstance(v, str) and v.strip()]
        if len(texts) >= 2:
            return row.number, tuple("" if v is None else str(v).strip() for v in row.values)
    return sheet.rows[0].number, tuple("" if v is None else str(v) for v in sheet.rows[0].values)


def source_key(headers: tuple[str, ...]) -> str:
    """The key a mapping is remembered under: the layout of the header row."""
    folded = "|".join(fold_header(h) for h in headers)
    return "headers:" + hashlib.sha256(folded.encode("utf-8")).hexdigest()[:32]


def suggest_mapping(sheet: ReadSheet, header_row: int, headers: tuple[str, ...]) -> dict[str, str]:
    match = match_header(sheet, FOREIGN_PROGRESS, header_row)
    mapping = {h: IGNORE for h in headers if h}
    if match is not None:
        for key, index in match.columns.items():
            mapping[headers[index]] = key
    return mapping


def remembered_mapping(desk: Desk, key: str) -> dict[str, str] | None:
    with desk.connect() as connection:
        found = connection.execute(
            select(t.column_mapping.c.mapping).where(t.column_mapping.c.source_key == key)
        ).scalar()
    return dict(found) if found else None


def inspect_table(desk: Desk, path: Path, workbook: ReadWorkbook | None = None) -> ForeignTable:
    """The header of the foreign table in ``path`` and the mapping to propose."""
    workbook = workbook or read_checked(path)
    sheet = _table_sheet(workbook, Path(path))
    header_row, headers = _header_row(sheet)
    key = source_key(headers)
    remembered = remembered_mapping(desk, key)
    mapping = remembered or suggest_mapping(sheet, header_row, headers)
    return ForeignTable(sheet.name, header_row, headers, key, mapping, remembered is not None)


def preview_foreign(
    desk: Desk,
    path: Path,
    workbook: ReadWorkbook,
    *,
    mapping: Mapping[str, str] | None = None,
    progress: Progress | None = None,
) -> ImportPreview:
    """What a foreign table would change, through ``mapping`` (or the one proposed)."""
    path = Path(path)
    table = inspect_table(desk, path, workbook)
    mapping = dict(mapping) if mapping is not None else dict(table.mapping)
    sheet = workbook.sheet(table.sheet)
    assert sheet is not None
    match = HeaderMatch(table.header_row)
    for index, header in enumerate(table.headers):
        key = mapping.get(header, IGNORE)
        if not key:
            continue
        if key in match.columns:
            match.duplicates.append((index, header))
        else:
            match.columns[key] = index
    collector = _Collector(path)
    if "ref" not in match.columns:
        collector.refuse(
            f"{sheet.name}!{table.header_row}:{table.header_row}",
            "Ref",
            None,
            "no column is mapped to Ref, so rows cannot be matched to commitments; "
            "map the column that holds the commitment refs (C-0001…)",
        )
    info = desk.info()
    audience = Audience(info.marking, info.marking.codes[-1])
    with desk.connect() as connection:
        desk_mark = connection.execute(select(func.max(t.audit_entry.c.id))).scalar() or 0
        scope = ExportScope(AudienceView(connection, info, audience))
        vocabulary = Vocabulary({c.casefold(): c for c in scope.agencies.values()}, info.marking)
        if "ref" in match.columns:
            if progress is not None:
                progress.report(2, 4, "Comparing with the desk")
            current = desk_records(connection, FOREIGN_PROGRESS, scope)
            compare_sheet(
                collector,
                sheet,
                FOREIGN_PROGRESS,
                current,
                vocabulary,
                workbook.date1904,
                {},
                creates=False,
                blank_means_keep=True,
                header=match,
            )
    preview = ImportPreview(
        path=path,
        sha256=file_sha256(path),
        kind=FOREIGN,
        agency=None,
        export_id=None,
        records=tuple(collector.records),
        refused=tuple(collector.refused),
        notes=tuple(collector.notes),
        desk_mark=desk_mark,
        rows_read=collector.rows_read,
        mapping_source=table.source_key,
    )
    return replace(preview, mapping=tuple(sorted(mapping.items())))
