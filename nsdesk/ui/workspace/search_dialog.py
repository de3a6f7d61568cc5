"""Search everywhere (Ctrl+K): one box over the whole desk, results grouped by kind.

The dialog never sees a desk: it is given a search function (query → results)
and says which record the user chose with :attr:`SearchDialog.result_chosen`
(register name, key); whoever opened it shows that register and selects the key.

Everything a user typed or stored is drawn as plain text — the snippet's matched
words are drawn in bold by the painter, not through markup — so a title like
``<b>x</b>`` reads exactly so. The one rich-text surface, the tooltip, escapes it.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QModelIndex, QObject, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QKeyEvent, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QLineEdit,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from nsdesk.ui.widgets.dialog_style import note_label, text_label
from nsdesk.ui.widgets.sizing import fit_to_screen

if TYPE_CHECKING:
    from nsdesk.services.records.search import SearchResult, SearchResults, Snippet

#: The :class:`~nsdesk.services.records.search.SearchResult` a row shows (headers have none).
RESULT_ROLE = Qt.ItemDataRole.UserRole + 1

_PAD = 4  # pixels around the two lines of a result


def group_heading(label: str, count: int, more: bool) -> str:
    """A group's header: its kind and how many results it lists."""
    return f"{label} ({count}+)" if more else f"{label} ({count})"


def row_lines(result: SearchResult) -> tuple[Snippet, Snippet]:
    """What a result's two lines show, as runs of (text, matched).

    When the snippet only repeats the title (the match was in the title), the
    title itself carries the bold words and there is no second line."""
    inner = _without_ellipses(result.snippet)
    plain = "".join(text for text, _ in inner)
    at = result.title.find(plain) if plain.strip() else -1
    if at < 0:
        return ((result.title, False),), result.snippet
    runs = [(result.title[:at], False), *inner, (result.title[at + len(plain) :], False)]
    return _merged(runs), ()


def _without_ellipses(runs: Snippet) -> Snippet:
    """The snippet without the "…" that marks where the store cut the text."""
    if not runs:
        return runs
    trimmed = list(runs)
    trimmed[0] = (trimmed[0][0].lstrip("…"), trimmed[0][1])
    trimmed[-1] = (trimmed[-1][0].rstrip("…"), trimmed[-1][1])
    return tuple(run for run in trimmed if run[0])


def _merged(runs: list[tuple[str, bool]]) -> Snippet:
    out: list[tuple[str, bool]] = []
    for text, matched in runs:
        if not text:
            continue
        if out and out[-1][1] == matched:
            out[-1] = (out[-1][0] + text, matched)
        else:
            out.append((text, matched))
    return tuple(out)


def tooltip_html(result: SearchResult) -> str:
    """The row's tooltip as rich text: title and snippet escaped, matches in bold.
    (Qt guesses whether a tooltip is markup, so plain text could be misread.)"""
    title, snippet = row_lines(result)
    paragraphs = [_html(title)] + ([_html(snippet)] if snippet else [])
    return "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)


def _html(runs: Snippet) -> str:
    return "".join(
        f"<b>{html.escape(text)}</b>" if matched else html.escape(text) for text, matched in runs
    )


def accessible_text(result: SearchResult) -> str:
    """What a screen reader says for a result: its title, then its snippet."""
    title, snippet = row_lines(result)
    return ". ".join("".join(text for text, _ in runs) for runs in (title, snippet) if runs)


