"""A change in a file is an audit entry of the change log, derived from the desk's
schema statement: the file follows the change log when it grows, with no list of
keys kept by hand."""

from __future__ import annotations

from sqlalchemy import Column, Integer, MetaData, String, Table

from nsdesk.exchange.changes import KeyKind
from nsdesk.services.merge.change_schema import LOCAL_TABLES, _key_spec, change_schema
from nsdesk.store import tables as t


def test_the_keys_are_the_change_logs_columns_in_order():
    assert change_schema().names == tuple(
        str(c.name) for c in t.audit_entry.columns if c.name != "id"
    )


def test_the_change_logs_new_columns_travel_with_their_kinds():
    """The columns schema 0004 adds (revision, parent, replica, clock), as that change
    log declares them, become keys of the right kind."""
    table = Table(
        "audit_entry",
        MetaData(),
        Column("revision", Integer, nullable=False),
        Column("parent_uuid", String(36), nullable=True),
        Column("replica_id", String(36), nullable=True),
        Column("hlc", String(60), nullable=False),
    )
    specs = {str(c.name): _key_spec(c) for c in table.columns}
    assert specs["revision"].kind is KeyKind.INTEGER
    assert not specs["revision"].nullable
    assert specs["parent_uuid"].nullable
    assert specs["parent_uuid"].what == "a UUID"
    assert specs["replica_id"].max_length == 36
    clock = specs["hlc"].pattern
    assert clock is not None
    replica = "7c1e9a0b-3d4f-4a5b-8c6d-0e1f2a3b4c5d"
    assert clock.match(f"001764000000000-00000-{replica}")
    assert not clock.match("2026-11-22 10:31")


def test_a_change_may_name_the_desks_records_and_their_fields_only():
    tables = change_schema().tables
    assert "commitment" in tables
    assert {"title", "lead_agency", "lead_agency_id", "themes"} <= tables["commitment"]
    assert "audit_entry" not in tables
    assert not LOCAL_TABLES & set(tables)
    assert all(type(name) is str for name in tables)
