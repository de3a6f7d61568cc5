"""kill -9 in the middle of bulk edits: every trial must leave the desk exactly before
or exactly after each edit, with its integrity intact.

A child process opens the desk and repeats one bulk edit — a progress entry for
every commitment, in ONE unit of work — until it is killed with SIGKILL at a
random moment. Afterwards the number of new history entries must be a whole
number of edits (a partial edit would leave a remainder), every one of them must
have its audit entry, and SQLite's integrity check must pass.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

BULK_EDITS = r"""
import sys
from pathlib import Path
from nsdesk.services.desk import open_desk
from nsdesk.services.records import RecordService
desk = open_desk(Path(sys.argv[1]))
records = RecordService(desk)
refs = [r[0] for r in desk.driver_connection().execute(
    "SELECT ref FROM commitment WHERE retired_at IS NULL")]
print("editing", len(refs), flush=True)
while True:
    records.record_progress_many(refs, status="in progress", narrative="Bulk update")
    print("committed", flush=True)
"""


@dataclass(frozen=True)
class Trial:
    delay: float
    edits_committed: int
    sound: bool
    remainder: int


def _counts(path: Path) -> tuple[int, int, int, str]:
    connection = sqlite3.connect(path)
    try:
        entries = connection.execute(
            "SELECT COUNT(*) FROM status_entry WHERE narrative = 'Bulk update'"
        ).fetchone()[0]
        audited = connection.execute(
            "SELECT COUNT(*) FROM audit_entry WHERE record_table = 'status_entry' "
            "AND action = 'create' AND record_uuid IN "
            "(SELECT uuid FROM status_entry WHERE narrative = 'Bulk update')"
        ).fetchone()[0]
        live = connection.execute(
            "SELECT COUNT(*) FROM commitment WHERE retired_at IS NULL"
        ).fetchone()[0]
        integrity = connection.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        connection.close()
    return entries, audited, live, integrity


def run_trials(desk: Path, trials: int, *, seed: int = 1, max_delay: float = 2.0) -> list[Trial]:
    """Kill a bulk-editing child at random moments; check the desk after each kill."""
    rng = random.Random(seed)
    results = []
    for _ in range(trials):
        before, _, live, _ = _counts(desk)
        child = subprocess.Popen(
            [sys.executable, "-c", BULK_EDITS, str(desk)], stdout=subprocess.PIPE, text=True
        )
        line = child.stdout.readline()  # waits until the desk is open and editing starts
        if not line.startswith("editing"):
            child.kill()
            raise RuntimeError("the editing child did not start")
        delay = rng.uniform(0, max_delay)
        time.sleep(delay)
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        after, audited, _, integrity = _counts(desk)
        added = after - before
        results.append(
            Trial(delay, added // live, integrity == "ok" and audited == after, added % live)
        )
    return results


def all_or_nothing(results: list[Trial]) -> bool:
    return all(t.sound and t.remainder == 0 for t in results)
