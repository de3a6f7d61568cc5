"""Issue 18's figures for merging, against the raw library in the same run.

``python bench/merge_bench.py SCALE100_DESK [SMALL_DESK]`` prints ``BENCH …`` lines
and ``merge-bench-figures <json>`` for ``run.py``.

* **merge** — one laptop (a copy of the scale-100 desk, its own profile) edits two
  fields of 5,000 commitments (10,000 field changes, one unit of work) and sends them;
  another copy, which trusts its key, merges the file with ``apply_merge`` (every
  change checked, its history placed, each line settled, values and audit entries
  written in one transaction; the backup left out, as the raw side takes none), in a
  child whose peak memory is its own high-water mark (``VmHWM``; ``os.wait4``'s
  maxrss where there is no ``/proc``, which also counts the bench process it was
  forked from). Raw: ``sqlite3.executemany`` of
  the same 10,000 ``UPDATE``s and the same 10,000 audit rows into another copy of the
  same desk (same triggers and indexes), in one transaction.
* **write** — ``export_changes`` of those 10,000 changes (reading the desk, each
  change checked, serialised, hashed, compressed, signed, fsynced, renamed) against
  raw ``json`` + ``gzip`` (level 6, the writer's) of the same changes from a list;
  ``NSDESK_BENCH_RUNS`` times each (7), interleaved, each export on the desk opened
  afresh and each raw write the best of three; the medians.
* **kill -9** — ``merge_kill_trials.py``: 20 children merging a file of 1,600 field
  changes into a copy of a scale-1 desk, each killed at a random moment.
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from merge_kill_trials import prepare, run_trials  # noqa: E402
from run import Figure  # noqa: E402

RECORDS, FIELDS = 5_000, ("next_steps", "talking_points")
TRIALS = 20
RUNS = int(os.environ.get("NSDESK_BENCH_RUNS", "7"))

MERGE = r"""
import os, sys, time
from pathlib import Path
os.environ["NSDESK_HOME"] = sys.argv[3]
from nsdesk.services.desk import open_desk
from nsdesk.services.merge.merging import apply_merge
desk = open_desk(Path(sys.argv[1]))
started = time.perf_counter()
report = apply_merge(desk, Path(sys.argv[2]), backup=False)
seconds = time.perf_counter() - started
desk.close()
# This process's own peak: its rusage (and os.wait4's) also counts the bench process it
# was forked from, whose pages it held until exec, and that was the larger.
status = Path("/proc/self/status")
peak = next((int(l.split()[1]) for l in status.read_text().splitlines()
             if l.startswith("VmHWM:")), 0) if status.exists() else 0
print(f"merged {seconds:.6f} {report.applied_total} {peak}", flush=True)
"""


def _edit(laptop, count: int) -> int:
    """``count`` commitments get both fields changed, in one unit of work."""
    from nsdesk.services.records.record_service import RecordWriter
    from nsdesk.store.models import Commitment

    with laptop.desk() as desk, desk.writing(laptop.actor) as session:
        writer = RecordWriter(session, desk.info(), laptop.actor, date.today())
        records = session.query(Commitment).order_by(Commitment.id).limit(count).all()
        for number, record in enumerate(records):
            writer.update(
                record,
                {
                    "next_steps": f"Report to the sherpa before the meeting ({number})",
                    "talking_points": f"What was delivered since the last summit ({number})",
                },
                flush=False,
            )
        return len(records)


def _raw_rows(changes: list[dict]) -> tuple[list[tuple], list[dict]]:
    updates = [(c["new_value"], c["record_uuid"], c["field"]) for c in changes]
    audit = []
    for c in changes:
        row = dict(c)
        for name in ("old_value", "new_value", "refs", "also_replaces"):
            if name in row and row[name] is not None:
                row[name] = json.dumps(row[name])
        audit.append(row)
    return updates, audit


def _raw_merge(desk: Path, changes: list[dict]) -> float:
    updates, audit = _raw_rows(changes)
    columns = [c for c in audit[0] if c not in ("id",)]
    connection = sqlite3.connect(desk)
    try:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=NORMAL")
        revision = connection.execute("SELECT COALESCE(MAX(revision), 0) + 1 FROM audit_entry")
        revision = revision.fetchone()[0]
        started = time.perf_counter()
        with connection:
            for field in FIELDS:
                connection.executemany(
                    f"UPDATE commitment SET {field} = ? WHERE uuid = ?",
                    [(value, uuid) for value, uuid, name in updates if name == field],
                )
            connection.executemany(
                f"INSERT INTO audit_entry ({', '.join([*columns, 'revision'])}) "
                f"VALUES ({', '.join('?' for _ in [*columns, 'revision'])})",
                [(*(row[c] for c in columns), revision) for row in audit],
            )
        return time.perf_counter() - started
    finally:
        connection.close()


def _raw_write(changes: list[dict], path: Path) -> float:
    from nsdesk.exchange.changes.writer import COMPRESS_LEVEL

    started = time.perf_counter()
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=COMPRESS_LEVEL) as out:
        for change in changes:
            out.write(json.dumps(change, ensure_ascii=False, separators=(",", ":")) + "\n")
        out.flush()
        os.fsync(out.fileno())
    return time.perf_counter() - started


def _export(laptop, path: Path) -> float:
    """Seconds ``export_changes`` takes on ``laptop``'s desk, opened for it."""
    from nsdesk.services.merge.sending import export_changes

    with laptop.desk() as desk:
        started = time.perf_counter()
        export_changes(desk, path, label="anna")
        return time.perf_counter() - started


