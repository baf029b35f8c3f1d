"""`.jsonl` / `.ndjson` files: one article object a line, streamed line by line.

A bad line is one failure (`file:LINE`) and the others still load; blank lines are skipped.
A line longer than `JSONL_LINE_FACTOR` times the per-article limit is refused without
being held in memory (JSON escapes can make text several times longer than its UTF-8).
"""

from __future__ import annotations

import codecs
import io
from collections.abc import Iterator
from typing import IO

from kg.errors import ReadError
from kg.models import Article
from kg.sources.base import Input, ReadContext, ReadFailure, guarded, read_head, replay
from kg.sources.encoding import bom_encoding, decode_bytes, looks_binary
from kg.sources.jsonfile import parse_json
from kg.sources.records import record_to_article

JSONL_LINE_FACTOR = 4
_SNIFF_BYTES = 8192


def read_jsonl(source: Input, ctx: ReadContext) -> Iterator[Article | ReadFailure]:
    return guarded(source.origin, lambda: _read(source, ctx))


def _lines(stream: IO[bytes], limit: int) -> Iterator[tuple[int, bytes | None]]:
    """(line number, bytes) pairs; bytes is None for a line over `limit`, skipped unread."""
    number = 0
    while True:
        line = stream.readline(limit + 1)
        if not line:
            return
        number += 1
        if len(line) > limit and not line.endswith(b"\n"):
            while line and not line.endswith(b"\n"):  # drain the rest of the long line
                line = stream.readline(1 << 20)
            yield number, None
        else:
            yield number, line


def _wide_lines(stream: IO[bytes], encoding: str, limit: int) -> Iterator[tuple[int, bytes | None]]:
    """The same for UTF-16/32 files, re-encoded to UTF-8 line by line."""
    text = io.TextIOWrapper(stream, encoding=encoding, errors="replace", newline=None)
    number = 0
    while True:
        line = text.readline(limit + 1)
        if not line:
            return
        number += 1
        if len(line) > limit and not line.endswith("\n"):
            while line and not line.endswith("\n"):
                line = text.readline(1 << 20)
            yield number, None
        else:
            yield number, line.encode("utf-8", "surrogatepass")


def _read(source: Input, ctx: ReadContext) -> Iterator[Article | ReadFailure]:
    limit = JSONL_LINE_FACTOR * ctx.max_bytes
    try:
        stream = source.open()
    except OSError as exc:
        raise ReadError(source.origin, f"cannot read: {exc.strerror or exc}") from exc
    with stream:
        head = read_head(stream, _SNIFF_BYTES)
        if looks_binary(head):
            raise ReadError(source.origin, "binary file")
        stream = replay(head, stream)
        found = bom_encoding(head)
        if found is not None and found[0] != "utf-8":
            stream.read(found[1])
            lines = _wide_lines(stream, found[0], limit)
        else:
            lines = _lines(stream, limit)
        seen = False
        for number, raw in lines:
            if raw is None:
                seen = True
                yield ReadFailure(origin=source.origin, line=number,
                                  reason=f"line is over the limit of {limit} bytes")
                continue
            if number == 1:
                raw = raw.removeprefix(codecs.BOM_UTF8)
            if not raw.strip():
                continue
            seen = True
            origin = f"{source.origin}:{number}"
            try:
                text = decode_bytes(raw, origin).text
                yield record_to_article(parse_json(text, origin), origin, ctx)
            except ReadError as exc:
                yield ReadFailure(origin=source.origin, line=number, reason=exc.reason)
        if not seen:
            raise ReadError(source.origin, "empty article")
