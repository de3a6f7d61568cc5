"""Help ▸ Keyboard shortcuts (F1): every key and what it does, in two aligned
columns, grouped as the menus are."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from nsdesk.ui.widgets.sizing import fit_to_screen


class ShortcutsDialog(QDialog):
    """The keys, (group, keys, what) each, under a bold line per group."""

    def __init__(self, shortcuts: Sequence[tuple[str, str, str]], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts — nsdesk")
        self.tree = QTreeWidget()
        self.tree.setAccessibleName("Keyboard shortcuts")
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels(["Keys", "What they do"])
        self.tree.setRootIsDecorated(False)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.tree.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        groups: dict[str, QTreeWidgetItem] = {}
        for group, keys, what in shortcuts:
            if group not in groups:
                heading = QTreeWidgetItem([group])
                font = heading.font(0)
                font.setBold(True)
                heading.setFont(0, font)
                heading.setFlags(Qt.ItemFlag.ItemIsEnabled)
                self.tree.addTopLevelItem(heading)
                heading.setFirstColumnSpanned(True)
                heading.setExpanded(True)
                groups[group] = heading
            row = QTreeWidgetItem([keys, what])
            row.setToolTip(1, what)
            groups[group].addChild(row)
        self.tree.expandAll()
        self.tree.setIndentation(0)
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.tree.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tree)
        layout.addWidget(buttons)
        fit_to_screen(self, 640, 620)

    def rows(self) -> list[tuple[str, str]]:
        """The keys and what they do, as listed (headings left out)."""
        found = []
        for number in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(number)
            items = (group.child(c) for c in range(group.childCount())) if group else ()
            found += [(item.text(0), item.text(1)) for item in items if item is not None]
        return found
