"""The RDF vocabulary of the export: namespaces, and how Neo4j properties become triples.

`ontology/kg.ttl` defines every `kg:` term named here, `ontology/shapes.ttl` constrains how
the export uses them, and `kg ontology check` (kg.export.ontology) keeps the three in step
with `kg.schema`. Node and relationship properties not listed here are not exported; the
export counts them under `ExportResult.skipped` so nothing disappears without a trace.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal as TypingLiteral

from kg.schema import (
    ActorKind,
    DatePrecision,
    EventType,
    FigureKind,
    GeoPrecision,
    GroupKind,
    Label,
    OrganisationKind,
    PlaceKind,
    RelType,
    TargetKind,
)

# The ontology's own IRIs. w3id.org gives a permanent redirect we can re-point; the `#`
# namespace keeps every term in the one document that defines it.
ONTOLOGY_IRI = "https://w3id.org/kg-conflict/ontology"
ONTOLOGY_VERSION = "0.1.0"
ONTOLOGY_VERSION_IRI = f"{ONTOLOGY_IRI}/{ONTOLOGY_VERSION}"
KG = f"{ONTOLOGY_IRI}#"
VOCAB = "https://w3id.org/kg-conflict/vocab/"
SHAPES = "https://w3id.org/kg-conflict/shapes#"
# Where instance IRIs live unless `--base-iri` says otherwise.
DEFAULT_BASE_IRI = "https://w3id.org/kg-conflict/id/"

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
OWL = "http://www.w3.org/2002/07/owl#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
SH = "http://www.w3.org/ns/shacl#"
GEO = "http://www.w3.org/2003/01/geo/wgs84_pos#"
GSP = "http://www.opengis.net/ont/geosparql#"
SCHEMA = "http://schema.org/"
SEM = "http://semanticweb.cs.vu.nl/2009/11/sem/"
PROV = "http://www.w3.org/ns/prov#"
DCTERMS = "http://purl.org/dc/terms/"
GEONAMES = "https://sws.geonames.org/"

RDF_TYPE = RDF + "type"
RDF_STATEMENT = RDF + "Statement"
RDF_SUBJECT = RDF + "subject"
RDF_PREDICATE = RDF + "predicate"
RDF_OBJECT = RDF + "object"
RDFS_LABEL = RDFS + "label"
SKOS_EXACT_MATCH = SKOS + "exactMatch"
GSP_GEOMETRY = GSP + "Geometry"
GSP_HAS_GEOMETRY = GSP + "hasGeometry"
GSP_AS_WKT = GSP + "asWKT"
GSP_WKT_LITERAL = GSP + "wktLiteral"

XSD_STRING = XSD + "string"
XSD_INTEGER = XSD + "integer"
XSD_DOUBLE = XSD + "double"
XSD_BOOLEAN = XSD + "boolean"
XSD_DATE = XSD + "date"
XSD_DATETIME = XSD + "dateTime"
XSD_ANYURI = XSD + "anyURI"


class Scheme(StrEnum):
    """SKOS concept schemes: one per closed enumeration, plus ACLED's event types."""

    EVENT_TYPE = "event-type"
    ACLED = "acled"
    GROUP_KIND = "group-kind"
    ORGANISATION_KIND = "organisation-kind"
    PLACE_KIND = "place-kind"
    TARGET_KIND = "target-kind"
    ACTOR_KIND = "actor-kind"
    FIGURE_KIND = "figure-kind"
    GEO_PRECISION = "geo-precision"
    DATE_PRECISION = "date-precision"

    @property
    def iri(self) -> str:
        """The concept scheme itself."""
        return VOCAB + self.value

    @property
    def namespace(self) -> str:
        """Its concepts: the namespace plus the enum value."""
        return VOCAB + self.value + "/"


# The enum each scheme mirrors (ACLED is derived from kg.schema.ACLED_MAPPING).
SCHEME_ENUMS: dict[Scheme, type[StrEnum]] = {
    Scheme.EVENT_TYPE: EventType,
    Scheme.GROUP_KIND: GroupKind,
    Scheme.ORGANISATION_KIND: OrganisationKind,
    Scheme.PLACE_KIND: PlaceKind,
    Scheme.TARGET_KIND: TargetKind,
    Scheme.ACTOR_KIND: ActorKind,
    Scheme.FIGURE_KIND: FigureKind,
    Scheme.GEO_PRECISION: GeoPrecision,
    Scheme.DATE_PRECISION: DatePrecision,
}

