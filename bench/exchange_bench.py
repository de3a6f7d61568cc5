"""Issue 5's figures: the Excel exchange, against raw openpyxl in the same run.

``python bench/exchange_bench.py [--work DIR] [--readme]`` prepares (or reuses) its
desks and workbooks in ``DIR`` (default ``bench/out/exchange``, which git ignores),
then runs each measurement in a child process and prints ``BENCH …`` lines,
``exchange-bench-figures <json>`` for ``run.py`` and ``exchange-bench-hostile
<json>`` (the per-file table of hostile refusals). With ``--readme`` it also
rewrites that table in ``bench/README.md`` (``run.py`` does it in a full run).

* **export** — ``export_workbook`` of the whole register workbook (every sheet, at
  the highest ceiling) of a ``demo --scale 167`` desk: 10,020 commitments, 100,215
  history entries, recording the export in (a copy of) the desk as it does.
  Against raw openpyxl in write-only mode appending exactly the cell values of our
  file — every sheet, the hidden one included — to one sheet each, built from
  ``build_plan`` before the clock starts: the raw side times only the writing;
  ours reads the desk and records the export too.
* **import** — one ministry's return of 10,000 commitments, edited as a ministry
  would (every Status changed, every progress narrative written, one Next steps in
  ten rewritten): ``preview_import`` then ``apply_import(backup=False)`` on a fresh
  copy of the desk, against raw openpyxl in read-only mode loading the same file
  and iterating every row of every sheet. Also given with the backup the real
  import takes first.
* **memory** — peak resident memory (``ru_maxrss``) of a child that opens the desk
  and imports that return once.
* **hostile files** — for each case of ``tests/exchange/hostile_files.py``, the
  time and the ``tracemalloc`` peak of ``check_workbook_file`` refusing it; and, for
  comparison, raw openpyxl opening the zip bomb in a child limited to 3 GB of
  address space and 60 s.
* **spreadsheet habits** — the edited 10,000-row return reshaped as habits shape it
  (``tests/exchange/hostile_files.habit_files``: rows formatted down to row
  1,048,576 with and without row numbers, columns formatted out to XFD):
  ``check_workbook_file``, ``read_workbook`` and ``preview_import`` of each against
  the plain return (medians of ``RUNS``), the ``tracemalloc`` peak of the read, and
  how many rows the reader parsed; with the bomb as small on disk as the styled
  rows, refused. ``--tables`` makes only the hostile and habits tables (no export,
  import or kill trials) and, with ``--readme``, writes them.
* **kill -9** — ``kill_trials.run_import_trials``: children applying a 1,000-row
  return to a copy of a scale-20 desk, killed at random moments of the apply; the
  desk, reopened by ``open_desk``, must hold all of the import or none of it.

The children are started by this small process (it never loads a desk), since a
child's ``ru_maxrss`` also counts its parent's memory when it started.
Child modes: ``--prepare WORK``, ``--time WORK``, ``--import-once DESK RETURN
[--backup]``, ``--raw-read RETURN``, ``--hostile WORK``, ``--habits WORK``, ``--raw-bomb
PATH``.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import time
import zipfile
from dataclasses import asdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from run import PYTHON, Figure, child_env, replace_between, run_child  # noqa: E402

RUNS = int(os.environ.get("NSDESK_BENCH_EXCHANGE_RUNS", "3"))
KILL_TRIALS = int(os.environ.get("NSDESK_BENCH_IMPORT_KILLS", "20"))
SCALE = 167  # 60 commitments per scale step: 10,020 commitments
RETURN_ROWS = 10_000
KILL_SCALE, KILL_ROWS = 20, 1_000  # the kill trials' desk and return: seconds per trial
AGENCY = "MFA"
BOMB_CASE = "zip_bomb_ratio"
BOMB_LIMIT_BYTES = 3 << 30  # RLIMIT_AS of the raw openpyxl child
BOMB_TIMEOUT = 60.0
_MB = 1 << 20
HOSTILE_START, HOSTILE_END = "<!-- exchange-hostile:start -->", "<!-- exchange-hostile:end -->"


# -- the desks and workbooks (``--prepare``, in a child) -------------------------------------


def _key(*files: Path) -> str:
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _desk_key() -> str:
    """What the cached desks depend on: the schema and the demo."""
    demo = sorted((ROOT / "nsdesk/services/setup/demo").glob("*.py"))
    return _key(ROOT / "nsdesk/store/tables.py", *demo) + f"-{SCALE}"


def _workbook_key() -> str:
    """What the cached returns depend on besides the desk: the exchange code (a changed
    fingerprint rule makes an old return stale) and the edits made to them."""
    import inspect

    edits = hashlib.sha256(inspect.getsource(_edit_return).encode()).hexdigest()[:16]
    return (
        _key(
            *sorted((ROOT / "nsdesk/exchange").glob("*.py")),
            *sorted((ROOT / "nsdesk/services/exchange").glob("*.py")),
        )
        + f"-{edits}-{RETURN_ROWS}-{KILL_ROWS}-{AGENCY}"
    )


def _paths(work: Path) -> dict[str, Path]:
    return {
        "register_desk": work / f"exchange-scale{SCALE}.nsdesk",
        "import_desk": work / f"exchange-{AGENCY.lower()}-leads-{RETURN_ROWS}.nsdesk",
        "return": work / f"return-{RETURN_ROWS}.xlsx",
        "edited": work / f"return-{RETURN_ROWS}-edited.xlsx",
        "kill_demo": work / f"exchange-scale{KILL_SCALE}.nsdesk",
        "kill_desk": work / f"exchange-{AGENCY.lower()}-leads-{KILL_ROWS}.nsdesk",
        "kill_return": work / f"return-{KILL_ROWS}.xlsx",
        "kill_edited": work / f"return-{KILL_ROWS}-edited.xlsx",
        "facts": work / "prepared.json",
    }


def remove_desk(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal", ".lock"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def copy_desk(source: Path, target: Path) -> Path:
    """A fresh copy of a closed desk (no lock, no journal beside it)."""
    remove_desk(target)
    shutil.copyfile(source, target)
    return target


def _edit_return(source: Path, target: Path) -> dict[str, int]:
    """What a ministry does to its return: every Status changed, a narrative in every
    row, one Next steps in ten rewritten. openpyxl, normal mode (setup, not timed)."""
    from openpyxl import load_workbook

    from nsdesk.domain.enums import CommitmentStatus
    from nsdesk.exchange.model import FIRST_DATA_ROW, HEADER_ROW

    labels = [s.label for s in CommitmentStatus]
    book = load_workbook(source)
    sheet = book["Commitments"]
    header = {cell.value: cell.column for cell in sheet[HEADER_ROW] if cell.value}
    status, narrative = header["Status"], header["Progress since last update"]
    next_steps, ref = header["Next steps"], header["Ref"]
    rows = changed_steps = 0
    for number in range(FIRST_DATA_ROW, sheet.max_row + 1):
        if sheet.cell(number, ref).value is None:
            continue
        cell = sheet.cell(number, status)
        now = cell.value if cell.value in labels else labels[0]
        cell.value = labels[(labels.index(now) + 1 + rows % 3) % len(labels)]
        sheet.cell(number, narrative).value = (
            f"Reported by the ministry for row {number}: the draft regulation was circulated "
            "to the regulator and the interior ministry, comments are due next month, and "
            "the inter-agency working group met twice since the last update."
        )
        if rows % 10 == 0:
            sheet.cell(number, next_steps).value = (
                f"Adoption by the council of ministers; publication in the official journal "
                f"(row {number})."
            )
            changed_steps += 1
        rows += 1
    book.save(target)
    return {"rows": rows, "next_steps_changed": changed_steps}


def one_agency_leads(source: Path, target: Path, rows: int) -> None:
    """``target``: a copy of ``source`` where the agency leads exactly its first ``rows``
    live commitments (plain UPDATEs in one transaction: bench setup, not a user action)."""
    import sqlite3

    copy_desk(source, target)
    connection = sqlite3.connect(target)
    first = "SELECT id FROM commitment WHERE retired_at IS NULL ORDER BY id LIMIT ?"
    with connection:
        (agency_id,) = connection.execute(
            "SELECT id FROM agency WHERE code = ?", (AGENCY,)
        ).fetchone()
        (other_id,) = connection.execute(
            "SELECT id FROM agency WHERE code != ? AND retired_at IS NULL ORDER BY id LIMIT 1",
            (AGENCY,),
        ).fetchone()
        connection.execute(
            f"UPDATE commitment SET lead_agency_id = ? WHERE lead_agency_id = ? "
            f"AND id NOT IN ({first})",
            (other_id, agency_id, rows),
        )
        connection.execute(
            f"UPDATE commitment SET lead_agency_id = ? WHERE id IN ({first})",
            (agency_id, rows),
        )
    connection.close()


def make_desks(paths: dict[str, Path]) -> dict:
    """The scale-167 demo desk and its copy where one agency leads 10,000 commitments;
    for the kill trials, a scale-20 desk where it leads 1,000."""
    import sqlite3

    from nsdesk.services.setup.demo import create_demo_desk

    for name in ("register_desk", "import_desk", "kill_demo", "kill_desk"):
        remove_desk(paths[name])
    started = time.perf_counter()
    create_demo_desk(paths["register_desk"], scale=SCALE)
    demo_seconds = time.perf_counter() - started
    one_agency_leads(paths["register_desk"], paths["import_desk"], RETURN_ROWS)
    create_demo_desk(paths["kill_demo"], scale=KILL_SCALE)
    one_agency_leads(paths["kill_demo"], paths["kill_desk"], KILL_ROWS)
    connection = sqlite3.connect(paths["register_desk"])
    commitments, history = connection.execute(
        "SELECT (SELECT COUNT(*) FROM commitment WHERE retired_at IS NULL), "
        "(SELECT COUNT(*) FROM status_entry)"
    ).fetchone()
    connection.close()
    return {"demo_seconds": demo_seconds, "commitments": commitments, "history": history}


def prepare(work: Path) -> dict:
    """Make (or reuse) the scale-167 desk, the desk where one agency leads 10,000
    commitments, its return and the edited return; returns their facts."""
    work = work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    paths = _paths(work)
    facts = {}
    if paths["facts"].exists():
        facts = json.loads(paths["facts"].read_text("utf-8"))
    desks = [paths[k] for k in ("register_desk", "import_desk", "kill_desk")]
    if facts.get("desk_key") != _desk_key() or not all(p.exists() for p in desks):
        facts = {"desk_key": _desk_key(), **make_desks(paths)}
    elif facts.get("workbook_key") == _workbook_key() and all(
        paths[k].exists() for k in ("edited", "kill_edited")
    ):
        return facts
    from nsdesk.services.desk import open_desk
    from nsdesk.services.exchange.export import ExportRequest, export_workbook

    for desk_path, plain, edited in (
        (paths["import_desk"], paths["return"], paths["edited"]),
        (paths["kill_desk"], paths["kill_return"], paths["kill_edited"]),
    ):
        with open_desk(desk_path) as desk:  # the desk records the export
            ceiling = desk.info().marking.codes[-1]
            outcome = export_workbook(desk, ExportRequest(agency=AGENCY, ceiling=ceiling), plain)
        edits = _edit_return(plain, edited)
        if desk_path == paths["import_desk"]:
            facts.update(return_rows=outcome.rows, edits=edits)
        elif outcome.rows != KILL_ROWS:
            raise RuntimeError(f"the kill trials' return has {outcome.rows} rows")
    facts.update(
        workbook_key=_workbook_key(),
        **{k: str(v) for k, v in paths.items()},
        ceiling=ceiling,
    )
    paths["facts"].write_text(json.dumps(facts, indent=1), "utf-8")
    return facts


# -- export and import, timed (``--time``, in a child) --------------------------------------


def _raw_value(value):  # type: ignore[no-untyped-def]
    """A plan's value as it lands in our file's cell (dates as dates, a month or a
    year as text, text cleaned of characters a workbook cannot hold)."""
    from nsdesk.domain.dates import PartialDate
    from nsdesk.exchange.cells import clean_text

    if isinstance(value, PartialDate):
        exact = value.as_date()
        return exact if exact is not None else str(value)
    if isinstance(value, str):
        return clean_text(value)[0]
    return value


def raw_cells(plan) -> list[tuple[str, list[list]]]:  # type: ignore[no-untyped-def]
    """Every sheet of our workbook, in its order, as plain rows of cell values: the
    instructions, each register (marking banner, header row, rows), the drop-down
    lists and the hidden nsdesk sheet. Made before any timing."""
    from nsdesk.exchange.model import LISTS_SHEET, META_SHEET, ColumnKind

    sheets = [
        (
            "Instructions",
            [[plan.marking.upper()], [plan.instructions_title]]
            + [[_raw_value(p)] for p in plan.instructions],
        )
    ]
    lists: dict[tuple[str, ...], None] = {}
    for sheet in plan.sheets:
        width = len(sheet.columns)
        banner = [f"{plan.marking.upper()}  ·  {sheet.title}"] + [None] * (width - 1)
        rows = [banner, [c.header for c in sheet.columns]]
        rows += [[_raw_value(v) for v in row] for row in sheet.rows]
        sheets.append((sheet.name, rows))
        for column in sheet.columns:
            if column.kind is ColumnKind.CHOICE and column.choices:
                lists.setdefault(column.choices, None)
    columns = list(lists)
    depth = max((len(c) for c in columns), default=0)
    sheets.append(
        (LISTS_SHEET, [[c[i] if i < len(c) else None for c in columns] for i in range(depth)])
    )
    sheets.append((META_SHEET, [[k, v] for k, v in plan.metadata.items()]))
    return sheets


def raw_write(sheets: list[tuple[str, list[list]]], path: Path) -> float:
    from openpyxl import Workbook

    started = time.perf_counter()
    book = Workbook(write_only=True)
    for name, rows in sheets:
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return time.perf_counter() - started


def raw_read(path: Path) -> tuple[float, int]:
    from openpyxl import load_workbook

    started = time.perf_counter()
    book = load_workbook(path, read_only=True)
    rows = 0
    for sheet in book.worksheets:
        for _ in sheet.iter_rows(values_only=True):
            rows += 1
    book.close()
    return time.perf_counter() - started, rows


def import_once(desk_path: Path, edited: Path, *, backup: bool) -> tuple[float, float, object]:
    """Preview then apply ``edited`` into the open desk: (preview s, apply s, result)."""
    from nsdesk.services.desk import open_desk
    from nsdesk.services.exchange.apply import apply_import
    from nsdesk.services.exchange.preview import preview_import

    with open_desk(desk_path) as desk:
        gc.collect()
        started = time.perf_counter()
        preview = preview_import(desk, edited)
        previewed = time.perf_counter()
        result = apply_import(desk, preview, backup=backup)
        applied = time.perf_counter()
    if preview.refused:
        raise RuntimeError(f"the return was refused: {preview.refused[:3]}")
    return previewed - started, applied - previewed, result


def time_all(work: Path) -> dict:
    from nsdesk.services.desk import open_desk
    from nsdesk.services.exchange.export import ExportRequest, build_plan, export_workbook

    facts = prepare(work)
    med = statistics.median
    # Export: the whole register workbook, interleaved with raw write-only openpyxl.
    out = {}
    # Each export is recorded in the desk: time them on a copy, so the cached desk
    # does not grow from one run of the bench to the next.
    exporting = copy_desk(Path(facts["register_desk"]), work / "exporting.nsdesk")
    with open_desk(exporting) as desk:
        request = ExportRequest(ceiling=facts["ceiling"])
        started = time.perf_counter()
        plan = build_plan(desk, request)[0]
        plan_seconds = [time.perf_counter() - started]
        sheets = raw_cells(plan)
        out["export_sheets"] = {s.name: len(s.rows) for s in plan.sheets}
        out["export_cells"] = sum(len(r) for _, rows in sheets for r in rows)
        del plan
        export_workbook(desk, request, work / "warm.xlsx")  # imports and caches warm
        raw_write(sheets, work / "warm-raw.xlsx")
        ours, raw = [], []
        for run in range(RUNS):
            for side in ("ours", "raw") if run % 2 == 0 else ("raw", "ours"):
                gc.collect()
                if side == "ours":
                    started = time.perf_counter()
                    outcome = export_workbook(desk, request, work / "ours.xlsx")
                    ours.append(time.perf_counter() - started)
                else:
                    raw.append(raw_write(sheets, work / "raw.xlsx"))
            gc.collect()
            started = time.perf_counter()
            build_plan(desk, request)
            plan_seconds.append(time.perf_counter() - started)
    del sheets
    out.update(
        export_ours=med(ours),
        export_raw=med(raw),
        export_plan=med(plan_seconds),
        export_rows=outcome.rows,
        export_bytes=(work / "ours.xlsx").stat().st_size,
        raw_bytes=(work / "raw.xlsx").stat().st_size,
    )
    for name in ("warm.xlsx", "warm-raw.xlsx", "raw.xlsx", "ours.xlsx"):
        (work / name).unlink(missing_ok=True)
    remove_desk(exporting)
    gc.collect()
    # Import: preview + apply on a fresh copy each time, interleaved with raw read-only.
    edited = Path(facts["edited"])
    trial = work / "timed.nsdesk"
    copy_desk(Path(facts["import_desk"]), trial)
    import_once(trial, edited, backup=False)  # warm
    raw_read(edited)
    previews, applies, totals, reads, backed = [], [], [], [], []
    for run in range(RUNS):
        for side in ("ours", "raw") if run % 2 == 0 else ("raw", "ours"):
            gc.collect()
            if side == "ours":
                copy_desk(Path(facts["import_desk"]), trial)
                preview_s, apply_s, result = import_once(trial, edited, backup=False)
                previews.append(preview_s)
                applies.append(apply_s)
                totals.append(preview_s + apply_s)
            else:
                seconds, raw_rows = raw_read(edited)
                reads.append(seconds)
        copy_desk(Path(facts["import_desk"]), trial)
        preview_s, apply_s, _ = import_once(trial, edited, backup=True)
        backed.append(preview_s + apply_s)
    remove_desk(trial)
    out.update(
        import_ours=med(totals),
        import_preview=med(previews),
        import_apply=med(applies),
        import_raw=med(reads),
        import_raw_rows=raw_rows,
        import_with_backup=med(backed),
        import_records=result.records,
        import_fields=result.fields,
        import_progress_entries=result.progress_entries,
        return_bytes=edited.stat().st_size,
    )
    return out


# -- hostile files (``--hostile`` and ``--raw-bomb``, in children) -----------------------------


def _hostile_module():  # type: ignore[no-untyped-def]
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "hostile_files", ROOT / "tests" / "exchange" / "hostile_files.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def hostile(work: Path) -> list[dict]:
    """Each hostile case: how ``check_workbook_file`` answered, in how long (median of
    5) and with how much memory (``tracemalloc`` peak, a separate run)."""
    import tracemalloc

    from nsdesk.domain.errors import WorkbookRefusedError
    from nsdesk.exchange.safety import check_workbook_file

    module = _hostile_module()
    files = module.hostile_files(work / "hostile")
    rows = []
    for case in module.CASES:
        path, fragment = files[case]
        times, message = [], ""
        for _ in range(5):
            started = time.perf_counter()
            try:
                check_workbook_file(path)
                message = ""
            except WorkbookRefusedError as refusal:
                message = str(refusal)
            times.append(time.perf_counter() - started)
        gc.collect()
        tracemalloc.start()
        with contextlib.suppress(WorkbookRefusedError):
            check_workbook_file(path)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        rows.append(
            {
                "case": case,
                "bytes": path.stat().st_size,
                "refused": bool(message),
                "as_expected": fragment in message,
                "ms": statistics.median(times) * 1000,
                "peak_mb": peak / _MB,
            }
        )
    return rows


def habits(work: Path) -> list[dict]:
    """The edited return, plain and in each shape of the habits: how long the safety
    check, the read and the whole preview take (medians of ``RUNS``), the read's
    ``tracemalloc`` peak and the rows it parsed; a shape refused says so."""
    import tracemalloc

    from nsdesk.domain.errors import WorkbookRefusedError
    from nsdesk.exchange.safety import check_workbook_file
    from nsdesk.exchange.workbook_reader import read_workbook
    from nsdesk.services.desk import open_desk
    from nsdesk.services.exchange.preview import preview_import

    facts = prepare(work)
    module = _hostile_module()
    edited = Path(facts["edited"])
    files = {"plain": edited, **module.habit_files(work / "habits", edited, "Commitments")}
    bomb = work / "habits" / "bomb_sized_like_styled_rows.xlsx"
    module.padded_bomb(edited.read_bytes(), bomb, files["styled_rows_numbered"].stat().st_size)
    files[bomb.stem] = bomb
    rows = []
    with open_desk(Path(facts["import_desk"]), read_only=True) as desk:
        preview_import(desk, edited)  # imports and caches warm
        for name, path in files.items():
            times: dict[str, list[float]] = {"check": [], "read": [], "preview": []}
            refused, parsed, records = "", 0, 0
            steps = (
                ("check", lambda path=path: check_workbook_file(path)),
                ("read", lambda path=path: read_workbook(path)),
                ("preview", lambda path=path: preview_import(desk, path)),
            )
            for _ in range(RUNS):
                for step, call in steps:
                    gc.collect()
                    started = time.perf_counter()
                    try:
                        result = call()
                    except WorkbookRefusedError as refusal:
                        refused = refused or str(refusal)
                        times[step].append(time.perf_counter() - started)
                        break
                    times[step].append(time.perf_counter() - started)
                    if step == "read":
                        sheet = result.sheet("Commitments")
                        parsed = sheet.rows_parsed if sheet else 0
                    if step == "preview":
                        records = len(result.records)
            gc.collect()
            tracemalloc.start()
            with contextlib.suppress(WorkbookRefusedError):
                check_workbook_file(path)
                read_workbook(path)
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            with zipfile.ZipFile(path) as archive:
                sheet_bytes = max(info.file_size for info in archive.infolist())
            rows.append(
                {
                    "shape": name,
                    "bytes": path.stat().st_size,
                    "sheet_bytes": sheet_bytes,
                    "refused": refused,
                    "rows_parsed": parsed,
                    "records": records,
                    "peak_mb": peak / _MB,
                    **{step: statistics.median(t) if t else None for step, t in times.items()},
                }
            )
    return rows


def raw_bomb(path: Path) -> None:
    """Raw openpyxl (normal mode) opening ``path``; run under an address-space limit."""
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (BOMB_LIMIT_BYTES, BOMB_LIMIT_BYTES))
    from openpyxl import load_workbook

    started = time.perf_counter()
    try:
        load_workbook(path, read_only=False)
    except MemoryError:
        print(f"raw_bomb MemoryError {time.perf_counter() - started:.3f}", flush=True)
        return
    except Exception as error:  # what openpyxl said is the finding
        print(f"raw_bomb {type(error).__name__} {time.perf_counter() - started:.3f}", flush=True)
        return
    print(f"raw_bomb loaded {time.perf_counter() - started:.3f}", flush=True)


def run_limited(args: list[str], env: dict[str, str], timeout: float) -> tuple[str, float, float]:
    """Run a child for at most ``timeout`` s: (its last line or "killed", seconds, peak MB)."""
    started = time.perf_counter()
    child = subprocess.Popen(
        args, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    killed = False
    while True:
        pid, status, usage = os.wait4(child.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() - started > timeout:
            os.kill(child.pid, signal.SIGKILL)
            killed = True
            _, status, usage = os.wait4(child.pid, 0)
            break
        time.sleep(0.05)
    seconds = time.perf_counter() - started
    output = child.stdout.read()
    child.stdout.close()
    child.returncode = os.waitstatus_to_exitcode(status)
    lines = [line.split() for line in output.splitlines() if line.startswith("raw_bomb ")]
    if killed:
        said = f"killed after {seconds:.0f} s (timeout)"
    elif lines and lines[-1][1] == "loaded":
        said = "loaded it, said nothing"
    elif lines:
        said = f"raised {lines[-1][1]} after {float(lines[-1][2]):.1f} s"
    else:
        tail = output.strip().splitlines()[-1:] or [""]
        said = f"exit {child.returncode}: {tail[0][:120]}"
    return said, seconds, usage.ru_maxrss / 1024


# -- the orchestrator ----------------------------------------------------------------------


def _child_json(output: str, prefix: str):  # type: ignore[no-untyped-def]
    found = [
        line[len(prefix) + 1 :] for line in output.splitlines() if line.startswith(prefix + " ")
    ]
    if not found:
        raise RuntimeError(f"no {prefix} line in:\n{output}")
    return json.loads(found[-1])


def _size(count: int) -> str:
    if count < 10_000:
        return f"{count:,} bytes"
    return f"{count / 1e3:,.0f} KB" if count < 10_000_000 else f"{count / 1e6:,.1f} MB"


def hostile_table(rows: list[dict], bomb: dict) -> str:
    lines = [
        "| hostile file | size | refused as expected | check_workbook_file | tracemalloc peak |",
        "|---|---|---|---|---|",
    ]
    for row in rows:
        verdict = (
            "yes"
            if row["as_expected"]
            else ("refused, other message" if row["refused"] else "NOT refused")
        )
        lines.append(
            f"| `{row['case']}` | {_size(row['bytes'])} | {verdict} | {row['ms']:.2f} ms | "
            f"{row['peak_mb']:.2f} MB |"
        )
    lines.append(
        f"| *raw openpyxl `load_workbook` on `{BOMB_CASE}`* (3 GB address space, "
        f"{BOMB_TIMEOUT:.0f} s) | | {bomb['said']} | {bomb['seconds']:.1f} s | "
        f"{bomb['peak_mb']:.0f} MB resident |"
    )
    return "\n".join(lines)


def habits_table(rows: list[dict]) -> str:
    """The habits' table: each shape of the 10,000-row return beside the plain one."""

    def seconds(value: float | None) -> str:
        return "—" if value is None else f"{value:.2f} s"

    def gigabytes(count: int) -> str:
        return f"{count / 2**30:.1f} GB" if count >= 2**30 else _size(count)

    lines = [
        "The 10,000-row return, plain and as spreadsheet habits shape it (medians of "
        f"{RUNS}; peak: `tracemalloc` during the check and the read):",
        "",
        "| return | size | largest part expanded | check_workbook_file | read_workbook | "
        "preview_import | rows parsed | peak | outcome |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        outcome = (
            "refused: " + row["refused"].split(": ", 1)[-1][:70] + "…"
            if row["refused"]
            else f"{row['records']:,} records to change"
        )
        check = "—" if row["check"] is None else f"{row['check'] * 1000:.1f} ms"
        lines.append(
            f"| `{row['shape']}` | {_size(row['bytes'])} | {gigabytes(row['sheet_bytes'])} | "
            f"{check} | {seconds(row['read'])} | {seconds(row['preview'])} | "
            f"{row['rows_parsed']:,} | {row['peak_mb']:.1f} MB | {outcome} |"
        )
    return "\n".join(lines)


