"""Sidecar metadata (`<file>.meta.json`) for plain-text articles, and the examples' sidecars."""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from kg.models import Article
from kg.sources import ArticleOverrides, ReadFailure, walk
from kg.sources.sidecar import MAX_SIDECAR_BYTES, is_sidecar, sidecar_path

from .helpers import only_article, read_all

Write = Callable[[str, str | bytes], Path]

ROOT = Path(__file__).resolve().parents[2]
ARTICLES = ROOT / "examples" / "articles"
EXPECTED = ROOT / "tests" / "data" / "expected"

TITLE = "Gunmen Kill Two Police Officers at Checkpoint"
BODY = "Gunmen attacked a checkpoint near the town on Monday, killing two police officers, officials said."
ARTICLE = f"{TITLE}\n\n{BODY}\n"


def meta(write: Write, name: str, value: Any) -> Path:
    return write(name, value if isinstance(value, str | bytes) else json.dumps(value))


def test_sidecar_fills_what_the_text_lacks(write: Write) -> None:
    path = write("attack.txt", ARTICLE)
    meta(write, "attack.txt.meta.json", {"published": "2025-03-12", "source": "AFP",
                                         "url": "https://example.org/attack", "language": "en",
                                         "desk": "Sahel", "tags": ["police"]})
    article = only_article(read_all(path))
    assert article.published == dt.date(2025, 3, 12)
    assert (article.source, article.url, article.language) == ("AFP", "https://example.org/attack", "en")
    assert article.title == TITLE and article.text == BODY  # detection still runs
    assert article.id == Article.make_id("https://example.org/attack", TITLE, BODY)
    # Unknown fields are kept, as for JSON articles, with where they came from.
    assert article.metadata == {"desk": "Sahel", "tags": ["police"], "sidecar": "attack.txt.meta.json"}


def test_sidecar_field_aliases_are_those_of_json_articles(write: Write) -> None:
    path = write("a.md", ARTICLE)
    meta(write, "a.md.meta.json", {"date": "12 March 2025", "publisher": {"name": "Reuters"},
                                   "lang": "fr", "link": "https://example.org/a", "id": 42})
    article = only_article(read_all(path))
    assert article.published == dt.date(2025, 3, 12)
    assert (article.source, article.language, article.url, article.id) == (
        "Reuters", "fr", "https://example.org/a", "42")


def test_sidecar_title_and_summary_win_over_detection(write: Write) -> None:
    path = write("a.txt", ARTICLE)
    meta(write, "a.txt.meta.json", {"title": "The Real Headline", "summary": "What happened."})
    article = only_article(read_all(path))
    assert article.title == "The Real Headline"
    assert article.summary == "What happened."
    assert article.text == BODY  # the detected headline is still not body text


def test_blank_sidecar_title_keeps_the_detected_one(write: Write) -> None:
    path = write("a.txt", ARTICLE)
    meta(write, "a.txt.meta.json", {"title": "  ", "published": "2025-03-12"})
    assert only_article(read_all(path)).title == TITLE


def test_command_line_overrides_win_over_the_sidecar(write: Write) -> None:
    path = write("a.txt", ARTICLE)
    meta(write, "a.txt.meta.json", {"published": "2025-03-12", "source": "AFP"})
    overrides = ArticleOverrides(published=dt.date(2025, 3, 14), source="Reuters")
    article = only_article(read_all(path, overrides=overrides))
    assert (article.published, article.source) == (dt.date(2025, 3, 14), "Reuters")
    assert article.metadata["overridden"] == {"published": "2025-03-12", "source": "AFP"}


def test_without_a_sidecar_nothing_changes(write: Write) -> None:
    article = only_article(read_all(write("a.txt", ARTICLE)))
    assert article.published is None and article.source is None
    assert "sidecar" not in article.metadata


@pytest.mark.parametrize(("content", "reason"), [
    ('{"published": "2025-03-12",', "invalid JSON"),
    ("[1, 2]", "expected a JSON object, got a list"),
    ('{"published": "2025-03-12", "source": 7}', "field 'source' must be a string, got a number"),
    ('{"id": {"x": 1}}', "field 'id' must be a string or an integer, got an object"),
    ("   \n", "empty file"),
    (b"\x00\x01\x02binary", "binary file"),
    ('{"x": "' + "a" * MAX_SIDECAR_BYTES + '"}', "over the limit"),
])
def test_a_bad_sidecar_is_one_warning_and_the_article_is_read_without_it(
        write: Write, caplog: pytest.LogCaptureFixture, content: str | bytes, reason: str) -> None:
    path = write("a.txt", ARTICLE)
    side = meta(write, "a.txt.meta.json", content)
    with caplog.at_level(logging.WARNING, logger="kg.sources"):
        article = only_article(read_all(path))
    assert article.published is None and article.source is None  # nothing half-applied
    assert article.title == TITLE and article.text == BODY
    messages = [r.getMessage() for r in caplog.records]
    assert len(messages) == 1, messages
    assert messages[0].startswith(f"{path}: sidecar {side} ignored: ")
    assert reason in messages[0] and "\n" not in messages[0]
    assert article.metadata["read_warnings"] == [messages[0].split(": ", 1)[1]]


