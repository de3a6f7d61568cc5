"""The filters above a register: a text box and the drop-downs its kind offers.

The bar turns what the user set into a :class:`RegisterFilter` (and back, when
the dashboard opens a register already filtered), and says how many rows pass.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from nsdesk.services.records.choices import Choice, FilterChoices
from nsdesk.services.records.register_rows import RegisterFilter
from nsdesk.ui.widgets.focus_ring import FocusRing

_DEADLINES = (Choice("late", "Late"), Choice("at_risk", "At risk"))


def _combo(name: str, everything: str) -> QComboBox:
    combo = QComboBox()
    combo.setAccessibleName(name)
    combo.setToolTip(name)
    combo.addItem(everything, None)
    # Narrow when room is short (a 1,024-pixel laptop screen must hold the whole bar),
    # as wide as "Any deadline" and a little more when there is room; the list that
    # drops down is as wide as its longest entry.
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(7)
    combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
    combo.setMaximumWidth(combo.fontMetrics().averageCharWidth() * 16 + 48)
    combo.view().setMinimumWidth(260)
    return combo


class FilterBar(QWidget):
    """Text, status, theme, agency, late/at risk, due before an event, marking, retired,
    open conflicts."""

    filter_changed = Signal(object)
    """The user changed a filter: the new :class:`RegisterFilter`."""

    def __init__(self, facets: frozenset[str], noun: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.facets = facets
        self.text_edit = QLineEdit()
        self.text_edit.setPlaceholderText(f"Filter {noun}")
        self.text_edit.setClearButtonEnabled(True)
        self.text_edit.setAccessibleName(f"Filter {noun} by text")
        self.text_edit.setMinimumWidth(180)
        self.status_combo = _combo("Status", "Any status")
        self.theme_combo = _combo("Theme", "Any theme")
        self.agency_combo = _combo("Agency", "Any agency")
        self.deadline_combo = _combo("Late or at risk", "Any deadline")
        self.due_combo = _combo("Due before an event", "Due any time")
        self.marking_combo = _combo("Marking", "Any marking")
        self.retired_check = QCheckBox("Retired")
        self.retired_check.setToolTip("Show retired records too")
        self.retired_check.setAccessibleName("Show retired records")
        self.conflicts_check = QCheckBox("Conflicts")
        self.conflicts_check.setToolTip(
            "Only the records a merge left a conflict, an identity clash or a review on"
        )
        self.conflicts_check.setAccessibleName("Show only records with open conflicts")
        self.conflicts_check.hide()  # shown while a merge has left something open here
        self.clear_button = QPushButton("Clear")
        self.clear_button.setAccessibleName("Clear the filters")
        self.count_label = QLabel()
        self._combos = {
            "status": self.status_combo,
            "theme": self.theme_combo,
            "agency": self.agency_combo,
            "deadline": self.deadline_combo,
            "due_before": self.due_combo,
            "sensitivity": self.marking_combo,
        }
        # The text box and the count on the first line; with more than two drop-downs
        # they take a second line, so the bar fits a 1,024-pixel laptop screen.
        first = QHBoxLayout()
        first.addWidget(self.text_edit, 2)
        combos = QHBoxLayout() if len(facets) > 2 else first
        for facet, combo in self._combos.items():
            combo.setVisible(facet in facets)
            combos.addWidget(combo, 4 if combos is not first else 0)  # on their own line: widen
            combo.activated.connect(lambda _=0: self._changed())
        first.addWidget(self.retired_check)
        first.addWidget(self.conflicts_check)
        first.addWidget(self.clear_button)
        first.addStretch(1)
        first.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(first)
        if combos is not first:
            combos.addStretch(1)
            layout.addLayout(combos)
        self.text_edit.textChanged.connect(lambda _: self._changed())
        self.retired_check.toggled.connect(lambda _: self._changed())
        self.conflicts_check.toggled.connect(lambda _: self._changed())
        self.clear_button.clicked.connect(self.clear)
        self._quiet = False
        self.focus_ring = FocusRing(self)  # the style's own mark is faint or missing

    def set_choices(self, choices: FilterChoices) -> None:
        """Fill the drop-downs with what this desk holds, keeping what is chosen."""
        current = self.current()
        self._quiet = True
        self._fill(self.status_combo, choices.statuses)
        self._fill(self.theme_combo, choices.themes)
        self._fill(self.agency_combo, choices.agencies)
        self._fill(self.deadline_combo, _DEADLINES)
        self._fill(self.marking_combo, choices.sensitivities)
        self.due_combo.clear()
        self.due_combo.addItem("Due any time", None)
        for event in choices.events:
            self.due_combo.addItem(f"Due before {event.label}", event.starts)
        self._quiet = False
        self.set_filter(current)

    @staticmethod
    def _fill(combo: QComboBox, choices: Sequence[Choice]) -> None:
        everything = combo.itemText(0)
        combo.clear()
        combo.addItem(everything, None)
        for choice in choices:
            combo.addItem(choice.label, choice.key)

    def current(self) -> RegisterFilter:
        """The filter the bar shows."""
        due = self.due_combo.currentData()
        return RegisterFilter(
            text=self.text_edit.text(),
            status=self.status_combo.currentData(),
            theme=self.theme_combo.currentData(),
            agency=self.agency_combo.currentData(),
            deadline=self.deadline_combo.currentData(),
            due_before=due,
            due_before_label=self.due_combo.currentText() if due is not None else "",
            sensitivity=self.marking_combo.currentData(),
            include_retired=self.retired_check.isChecked(),
            conflicts=self.conflicts_check.isChecked(),
        )

    def set_filter(self, wanted: RegisterFilter) -> None:
        """Show ``wanted`` in the bar (one ``filter_changed`` at the end)."""
        self._quiet = True
        self.text_edit.setText(wanted.text)
        for facet, combo in self._combos.items():
            value = getattr(wanted, facet)
            index = combo.findData(value) if value is not None else 0
            due = wanted.due_before
            if index < 0 and facet == "due_before" and due is not None:  # no event starts on it
                combo.addItem(wanted.due_before_label or f"Due by {due.isoformat()}", due)
                index = combo.count() - 1
            combo.setCurrentIndex(max(index, 0))
        self.retired_check.setChecked(wanted.include_retired)
        self.conflicts_check.setChecked(wanted.conflicts)
        self._quiet = False
        self._changed()

    def offer_conflicts(self, offered: bool) -> None:
        """Show the "Conflicts" box while records of this list have something a merge
        left open (or while it is ticked); on a bar of one line, the text box gives up
        a little room for it so the bar still fits a 1,024-pixel screen."""
        shown = offered or self.conflicts_check.isChecked()
        self.conflicts_check.setVisible(shown)
        self.text_edit.setMinimumWidth(140 if shown else 180)

    def clear(self) -> None:
        self.set_filter(RegisterFilter())

    def show_count(self, shown: int, total: int, noun: str, one: str | None = None) -> None:
        """Say how many rows pass: "60 commitments", "3 of 60 commitments", "1 baseline"
        (``noun`` is the plural, ``one`` the singular)."""
        said = (one or noun) if total == 1 else noun
        self.count_label.setText(
            f"{total:,} {said}" if shown == total else f"{shown:,} of {total:,} {said}"
        )

    def _changed(self) -> None:
        if not self._quiet:
            self.filter_changed.emit(self.current())
