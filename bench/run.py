"""``make bench``: nsdesk's speed as ratios against the raw libraries, in one run.

Every figure is printed as ``BENCH <name> <value> target <target> <ok|over>``
(figures without a target print ``-`` and ``info``), and the table in
``bench/README.md`` is rewritten with them. Ratios are measured in the same run on
the same machine, interleaving the contenders and taking medians, so a busy or
slow machine moves both sides alike.

Start-up runs the real ``nsdesk DESK`` command with ``NSDESK_STARTUP_PROBE=1``
(the app prints when it first painted and when it first painted the desk's data)
against ``bench/bare_window.py``. The demo compares ``create_demo_desk(scale=100)``
with plain ``sqlite3.executemany`` of exactly the rows it wrote, into the same
schema (same pragmas, same full-text triggers). The registers (issue 3) are measured
by ``bench/registers_bench.py`` on the scale-100 desk: filtering, sorting, searching
and opening each register against Qt's own ``QSortFilterProxyModel`` and a bare
``QTableView`` over the same rows, and the app's memory with every page shown.
The Excel exchange (issue 5) is measured by ``bench/exchange_bench.py``: export and
import of 10,000 rows against raw openpyxl, hostile files, and kill -9 during imports.
Changes files between laptops (issue 18) by ``bench/changes_bench.py``: writing and
reading 10,000 field changes against raw json + gzip, and hostile changes files.
"""

from __future__ import annotations

import datetime
import json
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
PYTHON = sys.executable
# The command users launch: the installed ``nsdesk`` script next to this Python.
_SCRIPT = Path(PYTHON).with_name("nsdesk")
NSDESK = [str(_SCRIPT)] if _SCRIPT.exists() else [PYTHON, "-m", "nsdesk"]
RUNS = int(os.environ.get("NSDESK_BENCH_RUNS", "7"))


@dataclass
class Figure:
    name: str
    value: float
    target: float | None
    unit: str
    note: str
    at_least: bool = False  # the target is a minimum (a count of trials), not a maximum

    @property
    def verdict(self) -> str:
        if self.target is None:
            return "info"
        if self.at_least:
            return "ok" if self.value >= self.target else "under"
        return "ok" if self.value <= self.target else "over"

    @property
    def target_text(self) -> str:
        if self.target is None:
            return "-"
        return f"{'≥' if self.at_least else '≤'} {self.target:g} {self.unit}"

    def line(self) -> str:
        target = "-" if self.target is None else f"{self.target:g}"
        return f"BENCH {self.name} {self.value:.3f} target {target} {self.verdict}"


def run_child(args: list[str], env: dict[str, str]) -> tuple[dict[str, float], float, str]:
    """Run a child; returns the probe moments relative to its start (seconds), its
    peak resident memory (MB) and its output."""
    started = time.time()
    child = subprocess.Popen(
        args, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    output = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed ({child.returncode}):\n{output}")
    moments = {}
    for line in output.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0] == "nsdesk-probe":
            moments[parts[1]] = float(parts[2]) - started
        elif len(parts) == 2 and parts[0].endswith("_seconds"):
            moments[parts[0]] = float(parts[1])
    return moments, usage.ru_maxrss / 1024, output


def child_env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(QT_QPA_PLATFORM="offscreen", NSDESK_HOME=str(home), NSDESK_STARTUP_PROBE="1")
    # An installed app starts from compiled bytecode, as the libraries here do. Without
    # this, a shell with PYTHONDONTWRITEBYTECODE (or a read-only checkout) would make
    # every nsdesk start recompile its own modules while the baselines did not.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(home.parent / "pycache")
    return env


def make_demo(path: Path, scale: int, env: dict[str, str]) -> tuple[float, float]:
    """Create a demo desk in a child process; returns (seconds, peak MB)."""
    code = (
        "import time, sys; started = time.perf_counter()\n"
        "from pathlib import Path\n"
        "from nsdesk.services.setup.demo import create_demo_desk\n"
        f"create_demo_desk(Path(sys.argv[1]), scale={scale})\n"
        "print(f'demo_seconds {time.perf_counter() - started:.6f}')\n"
    )
    moments, peak, _ = run_child([PYTHON, "-c", code, str(path)], env)
    return moments["demo_seconds"], peak