def test_a_sidecar_that_is_a_directory_is_ignored_with_a_warning(
        write: Write, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = write("a.txt", ARTICLE)
    (tmp_path / "a.txt.meta.json").mkdir()
    with caplog.at_level(logging.WARNING, logger="kg.sources"):
        article = only_article(read_all(path))
    assert article.text == BODY
    assert ["not a regular file" in r.getMessage() for r in caplog.records] == [True]


def test_an_unreadable_date_keeps_the_other_fields(write: Write, caplog: pytest.LogCaptureFixture) -> None:
    path = write("a.txt", ARTICLE)
    side = meta(write, "a.txt.meta.json", {"published": "Tuesday", "source": "AFP"})
    with caplog.at_level(logging.WARNING, logger="kg.sources"):
        article = only_article(read_all(path))
    assert article.published is None
    assert article.source == "AFP"
    assert article.metadata["unparsed_published"] == "Tuesday"
    assert [r.getMessage() for r in caplog.records] == [
        f"{path}: sidecar {side}: cannot read 'published' as a date: 'Tuesday'; kept in metadata"]


def test_text_in_a_sidecar_is_ignored(write: Write, caplog: pytest.LogCaptureFixture) -> None:
    path = write("a.txt", ARTICLE)
    meta(write, "a.txt.meta.json", {"published": "2025-03-12", "text": "Another story."})
    with caplog.at_level(logging.WARNING, logger="kg.sources"):
        article = only_article(read_all(path))
    assert article.text == BODY and article.published == dt.date(2025, 3, 12)
    assert "text" not in article.metadata
    assert len(caplog.records) == 1 and "'text' ignored" in caplog.records[0].getMessage()


def test_walks_never_read_sidecars_as_articles(write: Write, tmp_path: Path) -> None:
    write("a.txt", ARTICLE)
    meta(write, "a.txt.meta.json", {"published": "2025-03-12"})
    write("b.json", json.dumps({"text": BODY, "title": "From JSON"}))
    meta(write, "orphan.meta.json", {"published": "2025-03-12"})
    assert [p.name for p in walk(tmp_path)] == ["a.txt", "b.json"]
    assert [p.name for p in walk(tmp_path, "*.json")] == ["b.json"]
    items = read_all(tmp_path)
    assert all(isinstance(i, Article) for i in items) and len(items) == 2
    by_title = {i.title: i for i in items if isinstance(i, Article)}
    assert by_title[TITLE].published == dt.date(2025, 3, 12)


def test_a_named_sidecar_is_skipped(write: Write, caplog: pytest.LogCaptureFixture) -> None:
    """As `kg extract dir/*` names them: read with the article, not as one."""
    path = write("a.txt", ARTICLE)
    side = meta(write, "a.txt.meta.json", {"published": "2025-03-12"})
    with caplog.at_level(logging.WARNING, logger="kg.sources"):
        items = read_all(path, side)
    assert only_article(items).published == dt.date(2025, 3, 12)
    assert not caplog.records
    orphan = meta(write, "gone.txt.meta.json", {"published": "2025-03-12"})
    with caplog.at_level(logging.WARNING, logger="kg.sources"):
        assert read_all(orphan) == []
    assert any(str(orphan) in r.getMessage() and "gone.txt" in r.getMessage() for r in caplog.records)


def test_only_text_articles_have_sidecars(write: Write) -> None:
    """JSON and HTML carry their own metadata; a sidecar beside them is not read."""
    path = write("b.json", json.dumps({"text": BODY, "title": "From JSON"}))
    meta(write, "b.json.meta.json", {"published": "2025-03-12"})
    assert only_article(read_all(path)).published is None


def test_sidecar_names() -> None:
    assert sidecar_path(Path("d/attack.txt")) == Path("d/attack.txt.meta.json")
    assert is_sidecar(Path("d/attack.txt.meta.json"))
    assert not is_sidecar(Path(".meta.json")) and not is_sidecar(Path("meta.json"))


def _txt_expectations() -> list[dict[str, Any]]:
    out = []
    for path in sorted(EXPECTED.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and data.get("format") == "txt":
            out.append(data)
    return out


def test_every_example_text_article_has_a_sidecar() -> None:
    texts = sorted(p.name for p in ARTICLES.glob("*.txt"))
    assert texts and texts == sorted(e["file"] for e in _txt_expectations())
    assert all(sidecar_path(ARTICLES / name).is_file() for name in texts)


@pytest.mark.parametrize("expected", _txt_expectations(), ids=lambda e: e["file"])
def test_example_sidecars_agree_with_the_expected_facts(expected: dict[str, Any]) -> None:
    items = read_all(ARTICLES / expected["file"])
    assert not [i for i in items if isinstance(i, ReadFailure)]
    article = only_article(items)
    assert article.published == expected["published"]
    assert article.source == expected["source"]
    assert article.title == expected["title"]
    assert "read_warnings" not in article.metadata
