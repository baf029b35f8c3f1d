"""`read_paths`: registry, directories and globs, order, stdin, overrides, failures that don't stop."""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from kg.errors import ReadError
from kg.models import Article
from kg.sources import (
    EXTENSIONS,
    FORMAT_NAMES,
    ArticleOverrides,
    ReadFailure,
    get_format,
    read_paths,
)
from kg.sources.registry import sniff_format

from .helpers import only_article, only_failure, read_all

Write = Callable[[str, str | bytes], Path]

BODY = "Gunmen attacked a checkpoint near the town on Monday, killing two police officers, officials said."


def report(n: int) -> str:
    return f"Checkpoint Attack Number {n}\n\n{BODY} Report {n}."


def names(items: list[Article | ReadFailure], root: Path) -> list[str]:
    """Paths relative to `root`, without the `:line` / `#record` suffixes."""
    origins = [i.origin if isinstance(i, Article) else i.location for i in items]
    return [Path(re.sub(r"(#\d+|:\d+| record \d+)$", "", o or "")).relative_to(root).as_posix()
            for o in origins]


@pytest.fixture
def tree(write: Write, tmp_path: Path) -> Path:
    write("b.txt", report(1))
    write("a/x.txt", report(2))
    write("a/y.json", json.dumps({"text": BODY, "title": "From JSON"}))
    write("a/deep/z.jsonl", json.dumps({"text": BODY + " Line."}) + "\n")
    write("a/deep/page.html", "<html><body>" + f"<p>{BODY}</p>" * 3 + "</body></html>")
    write("a/notes.csv", "not,an,article\n")
    write(".hidden/secret.txt", report(3))
    write("a/.draft.txt", report(4))
    write("C.md", "# Upper Case Name Sorts First\n\n" + BODY)
    return tmp_path


def test_directory_reads_known_extensions_in_sorted_order(tree: Path) -> None:
    items = read_all(tree)
    assert all(isinstance(i, Article) for i in items), items
    assert names(items, tree) == ["C.md", "a/deep/page.html", "a/deep/z.jsonl", "a/x.txt",
                                  "a/y.json", "b.txt"]
    again = read_all(tree)
    assert [(i.origin, i.content_hash) for i in items if isinstance(i, Article)] == [
        (i.origin, i.content_hash) for i in again if isinstance(i, Article)]


@pytest.mark.parametrize(
    ("glob", "expected"),
    [
        ("*.txt", ["a/x.txt", "b.txt"]),  # no `/`: the name, at any depth
        ("a/*.txt", ["a/x.txt"]),
        ("**/*.json*", ["a/deep/z.jsonl", "a/y.json"]),
        ("**/b.txt", ["b.txt"]),
        ("*.nothing", []),
        ("a/*.jsonl", []),  # `*` stays within one directory
        ("a/**/*.html", ["a/deep/page.html"]),
        ("*.[jt]xt", ["a/x.txt", "b.txt"]),
    ],
)
def test_glob(tree: Path, glob: str, expected: list[str]) -> None:
    assert names(read_all(tree, glob=glob), tree) == expected


def test_glob_reaching_an_unknown_extension_reports_it(tree: Path) -> None:
    failure = only_failure(read_all(tree, glob="*.csv"))
    assert failure.origin == str(tree / "a" / "notes.csv")
    assert failure.reason.startswith("no reader for extension .csv; known: .txt")


def test_empty_directory_warns(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="kg.sources"):
        assert read_all(tmp_path, glob="*.txt") == []
    assert caplog.records[0].getMessage() == f"{tmp_path}: no files matching '*.txt'"


def test_paths_keep_their_given_order_and_files_are_read_once(write: Write, tmp_path: Path) -> None:
    b, a = write("b.txt", report(1)), write("sub/a.txt", report(2))
    items = read_all(b, tmp_path, a, b)
    assert names(items, tmp_path) == ["b.txt", "sub/a.txt"]


def test_missing_and_unknown_paths_do_not_stop_the_rest(write: Write, tmp_path: Path) -> None:
    good = write("good.txt", report(1))
    odd = write("data.csv", "a,b\n")
    empty = write("empty.txt", "")
    items = read_all(tmp_path / "missing.txt", odd, empty, good)
    assert [type(i).__name__ for i in items] == ["ReadFailure"] * 3 + ["Article"]
    assert [i.message for i in items if isinstance(i, ReadFailure)] == [
        f"{tmp_path / 'missing.txt'}: no such file or directory",
        f"{odd}: no reader for extension .csv; known: {', '.join(EXTENSIONS)}",
        f"{empty}: empty article",
    ]


def test_broken_symlink_is_a_failure(write: Write, tmp_path: Path) -> None:
    link = tmp_path / "gone.txt"
    link.symlink_to(tmp_path / "nowhere.txt")
    assert only_failure(read_all(link)).reason == "no such file or directory"
    assert only_failure(read_all(tmp_path)).message == f"{link}: cannot read: No such file or directory"


def test_symlink_loop_ends(write: Write, tmp_path: Path) -> None:
    write("d/a.txt", report(1))
    (tmp_path / "d" / "loop").symlink_to(tmp_path / "d", target_is_directory=True)
    assert names(read_all(tmp_path), tmp_path) == ["d/a.txt"]


