"""`.json` reader: field aliases, ids, dates, metadata, wrong types and hostile JSON."""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kg.models import Article
from kg.sources import ReadFailure
from kg.sources.records import parse_date

from .helpers import only_article, only_failure, read_all

Write = Callable[[str, str | bytes], Path]

TEXT = "Gunmen attacked a military base in Malam Fatori on Sunday, the army said."


def write_json(write: Write, value: Any, name: str = "a.json") -> Path:
    return write(name, json.dumps(value))


def test_canonical_fields(write: Write) -> None:
    article = only_article(read_all(write_json(write, {
        "id": "afp-123", "url": "https://example.org/a", "title": "Base Attacked",
        "text": TEXT, "summary": "An attack.", "published": "2025-03-12",
        "source": "AFP", "language": "en", "section": "Africa",
    })))
    assert article.id == "afp-123"
    assert article.url == "https://example.org/a"
    assert article.title == "Base Attacked"
    assert article.text == TEXT
    assert article.summary == "An attack."
    assert article.published == dt.date(2025, 3, 12)
    assert article.source == "AFP"
    assert article.language == "en"
    assert article.metadata == {"section": "Africa"}


@pytest.mark.parametrize(
    ("record", "field", "value"),
    [
        ({"body": TEXT}, "text", TEXT),
        ({"content": TEXT}, "text", TEXT),
        ({"text": TEXT, "description": "Dek."}, "summary", "Dek."),
        ({"text": TEXT, "date": "2025-03-12"}, "published", dt.date(2025, 3, 12)),
        ({"text": TEXT, "published_at": "2025-03-12T23:30:00-05:00"}, "published", dt.date(2025, 3, 12)),
        ({"text": TEXT, "datePublished": "2025-03-12T10:00:00Z"}, "published", dt.date(2025, 3, 12)),
        ({"text": TEXT, "publisher": "Reuters"}, "source", "Reuters"),
        ({"text": TEXT, "publisher": {"@type": "Organization", "name": "Reuters"}}, "source", "Reuters"),
        ({"text": TEXT, "outlet": "DPA"}, "source", "DPA"),
        ({"text": TEXT, "lang": "fr"}, "language", "fr"),
        ({"text": TEXT, "headline": "Base Attacked"}, "title", "Base Attacked"),
        ({"text": TEXT, "link": "https://example.org/b"}, "url", "https://example.org/b"),
    ],
)
def test_field_aliases(write: Write, record: dict[str, Any], field: str, value: Any) -> None:
    article = only_article(read_all(write_json(write, record)))
    assert getattr(article, field) == value
    assert article.metadata == {}


def test_first_alias_wins_and_the_others_stay_in_metadata(write: Write) -> None:
    article = only_article(read_all(write_json(write, {"text": TEXT, "body": "<p>Other</p>"})))
    assert article.text == TEXT
    assert article.metadata == {"body": "<p>Other</p>"}


def test_list_of_articles_with_a_bad_record(write: Write) -> None:
    path = write_json(write, [
        {"title": "One", "text": TEXT},
        {"title": "Two", "text": 42},
        "not an object",
        {"title": "Four", "text": TEXT + " Again."},
    ])
    items = read_all(path)
    assert [type(i).__name__ for i in items] == ["Article", "ReadFailure", "ReadFailure", "Article"]
    first, bad, scalar, last = items
    assert isinstance(first, Article) and isinstance(last, Article)
    assert (first.origin, last.origin) == (f"{path}#1", f"{path}#4")
    assert isinstance(bad, ReadFailure) and isinstance(scalar, ReadFailure)
    assert bad.message == f"{path} record 2: field 'text' must be a string, got a number"
    assert scalar.record == 3
    assert scalar.reason == "expected a JSON object, got a string"


@pytest.mark.parametrize(
    ("record", "reason"),
    [
        ({"title": "No text"}, "no article text (expected a 'text', 'body' or 'content' field)"),
        ({"text": ["a", "list"]}, "field 'text' must be a string, got a list"),
        ({"text": "   "}, "empty article"),
        ({"text": TEXT, "title": {"en": "x"}}, "field 'title' must be a string, got an object"),
        ({"text": TEXT, "source": ["AFP"]}, "field 'source' must be a string, got a list"),
        ({"text": TEXT, "id": {"a": 1}}, "field 'id' must be a string or an integer, got an object"),
        ({"text": TEXT, "id": None}, "field 'id' must be a string or an integer, got null"),
        ({"text": TEXT, "id": True}, "field 'id' must be a string or an integer, got a boolean"),
        ({"text": TEXT, "id": "  "}, "field 'id' is empty"),
        ({"text": TEXT, "id": "x" * 201}, "field 'id' is 201 characters, over the limit of 200"),
        ({"text": TEXT, "id": "a\tb"}, "field 'id' contains unprintable characters"),
    ],
)
def test_wrong_types_fail_the_record(write: Write, record: dict[str, Any], reason: str) -> None:
    assert only_failure(read_all(write_json(write, record))).reason == reason