def startup_figures(desk: Path, env: dict[str, str], label: str) -> list[Figure]:
    ours_first, ours_data, bare_first, base_data, ours_mb, base_mb = [], [], [], [], [], []
    for warm_up in ([*NSDESK, str(desk)], [PYTHON, str(HERE / "bare_window.py")]):
        run_child(warm_up, env)  # bytecode compiled and files cached, for both sides alike
    for _ in range(RUNS):
        moments, peak, _ = run_child([*NSDESK, str(desk)], env)
        ours_first.append(moments["first_paint"])
        ours_data.append(moments["data_shown"])
        ours_mb.append(peak)
        moments, _, _ = run_child([PYTHON, str(HERE / "bare_window.py")], env)
        bare_first.append(moments["first_paint"])
        moments, peak, _ = run_child(
            [PYTHON, str(HERE / "bare_window.py"), "--sqlalchemy", str(desk)], env
        )
        base_data.append(moments["data_shown"])
        base_mb.append(peak)
    med = statistics.median
    return [
        Figure(
            f"startup_first_paint_ratio_{label}",
            med(ours_first) / med(bare_first),
            1.3,
            "×",
            f"nsdesk {med(ours_first):.3f} s vs bare PySide6 window {med(bare_first):.3f} s",
        ),
        Figure(
            f"startup_data_shown_ratio_{label}",
            med(ours_data) / med(base_data),
            1.5,
            "×",
            f"nsdesk {med(ours_data):.3f} s vs bare window + SQLAlchemy opening the desk "
            f"{med(base_data):.3f} s",
        ),
        Figure(
            f"startup_peak_mb_{label}",
            med(ours_mb),
            None,
            "MB",
            f"baseline (bare window + SQLAlchemy) {med(base_mb):.0f} MB",
        ),
    ]


def creation_schema(path: Path) -> str:
    """The desk's schema as statements that recreate it: every table, index and
    trigger (the full-text index's triggers included), but not the shadow tables
    that each full-text virtual table creates for itself."""
    connection = sqlite3.connect(path)
    virtual = [
        r[0]
        for r in connection.execute(
            "SELECT name FROM sqlite_master WHERE sql LIKE 'CREATE VIRTUAL TABLE%'"
        )
    ]
    rows = connection.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY rowid"
    ).fetchall()
    connection.close()

    def shadow(kind: str, name: str) -> bool:
        return kind == "table" and any(name != v and name.startswith(f"{v}_") for v in virtual)

    return "".join(f"{sql};\n" for kind, name, sql in rows if not shadow(kind, name))


def dump_rows(path: Path) -> list[tuple[str, list[str], list[tuple]]]:
    """Every row nsdesk wrote, table by table in dependency order."""
    from nsdesk.store.tables import metadata

    connection = sqlite3.connect(path)
    tables = []
    for table in [*metadata.sorted_tables, "alembic_version"]:
        name = table if isinstance(table, str) else table.name
        columns = [r[1] for r in connection.execute(f'PRAGMA table_info("{name}")')]
        rows = connection.execute(f'SELECT * FROM "{name}" ORDER BY rowid').fetchall()
        tables.append((name, columns, rows))
    connection.close()
    return tables


_DUMP_ROWS = """import json, pickle, sys
sys.path.insert(0, sys.argv[1])
from run import dump_rows
tables = dump_rows(sys.argv[2])
with open(sys.argv[3], "wb") as out:
    pickle.dump(tables, out)
print(json.dumps({name: len(rows) for name, _, rows in tables}))
"""


