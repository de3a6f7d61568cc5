"""What a send reads out of the change log: each entry exactly as ``to_change`` makes
it from a row, for everything and for what receivers lack; and the file's marking
read the same way for a few records as for thousands."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

from sqlalchemy import func, select

from nsdesk.services.audit import Actor
from nsdesk.services.desk import open_desk
from nsdesk.services.merge.change_schema import to_change
from nsdesk.services.merge.merge_state import hlc_number
from nsdesk.services.merge.outgoing import read_changes, selection
from nsdesk.services.merge.sending import _LEVELS_CHUNK, _levels_among
from nsdesk.services.records.record_service import RecordService
from nsdesk.store import tables as t


def test_the_lean_reading_gives_every_entry_as_to_change_makes_it(demo_desk_location: Any):
    """Everything, nothing newer than what the receivers hold, and one edit since."""
    a = t.audit_entry
    with open_desk(demo_desk_location) as desk:
        with desk.connect() as connection:
            held = {
                replica: hlc_number(newest)
                for replica, newest in connection.execute(
                    select(a.c.replica_id, func.max(a.c.hlc)).group_by(a.c.replica_id)
                )
            }
            ref = connection.execute(select(t.commitment.c.ref).limit(1)).scalar_one()
        RecordService(desk, Actor("anna@laptop")).update(
            "commitment", ref, {"next_steps": "Report to the sherpa", "talking_points": "Done"}
        )
        with desk.connect() as connection:
            sizes = []
            for since in ({}, held):
                query = select(a).where(selection(since)).order_by(a.c.revision, a.c.id)
                expected = [to_change(row) for row in connection.execute(query).mappings()]
                assert list(read_changes(connection, since)) == expected
                sizes.append(len(expected))
    assert sizes[0] > 1000
    assert sizes[1] == 2  # the two fields of the edit


def test_a_files_marking_reads_the_same_levels_for_a_few_records_and_for_many(
    demo_desk_location: Any,
):
    """A few records' levels are looked up by UUID, thousands' read with their table's;
    records no longer in the desk (deleted) have none."""
    c = t.commitment
    with open_desk(demo_desk_location, read_only=True) as desk, desk.connect() as connection:
        rows = connection.execute(select(c.c.uuid, c.c.sensitivity)).all()
        few = {uuid for uuid, _ in rows}
        many = few | {str(uuid4()) for _ in range(4 * _LEVELS_CHUNK)}
        assert len(few) <= 4 * _LEVELS_CHUNK < len(many)
        levels = {level for _, level in rows}
        assert len(levels) > 1
        assert _levels_among(connection, "commitment", few) == levels
        assert _levels_among(connection, "commitment", many) == levels
        one = rows[0]
        assert _levels_among(connection, "commitment", {one.uuid}) == {one.sensitivity}
