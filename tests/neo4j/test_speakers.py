"""A quote whose speaker is an organisation or group ("the Pakistani security forces said")
gets its SAID edge from that node (kg.resolve.speakers); described people stay descriptions."""

from __future__ import annotations

import pytest
from neo4j import Driver

from kg.models import ArticleGraph
from kg.neo4j.loader import load
from kg.resolve.speakers import speaking_body
from tests.neo4j.fixtures import FORCES, siege_dw


def _spoken_by(description: str) -> ArticleGraph:
    graph = siege_dw()
    first = graph.quotes[0].model_copy(update={"speaker": None, "speaker_description": description})
    return graph.model_copy(update={"quotes": [first, *graph.quotes[1:]]})


@pytest.mark.parametrize("description", [
    "the Pakistani security forces", "Pakistani Security Forces",
    "The army (Pakistani security forces)"])
def test_an_organisation_named_as_speaker_is_found(description: str) -> None:
    graph = _spoken_by(description)
    assert speaking_body(graph.quotes[0], graph) == FORCES


def test_a_described_person_stays_a_description() -> None:
    graph = _spoken_by("a Pakistani official")
    assert speaking_body(graph.quotes[0], graph) is None
    assert speaking_body(siege_dw().quotes[0], siege_dw()) is None  # a named person: no change


@pytest.mark.neo4j
def test_the_organisation_gets_its_said_edge(kg: Driver) -> None:
    graph = _spoken_by("the Pakistani security forces")
    load(kg, [graph])
    rows = kg.execute_query(
        "MATCH (o:Organisation)-[:SAID]->(q:Quote {id: $id}) RETURN o.id AS id, q.caption AS caption",
        id=graph.quotes[0].id).records
    assert [r["id"] for r in rows] == [FORCES]
    assert rows[0]["caption"].startswith("Pakistani security forces: “People have also been")
