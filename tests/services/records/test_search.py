"""Search everywhere, on the demo desk: what a query finds, how it is grouped and
named, and where each result opens."""

import pytest
from sqlalchemy import event

from nsdesk.services.records.record_service import RecordService
from nsdesk.services.records.registers import load_register, register
from nsdesk.services.records.search import parse_snippet, search_desk
from nsdesk.store.search import HIGHLIGHT_END, HIGHLIGHT_START

ORDER = ["Commitments", "Progress entries", "Gift baskets", "Documents", "Agencies"]


def labels(results):
    return [group.label for group in results.groups]


def matched_words(result):
    return {text.casefold() for text, matched in result.snippet if matched}


def test_results_are_grouped_in_a_fixed_order(demo_desk):
    results = search_desk(demo_desk, "security")
    assert labels(results) == ORDER  # the demo has "security" in every kind
    assert [g.kind for g in results.groups] == [
        "commitment",
        "status_entry",
        "gift_basket",
        "document",
        "agency",
    ]
    assert all(hit.kind == group.kind for group in results.groups for hit in group.hits)


def test_kinds_without_a_match_have_no_group(demo_desk):
    assert labels(search_desk(demo_desk, "marrakech")) == ["Progress entries"]


def test_every_result_opens_a_row_of_its_register(demo_desk):
    opens_in = {"status_entry": "commitment"}
    for hit in search_desk(demo_desk, "security").all_results():
        assert register(hit.register).kind == opens_in.get(hit.kind, hit.kind)
        rows = load_register(demo_desk, hit.register, keys=[hit.key])
        assert [row.key for row in rows] == [hit.key], hit


def test_a_word_of_a_commitment_title_finds_it_by_its_ref(demo_desk):
    title = RecordService(demo_desk).values("commitment", "C-0008")["title"]
    assert "portal monitors" in title
    (group,) = search_desk(demo_desk, "portal monitors").groups
    (hit,) = [h for h in group.hits if h.key == "C-0008"]
    assert (hit.kind, hit.register) == ("commitment", "commitments")
    assert hit.title == f"C-0008 {title}"
    assert {"portal", "monitors"} <= matched_words(hit)


def test_a_word_only_in_a_history_entry_finds_the_entry_and_opens_its_commitment(demo_desk):
    (group,) = search_desk(demo_desk, "Marrakech").groups
    (hit,) = group.hits
    entry = RecordService(demo_desk).values("status_entry", hit.detail_key)
    assert "Marrakech" in entry["narrative"]
    assert (hit.kind, hit.register, hit.key) == ("status_entry", "commitments", "C-0001")
    assert entry["commitment"] == "C-0001"
    assert hit.title.startswith(f"C-0001 · {entry['entry_date'].isoformat()} · Completed — ")
    assert matched_words(hit) == {"marrakech"}


def test_accents_do_not_matter(demo_desk):
    created = RecordService(demo_desk).create(
        "document", {"kind": "communique", "title": "Final communiqué of the Gelderland sherpas"}
    )
    for query in ("communique gelderland", "Communiqué Gelderland", "COMMUNIQUE gelder"):
        (group,) = search_desk(demo_desk, query).groups
        assert [(h.register, h.key) for h in group.hits] == [("documents", created.uuid)], query
        assert group.hits[0].title == "Final communiqué of the Gelderland sherpas"


def test_the_last_word_is_a_prefix_and_the_others_are_whole(demo_desk):
    keys = [h.key for h in search_desk(demo_desk, "portal monit").all_results()]
    assert "C-0008" in keys
    assert search_desk(demo_desk, "port monitors").groups == ()  # only the last is a prefix


def test_agencies_are_named_by_code_and_name(demo_desk):
    (group,) = search_desk(demo_desk, "MFA").groups
    assert [(h.register, h.key, h.title) for h in group.hits] == [
        ("agencies", "MFA", "MFA — Ministry of Foreign Affairs")
    ]


def test_a_retired_commitment_and_its_history_are_not_found(demo_desk):
    assert "C-0001" in {h.key for h in search_desk(demo_desk, "forensics").all_results()}
    RecordService(demo_desk).retire("commitment", "C-0001")
    assert "C-0001" not in {h.key for h in search_desk(demo_desk, "forensics").all_results()}
    assert search_desk(demo_desk, "marrakech").groups == ()  # its history went with it


@pytest.mark.parametrize("query", ["", "   ", "...", "—", '"*()', "-- ;"])
def test_a_query_without_words_finds_nothing(demo_desk, query):
    results = search_desk(demo_desk, query)
    assert results.groups == ()
    assert results.is_empty


def test_groups_stop_at_the_limit_and_say_there_is_more(demo_desk):
    results = search_desk(demo_desk, "security", limit=2)
    assert all(len(g.hits) <= 2 for g in results.groups)
    commitments = results.groups[0]
    assert (len(commitments.hits), commitments.more) == (2, True)
    everything = search_desk(demo_desk, "security", limit=500)
    assert not any(g.more for g in everything.groups)
    assert everything.groups[0].hits[:2] == commitments.hits  # best first, both times


def test_titles_are_read_in_one_statement_not_per_hit(demo_desk):
    statements = []
    event.listen(demo_desk.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    results = search_desk(demo_desk, "nuclear", limit=100)
    assert len(results.all_results()) > 50
    assert len({g.kind for g in results.groups}) >= 3
    # For the index five on a desk file (one per kind), one on a server; then one for
    # the titles of every kind found.
    index = 5 if demo_desk.is_file else 1
    assert len([s for s in statements if s.lstrip("( ").startswith("SELECT")]) == index + 1


def test_snippets_are_split_at_the_markers():
    marked = f"…the {HIGHLIGHT_START}Hoogland{HIGHLIGHT_END}\n  research {HIGHLIGHT_START}re"
    assert parse_snippet(marked + f"actor{HIGHLIGHT_END}") == (
        ("…the ", False),
        ("Hoogland", True),
        (" research ", False),
        ("reactor", True),
    )
    assert parse_snippet("plain <b>text</b>") == (("plain <b>text</b>", False),)
    assert parse_snippet("") == ()


def test_a_title_close_to_a_commitment_names_it_first(demo_desk):
    from nsdesk.services.records.search import close_commitments

    close = close_commitments(demo_desk, "Establish a national nuclear forensics library")
    assert [(c.ref, c.title) for c in close][:1] == [
        ("C-0021", "Build a national nuclear forensics library")
    ]
    assert close[0].closeness == pytest.approx(4 / 6)
    # Sharing "nuclear" and "forensics" with C-0001 is not being close to it.
    assert "C-0001" not in {c.ref for c in close}
    assert [c.ref for c in close_commitments(demo_desk, "Host an IPPAS follow-up mission")][:2] == [
        "C-0032",
        "C-0011",
    ]
    assert close_commitments(demo_desk, "Ratify the Treaty of Pelindaba") == ()
    assert close_commitments(demo_desk, "the of a") == ()


def test_a_retired_commitment_is_never_called_a_duplicate(demo_desk):
    from nsdesk.services.records.search import close_commitments

    RecordService(demo_desk).retire("commitment", "C-0021")
    close = close_commitments(demo_desk, "Build a national nuclear forensics library")
    assert "C-0021" not in {c.ref for c in close}
