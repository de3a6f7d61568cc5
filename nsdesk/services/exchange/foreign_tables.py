"""Tables nsdesk did not write: a ministry's own tracker, a depositary's list.

Their columns are mapped to fields — by header synonyms at first ("Statut",
"Progress", "Deadline"…), then as the user corrects the mapping — and the
mapping is remembered per source (the layout of its header row), so next
month's tracker from the same ministry imports without asking again. Rows are
matched to commitments by their Ref; without the export's fingerprints there
are no conflicts to detect, and a blank cell never clears a value.

A foreign table reaches only the commitments marked at most the desk's default
marking, unless the user explicitly chooses a higher ceiling for it. A return
the desk has no record of sending (sent before nsdesk recorded its exports, or
whose export id was altered) is read by the same rules and further limited to
the commitments led by the ministry it names, within the default marking: it
can never reach further than a return the desk did record.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Connection, func, select

from nsdesk.domain.errors import WorkbookRefusedError
from nsdesk.exchange.model import ReadSheet, ReadWorkbook
from nsdesk.services.audience.ceiling import Audience
from nsdesk.services.audience.view import AudienceView
from nsdesk.services.desk import Desk, DeskInfo
from nsdesk.services.exchange.cell_values import Vocabulary
from nsdesk.services.exchange.changes import Collector, ImportPreview
from nsdesk.services.exchange.compare import compare_sheet
from nsdesk.services.exchange.compare_context import (
    Reach,
    SheetContext,
    desk_mark,
    desk_records,
)
from nsdesk.services.exchange.depositary import (
    depositary_source_key,
    suggest_depositary_mapping,
)
from nsdesk.services.exchange.export_records import file_sha256
from nsdesk.services.exchange.headers import (
    HEADER_SEARCH_ROWS,
    HeaderMatch,
    fold_header,
    match_header,
)
from nsdesk.services.exchange.reading import read_table
from nsdesk.services.exchange.sheet_specs import ExportScope, SheetSpec
from nsdesk.services.exchange.sheets import FOREIGN, RETURN, RETURN_COMMITMENTS
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
    #: The mapping proposed if the table is read as a depositary's list (participation)
    #: and whether it is the one used last time for this layout.
    participation_mapping: Mapping[str, str] = field(default_factory=dict)
    participation_remembered: bool = False

    @staticmethod
    def fields() -> tuple[tuple[str, str], ...]:
        """The fields a column can be mapped to: (key, header)."""
        return tuple((c.key, c.header) for c in FOREIGN_PROGRESS.columns)


def _table_sheet(workbook: ReadWorkbook, path: Path) -> ReadSheet:
    """The sheet holding the table: the first visible one with a header and a row."""
    for sheet in workbook.sheets:
        if sheet.visible and len(sheet.rows) >= 2:
            return sheet
    raise WorkbookRefusedError(path, "no sheet of the workbook holds a table (a header and rows)")


def _header_row(sheet: ReadSheet) -> tuple[int, tuple[str, ...]]:
    """The header row's number and texts: the first of the top rows naming two columns."""
    for row in sheet.rows[:HEADER_SEARCH_ROWS]:
        texts = [v for v in row.values if isinstance(v, str) and v.strip()]
        if len(texts) >= 2:
            return row.number, tuple("" if v is None else str(v).strip() for v in row.values)
    return sheet.rows[0].number, tuple("" if v is None else str(v) for v in sheet.rows[0].values)


def source_key(headers: tuple[str, ...]) -> str:
    """The key a mapping is remembered under: the layout of the header row."""
    folded = "|".join(fold_header(h) for h in headers)
    return "headers:" + hashlib.sha256(folded.encode("utf-8")).hexdigest()[:32]


def suggest_mapping(sheet: ReadSheet, header_row: int, headers: tuple[str, ...]) -> dict[str, str]:
    """The mapping proposed for a table never seen before: each header matched, by name
    or synonym, to a field it can fill; the others ignored."""
    match = match_header(sheet, FOREIGN_PROGRESS, header_row)
    mapping = {h: IGNORE for h in headers if h}
    if match is not None:
        for key, index in match.columns.items():
            mapping[headers[index]] = key
    return mapping


