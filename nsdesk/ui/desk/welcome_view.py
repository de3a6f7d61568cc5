"""The first-run screen, shown while no desk is open: create a desk for a state,
open a desk, open the demo, or pick one of the recent desks.

It only asks; the window's flows (:mod:`nsdesk.ui.desk.desk_flow`) do the work when
its signals arrive. Everything works from the keyboard: type part of a state's
name (or its code) to narrow the list, Down to move into it, Enter to create.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QEvent, QModelIndex, QObject, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QKeyEvent, QPalette, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from nsdesk import locations
from nsdesk.domain.location import DeskLocation
from nsdesk.domain.private_files import make_private_folders
from nsdesk.services.setup.new_desk import state_choices
from nsdesk.ui.widgets.dialog_style import heading_label, note_label, text_label

DESK_SUFFIX = ".nsdesk"
_ISO3 = Qt.ItemDataRole.UserRole
_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


def desk_file_name(state_name: str) -> str:
    """The file name proposed for a new desk of ``state_name``."""
    cleaned = "".join(c if c.isalnum() or c in " -_" else " " for c in state_name)
    return "-".join(cleaned.split()) + DESK_SUFFIX


class StateFilter(QSortFilterProxyModel):
    """The states whose name or code holds what was typed, the closest first: the
    code itself ("nor": Norway, NOR), the name itself, a name that starts with it,
    a word of the name that starts with it, then the rest; alphabetical within each."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self._typed = ""

    def set_text(self, text: str) -> None:
        """List the states matching ``text``, the closest first."""
        self._typed = text.strip().casefold()
        self.setFilterFixedString(text.strip())
        self.invalidate()
        self.sort(0)

    def rank(self, row: int) -> int:
        """How closely the state in source ``row`` matches what was typed (0: best)."""
        typed = self._typed
        if not typed:
            return 0
        index = self.sourceModel().index(row, 0)
        code = str(index.data(_ISO3) or "").casefold()
        name = str(index.data() or "").casefold().removesuffix(f" ({code})")
        if typed == code:
            return 0
        if typed == name:
            return 1
        if name.startswith(typed):
            return 2
        if any(word.startswith(typed) for word in name.replace("-", " ").split()):
            return 3
        return 4

    def lessThan(self, left: QModelIndex, right: QModelIndex) -> bool:
        return (self.rank(left.row()), left.row()) < (self.rank(right.row()), right.row())


