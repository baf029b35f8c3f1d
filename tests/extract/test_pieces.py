"""How articles are cut for parsing (`kg.extract.pieces`), and the CPU budget (issue 20).

Properties over any text: the pieces concatenate to it exactly, none is longer than
`PIECE_CHARS`, no piece holds a stretch without a line or sentence end longer than
`RUN_ON_CHARS`, and a short article with ordinary sentences stays whole.
"""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.extract.budget import OverBudget, cpu_budget
from kg.extract.pieces import _STRONG, piece_ends

# Small limits so that generated texts cross them often.
MAX_CHARS, MAX_RUN = 200, 40

hostile_text = st.lists(st.sampled_from([*"ab 1,;.\n\"()“”", "Quetta ", "said: ", ". ", "x" * 50]),
                        max_size=600).map("".join)


def pieces(text: str, max_chars: int = MAX_CHARS, max_run: int = MAX_RUN) -> list[str]:
    ends = piece_ends(text, max_chars, max_run)
    return [text[a:b] for a, b in zip([0, *ends[:-1]], ends, strict=True)]


def longest_run(piece: str) -> int:
    stops = [0, *(m.end() for m in _STRONG.finditer(piece)), len(piece)]
    return max(b - a for a, b in zip(stops, stops[1:], strict=False))


@given(hostile_text)
@settings(max_examples=300, deadline=None)
def test_pieces_cover_the_text_exactly_and_stay_within_both_limits(text: str) -> None:
    parts = pieces(text)
    assert "".join(parts) == text
    assert all(len(p) <= MAX_CHARS for p in parts)
    assert all(longest_run(p) <= MAX_RUN for p in parts)
    assert all(parts) or parts == [""]


@given(st.lists(st.sampled_from(["Gunmen attacked a post. ", "Officials said two died. ",
                                 "Police arrived!\n", "\n\n"]), max_size=8))
def test_ordinary_text_under_the_piece_size_is_parsed_whole(sentences: list[str]) -> None:
    text = "".join(sentences)
    assert piece_ends(text, MAX_CHARS, MAX_RUN) == [len(text)]


def test_a_run_on_stretch_is_cut_after_a_clause_mark_or_a_space() -> None:
    text = "one two three four five six, seven eight nine ten eleven twelve"
    first = pieces(text, 200, 40)[0]
    assert first == "one two three four five six, "  # the comma, not the last space before 40
    assert pieces("one, " + "two " * 20, 200, 40)[0] == "one, " + "two " * 8  # too early: a space
    assert pieces("x" * 100, 200, 40) == ["x" * 40, "x" * 40, "x" * 20]


def test_a_megabyte_run_on_is_cut_in_linear_time() -> None:
    text = "the convoy was attacked and " * 40_000  # 1.1 MB, no sentence end
    start = time.process_time()
    ends = piece_ends(text)
    assert time.process_time() - start < 2.0  # one pass; quadratic would take minutes
    assert len(ends) > len(text) // 600


def test_the_budget_stops_a_busy_loop_and_then_disarms() -> None:
    start = time.process_time()
    with pytest.raises(OverBudget, match="over the time budget of 0.2 s of CPU"), cpu_budget(0.2):
        while True:
            sum(range(1000))
    assert 0.15 < time.process_time() - start < 1.5
    with cpu_budget(0.2):
        pass
    busy_until = time.process_time() + 0.4
    while time.process_time() < busy_until:  # no timer left armed to fire here
        sum(range(1000))


def test_no_budget_means_no_timer() -> None:
    with cpu_budget(None):
        busy_until = time.process_time() + 0.3
        while time.process_time() < busy_until:
            sum(range(1000))
