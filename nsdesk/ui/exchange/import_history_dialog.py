"""File ▸ Import history…: every import into the desk, newest first, and undoing one.

Undo takes back a whole import as one new change in the history. It is refused,
changing nothing, when something the import changed was changed again since
(undoing would overwrite that later work): the message names what. The dialog
reads and undoes through the callables it is given (bound to the open desk by
:mod:`nsdesk.ui.exchange.exchange_flow`), so it never holds a desk itself. The
window is the shared history with undo (:mod:`nsdesk.ui.widgets.undo_history`);
what is the import's own is here: its words, its columns, its question, and the
refusal that names the later work an undo would overwrite.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal

from nsdesk.ui import wording
from nsdesk.ui.exchange.import_words import counts_text
from nsdesk.ui.widgets.undo_history import Refusal, UndoHistoryDialog, UndoWords

if TYPE_CHECKING:
    from datetime import datetime

    from nsdesk.services.exchange.import_history import ImportRecord

COL_WHEN, COL_FILE, COL_KIND, COL_AGENCY, COL_ACTOR, COL_COUNTS, COL_UNDONE = range(7)
HEADERS = ("Imported", "File", "Kind", "Ministry", "By", "What it changed", "Undone")
KIND_WORDS = {"return": "Return", "register": "Register", "foreign": "Other table"}
_SAMPLES = {
    COL_WHEN: "Wed 30 Sep 2026, 23:59",
    COL_FILE: "NLD-return-MFA-2026-11-22.xlsx",
    COL_KIND: "Other table",
    COL_AGENCY: "Ministry",
    COL_ACTOR: "officer@laptop",
    COL_UNDONE: "Wed 30 Sep 2026, 23:59",
}
MESSAGES_SHOWN = 12


def undo_question(record: ImportRecord) -> str:
    """What undoing ``record`` does, for the confirmation."""
    source = f" from {record.agency}" if record.agency else ""
    return (
        f"Undo the import of {record.file_name}{source}, made "
        f"{wording.when(record.imported_at)}?\n\n"
        f"It changed {counts_text(record.counts)}.\n\n"
        "Those fields go back to the values they had before the import; progress entries "
        "and records it added are retired. Everything else in the desk stays as it is. "
        "The undo is itself recorded in the history."
    )


class ImportHistoryDialog(UndoHistoryDialog["ImportRecord", str]):
    """The imports into one desk, with "Undo import…" on a desk open for editing."""

    import_undone = Signal(str, int)
    """(import UUID, how many changes were undone): the desk changed."""

    words = UndoWords(
        noun="import",
        a_noun="an import",
        heading="Imports into {desk}",
        note=(
            "Every workbook imported into this desk, newest first. Undoing an import "
            "takes back all it changed, as one step; it is refused if something it "
            "changed was changed again since."
        ),
        table_name="Imports into this desk, newest first",
        undo_description="Take back the chosen import as a whole, after confirming",
        nothing_yet="Nothing has been imported into this desk yet.",
    )
    headers = HEADERS
    samples = _SAMPLES
    counts_column = COL_COUNTS
    spacing = 10
    snug_rows = True

    def key(self, record: ImportRecord) -> str:
        return record.uuid

    def made_at(self, record: ImportRecord) -> datetime:
        return record.imported_at

    def cells(self, record: ImportRecord) -> dict[int, str]:
        return {
            COL_FILE: record.file_name,
            COL_KIND: KIND_WORDS.get(record.kind, record.kind),
            COL_AGENCY: record.agency or "",
            COL_ACTOR: record.actor,
            COL_COUNTS: counts_text(record.counts),
        }

    def question(self, record: ImportRecord) -> str:
        return undo_question(record)

    def taken_back(self, outcome: int) -> int:
        return outcome

    def announce(self, record: ImportRecord, taken_back: int) -> None:
        self.import_undone.emit(record.uuid, taken_back)

    def refusal(self, record: ImportRecord, error: BaseException) -> Refusal:
        """Later work on what the import changed names every place (the first
        :data:`MESSAGES_SHOWN`, the rest in the details); any other refusal its reason."""
        later = getattr(error, "later", None)
        if later is not None:  # UndoBlockedError: later work would be overwritten
            lines = [f"• {line}" for line in later]
            shown = "\n".join(lines[:MESSAGES_SHOWN])
            if len(lines) > MESSAGES_SHOWN:
                shown += f"\n… and {len(lines) - MESSAGES_SHOWN:,} more (see the details)."
            return Refusal(
                f"The import of {record.file_name} was not undone; nothing was changed.",
                f"The import of {record.file_name} cannot be undone: what it changed was "
                "changed again since, and undoing it would overwrite that later work.",
                f"Changed again after the import:\n{shown}\n\nNothing was changed. Undo or "
                "correct those later changes by hand if the import must go.",
                details="\n".join(later),
            )
        reason = wording.error_text(error)
        return Refusal(
            f"The import of {record.file_name} was not undone: {reason}.",
            f"The import of {record.file_name} was not undone.",
            f"{wording.sentence_case(reason)}. Nothing was changed.",
        )

    def select_file(self, file_name: str) -> bool:
        """Select the newest import of ``file_name`` (as a click on its row does)."""
        for row, record in enumerate(self.records):
            if record.file_name == file_name:
                self.table.selectRow(row)
                return True
        return False