class WelcomeView(QWidget):
    """Create a desk for a state (searchable list), open a desk, open the demo, or
    open a recent desk. ``states`` are ``(ISO3, name)`` pairs (all of ISO 3166 by
    default)."""

    create_requested = Signal(str, str, object)
    """Create a desk: the state's ISO3, the delegation ("" for none), the chosen Path."""
    open_requested = Signal()
    """The user wants to choose a desk file to open."""
    recent_requested = Signal(object)
    """Open this recent desk (a Path, or a shared register's ServerAddress)."""
    demo_requested = Signal()
    """Open the demo desk (made first if there is none)."""

    def __init__(
        self, states: Sequence[tuple[str, str]] | None = None, parent: QWidget | None = None
    ):
        super().__init__(parent)
        if states is None:
            states = state_choices()
        self.states = QStandardItemModel(self)
        for code, name in states:
            item = QStandardItem(f"{name} ({code})")
            item.setData(code, _ISO3)
            item.setEditable(False)
            self.states.appendRow(item)
        self.filtered = StateFilter(self)
        self.filtered.setSourceModel(self.states)

        heading = heading_label("Welcome to nsdesk")
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)  # the screen's title, not a dialog's
        heading.setFont(font)
        intro = text_label(
            "A desk keeps one state's nuclear-security commitments, their history and "
            "deadlines, in one file on this laptop. Create one for your state, open one "
            "you already have, or look around the demo desk first."
        )

        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText("Type to find a state, e.g. neth or NLD")
        self.filter_edit.setAccessibleName("Find a state")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self._filter)
        self.filter_edit.installEventFilter(self)
        self.state_list = QListView()
        self.state_list.setModel(self.filtered)
        self.state_list.setAccessibleName("States")
        self.state_list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.state_list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.state_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.state_list.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.state_list.selectionModel().currentChanged.connect(lambda *_: self._update())
        # Not ``activated``: on desktops that activate on a single click, choosing
        # a state would already open the save dialog.
        self.state_list.doubleClicked.connect(lambda _index: self.request_create())
        self.state_list.installEventFilter(self)
        self.delegation_edit = QLineEdit()
        self.delegation_edit.setPlaceholderText("e.g. Delegation of the Netherlands")
        self.delegation_edit.setAccessibleName("Delegation (optional)")
        self.delegation_edit.returnPressed.connect(self.request_create)
        self.create_button = QPushButton("&Create desk…")
        self.create_button.setAccessibleDescription("Choose where to save the new desk")
        self.create_button.clicked.connect(self.request_create)
        self.chosen_label = note_label("Choose your state in the list.")
        self.chosen_label.setAccessibleName("State chosen")

        state_label = QLabel("&State")
        state_label.setBuddy(self.filter_edit)
        delegation_label = QLabel("De&legation (optional)")
        delegation_label.setBuddy(self.delegation_edit)
        create_box = QGroupBox("Create a desk")
        create = QVBoxLayout(create_box)
        create.addWidget(state_label)
        create.addWidget(self.filter_edit)
        create.addWidget(self.state_list, 1)
        create.addWidget(delegation_label)
        create.addWidget(self.delegation_edit)
        create.addWidget(self.chosen_label)
        create.addWidget(self.create_button, 0, Qt.AlignmentFlag.AlignLeft)

        self.open_button = QPushButton("&Open a desk…")
        self.open_button.clicked.connect(lambda: self.open_requested.emit())
        self.demo_button = QPushButton("Open the &demo")
        self.demo_button.setAccessibleDescription(
            "A desk for the Netherlands filled with illustrative content, marked DEMO"
        )
        self.demo_button.clicked.connect(lambda: self.demo_requested.emit())
        demo_note = note_label(
            "The demo is a desk for the Netherlands with invented content, marked DEMO "
            "everywhere. Change anything in it: it is yours to try things on."
        )
        self.recent_list = QListWidget()
        self.recent_list.setAccessibleName("Recent desks")
        self.recent_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.recent_list.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.recent_list.setSpacing(2)
        self.recent_list.itemActivated.connect(self._open_recent)
        recent_label = QLabel("&Recent desks")
        recent_label.setBuddy(self.recent_list)
        self.no_recent_label = note_label("Desks you open will be listed here.")
        open_box = QGroupBox("Open a desk")
        opening = QVBoxLayout(open_box)
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.demo_button)
        buttons.addStretch(1)
        opening.addLayout(buttons)
        opening.addWidget(demo_note)
        opening.addSpacing(8)
        opening.addWidget(recent_label)
        opening.addWidget(self.recent_list, 100)
        opening.addWidget(self.no_recent_label)
        opening.addStretch(1)  # keeps the box's contents at the top while the list is hidden

        columns = QHBoxLayout()
        columns.setSpacing(18)
        columns.addWidget(create_box, 1)
        columns.addWidget(open_box, 1)
        content = QWidget()
        content.setMaximumWidth(1000)  # centred on a wide screen, not stretched across it
        inner = QVBoxLayout(content)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.addWidget(heading)
        inner.addWidget(intro)
        inner.addSpacing(12)
        inner.addLayout(columns, 1)
        outer = QHBoxLayout(self)
        outer.setContentsMargins(32, 28, 32, 28)
        outer.addStretch(1)
        outer.addWidget(content, 20)
        outer.addStretch(1)

        order = (
            self.filter_edit,
            self.state_list,
            self.delegation_edit,
            self.create_button,
            self.open_button,
            self.demo_button,
            self.recent_list,
        )
        for first, second in itertools.pairwise(order):
            QWidget.setTabOrder(first, second)
        self.setFocusProxy(self.filter_edit)
        self.set_recent_desks([])
        self._update()

    # -- the state -------------------------------------------------------------------
    def chosen_state(self) -> tuple[str, str] | None:
        """The ISO3 code and name of the state chosen in the list, if any."""
        index = self.state_list.currentIndex()
        if not index.isValid():
            return None
        code = index.data(_ISO3)
        return code, index.data().removesuffix(f" ({code})")

    def _filter(self, text: str) -> None:
        self.filtered.set_text(text)
        # The closest state listed is chosen, so that "neth" (or "nor") then Enter
        # creates a desk for the Netherlands (Norway).
        if self.filtered.rowCount():
            self.state_list.setCurrentIndex(self.filtered.index(0, 0))
        else:
            self.state_list.setCurrentIndex(QModelIndex())
        self._update()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return super().eventFilter(watched, event)
        key = event.key()
        if watched is self.state_list and key in _ENTER:
            self.request_create()
            return True
        if watched is self.filter_edit:
            if key in (Qt.Key.Key_Down, Qt.Key.Key_PageDown) and self.filtered.rowCount():
                if not self.state_list.currentIndex().isValid():
                    self.state_list.setCurrentIndex(self.filtered.index(0, 0))
                self.state_list.setFocus(Qt.FocusReason.OtherFocusReason)
                return True
            if key in _ENTER:
                self.request_create()
                return True
        return super().eventFilter(watched, event)

    def _update(self) -> None:
        chosen = self.chosen_state()
        self.create_button.setEnabled(chosen is not None)
        if chosen is not None:
            self.chosen_label.setText(f"A desk for {chosen[1]} ({chosen[0]}).")
        elif self.filtered.rowCount() == 0:
            self.chosen_label.setText("No state matches; try part of its name or its code.")
        else:
            self.chosen_label.setText("Choose your state in the list.")

    def request_create(self) -> None:
        """Ask where to save a desk for the chosen state; say so if one was chosen."""
        chosen = self.chosen_state()
        if chosen is None:
            self.filter_edit.setFocus()
            return
        code, name = chosen
        folder = locations.desks_dir()
        try:
            make_private_folders(folder)  # where new desks are proposed: owner-only
        except OSError:
            folder = Path.home()
        text, _ = QFileDialog.getSaveFileName(
            self,
            f"Create a desk for {name}",
            str(folder / desk_file_name(name)),
            "nsdesk desks (*.nsdesk)",
        )
        if not text:
            return
        path = Path(text)
        if path.suffix.lower() != DESK_SUFFIX:
            path = path.with_name(path.name + DESK_SUFFIX)
        self.create_requested.emit(code, self.delegation_edit.text().strip(), path)

    # -- recent desks ----------------------------------------------------------------
    def set_recent_desks(self, paths: Sequence[DeskLocation]) -> None:
        """List ``paths`` (most recent first: desk files and shared registers); a
        desk whose file is missing is shown greyed, still listed in case its drive
        is only unplugged."""
        self.recent_list.clear()
        grey = self.palette().color(QPalette.ColorRole.PlaceholderText)
        for path in paths:
            if not isinstance(path, Path):  # a shared register: nothing to look for
                item = QListWidgetItem(f"{path.name}\nregister on {path.register}")
                item.setData(Qt.ItemDataRole.UserRole, path)
                item.setToolTip(str(path))
                self.recent_list.addItem(item)
                continue
            missing = not path.exists()
            where = f"{path.parent}  (not found)" if missing else str(path.parent)
            item = QListWidgetItem(f"{path.name}\n{where}")
            item.setData(Qt.ItemDataRole.UserRole, path)
            item.setToolTip(f"{path}\n(the file is not there now)" if missing else str(path))
            if missing:
                item.setForeground(grey)
            self.recent_list.addItem(item)
        if paths:
            self.recent_list.setCurrentRow(0)
        self.recent_list.setVisible(bool(paths))
        self.no_recent_label.setVisible(not paths)

    def _open_recent(self, item: QListWidgetItem) -> None:
        self.recent_requested.emit(item.data(Qt.ItemDataRole.UserRole))
