"""How nsdesk shows a list of records: whole rows selected, one line per row,
alternating colours, and column widths taken from the font rather than the data
(measuring every cell would cost seconds on an archive-sized register).

The main column (a commitment's title) takes the width the others leave; when
the list is narrow (a small laptop, a wide editor beside it) the other columns
give up width, down to their titles, before the main column goes below
:data:`MAIN_COLUMN_CHARS` characters (:class:`ColumnFitter`).
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QAbstractItemModel, QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QHeaderView, QTableView

MAIN_COLUMN_CHARS = 22
"""The width, in average characters, the main column keeps before the others
give up any of theirs (and, when they cannot give enough, it keeps what is left)."""

MAIN_COLUMN_LEAST = 12
"""The fewest average characters the main column keeps while the others can still
give up width down to their titles."""

SHORT_COLUMN_CHARS = 7
"""A column whose content is at most this many characters (C-0042, MFA) keeps it
whole when the others give up width."""

MAIN_COLUMN_PROPERTY = "nsdesk_main_column"
"""The table's dynamic property naming its main column (for the screen checks)."""

_PADDING = 18  # the cell's margins and the grid line around a sample's text


class ColumnFitter(QObject):
    """Keeps a table's columns within its width: each column other than the main
    one has the width it wants (its sample's, or what the user dragged it to);
    when the table is too narrow for them and :data:`MAIN_COLUMN_CHARS` of the main
    column, they give up width in proportion to what they have above their titles'
    width. The main column stretches over what is left."""

    def __init__(self, table: QTableView, main: int, wanted: Mapping[int, int]):
        super().__init__(table)
        self.table = table
        self.main = main
        #: The width each column wants, by column (what :meth:`fit` gives when it can).
        self.wanted = dict(wanted)
        self._fitting = False
        header = table.horizontalHeader()
        header.sectionResized.connect(self._resized_by_user)
        header.sectionCountChanged.connect(lambda *_: self.fit())
        header.sortIndicatorChanged.connect(lambda *_: self.fit())
        table.viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.fit()
        return False

    def remember_widths(self) -> None:
        """The columns' widths now become the widths they want (after a saved
        layout was restored)."""
        header = self.table.horizontalHeader()
        for column in range(header.count()):
            if column != self.main and not header.isSectionHidden(column):
                self.wanted[column] = header.sectionSize(column)
        self.fit()

    def _resized_by_user(self, column: int, _old: int, new: int) -> None:
        if self._fitting or column == self.main or new == 0:
            return  # our own fitting, the stretched column, or a column being hidden
        self.wanted[column] = new
        self.fit()

    def _title_width(self, column: int) -> int:
        """The narrowest a column gets: its title (and the sort arrow if it has it)."""
        header = self.table.horizontalHeader()
        metrics = header.fontMetrics()
        model = self.table.model()
        title = model.headerData(column, Qt.Orientation.Horizontal) if model else None
        least = metrics.horizontalAdvance(str(title or "")) + 14
        if header.isSortIndicatorShown() and header.sortIndicatorSection() == column:
            least += metrics.height()
        return least

    def _least(self, column: int) -> int:
        """What a column keeps while it can: its title, and a short column's content
        whole (an id, a code: up to :data:`SHORT_COLUMN_CHARS` characters)."""
        short = self.table.fontMetrics().averageCharWidth() * SHORT_COLUMN_CHARS + _PADDING
        return max(self._title_width(column), min(self.wanted.get(column, 0), short))

    @staticmethod
    def _shared(wanted: dict[int, int], least: dict[int, int], room: int) -> dict[int, int]:
        """``wanted`` within ``room``: each column gives up width in proportion to
        what it has above its ``least``."""
        spare = sum(wanted.values()) - sum(least.values())
        over = sum(wanted.values()) - room
        share = 1.0 if over <= 0 or spare <= 0 else max(0.0, 1 - over / spare)
        return {c: least[c] + round((wanted[c] - least[c]) * share) for c in wanted}

    def fit(self) -> None:
        """Give each column its width within the table's (see the class)."""
        header = self.table.horizontalHeader()
        shown = [
            c
            for c in range(header.count())
            if c != self.main and not header.isSectionHidden(c) and c in self.wanted
        ]
        if not shown:
            return
        width = self.table.viewport().width()
        chars = self.table.fontMetrics().averageCharWidth()
        wanted = {c: max(self.wanted[c], 0) for c in shown}
        widths = self._shared(
            wanted,
            {c: min(self._least(c), wanted[c]) for c in shown},
            width - chars * MAIN_COLUMN_CHARS,
        )
        main_least = max(chars * MAIN_COLUMN_LEAST, self._title_width(self.main))
        if width - sum(widths.values()) < main_least:
            # Still too narrow: short columns give up their content before the
            # main column goes below its least.
            titles = {c: min(self._title_width(c), wanted[c]) for c in shown}
            widths = self._shared(wanted, titles, width - main_least)
        self._fitting = True
        try:
            for c, size in widths.items():
                if header.sectionSize(c) != size:
                    header.resizeSection(c, size)
        finally:
            self._fitting = False


class ListTable(QTableView):
    """A list of records (see :func:`list_table`) with its :attr:`fitter`."""

    fitter: ColumnFitter


def list_table(
    model: QAbstractItemModel,
    *,
    name: str,
    samples: Mapping[int, str],
    stretch: int,
    single_selection: bool = False,
) -> ListTable:
    """A read-only table over ``model``: column ``c`` is as wide as ``samples[c]``
    in the table's font; the ``stretch`` column takes the width that remains
    (:class:`ColumnFitter`). ``name`` is what a screen reader says the table is."""
    table = ListTable()
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    if single_selection:
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    # Tab leaves the list (arrows move in it): no keyboard trap, no record changed by Tab.
    table.setTabKeyNavigation(False)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)  # one line per row; tooltips carry the rest
    table.verticalHeader().hide()
    for corner in table.findChildren(QAbstractButton):  # Qt's select-all corner (hidden)
        corner.setAccessibleName("Select all rows")
    # Dense rows, as in a spreadsheet: the style's default leaves a register half empty.
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
    table.setAccessibleName(name)
    header = table.horizontalHeader()
    metrics = table.fontMetrics()
    wanted = {}
    for column, sample in samples.items():
        title = model.headerData(column, Qt.Orientation.Horizontal)
        wanted[column] = max(
            metrics.horizontalAdvance(sample) + _PADDING,
            header.fontMetrics().horizontalAdvance(str(title or "")) + _PADDING,
        )
        header.resizeSection(column, wanted[column])
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    table.setProperty(MAIN_COLUMN_PROPERTY, stretch)
    table.fitter = ColumnFitter(table, stretch, wanted)
    return table
