"""Full-text search over the register, through the store's one SQLite-only seam."""

import pytest

from nsdesk.services.records.record_service import RecordService
from nsdesk.store.search import HIGHLIGHT_START, Fts5Search, LikeSearch


@pytest.fixture
def records(desk):
    # Distinctive words, so the catalogue's own texts (reactors, communiqués) stay out.
    service = RecordService(desk)
    service.create("agency", {"code": "REG", "name": "Kernfysische Regulatory Authority"})
    service.create(
        "commitment",
        {
            "title": "Convert the Hoogland research reactor to LEU",
            "text": "Remove HEU from the Hoogland site",
            "lead_agency": "REG",
        },
    )
    service.create(
        "document", {"kind": "communique", "title": "Final communiqué of the Gelderland sherpas"}
    )
    return service


def search(desk, query, engine=None):
    with desk.reading() as session:
        return (engine or Fts5Search()).search(session.connection(), query)


def kinds(hits):
    return sorted(h.kind for h in hits)


def test_words_and_prefixes_are_found_across_kinds(desk, records):
    hits = search(desk, "hoogl")
    assert kinds(hits) == ["commitment"]
    assert HIGHLIGHT_START + "Hoogland" in hits[0].snippet
    assert kinds(search(desk, "kernfysische")) == ["agency"]
    assert kinds(search(desk, "reactor hoogland")) == ["commitment"]  # every word must match


def test_accents_do_not_matter(desk, records):
    assert kinds(search(desk, "communique gelderland")) == ["document"]


def test_edits_are_reindexed_and_retired_records_are_not_found(desk, records):
    records.update("commitment", "C-0001", {"title": "Repatriate Veluwe spent fuel", "text": ""})
    assert search(desk, "hoogland") == []
    assert kinds(search(desk, "veluwe")) == ["commitment"]
    records.retire("commitment", "C-0001")
    assert search(desk, "veluwe") == []


@pytest.mark.parametrize("query", ['"', "AND OR NOT", "NEAR(", "*", "a:b", "-", "'; DROP"])
def test_search_syntax_typed_by_a_user_is_harmless(desk, records, query):
    assert isinstance(search(desk, query), list)


def test_the_portable_search_finds_the_same_records(desk, records):
    for query in ("hoogland reactor", "kernfysische", "gelderland"):
        fts = {(h.kind, h.record_id) for h in search(desk, query)}
        like = {(h.kind, h.record_id) for h in search(desk, query, LikeSearch())}
        assert fts == like != set(), query


def test_the_index_is_checked_read_only(desk, records):
    with desk.reading() as session:
        assert Fts5Search().problems(session.connection()) == []
        session.connection().exec_driver_sql("PRAGMA query_only = OFF")
        session.connection().exec_driver_sql("DELETE FROM fts_agency_docsize")
        problems = Fts5Search().problems(session.connection())
        session.rollback()
    assert problems == [
        "the search index of agencies is out of step (1 not indexed, 0 indexed but gone); "
        "rebuilding it fixes this"
    ]
