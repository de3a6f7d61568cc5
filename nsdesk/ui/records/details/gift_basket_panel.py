"""Under a joint statement's fields: our role, who signed it over time, and the
desk's own action items.

The role is a row of radio buttons: choosing one stores it at once as one undo
step. Membership is never one number (PRODUCT.md): each dated snapshot shows its
counts, whether the desk's state is named — only said when a complete list is
known — and the sources behind it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from nsdesk.domain.enums import GiftBasketRole
from nsdesk.domain.errors import NsdeskError
from nsdesk.services.records.details.gift_basket import GiftBasketDetail, MembershipLine
from nsdesk.ui.records.commands import RecordActions
from nsdesk.ui.records.details.detail_panel import DetailPanel
from nsdesk.ui.widgets.inline_error import FormStrip, InlineError, fit_rows, plain_label
from nsdesk.ui.widgets.table_view import list_table
from nsdesk.ui.wording import as_sentence, error_text

KEY_ROLE = Qt.ItemDataRole.UserRole + 1
ROLES_PER_LINE = 3


def listed_text(line: MembershipLine, own_state: str) -> str:
    """Whether the desk's state is named in a snapshot, as the table says it."""
    if line.own_state_listed is None:
        return "list not known" if line.listed == 0 else "list incomplete"
    return f"{own_state} listed" if line.own_state_listed else "not listed"


def members_text(members: int | None, observers: int | None, organisations: bool = False) -> str:
    """A snapshot's counts in one cell, as the pack prints them: "35 (+2 observers)";
    "28 incl. organisations" when the count takes organisations in."""
    text = "" if members is None else f"{members:,}"
    if text and organisations:
        text += " incl. organisations"
    if observers:
        noun = "observer" if observers == 1 else "observers"
        text = f"{text} (+{observers:,} {noun})".strip()
    return text


def _fill(model: QStandardItemModel, rows: Sequence[Sequence[str]], keys: Sequence[str]) -> None:
    model.removeRows(0, model.rowCount())
    for cells, key in zip(rows, keys, strict=True):
        items = [QStandardItem(text) for text in cells]
        for item in items:
            item.setEditable(False)
            item.setToolTip(item.text())
        items[0].setData(key, KEY_ROLE)
        model.appendRow(items)


