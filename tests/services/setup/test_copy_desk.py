"""Between the two kinds of desk: a travel copy as a desk file, and a desk published
to an empty place (in the server-desk run, an empty database on the server)."""

import pytest

from nsdesk.cli import main
from nsdesk.domain.errors import DeskExistsError
from nsdesk.services.desk import open_desk
from nsdesk.services.records.record_service import RecordService
from nsdesk.services.setup.copy_desk import copy_desk
from nsdesk.store.search import INDEXED_KINDS, ts_index_name
from tests.exchange.workbooks import content_digest


def test_a_travel_copy_and_a_publication_hold_the_same_desk(
    demo_desk_location, new_location, tmp_path, capsys
):
    travel = tmp_path / "travel.nsdesk"
    assert main(["copy", str(demo_desk_location), str(travel)]) == 0
    said = capsys.readouterr().out
    assert f"Copied {demo_desk_location} to {travel}" in said
    assert "audit entries, checked row for row" in said
    assert content_digest(travel) == content_digest(demo_desk_location)
    copied = copy_desk(travel, new_location)  # published back (to a server in that run)
    assert copied.audit_entries > 1000
    assert content_digest(new_location) == content_digest(demo_desk_location)
    with open_desk(new_location) as desk:  # a working desk: new records get fresh ids
        ref = RecordService(desk).create("commitment", {"title": "Made after the copy"}).key
        assert desk.info().is_demo
    assert ref == "C-0061"


def test_a_copy_never_replaces_an_existing_file(new_desk_location, tmp_path):
    taken = tmp_path / "taken.nsdesk"
    taken.write_bytes(b"someone's file")
    with pytest.raises(DeskExistsError, match="already exists"):
        copy_desk(new_desk_location, taken)
    assert taken.read_bytes() == b"someone's file"
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".nsdesk") == [
        *(["desk.nsdesk"] if new_desk_location.__class__.__name__ != "ServerAddress" else []),
        "taken.nsdesk",
    ]


@pytest.mark.server_desk
def test_a_published_register_is_searched_through_its_indexes_from_the_first_search(
    demo_desk_location, new_location
):
    copy_desk(demo_desk_location, new_location)
    with open_desk(new_location) as desk, desk.engine.begin() as connection:
        # Rows inserted in bulk wait in each search index's pending list, which every
        # search reads whole, until autovacuum merges them; the publication merges
        # them itself (nothing is left to clean) and gives the planner its statistics.
        left = [
            connection.exec_driver_sql(
                f"SELECT gin_clean_pending_list('{ts_index_name(kind)}')"
            ).scalar_one()
            for kind in INDEXED_KINDS
        ]
        analysed = connection.exec_driver_sql(
            "SELECT count(*) FROM pg_stats WHERE tablename = 'commitment'"
        ).scalar_one()
        connection.rollback()
    assert left == [0] * len(INDEXED_KINDS)
    assert analysed > 0
