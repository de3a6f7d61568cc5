"""File ▸ Merge history…: every changes file merged into the desk, newest first —
when, from which laptop, what it did — and undoing one.

Undoing a merge writes new changes that put back every value it replaced (they
travel like any other change). It is refused, changing nothing, where later work on
the same fields or records would be overwritten: the message names them. The dialog
reads and undoes through the callables it is given (bound to the open desk by
:mod:`nsdesk.ui.merge.merge_flow`). The window is the shared history with undo
(:mod:`nsdesk.ui.widgets.undo_history`); what is the merge's own is here: its
words, its columns, its question and its refusal."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal

from nsdesk.ui import wording
from nsdesk.ui.merge.merge_words import applied_text
from nsdesk.ui.widgets.undo_history import Refusal, UndoHistoryDialog, UndoWords

if TYPE_CHECKING:
    from datetime import datetime

    from nsdesk.services.merge.merges import MergeRecord

COL_WHEN, COL_FILE, COL_LAPTOP, COL_ACTOR, COL_COUNTS, COL_UNDONE = range(6)
HEADERS = ("Merged", "File", "From laptop", "By", "What it did", "Undone")
_SAMPLES = {
    COL_WHEN: "Wed 30 Sep 2026, 23:59",
    COL_FILE: "delegation-officer-2026-11-22.nsdesk-changes",
    COL_LAPTOP: "officer@laptop-7",
    COL_ACTOR: "officer@laptop-7",
    COL_UNDONE: "Wed 30 Sep 2026, 23:59",
}


def merge_counts_text(counts: dict[str, Any]) -> str:
    """What a merge did, from the counts it recorded."""
    applied = counts.get("applied") or {}
    parts = [f"applied {applied_text(applied)}" if applied else "nothing new applied"]
    # What needs a person first; what was already here last (the cell may be cut there).
    for key, one, many in (
        ("conflicts", "conflict", "conflicts"),
        ("clashes", "identity clash", "identity clashes"),
        ("reviews", "record to review", "records to review"),
        ("merged", "field merged", "fields merged"),
    ):
        if counts.get(key):
            parts.append(wording.count(int(counts[key]), one, many))
    if counts.get("known"):
        parts.append(f"{counts['known']:,} already here")
    return "; ".join(parts)


class MergeHistoryDialog(UndoHistoryDialog["MergeRecord", int]):
    """The merges into one desk, with "Undo merge…" on a desk open for editing."""

    merge_undone = Signal(int, int)
    """(merge number, values put back): the desk changed."""

    words = UndoWords(
        noun="merge",
        a_noun="a merge",
        heading="Changes merged into {desk}",
        note=(
            "Every changes file merged into this desk, newest first. Undoing a merge "
            "puts back what it replaced, as new changes that travel to the other "
            "laptops; it is refused where later work would be overwritten."
        ),
        table_name="Merges into this desk, newest first",
        undo_description="Put back every value the chosen merge replaced, after confirming",
        nothing_yet="No changes file has been merged into this desk yet.",
    )
    headers = HEADERS
    samples = _SAMPLES
    counts_column = COL_COUNTS

    def key(self, record: MergeRecord) -> int:
        return record.id

    def made_at(self, record: MergeRecord) -> datetime:
        return record.received_at

    def cells(self, record: MergeRecord) -> dict[int, str]:
        return {
            COL_FILE: record.file_name,
            COL_LAPTOP: record.laptop,
            COL_ACTOR: record.actor,
            COL_COUNTS: merge_counts_text(record.counts or {}),
        }

    def question(self, record: MergeRecord) -> str:
        return (
            f"Undo the merge of {record.file_name} from {record.laptop}, made "
            f"{wording.when(record.received_at)}?\n\nEvery value it replaced is put "
            "back and the records it added are removed, as new changes that travel to "
            "the other laptops. It is refused if something it changed was changed "
            "again since."
        )

    def taken_back(self, outcome: Any) -> int:
        """The values put back and the records removed."""
        return int(getattr(outcome, "values", 0)) + int(getattr(outcome, "deleted", 0))

    def announce(self, record: MergeRecord, taken_back: int) -> None:
        self.merge_undone.emit(record.id, taken_back)

    def refusal(self, record: MergeRecord, error: BaseException) -> Refusal:
        """The merge's refusals name the later work themselves, and that nothing changed."""
        return Refusal(
            f"The merge of {record.file_name} was not undone; nothing was changed.",
            f"The merge of {record.file_name} was not undone.",
            wording.as_sentence(wording.sentence_case(wording.error_text(error))),
        )
