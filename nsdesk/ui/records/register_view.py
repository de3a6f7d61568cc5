"""One register on screen: its filters, its table, and the selected record's
editor beside it.

The table is filled from read models once and then filtered and sorted in
memory; after a change only the rows that changed are read again. The editor
beside it saves each field as the user leaves it, through the undoable record
actions; retiring needs no confirmation because it can be undone.

The selected record is followed, not its row: through a sort, a filter, an edit,
a record created or retired elsewhere, undo, redo, an import and a reload, the
same record stays highlighted, in the editor, and where it was on screen. A
filter that hides it leaves it in the editor (clearing the filter shows it
again); a record that leaves the register (retired, its creation undone) gives
the editor back to the record selected before it, or to none — never left
editable as if it were still there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from nsdesk.domain.errors import FieldChangedError, NsdeskError
from nsdesk.domain.records import spec_for
from nsdesk.services.records.register_rows import RegisterFilter
from nsdesk.ui.records.details.detail_panel import DetailPanel
from nsdesk.ui.records.new_record_dialog import NewRecordDialog
from nsdesk.ui.records.record_editor import RecordEditor
from nsdesk.ui.records.register_table_model import RegisterTableModel
from nsdesk.ui.widgets.filter_bar import FilterBar
from nsdesk.ui.widgets.sizing import FormScrollArea
from nsdesk.ui.widgets.table_view import list_table
from nsdesk.ui.wording import a_or_an, error_text

if TYPE_CHECKING:
    from nsdesk.services.records.registers import RegisterDefinition
    from nsdesk.ui.records.desk_data import DeskData


def _first_focusable(pane: QWidget) -> QWidget | None:
    """The first control of ``pane`` that Tab would reach."""
    widget = pane.nextInFocusChain()
    while widget is not None and widget is not pane:
        if (
            pane.isAncestorOf(widget)
            and widget.isVisibleTo(pane)
            and widget.isEnabled()
            and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
        ):
            return widget
        widget = widget.nextInFocusChain()
    return None


PanelFactory = Callable[["DeskData"], DetailPanel]
"""Makes a register's own detail panel (a commitment's history…) for an open desk."""

#: The widest the editor pane starts (the user may widen it; the width is kept).
EDITOR_WIDTH = 460

#: The kinds the filter drop-downs list (themes, agencies, events to be due before).
FILTERED_KINDS = frozenset({"theme", "agency", "event"})


class RegisterView(QWidget):
    """Filters, table and detail editor for one register."""

    status_message = Signal(str)
    """A sentence for the status bar (what was saved, retired, refused)."""
    record_selected = Signal(str)
    """The user selected a record (its key)."""
    record_requested = Signal(str, str)
    """(register, key): the detail pane asked to open another record (an action item)."""

    def __init__(
        self,
        definition: RegisterDefinition,
        *,
        panel_factory: PanelFactory | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.definition = definition
        self.spec = spec_for(definition.kind)
        self._referenced = frozenset(f.references for f in self.spec.fields if f.references)
        self.noun = definition.title.lower()
        self.data: DeskData | None = None
        self._panel_factory = panel_factory
        self.panel: DetailPanel | None = None
        self._loaded = False
        self._stale = False
        self._current_key: str | None = None
        #: The record selected before the current one: shown again if the current leaves.
        self._previous_key: str | None = None
        #: Where the current record was drawn before the model changed (scroll, y).
        self._place: tuple[int, int | None] | None = None
        self._sized = False  # the panes follow the view's width until the user sizes them

        self.filter_bar = FilterBar(definition.facets, self.noun)
        self.model = RegisterTableModel(definition, self)
        samples = {
            i: c.sample or c.header for i, c in enumerate(definition.columns) if not c.stretch
        }
        stretch = next((i for i, c in enumerate(definition.columns) if c.stretch), 0)
        self.table = list_table(
            self.model,
            name=definition.title,
            samples=samples,
            stretch=stretch,
            single_selection=True,
        )
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        header = self.table.horizontalHeader()
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._column_menu)
        header.setSectionsMovable(True)
        for column, spec in enumerate(definition.columns):
            header.setSectionHidden(column, spec.hidden)

        self.new_button = QPushButton(f"New {self.spec.label.lower()}…")
        self.new_button.setAccessibleName(f"New {self.spec.label.lower()}")
        self.new_button.setVisible(definition.creatable)
        self.new_button.clicked.connect(self.new_record)

        self.detail_title = QLabel()
        self.detail_title.setTextFormat(Qt.TextFormat.PlainText)
        self.detail_title.setWordWrap(True)
        font = self.detail_title.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        font.setBold(True)
        self.detail_title.setFont(font)
        self.editor = RecordEditor(self.spec)
        self.editor.edit_requested.connect(self._save_field)
        for name in self.editor.fields:
            bar = self.editor.conflict(name)
            bar.keep_mine.connect(lambda n=name: self._keep_mine(n))
            bar.take_theirs.connect(lambda n=name: self._take_theirs(n))
            bar.edit.connect(lambda n=name: self._edit_again(n))
        self.editor.conflict_decided.connect(self._settle_conflict)
        self.retire_button = QPushButton("Retire")
        self.retire_button.setToolTip(
            "Hide it from lists and exports, keeping its history (Undo brings it back)"
        )
        self.retire_button.clicked.connect(self.retire_current)
        self.restore_button = QPushButton("Restore")
        self.restore_button.clicked.connect(self.restore_current)
        self.empty_label = QLabel(f"Select {a_or_an(self.spec.label.lower())} to see and edit it.")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)

        detail = QWidget()
        self._detail_layout = QVBoxLayout(detail)
        self._detail_layout.addWidget(self.detail_title)
        self._detail_layout.addWidget(self.editor)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.restore_button)
        buttons.addWidget(self.retire_button)
        self._detail_layout.addLayout(buttons)
        self._detail_layout.addStretch(1)
        self.detail_body = detail
        self.detail_scroll = FormScrollArea()
        self.detail_scroll.setWidgetResizable(True)
        self.detail_scroll.setWidget(detail)
        self.detail_scroll.setAccessibleName(f"{self.spec.label} details")
        self.detail_scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes to the fields
        pane = QWidget()
        pane_layout = QVBoxLayout(pane)
        pane_layout.setContentsMargins(0, 0, 0, 0)
        pane_layout.addWidget(self.empty_label)
        pane_layout.addWidget(self.detail_scroll)

        self.splitter = QSplitter()
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(pane)
        self.splitter.setStretchFactor(0, 1)  # a wider window widens the list,
        self.splitter.setStretchFactor(1, 0)  # the editor keeps the width it was given
        self.splitter.setChildrenCollapsible(False)
        self.splitter.splitterMoved.connect(lambda *_: self._pane_sized_by_user())

        top = QHBoxLayout()
        top.addWidget(self.filter_bar, 1)
        top.addWidget(self.new_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.splitter, 1)

        self.filter_bar.filter_changed.connect(self._filter)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.model.modelAboutToBeReset.connect(self._remember_place)
        self.model.modelReset.connect(self._after_reset)
        self.model.layoutAboutToBeChanged.connect(self._remember_place)
        self.model.layoutChanged.connect(self._follow_current)
        self._show_detail(None)
        # Tab goes filter text → list → the record; the other filters and New come
        # just before the text (Shift+Tab from it), so the list is one Tab away.
        self.setTabOrder(self.new_button, self.filter_bar.text_edit)
        self.setTabOrder(self.filter_bar.text_edit, self.table)
        self.setTabOrder(self.table, self.detail_scroll)

    # -- the desk -----------------------------------------------------------------------
    def set_data(self, data: DeskData | None) -> None:
        """Show this register of ``data``'s desk (read when first shown). The same
        desk again (F5, after an import) is read again keeping the filters, the
        selected record and its place on screen."""
        if data is not None and data is self.data:
            self._read_again()
            return
        self.data = data
        self._loaded = False
        self._current_key = self._previous_key = None
        self._show_detail(None)
        if self.panel is not None:
            self.panel.setParent(None)
            self.panel.deleteLater()
            self.panel = None
        if data is not None and self._panel_factory is not None:
            self.panel = self._panel_factory(data)
            self._detail_layout.insertWidget(1, self.panel)  # the kind's own view first
            self.panel.record_requested.connect(self.record_requested)
        read_only = data is None or data.read_only
        self.new_button.setEnabled(not read_only)
        self.editor.set_read_only(read_only)
        if self.panel is not None:
            self.panel.set_read_only(read_only)
        self.model.set_rows([])
        if data is not None and self.isVisible():
            self.load()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._first_pane_sizes()
        if self.data is not None and (not self._loaded or self._stale):
            self.load()

    def _read_again(self) -> None:
        if self.isVisible():
            self.load()
        else:
            self._stale = True  # read when next shown

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._first_pane_sizes()

    def _pane_sized_by_user(self) -> None:
        self._sized = True  # kept from now on, and between sessions (save_layout)

    def _first_pane_sizes(self) -> None:
        """Until the user moves the divider (or a saved layout is restored), the list
        gets the room and the editor two fifths of it, within what its form needs and
        :data:`EDITOR_WIDTH`: it starts narrower than the list."""
        if self._sized or not self.isVisible():
            return
        width = max(self.splitter.width(), 600)
        least = self.detail_scroll.minimumSizeHint().width()
        editor = max(min(EDITOR_WIDTH, width * 2 // 5), least)
        self.splitter.setSizes([width - editor - self.splitter.handleWidth(), editor])

    def load(self) -> None:
        """Read the whole register and its drop-down lists; the selected record is
        shown as the desk now has it."""
        data = self.data
        if data is None:
            return
        # What is being typed in the record shown is put back once it is read again.
        edits = self.editor.edits_in_progress() if self._current_key is not None else {}
        shown = self._current_key
        self.filter_bar.set_choices(data.filter_choices())
        self.editor.set_choices(data.choices_for, data.marking_choices())
        self.model.set_rows(data.rows(self.definition.name), as_of=data.as_of)
        self._offer_conflicts()
        if self.filter_bar.current().conflicts:  # what is open may have changed
            self._filter(self.filter_bar.current())
        self._loaded, self._stale = True, False
        if self._current_key is not None and not self.model.is_gone(self._current_key):
            self._show_detail(self._current_key)
            if edits and self._current_key == shown:
                self.editor.keep_edits(edits)

    def records_changed(self, kinds: frozenset[str], focus: tuple[str, str] | None) -> None:
        """Records changed (an edit, undo or redo): read again what this view shows."""
        if self.data is None or not self._loaded:
            return
        self.choices_changed(kinds)
        if self.definition.kind not in kinds:
            return  # the detail panels follow the record actions themselves
        self._offer_conflicts()
        if focus is not None and focus[0] == self.definition.kind:
            # The record acted on: its row is read again and it is shown (the
            # filters cleared if they hide it) — unless it was retired (or its
            # creation undone): then it is gone, unless retired records are listed.
            rows = self.data.rows(self.definition.name, keys=[focus[1]])
            self.model.replace_rows({focus[1]}, rows)
            if rows and (not rows[0].retired or self.model.row_of(rows[0].key) is not None):
                self.select_key(rows[0].key)
        elif focus is not None:
            # A part of a record changed (a progress entry, a target): its owner's
            # row is read again, wherever the selection is.
            owner = self.data.owner_of(*focus)
            if owner is not None and owner[0] == self.definition.name:
                self.model.replace_rows(
                    {owner[1]}, self.data.rows(self.definition.name, keys=[owner[1]])
                )
        else:
            self._read_again()

    def choices_changed(self, kinds: frozenset[str]) -> None:
        """Records of ``kinds`` changed: the drop-downs that list them are rebuilt — only
        those (rebuilding them on every edit would cost each small change a dozen
        combo boxes)."""
        if self.data is None or not self._loaded:
            return
        if FILTERED_KINDS & kinds:
            self.filter_bar.set_choices(self.data.filter_choices())
        if self._referenced & kinds:
            self.editor.set_choices(self.data.choices_for, self.data.marking_choices())

    def follow(self, uuids: frozenset[str]) -> None:
        """Other officers changed the records ``uuids``: their rows are read again (and
        only theirs), keeping the filters, the selected record, its place on screen
        and whatever the user is typing in it (:meth:`load` does the same for all)."""
        if self.data is None or not self._loaded:
            return
        if not self.isVisible():
            self._stale = True  # read when next shown
            return
        shown = self._current_key
        edits = self.editor.edits_in_progress() if shown is not None else {}
        self.model.replace_rows(uuids, self.data.rows(self.definition.name, keys=uuids))
        self._offer_conflicts()
        if shown is None or self._current_key != shown:
            return  # nothing shown, or the record shown left the list (_follow_current)
        current = self.model.record(shown)
        if current is not None and current.uuid in uuids and not self.model.is_gone(shown):
            self._show_detail(shown)
            if edits:
                self.editor.keep_edits(edits)

    # -- filtering and selecting ------------------------------------------------------------
    def apply_filter(self, wanted: RegisterFilter) -> None:
        """Show the register filtered as ``wanted`` (the dashboard's click-through)."""
        self.filter_bar.set_filter(wanted)

    def focus_filter(self) -> None:
        """Put the cursor in the text filter, its text selected (Ctrl+F)."""
        self.filter_bar.text_edit.setFocus()
        self.filter_bar.text_edit.selectAll()

    def clear_filters(self) -> None:
        self.filter_bar.clear()

    # -- moving between the panes (F6, Shift+F6) --------------------------------------------
    def _panes(self) -> list[QWidget]:
        """The list, the record's fields and its panel: those that are showing."""
        panes: list[QWidget] = [self.table]
        if self.detail_scroll.isVisible():
            panes.append(self.editor)
            if self.panel is not None and self.panel.isVisible():
                panes.append(self.panel)
        return panes

    def next_pane(self, step: int = 1) -> None:
        """Put the focus in the next pane (the list, the fields, the panel, round
        again): where it was last in that pane, else its first control."""
        panes = self._panes()
        focus = QApplication.focusWidget()
        here = next(
            (
                n
                for n, pane in enumerate(panes)
                if focus is not None and (focus is pane or pane.isAncestorOf(focus))
            ),
            -1,
        )
        pane = panes[(here + step) % len(panes)] if here >= 0 else panes[0]
        if pane is self.table:
            self.table.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        if pane is self.editor or pane is self.panel:
            self.detail_scroll.ensureWidgetVisible(pane, 0, 0)
        last = pane.focusWidget()  # where the focus was last inside the pane
        target = last if last is not None and pane.isAncestorOf(last) else _first_focusable(pane)
        if target is not None:
            target.setFocus(Qt.FocusReason.OtherFocusReason)
            self.detail_scroll.ensureWidgetVisible(target)

    def previous_pane(self) -> None:
        """Put the focus in the previous pane (Shift+F6)."""
        self.next_pane(-1)

    def _offer_conflicts(self) -> None:
        """The "Conflicts" box shows while a merge left something open on this list."""
        if self.data is not None:
            self.filter_bar.offer_conflicts(bool(self.data.conflicted(self.definition.kind)))

    def _filter(self, wanted: RegisterFilter) -> None:
        if wanted.conflicts and self.data is not None:
            wanted = replace(wanted, among=self.data.conflicted(self.definition.kind))
        self.model.set_filter(wanted)

    def _after_reset(self) -> None:
        self.filter_bar.show_count(
            self.model.rowCount(), self.model.total, self.noun, self.spec.label.lower()
        )
        self._follow_current()

    def _remember_place(self) -> None:
        """Before the rows change: where the selected record is drawn (if on screen)."""
        row = self.model.row_of(self._current_key) if self._current_key else None
        y = self.table.rowViewportPosition(row) if row is not None else -1
        on_screen = 0 <= y < self.table.viewport().height()
        self._place = (self.table.verticalScrollBar().value(), y if on_screen else None)

    def _follow_current(self) -> None:
        """After the rows changed: the selected record highlighted again, where it
        was drawn (or brought into view); if it left the register, the one
        selected before it, or none."""
        scrolled, y = self._place or (self.table.verticalScrollBar().value(), None)
        self._place = None
        key = self._current_key
        row = self.model.row_of(key) if key is not None else None
        if row is None:
            self.table.updateGeometries()
            self.table.verticalScrollBar().setValue(scrolled)
            if key is not None and self.model.is_gone(key):
                self._current_left()
            return
        index = self.model.index(row, 0)
        selection = self.table.selectionModel()
        if selection.currentIndex().row() != row or not selection.isRowSelected(row):
            selection.setCurrentIndex(
                index,
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
        self._scroll_to(row, y)

    def _scroll_to(self, row: int, y: int | None) -> None:
        """Scroll so that ``row`` is drawn at ``y`` (or, without one, into view)."""
        table = self.table
        table.updateGeometries()  # the scroll range of the rows shown now
        if y is None:
            table.scrollTo(self.model.index(row, 0))
            return
        bar = table.verticalScrollBar()
        moved = table.rowViewportPosition(row) - y
        if table.verticalScrollMode() == table.ScrollMode.ScrollPerItem:
            moved = round(moved / max(table.rowHeight(row), 1))
        bar.setValue(bar.value() + moved)

    def _current_left(self) -> None:
        """The selected record left the register: show the one selected before it
        if it is listed, else none."""
        before = self._previous_key
        listed = before is not None and self.model.row_of(before) is not None
        if listed and before != self._current_key:
            assert before is not None
            self.select_key(before)
            return
        self.table.selectionModel().clear()
        self._show_detail(None)
        self._previous_key = None

    def select_key(self, key: str) -> bool:
        """Select the record ``key``, clearing the filters if they hide it (and
        listing retired records if it is one)."""
        row = self.model.row_of(key)
        record = self.model.record(key) if row is None else None
        if record is not None:
            self.filter_bar.set_filter(RegisterFilter(include_retired=record.retired))
            row = self.model.row_of(key)
        if row is None:
            return False
        index = self.model.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index)
        self._show_detail(self.model.key_at(row))
        return True

    def current_key(self) -> str | None:
        return self._current_key

    def _row_changed(self, current, _previous) -> None:
        if not current.isValid():
            return
        key = self.model.key_at(current.row())
        if key != self._current_key:  # the user moved; not the record followed again
            self._show_detail(key)
            self.record_selected.emit(key)

    def _show_detail(self, key: str | None) -> None:
        if key != self._current_key and self._current_key is not None:
            self._previous_key = self._current_key
        self._current_key = key
        has = key is not None and self.data is not None
        self.detail_scroll.setVisible(has)
        self.empty_label.setVisible(not has)
        if not has:
            return
        assert self.data is not None
        assert key is not None
        values = self.data.values(self.definition.kind, key)
        row = self.model.row_of(key)
        retired = row is not None and self.model.row_at(row).retired
        cells = self.model.row_at(row).cells if row is not None else (key,)
        self.detail_title.setText(self._heading(cells) + ("  (retired)" if retired else ""))
        self.editor.show_values(values)
        uuid = self.model.row_at(row).uuid if row is not None else ""
        self.editor.show_conflicts(self._conflict_marks(uuid))
        read_only = self.data.read_only
        self.retire_button.setVisible(not retired)
        self.restore_button.setVisible(retired)
        self.retire_button.setEnabled(not read_only)
        self.restore_button.setEnabled(not read_only)
        if self.panel is not None:
            self.panel.show_record(key)

    def _conflict_marks(self, uuid: str) -> dict[str, tuple[int, str]]:
        """The fields of the record ``uuid`` a merge left in conflict, as the editor
        marks them."""
        # lazy: the words of a merge load with the first conflict shown
        from nsdesk.ui.conflict_words import conflict_marks

        if self.data is None or not uuid:
            return {}
        items = self.data.open_items(self.definition.kind, uuid)
        return conflict_marks(items, list(self.editor.fields))

    def _settle_conflict(self, item_id: int, decision: str) -> None:
        if self.data is None or self._current_key is None:
            return
        row = self.model.row_of(self._current_key)
        uuid = self.model.row_at(row).uuid if row is not None else self._current_key
        try:
            said = self.data.settle_conflict(self.definition.kind, uuid, item_id, decision)
        except NsdeskError as error:
            self.status_message.emit(f"Not settled: {error_text(error)}.")
            return
        self.status_message.emit(f"Settled: {said}.")
        self._show_detail(self._current_key)

    def _heading(self, cells: tuple[str, ...]) -> str:
        """The selected record's heading: its id where people read one (C-0042, MFA)
        and its title; a key hidden from the list (a theme's) is never shown."""
        columns = self.definition.columns
        if len(cells) != len(columns):
            return cells[0]
        main = next((i for i, c in enumerate(columns) if c.stretch), 0)
        first = next((i for i, c in enumerate(columns) if not c.hidden), main)
        return " · ".join(cells[i] for i in dict.fromkeys((first, main)) if cells[i])

    # -- changes --------------------------------------------------------------------------
    def _save_field(self, name: str, text: str) -> None:
        if self.data is None or self._current_key is None:
            return
        label = self.spec.field(name).label
        try:
            self.data.actions.update(
                self.definition.kind,
                self._current_key,
                {name: text},
                expected=self.editor.expected(name),
            )
        except FieldChangedError as error:
            changed = next((f for f in error.fields if f.name == name), error.fields[0])
            self.editor.show_conflict(name, changed, text)
            who = f" by {changed.changed_by}" if changed.changed_by else ""
            self.status_message.emit(
                f"Not saved: {label} was changed{who} since it was shown — "
                "keep yours, take theirs, or edit."
            )
            return
        except NsdeskError as error:
            self.editor.show_error(error, fallback=name)
            self.status_message.emit(f"Not saved: {label} — {error_text(error, at_field=True)}.")
            return
        self.status_message.emit(f"Saved {label}.")

    # -- another officer changed the field (see nsdesk.ui.records.field_conflict) --------
    def _keep_mine(self, name: str) -> None:
        """Save the value the user typed over the other officer's, which they have seen."""
        mine = self.editor.conflict(name).mine
        self._save_field(name, mine)

    def _take_theirs(self, name: str) -> None:
        """Show the other officer's value; nothing is saved."""
        changed = self.editor.conflict(name).changed
        if changed is None:
            return
        self.editor.accept_edit(name, changed.current)
        who = changed.changed_by or "the other officer"
        self.status_message.emit(f"Took the {self.spec.field(name).label} {who} saved.")
        if self.data is not None and self._current_key is not None:  # their value listed too
            key = self._current_key
            self.model.replace_rows({key}, self.data.rows(self.definition.name, keys=[key]))

    def _edit_again(self, name: str) -> None:
        """Back into the field, with the user's value, to write one that takes both in."""
        self.editor.conflict(name).clear()
        self.editor.fields[name].widget.setFocus()

    def retire_current(self) -> None:
        """Retire the selected record; Undo brings it back, so nothing is asked."""
        if self.data is None or self._current_key is None:
            return
        try:
            ref = self.data.actions.retire(self.definition.kind, self._current_key)
        except NsdeskError as error:
            self.status_message.emit(f"Not retired: {error_text(error)}.")
            return
        self.status_message.emit(f"Retired {ref.label}. Undo (Ctrl+Z) brings it back.")

    def restore_current(self) -> None:
        if self.data is None or self._current_key is None:
            return
        try:
            ref = self.data.actions.restore(self.definition.kind, self._current_key)
        except NsdeskError as error:
            self.status_message.emit(f"Not restored: {error_text(error)}.")
            return
        self.status_message.emit(f"Restored {ref.label}.")

    def new_record(self) -> None:
        """Ask for a new record's values and create it (one undoable action)."""
        if self.data is None or self.data.read_only or not self.definition.creatable:
            return
        dialog = NewRecordDialog(self.spec, self.data, parent=self)
        if dialog.exec() and dialog.created is not None:
            self.status_message.emit(f"Added {dialog.created.label}.")
        elif dialog.open_instead is not None:
            self.select_key(dialog.open_instead)
            self.status_message.emit(f"Nothing added: {dialog.open_instead} is shown instead.")
        dialog.deleteLater()

    # -- columns ------------------------------------------------------------------------
    def _column_menu(self, position) -> None:
        header = self.table.horizontalHeader()
        menu = QMenu(self)
        for column, spec in enumerate(self.definition.columns):
            action = QAction(spec.header, menu)
            action.setCheckable(True)
            action.setChecked(not header.isSectionHidden(column))
            action.setEnabled(not spec.stretch)  # the main column always shows
            action.toggled.connect(lambda on, c=column: header.setSectionHidden(c, not on))
            menu.addAction(action)
        menu.exec(header.mapToGlobal(position))

    def save_layout(self) -> dict[str, QByteArray]:
        """The user's column choices and pane sizes, to keep between sessions."""
        return {
            "header": self.table.horizontalHeader().saveState(),
            "splitter": self.splitter.saveState(),
        }

    def restore_layout(self, saved: dict[str, QByteArray]) -> None:
        if header := saved.get("header"):
            self.table.horizontalHeader().restoreState(header)
            self.table.fitter.remember_widths()
        if splitter := saved.get("splitter"):
            self._sized = self.splitter.restoreState(splitter)