def demo_figures(work: Path, env: dict[str, str]) -> list[Figure]:
    from nsdesk.store.schema_snapshot import schema_at  # noqa: F401 - same package, warm

    ours = work / "scale100.nsdesk"
    seconds, peak = make_demo(ours, 100, env)
    empty = work / "empty.nsdesk"
    make_demo(work / "throwaway.nsdesk", 1, env)  # warm caches alike for both sides
    rows_file = work / "rows.pickle"
    # The rows are dumped by a child: holding them here would make this process large,
    # and a child's ru_maxrss counts its parent's memory at the moment it was started.
    _, _, output = run_child([PYTHON, "-c", _DUMP_ROWS, str(HERE), str(ours), str(rows_file)], env)
    counts = json.loads(output.splitlines()[-1])
    schema_file = work / "schema.sql"
    schema_file.write_text(creation_schema(ours), "utf-8")
    moments, raw_peak, _ = run_child(
        [PYTHON, str(HERE / "raw_insert.py"), str(rows_file), str(schema_file), str(empty)], env
    )
    raw = moments["raw_insert_seconds"]
    total_rows = sum(counts.values())
    commitments = counts["commitment"]
    history = counts["status_entry"]
    return [
        Figure(
            "demo_scale100_ratio",
            seconds / raw,
            2.0,
            "×",
            f"nsdesk {seconds:.2f} s (imports, schema, catalogue, generation, audit) vs "
            f"sqlite3.executemany of the same {total_rows:,} rows {raw:.2f} s",
        ),
        Figure(
            "demo_scale100_seconds",
            seconds,
            None,
            "s",
            f"{commitments:,} commitments, {history:,} history entries",
        ),
        Figure(
            "demo_scale100_peak_mb",
            peak,
            None,
            "MB",
            f"raw executemany process {raw_peak:.0f} MB (rows preloaded)",
        ),
    ]


def safety_figures(work: Path, env: dict[str, str], large: Path) -> list[Figure]:
    """Backups, restore and kill -9 trials (issue "Nothing lost")."""
    sys.path.insert(0, str(HERE))
    from kill_trials import all_or_nothing, run_trials

    from nsdesk.services.backups.backups import take_backup
    from nsdesk.services.backups.restore import restore_desk
    from nsdesk.store.backup import verify_copy

    os.environ["NSDESK_HOME"] = env["NSDESK_HOME"]
    copies, backups = [], []
    for i in range(5):  # interleaved, so a busy disk slows both alike
        target = work / f"copy-{i}.nsdesk"
        started = time.perf_counter()
        shutil.copyfile(large, target)
        handle = os.open(target, os.O_RDONLY)
        os.fsync(handle)  # a copy still in the page cache is not a backup yet
        os.close(handle)
        copies.append(time.perf_counter() - started)
        started = time.perf_counter()
        info = take_backup(large, to=work / f"backup-{i}.nsdesk")
        backups.append(time.perf_counter() - started)
    med = statistics.median
    verifying = []  # the share of a backup spent proving the copy sound
    for i in range(5):
        started = time.perf_counter()
        verify_copy(work / f"backup-{i}.nsdesk")
        verifying.append(time.perf_counter() - started)
    restore_times = []
    for i in range(3):
        started = time.perf_counter()
        restore_desk(large, work / f"backup-{i}.nsdesk", root=work / "restore-backups")
        restore_times.append(time.perf_counter() - started)
    _, _, output = run_child([PYTHON, str(HERE / "pause_probe.py"), str(large)], env)
    pause, quiet, backup_seconds = (float(x) for x in output.split("pause_ms")[1].split()[:3])
    small = work / "scale10.nsdesk"
    make_demo(small, 10, env)
    trials = run_trials(small, trials=25, seed=2026, max_delay=3.0)
    committed = sum(t.edits_committed for t in trials)
    return [
        Figure(
            "backup_scale100_ratio",
            med(backups) / med(copies),
            2.0,
            "×",
            f"verified online backup {med(backups):.3f} s (of which the integrity check "
            f"{med(verifying):.3f} s) vs file copy + fsync {med(copies):.3f} s "
            f"({info.size / 1e6:.0f} MB)",
        ),
        Figure(
            "periodic_backup_pause_ms",
            pause,
            50,
            "ms",
            f"worst lateness of a 5 ms GUI timer while the app's background helper backed "
            f"up the desk ({backup_seconds:.2f} s); {quiet:.1f} ms with nothing running",
        ),
        Figure(
            "restore_scale100_seconds",
            med(restore_times),
            None,
            "s",
            "check the backup, keep the current desk aside (verified), copy, rename",
        ),
        Figure(
            "kill9_trials_all_or_nothing",
            sum(1 for t in trials if t.sound and t.remainder == 0),
            20,
            "trials",
            f"of {len(trials)} kills at random moments during bulk edits of 600 "
            f"commitments ({committed} edits committed in all; "
            f"{'every' if all_or_nothing(trials) else 'NOT every'} trial exactly before or "
            "after each edit, integrity ok)",
            at_least=True,
        ),
    ]


