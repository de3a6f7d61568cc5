"""The editor of one record, built from its kind's field specs.

One form serves every kind (:mod:`nsdesk.domain.records` says what each kind
has). In the detail pane a field is saved as soon as the user leaves it (Enter,
Tab, a choice in a list): the editor checks the value itself where it can (a bad
date, an empty required field) and asks for the change with
:attr:`RecordEditor.edit_requested`; what the desk refuses (an unknown agency, a
target before the pledge) comes back through :meth:`RecordEditor.show_error`.
Either way the reason shows in red under the field, and nothing invalid is
written. In a "New…" dialog the same form is a draft (:meth:`draft_values`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from enum import Enum
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from nsdesk.domain.dates import PartialDate
from nsdesk.domain.errors import ChangedField, NsdeskError, ValidationError
from nsdesk.domain.fields import FieldSpec, FieldType, coerce
from nsdesk.domain.keys import has_internal_key
from nsdesk.domain.records import RecordSpec
from nsdesk.services.records.choices import Choice
from nsdesk.ui.records.field_conflict import FieldConflictBar
from nsdesk.ui.widgets.sizing import fit_to_screen, narrow_combo
from nsdesk.ui.wording import as_sentence, error_text

ChoicesFor = Callable[[str], Sequence[Choice]]
"""The records a reference field may name, for a kind (``agency`` → its choices)."""

ERROR_STYLE = "QLabel { color: #d93025; }"  # readable on light and dark backgrounds


def text_of(value: Any) -> str:
    """How a stored value reads in an input box (and is read back by ``coerce``)."""
    if value is None:
        return ""
    if isinstance(value, PartialDate):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return str(value)


class _LongText(QPlainTextEdit):
    """A multi-line field that says when the user leaves it (Tab leaves it too)."""

    left = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setTabChangesFocus(True)  # Tab moves on: no keyboard trap
        self.setMaximumHeight(96)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.left.emit()


class ChooseManyDialog(QDialog):
    """Tick the records a list field names (themes, agencies, lead parties…)."""

    def __init__(self, title: str, choices: Sequence[Choice], chosen: Sequence[str], parent=None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText("Type to narrow the list")
        self.filter_edit.setAccessibleName("Narrow the list")
        self.list = QListWidget()
        self.list.setAccessibleName(title)
        wanted = set(chosen)
        for choice in choices:
            item = QListWidgetItem(choice.label)
            item.setData(Qt.ItemDataRole.UserRole, choice.key)
            item.setCheckState(
                Qt.CheckState.Checked if choice.key in wanted else Qt.CheckState.Unchecked
            )
            self.list.addItem(item)
        self.filter_edit.textChanged.connect(self._narrow)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.list)
        layout.addWidget(buttons)
        fit_to_screen(self, 420, 460)

    def _narrow(self, text: str) -> None:
        wanted = text.casefold()
        for i in range(self.list.count()):
            item = self.list.item(i)
            item.setHidden(wanted not in item.text().casefold())

    def chosen(self) -> list[str]:
        return [
            self.list.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.list.count())
            if self.list.item(i).checkState() == Qt.CheckState.Checked
        ]


class _Field:
    """One field's input, its error line, and how to read and show its value."""

    def __init__(self, spec: FieldSpec, editor: RecordEditor):
        self.spec = spec
        self.shown = ""  # the text the field showed when loaded (to see what changed)
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setAccessibleName(f"{spec.label}: error")
        self.error.hide()
        self.conflict: FieldConflictBar  # placed by the editor, under the error line
        self.choices: Sequence[Choice] = ()
        self.widget: QWidget = self._build(editor)
        self.widget.setAccessibleName(spec.label + (" (required)" if spec.required else ""))
        # The mark of an open conflict a merge left on this field: its tooltip says
        # both values, who set them, when and on which laptop; its menu settles it.
        self.marker = QToolButton()
        self.marker.setText("⚠ Conflict")
        self.marker.setAccessibleName(f"{spec.label}: open conflict")
        self.marker.setStyleSheet("QToolButton { color: #d93025; font-weight: bold; }")
        self.marker.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.marker_menu = QMenu(self.marker)
        self.keep_action = self.marker_menu.addAction("Keep &mine")
        self.take_action = self.marker_menu.addAction("Take &theirs")
        self.marker.setMenu(self.marker_menu)
        self.conflict_id: int | None = None
        self.keep_action.triggered.connect(lambda: editor._decide(self, "keep"))
        self.take_action.triggered.connect(lambda: editor._decide(self, "take"))
        self.marker.hide()

    def _build(self, editor: RecordEditor) -> QWidget:
        spec = self.spec
        kind = spec.type
        if kind is FieldType.LONG_TEXT:
            box = _LongText()
            box.left.connect(lambda: editor._field_left(self))
            return box
        if kind is FieldType.BOOL:
            check = QCheckBox()
            check.clicked.connect(lambda _=False: editor._field_left(self))
            return check
        if kind in (FieldType.ENUM, FieldType.SENSITIVITY):
            combo = narrow_combo(QComboBox())
            combo.activated.connect(lambda _=0: editor._field_left(self))
            return combo
        if kind is FieldType.REFERENCE:
            combo = narrow_combo(QComboBox())
            combo.setEditable(True)  # (sets up the popup for typing, then a line edit)
            typed = QLineEdit()
            combo.setLineEdit(typed)  # ours instead, so it is in hand
            combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
            combo.activated.connect(lambda _=0: editor._field_left(self))
            typed.editingFinished.connect(lambda: editor._field_left(self))
            return combo
        if kind is FieldType.REFERENCES:
            holder = QWidget()
            row = QHBoxLayout(holder)
            row.setContentsMargins(0, 0, 0, 0)
            self.line = QLineEdit()
            self.line.setAccessibleName(spec.label)  # the field itself, not only its box
            self.line.editingFinished.connect(lambda: editor._field_left(self))
            choose = QPushButton("Choose…")
            choose.setAccessibleName(f"Choose {spec.label.lower()}")
            choose.clicked.connect(lambda: editor._choose_many(self))
            self.choose_button = choose
            row.addWidget(self.line, 1)
            row.addWidget(choose)
            holder.setFocusProxy(self.line)
            return holder
        line = QLineEdit()
        line.editingFinished.connect(lambda: editor._field_left(self))
        if kind is FieldType.DATE:
            line.setPlaceholderText("2026-03-31")
        elif kind is FieldType.PARTIAL_DATE:
            line.setPlaceholderText("2026-03-31, 2026-03 or 2026")
        if spec.max_length:
            line.setMaxLength(spec.max_length + 1)  # +1: a too-long value is said, not cut
        return line

    # -- values --------------------------------------------------------------------
    def set_choices(self, choices: Sequence[Choice]) -> None:
        """Offer ``choices``. A list rebuilt while a record is shown (another record
        created, here or by another officer) keeps showing the record's value, or what
        the user is typing in it: refilling the list must not look like a change."""
        self.choices = choices
        widget = self.widget
        if isinstance(widget, QComboBox):
            kept, typed = widget.currentData(), widget.currentText()
            widget.clear()
            if not self.spec.required or self.spec.type is FieldType.REFERENCE:
                widget.addItem("—", None)
            for choice in choices:
                widget.addItem(choice.label, choice.key)
            index = widget.findData(kept) if kept is not None else -1
            if index < 0 and kept is not None:  # not among them (a retired agency): as show()
                widget.addItem(typed, kept)
                index = widget.count() - 1
            if index >= 0:
                widget.setCurrentIndex(index)
            elif widget.isEditable() and typed and typed != "—":
                widget.setEditText(typed)
            if self.spec.type is FieldType.REFERENCE:
                completer = QCompleter([c.label for c in choices], widget)
                completer.setFilterMode(Qt.MatchFlag.MatchContains)
                completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
                widget.setCompleter(completer)

    def text(self) -> str:
        """What the field holds now, in the form ``coerce`` and the services read."""
        widget = self.widget
        if isinstance(widget, _LongText):
            return widget.toPlainText()
        if isinstance(widget, QCheckBox):
            return "yes" if widget.isChecked() else "no"
        if isinstance(widget, QComboBox):
            if self.spec.type is FieldType.REFERENCE:
                typed = widget.currentText().strip()
                for choice in self.choices:
                    if typed in (choice.label, choice.key):
                        return choice.key
                return "" if typed == "—" else typed
            data = widget.currentData()
            return "" if data is None else str(data)
        if self.spec.type is FieldType.REFERENCES:
            return self._keys_of(self.line.text())
        assert isinstance(widget, QLineEdit)
        return widget.text()

    def show(self, value: Any) -> None:
        text = text_of(value)
        self.shown = text
        widget = self.widget
        if isinstance(widget, _LongText):
            widget.setPlainText(text)
        elif isinstance(widget, QCheckBox):
            widget.setChecked(bool(value))
        elif isinstance(widget, QComboBox):
            index = widget.findData(text) if text else widget.findData(None)
            if index < 0 and text:  # a value not among the choices (e.g. a retired agency)
                widget.addItem(text, text)
                index = widget.count() - 1
            widget.setCurrentIndex(max(index, 0))
            if (typed := widget.lineEdit()) is not None:  # an editable one (a reference)
                typed.setCursorPosition(0)  # show a long name from its start, not its end
        elif self.spec.type is FieldType.REFERENCES:
            self.line.setText(self.names_of(text))
        else:
            assert isinstance(widget, QLineEdit)
            widget.setText(text)
            widget.setCursorPosition(0)
        self.set_error(None)

    def typed_line(self) -> QLineEdit | QPlainTextEdit | None:
        """The box the user types this field's value in (None for a tick box or a
        list picked from: those are saved as soon as they are chosen)."""
        widget = self.widget
        if isinstance(widget, _LongText | QLineEdit):
            return widget
        if self.spec.type is FieldType.REFERENCES:
            return self.line
        if isinstance(widget, QComboBox) and self.spec.type is FieldType.REFERENCE:
            return widget.lineEdit()
        return None

    # -- a list of records, named as people read them ------------------------------
    def _reads_names(self) -> bool:
        references = self.spec.references
        return references is not None and has_internal_key(references)

    def names_of(self, keys: str) -> str:
        """The records ``keys`` ("a; b") names, as the line shows them: their names
        when their keys are the desk's own (themes, instruments), else the keys."""
        if not self._reads_names():
            return keys
        labels = {choice.key: choice.label for choice in self.choices}
        return "; ".join(labels.get(k.strip(), k.strip()) for k in keys.split(";") if k.strip())

    def _keys_of(self, text: str) -> str:
        """The keys of what the line names (names or keys, as typed), for the desk."""
        if not self._reads_names():
            return text
        keys = {choice.label.casefold(): choice.key for choice in self.choices}
        keys.update({choice.key.casefold(): choice.key for choice in self.choices})
        parts, found, start = text.split(";"), [], 0
        while start < len(parts):
            # A name may itself hold "; ": the longest run of parts that names a record.
            for end in range(len(parts), start, -1):
                named = ";".join(parts[start:end]).strip().casefold()
                if named in keys:
                    found.append(keys[named])
                    start = end
                    break
            else:
                if parts[start].strip():
                    found.append(parts[start].strip())  # names nothing: the desk says so
                start += 1
        return "; ".join(found)

    def set_error(self, message: str | None) -> None:
        self.error.setText(message or "")
        self.error.setVisible(bool(message))
        self.widget.setAccessibleDescription(message or "")

    def set_read_only(self, read_only: bool) -> None:
        widget = self.widget
        if isinstance(widget, QLineEdit | QPlainTextEdit):
            widget.setReadOnly(read_only)
        elif self.spec.type is FieldType.REFERENCES:
            self.line.setReadOnly(read_only)
            self.choose_button.setEnabled(not read_only)
        else:
            widget.setEnabled(not read_only)


