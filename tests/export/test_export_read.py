"""`export_rdf` and `kg export rdf` against the real Neo4j test server, over one loaded graph.

The tests here only read: the fixture articles are loaded once for the module (`loaded`).
"""

from __future__ import annotations

import datetime as dt
import json
import socket
from pathlib import Path
from types import ModuleType
from typing import Any

import pyoxigraph as ox
import pytest
import rdflib
from click.testing import CliRunner
from neo4j import Driver, RoutingControl
from rdflib.compare import isomorphic

from kg.cli import main
from kg.errors import ExportError
from kg.export import ONTOLOGY_IRI, export_rdf
from kg.export.terms import KG
from kg.export.writers import FORMATS

from .helpers import cli_env, oxigraph_quads, rdflib_graph

pytestmark = [pytest.mark.neo4j,
              pytest.mark.filterwarnings("ignore::DeprecationWarning")]  # inside rdflib's parsers

PREFIXES = f"PREFIX kg: <{KG}>\nPREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>\n"


def _cypher(driver: Driver, query: str, **params: Any) -> list[dict[str, Any]]:
    records = driver.execute_query(query, params, routing_=RoutingControl.READ).records
    return [dict(r) for r in records]


def _store(path: Path, fmt: str = "nt") -> ox.Store:
    store = ox.Store()
    store.load(path=str(path), format=getattr(ox.RdfFormat, FORMATS[fmt].oxigraph_name))
    return store


def _sparql(store: ox.Store, query: str) -> list[tuple[Any, ...]]:
    solutions = store.query(PREFIXES + query)
    assert isinstance(solutions, ox.QuerySolutions)
    return [tuple(_value(v) for v in solution) for solution in solutions]


def _value(term: Any) -> Any:
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        if term.datatype.value.endswith("#integer"):
            return int(term.value)
        return term.value
    return term.value


# -- the export as a whole -------------------------------------------------------------------


def test_export_conforms_to_the_shapes_and_parses_alike(loaded: Driver, tmp_path: Path) -> None:
    out = tmp_path / "graph.ttl"
    result = export_rdf(loaded, out, validate=True)
    assert result.validation is not None and result.validation.conforms
    labels = _cypher(loaded, "MATCH (n) RETURN labels(n)[0] AS label, count(*) AS n")
    assert result.nodes == {r["label"]: r["n"] for r in labels}
    assert result.skipped == {}
    counted = _cypher(loaded, "MATCH ()-[r]->() RETURN count(r) AS n")[0]["n"]
    assert sum(result.relationships.values()) == counted
    graph = rdflib.Graph().parse(out, format="turtle")
    assert len(graph) == result.triples == len(oxigraph_quads(out.read_bytes(), "ttl"))
    # One rdf:Statement per Neo4j relationship, each with its evidence; the place hierarchy
    # (reference data) is asserted alone.
    statements = set(graph.subjects(rdflib.RDF.type, rdflib.RDF.Statement))
    hierarchy = _cypher(loaded, "MATCH ()-[r:LOCATED_IN]->() RETURN count(r) AS n")[0]["n"]
    located_in = rdflib.URIRef(KG + "locatedIn")
    assert hierarchy and len(set(graph.subject_objects(located_in))) == hierarchy
    assert len(statements) == counted - hierarchy
    assert not set(graph.subjects(rdflib.RDF.predicate, located_in))
    assert all((s, rdflib.URIRef(KG + "evidence"), None) in graph for s in statements)


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_every_format_gives_the_same_graph(loaded: Driver, tmp_path: Path, fmt: str) -> None:
    reference = rdflib.Graph().parse(export_rdf(loaded, tmp_path / "ref.nt").output, format="nt")
    out = tmp_path / f"graph{FORMATS[fmt].extension}"
    result = export_rdf(loaded, out)  # the format comes from the extension
    assert result.format == fmt
    parsed = rdflib_graph(out.read_bytes(), fmt)
    assert isomorphic(parsed, reference)
    assert len(oxigraph_quads(out.read_bytes(), fmt)) == len(reference) == result.triples


def test_exporting_twice_gives_identical_output(loaded: Driver, tmp_path: Path) -> None:
    first = export_rdf(loaded, tmp_path / "one.nt", page_size=2)
    second = export_rdf(loaded, tmp_path / "two.nt", page_size=500)
    one, two = Path(first.output).read_text("utf-8"), Path(second.output).read_text("utf-8")
    assert sorted(one.splitlines()) == sorted(two.splitlines())
    assert one == two  # even the order: ids sort the same whatever the page size


