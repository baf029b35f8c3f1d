"""The ontology files (ontology/: kg.ttl, shapes.ttl, context.jsonld) and their check.

`check_ontology` is what `kg ontology check` runs: the files parse; every term is labelled
and commented; every term the export writes is defined, as the right kind of term; classes,
relationship properties (with their domains and ranges), concept schemes and the ACLED
mapping agree with `kg.schema`; the shapes cover every class and enumeration; the JSON-LD
context declares the export's prefixes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from kg.errors import ExportError
from kg.export.iris import BNode, Literal, Term
from kg.export.terms import (
    KG,
    NODE_PROPERTIES,
    ONTOLOGY_IRI,
    ONTOLOGY_VERSION_IRI,
    PREFIXES,
    SCHEME_ENUMS,
    VOCAB,
    XSD,
    Scheme,
    class_iri,
    predicate_iri,
    used_kg_terms,
)
from kg.export.writers import Block
from kg.schema import ACLED_MAPPING, RELATIONS, EventType, Label, RelType

ONTOLOGY_FILE = "kg.ttl"
SHAPES_FILE = "shapes.ttl"
CONTEXT_FILE = "context.jsonld"

_XSD_OF_KIND = {"string": "string", "integer": "integer", "double": "double",
                "boolean": "boolean", "date": "date", "datetime": "dateTime", "anyURI": "anyURI"}


def ontology_dir() -> Path:
    """The installed ontology/ directory (packaged as kg/resources/ontology)."""
    return Path(str(resources.files("kg").joinpath("resources/ontology")))


def _path(directory: Path | None, name: str) -> Path:
    return (directory or ontology_dir()) / name


def read_context(directory: Path | None = None) -> dict[str, Any]:
    """The JSON-LD context the export inlines (never fetched from the network)."""
    path = _path(directory, CONTEXT_FILE)
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise ExportError(f"cannot read the JSON-LD context {path}: {exc}") from exc
    context = data.get("@context") if isinstance(data, dict) else None
    if not isinstance(context, dict):
        raise ExportError(f"{path} has no @context object")
    return context


def _parse(path: Path) -> Any:
    import rdflib

    try:
        return rdflib.Graph().parse(path, format="turtle")
    except Exception as exc:  # rdflib raises many kinds; all mean "not usable Turtle"
        raise ExportError(f"cannot parse {path}: {exc}") from exc


@cache
def _default_graph(name: str) -> Any:
    return _parse(_path(None, name))


def ontology_graph(directory: Path | None = None) -> Any:
    """kg.ttl as an rdflib Graph (the installed one is parsed once per process)."""
    return _default_graph(ONTOLOGY_FILE) if directory is None else _parse(_path(directory, ONTOLOGY_FILE))


def shapes_graph(directory: Path | None = None) -> Any:
    return _default_graph(SHAPES_FILE) if directory is None else _parse(_path(directory, SHAPES_FILE))


@cache
def ontology_blocks(graph_name: str | None) -> list[Block]:
    """The ontology's triples as writer blocks, in a stable order with stable blank nodes.

    Cached: canonicalising the blank nodes takes a moment. Writers never change blocks.
    """
    from rdflib.compare import to_canonical_graph

    canonical = to_canonical_graph(ontology_graph())
    by_subject: dict[str, list[tuple[str, Term]]] = {}
    for s, p, o in sorted(canonical, key=lambda t: (t[0].n3(), t[1].n3(), t[2].n3())):
        subject = _term(s)
        assert isinstance(subject, str)  # an IRI or a BNode, never a literal
        by_subject.setdefault(subject, []).append((str(p), _term(o)))
    return [(graph_name, subject, pairs) for subject, pairs in by_subject.items()]


def _term(node: Any) -> Term:
    import rdflib

    if isinstance(node, rdflib.BNode):
        return BNode(str(node))
    if isinstance(node, rdflib.Literal):
        return Literal(str(node), str(node.datatype) if node.datatype else None,
                       node.language or None)
    return str(node)


# =============================================================================================
# The check


@dataclass
class CheckReport:
    directory: Path
    problems: list[str] = field(default_factory=list)
    classes: int = 0
    properties: int = 0
    concepts: int = 0
    shapes: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def check_ontology(directory: Path | None = None) -> CheckReport:
    """Check the ontology files in `directory` (default: the installed ones)."""
    import rdflib

    directory = directory or ontology_dir()
    report = CheckReport(directory)
    graphs = {}
    for name in (ONTOLOGY_FILE, SHAPES_FILE):
        try:
            graphs[name] = _parse(directory / name)
        except ExportError as exc:
            report.problems.append(str(exc))
    try:
        context = read_context(directory)
        if context != PREFIXES:
            missing = sorted(set(PREFIXES.items()) - set(context.items()))
            extra = sorted(set(context.items()) - set(PREFIXES.items()))
            report.problems.append(
                f"{CONTEXT_FILE}: prefixes differ from the export's: missing {missing}, extra {extra}"
            )
    except ExportError as exc:
        report.problems.append(str(exc))
    if ONTOLOGY_FILE in graphs:
        _check_terms(graphs[ONTOLOGY_FILE], report, rdflib)
    if SHAPES_FILE in graphs:
        _check_shapes(graphs[SHAPES_FILE], report, rdflib)
    return report


def _check_terms(g: Any, report: CheckReport, rdflib: Any) -> None:
    from rdflib.namespace import OWL, RDF, RDFS, SKOS

    U = rdflib.URIRef
    problems = report.problems
    if (U(ONTOLOGY_IRI), RDF.type, OWL.Ontology) not in g:
        problems.append(f"{ONTOLOGY_FILE}: no owl:Ontology <{ONTOLOGY_IRI}>")
    if (U(ONTOLOGY_IRI), OWL.versionIRI, U(ONTOLOGY_VERSION_IRI)) not in g:
        problems.append(f"{ONTOLOGY_FILE}: owl:versionIRI is not <{ONTOLOGY_VERSION_IRI}>")

    kinds = {OWL.Class: "class", OWL.ObjectProperty: "object", OWL.DatatypeProperty: "datatype",
             OWL.AnnotationProperty: "annotation", SKOS.Concept: "concept",
             SKOS.ConceptScheme: "scheme"}
    declared: dict[str, set[str]] = {}
    for kind_iri, kind in kinds.items():
        for term in g.subjects(RDF.type, kind_iri):
            if isinstance(term, rdflib.URIRef):
                declared.setdefault(str(term), set()).add(kind)
    # Every term of ours is labelled and commented.
    ours = {str(s) for s in g.subjects() if isinstance(s, rdflib.URIRef)
            and (str(s).startswith(KG) or str(s).startswith(VOCAB))}
    for term in sorted(ours | {t for t in declared if t.startswith((KG, VOCAB))}):
        for annotation, name in ((RDFS.label, "rdfs:label"), (RDFS.comment, "rdfs:comment")):
            if g.value(U(term), annotation) is None:
                problems.append(f"{_short(term)} has no {name}")
        if term not in declared:
            problems.append(f"{_short(term)} is described but not declared (owl:Class, owl:*Property, skos:Concept…)")
    report.classes = sum("class" in k for t, k in declared.items() if t.startswith(KG))
    report.properties = sum(bool(k & {"object", "datatype"}) for t, k in declared.items()
                            if t.startswith(KG))
    report.concepts = sum("concept" in k for k in declared.values())

    # Every term the export writes is defined, as the right kind of term.
    for term, kind in sorted(used_kg_terms().items()):
        if kind not in declared.get(term, set()):
            problems.append(f"{_short(term)} is used by the export but not declared as a "
                            f"{'owl:Class' if kind == 'class' else f'owl:{kind.capitalize()}Property'}")
    for label, table in NODE_PROPERTIES.items():
        for name, prop in table.items():
            xsd = _XSD_OF_KIND.get(prop.kind)
            if xsd and (U(prop.predicate), RDFS.range, U(XSD + xsd)) not in g:
                problems.append(f"{_short(prop.predicate)} ({label.value}.{name}) should have "
                                f"rdfs:range xsd:{xsd}")

    # Classes and relationships mirror kg.schema.
    for label in Label:
        if "class" not in declared.get(class_iri(label), set()):
            problems.append(f"Label {label.value}: no owl:Class {_short(class_iri(label))}")
    for rel in RelType:
        pred = U(predicate_iri(rel))
        if str(g.value(pred, SKOS.notation)) != rel.value:
            problems.append(f"{_short(str(pred))}: skos:notation should be {rel.value!r}")
        sources, targets = RELATIONS[rel]
        for axis, expected in ((RDFS.domain, sources), (RDFS.range, targets)):
            found = _class_set(g, g.value(pred, axis), rdflib)
            if found != {class_iri(x) for x in expected}:
                problems.append(
                    f"{_short(str(pred))}: rdfs:{axis.split('#')[1]} is {sorted(map(_short, found))}, "
                    f"kg.schema.RELATIONS says {sorted(x.value for x in expected)}"
                )

    # Concept schemes mirror the enums; event types map to their ACLED pair.
    for scheme, enum in SCHEME_ENUMS.items():
        members = {m.value for m in enum}
        for value in sorted(members):
            concept = U(scheme.namespace + value)
            if "concept" not in declared.get(str(concept), set()):
                problems.append(f"{enum.__name__}.{value}: no skos:Concept {_short(str(concept))}")
                continue
            if (concept, SKOS.inScheme, U(scheme.iri)) not in g:
                problems.append(f"{_short(str(concept))} is not skos:inScheme <{scheme.iri}>")
            if str(g.value(concept, SKOS.notation)) != value:
                problems.append(f"{_short(str(concept))}: skos:notation should be {value!r}")
        for concept in g.subjects(SKOS.inScheme, U(scheme.iri)):
            value = str(concept)[len(scheme.namespace):]
            if not str(concept).startswith(scheme.namespace) or value not in members:
                problems.append(f"{_short(str(concept))} is in the {scheme.value} scheme but not "
                                f"a member of {enum.__name__}")
    for event_type in EventType:
        _check_acled(g, event_type, problems, rdflib)


def _check_acled(g: Any, event_type: EventType, problems: list[str], rdflib: Any) -> None:
    from rdflib.namespace import SKOS

    concept = rdflib.URIRef(Scheme.EVENT_TYPE.namespace + event_type.value)
    matches = [o for p in (SKOS.closeMatch, SKOS.broadMatch, SKOS.exactMatch)
               for o in g.objects(concept, p) if str(o).startswith(Scheme.ACLED.namespace)]
    expected = ACLED_MAPPING[event_type]
    found = sorted((str(g.value(g.value(m, SKOS.broader), SKOS.prefLabel)),
                    str(g.value(m, SKOS.prefLabel))) for m in matches)
    if found != [expected]:
        problems.append(f"{_short(str(concept))}: maps to ACLED {found}, kg.schema says {expected}")


def _class_set(g: Any, node: Any, rdflib: Any) -> set[str]:
    """The named classes a domain/range stands for: a class, or an owl:unionOf of classes."""
    from rdflib.collection import Collection
    from rdflib.namespace import OWL

    if node is None:
        return set()
    if isinstance(node, rdflib.BNode):
        members = g.value(node, OWL.unionOf)
        return {str(m) for m in Collection(g, members)} if members is not None else set()
    equivalent = [e for e in g.objects(node, OWL.equivalentClass) if isinstance(e, rdflib.BNode)]
    if equivalent:
        return _class_set(g, equivalent[0], rdflib)
    return {str(node)}


def _check_shapes(g: Any, report: CheckReport, rdflib: Any) -> None:
    from rdflib.collection import Collection
    from rdflib.namespace import RDF

    SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    U = rdflib.URIRef
    problems = report.problems
    report.shapes = len(set(g.subjects(RDF.type, SH.NodeShape)))
    for label in Label:
        shapes = list(g.subjects(SH.targetClass, U(class_iri(label))))
        if not shapes:
            problems.append(f"{SHAPES_FILE}: no shape has sh:targetClass {_short(class_iri(label))}")
            continue
        paths: dict[str, list[Any]] = {}
        for shape in shapes:
            for prop_shape in g.objects(shape, SH.property):
                path = g.value(prop_shape, SH.path)
                if isinstance(path, rdflib.URIRef):
                    paths.setdefault(str(path), []).append(prop_shape)
        for name, prop in NODE_PROPERTIES[label].items():
            where = f"{SHAPES_FILE}: {label.value}.{name}"
            found = paths.get(prop.predicate)
            if not found:
                problems.append(f"{where}: no property shape for {_short(prop.predicate)}")
                continue
            if prop.required and not any(g.value(s, SH.minCount) for s in found):
                problems.append(f"{where}: {_short(prop.predicate)} is always written; add sh:minCount 1")
            if prop.scheme is not None:
                enum = SCHEME_ENUMS[prop.scheme]
                expected = {prop.scheme.namespace + m.value for m in enum}
                lists = [g.value(s, SH["in"]) for s in found]
                values = {str(v) for lst in lists if lst is not None for v in Collection(g, lst)}
                if values != expected:
                    problems.append(f"{where}: sh:in of {_short(prop.predicate)} differs from "
                                    f"{enum.__name__}: {sorted(map(_short, values ^ expected))}")
        for rel, (sources, targets) in RELATIONS.items():
            if label not in sources:
                continue
            if predicate_iri(rel) not in paths:
                problems.append(f"{SHAPES_FILE}: {label.value} shape does not allow "
                                f"{_short(predicate_iri(rel))}")
                continue
            allowed = {c for s in paths[predicate_iri(rel)] for c in _shape_classes(g, s, SH)}
            expected = {class_iri(t) for t in targets}
            if allowed != expected:
                problems.append(
                    f"{SHAPES_FILE}: {label.value} {_short(predicate_iri(rel))} may point to "
                    f"{sorted(map(_short, allowed))}, kg.schema.RELATIONS says "
                    f"{sorted(map(_short, expected))}")
    # The subject shapes (sh:targetSubjectsOf) allow exactly the sources of each relationship.
    for rel, (sources, _targets) in RELATIONS.items():
        pred = U(predicate_iri(rel))
        subject_shapes = list(g.subjects(SH.targetSubjectsOf, pred))
        allowed = {c for s in subject_shapes for c in _shape_classes(g, s, SH)}
        expected = {class_iri(x) for x in sources}
        if allowed != expected:
            problems.append(f"{SHAPES_FILE}: subjects of {_short(str(pred))} may be "
                            f"{sorted(map(_short, allowed))}, kg.schema.RELATIONS says "
                            f"{sorted(map(_short, expected))}")


def _shape_classes(g: Any, prop_shape: Any, SH: Any) -> set[str]:
    """The classes a property shape lets its values have: its sh:class, or those of its sh:or."""
    from rdflib.collection import Collection

    found = {str(c) for c in g.objects(prop_shape, SH["class"])}
    for alternatives in g.objects(prop_shape, SH["or"]):
        for alternative in Collection(g, alternatives):
            found |= {str(c) for c in g.objects(alternative, SH["class"])}
    return found


def _short(iri: str) -> str:
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return f"<{iri}>"