def child_figures(output: str, bench: str) -> list[Figure]:
    """The figures a ``<bench>_bench.py`` child printed as ``<bench>-bench-figures <json>``."""
    prefix = f"{bench}-bench-figures "
    found = [line[len(prefix) :] for line in output.splitlines() if line.startswith(prefix)]
    if not found:
        raise RuntimeError(f"{bench}_bench.py printed no figures:\n{output}")
    return [Figure(**fields) for fields in json.loads(found[-1])]


def registers_figures(large: Path, env: dict[str, str], dashboard_mb: float | None) -> list[Figure]:
    """Issue 3: the registers on the scale-100 desk (``registers_bench.py``), and the
    peak memory of the app once it has shown every page of that desk."""
    script = str(HERE / "registers_bench.py")
    _, _, output = run_child([PYTHON, script, str(large)], env)
    figures = child_figures(output, "registers")
    # The first opening of the desk also takes the on-open backup (on a helper thread);
    # later ones find that backup current, as a user's every later session does.
    _, first_mb, _ = run_child([PYTHON, script, "--app", str(large)], env)
    peaks, rows = [], 0
    for _ in range(3):
        _, peak, output = run_child([PYTHON, script, "--app", str(large)], env)
        peaks.append(peak)
        said = [line.split() for line in output.splitlines()]
        rows = next(int(words[1]) for words in said if words[:1] == ["app_register_rows"])
    dashboard = f"; {dashboard_mb:.0f} MB on the dashboard alone" if dashboard_mb else ""
    figures.append(
        Figure(
            "app_peak_mb_scale100",
            statistics.median(peaks),
            None,
            "MB",
            f"the app on the scale-100 desk after showing every page and tab ({rows:,} "
            f"register rows read) and one search{dashboard}; {first_mb:.0f} MB the first "
            "time, which also takes the on-open backup",
        )
    )
    return figures


def briefing_figures(work: Path, env: dict[str, str]) -> list[Figure]:
    """Issue 4: the briefing pack of a scale-10 demo desk (``briefing_bench.py``),
    and the peak memory of a process that makes it once."""
    desk = work / "briefing-scale10.nsdesk"
    make_demo(desk, 10, env)
    script = str(HERE / "briefing_bench.py")
    _, _, output = run_child([PYTHON, script, str(desk)], env)
    figures = child_figures(output, "briefing")
    peaks, pages = [], 0
    for _ in range(3):
        _, peak, output = run_child(
            [PYTHON, script, "--once", str(desk), str(work / "once.pdf")], env
        )
        peaks.append(peak)
        pages = int(
            next(
                line.split()[2] for line in output.splitlines() if line.startswith("briefing_once")
            )
        )
    figures.append(
        Figure(
            "briefing_peak_mb_scale10",
            statistics.median(peaks),
            None,
            "MB",
            f"a process that opens the scale-10 demo desk and writes its whole pack once "
            f"({pages} pages), imports included",
        )
    )
    return figures


