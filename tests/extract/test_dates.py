"""Relative and absolute date phrases resolve against the publication date."""

import datetime as dt

import pytest

from kg.extract.dates import resolve_date
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
