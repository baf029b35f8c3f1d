"""`kg ingest` over a hostile corpus (see corpus.py) against the real Neo4j test server.

Each bad file, line or record must cost exactly itself: one `Failed:` line naming it, one
`failed` line in the report, no traceback, and every readable article still in the graph.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from neo4j import Driver

from kg.cli import main
from kg.sources import ReadFailure, read_paths
from tests.neo4j_testing import Neo4jTestServer
from tests.reliability.corpus import MAX_ARTICLE_BYTES, Corpus, build_corpus

# A hang guard, not a performance bound: a run takes seconds.
HANG_GUARD_SECONDS = 300


@pytest.fixture
def cli_env(neo4j_server: Neo4jTestServer) -> dict[str, str]:
    return {"KG_NEO4J_URI": neo4j_server.uri, "KG_NEO4J_USER": neo4j_server.user,
            "KG_NEO4J_PASSWORD": neo4j_server.password,
            "KG_MAX_ARTICLE_BYTES": str(MAX_ARTICLE_BYTES)}


@pytest.fixture
def corpus(tmp_path: Path) -> Corpus:
    c = build_corpus(tmp_path / "corpus")
    # Files whose id the reader derives (text files): take it from a read of that file alone.
    for path in c.readable:
        items = list(read_paths([path], max_bytes=MAX_ARTICLE_BYTES))
        assert len(items) == 1 and not isinstance(items[0], ReadFailure), items
        c.loaded[items[0].id] = path
    return c


def run_ingest(args: list[str], env: dict[str, str]) -> tuple[Result, float]:
    start = time.monotonic()
    result = CliRunner().invoke(main, ["ingest", *args], env=env)
    return result, time.monotonic() - start


def failed_lines(result: Result) -> list[str]:
    return [line.removeprefix("Failed: ") for line in result.output.splitlines()
            if line.startswith("Failed: ")]


def read_report(path: Path) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
    """The outcome lines and the summary line (None when the run stopped before it)."""
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    if lines and "summary" in lines[-1]:
        return lines[:-1], lines[-1]["summary"]
    return lines, None


def article_ids(driver: Driver) -> list[str]:
    return [r["id"] for r in driver.execute_query("MATCH (a:Article) RETURN a.id AS id").records]


@pytest.mark.neo4j
def test_every_bad_input_fails_alone_and_every_good_article_loads(
        graph: Driver, corpus: Corpus, cli_env: dict[str, str], tmp_path: Path) -> None:
    report = tmp_path / "report.jsonl"

    result, elapsed = run_ingest([str(corpus.root), "--report", str(report)], cli_env)

    assert elapsed < HANG_GUARD_SECONDS
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)  # a clean exit, not an escaped exception
    assert "Traceback" not in result.output
    assert f"Error: {len(corpus.failures)} article(s) failed" in result.output

    # One `Failed:` line per bad item, each naming the item (file, or file:line), none extra.
    lines = failed_lines(result)
    assert len(lines) == len(corpus.failures), lines
    for location in corpus.failures:
        naming = [line for line in lines if line.startswith(f"{location}: ")]
        assert len(naming) == 1, (location, lines)
        assert naming[0].removeprefix(f"{location}: ").strip()  # a reason follows

    # The report: every failure with its location and reason, every good article as new.
    outcomes, summary = read_report(report)
    assert summary is not None
    failed = {o["origin"]: o["error"] for o in outcomes if o["status"] == "failed"}
    assert sorted(failed) == sorted(corpus.failures)
    assert all(reason for reason in failed.values())
    assert failed[f"{corpus.root / 'b_feed.jsonl'}:2"].startswith("invalid JSON")
    assert "over the limit" in failed[str(corpus.root / "g_too_big.txt")]
    assert "over the limit" in failed[f"{corpus.root / 'g_long_line.jsonl'}:1"]
    assert "nested too deeply" in failed[str(corpus.root / "e_deep.json")]
    assert "binary file" in failed[str(corpus.root / "d_binary.txt")]
    new = {o["id"]: o["origin"] for o in outcomes if o["status"] == "new"}
    assert sorted(new) == sorted(corpus.loaded)
    assert len(outcomes) == len(corpus.failures) + len(corpus.loaded)
    assert (summary["new"], summary["failed"]) == (len(corpus.loaded), len(corpus.failures))

    # The graph: exactly the good articles; lone surrogates arrived as U+FFFD.
    assert sorted(article_ids(graph)) == sorted(corpus.loaded)
    title = graph.execute_query("MATCH (a:Article {id: 'reliability-surrogates'}) RETURN a.title AS t"
                                ).records[0]["t"]
    assert title == "Lone \ufffd surrogate in a title"

    # Run again: the good articles are unchanged, the bad ones fail the same way.
    again, _ = run_ingest([str(corpus.root)], cli_env)
    assert again.exit_code == 1 and "Traceback" not in again.output
    assert sorted(failed_lines(again)) == sorted(lines)
    assert f"{len(corpus.loaded)} unchanged, {len(corpus.failures)} failed" in again.output


@pytest.mark.neo4j
def test_fail_fast_stops_at_the_first_failure(graph: Driver, corpus: Corpus, cli_env: dict[str, str],
                                              tmp_path: Path) -> None:
    report = tmp_path / "report.jsonl"
    first_failure = corpus.failures[0]  # b_feed.jsonl:2, the first bad item in walk order
    before = {aid for aid, path in corpus.loaded.items()
              if path.name < "b_feed.jsonl"} | {next(iter(corpus.loaded))}

    result, elapsed = run_ingest([str(corpus.root), "--report", str(report), "--fail-fast",
                                  "--batch-size", "1"], cli_env)

    assert elapsed < HANG_GUARD_SECONDS
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    # The error names the bad line, not an innocent article the extractor was holding.
    errors = [line for line in result.output.splitlines() if line.startswith("Error: ")]
    assert len(errors) == 1 and errors[0].startswith(f"Error: {first_failure}: invalid JSON"), errors
    # The report stops at the failure (the raised error ends the run before the summary).
    outcomes, _ = read_report(report)
    assert [o["origin"] for o in outcomes if o["status"] == "failed"] == [first_failure]
    assert len(outcomes) < len(corpus.loaded) + len(corpus.failures)
    loaded = set(article_ids(graph))
    assert loaded <= before and len(loaded) < len(corpus.loaded)
