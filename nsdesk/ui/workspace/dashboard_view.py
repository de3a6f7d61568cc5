"""The dashboard: key figures, commitments by status and theme, what is late or at
risk, what falls due soon and before the next event, the progress since a chosen
baseline (the pack's own figures), and the latest changes.

Every figure clicks through: a tile, a bar or a list heading asks for its register
filtered (:attr:`DashboardView.filter_requested`); an item in a list asks for its
record (:attr:`DashboardView.record_requested`). The view only shows a
:class:`~nsdesk.services.overview.dashboard.Dashboard`; loading it is the caller's work.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from nsdesk.services.records.register_rows import OPEN, RegisterFilter
from nsdesk.ui import wording
from nsdesk.ui.widgets.bar_chart import BarChart
from nsdesk.ui.widgets.baseline_progress import BaselineProgressView
from nsdesk.ui.widgets.sizing import narrow_combo

if TYPE_CHECKING:
    from nsdesk.domain.dates import PartialDate
    from nsdesk.services.overview.dashboard import AlertItem, Dashboard, DueItem, ItemList
    from nsdesk.services.overview.progress import BaselineChoice, BaselineProgress

#: What a row opens: a record as (register, key), or a register as (register, filter).
Opens = tuple[str, str | RegisterFilter]
#: Rows a list shows before it scrolls.
VISIBLE_ROWS = 7
# What a list's heading leads to, in the heading's tooltip.
_ALL = "show them all in the register"
# The registers filter commitments by due date: action items and reports are not in it.
_DUE_COMMITMENTS = "show the commitments due by then in the register"


def late_colour(palette: QPalette) -> QColor:
    """The red of "late", dark on a light window and light on a dark one (both
    with a contrast above 4.5:1)."""
    dark = palette.color(QPalette.ColorRole.Window).lightness() < 128
    return QColor("#ff8a80") if dark else QColor("#b3261e")


def _display(day: PartialDate | None) -> str:
    return day.display() if day else ""


class FigureButton(QPushButton):
    """A key figure that is also a button: a large number over its caption. Click,
    Enter or Space asks for the register filtered by ``wanted``; without a filter
    the tile only shows its figure and takes no focus."""

    def __init__(self, caption: str, wanted: RegisterFilter | None = None):
        super().__init__()
        self.setObjectName("figure_tile")
        self.caption = caption
        self.wanted = wanted
        self.value_label = QLabel("–")
        font = self.value_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.8)
        font.setBold(True)
        self.value_label.setFont(font)
        self.caption_label = QLabel(caption)
        for label in (self.value_label, self.caption_label):
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(0)
        layout.addWidget(self.value_label)
        layout.addWidget(self.caption_label)
        self.setAutoDefault(True)  # Enter activates it outside a dialog too
        if wanted is None:
            self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        else:
            self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumHeight(layout.sizeHint().height())
        self.setAccessibleName(caption)
        style = (
            "QPushButton#figure_tile { background: palette(base); border: 1px solid palette(mid);"
            " border-radius: 6px; }"
        )
        if wanted is not None:  # only a tile that leads somewhere reacts to the pointer
            style += (
                "QPushButton#figure_tile:hover { border-color: palette(highlight); }"
                "QPushButton#figure_tile:focus { border: 2px solid palette(highlight); }"
                "QPushButton#figure_tile:pressed { background: palette(alternate-base); }"
            )
        self.setStyleSheet(style)

    def set_value(self, value: int, *, colour: QColor | None = None) -> None:
        """Show ``value``, in ``colour`` when given (the text colour otherwise)."""
        self.value_label.setText(f"{value:,}")
        self.value_label.setStyleSheet(f"color: {colour.name()};" if colour else "")
        hint = ". Press to list them in the register." if self.wanted else ""
        self.setAccessibleDescription(f"{value:,}{hint}")
        self.setToolTip(f"{self.caption}: {value:,}{hint.replace('Press', 'Click')}")


def _heading(text: str) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    return label


class HeadingButton(QPushButton):
    """A list's heading that opens the register filtered the same way; ``wanted``
    is that filter (``None``: the heading leads nowhere and is disabled)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.wanted: RegisterFilter | None = None
        self.setFlat(True)
        self.setAutoDefault(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        font = self.font()
        font.setBold(True)
        self.setFont(font)
        self.setStyleSheet("QPushButton { text-align: left; padding: 2px 4px; }")

    def set_heading(self, text: str, wanted: RegisterFilter | None, hint: str) -> None:
        """Show ``text`` with a mark that says it leads somewhere (``hint``, in words)."""
        self.wanted = wanted
        self.setEnabled(wanted is not None)
        self.setText(f"{text}  ›" if wanted else text)
        self.setAccessibleName(text)
        self.setToolTip(f"{text}: {hint}" if wanted else "")


class OpeningRow(QTreeWidgetItem):
    """A row of a list and what activating it opens: a record as (register, key),
    a register as (register, filter), or nothing."""

    def __init__(self, cells: Sequence[str], opens: Opens | None):
        super().__init__(list(cells))
        self.opens = opens


class RecordList(QTreeWidget):
    """A short list of records; Enter or a double click opens the one chosen."""

    def __init__(self, name: str, headers: Sequence[str], stretch: int):
        super().__init__()
        self.setAccessibleName(name)
        self.setColumnCount(len(headers))
        self.setHeaderLabels(list(headers))
        self.setRootIsDecorated(False)
        self.setUniformRowHeights(True)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = self.header()
        header.setStretchLastSection(False)
        for column in range(len(headers)):
            mode = (
                QHeaderView.ResizeMode.Stretch
                if column == stretch
                else QHeaderView.ResizeMode.ResizeToContents
            )
            header.setSectionResizeMode(column, mode)
        # Rows a little taller than the text: easier to read and to hit.
        row_height = self.fontMetrics().height() + 8
        self.setStyleSheet(f"QTreeView::item {{ height: {row_height}px; }}")
        height = header.sizeHint().height() + VISIBLE_ROWS * row_height
        self.setFixedHeight(height + 2 * self.frameWidth())

    def show_rows(
        self, rows: Iterable[tuple[Sequence[str], Opens | None, str]]
    ) -> list[OpeningRow]:
        """Replace the rows with ``rows``: (cells, what the row opens, tooltip) each;
        returns the rows made, in order."""
        self.clear()
        made = []
        for cells, opens, tooltip in rows:
            item = OpeningRow(cells, opens)
            for column in range(len(cells)):
                item.setToolTip(column, tooltip)
            self.addTopLevelItem(item)
            made.append(item)
        return made

    def finish(self, total: int, more: int, empty: str, rest: Opens | None) -> None:
        """End the list: ``empty`` when there is nothing, else a last row for the
        ``more`` items left out that opens ``rest`` (the register, filtered)."""
        if not total:
            self.add_note(empty)
        elif more and rest is not None:
            item = OpeningRow([f"… and {more:,} more: show them in the register"], rest)
            self.addTopLevelItem(item)
            item.setFirstColumnSpanned(True)

    def add_note(self, text: str) -> None:
        """A line that opens nothing ("Nothing is late.")."""
        item = OpeningRow([text], None)
        item.setFlags(Qt.ItemFlag.NoItemFlags)
        self.addTopLevelItem(item)
        item.setFirstColumnSpanned(True)  # only once the item is in the tree


class DashboardView(QWidget):
    """Figures, charts and lists of a :class:`Dashboard`, each clicking through."""

    #: The register to show and the filter to apply to it.
    filter_requested = Signal(str, object)
    #: The register and the key of the record to open.
    record_requested = Signal(str, str)
    #: The user chose the baseline to compare with (its UUID).
    baseline_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.title_label = QLabel("Dashboard")
        font = self.title_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.title_label.setFont(font)

        self.tiles = {
            "total": FigureButton("Commitments", RegisterFilter()),
            "open": FigureButton("Open", RegisterFilter(status=OPEN)),
            "completed": FigureButton("Completed", RegisterFilter(status="completed")),
            "late": FigureButton("Late", RegisterFilter(deadline="late")),
            "at_risk": FigureButton("At risk", RegisterFilter(deadline="at_risk")),
        }
        figures = QHBoxLayout()
        for tile in self.tiles.values():
            figures.addWidget(tile)
            tile.clicked.connect(lambda _=False, tile=tile: self._ask(tile.wanted))

        self.status_chart = BarChart()
        self.status_chart.setAccessibleName("Commitments by status")
        self.status_chart.bar_activated.connect(
            lambda key: self.filter_requested.emit("commitments", RegisterFilter(status=key))
        )
        self.theme_chart = BarChart()
        self.theme_chart.setAccessibleName("Commitments by theme")
        self.theme_chart.bar_activated.connect(
            lambda key: self.filter_requested.emit("commitments", RegisterFilter(theme=key))
        )

        self.late_button, self.late_list = self._section(
            "Late commitments", ("Id", "Commitment", "Late by")
        )
        self.at_risk_button, self.at_risk_list = self._section(
            "Commitments at risk", ("Id", "Commitment", "Target")
        )
        self.due_soon_button, self.due_soon_list = self._section(
            "Due in the next 90 days", ("Due", "Item", "Kind")
        )
        self.due_before_button, self.due_before_list = self._section(
            "Due before the next event", ("Due", "Item", "Kind")
        )
        self.progress_heading = _heading("Progress since the baseline")
        self.baseline_combo = narrow_combo(QComboBox(), 24)
        self.baseline_combo.setAccessibleName("Baseline to compare with")
        self.baseline_combo.setToolTip("The baseline the progress is counted from")
        self.baseline_combo.activated.connect(self._baseline_chosen)
        baseline_label = QLabel("&Compared with")
        baseline_label.setBuddy(self.baseline_combo)
        self.progress_view = BaselineProgressView()
        self.progress_view.record_requested.connect(self.record_requested)
        progress_row = QHBoxLayout()
        progress_row.addWidget(self.progress_heading)
        progress_row.addSpacing(12)
        progress_row.addWidget(baseline_label)
        progress_row.addWidget(self.baseline_combo)
        progress_row.addStretch(1)
        self.recent_list = RecordList("Recent changes", ("When", "What", "Records", "Who"), 1)
        self.recent_list.itemActivated.connect(self._open_item)

        # What needs acting on first (late, at risk, due), then the breakdowns; the
        # status chart is short, so the recent changes sit under it, beside the themes.
        content = QWidget()
        grid = QGridLayout(content)
        grid.setHorizontalSpacing(18)
        grid.setVerticalSpacing(6)
        grid.addWidget(self.title_label, 0, 0, 1, 2)
        grid.addLayout(figures, 1, 0, 1, 2)
        sections = (
            (self.late_button, self.late_list),
            (self.at_risk_button, self.at_risk_list),
            (self.due_soon_button, self.due_soon_list),
            (self.due_before_button, self.due_before_list),
        )
        for index, (heading, items) in enumerate(sections):
            row, column = 2 + 2 * (index // 2), index % 2
            grid.addWidget(heading, row, column)
            grid.addWidget(items, row + 1, column)
        grid.addLayout(progress_row, 6, 0, 1, 2)
        grid.addWidget(self.progress_view, 7, 0, 1, 2)
        grid.addWidget(_heading("Commitments by status"), 8, 0)
        grid.addWidget(_heading("Commitments by theme"), 8, 1)
        left = QVBoxLayout()
        left.addWidget(self.status_chart)
        left.addSpacing(12)
        left.addWidget(_heading("Recent changes"))
        left.addWidget(self.recent_list)
        left.addStretch(1)
        grid.addLayout(left, 9, 0)
        grid.addWidget(self.theme_chart, 9, 1, Qt.AlignmentFlag.AlignTop)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        grid.setRowStretch(10, 1)
        for row in (2, 4, 6, 8):  # the headings, a little apart from what is above
            grid.setRowMinimumHeight(row, 28)

        reading_order = (
            *self.tiles.values(),
            *itertools.chain.from_iterable(sections),
            self.baseline_combo,
            self.progress_view.table,
            self.status_chart,
            self.recent_list,
            self.theme_chart,
        )
        for first, second in itertools.pairwise(reading_order):
            QWidget.setTabOrder(first, second)  # Tab follows the page, not creation order

        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setWidget(content)
        self.scroll_area.setAccessibleName("Dashboard")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.scroll_area)

    def _section(self, name: str, headers: Sequence[str]) -> tuple[HeadingButton, RecordList]:
        heading = HeadingButton()
        heading.clicked.connect(lambda: self._ask(heading.wanted))
        items = RecordList(name, headers, 1)
        items.itemActivated.connect(self._open_item)
        return heading, items

    # -- showing ----------------------------------------------------------------------
    def show_dashboard(self, dashboard: Dashboard) -> None:
        """Show ``dashboard``; what was shown before is replaced."""
        d = dashboard
        self.title_label.setText(f"Dashboard — as of {d.as_of.day} {d.as_of:%b %Y}")
        red = late_colour(self.palette())
        self.tiles["total"].set_value(d.total)
        self.tiles["open"].set_value(d.open)
        self.tiles["open"].setToolTip(f"Open: {d.open:,} (not completed, superseded or withdrawn)")
        self.tiles["completed"].set_value(d.completed)
        self.tiles["late"].set_value(d.late.total, colour=red if d.late.total else None)
        self.tiles["at_risk"].set_value(d.at_risk.total)
        self.status_chart.set_bars([(s.status.value, s.label, s.count) for s in d.by_status])
        self.theme_chart.set_bars([(t.code, t.label, t.count) for t in d.by_theme])

        late, at_risk = RegisterFilter(deadline="late"), RegisterFilter(deadline="at_risk")
        self.late_button.set_heading(f"Late — {d.late.total:,}", late, _ALL)
        self._show_alerts(self.late_list, d.late, "Nothing is late.", late)
        self.at_risk_button.set_heading(f"At risk — {d.at_risk.total:,}", at_risk, _ALL)
        self._show_alerts(self.at_risk_list, d.at_risk, "Nothing is at risk.", at_risk)

        soon = RegisterFilter(due_before=d.due_soon_until, due_before_label="the next 90 days")
        heading = f"Due in the next 90 days — {d.due_soon.total:,}"
        self.due_soon_button.set_heading(heading, soon, _DUE_COMMITMENTS)
        self._show_due(self.due_soon_list, d.due_soon, "Nothing falls due in 90 days.", soon)
        event, before = d.next_event, None
        heading, empty = "Due before the next event", "No event ahead on the desk."
        if event is not None:
            before = RegisterFilter(due_before=event.start_day, due_before_label=event.name)
            heading = f"Due before {event.name} ({event.start.display()})"
            heading += f" — {d.due_before_event.total:,}"
            empty = f"Nothing falls due before {event.name}."
        self.due_before_button.set_heading(heading, before, _DUE_COMMITMENTS)
        self._show_due(self.due_before_list, d.due_before_event, empty, before)

        self.recent_list.show_rows(
            (
                (
                    wording.sentence_case(wording.when(change.at)),
                    change.summary,
                    wording.count(change.records, "record")
                    if change.records is not None
                    else wording.count(change.changes, "change"),
                    change.actor,
                ),
                (change.register, change.key) if change.register and change.key else None,
                f"{wording.full_when(change.at)}, {change.channel.label}\n{change.summary}",
            )
            for change in d.recent
        )
        if not d.recent:
            self.recent_list.add_note("No changes recorded yet.")

    def _show_alerts(
        self, items: RecordList, alerts: ItemList[AlertItem], empty: str, wanted: RegisterFilter
    ) -> None:
        late = wanted.deadline == "late"
        rows = items.show_rows(
            (
                (
                    alert.ref,
                    alert.title,
                    wording.count(alert.days_overdue, "day") if late else _display(alert.target),
                ),
                ("commitments", alert.ref),
                f"{alert.ref} {alert.title}\n{wording.sentence_case(alert.reason)}",
            )
            for alert in alerts.items
        )
        if late:
            red = late_colour(self.palette())
            for row in rows:
                row.setForeground(2, red)
        items.finish(alerts.total, alerts.more, empty, ("commitments", wanted))

    @staticmethod
    def _show_due(
        items: RecordList, due: ItemList[DueItem], empty: str, wanted: RegisterFilter | None
    ) -> None:
        items.show_rows(
            (
                (item.due.display(), item.label, item.kind),
                (item.register, item.key),
                f"{item.kind}, due {item.due.display()}\n{item.label}",
            )
            for item in due.items
        )
        items.finish(due.total, due.more, empty, ("commitments", wanted) if wanted else None)

    def show_progress(
        self,
        choices: Sequence[BaselineChoice],
        progress: BaselineProgress | None,
    ) -> None:
        """Offer ``choices`` to compare with and show ``progress`` (the one chosen's;
        None when the desk has no baseline)."""
        self.baseline_combo.clear()
        for choice in choices:
            self.baseline_combo.addItem(choice.label, choice.uuid)
        longest = max((len(choice.label) for choice in choices), default=0)
        self.baseline_combo.setMinimumContentsLength(min(max(longest, 24), 48))
        if progress is not None:
            self.baseline_combo.setCurrentIndex(
                self.baseline_combo.findData(progress.baseline.uuid)
            )
        self.baseline_combo.setEnabled(bool(choices))
        self.progress_view.show_progress(progress)

    def chosen_baseline(self) -> str | None:
        """The UUID of the baseline shown (None: none yet)."""
        progress = self.progress_view.progress
        return progress.baseline.uuid if progress is not None else None

    def _baseline_chosen(self, index: int) -> None:
        uuid = self.baseline_combo.itemData(index)
        if uuid and uuid != self.chosen_baseline():
            self.baseline_chosen.emit(uuid)

    # -- clicking through ------------------------------------------------------------
    def _ask(self, wanted: RegisterFilter | None) -> None:
        if wanted is not None:
            self.filter_requested.emit("commitments", wanted)

    def _open_item(self, item: QTreeWidgetItem) -> None:
        opens = getattr(item, "opens", None)
        if opens is None:
            return
        register, wanted = opens
        if isinstance(wanted, RegisterFilter):
            self.filter_requested.emit(register, wanted)
        else:
            self.record_requested.emit(register, wanted)