# Prefixes for Turtle, RDF/XML and the JSON-LD context (ontology/context.jsonld mirrors this).
PREFIXES: dict[str, str] = {
    "kg": KG,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "owl": OWL,
    "skos": SKOS,
    "geo": GEO,
    "gsp": GSP,
    "schema": SCHEMA,
    "sem": SEM,
    "prov": PROV,
    "dcterms": DCTERMS,
    "eventtype": Scheme.EVENT_TYPE.namespace,
    "acled": Scheme.ACLED.namespace,
    "groupkind": Scheme.GROUP_KIND.namespace,
    "orgkind": Scheme.ORGANISATION_KIND.namespace,
    "placekind": Scheme.PLACE_KIND.namespace,
    "targetkind": Scheme.TARGET_KIND.namespace,
    "actorkind": Scheme.ACTOR_KIND.namespace,
    "figurekind": Scheme.FIGURE_KIND.namespace,
    "geoprecision": Scheme.GEO_PRECISION.namespace,
    "dateprecision": Scheme.DATE_PRECISION.namespace,
}

# Namespaces whose terms the export may use without defining them in kg.ttl.
EXTERNAL_NAMESPACES = (RDF, RDFS, XSD, SKOS, GSP)


# Classes named otherwise than their label. `kg:Actor` was published as the class of whoever
# can act (Group ⊔ Organisation ⊔ Person, now ⊔ UnnamedActor) before Neo4j had an `Actor`
# label; the nodes of that label, the actors a report does not name, are `kg:UnnamedActor`.
_CLASS_NAMES: dict[Label, str] = {Label.ACTOR: "UnnamedActor"}


def class_iri(label: Label) -> str:
    return KG + _CLASS_NAMES.get(label, label.value)


def predicate_iri(rel: RelType) -> str:
    """`PERPETRATED` → `kg:perpetrated`, `CLAIMED_RESPONSIBILITY` → `kg:claimedResponsibility`."""
    head, *rest = rel.value.lower().split("_")
    return KG + head + "".join(word.capitalize() for word in rest)


Kind = TypingLiteral["string", "integer", "double", "boolean", "date", "datetime", "anyURI",
                     "concept", "article"]


@dataclass(frozen=True)
class Prop:
    """How one Neo4j property becomes triples: the predicate and the kind of its objects.

    `concept` values become IRIs in `scheme`; `article` values are ids of Article nodes.
    A list property gives one triple per element.
    """

    predicate: str
    kind: Kind = "string"
    scheme: Scheme | None = None
    required: bool = False  # the loader always writes it: the shapes require it


_ID = Prop(KG + "id", required=True)
_ENTITY = {
    "id": _ID,
    "name": Prop(KG + "name", required=True),
    "aliases": Prop(KG + "alias"),
    "country": Prop(KG + "country"),
}

