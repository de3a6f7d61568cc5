"""The bulk path for one column of many rows (what a merge writes values with) stores
each value exactly as SQLAlchemy's own UPDATE does: a partial date as its text, a
moment in UTC, a choice by its value, on a desk file and on a server alike."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from sqlalchemy import bindparam, select, update

from nsdesk.domain.dates import PartialDate
from nsdesk.domain.enums import Priority
from nsdesk.services.audit import Actor
from nsdesk.store import tables as t
from nsdesk.store.bulk import update_column

C = t.commitment
MOMENT = datetime(2026, 11, 30, 23, 30, tzinfo=timezone(timedelta(hours=-5)))
VALUES = {
    "pledged_on": PartialDate.parse("2014-03"),
    "priority": Priority.HIGH,
    "retired_at": MOMENT,
    "next_steps": "Report to the sherpa — « avant la réunion »",
}


def _stored(connection, ids):
    """The rows as the database holds them (no type processing on the way back)."""
    columns = ", ".join(["id", *VALUES, "updated_at"])
    found = connection.exec_driver_sql(f"SELECT {columns} FROM commitment").all()
    return {row[0]: tuple(row[1:]) for row in found if row[0] in ids}


def test_each_value_is_stored_as_sqlalchemy_stores_it(demo_desk):
    now = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
    with demo_desk.transaction(Actor("bulk@test")) as (connection, _ctx):
        rows = connection.execute(select(C.c.id, C.c.uuid).order_by(C.c.id).limit(6)).all()
        ours, theirs = rows[:3], rows[3:]
        for column, value in VALUES.items():
            update_column(
                connection,
                C,
                column,
                [(row.uuid, value) for row in ours],
                also={"updated_at": now},
            )
            connection.execute(
                update(C)
                .where(C.c.uuid == bindparam("u"))
                .values({column: bindparam("v"), "updated_at": now}),
                [{"u": row.uuid, "v": value} for row in theirs],
            )
        stored = _stored(connection, {row.id for row in rows})
        read_back = connection.execute(
            select(C.c.pledged_on, C.c.priority, C.c.retired_at, C.c.next_steps).where(
                C.c.id == ours[0].id
            )
        ).one()
    assert len({stored[row.id] for row in rows}) == 1, stored
    assert tuple(read_back) == tuple(VALUES.values())


def test_no_rows_writes_nothing_and_an_unknown_key_changes_no_row(demo_desk):
    with demo_desk.transaction(Actor("bulk@test")) as (connection, _ctx):
        before = connection.execute(select(C.c.uuid, C.c.next_steps)).all()
        update_column(connection, C, "next_steps", [])
        update_column(connection, C, "next_steps", [("no-such-uuid", "changed")])
        assert connection.execute(select(C.c.uuid, C.c.next_steps)).all() == before


def test_a_column_updated_without_its_moment_gets_it_as_sqlalchemy_would(demo_desk):
    with demo_desk.transaction(Actor("bulk@test")) as (connection, _ctx):
        uuid, before = connection.execute(select(C.c.uuid, C.c.updated_at).limit(1)).one()
        started = datetime.now(UTC)
        update_column(connection, C, "next_steps", [(uuid, "changed")])
        after = connection.execute(select(C.c.updated_at).where(C.c.uuid == uuid)).scalar_one()
    assert after != before
    assert after >= started - timedelta(seconds=1)
