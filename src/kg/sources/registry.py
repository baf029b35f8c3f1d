"""The input formats: one table of names, aliases, extensions, readers and memory bounds.

Everything that lists or picks formats goes through `FORMATS`: walks (`EXTENSIONS`),
`--stdin-format` (`STDIN_FORMAT_CHOICES`), stdin (`sniff_format`, and `file_factor` for how
much of a stream may be held), expected-file keys. Readers are imported on first use (HTML
pulls in trafilatura). A new format is one entry here and one reader module.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import PurePath

from kg.errors import ReadError
from kg.models import Article
from kg.sources.base import Input, ReadContext, ReadFailure
from kg.sources.htmlpage import HTML_FILE_FACTOR
from kg.sources.jsonfile import JSON_FILE_FACTOR
from kg.sources.text import TEXT_FILE_FACTOR

Reader = Callable[[Input, ReadContext], Iterator[Article | ReadFailure]]


@dataclass(frozen=True)
class Format:
    name: str
    extensions: tuple[str, ...]
    aliases: tuple[str, ...]
    target: str  # "module:function", imported on first use
    # A whole-file format is held in memory up to this many times the article limit; None for
    # a format read record by record, which streams (so a live feed on stdin flows).
    file_factor: int | None

    def reader(self) -> Reader:
        module, _, function = self.target.partition(":")
        reader: Reader = getattr(importlib.import_module(module), function)
        return reader


FORMATS: tuple[Format, ...] = (
    Format("text", (".txt", ".text", ".md", ".markdown"), ("txt", "md", "markdown"),
           "kg.sources.text:read_text", TEXT_FILE_FACTOR),
    Format("json", (".json",), (), "kg.sources.jsonfile:read_json", JSON_FILE_FACTOR),
    Format("jsonl", (".jsonl", ".ndjson"), ("ndjson",), "kg.sources.jsonl:read_jsonl", None),
    Format("html", (".html", ".htm", ".xhtml"), ("htm",), "kg.sources.htmlpage:read_html",
           HTML_FILE_FACTOR),
)
EXTENSIONS: tuple[str, ...] = tuple(ext for fmt in FORMATS for ext in fmt.extensions)
# Names for `--stdin-format`: "auto" sniffs.
FORMAT_NAMES: tuple[str, ...] = ("auto", *(fmt.name for fmt in FORMATS))
# What `--stdin-format` accepts: the names and every alias ("txt" for text).
STDIN_FORMAT_CHOICES: tuple[str, ...] = (*FORMAT_NAMES, *(a for fmt in FORMATS for a in fmt.aliases))


def get_format(name: str) -> Format:
    """The format called `name` (or one of its aliases); `ReadError` listing the choices if none."""
    key = name.strip().lower().lstrip(".")
    for fmt in FORMATS:
        if key == fmt.name or key in fmt.aliases:
            return fmt
    choices = ", ".join(FORMAT_NAMES)
    raise ReadError(name, f"unknown input format; choose one of {choices}")


def format_for_path(path: PurePath) -> Format | None:
    suffix = path.suffix.lower()
    return next((fmt for fmt in FORMATS if suffix in fmt.extensions), None)


_HTML_START = re.compile(rb"^\s*<(!doctype\s+html|html|head|body|meta|title|article|div|p)\b", re.I)


def sniff_format(head: bytes) -> Format:
    """Guess the format of stdin from its first bytes: JSON, JSONL, HTML, else text."""
    text = head.lstrip(b"\xef\xbb\xbf").lstrip()
    if text[:1] == b"[":
        return get_format("json")
    if text[:1] == b"{":
        # JSONL when a second line also starts an object; one object (maybe pretty-printed) is JSON.
        lines = [line.strip() for line in text.split(b"\n") if line.strip()]
        if len(lines) >= 2 and lines[0].endswith(b"}") and lines[1].startswith(b"{"):
            return get_format("jsonl")
        return get_format("json")
    if _HTML_START.match(text) or b"<html" in text[:2048].lower():
        return get_format("html")
    return get_format("text")
