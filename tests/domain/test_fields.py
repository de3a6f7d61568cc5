from datetime import date

import pytest

from nsdesk.domain.dates import PartialDate
from nsdesk.domain.enums import CommitmentStatus
from nsdesk.domain.errors import ValidationError
from nsdesk.domain.fields import MAX_LONG_TEXT, FieldSpec, FieldType, coerce
from nsdesk.domain.records import RECORD_SPECS, spec_for

TITLE = FieldSpec("title", "Title", FieldType.TEXT, required=True)
TEXT = FieldSpec("text", "Verbatim text", FieldType.LONG_TEXT)
DUE = FieldSpec("due", "Due", FieldType.PARTIAL_DATE)
STATUS = FieldSpec("status", "Status", FieldType.ENUM, enum=CommitmentStatus)


def test_single_line_text_is_tidied_and_long_text_keeps_its_lines():
    assert coerce(TITLE, "  Ratify   ICSANT \n") == "Ratify ICSANT"
    assert coerce(TEXT, "Para 1.\r\nPara 2.") == "Para 1.\nPara 2."


def test_required_fields_say_so():
    with pytest.raises(ValidationError, match="Title: expected a value"):
        coerce(TITLE, "   ")


def test_control_characters_and_over_long_text_are_refused_not_cut():
    with pytest.raises(ValidationError, match="control characters"):
        coerce(TEXT, "bell\x07")
    with pytest.raises(ValidationError, match="32,767"):
        coerce(TEXT, "x" * (MAX_LONG_TEXT + 1))


def test_dates_accept_the_unambiguous_forms_only():
    assert coerce(DUE, "2013") == PartialDate(2013)
    assert coerce(DUE, date(2013, 12, 31)) == PartialDate(2013, 12, 31)
    with pytest.raises(ValidationError, match="Due: expected a date like 2026-03-31"):
        coerce(DUE, "12/31/2013")


def test_enum_values_match_regardless_of_case_and_spaces():
    assert coerce(STATUS, " In Progress ") is CommitmentStatus.IN_PROGRESS
    with pytest.raises(ValidationError, match="one of: Pledged, In progress"):
        coerce(STATUS, "done-ish")


def test_references_accept_a_semicolon_list():
    themes = spec_for("commitment").field("themes")
    assert coerce(themes, "heu_pu_minimization; nuclear_forensics;") == [
        "heu_pu_minimization",
        "nuclear_forensics",
    ]


def test_every_record_kind_of_the_product_is_declared():
    wanted = {
        "party", "instrument", "participation", "milestone", "event", "document",
        "gift_basket", "membership_snapshot", "action_item", "commitment", "target",
        "status_entry", "agency", "agency_contact", "theme", "reporting_obligation",
        "baseline", "deadline", "source",
    }  # fmt: skip
    assert wanted <= set(RECORD_SPECS)
    with pytest.raises(ValidationError, match="kind"):
        spec_for("ministry")
