"""An open desk on screen: the banner, the navigation and its pages.

Pages: Dashboard, Commitments, Gift baskets, Instruments, Events & documents,
Agencies, Reporting, Baselines, History and Universalization (who else has joined
the instruments, on a map). A page that lists several kinds
(events, documents and deadlines) shows them as tabs. Each register reads its
rows when first shown and keeps its filter and selection while the user goes
elsewhere.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from nsdesk.domain.location import DeskLocation
from nsdesk.services.overview.dashboard import load_dashboard
from nsdesk.services.overview.progress import baseline_choices, default_baseline, progress_since
from nsdesk.services.records.followed_changes import FollowedChanges
from nsdesk.services.records.history import load_history
from nsdesk.services.records.locate import locate
from nsdesk.services.records.register_rows import RegisterFilter
from nsdesk.services.records.registers import REGISTERS
from nsdesk.ui.workspace.dashboard_view import DashboardView
from nsdesk.ui.workspace.desk_banner import DeskBanner

if TYPE_CHECKING:
    from collections.abc import Sequence

    from PySide6.QtCore import QByteArray

    from nsdesk.ui.records.desk_data import DeskData
    from nsdesk.ui.records.details.detail_panel import DetailPanel
    from nsdesk.ui.records.register_view import PanelFactory, RegisterView
    from nsdesk.ui.settings import AppSettings
    from nsdesk.ui.universalization.universalization_view import UniversalizationView
    from nsdesk.ui.workspace.history_view import HistoryLoader, HistoryView

# The register views, their detail panels and the reads behind those, and the history
# (~50 ms of imports) are imported when their page is first shown, not before the
# desk's first sight: hence the imports inside the five factories, _build_registers
# and history_view below.


def _commitment_panel(data: DeskData) -> DetailPanel:
    from nsdesk.services.records.details.commitment import commitment_detail  # lazy: see above
    from nsdesk.ui.records.details.commitment_panel import CommitmentDetailPanel

    return CommitmentDetailPanel(
        data.actions, lambda key: commitment_detail(data.desk, key, as_of=data.as_of)
    )


def _gift_basket_panel(data: DeskData) -> DetailPanel:
    from nsdesk.services.records.details.gift_basket import gift_basket_detail  # lazy: see above
    from nsdesk.ui.records.details.gift_basket_panel import GiftBasketDetailPanel

    return GiftBasketDetailPanel(data.actions, lambda key: gift_basket_detail(data.desk, key))


def _instrument_panel(data: DeskData) -> DetailPanel:
    from nsdesk.services.records.details.instrument import instrument_detail  # lazy: see above
    from nsdesk.ui.records.details.instrument_panel import InstrumentDetailPanel

    return InstrumentDetailPanel(
        data.actions, lambda key: instrument_detail(data.desk, key, as_of=data.as_of)
    )


def _agency_panel(data: DeskData) -> DetailPanel:
    from nsdesk.services.records.details.agency import agency_detail  # lazy: see above
    from nsdesk.ui.records.details.agency_panel import AgencyDetailPanel

    return AgencyDetailPanel(data.actions, lambda key: agency_detail(data.desk, key))


def _baseline_panel(data: DeskData) -> DetailPanel:
    from nsdesk.ui.records.details.baseline_panel import BaselineDetailPanel  # lazy: see above

    return BaselineDetailPanel(
        data.actions, lambda key: progress_since(data.desk, key, as_of=data.as_of)
    )


#: The pages in navigation order: (name, label, the registers it shows as tabs).
PAGES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("dashboard", "Dashboard", ()),
    ("commitments", "Commitments", ("commitments",)),
    ("gift_baskets", "Gift baskets", ("gift_baskets", "action_items")),
    ("instruments", "Instruments", ("instruments", "parties")),
    ("events", "Events & documents", ("events", "documents", "deadlines")),
    ("agencies", "Agencies", ("agencies", "themes")),
    ("reporting", "Reporting", ("reporting",)),
    ("baselines", "Baselines", ("baselines",)),
    ("history", "History", ()),
    ("universalization", "Universalization", ()),
)
#: The kinds whose change moves a standing or a count the Universalization page shows.
_STANDING_KINDS = frozenset(
    {"participation", "milestone", "membership_snapshot", "instrument", "party"}
)
_PANELS: dict[str, PanelFactory] = {
    "commitments": _commitment_panel,
    "gift_baskets": _gift_basket_panel,
    "instruments": _instrument_panel,
    "agencies": _agency_panel,
    "baselines": _baseline_panel,
}


class DeskWorkspace(QWidget):
    """Banner, navigation list and pages of one open desk."""

    status_message = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.data: DeskData | None = None
        self._dashboard_stale = False
        self.banner = DeskBanner()
        self.navigation = QListWidget()
        self.navigation.setAccessibleName("Sections")
        self.navigation.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.pages = QStackedWidget()
        #: The register views built so far (a page's views are built when first shown).
        self.registers: dict[str, RegisterView] = {}
        self._page_of_register: dict[str, int] = {}
        self._page_index: dict[str, int] = {}
        # page → the registers it will show, and the layout of the page that will hold them
        self._unbuilt: dict[int, tuple[tuple[str, ...], QVBoxLayout]] = {}
        self._tabs: dict[int, QTabWidget] = {}
        self._saved_layouts: dict[str, dict[str, QByteArray]] = {}
        self._dashboard: DashboardView | None = None
        self._history_view: HistoryView | None = None
        self._history_page = -1
        self._history_layout: QVBoxLayout | None = None
        self._universalization: UniversalizationView | None = None
        self._universalization_page = -1
        self._universalization_layout: QVBoxLayout | None = None
        for number, (name, label, registers) in enumerate(PAGES):
            item = QListWidgetItem(label)
            item.setToolTip(f"{label} (Ctrl+{(number + 1) % 10})")
            self.navigation.addItem(item)
            self._page_index[name] = self.pages.addWidget(self._build_page(name, registers))
        width = max(self.navigation.sizeHintForColumn(0), 120) + 24
        self.navigation.setFixedWidth(width)
        self.navigation.currentRowChanged.connect(self._page_shown)
        self.navigation.setCurrentRow(0)
        body = QHBoxLayout()
        body.addWidget(self.navigation)
        body.addWidget(self.pages, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(body, 1)

    def _build_page(self, name: str, registers: tuple[str, ...]) -> QWidget:
        if name == "dashboard":
            self._dashboard = DashboardView()
            self._dashboard.filter_requested.connect(self.open_register)
            self._dashboard.record_requested.connect(self.open_register_record)
            self._dashboard.baseline_chosen.connect(self._show_progress)
            return self._dashboard
        # A register page, and the history, is filled when first shown: building a dozen
        # registers with their editors and panels would delay the first sight of the desk.
        number = self.pages.count()
        if name == "history":
            self._history_page = number
        elif name == "universalization":
            self._universalization_page = number
        else:
            for register in registers:
                self._page_of_register[register] = number
        holder = QWidget()
        layout = QVBoxLayout(holder)
        layout.setContentsMargins(0, 0, 0, 0)
        if name == "history":
            self._history_layout = layout
        elif name == "universalization":
            self._universalization_layout = layout
        else:
            self._unbuilt[number] = (registers, layout)
        return holder

    def _build_registers(self, number: int) -> None:
        """Fill page ``number`` with its register views (once)."""
        unbuilt = self._unbuilt.pop(number, None)
        if unbuilt is None:
            return
        registers, layout = unbuilt
        from nsdesk.ui.records.register_view import RegisterView  # lazy: see the top

        views = []
        for register in registers:
            view = RegisterView(REGISTERS[register], panel_factory=_PANELS.get(register))
            view.status_message.connect(self.status_message)
            view.record_requested.connect(self.open_register_record)
            if register in self._saved_layouts:
                view.restore_layout(self._saved_layouts.pop(register))
            if self.data is not None:
                view.set_data(self.data)
            self.registers[register] = view
            views.append(view)
        if len(views) == 1:
            layout.addWidget(views[0])
            return
        tabs = QTabWidget()
        tabs.setDocumentMode(True)
        for register, view in zip(registers, views, strict=True):
            tabs.addTab(view, REGISTERS[register].title)
        self._tabs[number] = tabs
        layout.addWidget(tabs)

    @property
    def history_view(self) -> HistoryView:
        """The history page's view, built when its page is first shown (or asked for)."""
        return self._build_history()

    def _build_history(self) -> HistoryView:
        if self._history_view is None:
            from nsdesk.ui.workspace.history_view import HistoryView  # lazy: see the top

            self._history_view = HistoryView()
            self._history_view.record_requested.connect(self.open_record)
            if self.data is not None:
                self._history_view.set_loader(self._history_loader(self.data))
            assert self._history_layout is not None  # made with the pages, before any showing
            self._history_layout.addWidget(self._history_view)
        return self._history_view

    @property
    def universalization_view(self) -> UniversalizationView:
        """The Universalization page's view, built (and filled) when its page is first
        shown or asked for."""
        if self._universalization is None:
            # lazy: the map's outlines and the regions are read when the page is first shown
            from nsdesk.ui.universalization.universalization_view import UniversalizationView

            self._universalization = UniversalizationView()
            assert self._universalization_layout is not None  # made with the pages
            self._universalization_layout.addWidget(self._universalization)
            if self.data is not None:
                self._universalization.set_desk(self.data.desk, self.data.as_of)
        return self._universalization

    @property
    def dashboard(self) -> DashboardView:
        assert self._dashboard is not None
        return self._dashboard

    # -- the desk ---------------------------------------------------------------------
    def show_desk(
        self,
        data: DeskData,
        path: DeskLocation,
        *,
        warnings: Sequence[str] = (),
        read_only_reason: str | None = None,
    ) -> None:
        """Show ``data``'s desk, from the dashboard."""
        self.data = data
        self.banner.show_desk(
            path,
            data.info(),
            read_only=data.read_only,
            read_only_reason=read_only_reason,
            warnings=warnings,
        )
        self.refresh_dashboard(now=True)
        for view in self.registers.values():
            view.set_data(data)
        if self._history_view is not None:
            self._history_view.set_loader(self._history_loader(data))
        if self._universalization is not None:
            self._universalization.set_desk(data.desk, data.as_of)

    @staticmethod
    def _history_loader(data: DeskData) -> HistoryLoader:
        return lambda **asked: load_history(data.desk, **asked)

    def refresh_dashboard(self, *, now: bool = False) -> None:
        """Read the dashboard again if it is on screen (or ``now``), else when it is
        next shown: at archive scale it reads every commitment, not a cost for each edit."""
        if self.data is None:
            return
        if not now and not self.dashboard.isVisible():
            self._dashboard_stale = True
            return
        self._dashboard_stale = False
        self.dashboard.show_dashboard(load_dashboard(self.data.desk, as_of=self.data.as_of))
        self._show_progress(self.dashboard.chosen_baseline())

    def _show_progress(self, baseline: str | None) -> None:
        """The dashboard's progress since ``baseline`` (a UUID), or since the latest
        frozen by the day shown when none was chosen (or the one chosen is gone)."""
        if self.data is None:
            return
        desk, day = self.data.desk, self.data.as_of
        choices = baseline_choices(desk)
        chosen = next((c for c in choices if c.uuid == baseline), None)
        chosen = chosen or default_baseline(choices, day) or next(iter(choices), None)
        progress = progress_since(desk, chosen.uuid, day) if chosen is not None else None
        self.dashboard.show_progress(choices, progress)

    def records_changed(self, kinds: frozenset[str], focus: tuple[str, str] | None) -> None:
        """After an edit, undo or redo: every page reads again what it shows of ``kinds``."""
        if self.data is None:
            return
        self.data.forget(kinds)
        for view in self.registers.values():
            view.records_changed(kinds, focus)
        self.refresh_dashboard()
        if self._history_view is not None:
            self._history_view.records_changed()
        if self._universalization is not None and kinds & _STANDING_KINDS:
            self._universalization.refresh()

    # -- going places ----------------------------------------------------------------------
    def show_page(self, name: str) -> None:
        self.navigation.setCurrentRow(self._page_index[name])

    def _page_shown(self, number: int) -> None:
        if number == self._history_page:
            self._build_history()
        if number == self._universalization_page:
            _ = self.universalization_view
        self._build_registers(number)
        self.pages.setCurrentIndex(number)
        if PAGES[number][0] == "dashboard" and self._dashboard_stale:
            self.refresh_dashboard(now=True)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._dashboard_stale and self.current_page() == "dashboard":
            self.refresh_dashboard(now=True)

    def show_page_at(self, number: int) -> None:
        """Show the page in place ``number`` of the navigation (Ctrl+1 is 0)."""
        self.navigation.setCurrentRow(number)
        self.navigation.setFocus()

    def reload(self) -> None:
        """Read everything again from the desk (View ▸ Reload, F5)."""
        if self.data is None:
            return
        self.data.forget(REGISTERS.keys() | {d.kind for d in REGISTERS.values()})
        for view in self.registers.values():
            view.set_data(self.data)
        self.refresh_dashboard(now=True)
        if self._history_view is not None:
            self._history_view.records_changed()
        if self._universalization is not None:
            self._universalization.refresh()

    def follow(self, changes: FollowedChanges) -> None:
        """Other officers' changes (the desk watch): the rows they changed are read
        again where they are shown; what other records show of them, or anything
        that is not a record's own row, is read again whole (:meth:`reload`)."""
        if self.data is None:
            return
        if changes.everything:
            self.reload()
            return
        self.data.forget(changes.kinds)
        for view in self.registers.values():
            view.choices_changed(changes.kinds)  # a new commitment to link a deadline to…
            uuids = changes.records.get(view.definition.kind)
            if uuids:
                view.follow(uuids)
        self.refresh_dashboard()
        if self._history_view is not None:
            self._history_view.records_changed()

    def current_page(self) -> str:
        return PAGES[self.navigation.currentRow()][0]

    def current_register(self) -> RegisterView | None:
        """The register on screen (None on the dashboard and the history)."""
        number = self.pages.currentIndex()
        if number in self._tabs:
            page = self._tabs[number].currentWidget()
        else:
            names = PAGES[number][2]
            page = self.registers.get(names[0]) if names else None
        return next((view for view in self.registers.values() if view is page), None)

    def _bring_forward(self, register: str) -> RegisterView:
        number = self._page_of_register[register]
        self._build_registers(number)
        self.navigation.setCurrentRow(number)
        view = self.registers[register]
        if number in self._tabs:
            self._tabs[number].setCurrentWidget(view)
        return view

    def open_register(self, register: str, wanted: RegisterFilter | None = None) -> RegisterView:
        """Show ``register``, filtered as ``wanted`` when given."""
        view = self._bring_forward(register)
        if wanted is not None:
            view.apply_filter(wanted)
        return view

    def open_register_record(self, register: str, key: str) -> bool:
        """Show ``register`` with record ``key`` selected."""
        return self._bring_forward(register).select_key(key)

    def open_record(self, kind: str, key: str) -> bool:
        """Show the record ``key`` (a key or UUID) of ``kind`` where it is listed; a part
        of a record (a progress entry, a milestone) is shown with its owner."""
        if self.data is None:
            return False
        found = locate(self.data.desk, kind, key)
        if found is None:
            return False
        register, register_key = found
        return self.open_register_record(register, register_key)

    # -- layout ----------------------------------------------------------------------------
    def save_layout(self, settings: AppSettings) -> None:
        """Keep each register's columns and pane sizes, and the page shown."""
        settings.set_workspace_page(self.current_page())
        for name, view in self.registers.items():
            settings.set_register_layout(name, view.save_layout())

    def restore_layout(self, settings: AppSettings) -> None:
        """Give each register its saved columns and pane sizes (a register not built
        yet gets them when it is), and show the page shown when they were saved."""
        for name in REGISTERS:
            saved = settings.register_layout(name)
            if name in self.registers:
                self.registers[name].restore_layout(saved)
            elif saved:
                self._saved_layouts[name] = saved  # applied when the view is built
        page = settings.workspace_page()
        if page in self._page_index:
            self.show_page(page)
