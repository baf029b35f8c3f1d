"""Property: any bytes, in any format, give Articles or ReadFailures, never an exception."""

from __future__ import annotations

import io
import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.models import Article
from kg.sources import ReadFailure, read_paths

SUFFIXES = [".txt", ".json", ".jsonl", ".html"]

# Bytes that are sometimes almost valid input: raw bytes, text, JSON-ish and HTML-ish fragments.
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.sampled_from(["id", "text", "body", "title", "date", "url", "source", "x"]), inner,
        max_size=5),
    max_leaves=12,
)
inputs = st.one_of(
    st.binary(max_size=600),
    st.text(max_size=400).map(lambda t: t.encode("utf-8", "surrogatepass")),
    json_values.map(lambda v: json.dumps(v).encode()),
    st.lists(json_values, max_size=4).map(lambda vs: "\n".join(json.dumps(v) for v in vs).encode()),
    st.text(max_size=200).map(lambda t: f"<html><body><p>{t}</p></body></html>".encode(
        "utf-8", "surrogatepass")),
)


def check(items: list[Article | ReadFailure]) -> None:
    assert items, "every input yields at least one item"
    for item in items:
        assert isinstance(item, Article | ReadFailure)
        if isinstance(item, ReadFailure):
            assert item.reason.strip() and not item.reason.startswith("unexpected error"), item.message
            assert "\n" not in item.message
        else:
            assert item.text.strip()
            item.model_dump_json().encode("utf-8")  # valid UTF-8 all the way down
            json.dumps(item.metadata, allow_nan=False)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=inputs, suffix=st.sampled_from(SUFFIXES))
def test_any_file_gives_articles_or_failures(data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"input{suffix}"
        path.write_bytes(data)
        check(list(read_paths([path], max_bytes=4096)))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=inputs)
def test_any_stdin_gives_articles_or_failures(data: bytes) -> None:
    check(list(read_paths(["-"], stdin=io.BytesIO(data), max_bytes=4096)))
