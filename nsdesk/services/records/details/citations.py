"""The sources cited for records, as the detail panes list them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Connection, select

from nsdesk.domain.records import spec_for
from nsdesk.store import tables as t


@dataclass(frozen=True, slots=True)
class SourceLine:
    """A source cited for a record: its title, web address and the field it backs."""

    title: str
    url: str | None = None
    #: The label of the field cited (``None``: the record as a whole).
    field: str | None = None


def cited_sources(
    connection: Connection, subject_table: str, uuids: Iterable[str]
) -> dict[str, list[SourceLine]]:
    """subject UUID → the sources cited for it, in the order they were cited."""
    c, s = t.citation, t.source
    spec = spec_for(subject_table)
    labels = {f.name: f.label for f in spec.fields}
    found: dict[str, list[SourceLine]] = {}
    for row in connection.execute(
        select(c.c.subject_uuid, c.c.field, s.c.title, s.c.url)
        .join(s, s.c.id == c.c.source_id)
        .where(c.c.subject_table == subject_table, c.c.subject_uuid.in_(list(uuids)))
        .order_by(c.c.id)
    ):
        field = labels.get(row.field, row.field) if row.field else None
        found.setdefault(row.subject_uuid, []).append(SourceLine(row.title, row.url, field))
    return found
