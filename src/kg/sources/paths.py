"""Paths to articles: files, directories walked recursively, and `-` for stdin.

Everything streams: directories are walked lazily, one file is open at a time, and JSONL is
read line by line. Order is deterministic: the paths in the order given, and inside a
directory every file sorted by its path components (so `a/x.txt` comes before `b.txt`).
Hidden files and directories (".git", ".DS_Store") are skipped in walks, and a file reached
twice (named twice, or through a symlink) is read once. Sidecars (`*.meta.json`, see
`kg.sources.sidecar`) are metadata for the text article beside them, never articles: walks
skip them, and so does a path list that names one (a shell glob such as `dir/*` does).
"""

from __future__ import annotations

import functools
import io
import os
import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path, PurePosixPath
from typing import IO

from kg.errors import ReadError
from kg.models import Article
from kg.sources.base import (
    ArticleOverrides,
    Input,
    ReadContext,
    ReadFailure,
    logger,
    read_head,
    replay,
)
from kg.sources.files import not_regular_reason, open_regular, stat_input
from kg.sources.registry import EXTENSIONS, format_for_path, get_format, sniff_format
from kg.sources.sidecar import SUFFIX as SIDECAR_SUFFIX
from kg.sources.sidecar import is_sidecar

STDIN = "-"
STDIN_ORIGIN = "<stdin>"
_SNIFF_BYTES = 4096


def default_context(max_bytes: int | None, overrides: ArticleOverrides | None) -> ReadContext:
    """Limits from the arguments, else from the settings (`KG_MAX_ARTICLE_BYTES`, ...)."""
    from kg.config import ExtractSettings

    settings = ExtractSettings()
    return ReadContext(max_bytes=max_bytes if max_bytes is not None else settings.max_article_bytes,
                       overrides=overrides or ArticleOverrides(),
                       read_timeout=settings.read_timeout_seconds)


@functools.lru_cache(maxsize=32)
def _glob_regex(pattern: str) -> re.Pattern[str]:
    """Shell-style glob to regex: `*` and `?` stay within one directory, `**/` spans any."""
    out, i = [], 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        elif pattern[i] == "[" and (end := pattern.find("]", i + 2)) != -1:
            body = pattern[i + 1 : end]
            body = "^" + body[1:] if body.startswith("!") else body
            out.append("[" + body.replace("\\", "\\\\") + "]")
            i = end + 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return re.compile("".join(out))


def _matches(relative: PurePosixPath, pattern: str) -> bool:
    """`*.txt` matches the file name at any depth; a pattern with `/` matches the relative path."""
    if "/" not in pattern:
        return _glob_regex(pattern).fullmatch(relative.name) is not None
    return _glob_regex(pattern).fullmatch(relative.as_posix()) is not None


def walk(directory: Path, glob: str | None = None) -> Iterator[Path]:
    """Files under `directory` in sorted order, lazily; all readable formats when no glob."""
    seen: set[tuple[int, int]] = set()

    def visit(folder: Path, relative: PurePosixPath) -> Iterator[Path]:
        try:
            stat = folder.stat()
            if (stat.st_dev, stat.st_ino) in seen:
                return  # a symlink loop
            seen.add((stat.st_dev, stat.st_ino))
            with os.scandir(folder) as entries:
                names = sorted((entry.name, entry.is_dir()) for entry in entries
                               if not entry.name.startswith("."))
        except OSError as exc:
            logger.warning("%s: cannot list directory: %s", folder, exc.strerror or exc)
            return
        for name, is_dir in names:
            path, rel = folder / name, relative / name
            if is_dir:
                yield from visit(path, rel)
            elif is_sidecar(path):
                continue  # read with its article, even when a glob such as '*.json' matches it
            elif glob is not None:
                if _matches(rel, glob):
                    yield path
            elif path.suffix.lower() in EXTENSIONS:
                yield path

    yield from visit(directory, PurePosixPath())


def _read_file(path: Path, size: int, ctx: ReadContext) -> Iterator[Article | ReadFailure]:
    fmt = format_for_path(path)
    if fmt is None:
        known = ", ".join(EXTENSIONS)
        suffix = path.suffix or "(none)"
        yield ReadFailure(origin=str(path), reason=f"no reader for extension {suffix}; known: {known}")
        return
    source = Input(origin=str(path), open=lambda: open_regular(path, ctx.read_timeout), size=size,
                   path=path)
    yield from _guard_bugs(str(path), fmt.reader()(source, ctx))


def _guard_bugs(origin: str, items: Iterator[Article | ReadFailure]
                ) -> Iterator[Article | ReadFailure]:
    """A bug in a reader fails that file, not the whole run; the traceback goes to debug log."""
    try:
        yield from items
    except Exception as exc:
        logger.debug("%s: unexpected error", origin, exc_info=True)
        yield ReadFailure(origin=origin, reason=f"unexpected error ({type(exc).__name__}): {exc}")


