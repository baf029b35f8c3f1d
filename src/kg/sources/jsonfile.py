"""`.json` files: one article object, or a list of them (see `kg.sources.records` for fields).

The whole file is parsed at once, so its size is capped at `JSON_FILE_FACTOR` times the
per-article limit; larger collections belong in JSONL, which streams. A bad record in a
list is one failure (`file record N`); the others load.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from kg.errors import ReadError
from kg.models import Article
from kg.sources.base import Input, ReadContext, ReadFailure, guarded, read_limited
from kg.sources.encoding import decode_bytes
from kg.sources.records import record_to_article

JSON_FILE_FACTOR = 32


def parse_json(text: str, origin: str) -> object:
    """`json.loads` with its failures turned into one-line reasons."""
    try:
        return json.loads(text)
    except RecursionError as exc:
        raise ReadError(origin, "invalid JSON: nested too deeply") from exc
    except json.JSONDecodeError as exc:
        raise ReadError(origin, f"invalid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from exc
    except ValueError as exc:  # e.g. an integer with more digits than Python converts
        raise ReadError(origin, f"invalid JSON: {exc}") from exc


def read_json(source: Input, ctx: ReadContext) -> Iterator[Article | ReadFailure]:
    return guarded(source.origin, lambda: _read(source, ctx))


def _read(source: Input, ctx: ReadContext) -> Iterator[Article | ReadFailure]:
    data = read_limited(source, JSON_FILE_FACTOR * ctx.max_bytes,
                        "JSON file (use JSONL for large collections)")
    decoded = decode_bytes(data, source.origin)
    if not decoded.text.strip():
        raise ReadError(source.origin, "empty article")
    parsed = parse_json(decoded.text, source.origin)
    if isinstance(parsed, list):
        if not parsed:
            raise ReadError(source.origin, "empty article list")
        for number, record in enumerate(parsed, start=1):
            origin = f"{source.origin}#{number}"
            try:
                yield record_to_article(record, origin, ctx)
            except ReadError as exc:
                yield ReadFailure(origin=source.origin, record=number, reason=exc.reason)
    else:
        yield record_to_article(parsed, source.origin, ctx)
