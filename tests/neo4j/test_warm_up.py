"""The server warm-up (kg.neo4j.warm_up) runs the loader's statements and leaves the graph as it was."""

from __future__ import annotations

import pytest
from neo4j import Driver

from kg.neo4j.loader import load
from kg.neo4j.rows import article_rows
from kg.neo4j.warm_up import ARTICLE_ID, WarmUp, sample_graph, warm_up
from kg.resolve import Aliases
from kg.schema import RELATIONS, RelType
from tests.neo4j.fixtures import graph_dump, quetta_bombing, siege_afp, siege_dw

pytestmark = pytest.mark.neo4j


def test_the_sample_article_has_every_relationship_type() -> None:
    rows = article_rows(sample_graph())
    assert not rows.dropped
    written = {fact.type for fact in rows.facts} | ({RelType.LOCATED_IN} if rows.hierarchy else set())
    assert written == set(RELATIONS)


def test_warming_up_leaves_the_graph_as_it_was(kg: Driver) -> None:
    assert warm_up(kg) > 0
    assert kg.execute_query("MATCH (n) RETURN count(n) AS n").records[0]["n"] == 0

    aliases = Aliases()
    load(kg, [aliases.apply(g) for g in (siege_dw(), siege_afp(), quetta_bombing())])
    before = graph_dump(kg)
    warming = WarmUp(kg)
    assert warming.wait() > 0
    assert graph_dump(kg) == before
    assert not kg.execute_query("MATCH (n {id: $id}) RETURN n", id=ARTICLE_ID).records