def test_is_lazy(write: Write, tmp_path: Path) -> None:
    write("a.txt", report(1))
    items = read_paths([tmp_path])
    write("b.txt", report(2))  # written after the call, before iteration: still found
    assert len(list(items)) == 2


def test_overrides_set_fields_keep_ids_and_record_what_they_replaced(write: Write) -> None:
    text = write("a.txt", report(1))
    js = write("b.json", json.dumps({"text": BODY, "url": "https://old.example/b", "source": "AFP"}))
    plain = [only_article(read_all(p)) for p in (text, js)]
    overrides = ArticleOverrides.model_validate(
        {"published": "2025-03-12", "source": "DPA", "url": "https://new.example/x"})
    changed = read_all(text, js, overrides=overrides)
    assert all(isinstance(a, Article) for a in changed)
    for before, after in zip(plain, changed, strict=True):
        assert isinstance(after, Article)
        assert (after.published, after.source, after.url) == (
            dt.date(2025, 3, 12), "DPA", "https://new.example/x")
        assert after.id == before.id
    assert isinstance(changed[1], Article)
    assert changed[1].metadata["overridden"] == {"url": "https://old.example/b", "source": "AFP"}
    assert isinstance(changed[0], Article) and "overridden" not in changed[0].metadata


def test_overrides_validate_dates() -> None:
    with pytest.raises(ValueError, match="published"):
        ArticleOverrides.model_validate({"published": "12/03/2025x"})


@pytest.mark.parametrize(
    ("data", "fmt", "title"),
    [
        (report(1).encode(), "auto", "Checkpoint Attack Number 1"),
        (json.dumps({"title": "JSON In", "text": BODY}).encode(), "auto", "JSON In"),
        (json.dumps([{"title": "JSON List", "text": BODY}]).encode(), "auto", "JSON List"),
        (("<!DOCTYPE html><html><head><title>Page In</title></head><body>"
          + f"<p>{BODY}</p>" * 3 + "</body></html>").encode(), "auto", "Page In"),
        (report(1).encode(), "txt", "Checkpoint Attack Number 1"),
        (json.dumps({"title": "JSON In", "text": BODY}).encode(), "json", "JSON In"),
    ],
)
def test_stdin(data: bytes, fmt: str, title: str) -> None:
    items = read_all("-", stdin=io.BytesIO(data), stdin_format=fmt)
    article = only_article(items)
    assert article.title == title
    assert article.origin is not None and article.origin.startswith("<stdin>")


def test_stdin_jsonl_sniffed_with_line_numbers() -> None:
    data = (json.dumps({"text": BODY}) + "\n" + "{bad\n" + json.dumps({"text": BODY + " 2"}) + "\n").encode()
    items = read_all("-", stdin=io.BytesIO(data))
    assert [type(i).__name__ for i in items] == ["Article", "ReadFailure", "Article"]
    assert isinstance(items[1], ReadFailure) and items[1].message.startswith("<stdin>:2: invalid JSON")


@pytest.mark.timeout(20)
def test_stdin_jsonl_streams_from_an_open_pipe() -> None:
    read_end, write_end = os.pipe()
    os.write(write_end, (json.dumps({"text": BODY}) + "\n").encode())
    with os.fdopen(read_end, "rb") as stdin:
        items = read_paths(["-"], stdin=stdin, stdin_format="jsonl")
        first = next(items)  # must not wait for the pipe to close
        assert isinstance(first, Article) and first.text == BODY
        os.close(write_end)
        assert list(items) == []


def test_stdin_reads_sys_stdin_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    class FakeStdin:
        buffer = io.BytesIO(report(5).encode())

    monkeypatch.setattr("sys.stdin", FakeStdin)
    assert only_article(read_all("-")).title == "Checkpoint Attack Number 5"


def test_unknown_stdin_format_is_a_failure() -> None:
    failure = only_failure(read_all("-", stdin=io.BytesIO(b"x"), stdin_format="pdf"))
    assert failure.reason == f"unknown input format; choose one of {', '.join(FORMAT_NAMES)}"


def test_registry_names_and_aliases() -> None:
    assert get_format("ndjson").name == "jsonl"
    assert get_format(".HTM").name == "html"
    assert get_format("markdown").name == "text"
    with pytest.raises(ReadError):
        get_format("docx")
    assert sniff_format(b'  {"a": 1}\n{"b": 2}\n').name == "jsonl"
    assert sniff_format(b'{\n  "a": 1\n}\n').name == "json"
    assert sniff_format(b"<p>Hello</p>").name == "html"
    assert sniff_format(b"Headline\n\nBody.").name == "text"


def test_failure_message_shapes() -> None:
    assert ReadFailure(origin="f.json", record=3, reason="bad").message == "f.json record 3: bad"
    assert ReadFailure(origin="f.jsonl", line=7, reason="bad").message == "f.jsonl:7: bad"
    assert str(ReadFailure(origin="f.txt", reason="empty article")) == "f.txt: empty article"


@pytest.mark.parametrize("fmt", ["auto", "text", "json", "html"])
def test_stdin_over_the_limit_reads_no_further(fmt: str) -> None:
    stdin = io.BytesIO(report(1).encode() * 1000)
    failure = only_failure(read_all("-", stdin=stdin, stdin_format=fmt, max_bytes=50))
    assert "over the limit of" in failure.reason
    assert stdin.tell() <= 4096 + 32 * 50 + 1  # the sniffed head and one file limit at most
