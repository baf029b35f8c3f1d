"""The `kg review` commands through click's CliRunner on a real server: analysts' merges and
splits of reports across articles win over the event matcher; an orphaned correction is
reported by `kg review queue` and `kg stats`; errors are one line."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

import pytest
from click.testing import CliRunner
from neo4j import Driver

from kg.cli import main
from kg.extract.pipeline import Extractor
from kg.ingest import ingest
from kg.models import Article, ArticleGraph
from kg.review.service import listing
from tests.neo4j_testing import Neo4jTestServer
from tests.review.test_review_graph import AFP, LOCAL, PATHS, SOMALIA, Versioned

pytestmark = pytest.mark.neo4j


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


@pytest.fixture
def run(neo4j_server: Neo4jTestServer, kg: Driver):  # type: ignore[no-untyped-def]
    env = {"KG_NEO4J_URI": neo4j_server.uri, "KG_NEO4J_USER": neo4j_server.user,
           "KG_NEO4J_PASSWORD": neo4j_server.password, "KG_ANALYST": "ana"}

    def invoke(*args: str, ok: bool = True) -> str:
        result = CliRunner().invoke(main, list(args), env=env)
        assert (result.exit_code == 0) == ok, result.output
        return result.output

    return invoke


def events_of(driver: Driver, article: str) -> set[str]:
    return {r["id"] for r in driver.execute_query(
        "MATCH (:Article {id: $a})-[:REPORTS]->(e:Event) RETURN e.id AS id", a=article).records}


def test_analysts_split_and_merge_reports_across_articles(kg: Driver, run, extractor: Extractor) -> None:  # type: ignore[no-untyped-def]
    ingest(PATHS, kg, extractor=Versioned(extractor, "v1"))
    attack = events_of(kg, AFP) & events_of(kg, LOCAL)
    assert len(attack) == 1, "the matcher joins the two reports of the Malam Fatori attack"

    out = run("review", "split", "--article", LOCAL, "--at", "0:199", "--note", "a later raid")
    assert "Recorded correction:" in out
    assert not events_of(kg, AFP) & events_of(kg, LOCAL)

    # An Abuja clash and a bombing in Somalia: the matcher vetoes them (different countries).
    run("review", "merge", "events", "--article", LOCAL, "--at", "765:1001", "--event-type", "armed_clash",
        "--with-article", SOMALIA, "--with", "1673:1907", "--other-type", "bombing")
    joined = events_of(kg, LOCAL) & events_of(kg, SOMALIA)
    assert len(joined) == 1
    reasons = kg.execute_query("MATCH ()-[r:REPORTS]->(:Event {id: $e}) RETURN r.match_reasons AS reasons",
                               e=joined.pop()).records
    assert any("analyst: same incident" in " ".join(r["reasons"] or []) for r in reasons)

    ingest(PATHS, kg, extractor=Versioned(extractor, "v1"), force=True)
    assert not events_of(kg, AFP) & events_of(kg, LOCAL)
    assert len(events_of(kg, LOCAL) & events_of(kg, SOMALIA)) == 1

    split_id = next(c.id for c, _, _ in listing(kg) if c.action == "split_event")
    run("review", "undo", split_id)
    assert len(events_of(kg, AFP) & events_of(kg, LOCAL)) == 1
    log = run("review", "log", "--format", "json")
    assert [json.loads(line)["status"] for line in log.splitlines()] == ["undone", "applied", "undo"]
    assert run("review", "log", "--analyst", "nobody") == ""


class Forgetful(Versioned):
    """A new extractor version that no longer finds the Somalia arrest."""

    def extract_many(self, articles: Iterable[Article], *, n_process: int = 1,
                     batch_size: int | None = None) -> Iterator[ArticleGraph]:
        for graph in super().extract_many(articles):
            yield graph.model_copy(update={"events": [e for e in graph.events if e.type.value != "arrest"]})


def test_an_orphaned_correction_is_reported_first_by_the_queue_and_by_stats(
        kg: Driver, run, extractor: Extractor) -> None:  # type: ignore[no-untyped-def]
    ingest(PATHS[2:], kg, extractor=Versioned(extractor, "v1"))
    run("review", "set", "event", "date", "2025-04-16", "--article", SOMALIA, "--at", "1404:1673")
    assert "orphaned: 0" in run("stats")
    ingest(PATHS[2:], kg, extractor=Forgetful(extractor, "v2"))
    [(correction, status, reason)] = listing(kg)
    assert status == "orphaned" and "no event with evidence at [1404:1673]" in reason
    assert "Corrections: 1, orphaned: 1" in run("stats")
    assert json.loads(run("stats", "--format", "json"))["corrections"] == {"all": 1, "orphaned": 1}
    first = json.loads(run("review", "queue", "--format", "json"))[0]
    assert first["check"] == "orphaned correction" and first["subject"] == correction.id
    assert first["fix"].startswith(f"kg review undo {correction.id}")
    table = run("review", "queue", "--limit", "3")
    assert table.splitlines()[0].startswith("  1. [orphaned correction]")
    assert run("review", "queue", "--format", "csv").splitlines()[0].startswith("weight,check,subject")


def test_errors_are_one_line(kg: Driver, run, extractor: Extractor) -> None:  # type: ignore[no-untyped-def]
    ingest(PATHS[2:], kg, extractor=Versioned(extractor, "v1"))
    out = run("review", "set", "event", "date", "someday", "--article", SOMALIA, "--at", "0:243", ok=False)
    assert out.strip().splitlines() == ["Error: value 'someday' for date: Invalid isoformat string: 'someday'"]
    out = run("review", "reject", "figure", "--article", SOMALIA, "--at", "0:10", "--text", "nine", ok=False)
    assert out.strip() == f"Error: figure in article {SOMALIA} [0:10]: no figure 'nine' at [0:10]"
    out = run("review", "retype", "person:nobody", "Organisation", ok=False)
    assert out.strip() == "Error: entity person:nobody: no article in the graph mentions it"
    out = run("review", "undo", "correction:0000", ok=False)
    assert out.strip() == "Error: no correction correction:0000"
    out = run("review", "show", "event:nope", ok=False)
    assert out.strip() == "Error: no event event:nope in the graph"
    event = next(iter(events_of(kg, SOMALIA)))
    assert f"--article {SOMALIA} --at" in run("review", "show", event)
    assert listing(kg) == []
