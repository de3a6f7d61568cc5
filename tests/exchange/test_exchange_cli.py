"""``nsdesk export`` and ``nsdesk import`` as a script would run them: real
processes, exit statuses per PRODUCT.md, and the desk unchanged on refusal."""

from __future__ import annotations

import subprocess
import sys

import openpyxl

from nsdesk.services.desk import open_desk
from nsdesk.services.records.record_service import RecordService
from tests.exchange.workbooks import column_of, content_digest


def nsdesk(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "nsdesk", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=180,
    )


def test_export_writes_a_return_and_says_what_it_holds(demo_desk_path, tmp_path):
    done = nsdesk("export", demo_desk_path, "-o", tmp_path / "mfa.xlsx", "--agency", "mfa")
    assert done.returncode == 0, done.stderr
    assert "the return for MFA" in done.stdout
    assert "marked Internal" in done.stdout
    assert openpyxl.load_workbook(tmp_path / "mfa.xlsx")["Commitments"].max_row > 3


def test_export_refusals_have_their_exit_status(demo_desk_path, tmp_path):
    unknown = nsdesk("export", demo_desk_path, "-o", tmp_path / "x.xlsx", "--agency", "ZZZ")
    assert unknown.returncode == 1
    assert "ZZZ" in unknown.stderr
    no_folder = nsdesk("export", demo_desk_path, "-o", tmp_path / "missing" / "x.xlsx")
    assert no_folder.returncode == 2
    assert "does not exist" in no_folder.stderr
    no_desk = nsdesk("export", tmp_path / "nowhere.nsdesk", "-o", tmp_path / "x.xlsx")
    assert no_desk.returncode == 3
    assert not (tmp_path / "x.xlsx").exists()


def _edited_return(desk_path, tmp_path, next_steps="Ministry text"):
    nsdesk("export", desk_path, "-o", tmp_path / "mfa.xlsx", "--agency", "MFA")
    wb = openpyxl.load_workbook(tmp_path / "mfa.xlsx")
    ws = wb["Commitments"]
    ref = ws.cell(3, column_of(ws, "Ref")).value
    ws.cell(3, column_of(ws, "Next steps")).value = next_steps
    wb.save(tmp_path / "back.xlsx")
    return ref, tmp_path / "back.xlsx"


def test_dry_run_prints_the_preview_and_changes_nothing(demo_desk_path, tmp_path):
    ref, back = _edited_return(demo_desk_path, tmp_path)
    before = content_digest(demo_desk_path)
    done = nsdesk("import", demo_desk_path, back, "--dry-run")
    assert done.returncode == 0, done.stderr
    assert f"row 3: {ref}" in done.stdout
    assert "-> 'Ministry text'" in done.stdout
    assert "Dry run: nothing was changed." in done.stdout
    assert content_digest(demo_desk_path) == before


def test_conflicts_fail_by_default_and_take_or_keep_on_request(demo_desk_path, tmp_path):
    ref, back = _edited_return(demo_desk_path, tmp_path)
    with open_desk(demo_desk_path) as desk:
        RecordService(desk).update("commitment", ref, {"next_steps": "Desk text"})
    before = content_digest(demo_desk_path)
    failed = nsdesk("import", demo_desk_path, back)
    assert failed.returncode == 1
    assert "1 conflict left: nothing was imported" in failed.stderr
    assert "CONFLICT" in failed.stdout
    assert content_digest(demo_desk_path) == before
    taken = nsdesk("import", demo_desk_path, back, "--on-conflict", "take")
    assert taken.returncode == 0, taken.stderr
    assert "Imported back.xlsx: 1 records, 1 fields" in taken.stdout
    with open_desk(demo_desk_path, read_only=True) as desk:
        assert RecordService(desk).values("commitment", ref)["next_steps"] == "Ministry text"


def test_a_missing_workbook_is_a_usage_error(demo_desk_path, tmp_path):
    done = nsdesk("import", demo_desk_path, tmp_path / "nothing.xlsx")
    assert done.returncode == 2
    assert "no such file" in done.stderr


def test_no_workbook_is_read_when_defusedxml_is_switched_off(demo_desk_path, tmp_path):
    import os

    _, back = _edited_return(demo_desk_path, tmp_path)
    before = content_digest(demo_desk_path)
    unsafe = {**os.environ, "OPENPYXL_DEFUSEDXML": "False"}
    done = subprocess.run(
        [sys.executable, "-m", "nsdesk", "import", str(demo_desk_path), str(back)],
        capture_output=True,
        text=True,
        timeout=180,
        env=unsafe,
    )
    assert done.returncode == 4  # the start-up self-check refuses before anything runs
    assert "OPENPYXL_DEFUSEDXML" in done.stderr
    assert content_digest(demo_desk_path) == before
    # The import service keeps its own guard, for any caller that skips the start-up.
    service = (
        "import sys; from pathlib import Path\n"
        "from nsdesk.services.desk import open_desk\n"
        "from nsdesk.services.exchange.preview import preview_import\n"
        "from nsdesk.domain.errors import WorkbookRefusedError\n"
        "try:\n"
        "    preview_import(open_desk(Path(sys.argv[1])), Path(sys.argv[2]))\n"
        "except WorkbookRefusedError as error:\n"
        "    print('refused:', error)\n"
    )
    guarded = subprocess.run(
        [sys.executable, "-c", service, str(demo_desk_path), str(back)],
        capture_output=True,
        text=True,
        timeout=180,
        env=unsafe,
    )
    assert "refused:" in guarded.stdout, guarded.stderr
    assert "defusedxml" in guarded.stdout
    assert content_digest(demo_desk_path) == before


