"""Resolve the date phrases of news reports against the publication date.

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
    r"\b(for|over|past|decades?|years? (?:ago|old)|days?|weeks|months|hours?|minutes?)\b",
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
    data = _parser(base).get_date_data(cleaned)
    if data.date_obj is None:
        return None
    precision = {
        "week": DatePrecision.WEEK,
        "month": DatePrecision.MONTH,
        "year": DatePrecision.YEAR,
    }.get(data.period or "day", DatePrecision.DAY)
    return _period_start(data.date_obj.date(), precision), precision


def _period_start(day: dt.date, precision: DatePrecision) -> dt.date:
    """Dates of week, month or year precision are stored as the period's first day."""
    if precision is DatePrecision.WEEK:
        return day - dt.timedelta(days=day.weekday())
    if precision is DatePrecision.MONTH:
        return day.replace(day=1)
    if precision is DatePrecision.YEAR:
        return day.replace(month=1, day=1)
    return day
