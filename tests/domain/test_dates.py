from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nsdesk.domain.dates import PartialDate, Precision, parse_iso_date


@pytest.mark.parametrize(
    ("text", "precision", "earliest", "latest"),
    [
        ("2013", Precision.YEAR, date(2013, 1, 1), date(2013, 12, 31)),
        ("2016-02", Precision.MONTH, date(2016, 2, 1), date(2016, 2, 29)),
        ("2016-04-01", Precision.DAY, date(2016, 4, 1), date(2016, 4, 1)),
        (" 2014-3 ", Precision.MONTH, date(2014, 3, 1), date(2014, 3, 31)),
    ],
)
def test_a_partial_date_covers_exactly_the_days_it_can_mean(text, precision, earliest, latest):
    value = PartialDate.parse(text)
    assert value.precision is precision
    assert (value.earliest(), value.latest()) == (earliest, latest)


@pytest.mark.parametrize("text", ["2013-02-30", "2013-13", "31/12/2013", "", "end of 2013"])
def test_impossible_or_foreign_dates_are_refused(text):
    with pytest.raises(ValueError, match=r"2016|day|month|date"):
        PartialDate.parse(text)


def test_display_is_what_a_reader_expects():
    assert PartialDate.parse("2013").display() == "2013"
    assert PartialDate.parse("2013-12").display() == "Dec 2013"
    assert PartialDate.parse("2013-12-05").display() == "5 Dec 2013"


def test_full_dates_are_required_where_a_day_is_needed():
    assert parse_iso_date("2026-03-31") == date(2026, 3, 31)
    with pytest.raises(ValueError, match="full date"):
        parse_iso_date("2026-03")


@given(st.dates(min_value=date(1, 1, 1)), st.sampled_from(["year", "month", "day"]))
def test_text_form_round_trips_and_sorts_like_the_calendar(day, precision):
    value = PartialDate(
        day.year,
        day.month if precision != "year" else None,
        day.day if precision == "day" else None,
    )
    assert PartialDate.parse(str(value)) == value
    assert value.earliest() <= day <= value.latest()
