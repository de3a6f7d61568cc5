"""A return is scoped by the desk, not by the file (QUALITY.md, "What leaves the desk").

Each workbook here is a real export, edited with openpyxl as a ministry (or
someone in between) could: rows added, the hidden ``nsdesk`` sheet typed over, a
protected column unprotected and changed. Each is refused naming the row or the
cell, and the desk's content is exactly as before (a digest of every table)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from uuid import UUID

import openpyxl
import pytest
from sqlalchemy import select

from nsdesk.domain.errors import WorkbookRefusedError
from nsdesk.exchange.model import META_SHEET
from nsdesk.services.exchange.apply import (
    ImportRefusedError,
    MarkingLoweredError,
    apply_import,
)
from nsdesk.services.exchange.export import ExportRequest, export_workbook
from nsdesk.services.exchange.preview import preview_import
from nsdesk.services.exchange.sheet_specs import fingerprint
from nsdesk.services.records.record_service import RecordService
from nsdesk.store import tables as t
from tests.exchange.workbooks import column_of, content_digest, edit, row_of
from tests.support.desks import raw_sql


def _ref(desk, agency: str, sensitivity: str) -> str:
    c, a = t.commitment, t.agency
    with desk.connect() as connection:
        return (
            connection.execute(
                select(c.c.ref)
                .join(a, a.c.id == c.c.lead_agency_id)
                .where(a.c.code == agency, c.c.sensitivity == sensitivity, c.c.retired_at.is_(None))
                .order_by(c.c.ref)
            )
            .scalars()
            .first()
        )


def _uuid(desk, ref: str) -> str:
    with desk.connect() as connection:
        return connection.execute(
            select(t.commitment.c.uuid).where(t.commitment.c.ref == ref)
        ).scalar_one()


@pytest.fixture
def sent(demo_desk, tmp_path):
    """MFA's return, and JUS's, as the desk exported them (after making sure each
    ministry and marking the tests reach for has a commitment: the demo's markings
    are drawn at random)."""
    for agency, level in (("MFA", "RESTRICTED"), ("REG", "CONFIDENTIAL"), ("JUS", "RESTRICTED")):
        if _ref(demo_desk, agency, level) is None:
            RecordService(demo_desk).create(
                "commitment",
                {"title": f"{agency} {level}", "lead_agency": agency, "sensitivity": level},
            )
    mfa = export_workbook(demo_desk, ExportRequest(agency="MFA"), tmp_path / "mfa.xlsx")
    jus = export_workbook(demo_desk, ExportRequest(agency="JUS"), tmp_path / "jus.xlsx")
    return mfa, jus


def _add_row(path: Path, out: Path, ref: str, values: dict, record_id: str | None = None) -> int:
    """A row typed at the bottom of the return's Commitments sheet; returns its number."""
    wb = openpyxl.load_workbook(path)
    ws = wb["Commitments"]
    ws.protection.sheet = False
    row = ws.max_row + 1
    ws.cell(row, column_of(ws, "Ref")).value = ref
    if record_id:
        ws.cell(row, column_of(ws, "Record id")).value = record_id
    for header, value in values.items():
        ws.cell(row, column_of(ws, header)).value = value
    wb.save(out)
    return row


def _set_meta(path: Path, out: Path, **changes: str) -> Path:
    """The hidden nsdesk sheet typed over: ``export_id="…"`` sets "export id"."""
    wb = openpyxl.load_workbook(path)
    ws = wb[META_SHEET]
    for row in ws.iter_rows(min_row=1):
        key = row[0].value.replace(" ", "_")
        if key in changes:
            row[1].value = changes[key]
    wb.save(out)
    return out


def _refused_whole(desk, path):
    """The preview refuses the workbook by row or cell; applying it changes nothing."""
    before = content_digest(desk)
    preview = preview_import(desk, path)
    assert preview.refused
    with pytest.raises(ImportRefusedError):
        apply_import(desk, preview, backup=False)
    assert content_digest(desk) == before
    return preview


