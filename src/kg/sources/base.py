"""What every reader shares: inputs, limits, failures, overrides and the final `Article` build.

A reader gets an `Input` (a file or stdin, opened lazily) and a `ReadContext` (limits and
overrides) and yields `Article` or `ReadFailure`, one per record. A problem with one record
is raised inside the reader as `kg.errors.ReadError` and turned into a `ReadFailure` there,
so the other records and files go on.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from pydantic import BaseModel, ConfigDict, ValidationError

from kg.errors import ReadError
from kg.models import Article

logger = logging.getLogger("kg.sources")


class ReadFailure(BaseModel):
    """One file, line or record that could not be read; the others still are."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    origin: str  # the path as given, or "<stdin>"
    line: int | None = None  # 1-based line, for JSONL
    record: int | None = None  # 1-based position in a JSON list
    reason: str

    @property
    def location(self) -> str:
        if self.line is not None:
            return f"{self.origin}:{self.line}"
        if self.record is not None:
            return f"{self.origin} record {self.record}"
        return self.origin

    @property
    def message(self) -> str:
        """The one line a user sees: where, then why."""
        return f"{self.location}: {self.reason}"

    def __str__(self) -> str:
        return self.message


ReadResult = Article | ReadFailure


class ArticleOverrides(BaseModel):
    """Values given on the command line (`--published/--source/--url`) that win over the file's.

    They apply to every article read in one call. `url` only makes sense for a single
    article; it is applied to all the same way, and does not change ids (see `finish_article`).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    published: dt.date | None = None
    source: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class Input:
    """A byte source: a file on disk or stdin. `size` is known for files, so limits bite early;
    `path` is the file on disk (None for stdin), where a reader finds what lies beside it."""

    origin: str
    open: Callable[[], IO[bytes]]
    size: int | None = None
    path: Path | None = None


@dataclass
class ReadContext:
    max_bytes: int
    overrides: ArticleOverrides = field(default_factory=ArticleOverrides)
    read_timeout: float = 30.0  # seconds a file may stall (see kg.sources.files)


def read_limited(source: Input, limit: int, what: str) -> bytes:
    """All bytes of `source`, refusing (before reading, when the size is known) more than `limit`."""
    if source.size is not None and source.size > limit:
        raise ReadError(source.origin, f"{what} is {source.size} bytes, over the limit of {limit}")
    try:
        with source.open() as stream:
            data = stream.read(limit + 1)
    except OSError as exc:
        raise ReadError(source.origin, f"cannot read: {exc.strerror or exc}") from exc
    if len(data) > limit:
        raise ReadError(source.origin, f"{what} is over the limit of {limit} bytes")
    return data


_SURROGATE = re.compile("[\ud800-\udfff]")
# C0/C1 controls other than tab and newline, DEL, and the non-characters U+FFFE/U+FFFF: XML
# (hence RDF/XML) cannot hold them, and they carry no meaning in prose.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff]")


def clean_text(text: str) -> str:
    """Text safe for every later stage: no lone surrogates, unified line ends, no stray controls."""
    text = _SURROGATE.sub("\ufffd", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub(" ", text)


def one_line(text: str | None) -> str | None:
    """A title-like field: cleaned, whitespace collapsed, None when empty."""
    if text is None:
        return None
    collapsed = " ".join(clean_text(text).split())
    return collapsed or None


def strip_block(text: str) -> str:
    """Drop leading/trailing blank lines and trailing spaces, keeping the inner layout."""
    lines = [line.rstrip() for line in text.split("\n")]
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)


def check_text_size(origin: str, text: str, max_bytes: int) -> None:
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > max_bytes:
        raise ReadError(origin, f"article text is {size} bytes, over the limit of {max_bytes}")


def finish_article(
    *,
    origin: str,
    text: str,
    ctx: ReadContext,
    article_id: str | None = None,
    title: str | None = None,
    summary: str | None = None,
    url: str | None = None,
    source: str | None = None,
    published: dt.date | None = None,
    language: str | None = None,
    metadata: dict[str, Any] | None = None,
    warnings: list[str] | None = None,
) -> Article:
    """Validate, apply the overrides and build the `Article`.

    The id is taken before the overrides: an id that changed with a command-line flag would
    make re-runs disagree, and a `--url` applied to a whole directory would give every
    article the same id. Replaced values are kept in `metadata["overridden"]`.
    """
    body = strip_block(clean_text(text))
    if not body.strip():
        raise ReadError(origin, "empty article")
    check_text_size(origin, body, ctx.max_bytes)
    title = one_line(title)
    summary = one_line(summary)
    url = one_line(url)
    source = one_line(source)
    metadata = dict(metadata or {})
    if article_id is None:
        article_id = Article.make_id(url, title, body)

    overridden: dict[str, str | None] = {}
    ov = ctx.overrides
    if ov.url is not None and ov.url != url:
        overridden["url"], url = url, ov.url
    if ov.source is not None and ov.source != source:
        overridden["source"], source = source, ov.source
    if ov.published is not None and ov.published != published:
        overridden["published"] = published.isoformat() if published else None
        published = ov.published
    overridden = {k: v for k, v in overridden.items() if v is not None}
    if overridden:
        metadata["overridden"] = overridden
    if warnings:
        # Problems that do not stop the article: one log line each, and kept with it.
        for reason in warnings:
            logger.warning("%s: %s", origin, reason)
        metadata["read_warnings"] = list(warnings)

    try:
        return Article(
            id=article_id,
            title=title,
            summary=summary,
            text=body,
            url=url,
            source=source,
            published=published,
            language=one_line(language),
            metadata=metadata,
            origin=origin,
        )
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ReadError(origin, f"invalid {where}: {first['msg']}") from exc


def guarded(origin: str, produce: Callable[[], Iterator[Article | ReadFailure]]
            ) -> Iterator[Article | ReadFailure]:
    """Run one reader over one input; a `ReadError` it raises becomes a single failure, as
    does an `OSError` while reading (a stalled read's `TimeoutError` among them)."""
    try:
        yield from produce()
    except ReadError as exc:
        yield ReadFailure(origin=origin, reason=exc.reason)
    except OSError as exc:
        yield ReadFailure(origin=origin, reason=f"cannot read: {exc.strerror or exc}")


class _Replay(io.RawIOBase):
    """Bytes already read from a stream, then the rest of that stream."""

    def __init__(self, head: bytes, rest: IO[bytes]) -> None:
        self._head = head
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._head:
            n = min(len(buffer), len(self._head))
            buffer[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        data = self._rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def read_head(stream: IO[bytes], size: int) -> bytes:
    """Up to `size` first bytes without waiting for more than one read of a pipe."""
    read1 = getattr(stream, "read1", None)
    return read1(size) if read1 is not None else stream.read(size)


def replay(head: bytes, rest: IO[bytes], *, rewind: bool = True) -> IO[bytes]:
    """Put sniffed bytes back in front of a stream, or rewind it when it can seek and `rewind`.

    The replaying wrapper never closes `rest`, so a reader's `with` does not close stdin.
    """
    if rewind and rest.seekable():
        rest.seek(0)
        return rest
    return io.BufferedReader(_Replay(head, rest))
