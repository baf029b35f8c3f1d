"""The streaming writers and the mapping from records to triples: no server needed."""

from __future__ import annotations

import datetime as dt

import pytest
import rdflib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib.compare import isomorphic

from kg.errors import ExportError
from kg.export.iris import BNode, Literal, Minter, clean
from kg.export.mapping import Mapper, NodeRecord, RelRecord, Tally
from kg.export.ontology import ontology_blocks
from kg.export.terms import KG, ONTOLOGY_IRI, RDF_TYPE, XSD_DOUBLE, XSD_INTEGER
from kg.export.writers import FORMATS, Block, format_for_path, get_format
from kg.schema import Label, RelType

from .helpers import (
    block_literal_values,
    ox_literal_values,
    oxigraph_quads,
    rdflib_graph,
    write,
)

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")  # inside rdflib's parsers

BASE = "https://example.org/kg/"
HOSTILE = ('A "quoted" <tag> & {x} | ^ ` \\ name with spaces, tab\t, newline\n, CR\r, '
           "NUL\x00, BEL\x07, ESC\x1b, lone surrogate \ud83d, U+FFFE \ufffe, "
           "العربية, 中文, Ελληνικά, 🙂, e\u0301")


def _graph_of(name: str, *, node_id: str | None = None) -> list[Block]:
    """A group, an event it perpetrated (with two evidence entries), a place and an article."""
    group_id = node_id if node_id is not None else "group:" + name
    mapper = Mapper(Minter(BASE), Tally())
    records = [
        (NodeRecord(Label.GROUP, group_id, {"id": group_id, "name": name, "aliases": [name, "x"],
                                            "kind": "separatist", "country": "PK"}),
         [RelRecord(RelType.PERPETRATED, (Label.GROUP, group_id), (Label.EVENT, "event:1"),
                    {"key": "", "articles": ["a1", "a1"], "evidence": [name, "plain"],
                     "evidence_start": [0, 10], "evidence_end": [5, 15],
                     "confidences": [0.9, 0.7], "confidence": 0.9})]),
        (NodeRecord(Label.EVENT, "event:1", {
            "id": "event:1", "type": "attack", "acled_event_type": "Violence against civilians",
            "acled_sub_event_type": "Attack", "label": name, "date": dt.date(2025, 3, 11)}), []),
        (NodeRecord(Label.PLACE, "place:1", {"id": "place:1", "name": name, "latitude": 30.5,
                                             "longitude": -1e-05, "gazetteer_id": "geonames:1"}), []),
        (NodeRecord(Label.ARTICLE, "a1", {"id": "a1", "text": name, "content_hash": "h",
                                          "extractor_version": "v", "ingested_at":
                                          dt.datetime(2025, 3, 12, 8, 0, tzinfo=dt.UTC)}), []),
    ]
    return [block for node, rels in records for block in mapper.node(node, rels)]


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_hostile_literals_and_iris_round_trip_in_every_format(fmt: str) -> None:
    blocks = _graph_of(HOSTILE, node_id="group:" + HOSTILE)
    text = write(blocks, fmt)
    reference = rdflib_graph(write(blocks, "nt"), "nt")
    parsed = rdflib_graph(text, fmt)
    assert isomorphic(parsed, reference)
    # pyoxigraph agrees, literal for literal (lexical form and datatype).
    quads = oxigraph_quads(text, fmt)
    assert len(quads) == len(parsed) == sum(len(pairs) for _g, _s, pairs in blocks)
    assert ox_literal_values(quads) == block_literal_values(blocks)
    # The name survives, cleaned (same length: offsets stay valid).
    names = {str(o) for o in parsed.objects(None, rdflib.URIRef(KG + "name"))}
    assert names == {clean(HOSTILE)} and len(clean(HOSTILE)) == len(HOSTILE)


# Any code point, surrogates included, with the troublesome ones drawn often.
_NAMES = st.text(st.one_of(st.characters(exclude_categories=()),
                           st.sampled_from('\x00\x01\x1f\t\n\r "\'<>&\\{}|^`%#/\ud800\udfff\ufffe\uffff\x85\u2028')),
                 max_size=40)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=_NAMES)
def test_any_entity_name_round_trips_in_every_format(name: str) -> None:
    blocks = _graph_of(name)
    reference = rdflib_graph(write(blocks, "nt"), "nt")
    expected_literals = block_literal_values(blocks)
    for fmt in FORMATS:
        text = write(blocks, fmt)
        assert isomorphic(rdflib_graph(text, fmt), reference), fmt
        assert ox_literal_values(oxigraph_quads(text, fmt)) == expected_literals, fmt


def test_mapping_writes_typed_literals_and_evidence() -> None:
    graph = rdflib_graph(write(_graph_of("Baloch Liberation Army"), "nt"), "nt")
    kg = rdflib.Namespace(KG)
    statement = next(graph.subjects(rdflib.RDF.predicate, kg.perpetrated))
    assert graph.value(statement, kg.confidence) == rdflib.Literal("0.9", datatype=XSD_DOUBLE)
    entries = list(graph.objects(statement, kg.evidence))
    assert len(entries) == 2
    starts = {graph.value(e, kg.start) for e in entries}
    assert starts == {rdflib.Literal("0", datatype=XSD_INTEGER),
                      rdflib.Literal("10", datatype=XSD_INTEGER)}
    # The reified triple is also asserted.
    subject = graph.value(statement, rdflib.RDF.subject)
    assert (subject, kg.perpetrated, graph.value(statement, rdflib.RDF.object)) in graph
    # Places get a GeoSPARQL point (longitude first) and a GeoNames link.
    wkt = next(graph.objects(None, rdflib.URIRef("http://www.opengis.net/ont/geosparql#asWKT")))
    assert str(wkt) == "POINT(-1e-05 30.5)"
    assert (None, rdflib.SKOS.exactMatch, rdflib.URIRef("https://sws.geonames.org/1/")) in graph


