"""Fuzz target for the HTML, JSON and JSONL readers (kg.sources), with atheris.

    make fuzz                    # 60 s; FUZZ_SECONDS=600 make fuzz for longer
    .venv/bin/python fuzz/fuzz_readers.py -max_total_time=60 fuzz/corpus fuzz/seeds

The first byte of an input picks the format (html, json, jsonl, or sniffed as stdin is);
the rest is the file. Every input must give Articles or ReadFailures with a reason, never
an exception: a reader bug that `read_stream` turns into an "unexpected error" failure
counts as a crash too, so libFuzzer stops and writes the input to `fuzz/crashes/`. Such an
input goes to `fuzz/regressions/`, where tests/sources/test_fuzz_regressions.py replays it
with `check_input` below (atheris is not needed for that, so CI runs the regressions).
"""

from __future__ import annotations

import io
import json
import sys

FORMATS = ("html", "json", "jsonl", "auto")
MAX_BYTES = 64 * 1024  # the per-article limit for fuzzing: large enough for any -max_len


def check_input(data: bytes) -> None:
    """Read `data` as the format its first byte selects; raise if a reader misbehaves."""
    from kg.models import Article
    from kg.sources import ReadFailure
    from kg.sources.base import ReadContext
    from kg.sources.paths import read_stream

    if not data:
        return
    fmt = FORMATS[data[0] % len(FORMATS)]
    items = list(read_stream(io.BytesIO(data[1:]), ReadContext(max_bytes=MAX_BYTES), fmt=fmt))
    if not items:
        raise AssertionError(f"{fmt}: no article and no failure")
    for item in items:
        if isinstance(item, ReadFailure):
            if item.reason.startswith("unexpected error") or not item.reason.strip():
                raise AssertionError(f"{fmt}: {item.message}")
            if "\n" in item.message:
                raise AssertionError(f"{fmt}: a failure message of several lines")
        elif isinstance(item, Article):
            if not item.text.strip():
                raise AssertionError(f"{fmt}: an article without text")
            item.model_dump_json().encode("utf-8")  # encodable all the way down
            json.dumps(item.metadata, allow_nan=False)
        else:
            raise AssertionError(f"{fmt}: yielded {type(item).__name__}")


def main() -> None:
    import logging

    import atheris  # the `fuzz` extra: pip install -e '.[fuzz]'

    logging.disable(logging.WARNING)  # bad input warns on every run; only crashes matter here

    # Import what the readers use (trafilatura is imported lazily), then instrument it all.
    import kg.sources.htmlpage
    import kg.sources.jsonfile
    import kg.sources.jsonl  # noqa: F401

    atheris.instrument_all()
    atheris.Setup(sys.argv, check_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