class SearchResultDelegate(QStyledItemDelegate):
    """Draws a result as its title and, below, its snippet, the matched words in
    bold; a group header as a bold line with some space above it. All text is
    drawn with ``drawText`` on plain strings, never parsed as markup."""

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        line = QFontMetrics(option.font).lineSpacing()
        width = super().sizeHint(option, index).width()
        result = index.data(RESULT_ROLE)
        if result is None:
            return QSize(width, line + 2 * _PAD + (0 if index.row() == 0 else _GROUP_GAP))
        lines = 1 if not row_lines(result)[1] else 2
        return QSize(width, lines * line + 2 * _PAD)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        regular, bold = QFont(opt.font), QFont(opt.font)
        regular.setBold(False)
        bold.setBold(True)
        line = QFontMetrics(regular).lineSpacing()
        area = opt.rect.adjusted(_PAD * 2, _PAD, -_PAD * 2, -_PAD)
        result = index.data(RESULT_ROLE)
        painter.save()
        if result is None:  # a group header: no panel, no selection
            painter.setFont(bold)
            painter.setPen(opt.palette.color(QPalette.ColorRole.Text))
            text = QFontMetrics(bold).elidedText(
                opt.text, Qt.TextElideMode.ElideRight, area.width()
            )
            painter.drawText(
                QRect(area.left(), area.bottom() - line + 1, area.width(), line), _LEFT, text
            )
            painter.restore()
            return
        opt.text = ""  # the panel and selection only; the text is drawn below
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        strong = opt.palette.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        )
        quiet = strong if selected else _blend(strong, opt.palette.color(QPalette.ColorRole.Base))
        title, snippet = row_lines(result)
        for row, (runs, plain_colour) in enumerate(((title, strong), (snippet, quiet))):
            x, right, top = area.left(), area.right() + 1, area.top() + row * line
            for text, matched in runs:
                font = bold if matched else regular
                metrics = QFontMetrics(font)
                room = right - x
                if room <= metrics.horizontalAdvance("…"):
                    break
                shown = metrics.elidedText(text, Qt.TextElideMode.ElideRight, room)
                painter.setFont(font)
                painter.setPen(strong if matched else plain_colour)
                painter.drawText(QRect(x, top, room, line), _LEFT, shown)
                x += metrics.horizontalAdvance(shown)
                if shown != text:
                    break
        painter.restore()


_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextSingleLine)
_GROUP_GAP = 6  # pixels above every group header but the first


def _blend(text: QColor, base: QColor) -> QColor:
    """The snippet's colour: the text colour a quarter of the way to the
    background — quieter than the title, still well above contrast minimums."""
    return QColor(
        round(text.red() * 0.75 + base.red() * 0.25),
        round(text.green() * 0.75 + base.green() * 0.25),
        round(text.blue() * 0.75 + base.blue() * 0.25),
    )


