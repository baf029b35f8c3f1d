"""A backfill's sources, cut into partitions that workers read independently.

SOURCES are what `kg ingest` reads (files, directories, `--glob`) plus the output of
`kg extract --format jsonl`: a `.jsonl` file whose first line is an extracted graph (an object
with `article` and `extractor_version`) is read as graphs and never goes through the NLP stage.
A large graphs file is cut at line boundaries into byte ranges, so one file of a million
articles spreads over every worker, and so is a large UTF-8 JSON Lines file of articles (each
line read as `kg.sources.jsonl` reads it); other article files are grouped a few at a time.

Partitions are numbered in input order, and read in that order they give the articles in the
order `kg ingest` would see them: the first of two articles with one id is the one kept.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from kg.errors import ReadError
from kg.models import Article, ArticleGraph
from kg.sources import ArticleOverrides, ReadFailure, read_paths, walk
from kg.sources.encoding import decode_bytes
from kg.sources.jsonfile import parse_json
from kg.sources.paths import STDIN, default_context
from kg.sources.records import record_to_article

# Graphs are read from byte ranges of about this size, at most; fewer, larger ranges when the
# input is small would leave workers idle, so `plan` aims at several ranges per worker.
MAX_RANGE_BYTES = 64 * 1024 * 1024
MIN_RANGE_BYTES = 256 * 1024
RANGES_PER_WORKER = 4


class Partition(BaseModel):
    """One unit of the map step: a byte range of a graphs file, or a few article files."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    number: int
    kind: Literal["graphs", "article-lines", "articles"]
    paths: tuple[str, ...]
    # graphs and article lines: the byte range [start, end) of paths[0], on line boundaries
    start: int = 0
    end: int = 0
    first_line: int = 1  # the 1-based line number at `start`
    glob: str | None = None


def is_graphs_file(path: Path) -> bool:
    """Whether `path` is the output of `kg extract --format jsonl` (judged by its first line)."""
    if path.suffix.lower() not in (".jsonl", ".ndjson") or not path.is_file():
        return False
    with path.open("rb") as handle:
        for raw in handle:
            if raw.strip():
                try:
                    first = json.loads(raw)
                except ValueError:
                    return False
                return isinstance(first, dict) and "article" in first and "extractor_version" in first
    return False


def plan(sources: Sequence[str | os.PathLike[str]], *, workers: int, glob: str | None = None
         ) -> list[Partition]:
    """The partitions of `sources`, in input order. `-` (stdin) is refused: a backfill reads
    its input more than once (`kg ingest` takes a stream)."""
    files: list[Path] = []
    for given in sources:
        name = os.fspath(given)
        if name == STDIN:
            raise ValueError("a backfill cannot read stdin; write the stream to a file first")
        path = Path(name)
        files.extend(walk(path, glob) if path.is_dir() else [path])
    total = sum(f.stat().st_size for f in files if f.is_file())
    target = min(MAX_RANGE_BYTES, max(MIN_RANGE_BYTES, total // max(1, workers * RANGES_PER_WORKER)))
    partitions: list[Partition] = []
    pending: list[str] = []  # article files waiting to fill a partition
    pending_bytes = 0

    def flush() -> None:
        nonlocal pending_bytes
        if pending:
            partitions.append(Partition(number=len(partitions), kind="articles",
                                        paths=tuple(pending), glob=glob))
            pending.clear()
            pending_bytes = 0

    for path in files:
        if is_graphs_file(path):
            flush()
            for start, end, line in _line_ranges(path, target):
                partitions.append(Partition(number=len(partitions), kind="graphs",
                                            paths=(str(path),), start=start, end=end,
                                            first_line=line))
            continue
        if _plain_jsonl(path) and path.stat().st_size > target:
            flush()  # a large file of articles, one a line: cut like a graphs file
            for start, end, line in _line_ranges(path, target):
                partitions.append(Partition(number=len(partitions), kind="article-lines",
                                            paths=(str(path),), start=start, end=end,
                                            first_line=line))
            continue
        pending.append(str(path))
        pending_bytes += path.stat().st_size if path.is_file() else 0
        if pending_bytes >= target:
            flush()
    flush()
    return partitions


def _plain_jsonl(path: Path) -> bool:
    """A UTF-8 JSON Lines file of articles (others, UTF-16 say, are read whole)."""
    if path.suffix.lower() not in (".jsonl", ".ndjson") or not path.is_file():
        return False
    with path.open("rb") as handle:
        return handle.read(1) == b"{"


def _line_ranges(path: Path, target: int) -> Iterator[tuple[int, int, int]]:
    """(start, end, first line number) of consecutive ranges of about `target` bytes."""
    size = path.stat().st_size
    start, line = 0, 1
    with path.open("rb") as handle:
        while start < size:
            handle.seek(min(size, start + target))
            if handle.tell() < size:
                handle.readline()  # to the end of the line the cut fell in
            end = handle.tell()
            handle.seek(start)
            line_count = handle.read(end - start).count(b"\n")
            yield start, end, line
            start, line = end, line + line_count


def read_partition(partition: Partition, *, overrides: ArticleOverrides | None = None
                   ) -> Iterator[tuple[str, Article | ArticleGraph | ReadFailure]]:
    """(where, item) for everything in a partition, in order: graphs (a graphs file), articles
    (article files, through `kg.sources.read_paths`), and one `ReadFailure` per line or file
    that cannot be read. `where` names the file (and line) an item came from."""
    if partition.kind == "articles":
        for item in read_paths(partition.paths, glob=partition.glob, overrides=overrides):
            where = item.location if isinstance(item, ReadFailure) else (item.origin or item.id)
            yield where, item
        return
    origin = partition.paths[0]
    with open(origin, "rb") as handle:
        handle.seek(partition.start)
        data = handle.read(partition.end - partition.start)
    context = default_context(None, overrides)
    for number, raw in enumerate(data.splitlines(), start=partition.first_line):
        if not raw.strip():
            continue
        where = f"{origin}:{number}"
        if partition.kind == "article-lines":  # as kg.sources.jsonl reads each line
            try:
                text = decode_bytes(raw, where).text
                yield where, record_to_article(parse_json(text, where), where, context)
            except ReadError as exc:
                yield where, ReadFailure(origin=origin, line=number, reason=exc.reason)
            continue
        try:
            yield where, ArticleGraph.model_validate_json(raw)
        except ValidationError as exc:
            first = exc.errors()[0]
            field = ".".join(str(p) for p in first.get("loc", ())) or "line"
            yield where, ReadFailure(origin=origin, line=number,
                                     reason=f"not an extracted graph (kg extract --format "
                                            f"jsonl): {field}: {first.get('msg', exc)}")
