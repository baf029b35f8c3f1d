"""One JSON object to one `Article`, shared by the `.json` and `.jsonl` readers.

Known fields and their aliases (the first present, non-null one wins):
`id`; `url` (`link`); `title` (`headline`); `text` (`body`, `content`); `summary`
(`description`); `published` (`date`, `published_at`, `datePublished`); `source`
(`publisher`, `outlet`; an object's `name` is used, as in schema.org); `language` (`lang`).
Every other field is kept in `metadata`, made JSON-safe (NaN and infinities become null,
lone surrogates U+FFFD), so later stages can store it as it is.

Wrong types (text not a string, id an object or null) fail the record. A date that cannot be
read keeps the article: the raw value goes to `metadata["unparsed_published"]` with a warning.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

from kg.errors import ReadError
from kg.models import Article
from kg.sources.base import ReadContext, clean_text, finish_article

FIELDS: dict[str, tuple[str, ...]] = {
    "id": ("id",),
    "url": ("url", "link"),
    "title": ("title", "headline"),
    "text": ("text", "body", "content"),
    "summary": ("summary", "description"),
    "published": ("published", "date", "published_at", "datePublished"),
    "source": ("source", "publisher", "outlet"),
    "language": ("language", "lang"),
}
MAX_ID_CHARS = 200
# Deeper metadata is not something an article record needs, and deeper still would hit
# Python's recursion limit in whoever serialises it next.
MAX_METADATA_DEPTH = 32
# Dates as epoch seconds are accepted only in a plausible range for news.
_MIN_YEAR, _MAX_YEAR = 1900, 2200
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, float) and math.isnan(value):
        return "NaN"
    return {dict: "an object", list: "a list", bool: "a boolean", int: "a number",
            float: "a number", str: "a string"}.get(type(value), type(value).__name__)


def json_safe(value: Any, where: str, origin: str, depth: int = 0) -> Any:
    """A copy of a parsed JSON value that any JSON writer accepts."""
    if depth > MAX_METADATA_DEPTH:
        raise ReadError(origin, f"field {where!r} is nested more than {MAX_METADATA_DEPTH} levels deep")
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {clean_text(str(k)): json_safe(v, where, origin, depth + 1) for k, v in value.items()}
    if isinstance(value, list):
        return [json_safe(v, where, origin, depth + 1) for v in value]
    return value


def _string(value: Any, name: str, origin: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ReadError(origin, f"field {name!r} must be a string, got {_type_name(value)}")
    return clean_text(value)


def _article_id(value: Any, origin: str) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ReadError(origin, f"field 'id' must be a string or an integer, got {_type_name(value)}")
    text = clean_text(str(value)).strip()
    if not text:
        raise ReadError(origin, "field 'id' is empty")
    if len(text) > MAX_ID_CHARS:
        raise ReadError(origin, f"field 'id' is {len(text)} characters, over the limit of {MAX_ID_CHARS}")
    if not text.isprintable():
        raise ReadError(origin, "field 'id' contains unprintable characters")
    return text


def _source(value: Any, name: str, origin: str) -> str | None:
    if isinstance(value, dict):
        value = value.get("name")
        name = f"{name}.name"
    return _string(value, name, origin)


def parse_date(value: Any) -> dt.date | None:
    """A publication date from ISO text, other absolute date text, or epoch seconds; else None.

    dateparser runs without its relative parser, so "yesterday" or "Tuesday" is not read
    against today's clock, and must find a year, a month and a day.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        if not math.isfinite(value):
            return None
        seconds = value / 1000 if abs(value) >= 1e11 else value  # milliseconds, as JS writes them
        try:
            date = dt.datetime.fromtimestamp(seconds, tz=dt.UTC).date()
        except (OverflowError, OSError, ValueError):
            return None
        return date if _MIN_YEAR <= date.year <= _MAX_YEAR else None
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text or len(text) > 100:
        return None
    if _ISO_DATE.match(text):
        try:
            # The date as written: a report dated 23:30 local time belongs to that local day.
            return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).date()
        except ValueError:
            try:
                return dt.date.fromisoformat(text[:10])
            except ValueError:
                pass
    import dateparser  # slow to import; most inputs never need it

    try:
        parsed = dateparser.parse(text, settings={
            "PARSERS": ["custom-formats", "absolute-time"],
            "REQUIRE_PARTS": ["year", "month", "day"],
            "RETURN_AS_TIMEZONE_AWARE": False,
        })
    except Exception:  # dateparser raises assorted errors on odd input; all mean "no date"
        return None
    if parsed is None or not _MIN_YEAR <= parsed.year <= _MAX_YEAR:
        return None
    return parsed.date()


def record_to_article(record: Any, origin: str, ctx: ReadContext) -> Article:
    """Map one parsed JSON value to an `Article`; raise `ReadError` naming the bad field."""
    if not isinstance(record, dict):
        raise ReadError(origin, f"expected a JSON object, got {_type_name(record)}")
    used: set[str] = set()
    values: dict[str, tuple[str, Any]] = {}
    for name, aliases in FIELDS.items():
        for alias in aliases:
            if alias in record and record[alias] is not None:
                values[name] = (alias, record[alias])
                used.add(alias)
                break
    if "id" in record and "id" not in values:
        raise ReadError(origin, "field 'id' must be a string or an integer, got null")

    if "text" not in values:
        raise ReadError(origin, "no article text (expected a 'text', 'body' or 'content' field)")
    text = _string(values["text"][1], values["text"][0], origin) or ""
    warnings: list[str] = []

    def field(name: str) -> str | None:
        if name not in values:
            return None
        alias, value = values[name]
        if name == "source":
            return _source(value, alias, origin)
        return _string(value, alias, origin)

    metadata = {
        clean_text(str(k)): json_safe(v, str(k), origin)
        for k, v in record.items() if k not in used
    }
    published = read_published(values.get("published"), origin, metadata, warnings)

    return finish_article(
        origin=origin,
        text=text,
        ctx=ctx,
        article_id=_article_id(values["id"][1], origin) if "id" in values else None,
        title=field("title"),
        summary=field("summary"),
        url=field("url"),
        source=field("source"),
        published=published,
        language=field("language"),
        metadata=metadata,
        warnings=warnings,
    )


def read_published(found: tuple[str, Any] | None, origin: str, metadata: dict[str, Any],
                   warnings: list[str], prefix: str = "") -> dt.date | None:
    """The date of a (field name, raw value) pair; an unreadable one is kept in metadata
    with a warning, and the article is read without a date."""
    if found is None:
        return None
    alias, raw = found
    published = parse_date(raw)
    if published is None:
        metadata["unparsed_published"] = json_safe(raw, alias, origin)
        warnings.append(f"{prefix}cannot read {alias!r} as a date: {str(raw)[:80]!r}; kept in metadata")
    return published
