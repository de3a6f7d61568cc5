"""The import preview's list of changes: record by record, field by field, what is
in the desk now and what the workbook says; the conflicts marked in amber, each
with the side chosen for it.

The tree owns the conflicts' sides (:class:`~nsdesk.ui.exchange.resolutions.Resolutions`,
a plain structure): its rows only show them. A row is known by its place — the
n-th record of the preview, the m-th change of that record — never by data kept
in the row.

Values are cut only where their column has no room, with their length said
(:mod:`nsdesk.ui.exchange.long_values`); the desk's column takes what its values
need, up to half the room, and the workbook's the rest; the Conflict column shows
only when there are conflicts. A field's row opens, on a double-click or Enter,
both values whole.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QPalette, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QMenu,
    QStyle,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from nsdesk.ui.exchange.long_values import (
    LENGTH_ROLE,
    LengthElidingDelegate,
    ValueDialog,
    preview_text,
    value_tip,
)
from nsdesk.ui.exchange.resolutions import DESK, WORKBOOK, ConflictKey, Resolutions
from nsdesk.ui.widgets.inline_error import is_dark, secondary_colour
from nsdesk.ui.wording import count

if TYPE_CHECKING:
    from nsdesk.services.exchange.changes import FieldChange, ImportPreview, RecordChange

COL_WHAT, COL_CELL, COL_OLD, COL_NEW, COL_CONFLICT = range(5)
SIDE_WORDS = {
    None: "Conflict: choose a side",
    DESK: "Conflict: keep the desk's value",
    WORKBOOK: "Conflict: take the workbook's",
}
EXPAND_AT_MOST = 300
"""Past this many records only those with conflicts open: the rest are a click away."""
_HISTORY_FIELDS = {"narrative", "evidence"}  # added to the history as a progress entry
_MEASURED = 40  # the longest values of a column measured to size it (the others are shorter)


def conflict_colour(palette: QPalette) -> QColor:
    """An amber that marks a conflict's row and keeps the palette's text readable."""
    return QColor("#5b4708") if is_dark(palette) else QColor("#ffe9a8")


def side_tip(side: str | None) -> str:
    """What choosing ``side`` for a conflict does (None: why it needs a side)."""
    if side is None:
        return (
            "This field was changed both in the desk and in the workbook since the export: "
            "choose which value to keep."
        )
    if side == DESK:
        return "The desk keeps its value; the workbook's is not imported."
    return "The workbook's value replaces the desk's."


class PreviewTree(QTreeWidget):
    """Each record the import would change and, under it, each field; the sides of
    the conflicts are chosen here (buttons or the context menu act on the rows
    chosen in it)."""

    resolutions_changed = Signal()
    """A side was chosen for one or more conflicts."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.records: tuple[RecordChange, ...] = ()
        self.resolutions = Resolutions()
        self._titles: list[str] = []  # a record row's text before its conflicts
        self._record_items: list[QTreeWidgetItem] = []  # a row per record, in order
        self._conflict_rows: dict[ConflictKey, QTreeWidgetItem] = {}
        self._needed = (0, 0)  # the widths the desk's and the workbook's values ask for
        self.value_dialog: ValueDialog | None = None
        self.setAccessibleName("Changes, by record and field")
        self.setAccessibleDescription(
            "Each record the import would change, and under it each field: what is in the "
            "desk now and what the workbook says. Conflicts need a side."
        )
        self.setColumnCount(5)
        self.setHeaderLabels(
            ["Record and field", "Cell", "In the desk now", "In the workbook", "Conflict"]
        )
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setUniformRowHeights(True)
        self.setAlternatingRowColors(True)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._menu)
        # A record's row spans the whole width (its label is long); under it the
        # fields, whose old and new values share what the fixed columns leave.
        header = self.header()
        header.setStretchLastSection(False)
        metrics = self.fontMetrics()
        bold = QFont(self.font())
        bold.setBold(True)
        icon = self.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize)
        widths = {
            COL_WHAT: metrics.horizontalAdvance("Progress since last update")
            + self.indentation()
            + icon
            + 24,
            COL_CELL: metrics.horizontalAdvance("Commitments!AA1000") + 16,
            COL_CONFLICT: QFontMetrics(bold).horizontalAdvance(SIDE_WORDS[DESK]) + 24,
        }
        for column, width in widths.items():
            header.resizeSection(column, width)
        header.setSectionResizeMode(COL_NEW, QHeaderView.ResizeMode.Stretch)
        self._eliding = LengthElidingDelegate(self)
        self.setItemDelegateForColumn(COL_OLD, self._eliding)
        self.setItemDelegateForColumn(COL_NEW, self._eliding)
        self.itemActivated.connect(self.show_values)

    # -- showing ----------------------------------------------------------------------------
    def show_preview(self, preview: ImportPreview, *, only_conflicts: bool = False) -> None:
        """List what ``preview`` would change. Sides already chosen for conflicts that
        are still there (the same file read again) are kept."""
        earlier = self.resolutions.chosen()
        self.records = preview.records
        self._titles = []
        self._conflict_rows = {}
        self.setUpdatesEnabled(False)
        self.clear()
        palette = self.palette()
        quiet = QBrush(secondary_colour(palette))
        marked = QBrush(conflict_colour(palette))
        warning = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        expand = len(preview.records) <= EXPAND_AT_MOST
        conflicts: list[ConflictKey] = []
        items = []
        for record in preview.records:
            title = f"{record.label or record.key}   ·   {record.sheet} row {record.row}"
            if record.is_new:
                title += "   ·   new record"
            self._titles.append(title)
            item = QTreeWidgetItem([title])
            item.setToolTip(COL_WHAT, title)
            bold = QFont(item.font(COL_WHAT))
            bold.setBold(True)
            item.setFont(COL_WHAT, bold)
            for change in record.changes:
                child = _field_row(change, quiet)
                if change.conflict:
                    key = (record.key, change.column)
                    conflicts.append(key)
                    self._conflict_rows[key] = child
                    child.setIcon(COL_WHAT, warning)
                    for column in range(self.columnCount()):
                        child.setBackground(column, marked)
                item.addChild(child)
            items.append(item)
        self.resolutions = Resolutions(conflicts, earlier)
        self._record_items = items
        self.addTopLevelItems(items)
        self.setColumnHidden(COL_CONFLICT, not conflicts)
        self._needed = self._widths_needed(items)
        self._fit_value_columns()
        for item, record in zip(items, preview.records, strict=True):
            item.setFirstColumnSpanned(True)
            if expand or record.conflicts:
                item.setExpanded(True)
        self._show_sides()
        self.show_only_conflicts(only_conflicts and bool(self.resolutions))
        self.setUpdatesEnabled(True)
        if items:
            self.setCurrentItem(items[0])

    def show_values(self, item: QTreeWidgetItem, _column: int = 0) -> ValueDialog | None:
        """Open the field's values whole, the desk's and the workbook's (a record's row:
        nothing to open)."""
        parent = item.parent()
        if parent is None:
            return None
        record = self.records[self.indexOfTopLevelItem(parent)]
        change = record.changes[parent.indexOfChild(item)]
        values = ((change.old, _empty_old(change)), (change.new, "(empty)"))
        if self.value_dialog is not None:
            self.value_dialog.close()
        self.value_dialog = ValueDialog(change.header, change.cell, values, self)
        self.value_dialog.open()
        return self.value_dialog

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Share the new width between the values again."""
        super().resizeEvent(event)
        self._fit_value_columns()

    def _widths_needed(self, items: list[QTreeWidgetItem]) -> tuple[int, int]:
        """The widths the longest values of the desk's and the workbook's columns need."""
        metrics = self.fontMetrics()
        needed = []
        for column in (COL_OLD, COL_NEW):
            texts = [
                child.text(column)
                for item in items
                for i in range(item.childCount())
                if (child := item.child(i)) is not None
            ]
            longest = sorted(texts, key=len, reverse=True)[:_MEASURED]
            needed.append(max((metrics.horizontalAdvance(t) for t in longest), default=0) + 16)
        return needed[0], needed[1]

    def _fit_value_columns(self) -> None:
        """The desk's column as wide as its values need when both fit, or when they need
        at most half the room; else what the workbook's leave it, at least half."""
        header = self.header()
        fixed = sum(
            header.sectionSize(column)
            for column in (COL_WHAT, COL_CELL, COL_CONFLICT)
            if not self.isColumnHidden(column)
        )
        room = max(self.viewport().width() - fixed, 0)
        old, new = self._needed
        if old + new <= room or old <= room // 2:
            width = old
        elif new <= room // 2:
            width = room - new
        else:
            width = room // 2
        header.resizeSection(COL_OLD, max(width, header.minimumSectionSize()))

    def forget_sides(self) -> None:
        """Another file is read: no side chosen before applies to it."""
        self.resolutions = Resolutions()

    def show_only_conflicts(self, only: bool) -> None:
        """Hide the records without conflicts (or show them all again)."""
        with_conflicts = self.resolutions.records()
        for item, record in zip(self._record_items, self.records, strict=True):
            item.setHidden(only and record.key not in with_conflicts)

    def record_key(self, item: QTreeWidgetItem) -> str:
        """The key of the record a row shows (or belongs to)."""
        record_row = item.parent() or item
        return self.records[self.indexOfTopLevelItem(record_row)].key

    # -- settling conflicts -------------------------------------------------------------------
    def selected_conflicts(self) -> list[ConflictKey]:
        """The conflicts of the rows chosen in the list (a record: all of its conflicts)."""
        found: list[ConflictKey] = []
        for item in self.selectedItems():
            parent = item.parent()
            if parent is None:
                found += self.resolutions.of_record(self.record_key(item))
                continue
            record = self.records[self.indexOfTopLevelItem(parent)]
            key = (record.key, record.changes[parent.indexOfChild(item)].column)
            if key in self.resolutions:
                found.append(key)
        return list(dict.fromkeys(found))

    def resolve(self, record_key: str, column: str | None, side: str) -> None:
        """Settle one conflict (``column``), or all of a record's (``column`` None)."""
        keys = self.resolutions.of_record(record_key)
        self._settle([k for k in keys if column is None or k[1] == column], side)

    def resolve_selected(self, side: str) -> None:
        """Settle the conflicts chosen in the list (a record: all of its conflicts)."""
        self._settle(self.selected_conflicts(), side)

    def resolve_all(self, side: str) -> None:
        """Settle every conflict the same way."""
        self._settle(self.resolutions.keys(), side)

    def _settle(self, keys: list[ConflictKey], side: str) -> None:
        self.resolutions.settle(keys, side)
        self._show_sides()
        self.resolutions_changed.emit()

    def _menu(self, where: QPoint) -> None:
        if not self.selected_conflicts():
            return
        menu = QMenu(self)
        menu.addAction("Keep the desk's value", lambda: self.resolve_selected(DESK))
        menu.addAction("Take the workbook's", lambda: self.resolve_selected(WORKBOOK))
        menu.popup(self.viewport().mapToGlobal(where))

    def _show_sides(self) -> None:
        open_font = QFont(self.font())
        open_font.setBold(True)
        resolutions = self.resolutions
        for key, row in self._conflict_rows.items():
            side = resolutions.side(key)
            row.setText(COL_CONFLICT, SIDE_WORDS[side])
            row.setToolTip(COL_CONFLICT, side_tip(side))
            row.setFont(COL_CONFLICT, open_font if side is None else self.font())
        for number, record in enumerate(self.records):
            keys = resolutions.of_record(record.key)
            if not keys:
                continue
            left = sum(1 for key in keys if resolutions.side(key) is None)
            said = (
                f"{count(left, 'conflict')} to settle"
                if left
                else f"{count(len(keys), 'conflict')} settled"
            )
            self._record_items[number].setText(COL_WHAT, f"{self._titles[number]}   ·   {said}")


def _empty_old(change: FieldChange) -> str:
    """What an empty desk value means for this field."""
    return "(added to the history)" if change.field in _HISTORY_FIELDS else "(empty)"


def _field_row(change: FieldChange, quiet: QBrush) -> QTreeWidgetItem:
    """One field's row: the desk's value now and the workbook's, each cut only where its
    column has no room (with its length), a longer beginning in the tips."""
    old = change.old or _empty_old(change)
    new = change.new or "(empty)"
    row = QTreeWidgetItem([change.header, change.cell, preview_text(old), preview_text(new), ""])
    row.setToolTip(COL_WHAT, f"{change.header} ({change.cell})")
    row.setToolTip(COL_CELL, change.cell)
    for column, value in ((COL_OLD, old), (COL_NEW, new)):
        row.setToolTip(column, value_tip(value))
        row.setData(column, LENGTH_ROLE, len(value))
    if not change.old:
        row.setForeground(COL_OLD, quiet)
    if not change.new:
        row.setForeground(COL_NEW, quiet)
    return row
