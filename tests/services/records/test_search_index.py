"""Full-text search over the register, on both kinds of desk: FTS5 in a desk file,
tsvector and GIN on a server, the same hits from both."""

import pytest

from nsdesk.services.records.record_service import RecordService
from nsdesk.store.search import HIGHLIGHT_END, HIGHLIGHT_START, full_text_search_for


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


def search(desk, query):
    with desk.connect() as connection:
        return full_text_search_for(connection.dialect.name).search(connection, query)


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
    assert kinds(search(desk, "COMMUNIQUÉ")) != []  # and the other way round
    records.create("agency", {"code": "ZRH", "name": "Zürcher Behörde für Kernenergie"})
    assert kinds(search(desk, "zurcher behorde")) == ["agency"]


def test_a_snippet_marks_the_words_as_stored_accents_and_all(desk, records):
    # The name (two words matched, accented) beats the notes (one, plain ASCII): a
    # server desk folds the two kinds of text by different paths, and must still
    # count, choose and mark as the desk file's index does.
    records.create(
        "agency",
        {
            "code": "ZRH",
            "name": "Zürcher Behörde für Kernenergie",
            "notes": "Inspects the ZURCHER research reactor",
        },
    )
    (hit,) = search(desk, "zurcher BEHORDE")
    mark = f"{HIGHLIGHT_START}{{}}{HIGHLIGHT_END}"
    assert hit.snippet == f"{mark.format('Zürcher')} {mark.format('Behörde')} für Kernenergie"


def test_a_reference_is_found_by_its_parts_and_as_a_prefix(desk, records):
    assert kinds(search(desk, "C-0001")) == ["commitment"]
    assert kinds(search(desk, "C-00")) == ["commitment"]


def test_edits_are_reindexed_and_retired_records_are_not_found(desk, records):
    records.update("commitment", "C-0001", {"title": "Repatriate Veluwe spent fuel", "text": ""})
    assert search(desk, "hoogland") == []
    assert kinds(search(desk, "veluwe")) == ["commitment"]
    records.retire("commitment", "C-0001")
    assert search(desk, "veluwe") == []


@pytest.mark.parametrize("query", ['"', "AND OR NOT", "NEAR(", "*", "a:b", "-", "'; DROP"])
def test_search_syntax_typed_by_a_user_is_harmless(desk, records, query):
    assert isinstance(search(desk, query), list)


def test_the_index_is_checked_read_only(desk, records):
    with desk.connect() as connection:
        assert full_text_search_for(connection.dialect.name).problems(connection) == []


@pytest.mark.file_desk
def test_a_desk_file_index_out_of_step_is_reported(desk, records):
    from nsdesk.store.search import Fts5Search

    with desk.reading() as session:
        session.connection().exec_driver_sql("PRAGMA query_only = OFF")
        session.connection().exec_driver_sql("DELETE FROM fts_agency_docsize")
        problems = Fts5Search().problems(session.connection())
        session.rollback()
    assert problems == [
        "the search index of agencies is out of step (1 not indexed, 0 indexed but gone); "
        "rebuilding it fixes this"
    ]


@pytest.mark.server_desk
def test_a_server_search_uses_its_index_and_a_missing_one_is_reported(desk, records):
    from nsdesk.store.search import TsvectorSearch

    with desk.engine.begin() as connection:
        connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
        plan = " ".join(
            row[0]
            for row in connection.exec_driver_sql(
                "EXPLAIN SELECT id FROM commitment r WHERE r.search_vector"
                " @@ to_tsquery('nsdesk_search', 'hoogland')"
            )
        )
        assert "ix_search_commitment" in plan
        connection.exec_driver_sql("DROP INDEX ix_search_agency")
        problems = TsvectorSearch().problems(connection)
        connection.rollback()
    assert problems == [
        "the search index of agencies is missing; search is slow until it is rebuilt"
    ]
