"""Relative and absolute date phrases resolve against the publication date."""

import datetime as dt

import pytest

from kg.extract.lang.en.dates import resolve_date
from kg.schema import DatePrecision

WEDNESDAY = dt.date(2025, 3, 12)


@pytest.mark.parametrize(
    ("phrase", "expected", "precision"),
    [
        ("on Tuesday", dt.date(2025, 3, 11), DatePrecision.DAY),
        ("Wednesday", dt.date(2025, 3, 12), DatePrecision.DAY),  # the day of publication
        ("Thursday", dt.date(2025, 3, 6), DatePrecision.DAY),  # never after publication
        ("late on Sunday", dt.date(2025, 3, 9), DatePrecision.DAY),
        ("Monday night", dt.date(2025, 3, 10), DatePrecision.DAY),
        ("overnight", dt.date(2025, 3, 11), DatePrecision.DAY),
        ("yesterday", dt.date(2025, 3, 11), DatePrecision.DAY),
        ("two days ago", dt.date(2025, 3, 10), DatePrecision.DAY),
        ("last week", dt.date(2025, 3, 3), DatePrecision.WEEK),
        ("earlier this month", dt.date(2025, 3, 1), DatePrecision.MONTH),
        ("in January", dt.date(2025, 1, 1), DatePrecision.MONTH),
        ("3 March", dt.date(2025, 3, 3), DatePrecision.DAY),
        ("March 3, 2024", dt.date(2024, 3, 3), DatePrecision.DAY),
        ("2019", dt.date(2019, 1, 1), DatePrecision.YEAR),
    ],
)
def test_phrases_resolve_against_publication(phrase, expected, precision):
    resolved = resolve_date(phrase, WEDNESDAY)
    assert resolved is not None
    assert (resolved.date, resolved.precision, resolved.text) == (expected, precision, phrase)


@pytest.mark.parametrize("phrase", ["over two decades", "a day", "for three weeks", "next week"])
def test_durations_and_future_are_not_event_dates(phrase):
    assert resolve_date(phrase, WEDNESDAY) is None


def test_relative_phrases_need_a_publication_date():
    assert resolve_date("on Tuesday", None) is None
    absolute = resolve_date("3 March 2024", None)
    assert absolute is not None and absolute.date == dt.date(2024, 3, 3)


# The common shapes are read without dateparser; they must mean what dateparser makes of
# them, on every kind of publication day (year ends, leap days, the month itself).
COMMON_PHRASES = ["2021", "1999", "March 2024", "Sept 2024", "Dec. 2024", "December", "June",
                  "May", "Jan", "11 June", "30 April", "16 Nov", "May 29", "Oct 7", "Sept 10",
                  "1 January", "31 December", "May 29, 2024", "29 May 2024", "Feb. 14",
                  "29 Feb", "31 April", "June 11, 2024", "11 june", "last year", "last month",
                  "last week"]
PUBLICATION_DAYS = ([dt.date(2023, 1, 1) + dt.timedelta(days=i) for i in range(0, 430, 9)]
                    + [dt.date(2024, 2, 29), dt.date(2024, 3, 1), dt.date(2023, 12, 31),
                       dt.date(2024, 1, 1), dt.date(2024, 6, 11), dt.date(2024, 6, 10)])


def test_common_forms_read_as_dateparser_reads_them():
    from kg.extract.lang.en.dates import _common_form, _parser, _period_start

    periods = {"week": DatePrecision.WEEK, "month": DatePrecision.MONTH, "year": DatePrecision.YEAR}
    compared = 0
    for base in PUBLICATION_DAYS:
        for phrase in COMMON_PHRASES:
            fast = _common_form(phrase, base)
            if fast is None:
                continue  # left to dateparser ("31 April", "29 Feb" of a common year)
            data = _parser(base).get_date_data(phrase)
            assert data.date_obj is not None, (phrase, base)
            precision = periods.get(data.period or "day", DatePrecision.DAY)
            assert fast == (_period_start(data.date_obj.date(), precision), precision), (phrase, base)
            compared += 1
    assert compared > len(PUBLICATION_DAYS) * (len(COMMON_PHRASES) - 3)


def test_uncommon_forms_are_left_to_dateparser():
    from kg.extract.lang.en.dates import _common_form

    base = dt.date(2025, 3, 10)
    for phrase in ("31 April", "a year ago", "two weeks ago", "mid-2013", "19/12/2018", "the 1990s"):
        assert _common_form(phrase, base) is None