def read_stream(stream: IO[bytes], ctx: ReadContext, *, fmt: str = "auto",
                origin: str = STDIN_ORIGIN) -> Iterator[Article | ReadFailure]:
    """Articles from a byte stream such as stdin, in format `fmt` or sniffed when "auto"."""
    try:
        # Sniffing needs a full head; a named format takes what the pipe has, so a live
        # JSONL feed (`tail -f feed.jsonl | kg ingest - --stdin-format jsonl`) streams.
        head = stream.read(_SNIFF_BYTES) if fmt == "auto" else read_head(stream, _SNIFF_BYTES)
        chosen = sniff_format(head) if fmt == "auto" else get_format(fmt)
    except ReadError as exc:
        yield ReadFailure(origin=origin, reason=exc.reason)
        return
    except OSError as exc:
        yield ReadFailure(origin=origin, reason=f"cannot read: {exc.strerror or exc}")
        return
    if chosen.file_factor is None:  # read record by record: stream it
        rest = replay(head, stream, rewind=False)
        source = Input(origin=origin, open=lambda: rest)
    else:
        # Other formats are parsed whole anyway: hold at most their file limit in memory.
        cap = chosen.file_factor * ctx.max_bytes + 1
        try:
            data = head + stream.read(max(cap - len(head), 0))
        except OSError as exc:
            yield ReadFailure(origin=origin, reason=f"cannot read: {exc.strerror or exc}")
            return
        # An unknown size when cut short, so the limit message does not quote the cut.
        size = None if len(data) >= cap else len(data)
        source = Input(origin=origin, open=lambda: _bytes_stream(data), size=size)
    yield from _guard_bugs(origin, chosen.reader()(source, ctx))


def _skip_sidecar(path: Path) -> None:
    """A named sidecar is read with its article; alone, it is most likely a mistake."""
    article = path.with_name(path.name[: -len(SIDECAR_SUFFIX)])
    if article.is_file():
        logger.debug("%s: sidecar of %s, read with it", path, article)
    else:
        logger.warning("%s: a sidecar (metadata for %s, which does not exist), not an article; "
                       "skipped", path, article.name)


def _bytes_stream(data: bytes) -> IO[bytes]:
    return io.BytesIO(data)


def read_paths(
    paths: Iterable[str | os.PathLike[str]],
    *,
    glob: str | None = None,
    overrides: ArticleOverrides | None = None,
    max_bytes: int | None = None,
    stdin_format: str = "auto",
    stdin: IO[bytes] | None = None,
) -> Iterator[Article | ReadFailure]:
    """Read every article under `paths`, yielding an `Article` or a `ReadFailure` for each.

    A directory is walked recursively: files matching `glob` (e.g. `*.txt`, `2025/**/*.json`)
    or, without one, every file with a known extension. `-` reads stdin (or `stdin`) in
    `stdin_format`. `overrides` set published/source/url on every article; `max_bytes`
    defaults to `KG_MAX_ARTICLE_BYTES` (2 MB). Never raises for bad input: a missing path
    or bad record is a failure and the rest goes on; so is anything but a regular file (a
    FIFO, socket or device is refused before it is opened) and a file that stalls for
    `KG_READ_TIMEOUT_SECONDS` (see `kg.sources.files`).
    """
    ctx = default_context(max_bytes, overrides)
    read: set[tuple[int, int]] = set()
    for given in paths:
        name = os.fspath(given)
        if name == STDIN:
            yield from read_stream(stdin if stdin is not None else sys.stdin.buffer, ctx,
                                   fmt=stdin_format)
            continue
        path = Path(name)
        try:
            is_dir = path.is_dir()
            exists = is_dir or path.exists()
        except OSError as exc:
            yield ReadFailure(origin=name, reason=f"cannot read: {exc.strerror or exc}")
            continue
        if not exists:
            yield ReadFailure(origin=name, reason="no such file or directory")
            continue
        if not is_dir and is_sidecar(path):
            _skip_sidecar(path)
            continue
        files = walk(path, glob) if is_dir else iter([path])
        found = False
        for file in files:
            found = True
            try:
                stat = stat_input(file, ctx.read_timeout)
            except OSError as exc:
                yield ReadFailure(origin=str(file), reason=f"cannot read: {exc.strerror or exc}")
                continue
            refused = not_regular_reason(stat.st_mode)
            if refused is not None:
                yield ReadFailure(origin=str(file), reason=refused)
                continue
            key = (stat.st_dev, stat.st_ino)
            if key in read:
                continue
            read.add(key)
            yield from _read_file(file, stat.st_size, ctx)
        if is_dir and not found:
            what = f"matching {glob!r}" if glob else f"with a known extension ({', '.join(EXTENSIONS)})"
            logger.warning("%s: no files %s", name, what)
