"""The history says what changed in the words of the forms, not the desk's field names."""

from nsdesk.services.records.history import load_history


def test_a_record_created_in_one_go_lists_its_fields_by_label(demo_desk):
    created = load_history(demo_desk, kind="baseline")[0]
    assert created.new_value.startswith("As of: 2014-03-24")
    assert "as_of" not in created.new_value
    assert "Sensitivity: INTERNAL" in created.new_value


def test_a_step_is_named_by_its_kind_not_its_stored_value(demo_desk):
    steps = load_history(demo_desk, kind="milestone", limit=500)
    assert steps
    labels = {row.record_label for row in steps}
    assert not [label for label in labels if "_" in label]
    assert any("Mission hosted" in label or "Deposit" in label for label in labels)
