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
from nsdesk.services.records.record_service import RecordService
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


# -- kill -9 during an import -------------------------------------------------------------

IMPORT_APPLY = r"""
import sys, time
from pathlib import Path
from nsdesk.services.desk import open_desk
from nsdesk.services.exchange.apply import apply_import
from nsdesk.services.exchange.preview import preview_import
desk = open_desk(Path(sys.argv[1]))
preview = preview_import(desk, Path(sys.argv[2]))
print("applying", len(preview.records), flush=True)
started = time.perf_counter()
result = apply_import(desk, preview, backup=False)
print(f"applied {time.perf_counter() - started:.6f} {result.progress_entries}", flush=True)
desk.close()
"""

# Opens the desk as the app does (a killed session's lock is taken over, so the crash
# check runs first) and says what the import left behind.
IMPORT_STATE = r"""
import json, sys
from pathlib import Path
from nsdesk.services.desk import open_desk
desk = open_desk(Path(sys.argv[1]))
connection = desk.driver_connection()
one = lambda sql: connection.execute(sql).fetchone()[0]
state = {
    "crash_checked": desk.notes.unclean is not None,
    "integrity": one("PRAGMA integrity_check"),
    "import_batch": one("SELECT COUNT(*) FROM import_batch"),
    "status_entry": one("SELECT COUNT(*) FROM status_entry"),
    "imported_entries": one("SELECT COUNT(*) FROM status_entry WHERE import_batch_id IS NOT NULL"),
    "audited_entries": one(
        "SELECT COUNT(*) FROM audit_entry WHERE record_table = 'status_entry' AND operation_id IN "
        "(SELECT operation_id FROM import_batch)"
    ),
    "import_audit": one(
        "SELECT COUNT(*) FROM audit_entry WHERE operation_id IN "
        "(SELECT operation_id FROM import_batch)"
    ),
    "next_steps_changed": one(
        "SELECT COUNT(*) FROM commitment WHERE next_steps LIKE 'Adoption by the council%'"
    ),
}
desk.close()
print("state " + json.dumps(state), flush=True)
"""


KILL_SPAN = 1.5  # kills land up to this many typical apply durations after it began


@dataclass(frozen=True)
class ImportTrial:
    delay: float
    typical: float  # the apply's duration when not killed (s)
    committed: bool  # the desk holds the whole import
    all_or_nothing: bool  # exactly as before, or exactly as after; integrity ok
    crash_checked: bool
    state: dict


def _import_state(desk: Path, env: dict[str, str] | None) -> dict:
    output = subprocess.run(
        [sys.executable, "-c", IMPORT_STATE, str(desk)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    import json

    return json.loads(next(line[6:] for line in output.splitlines() if line.startswith("state ")))


def run_import_trials(
    pristine: Path,
    workbook: Path,
    folder: Path,
    trials: int,
    *,
    seed: int = 1,
    rows: int,
    env: dict[str, str] | None = None,
) -> list[ImportTrial]:
    """Kill a child importing ``workbook`` into a copy of ``pristine`` at a random
    moment of its apply; reopen the copy as the app does and check it holds all of
    the import or none of it.

    One unkilled run first gives the state after and the apply's typical duration;
    each kill then comes after a delay drawn between 0 and 1.5 times that duration
    from the moment the child starts applying (so most land inside the transaction,
    some after it). The unkilled run must have added exactly one import and ``rows``
    history entries, each audited, or the trials would prove nothing."""
    import shutil

    folder.mkdir(parents=True, exist_ok=True)
    desk = folder / "trial.nsdesk"

    def fresh() -> None:
        for suffix in ("", "-wal", "-shm", "-journal", ".lock"):
            Path(f"{desk}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(pristine, desk)

    def start() -> subprocess.Popen:
        child = subprocess.Popen(
            [sys.executable, "-c", IMPORT_APPLY, str(desk), str(workbook)],
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        line = child.stdout.readline()  # the preview is made: the apply starts now
        if not line.startswith("applying"):
            child.kill()
            raise RuntimeError("the importing child did not start its apply")
        return child

    fresh()
    before = _import_state(desk, env)
    child = start()
    applied = child.stdout.readline().split()
    child.wait()
    if applied[:1] != ["applied"]:
        raise RuntimeError("the importing child did not finish its apply")
    typical = float(applied[1])
    after = _import_state(desk, env)
    added = {k: after[k] - before[k] for k in ("import_batch", "status_entry", "audited_entries")}
    if added != {"import_batch": 1, "status_entry": rows, "audited_entries": rows}:
        raise RuntimeError(f"the unkilled import added {added}, not one import of {rows} rows")
    rng = random.Random(seed)
    results = []
    for _ in range(trials):
        fresh()
        child = start()
        delay = rng.uniform(0, typical * KILL_SPAN)
        time.sleep(delay)
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        child.stdout.close()
        state = _import_state(desk, env)
        crash_checked = state.pop("crash_checked")
        sound = state["integrity"] == "ok"
        whole = state == {k: v for k, v in after.items() if k != "crash_checked"}
        none = state == {k: v for k, v in before.items() if k != "crash_checked"}
        results.append(
            ImportTrial(delay, typical, whole, sound and (whole or none), crash_checked, state)
        )
    for suffix in ("", "-wal", "-shm", "-journal", ".lock"):
        Path(f"{desk}{suffix}").unlink(missing_ok=True)
    return results
