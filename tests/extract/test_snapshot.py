"""Extraction of the example articles is exactly the stored snapshot (see `snapshot.py`)."""

from __future__ import annotations

import difflib

from tests.extract.snapshot import SNAPSHOT, extract_examples


def test_examples_extract_exactly_as_stored(extractor) -> None:
    stored = SNAPSHOT.read_text(encoding="utf-8")
    current = extract_examples(extractor)
    if current != stored:
        diff = difflib.unified_diff(stored.splitlines(), current.splitlines(), "stored", "now",
                                    lineterm="", n=2)
        lines = list(diff)
        raise AssertionError(
            f"extraction of examples/articles changed ({len(lines)} diff lines); if on purpose, "
            "remake it with `python -m tests.extract.snapshot`:\n" + "\n".join(lines[:60]))
