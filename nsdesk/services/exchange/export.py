"""Export the register, or one ministry's return, as a workbook.

The register workbook has a sheet per register; a return has only one agency's
commitments, with only the columns it may edit unlocked. Both are cut at an
audience ceiling (nothing above it, in any sheet, hidden ones included) and carry
a hidden metadata sheet saying which desk and export they came from. The desk
records each export (:mod:`nsdesk.services.exchange.export_records`): its ceiling, ministry
and, per row, a fingerprint of every editable field, so an import can tell, field
by field, whether the ministry, the desk, or both changed a value since the export,
and never takes the workbook's word for what it was sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from nsdesk import __version__
from nsdesk.domain.errors import ValidationError
from nsdesk.exchange.model import ColumnPlan, RowFingerprint, SheetPlan, WorkbookPlan
from nsdesk.services.audience.ceiling import Audience
from nsdesk.services.audience.view import AudienceView
from nsdesk.services.desk import Desk
from nsdesk.services.exchange.export_records import check_can_record, record_export, staging_path
from nsdesk.services.exchange.sheet_specs import ExportScope, SheetSpec, canonical, fingerprint
from nsdesk.services.exchange.sheets import (
    REGISTER,
    REGISTER_SHEETS,
    RETURN,
    RETURN_SHEETS,
    choice_list,
)
from nsdesk.services.progress import Progress
from nsdesk.store.ids import new_uuid
from nsdesk.store.migrate import SCHEMA_HEAD


@dataclass(frozen=True, slots=True)
class ExportRequest:
    """What to export: the register, or one agency's return; and for whom."""

    agency: str | None = None  # an agency code: a return for that ministry
    ceiling: str | None = None  # a marking level; the desk's default marking if None


@dataclass(frozen=True, slots=True)
class ExportOutcome:
    """What was written, for the status bar and the command line."""

    path: Path
    kind: str
    export_id: str
    rows: int
    sheets: tuple[str, ...]
    marking: str
    withheld: int
    replaced_characters: int
    agency: str | None


def _agency(view: AudienceView, code: str) -> tuple[int, str, str]:
    """The agency a return is for: its name is printed on the return, so it must
    be within the ceiling (and counts toward the marking)."""
    wanted = code.strip().upper()
    known = [row for row in view.for_checking("agency") if row.retired_at is None]
    match = next((row for row in known if row.code == wanted), None)
    if match is None:
        codes = ", ".join(sorted(row.code for row in known))
        raise ValidationError(
            "Agency",
            f"the code of a live agency of this desk within the audience ceiling "
            f"({view.audience.ceiling}): {codes}",
            code,
        )
    row = view.parent("agency", match.id)  # named on the return: counts toward its marking
    return row.id, row.code, row.name


def _withheld_sentence(withheld: int, ceiling_label: str) -> str:
    if not withheld:
        return f"Nothing marked above {ceiling_label} was withheld from this workbook."
    noun = "record" if withheld == 1 else "records"
    return (
        f"{withheld} {noun} marked above {ceiling_label} were left out of this workbook; "
        "where a value shown here would depend on one of them, the cell says withheld."
    )


def _instructions(
    kind: str, agency_name: str | None, marking_label: str, withheld: str
) -> tuple[str, ...]:
    if kind == RETURN:
        return (
            f"This workbook lists the commitments for which {agency_name} is the lead agency.",
            "Please update the yellow columns only; everything else is locked so that the "
            "delegation can read your answers back automatically.",
            "Status: choose from the drop-down list the status as it stands today.",
            "Progress since last update: a few sentences on what was done since the last "
            "update. Leave it empty if nothing happened.",
            "Evidence: the law, regulation, report or document that shows the progress.",
            "Next steps: what will happen next, and by when.",
            "Revised target: only if the target date must move; a date such as 2027-06-30.",
            "Please do not add, delete, rename or reorder rows, columns or sheets: a hidden "
            "column tells the delegation which commitment each row is.",
            "Save the file as an Excel workbook (.xlsx), in Excel or LibreOffice, and send it "
            "back to the delegation.",
            f"This workbook is marked {marking_label}. Handle it accordingly.",
            withheld,
        )
    return (
        "This workbook is the delegation's register: one sheet per register.",
        "You may change the editable columns of Commitments, Gift baskets, Action items, "
        "Participation, Reporting and Agencies (their drop-down lists show what they accept), "
        "and add new commitments or agencies in empty rows at the bottom, leaving Ref empty. "
        "History and Signatories are for reading: an import does not change them.",
        "A hidden column, Record id, tells nsdesk which record each row is: leave it as it is.",
        "Changing a commitment's Status adds a progress entry to its history.",
        "Deleting a row does not delete anything from the register.",
        "Drop-down columns accept the values in their list, in any case.",
        "Dates may be typed as 2027-06-30 or 30 June 2027; a month (2027-06) or a year "
        "(2027) is accepted where a deadline is that precise.",
        f"This workbook is marked {marking_label}. Handle it accordingly.",
        withheld,
    )


