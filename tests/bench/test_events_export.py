"""The events-export benchmark step on a small real graph: it tops the graph up with clones,
runs each export in its own process and reports what the targets need (nothing is timed here)."""

from __future__ import annotations

import pytest
from neo4j import Driver

from kg.dev.bench import events_export
from kg.dev.bench.report import targets
from kg.dev.bench.suite import Server
from kg.ingest import ingest
from tests.neo4j_testing import Neo4jTestServer

pytestmark = pytest.mark.neo4j


def test_events_export_step(kg: Driver, neo4j_server: Neo4jTestServer, tmp_path_factory: pytest.TempPathFactory,
                            monkeypatch: pytest.MonkeyPatch) -> None:
    from kg.dev.bench.corpus import write_corpus
    from kg.dev.bench.extraction import read_corpus
    from kg.extract.pipeline import Extractor

    corpus = write_corpus(6, 21, tmp_path_factory.mktemp("corpus") / "corpus.jsonl")
    assert ingest([corpus], kg).failed == 0
    graphs = list(Extractor().extract_many(read_corpus(corpus)))
    monkeypatch.setattr(events_export, "EVENTS_EXPORT_ARTICLES", 12)
    server = Server(neo4j_server.uri, neo4j_server.user, neo4j_server.password)

    result = events_export.measure_events_export(server, kg, graphs, lambda _: None)

    assert result["articles"] >= 12  # topped up with clones of the six
    events = kg.execute_query("MATCH (e:Event) WHERE NOT coalesce(e.background, false) "
                              "RETURN count(e) AS n").records[0]["n"]
    assert result["events"] == events > 0
    runs = result["runs"]
    assert runs["csv"]["rows"] == runs["parquet"]["rows"] == events
    assert 0 < runs["csv_tenth"]["rows"] < events
    assert runs["csv"]["peak_rss_mib"] > 0 and result["rows_per_s"] > 0
    by_name = {t.name: t for t in targets({"events_export": result})}
    seconds = by_name["events export (CSV), seconds"]
    assert seconds.measured == runs["csv"]["seconds"] and seconds.threshold == 10.0
    assert "rows/s" in seconds.note
    assert by_name["events export peak RSS growth (tenth→all)"].measured == result["memory_growth"]
