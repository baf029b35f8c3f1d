"""Plain-text articles (`.txt`, `.text`, `.md`): headline, optional summary, body.

News text saved by hand or by scrapers often starts with the headline, and sometimes with
a summary paragraph (the "dek") before it, as in the seed article: line 1 summary, line 2
headline, blank lines, body. The layout is guessed from the shape of the first lines
only, never from their words:

- a headline is one short line (2-30 words, at most 200 characters) that does not end a
  sentence (no final `.`, `,`, `;`, `:`), does not start in lower case, and is either
  mostly Title Case / a Markdown heading ("strong") or at most 14 words ("weak");
  a weak one must be followed by a blank line or by a clearly longer body line, and no
  headline may be followed directly by a line that continues it in lower case (a
  hard-wrapped paragraph);
- a summary is the first paragraph, at least 12 words, ending a sentence, directly
  followed (on the next line, or after blank lines) by a headline.

When nothing looks like a headline, `title` is None and the whole text is the body.

A file read from disk may have a sidecar, `<file>.meta.json`, giving its publication date,
source, URL and so on (see `kg.sources.sidecar`); its title and summary win over detection.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from kg.models import Article
from kg.sources.base import Input, ReadContext, ReadFailure, finish_article, guarded, read_limited
from kg.sources.encoding import bom_encoding, decode_bytes
from kg.sources.sidecar import NO_SIDECAR, load_sidecar

# UTF-32 takes up to 4 bytes a character: a file may be that many times the article limit.
TEXT_FILE_FACTOR = 4

_SENTENCE_END = ".,;:"
_TERMINAL = ".!?…"
_CLOSERS = "\"'”’»)]*_"
_OPENERS = "\"'“‘«([*_¿¡"
_MAX_HEADLINE_CHARS = 200
_MAX_HEADLINE_WORDS = 30
_MAX_WEAK_WORDS = 14
_MIN_SUMMARY_WORDS = 12
_TITLE_CASE_SHARE = 0.75
# How far into the first paragraph a headline may sit after the summary lines.
_MAX_SUMMARY_LINES = 40

Strength = Literal["strong", "weak"]


@dataclass(frozen=True)
class Layout:
    title: str | None
    summary: str | None
    body: str


def _words(line: str) -> list[str]:
    return [w.strip(_OPENERS + _CLOSERS + ",:;!?.") for w in line.split()]


def headline_strength(line: str) -> Strength | None:
    """How much `line`, taken alone, looks like a headline."""
    text = line.strip()
    if text.startswith("#"):
        heading = text.lstrip("#").strip()
        return "strong" if heading and len(heading) <= _MAX_HEADLINE_CHARS else None
    if not text or len(text) > _MAX_HEADLINE_CHARS:
        return None
    words = text.split()
    if not 2 <= len(words) <= _MAX_HEADLINE_WORDS:
        return None
    core = text.rstrip(_CLOSERS)
    if not core or core[-1] in _SENTENCE_END:
        return None
    first = text.lstrip(_OPENERS)
    if not first or first[0].islower() or not any(ch.isalpha() for ch in text):
        return None
    # Short words ("of", "in", "the", "and") stay lower case in Title Case, in most languages.
    long_words = [w for w in _words(text) if len(w) > 3 and w[0].isalpha()]
    if len(long_words) >= 2:
        capitalised = sum(1 for w in long_words if w[0].isupper())
        if capitalised / len(long_words) >= _TITLE_CASE_SHARE:
            return "strong"
    return "weak" if len(words) <= _MAX_WEAK_WORDS else None


def _is_summary(lines: list[str]) -> bool:
    paragraph = " ".join(line.strip() for line in lines)
    core = paragraph.rstrip(_CLOSERS)
    return len(paragraph.split()) >= _MIN_SUMMARY_WORDS and bool(core) and core[-1] in _TERMINAL


def _accepts(lines: list[str], k: int, *, min_words: int = 2) -> bool:
    """Whether lines[k] is a headline here: its own shape, and what follows it."""
    strength = headline_strength(lines[k])
    if strength is None or len(lines[k].split()) < min_words:
        return False
    rest = [line for line in lines[k + 1 :] if line.strip()]
    if not rest:
        return False  # a headline needs a body after it
    following = lines[k + 1]
    if not following.strip():
        return True
    if following.lstrip(_OPENERS)[:1].islower():
        return False  # a wrapped paragraph goes on
    if strength == "strong":
        return True
    return len(following) >= 2 * len(lines[k].strip()) and len(following.split()) >= _MIN_SUMMARY_WORDS


def _heading(line: str) -> str:
    return line.strip().lstrip("#").strip()


def split_layout(text: str) -> Layout:
    """Find the headline and summary at the top of `text`; the rest is the body."""
    lines = text.split("\n")
    start = next((i for i, line in enumerate(lines) if line.strip()), None)
    if start is None:
        return Layout(None, None, "")
    if _accepts(lines, start):
        return Layout(_heading(lines[start]), None, "\n".join(lines[start + 1 :]))

    end = next((i for i in range(start, len(lines)) if not lines[i].strip()), len(lines))
    for k in range(start + 1, min(end, start + _MAX_SUMMARY_LINES)):
        if _is_summary(lines[start:k]) and _accepts(lines, k):
            return Layout(_heading(lines[k]), " ".join(x.strip() for x in lines[start:k]),
                          "\n".join(lines[k + 1 :]))

    after = next((i for i in range(end, len(lines)) if lines[i].strip()), None)
    # A headline after a blank-separated summary must be 3+ words: shorter lines there are
    # usually section headings ("Background") after a first body paragraph.
    if after is not None and _is_summary(lines[start:end]) and _accepts(lines, after, min_words=3):
        return Layout(_heading(lines[after]), " ".join(x.strip() for x in lines[start:end]),
                      "\n".join(lines[after + 1 :]))
    return Layout(None, None, text)


def read_text(source: Input, ctx: ReadContext) -> Iterator[Article | ReadFailure]:
    """One article per file; for a file on disk (`source.path`) its sidecar is looked for."""
    return guarded(source.origin, lambda: _read(source, ctx, source.path))


def _read(source: Input, ctx: ReadContext, path: Path | None) -> Iterator[Article | ReadFailure]:
    limit = ctx.max_bytes
    if source.size is None or source.size > limit:
        with source.open() as stream:
            found = bom_encoding(stream.read(4))
        if found is not None and found[0].startswith(("utf-16", "utf-32")):
            # Up to 4 bytes a character: let it in and measure the decoded text instead.
            limit = TEXT_FILE_FACTOR * ctx.max_bytes + 4
    data = read_limited(source, limit, "article text")
    decoded = decode_bytes(data, source.origin)
    text = decoded.text.replace("\r\n", "\n").replace("\r", "\n")
    layout = split_layout(text)
    meta = load_sidecar(path, ctx.read_timeout) if path is not None else NO_SIDECAR
    metadata = dict(meta.metadata)
    if meta.path is not None:
        metadata["sidecar"] = meta.path.name  # where the other fields came from
    yield finish_article(
        origin=source.origin,
        text=layout.body,
        title=meta.title or layout.title,
        summary=meta.summary or layout.summary,
        ctx=ctx,
        article_id=meta.id,
        url=meta.url,
        source=meta.source,
        published=meta.published,
        language=meta.language,
        metadata=metadata,
        warnings=[*decoded.warnings, *meta.warnings],
    )
