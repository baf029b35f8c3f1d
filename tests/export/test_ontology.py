"""The ontology, shapes and context stay in step with kg.schema; `kg ontology check`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import rdflib
from click.testing import CliRunner
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from kg.cli import main
from kg.export.ontology import check_ontology, ontology_dir, read_context
from kg.export.terms import (
    KG,
    ONTOLOGY_IRI,
    ONTOLOGY_VERSION_IRI,
    PREFIXES,
    SCHEME_ENUMS,
    Scheme,
    class_iri,
    predicate_iri,
    used_kg_terms,
)
from kg.schema import ACLED_MAPPING, EventType, Label, RelType


@pytest.fixture(scope="module")
def onto() -> rdflib.Graph:
    return rdflib.Graph().parse(ontology_dir() / "kg.ttl")


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """A copy of the ontology directory to break."""
    target = tmp_path / "ontology"
    shutil.copytree(ontology_dir(), target)
    return target


def test_the_installed_ontology_passes_the_check() -> None:
    report = check_ontology()
    assert report.ok, report.problems
    assert report.classes >= len(Label) and report.concepts > len(EventType)


def test_ontology_header(onto: rdflib.Graph) -> None:
    ontology = rdflib.URIRef(ONTOLOGY_IRI)
    assert (ontology, RDF.type, OWL.Ontology) in onto
    assert onto.value(ontology, OWL.versionIRI) == rdflib.URIRef(ONTOLOGY_VERSION_IRI)


def test_every_enum_member_has_its_concept(onto: rdflib.Graph) -> None:
    for scheme, enum in SCHEME_ENUMS.items():
        for member in enum:
            concept = rdflib.URIRef(scheme.namespace + member.value)
            assert (concept, RDF.type, SKOS.Concept) in onto, concept
            assert (concept, SKOS.inScheme, rdflib.URIRef(scheme.iri)) in onto, concept
            assert str(onto.value(concept, SKOS.notation)) == member.value
            assert onto.value(concept, RDFS.label) and onto.value(concept, RDFS.comment)


def test_every_event_type_maps_to_its_acled_pair(onto: rdflib.Graph) -> None:
    for event_type in EventType:
        concept = rdflib.URIRef(Scheme.EVENT_TYPE.namespace + event_type.value)
        acled = [o for p in (SKOS.closeMatch, SKOS.broadMatch) for o in onto.objects(concept, p)]
        assert len(acled) == 1, event_type
        sub, parent = acled[0], onto.value(acled[0], SKOS.broader)
        assert (str(onto.value(parent, SKOS.prefLabel)), str(onto.value(sub, SKOS.prefLabel))) == (
            ACLED_MAPPING[event_type])


def test_every_label_and_relationship_type_has_its_term(onto: rdflib.Graph) -> None:
    for label in Label:
        assert (rdflib.URIRef(class_iri(label)), RDF.type, OWL.Class) in onto
    for rel in RelType:
        prop = rdflib.URIRef(predicate_iri(rel))
        assert (prop, RDF.type, OWL.ObjectProperty) in onto
        assert str(onto.value(prop, SKOS.notation)) == rel.value
    assert predicate_iri(RelType.CLAIMED_RESPONSIBILITY) == KG + "claimedResponsibility"


def test_every_term_is_labelled_and_commented(onto: rdflib.Graph) -> None:
    terms = {s for s in onto.subjects(RDF.type, None) if isinstance(s, rdflib.URIRef)}
    assert len(terms) > 150
    for term in terms:
        assert onto.value(term, RDFS.label) is not None, term
        assert onto.value(term, RDFS.comment) is not None, term


def test_every_term_the_export_uses_is_defined(onto: rdflib.Graph) -> None:
    declared = {str(s) for s in onto.subjects(RDF.type, None)}
    assert set(used_kg_terms()) <= declared


def test_alignments_partners_rely_on(onto: rdflib.Graph) -> None:
    sub = RDFS.subClassOf
    schema = rdflib.Namespace("http://schema.org/")
    sem = rdflib.Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
    prov = rdflib.Namespace("http://www.w3.org/ns/prov#")
    geo = rdflib.Namespace("http://www.w3.org/2003/01/geo/wgs84_pos#")
    kg = rdflib.Namespace(KG)
    for triple in [(kg.Event, sub, sem.Event), (kg.Event, sub, schema.Event),
                   (kg.Article, sub, schema.NewsArticle), (kg.Article, sub, prov.Entity),
                   (kg.Place, sub, schema.Place), (kg.Place, sub, geo.SpatialThing),
                   (kg.Group, sub, kg.Actor), (kg.Actor, sub, sem.Actor),
                   (kg.Group, sub, schema.Organization), (kg.Person, sub, schema.Person),
                   (kg.occurredIn, RDFS.subPropertyOf, sem.hasPlace),
                   (kg.latitude, RDFS.subPropertyOf, geo.lat)]:
        assert triple in onto, triple


def test_the_actor_label_is_the_unnamed_actor_class_inside_the_published_actor(
        onto: rdflib.Graph) -> None:
    """`kg:Actor` keeps its published meaning, whoever can act; the Neo4j label `Actor` (the
    actors a report does not name) is one kind of it, `kg:UnnamedActor`."""
    from rdflib.collection import Collection

    kg = rdflib.Namespace(KG)
    assert class_iri(Label.ACTOR) == KG + "UnnamedActor"
    assert all(class_iri(label) == KG + label.value for label in Label if label is not Label.ACTOR)
    assert (kg.UnnamedActor, RDFS.subClassOf, kg.Actor) in onto

    def union(cls: rdflib.URIRef) -> set[rdflib.term.Node]:
        (equivalent,) = onto.objects(cls, OWL.equivalentClass)
        return set(Collection(onto, onto.value(equivalent, OWL.unionOf)))

    assert union(kg.Actor) == {kg.Group, kg.Organisation, kg.Person, kg.UnnamedActor}
    assert kg.UnnamedActor in union(kg.Entity)
    disjoint = next(onto.subjects(RDF.type, OWL.AllDisjointClasses))
    assert kg.UnnamedActor in set(Collection(onto, onto.value(disjoint, OWL.members)))
    assert onto.value(kg.actorKind, RDFS.domain) == kg.UnnamedActor


def test_context_declares_the_export_prefixes() -> None:
    assert read_context() == PREFIXES


def test_check_finds_a_missing_comment_and_a_missing_concept(copy: Path) -> None:
    text = (copy / "kg.ttl").read_text("utf-8")
    text = text.replace('    rdfs:comment "A named individual, with the role the articles give them '
                        '(e.g. Chief Minister)."@en .', "    .")
    start = text.index("eventtype:grenade_attack a skos:Concept")
    text = text[:start] + text[text.index("\n\n", start) + 2:]
    (copy / "kg.ttl").write_text(text, "utf-8")
    problems = check_ontology(copy).problems
    assert "kg:Person has no rdfs:comment" in problems
    assert "EventType.grenade_attack: no skos:Concept eventtype:grenade_attack" in problems
    assert any("eventtype:grenade_attack" in p and "ACLED" in p for p in problems)


def test_check_finds_a_wrong_domain_and_an_undeclared_property(copy: Path) -> None:
    text = (copy / "kg.ttl").read_text("utf-8")
    text = text.replace("kg:occurredIn a owl:ObjectProperty ;\n    rdfs:label \"occurred in\"@en ;\n"
                        "    skos:notation \"OCCURRED_IN\" ;\n    rdfs:domain kg:Event ;",
                        "kg:occurredIn a owl:ObjectProperty ;\n    rdfs:label \"occurred in\"@en ;\n"
                        "    skos:notation \"OCCURRED_IN\" ;\n    rdfs:domain kg:Group ;")
    text = text.replace("kg:gazetteerId a owl:DatatypeProperty ;", "kg:gazetteerId a rdf:Property ;")
    (copy / "kg.ttl").write_text(text, "utf-8")
    problems = check_ontology(copy).problems
    assert any(p.startswith("kg:occurredIn: rdfs:domain is ['kg:Group']") for p in problems), problems
    assert "kg:gazetteerId is used by the export but not declared as a owl:DatatypeProperty" in problems


def test_check_finds_stale_shapes_and_context(copy: Path) -> None:
    shapes = (copy / "shapes.ttl").read_text("utf-8").replace(" groupkind:criminal", "")
    (copy / "shapes.ttl").write_text(shapes, "utf-8")
    context = json.loads((copy / "context.jsonld").read_text("utf-8"))
    del context["@context"]["figurekind"]
    (copy / "context.jsonld").write_text(json.dumps(context), "utf-8")
    problems = check_ontology(copy).problems
    assert any("sh:in of kg:groupKind differs from GroupKind" in p and "groupkind:criminal" in p
               for p in problems), problems
    assert any(p.startswith("context.jsonld: prefixes differ") for p in problems)


def test_check_finds_a_relationship_shape_that_misses_a_label(copy: Path) -> None:
    shapes = (copy / "shapes.ttl").read_text("utf-8")
    shapes = shapes.replace("[ sh:class kg:Organisation ] [ sh:class kg:UnnamedActor ] )",
                            "[ sh:class kg:Organisation ] )")  # kg:attributedTo
    shapes = shapes.replace("[ sh:class kg:Person ] [ sh:class kg:UnnamedActor ] )",
                            "[ sh:class kg:Person ] )")  # kgsh:perpetrated-subject
    (copy / "shapes.ttl").write_text(shapes, "utf-8")
    problems = check_ontology(copy).problems
    assert any(p.startswith("shapes.ttl: Event kg:attributedTo may point to") and "kg:UnnamedActor" in p
               for p in problems), problems
    assert any(p.startswith("shapes.ttl: subjects of kg:perpetrated may be") for p in problems), problems


def test_check_reports_unparsable_turtle(copy: Path) -> None:
    (copy / "kg.ttl").write_text("kg:Event a owl:Class", "utf-8")
    problems = check_ontology(copy).problems
    assert any(p.startswith("cannot parse") and "kg.ttl" in p for p in problems)


def test_cli_ontology_check(copy: Path) -> None:
    runner = CliRunner()
    good = runner.invoke(main, ["ontology", "check"])
    assert good.exit_code == 0, good.output
    assert good.output.startswith("OK: ")
    (copy / "shapes.ttl").write_text("", "utf-8")
    bad = runner.invoke(main, ["ontology", "check", "--dir", str(copy)])
    assert bad.exit_code == 1
    assert "no shape has sh:targetClass kg:Event" in bad.output
    assert "Error: " in bad.output and "problem(s)" in bad.output