def test_another_ministrys_commitment_added_to_a_return_is_refused_by_row(
    demo_desk, sent, tmp_path
):
    mfa, _ = sent
    theirs = _ref(demo_desk, "JUS", "INTERNAL")
    mine = openpyxl.load_workbook(mfa.path)["Commitments"].cell(3, 1).value
    out = edit(mfa.path, tmp_path / "edited.xlsx", {("Commitments", mine, "Next steps"): "ok"})
    row = _add_row(out, out, theirs, {"Status": "Withdrawn", "Next steps": "Overwritten by MFA"})
    preview = _refused_whole(demo_desk, out)
    [refused] = preview.refused
    assert refused.where == f"Commitments!{row}:{row}"
    assert refused.value == theirs
    assert refused.reason.startswith(f"{theirs} was not in the return sent to MFA on ")
    assert refused.reason.endswith("a return can only update the commitments it was sent with")
    # The same with JUS's Record id copied in: the desk still knows it was not sent.
    again = tmp_path / "with-id.xlsx"
    row = _add_row(mfa.path, again, theirs, {"Status": "Withdrawn"}, _uuid(demo_desk, theirs))
    [refused] = _refused_whole(demo_desk, again).refused
    assert (refused.where, refused.value) == (f"Commitments!{row}:{row}", theirs)
    assert "was not in the return sent to MFA" in refused.reason


def test_a_record_above_the_returns_ceiling_is_refused_by_row(demo_desk, sent, tmp_path):
    mfa, _ = sent
    restricted = _ref(demo_desk, "MFA", "RESTRICTED")  # MFA's own, but above Internal
    out = tmp_path / "above.xlsx"
    row = _add_row(mfa.path, out, restricted, {"Next steps": "Typed in by the ministry"})
    [refused] = _refused_whole(demo_desk, out).refused
    assert refused.where == f"Commitments!{row}:{row}"
    assert refused.reason.startswith(f"{restricted} was not in the return sent to MFA")


def test_a_ceiling_typed_into_the_hidden_sheet_reaches_nothing_more(demo_desk, sent, tmp_path):
    mfa, _ = sent
    confidential = _ref(demo_desk, "REG", "CONFIDENTIAL")
    raised = _set_meta(mfa.path, tmp_path / "raised.xlsx", ceiling="CONFIDENTIAL")
    row = _add_row(
        raised,
        raised,
        confidential,
        {"Status": "Withdrawn", "Next steps": "Overwritten"},
        _uuid(demo_desk, confidential),
    )
    preview = _refused_whole(demo_desk, raised)
    [refused] = preview.refused
    assert refused.where == f"Commitments!{row}:{row}"
    assert "no record in the return sent to MFA" in refused.reason
    assert preview.ceiling == "INTERNAL"
    assert any("gives the ceiling CONFIDENTIAL" in note for note in preview.notes)


def test_an_agency_typed_into_the_hidden_sheet_is_ignored(demo_desk, sent, tmp_path):
    mfa, _ = sent
    theirs = _ref(demo_desk, "JUS", "INTERNAL")
    claimed = _set_meta(mfa.path, tmp_path / "claimed.xlsx", agency="JUS")
    row = _add_row(claimed, claimed, theirs, {"Status": "Withdrawn"})
    preview = _refused_whole(demo_desk, claimed)
    assert preview.agency == "MFA"
    [refused] = preview.refused
    assert refused.where == f"Commitments!{row}:{row}"
    assert "was not in the return sent to MFA" in refused.reason
    assert any("names the agency JUS" in note for note in preview.notes)


def test_another_returns_export_id_scopes_the_workbook_to_that_return(demo_desk, sent, tmp_path):
    mfa, jus = sent
    swapped = _set_meta(mfa.path, tmp_path / "swapped.xlsx", export_id=jus.export_id)
    wb = openpyxl.load_workbook(swapped)
    ws = wb["Commitments"]
    first = ws.cell(3, column_of(ws, "Ref")).value
    ws.cell(3, column_of(ws, "Next steps")).value = "MFA's answer, under JUS's export id"
    wb.save(swapped)
    preview = _refused_whole(demo_desk, swapped)
    assert preview.agency == "JUS"
    rows = {r.where for r in preview.refused}
    assert "Commitments!3:3" in rows
    assert len(rows) == mfa.rows  # every one of MFA's rows
    first_refusal = next(r for r in preview.refused if r.where == "Commitments!3:3")
    assert first_refusal.reason.startswith(f"{first} was not in the return sent to JUS on ")


