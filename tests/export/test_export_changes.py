"""Exports of graphs that change: reloads, hostile names, failures, data that breaks the shapes."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from types import ModuleType
from typing import Any

import pyoxigraph as ox
import pytest
import rdflib
from click.testing import CliRunner
from neo4j import Driver
from rdflib.compare import isomorphic

from kg.cli import main
from kg.errors import ExportError
from kg.export import export_rdf
from kg.export.terms import KG
from kg.export.validate import ValidationFailed
from kg.export.writers import FORMATS
from kg.models import Article, ArticleGraph, Entity, Event, Evidence, Mention, Participant
from kg.neo4j.loader import load
from kg.schema import EntityType, EventType, ParticipantRole

from .helpers import cli_env, oxigraph_quads, rdflib_graph

pytestmark = [pytest.mark.neo4j,
              pytest.mark.filterwarnings("ignore::DeprecationWarning")]  # inside rdflib's parsers


def test_iris_are_stable_across_reloads(loaded_fresh: Driver, tmp_path: Path,
                                        article_graphs: list[ArticleGraph]) -> None:
    before = tmp_path / "a.nt"
    export_rdf(loaded_fresh, before)
    loaded_fresh.execute_query("MATCH (n) DETACH DELETE n")
    load(loaded_fresh, list(reversed(article_graphs)))  # another load order
    after = tmp_path / "b.nt"
    export_rdf(loaded_fresh, after)

    def subjects(path: Path) -> set[str]:
        return {line.split(" ", 1)[0] for line in path.read_text("utf-8").splitlines()}

    assert subjects(before) == subjects(after)


HOSTILE_NAMES = [
    'Front "Liberation" <Army>',
    "Jaish al-‘Adl & Co {x} | ^ ` \\",
    "جيش العدل",
    "カチン独立軍",
    "tab\tnew\nline\rreturn",
    "nul\x00bell\x07esc\x1b",
    "space at end ",
]


def _hostile_graph(names: list[str]) -> ArticleGraph:
    body = " ".join(names)
    entities, start = [], 0
    for i, name in enumerate(names):
        entities.append(Entity(id=f"group:{name}", type=EntityType.GROUP, name=name,
                               aliases=[name + "!"], kind="militia",
                               mentions=[Mention(text=name, start=start, end=start + len(name))]))
        start += len(name) + 1
        assert body[entities[i].mentions[0].start:entities[i].mentions[0].end] == name
    sentence = Evidence(text=body, start=0, end=len(body))
    event = Event(id="event:hostile:1", type=EventType.ATTACK, acled_event_type="Violence against civilians",
                  acled_sub_event_type="Attack", label=names[0], date=dt.date(2025, 1, 2),
                  participants=[Participant(entity=e.id, role=ParticipantRole.PERPETRATOR)
                                for e in entities], evidence=[sentence])
    article = Article(id="hostile <id> \x00 ك", title=names[1], text=body)
    return ArticleGraph(article=article, extractor_version="test", entities=entities, events=[event])


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_hostile_names_round_trip_through_neo4j(kg: Driver, tmp_path: Path, fmt: str) -> None:
    load(kg, [_hostile_graph(HOSTILE_NAMES)])
    out = tmp_path / f"hostile{FORMATS[fmt].extension}"
    result = export_rdf(kg, out, validate=True)
    parsed = rdflib_graph(out.read_bytes(), fmt)
    reference = rdflib.Graph().parse(export_rdf(kg, tmp_path / "ref.nt").output, format="nt")
    assert isomorphic(parsed, reference)
    assert len(oxigraph_quads(out.read_bytes(), fmt)) == result.triples
    names = {str(o) for o in parsed.objects(None, rdflib.URIRef(KG + "name"))}
    cleaned = {n.replace("\x00", "\ufffd").replace("\x07", "\ufffd").replace("\x1b", "\ufffd")
               for n in HOSTILE_NAMES}
    assert names == cleaned
    for subject in parsed.subjects(rdflib.RDF.type, rdflib.URIRef(KG + "Group")):
        assert str(subject).isascii() and " " not in str(subject)
        ox.NamedNode(str(subject))  # a valid IRI


def test_failed_export_leaves_no_file_and_keeps_the_old_one(loaded_fresh: Driver, tmp_path: Path) -> None:
    out = tmp_path / "graph.ttl"
    out.write_text("previous good export\n", "utf-8")
    with pytest.raises(ExportError, match="reading the graph from Neo4j failed"):
        export_rdf(loaded_fresh, out, database="nosuchdatabase")  # fails after the file is opened
    assert out.read_text("utf-8") == "previous good export\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.ttl"]


def test_invalid_data_is_reported_and_not_published(loaded_fresh: Driver, tmp_path: Path,
                                                    fixtures: ModuleType) -> None:
    loaded_fresh.execute_query("MATCH (g:Group {id: $id}) SET g.kind = 'freedom_fighters'", id=fixtures.BLA)
    out = tmp_path / "graph.ttl"
    with pytest.raises(ValidationFailed) as failure:
        export_rdf(loaded_fresh, out, validate=True)
    report = failure.value.report
    assert report.count == 1
    violation = report.violations[0]
    assert violation.path == "kg:groupKind" and "baloch-liberation-army" in violation.focus
    assert "freedom_fighters" in violation.value
    assert list(tmp_path.iterdir()) == []
    export_rdf(loaded_fresh, out)  # without --validate the file is written (and still parses)
    assert len(rdflib.Graph().parse(out)) > 0


def test_cli_validation_failure(loaded_fresh: Driver, neo4j_server: Any, tmp_path: Path) -> None:
    loaded_fresh.execute_query("MATCH (f:Figure) WITH f LIMIT 1 SET f.min = -5")
    result = CliRunner().invoke(main, ["export", "rdf", "-o", str(tmp_path / "g.ttl"), "--validate"],
                                env=cli_env(neo4j_server))
    assert result.exit_code == 1
    assert "kg:min" in result.output and "1 SHACL violation(s)" in result.output
    assert "Error: the export does not conform to the shapes" in result.output
    assert not os.listdir(tmp_path)


def test_relationships_outside_the_schema_are_counted_not_exported(
        loaded_fresh: Driver, tmp_path: Path, fixtures: ModuleType) -> None:
    loaded_fresh.execute_query(
        "MATCH (g:Group {id: $g}), (p:Place {id: $p}) CREATE (g)-[:LIKES]->(p)",
        g=fixtures.BLA, p=fixtures.QUETTA)
    out = tmp_path / "graph.nt"
    result = export_rdf(loaded_fresh, out, validate=True)
    assert result.skipped == {"Group-[LIKES]->['Place']: not in the schema": 1}
    assert "LIKES" not in out.read_text("utf-8")


def test_an_unnamed_actor_exports_as_kg_unnamed_actor_and_conforms(
        kg: Driver, article_graphs: list[ArticleGraph], fixtures: ModuleType, tmp_path: Path) -> None:
    """An Actor node ("gunmen") with its PERPETRATED, ATTRIBUTED_TO and TARGETED neighbours,
    loaded next to the named actors of the other fixtures: the export validates and SPARQL
    finds it through kg:Actor, the class of whoever acts."""
    gunmen = fixtures.gunmen_attack()
    result = load(kg, [*article_graphs, gunmen])
    assert not result.dropped, result.dropped
    out = tmp_path / "graph.nt"
    exported = export_rdf(kg, out, validate=True, with_ontology=True)
    assert exported.validation is not None and exported.validation.conforms
    assert exported.nodes["Actor"] == 1 and exported.skipped == {}
    store = ox.Store()
    store.load(path=str(out), format=ox.RdfFormat.N_TRIPLES)
    prefixes = (f"PREFIX kg: <{KG}>\nPREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>\n"
                "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n")
    rows = store.query(prefixes + f"""
        SELECT ?kind ?alias ?text ?start ?end WHERE {{
            ?x a kg:UnnamedActor ; kg:id "{fixtures.GUNMEN}" ; kg:actorKind ?kind ; kg:alias ?alias ;
               kg:perpetrated ?e .
            ?s rdf:subject ?x ; rdf:predicate kg:perpetrated ; rdf:object ?e ;
               kg:evidence [ kg:text ?text ; kg:start ?start ; kg:end ?end ] .
        }} ORDER BY ?alias""")
    assert isinstance(rows, ox.QuerySolutions)
    found = [tuple(str(getattr(v, "value", v)) for v in row) for row in rows]
    text = gunmen.article.text
    assert [(kind, alias) for kind, alias, *_ in found] == [
        ("https://w3id.org/kg-conflict/vocab/actor-kind/unidentified_armed_group", "Gunmen"),
        ("https://w3id.org/kg-conflict/vocab/actor-kind/unidentified_armed_group", "armed bandits")]
    _, _, sentence, start, end = found[0]
    assert text[int(start):int(end)] == sentence and sentence.startswith("Gunmen killed")
    # With the ontology merged in, the unnamed actor is one of the perpetrators kg:Actor covers.
    perpetrators = store.query(prefixes + """
        SELECT DISTINCT ?name WHERE {
            ?x kg:perpetrated ?e ; kg:name ?name ; a ?c .
            ?c rdfs:subClassOf kg:Actor .
        } ORDER BY ?name""")
    assert isinstance(perpetrators, ox.QuerySolutions)
    names = [row[0].value for row in perpetrators]
    assert "Unidentified armed group (Nigeria)" in names and "Baloch Liberation Army" in names
