"""Importing workbooks back: the preview, conflicts, one transaction, history and undo."""

from __future__ import annotations

from datetime import date

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from nsdesk.domain.enums import Channel
from nsdesk.domain.errors import ValidationError, WorkbookRefusedError
from nsdesk.services.backups.backups import list_backups
from nsdesk.services.desk import open_desk
from nsdesk.services.exchange.apply import (
    ImportConflictError,
    ImportRefusedError,
    ImportStaleError,
    Side,
    apply_import,
)
from nsdesk.services.exchange.export import ExportRequest, export_workbook
from nsdesk.services.exchange.foreign_tables import inspect_table
from nsdesk.services.exchange.import_history import UndoBlockedError, list_imports, undo_import
from nsdesk.services.exchange.preview import preview_import
from nsdesk.services.records.details.commitment import commitment_detail
from nsdesk.services.records.record_service import RecordService
from nsdesk.store import tables as t
from tests.exchange.workbooks import column_of, content_digest, edit, row_of


@pytest.fixture
def mfa_return(demo_desk, tmp_path):
    return export_workbook(demo_desk, ExportRequest(agency="MFA"), tmp_path / "mfa.xlsx").path


def _refs(path):
    ws = openpyxl.load_workbook(path)["Commitments"]
    return [r[0] for r in ws.iter_rows(min_row=3, values_only=True)]


def _status(desk, ref):
    return commitment_detail(desk, ref).status.label


def _count(desk, table):
    with desk.connect() as connection:
        return connection.execute(select(func.count()).select_from(table)).scalar()


def test_an_unchanged_return_and_register_import_as_no_ops(demo_desk, mfa_return, tmp_path):
    assert preview_import(demo_desk, mfa_return).records == ()
    register = export_workbook(demo_desk, ExportRequest(), tmp_path / "register.xlsx").path
    preview = preview_import(demo_desk, register)
    assert (preview.records, preview.refused) == ((), ())
    assert preview.kind == "register"
    assert preview.rows_read > 100


def test_a_return_imports_exactly_its_edits_with_audit_naming_file_and_ministry(
    demo_desk, mfa_return, tmp_path
):
    first, second, third = _refs(mfa_return)[:3]
    new_status = "Stalled" if _status(demo_desk, first) != "Stalled" else "Ongoing"
    edited = edit(
        mfa_return,
        tmp_path / "mfa-back.xlsx",
        {
            ("Commitments", first, "Status"): f"  {new_status.upper()} ",  # any case, spaces
            ("Commitments", first, "Progress since last update"): "Bill passed first reading",
            ("Commitments", first, "Evidence"): "Parliamentary record 2026/114",
            ("Commitments", second, "Next steps"): "Second reading in March",
            ("Commitments", third, "Revised target"): "2031-06-30",
        },
    )
    preview = preview_import(demo_desk, edited)
    assert preview.kind == "return"
    assert preview.agency == "MFA"
    assert preview.refused == ()
    changed = {
        r.label.split()[0]: {c.header: (c.old, c.new) for c in r.changes} for r in preview.records
    }
    assert set(changed) == {first, second, third}
    assert changed[first]["Status"][1] == new_status
    assert changed[second]["Next steps"][1] == "Second reading in March"
    assert changed[third]["Revised target"][1] == "2031-06-30"
    entries_before = _count(demo_desk, t.status_entry)

    result = apply_import(demo_desk, preview)

    assert (result.records, result.progress_entries, result.targets) == (3, 1, 1)
    assert _status(demo_desk, first) == new_status
    assert (
        RecordService(demo_desk).values("commitment", second)["next_steps"]
        == "Second reading in March"
    )
    assert _count(demo_desk, t.status_entry) == entries_before + 1
    with demo_desk.connect() as connection:
        entry = connection.execute(
            select(t.status_entry).order_by(t.status_entry.c.id.desc()).limit(1)
        ).one()
        notes = set(
            connection.execute(
                select(t.audit_entry.c.note).where(
                    t.audit_entry.c.operation_id
                    == select(t.import_batch.c.operation_id).scalar_subquery()
                )
            ).scalars()
        )
    assert entry.channel == Channel.IMPORTED
    assert entry.source_ref == "mfa-back.xlsx from MFA"
    assert entry.narrative == "Bill passed first reading"
    assert entry.import_batch_id is not None
    assert notes == {"Import of mfa-back.xlsx from MFA"}
    [history] = list_imports(demo_desk)
    assert (history.file_name, history.agency, history.undone_at) == ("mfa-back.xlsx", "MFA", None)
    # the same return again changes nothing more
    assert preview_import(demo_desk, edited).records == ()