class SearchDialog(QDialog):
    """ "Search the desk": a box whose results, grouped by kind under bold headers
    with their counts, follow what is typed (after :attr:`debounce_ms`).

    Down and Up move through the results from the box (headers are skipped),
    Enter opens the current result — or the first, when none is chosen — and Esc
    closes. Typing while the list has the focus goes on in the box.
    """

    result_chosen = Signal(str, str)
    """The user opened a result: the register to show and the key it selects."""

    #: How long typing must pause before searching; tests set it to 0 (search at once).
    DEBOUNCE_MS = 120

    def __init__(
        self, search: Callable[[str], SearchResults], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Search the desk")
        self._search = search
        self.debounce_ms = self.DEBOUNCE_MS
        #: The result opened last (a progress entry's own UUID is its ``detail_key``).
        self.chosen: SearchResult | None = None
        self.results: SearchResults | None = None
        self._result_items: list[QTreeWidgetItem] = []  # the result rows, top to bottom

        self.query_edit = QLineEdit()
        self.query_edit.setPlaceholderText(
            "Search commitments, history, gift baskets, documents, agencies"
        )
        self.query_edit.setAccessibleName("Search")
        self.query_edit.setClearButtonEnabled(True)

        self.status_label = text_label()
        self.status_label.setAccessibleName("Search status")
        self.status_label.hide()

        self.results_tree = QTreeWidget()
        self.results_tree.setAccessibleName("Search results")
        self.results_tree.setHeaderHidden(True)
        self.results_tree.setRootIsDecorated(False)
        self.results_tree.setItemsExpandable(False)
        self.results_tree.setIndentation(12)
        self.results_tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.results_tree.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.results_tree.setItemDelegate(SearchResultDelegate(self.results_tree))
        self.results_tree.itemActivated.connect(lambda item, _column: self._open(item))

        hint = note_label("↑ ↓ move through the results · Enter opens · Esc closes")

        layout = QVBoxLayout(self)
        layout.addWidget(self.query_edit)
        layout.addWidget(self.status_label)
        layout.addWidget(self.results_tree, 1)
        layout.addWidget(hint)
        fit_to_screen(self, 640, 420)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.run_search)
        self.query_edit.textChanged.connect(self._query_changed)
        self.query_edit.installEventFilter(self)
        self.results_tree.installEventFilter(self)
        self.query_edit.setFocus()

    # -- searching -------------------------------------------------------------------

    def _query_changed(self) -> None:
        if self.debounce_ms <= 0:
            self.run_search()
        else:
            self._timer.start(self.debounce_ms)

    def run_search(self) -> None:
        """Search for what the box holds now and show the results."""
        self._timer.stop()
        query = self.query_edit.text().strip()
        self.results = self._search(query) if query else None
        self._show(self.results)

    def _show(self, results: SearchResults | None) -> None:
        tree = self.results_tree
        tree.setUpdatesEnabled(False)
        tree.clear()
        self._result_items = []
        if results is not None:
            for group in results.groups:
                header = QTreeWidgetItem([group_heading(group.label, len(group.hits), group.more)])
                header.setFlags(Qt.ItemFlag.ItemIsEnabled)  # a heading, never a choice
                font = header.font(0)
                font.setBold(True)
                header.setFont(0, font)
                tree.addTopLevelItem(header)
                rows = [_result_item(hit) for hit in group.hits]
                header.addChildren(rows)
                self._result_items += rows
            tree.expandAll()
        tree.setUpdatesEnabled(True)
        if results is not None and results.is_empty:
            self.status_label.setText(f"No matches for “{self.query_edit.text().strip()}”.")
            self.status_label.show()
        else:
            self.status_label.hide()

    # -- moving and opening -------------------------------------------------------------

    def result_items(self) -> list[QTreeWidgetItem]:
        """The rows that are results (not headers), top to bottom."""
        return list(self._result_items)

    def _move(self, step: int) -> None:
        items = self.result_items()
        if not items:
            return
        current = self.results_tree.currentItem()
        at = items.index(current) if current in items else -1
        if at < 0:
            wanted = 0 if step > 0 else -1
        elif step < 0 and at == 0:
            wanted = -1
        else:
            wanted = max(0, min(len(items) - 1, at + step))
        if wanted < 0:  # up from the first result: back to the box alone
            self.results_tree.setCurrentIndex(QModelIndex())  # no current result
            self.results_tree.clearSelection()
            self.query_edit.setFocus()
            return
        item = items[wanted]
        self.results_tree.setCurrentItem(item)
        parent = item.parent()
        if parent is not None and parent.indexOfChild(item) == 0:
            self.results_tree.scrollToItem(parent)  # keep a group's header in view with it
        self.results_tree.scrollToItem(item)

    def open_current(self) -> None:
        """Open the current result, or the first when none is current."""
        current = self.results_tree.currentItem()
        if current is None or current.data(0, RESULT_ROLE) is None:
            items = self.result_items()
            current = items[0] if items else None
        if current is not None:
            self._open(current)

    def _open(self, item: QTreeWidgetItem) -> None:
        result = item.data(0, RESULT_ROLE)
        if result is None:
            return  # a header
        self.chosen = result
        self.result_chosen.emit(result.register, result.key)
        self.accept()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return super().eventFilter(watched, event)
        key = event.key()
        if self._timer.isActive() and key in _NAVIGATION:
            self.run_search()  # act on what is typed, not on the results before it
        if key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
            self._move(1 if key == Qt.Key.Key_Down else -1)
            return True
        if key in (Qt.Key.Key_PageDown, Qt.Key.Key_PageUp):
            self._move(5 if key == Qt.Key.Key_PageDown else -5)
            return True
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.open_current()
            return True
        typed = (event.text().isprintable() and event.text()) or key == Qt.Key.Key_Backspace
        if watched is self.results_tree and typed:
            # Typing in the list goes on in the box, as the user means it to.
            self.query_edit.setFocus()
            copy = QKeyEvent(event.type(), key, event.modifiers(), event.text())
            QApplication.sendEvent(self.query_edit, copy)
            return True
        return super().eventFilter(watched, event)


_NAVIGATION = (
    Qt.Key.Key_Down,
    Qt.Key.Key_Up,
    Qt.Key.Key_PageDown,
    Qt.Key.Key_PageUp,
    Qt.Key.Key_Return,
    Qt.Key.Key_Enter,
)


def _result_item(result: SearchResult) -> QTreeWidgetItem:
    item = QTreeWidgetItem([result.title])
    item.setData(0, RESULT_ROLE, result)
    item.setData(0, Qt.ItemDataRole.AccessibleTextRole, accessible_text(result))
    item.setToolTip(0, tooltip_html(result))
    return item
