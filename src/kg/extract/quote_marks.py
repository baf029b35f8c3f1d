"""Quotation marks: where quotations open and close in the text, multi-paragraph ones
as one (`scan_quotes`), and those long enough to be kept without a reporting verb.
"""

from __future__ import annotations

from dataclasses import dataclass

MIN_QUOTE_WORDS = 4  # shorter quotations need a reporting verb that governs them
_OPENING = "“\""
_CLOSING = {"“": "”", "\"": "\""}


@dataclass
class QuoteSpan:
    """One quotation: its segments (one per paragraph) inside the marks."""

    segments: list[tuple[int, int]]
    open_at: int  # offset of the opening mark

    @property
    def start(self) -> int:
        return self.segments[0][0]

    @property
    def end(self) -> int:
        return self.segments[-1][1]

    def text(self, text: str) -> str:
        return " ".join(text[s:e].strip() for s, e in self.segments if text[s:e].strip())

    def words(self, text: str) -> int:
        return len(self.text(text).split())


def scan_quotes(text: str) -> list[QuoteSpan]:
    """Every quotation in `text`, multi-paragraph ones as one."""
    found: list[QuoteSpan] = []
    i, n = 0, len(text)
    while i < n:
        mark = text[i]
        if mark not in _OPENING:
            i += 1
            continue
        close = _CLOSING[mark]
        segments: list[tuple[int, int]] = []
        start = i + 1
        j = start
        while j < n:
            c = text[j]
            if c == close:
                segments.append((start, j))
                j += 1
                break
            if c == "\n":
                # The paragraph ends inside the quotation: it goes on if the next paragraph
                # opens with a mark, else it was left unclosed and ends here.
                segments.append((start, j))
                k = j
                while k < n and text[k] in " \t\r\n\u00a0":
                    k += 1
                if k < n and text[k] in _OPENING:
                    start = k + 1
                    j = start
                    continue
                if _closes_next(text, k, mark):
                    start = k  # closed only in the next paragraph: one quotation still
                    j = start
                    continue
                j = k
                break
            j += 1
        else:
            segments.append((start, n))
        segments = [(s, e) for s, e in segments if text[s:e].strip()]
        if segments and any(ch.isalnum() for s, e in segments for ch in text[s:e]):
            found.append(QuoteSpan(segments, i))
        i = j if j > i else i + 1
    return found


def _closes_next(text: str, at: int, mark: str) -> bool:
    """Whether the paragraph starting at `at` closes a quotation opened before it (its
    first mark closes, for curly marks; an odd number of straight marks)."""
    end = text.find("\n", at)
    paragraph = text[at:end if end >= 0 else len(text)]
    if mark == "\"":
        return paragraph.count("\"") % 2 == 1
    first = min((i for i in (paragraph.find("”"), paragraph.find("“")) if i >= 0), default=-1)
    return first >= 0 and paragraph[first] == "”"


def quote_spans(text: str) -> list[tuple[int, int]]:
    """Character spans (inside the marks) of the direct quotations of four words or more:
    the text the other stages read as somebody's words rather than reported fact."""
    return [(q.start, q.end) for q in scan_quotes(text) if q.words(text) >= MIN_QUOTE_WORDS]