NODE_PROPERTIES: dict[Label, dict[str, Prop]] = {
    Label.ARTICLE: {
        "id": _ID,
        "title": Prop(KG + "title"),
        "summary": Prop(KG + "summary"),
        "url": Prop(KG + "url", "anyURI"),
        "source": Prop(KG + "source"),
        "published": Prop(KG + "published", "date"),
        "language": Prop(KG + "language"),
        "text": Prop(KG + "body", required=True),
        "content_hash": Prop(KG + "contentHash", required=True),
        "extractor_version": Prop(KG + "extractorVersion", required=True),
        "ingested_at": Prop(KG + "ingestedAt", "datetime", required=True),
    },
    Label.EVENT: {
        "id": _ID,
        "type": Prop(KG + "eventType", "concept", Scheme.EVENT_TYPE, required=True),
        "acled_event_type": Prop(KG + "acledEventType", required=True),
        "acled_sub_event_type": Prop(KG + "acledSubEventType", required=True),
        "label": Prop(KG + "label", required=True),
        "date": Prop(KG + "date", "date"),
        "date_precision": Prop(KG + "datePrecision", "concept", Scheme.DATE_PRECISION),
        "date_text": Prop(KG + "dateText"),
        "claimed_by": Prop(KG + "claimedBy"),
        "background": Prop(KG + "background", "boolean"),
    },
    Label.GROUP: {**_ENTITY, "kind": Prop(KG + "groupKind", "concept", Scheme.GROUP_KIND)},
    Label.ORGANISATION: {
        **_ENTITY,
        "kind": Prop(KG + "organisationKind", "concept", Scheme.ORGANISATION_KIND),
    },
    Label.PLACE: {
        **_ENTITY,
        "kind": Prop(KG + "placeKind", "concept", Scheme.PLACE_KIND),
        "latitude": Prop(KG + "latitude", "double"),
        "longitude": Prop(KG + "longitude", "double"),
        "gazetteer_id": Prop(KG + "gazetteerId"),
        "precision": Prop(KG + "geoPrecision", "concept", Scheme.GEO_PRECISION),
    },
    Label.PERSON: {**_ENTITY, "role": Prop(KG + "role")},
    Label.TARGET: {**_ENTITY, "kind": Prop(KG + "targetKind", "concept", Scheme.TARGET_KIND)},
    Label.ACTOR: {**_ENTITY, "kind": Prop(KG + "actorKind", "concept", Scheme.ACTOR_KIND)},
    Label.QUOTE: {
        "id": _ID,
        "article": Prop(KG + "inArticle", "article", required=True),
        "text": Prop(KG + "text", required=True),
        "speaker_description": Prop(KG + "speakerDescription"),
        "partial": Prop(KG + "partial", "boolean"),
        "start": Prop(KG + "start", "integer", required=True),
        "end": Prop(KG + "end", "integer", required=True),
    },
    Label.FIGURE: {
        "id": _ID,
        "article": Prop(KG + "inArticle", "article", required=True),
        "kind": Prop(KG + "figureKind", "concept", Scheme.FIGURE_KIND, required=True),
        "min": Prop(KG + "min", "integer"),
        "max": Prop(KG + "max", "integer"),
        "scope": Prop(KG + "figureScope"),
        "approximate": Prop(KG + "approximate", "boolean", required=True),
        "qualifier": Prop(KG + "qualifier"),
        "text": Prop(KG + "text", required=True),
        "who": Prop(KG + "who"),
        "according_to_description": Prop(KG + "accordingToDescription"),
    },
}

# Node properties left out on purpose: `origin` is a path on the machine that read the
# article, `extraction` the loader's own copy of the extracted graph, `location` the point
# that `latitude`/`longitude` already give (exported as a GeoSPARQL geometry instead),
# `caption` Neo4j Browser's display text for figures and quotes (kg.neo4j.captions).
IGNORED_NODE_PROPERTIES = frozenset({"origin", "extraction", "location", "raw_extraction", "caption",
                                     # the review layer's marks (docs/review.md); the corrected
                                     # values themselves are exported as the node's values
                                     "reviewed", "reviewed_by", "reviewed_at", "corrections",
                                     # the loader's: an Event's match component (kg.resolve)
                                     "match_component"})
# Also the review layer's: the extractor's value beside a corrected one (`original_date`…).
IGNORED_NODE_PROPERTY_PREFIX = "original_"

# The node property copied to `rdfs:label`, so generic RDF browsers show a name.
RDFS_LABEL_FROM: dict[Label, str] = {
    Label.ARTICLE: "title",
    Label.EVENT: "label",
    Label.GROUP: "name",
    Label.ORGANISATION: "name",
    Label.PLACE: "name",
    Label.PERSON: "name",
    Label.TARGET: "name",
    Label.ACTOR: "name",
    Label.FIGURE: "text",
}

