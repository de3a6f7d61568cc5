"""Under a baseline's fields: what changed since it was frozen — the figures the
briefing pack prints for it (completed, status changes, new) and every
commitment that moved, each opening in the Commitments register."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from nsdesk.services.overview.progress import BaselineProgress
from nsdesk.ui.records.commands import RecordActions
from nsdesk.ui.records.details.detail_panel import DetailPanel
from nsdesk.ui.widgets.baseline_progress import BaselineProgressView


class BaselineDetailPanel(DetailPanel[BaselineProgress]):
    """The progress since the baseline shown, as of the desk's day."""

    watches = frozenset({"baseline", "commitment", "status_entry"})

    def __init__(
        self,
        actions: RecordActions,
        load: Callable[[str], BaselineProgress],
        parent: QWidget | None = None,
    ):
        super().__init__(actions, load, parent)
        heading = QLabel("Progress since this baseline")
        font = heading.font()
        font.setBold(True)
        heading.setFont(font)
        self.progress_view = BaselineProgressView()
        self.progress_view.record_requested.connect(self.record_requested)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(heading)
        layout.addWidget(self.progress_view)
        self.show_record(None)

    def show_detail(self, detail: BaselineProgress | None) -> None:
        """Show the figures and the commitments that moved (or that none is shown)."""
        self.progress_view.show_progress(detail, empty="No baseline is shown.")
