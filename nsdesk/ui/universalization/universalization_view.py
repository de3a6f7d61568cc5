"""The Universalization page: who has joined an instrument, on a map, in a table and
over time, and the list a delegation lobbies from.

Above, the instrument, the day and the filters (a UN regional group or an M49
region, "took part in the summits"); under them, in words, how many stand where, the
latest dated count, and the own state's place. On the left the world map coloured by
standing and the party count over time; on the right, in tabs, the table of states
(the map's facts for the keyboard and a screen reader, sortable) and the lobbying
list: the states of a region party to one instrument and not to another.

The page reads through the services' loaders (:mod:`nsdesk.services.universalization`);
it holds no desk state of its own beyond what it shows.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QFont, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from nsdesk.domain.enums import PartyKind, Standing
from nsdesk.services.universalization.geography import GROUP_SHORT, Region, geography, world_map
from nsdesk.services.universalization.model import (
    DEFAULT_NOT_PARTY_TO,
    DEFAULT_PARTY_TO,
    OUTSIDE_WORDS,
    Lobbying,
    LobbyingLine,
    StateLine,
    Universalization,
    completeness_words,
    default_region,
    lobbying_words,
    tally,
)
from nsdesk.services.universalization.overview import (
    instrument_choices,
    load_lobbying,
    load_universalization,
)
from nsdesk.ui.universalization.world_map_view import WorldMapView
from nsdesk.ui.widgets.dialog_style import note_label, text_label
from nsdesk.ui.widgets.form_parts import buddy, choose
from nsdesk.ui.widgets.rows_table_model import Index, RowsTableModel
from nsdesk.ui.widgets.step_chart import Series, StepChart
from nsdesk.ui.widgets.table_view import list_table

if TYPE_CHECKING:
    from nsdesk.domain.dates import PartialDate
    from nsdesk.services.desk import Desk

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
_KIND_WORDS = {
    "group": "UN regional group",
    "region": "M49 region",
    "sub_region": "M49 sub-region",
    "intermediate": "M49 area",
}


def _date(value: PartialDate | None) -> str:
    return value.display() if value is not None else ""


def _date_key(value: PartialDate | None) -> tuple[int, int, int]:
    return value.sort_key() if value is not None else (9999, 99, 99)


_STANDING_ORDER = {Standing.PARTY: 0, Standing.SIGNATORY: 1, Standing.OUTSIDE: 2}


class StatesTableModel(RowsTableModel[StateLine]):
    """Every state with its standing, dates and place; sortable by its sort role."""

    headers = ("State", "Standing", "Since", "Signed", "Consent", "UN group", "M49 region")

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = self._rows[index.row()], index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            since = _date(row.since) + (" (listed, date not found)" if row.undated else "")
            cells = (
                row.name + (" (our state)" if row.own else ""),
                row.standing_words,
                since,
                _date(row.signed),
                row.consent.label if row.consent else "",
                GROUP_SHORT.get(row.group, row.group),
                row.sub_region or row.region,
            )
            return cells[column]
        if role == SORT_ROLE:
            keys: tuple[Any, ...] = (
                row.name.casefold(),
                (_STANDING_ORDER[row.standing], row.name.casefold()),
                _date_key(row.since),
                _date_key(row.signed),
                row.consent.label if row.consent else "~",
                (row.group or "~", row.name.casefold()),
                (row.sub_region or row.region or "~", row.name.casefold()),
            )
            return keys[column]
        if role == Qt.ItemDataRole.FontRole and row.own:
            font = QFont()
            font.setBold(True)
            return font
        return None

    def row_of(self, code: str) -> int:
        """The row showing ``code`` (in the model's order), or -1."""
        return next((n for n, r in enumerate(self._rows) if r.code == code), -1)


class LobbyingTableModel(RowsTableModel[LobbyingLine]):
    """The states to lobby: party to one instrument since when, and where they stand
    under the other."""

    headers = ("State", "Party since", "Standing", "Signed")

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = self._rows[index.row()], index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            cells = (
                row.name,
                _date(row.party_since) + (" (listed)" if row.party_undated else ""),
                row.other_words,
                _date(row.other_signed),
            )
            return cells[column]
        if role == SORT_ROLE:
            keys: tuple[Any, ...] = (
                row.name.casefold(),
                _date_key(row.party_since),
                (_STANDING_ORDER[row.other], row.name.casefold()),
                _date_key(row.other_signed),
            )
            return keys[column]
        return None


def _sortable(model: RowsTableModel[Any]) -> QSortFilterProxyModel:
    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(model)
    proxy.setSortRole(SORT_ROLE)
    return proxy


def _narrow(combo: QComboBox, letters: int) -> None:
    """Long names (an amendment's, a sub-region's) are read whole in the open list and
    the tooltip: the combo itself stays narrow enough for a 1024-pixel window."""
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(letters)


def _fill_regions(combo: QComboBox, everything: str | None) -> None:
    """The regions to choose from: the UN groups, then M49 regions and their parts."""
    combo.clear()
    if everything is not None:
        combo.addItem(everything, None)
    kind = ""
    for region in geography().regions:
        if region.kind != kind and combo.count():
            combo.insertSeparator(combo.count())
        kind = region.kind
        indent = {"group": "", "region": "", "sub_region": "   ", "intermediate": "      "}
        combo.addItem(f"{indent[kind]}{region.label}", region.key)
        combo.setItemData(
            combo.count() - 1, f"{region.label}: {_KIND_WORDS[kind]}", Qt.ItemDataRole.ToolTipRole
        )


class _MapColumn(QWidget):
    """The map over the chart: the map as high as its width asks, the chart the rest."""

    def __init__(self, map_view: WorldMapView):
        super().__init__()
        self._map_view = map_view

    def resizeEvent(self, event: QResizeEvent) -> None:
        wanted = self._map_view.heightForWidth(self.width())
        self._map_view.setFixedHeight(min(wanted, max(self.height() * 2 // 3, 160)))
        super().resizeEvent(event)


class UniversalizationView(QWidget):
    """The Universalization page of an open desk."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._desk: Desk | None = None
        self._shown: Universalization | None = None
        self._lobbying: Lobbying | None = None

        # -- what is shown ---------------------------------------------------------------
        self.instrument_combo = QComboBox()
        self.instrument_combo.setAccessibleName("Instrument")
        self.as_of_edit = QDateEdit()
        self.as_of_edit.setAccessibleName("As of")
        self.as_of_edit.setCalendarPopup(True)
        self.as_of_edit.setDisplayFormat("d MMM yyyy")
        self.region_combo = QComboBox()
        self.region_combo.setAccessibleName("Region")
        self.region_combo.setAccessibleDescription(
            "Show only the states of a UN regional group or an M49 region"
        )
        _fill_regions(self.region_combo, "All states")
        # Long names (an amendment's, a sub-region's) are read whole in the list and
        # the tooltip: the row above the map stays narrow enough for 1024 pixels.
        _narrow(self.instrument_combo, 14)
        _narrow(self.region_combo, 16)
        self.summits_check = QCheckBox("Took part in the &summits")
        self.summits_check.setAccessibleName("Only states that took part in the summits")
        self.summits_check.setToolTip(
            "The 53 states at one or more of the Nuclear Security Summits (2010–2016)"
        )

        self.summary = text_label()
        self.summary.setAccessibleName("Summary")
        self.own_place = text_label()
        self.own_place.setAccessibleName("Our state's place")
        self.count_note = note_label()

        # -- the map and the chart ------------------------------------------------------
        self.map_view = WorldMapView()
        self.map_view.set_map(world_map())
        self.map_view.state_activated.connect(self.show_state)
        self.chart = StepChart()
        self.chart.setAccessibleName("Party count over time")

        # -- the table of states --------------------------------------------------------
        self.states_model = StatesTableModel()
        self.states_proxy = _sortable(self.states_model)
        self.table = list_table(
            self.states_proxy,
            name="States and their standing",
            samples={
                1: "Signatory only",
                2: "30 Jun 2010",
                3: "30 Jun 2010",
                4: "Ratification",
                5: "Latin America & Caribbean",
            },
            stretch=0,
            single_selection=True,
        )
        self._sortable_table(self.table)
        self.table.setAccessibleDescription(
            "Every state's standing under the instrument: the facts the map shows"
        )

        # -- the lobbying list ----------------------------------------------------------
        self.party_to_combo = QComboBox()
        self.party_to_combo.setAccessibleName("Party to")
        self.not_party_to_combo = QComboBox()
        self.not_party_to_combo.setAccessibleName("But not party to")
        self.lobby_region_combo = QComboBox()
        self.lobby_region_combo.setAccessibleName("In region")
        _fill_regions(self.lobby_region_combo, None)
        for combo in (self.party_to_combo, self.not_party_to_combo, self.lobby_region_combo):
            _narrow(combo, 12)
        self.lobbying_model = LobbyingTableModel()
        self.lobbying_proxy = _sortable(self.lobbying_model)
        self.lobbying_table = list_table(
            self.lobbying_proxy,
            name="States to lobby",
            samples={1: "30 Jun 2010 (listed)", 2: "Signatory only", 3: "30 Jun 2010"},
            stretch=0,
        )
        self._sortable_table(self.lobbying_table)
        self.lobbying_heading = text_label()
        self.lobbying_note = note_label()

        self._lay_out()
        for combo in (self.instrument_combo, self.region_combo):
            combo.activated.connect(lambda *_: self.refresh())
        self.summits_check.toggled.connect(lambda *_: self._show_filtered())
        self.as_of_edit.dateChanged.connect(lambda *_: self.refresh())
        for combo in (self.party_to_combo, self.not_party_to_combo, self.lobby_region_combo):
            combo.activated.connect(lambda *_: self.refresh_lobbying())

    @staticmethod
    def _sortable_table(table: QTableView) -> None:
        table.setSortingEnabled(True)
        table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        header = table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(0, table.fontMetrics().horizontalAdvance("Bosnia and Herzegov"))
        header.setStretchLastSection(True)
        table.setTabKeyNavigation(False)  # Tab leaves the table, as a screen-reader user expects
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)

    def _lay_out(self) -> None:
        filters = QHBoxLayout()
        for label, widget in (
            ("&Instrument", self.instrument_combo),
            ("As o&f", self.as_of_edit),
            ("&Region", self.region_combo),
        ):
            filters.addWidget(buddy(label, widget))
            filters.addWidget(widget)
            filters.addSpacing(8)
        filters.addWidget(self.summits_check)
        filters.addStretch(1)

        left = _MapColumn(self.map_view)
        left_column = QVBoxLayout(left)
        left_column.setContentsMargins(0, 0, 0, 0)
        left_column.addWidget(self.map_view)
        left_column.addWidget(self.chart, 1)

        lobby = QWidget()
        lobby_column = QVBoxLayout(lobby)
        lobby_row = QHBoxLayout()
        for label, widget in (
            ("&Party to", self.party_to_combo),
            ("&but not to", self.not_party_to_combo),
        ):
            lobby_row.addWidget(buddy(label, widget))
            lobby_row.addWidget(widget, 1)
        region_row = QHBoxLayout()
        region_row.addWidget(buddy("i&n", self.lobby_region_combo))
        region_row.addWidget(self.lobby_region_combo, 1)
        lobby_column.addLayout(lobby_row)
        lobby_column.addLayout(region_row)
        lobby_column.addWidget(self.lobbying_heading)
        lobby_column.addWidget(self.lobbying_table, 1)
        lobby_column.addWidget(self.lobbying_note)

        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.table, "&States")
        self.tabs.addTab(lobby, "&Lobbying list")

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(left)
        splitter.addWidget(self.tabs)
        splitter.setStretchFactor(0, 5)
        splitter.setStretchFactor(1, 4)
        # The table needs its columns as much as the map its width: about half each
        # (the map asks for more than that by its size hint alone).
        splitter.setSizes([500, 460])
        self.splitter = splitter

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(filters)
        layout.addWidget(self.summary)
        layout.addWidget(self.own_place)
        layout.addWidget(self.count_note)
        layout.addWidget(splitter, 1)

    # -- the desk ------------------------------------------------------------------------
    def set_desk(self, desk: Desk, as_of: date) -> None:
        """Show ``desk`` as of ``as_of``: CPPNM first, every state, and the lobbying list
        for the own state's regional group."""
        self._desk = desk
        choices = instrument_choices(desk)
        for combo in (self.instrument_combo, self.party_to_combo, self.not_party_to_combo):
            kept = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            for choice in choices:
                combo.addItem(choice.short_name, choice.code)
                combo.setItemData(combo.count() - 1, choice.name, Qt.ItemDataRole.ToolTipRole)
            choose(combo, kept)
            combo.blockSignals(False)
        if self.party_to_combo.currentData() is None or not self._lobbying:
            choose(self.party_to_combo, DEFAULT_PARTY_TO)
            choose(self.not_party_to_combo, DEFAULT_NOT_PARTY_TO)
            own = default_region(geography(), desk.info().own_state_code)
            if own is not None:
                choose(self.lobby_region_combo, own.key)
        self.as_of_edit.blockSignals(True)
        self.as_of_edit.setDate(QDate(as_of.year, as_of.month, as_of.day))
        self.as_of_edit.blockSignals(False)
        self.refresh()

    def as_of(self) -> date:
        """The day the page shows."""
        day = self.as_of_edit.date()
        return date(day.year(), day.month(), day.day())

    def region(self) -> Region | None:
        """The region the states are filtered to (None: all)."""
        key = self.region_combo.currentData()
        return geography().region(key) if key else None

    def set_region(self, key: str | None) -> None:
        """Filter to the region ``key`` (None: all states)."""
        choose(self.region_combo, key)
        self._show_filtered()

    def set_instrument(self, code: str) -> None:
        """Show the instrument ``code``."""
        choose(self.instrument_combo, code)
        self.refresh()

    def refresh(self) -> None:
        """Read the chosen instrument on the chosen day again, and the lobbying list."""
        if self._desk is None or self.instrument_combo.currentData() is None:
            return
        self._shown = load_universalization(
            self._desk, self.instrument_combo.currentData(), self.as_of()
        )
        self._show_filtered()
        self._show_chart()
        self.refresh_lobbying()

    def _show_filtered(self) -> None:
        shown = self._shown
        if shown is None:
            return
        region = self.region()
        summits = self.summits_check.isChecked()
        lines = shown.filtered(region, summits)
        self.states_model.set_rows(lines)
        self.tabs.setTabText(0, f"&States ({len(lines)})")
        counted = tally(lines)
        organisations = ", ".join(s.name for s in lines if s.kind is not PartyKind.STATE)
        where = region.label if region else "all states"
        if summits:
            where += ", the summits' participants"
        name = shown.instrument.short_name
        self.summary.setText(
            f"{name} on {_day(shown.day)}, "
            f"{where}: {counted.parties:,} parties, {counted.signatories:,} signatories only, "
            f"{counted.outside:,} {OUTSIDE_WORDS} (of {counted.total:,} states)"
            + (f"; {organisations} listed as well" if organisations else "")
            + "."
        )
        self._show_own(shown, region)
        latest = shown.latest_count()
        listed = tally(shown.states).parties
        self.count_note.setText(completeness_words(listed, latest, name))
        filtered = frozenset(s.code for s in lines) if (region or summits) else None
        self.map_view.set_standings(
            {s.code: s.standing for s in shown.states},
            {s.code: s.name for s in shown.states},
            shown=filtered,
            own=shown.own_code,
            description=(
                f"World map of {name} on {_day(shown.day)}, {where}: "
                f"{counted.parties:,} parties, {counted.signatories:,} signatories only, "
                f"{counted.outside:,} {OUTSIDE_WORDS}. The States tab lists each state."
            ),
        )

    def _show_own(self, shown: Universalization, region: Region | None) -> None:
        own = shown.own
        if own is None:
            self.own_place.setText("")
            return
        said = f"{own.name} (our state): {own.standing.label.lower()}"
        if own.since is not None and own.standing is not Standing.OUTSIDE:
            said += f" since {own.since.display()}"
        if own.consent is not None and own.standing is Standing.PARTY:
            said += f" ({own.consent.label.lower()})"
        group = geography().group_of(own.code)
        if group is not None:
            in_group = tally(shown.filtered(group))
            said += (
                f". In the {group.label}: {in_group.parties} of {in_group.total} party, "
                f"{in_group.signatories} signatories only"
            )
        self.own_place.setText(said + ".")

    def _show_chart(self) -> None:
        shown = self._shown
        if shown is None:
            return
        counts = tuple(
            (c.snapshot_date.earliest(), c.parties)
            for c in shown.counts
            if c.snapshot_date is not None and c.parties is not None
        )
        listed = tuple((p.day, p.parties) for p in shown.listed_over_time)
        self.chart.set_series(
            [
                Series("Dated counts (sources)", counts, dots=True),
                Series("Listed in the desk", listed),
            ],
            marker=shown.day,
        )

    def refresh_lobbying(self) -> None:
        """Read the lobbying list for the instruments and region chosen."""
        if self._desk is None:
            return
        party_to = self.party_to_combo.currentData()
        not_party_to = self.not_party_to_combo.currentData()
        if party_to is None or not_party_to is None:
            return
        found = load_lobbying(
            self._desk, self.as_of(), party_to, not_party_to, self.lobby_region_combo.currentData()
        )
        self._lobbying = found
        self.lobbying_model.set_rows(list(found.lines))
        self.lobbying_heading.setText(
            lobbying_words(found) + " Standing and Signed: under the other."
        )
        self.lobbying_note.setText(
            completeness_words(
                found.listed_parties, found.latest_count, found.not_party_to.short_name
            )
        )

    @property
    def lobbying(self) -> Lobbying | None:
        """The lobbying list shown."""
        return self._lobbying

    @property
    def shown(self) -> Universalization | None:
        """The instrument's view shown."""
        return self._shown

    # -- going places -------------------------------------------------------------------
    def show_state(self, code: str) -> None:
        """Select the state ``code`` in the table (a click on the map)."""
        row = self.states_model.row_of(code)
        if row < 0:
            return
        self.tabs.setCurrentIndex(0)
        index = self.states_proxy.mapFromSource(self.states_model.index(row, 0))
        self.table.selectRow(index.row())
        self.table.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)

    def selected_state(self) -> str | None:
        """The code of the state selected in the table."""
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        source: QModelIndex = self.states_proxy.mapToSource(rows[0])
        return self.states_model.row_at(source.row()).code


def _day(value: date) -> str:
    return f"{value.day} {value.strftime('%b')} {value.year}"
