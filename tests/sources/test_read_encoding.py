"""The encoding policy and the refusals shared by every format: binary, empty, too large."""

from __future__ import annotations

import codecs
import logging
from collections.abc import Callable
from pathlib import Path

import pytest

from kg.sources.encoding import decode_bytes, looks_binary

from .helpers import only_article, only_failure, read_all

Write = Callable[[str, str | bytes], Path]

TITLE = "Attaque Contre Un Convoi Près De Gao"
BODY = "Des hommes armés ont attaqué un convoi près de Gao, a déclaré l’armée malienne à l’AFP."
TEXT = f"{TITLE}\n\n{BODY}"


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("utf8-bom", codecs.BOM_UTF8 + TEXT.encode("utf-8")),
        ("utf16-le-bom", codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le")),
        ("utf16-be-bom", codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be")),
        ("utf32-le-bom", codecs.BOM_UTF32_LE + TEXT.encode("utf-32-le")),
        ("utf16-le-no-bom", TEXT.encode("utf-16-le")),
        ("cp1252", TEXT.encode("cp1252")),
    ],
)
def test_encodings_decode_to_the_same_article(write: Write, name: str, data: bytes) -> None:
    article = only_article(read_all(write(f"{name}.txt", data)))
    assert article.title == TITLE
    assert article.text == BODY
    assert "\ufeff" not in article.text
    assert "read_warnings" not in article.metadata


def test_invalid_utf8_bytes_are_replaced_with_a_warning(write: Write,
                                                       caplog: pytest.LogCaptureFixture) -> None:
    data = TEXT.encode("utf-8").replace("près".encode(), b"pr\xe8s")  # one cp1252 byte in UTF-8
    path = write("damaged.txt", data)
    with caplog.at_level(logging.WARNING, logger="kg.sources"):
        article = only_article(read_all(path))
    assert article.title == TITLE
    assert "convoi pr\ufffds de Gao" in article.text
    assert "l’armée" in article.text  # the good UTF-8 was not read as cp1252
    assert article.metadata["read_warnings"] == ["1 invalid utf-8 byte sequence(s) replaced with U+FFFD"]
    assert any(str(path) in r.getMessage() and "U+FFFD" in r.getMessage() for r in caplog.records)


def test_html_declared_charset_is_used(write: Write) -> None:
    decoded = decode_bytes('<meta charset="windows-1251"><p>Атака на конвой</p>'.encode("cp1251"),
                           "page.html", html=True)
    assert decoded.encoding == "cp1251"
    assert "Атака на конвой" in decoded.text


def test_stray_control_characters_become_spaces(write: Write) -> None:
    article = only_article(read_all(write("ctl.txt", f"{TITLE}\n\nArmed men\x07 attacked\x0b a convoy.")))
    assert article.text == "Armed men  attacked  a convoy."


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty article"),
        (b"  \n\t\r\n  ", "empty article"),
        (codecs.BOM_UTF8 + b"\n\n", "empty article"),
        (b"Rebels attacked\x00 the town.", "binary file"),
        (bytes(range(256)) * 4, "binary file"),
        (b"\x01\x02\x03\x04 some text \x05\x06\x07\x08", "binary file"),
        (b"\x81\x8d\x8f\x90\x9d" * 20, "binary file"),
    ],
)
@pytest.mark.parametrize("suffix", [".txt", ".json", ".jsonl", ".html"])
def test_empty_and_binary_are_failures(write: Write, data: bytes, reason: str, suffix: str) -> None:
    path = write(f"bad{suffix}", data)
    failure = only_failure(read_all(path))
    assert failure.origin == str(path)
    assert failure.reason.startswith(reason)
    assert failure.message.startswith(f"{path}: {reason}")


def test_text_over_the_limit_is_refused_before_reading(write: Write, tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(1 << 30)  # a sparse 1 GiB file; how quickly it is refused: `make bench`
    failure = only_failure(read_all(path))
    assert failure.reason == f"article text is {1 << 30} bytes, over the limit of {2 * 1024 * 1024}"


def test_limit_is_on_the_text_and_configurable(write: Write) -> None:
    path = write("a.txt", f"{TITLE}\n\n{'word ' * 300}")
    assert only_failure(read_all(path, max_bytes=1000)).reason.startswith("article text is")
    assert only_article(read_all(path, max_bytes=2000)).title == TITLE


def test_wide_encodings_are_measured_after_decoding(write: Write) -> None:
    text = f"{TITLE}\n\n{'word ' * 300}"
    path = write("wide.txt", codecs.BOM_UTF32_LE + text.encode("utf-32-le"))  # ~6 kB on disk
    assert only_article(read_all(path, max_bytes=2000)).title == TITLE


def test_max_bytes_comes_from_the_environment(write: Write, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KG_MAX_ARTICLE_BYTES", "100")
    failure = only_failure(read_all(write("a.txt", f"{TITLE}\n\n{'word ' * 30}")))
    assert failure.reason.endswith("over the limit of 100")


def test_looks_binary() -> None:
    assert looks_binary(b"PK\x03\x04\x00\x00")
    assert not looks_binary("plain text, with accents: é".encode())
    assert not looks_binary(codecs.BOM_UTF16_LE + "text".encode("utf-16-le"))
