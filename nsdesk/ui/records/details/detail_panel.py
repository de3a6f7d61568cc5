"""The shape every detail panel shares: what a register shows under the selected
record's fields (a commitment's history, an instrument's pipeline, an agency's
contacts…).

A panel is given the record actions and a loader (a key in, the record's read
model out). :meth:`DetailPanel.show_record` shows a record (or none);
:meth:`DetailPanel.refresh` loads it again, which the panel does by itself when
the record actions change a kind it :attr:`~DetailPanel.watches`; a read-only
desk shows everything and takes nothing. A panel says only what differs: how it
shows a read model (:meth:`~DetailPanel.show_detail`), what its entry strips
hold and clear, and which of its parts can be used when.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar, Generic, TypeVar

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from nsdesk.domain.errors import NsdeskError
from nsdesk.ui.records.commands import RecordActions

D = TypeVar("D")
"""The panel's read model (:class:`~nsdesk.services.records.details.CommitmentDetail`…)."""


class DetailPanel(QWidget, Generic[D]):
    """A kind's own part of the detail pane, showing one record's read model."""

    record_requested = Signal(str, str)
    """The user opened a record listed here: (register name, key)."""

    watches: ClassVar[frozenset[str]] = frozenset()
    """The record kinds whose change makes the panel load its record again."""

    def __init__(
        self, actions: RecordActions, load: Callable[[str], D], parent: QWidget | None = None
    ):
        super().__init__(parent)
        # Not ``self.actions``: that would hide QWidget.actions() on every panel.
        self.record_actions = actions
        self._load = load
        self._key: str | None = None
        self._read_only = False
        self.detail: D | None = None
        actions.records_changed.connect(self._records_changed)

    @property
    def key(self) -> str | None:
        """The key (or UUID) of the record shown; None when none is."""
        return self._key

    @property
    def read_only(self) -> bool:
        """Whether the desk is read-only: everything shows, nothing can be entered."""
        return self._read_only

    @property
    def editable(self) -> bool:
        """Whether a record is shown and the desk takes changes."""
        return self.detail is not None and not self._read_only

    def show_record(self, key: str | None) -> None:
        """Show the record ``key``, or nothing for ``None``. What was typed in the
        panel's entry strips is kept while the same record stays shown."""
        if key != self._key:
            self.clear_input()
        self._key = key
        self.clear_errors()
        self.refresh()

    def refresh(self) -> None:
        """Load the shown record again (after any change to it): a record that can
        no longer be read (retired meanwhile, deleted by a restore) shows as none."""
        try:
            self.detail = self._load(self._key) if self._key else None
        except NsdeskError:
            self.detail = None
        self.update_enabled()
        self.show_detail(self.detail)

    def set_read_only(self, read_only: bool) -> None:
        """A read-only desk: the panel shows everything and takes nothing."""
        self._read_only = read_only
        self.update_enabled()

    def _records_changed(self, kinds: frozenset[str], _focus: object) -> None:
        if self._key and kinds & self.watches:
            self.refresh()

    # -- what each panel says for itself ------------------------------------------------
    def show_detail(self, detail: D | None) -> None:
        """Show ``detail`` (None: say that no record is shown)."""
        raise NotImplementedError

    def clear_input(self) -> None:
        """Empty the entry strips: another record is being shown."""

    def clear_errors(self) -> None:
        """Hide the refusals the panel shows."""

    def update_enabled(self) -> None:
        """Enable what can be used now (see :attr:`editable`)."""
