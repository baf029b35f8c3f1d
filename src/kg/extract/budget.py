"""A CPU-time budget per article (`KG_MAX_ARTICLE_SECONDS`), enforced by a profiling timer.

Parsing in pieces (`kg.extract.pieces`) keeps every article's cost linear in its length;
the budget is the backstop for whatever shape still costs more than it should, so that one
item cannot hold a run, or a worker of a parallel one, for minutes. It is checked by the
kernel rather than by the rules: `ITIMER_PROF` counts this process's CPU time and raises
`OverBudget` in the extracting thread when it runs out, wherever the rules are. A
compiled call (one spaCy batch of pieces) finishes first, which pieces keep short.

Signals reach only the main thread of a process: extraction there (the CLI, ingest, the
worker processes of `--jobs`) is bounded; elsewhere (an `Extractor` used from a thread)
the article runs unbounded, as it did before.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType


class OverBudget(BaseException):
    """The article used up its CPU seconds. Not an `Exception`, so that no rule's
    `except Exception` can swallow it and run on unbounded."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"over the time budget of {seconds:g} s of CPU (KG_MAX_ARTICLE_SECONDS)")
        self.seconds = seconds


def can_enforce() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextmanager
def cpu_budget(seconds: float | None) -> Iterator[None]:
    """Raise `OverBudget` inside the block once it has used `seconds` of CPU (None: no limit)."""
    if not seconds or not can_enforce():
        yield
        return

    def expired(signum: int, frame: FrameType | None) -> None:
        raise OverBudget(seconds)

    previous = signal.signal(signal.SIGPROF, expired)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)