def tables(work: Path, env: dict[str, str]) -> tuple[str, list[dict], dict, list[dict]]:
    """The hostile files' table and the habits' (children), and what they show: the
    hostile rows, raw openpyxl on the bomb, the habits' rows."""
    script = str(Path(__file__).resolve())
    _, _, output = run_child([PYTHON, script, "--hostile", str(work)], env)
    rows = _child_json(output, "exchange-hostile-rows")
    bomb_path = work / "hostile" / f"{BOMB_CASE}.xlsx"
    said, seconds, peak = run_limited(
        [PYTHON, script, "--raw-bomb", str(bomb_path)], env, BOMB_TIMEOUT
    )
    bomb = {"said": said, "seconds": seconds, "peak_mb": peak}
    _, _, output = run_child([PYTHON, script, "--habits", str(work)], env)
    shaped = _child_json(output, "exchange-habits-rows")
    table = hostile_table(rows, bomb) + "\n\n" + habits_table(shaped)
    return table, rows, bomb, shaped


def write_hostile_table(table: str) -> None:
    readme = HERE / "README.md"
    text = readme.read_text("utf-8")
    readme.write_text(replace_between(text, HOSTILE_START, HOSTILE_END, table), "utf-8")


def figures(work: Path, env: dict[str, str]) -> tuple[list[Figure], str]:
    from kill_trials import KILL_SPAN, run_import_trials

    script = str(Path(__file__).resolve())
    _, _, output = run_child([PYTHON, script, "--prepare", str(work)], env)
    facts = _child_json(output, "exchange-prepared")
    _, _, output = run_child([PYTHON, script, "--time", str(work)], env)
    timed = _child_json(output, "exchange-timed")

    # Memory: a child that opens the desk and imports the return once (as the user
    # does: backup first); without the backup, and raw openpyxl reading it, in the note.
    edited, pristine = facts["edited"], Path(facts["import_desk"])
    trial = work / "peak.nsdesk"
    peaks, plain_peaks, raw_peaks = [], [], []
    for _ in range(RUNS):
        for backup, into in ((True, peaks), (False, plain_peaks)):
            copy_desk(pristine, trial)
            args = [PYTHON, script, "--import-once", str(trial), edited]
            _, peak, _ = run_child(args + (["--backup"] if backup else []), env)
            into.append(peak)
        _, peak, _ = run_child([PYTHON, script, "--raw-read", edited], env)
        raw_peaks.append(peak)
    remove_desk(trial)

    table, rows, bomb, shaped = tables(work, env)
    said, seconds, peak = bomb["said"], bomb["seconds"], bomb["peak_mb"]
    by_shape = {row["shape"]: row for row in shaped}

    trials = run_import_trials(
        Path(facts["kill_desk"]),
        Path(facts["kill_edited"]),
        work / "kill",
        trials=KILL_TRIALS,
        seed=2026,
        rows=KILL_ROWS,
        env=env,
    )
    sound = [t for t in trials if t.all_or_nothing]
    after = sum(1 for t in sound if t.committed)

    med = statistics.median
    sheets = timed["export_sheets"]
    worst = max(rows, key=lambda r: r["ms"])
    heaviest = max(rows, key=lambda r: r["peak_mb"])
    result = [
        Figure(
            "export_ratio_10k",
            timed["export_ours"] / timed["export_raw"],
            1.2,
            "×",
            f"export_workbook of the whole register workbook of a scale-{SCALE} demo desk "
            f"({sheets['Commitments']:,} commitments, {sheets['History']:,} history entries, "
            f"{timed['export_rows']:,} rows in {len(sheets)} registers; reading the desk "
            f"{timed['export_plan']:.2f} s of it) in {timed['export_ours']:.2f} s, against raw "
            f"openpyxl write-only appending the same {timed['export_cells']:,} cell values to "
            f"the same sheets (hidden ones included) in {timed['export_raw']:.2f} s; "
            f"medians of {RUNS}",
        ),
        Figure(
            "import_ratio_10k",
            timed["import_ours"] / timed["import_raw"],
            1.0,
            "×",
            f"a ministry's return of {timed['import_records']:,} commitments (every status "
            f"changed, every narrative written, one next step in ten; "
            f"{timed['import_fields']:,} field changes): preview {timed['import_preview']:.2f} s "
            f"+ apply {timed['import_apply']:.2f} s (no backup) = {timed['import_ours']:.2f} s, "
            f"against raw openpyxl read-only loading it and iterating its "
            f"{timed['import_raw_rows']:,} rows in {timed['import_raw']:.2f} s; medians of {RUNS}",
        ),
        Figure(
            "import_with_backup_s",
            timed["import_with_backup"],
            None,
            "s",
            f"the same import with the backup the real one takes first "
            f"({timed['import_with_backup'] / timed['import_raw']:.2f}× the raw read)",
        ),
        Figure(
            "import_peak_mb_10k",
            med(peaks),
            None,
            "MB",
            f"a process that opens the desk and imports that return once, backup included; "
            f"{med(plain_peaks):.0f} MB without the backup; raw openpyxl read-only iterating "
            f"the file {med(raw_peaks):.0f} MB",
        ),
        Figure(
            "hostile_refusal_worst_ms",
            worst["ms"],
            None,
            "ms",
            f"the slowest refusal by check_workbook_file, {worst['case']} "
            f"({sum(r['as_expected'] for r in rows)} of {len(rows)} hostile files refused as "
            f"expected; most memory: {heaviest['case']}, {heaviest['peak_mb']:.2f} MB); raw "
            f"openpyxl on {BOMB_CASE}: {said} ({seconds:.1f} s, {peak:.0f} MB)",
        ),
        Figure(
            "styled_return_preview_ratio_10k",
            by_shape["styled_rows_numbered"]["preview"] / by_shape["plain"]["preview"],
            1.5,
            "×",
            f"preview_import of the 10,000-row return with its rows formatted down to row "
            f"1,048,576 ({_size(by_shape['styled_rows_numbered']['bytes'])}, its sheet "
            f"{_size(by_shape['styled_rows_numbered']['sheet_bytes'])} expanded) in "
            f"{by_shape['styled_rows_numbered']['preview']:.2f} s, against the plain return in "
            f"{by_shape['plain']['preview']:.2f} s; without row numbers "
            f"{by_shape['styled_rows_unnumbered']['preview']:.2f} s, columns formatted to XFD "
            f"{by_shape['styled_columns_to_xfd']['preview']:.2f} s; medians of {RUNS}",
        ),
        Figure(
            "import_kill9_trials_all_or_nothing",
            len(sound),
            KILL_TRIALS,
            "trials",
            f"of {len(trials)} kills at random moments during the apply of a "
            f"{KILL_ROWS:,}-row return to a scale-{KILL_SCALE} desk ({len(sound) - after} "
            f"left the desk exactly as before, {after} exactly as after: one import, "
            f"{KILL_ROWS:,} audited history entries; killed 0–"
            f"{KILL_SPAN * trials[0].typical:.2f} s into an apply of {trials[0].typical:.2f} s; "
            f"{sum(t.crash_checked for t in trials)} reopened by open_desk after its crash "
            "check, the others killed once the child had closed the desk; integrity ok)",
            at_least=True,
        ),
    ]
    return result, table