def test_a_workbook_whose_kind_claim_differs_from_the_record_is_refused(demo_desk, sent, tmp_path):
    mfa, _ = sent
    before = content_digest(demo_desk)
    forged = _set_meta(mfa.path, tmp_path / "kind.xlsx", kind="register")
    with pytest.raises(WorkbookRefusedError, match="is a return: the workbook was altered"):
        preview_import(demo_desk, forged)
    assert content_digest(demo_desk) == before


def test_a_locked_column_changed_is_refused_by_cell(demo_desk, sent, tmp_path):
    mfa, _ = sent
    wb = openpyxl.load_workbook(mfa.path)
    ws = wb["Commitments"]
    ws.protection.sheet = False  # as anyone can, without the password
    title = column_of(ws, "Title")
    ws.cell(4, title).value = "A title the ministry prefers"
    ws.cell(5, column_of(ws, "Next steps")).value = "A real answer"
    wb.save(tmp_path / "title.xlsx")
    [refused] = _refused_whole(demo_desk, tmp_path / "title.xlsx").refused
    letter = openpyxl.utils.get_column_letter(title)
    assert refused.where == f"Commitments!{letter}4"
    assert refused.header == "Title"
    assert refused.value == "A title the ministry prefers"
    assert refused.reason.startswith("this column is locked in the return sent to MFA on ")
    assert "only Status, Progress since last update, Evidence, Next steps and Revised" in (
        refused.reason
    )


def test_a_row_duplicated_is_refused_naming_both_rows(demo_desk, sent, tmp_path):
    mfa, _ = sent
    wb = openpyxl.load_workbook(mfa.path)
    ws = wb["Commitments"]
    ws.protection.sheet = False
    last = ws.max_row + 1
    for column in range(1, ws.max_column + 1):
        ws.cell(last, column).value = ws.cell(5, column).value
    ws.cell(5, column_of(ws, "Status")).value = "Completed"
    ws.cell(last, column_of(ws, "Status")).value = "Withdrawn"
    wb.save(tmp_path / "twice.xlsx")
    [refused] = _refused_whole(demo_desk, tmp_path / "twice.xlsx").refused
    assert refused.where == f"Commitments!{last}:{last}"
    assert "also in row 5" in refused.reason


def test_a_record_marked_higher_since_the_export_cannot_be_changed(demo_desk, sent, tmp_path):
    mfa, _ = sent
    ref = openpyxl.load_workbook(mfa.path)["Commitments"].cell(3, 1).value
    RecordService(demo_desk).update("commitment", ref, {"sensitivity": "RESTRICTED"})
    out = edit(mfa.path, tmp_path / "b.xlsx", {("Commitments", ref, "Next steps"): "Anything"})
    [refused] = _refused_whole(demo_desk, out).refused
    assert refused.where == "Commitments!3:3"
    assert refused.reason.startswith(f"{ref} is now marked above the ceiling of the return sent")


def test_the_desks_fingerprints_decide_conflicts_not_a_sheet_in_the_file(demo_desk, sent, tmp_path):
    mfa, _ = sent
    ref = openpyxl.load_workbook(mfa.path)["Commitments"].cell(4, 1).value
    RecordService(demo_desk).update("commitment", ref, {"next_steps": "The desk's own edit"})
    wb = openpyxl.load_workbook(mfa.path)
    ws = wb["Commitments"]
    ws.cell(row_of(ws, ref), column_of(ws, "Next steps")).value = "The ministry's text"
    # A "nsdesk rows" sheet as older versions wrote, claiming the desk's new text was sent:
    # believed, it would hide the conflict and overwrite the desk's edit silently.
    forged = wb.create_sheet("nsdesk rows")
    forged.sheet_state = "hidden"
    forged.append(["sheet", "record id", "key", "fields"])
    forged.append(
        [
            "Commitments",
            _uuid(demo_desk, ref),
            ref,
            json.dumps({"next_steps": fingerprint("The desk's own edit")}),
        ]
    )
    wb.save(tmp_path / "forged.xlsx")
    [record] = preview_import(demo_desk, tmp_path / "forged.xlsx").records
    [change] = record.conflicts
    assert (change.old, change.new) == ("The desk's own edit", "The ministry's text")