def test_a_whole_import_is_undone_from_the_history(demo_desk, mfa_return, tmp_path):
    first, second = _refs(mfa_return)[:2]
    before = (_status(demo_desk, first), RecordService(demo_desk).values("commitment", second))
    digest_edits = {
        ("Commitments", first, "Status"): "Withdrawn",
        ("Commitments", second, "Next steps"): "Changed by the ministry",
    }
    result = apply_import(
        demo_desk, preview_import(demo_desk, edit(mfa_return, tmp_path / "b.xlsx", digest_edits))
    )
    assert _status(demo_desk, first) == "Withdrawn"
    assert undo_import(demo_desk, result.batch) == 2
    after = (_status(demo_desk, first), RecordService(demo_desk).values("commitment", second))
    assert after == before
    assert list_imports(demo_desk)[0].undone_at is not None
    with pytest.raises(ValidationError, match="undone already"):
        undo_import(demo_desk, result.batch)


def test_undo_is_refused_when_the_desk_changed_the_same_field_afterwards(
    demo_desk, mfa_return, tmp_path
):
    second = _refs(mfa_return)[1]
    edited = edit(
        mfa_return, tmp_path / "b.xlsx", {("Commitments", second, "Next steps"): "Ministry"}
    )
    result = apply_import(demo_desk, preview_import(demo_desk, edited))
    RecordService(demo_desk).update(
        "commitment", second, {"next_steps": "Desk officer's later edit"}
    )
    digest = content_digest(demo_desk)
    with pytest.raises(UndoBlockedError, match=second):
        undo_import(demo_desk, result.batch)
    assert content_digest(demo_desk) == digest


def test_conflicts_are_detected_and_settled_per_field(demo_desk, mfa_return, tmp_path):
    second = _refs(mfa_return)[1]
    RecordService(demo_desk).update("commitment", second, {"next_steps": "Desk says A"})
    edited = edit(
        mfa_return, tmp_path / "b.xlsx", {("Commitments", second, "Next steps"): "Ministry says B"}
    )
    preview = preview_import(demo_desk, edited)
    [record] = preview.records
    [conflict] = record.conflicts
    assert (conflict.old, conflict.new) == ("Desk says A", "Ministry says B")
    with pytest.raises(ImportConflictError):
        apply_import(demo_desk, preview)
    apply_import(demo_desk, preview, resolutions={(record.key, conflict.column): Side.WORKBOOK})
    assert RecordService(demo_desk).values("commitment", second)["next_steps"] == "Ministry says B"


def test_a_field_changed_only_in_the_desk_keeps_the_desks_value(demo_desk, mfa_return):
    second = _refs(mfa_return)[1]
    RecordService(demo_desk).update("commitment", second, {"next_steps": "Desk's newer text"})
    assert preview_import(demo_desk, mfa_return).records == ()


def test_keep_resolves_every_conflict_for_the_desk(demo_desk, mfa_return, tmp_path):
    second = _refs(mfa_return)[1]
    RecordService(demo_desk).update("commitment", second, {"next_steps": "Desk says A"})
    edited = edit(mfa_return, tmp_path / "b.xlsx", {("Commitments", second, "Next steps"): "B"})
    with pytest.raises(ImportRefusedError, match="changes nothing"):
        apply_import(demo_desk, preview_import(demo_desk, edited), default=Side.DESK)
    assert RecordService(demo_desk).values("commitment", second)["next_steps"] == "Desk says A"


