"""Refusals said beside the field at fault, and the other small building blocks
the detail panels share: input strips, plain-text labels, tables sized to their rows.

The detail panels take quick entries (a progress entry, a step, a contact) in a
:class:`FormStrip`: labelled fields, one button, Ctrl+Return from any field. When
the service refuses a value, the :class:`~nsdesk.domain.errors.ValidationError`
names the field by its label; the strip shows the sentence in red under that
field, tells assistive technology through the field's accessible description,
and puts the focus there. Nothing is written when that happens.

Colours come from the palette, so the words read in a light or a dark theme.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QColor, QKeyEvent, QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from nsdesk.domain.errors import NsdeskError, ValidationError
from nsdesk.ui.widgets.sizing import narrow_combo
from nsdesk.ui.wording import as_sentence, error_text

W = TypeVar("W", bound=QWidget)


def is_dark(palette: QPalette) -> bool:
    """Whether the palette draws light text on a dark window."""
    return palette.color(QPalette.ColorRole.Window).lightnessF() < 0.5


def error_colour(palette: QPalette) -> QColor:
    """A red that keeps a readable contrast on the palette's window colour."""
    return QColor("#ff8a80") if is_dark(palette) else QColor("#b3261e")


def secondary_colour(palette: QPalette) -> QColor:
    """The colour of secondary text (dates, who recorded it): the palette's own."""
    return palette.color(QPalette.ColorRole.PlaceholderText)


def plain_label(text: str = "", *, wrap: bool = True, name: str | None = None) -> QLabel:
    """A label that shows ``text`` as written (never as markup), wrapped."""
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(wrap)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if name:
        label.setAccessibleName(name)
    return label


def fit_rows(view: QTableView, rows: int, *, least: int = 2, most: int = 8) -> None:
    """Make ``view`` as tall as ``rows`` rows (within ``least`` and ``most``): in a
    scrolling pane a short list should not leave a block of empty rows."""
    shown = max(least, min(rows, most))
    bar = view.horizontalHeader()
    header = 0 if bar.isHidden() else bar.sizeHint().height()
    rows_height = view.verticalHeader().defaultSectionSize() * shown
    view.setFixedHeight(header + rows_height + 2 * view.frameWidth() + 2)


class InlineError(QLabel):
    """A small red sentence under one field; hidden while there is nothing to say."""

    def __init__(self, field: QWidget | None, name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.field = field
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWordWrap(True)
        self.setAccessibleName(f"{name}: problem")
        self._description = field.accessibleDescription() if field is not None else ""
        self.hide()

    def show_message(self, text: str) -> None:
        """Show ``text`` in red and give it to the field's accessible description."""
        self.setStyleSheet(f"QLabel {{ color: {error_colour(self.palette()).name()}; }}")
        self.setText(text)
        self.setAccessibleDescription(text)
        if self.field is not None:
            self.field.setAccessibleDescription(text)
        self.show()

    def clear_message(self) -> None:
        """Hide the message and give the field back its own description."""
        self.clear()
        self.hide()
        if self.field is not None:
            self.field.setAccessibleDescription(self._description)


class _SubmitOnCtrlReturn(QObject):
    def __init__(self, submit: Callable[[], object], parent: QObject):
        super().__init__(parent)
        self._submit = submit

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            self._submit()
            return True
        return False


class FormStrip(QGroupBox):
    """A titled group of labelled fields with one action: Ctrl+Return in any field
    does what the button does; a refusal shows under the field it names."""

    def __init__(self, title: str, parent: QWidget | None = None):
        super().__init__(title, parent)
        self.setAccessibleName(title)
        self.form = QFormLayout(self)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        # In a narrow pane a label goes above its field rather than past the edge.
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self._errors: dict[str, InlineError] = {}
        self._fields: list[QWidget] = []
        self._filter: _SubmitOnCtrlReturn | None = None
        self.general_error = InlineError(None, title)

    def add_field(self, label: str, widget: W, *, field: str | None = None) -> W:
        """Add ``widget`` under ``label`` (``&`` marks its Alt key). ``field`` is the
        name the service gives the field in a refusal (default: the label)."""
        name = field or label.replace("&", "")
        caption = QLabel(label)
        caption.setBuddy(widget)
        # Room for text drawn wider than its metrics say (at 200% the last
        # letter of the longest label was cut off against the field).
        metrics = caption.fontMetrics()
        caption.setMinimumWidth(caption.sizeHint().width() + metrics.averageCharWidth())
        widget.setAccessibleName(name)
        if isinstance(widget, QComboBox):
            narrow_combo(widget)
        error = InlineError(widget, name)
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(widget)
        column.addWidget(error)
        self.form.addRow(caption, box)
        self._errors[name] = error
        self._fields.append(widget)
        if self._filter is not None:
            widget.installEventFilter(self._filter)
        return widget

    def add_buttons(self, *buttons: QWidget, hint: str = "") -> None:
        """The strip's last row: the general error, a hint, then the buttons."""
        row = QHBoxLayout()
        row.addWidget(self.general_error, 1)
        row.addStretch(1)
        if hint:
            hint_label = plain_label(hint, wrap=False)
            hint_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
            row.addWidget(hint_label)
        for button in buttons:
            row.addWidget(button)
        self.form.addRow(row)

    def on_submit(self, submit: Callable[[], object]) -> None:
        """Ctrl+Return (or Ctrl+Enter) in any field calls ``submit`` (what it returns,
        such as whether it succeeded, is not used)."""
        self._filter = _SubmitOnCtrlReturn(submit, self)
        for widget in self._fields:
            widget.installEventFilter(self._filter)

    def show_error(self, error: NsdeskError) -> None:
        """Say ``error`` under the field it names (or under the strip) and focus it."""
        self.clear_errors()
        target = self._errors.get(error.field) if isinstance(error, ValidationError) else None
        if target is None:
            self.general_error.show_message(as_sentence(error_text(error)))
            return
        target.show_message(as_sentence(error_text(error, at_field=True)))
        if target.field is not None:
            target.field.setFocus(Qt.FocusReason.OtherFocusReason)

    def error_for(self, field: str) -> str:
        """The refusal shown under ``field`` ('' when none)."""
        error = self._errors[field]
        return error.text() if not error.isHidden() else ""

    def clear_errors(self) -> None:
        """Hide every refusal shown in the strip."""
        for error in (*self._errors.values(), self.general_error):
            error.clear_message()