def test_nan_id_fails(write: Write) -> None:
    path = write("nan.json", '{"id": NaN, "text": "Gunmen attacked a base."}')
    assert only_failure(read_all(path)).reason == "field 'id' must be a string or an integer, got NaN"


def test_ids_given_are_used_stripped_and_stringified(write: Write) -> None:
    assert only_article(read_all(write_json(write, {"id": "  abc-1 ", "text": TEXT}))).id == "abc-1"
    assert only_article(read_all(write_json(write, {"id": 12345, "text": TEXT}))).id == "12345"


def test_ids_without_id_field_are_stable_and_from_url(write: Write) -> None:
    path = write_json(write, {"text": TEXT, "title": "T"})
    assert only_article(read_all(path)).id == only_article(read_all(path)).id
    with_url = only_article(read_all(write_json(write, {"text": TEXT, "url": " https://x.org/1 "})))
    assert with_url.id == Article.make_id("https://x.org/1", None, "anything")


def test_unparsable_date_keeps_the_article_with_a_warning(write: Write,
                                                          caplog: pytest.LogCaptureFixture) -> None:
    path = write_json(write, {"text": TEXT, "date": "Tuesday"})
    with caplog.at_level(logging.WARNING, logger="kg.sources"):
        article = only_article(read_all(path))
    assert article.published is None
    assert article.metadata["unparsed_published"] == "Tuesday"
    assert article.metadata["read_warnings"] == ["cannot read 'date' as a date: 'Tuesday'; kept in metadata"]
    assert [r.getMessage() for r in caplog.records] == [
        f"{path}: cannot read 'date' as a date: 'Tuesday'; kept in metadata"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-03-12", dt.date(2025, 3, 12)),
        ("2025-03-12T23:30:00+05:30", dt.date(2025, 3, 12)),
        ("12 March 2025", dt.date(2025, 3, 12)),
        ("March 12, 2025 10:00 GMT", dt.date(2025, 3, 12)),
        ("Wed, 12 Mar 2025 08:00:00 +0000", dt.date(2025, 3, 12)),
        (1741737600, dt.date(2025, 3, 12)),
        (1741737600000, dt.date(2025, 3, 12)),
        ("yesterday", None),
        ("3 days ago", None),
        ("Tuesday", None),
        ("March 2025", None),
        ("2025-13-45", None),
        ("", None),
        (True, None),
        ({"y": 2025}, None),
        (float("nan"), None),
        (10**30, None),
    ],
)
def test_parse_date(value: Any, expected: dt.date | None) -> None:
    assert parse_date(value) == expected


def test_metadata_is_json_safe(write: Write) -> None:
    path = write("meta.json", '{"text": "Gunmen attacked.", "score": NaN, "big": Infinity, '
                              '"tags": ["a", "\\ud800b"], "nested": {"k\\udc00": [1, 2.5, null]}}')
    article = only_article(read_all(path))
    assert article.metadata == {"score": None, "big": None, "tags": ["a", "\ufffdb"],
                                "nested": {"k\ufffd": [1, 2.5, None]}}
    json.dumps(article.metadata, allow_nan=False).encode("utf-8")


def test_lone_surrogates_in_text_are_replaced(write: Write) -> None:
    path = write("sur.json", '{"title": "Attack \\ud83d", "text": "Gunmen \\udfff attacked. \\ud83d\\ude00"}')
    article = only_article(read_all(path))
    assert article.title == "Attack \ufffd"
    assert article.text == "Gunmen \ufffd attacked. \U0001f600"
    article.model_dump_json().encode("utf-8")


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("[" * 10_000 + "]" * 10_000, "invalid JSON: nested too deeply"),
        ('{"text": "x", "deep": ' + "[" * 10_000 + "]" * 10_000 + "}", "invalid JSON: nested too deeply"),
        ('{"text": "Gunmen.", "deep": ' + "[" * 40 + "]" * 40 + "}",
         "field 'deep' is nested more than 32 levels deep"),
        ('{"text": "Gunmen attacked."', "invalid JSON: Expecting ',' delimiter at line 1 column 28"),
        ('{"text": "x", "n": ' + "9" * 5000 + "}", "invalid JSON: Exceeds the limit"),
        ("[]", "empty article list"),
        ("42", "expected a JSON object, got a number"),
    ],
)
def test_hostile_json_is_a_clean_failure(write: Write, content: str, reason: str) -> None:
    assert only_failure(read_all(write("bad.json", content))).reason.startswith(reason)


def test_record_text_over_the_limit(write: Write) -> None:
    path = write_json(write, [{"text": "word " * 100}, {"text": TEXT}])
    items = read_all(path, max_bytes=200)
    assert isinstance(items[0], ReadFailure)
    assert items[0].reason == "article text is 499 bytes, over the limit of 200"
    assert isinstance(items[1], Article)


def test_json_file_over_its_limit(write: Write) -> None:
    path = write_json(write, [{"text": TEXT}] * 100)  # ~9 kB, over 32 x 200 bytes
    failure = only_failure(read_all(path, max_bytes=200))
    assert failure.reason.startswith("JSON file (use JSONL for large collections) is ")
    assert failure.reason.endswith("over the limit of 6400")
