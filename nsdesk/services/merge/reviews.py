"""Records flagged for review: one retired on one laptop and edited on another (both
apply), or created again after it was deleted here, or naming a record withheld from
this desk. Whether the sender had seen an entry is decided by what its file says it
knew of each laptop, never by a clock.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert

from nsdesk.services.merge.codec import TableCodec
from nsdesk.services.merge.lineage import (
    RETIRE,
    UPDATE,
    Entry,
    RecordHistory,
)
from nsdesk.services.merge.merge_state import field_label, hlc_number
from nsdesk.services.merge.outcome import ItemKind, OpenItem
from nsdesk.services.merge.value_writes import ValueWrites
from nsdesk.store import tables as t
from nsdesk.store.types import utcnow


class Reviews(ValueWrites):
    """What a merge flags for a person to look at."""

    def _knew(self, entry: Entry) -> bool:
        """Whether the sender had seen ``entry`` when it wrote the file."""
        if entry.order[0] == 1:
            return True  # in the file
        try:
            return hlc_number(entry.hlc) <= self.facts.knows.get(entry.replica, -1)
        except ValueError:
            return True

    def _review_if_retired(
        self, codec: TableCodec, change: dict[str, Any], history: RecordHistory
    ) -> None:
        if "retired" not in history.lines:
            return  # never retired nor restored: its heads are its creations
        heads = history.heads("retired")
        for head in heads:
            entry = history.entries[head]
            # The sender had not seen the retirement, or the edit is older than it
            # (an edit made after seeing it would carry a later stamp).
            if entry.action == RETIRE and (
                not self._knew(entry) or (entry.order[0] == 0 and change["hlc"] < entry.hlc)
            ):
                self._review(codec, change, "edited on another laptop while it was retired here")
                return

    def _review_if_edited(
        self, codec: TableCodec, change: dict[str, Any], history: RecordHistory
    ) -> None:
        for entry in history.entries.values():
            if entry.action == UPDATE and (
                not self._knew(entry) or (entry.order[0] == 0 and change["hlc"] < entry.hlc)
            ):
                self._review(codec, change, "retired on another laptop while it was edited here")
                return

    def _review(self, codec: TableCodec, change: dict[str, Any], reason: str) -> None:
        record = change["record_uuid"]
        if (record, reason) in self.reviewed:
            return
        self.reviewed.add((record, reason))
        note = f"{reason} ({self._laptop(change['replica_id'])})"
        self.c.execute(
            insert(t.changes_conflict).values(
                kind=ItemKind.REVIEW.value,
                record_table=codec.name,
                record_uuid=record,
                field=change.get("field"),
                note=note,
                detected_at=utcnow(),
                received_id=self.received_id,
            )
        )
        self.report.reviews.append(
            OpenItem(
                id=None,
                kind=ItemKind.REVIEW,
                record_table=codec.name,
                record_uuid=record,
                record_label=str(change.get("record_label") or record),
                field=change.get("field"),
                field_label=field_label(codec.name, change.get("field")),
                note=note,
            )
        )