# -- returns sent before exports were recorded --------------------------------------------


def _forget_export(desk: Any, export_id: str) -> None:
    """The desk as an earlier nsdesk left it: the return went out, nothing was recorded."""
    uuid = str(UUID(export_id))  # a UUID, safe to spell out in SQL
    raw_sql(
        desk,
        "DELETE FROM workbook_export_row WHERE export_id = "
        f"(SELECT id FROM workbook_export WHERE uuid = '{uuid}')",
        f"DELETE FROM workbook_export WHERE uuid = '{uuid}'",
    )


def test_a_return_the_desk_never_recorded_reaches_only_its_ministrys_commitments(
    demo_desk, sent, tmp_path
):
    mfa, _ = sent
    _forget_export(demo_desk.location, mfa.export_id)
    ws = openpyxl.load_workbook(mfa.path)["Commitments"]
    first, second = ws.cell(3, 1).value, ws.cell(4, 1).value
    RecordService(demo_desk).update("commitment", second, {"next_steps": "The desk's edit"})
    answered = edit(
        mfa.path,
        tmp_path / "old return.xlsx",
        {
            ("Commitments", first, "Status"): "Stalled",
            ("Commitments", second, "Next steps"): "The ministry's text",
        },
    )
    preview = preview_import(demo_desk, answered)
    assert (preview.kind, preview.agency, preview.recorded) == ("return", "MFA", False)
    assert (preview.export_id, preview.ceiling, preview.refused) == (None, "INTERNAL", ())
    changed = {r.label.split()[0]: {c.header: c.new for c in r.changes} for r in preview.records}
    assert changed == {
        first: {"Status": "Stalled"},
        second: {"Next steps": "The ministry's text"},
    }
    assert preview.conflicts == 0  # not detectable, and said so
    assert any("Conflicts cannot be detected" in note for note in preview.notes)
    assert any(
        "only commitments led by MFA and marked at most Internal" in n for n in preview.notes
    )
    apply_import(demo_desk, preview, backup=False)
    assert RecordService(demo_desk).values("commitment", second)["next_steps"] == (
        "The ministry's text"
    )


@pytest.mark.parametrize(
    ("agency", "level", "reason"),
    [
        ("JUS", "INTERNAL", "is not led by MFA, the ministry this return names"),
        ("MFA", "RESTRICTED", "above the desk's default marking (Internal)"),
        ("REG", "CONFIDENTIAL", "is not led by MFA"),
    ],
)
def test_a_return_the_desk_never_recorded_cannot_reach_further(
    demo_desk, sent, tmp_path, agency, level, reason
):
    mfa, _ = sent
    _forget_export(demo_desk.location, mfa.export_id)
    ref = _ref(demo_desk, agency, level)
    out = tmp_path / "old.xlsx"
    row = _add_row(mfa.path, out, ref, {"Status": "Withdrawn"}, _uuid(demo_desk, ref))
    [refused] = _refused_whole(demo_desk, out).refused
    assert refused.where == f"Commitments!{row}:{row}"
    assert reason in refused.reason


def test_a_made_up_export_id_is_read_like_a_return_never_recorded(demo_desk, sent, tmp_path):
    mfa, _ = sent
    theirs = _ref(demo_desk, "JUS", "INTERNAL")
    made_up = _set_meta(
        mfa.path,
        tmp_path / "made-up.xlsx",
        export_id="00000000-0000-4000-8000-000000000000",
        ceiling="CONFIDENTIAL",
    )
    row = _add_row(made_up, made_up, theirs, {"Status": "Withdrawn"})
    preview = _refused_whole(demo_desk, made_up)
    assert (preview.recorded, preview.ceiling) == (False, "INTERNAL")
    [refused] = preview.refused
    assert refused.where == f"Commitments!{row}:{row}"
    assert "is not led by MFA" in refused.reason
    assert any("no record of sending this return" in note for note in preview.notes)


def test_a_register_workbook_the_desk_never_recorded_is_refused(demo_desk, tmp_path):
    register = export_workbook(demo_desk, ExportRequest(), tmp_path / "register.xlsx")
    _forget_export(demo_desk.location, register.export_id)
    with pytest.raises(WorkbookRefusedError, match="export the register again"):
        preview_import(demo_desk, register.path)


