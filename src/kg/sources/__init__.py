"""Readers: files, directories and stdin to `kg.models.Article`.

`read_paths` is the entry point. It yields an `Article` for every article it can read and
a `ReadFailure` (where and why, one line) for every file, line or record it cannot; bad
input never stops the rest. Formats are chosen by extension (see `registry.FORMATS`):
plain text (`.txt`, `.text`, `.md`), `.json`, `.jsonl`/`.ndjson`, `.html`/`.htm`.
Decoding follows one policy for all formats (see `kg.sources.encoding`).

    from kg.sources import read_paths, ReadFailure
    for item in read_paths(["examples/articles"], glob="*.txt"):
        if isinstance(item, ReadFailure):
            print(item.message)
"""

from __future__ import annotations

from kg.sources.base import ArticleOverrides, ReadFailure, ReadResult
from kg.sources.paths import STDIN, read_paths, read_stream, walk
from kg.sources.registry import EXTENSIONS, FORMAT_NAMES, FORMATS, Format, get_format

__all__ = [
    "EXTENSIONS",
    "FORMATS",
    "FORMAT_NAMES",
    "STDIN",
    "ArticleOverrides",
    "Format",
    "ReadFailure",
    "ReadResult",
    "get_format",
    "read_paths",
    "read_stream",
    "walk",
]
