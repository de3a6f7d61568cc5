"""The registers' read models: what each list shows, and its filters."""

from __future__ import annotations

from datetime import date

import pytest

from nsdesk.domain.enums import DeadlineState
from nsdesk.services.records.choices import load_filter_choices, reference_choices
from nsdesk.services.records.history import load_history
from nsdesk.services.records.locate import locate
from nsdesk.services.records.record_service import RecordService
from nsdesk.services.records.register_rows import RegisterFilter, filter_rows
from nsdesk.services.records.registers import REGISTERS, load_register
from tests.conftest import DEMO_DAY


@pytest.mark.parametrize("name", sorted(REGISTERS))
def test_every_register_lists_its_records_with_a_cell_per_column(demo_desk, name):
    rows = load_register(demo_desk, name, as_of=DEMO_DAY)
    assert rows, f"the demo has no {name}"
    width = len(REGISTERS[name].columns)
    assert all(len(r.cells) == width and len(r.sort_keys) == width for r in rows)
    assert len({r.key for r in rows}) == len(rows)  # each record once, by a key that finds it


def test_commitment_rows_carry_status_deadline_themes_and_agencies(demo_desk):
    rows = {r.key: r for r in load_register(demo_desk, "commitments", as_of=DEMO_DAY)}
    assert len(rows) == 60
    late = [r for r in rows.values() if r.deadline is DeadlineState.LATE]
    assert late
    assert all(r.cells[5].startswith("Late (") and "passed" in r.deadline_reason for r in late)
    values = RecordService(demo_desk).values("commitment", "C-0001")
    row = rows["C-0001"]
    assert row.themes == set(values["themes"])
    assert set(values["contributing_agencies"]) <= row.agencies
    assert values["lead_agency"] in row.agencies


def test_filters_combine_and_match_words_in_any_order_and_case(demo_desk):
    rows = load_register(demo_desk, "commitments", as_of=DEMO_DAY)
    some = rows[0]
    words = some.cells[1].split()
    wanted = f"{words[-1].upper()} {words[0].lower()}"
    found = filter_rows(rows, RegisterFilter(text=wanted))
    assert some in found
    late_mfa = filter_rows(rows, RegisterFilter(deadline="late", agency="MFA"))
    assert late_mfa == [r for r in rows if r.deadline is DeadlineState.LATE and "MFA" in r.agencies]
    assert filter_rows(rows, RegisterFilter(status="completed")) == [
        r for r in rows if r.cells[2] == "Completed"
    ]


def test_due_before_an_event_leaves_out_what_already_passed(demo_desk):
    rows = load_register(demo_desk, "commitments", as_of=DEMO_DAY)
    before = date(2027, 6, 30)
    found = filter_rows(rows, RegisterFilter(due_before=before), as_of=DEMO_DAY)
    assert found
    assert all(r.due is not None and DEMO_DAY <= r.due <= before for r in found)


def test_retired_records_are_hidden_unless_asked_for(demo_desk):
    RecordService(demo_desk).retire("commitment", "C-0002")
    rows = load_register(demo_desk, "commitments", as_of=DEMO_DAY)
    assert "C-0002" not in {r.key for r in filter_rows(rows, RegisterFilter())}
    shown = filter_rows(rows, RegisterFilter(include_retired=True))
    assert next(r for r in shown if r.key == "C-0002").retired


def test_reloading_one_record_by_uuid_or_key(demo_desk):
    ref = RecordService(demo_desk).identify("commitment", "C-0003")
    by_uuid = load_register(demo_desk, "commitments", keys=[ref.uuid])
    by_key = load_register(demo_desk, "commitments", keys=["C-0003"])
    assert [r.key for r in by_uuid] == [r.key for r in by_key] == ["C-0003"]


def test_a_few_rows_read_again_are_the_rows_the_whole_register_reads(demo_desk):
    """After an edit only the edited rows are read (their own targets, themes and
    helping agencies, not the whole desk's): they must read exactly as in a full load,
    target, status, deadline and facets included."""
    everything = {r.key: r for r in load_register(demo_desk, "commitments", as_of=DEMO_DAY)}
    with_targets = [k for k, r in everything.items() if r.cells[4]][:3]
    with_themes = [k for k, r in everything.items() if r.themes and k not in with_targets][:3]
    keys = with_targets + with_themes + ["C-0001"]
    assert len(with_targets) == len(with_themes) == 3
    few = load_register(demo_desk, "commitments", as_of=DEMO_DAY, keys=keys)
    assert {r.key for r in few} == set(keys)
    for row in few:
        assert row == everything[row.key], row.key


def test_refs_sort_by_number_and_empty_cells_last(demo_desk):
    rows = load_register(demo_desk, "commitments", as_of=DEMO_DAY)
    target_column = 4
    ordered = sorted(rows, key=lambda r: r.sort_keys[target_column])
    shown = [r.cells[target_column] for r in ordered]
    assert "" in shown
    assert shown.index("") > max(i for i, text in enumerate(shown) if text)


def test_filter_and_reference_choices_name_what_exists(demo_desk):
    choices = load_filter_choices(demo_desk)
    assert "MFA" in {c.key for c in choices.agencies}
    assert next(c.key for c in choices.sensitivities) == "PUBLIC"
    starts = [e.starts for e in choices.events]
    assert starts == sorted(starts)
    agencies = reference_choices(demo_desk, "agency")
    assert any(c.key == "MFA" and "Foreign" in c.label for c in agencies)


def test_a_progress_entry_is_found_with_its_commitment(demo_desk):
    service = RecordService(demo_desk, today=lambda: DEMO_DAY)
    entry = service.record_progress("C-0005", status="in_progress", narrative="Drafted")
    assert locate(demo_desk, "status_entry", entry.uuid) == ("commitments", "C-0005")
    assert locate(demo_desk, "agency", "MFA") == ("agencies", "MFA")


def test_the_history_lists_the_newest_change_first_and_filters_in_sql(demo_desk):
    RecordService(demo_desk).update("commitment", "C-0004", {"title": "Ratify the amendment"})
    newest = load_history(demo_desk, limit=5)
    assert newest[0].field == "Title"
    assert newest[0].new_value == "Ratify the amendment"
    assert "C-0004" in newest[0].record_label
    found = load_history(demo_desk, text="ratify AMENDMENT", kind="commitment")
    assert found
    assert all(row.kind == "commitment" for row in found)
    page = load_history(demo_desk, limit=10)
    older = load_history(demo_desk, limit=10, before=page[-1].position)
    assert older[0].position < page[-1].position  # in commit order, newest first