def _ref(desk_path, agency, level):
    import sqlite3

    connection = sqlite3.connect(desk_path)
    try:
        return connection.execute(
            "SELECT c.ref FROM commitment c JOIN agency a ON a.id = c.lead_agency_id "
            "WHERE a.code = ? AND c.sensitivity = ? AND c.retired_at IS NULL ORDER BY c.ref",
            (agency, level),
        ).fetchone()[0]
    finally:
        connection.close()


def test_a_row_for_another_ministry_is_refused_naming_it_and_nothing_changes(
    demo_desk_path, tmp_path
):
    nsdesk("export", demo_desk_path, "-o", tmp_path / "mfa.xlsx", "--agency", "MFA")
    theirs = _ref(demo_desk_path, "JUS", "INTERNAL")
    wb = openpyxl.load_workbook(tmp_path / "mfa.xlsx")
    ws = wb["Commitments"]
    ws.protection.sheet = False
    row = ws.max_row + 1
    ws.cell(row, column_of(ws, "Ref")).value = theirs
    ws.cell(row, column_of(ws, "Status")).value = "Withdrawn"
    wb.save(tmp_path / "back.xlsx")
    before = content_digest(demo_desk_path)
    done = nsdesk("import", demo_desk_path, tmp_path / "back.xlsx")
    assert done.returncode == 1
    assert f"back.xlsx, Commitments!{row}:{row}, Ref ('{theirs}'): {theirs} was not in the " in (
        done.stderr
    )
    assert "a return can only update the commitments it was sent with" in done.stderr
    assert content_digest(demo_desk_path) == before


def test_a_lowered_marking_needs_the_flag_and_the_audit_says_who_confirmed(
    demo_desk_path, tmp_path
):
    import sqlite3

    nsdesk("export", demo_desk_path, "-o", tmp_path / "register.xlsx")
    ref = _ref(demo_desk_path, "MFA", "INTERNAL")
    wb = openpyxl.load_workbook(tmp_path / "register.xlsx")
    ws = wb["Commitments"]
    row = next(r for r in range(3, ws.max_row + 1) if ws.cell(r, 1).value == ref)
    column = column_of(ws, "Sensitivity")
    ws.cell(row, column).value = "Public"
    wb.save(tmp_path / "lowered.xlsx")
    cell = f"Commitments!{openpyxl.utils.get_column_letter(column)}{row}"
    before = content_digest(demo_desk_path)
    for extra in ((), ("--dry-run",)):
        refused = nsdesk("import", demo_desk_path, tmp_path / "lowered.xlsx", *extra)
        assert refused.returncode == 1
        assert f"lowered.xlsx, {cell}, Sensitivity: {ref}" in refused.stderr
        assert "marked PUBLIC instead of INTERNAL" in refused.stderr
        assert "confirm with --allow-lower-marking" in refused.stderr
        assert content_digest(demo_desk_path) == before
    done = nsdesk("import", demo_desk_path, tmp_path / "lowered.xlsx", "--allow-lower-marking")
    assert done.returncode == 0, done.stderr
    connection = sqlite3.connect(demo_desk_path)
    level, note = connection.execute(
        "SELECT c.sensitivity, e.note FROM commitment c JOIN audit_entry e "
        "ON e.record_uuid = c.uuid AND e.field = 'sensitivity' WHERE c.ref = ?",
        (ref,),
    ).fetchone()
    connection.close()
    assert level == "PUBLIC"
    assert note.startswith("Marking lowered from INTERNAL to PUBLIC by import of lowered.xlsx")
    assert note.endswith("with --allow-lower-marking")


def test_a_foreign_tables_ceiling_is_the_default_marking_unless_given(demo_desk_path, tmp_path):
    restricted = _ref(demo_desk_path, "JUS", "RESTRICTED")
    wb = openpyxl.Workbook()
    wb.active.append(["Ref", "Status"])
    wb.active.append([restricted, "Withdrawn"])
    wb.save(tmp_path / "tracker.xlsx")
    refused = nsdesk("import", demo_desk_path, tmp_path / "tracker.xlsx", "--dry-run")
    assert refused.returncode == 1
    assert "above the ceiling of this import (Internal)" in refused.stderr
    chosen = nsdesk(
        "import", demo_desk_path, tmp_path / "tracker.xlsx", "--dry-run", "--ceiling", "restricted"
    )
    assert chosen.returncode == 0, chosen.stderr
    assert f"row 2: {restricted}" in chosen.stdout


def test_the_import_help_names_the_new_flags(capsys):
    from nsdesk.cli import main

    assert main(["import", "--help"]) == 0
    said = " ".join(capsys.readouterr().out.split())
    assert "--allow-lower-marking" in said
    assert "lower records' sensitivity" in said
    assert "--ceiling LEVEL" in said
