"""The warm-up of `kg neo4j start` (kg.neo4j.warmup): plans what a first load sends, writes nothing."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from neo4j import Driver
from neo4j._sync.work.transaction import TransactionBase

from kg.ingest import ingest
from kg.neo4j.rows import article_rows
from kg.neo4j.schema import missing_constraints, schema_statements
from kg.neo4j.warmup import PREFIX, sample_graphs, warm_up
from kg.schema import RELATIONS, Label, RelType
from tests.demo_graph import EXAMPLES
from tests.neo4j.graph_dump import digest, dump

pytestmark = pytest.mark.neo4j


@contextmanager
def statements_sent() -> Iterator[set[str]]:
    """The text of every statement run in a transaction (managed or explicit) meanwhile."""
    sent: set[str] = set()
    run = TransactionBase.run

    def recording(self: TransactionBase, query: Any, parameters: Any = None, **kwargs: Any) -> Any:
        sent.add(str(query))
        return run(self, query, parameters, **kwargs)

    TransactionBase.run = recording  # type: ignore[method-assign]
    try:
        yield sent
    finally:
        TransactionBase.run = run  # type: ignore[method-assign]


def test_the_samples_use_every_label_and_relationship_type_and_lose_nothing() -> None:
    samples = sample_graphs()
    rows = [article_rows(g) for g in samples]
    assert all(not r.dropped for r in rows), [r.dropped for r in rows]
    labels = {label for r in rows for label in r.labels.values()}
    assert labels == set(Label), set(Label) - labels
    types = {f.type for r in rows for f in r.facts} | {RelType.LOCATED_IN for r in rows if r.hierarchy}
    assert types == set(RELATIONS), set(RELATIONS) - types
    assert all(g.article.id.startswith(PREFIX) for g in samples)


def test_it_writes_nothing_into_a_graph_that_holds_articles(demo_graph: Driver) -> None:
    before = digest(dump(demo_graph))
    ready = warm_up(demo_graph)
    assert ready.statements > 40
    assert digest(dump(demo_graph)) == before
    assert not demo_graph.execute_query(
        "MATCH (a:Article) WHERE a.id STARTS WITH $prefix RETURN a", prefix=PREFIX).records


def test_it_applies_the_schema_to_an_empty_database(graph: Driver) -> None:
    graph.execute_query("DROP CONSTRAINT article_id IF EXISTS")
    assert Label.ARTICLE in missing_constraints(graph)
    warm_up(graph)
    assert not missing_constraints(graph)
    assert graph.execute_query("MATCH (n) RETURN count(n) AS n").records[0]["n"] == 0


def test_a_first_ingest_sends_no_statement_the_warm_up_did_not(graph: Driver) -> None:
    """What `kg neo4j start` plans is what `kg ingest` of the examples then runs: a statement
    the samples miss (a new label, type or look-up) would be planned on the first ingest."""
    with statements_sent() as warmed:
        warm_up(graph)
    with statements_sent() as ingested:  # one article, then the others meeting its entities
        first = ingest([EXAMPLES / "mali_menaka_convoy_ambush.txt"], graph)
        summary = ingest([EXAMPLES], graph)
    assert first.new == 1 and summary.new > 10 and not first.failed and not summary.failed
    schema = set(schema_statements())
    missed = {q for q in ingested - warmed if q not in schema}
    assert not missed, "\n\n".join(sorted(missed))