# -- SPARQL over the export answers as Cypher does over Neo4j --------------------------------


def test_sparql_events_a_group_claimed(loaded: Driver, tmp_path: Path, fixtures: ModuleType) -> None:
    store = _store(Path(export_rdf(loaded, tmp_path / "g.nt").output))
    cypher = _cypher(loaded, "MATCH (g:Group {id: $g})-[:CLAIMED_RESPONSIBILITY]->(e:Event) "
                             "RETURN e.id AS id, e.label AS label, toString(e.date) AS date",
                     g=fixtures.BLA)
    sparql = _sparql(store, f"""
        SELECT ?id ?label ?date WHERE {{
            ?g kg:id "{fixtures.BLA}" ; kg:claimedResponsibility ?e .
            ?e kg:id ?id ; kg:label ?label ; kg:date ?date .
        }}""")
    assert cypher  # the fixtures have claims: the comparison means something
    assert sorted(sparql) == sorted((r["id"], r["label"], r["date"]) for r in cypher)


def test_sparql_places_inside_a_region(loaded: Driver, tmp_path: Path, fixtures: ModuleType) -> None:
    store = _store(Path(export_rdf(loaded, tmp_path / "g.nt").output))
    for region in (fixtures.PAKISTAN, fixtures.BALOCHISTAN):
        cypher = _cypher(loaded, "MATCH (p:Place)-[:LOCATED_IN*1..]->(:Place {id: $r}) "
                                 "RETURN DISTINCT p.id AS id", r=region)
        sparql = _sparql(store, f"""
            SELECT DISTINCT ?id WHERE {{
                ?r kg:id "{region}" . ?p kg:locatedIn+ ?r ; kg:id ?id .
            }}""")
        assert sparql and sorted(sparql) == sorted((r["id"],) for r in cypher)


def test_sparql_figures_of_an_event_with_their_sources(loaded: Driver, tmp_path: Path) -> None:
    store = _store(Path(export_rdf(loaded, tmp_path / "g.nt").output))
    cypher = _cypher(loaded, """
        MATCH (a:Article)-[:REPORTS]->(e:Event)-[h:HAS_FIGURE]->(f:Figure {article: a.id})
        OPTIONAL MATCH (f)-[:ACCORDING_TO]->(s)
        RETURN e.id AS event, f.kind AS kind, f.min AS min, f.text AS text, s.id AS source,
               a.id AS article, h.evidence[0] AS sentence, h.evidence_start[0] AS start""")
    sparql = _sparql(store, """
        SELECT ?event ?kind ?min ?text ?source ?article ?sentence ?start WHERE {
            ?e kg:hasFigure ?f ; kg:id ?event .
            ?f kg:figureKind ?k ; kg:text ?text ; kg:inArticle/kg:id ?article .
            BIND(STRAFTER(STR(?k), "/figure-kind/") AS ?kind)
            OPTIONAL { ?f kg:min ?min }
            OPTIONAL { ?f kg:accordingTo/kg:id ?source }
            ?st rdf:subject ?e ; rdf:predicate kg:hasFigure ; rdf:object ?f ;
                kg:evidence [ kg:text ?sentence ; kg:start ?start ] .
        }""")
    assert cypher
    assert sorted(sparql, key=repr) == sorted(
        (tuple(r[k] for k in ("event", "kind", "min", "text", "source", "article", "sentence",
                              "start")) for r in cypher), key=repr)


# -- filters ---------------------------------------------------------------------------------


def _ids(path: Path, fmt: str = "nt") -> dict[str, set[str]]:
    """kg:id values by class, from an export."""
    graph = rdflib_graph(path.read_bytes(), fmt)
    found: dict[str, set[str]] = {}
    for node, cls in graph.subject_objects(rdflib.RDF.type):
        if str(cls).startswith(KG) and (node, rdflib.URIRef(KG + "id"), None) in graph:
            found.setdefault(str(cls)[len(KG):], set()).add(str(graph.value(node, rdflib.URIRef(KG + "id"))))
    return found


