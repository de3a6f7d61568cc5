"""Issue 3's speed figures, measured in one process on a (scale-100) demo desk.

``python bench/registers_bench.py DESK`` prints each figure as ``BENCH …`` and, on
a line of its own, ``registers-bench-figures <json>`` for ``run.py`` to collect.
``python bench/registers_bench.py --app DESK`` runs the real app on DESK, shows
every page once, searches once and quits (``run.py`` reads its peak memory).

Every ratio interleaves the two contenders over the same rows in the same
process, each timed from the user's action until the table has painted again
(an event filter on the table's viewport sees the paint; before each timing the
event loop runs until nothing has painted for a while, so no repaint left over
from the step before is counted), and takes medians of ``NSDESK_BENCH_RUNS``
repetitions:

* filtering and sorting the commitments register — the real :class:`RegisterView`
  (its :class:`RegisterTableModel`, its table, the count in its filter bar) against a
  plain :class:`QAbstractTableModel` over the same cells behind a
  :class:`QSortFilterProxyModel` in a :class:`QTableView` of the same size;
* a search-box query — :class:`SearchDialog` over :func:`search_desk` (the query,
  the titles, the results list painted) against a ``QSortFilterProxyModel`` over
  every text the search covers, loaded once into a plain model;
* opening each register — building a :class:`RegisterView`, giving it its rows
  (already read, the same list the baseline gets) and showing it until painted,
  against a bare ``QTableView`` over a minimal model of the same cells;
* reading the commitments register from the desk (``load_register``) against the
  very statements it sends, replayed through ``sqlite3``.
"""

from __future__ import annotations

import gc
import json
import os
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from PySide6.QtCore import (  # noqa: E402
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    qInstallMessageHandler,
)
from PySide6.QtGui import QUndoStack  # noqa: E402
from PySide6.QtWidgets import QApplication, QTableView, QVBoxLayout, QWidget  # noqa: E402
from run import RUNS, Figure  # noqa: E402

#: Words a user types in the commitments filter and in the search box.
QUERIES = ("security", "mfa", "late", "forensics")
#: The commitments columns sorted by a click on their header.
SORTED_COLUMNS = ("Commitment", "Status", "Target", "Deadline")
#: Opening a register takes milliseconds: three times the runs, for steadier medians.
OPEN_RUNS = 3 * RUNS
WINDOW = (1180, 760)  # the app's default window size
FIGURES_PREFIX = "registers-bench-figures"

DISPLAY = Qt.ItemDataRole.DisplayRole
HORIZONTAL = Qt.Orientation.Horizontal
ASCENDING, DESCENDING = Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder
med = statistics.median


def _quiet_offscreen(kind: Any, context: Any, message: str) -> None:
    """Qt's messages, without the offscreen platform's note on every new window."""
    if "propagateSizeHints" not in message:
        print(message, file=sys.stderr)


qInstallMessageHandler(_quiet_offscreen)


class ListModel(QAbstractTableModel):
    """The baseline: the least a Qt table model over a list of tuples can be."""

    def __init__(self, headers: Sequence[str], rows: Sequence[Sequence[str]]):
        super().__init__()
        self.headers = list(headers)
        self.rows = rows

    def rowCount(self, parent: Any = QModelIndex()) -> int:  # noqa: B008, N802 - Qt API
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Any = QModelIndex()) -> int:  # noqa: B008, N802 - Qt API
        return 0 if parent.isValid() else len(self.headers)

    def data(self, index: Any, role: int = DISPLAY) -> Any:
        if role == DISPLAY:
            return self.rows[index.row()][index.column()]
        return None

    def headerData(self, section: int, orientation: Any, role: int = DISPLAY) -> Any:  # noqa: N802
        if role == DISPLAY and orientation == HORIZONTAL:
            return self.headers[section]
        return None


def proxy_over(model: QAbstractTableModel) -> QSortFilterProxyModel:
    """A proxy as one would set it up for a filter box: every column, any case."""
    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(model)
    proxy.setFilterKeyColumn(-1)
    proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    return proxy


class PaintWatch(QObject):
    """Sees when a widget (a table's viewport) paints."""

    def __init__(self, widget: QWidget):
        super().__init__(widget)
        self.painted = False
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.Paint:
            self.painted = True
        return False


def until_painted(watch: PaintWatch, what: str) -> None:
    """Process events until the watched widget has painted (after a change)."""
    deadline = time.perf_counter() + 10
    while not watch.painted:
        QApplication.processEvents()
        if time.perf_counter() > deadline:
            raise RuntimeError(f"{what}: never painted")


