"""A commitment's targets in its panel: listed, added, revised and retired.

A target is a due date and the clause it comes from. Adding one makes the
commitment judged against it (late, at risk); revising one adds a target that
replaces it, the old one kept as history ("revised"); retiring one takes it off
(a retired revision puts the target it revised back in force). Each is one undo
step through :class:`~nsdesk.ui.records.commands.RecordActions`, and the desk
refuses what does not hold (a target before the pledge, a revision of a target
already revised) beside the field at fault, writing nothing.

Made for the keyboard like the progress strip: the list, then Due, Clause and
the buttons in Tab order; Ctrl+Return in Due or Clause adds the target.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QWidget,
)

from nsdesk.domain.dates import PartialDate
from nsdesk.domain.errors import NsdeskError, ValidationError
from nsdesk.domain.fields import coerce
from nsdesk.domain.records import spec_for
from nsdesk.services.records.details.commitment import TargetLine
from nsdesk.ui.records.commands import RecordActions
from nsdesk.ui.widgets.inline_error import FormStrip, plain_label, secondary_colour

UUID_ROLE = Qt.ItemDataRole.UserRole + 1
_NONE_YET = (
    "None set yet. A due date (and the clause it comes from) makes the commitment "
    "judged against it: late, at risk or on track."
)


def target_sentence(target: TargetLine) -> str:
    """One target as the list (and a screen reader) says it."""
    said = f"Due {target.due.display()}"
    if target.description:
        said += f" — {' '.join(target.description.split())}"
    if target.clause:
        said += f" ({target.clause})"
    return said + (" — revised by a later target" if target.revised else "")


class TargetsBox(FormStrip):
    """The targets of the commitment shown, with Add, Revise and Retire."""

    def __init__(self, actions: RecordActions, parent: QWidget | None = None):
        super().__init__("Targets", parent)
        self.record_actions = actions
        self.commitment: str | None = None
        self.lines: tuple[TargetLine, ...] = ()
        self._editable = False

        self.none_label = plain_label(_NONE_YET, name="No targets")
        self.none_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.list = QListWidget()
        self.list.setAccessibleName("Targets of the commitment")
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setWordWrap(True)
        self.list.currentRowChanged.connect(lambda _row: self._update_buttons())
        self.form.addRow(self.none_label)
        self.form.addRow(self.list)

        self.due_edit = self.add_field("D&ue", QLineEdit(), field="Due")
        self.due_edit.setPlaceholderText("2027-06-30, 2027-06 or 2027")
        self.clause_edit = self.add_field("C&lause", QLineEdit(), field="Clause")
        self.clause_edit.setPlaceholderText("Where it is set: paragraph, clause, page")
        self.clause_edit.setMaxLength(81)  # one more than allowed: too long is said, not cut
        self.add_button = self._button("Add tar&get", "Add the target (Ctrl+Return)")
        self.add_button.clicked.connect(self.add_target)
        self.revise_button = self._button(
            "Revi&se", "A new target with this due date and clause replaces the selected one"
        )
        self.revise_button.clicked.connect(self.revise_target)
        self.retire_button = self._button("Reti&re", "Take the selected target off (Undo restores)")
        self.retire_button.clicked.connect(self.retire_target)
        self.add_buttons(self.add_button, self.revise_button, self.retire_button)
        self.on_submit(self.add_target)
        for first, second in (
            (self.list, self.due_edit),
            (self.due_edit, self.clause_edit),
            (self.clause_edit, self.add_button),
            (self.add_button, self.revise_button),
            (self.revise_button, self.retire_button),
        ):
            QWidget.setTabOrder(first, second)
        self.show_targets(None, ())
        self.set_editable(False)

    @staticmethod
    def _button(text: str, tip: str) -> QPushButton:
        button = QPushButton(text)
        button.setAccessibleName(text.replace("&", "") + " target")
        button.setToolTip(tip)
        return button

    # -- showing ---------------------------------------------------------------------
    def set_editable(self, editable: bool) -> None:
        """Whether targets can be added, revised and retired (a desk that takes
        changes, a commitment not retired); the list shows either way."""
        self._editable = editable
        for widget in (self.due_edit, self.clause_edit, self.add_button):
            widget.setEnabled(editable)
        self._update_buttons()

    def show_targets(self, commitment: str | None, lines: tuple[TargetLine, ...]) -> None:
        """List ``lines``, the targets of ``commitment``; the selection stays on the
        target it was on, else goes to the first in force."""
        if commitment != self.commitment:
            self.due_edit.setText("")
            self.clause_edit.setText("")
            self.clear_errors()
        kept = self.selected()
        self.commitment, self.lines = commitment, lines
        self.list.clear()
        quiet = secondary_colour(self.palette())
        for line in lines:
            item = QListWidgetItem(target_sentence(line))
            item.setData(UUID_ROLE, line.uuid)
            if line.revised:
                item.setForeground(quiet)
            self.list.addItem(item)
        self.none_label.setVisible(not lines)
        self.list.setVisible(bool(lines))
        rows = max(len(lines), 1)
        self.list.setFixedHeight(self.list.sizeHintForRow(0) * min(rows, 4) + 6 if lines else 0)
        in_force = [line.uuid for line in lines if not line.revised]
        self.select(kept if kept in {line.uuid for line in lines} else next(iter(in_force), None))
        self._update_buttons()

    def select(self, uuid: str | None) -> None:
        """Select the target ``uuid`` in the list (none for None)."""
        for row in range(self.list.count()):
            if self.list.item(row).data(UUID_ROLE) == uuid:
                self.list.setCurrentRow(row)
                return
        self.list.setCurrentRow(-1)

    def selected(self) -> str | None:
        """The UUID of the target selected in the list."""
        item = self.list.currentItem()
        return item.data(UUID_ROLE) if item is not None else None

    def _selected_line(self) -> TargetLine | None:
        uuid = self.selected()
        return next((line for line in self.lines if line.uuid == uuid), None)

    def _update_buttons(self) -> None:
        line = self._selected_line()
        self.revise_button.setEnabled(self._editable and line is not None and not line.revised)
        self.retire_button.setEnabled(self._editable and line is not None)

    # -- changes ----------------------------------------------------------------------
    def _checked(self) -> tuple[str, str | None]:
        """Due and clause as typed, checked as the desk will check them."""
        spec = spec_for("target")
        due = self.due_edit.text().strip()
        if not due:
            raise ValidationError("Due", "a due date: 2027-06-30, 2027-06 or 2027")
        if not isinstance(coerce(spec.field("due"), due), PartialDate):
            raise ValidationError("Due", "a due date: 2027-06-30, 2027-06 or 2027", due)
        clause = self.clause_edit.text().strip() or None
        coerce(spec.field("clause"), clause)
        return due, clause

    def add_target(self) -> bool:
        """Add the typed target (one undo step); True when it was added."""
        return self._write(revises=None)

    def revise_target(self) -> bool:
        """Replace the selected target (in force) by the typed one; True when done."""
        line = self._selected_line()
        if line is None or line.revised:
            return False
        return self._write(revises=line.uuid)

    def _write(self, *, revises: str | None) -> bool:
        if self.commitment is None or not self._editable:
            return False
        self.clear_errors()
        try:
            due, clause = self._checked()
            ref = self.record_actions.add_target(
                self.commitment, due, clause=clause, revises=revises
            )
        except NsdeskError as error:
            self.show_error(error)
            return False
        # setText, not clear(): a cleared field would offer its own undo to Ctrl+Z.
        self.due_edit.setText("")
        self.clause_edit.setText("")
        self.select(ref.uuid)
        self.due_edit.setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    def retire_target(self) -> bool:
        """Retire the selected target (one undo step); True when it was retired."""
        uuid = self.selected()
        if uuid is None or not self._editable:
            return False
        self.clear_errors()
        try:
            self.record_actions.retire_target(uuid)
        except NsdeskError as error:
            self.show_error(error)
            return False
        self.list.setFocus(Qt.FocusReason.OtherFocusReason)
        return True