def _best_raw_write(changes: list[dict], work: Path) -> float:
    return min(_raw_write(changes, work / f"raw-{n}.gz") for n in range(3))


def main() -> int:
    large = Path(sys.argv[1])
    small = Path(sys.argv[2]) if len(sys.argv) > 2 else None
    from tests.services.merge.laptops import laptops

    work = Path(tempfile.mkdtemp(prefix="merge-bench-"))
    try:
        anna, ben = laptops(large, work, "anna", "ben")
        # Ben answers first, so Anna knows what he holds: her file then carries only
        # what he lacks (otherwise a first file carries the whole history).
        anna.merge(ben.send(everything=True))
        raw_desk = Path(shutil.copy(ben.path, work / "raw.nsdesk"))
        edited = _edit(anna, RECORDS)
        sent = work / "anna.nsdesk-changes"
        ours_writes = [_export(anna, sent)]
        # The changes as a list (the file's lines between its header and its trailer).
        lines = gzip.decompress(sent.read_bytes()).splitlines()[2:-1]
        changes = [c for c in map(json.loads, lines) if c["field"] in FIELDS]
        everything = [json.loads(line) for line in lines]
        raw_writes = [_best_raw_write(everything, work)]
        child = subprocess.Popen(
            [sys.executable, "-c", MERGE, str(ben.path), str(sent), str(ben.home)],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert child.stdout is not None
        said = child.stdout.read()
        _, status, usage = os.wait4(child.pid, 0)
        if os.waitstatus_to_exitcode(status) != 0:
            raise RuntimeError(f"the merge failed: {said}")
        _, seconds, applied, own_peak = said.split()
        ours_merge = float(seconds)
        peak = (int(own_peak) or usage.ru_maxrss) / 1024  # kB either way
        raw_merge = _raw_merge(raw_desk, changes)
        # The other writes after the merge: the child's peak counts this process's
        # own as it was when the child started (Linux accounts the parent's pages a
        # child borrowed until it ran the merge), so more exports before it would
        # inflate the merge's memory figure. Interleaved (which goes first
        # alternates), each export on the desk opened afresh as the first was.
        for run in range(1, RUNS):
            again = work / f"anna-{run}.nsdesk-changes"
            if run % 2:
                raw_writes.append(_best_raw_write(everything, work))
                ours_writes.append(_export(anna, again))
            else:
                ours_writes.append(_export(anna, again))
                raw_writes.append(_best_raw_write(everything, work))
        ours_write, raw_write = statistics.median(ours_writes), statistics.median(raw_writes)
        figures = [
            Figure(
                "merge_ratio_10k",
                ours_merge / raw_merge,
                3.0,
                "×",
                f"apply_merge of {len(changes):,} field changes over {edited:,} commitments "
                f"into a scale-100 desk {ours_merge:.2f} s ({int(applied):,} applied; no "
                f"backup) vs sqlite3.executemany of the same updates and audit rows "
                f"{raw_merge:.2f} s",
            ),
            Figure(
                "merge_write_ratio_10k",
                ours_write / raw_write,
                1.5,
                "×",
                f"export_changes of {len(everything):,} changes {ours_write:.2f} s (reading "
                f"the desk included) vs raw json + gzip of the same changes {raw_write:.2f} s "
                f"(best of 3 each time); medians of {RUNS}, interleaved",
            ),
            Figure(
                "merge_peak_mb_10k",
                peak,
                200.0,
                "MB",
                "peak resident memory of the child that opened the desk and merged the file",
            ),
        ]
        if small is not None:
            desk, file, home = prepare(small, work / "kills", rounds=14)
            trials = run_trials(desk, file, home, TRIALS, seed=18)
            before = sum(t.outcome == "before" for t in trials)
            after = sum(t.outcome == "after" for t in trials)
            sound = all(t.sound for t in trials)
            figures.append(
                Figure(
                    "merge_kill9_trials_all_or_nothing",
                    float(len(trials) if sound else 0),
                    float(TRIALS),
                    "trials",
                    f"of {len(trials)} kills at random moments during a merge of a file of "
                    f"field changes into a scale-1 desk ({before} left it exactly as before, "
                    f"{after} exactly as after; killed 0–{max(t.delay for t in trials):.2f} s "
                    "in; integrity ok)"
                    if sound
                    else f"HALF-MERGED: {[t.outcome for t in trials if not t.sound]}",
                    at_least=True,
                )
            )
        for figure in figures:
            print(figure.line(), flush=True)
        print("merge-bench-figures " + json.dumps([asdict(f) for f in figures]), flush=True)
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