def main(argv: list[str]) -> int:
    if argv[:1] == ["--prepare"]:
        facts = prepare(Path(argv[1]))
        print("exchange-prepared " + json.dumps(facts), flush=True)
        return 0
    if argv[:1] == ["--time"]:
        print("exchange-timed " + json.dumps(time_all(Path(argv[1]))), flush=True)
        return 0
    if argv[:1] == ["--import-once"]:
        _, _, result = import_once(Path(argv[1]), Path(argv[2]), backup="--backup" in argv)
        print(f"import_once {result.records}", flush=True)
        return 0
    if argv[:1] == ["--raw-read"]:
        seconds, rows = raw_read(Path(argv[1]))
        print(f"raw_read {seconds:.3f} {rows}", flush=True)
        return 0
    if argv[:1] == ["--hostile"]:
        print("exchange-hostile-rows " + json.dumps(hostile(Path(argv[1]))), flush=True)
        return 0
    if argv[:1] == ["--habits"]:
        print("exchange-habits-rows " + json.dumps(habits(Path(argv[1]))), flush=True)
        return 0
    if argv[:1] == ["--raw-bomb"]:
        raw_bomb(Path(argv[1]))
        return 0
    work = HERE / "out" / "exchange"
    if "--work" in argv:
        work = Path(argv[argv.index("--work") + 1])
    work.mkdir(parents=True, exist_ok=True)
    env = child_env(work / "home")
    if "--tables" in argv:
        table = tables(work, env)[0]
        print(table, flush=True)
        if "--readme" in argv:
            write_hostile_table(table)
        return 0
    found, table = figures(work, env)
    for figure in found:
        print(figure.line(), flush=True)
    print("exchange-bench-figures " + json.dumps([asdict(f) for f in found]), flush=True)
    print("exchange-bench-hostile " + json.dumps(table), flush=True)
    if "--readme" in argv:
        write_hostile_table(table)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