def test_a_preview_made_before_a_desk_edit_is_not_applied(demo_desk, mfa_return, tmp_path):
    first = _refs(mfa_return)[0]
    preview = preview_import(
        demo_desk, edit(mfa_return, tmp_path / "b.xlsx", {("Commitments", first, "Evidence"): "E"})
    )
    RecordService(demo_desk).update("commitment", first, {"notes": "meanwhile"})
    with pytest.raises(ImportStaleError):
        apply_import(demo_desk, preview)


def test_one_bad_record_rolls_the_whole_import_back(demo_desk, mfa_return, tmp_path):
    first, second = _refs(mfa_return)[:2]
    pledged = RecordService(demo_desk).values("commitment", second)["pledged_on"]
    assert pledged is not None
    early = f"{pledged.earliest().year - 5}-01-01"
    edited = edit(
        mfa_return,
        tmp_path / "b.xlsx",
        {
            ("Commitments", first, "Progress since last update"): "Good news",
            ("Commitments", second, "Revised target"): early,  # before the pledge: refused on apply
        },
    )
    digest = content_digest(demo_desk)
    with pytest.raises(ValidationError):
        apply_import(demo_desk, preview_import(demo_desk, edited), backup=False)
    assert content_digest(demo_desk) == digest


@pytest.mark.file_desk
def test_the_import_takes_a_backup_first(demo_desk, mfa_return, tmp_path):
    first = _refs(mfa_return)[0]
    edited = edit(mfa_return, tmp_path / "b.xlsx", {("Commitments", first, "Evidence"): "E"})
    apply_import(demo_desk, preview_import(demo_desk, edited))
    assert "before-import" in {str(b.reason) for b in list_backups(demo_desk.path)}


def test_a_register_row_without_id_creates_a_commitment_only_after_the_preview(demo_desk, tmp_path):
    register = export_workbook(demo_desk, ExportRequest(), tmp_path / "register.xlsx").path
    wb = openpyxl.load_workbook(register)
    ws = wb["Commitments"]
    row = ws.max_row + 1
    ws.cell(row, column_of(ws, "Title")).value = "Host a regional workshop on insider threats"
    ws.cell(row, column_of(ws, "Lead agency")).value = "reg"
    ws.cell(row, column_of(ws, "Priority")).value = "high"
    wb.save(tmp_path / "new.xlsx")
    before = _count(demo_desk, t.commitment)
    preview = preview_import(demo_desk, tmp_path / "new.xlsx")
    [record] = preview.records
    assert record.is_new
    assert _count(demo_desk, t.commitment) == before
    apply_import(demo_desk, preview)
    assert _count(demo_desk, t.commitment) == before + 1
    with demo_desk.connect() as connection:
        created = connection.execute(
            select(t.commitment).order_by(t.commitment.c.id.desc()).limit(1)
        ).one()
    assert created.title == "Host a regional workshop on insider threats"
    assert created.priority == "high"


def test_a_return_row_without_id_is_refused_and_a_missing_row_deletes_nothing(
    demo_desk, mfa_return, tmp_path
):
    wb = openpyxl.load_workbook(mfa_return)
    ws = wb["Commitments"]
    ws.protection.sheet = False
    ws.delete_rows(3)  # a row the ministry deleted
    row = ws.max_row + 1
    ws.cell(row, column_of(ws, "Title")).value = "A new pledge from the ministry"
    ws.cell(row, column_of(ws, "Status")).value = "Pledged"
    wb.save(tmp_path / "b.xlsx")
    before = _count(demo_desk, t.commitment)
    preview = preview_import(demo_desk, tmp_path / "b.xlsx")
    assert [c.where for c in preview.refused] == [f"Commitments!{row}:{row}"]
    assert "cannot add records" in preview.refused[0].reason
    assert _count(demo_desk, t.commitment) == before
    with pytest.raises(ImportRefusedError):
        apply_import(demo_desk, preview)


