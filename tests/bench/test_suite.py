"""Pieces of the benchmark suite that can be checked without timing anything."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from neo4j import Driver

from kg.dev.bench.corpus import generate
from kg.dev.bench.loader_speed import loader_targets
from kg.dev.bench.report import Report, Target, peak_rss_mib, table_rows, targets
from kg.dev.bench.suite import bulk_load, clone, naive_load
from kg.models import Article, ArticleGraph


@pytest.fixture(scope="module")
def graphs() -> list[ArticleGraph]:
    from kg.extract.pipeline import Extractor

    records = list(generate(6, 21))
    articles = [Article(id=r["id"], title=r["title"], text=r["text"], source=r["source"],
                        published=dt.date.fromisoformat(r["published"])) for r in records]
    return list(Extractor().extract_many(articles))


def test_clone_is_a_new_article_over_the_same_entities(graphs: list[ArticleGraph]) -> None:
    graph = next(g for g in graphs if g.events)
    copy = clone(graph, 3)
    assert copy.article.id == f"{graph.article.id}-copy3"
    assert copy.article.text == graph.article.text
    assert {e.id for e in copy.entities} == {e.id for e in graph.entities}
    assert not {e.id for e in copy.events} & {e.id for e in graph.events}
    for old, new in zip(graph.events, copy.events, strict=True):
        if old.date is not None:
            assert new.date == old.date + dt.timedelta(days=3300)
    old_ids = {e.id for e in graph.events} | {f.id for f in graph.figures} | {q.id for q in graph.quotes}
    assert not any(r.source in old_ids or r.target in old_ids for r in copy.relations)
    assert len(copy.relations) == len(graph.relations)


def test_targets_pass_fail_and_missing() -> None:
    measurements = {
        "extraction": {"ratio_vs_bare": 0.9, "speedup_2_processes": 1.2},
        "end_to_end": {"articles_per_s": 12.0},
        "load": {"ratio_vs_naive": 30.0, "bulk_ratio_vs_naive": 60.0},
        "loader_bulk": {"articles": 10_000, "ratio_vs_bulk": 0.7, "reloaded": 12,
                        "kg": {"elements_per_s": 7000.0, "coreference_share": 0.42},
                        "bulk": {"elements_per_s": 10000.0}},
        "cold_start": {"examples": {"load_seconds": 2.5, "schema_seconds": 3.0,
                                    "extract_seconds": 6.0}},
        "export": {"turtle_speed_ratio": 20.0, "turtle_memory_ratio": 0.6,
                   "round_trip": {"checks": {"a": {"identical": True}, "b": {"identical": False}}}},
    }
    by_name = {t.name: t for t in [*targets(measurements), *loader_targets(measurements)]}
    assert by_name["extraction vs bare nlp.pipe"].passed is True
    assert by_name["extraction speed-up, 2 processes"].passed is False
    # Retired (issue 17): the naive per-element figure is context in the bulk target's note.
    assert not any("naive" in name for name in by_name)
    bulk = by_name["load vs bulk UNWIND … MERGE, 10,000 articles"]
    assert bulk.passed is True and "naive per-element MERGE: kg 30 ×" in bulk.note
    assert "event coreference 42% of kg's time, 12 articles re-derived" in bulk.note
    assert by_name["cold server: load stage, 20 example articles"].passed is False
    assert "schema 3 s" in by_name["cold server: load stage, 20 example articles"].note
    assert by_name["cold server: load stage, one article"].passed is None  # not measured
    assert by_name["export Turtle peak memory vs rdflib"].passed is False
    assert by_name["export round trip exact (pyoxigraph)"].passed is False
    assert by_name["ingest peak RSS growth (small→large)"].passed is None  # not measured
    report = Report(10, 1, "now", {}, {}, targets=list(by_name.values()))
    rows = {r[0]: r for r in table_rows(report)}
    assert rows["export round trip exact (pyoxigraph)"][1:] == ("no", "exact", "FAIL")
    assert rows["ingest peak RSS growth (small→large)"][3] == "n/a"
    assert report.as_dict()["targets"][0]["pass"] is True
    assert Target("x", 1.0, 1.0, "<=").passed is True


def test_peak_rss_is_this_process() -> None:
    assert 10 < peak_rss_mib() < 100_000


@pytest.mark.neo4j
@pytest.mark.parametrize("baseline", [naive_load, bulk_load])
def test_baseline_loaders_rebuild_what_kg_loaded(graph: Driver, graphs: list[ArticleGraph],
                                                 baseline: Any) -> None:
    from kg.dev.bench.suite import _empty, _size, _stored_rows
    from kg.neo4j.loader import load
    from kg.neo4j.schema import apply_schema

    apply_schema(graph)
    load(graph, graphs)
    nodes, rels = _stored_rows(graph)
    before = ({(n["label"], n["id"]): n["props"] for n in nodes},
              sorted(repr((r["type"], r["s"], r["t"], sorted(r["props"].items()))) for r in rels))
    _empty(graph)
    assert _size(graph) == (0, 0)
    baseline(graph, nodes, rels)
    assert _size(graph) == (len(nodes), len(rels))
    after_nodes, after_rels = _stored_rows(graph)
    assert ({(n["label"], n["id"]): n["props"] for n in after_nodes},
            sorted(repr((r["type"], r["s"], r["t"], sorted(r["props"].items()))) for r in after_rels)
            ) == before
