"""The backups list: what each column says, and a model Qt can rely on."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import Qt

from nsdesk.services.backups.backups import BackupInfo
from nsdesk.ui import wording
from nsdesk.ui.backups.backup_words import table_words
from nsdesk.ui.backups.backups_table_model import (
    BACKUP_ROLE,
    COL_CHECKED,
    COL_REASON,
    COL_RECORDS,
    COL_SIZE,
    COL_TAKEN,
    BackupsTableModel,
)

NOW = datetime.now(UTC)


def backup(reason, taken_at, *, size=2_154_496, verified=True):
    return BackupInfo(
        path=Path(f"/backups/demo-{reason}.nsdesk"),
        taken_at=taken_at,
        reason=reason,
        size=size,
        schema_revision="0002",
        counts={"commitment": 60, "audit_entry": 1209, "commitment_theme": 60},
        audit_high_water=1209,
        desk_uuid="u",
        desk_path="/desks/demo.nsdesk",
        verified=verified,
    )


ROWS = [
    backup("periodic", NOW),
    backup("replaced-by-restore", NOW - timedelta(days=1)),
    backup("emergency", datetime(2026, 3, 4, 13, 5, tzinfo=UTC), size=40_000, verified=False),
]


def model_with_rows():
    model = BackupsTableModel()
    model.set_rows(ROWS)
    return model


def text(model, row, column, role=Qt.ItemDataRole.DisplayRole):
    return model.data(model.index(row, column), role)


def test_the_model_behaves_as_qt_expects(qtmodeltester):
    qtmodeltester.check(model_with_rows())


def test_each_column_says_what_a_reader_needs():
    model = model_with_rows()
    assert text(model, 0, COL_TAKEN) == f"Today {wording.clock(NOW)}"
    assert text(model, 1, COL_TAKEN).startswith("Yesterday ")
    local = datetime(2026, 3, 4, 13, 5, tzinfo=UTC).astimezone()
    assert text(model, 2, COL_TAKEN) == f"Wed 4 Mar 2026, {local:%H:%M}"
    assert text(model, 0, COL_REASON) == "Periodic"
    assert text(model, 1, COL_REASON) == "Before a restore (the desk it replaced)"
    assert text(model, 2, COL_REASON) == "Emergency copy (desk file moved or deleted)"
    assert text(model, 0, COL_SIZE) == "2.2 MB"
    assert text(model, 2, COL_SIZE) == "0.1 MB"  # never "0.0 MB"
    assert text(model, 0, COL_RECORDS) == "1,269"  # link tables are not records
    assert text(model, 0, COL_CHECKED) == "Verified"
    assert text(model, 2, COL_CHECKED) == "Not verified"
    assert "did not pass its check" in text(model, 2, COL_CHECKED, Qt.ItemDataRole.ToolTipRole)
    assert "/backups/demo-periodic.nsdesk" in text(model, 0, COL_TAKEN, Qt.ItemDataRole.ToolTipRole)
    assert text(model, 1, COL_TAKEN, BACKUP_ROLE) is ROWS[1]
    assert model.row_at(2) is ROWS[2]


def test_numbers_line_up_on_the_right():
    model = model_with_rows()
    alignment = text(model, 0, COL_SIZE, Qt.ItemDataRole.TextAlignmentRole)
    assert alignment & Qt.AlignmentFlag.AlignRight
    assert text(model, 0, COL_REASON, Qt.ItemDataRole.TextAlignmentRole) is None
    header = model.headerData(
        COL_SIZE, Qt.Orientation.Horizontal, Qt.ItemDataRole.TextAlignmentRole
    )
    assert header & Qt.AlignmentFlag.AlignRight  # the heading stands over its numbers


def test_set_rows_replaces_the_list(qtmodeltester):
    model = model_with_rows()
    model.set_rows(ROWS[:1])
    assert model.rowCount() == 1
    model.set_rows([])
    assert model.rowCount() == 0
    qtmodeltester.check(model)


def test_a_lock_holder_is_named_in_local_time():
    from nsdesk.domain.errors import LockHolder

    holder = LockHolder("officer", "laptop-7", 4242, "2026-03-04T13:05:00+00:00")
    local = datetime(2026, 3, 4, 13, 5, tzinfo=UTC).astimezone()
    assert wording.holder_text(holder) == (
        f"officer on laptop-7 (nsdesk process 4242, since Wed 4 Mar 2026, {local:%H:%M})"
    )
    assert wording.holder_text(None) == "another nsdesk session"


def test_unknown_reasons_and_tables_still_read_as_words():
    assert wording.reason_text("before-export") == "Before export"
    assert table_words("status_entry") == "progress entries"
    assert table_words("audit_entry") == "entries in the change history"
    assert table_words("import_batch") == "import batch rows"
