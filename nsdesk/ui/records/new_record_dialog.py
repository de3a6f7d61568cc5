"""Creating a record: its kind's form as a draft, checked field by field, created
in one undoable action when the desk accepts it.

A new commitment's form also takes its first target (the due date and the clause
it comes from: the commitment and its target are one undo step), and says before
saving when its title is close to a commitment already in the desk (the desk's
search finds them), naming each with a button that opens it instead; the user
may still create it. A draft with something typed in it is not thrown away
without asking (Escape, Cancel, closing the window).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from nsdesk.domain.dates import PartialDate
from nsdesk.domain.errors import NsdeskError, ValidationError
from nsdesk.domain.fields import FieldSpec, FieldType, coerce
from nsdesk.domain.keys import key_from_words
from nsdesk.domain.records import spec_for
from nsdesk.domain.validation import check_target_after_pledge
from nsdesk.services.records.search import CloseTitle, close_commitments
from nsdesk.ui.records.record_editor import RecordEditor
from nsdesk.ui.widgets.dialog_style import note_label
from nsdesk.ui.widgets.inline_error import FormStrip, plain_label
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
        #: The record the user chose to open instead of creating this one (its key).
        self.open_instead: str | None = None
        self._warned_for: str | None = None  # the title the duplicates were shown for
        self.setWindowTitle(f"New {spec.label.lower()}")
        self.editor = RecordEditor(spec, draft=True)
        self.editor.set_choices(data.choices_for, data.marking_choices())
        defaults = {"sensitivity": data.info().default_sensitivity} if spec.sensitive else {}
        self.editor.show_values(defaults)
        body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(0, 0, 0, 0)
        body_layout.addWidget(self.editor)
        self.target_box: FormStrip | None = None
        self.duplicates_box = QGroupBox("Possible duplicates")
        self.duplicates_box.setAccessibleName("Possible duplicates")
        self.duplicates_note = plain_label(name="Possible duplicates")
        duplicates_layout = QVBoxLayout(self.duplicates_box)
        duplicates_layout.addWidget(self.duplicates_note)
        self.duplicates_box.hide()
        self.duplicate_buttons: list[QPushButton] = []
        if spec.kind == "commitment":
            self._add_target_fields()
            title = self.editor.fields["title"].widget
            assert isinstance(title, QLineEdit)
            title.editingFinished.connect(self._title_left)
            title.textEdited.connect(lambda _text: self._title_edited())
        scroll = FormScrollArea(body)
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
        layout.addWidget(self.duplicates_box)
        layout.addWidget(scroll, 1)
        if self.target_box is not None:  # under the form, always in sight
            layout.addWidget(self.target_box)
        layout.addWidget(self.buttons)
        fit_to_screen(self, 560, 640)
        # What the form reads before the user touches it (a list shows its first choice
        # while the draft holds none): leaving it as it opened discards nothing typed.
        self._as_opened = {name: entry.text() for name, entry in self.editor.fields.items()}
        first = next(iter(self.editor.fields.values()))
        first.widget.setFocus()

    def _add_target_fields(self) -> None:
        box = FormStrip("Target (optional): the date it is due by, and where that is set")
        box.setToolTip("A commitment with a target is judged against it: late, at risk…")
        self.target_due = box.add_field("D&ue", QLineEdit(), field="Due")
        self.target_due.setPlaceholderText("2027-06-30, 2027-06 or 2027")
        self.target_clause = box.add_field("C&lause", QLineEdit(), field="Clause")
        self.target_clause.setPlaceholderText("Paragraph, clause or page of the statement")
        self.target_clause.setMaxLength(81)  # one more than allowed: too long is said, not cut
        self.target_box = box

    # -- possible duplicates ------------------------------------------------------------
    def _title_left(self) -> None:
        # Not while the form closes (the field loses the focus then too).
        if self.isVisible() and self.result() == 0 and self.created is None:
            self.look_for_duplicates()

    def _title_edited(self) -> None:
        self._warned_for = None
        self.create_button.setText("Create")

    def look_for_duplicates(self) -> tuple[CloseTitle, ...]:
        """Say which commitments have a title close to the one typed (none: hide the
        box). Returns them."""
        title = self.editor.fields["title"].text().strip()
        close = close_commitments(self.data.desk, title) if title else ()
        for button in self.duplicate_buttons:
            button.deleteLater()
        self.duplicate_buttons = []
        if close:
            these = "this commitment" if len(close) == 1 else "these commitments"
            self.duplicates_note.setText(
                f"The desk already has {these}, with a title close to “{title}”. "
                "Open one instead, or create this one anyway."
            )
            layout = self.duplicates_box.layout()
            assert layout is not None
            for found in close:
                button = QPushButton(f"Open {found.ref} instead — {found.title}")
                button.setAccessibleName(f"Open {found.ref} instead")
                button.setToolTip(f"Close this form and show {found.ref}")
                button.clicked.connect(lambda _=False, ref=found.ref: self._open_instead(ref))
                layout.addWidget(button)
                self.duplicate_buttons.append(button)
        self.duplicates_box.setVisible(bool(close))
        self._warned_for = title if close else None
        self.create_button.setText("Create anyway" if close else "Create")
        return close

    def _open_instead(self, ref: str) -> None:
        # The title typed is the other record's: only the rest of the draft would be lost.
        if self._typed(besides={"title"}) and not self._discard_confirmed():
            return
        self.open_instead = ref
        super().reject()

    # -- creating ---------------------------------------------------------------------
    def _target_values(self, values: dict[str, str]) -> tuple[str, str | None] | None:
        """The target typed (due, clause), checked against the pledge; None if none."""
        if self.target_box is None or not self.target_due.text().strip():
            if self.target_box is not None and self.target_clause.text().strip():
                raise ValidationError(
                    "Due", "a due date for the clause: 2027-06-30, 2027-06 or 2027"
                )
            return None
        target = spec_for("target")
        due = self.target_due.text().strip()
        when = coerce(target.field("due"), due)
        clause = self.target_clause.text().strip() or None
        coerce(target.field("clause"), clause)
        pledged = coerce(self.spec.field("pledged_on"), values.get("pledged_on"))
        if isinstance(when, PartialDate):
            check_target_after_pledge(when, pledged if isinstance(pledged, PartialDate) else None)
        return due, clause

    def create(self) -> None:
        """Create the record (with its target); a refused field is shown inline and
        the dialog stays. Close titles are said first: a second Create creates."""
        values = self.editor.draft_values()
        if values is None:
            return
        target = None
        if self.target_box is not None:
            self.target_box.clear_errors()
            try:
                target = self._target_values(values)
            except ValidationError as error:
                self.target_box.show_error(error)
                return
            title = values.get("title", "").strip()
            if self._warned_for != title and self.look_for_duplicates():
                return  # said before saving; the button now says "Create anyway"
        actions = self.data.actions
        try:
            if target is None:
                self.created = self._create_with_a_key(values)
            else:
                with actions.macro(f"Add {self.spec.label.lower()} with a target"):
                    created = self._create_with_a_key(values)
                    actions.add_target(created.key, target[0], clause=target[1])
                    due = coerce(spec_for("target").field("due"), target[0])
                    actions.name_macro(
                        f"Add {self.spec.label.lower()} {created.key} with a target due "
                        f"{due.display() if isinstance(due, PartialDate) else target[0]}"
                    )
                self.created = created
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

    # -- leaving without creating ----------------------------------------------------------
    def _typed(self, *, besides: set[str] | frozenset[str] = frozenset()) -> bool:
        """Whether anything was typed or chosen in the draft (``besides`` those fields)."""
        changed = any(
            entry.text() != self._as_opened.get(name, entry.shown)
            for name, entry in self.editor.fields.items()
            if name not in besides
        )
        if self.target_box is not None:
            changed = changed or bool(self.target_due.text() or self.target_clause.text())
        return changed

    def _discard_confirmed(self) -> bool:
        box = QMessageBox(
            QMessageBox.Icon.Question,
            f"Discard the new {self.spec.label.lower()}?",
            f"What you typed in this new {self.spec.label.lower()} is not kept.",
            parent=self,
        )
        discard = box.addButton("Discard", QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton("Keep editing", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)
        box.exec()
        return box.clickedButton() is discard

    def reject(self) -> None:
        """Escape, Cancel or closing: a draft with something typed asks first."""
        if self.created is None and self._typed() and not self._discard_confirmed():
            return
        super().reject()
