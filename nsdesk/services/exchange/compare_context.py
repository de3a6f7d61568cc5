"""What a sheet of a workbook is compared against: a :class:`SheetContext`.

The desk's side (its records of the sheet's kind as the export would write them
now, the retired ones, its last audit entry), the workbook's reach (which records
it may change, and why another is out of its reach, in words), what the
drop-downs accept, the workbook's date system, the exported fingerprints, and the
two rules that differ between workbooks. Built by the preview and the foreign
tables, read by :mod:`nsdesk.services.exchange.compare`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from sqlalchemy import Connection, select

from nsdesk.services.exchange.cell_values import Vocabulary
from nsdesk.services.exchange.export_records import SentSheet
from nsdesk.services.exchange.sheet_specs import ExportScope, Row, SheetSpec
from nsdesk.store import tables as t
from nsdesk.store.change_log import desk_revision


@dataclass(frozen=True, slots=True)
class Reach:
    """Which records a workbook may change, and how to say why a row's record is not
    among them. ``sent`` (a workbook nsdesk wrote): the records its export carried,
    as the desk recorded them. ``outside`` (a table the desk has no record of):
    given a row's key or id, the reason its record is out of reach, or None."""

    described: str = ""  # "the return sent to MOJ on 2026-11-02"
    rule: str = ""  # "a return can only update the commitments it was sent with"
    ceiling_label: str = ""
    sent: SentSheet | None = None
    outside: Callable[[str | None, str | None], str | None] | None = None
    locked_reason: str = ""  # why a locked cell may not change, in this workbook

    def not_sent(self, name: str | None) -> str:
        """Why a record the export did not carry cannot be changed."""
        return f"{name or 'this record'} was not in {self.described}; {self.rule}"

    def now_above(self, name: str | None) -> str:
        """Why a record the export carried, now marked above its ceiling, cannot be changed."""
        return (
            f"{name or 'this record'} is now marked above the ceiling of {self.described} "
            f"({self.ceiling_label}), so it cannot be changed by it"
        )


@dataclass(frozen=True, slots=True)
class DeskRecords:
    """The desk's current rows of one sheet, as the export would write them."""

    by_uuid: dict[str, Row]
    by_key: dict[str, str]  # human key (casefolded) -> uuid
    retired: dict[str, str]  # uuid or key -> retired on (ISO)


def desk_records(connection: Connection, spec: SheetSpec, scope: ExportScope) -> DeskRecords:
    """The records of ``spec``'s sheet the audience of ``scope`` may see, as the export
    would write them now, and the retired ones (to say so of a row that names one)."""
    rows = spec.load(scope)
    by_uuid = {row["_uuid"]: row for row in rows}
    by_key = {str(row[spec.key]).casefold(): row["_uuid"] for row in rows if row.get(spec.key)}
    # A record renumbered when two laptops' records clashed is still found by its old
    # key (its alias), unless another record holds that key now.
    alias = t.record_alias
    for old, uuid in connection.execute(
        select(alias.c.alias, alias.c.record_uuid).where(alias.c.record_table == spec.kind)
    ):
        if uuid in by_uuid:
            by_key.setdefault(str(old).casefold(), uuid)
    return DeskRecords(by_uuid, by_key, _retired(connection, spec))


def desk_mark(connection: Connection) -> int:
    """The desk's revision when a preview is made (its commit order, see
    :mod:`nsdesk.store.change_log`): the apply refuses to apply a preview the desk
    has changed since."""
    return desk_revision(connection)


def _retired(connection: Connection, spec: SheetSpec) -> dict[str, str]:
    table = t.metadata.tables[spec.kind]
    key_column = spec.key if spec.key in table.c else None
    key = table.c[key_column] if key_column else table.c.uuid
    found: dict[str, str] = {}
    for uuid, retired_at, human in connection.execute(
        select(table.c.uuid, table.c.retired_at, key).where(table.c.retired_at.is_not(None))
    ):
        when = retired_at.date().isoformat()
        found[uuid] = when
        if key_column and human is not None:
            found[str(human).casefold()] = when
    return found


@dataclass(frozen=True, slots=True)
class SheetContext:
    """What one sheet is compared against.

    ``desk`` holds the records the workbook may change (within its ceiling);
    ``reach`` says which of them it was sent with and why another is out of reach;
    ``fingerprints`` are what the export sent, per record UUID and column key (none
    for a table nsdesk did not write: then nothing is a conflict). ``creates``: a row
    without an id may add a record. ``blank_means_keep``: a blank cell leaves the
    desk's value (a return, a foreign table) rather than clearing it."""

    spec: SheetSpec
    desk: DeskRecords
    vocabulary: Vocabulary
    date1904: bool
    reach: Reach = field(default_factory=Reach)
    fingerprints: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    creates: bool = False
    blank_means_keep: bool = True


__all__ = ["DeskRecords", "Reach", "SheetContext", "desk_mark", "desk_records"]
