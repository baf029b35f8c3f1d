"""`Extractor.extract_many(n_process=N)`: worker processes give the graphs one process gives.

Workers are forked from the loaded extractor where the platform allows (Linux), spawned
elsewhere; both paths run here. A rule failure in a worker is the failing article's
`ExtractionError`, raised where that article stands in the stream.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
from typing import Any

import pytest

from kg.dev.bench.corpus import generate
from kg.errors import ExtractionError
from kg.extract import pipeline
from kg.models import Article


def _articles(count: int, seed: int) -> list[Article]:
    return [Article(id=r["id"], title=r["title"], text=r["text"], source=r["source"],
                    published=dt.date.fromisoformat(r["published"]))
            for r in generate(count, seed)]


def _dumps(graphs: Any) -> list[str]:
    return [g.model_dump_json() for g in graphs]


def test_forked_workers_give_the_graphs_of_one_process_in_order(extractor: Any) -> None:
    articles = _articles(40, 11)
    one = _dumps(extractor.extract_many(articles))
    # Chunks of 3 on 2 workers: results come back out of order and must be put back in it.
    assert _dumps(extractor.extract_many(articles, n_process=2, batch_size=3)) == one
    assert len(one) == 40


def test_a_rule_failure_in_a_worker_names_its_article_in_its_place(
        extractor: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    articles = _articles(12, 12)
    culprit = articles[7].id
    real = pipeline.build_graph

    def failing(article: Article, *args: Any) -> Any:
        if article.id == culprit:
            raise ValueError("a rule tripped")
        return real(article, *args)

    # Patched before the workers fork, so they run it too.
    monkeypatch.setattr(pipeline, "build_graph", failing)
    seen = []
    with pytest.raises(ExtractionError, match=f"article {culprit}: extraction failed: a rule tripped"):
        for graph in extractor.extract_many(articles, n_process=2, batch_size=2):
            seen.append(graph.article.id)
    assert seen == [a.id for a in articles[:7]]


def test_spawned_workers_where_fork_is_unavailable(extractor: Any,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    articles = _articles(6, 13)
    one = _dumps(extractor.extract_many(articles))
    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    assert _dumps(extractor.extract_many(articles, n_process=2, batch_size=3)) == one