def build_plan(
    desk: Desk, request: ExportRequest, progress: Progress | None = None
) -> tuple[WorkbookPlan, ExportScope, str, str, str | None]:
    """The workbook to write, read from the desk in one read transaction: the plan,
    the scope it was read through, its kind, export id and agency code."""
    info = desk.info()
    audience = Audience(info.marking, request.ceiling or info.default_sensitivity)
    kind = RETURN if request.agency else REGISTER
    specs: tuple[SheetSpec, ...] = RETURN_SHEETS if kind == RETURN else REGISTER_SHEETS
    export_id = new_uuid()
    with desk.connect() as connection:
        view = AudienceView(connection, info, audience)
        agency_id = agency_code = agency_name = None
        if request.agency:
            agency_id, agency_code, agency_name = _agency(view, request.agency)
        scope = ExportScope(view, agency_id)
        lists: dict[str, tuple[str, ...]] = {}
        sheets, fingerprints = [], []
        for index, spec in enumerate(specs):
            if progress is not None:
                progress.check_cancelled()
                progress.report(index, len(specs) + 1, f"Reading {spec.title.lower()}")
            rows = spec.load(scope)
            for c in spec.columns:
                if c.choices and c.choices not in lists:
                    lists[c.choices] = choice_list(scope, c.choices)
            columns = tuple(
                ColumnPlan(
                    key=c.key,
                    header=c.header,
                    kind=c.kind,
                    editable=c.editable,
                    choices=lists.get(c.choices, ()) if c.choices else (),
                    note=c.note,
                    width=c.width,
                )
                for c in spec.columns
            )
            keys = [c.key for c in spec.columns]
            editable = spec.editable
            sheets.append(
                SheetPlan(
                    name=spec.name,
                    title=spec.title,
                    columns=columns,
                    rows=[[row.get(k) for k in keys] for row in rows],
                    protected=kind == RETURN,
                )
            )
            for row in rows if editable else ():  # read-only sheets are never compared
                fingerprints.append(
                    RowFingerprint(
                        spec.name,
                        row["_uuid"],
                        str(row.get(spec.key) or ""),
                        {c.key: fingerprint(canonical(c.kind, row.get(c.key))) for c in editable},
                    )
                )
    marking = audience.marking
    marking_label = info.marking.label(marking)
    ceiling_label = info.marking.label(audience.ceiling)
    state = info.own_state_name
    now = datetime.now(UTC).replace(microsecond=0)
    title = (
        f"{state}: return for {agency_name} ({agency_code})"
        if kind == RETURN
        else f"{state}: nuclear-security register"
    )
    metadata = {
        "format": "nsdesk workbook 1",
        "kind": kind,
        "desk": info.uuid,
        "state": info.own_state_code,
        "export id": export_id,
        "exported at": now.isoformat(),
        "schema": SCHEMA_HEAD,
        "nsdesk": __version__,
        "ceiling": audience.ceiling,
        "marking": marking,
        "agency": agency_code or "",
    }
    plan = WorkbookPlan(
        marking=marking_label,
        instructions_title=title,
        instructions=_instructions(
            kind,
            agency_name,
            marking_label,
            _withheld_sentence(view.withheld_total, ceiling_label),
        ),
        sheets=tuple(sheets),
        metadata=metadata,
        fingerprints=tuple(fingerprints),
        title=title,
        author=info.delegation or state,
        withheld=view.withheld_total,
        ceiling=ceiling_label,
    )
    return plan, scope, kind, export_id, agency_code


def export_workbook(
    desk: Desk, request: ExportRequest, path: Path, progress: Progress | None = None
) -> ExportOutcome:
    """Write the register (or a return) to ``path`` and record the export in the desk,
    in one operation: nothing is left under that name, and no record of the export,
    when either fails or the user cancels. A read-only desk cannot record it, so it
    is refused before any work."""
    # lazy: the writer imports openpyxl (tens of ms); only writing a file needs it,
    # not the export dialog nor build_plan
    from nsdesk.exchange.workbook_writer import write_workbook

    check_can_record(desk)
    plan, scope, kind, export_id, agency_code = build_plan(desk, request, progress)
    total = sum(len(s.rows) for s in plan.sheets)

    def on_rows(done: int) -> None:
        if progress is not None:
            progress.check_cancelled()
            progress.report(done, total, "Writing the workbook")

    path = Path(path)
    staged = staging_path(path)
    try:
        result = write_workbook(plan, staged, on_rows)
        if progress is not None:
            progress.report(total, total, "Recording the export in the desk")
            progress.check_cancelled()  # the last moment a cancel leaves nothing behind
        record_export(desk, plan, staged, path)
    finally:
        staged.unlink(missing_ok=True)
    return ExportOutcome(
        path=Path(path),
        kind=kind,
        export_id=export_id,
        rows=result.rows,
        sheets=tuple(s.name for s in plan.sheets),
        marking=plan.marking,
        withheld=scope.view.withheld_total,
        replaced_characters=result.replaced_characters,
        agency=agency_code,
    )