def exchange_figures(env: dict[str, str]) -> tuple[list[Figure], str]:
    """Issue 5: the Excel exchange (``exchange_bench.py``): export and import of 10,000
    rows against raw openpyxl, the import's memory, hostile files refused, and kill -9
    during imports. Its desks and workbooks are kept in ``bench/out/exchange`` (git
    ignores it) and remade only when the schema, the demo or the exchange code changes.
    Returns the figures and the table of hostile files for the README."""
    script = str(HERE / "exchange_bench.py")
    _, _, output = run_child([PYTHON, script, "--work", str(HERE / "out" / "exchange")], env)
    prefix = "exchange-bench-hostile "
    table = next(
        json.loads(line[len(prefix) :]) for line in output.splitlines() if line.startswith(prefix)
    )
    return child_figures(output, "exchange"), table


def changes_figures(env: dict[str, str]) -> tuple[list[Figure], str]:
    """Issue 18: changes files (``changes_bench.py``): writing 10,000 field changes
    against raw json + gzip, reading them, and the hostile files refused. Returns the
    figures and the table of hostile files for the README."""
    _, _, output = run_child([PYTHON, str(HERE / "changes_bench.py")], env)
    prefix = "changes-bench-hostile "
    table = next(
        json.loads(line[len(prefix) :]) for line in output.splitlines() if line.startswith(prefix)
    )
    return child_figures(output, "changes"), table


def merge_figures(large: Path, env: dict[str, str]) -> list[Figure]:
    """Issue 18: merging (``merge_bench.py``): 10,000 field changes over 5,000 records
    merged into the scale-100 desk against raw executemany, the file written against
    raw json + gzip, the merge's peak memory, and kill -9 during merges."""
    from nsdesk.services.setup.demo import create_demo_desk

    small = large.with_name("merge-kills-scale1.nsdesk")
    if not small.exists():
        create_demo_desk(small)
    _, _, output = run_child([PYTHON, str(HERE / "merge_bench.py"), str(large), str(small)], env)
    return child_figures(output, "merge")


def replace_between(text: str, start: str, end: str, content: str) -> str:
    """``text`` with what lies between the markers ``start`` and ``end`` replaced."""
    if start not in text:
        return text
    before, _, rest = text.partition(start)
    _, _, after = rest.partition(end)
    return f"{before}{start}\n{content}\n{end}{after}"


def write_readme(figures: list[Figure], sections: dict[str, str] | None = None) -> None:
    """The figures table, and ``sections`` (name -> text) between
    ``<!-- name:start -->`` and ``<!-- name:end -->``."""
    readme = HERE / "README.md"
    text = readme.read_text("utf-8")
    for name, content in (sections or {}).items():
        text = replace_between(text, f"<!-- {name}:start -->", f"<!-- {name}:end -->", content)
    start, end = "<!-- figures:start -->", "<!-- figures:end -->"
    stamp = datetime.datetime.now().strftime("%Y-%m-%d %H:%M")
    table = [
        f"Measured {stamp} on {platform.machine()} {platform.system()}, "
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
        f"{os.cpu_count()} cores; medians of {RUNS} runs for start-up and the registers.",
        "",
        "| figure | value | target | verdict | what was compared |",
        "|---|---|---|---|---|",
        *(
            f"| `{f.name}` | {f.value:.2f} {f.unit} | {f.target_text} | {f.verdict} | {f.note} |"
            for f in figures
        ),
    ]
    before, _, rest = text.partition(start)
    _, _, after = rest.partition(end)
    readme.write_text(f"{before}{start}\n" + "\n".join(table) + f"\n{end}{after}", "utf-8")


def update_readme_rows(figures: list[Figure], how: str) -> None:
    """Replace the rows of ``figures`` in the README's table, leaving the others as the
    last full run wrote them, and say under the table when and ``how`` they were measured."""
    readme = HERE / "README.md"
    text = readme.read_text("utf-8")
    start, end = "<!-- figures:start -->", "<!-- figures:end -->"
    before, _, rest = text.partition(start)
    table, _, after = rest.partition(end)
    rows = {
        f"| `{f.name}` |": f"| `{f.name}` | {f.value:.2f} {f.unit} | {f.target_text} | "
        f"{f.verdict} | {f.note} |"
        for f in figures
    }
    lines = [
        next((row for prefix, row in rows.items() if line.startswith(prefix)), line)
        for line in table.strip("\n").splitlines()
        if not line.startswith("Start-up rows re-measured")
    ]
    while lines and not lines[-1].strip():
        lines.pop()
    stamp = datetime.datetime.now().strftime("%Y-%m-%d %H:%M")
    lines += ["", f"Start-up rows re-measured {stamp} {how}."]
    readme.write_text(f"{before}{start}\n" + "\n".join(lines) + f"\n{end}{after}", "utf-8")


