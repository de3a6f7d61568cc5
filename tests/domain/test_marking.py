import pytest
from hypothesis import given
from hypothesis import strategies as st

from nsdesk.domain.errors import ValidationError
from nsdesk.domain.marking import DEFAULT_MARKING_SCHEME as SCHEME
from nsdesk.domain.marking import MarkingScheme


def test_the_ceiling_lets_through_only_what_is_at_or_below_it():
    assert SCHEME.allows("PUBLIC", "INTERNAL")
    assert SCHEME.allows("INTERNAL", "INTERNAL")
    assert not SCHEME.allows("RESTRICTED", "INTERNAL")


@given(st.lists(st.sampled_from(SCHEME.codes)))
def test_the_printed_marking_is_never_lower_than_anything_included(included):
    marking = SCHEME.marking_for(included)
    assert all(SCHEME.rank(code) <= SCHEME.rank(marking) for code in included)
    assert marking in included or (not included and marking == SCHEME.lowest)


def test_levels_are_matched_by_code_or_label_in_any_case():
    assert SCHEME.normalise(" restricted ") == "RESTRICTED"
    with pytest.raises(ValidationError, match="PUBLIC, INTERNAL, RESTRICTED, CONFIDENTIAL"):
        SCHEME.normalise("SECRET")


def test_a_scheme_needs_distinct_well_formed_codes():
    with pytest.raises(ValidationError, match="each level code once"):
        MarkingScheme.from_codes(["PUBLIC", "PUBLIC"])
    with pytest.raises(ValidationError, match="capital letters"):
        MarkingScheme.from_codes(["public"])
