"""`.jsonl` reader: one record a line, a bad line fails alone, long lines are skipped unread."""

from __future__ import annotations

import codecs
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from kg.models import Article
from kg.sources import ReadFailure

from .helpers import only_failure, read_all

Write = Callable[[str, str | bytes], Path]


def line(**fields: object) -> str:
    return json.dumps(fields) + "\n"


def test_one_bad_line_does_not_stop_the_others(write: Write) -> None:
    path = write("feed.jsonl", (
        line(id="a", text="Gunmen attacked a base.")
        + "{not json}\n"
        + "\n"
        + line(id="c", text=7)
        + "[1, 2]\n"
        + line(id="d", text="Troops repelled the attack.")
    ))
    items = read_all(path)
    assert [type(i).__name__ for i in items] == [
        "Article", "ReadFailure", "ReadFailure", "ReadFailure", "Article"]
    first, bad_json, bad_type, bad_shape, last = items
    assert isinstance(first, Article) and isinstance(last, Article)
    assert (first.id, first.origin) == ("a", f"{path}:1")
    assert (last.id, last.origin) == ("d", f"{path}:6")
    assert isinstance(bad_json, ReadFailure)
    assert bad_json.line == 2
    assert bad_json.message.startswith(f"{path}:2: invalid JSON: Expecting property name")
    assert isinstance(bad_type, ReadFailure) and bad_type.line == 4
    assert bad_type.reason == "field 'text' must be a string, got a number"
    assert isinstance(bad_shape, ReadFailure) and bad_shape.line == 5
    assert bad_shape.reason == "expected a JSON object, got a list"


@pytest.mark.parametrize("suffix", [".jsonl", ".ndjson"])
def test_both_extensions_and_no_final_newline(write: Write, suffix: str) -> None:
    path = write(f"feed{suffix}", line(text="One attack.") + json.dumps({"text": "Two attacks."}))
    assert [i.text for i in read_all(path) if isinstance(i, Article)] == ["One attack.", "Two attacks."]


def test_long_line_is_a_failure_and_the_next_line_still_loads(write: Write) -> None:
    path = write("feed.jsonl", line(text="word " * 1000) + line(text="Short report."))
    items = read_all(path, max_bytes=100)
    assert isinstance(items[0], ReadFailure)
    assert items[0].message == f"{path}:1: line is over the limit of 400 bytes"
    assert isinstance(items[1], Article) and items[1].origin == f"{path}:2"


def test_record_text_over_the_limit(write: Write) -> None:
    path = write("feed.jsonl", line(text="é" * 60) + line(text="Short report."))
    items = read_all(path, max_bytes=100)
    assert isinstance(items[0], ReadFailure)
    assert items[0].reason == "article text is 120 bytes, over the limit of 100"
    assert isinstance(items[1], Article)


@pytest.mark.parametrize(("bom", "encoding"), [(codecs.BOM_UTF8, "utf-8"),
                                               (codecs.BOM_UTF16_LE, "utf-16-le"),
                                               (codecs.BOM_UTF16_BE, "utf-16-be")])
def test_byte_order_marks(write: Write, bom: bytes, encoding: str) -> None:
    content = line(text="Attaque près de Gao.") + "\r\n" + line(text="Deuxième attaque.")
    path = write("feed.jsonl", bom + content.encode(encoding))
    items = read_all(path)
    assert [i.text for i in items if isinstance(i, Article)] == ["Attaque près de Gao.", "Deuxième attaque."]
    assert [i.origin for i in items if isinstance(i, Article)] == [f"{path}:1", f"{path}:3"]


def test_cp1252_line(write: Write) -> None:
    items = read_all(write("feed.jsonl", line(text="Attaque près de Gao.").encode("cp1252")))
    assert [i.text for i in items if isinstance(i, Article)] == ["Attaque près de Gao."]


def test_blank_lines_only_is_empty(write: Write) -> None:
    assert only_failure(read_all(write("feed.jsonl", "\n \n\n"))).reason == "empty article"