def startup_only(write: bool) -> int:
    """``run.py --startup``: only the start-up figures, on the scale-1 and the scale-100
    demo desks, printed (to measure a change to start-up on its own); with
    ``--write`` their rows of the README's table are replaced too."""
    with tempfile.TemporaryDirectory(prefix="nsdesk-bench-") as folder:
        work = Path(folder)
        env = child_env(work / "home")
        figures = []
        for scale, label in ((1, "demo"), (100, "scale100")):
            desk = work / f"scale{scale}.nsdesk"
            make_demo(desk, scale, env)
            for figure in startup_figures(desk, env, label):
                print(figure.line(), "|", figure.note, flush=True)
                figures.append(figure)
    if write:
        load = os.getloadavg()[0]
        update_readme_rows(figures, f"by `run.py --startup` (medians of {RUNS}, load {load:.1f})")
    return 0


#: How long ``make bench``'s officers run: short by default, so the whole bench stays
#: quick; ``make bench OFFICERS_SECONDS=60`` gives the issue's full minute.
OFFICERS_SECONDS_ENV = "NSDESK_BENCH_OFFICERS_SECONDS"


def officers_run(seconds: float | None = None, officers: int = 20) -> int:
    """Run ``bench/officers_bench.py`` (N officer processes on a server register; it
    skips, saying why, without PostgreSQL's binaries) and let it write its figures,
    with the machine's load, into bench/README.md; its exit status."""
    seconds = seconds or float(os.environ.get(OFFICERS_SECONDS_ENV) or 10)
    script = Path(__file__).with_name("officers_bench.py")
    command = [sys.executable, str(script), "--officers", str(officers)]
    command += ["--seconds", str(seconds), "--readme"]
    return subprocess.run(command, check=False).returncode


def main() -> int:
    if sys.argv[1:2] == ["--officers"]:
        return officers_run()
    if sys.argv[1:2] == ["--startup"]:
        return startup_only(write="--write" in sys.argv[2:])
    with tempfile.TemporaryDirectory(prefix="nsdesk-bench-") as folder:
        work = Path(folder)
        env = child_env(work / "home")
        small = work / "scale1.nsdesk"
        make_demo(small, 1, env)
        figures = startup_figures(small, env, "demo")
        for figure in figures:
            print(figure.line(), flush=True)
        for figure in demo_figures(work, env):
            figures.append(figure)
            print(figure.line(), flush=True)
        large = work / "scale100.nsdesk"
        for figure in startup_figures(large, env, "scale100"):
            figures.append(figure)
            print(figure.line(), flush=True)
        dashboard_mb = next(f.value for f in figures if f.name == "startup_peak_mb_scale100")
        for figure in registers_figures(large, env, dashboard_mb):
            figures.append(figure)
            print(figure.line(), flush=True)
        for figure in briefing_figures(work, env):
            figures.append(figure)
            print(figure.line(), flush=True)
        found, hostile_table = exchange_figures(env)
        for figure in found:
            figures.append(figure)
            print(figure.line(), flush=True)
        found, changes_table = changes_figures(env)
        for figure in found:
            figures.append(figure)
            print(figure.line(), flush=True)
        for figure in merge_figures(large, env):
            figures.append(figure)
            print(figure.line(), flush=True)
        for figure in safety_figures(work, env, large):
            figures.append(figure)
            print(figure.line(), flush=True)
    write_readme(figures, {"exchange-hostile": hostile_table, "changes-hostile": changes_table})
    return officers_run()


if __name__ == "__main__":
    sys.exit(main())
