"""A count is said with its noun agreeing, wherever nsdesk says it."""

from nsdesk.domain.wording import count


def test_one_is_singular_and_the_rest_plural_with_thousands_marked():
    assert count(1, "record") == "1 record"
    assert count(0, "record") == "0 records"
    assert count(1204, "record") == "1,204 records"
    assert count(3, "entry", "entries") == "3 entries"