def test_article_filter_exports_what_the_article_states(loaded: Driver, tmp_path: Path,
                                                        fixtures: ModuleType) -> None:
    out = tmp_path / "quetta.ttl"
    result = export_rdf(loaded, out, article="rt0000000quetta", validate=True)
    ids = _ids(out, "ttl")
    assert ids["Article"] == {"rt0000000quetta"}
    mentioned = _cypher(loaded, "MATCH (:Article {id: $a})-[:MENTIONS|REPORTS]->(n) "
                                "RETURN labels(n)[0] AS label, n.id AS id", a="rt0000000quetta")
    assert {k: v for k, v in ids.items() if k not in ("Article", "Figure", "Quote")} == {
        label: {r["id"] for r in mentioned if r["label"] == label}
        for label in {r["label"] for r in mentioned}}
    assert {fixtures.BLA, fixtures.QUETTA, fixtures.PAKISTAN} <= ids["Group"] | ids["Place"]
    assert "Quote" not in ids
    graph = rdflib.Graph().parse(out)
    cited = set(graph.objects(None, rdflib.URIRef(KG + "inArticle")))
    assert {str(a).rsplit("/", 1)[1] for a in cited} == {"rt0000000quetta"}
    # Only its own entries: the BLA's 2025 claim (another article) is not there.
    claims = list(graph.subject_objects(rdflib.URIRef(KG + "claimedResponsibility")))
    assert len(claims) == 1
    assert result.relationships["MENTIONS"] == sum(r["label"] != "Event" for r in mentioned)


def test_place_filter_includes_sub_places_and_enclosing_places(loaded: Driver, tmp_path: Path,
                                                               fixtures: ModuleType) -> None:
    def events_in(place: str) -> set[str]:
        return {r["id"] for r in _cypher(
            loaded, "MATCH (e:Event)-[:OCCURRED_IN]->(:Place)-[:LOCATED_IN*0..]->(:Place {id: $p}) "
                    "RETURN DISTINCT e.id AS id", p=place)}

    out = tmp_path / "quetta.nt"
    export_rdf(loaded, out, place="Quetta", validate=True)  # by name
    ids = _ids(out)
    assert ids["Event"] == events_in(fixtures.QUETTA) != set()
    assert {fixtures.QUETTA, fixtures.BALOCHISTAN, fixtures.PAKISTAN} <= ids["Place"]
    out = tmp_path / "balochistan.nt"
    export_rdf(loaded, out, place=fixtures.BALOCHISTAN, validate=True)  # by id
    inside = events_in(fixtures.BALOCHISTAN)
    assert _ids(out)["Event"] >= inside > events_in(fixtures.QUETTA)  # events in sub-places too


def test_period_and_group_filters(loaded: Driver, tmp_path: Path, fixtures: ModuleType) -> None:
    out = tmp_path / "2025.nt"
    export_rdf(loaded, out, since=dt.date(2025, 1, 1), until=dt.date(2025, 12, 31),
               group="bla", validate=True)  # an alias, in any case
    ids = _ids(out)
    dates = {r["id"]: r["date"] for r in _cypher(
        loaded, "MATCH (e:Event) RETURN e.id AS id, e.date AS date")}
    assert ids["Event"] and all(dates[e].year == 2025 for e in ids["Event"] if dates[e])
    # The articles reporting the events; the evidence cites no other (the export stands alone).
    assert ids["Article"] == {"dw0000000000siege", "afp000000000siege"}
    graph = rdflib.Graph().parse(out, format="nt")
    cited = {str(a).rsplit("/", 1)[1] for a in graph.objects(None, rdflib.URIRef(KG + "inArticle"))}
    assert cited == ids["Article"]
    with pytest.raises(ExportError, match="no group has the id, name or alias 'Hamas'"):
        export_rdf(loaded, tmp_path / "x.nt", group="Hamas")
    with pytest.raises(ExportError, match="no article with id 'nope'"):
        export_rdf(loaded, tmp_path / "x.nt", article="nope")
    assert not (tmp_path / "x.nt").exists()


# -- the network, the ontology --------------------------------------

