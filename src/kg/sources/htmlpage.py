"""`.html` / `.htm` pages: main text and metadata through trafilatura, offline.

trafilatura drops navigation, footers and other boilerplate and reads the title, date,
author, site name, canonical URL and description. The page's own `lang` attribute (or
Content-Language meta) gives the language. A page whose text is only scripts, menus or
nothing fails with "no article text found"; so does one whose extracted text has no line
of at least `MIN_LINE_WORDS` words (only menu items or captions).

Parsing time is bounded by size, not by a clock: a page over `HTML_FILE_FACTOR` times the
per-article limit is refused unread, and a parsed tree over `MAX_ELEMENTS` elements is
refused before extraction (trafilatura's time grows with the element count: about 4 s for
45,000 paragraphs on a laptop core). libxml2 caps nesting depth itself, so 100,000 nested
`<div>` parse in milliseconds. A wall-clock timeout was left out on purpose: SIGALRM would
fight pytest-timeout and only works in the main thread, and a subprocess per page costs
more than the extraction.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from kg.errors import ReadError
from kg.models import Article, normalise_text
from kg.sources.base import (
    Input,
    ReadContext,
    ReadFailure,
    finish_article,
    guarded,
    one_line,
    read_limited,
)
from kg.sources.encoding import decode_bytes
from kg.sources.records import parse_date

HTML_FILE_FACTOR = 4
MAX_ELEMENTS = 30_000
# Extraction can fall back to stray boilerplate; a report has at least one line this long.
MIN_LINE_WORDS = 5
# How many lines at the top of the extracted text may be header (kicker, title, stamps).
_HEADER_LINES = 6
_LANG = re.compile(r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]{1,8})*$")


def read_html(source: Input, ctx: ReadContext) -> Iterator[Article | ReadFailure]:
    return guarded(source.origin, lambda: _read(source, ctx))


def _language(tree: Any) -> str | None:
    candidates = [tree.get("lang"), tree.get("{http://www.w3.org/XML/1998/namespace}lang")]
    candidates += tree.xpath("//meta[translate(@http-equiv, 'CONTENT-LANGUAGE', "
                             "'content-language')='content-language']/@content")
    for value in candidates:
        value = (value or "").strip().split(",")[0].strip()
        if _LANG.match(value):
            return value.replace("_", "-")
    return None


def _absolute_url(url: str) -> bool:
    parts = urlsplit(url.strip())
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _short(line: str) -> bool:
    return len(line.split()) < MIN_LINE_WORDS


def _trim_header(text: str, title: str | None) -> tuple[str, list[str]]:
    """Split off what trafilatura keeps above the first paragraph: kicker, repeated `<h1>`,
    "Updated" stamps, bylines. They are short lines; the title is kept apart already."""
    lines = text.split("\n")
    header: list[str] = []
    if title:
        for i, line in enumerate(lines[:_HEADER_LINES]):
            if normalise_text(line) == normalise_text(title) and all(map(_short, lines[:i])):
                header, lines = lines[:i], lines[i + 1 :]
                break
    k = 0
    while k < min(len(lines), _HEADER_LINES) and _short(lines[k]):
        k += 1
    if k < len(lines):
        header, lines = header + lines[:k], lines[k:]
    return "\n".join(lines), [h.strip() for h in header if h.strip()]


def _site_from_title_text(page_title: str | None, title: str | None) -> str | None:
    """`<title>Headline - Site Name</title>` names the site when no meta tag does."""
    page_title = " ".join((page_title or "").split())
    if not title or not page_title.startswith(title):
        return None
    rest = page_title[len(title):]
    for separator in (" | ", " - ", " – ", " — ", " :: ", " · "):
        if rest.startswith(separator) and rest[len(separator):].strip():
            return rest[len(separator):].strip()
    return None


def _read(source: Input, ctx: ReadContext) -> Iterator[Article | ReadFailure]:
    import trafilatura  # slow to import; only pages need it
    from trafilatura.utils import load_html

    data = read_limited(source, HTML_FILE_FACTOR * ctx.max_bytes, "HTML file")
    decoded = decode_bytes(data, source.origin, html=True)
    if not decoded.text.strip():
        raise ReadError(source.origin, "empty article")
    try:
        tree = load_html(decoded.text)
    except Exception as exc:  # lxml raises several types on broken markup
        raise ReadError(source.origin, f"cannot parse HTML: {exc}") from exc
    if tree is None:
        raise ReadError(source.origin, "no article text found (no HTML document)")
    elements = sum(1 for _ in tree.iter())
    if elements > MAX_ELEMENTS:
        raise ReadError(source.origin,
                        f"HTML has {elements} elements, over the limit of {MAX_ELEMENTS}")
    language = _language(tree)
    page_title = tree.findtext(".//title")
    try:
        document = trafilatura.bare_extraction(
            tree,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception as exc:  # trafilatura raises on some malformed trees
        raise ReadError(source.origin, f"cannot extract text from HTML: {exc}") from exc
    if document is None:
        raise ReadError(source.origin, "no article text found")
    meta: dict[str, Any] = document.as_dict() if hasattr(document, "as_dict") else dict(document)
    text = meta.get("text") or ""
    title = one_line(meta.get("title"))
    site = _site_from_title_text(page_title, title)
    text, header = _trim_header(text, title)
    if not any(len(line.split()) >= MIN_LINE_WORDS for line in text.split("\n")):
        # What is left is menus or captions ("Home", "Share"), not a report.
        raise ReadError(source.origin, "no article text found (no line of prose)")

    summary = one_line(meta.get("description"))
    if summary and normalise_text(text).startswith(normalise_text(summary).rstrip("…. ")):
        summary = None  # the meta description is only the first lines of the body
    metadata = {key: meta[key] for key in ("author", "hostname", "sitename", "categories", "tags")
                if meta.get(key)}
    if header:
        metadata["header"] = header
    url = meta.get("url")
    if url and not _absolute_url(url):
        # A relative canonical link names no page by itself; as an id key it would collide.
        metadata["page_url"], url = url, None
    published: dt.date | None = parse_date(meta["date"]) if meta.get("date") else None
    yield finish_article(
        origin=source.origin,
        text=text,
        ctx=ctx,
        title=title,
        summary=summary,
        url=url,
        source=meta.get("sitename") or site or meta.get("hostname"),
        published=published,
        language=meta.get("language") or language,
        metadata=metadata,
        warnings=decoded.warnings,
    )
