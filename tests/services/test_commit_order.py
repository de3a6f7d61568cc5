""" "What changed since I looked" follows the commit order (revisions), not the
highest audit id: on a server, a transaction can take a row id before another one
and commit after it. Here such a late commit is made by hand — an audit entry with a
low row id written in a later transaction — and every staleness mark still sees it."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from nsdesk.domain.enums import AuditAction, Channel
from nsdesk.services.audit import Actor, creation_rows
from nsdesk.services.exchange.apply import ImportStaleError, apply_import
from nsdesk.services.exchange.export import ExportRequest, export_workbook
from nsdesk.services.exchange.import_history import UndoBlockedError, undo_import
from nsdesk.services.exchange.preview import preview_import
from nsdesk.services.overview.dashboard import load_dashboard
from nsdesk.services.records.record_service import RecordService
from nsdesk.store import tables as t
from tests.conftest import DEMO_DAY
from tests.exchange.workbooks import edit


def _commit_late(desk, commitment: str, field: str, actor: str = "bob@laptop-2") -> None:
    """A change of ``field`` of a commitment committed now under a row id lower than
    every other (its id was taken before the others', its commit came after)."""
    uuid = RecordService(desk).identify("commitment", commitment).uuid
    with desk.transaction(Actor(actor, Channel.TYPED)) as (connection, ctx):
        lowest = connection.execute(select(func.min(t.audit_entry.c.id))).scalar()
        row = creation_rows(ctx, "commitment", [(uuid, f"{commitment} late", "late value")])[0]
        connection.execute(
            t.audit_entry.insert(),
            [{**row, "id": lowest - 1, "action": AuditAction.UPDATE, "field": field}],
        )


@pytest.fixture
def mfa_return(demo_desk, tmp_path):
    return export_workbook(demo_desk, ExportRequest(agency="MFA"), tmp_path / "mfa.xlsx").path


def _first_refs(path, count):
    import openpyxl

    sheet = openpyxl.load_workbook(path)["Commitments"]
    return [r[0] for r in sheet.iter_rows(min_row=3, max_row=2 + count, values_only=True)]


def test_a_preview_is_stale_after_a_change_committed_under_a_lower_id(
    demo_desk, mfa_return, tmp_path
):
    [first] = _first_refs(mfa_return, 1)
    edited = edit(mfa_return, tmp_path / "b.xlsx", {("Commitments", first, "Evidence"): "E"})
    preview = preview_import(demo_desk, edited)
    _commit_late(demo_desk, first, "notes")
    with pytest.raises(ImportStaleError):
        apply_import(demo_desk, preview)
    apply_import(demo_desk, preview_import(demo_desk, edited))  # a fresh preview applies


def test_the_dashboard_shows_the_change_committed_last_first(demo_desk):
    RecordService(demo_desk, Actor("alice@laptop-1")).update(
        "commitment", "C-0001", {"title": "Alice's title"}
    )
    _commit_late(demo_desk, "C-0002", "notes", actor="bob@laptop-2")
    recent = load_dashboard(demo_desk, as_of=DEMO_DAY).recent
    assert [r.actor for r in recent[:2]] == ["bob@laptop-2", "alice@laptop-1"]


def test_undoing_an_import_is_refused_over_a_change_committed_after_it(
    demo_desk, mfa_return, tmp_path
):
    [_, second] = _first_refs(mfa_return, 2)
    edited = edit(
        mfa_return, tmp_path / "b.xlsx", {("Commitments", second, "Next steps"): "Ministry"}
    )
    result = apply_import(demo_desk, preview_import(demo_desk, edited))
    _commit_late(demo_desk, second, "next_steps")
    with pytest.raises(UndoBlockedError, match=second):
        undo_import(demo_desk, result.batch)
