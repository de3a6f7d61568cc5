"""Every action of the main window, its menu, its shortcut and its toolbar place,
declared in one table so that what the user can do and how is stated once.

Shortcuts are set by :meth:`WindowActions.add_shortcuts`, after the first paint
(the first shortcut wakes PySide6's Qt namespace, ~25 ms).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from shiboken6 import isValid

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMenu

    from nsdesk.domain.location import DeskLocation
    from nsdesk.ui.main_window import MainWindow


@dataclass(frozen=True, slots=True)
class ActionSpec:
    """One action: where it lives, what it says, its keys, what it does."""

    name: str
    menu: str
    text: str
    keys: tuple[str, ...] = ()
    tip: str = ""
    #: ``desk``: needs an open desk; ``edit``: needs a desk that can be changed.
    needs: str = ""
    toolbar: bool = False


_PAGES = (
    "Dashboard",
    "Commitments",
    "Gift baskets",
    "Instruments",
    "Events & documents",
    "Agencies",
    "Reporting",
    "Baselines",
    "History",
    "Universalization",
)

ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec("new_desk", "&File", "&New desk…", ("Ctrl+Shift+N",), "Create a desk for a state"),
    ActionSpec("open_desk", "&File", "&Open desk…", ("Ctrl+O",), "Open a desk file"),
    ActionSpec(
        "open_shared",
        "&File",
        "Open a s&hared register…",
        (),
        "Open a register on a PostgreSQL server that several officers share",
    ),
    ActionSpec("open_demo", "&File", "Open the &demo desk", (), "A desk of illustrative data"),
    ActionSpec(
        "desk_settings", "&File", "Desk &settings…", (), "Delegation and marking scheme", "edit"
    ),
    ActionSpec(
        "briefing",
        "&File",
        "Briefing &pack…",
        ("Ctrl+P",),
        "Make a briefing pack (PDF) for an event from the open desk",
        "desk",
    ),
    ActionSpec(
        "export_workbook",
        "&File",
        "E&xport workbook…",
        ("Ctrl+E",),
        "Export the register, or a return for one ministry, as an Excel workbook",
        "edit",  # every export is recorded in the desk
    ),
    ActionSpec(
        "import_workbook",
        "&File",
        "&Import workbook…",
        ("Ctrl+I",),
        "Import a ministry's return, a register workbook or another table: preview, then apply",
        "edit",
    ),
    ActionSpec(
        "import_history",
        "&File",
        "Import &history…",
        (),
        "The imports into this desk, and undoing one",
        "desk",
    ),
    ActionSpec(
        "send_changes",
        "&File",
        "Send chan&ges…",
        (),
        "Write a changes file of this desk's edits for the other laptops",
        "desk",
    ),
    ActionSpec(
        "merge_changes",
        "&File",
        "&Merge changes…",
        (),
        "Merge a changes file from another laptop: verify, preview, settle conflicts, apply",
        "edit",
    ),
    ActionSpec(
        "conflicts",
        "&File",
        "Con&flicts…",
        (),
        "What merges left open: conflicts, identity clashes, records to review",
        "desk",
    ),
    ActionSpec(
        "merge_history",
        "&File",
        "Merge his&tory…",
        (),
        "The changes files merged into this desk, and undoing one",
        "desk",
    ),
    ActionSpec(
        "backups",
        "&File",
        "&Backups…",
        ("Ctrl+Shift+B",),
        "The open desk's backups: back up now, or restore one",
        "desk",
        toolbar=True,
    ),
    ActionSpec("quit", "&File", "&Quit", ("Ctrl+Q",)),
    ActionSpec(
        "new_record",
        "&Edit",
        "&New record…",
        ("Ctrl+N",),
        "Add a record to the list on screen",
        "edit",
        toolbar=True,
    ),
    ActionSpec(
        "retire",
        "&Edit",
        "&Retire",
        ("Ctrl+Del",),
        "Retire the selected record (Undo brings it back)",
        "edit",
    ),
    ActionSpec(
        "search", "&Edit", "&Search the desk…", ("Ctrl+K",), "Search every register", "desk", True
    ),
    ActionSpec(
        "filter", "&Edit", "&Filter this list", ("Ctrl+F",), "Type to filter the list", "desk"
    ),
    ActionSpec("clear_filters", "&Edit", "&Clear filters", ("Ctrl+Shift+F",), "", "desk"),
    *(
        # "&&": a page's "&" is a letter, not the mark of the menu's Alt key. The tenth
        # page takes Ctrl+0 (the key after 9), so the first nine keep theirs.
        ActionSpec(
            f"page_{i}",
            "&View",
            f"&{(i + 1) % 10} {label.replace('&', '&&')}",
            (f"Ctrl+{(i + 1) % 10}",),
            "",
            "desk",
        )
        for i, label in enumerate(_PAGES)
    ),
    ActionSpec(
        "next_pane",
        "&View",
        "Next &pane",
        ("F6",),
        "Move between the list, the record's fields and its panel",
        "desk",
    ),
    ActionSpec(
        "previous_pane", "&View", "Pre&vious pane", ("Shift+F6",), "The other way round", "desk"
    ),
    ActionSpec("refresh", "&View", "&Reload from the desk", ("F5",), "", "desk"),
    ActionSpec("shortcuts", "&Help", "&Keyboard shortcuts", ("F1",)),
    ActionSpec("about", "&Help", "&About nsdesk"),
)


class FixedWordAction(QAction):
    """A toolbar twin of an undo stack's Undo or Redo (``named``): always ``word``,
    enabled with it, the step's name in its tooltip; no shortcut (``named`` has it),
    so the toolbar never changes width with the step's name."""

    def __init__(self, named: QAction, word: str, keys: str, parent: QObject):
        super().__init__(word, parent)
        self.named, self.word, self.keys = named, word, keys
        self.setObjectName(f"toolbar_{word.lower()}")
        named.changed.connect(self.follow)  # a method: disconnected when either goes
        self.triggered.connect(named.trigger)
        self.follow()

    def follow(self) -> None:
        """Take the named action's state: enabled or not, and its step's name."""
        if not isValid(self.named):  # the window is going: it says "changed" as it goes
            return
        enabled = self.named.isEnabled()
        self.setEnabled(enabled)
        step = self.named.text().replace("&", "")
        self.setToolTip(f"{step} ({self.keys})" if enabled else f"Nothing to {self.word.lower()}")


