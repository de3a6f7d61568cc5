"""Under an agency's fields: its contacts (with a strip to add one), how many
commitments it leads, and what it has due, soonest first."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from nsdesk.domain.errors import NsdeskError
from nsdesk.services.records.details.agency import AgencyDetail
from nsdesk.ui.records.commands import RecordActions
from nsdesk.ui.records.details.detail_panel import DetailPanel
from nsdesk.ui.widgets.inline_error import FormStrip, error_colour, fit_rows, plain_label
from nsdesk.ui.widgets.table_view import list_table

# The kinds whose key a person reads (C-0042, A-0007); the others are known by title.
_KEYED = frozenset({"Commitment", "Action item"})


def _fill(model: QStandardItemModel, rows: list[tuple[str, ...]]) -> None:
    model.removeRows(0, model.rowCount())
    for cells in rows:
        items = [QStandardItem(text) for text in cells]
        for item in items:
            item.setEditable(False)
            item.setToolTip(item.text())
        model.appendRow(items)


class AgencyDetailPanel(DetailPanel[AgencyDetail]):
    """An agency's contacts, a strip to add one, and the items it has due."""

    watches = frozenset({"agency", "agency_contact", "commitment", "action_item", "milestone"})

    def __init__(
        self,
        actions: RecordActions,
        load: Callable[[str], AgencyDetail],
        parent: QWidget | None = None,
    ):
        super().__init__(actions, load, parent)

        self.counts_label = plain_label(name="Commitments and items due")
        self.contacts_model = QStandardItemModel(0, 4, self)
        self.contacts_model.setHorizontalHeaderLabels(["Name", "Role", "E-mail", "Telephone"])
        self.contacts = list_table(
            self.contacts_model,
            name="Contacts",
            samples={0: "Pieter Bakker", 2: "pieter@mfa.example", 3: "+31 70 000 0000"},
            stretch=1,
        )
        contacts_label = QLabel("&Contacts")
        contacts_label.setBuddy(self.contacts)

        self.strip = FormStrip("Add a contact")
        self.name_edit = self.strip.add_field("&Name", QLineEdit())
        self.role_edit = self.strip.add_field("&Role", QLineEdit())
        self.role_edit.setPlaceholderText("e.g. Legislative counsel")
        self.email_edit = self.strip.add_field("&E-mail", QLineEdit())
        self.phone_edit = self.strip.add_field("&Telephone", QLineEdit())
        self.add_button = QPushButton("&Add contact")
        self.add_button.setAccessibleName("Add the contact")
        self.add_button.clicked.connect(self.add_contact)
        self.strip.add_buttons(self.add_button, hint="Ctrl+Return")
        self.strip.on_submit(self.add_contact)

        self.due_model = QStandardItemModel(0, 3, self)
        self.due_model.setHorizontalHeaderLabels(["Due", "Kind", "Item"])
        self.due = list_table(
            self.due_model,
            name="Items due",
            samples={0: "30 Sep 2026 (late)", 1: "Action item"},
            stretch=2,
        )
        due_label = QLabel("Items &due, soonest first")
        due_label.setBuddy(self.due)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.counts_label, contacts_label, self.contacts, self.strip):
            layout.addWidget(widget)
        layout.addWidget(due_label)
        layout.addWidget(self.due)
        layout.addStretch(1)
        self.show_record(None)

    def show_detail(self, detail: AgencyDetail | None) -> None:
        """Show the agency's counts, contacts and items due (or that none is shown)."""
        if detail is None:
            self.counts_label.setText("No agency is shown.")
            _fill(self.contacts_model, [])
            _fill(self.due_model, [])
            return
        late = sum(1 for item in detail.items_due if item.late)
        self.counts_label.setText(
            f"Leads {detail.commitments_led:,} commitment"
            f"{'' if detail.commitments_led == 1 else 's'} · "
            f"{len(detail.items_due):,} open item{'' if len(detail.items_due) == 1 else 's'} "
            f"with a due date" + (f", {late:,} late" if late else "")
        )
        _fill(
            self.contacts_model,
            [(c.name, c.role or "", c.email or "", c.phone or "") for c in detail.contacts],
        )
        fit_rows(self.contacts, len(detail.contacts), least=1)
        _fill(
            self.due_model,
            [
                (
                    item.due.display() + (" (late)" if item.late else ""),
                    item.kind,
                    f"{item.key}  {item.title}" if item.kind in _KEYED else item.title,
                )
                for item in detail.items_due
            ],
        )
        alarm = error_colour(self.palette())
        for row, item in enumerate(detail.items_due):
            if item.late:
                self.due_model.item(row, 0).setForeground(alarm)
        fit_rows(self.due, len(detail.items_due), least=1)

    def update_enabled(self) -> None:
        self.strip.setEnabled(self.editable)  # a read-only desk: the lists show, no contact

    def clear_errors(self) -> None:
        self.strip.clear_errors()

    def clear_input(self) -> None:
        for edit in (self.name_edit, self.role_edit, self.email_edit, self.phone_edit):
            edit.clear()

    def add_contact(self) -> bool:
        """Add the contact typed in the strip (one undo step); on a refusal say why
        beside the field and write nothing. True when the contact was added."""
        if self.detail is None or self.read_only:
            return False
        self.strip.clear_errors()
        try:
            self.record_actions.create(
                "agency_contact",
                {
                    "agency": self.detail.uuid,
                    "name": self.name_edit.text(),
                    "role": self.role_edit.text().strip() or None,
                    "email": self.email_edit.text().strip() or None,
                    "phone": self.phone_edit.text().strip() or None,
                },
                text=f"Add contact {' '.join(self.name_edit.text().split())} to {self.detail.code}",
            )
        except NsdeskError as error:
            self.strip.show_error(error)
            return False
        self.clear_input()
        self.name_edit.setFocus(Qt.FocusReason.OtherFocusReason)
        return True