def test_jsonld_needs_no_network(loaded: Driver, tmp_path: Path,
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("the JSON-LD export tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    out = tmp_path / "graph.jsonld"
    # The driver's connections are already open; reading the graph goes through them.
    pages = export_rdf(loaded, out)
    document = json.loads(out.read_text("utf-8"))
    assert isinstance(document["@context"], dict)  # inline, never a URL
    assert len(rdflib_graph(out.read_bytes(), "jsonld")) == pages.triples
    assert len(oxigraph_quads(out.read_bytes(), "jsonld")) == pages.triples


@pytest.mark.parametrize(("fmt", "named"), [("nq", True), ("jsonld", True), ("ttl", False)])
def test_with_ontology(loaded: Driver, tmp_path: Path, fmt: str, named: bool) -> None:
    out = tmp_path / f"graph{FORMATS[fmt].extension}"
    result = export_rdf(loaded, out, with_ontology=True, validate=True)
    assert result.ontology_triples > 1000
    if named:
        dataset = rdflib.Dataset()
        dataset.parse(out, format=FORMATS[fmt].rdflib_name)
        ontology = dataset.graph(rdflib.URIRef(ONTOLOGY_IRI))
        assert len(ontology) == result.ontology_triples
        assert len(dataset.default_graph) == result.triples - result.ontology_triples
    else:
        assert len(rdflib.Graph().parse(out)) == result.triples


# -- the command line ------------------------------------------------------------------------


def test_cli_export(loaded: Driver, neo4j_server: Any, tmp_path: Path) -> None:
    out = tmp_path / "graph.nq"
    runner = CliRunner()
    result = runner.invoke(main, ["export", "rdf", "-o", str(out), "--validate", "--base-iri",
                                  "https://partner.example/kg/"], env=cli_env(neo4j_server))
    assert result.exit_code == 0, result.output
    assert "Exported " in result.output and "conforms to the shapes" in result.output
    assert out.read_text("utf-8").startswith("<https://partner.example/kg/article/")
    stdout = runner.invoke(main, ["export", "rdf", "-o", "-", "--format", "nt", "--article",
                                  "rt0000000quetta"], env=cli_env(neo4j_server))
    assert stdout.exit_code == 0, stdout.output
    lines = [line for line in stdout.stdout.splitlines() if line]
    assert lines and all(line.endswith(" .") for line in lines)
    validated = runner.invoke(main, ["export", "rdf", "-o", "-", "--validate", "--place", "Quetta"],
                              env=cli_env(neo4j_server))
    assert validated.exit_code == 0, validated.output
    assert len(rdflib.Graph().parse(data=validated.stdout, format="turtle")) > 100
    assert not list(tmp_path.glob(".*.part"))
    bad = runner.invoke(main, ["export", "rdf", "-o", str(tmp_path / "x.ttl"), "--base-iri",
                               "not an iri"], env=cli_env(neo4j_server))
    assert bad.exit_code == 1 and "Error: base IRI 'not an iri'" in bad.output



def test_article_and_period_filters_combine(loaded: Driver, tmp_path: Path) -> None:
    out = tmp_path / "dw-11-march.nt"
    export_rdf(loaded, out, article="dw0000000000siege", since=dt.date(2025, 3, 11),
               until=dt.date(2025, 3, 11), validate=True)
    ids = _ids(out)
    assert ids["Article"] == {"dw0000000000siege"}
    reported = _cypher(loaded, "MATCH (:Article {id: $a})-[:REPORTS]->(e:Event) "
                               "WHERE e.date = date('2025-03-11') RETURN e.id AS id",
                       a="dw0000000000siege")
    assert ids["Event"] == {r["id"] for r in reported}


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_a_selection_that_matches_nothing_gives_a_valid_empty_file(
        loaded: Driver, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"empty{FORMATS[fmt].extension}"
    result = export_rdf(loaded, out, since=dt.date(2030, 1, 1), validate=True)
    assert result.triples == 0 and result.nodes == {}
    assert len(rdflib_graph(out.read_bytes(), fmt)) == 0


def test_a_missing_directory_is_an_error(loaded: Driver, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="directory .*nowhere does not exist"):
        export_rdf(loaded, tmp_path / "nowhere" / "graph.ttl")


def test_every_term_in_an_export_is_defined(loaded: Driver, tmp_path: Path) -> None:
    from kg.export.ontology import ontology_dir
    from kg.export.terms import EXTERNAL_NAMESPACES, VOCAB

    export = rdflib.Graph().parse(export_rdf(loaded, tmp_path / "g.nt").output, format="nt")
    ontology = rdflib.Graph().parse(ontology_dir() / "kg.ttl")
    declared = {str(s) for s in ontology.subjects(rdflib.RDF.type, None)}
    used = {str(p) for p in export.predicates()}
    used |= {str(o) for o in export.objects() if isinstance(o, rdflib.URIRef)
             and str(o).startswith((KG, VOCAB))}
    used |= {str(o) for o in export.objects(None, rdflib.RDF.type)}
    ours = {t for t in used if t.startswith((KG, VOCAB))}
    assert ours and ours <= declared, sorted(ours - declared)
    assert all(t.startswith(EXTERNAL_NAMESPACES) for t in used - ours), sorted(used - ours)
