"""Hostile input the readers must refuse or get through quickly: a page over the HTML element
limit, a page nested 100,000 levels deep, a sparse 1 GiB text file.

These are hang guards, not rates: each is a bound in seconds that a reader breaking its
policy (parsing before counting, reading before measuring) would miss by minutes. They were
timing assertions in tests/sources; speed lives here, the refusals themselves stay tested.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kg.errors import KgError
from kg.sources import ReadFailure, read_paths
from kg.sources.htmlpage import MAX_ELEMENTS

# Each case's target: its label and the seconds it may take at most (the tests' old bounds).
TARGETS: dict[str, tuple[str, float]] = {
    "html_over_element_limit": ("HTML over the element limit refused", 10.0),
    "html_deep_nesting": ("HTML nested 100,000 deep read", 10.0),
    "sparse_1_gib_text": ("1 GiB text refused before reading", 5.0),
}
DEEP = 100_000
SPARSE_BYTES = 1 << 30


def _html_over_element_limit(path: Path) -> Callable[[list[Any]], bool]:
    path.write_text("<html><body>" + "<p>x</p>" * (MAX_ELEMENTS + 10) + "</body></html>", "utf-8")
    return lambda items: (len(items) == 1 and isinstance(items[0], ReadFailure)
                          and "over the limit" in items[0].reason)


def _html_deep_nesting(path: Path) -> Callable[[list[Any]], bool]:
    path.write_text("<html><body>" + "<div>" * DEEP + "<p>Deep.</p>" + "</div>" * DEEP
                    + "</body></html>", "utf-8")
    return lambda items: len(items) == 1  # an article or a failure, never a crash


def _sparse_text(path: Path) -> Callable[[list[Any]], bool]:
    with path.open("wb") as handle:
        handle.truncate(SPARSE_BYTES)  # no disk used; reading it would take long
    return lambda items: (len(items) == 1 and isinstance(items[0], ReadFailure)
                          and items[0].reason.startswith(f"article text is {SPARSE_BYTES} bytes"))


CASES: dict[str, tuple[str, Callable[[Path], Callable[[list[Any]], bool]]]] = {
    "html_over_element_limit": ("big.html", _html_over_element_limit),
    "html_deep_nesting": ("deep.html", _html_deep_nesting),
    "sparse_1_gib_text": ("huge.txt", _sparse_text),
}


def measure_refusals(work: Path) -> dict[str, Any]:
    """Seconds `read_paths` takes over each hostile file written under `work`."""
    out: dict[str, Any] = {}
    for name, (file_name, write) in CASES.items():
        path = work / file_name
        expected = write(path)
        started = time.perf_counter()
        items = list(read_paths([path]))
        seconds = time.perf_counter() - started
        if not expected(items):
            raise KgError(f"reader benchmark {name}: unexpected result {items!r:.200}")
        out[name] = {"seconds": round(seconds, 3)}
        path.unlink()
    return out
