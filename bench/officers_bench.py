"""Issue 19: twenty officers (separate processes) editing one register on a
PostgreSQL server at once, on this machine's loopback.

    .venv/bin/python bench/officers_bench.py [--officers 20] [--seconds 60] [--readme]

Starts its own PostgreSQL (``initdb`` + ``pg_ctl``, TCP on 127.0.0.1), creates the
demo register on it, then starts the officers together. Each, until the time is up,
picks one of ten commitments (few, so that officers really meet on the same field),
reads a text field and the desk's revision in one snapshot (what its editor shows),
and either saves a new value of that field expecting what it read (four times in
five) or records a progress entry. Every attempt is logged: what was shown, the value
written (unique: officer and attempt number), saved or refused, the latency.

Then the log is checked against the desk's own history:

* lost updates: a save reported done whose value is not in the history, or whose
  entry shows another value replaced than the one its officer saw (another officer's
  change overwritten unseen) — must be 0;
* conflicts: every refusal must be true (another officer saved that field after the
  refused one read it); every save that followed another officer's unseen save of the
  same field is a conflict missed — must be 0.

Prints ``BENCH`` lines (saves per second, p50/p95/p99 save latency, lost updates,
missed and false conflicts); ``--readme`` writes them into bench/README.md between
the ``officers`` markers. Without PostgreSQL's server binaries it says so and exits 0.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from nsdesk.domain.location import ServerAddress  # noqa: E402
from tests.support.pg_server import APT_LINE, SUPERUSER, TestServer, find_binaries  # noqa: E402

PORT = 54331
FIELDS = ("title", "next_steps", "notes")
RECORDS = [f"C-{n:04d}" for n in range(1, 11)]
P95_TARGET_MS = 50.0

OFFICER = r"""
import json, random, sys, time
from nsdesk.domain.enums import Channel
from nsdesk.domain.errors import FieldChangedError
from nsdesk.domain.location import parse_address
from nsdesk.services.audit import Actor
from nsdesk.services.desk import open_desk
from nsdesk.services.records.record_service import RecordService
address, officer = sys.argv[1], sys.argv[2]
seconds, start_at = float(sys.argv[3]), float(sys.argv[4])
records, fields = json.loads(sys.argv[5]), json.loads(sys.argv[6])
think = float(sys.argv[7])
rng = random.Random(officer)
log = []
with open_desk(parse_address(address)) as desk:
    service = RecordService(desk, Actor(officer, Channel.TYPED))
    engine = desk.engine
    while time.time() < start_at:
        time.sleep(0.005)
    n = 0
    while time.time() < start_at + seconds:
        n += 1
        ref, field = rng.choice(records), rng.choice(fields)
        with engine.connect() as c:
            c = c.execution_options(isolation_level="REPEATABLE READ")
            with c.begin():
                read_revision = c.exec_driver_sql("SELECT value FROM desk_revision").scalar()
                shown = c.exec_driver_sql(
                    f"SELECT {field} FROM commitment WHERE ref = %(ref)s", {"ref": ref}
                ).scalar()
        value = f"{officer} #{n}"
        started = time.perf_counter()
        if rng.random() < 0.8:
            try:
                service.update("commitment", ref, {field: value}, expected={field: shown})
                result = "saved"
            except FieldChangedError:
                result = "refused"
            kind = "field"
        else:
            service.record_progress(ref, status="in progress", narrative=value)
            result, kind = "saved", "progress"
        took = time.perf_counter() - started
        log.append([kind, ref, field, shown, value, result, took, read_revision])
        if think:  # reading the record and typing the next value, as an officer does
            time.sleep(rng.uniform(0.5 * think, 1.5 * think))
print(json.dumps(log))
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--officers", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument(
        "--think",
        type=float,
        default=1.0,
        help="seconds an officer takes between two saves, on average (reading the record, "
        "typing the next value); 0 saves flat out, which measures the machine, not a desk",
    )
    parser.add_argument("--readme", action="store_true")
    args = parser.parse_args()
    binaries = find_binaries()
    if binaries is None:
        print(f"officers_bench: skipped, PostgreSQL's server binaries are missing ({APT_LINE})")
        return 0
    with tempfile.TemporaryDirectory(prefix="nsdesk-officers-bench-") as folder:
        os.environ.setdefault("NSDESK_HOME", str(Path(folder) / "home"))
        server = TestServer.start(binaries, tcp_port=PORT)
        try:
            return _run(args, server)
        finally:
            server.stop()


def _run(args: argparse.Namespace, server: TestServer) -> int:
    import psycopg

    from nsdesk.services.setup.demo import create_demo_desk

    with psycopg.connect(
        host="127.0.0.1", port=PORT, dbname="postgres", user=SUPERUSER, autocommit=True
    ) as admin:
        admin.execute("CREATE DATABASE officers")
    address = ServerAddress("officers", host="127.0.0.1", port=PORT, user=SUPERUSER)
    create_demo_desk(address, today=datetime.date(2026, 11, 22))
    start_at = time.time() + 5 + args.officers * 0.5  # every officer connected by then
    children = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                OFFICER,
                str(address),
                f"officer{n:02d}",
                str(args.seconds),
                str(start_at),
                json.dumps(RECORDS),
                json.dumps(FIELDS),
                str(args.think),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(args.officers)
    ]
    logs: dict[str, list[list]] = {}
    for n, child in enumerate(children):
        out, err = child.communicate(timeout=args.seconds + 600)
        if child.returncode != 0:
            print(err, file=sys.stderr)
            return 1
        logs[f"officer{n:02d}"] = json.loads(out.strip().splitlines()[-1])
    figures = _check(address, logs, args.seconds)
    return _report(args, server, figures)