def test_a_foreign_tracker_is_mapped_by_synonyms_and_its_mapping_remembered(demo_desk, tmp_path):
    refs = [r.ref for r in _live_commitments(demo_desk)][:2]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Tracker"
    ws.append(["Ministry of Justice tracker, November"])
    ws.append(["Commitment ID", "Statut", "Progress", "Owner"])
    ws.append([refs[0], " Terminé ", "Done in October", "Ms X"])  # the ministry's own word
    ws.append([refs[1], None, None, "Mr Y"])
    wb.save(tmp_path / "tracker.xlsx")
    table = inspect_table(demo_desk, tmp_path / "tracker.xlsx")
    assert table.mapping == {
        "Commitment ID": "ref",
        "Statut": "status",
        "Progress": "narrative",
        "Owner": "",
    }
    assert not table.remembered
    preview = preview_import(demo_desk, tmp_path / "tracker.xlsx")
    assert preview.kind == "foreign"
    assert [r.label.split()[0] for r in preview.records] == refs[:1]
    apply_import(demo_desk, preview)
    assert _status(demo_desk, refs[0]) == "Completed"
    assert inspect_table(demo_desk, tmp_path / "tracker.xlsx").remembered


def test_a_workbook_from_another_desk_is_refused(demo_desk, desk, tmp_path):
    other = export_workbook(desk, ExportRequest(), tmp_path / "other.xlsx").path
    with pytest.raises(WorkbookRefusedError, match="another desk"):
        preview_import(demo_desk, other)


def _live_commitments(desk):
    with desk.connect() as connection:
        return connection.execute(
            select(t.commitment.c.ref)
            .where(t.commitment.c.retired_at.is_(None), t.commitment.c.sensitivity == "PUBLIC")
            .order_by(t.commitment.c.ref)
        ).all()


# Text as delegations write it: any script, punctuation, leading symbols, line breaks.
_TEXT = st.one_of(
    st.text(
        alphabet=st.characters(
            blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff"
        )
        | st.sampled_from(["\n", "=", "+", "-", "@", " "]),
        min_size=1,
        max_size=60,
    ),
    st.sampled_from(["#N/A", "=1+1", "+31 70", "-", "@user", "0012", "1e5", "TRUE", "2027-01-01"]),
).filter(lambda s: s.strip())


@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
@given(title=_TEXT, next_steps=_TEXT, notes=_TEXT)
def test_export_then_import_unchanged_is_a_no_op_whatever_the_text(
    desk_copies, tmp_path_factory, title, next_steps, notes
):
    folder = tmp_path_factory.mktemp("roundtrip")
    path = desk_copies.copy("demo", folder, "d.nsdesk")
    with open_desk(path) as desk:
        services = RecordService(desk, today=lambda: date(2026, 11, 22))
        ref = services.create("commitment", {"title": " ".join(title.split()) or "x"}).key
        services.update("commitment", ref, {"next_steps": next_steps, "notes": notes})
        for request in (ExportRequest(), ExportRequest(agency="MFA")):
            out = export_workbook(desk, request, folder / "w.xlsx").path
            preview = preview_import(desk, out)
            assert (preview.records, preview.refused) == ((), ()), (title, next_steps, notes)


def test_an_entry_above_the_ceiling_is_not_read_as_a_change_in_the_desk(
    demo_desk, mfa_return, tmp_path
):
    first = _refs(mfa_return)[0]
    RecordService(demo_desk, today=lambda: date(2026, 11, 22)).record_progress(
        first, status="ongoing", entry_date="2026-11-21", sensitivity="CONFIDENTIAL"
    )
    out = export_workbook(demo_desk, ExportRequest(agency="MFA"), tmp_path / "again.xlsx").path
    wb = openpyxl.load_workbook(out)
    ws = wb["Commitments"]
    shown = ws.cell(row_of(ws, first), column_of(ws, "Status")).value
    ws.cell(row_of(ws, first), column_of(ws, "Status")).value = (
        "Withdrawn" if shown != "Withdrawn" else "Stalled"
    )
    wb.save(tmp_path / "b.xlsx")
    [record] = preview_import(demo_desk, tmp_path / "b.xlsx").records
    assert record.conflicts == ()