def remembered_mapping(desk: Desk, key: str) -> dict[str, str] | None:
    """The mapping last applied to a table of the layout ``key``, or None."""
    with desk.connect() as connection:
        found = connection.execute(
            select(t.column_mapping.c.mapping).where(t.column_mapping.c.source_key == key)
        ).scalar()
    return dict(found) if found else None


def inspect_table(desk: Desk, path: Path, workbook: ReadWorkbook | None = None) -> ForeignTable:
    """The header of the foreign table in ``path`` and the mapping to propose."""
    workbook = workbook or read_table(path)
    sheet = _table_sheet(workbook, Path(path))
    header_row, headers = _header_row(sheet)
    key = source_key(headers)
    remembered = remembered_mapping(desk, key)
    mapping = remembered or suggest_mapping(sheet, header_row, headers)
    as_list = remembered_mapping(desk, depositary_source_key(headers))
    return ForeignTable(
        sheet.name,
        header_row,
        headers,
        key,
        mapping,
        remembered is not None,
        as_list or suggest_depositary_mapping(headers),
        as_list is not None,
    )


def foreign_audience(info: DeskInfo, ceiling: str | None) -> Audience:
    """The ceiling of a table nsdesk did not write: the desk's default marking unless
    the user chose one; ``ValidationError`` names the levels for an unknown one."""
    return Audience(info.marking, ceiling or info.default_sensitivity)


def _ceiling_note(info: DeskInfo, audience: Audience, chosen: bool) -> str:
    label = info.marking.label(audience.ceiling)
    if chosen:
        return (
            f"Records marked up to {label} may be changed by this table (the ceiling chosen "
            "for this import); those marked higher are out of its reach."
        )
    return (
        f"Records marked above {label} (the desk's default marking) are out of this "
        "table's reach; choose a higher ceiling for this import to include them."
    )


def _outside(
    connection: Connection, info: DeskInfo, audience: Audience, agency: tuple[int, str] | None
) -> Callable[[str | None, str | None], str | None]:
    """The reason a commitment named by a row is out of reach, or None if the desk has
    none of that ref or id (the caller then says so)."""
    c = t.commitment

    def reason(ref: str | None, uuid: str | None) -> str | None:
        query = select(c.c.ref, c.c.sensitivity, c.c.lead_agency_id)
        if uuid:
            query = query.where(c.c.uuid == uuid)
        elif ref:
            query = query.where(func.upper(c.c.ref) == ref.strip().upper())
        else:
            return None
        found = connection.execute(query).first()
        if found is None:
            return None
        if agency is not None and found.lead_agency_id != agency[0]:
            return (
                f"{found.ref} is not led by {agency[1]}, the ministry this return names; the "
                f"desk has no record of sending this return, so it may only change "
                f"{agency[1]}'s commitments"
            )
        if not audience.permits(found.sensitivity):
            ceiling = info.marking.label(audience.ceiling)
            if agency is not None:
                return (
                    f"{found.ref} is marked {info.marking.label(found.sensitivity)}, above the "
                    f"desk's default marking ({ceiling}); a return the desk has no record of "
                    "cannot change it"
                )
            return (
                f"{found.ref} is marked {info.marking.label(found.sensitivity)}, above the "
                f"ceiling of this import ({ceiling}); choose a higher ceiling to change it"
            )
        return None

    return reason


def _vocabulary(info: DeskInfo, scope: ExportScope) -> Vocabulary:
    """What the drop-downs accept in a table read within ``scope``: the live agencies
    within its ceiling, and the desk's marking levels."""
    return Vocabulary({c.casefold(): c for c in scope.agencies.values()}, info.marking)