def _check(address: ServerAddress, logs: dict[str, list[list]], seconds: float) -> dict:
    import psycopg

    with psycopg.connect(**address.libpq_settings()) as connection:
        history = connection.execute(
            "SELECT c.ref, a.field, a.new_value::text, a.old_value::text, a.revision, a.actor "
            "FROM audit_entry a JOIN commitment c ON c.uuid = a.record_uuid "
            "WHERE a.action = 'update' AND a.actor LIKE 'officer%%'"
        ).fetchall()
    written = {}  # value → (ref, field, old value, revision)
    by_field: dict[tuple[str, str], list[int]] = {}
    for ref, field, new, old, revision, _actor in history:
        written[json.loads(new)] = (ref, field, json.loads(old) if old else None, revision)
        by_field.setdefault((ref, field), []).append(revision)
    latencies, saves, lost, missed, false_refusals, refusals = [], 0, 0, 0, 0, 0
    for entries in logs.values():
        for kind, ref, field, shown, value, result, took, read_revision in entries:
            latencies.append(took * 1000)
            if kind == "progress":
                saves += 1
                continue
            later = [r for r in by_field.get((ref, field), []) if r > read_revision]
            if result == "saved":
                saves += 1
                found = written.get(value)
                if found is None or found[2] != shown:
                    lost += 1  # not in the history, or it replaced a value its officer never saw
                elif any(r < found[3] for r in later):
                    missed += 1  # another officer saved this field unseen before it
            else:
                refusals += 1
                if not later:
                    false_refusals += 1
    latencies.sort()

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))]

    return {
        "saves_per_s": saves / seconds,
        "attempts": len(latencies),
        "p50_ms": statistics.median(latencies),
        "p95_ms": pct(95),
        "p99_ms": pct(99),
        "lost": lost,
        "missed": missed,
        "refusals": refusals,
        "false_refusals": false_refusals,
    }


def _report(args: argparse.Namespace, server: TestServer, f: dict) -> int:
    lines = [
        ("officers_saves_per_s", f["saves_per_s"], None, "saves/s"),
        ("officers_save_p50_ms", f["p50_ms"], None, "ms"),
        ("officers_save_p95_ms", f["p95_ms"], P95_TARGET_MS, "ms"),
        ("officers_save_p99_ms", f["p99_ms"], None, "ms"),
        ("officers_lost_updates", f["lost"], 0, ""),
        ("officers_conflicts_missed", f["missed"], 0, ""),
        ("officers_false_conflicts", f["false_refusals"], 0, ""),
    ]
    rows = []
    for name, value, target, unit in lines:
        verdict = "info" if target is None else ("ok" if value <= target else "over")
        print(f"BENCH {name} {value:.3f} target {'-' if target is None else target} {verdict}")
        target_text = "-" if target is None else f"≤ {target:g} {unit}".strip()
        rows.append(f"| `{name}` | {value:,.1f} {unit} | {target_text} | {verdict} |")
    stamp = datetime.datetime.now().strftime("%Y-%m-%d %H:%M")
    text = "\n".join(
        [
            f"Measured {stamp} on {platform.machine()} {platform.system()}, "
            f"{os.cpu_count()} cores (shared, load average {os.getloadavg()[0]:.1f} "
            f"at the end), PostgreSQL from {server.bin} over TCP on "
            f"127.0.0.1: {args.officers} officer processes for {args.seconds:g} s on ten "
            + (
                f"commitments, each pausing {args.think:g} s on average between saves "
                "(reading, typing), "
                if args.think
                else "commitments saving flat out (no pause), "
            )
            + "of the demo register, "
            f"{f['attempts']:,} saves attempted, "
            f"{f['refusals']:,} refused as conflicts (each checked true against the history).",
            "",
            "| figure | value | target | verdict |",
            "|---|---|---|---|",
            *rows,
        ]
    )
    if args.readme:
        readme = HERE / "README.md"
        content = readme.read_text("utf-8")
        start, end = "<!-- officers:start -->", "<!-- officers:end -->"
        if start not in content:
            content += (
                "\n## Officers at once on a server register (issue 19)\n\n"
                "`officers_bench.py` (run alone: `.venv/bin/python bench/officers_bench.py "
                "--seconds 60 --readme`; `--seconds 10` for a quick run).\n\n"
                f"{start}\n{end}\n"
            )
        before, _, rest = content.partition(start)
        _, _, after = rest.partition(end)
        readme.write_text(f"{before}{start}\n{text}\n{end}{after}", "utf-8")
    print(text)
    return 0 if f["lost"] == 0 and f["missed"] == 0 and f["false_refusals"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
