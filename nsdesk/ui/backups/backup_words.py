"""The words the backups and recovery dialogs say about what a backup holds and why
one was not taken or restored (the app's other words are :mod:`nsdesk.ui.wording`)."""

from __future__ import annotations

from nsdesk.diagnostics import log_file, log_unexpected
from nsdesk.domain.records import RECORD_SPECS
from nsdesk.ui.wording import error_text, is_refusal

# Tables that hold no records of their own but whose rows count as work.
_TABLE_WORDS = {
    "audit_entry": "entries in the change history",
    "desk_settings": "desk settings",
}


def table_words(table: str) -> str:
    """A table's rows in words: "commitment" -> "commitments"."""
    spec = RECORD_SPECS.get(table)
    if spec is not None:
        return spec.plural.lower()
    return _TABLE_WORDS.get(table, table.replace("_", " ") + " rows")


def refusal_text(error: BaseException) -> str:
    """Why a backup or restore did not happen, as the end of a sentence. Errors
    nsdesk did not expect are logged, and the sentence says where."""
    if is_refusal(error):
        return f"{error_text(error)}. Nothing was changed."
    log_unexpected(error, "backing up or restoring a desk")
    return f"an unexpected error ({error_text(error)}). The details are in {log_file()}."
