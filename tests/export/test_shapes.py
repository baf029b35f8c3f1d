"""The SHACL shapes catch what they should, on small hand-made graphs: no server needed."""

from __future__ import annotations

import datetime as dt

import pytest
import rdflib

from kg.export.iris import Minter
from kg.export.mapping import Mapper, NodeRecord, RelRecord, Tally
from kg.export.terms import KG
from kg.export.validate import validate_graph
from kg.export.writers import Block
from kg.schema import Label, RelType

from .helpers import rdflib_graph, write

BASE = "https://example.org/kg/"
ARTICLE = NodeRecord(Label.ARTICLE, "a1", {
    "id": "a1", "text": "The BLA attacked Quetta.", "content_hash": "h", "extractor_version": "v",
    "ingested_at": dt.datetime(2025, 3, 12, tzinfo=dt.UTC)})


def _prov(start: int = 0, end: int = 24) -> dict[str, object]:
    return {"key": "", "articles": ["a1"], "evidence": ["The BLA attacked Quetta."],
            "evidence_start": [start], "evidence_end": [end], "confidences": [0.9]}


def _graph(*extra: tuple[NodeRecord, list[RelRecord]]) -> rdflib.Graph:
    mapper = Mapper(Minter(BASE), Tally())
    records = [
        (ARTICLE, []),
        (NodeRecord(Label.GROUP, "group:bla", {"id": "group:bla", "name": "BLA", "kind": "separatist"}),
         [RelRecord(RelType.PERPETRATED, (Label.GROUP, "group:bla"), (Label.EVENT, "event:1"), _prov())]),
        (NodeRecord(Label.EVENT, "event:1", {
            "id": "event:1", "type": "attack", "acled_event_type": "Violence against civilians",
            "acled_sub_event_type": "Attack", "label": "BLA attack"}),
         [RelRecord(RelType.OCCURRED_IN, (Label.EVENT, "event:1"), (Label.PLACE, "place:q"), _prov())]),
        (NodeRecord(Label.PLACE, "place:q", {"id": "place:q", "name": "Quetta", "latitude": 30.2,
                                             "longitude": 67.0}), []),
        *extra,
    ]
    blocks: list[Block] = [b for node, rels in records for b in mapper.node(node, rels)]
    return rdflib_graph(write(blocks, "nt"), "nt")


def _messages(graph: rdflib.Graph) -> list[str]:
    report = validate_graph(graph)
    return [f"{v.path} {v.message}" for v in report.violations]


def test_a_well_formed_graph_conforms() -> None:
    report = validate_graph(_graph())
    assert report.conforms and report.count == 0


def test_an_unasserted_statement_is_a_violation() -> None:
    graph = _graph()
    kg = rdflib.Namespace(KG)
    triple = next(iter(graph.triples((None, kg.perpetrated, None))))
    graph.remove(triple)
    assert any("not asserted" in m for m in _messages(graph))


def test_a_relationship_the_schema_does_not_allow_is_a_violation() -> None:
    graph = _graph()
    kg = rdflib.Namespace(KG)
    place = rdflib.URIRef(BASE + "place/place:q")
    graph.add((place, kg.perpetrated, rdflib.URIRef(BASE + "event/event:1")))  # places don't act
    messages = _messages(graph)
    assert any("closed" in m.lower() or "perpetrated" in m for m in messages), messages


@pytest.mark.parametrize(("node", "path"), [
    (NodeRecord(Label.FIGURE, "figure:1", {"id": "figure:1", "article": "a1", "kind": "killed",
                                           "min": 9, "max": 5, "approximate": False, "text": "5"}),
     "kg:min"),  # min > max
    (NodeRecord(Label.FIGURE, "figure:1", {"id": "figure:1", "article": "a1", "kind": "eaten",
                                           "approximate": False, "text": "x"}), "kg:figureKind"),
    (NodeRecord(Label.FIGURE, "figure:1", {"id": "figure:1", "article": "nowhere", "kind": "killed",
                                           "approximate": False, "text": "x"}), "kg:inArticle"),
    (NodeRecord(Label.QUOTE, "quote:1", {"id": "quote:1", "article": "a1", "text": "x",
                                         "start": 5}), "kg:end"),  # required
    (NodeRecord(Label.PLACE, "place:x", {"id": "place:x", "name": "X", "latitude": 91.0,
                                         "longitude": 0.0}), "kg:latitude"),
    (NodeRecord(Label.GROUP, "group:x", {"id": "group:x", "name": "X", "country": "pk"}),
     "kg:country"),
    (NodeRecord(Label.ACTOR, "actor:x", {"id": "actor:x", "name": "X", "kind": "civilians"}),
     "kg:actorKind"),  # a target kind, not an actor kind
    (NodeRecord(Label.ACTOR, "actor:x", {"id": "actor:x", "kind": "rioters"}), "kg:name"),
])
def test_bad_values_are_violations(node: NodeRecord, path: str) -> None:
    messages = _messages(_graph((node, [])))
    assert any(m.startswith(path) for m in messages), messages


GUNMEN = NodeRecord(Label.ACTOR, "actor:unidentified-armed-group-nigeria", {
    "id": "actor:unidentified-armed-group-nigeria", "name": "Unidentified armed group (Nigeria)",
    "aliases": ["gunmen", "armed bandits"], "kind": "unidentified_armed_group", "country": "NG"})
GUNMEN_REF = (Label.ACTOR, "actor:unidentified-armed-group-nigeria")


def test_an_unnamed_actor_that_acts_is_blamed_and_is_targeted_conforms() -> None:
    event = NodeRecord(Label.EVENT, "event:2", {
        "id": "event:2", "type": "armed_clash", "acled_event_type": "Battles",
        "acled_sub_event_type": "Armed clash", "label": "Clash with gunmen"})
    graph = _graph(
        (GUNMEN, [RelRecord(RelType.PERPETRATED, GUNMEN_REF, (Label.EVENT, "event:1"), _prov())]),
        (event, [RelRecord(RelType.TARGETED, (Label.EVENT, "event:2"), GUNMEN_REF, _prov()),
                 RelRecord(RelType.ATTRIBUTED_TO, (Label.EVENT, "event:2"), GUNMEN_REF, _prov())]),
        (ARTICLE, [RelRecord(RelType.MENTIONS, (Label.ARTICLE, "a1"), GUNMEN_REF, _prov())]),
    )
    kg = rdflib.Namespace(KG)
    actor = rdflib.URIRef(BASE + "actor/actor:unidentified-armed-group-nigeria")
    assert (actor, rdflib.RDF.type, kg.UnnamedActor) in graph
    assert (actor, kg.actorKind, rdflib.URIRef(
        "https://w3id.org/kg-conflict/vocab/actor-kind/unidentified_armed_group")) in graph
    assert (actor, rdflib.RDFS.label, rdflib.Literal("Unidentified armed group (Nigeria)")) in graph
    report = validate_graph(graph)
    assert report.conforms, [f"{v.path} {v.message}" for v in report.violations]


def test_an_unnamed_actor_cannot_claim_responsibility() -> None:
    graph = _graph((GUNMEN, [RelRecord(RelType.PERPETRATED, GUNMEN_REF, (Label.EVENT, "event:1"),
                                       _prov())]))
    kg = rdflib.Namespace(KG)
    actor = rdflib.URIRef(BASE + "actor/actor:unidentified-armed-group-nigeria")
    graph.add((actor, kg.claimedResponsibility, rdflib.URIRef(BASE + "event/event:1")))
    messages = _messages(graph)
    assert any("closed" in m.lower() or "claimedResponsibility" in m for m in messages), messages