class _AnyPaint(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


def settle(quiet: float = 0.03) -> None:
    """Process events until no widget has painted for ``quiet`` seconds.

    A window repaints on a timer after it is asked to (5 ms on most platforms), so
    one ``processEvents`` can leave the previous step's repaint pending, to be
    counted against whatever is measured next."""
    app = QApplication.instance()
    watch = _AnyPaint()
    app.installEventFilter(watch)
    seen, since = -1, time.perf_counter()
    while watch.count != seen or time.perf_counter() - since < quiet:
        if watch.count != seen:
            seen, since = watch.count, time.perf_counter()
        QApplication.processEvents()
    app.removeEventFilter(watch)
    gc.collect()


def timed(action: Callable[[], None], watch: PaintWatch, what: str) -> float:
    """Seconds from ``action`` until the watched widget has painted again."""
    settle()  # nothing left over from before is counted
    watch.painted = False
    started = time.perf_counter()
    action()
    until_painted(watch, what)
    return time.perf_counter() - started


def host_window() -> tuple[QWidget, QVBoxLayout]:
    """A shown window of the app's size, to show views in (as the app's pages are)."""
    host = QWidget()
    host.resize(*WINDOW)
    layout = QVBoxLayout(host)
    layout.setContentsMargins(0, 0, 0, 0)
    host.show()
    QApplication.processEvents()
    return host, layout


def discard(widget: QWidget) -> None:
    widget.hide()
    widget.setParent(None)
    widget.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QApplication.processEvents()


# -- the desk as the app sees it ---------------------------------------------------------


def desk_data(path: Path, as_of: date):
    from nsdesk.services.desk import open_desk
    from nsdesk.services.records.record_service import RecordService
    from nsdesk.ui.records.commands import RecordActions
    from nsdesk.ui.records.desk_data import DeskData

    desk = open_desk(path)
    stack = QUndoStack()
    data = DeskData(desk, RecordActions(RecordService(desk), stack), as_of=as_of)
    data._bench_stack = stack  # kept alive with the data
    return data


def preloaded(data, rows: dict[str, list]) -> Any:
    """``data`` whose registers come from ``rows`` (already read) rather than the desk."""
    read = data.rows

    def rows_of(register: str, keys=None):
        return rows[register] if keys is None else read(register, keys)

    data.rows = rows_of
    return data


# -- filtering and sorting the commitments register --------------------------------------


def commitments_figures(data, rows: list) -> list[Figure]:
    from nsdesk.services.records.register_rows import RegisterFilter
    from nsdesk.services.records.registers import REGISTERS
    from nsdesk.ui.records.register_view import RegisterView
    from nsdesk.ui.workspace.workspace_view import _PANELS

    definition = REGISTERS["commitments"]
    host, layout = host_window()
    view = RegisterView(definition, panel_factory=_PANELS.get("commitments"))
    view.set_data(data)
    layout.addWidget(view)
    view.show()
    ours = PaintWatch(view.table.viewport())
    until_painted(ours, "commitments register")

    headers = [c.header for c in definition.columns]
    cells = [row.cells for row in rows]
    source = ListModel(headers, cells)
    proxy = proxy_over(source)
    table = QTableView()
    table.setModel(proxy)
    table.setSortingEnabled(True)
    table.sortByColumn(0, ASCENDING)  # as the register is when it opens
    table.resize(view.table.size())  # the same rows and columns on screen
    table.show()
    theirs = PaintWatch(table.viewport())
    until_painted(theirs, "proxy table")

    everything = RegisterFilter()
    filtering: dict[str, tuple[list[float], list[float]]] = {q: ([], []) for q in QUERIES}
    shown: dict[str, tuple[int, int]] = {}
    for run in range(RUNS + 1):  # the first round warms both sides and is not counted
        for query in QUERIES:
            sides = [
                (lambda q=query: view.model.set_filter(RegisterFilter(text=q)), ours, 0),
                (lambda q=query: proxy.setFilterFixedString(q), theirs, 1),
            ]
            for action, watch, side in sides if run % 2 else reversed(sides):
                seconds = timed(action, watch, f"filter {query}")
                if run:
                    filtering[query][side].append(seconds)
            shown[query] = (view.model.rowCount(), proxy.rowCount())
            view.model.set_filter(everything)
            proxy.setFilterFixedString("")

    sorting: dict[tuple[str, Any], tuple[list[float], list[float]]] = {
        (c, o): ([], []) for c in SORTED_COLUMNS for o in (ASCENDING, DESCENDING)
    }
    for run in range(RUNS + 1):
        for column_name, order in sorting:
            column = headers.index(column_name)
            # Both start from the rows' own order (by Id), so every sort does all its work.
            view.table.sortByColumn(0, ASCENDING)
            proxy.sort(-1)
            sides = [
                (lambda c=column, o=order: view.table.sortByColumn(c, o), ours, 0),
                (lambda c=column, o=order: table.sortByColumn(c, o), theirs, 1),
            ]
            for action, watch, side in sides if run % 2 else reversed(sides):
                seconds = timed(action, watch, f"sort {column_name}")
                if run:
                    sorting[(column_name, order)][side].append(seconds)
            if view.model._sort != (column, order) or proxy.sortColumn() != column:
                raise RuntimeError(f"sort {column_name}: a side did not sort")

    # What both sides pay whatever the model does: the table painting its visible rows.
    repaint: tuple[list[float], list[float]] = ([], [])
    for _ in range(RUNS):
        repaint[0].append(timed(view.table.viewport().update, ours, "repaint"))
        repaint[1].append(timed(table.viewport().update, theirs, "repaint"))
    discard(table)
    discard(view)
    discard(host)

    filter_ours = sum(med(filtering[q][0]) for q in QUERIES) / len(QUERIES)
    filter_theirs = sum(med(filtering[q][1]) for q in QUERIES) / len(QUERIES)
    counts = ", ".join(f"“{q}” {a:,}/{b:,}" for q, (a, b) in shown.items())
    per_column = {c: ([], []) for c in SORTED_COLUMNS}
    for (column_name, _), (a, b) in sorting.items():
        per_column[column_name][0].append(med(a))
        per_column[column_name][1].append(med(b))
    sort_ours = sum(sum(a) for a, _ in per_column.values()) / len(sorting)
    sort_theirs = sum(sum(b) for _, b in per_column.values()) / len(sorting)
    columns = ", ".join(
        f"{c} {sum(a) / len(a) * 1000:.0f}/{sum(b) / len(b) * 1000:.0f} ms"
        for c, (a, b) in per_column.items()
    )
    return [
        Figure(
            "commitments_filter_ratio",
            filter_ours / filter_theirs,
            0.1,
            "×",
            f"RegisterView's text filter {filter_ours * 1000:.1f} ms vs QSortFilterProxyModel "
            f"setFilterFixedString {filter_theirs * 1000:.0f} ms, until repainted (a repaint "
            f"alone: {med(repaint[0]) * 1000:.0f}/{med(repaint[1]) * 1000:.0f} ms); mean of "
            f"medians over {len(QUERIES)} words on {len(rows):,} commitments "
            f"(rows shown ours/proxy: {counts})",
        ),
        Figure(
            "commitments_sort_ratio",
            sort_ours / sort_theirs,
            0.1,
            "×",
            f"a click on a header of the RegisterView {sort_ours * 1000:.1f} ms vs the proxy "
            f"sorting the displayed text {sort_theirs * 1000:.0f} ms, until repainted, from "
            f"the Id order, both directions ({columns})",
        ),
    ]


# -- searching --------------------------------------------------------------------------


def searched_texts(path: Path) -> tuple[list[str], list[tuple[str, ...]]]:
    """Every text the search box covers, one row per record, as plain strings."""
    from nsdesk.store.search import INDEXED_KINDS

    width = max(len(kind.columns) for kind in INDEXED_KINDS)
    connection = sqlite3.connect(path)
    rows: list[tuple[str, ...]] = []
    for kind in INDEXED_KINDS:
        columns = ", ".join(f"COALESCE({c}, '')" for c in kind.columns)
        padding = ("",) * (width - len(kind.columns))
        for found in connection.execute(f"SELECT {columns} FROM {kind.table} ORDER BY id"):
            rows.append((kind.kind, *found, *padding))
    connection.close()
    return ["Kind", *(f"Text {i + 1}" for i in range(width))], rows


def search_figures(data) -> list[Figure]:
    from nsdesk.services.records.search import search_desk
    from nsdesk.ui.workspace.search_dialog import SearchDialog

    desk = data.desk
    dialog = SearchDialog(lambda query: search_desk(desk, query))
    dialog.debounce_ms = 0  # search as the text changes (the timer's wait is not ours)
    dialog.show()
    ours = PaintWatch(dialog.results_tree.viewport())
    until_painted(ours, "search dialog")

    headers, texts = searched_texts(desk.path)
    source = ListModel(headers, texts)
    proxy = proxy_over(source)
    table = QTableView()
    table.setModel(proxy)
    table.resize(dialog.results_tree.size())
    table.show()
    theirs = PaintWatch(table.viewport())
    until_painted(theirs, "search proxy")

    times: dict[str, tuple[list[float], list[float]]] = {q: ([], []) for q in QUERIES}
    found: dict[str, tuple[int, int]] = {}
    for run in range(RUNS + 1):
        for query in QUERIES:
            sides = [
                (lambda q=query: dialog.query_edit.setText(q), ours, 0),
                (lambda q=query: proxy.setFilterFixedString(q), theirs, 1),
            ]
            for action, watch, side in sides if run % 2 else reversed(sides):
                seconds = timed(action, watch, f"search {query}")
                if run:
                    times[query][side].append(seconds)
            listed = len(dialog.results.all_results()) if dialog.results else 0
            found[query] = (listed, proxy.rowCount())
            dialog.query_edit.setText("")
            proxy.setFilterFixedString("")
    discard(table)
    dialog.close()
    discard(dialog)

    ours_s = sum(med(times[q][0]) for q in QUERIES) / len(QUERIES)
    theirs_s = sum(med(times[q][1]) for q in QUERIES) / len(QUERIES)
    counts = ", ".join(f"“{q}” {a}/{b:,}" for q, (a, b) in found.items())
    return [
        Figure(
            "search_query_ratio",
            ours_s / theirs_s,
            0.1,
            "×",
            f"the search box (search_desk: FTS5 query, titles, results list painted) "
            f"{ours_s * 1000:.1f} ms vs QSortFilterProxyModel over the {len(texts):,} "
            f"records' texts {theirs_s * 1000:.0f} ms; mean of medians over {len(QUERIES)} "
            f"words (results listed ours/proxy: {counts})",
        )
    ]


# -- opening a register -------------------------------------------------------------------


def open_figures(data, rows: dict[str, list]) -> list[Figure]:
    from nsdesk.services.records.registers import REGISTERS
    from nsdesk.ui.records.register_view import RegisterView
    from nsdesk.ui.workspace.workspace_view import _PANELS

    host, layout = host_window()
    data.filter_choices()  # read once per desk, by whichever register opens first

    def ours(name: str) -> Callable[[], QWidget]:
        def build() -> QWidget:
            view = RegisterView(REGISTERS[name], panel_factory=_PANELS.get(name))
            view.set_data(data)
            built.append((view, PaintWatch(view.table.viewport())))
            layout.addWidget(view)
            view.show()  # reads its rows (here: the list given) when first shown
            return view

        return build

    def bare(name: str) -> Callable[[], QWidget]:
        headers = [c.header for c in REGISTERS[name].columns]
        cells = [row.cells for row in rows[name]]

        def build() -> QWidget:
            table = QTableView()
            table.setModel(ListModel(headers, cells))
            built.append((table, PaintWatch(table.viewport())))
            layout.addWidget(table)
            table.show()
            return table

        return build

    built: list[tuple[QWidget, PaintWatch]] = []
    times = {name: ([], []) for name in REGISTERS}
    for run in range(OPEN_RUNS + 1):
        for name in REGISTERS:
            sides = [(ours(name), 0), (bare(name), 1)]
            for build, side in sides if run % 2 else reversed(sides):
                settle()
                built.clear()
                started = time.perf_counter()
                widget = build()
                until_painted(built[0][1], f"open {name}")
                seconds = time.perf_counter() - started
                if run:
                    times[name][side].append(seconds)
                layout.removeWidget(widget)
                discard(widget)
    discard(host)

    figures = []
    for name, (a, b) in times.items():
        figures.append(
            Figure(
                f"register_open_ratio_{name}",
                med(a) / med(b),
                1.5,
                "×",
                f"RegisterView built, given its {len(rows[name]):,} "
                f"row{'' if len(rows[name]) == 1 else 's'} and painted "
                f"{med(a) * 1000:.1f} ms vs a bare QTableView over the same cells "
                f"{med(b) * 1000:.1f} ms",
            )
        )
    return figures


# -- reading the commitments register ------------------------------------------------------


def load_figures(data) -> list[Figure]:
    """``load_register`` against the statements it sends, replayed through sqlite3."""
    from sqlalchemy import event

    from nsdesk.services.records.registers import load_register

    desk = data.desk
    sent: list[tuple[str, Any]] = []

    def capture(_conn, _cursor, statement, parameters, _context, _many) -> None:
        sent.append((statement, parameters))

    event.listen(desk.engine, "before_cursor_execute", capture)
    rows = load_register(desk, "commitments", as_of=data.as_of)  # and warms its caches
    event.remove(desk.engine, "before_cursor_execute", capture)
    statements = [(s, p) for s, p in sent if s.lstrip().upper().startswith("SELECT")]

    raw = sqlite3.connect(f"file:{desk.path}?mode=ro", uri=True)

    def replay() -> None:
        for statement, parameters in statements:
            raw.execute(statement, parameters).fetchall()

    def table_scan() -> None:
        raw.execute("SELECT * FROM commitment").fetchall()

    ours, theirs, scan = [], [], []
    for run in range(RUNS + 1):
        for action, into in [
            (lambda: load_register(desk, "commitments", as_of=data.as_of), ours),
            (replay, theirs),
            (table_scan, scan),
        ]:
            gc.collect()
            started = time.perf_counter()
            action()
            if run:
                into.append(time.perf_counter() - started)
    raw.close()
    return [
        Figure(
            "commitments_load_ratio",
            med(ours) / med(theirs),
            None,
            "×",
            f"load_register('commitments') {med(ours) * 1000:.0f} ms ({len(rows):,} rows: "
            f"cells, sort keys, deadlines) vs the same {len(statements)} SELECTs it sends, "
            f"through sqlite3 with fetchall {med(theirs) * 1000:.0f} ms "
            f"(SELECT * FROM commitment alone {med(scan) * 1000:.0f} ms)",
        )
    ]


# -- the app with the desk open -------------------------------------------------------------


def run_app_everywhere(path: Path) -> int:
    """The real app on ``path``: once the desk is shown, every page and tab is shown
    (each register reads its rows), one search is made, and the app quits."""
    os.environ.pop("NSDESK_STARTUP_PROBE", None)  # the probe would quit at the dashboard
    from nsdesk.app import run_app

    app = QApplication(sys.argv[:1])
    started = time.perf_counter()

    def drive() -> None:
        from PySide6.QtWidgets import QTabWidget

        from nsdesk.services.records.search import search_desk
        from nsdesk.ui.main_window import MainWindow

        windows = [w for w in app.topLevelWidgets() if isinstance(w, MainWindow)]
        workspace = getattr(windows[0], "_workspace", None) if windows else None
        if workspace is None or workspace.data is None:
            QTimer.singleShot(20, drive)
            return
        QApplication.processEvents()
        print(f"app_desk_shown_seconds {time.perf_counter() - started:.6f}", flush=True)
        for number in range(workspace.navigation.count()):
            workspace.show_page_at(number)
            QApplication.processEvents()
            page = workspace.pages.currentWidget()
            if isinstance(page, QTabWidget):
                for tab in range(page.count()):
                    page.setCurrentIndex(tab)
                    QApplication.processEvents()
        search_desk(workspace.data.desk, QUERIES[0])
        workspace.show_page("commitments")
        QApplication.processEvents()
        shown = sum(view.model.rowCount() for view in workspace.registers.values())
        print(f"app_register_rows {shown}", flush=True)
        print(f"app_everywhere_seconds {time.perf_counter() - started:.6f}", flush=True)
        QApplication.quit()

    QTimer.singleShot(0, drive)
    return run_app(path)


# -- all together ------------------------------------------------------------------------------


def measure(path: Path) -> list[Figure]:
    from nsdesk.services.records.registers import REGISTERS, load_register

    QApplication.instance() or QApplication(sys.argv[:1])
    as_of = date.today()
    data = desk_data(path, as_of)
    try:
        figures = load_figures(data)
        rows = {name: load_register(data.desk, name, as_of=as_of) for name in REGISTERS}
        preloaded(data, rows)
        gc.freeze()  # what is loaded now stays: collections between steps need not walk it
        figures += commitments_figures(data, rows["commitments"])
        figures += search_figures(data)
        figures += open_figures(data, rows)
    finally:
        data.desk.close()
    return figures


def main(argv: list[str]) -> int:
    if argv[:1] == ["--app"]:
        return run_app_everywhere(Path(argv[1]))
    figures = []
    for figure in measure(Path(argv[0])):
        figures.append(figure)
        print(figure.line(), flush=True)
    print(FIGURES_PREFIX, json.dumps([asdict(f) for f in figures]), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
