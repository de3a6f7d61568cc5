"""The briefing dialog's list of sections: a check box each, in the order they are
printed, reordered with Alt+Up and Alt+Down (or the dialog's buttons)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTreeWidget, QTreeWidgetItem

from nsdesk.briefing.model import SECTIONS

KEY_ROLE = Qt.ItemDataRole.UserRole
"""Where an item keeps its section's key."""


class SectionList(QTreeWidget):
    """Every section of the pack, checked or not, in the order they are printed;
    every one in sight (a list to reorder should not scroll)."""

    rearranged = Signal()
    """The sections were moved or chosen anew (not by a click on a check box,
    which ``itemChanged`` says)."""

    def __init__(self) -> None:
        super().__init__()
        self.setAccessibleName("Sections, in the order they are printed")
        self.setAccessibleDescription(
            "Check the sections to print; Alt+Up and Alt+Down move the current one"
        )
        self.setColumnCount(2)
        self.setHeaderLabels(["Section", "What it holds"])
        self.setRootIsDecorated(False)
        self.setUniformRowHeights(True)
        self.setAlternatingRowColors(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.header()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        metrics = self.fontMetrics()
        row_height = metrics.height() + 8  # room between the check boxes
        items = []
        for section in SECTIONS:
            item = QTreeWidgetItem([section.title, section.description])
            item.setData(0, KEY_ROLE, section.key)
            item.setFlags(
                Qt.ItemFlag.ItemIsEnabled
                | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemIsUserCheckable
            )
            item.setCheckState(0, Qt.CheckState.Checked)
            item.setToolTip(0, f"{section.title}: {section.description}")
            item.setToolTip(1, section.description)
            item.setSizeHint(0, QSize(metrics.horizontalAdvance(section.title) + 48, row_height))
            items.append(item)
        self.addTopLevelItems(items)
        self.setCurrentItem(items[0])
        self.setMinimumHeight(
            header.sizeHint().height() + row_height * len(SECTIONS) + 2 * self.frameWidth() + 4
        )

    def keyPressEvent(self, event: QKeyEvent) -> None:
        alt = event.modifiers() & Qt.KeyboardModifier.AltModifier
        if alt and event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            self.move_current(-1 if event.key() == Qt.Key.Key_Up else 1)
            event.accept()
            return
        super().keyPressEvent(event)

    def _items(self) -> list[QTreeWidgetItem]:
        # topLevelItem() is None only past the count, which the range never reaches.
        found = (self.topLevelItem(i) for i in range(self.topLevelItemCount()))
        return [item for item in found if item is not None]

    def order(self) -> list[str]:
        """Every section's key, in the order shown."""
        return [item.data(0, KEY_ROLE) for item in self._items()]

    def checked(self) -> tuple[str, ...]:
        """The checked sections' keys, in the order shown."""
        return tuple(
            item.data(0, KEY_ROLE)
            for item in self._items()
            if item.checkState(0) == Qt.CheckState.Checked
        )

    def current_row(self) -> int:
        """The current section's place in the list (-1: none)."""
        item = self.currentItem()
        return self.indexOfTopLevelItem(item) if item is not None else -1

    def set_checked(self, chosen: Sequence[str], order: Sequence[str] = ()) -> None:
        """Check ``chosen`` (in its order, first) and uncheck the rest, which follow
        in ``order`` (by default the pack's usual order)."""
        items = {item.data(0, KEY_ROLE): item for item in self._items()}
        rest = [k for k in (order or [s.key for s in SECTIONS]) if k in items]
        rest += [s.key for s in SECTIONS if s.key not in rest]
        keys = [k for k in chosen if k in items]
        keys += [k for k in rest if k not in keys]
        self.blockSignals(True)
        while self.topLevelItemCount():
            self.takeTopLevelItem(0)
        for key in keys:
            item = items[key]
            item.setCheckState(
                0, Qt.CheckState.Checked if key in chosen else Qt.CheckState.Unchecked
            )
            self.addTopLevelItem(item)
        self.blockSignals(False)
        if keys:  # every section is listed, so there always are
            self.setCurrentItem(items[keys[0]])
        self.rearranged.emit()

    def move_current(self, by: int) -> None:
        """Move the current section ``by`` places (−1: up), keeping it current."""
        item = self.currentItem()
        if item is None:
            return
        row = self.indexOfTopLevelItem(item)
        target = row + by
        if not 0 <= target < self.topLevelItemCount():
            return
        self.blockSignals(True)
        self.takeTopLevelItem(row)
        self.insertTopLevelItem(target, item)
        self.blockSignals(False)
        self.setCurrentItem(item)
        self.rearranged.emit()
