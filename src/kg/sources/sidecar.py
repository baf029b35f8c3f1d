"""Sidecar metadata for plain-text articles: `<file>.meta.json` beside `<file>`.

A `.txt` article has no place for its publication date, so relative dates ("on Tuesday")
cannot resolve. A JSON object in `attack.txt.meta.json` supplies what the text lacks:

    {"published": "2025-03-12", "source": "AFP", "url": "https://…", "language": "en"}

Fields and their aliases are those of JSON articles (`kg.sources.records`): `id`, `url`
(`link`), `title` (`headline`), `summary` (`description`), `published` (`date`,
`published_at`, `datePublished`), `source` (`publisher`, `outlet`, or an object's `name`),
`language` (`lang`); dates are read the same way. A sidecar `title` or `summary` wins over
the one the text reader detects. Other fields go to `Article.metadata`; a text field is
ignored (the text is the article file's). Command-line overrides still win over a sidecar.

A sidecar never stops its article: an unreadable or malformed one is one warning naming
it, and the article is read without it. An unreadable date keeps the other fields, as in
JSON articles. Any file named `*.meta.json` is a sidecar, never an article: directory
walks skip it, and `kg.sources.paths` skips it when named on the command line.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Any

from kg.errors import ReadError
from kg.sources.base import Input, clean_text, one_line, read_limited
from kg.sources.encoding import decode_bytes
from kg.sources.files import not_regular_reason, open_regular, stat_input
from kg.sources.jsonfile import parse_json
from kg.sources.records import (
    FIELDS,
    _article_id,
    _source,
    _string,
    _type_name,
    json_safe,
    read_published,
)

SUFFIX = ".meta.json"
# Metadata for one article: anything larger is a mistake (an article saved under the name).
MAX_SIDECAR_BYTES = 256 * 1024
_META_FIELDS = ("id", "url", "title", "summary", "published", "source", "language")
_TEXT_ALIASES = FIELDS["text"]


@dataclass(frozen=True)
class Sidecar:
    """What a sidecar says about its article; every field is None when it says nothing."""

    path: Path | None = None  # the sidecar read; None when there is none or it was ignored
    id: str | None = None
    url: str | None = None
    title: str | None = None
    summary: str | None = None
    published: dt.date | None = None
    source: str | None = None
    language: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    # Problems that leave the article readable, one line each, naming the sidecar.
    warnings: tuple[str, ...] = ()


NO_SIDECAR = Sidecar()


def sidecar_path(article: Path) -> Path:
    """Where the sidecar of `article` lives: `attack.txt` → `attack.txt.meta.json`."""
    return article.with_name(article.name + SUFFIX)


def is_sidecar(path: PurePath) -> bool:
    """Whether `path` is named as a sidecar (and so is not itself an article)."""
    return path.name.endswith(SUFFIX) and len(path.name) > len(SUFFIX)


def load_sidecar(article: Path, timeout: float = 30.0) -> Sidecar:
    """The sidecar of `article`; `NO_SIDECAR` when there is none, or a warning when it is bad.

    `timeout`: seconds its stat, open or a read may stall (see `kg.sources.files`)."""
    path = sidecar_path(article)
    try:
        stat = stat_input(path, timeout)
    except FileNotFoundError:
        return NO_SIDECAR
    except OSError as exc:
        return _ignored(path, f"cannot read: {exc.strerror or exc}")
    refused = not_regular_reason(stat.st_mode)
    if refused is not None:
        return _ignored(path, refused)
    source = Input(origin=str(path), open=lambda: open_regular(path, timeout), size=stat.st_size)
    try:
        data = read_limited(source, MAX_SIDECAR_BYTES, "sidecar")
        decoded = decode_bytes(data, str(path))
        if not decoded.text.strip():
            raise ReadError(str(path), "empty file")
        return parse_sidecar(parse_json(decoded.text, str(path)), path)
    except ReadError as exc:
        return _ignored(path, exc.reason)


def _ignored(path: Path, reason: str) -> Sidecar:
    return Sidecar(warnings=(f"sidecar {path} ignored: {reason}",))


def parse_sidecar(value: object, path: Path) -> Sidecar:
    """Map a parsed sidecar to its fields; `ReadError` for a shape that cannot be trusted."""
    origin = str(path)
    if not isinstance(value, dict):
        raise ReadError(origin, f"expected a JSON object, got {_type_name(value)}")
    found: dict[str, tuple[str, Any]] = {}
    for name in _META_FIELDS:
        alias = next((a for a in FIELDS[name] if value.get(a) is not None), None)
        if alias is not None:
            found[name] = (alias, value[alias])
    used = {alias for alias, _ in found.values()}
    warnings: list[str] = []
    ignored = [a for a in _TEXT_ALIASES if a in value]
    if ignored:
        warnings.append(f"sidecar {path}: field {ignored[0]!r} ignored; the text is the article file's")
    metadata = {clean_text(str(k)): json_safe(v, str(k), origin) for k, v in value.items()
                if k not in used and k not in _TEXT_ALIASES}

    def text(name: str) -> str | None:
        if name not in found:
            return None
        alias, raw = found[name]
        # Blank means absent, so a blank sidecar title leaves the detected headline.
        return one_line(_source(raw, alias, origin) if name == "source" else _string(raw, alias, origin))

    published = read_published(found.get("published"), origin, metadata, warnings,
                               prefix=f"sidecar {path}: ")
    return Sidecar(
        path=path,
        id=_article_id(found["id"][1], origin) if "id" in found else None,
        url=text("url"),
        title=text("title"),
        summary=text("summary"),
        published=published,
        source=text("source"),
        language=text("language"),
        metadata=metadata,
        warnings=tuple(warnings),
    )
