"""English date phrases of news reports, resolved against the publication date.

News writes "on Tuesday", "overnight", "last week" far more than calendar dates, so
relative phrases are resolved against the article's publication date and kept with
their original wording and a precision (day, week, month, year). Durations ("for two
decades", "a day") are not dates and yield nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from dateparser.date import DateDataParser

from kg.schema import DatePrecision

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december")

# Words around a date that change nothing about the day it names.
_NOISE = re.compile(
    r"\b(on|in|at|by|since|early|late|earlier|later|the|of|this|that|from|during|"
    r"morning|afternoon|evening|night|dawn|dusk|midday|noon|hours)\b",
    re.IGNORECASE,
)
# Phrases that name a span of time rather than a point in it.
_DURATION = re.compile(
    r"\b(for|over|past|decades?|years? (?:ago|old)|years|days?|weeks|months|hours?|minutes?)\b",
    re.IGNORECASE,
)
# Periods named relative to the report: (days back, precision).
_PERIODS = {
    "earlier this week": DatePrecision.WEEK,
    "this week": DatePrecision.WEEK,
    "the past week": DatePrecision.WEEK,
    "earlier this month": DatePrecision.MONTH,
    "this month": DatePrecision.MONTH,
    "earlier this year": DatePrecision.YEAR,
    "this year": DatePrecision.YEAR,
}
_ANCHORS = {
    "today": 0,
    "tonight": 0,
    "yesterday": 1,
    "overnight": 1,  # the night before the report: dated by the evening it began
    "last night": 1,
    "the day before": 1,
}


@dataclass(frozen=True)
class ResolvedDate:
    date: dt.date
    precision: DatePrecision
    text: str


@lru_cache(maxsize=64)
def _parser(base: dt.date) -> DateDataParser:
    return DateDataParser(
        languages=["en"],
        settings={
            "RELATIVE_BASE": dt.datetime(base.year, base.month, base.day),
            "PREFER_DATES_FROM": "past",
            "RETURN_TIME_AS_PERIOD": True,
            "STRICT_PARSING": False,
        },
    )


def _weekday(text: str, published: dt.date) -> dt.date | None:
    words = set(re.findall(r"[a-z]+", text.lower()))
    for index, name in enumerate(_WEEKDAYS):
        if name in words:
            # News uses the bare weekday for the last seven days, the day of publication included.
            offset = (published.weekday() - index) % 7
            return published - dt.timedelta(days=offset)
    return None


def weekday_named(text: str) -> str | None:
    """The weekday a date phrase names ("late on Tuesday" → "tuesday"), if any."""
    words = set(re.findall(r"[a-z]+", text.lower()))
    return next((name for name in _WEEKDAYS if name in words), None)


def resolve_date(text: str, published: dt.date | None) -> ResolvedDate | None:
    """Resolve a date phrase, or return None when it is no point in time we can place."""
    phrase = " ".join(text.split())
    lowered = phrase.lower()
    has_anchor = any(a in lowered for a in _ANCHORS)
    if published is not None and has_anchor:
        for anchor, days_back in _ANCHORS.items():
            if anchor in lowered:
                return ResolvedDate(published - dt.timedelta(days=days_back), DatePrecision.DAY, phrase)
    if published is not None:
        for period, precision in _PERIODS.items():
            if period in lowered:
                return ResolvedDate(_period_start(published, precision), precision, phrase)
    if _DURATION.search(lowered) and not re.search(r"\b(ago|last|next)\b", lowered):
        return None
    if published is not None:
        weekday = _weekday(lowered, published)
        if weekday is not None and not any(m in lowered for m in _MONTHS) and not re.search(r"\d", lowered):
            return ResolvedDate(weekday, DatePrecision.DAY, phrase)
    base = published or dt.date.today()
    cleaned = " ".join(_NOISE.sub(" ", phrase).split())
    if not cleaned or not re.search(r"[0-9]|" + "|".join(_MONTHS) + r"|week|month|year|ago",
                                    cleaned.lower()):
        return None
    if published is None and not re.search(r"\d{4}", cleaned):
        return None  # relative or year-less phrases need a publication date to mean anything
    parsed = _parse(cleaned, base)
    if parsed is None:
        return None
    when, precision = parsed
    if published is not None and when > published:
        return None  # a report cannot date its events after its own publication
    return ResolvedDate(when, precision, phrase)


# dateparser takes about a millisecond a phrase; reports of one day repeat their phrases.
@lru_cache(maxsize=4096)
def _parse(cleaned: str, base: dt.date) -> tuple[dt.date, DatePrecision] | None:
    """The first day of the period `cleaned` names, read by dateparser against `base`."""
    common = _common_form(cleaned, base)
    if common is not None:
        return common
    data = _parser(base).get_date_data(cleaned)
    if data.date_obj is None:
        return None
    precision = {
        "week": DatePrecision.WEEK,
        "month": DatePrecision.MONTH,
        "year": DatePrecision.YEAR,
    }.get(data.period or "day", DatePrecision.DAY)
    return _period_start(data.date_obj.date(), precision), precision


_MONTH_NUMBERS = {name: number for number, name in enumerate(_MONTHS, start=1)} | {
    name[:3]: number for number, name in enumerate(_MONTHS, start=1)} | {"sept": 9}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTH_NUMBERS, key=len, reverse=True)) + r")\.?"
_DAY, _YEAR = r"(?P<day>\d{1,2})", r"(?P<year>\d{4})"
# The shapes most date phrases of news take ("2021", "March 2024", "11 June", "May 29, 2024",
# "last year"), read here in microseconds. Each gives what dateparser gives with `_parser`'s
# settings (tests/extract/test_dates.py compares them day by day); anything else goes to it.
_COMMON_FORMS = [re.compile(pattern, re.IGNORECASE) for pattern in (
    rf"{_YEAR}",
    rf"{_MONTH},? {_YEAR}",
    rf"{_MONTH}",
    rf"{_DAY} {_MONTH}(?:,? {_YEAR})?",
    rf"{_MONTH} {_DAY}(?:,? {_YEAR})?",
    r"last (?P<last>week|month|year)",
)]


def _common_form(cleaned: str, base: dt.date) -> tuple[dt.date, DatePrecision] | None:
    """`_parse` for the common shapes of date phrase, or None to ask dateparser."""
    match = next((m for m in (f.fullmatch(cleaned) for f in _COMMON_FORMS) if m), None)
    if match is None:
        return None
    found = match.groupdict()
    if found.get("last"):
        if found["last"] == "year":
            return dt.date(base.year - 1, 1, 1), DatePrecision.YEAR
        if found["last"] == "month":
            return (base.replace(day=1) - dt.timedelta(days=1)).replace(day=1), DatePrecision.MONTH
        return _period_start(base - dt.timedelta(days=7), DatePrecision.WEEK), DatePrecision.WEEK
    month = _MONTH_NUMBERS[found["month"].lower()] if found.get("month") else 1
    if found.get("day") is None:
        if found.get("year"):
            precision = DatePrecision.MONTH if found.get("month") else DatePrecision.YEAR
            return dt.date(int(found["year"]), month, 1), precision
        # A bare month is the last one of that name, this one included ("in June").
        return dt.date(base.year - (month > base.month), month, 1), DatePrecision.MONTH
    year = int(found["year"]) if found.get("year") else base.year
    try:
        day = dt.date(year, month, int(found["day"]))
        if not found.get("year") and day > base:
            day = day.replace(year=year - 1)  # "11 June" is the last 11 June before the report
    except ValueError:
        return None  # "31 April", "29 Feb" of a common year: dateparser decides
    return day, DatePrecision.DAY


def _period_start(day: dt.date, precision: DatePrecision) -> dt.date:
    """Dates of week, month or year precision are stored as the period's first day."""
    if precision is DatePrecision.WEEK:
        return day - dt.timedelta(days=day.weekday())
    if precision is DatePrecision.MONTH:
        return day.replace(day=1)
    if precision is DatePrecision.YEAR:
        return day.replace(month=1, day=1)
    return day