# -- a register that lowers a marking -----------------------------------------------------


def test_a_register_lowering_a_marking_waits_for_a_confirmation(demo_desk, tmp_path):
    register = export_workbook(demo_desk, ExportRequest(), tmp_path / "register.xlsx")
    internal = _ref(demo_desk, "MFA", "INTERNAL")
    wb = openpyxl.load_workbook(register.path)
    ws = wb["Commitments"]
    row = row_of(ws, internal)
    column = column_of(ws, "Sensitivity")
    ws.cell(row, column).value = "Public"
    ws.cell(row, column_of(ws, "Next steps")).value = "Published in the national report"
    wb.save(tmp_path / "lowered.xlsx")
    preview = preview_import(demo_desk, tmp_path / "lowered.xlsx")
    cell = f"Commitments!{openpyxl.utils.get_column_letter(column)}{row}"
    [lowered] = preview.lowered
    assert (lowered.cell, lowered.old, lowered.new) == (cell, "INTERNAL", "PUBLIC")
    assert lowered.label.startswith(internal)
    before = content_digest(demo_desk)
    with pytest.raises(MarkingLoweredError, match=f"{cell} {internal}"):
        apply_import(demo_desk, preview, backup=False)
    assert content_digest(demo_desk) == before

    apply_import(demo_desk, preview, backup=False, lowering_confirmed_by="officer@laptop")
    values = RecordService(demo_desk).values("commitment", internal)
    assert (values["sensitivity"], values["next_steps"]) == (
        "PUBLIC",
        "Published in the national report",
    )
    with demo_desk.connect() as connection:
        notes = dict(
            connection.execute(
                select(t.audit_entry.c.field, t.audit_entry.c.note).where(
                    t.audit_entry.c.record_uuid == _uuid(demo_desk, internal),
                    t.audit_entry.c.field.in_(["sensitivity", "next_steps"]),
                )
            ).all()
        )
    assert notes == {
        "sensitivity": "Marking lowered from INTERNAL to PUBLIC by import of lowered.xlsx, "
        "confirmed by officer@laptop",
        "next_steps": "Import of lowered.xlsx",
    }


def test_raising_a_marking_needs_no_confirmation(demo_desk, tmp_path):
    register = export_workbook(demo_desk, ExportRequest(), tmp_path / "register.xlsx")
    public = _ref(demo_desk, "MFA", "PUBLIC")
    out = edit(
        register.path,
        tmp_path / "raised.xlsx",
        {("Commitments", public, "Sensitivity"): "INTERNAL"},
    )
    preview = preview_import(demo_desk, out)
    assert preview.lowered == ()
    apply_import(demo_desk, preview, backup=False)
    assert RecordService(demo_desk).values("commitment", public)["sensitivity"] == "INTERNAL"


# -- foreign tables ------------------------------------------------------------------------


def _tracker(path: Path, rows: list[list]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Tracker"
    ws.append(["Commitment ID", "Statut", "Progress"])
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def test_a_foreign_table_reaches_the_default_marking_unless_a_ceiling_is_chosen(
    demo_desk, tmp_path
):
    restricted = _ref(demo_desk, "JUS", "RESTRICTED")
    internal = _ref(demo_desk, "JUS", "INTERNAL")
    tracker = _tracker(
        tmp_path / "tracker.xlsx",
        [[internal, "Stalled", "Waiting"], [restricted, "Completed", "Done"]],
    )
    before = content_digest(demo_desk)
    preview = preview_import(demo_desk, tracker)
    assert preview.ceiling == "INTERNAL"
    [refused] = preview.refused
    assert refused.where == "Tracker!3:3"
    assert refused.reason == (
        f"{restricted} is marked Restricted, above the ceiling of this import (Internal); "
        "choose a higher ceiling to change it"
    )
    assert content_digest(demo_desk) == before
    chosen = preview_import(demo_desk, tracker, ceiling="restricted")
    assert (chosen.ceiling, chosen.refused) == ("RESTRICTED", ())
    assert {r.label.split()[0] for r in chosen.records} == {internal, restricted}
    assert any("up to Restricted" in note for note in chosen.notes)
