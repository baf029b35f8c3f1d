"""From Neo4j nodes and relationships to RDF blocks (docs/rdf.md).

A node becomes one block: its class, its properties (kg.export.terms.NODE_PROPERTIES) and
one triple per outgoing relationship (`<group> kg:perpetrated <event>`). Each relationship is
also reified, so its provenance stays attached to it in every format:

    <…/statement/9f…> a rdf:Statement ;
        rdf:subject <…/group/group:bla> ; rdf:predicate kg:perpetrated ; rdf:object <…/event/…> ;
        kg:confidence "0.9"^^xsd:double ;
        kg:evidence <…/statement/9f…/evidence/3c…> .
    <…/statement/9f…/evidence/3c…> a kg:Evidence ;
        kg:inArticle <…/article/…> ; kg:text "The BLA … claimed …" ;
        kg:start 412 ; kg:end 498 ; kg:confidence "0.9"^^xsd:double .

An entry whose evidence is `""` (a structural fact) has no text and no offsets, only its
article and confidence. The place hierarchy is reference data, not a claim: its `kg:locatedIn`
triples are asserted without a statement.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from kg.export.iris import Literal, Minter, Term, encode, lit, typed
from kg.export.terms import (
    CONFIDENCE,
    END,
    EVIDENCE_CLASS,
    GEONAMES,
    GSP_AS_WKT,
    GSP_GEOMETRY,
    GSP_HAS_GEOMETRY,
    GSP_WKT_LITERAL,
    HAS_EVIDENCE,
    IGNORED_NODE_PROPERTIES,
    IGNORED_NODE_PROPERTY_PREFIX,
    IGNORED_RELATIONSHIP_PROPERTIES,
    IN_ARTICLE,
    NODE_PROPERTIES,
    PROVENANCE_PROPERTIES,
    RDF_OBJECT,
    RDF_PREDICATE,
    RDF_STATEMENT,
    RDF_SUBJECT,
    RDF_TYPE,
    RDFS_LABEL,
    RDFS_LABEL_FROM,
    SKOS_EXACT_MATCH,
    START,
    TEXT,
    XSD_ANYURI,
    XSD_BOOLEAN,
    XSD_DATE,
    XSD_DATETIME,
    XSD_DOUBLE,
    XSD_INTEGER,
    Prop,
    class_iri,
    predicate_iri,
    relationship_properties,
)
from kg.export.writers import Block
from kg.schema import Label, RelType

_GEONAMES_ID = re.compile(r"geonames:(\d+)")
_CLASSES = {label: class_iri(label) for label in Label}
_PREDICATES = {rel: predicate_iri(rel) for rel in RelType}
_REL_PROPS = {rel: relationship_properties(rel) for rel in RelType}


@dataclass(slots=True)
class NodeRecord:
    label: Label
    id: str
    props: dict[str, Any]


@dataclass(slots=True)
class RelRecord:
    type: RelType
    source: tuple[Label, str]
    target: tuple[Label, str]
    props: dict[str, Any]


@dataclass
class Tally:
    """What an export wrote and what it left out, and why."""

    nodes: Counter[str] = field(default_factory=Counter)
    relationships: Counter[str] = field(default_factory=Counter)
    evidence: int = 0
    skipped: Counter[str] = field(default_factory=Counter)  # "Label.property: reason" → count


def _double(value: Any) -> str:
    number = float(value)
    if math.isnan(number):
        return "NaN"
    if math.isinf(number):
        return "INF" if number > 0 else "-INF"
    return repr(number)


def _integer(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"not an integer: {value!r}")
    if isinstance(value, float) and not value.is_integer():
        raise ValueError(f"not an integer: {value!r}")
    return str(int(value))


def _boolean(value: Any) -> str:
    if not isinstance(value, bool):
        raise TypeError(f"not a boolean: {value!r}")
    return "true" if value else "false"


def _temporal(value: Any) -> str:
    """neo4j.time values, Python dates and datetimes, or ISO strings, as ISO 8601."""
    for method in ("iso_format", "isoformat"):
        render = getattr(value, method, None)
        if render is not None:
            return str(render())
    if isinstance(value, str):
        return value
    raise TypeError(f"not a date: {value!r}")


class Mapper:
    """Turns records into blocks for one export (one base IRI, one article filter)."""

    def __init__(self, minter: Minter, tally: Tally, *,
                 articles: Collection[str] | None = None) -> None:
        self.mint = minter
        self.tally = tally
        # Only these articles' provenance entries are exported (`--article`); None: all.
        self.articles = frozenset(articles) if articles is not None else None

    # -- values ----------------------------------------------------------------------------

    def _objects(self, prop: Prop, value: Any, owner: str, name: str) -> Iterator[Term]:
        values = value if isinstance(value, list) else [value]
        for item in values:
            if item is None:
                continue
            try:
                yield self._object(prop, item)
            except (TypeError, ValueError) as exc:
                self.tally.skipped[f"{owner}.{name}: {exc}"] += 1

    def _object(self, prop: Prop, value: Any) -> Term:
        kind = prop.kind
        if kind == "string":
            if not isinstance(value, str):
                raise TypeError(f"not a string: {type(value).__name__}")
            return lit(value)
        if kind == "concept":
            assert prop.scheme is not None
            return prop.scheme.namespace + encode(str(value))
        if kind == "article":
            return self.mint.node(Label.ARTICLE, str(value))
        if kind == "integer":
            return typed(_integer(value), XSD_INTEGER)
        if kind == "double":
            return typed(_double(value), XSD_DOUBLE)
        if kind == "boolean":
            return typed(_boolean(value), XSD_BOOLEAN)
        if kind == "date":
            return lit(_temporal(value), XSD_DATE)
        if kind == "datetime":
            return lit(_temporal(value), XSD_DATETIME)
        if kind == "anyURI":
            return lit(str(value), XSD_ANYURI)
        raise ValueError(f"unknown kind {kind}")

    # -- nodes -----------------------------------------------------------------------------

    def node(self, record: NodeRecord, relationships: list[RelRecord]) -> list[Block]:
        """The node's block, then a block per statement, evidence entry and geometry."""
        label = record.label
        subject = self.mint.node(label, record.id)
        pairs: list[tuple[str, Term]] = [(RDF_TYPE, _CLASSES[label])]
        table = NODE_PROPERTIES[label]
        props = record.props
        # The ontology's order (id first), then anything unknown, so output is stable.
        for name in [*(n for n in table if n in props), *sorted(props.keys() - table.keys())]:
            value = props[name]
            if value is None or name in IGNORED_NODE_PROPERTIES or name.startswith(IGNORED_NODE_PROPERTY_PREFIX):
                continue
            prop = table.get(name)
            if prop is None:
                self.tally.skipped[f"{label.value}.{name}: not in the ontology"] += 1
                continue
            for obj in self._objects(prop, value, label, name):
                pairs.append((prop.predicate, obj))
        shown = RDFS_LABEL_FROM.get(label)
        if shown and isinstance(props.get(shown), str):
            pairs.append((RDFS_LABEL, lit(props[shown])))
        blocks: list[Block] = [(None, subject, pairs)]
        if label is Label.PLACE:
            self._place_extras(subject, props, pairs, blocks)
        self.tally.nodes[label.value] += 1
        for rel in relationships:
            self._relationship(subject, rel, pairs, blocks)
        return blocks

    def _place_extras(self, subject: str, props: Mapping[str, Any],
                      pairs: list[tuple[str, Term]], blocks: list[Block]) -> None:
        """A GeoSPARQL point and, for GeoNames places, a link to GeoNames itself."""
        latitude, longitude = props.get("latitude"), props.get("longitude")
        if isinstance(latitude, int | float) and isinstance(longitude, int | float):
            geometry = self.mint.geometry(subject)
            pairs.append((GSP_HAS_GEOMETRY, geometry))
            wkt = f"POINT({_double(longitude)} {_double(latitude)})"
            blocks.append((None, geometry, [(RDF_TYPE, GSP_GEOMETRY),
                                            (GSP_AS_WKT, Literal(wkt, GSP_WKT_LITERAL))]))
        gazetteer = props.get("gazetteer_id")
        match = _GEONAMES_ID.fullmatch(gazetteer) if isinstance(gazetteer, str) else None
        if match:
            pairs.append((SKOS_EXACT_MATCH, f"{GEONAMES}{match.group(1)}/"))

    # -- relationships ---------------------------------------------------------------------

    def _relationship(self, subject: str, rel: RelRecord, pairs: list[tuple[str, Term]],
                      blocks: list[Block]) -> None:
        props = rel.props
        predicate = _PREDICATES[rel.type]
        target = self.mint.node(*rel.target)
        if "articles" not in props:
            # Reference data, not a claim: the place hierarchy is the gazetteer's, kept while
            # some article names the place. Asserted, with no statement or evidence.
            pairs.append((predicate, target))
            self.tally.relationships[rel.type.value] += 1
            return
        entries = self._entries(props)
        if self.articles is not None and not entries:
            return  # not stated by the articles asked for
        pairs.append((predicate, target))
        key = props.get("key")
        statement = self.mint.statement(rel.type, rel.source, rel.target,
                                        key if isinstance(key, str) else "")
        facts: list[tuple[str, Term]] = [
            (RDF_TYPE, RDF_STATEMENT),
            (RDF_SUBJECT, subject),
            (RDF_PREDICATE, predicate),
            (RDF_OBJECT, target),
        ]
        known = _REL_PROPS[rel.type]
        ignored = IGNORED_RELATIONSHIP_PROPERTIES.get(rel.type, frozenset())
        for name in sorted(props):
            value = props[name]
            if value is None or name in PROVENANCE_PROPERTIES or name in ignored:
                continue
            prop = known.get(name)
            if prop is None:
                self.tally.skipped[f"{rel.type.value}.{name}: not in the ontology"] += 1
                continue
            for obj in self._objects(prop, value, rel.type, name):
                facts.append((prop.predicate, obj))
        if entries:
            best = max(confidence for *_, confidence in entries)
            facts.append((CONFIDENCE, typed(_double(best), XSD_DOUBLE)))
        evidence_blocks: list[Block] = []
        for article, text, start, end, confidence in entries:
            node = self.mint.evidence(statement, article, start, end, text)
            facts.append((HAS_EVIDENCE, node))
            entry: list[tuple[str, Term]] = [
                (RDF_TYPE, EVIDENCE_CLASS),
                (IN_ARTICLE, self.mint.node(Label.ARTICLE, article)),
            ]
            if text:
                entry.append((TEXT, lit(text)))
            if start >= 0 and end >= 0:
                entry.append((START, typed(str(start), XSD_INTEGER)))
                entry.append((END, typed(str(end), XSD_INTEGER)))
            entry.append((CONFIDENCE, typed(_double(confidence), XSD_DOUBLE)))
            evidence_blocks.append((None, node, entry))
        blocks.append((None, statement, facts))
        blocks.extend(evidence_blocks)
        self.tally.relationships[rel.type.value] += 1
        self.tally.evidence += len(entries)

    def _entries(self, props: Mapping[str, Any]) -> list[tuple[str, str, int, int, float]]:
        """The aligned provenance lists as entries: one per (article, offsets, text), with the
        highest confidence given for it, in article then offset order (as the loader keeps them)."""
        articles = props.get("articles") or []
        texts = props.get("evidence") or []
        starts = props.get("evidence_start") or []
        ends = props.get("evidence_end") or []
        confidences = props.get("confidences") or []
        if not (len(articles) == len(texts) == len(starts) == len(ends) == len(confidences)):
            self.tally.skipped["provenance: lists of unequal length (shortest kept)"] += 1
        best: dict[tuple[str, int, int, str], float] = {}
        for article, text, start, end, confidence in zip(
            articles, texts, starts, ends, confidences, strict=False
        ):
            if self.articles is not None and article not in self.articles:
                continue
            entry = (str(article), int(start), int(end), str(text or ""))
            best[entry] = max(float(confidence), best.get(entry, 0.0))
        return [(article, text, start, end, confidence)
                for (article, start, end, text), confidence in sorted(best.items())]


