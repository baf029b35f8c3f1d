"""Cutting an article into pieces that spaCy parses one at a time, so no shape costs more.

spaCy's memory grows with the length of the text it is given at once (about 3 KB a
character here: a 1.6 MB article took 5 GB), and several rules look at every pair of
tokens in a sentence, so one sentence of a million characters never finishes. Both are
bounded by parsing an article in pieces, joined back into one `Doc` with the same text:

- an article of at most `PIECE_CHARS` with no run-on stretch is one piece, parsed as it
  always was (nearly every news article: the normal path does not change);
- a longer one is cut at the line or sentence end nearest below `PIECE_CHARS`;
- a stretch with no line or sentence end for `RUN_ON_CHARS` (a run-on "sentence", text
  without spaces, a wall of digits) is cut at its last clause mark (`,` `;` `:`) or space
  before that many characters, or at that many characters when it has neither. Each piece
  starts a sentence, so no sentence the rules see is longer.

The cut points are found in one pass over the text; the pieces concatenate to it exactly,
so every character offset stays true.
"""

from __future__ import annotations

import re
from itertools import chain

# An article up to this many characters (about 3,500 words) is parsed whole.
PIECE_CHARS = 20_000
# The longest stretch without a line or sentence end that is parsed as one sentence: about
# 100 words, half as long again as the longest sentence in the 44 real reports of the
# examples and the development set (399 characters; sentences average about 25 words).
RUN_ON_CHARS = 600

# After a line end, or a sentence end (with closing quotes or brackets) and its spaces.
_STRONG = re.compile(r"\n+|[.!?…][\"'”’»)\]]*[ \t]+")
_CLAUSE = re.compile(r"[,;:][ \t]+")


def piece_ends(text: str, max_chars: int = PIECE_CHARS, max_run: int = RUN_ON_CHARS) -> list[int]:
    """The end offset of each piece of `text`; `[len(text)]` when it is parsed whole."""
    if max_run > max_chars:
        raise ValueError("a run-on stretch must fit in a piece")
    ends: list[int] = []
    start = last = prev = 0  # piece start, last boundary seen, the one before

    def boundary(at: int, forced: bool) -> None:
        nonlocal start, last
        if at - start > max_chars and last > start:
            ends.append(last)  # the piece is full: it ends at the boundary before this one
            start = last
        if forced:
            ends.append(at)
            start = at
        last = at

    stops = chain((m.end() for m in _STRONG.finditer(text)), (len(text),))
    for stop in stops:
        while stop - prev > max_run:
            prev = _run_on_cut(text, prev, prev + max_run)
            boundary(prev, forced=True)
        boundary(stop, forced=False)
        prev = stop
    if not ends or ends[-1] != len(text):
        ends.append(len(text))
    return ends


def _run_on_cut(text: str, start: int, limit: int) -> int:
    """Where to cut a stretch with no sentence end: after its last clause mark in the second
    half of `start`..`limit`, else after its last space there, else at `limit`."""
    middle = start + (limit - start) // 2
    clause_ends = [m.end() for m in _CLAUSE.finditer(text, middle, limit)]
    if clause_ends:
        return clause_ends[-1]
    space = max(text.rfind(" ", middle, limit), text.rfind("\t", middle, limit))
    return space + 1 if space >= 0 else limit
