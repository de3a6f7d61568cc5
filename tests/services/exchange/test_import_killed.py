"""kill -9 during an import leaves the desk exactly as before or exactly as after:
the import is one transaction. (make bench runs more trials on a larger return.)"""

from __future__ import annotations

import random
import time

import openpyxl
import pytest
from sqlalchemy import func, select

from nsdesk.services.desk import open_desk
from nsdesk.services.exchange.export import ExportRequest, export_workbook
from nsdesk.store import tables as t
from tests.exchange.workbooks import column_of
from tests.support.processes import kill_hard, python, wait_for

IMPORT = """
import sys
from pathlib import Path
from nsdesk.services.desk import open_desk
from nsdesk.services.exchange.apply import apply_import
from nsdesk.services.exchange.preview import preview_import
with open_desk(Path(sys.argv[1])) as desk:
    preview = preview_import(desk, Path(sys.argv[2]))
    print("applying", len(preview.records), flush=True)
    apply_import(desk, preview)
    print("applied", flush=True)
"""


def _counts(path):
    with open_desk(path) as desk, desk.connect() as connection:
        return tuple(
            connection.execute(select(func.count()).select_from(table)).scalar()
            for table in (t.import_batch, t.status_entry, t.audit_entry)
        )


@pytest.mark.file_desk  # each trial starts from a fresh copy of the desk file
def test_an_import_killed_at_random_moments_is_all_or_nothing(demo_desk_path, tmp_path):
    with open_desk(demo_desk_path) as desk:
        out = export_workbook(desk, ExportRequest(agency="REG"), tmp_path / "reg.xlsx").path
    wb = openpyxl.load_workbook(out)
    ws = wb["Commitments"]
    rows = range(3, ws.max_row + 1)
    for row in rows:
        ws.cell(row, column_of(ws, "Progress since last update")).value = f"Progress {row}"
    wb.save(tmp_path / "edited.xlsx")
    before = _counts(demo_desk_path)
    rng = random.Random(5)
    outcomes = []
    for trial in range(5):
        desk_copy = tmp_path / f"trial{trial}.nsdesk"
        desk_copy.write_bytes(demo_desk_path.read_bytes())
        child = python(IMPORT, str(desk_copy), str(tmp_path / "edited.xlsx"))
        wait_for(child, "applying")
        time.sleep(rng.uniform(0.0, 1.0))
        kill_hard(child)
        child.wait()
        after = _counts(desk_copy)
        if after[0] == before[0]:
            assert after[:2] == before[:2], after  # nothing of the import
            outcomes.append("before")
        else:
            assert after[0] == before[0] + 1
            assert after[1] == before[1] + len(rows)  # every progress entry
            outcomes.append("after")
    print("import kill -9 trials:", outcomes)
