"""kill -9 in the middle of a merge: every trial must leave the desk exactly as before
the merge (every row the same) or exactly as after it (every change of the file in
the history, the file recorded as received), with SQLite's integrity intact.

A child process opens a copy of the receiving desk and merges a changes file as
``nsdesk changes merge`` does (a backup taken for the purpose, then ONE
transaction); it is killed with SIGKILL at a random moment between opening the desk
and the end of the merge. :func:`prepare` makes the pair (a desk and a file of
field edits from another laptop that it trusts); :func:`run_trials` kills and checks.
Used by ``tests/services/merge/test_merge_kills.py`` (a few trials) and by
``bench/merge_bench.py`` (20 or more).
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

MERGE = r"""
import os, sys, time
from pathlib import Path
os.environ["NSDESK_HOME"] = sys.argv[3]
from nsdesk.services.desk import open_desk
from nsdesk.services.merge.merging import apply_merge
desk = open_desk(Path(sys.argv[1]), backups_root=Path(sys.argv[4]))
print("merging", flush=True)
started = time.perf_counter()
apply_merge(desk, Path(sys.argv[2]))
print(f"merged {time.perf_counter() - started:.6f}", flush=True)
desk.close()
"""


@dataclass(frozen=True)
class MergeTrial:
    """One kill: when, what the desk held afterwards, and whether that is whole."""

    delay: float
    outcome: str  # "before", "after", or what is wrong
    integrity: str

    @property
    def sound(self) -> bool:
        return self.outcome in ("before", "after") and self.integrity == "ok"


def digest(path: Path) -> str:
    """Every row of every table (not the file's bytes: SQLite's bookkeeping moves)."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        found = hashlib.sha256()
        for line in connection.iterdump():
            found.update(line.encode("utf-8"))
        return found.hexdigest()
    finally:
        connection.close()


def _state(path: Path) -> tuple[int, int, str]:
    connection = sqlite3.connect(path)
    try:
        entries = connection.execute("SELECT COUNT(*) FROM audit_entry").fetchone()[0]
        received = connection.execute("SELECT COUNT(*) FROM changes_received").fetchone()[0]
        integrity = connection.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        connection.close()
    return entries, received, integrity


def prepare(template: Path, folder: Path, rounds: int = 8) -> tuple[Path, Path, Path]:
    """A receiving desk (a copy of ``template``, with its profile) and a changes file
    from another laptop it trusts: ``rounds`` edits of two fields of every commitment,
    each round one unit of work. Returns (desk, file, the receiver's profile)."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from tests.services.merge.laptops import laptops

    anna, ben = laptops(template, folder, "anna", "ben")
    with anna.desk() as desk:
        from nsdesk.services.records.record_service import RecordWriter, find_record

        refs = [
            r[0]
            for r in desk.driver_connection().execute(
                "SELECT ref FROM commitment WHERE retired_at IS NULL"
            )
        ]
        for number in range(rounds):
            with desk.writing(anna.actor) as session:  # one unit of work for the round
                service = RecordWriter(session, desk.info(), anna.actor, date.today())
                for ref in refs:
                    service.update(
                        find_record(session, "commitment", ref),
                        {
                            "next_steps": f"Round {number}: report to the sherpa for {ref}",
                            "talking_points": f"Round {number}: what {ref} delivered",
                        },
                        flush=False,
                    )
    sent = anna.send(everything=False)
    return ben.path, sent, ben.home


def run_trials(
    desk: Path,
    sent: Path,
    home: Path,
    trials: int,
    *,
    seed: int = 1,
    max_delay: float | None = None,
) -> list[MergeTrial]:
    """Merge ``sent`` into copies of ``desk`` and kill each merge at a random moment;
    check each copy afterwards. ``max_delay`` defaults to how long an unkilled
    merge takes here (measured once), and half as long again: every moment of it is a
    candidate, and some kills land after it committed."""
    rng = random.Random(seed)
    work = desk.parent / "kill-trials"
    work.mkdir(exist_ok=True)
    before_digest = digest(desk)
    before_entries, _, _ = _state(desk)
    # One merge to the end: how long it takes, and what "after" is.
    whole = Path(shutil.copy(desk, work / "whole.nsdesk"))
    done = subprocess.run(
        [sys.executable, "-c", MERGE, str(whole), str(sent), str(home), str(work / "backups")],
        capture_output=True,
        text=True,
        check=True,
    )
    took = float(done.stdout.split("merged ")[1])
    after_entries, received, _ = _state(whole)
    if received != 1 or after_entries <= before_entries:
        raise RuntimeError(f"the merge to the end did not merge: {done.stderr}")
    limit = max_delay if max_delay is not None else took * 1.5 + 0.2
    results = []
    for number in range(trials):
        copy = Path(shutil.copy(desk, work / f"trial-{number}.nsdesk"))
        child = subprocess.Popen(
            [sys.executable, "-c", MERGE, str(copy), str(sent), str(home), str(work / "backups")],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert child.stdout is not None
        if not child.stdout.readline().startswith("merging"):
            child.kill()
            raise RuntimeError("the merging child did not start")
        delay = rng.uniform(0, limit)
        time.sleep(delay)
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        for leftover in copy.parent.glob(copy.name + "*.lock"):
            leftover.unlink()
        entries, received, integrity = _state(copy)
        if received == 0 and entries == before_entries and digest(copy) == before_digest:
            outcome = "before"
        elif received == 1 and entries == after_entries:
            outcome = "after"
        else:
            outcome = f"half: {entries - before_entries} entries, {received} receipt(s)"
        results.append(MergeTrial(delay, outcome, integrity))
        copy.unlink()
        for side in copy.parent.glob(copy.name + "-*"):
            side.unlink()
    return results