def test_unknown_properties_are_counted_not_exported() -> None:
    tally = Tally()
    mapper = Mapper(Minter(BASE), tally)
    blocks = mapper.node(NodeRecord(Label.GROUP, "group:x", {
        "id": "group:x", "name": "X", "favourite_colour": "red", "origin": "/home/me/a.txt",
        "country": 7}), [])
    predicates = {p for _g, _s, pairs in blocks for p, _o in pairs}
    assert not any("colour" in p or "origin" in p for p in predicates)
    assert tally.skipped == {"Group.favourite_colour: not in the ontology": 1,
                             "Group.country: not a string: int": 1}  # origin: left out on purpose


def test_article_filter_keeps_only_that_articles_entries() -> None:
    mapper = Mapper(Minter(BASE), Tally(), articles=["a2"])
    rel = RelRecord(RelType.SEEKS, (Label.GROUP, "g"), (Label.PLACE, "p"), {
        "key": "", "articles": ["a1", "a2"], "evidence": ["one", "two"], "evidence_start": [0, 0],
        "evidence_end": [3, 3], "confidences": [0.95, 0.6]})
    blocks = mapper.node(NodeRecord(Label.GROUP, "g", {"id": "g", "name": "G"}), [rel])
    graph = rdflib_graph(write(blocks, "nt"), "nt")
    texts = {str(o) for o in graph.objects(None, rdflib.URIRef(KG + "text"))}
    assert texts == {"two"}
    confidences = {str(o) for o in graph.objects(None, rdflib.URIRef(KG + "confidence"))}
    assert confidences == {"0.6"}  # the statement's confidence is recomputed from what is kept
    other = RelRecord(RelType.SEEKS, (Label.GROUP, "g"), (Label.PLACE, "q"), {
        "key": "", "articles": ["a1"], "evidence": ["x"], "evidence_start": [0],
        "evidence_end": [1], "confidences": [0.9]})
    blocks = mapper.node(NodeRecord(Label.GROUP, "g", {"id": "g", "name": "G"}), [other])
    assert all(p != KG + "seeks" for _g, _s, pairs in blocks for p, _o in pairs)


def test_turtle_groups_by_subject_and_uses_prefixes() -> None:
    text = write(_graph_of("G"), "ttl")
    assert text.startswith("@prefix kg: <https://w3id.org/kg-conflict/ontology#> .")
    assert f"<{BASE}group/group:G> a kg:Group ;\n    kg:id \"group:G\" ;" in text
    assert "kg:eventType eventtype:attack ;" in text


def test_named_graphs_only_in_dataset_formats() -> None:
    blocks: list[Block] = [("https://example.org/g", "https://example.org/s",
                            [(RDF_TYPE, KG + "Event"), ("https://example.org/p", BNode("b1"))]),
                           ("https://example.org/g", BNode("b1"),
                            [("https://example.org/p", Literal("x", lang="en"))]),
                           (None, "https://example.org/t",
                            [("https://example.org/p", Literal("1", XSD_INTEGER))])]
    nq = write(blocks, "nq")
    assert '<https://example.org/s> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/kg-conflict/ontology#Event> <https://example.org/g> .' in nq
    for fmt in ("nq", "jsonld"):
        dataset = rdflib.Dataset()
        dataset.parse(data=write(blocks, fmt), format=FORMATS[fmt].rdflib_name)
        named = dataset.graph(rdflib.URIRef("https://example.org/g"))
        assert len(named) == 3 and len(dataset.default_graph) == 1, fmt
    for fmt in ("ttl", "nt", "xml"):
        assert len(rdflib_graph(write(blocks, fmt), fmt)) == 4, fmt


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_the_ontology_can_be_written_in_every_format(fmt: str) -> None:
    blocks = ontology_blocks(ONTOLOGY_IRI if FORMATS[fmt].datasets else None)
    parsed = rdflib_graph(write(blocks, fmt), fmt)
    source = rdflib.Graph().parse(
        __import__("kg.export.ontology", fromlist=["x"]).ontology_dir() / "kg.ttl")
    assert isomorphic(parsed, source)
    # Stable: the same bytes every time, blank nodes included.
    assert write(ontology_blocks(None), "nt") == write(ontology_blocks(None), "nt")


def test_format_registry() -> None:
    assert get_format("turtle") is get_format("TTL") is get_format("text/turtle") is FORMATS["ttl"]
    assert get_format("json-ld").name == "jsonld" and get_format("rdf").name == "xml"
    with pytest.raises(ExportError, match="unknown RDF format 'trig'.*ttl, nt, nq, jsonld, xml"):
        get_format("trig")
    found = {path: getattr(format_for_path(path), "name", None)
             for path in ("out/graph.NQ", "graph.rdf", "graph.json")}
    assert found == {"out/graph.NQ": "nq", "graph.rdf": "xml", "graph.json": "jsonld"}
    assert format_for_path("graph.txt") is None
