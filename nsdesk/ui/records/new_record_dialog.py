"""Creating a record: its kind's form as a draft, checked field by field, created
in one undoable action when the desk accepts it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QVBoxLayout, QWidget

from nsdesk.domain.errors import NsdeskError, ValidationError
from nsdesk.domain.fields import FieldSpec, FieldType
from nsdesk.domain.keys import key_from_words
from nsdesk.ui.records.record_editor import RecordEditor
from nsdesk.ui.widgets.dialog_style import note_label
from nsdesk.ui.widgets.sizing import FormScrollArea, fit_to_screen

if TYPE_CHECKING:
    from nsdesk.domain.records import RecordSpec
    from nsdesk.services.records.record_service import RecordRef
    from nsdesk.ui.records.desk_data import DeskData


#: The fields a made key is taken from, the first one filled in.
KEY_FROM = ("short_name", "label", "name", "title")
#: How many keys are tried (``nss2010``, ``nss2010_2``…) before the refusal is shown.
KEY_ATTEMPTS = 20


class NewRecordDialog(QDialog):
    """The form of a new record; Create (or Ctrl+Return) adds it if the desk accepts it."""

    def __init__(self, spec: RecordSpec, data: DeskData, parent: QWidget | None = None):
        super().__init__(parent)
        self.spec = spec
        self.data = data
        self.created: RecordRef | None = None
        self.setWindowTitle(f"New {spec.label.lower()}")
        self.editor = RecordEditor(spec, draft=True)
        self.editor.set_choices(data.choices_for, data.marking_choices())
        defaults = {"sensitivity": data.info().default_sensitivity} if spec.sensitive else {}
        self.editor.show_values(defaults)
        scroll = FormScrollArea(self.editor)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.create_button = self.buttons.addButton(
            "Create", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.create_button.setDefault(True)
        self.buttons.accepted.connect(self.create)
        self.buttons.rejected.connect(self.reject)
        QShortcut(QKeySequence("Ctrl+Return"), self).activated.connect(self.create)
        layout = QVBoxLayout(self)
        layout.addWidget(
            note_label("Fields marked * are required. Undo (Ctrl+Z) removes it again.")
        )
        layout.addWidget(scroll, 1)
        layout.addWidget(self.buttons)
        fit_to_screen(self, 560, 640)
        first = next(iter(self.editor.fields.values()))
        first.widget.setFocus()

    def create(self) -> None:
        """Create the record; a refused field is shown inline and the dialog stays."""
        values = self.editor.draft_values()
        if values is None:
            return
        try:
            self.created = self._create_with_a_key(values)
        except NsdeskError as error:
            self.editor.show_error(error)
            return
        self.accept()

    def _create_with_a_key(self, values: dict[str, str]) -> RecordRef:
        """Create the record; a kind known by a key the desk makes (a theme's
        ``nuclear_forensics``) gets one from its name, the next free one if the
        desk already uses it (a retired record's key included)."""
        key = self._made_key()
        if key is None:
            return self.data.actions.create(self.spec.kind, values)
        words = next((values[n] for n in KEY_FROM if values.get(n)), self.spec.label)
        taken = {choice.key for choice in self.data.choices_for(self.spec.kind)}
        attempt = 1
        while True:
            values[key.name] = key_from_words(words, taken, attempt=attempt)
            try:
                return self.data.actions.create(self.spec.kind, values)
            except ValidationError as error:
                if error.field != key.label or attempt >= KEY_ATTEMPTS:
                    raise
            attempt += 1

    def _made_key(self) -> FieldSpec | None:
        return next((f for f in self.spec.fields if f.type is FieldType.KEY), None)
