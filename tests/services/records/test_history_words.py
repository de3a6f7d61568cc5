"""The history says what changed in the words of the forms, not the desk's field names."""

from nsdesk.services.records.history import load_history


def test_a_record_created_in_one_go_lists_its_fields_by_label(demo_desk):
    created = load_history(demo_desk, kind="baseline")[0]
    assert created.new_value.startswith("As of: 2014-03-24")
    assert "as_of" not in created.new_value
    assert "Sensitivity: INTERNAL" in created.new_value
