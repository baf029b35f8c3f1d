"""Growth measurements (issues 17 and 19): the synthetic extraction output, the index-backed
candidate look-up of event coreference, and the growth step on a real server."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from neo4j import Driver

from kg.dev.bench.growth import measure_growth_by_backfill, measure_growth_steps, step_targets
from kg.dev.bench.suite import Server
from kg.dev.bench.synthetic import (
    REPORTS_PER_INCIDENT,
    ReplayExtractor,
    article_graph,
    articles_jsonl,
    graphs,
    graphs_jsonl,
    incident,
)
from kg.ingest import ingest
from kg.models import ArticleGraph
from kg.neo4j import event_reports
from kg.neo4j.loader import load
from kg.resolve import reports_of
from kg.resolve.coreference import settle_reports
from kg.schema import EntityType
from tests.neo4j_testing import Neo4jTestServer

# -- the generator -------------------------------------------------------------------------------


def test_article_i_depends_only_on_seed_and_i() -> None:
    assert article_graph(3, 41) == list(graphs(3, 40, 42))[1]
    assert article_graph(3, 41) != article_graph(4, 41)
    assert len({g.article.id for g in graphs(3, 0, 30)}) == 30


def test_three_reports_of_an_incident_told_differently() -> None:
    number = 7
    told = [article_graph(5, REPORTS_PER_INCIDENT * number + v).events[0] for v in range(3)]
    truth = incident(5, number)
    assert told[0].date == truth.day and told[0].type is truth.type or told[0].place is None
    # Across many incidents the variants give late, regional, retyped, undated and weekly reports.
    late = regional = retyped = undated = weekly = 0
    for n in range(200):
        truth = incident(5, n)
        day1 = article_graph(5, 3 * n + 1)
        late += day1.events[0].date == truth.day + dt.timedelta(days=1)
        places = {e.id: e for e in day1.entities}
        main_place = places.get(day1.events[0].place or "")
        regional += main_place is not None and main_place.kind == "admin_region"
        retyped += day1.events[0].type is not truth.type
        day2 = article_graph(5, 3 * n + 2).events[0]
        undated += day2.date is None
        weekly += day2.date_precision is not None and day2.date_precision.value == "week"
    assert min(late, regional, retyped, undated, weekly) > 30


def test_look_alike_two_days_later_in_another_town_of_the_region() -> None:
    first, twin = incident(9, 20), incident(9, 21)
    assert twin.day == first.day + dt.timedelta(days=2)
    assert (twin.country, twin.region, twin.type, twin.group) == (first.country, first.region,
                                                                  first.type, first.group)
    assert twin.town != first.town


def test_bench_graphs_writes_what_kg_extract_jsonl_writes(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from kg.cli import main

    out = tmp_path / "g.jsonl"
    result = CliRunner().invoke(main, ["bench", "graphs", "-n", "3", "--start", "5", "--seed", "2",
                                       "-o", str(out)])
    assert result.exit_code == 0, result.output
    lines = out.read_text(encoding="utf-8").splitlines()
    assert [ArticleGraph.model_validate_json(line) for line in lines] == [article_graph(2, n) for n in (5, 6, 7)]


def test_graphs_file_is_extraction_output_and_articles_replay(tmp_path: Path) -> None:
    path = graphs_jsonl(2, 10, 14, tmp_path / "graphs.jsonl")
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 4
    first = json.loads(lines[0])
    assert {"article", "extractor_version"} <= set(first)  # what `kg backfill` recognises
    assert ArticleGraph.model_validate_json(lines[1]) == article_graph(2, 11)
    articles = articles_jsonl(2, 10, 14, tmp_path / "articles.jsonl")
    from kg.sources import read_paths

    read = list(read_paths([articles]))
    replayed = list(ReplayExtractor(2).extract_many(read))  # type: ignore[arg-type]
    assert [g.events for g in replayed] == [article_graph(2, n).events for n in range(10, 14)]
    # Evidence offsets point into the article as read.
    for graph in replayed:
        ev = graph.events[0].evidence[0]
        assert graph.article.text[ev.start:ev.end] == ev.text


# -- the candidate look-up -------------------------------------------------------------------------

_PROBE = {"start": dt.date(2024, 3, 1), "end": dt.date(2024, 3, 3), "types": ["attack", "armed_clash"],
          "places": ["place:x"], "country": "ML", "latitude": 5.0, "longitude": 10.0, "home": "ML"}


def _operators(plan: Any) -> list[str]:
    found = [f"{plan['operatorType']} {plan['args'].get('Details', '')}"]
    for child in plan.get("children", []):
        found += _operators(child)
    return found


@pytest.mark.neo4j
@pytest.mark.parametrize("name", ["_CANDIDATES", "_CANDIDATES_AT_PLACES", "_CANDIDATES_IN_COUNTRY",
                                  "_UNPLACED_CANDIDATES", "_UNPLACED_IN_COUNTRY"])
def test_candidate_look_ups_are_index_seeks(kg: Driver, name: str) -> None:
    query = getattr(event_reports, name)
    with kg.session() as session:
        plan = session.run("EXPLAIN " + query, batch={"probes": [_PROBE]}, short=31, year=366, near=25000.0
                           ).consume().plan
    operators = _operators(plan)
    reads = [o for o in operators if "Scan" in o or "Seek" in o]
    assert reads and all("IndexSeek" in o for o in reads), reads
    assert any("RANGE INDEX" in o and "REPORTS(" in o for o in reads)


@pytest.mark.neo4j
def test_loaded_in_batches_the_events_are_those_of_all_reports_at_once(kg: Driver) -> None:
    """The look-up by place, country and unplaced window finds every match the window alone did:
    batch by batch, the Events are the clusters of every report compared with every other."""
    stream = list(graphs(11, 0, 150))
    # Each incident's three reports in three different batches: they meet through the look-up.
    by_variant = sorted(stream, key=lambda g: (int(g.article.id[5:]) % REPORTS_PER_INCIDENT, g.article.id))
    load(kg, by_variant, batch_size=25)
    stored = {r["key"]: r["event"] for r in kg.execute_query(
        "MATCH (:Article)-[r:REPORTS]->(e:Event) RETURN r.report_key AS key, e.id AS event").records}
    reports = [r for g in stream for r in reports_of(g)]
    ancestors = _ancestors(stream)
    clusters = settle_reports(reports, ancestors).clusters
    assert _partition(stored) == _partition(clusters)
    assert len(set(stored.values())) < len(stored) * 0.8  # many reports were merged


def _ancestors(stream: list[ArticleGraph]) -> dict[str, frozenset[str]]:
    parents = {e.id: e.parent for g in stream for e in g.entities if e.type is EntityType.PLACE}
    chains = {}
    for place in parents:
        chain, up = [], parents[place]
        while up:
            chain.append(up)
            up = parents.get(up)
        chains[place] = frozenset(chain)
    return chains


def _partition(mapping: dict[str, str]) -> set[frozenset[str]]:
    groups: dict[str, set[str]] = defaultdict(set)
    for key, cluster in mapping.items():
        groups[cluster].add(key)
    return {frozenset(g) for g in groups.values()}


# -- the growth step ---------------------------------------------------------------------------------


@pytest.mark.neo4j
def test_growth_steps_time_coreference_in_real_ingests(kg: Driver, neo4j_server: Neo4jTestServer) -> None:
    server = Server(neo4j_server.uri, neo4j_server.user, neo4j_server.password)
    run = measure_growth_steps(server, kg, lambda _: None, small=30, large=90, step=30)
    small, large = run["steps"]["30"], run["steps"]["90"]
    for step in (small, large):
        assert step["new"] == 30 and step["failed"] == 0
        assert step["coreference_calls"] >= 1 and step["candidates_read"] > 0
        assert 0 < step["coreference_seconds"] <= step["load_seconds"] < step["seconds"]
    assert large["graph_articles"] == 90
    # The graph holds every article once: built, stepped, built on, stepped.
    count = kg.execute_query("MATCH (a:Article) RETURN count(a) AS c").records[0]["c"]
    assert count == 120
    ingested = {r["id"] for r in kg.execute_query("MATCH (a:Article) RETURN a.id AS id").records}
    assert {g.article.id for g in graphs(17, 0, 120)} == ingested
    names = [t.name for t in step_targets(run)]
    assert names[0].startswith("coreference per article, 90 vs 30 graph")
    assert all(t.measured is not None for t in step_targets(run))


@pytest.mark.neo4j
def test_growth_steps_on_graphs_built_by_backfill() -> None:
    run = measure_growth_by_backfill(lambda _: None, small=30, large=90, step=30)
    small, large = run["steps"]["30"], run["steps"]["90"]
    for step in (small, large):  # the step's articles are new on top of each backfilled graph
        assert step["new"] == 30 and step["failed"] == 0
        assert step["coreference_calls"] >= 1 and step["candidates_read"] > 0
    # The large graph is a backfill of the first 90 articles, not the small one built on.
    assert (small["graph_articles"], large["graph_articles"]) == (30, 90)
    assert large["graph_nodes"] > small["graph_nodes"] > 0
    assert run["built_by"].startswith("kg backfill")
    assert all(t.measured is not None for t in step_targets(run))


def test_growth_targets_missing_when_not_run() -> None:
    assert all(t.passed is None for t in step_targets(None))


@pytest.mark.neo4j
def test_replayed_ingest_skips_nothing_and_loads_the_graphs(kg: Driver, tmp_path: Path) -> None:
    path = articles_jsonl(4, 0, 12, tmp_path / "a.jsonl")
    summary = ingest([path], kg, extractor=ReplayExtractor(4))
    assert (summary.read, summary.new, summary.failed) == (12, 12, 0)
    again = ingest([path], kg, extractor=ReplayExtractor(4))
    assert again.unchanged == 12
