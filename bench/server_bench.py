"""Issue 19: a register on a PostgreSQL server against the same register in a desk
file, on this machine's loopback.

    .venv/bin/python bench/server_bench.py [--readme]

Starts its own PostgreSQL (as the test suite does: ``initdb`` + ``pg_ctl``, here
listening on 127.0.0.1 so the figures include TCP), makes the scale-100 demo desk
file, publishes it to the server (``copy_desk``), and then, interleaved, on both:

* reads every register (``load_register``: the SQL the user waits for when a
  register first opens, and after Reload);
* runs the four search-box queries of ``registers_bench.py`` (``search_desk``).

Each figure is the median over ``NSDESK_BENCH_RUNS`` runs (default 7) of the server
side divided by the file side (both warm: one unmeasured run first). Target: 1.5.
Prints ``BENCH`` lines; ``--readme`` writes them into bench/README.md between the
``server`` markers. Without PostgreSQL's server binaries it says so and exits 0.
"""

from __future__ import annotations

import datetime
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from nsdesk.domain.location import ServerAddress  # noqa: E402
from nsdesk.services.desk import Desk, open_desk  # noqa: E402
from nsdesk.services.records.registers import REGISTERS, load_register  # noqa: E402
from nsdesk.services.records.search import search_desk  # noqa: E402
from nsdesk.services.setup.copy_desk import copy_desk  # noqa: E402
from nsdesk.services.setup.demo import create_demo_desk  # noqa: E402
from tests.support.pg_server import APT_LINE, SUPERUSER, TestServer, find_binaries  # noqa: E402

RUNS = int(os.environ.get("NSDESK_BENCH_RUNS", "7"))
QUERIES = ("security", "mfa", "late", "forensics")
TARGET = 1.5
AS_OF = date(2026, 11, 22)


def _time(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def _registers(desk: Desk) -> None:
    for name in REGISTERS:
        load_register(desk, name, as_of=AS_OF)


def _searches(desk: Desk) -> None:
    for query in QUERIES:
        search_desk(desk, query)


def measure(file_desk: Desk, server_desk: Desk) -> dict[str, tuple[float, float]]:
    """Median seconds (file, server) of each action, interleaved run by run."""
    actions = {"registers_load": _registers, "search_queries": _searches}
    results = {}
    for name, action in actions.items():
        action(file_desk)  # warm: compiled statements, file cache, the server's buffers
        action(server_desk)
        file_times, server_times = [], []
        for _ in range(RUNS):
            file_times.append(_time(lambda a=action: a(file_desk)))
            server_times.append(_time(lambda a=action: a(server_desk)))
        results[name] = (statistics.median(file_times), statistics.median(server_times))
    return results


def first_window(path: Path, address: ServerAddress, folder: Path) -> tuple[float, float]:
    """Median seconds (file, server) from starting ``nsdesk DESK`` to its window showing
    the desk's data (the start-up probe run.py uses), interleaved run by run."""
    from run import NSDESK, child_env, run_child  # lazy: the start-up bench's own helpers

    env = child_env(folder / "app-home")
    arguments = {"file": str(path), "server": str(address)}
    for argument in arguments.values():  # warm: bytecode, caches, the server's buffers
        run_child([*NSDESK, argument], env)
    times: dict[str, list[float]] = {"file": [], "server": []}
    for _ in range(RUNS):
        for kind, argument in arguments.items():
            moments, _, _ = run_child([*NSDESK, argument], env)
            times[kind].append(moments["data_shown"])
    return statistics.median(times["file"]), statistics.median(times["server"])


def main() -> int:
    binaries = find_binaries()
    if binaries is None:
        print(f"server_bench: skipped, PostgreSQL's server binaries are missing ({APT_LINE})")
        return 0
    with tempfile.TemporaryDirectory(prefix="nsdesk-server-bench-") as folder:
        os.environ.setdefault("NSDESK_HOME", str(Path(folder) / "home"))
        server = TestServer.start(binaries, tcp_port=54329)
        try:
            return _run(Path(folder), server)
        finally:
            server.stop()


def _run(folder: Path, server: TestServer) -> int:
    path = folder / "scale100.nsdesk"
    started = time.perf_counter()
    create_demo_desk(path, scale=100, seed=2026, today=AS_OF)
    made = time.perf_counter() - started
    import psycopg

    with psycopg.connect(
        host="127.0.0.1", port=54329, dbname="postgres", user=SUPERUSER, autocommit=True
    ) as admin:
        admin.execute("CREATE DATABASE bench")
    address = ServerAddress("bench", host="127.0.0.1", port=54329, user=SUPERUSER)
    started = time.perf_counter()
    copied = copy_desk(path, address)
    published = time.perf_counter() - started
    with open_desk(path, read_only=True) as file_desk, open_desk(address) as server_desk:
        results = measure(file_desk, server_desk)
    results["first_window_data"] = first_window(path, address, folder)
    lines = []
    for name, (on_file, on_server) in results.items():
        ratio = on_server / on_file
        target = None if name == "first_window_data" else TARGET  # the issue sets none
        verdict = "info" if target is None else ("ok" if ratio <= target else "over")
        print(f"BENCH server_{name}_ratio {ratio:.3f} target {target or '-'} {verdict}", flush=True)
        lines.append(
            f"| `server_{name}_ratio` | {ratio:.2f}× | {'-' if target is None else f'≤ {target}'}"
            f" | {verdict} | "
            f"{on_server * 1000:.0f} ms on the server, {on_file * 1000:.0f} ms on the file |"
        )
    print(f"BENCH server_publish_scale100_s {published:.3f} target - -", flush=True)
    stamp = datetime.datetime.now().strftime("%Y-%m-%d %H:%M")
    text = "\n".join(
        [
            f"Measured {stamp} on {platform.machine()} {platform.system()}, "
            f"{os.cpu_count()} cores, PostgreSQL from {server.bin} over TCP on 127.0.0.1; "
            f"medians of {RUNS} interleaved runs after one warm-up each. The scale-100 demo "
            f"desk ({copied.records:,} records, {copied.audit_entries:,} audit entries; made "
            f"in {made:.0f} s) was published to the server with `nsdesk copy` in "
            f"{published:.1f} s.",
            "",
            "| figure | value | target | verdict | what was compared |",
            "|---|---|---|---|---|",
            *lines,
        ]
    )
    if "--readme" in sys.argv:
        readme = HERE / "README.md"
        content = readme.read_text("utf-8")
        start, end = "<!-- server:start -->", "<!-- server:end -->"
        before, _, rest = content.partition(start)
        _, _, after = rest.partition(end)
        readme.write_text(f"{before}{start}\n{text}\n{end}{after}", "utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