def preview_foreign(
    desk: Desk,
    path: Path,
    workbook: ReadWorkbook,
    *,
    mapping: Mapping[str, str] | None = None,
    progress: Progress | None = None,
    ceiling: str | None = None,
) -> ImportPreview:
    """What a foreign table would change, through ``mapping`` (or the one proposed),
    to commitments marked at most ``ceiling`` (the desk's default marking if None)."""
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
    collector = Collector(path)
    if "ref" not in match.columns:
        collector.refuse(
            f"{sheet.name}!{table.header_row}:{table.header_row}",
            "Ref",
            None,
            "no column is mapped to Ref, so rows cannot be matched to commitments; "
            "map the column that holds the commitment refs (C-0001…)",
        )
    info = desk.info()
    audience = foreign_audience(info, ceiling)
    collector.notes.append(_ceiling_note(info, audience, chosen=ceiling is not None))
    with desk.connect() as connection:
        mark = desk_mark(connection)
        scope = ExportScope(AudienceView(connection, info, audience))
        if "ref" in match.columns:
            if progress is not None:
                progress.report(2, 4, "Comparing with the desk")
            context = SheetContext(
                spec=FOREIGN_PROGRESS,
                desk=desk_records(connection, FOREIGN_PROGRESS, scope),
                vocabulary=_vocabulary(info, scope),
                date1904=workbook.date1904,
                reach=Reach(outside=_outside(connection, info, audience, None)),
            )
            compare_sheet(collector, sheet, context, header=match)
    return collector.preview(
        sha256=file_sha256(path),
        kind=FOREIGN,
        agency=None,
        export_id=None,
        desk_mark=mark,
        ceiling=audience.ceiling,
        mapping_source=table.source_key,
        mapping=tuple(sorted(mapping.items())),
    )


def preview_unrecorded_return(
    desk: Desk,
    path: Path,
    workbook: ReadWorkbook,
    meta: Mapping[str, str],
    *,
    progress: Progress | None = None,
) -> ImportPreview:
    """A return whose export the desk has no record of, read as a foreign table: only
    the commitments led by the agency it names and marked at most the desk's default
    marking may change, every change is listed, and conflicts cannot be detected
    (the desk never recorded what was sent)."""
    path = Path(path)
    info = desk.info()
    named = (meta.get("agency") or "").strip()
    export_id = (meta.get("export id") or "").strip() or "(none)"
    sheet = workbook.sheet(RETURN_COMMITMENTS.name)
    if sheet is None:
        raise WorkbookRefusedError(
            path, f"the return has no {RETURN_COMMITMENTS.name!r} sheet; send a fresh return"
        )
    audience = Audience(info.marking, info.default_sensitivity)
    collector = Collector(path)
    with desk.connect() as connection:
        agency = connection.execute(
            select(t.agency.c.id, t.agency.c.code, t.agency.c.sensitivity).where(
                func.upper(t.agency.c.code) == named.upper()
            )
        ).first()
        if not named or agency is None or not audience.permits(agency.sensitivity):
            raise WorkbookRefusedError(
                path,
                f"the desk has no record of sending this return (export id {export_id}), and "
                f"the agency it names ({named or 'none'}) is not one of this desk's within its "
                "default marking, so nothing in it can be matched safely. Nothing was "
                "imported; send the ministry a fresh return",
            )
        label = info.marking.label(audience.ceiling)
        collector.notes.append(
            f"The desk has no record of sending this return (export id {export_id}): it was "
            "sent before nsdesk recorded its exports, from another copy of this desk, or its "
            f"hidden nsdesk sheet was changed. It is read like a table nsdesk did not write: "
            f"only commitments led by {agency.code} and marked at most {label} (the desk's "
            "default marking) may change."
        )
        collector.notes.append(
            "Conflicts cannot be detected: the desk did not record what this return was sent "
            "with, so a field changed in the desk since then is shown like any other change. "
            "Check every change below; the workbook's value replaces the desk's."
        )
        mark = desk_mark(connection)
        scope = ExportScope(AudienceView(connection, info, audience), agency.id)
        header = match_header(sheet, RETURN_COMMITMENTS)
        if progress is not None:
            progress.report(2, 4, "Comparing with the desk")
        context = SheetContext(
            spec=RETURN_COMMITMENTS,
            desk=desk_records(connection, RETURN_COMMITMENTS, scope),
            vocabulary=_vocabulary(info, scope),
            date1904=workbook.date1904,
            reach=Reach(outside=_outside(connection, info, audience, (agency.id, agency.code))),
        )
        compare_sheet(collector, sheet, context, header=header)
    return collector.preview(
        sha256=file_sha256(path),
        kind=RETURN,
        agency=agency.code,
        export_id=None,
        desk_mark=mark,
        ceiling=audience.ceiling,
        recorded=False,
    )


__all__ = [
    "FOREIGN_PROGRESS",
    "ForeignTable",
    "foreign_audience",
    "inspect_table",
    "preview_foreign",
    "preview_unrecorded_return",
    "source_key",
    "suggest_mapping",
]