# Relationship properties that are facts about the relationship: they go on its statement.
_FACT_PROPERTIES = {
    "role": Prop(KG + "role"),
    "goal": Prop(KG + "goal"),
    "demand": Prop(KG + "demandText"),
    "according_to": Prop(KG + "accordingToDescription"),
    "source": Prop(KG + "dataSource"),
}
# A REPORTS relationship keeps that article's own report of the event.
_REPORT_PROPERTIES = {
    "event_type": Prop(KG + "eventType", "concept", Scheme.EVENT_TYPE),
    "label": Prop(KG + "label"),
    "date": Prop(KG + "date", "date"),
    "date_precision": Prop(KG + "datePrecision", "concept", Scheme.DATE_PRECISION),
    "date_text": Prop(KG + "dateText"),
    "claimed_by": Prop(KG + "claimedBy"),
}


def relationship_properties(rel: RelType) -> dict[str, Prop]:
    """The properties of a relationship of type `rel` that its statement carries."""
    if rel is RelType.REPORTS:
        return {**_FACT_PROPERTIES, **_REPORT_PROPERTIES}
    return dict(_FACT_PROPERTIES)


# Provenance lists (exported as the statement's evidence), the loader's bookkeeping, and the
# per-article snapshots kept on MENTIONS / REPORTS for re-deriving node properties.
PROVENANCE_PROPERTIES = frozenset(
    {"articles", "evidence", "evidence_start", "evidence_end", "confidences", "confidence", "key"}
)
IGNORED_RELATIONSHIP_PROPERTIES: dict[RelType, frozenset[str]] = {
    RelType.MENTIONS: frozenset({"name", "aliases", "kind", "country", "role", "latitude",
                                 "longitude", "gazetteer_id", "precision", "mention_start",
                                 "mention_end", "hub_facts"}),
    # The report's snapshot for cross-article matching (kg.resolve) and the match's score:
    # the Event's own properties carry what partners need.
    RelType.REPORTS: frozenset({"report_key", "local_id", "window_start", "window_end", "place",
                                "actors", "undated_place", "unplaced_span", "unplaced_in", "window_span", "home_country", "perpetrators", "sides", "targets",
                                "tolls", "place_kind", "place_country", "latitude", "longitude",
                                "published", "background", "match_score", "match_reasons",
                                "matched_with", "pins", "pinned"}),
}

# Terms of the provenance scheme (docs/rdf.md, *Provenance*).
EVIDENCE_CLASS = KG + "Evidence"
HAS_EVIDENCE = KG + "evidence"
IN_ARTICLE = KG + "inArticle"
CONFIDENCE = KG + "confidence"
TEXT = KG + "text"
START = KG + "start"
END = KG + "end"


# Terms of the review layer (docs/review.md): each applied correction is a PROV-O activity,
# associated with its analyst, that corrects a node of the export.
CORRECTION_CLASS = KG + "Correction"
CORRECTS = KG + "corrects"
CORRECTION_ACTION = KG + "correctionAction"
CORRECTED_FIELD = KG + "correctedField"
CORRECTED_VALUE = KG + "correctedValue"
ORIGINAL_VALUE = KG + "originalValue"
PROV_ACTIVITY = PROV + "Activity"
PROV_AGENT = PROV + "Agent"
PROV_ASSOCIATED_WITH = PROV + "wasAssociatedWith"
PROV_ENDED_AT = PROV + "endedAtTime"
RDFS_COMMENT = RDFS + "comment"


def used_kg_terms() -> dict[str, str]:
    """Every `kg:` term the export writes → what it must be declared as in kg.ttl."""
    terms: dict[str, str] = {class_iri(label): "class" for label in Label}
    terms[EVIDENCE_CLASS] = "class"
    terms.update({predicate_iri(rel): "object" for rel in RelType})
    props = [p for table in NODE_PROPERTIES.values() for p in table.values()]
    props += [p for rel in RelType for p in relationship_properties(rel).values()]
    for prop in props:
        terms[prop.predicate] = "object" if prop.kind in ("concept", "article") else "datatype"
    terms.update({HAS_EVIDENCE: "object", CONFIDENCE: "datatype", TEXT: "datatype",
                  START: "datatype", END: "datatype"})
    terms.update({CORRECTION_CLASS: "class", CORRECTS: "object", CORRECTION_ACTION: "datatype",
                  CORRECTED_FIELD: "datatype", CORRECTED_VALUE: "datatype", ORIGINAL_VALUE: "datatype"})
    return terms
