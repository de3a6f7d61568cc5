"""Values of any length in the import preview: a narrative of 3,412 characters shows
its beginning and its length — "The regulator reported… (3,412 characters)" — cut
only where its column has no room for more; the tooltip shows a longer beginning,
and the whole value is a double-click (or Enter) away, in :class:`ValueDialog`.

A cell's text is never longer than :data:`PREVIEW_CHARS` (no column shows more, and
measuring and eliding a text of 30,000 characters on every repaint would be paid for
nothing). :class:`LengthElidingDelegate` cuts it to the column's width and keeps the
length after the ellipsis, where Qt's own eliding would drop it. Tooltips are rich
text built from escaped values, so a value that looks like markup (``<img src=…>``)
is shown as typed, never rendered.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFontMetrics, QTextCursor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from nsdesk.domain.text import length_note, shorten
from nsdesk.ui.exchange.import_words import one_line
from nsdesk.ui.widgets.dialog_style import section_label

PREVIEW_CHARS = 400
"""The most characters of a value a cell's text holds (then "… (3,412 characters)")."""
TIP_CHARS = 600
"""The most characters of a value a tooltip shows."""
LENGTH_ROLE = Qt.ItemDataRole.UserRole + 41
"""The item data role holding the length of the whole value a cell shows."""


def preview_text(value: str, limit: int = PREVIEW_CHARS) -> str:
    """``value`` on one line, its beginning and its length when it is longer than
    ``limit`` characters: ``"The regulator reported… (3,412 characters)"``."""
    return shorten(one_line(value), limit, length=len(value))


def value_tip(value: str, *, whole_elsewhere: bool = True) -> str:
    """A tooltip for ``value``: all of it when short, else its first :data:`TIP_CHARS`
    characters and its length (and, when ``whole_elsewhere``, how to read it whole);
    rich text with the value escaped, wrapped at the tooltip's width."""
    shown = shorten(value, TIP_CHARS)
    paragraphs = [html.escape(shown)]
    if shown != value and whole_elsewhere:
        paragraphs.append("<i>Double-click the row, or press Enter, to read it whole.</i>")
    body = "".join(f"<p style='white-space:pre-wrap'>{p}</p>" for p in paragraphs)
    return f"<qt>{body}</qt>"


def fitted(text: str, length: int, metrics: QFontMetrics, width: int) -> str:
    """``text`` as it fits in ``width`` pixels: whole when it fits; else cut, with the
    length of the whole value (``length`` characters) after the ellipsis."""
    note = length_note(length)
    cut_here = text.endswith(note)  # already shortened to PREVIEW_CHARS
    if not cut_here and metrics.horizontalAdvance(text) <= width:
        return text
    beginning = text.removesuffix(note) if cut_here else text
    room = width - metrics.horizontalAdvance(note)
    elided = metrics.elidedText(beginning, Qt.TextElideMode.ElideRight, max(room, 0))
    return elided.removesuffix("…").rstrip() + note


class LengthElidingDelegate(QStyledItemDelegate):
    """Draws a value cut to its column with its length after the ellipsis: items
    holding :data:`LENGTH_ROLE` are fitted by :func:`fitted`, the others drawn as usual."""

    def initStyleOption(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        """Qt's option for the cell, its text fitted to the cell's width."""
        super().initStyleOption(option, index)
        length = index.data(LENGTH_ROLE)
        if not length:
            return
        widget = option.widget
        style = widget.style() if widget is not None else None
        margin = (style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin) + 1) if style else 3
        width = option.rect.width() - 2 * margin - 2
        option.text = fitted(option.text, int(length), option.fontMetrics, width)


class ValueDialog(QDialog):
    """One field of the preview read whole: what the desk holds now and what the
    workbook says, each in a read-only text box with its length."""

    def __init__(
        self,
        field: str,
        cell: str,
        values: tuple[tuple[str, str], tuple[str, str]],
        parent: QWidget | None = None,
    ) -> None:
        """``values``: (the desk's value, what an empty one means) and the same for the
        workbook's, e.g. ``(("", "(added to the history)"), (narrative, "(empty)"))``."""
        super().__init__(parent)
        self.setWindowTitle(f"{field} — {cell}")
        (old, old_empty), (new, new_empty) = values
        self.old_box, self.new_box = QPlainTextEdit(old), QPlainTextEdit(new)
        layout = QVBoxLayout(self)
        for caption, box, empty in (
            ("In the desk now", self.old_box, old_empty),
            ("In the workbook", self.new_box, new_empty),
        ):
            text = box.toPlainText()
            label = section_label(f"{caption} ({len(text):,} characters)" if text else caption)
            label.setBuddy(box)
            box.setReadOnly(True)
            box.moveCursor(QTextCursor.MoveOperation.Start)  # read from the beginning
            box.setPlaceholderText(empty)
            box.setAccessibleName(caption)
            layout.addWidget(label)
            layout.addWidget(box, 3 if len(text) > TIP_CHARS else 1)  # the long one gets room
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        for button in buttons.buttons():
            # Not a default button: the Return that opened this dialog from the list
            # travels on to the wizard, which would press it (Escape closes it).
            if isinstance(button, QPushButton):
                button.setAutoDefault(False)
                button.setDefault(False)
        layout.addWidget(buttons)
        self.resize(760, 560)

    def captions(self) -> list[str]:
        """The captions above the two boxes, as shown."""
        return [label.text() for label in self.findChildren(QLabel)]