class RecordEditor(QWidget):
    """A form for one kind of record, saved field by field (or kept as a draft)."""

    edit_requested = Signal(str, str)
    """(field name, the text the user left in it): the user changed a field."""
    conflict_decided = Signal(int, str)
    """(open conflict's number, "keep" or "take"): the user settled a field's conflict."""

    def __init__(self, spec: RecordSpec, *, draft: bool = False, parent: QWidget | None = None):
        super().__init__(parent)
        self.spec = spec
        self.draft = draft
        self.fields: dict[str, _Field] = {}
        self._choose_many_dialog: Callable[[ChooseManyDialog], int] = lambda d: d.exec()
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        # In a narrow pane (a small screen) a label goes above its field rather
        # than pushing the form past the pane's edge.
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        for fspec in self._shown_fields(spec):
            entry = _Field(fspec, self)
            self.fields[fspec.name] = entry
            label = QLabel(f"{fspec.label}{' *' if fspec.required else ''}")
            label.setBuddy(entry.widget)
            column = QVBoxLayout()
            column.setSpacing(2)
            line = QHBoxLayout()
            line.setSpacing(4)
            line.addWidget(entry.widget, 1)
            line.addWidget(entry.marker)
            column.addLayout(line)
            column.addWidget(entry.error)
            entry.conflict = FieldConflictBar(self)
            column.addWidget(entry.conflict)
            form.addRow(label, column)
        self.shown_values: dict[str, Any] = {}
        """Each field's value as the desk held it when shown (what a save expects)."""

    @staticmethod
    def _shown_fields(spec: RecordSpec) -> tuple[FieldSpec, ...]:
        """The fields a person fills in: not a key the desk makes for itself (a
        theme's ``nuclear_forensics``; the new-record form makes it from the name)."""
        return tuple(f for f in spec.fields if f.type is not FieldType.KEY)

    # -- filling ----------------------------------------------------------------------
    def set_choices(self, choices_for: ChoicesFor, marking: Sequence[Choice]) -> None:
        """Fill the drop-downs: enums from their vocabularies, references from the desk."""
        for entry in self.fields.values():
            fspec = entry.spec
            if fspec.type is FieldType.ENUM and fspec.enum is not None:
                entry.set_choices([Choice(m.value, m.label) for m in fspec.enum])
            elif fspec.type is FieldType.SENSITIVITY:
                entry.set_choices(marking)
            elif fspec.type in (FieldType.REFERENCE, FieldType.REFERENCES) and fspec.references:
                entry.set_choices(choices_for(fspec.references))

    def show_values(self, values: Mapping[str, Any]) -> None:
        """Show a record's values (as :meth:`RecordService.values` gives them)."""
        self.shown_values = dict(values)
        for name, entry in self.fields.items():
            entry.show(values.get(name))
            entry.conflict.clear()

    def edits_in_progress(self) -> dict[str, tuple[str, int, str, Any]]:
        """The fields typed in and not yet saved (the user has not left them): field
        name -> (the text typed, the cursor's place, the text and value shown before)."""
        edits: dict[str, tuple[str, int, str, Any]] = {}
        for name, entry in self.fields.items():
            line = entry.typed_line()
            if line is None or entry.text() == entry.shown:
                continue
            if isinstance(line, QLineEdit):
                typed, cursor = line.text(), line.cursorPosition()
            else:
                typed, cursor = line.toPlainText(), line.textCursor().position()
            edits[name] = (typed, cursor, entry.shown, self.shown_values.get(name))
        return edits

    def keep_edits(self, edits: Mapping[str, tuple[str, int, str, Any]]) -> list[str]:
        """After the record was shown again as the desk now has it, put back what the
        user was typing (:meth:`edits_in_progress`), still expecting what was shown
        before: saving it over another officer's change shows the conflict. Fields
        the desk changed underneath say so; their names are returned."""
        changed = []
        for name, (typed, cursor, shown, value) in edits.items():
            entry = self.fields[name]
            line = entry.typed_line()
            if line is None:
                continue
            now = entry.shown
            if isinstance(line, QLineEdit):
                line.setText(typed)
                line.setCursorPosition(cursor)
            else:
                line.setPlainText(typed)
                place = line.textCursor()
                place.setPosition(min(cursor, len(typed)))
                line.setTextCursor(place)
            entry.shown = shown
            self.shown_values[name] = value
            if now != shown:
                changed.append(name)
                entry.set_error(
                    f"Another officer changed this field while you were typing (it now "
                    f"reads “{now}”); when you leave it, both are shown before anything "
                    "is saved."
                )
        return changed

    def expected(self, name: str) -> dict[str, Any]:
        """What saving field ``name`` expects the desk to hold: the value shown (another
        officer's change since then is not overwritten)."""
        return {name: self.shown_values.get(name)}

    # -- another officer's change ---------------------------------------------------------
    def show_conflict(self, name: str, changed: ChangedField, mine: str) -> None:
        """Saving ``mine`` into field ``name`` found ``changed`` there: say so under the
        field (theirs and mine, who, when), keep ``mine`` in it, and expect theirs from
        now on (the user has seen it: Keep mine or Edit then saves over it knowingly)."""
        entry = self.fields[name]
        entry.set_error(None)
        self.shown_values[name] = changed.current
        entry.conflict.show_conflict(entry.spec.label, changed, mine)

    def conflict(self, name: str) -> FieldConflictBar:
        """The conflict bar under field ``name``."""
        return self.fields[name].conflict

    def set_read_only(self, read_only: bool) -> None:
        for entry in self.fields.values():
            entry.set_read_only(read_only)
            entry.keep_action.setEnabled(not read_only)
            entry.take_action.setEnabled(not read_only)

    # -- what merges left open ------------------------------------------------------------
    def show_conflicts(self, marks: Mapping[str, tuple[int, str]]) -> None:
        """Mark the fields a merge left in conflict: field name -> (the conflict's
        number, what its tooltip says); every other field is unmarked."""
        for name, entry in self.fields.items():
            mark = marks.get(name)
            entry.conflict_id = mark[0] if mark else None
            entry.marker.setToolTip(mark[1] if mark else "")
            entry.marker.setAccessibleDescription(mark[1] if mark else "")
            entry.marker.setVisible(mark is not None)

    def marked(self) -> dict[str, str]:
        """The fields marked as in conflict, with what their markers say."""
        return {n: e.marker.toolTip() for n, e in self.fields.items() if not e.marker.isHidden()}

    def _decide(self, entry: _Field, decision: str) -> None:
        if entry.conflict_id is not None:
            self.conflict_decided.emit(entry.conflict_id, decision)

    # -- errors ---------------------------------------------------------------------------
    def show_error(self, error: NsdeskError, *, fallback: str | None = None) -> None:
        """Show what the desk refused under the field it names (or ``fallback``; the
        first field when neither)."""
        named = self.field_named(error.field) if isinstance(error, ValidationError) else None
        name = named or fallback or next(iter(self.fields))
        self.fields[name].set_error(as_sentence(error_text(error, at_field=True)))

    def field_named(self, label_or_name: str) -> str | None:
        for name, entry in self.fields.items():
            if label_or_name in (name, entry.spec.label):
                return name
        return None

    def errors(self) -> dict[str, str]:
        """The errors shown now, by field name (what the user reads)."""
        return {n: e.error.text() for n, e in self.fields.items() if e.error.text()}

    def clear_errors(self) -> None:
        for entry in self.fields.values():
            entry.set_error(None)

    # -- reading ----------------------------------------------------------------------------
    def check(self, entry: _Field) -> bool:
        """Check what the field holds against its spec; show why not, inline."""
        if entry.spec.type in (FieldType.REFERENCE, FieldType.REFERENCES, FieldType.SENSITIVITY):
            if entry.spec.required and not entry.text().strip():
                entry.set_error("Expected a value (this field is required).")
                return False
            return True  # the desk knows which records exist
        try:
            coerce(entry.spec, entry.text())
        except ValidationError as error:
            entry.set_error(as_sentence(error_text(error, at_field=True)))
            return False
        entry.set_error(None)
        return True

    def draft_values(self) -> dict[str, str] | None:
        """The values typed in a draft (empty fields left out), or None, with the
        errors shown, when a field is not acceptable."""
        good = [self.check(entry) for entry in self.fields.values()]
        if not all(good):
            return None
        return {name: e.text() for name, e in self.fields.items() if e.text().strip()}

    # -- events from the fields ------------------------------------------------------------
    def _field_left(self, entry: _Field) -> None:
        if self.draft:
            self.check(entry)
            return
        text = entry.text()
        if text == entry.shown:
            return  # left without a change: nothing to save
        if self.check(entry):
            self.edit_requested.emit(entry.spec.name, text)

    def accept_edit(self, name: str, value: Any) -> None:
        """The desk took the change: the field now shows what it holds."""
        self.shown_values[name] = value
        self.fields[name].show(value)
        self.fields[name].conflict.clear()

    def _choose_many(self, entry: _Field) -> None:
        dialog = ChooseManyDialog(
            entry.spec.label, entry.choices, [k.strip() for k in entry.text().split(";")], self
        )
        if self._choose_many_dialog(dialog) == QDialog.DialogCode.Accepted:
            entry.line.setText(entry.names_of("; ".join(dialog.chosen())))
            self._field_left(entry)
        dialog.deleteLater()
