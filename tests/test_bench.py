"""The benchmark's baselines must do the same work as nsdesk, or its ratios lie."""

import sqlite3
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

import run as bench


def objects(path, kind):
    connection = sqlite3.connect(path)
    names = {
        r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type = ?", (kind,))
    }
    connection.close()
    return names


@pytest.mark.file_desk
def test_the_raw_baseline_schema_keeps_every_index_and_full_text_trigger(new_desk_path, tmp_path):
    copy = tmp_path / "copy.sqlite"
    connection = sqlite3.connect(copy)
    connection.executescript(bench.creation_schema(new_desk_path))
    connection.close()
    for kind in ("table", "index", "trigger"):
        assert objects(copy, kind) == objects(new_desk_path, kind), kind
    assert len(objects(copy, "trigger")) == 15


@pytest.mark.file_desk
def test_the_raw_baseline_inserts_exactly_the_rows_nsdesk_wrote(demo_desk_path):
    tables = bench.dump_rows(demo_desk_path)
    assert sum(len(rows) for _, _, rows in tables) > 3000
    connection = sqlite3.connect(demo_desk_path)
    for table, _, rows in tables:
        assert connection.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0] == len(rows)
    connection.close()