#: Keys that are not in a menu: what the forms, lists and dialogs answer.
OTHER_KEYS: tuple[tuple[str, str], ...] = (
    ("Ctrl+Return", "Create the new record, or add what a form strip holds (progress, a step…)"),
    ("Alt+underlined letter", "Go to that field or button of the form or dialog"),
    ("Enter", "Open the record chosen in a list"),
    ("Escape", "Close the dialog, or the list that dropped down"),
    ("Tab, Shift+Tab", "Go to the next or the previous field"),
)


def plain_text(text: str) -> str:
    """A menu text as read: without the marks of its Alt keys ("&Open" → "Open"),
    with its own ampersands ("Events && documents" → "Events & documents")."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def _mnemonic(text: str) -> str:
    """The letter a menu text marks for its Alt key ("&File" → "F"), or ""."""
    marked = text.replace("&&", "")
    at = marked.find("&")
    return marked[at + 1].upper() if 0 <= at < len(marked) - 1 else ""


class WindowActions:
    """The main window's actions, menus and toolbar, built from :data:`ACTIONS`."""

    def __init__(self, window: MainWindow):
        self.window = window
        self.by_name: dict[str, QAction] = {}
        menus: dict[str, QMenu] = {}
        toolbar = window.addToolBar("Main")
        toolbar.setObjectName("main_toolbar")
        toolbar.setMovable(False)
        self.toolbar = toolbar
        undo = window.undo_stack.createUndoAction(window, "&Undo")
        redo = window.undo_stack.createRedoAction(window, "&Redo")
        self.undo, self.redo = undo, redo
        for spec in ACTIONS:
            if spec.menu not in menus:
                menus[spec.menu] = window.menuBar().addMenu(spec.menu)
                if spec.menu == "&Edit":
                    menus[spec.menu].addAction(undo)
                    menus[spec.menu].addAction(redo)
                    menus[spec.menu].addSeparator()
            action = QAction(spec.text, window)
            action.setStatusTip(spec.tip)
            action.setToolTip(spec.tip or plain_text(spec.text).rstrip("…"))
            action.triggered.connect(self._handler(spec.name))
            menus[spec.menu].addAction(action)
            self.by_name[spec.name] = action
            if spec.name == "open_demo":
                self.recent_menu = menus[spec.menu].addMenu("Open &recent")
                self.recent_menu.setEnabled(False)
            if spec.name in ("desk_settings", "briefing", "import_history", "merge_history"):
                menus[spec.menu].addSeparator()
            if spec.name == "backups":
                menus[spec.menu].addSeparator()
        toolbar.addAction(self.by_name["new_record"])
        toolbar.addSeparator()
        # The toolbar's Undo and Redo keep their words, so the toolbar never jumps;
        # the step's name is in their tooltips and in the Edit menu.
        self.toolbar_undo = self._fixed(undo, "Undo", "Ctrl+Z")
        self.toolbar_redo = self._fixed(redo, "Redo", "Ctrl+Shift+Z")
        toolbar.addAction(self.toolbar_undo)
        toolbar.addAction(self.toolbar_redo)
        toolbar.addSeparator()
        toolbar.addAction(self.by_name["search"])
        toolbar.addAction(self.by_name["backups"])
        self.menus = menus

    def _fixed(self, named: QAction, word: str, keys: str) -> QAction:
        return FixedWordAction(named, word, keys, self.window)

    def __getattr__(self, name: str) -> QAction:
        by_name = self.__dict__.get("by_name", {})
        if name in by_name:
            return by_name[name]
        raise AttributeError(name)

    def add_shortcuts(self) -> None:
        for spec in ACTIONS:
            if spec.keys:
                self.by_name[spec.name].setShortcuts([QKeySequence(k) for k in spec.keys])
        self.undo.setShortcuts([QKeySequence("Ctrl+Z")])
        self.redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])

    def desk_shown(self, shown: bool, *, read_only: bool = False) -> None:
        """Enable what needs a desk (and what needs a desk that can be changed)."""
        for spec in ACTIONS:
            if spec.needs == "desk":
                self.by_name[spec.name].setEnabled(shown)
            elif spec.needs == "edit":
                self.by_name[spec.name].setEnabled(shown and not read_only)

    def set_recent(
        self, paths: Sequence[DeskLocation], open_path: Callable[[DeskLocation], None]
    ) -> None:
        """List the recent desks (files and shared registers) under File ▸ Open recent."""
        menu = self.recent_menu
        menu.clear()
        for number, path in enumerate(paths[:9], start=1):
            where = path.parent if isinstance(path, Path) else f"register on {path.register}"
            action = menu.addAction(f"&{number} {path.name}  —  {where}")
            action.setToolTip(str(path))
            action.triggered.connect(lambda _=False, p=path: open_path(p))
        menu.setEnabled(bool(paths))

    def shortcuts(self) -> list[tuple[str, str, str]]:
        """Every key and what it does, by group: (group, keys, what), as Help ▸
        Keyboard shortcuts lists them — the menus' actions, undo and redo, the Alt
        key of each menu, and the keys the forms and lists answer."""
        found = [("Edit", "Ctrl+Z", "Undo"), ("Edit", "Ctrl+Shift+Z, Ctrl+Y", "Redo")]
        for spec in ACTIONS:
            if spec.keys:
                found.append((plain_text(spec.menu), ", ".join(spec.keys), plain_text(spec.text)))
        menus = dict.fromkeys(spec.menu for spec in ACTIONS)
        found += [
            ("Menus", f"Alt+{_mnemonic(menu)}", f"Open the {plain_text(menu)} menu")
            for menu in menus
            if _mnemonic(menu)
        ]
        found += [("Forms and lists", keys, what) for keys, what in OTHER_KEYS]
        return found

    def shortcut_lines(self) -> list[str]:
        """Every shortcut as "keys<tab>what" (see :meth:`shortcuts`)."""
        return [f"{keys}\t{what}" for _group, keys, what in self.shortcuts()]

    # -- what each action does -----------------------------------------------------------
    def _handler(self, name: str) -> Callable[[], None]:
        window = self.window

        def register_call(method: str) -> Callable[[], None]:
            def call() -> None:
                view = window.workspace.current_register() if window._workspace else None
                if view is None:
                    window.show_status("Choose a list first (Commitments, Gift baskets…).")
                    return
                getattr(view, method)()

            return call

        if name.startswith("page_"):
            number = int(name.removeprefix("page_"))
            return lambda: window.workspace.show_page_at(number)
        return {
            "new_desk": window.new_desk_requested.emit,
            "open_desk": window.choose_desk,
            "open_shared": window.shared_register_requested.emit,
            "open_demo": window.demo_requested.emit,
            "desk_settings": window.settings_requested.emit,
            "backups": window.backups_requested.emit,
            "briefing": window.briefing_requested.emit,
            "export_workbook": window.export_requested.emit,
            "import_workbook": window.import_requested.emit,
            "import_history": window.import_history_requested.emit,
            "send_changes": window.send_changes_requested.emit,
            "merge_changes": window.merge_changes_requested.emit,
            "conflicts": window.conflicts_requested.emit,
            "merge_history": window.merge_history_requested.emit,
            "quit": window.close,
            "new_record": register_call("new_record"),
            "retire": register_call("retire_current"),
            "search": window.search_requested.emit,
            "filter": register_call("focus_filter"),
            "clear_filters": register_call("clear_filters"),
            "next_pane": register_call("next_pane"),
            "previous_pane": register_call("previous_pane"),
            "refresh": lambda: window.workspace.reload(),
            "shortcuts": self._show_shortcuts,
            "about": window.about_requested.emit,
        }[name]

    def _show_shortcuts(self) -> None:
        # lazy: the list's dialog is built when first asked for (F1)
        from nsdesk.ui.shortcuts_dialog import ShortcutsDialog

        dialog = ShortcutsDialog(self.shortcuts(), self.window)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
