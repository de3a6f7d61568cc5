"""The merge wizard's pages after the file is verified: (2) the preview — what
would be applied, merged silently, left in conflict, the identity clashes and the
records to review, each listed; (3) the conflicts, one row per field with the
value both replaced, this desk's and theirs (who, when, which laptop), and the
decision: Keep mine, Take theirs, Edit, Decide later — or, for two records made
with one number, Same record or Different records; (4) what the merge did.

Each page shows and asks; :mod:`nsdesk.ui.merge.merge_wizard` moves between them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from nsdesk.domain.errors import ValidationError
from nsdesk.domain.fields import coerce
from nsdesk.domain.records import RECORD_SPECS
from nsdesk.services.audit import to_json
from nsdesk.ui import wording
from nsdesk.ui.merge.merge_words import (
    field_words,
    item_summary,
    kind_words,
    record_words,
    report_lines,
    side_text,
    theirs_of,
    who_text,
)
from nsdesk.ui.widgets.dialog_style import heading_label, note_label, text_label

if TYPE_CHECKING:
    from nsdesk.services.merge.incoming import IncomingChange, IncomingChanges
    from nsdesk.services.merge.outcome import MergeReport, OpenItem

KEEP, TAKE, EDIT, LATER, SAME, DIFFERENT = "keep", "take", "edit", "later", "same", "different"
DECISION_WORDS = {
    KEEP: "Keep mine",
    TAKE: "Take theirs",
    EDIT: "Edited",
    LATER: "Decide later",
    SAME: "Same record",
    DIFFERENT: "Different records",
}


class PreviewPage(QWidget):
    """Page 2: what the merge would do, part by part."""

    def __init__(self) -> None:
        super().__init__()
        self.report: MergeReport | None = None
        self.heading = heading_label("What merging this file would do")
        self.summary = text_label()
        self.summary.setAccessibleName("What the merge would do")
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["What", "Details"])
        self.tree.setAccessibleName("Every change the merge would make, by part")
        self.tree.setAlternatingRowColors(True)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        self.tree.header().setStretchLastSection(True)
        self.note = note_label(
            "Nothing is changed until you press Apply. A backup of the desk is taken first; "
            "a merge can be undone from File ▸ Merge history…"
        )
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.summary)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.note)

    def show_report(self, report: MergeReport, incoming: IncomingChanges | None = None) -> None:
        """List what ``report`` (a preview) says the merge would do, and each change of
        the file the desk lacks (``incoming``)."""
        self.report = report
        self.summary.setText(" ".join(report_lines(report)))
        tree = self.tree
        tree.clear()

        def group(title: str, rows: Sequence[tuple[str, str]], open_: bool) -> None:
            if not rows:
                return
            top = QTreeWidgetItem([f"{title} ({len(rows):,})", ""])
            font = top.font(0)
            font.setBold(True)
            top.setFont(0, font)
            for what, details in rows:
                child = QTreeWidgetItem([what, details])
                child.setToolTip(0, what)
                child.setToolTip(1, details)
                top.addChild(child)
            tree.addTopLevelItem(top)
            top.setExpanded(open_)

        group(
            "Would apply, by kind",
            [
                (f"{n:,} {kind_words(table, n)}", "new records and changed fields")
                for table, n in sorted(report.applied.items(), key=lambda i: -i[1])
            ],
            True,
        )
        if incoming is not None:
            rows = [_incoming_row(change) for change in incoming.shown]
            if incoming.total > len(rows):
                rows.append((f"… and {incoming.total - len(rows):,} more", ""))
            group("Each change new to this desk", rows, len(rows) <= 40)
        group(
            "Merged without a conflict",
            [
                (
                    f"{kind_words(m.record_table).capitalize()} {m.record_label}, "
                    f"{field_words(m.record_table, m.field)}",
                    "the same value on both laptops"
                    if m.how == "same value"
                    else "lists merged against what both started from",
                )
                for m in report.merged
            ],
            True,
        )
        group(
            "Conflicts",
            [
                (
                    item_summary(c),
                    f"this desk: {side_text(c.mine)} | theirs: {side_text(theirs_of(c))}",
                )
                for c in report.conflicts
            ],
            True,
        )
        group(
            "Identity clashes",
            [(item_summary(c), "settle it on the next page") for c in report.clashes],
            True,
        )
        group(
            "To review",
            [(item_summary(c), "kept on both sides; look at it") for c in report.reviews],
            True,
        )
        if not tree.topLevelItemCount():
            tree.addTopLevelItem(
                QTreeWidgetItem(["Nothing new: this desk already holds every change.", ""])
            )
        tree.resizeColumnToContents(0)
        tree.setColumnWidth(0, min(tree.columnWidth(0), 560))


def _incoming_row(change: IncomingChange) -> tuple[str, str]:
    what = f"{kind_words(change.record_table).capitalize()} {change.record_label}"
    if change.field_label:
        what += f", {change.field_label}"
    moment = wording.when(change.at) if change.at is not None else ""
    details = change.action + (f": {change.value}" if change.value else "")
    return what, f"{details} ({change.actor}, {moment})" if change.actor else details


@dataclass
class Row:
    """One line of the conflicts page: a conflict or an identity clash, and what was
    decided for it."""

    item: OpenItem
    decision: str = LATER
    value: Any = None


COL_WHAT, COL_BASE, COL_MINE, COL_THEIRS, COL_DECISION = range(5)
HEADERS = ("Record and field", "Before (both replaced)", "This desk (mine)", "Theirs", "Decision")


class ConflictsPage(QWidget):
    """Page 3: each conflict and identity clash, and what to do with it."""

    changed = Signal()

    def __init__(self, *, ask_value: Callable[[QWidget, OpenItem, str], str | None] | None = None):
        super().__init__()
        self.rows: list[Row] = []
        self.problem = ""  # why the last value typed was not taken
        self._ask_value = ask_value or _ask_value
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels(list(HEADERS))
        self.table.setAccessibleName("Conflicts and identity clashes, one row per field")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        for column in range(len(HEADERS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COL_DECISION, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(
            COL_DECISION, self.table.fontMetrics().horizontalAdvance("Different records") + 18
        )
        self.table.itemSelectionChanged.connect(self._update_buttons)
        # Rows as tall as their wrapped text at the widths the columns end up with.
        header.sectionResized.connect(lambda *_: self.table.resizeRowsToContents())
        self.keep_button = QPushButton("Keep &mine")
        self.take_button = QPushButton("Take &theirs")
        self.edit_button = QPushButton("&Edit…")
        self.same_button = QPushButton("&Same record")
        self.different_button = QPushButton("&Different records")
        self.later_button = QPushButton("Decide &later")
        self.keep_button.setToolTip("This desk's value stays; the others are set aside")
        self.take_button.setToolTip("The other laptop's value replaces this desk's")
        self.edit_button.setToolTip("Write the value that should stand")
        self.same_button.setToolTip(
            "The two are one record: what belongs to one moves to the other"
        )
        self.different_button.setToolTip(
            "Two records: the one from the other laptop takes a new number and is still "
            "found by the old one"
        )
        self.later_button.setToolTip(
            "Leave it open: this desk keeps its value, the field is flagged"
        )
        buttons = QHBoxLayout()
        for button, decision in (
            (self.keep_button, KEEP),
            (self.take_button, TAKE),
            (self.edit_button, EDIT),
            (self.same_button, SAME),
            (self.different_button, DIFFERENT),
            (self.later_button, LATER),
        ):
            button.setAutoDefault(False)
            button.clicked.connect(lambda _=False, d=decision: self.decide(d))
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.count_label = note_label()
        layout = QVBoxLayout(self)
        layout.addWidget(heading_label("Settle the conflicts"))
        layout.addWidget(
            note_label(
                "Two laptops wrote different values to the same field. Choose, for each, "
                "which stands; what you decide travels with your next changes file, so no "
                "one settles it twice. Whatever you leave for later stays flagged in the "
                "registers and the status bar."
            )
        )
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.count_label)
        self._update_buttons()

    def show_items(self, conflicts: Sequence[OpenItem], clashes: Sequence[OpenItem]) -> None:
        """List ``conflicts`` and ``clashes``, keeping what was decided for the same
        field (or record) before."""
        before = {_key(row.item): row for row in self.rows}
        self.rows = []
        for item in [*conflicts, *clashes]:
            kept = before.get(_key(item))
            self.rows.append(Row(item, kept.decision, kept.value) if kept else Row(item))
        table = self.table
        table.setRowCount(len(self.rows))
        for number, row in enumerate(self.rows):
            self._fill(number, row)
        table.resizeRowsToContents()
        if self.rows:
            table.selectRow(0)
        self._update_buttons()

    def _fill(self, number: int, row: Row) -> None:
        item = row.item
        if item.kind.value == "identity":
            cells = {
                COL_WHAT: f"{kind_words(item.record_table).capitalize()} number {item.key}\n"
                "given on two laptops",
                COL_BASE: "",
                COL_MINE: f"{record_words(item.other_label)}\n(made here; keeps {item.key})",
                COL_THEIRS: f"{record_words(item.record_label)}\n(from the other laptop)",
            }
        else:
            theirs = theirs_of(item)
            cells = {
                COL_WHAT: f"{kind_words(item.record_table).capitalize()} {item.record_label}\n"
                f"{item.field_label}",
                COL_BASE: side_text(item.base) if item.base else "(nothing: both made it)",
                COL_MINE: f"{side_text(item.mine)}\n{who_text(item.mine)}",
                COL_THEIRS: f"{side_text(theirs)}\n{who_text(theirs)}",
            }
        decision = DECISION_WORDS[row.decision]
        if row.decision == EDIT:
            decision = f"Edited: {wording.sentence_case(str(row.value))}"
        cells[COL_DECISION] = decision
        for column, text in cells.items():
            cell = QTableWidgetItem(text)
            cell.setToolTip(text)
            self.table.setItem(number, column, cell)

    def selected_rows(self) -> list[int]:
        return sorted({index.row() for index in self.table.selectionModel().selectedRows()})

    def decide(self, decision: str) -> None:
        """Apply ``decision`` to the rows selected (Edit asks for the value of each,
        and says below the list why one it cannot take was left as it was)."""
        self.problem = ""
        for number in self.selected_rows():
            row = self.rows[number]
            if not _fits(row.item, decision):
                continue
            if decision == EDIT:
                value = self._ask_value(self, row.item, side_text(row.item.mine))
                if value is None:
                    continue
                try:
                    _typed(row.item, value)
                except ValidationError as error:
                    said = wording.error_text(error, at_field=True)
                    self.problem = wording.as_sentence(
                        f"{row.item.record_label}, {row.item.field_label}: {said}"
                    )
                    continue
                row.value = value
            row.decision = decision
            self._fill(number, row)
        self.table.resizeRowsToContents()
        self._update_buttons()
        self.changed.emit()

    def decisions(self) -> dict[tuple[str, str], Any]:
        """The decisions on conflicts, as the merge takes them: (record UUID, field) ->
        "keep", "take" or ("value", text). Decide later is left out."""
        found: dict[tuple[str, str], Any] = {}
        for row in self.rows:
            item = row.item
            if item.kind.value != "conflict" or item.field is None:
                continue
            if row.decision in (KEEP, TAKE):
                found[(item.record_uuid, item.field)] = row.decision
            elif row.decision == EDIT:
                found[(item.record_uuid, item.field)] = ("value", _typed(item, row.value))
        return found

    def clash_choices(self) -> dict[str, bool]:
        """The identity clashes settled: record UUID -> same record (True) or not."""
        return {
            row.item.record_uuid: row.decision == SAME
            for row in self.rows
            if row.item.kind.value == "identity" and row.decision in (SAME, DIFFERENT)
        }

    def left_for_later(self) -> int:
        return sum(1 for row in self.rows if row.decision == LATER)

    def _update_buttons(self) -> None:
        chosen = [self.rows[n].item for n in self.selected_rows()] if self.rows else []
        for button, decision in (
            (self.keep_button, KEEP),
            (self.take_button, TAKE),
            (self.edit_button, EDIT),
            (self.same_button, SAME),
            (self.different_button, DIFFERENT),
            (self.later_button, LATER),
        ):
            button.setEnabled(any(_fits(item, decision) for item in chosen))
        left = self.left_for_later()
        self.count_label.setText(
            self.problem
            or (
                f"{wording.count(len(self.rows), 'item')}; {left:,} left for later."
                if self.rows
                else "No conflict and no identity clash: nothing to settle."
            )
        )


def _key(item: OpenItem) -> tuple[str, str]:
    return (item.record_uuid, item.field or "")


def _fits(item: OpenItem, decision: str) -> bool:
    if item.kind.value == "identity":
        return decision in (SAME, DIFFERENT, LATER)
    return decision in (KEEP, TAKE, EDIT, LATER)


def _typed(item: OpenItem, text: Any) -> Any:
    """A value typed for a field, as the merge takes it: checked against the field's
    form (a date, a choice, a length) and in the form the change log keeps; a list
    for a list field. Raises :class:`ValidationError` naming the field."""
    spec = RECORD_SPECS.get(item.record_table)
    field_spec = None
    if spec is not None and item.field:
        field_spec = next((f for f in spec.fields if item.field in (f.name, f"{f.name}_id")), None)
    if field_spec is not None:
        return to_json(coerce(field_spec, str(text)))
    mine = item.mine.value if item.mine is not None else None
    if isinstance(mine, list):
        return [part.strip() for part in str(text).split(";") if part.strip()]
    return text


def _ask_value(parent: QWidget, item: OpenItem, current: str) -> str | None:
    text, ok = QInputDialog.getMultiLineText(
        parent,
        "Edit the value — nsdesk",
        f"The value of {item.field_label} that should stand, for {item.record_label}:",
        "" if current == "(nothing)" else current,
    )
    return text if ok else None


class ResultPage(QWidget):
    """Page 4: what the merge did, what it left, and how to undo it."""

    def __init__(self) -> None:
        super().__init__()
        self.heading = heading_label("The changes were merged")
        self.result_label = text_label()
        self.result_label.setAccessibleName("What the merge did")
        self.left_label = text_label()
        self.left_label.setAccessibleName("What the merge left open")
        self.undo_label = text_label(
            "A backup of the desk was taken just before. To undo this merge, use File ▸ "
            "Merge history… and choose “Undo merge”; it is refused where later work would "
            "be overwritten."
        )
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.result_label)
        layout.addWidget(self.left_label)
        layout.addSpacing(6)
        layout.addWidget(self.undo_label)
        layout.addStretch(1)

    def show_result(self, report: MergeReport, settled: Sequence[str], open_left: int) -> None:
        """Say what the merge did (``settled``: the sentences of what was settled)."""
        name = report.path.name
        text = f"{name}, from {report.sender_label}: " + " ".join(report_lines(report))
        if report.settled:
            text += f" {wording.count(len(report.settled), 'conflict')} settled as you chose."
        self.result_label.setText(text)
        parts = list(settled)
        parts.append(
            f"{wording.count(open_left, 'item')} left open: see them from the status bar "
            "or the Conflicts filter of each register."
            if open_left
            else "Nothing is left open."
        )
        self.left_label.setText("\n".join(parts))