class GiftBasketDetailPanel(DetailPanel[GiftBasketDetail]):
    """Our role, the signatories over time with their sources, and action items;
    an action item opens in its own register (:attr:`record_requested`)."""

    watches = frozenset({"gift_basket", "action_item", "membership_snapshot"})

    def __init__(
        self,
        actions: RecordActions,
        load: Callable[[str], GiftBasketDetail],
        parent: QWidget | None = None,
    ):
        super().__init__(actions, load, parent)

        self.role_box = QGroupBox("Our role")
        self.role_box.setAccessibleName("Our role")
        self.role_buttons = QButtonGroup(self)
        # Three to a line: five in one line would push a narrow pane past its edge.
        role_row = QGridLayout()
        for number, role in enumerate(GiftBasketRole):
            button = QRadioButton(role.label)
            button.setAccessibleName(f"Our role: {role.label}")
            self.role_buttons.addButton(button, number)
            role_row.addWidget(button, number // ROLES_PER_LINE, number % ROLES_PER_LINE)
        role_row.setColumnStretch(ROLES_PER_LINE, 1)
        self.role_error = InlineError(None, "Our role")
        self.role_note = plain_label(name="Note on our role")
        role_layout = QVBoxLayout(self.role_box)
        role_layout.addLayout(role_row)
        role_layout.addWidget(self.role_error)
        role_layout.addWidget(self.role_note)
        self.role_buttons.idClicked.connect(self._role_chosen)
        self.leads_label = plain_label(name="Lead parties")

        self.snapshots_model = QStandardItemModel(0, 4, self)
        self.snapshots_model.setHorizontalHeaderLabels(["As of", "Members", "Our state", "Sources"])
        self.snapshots = list_table(
            self.snapshots_model,
            name="Signatories over time",
            samples={
                0: "31 Dec 2026",
                1: "31 incl. organisations (+2 observers)",
                2: "list incomplete",
            },
            stretch=3,
            single_selection=True,
        )
        self.snapshots.selectionModel().currentRowChanged.connect(self._show_sources)
        snapshots_label = QLabel("&Signatories over time")
        snapshots_label.setBuddy(self.snapshots)
        self.sources_label = plain_label(name="Snapshot description and sources")

        self.items_model = QStandardItemModel(0, 5, self)
        self.items_model.setHorizontalHeaderLabels(["Id", "Action item", "Agency", "Due", "Status"])
        self.items = list_table(
            self.items_model,
            name="Action items",
            samples={0: "A-0000", 2: "MINFOR", 3: "30 Sep 2026", 4: "In progress"},
            stretch=1,
            single_selection=True,
        )
        self.items.activated.connect(self._open_item)
        self.items.setToolTip("Double-click or press Enter to open the action item")
        items_label = QLabel("Ac&tion items")
        items_label.setBuddy(self.items)
        self.new_item_button = QPushButton("Add action item…")
        self.new_item_button.setAccessibleName("Add action item")
        self.new_item_button.clicked.connect(self.open_new_item)

        self.item_strip = FormStrip("New action item")
        self.item_title = self.item_strip.add_field("T&itle", QLineEdit())
        self.item_agency = self.item_strip.add_field("A&gency", QLineEdit())
        self.item_agency.setPlaceholderText("Agency code, e.g. MFA")
        self.item_due = self.item_strip.add_field("D&ue", QLineEdit())
        self.item_due.setPlaceholderText("2027-06-30, 2027-06 or 2027")
        self.add_item_button = QPushButton("&Add")
        self.add_item_button.setAccessibleName("Add the action item")
        self.add_item_button.clicked.connect(self.add_item)
        cancel = QPushButton("Cancel")
        cancel.setAccessibleName("Cancel the new action item")
        cancel.clicked.connect(self.close_new_item)
        self.item_strip.add_buttons(self.add_item_button, cancel, hint="Ctrl+Return")
        self.item_strip.on_submit(self.add_item)
        self.item_strip.hide()

        items_row = QHBoxLayout()
        items_row.addWidget(items_label)
        items_row.addStretch(1)
        items_row.addWidget(self.new_item_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.role_box)
        layout.addWidget(self.leads_label)
        layout.addWidget(snapshots_label)
        layout.addWidget(self.snapshots)
        layout.addWidget(self.sources_label)
        layout.addLayout(items_row)
        layout.addWidget(self.items)
        layout.addWidget(self.item_strip)
        layout.addStretch(1)
        self.show_record(None)

    # -- showing ---------------------------------------------------------------------
    def clear_input(self) -> None:
        self.close_new_item()

    def clear_errors(self) -> None:
        self.role_error.clear_message()

    def show_detail(self, detail: GiftBasketDetail | None) -> None:
        """Show our role, the lead parties, the signatories over time and the items."""
        if detail is None:
            self.leads_label.setText("No gift basket is shown.")
            self.role_note.hide()
            _fill(self.snapshots_model, [], [])
            _fill(self.items_model, [], [])
            self.sources_label.clear()
            return
        self._show_role(detail.own_role)
        self.role_note.setText(f"Note: {detail.own_role_note}" if detail.own_role_note else "")
        self.role_note.setVisible(bool(detail.own_role_note))
        leads = ", ".join(f"{p.name} ({p.code})" for p in detail.leads) or "none recorded"
        self.leads_label.setText(f"Lead parties: {leads}")
        _fill(
            self.snapshots_model,
            [
                (
                    s.snapshot_date.display() if s.snapshot_date else "undated",
                    members_text(s.member_count, s.observer_count, bool(s.includes_organisations)),
                    listed_text(s, detail.own_state),
                    "; ".join(source.title for source in s.sources) or "none cited",
                )
                for s in detail.snapshots
            ],
            [s.uuid for s in detail.snapshots],
        )
        fit_rows(self.snapshots, len(detail.snapshots), least=1, most=6)
        if detail.snapshots:
            self.snapshots.selectRow(len(detail.snapshots) - 1)  # the latest: what holds now
        else:
            self.sources_label.setText("No membership snapshot is recorded.")
        _fill(
            self.items_model,
            [
                (i.ref, i.title, i.agency or "", i.due.display() if i.due else "", i.status.label)
                for i in detail.action_items
            ],
            [i.ref for i in detail.action_items],
        )
        fit_rows(self.items, len(detail.action_items), least=1)

    def _show_role(self, role: GiftBasketRole) -> None:
        self.role_buttons.button(list(GiftBasketRole).index(role)).setChecked(True)

    def _show_sources(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self.detail is None or not current.isValid():
            return
        line = self.detail.snapshots[current.row()]
        said = [line.description or "No description."]
        if line.listed:
            said.append(f"The list names {line.listed:,} part{'y' if line.listed == 1 else 'ies'}.")
        said.append("Sources:" if line.sources else "No source cited.")
        said += [f"• {s.title}" + (f" — {s.url}" if s.url else "") for s in line.sources]
        self.sources_label.setText("\n".join(said))

    def set_read_only(self, read_only: bool) -> None:
        """A read-only desk: everything shows, nothing can be chosen or added."""
        if read_only:
            self.close_new_item()
        super().set_read_only(read_only)

    def update_enabled(self) -> None:
        editable = self.editable
        for button in self.role_buttons.buttons():
            button.setEnabled(editable)
        self.new_item_button.setEnabled(editable)
        self.item_strip.setEnabled(editable)

    # -- changing --------------------------------------------------------------------
    def _role_chosen(self, number: int) -> None:
        self.set_role(list(GiftBasketRole)[number])

    def set_role(self, role: GiftBasketRole) -> bool:
        """Store ``role`` as our role (one undo step); on a refusal the stored role
        shows again with the reason. True when the role was stored."""
        if self.detail is None or self.read_only or role is self.detail.own_role:
            return False
        self.role_error.clear_message()
        try:
            self.record_actions.update("gift_basket", self.detail.uuid, {"own_role": role.value})
        except NsdeskError as error:
            self._show_role(self.detail.own_role)
            self.role_error.show_message(as_sentence(error_text(error, at_field=True)))
            return False
        self.refresh()  # also when nothing signalled (the same role stored again)
        return True

    def open_new_item(self) -> None:
        """Show the new-action-item strip with the focus in its title."""
        self.item_strip.show()
        self.item_title.setFocus(Qt.FocusReason.OtherFocusReason)

    def close_new_item(self) -> None:
        """Hide the new-action-item strip, emptied."""
        self.item_strip.clear_errors()
        for field in (self.item_title, self.item_agency, self.item_due):
            field.clear()
        self.item_strip.hide()

    def add_item(self) -> bool:
        """Create the action item typed in the strip (one undo step)."""
        if self.detail is None or self.read_only:
            return False
        self.item_strip.clear_errors()
        try:
            self.record_actions.create(
                "action_item",
                {
                    "gift_basket": self.detail.uuid,
                    "title": self.item_title.text(),
                    "agency": self.item_agency.text().strip() or None,
                    "due": self.item_due.text().strip() or None,
                },
            )
        except NsdeskError as error:
            self.item_strip.show_error(error)
            return False
        self.close_new_item()
        self.items.setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    def _open_item(self, index: QModelIndex) -> None:
        key = self.items_model.index(index.row(), 0).data(KEY_ROLE)
        if key:
            self.record_requested.emit("action_items", key)
