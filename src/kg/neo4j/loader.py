"""Load article graphs into Neo4j as one graph across articles, and take them out again.

The model is documented in cypher/README.md. In short: nodes are MERGEd on their `id`;
relationships on (source, type, `key`, target) and carry their provenance as aligned lists;
each article's view of an entity or event is kept on its `MENTIONS` / `REPORTS` relationship
and the node's properties are derived from all of them, so the graph does not depend on load
order. A batch of articles is one managed transaction (`execute_write`, retried on transient
errors); a short-lived lock serialises loads so concurrent ingests give the graph of one. A
batch the server refuses is split, and a commit with an unknown outcome re-run
(`kg.neo4j.batches`).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import zlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from itertools import islice
from typing import Any, NamedTuple

import neo4j

from kg.config import DEFAULT_BATCH_SIZE
from kg.errors import SchemaError
from kg.ids import slug
from kg.models import ArticleGraph, Entity, Evidence
from kg.neo4j.batches import write_in_parts
from kg.resolve import (
    SHORT_WINDOW_DAYS,
    YEAR_WINDOW_DAYS,
    EventReport,
    Match,
    canonical_event_id,
    compatible_types,
    report_key,
    reports_match,
    reports_of,
    representative,
    settle_reports,
)
from kg.resolve import SLACK as _SLACK
from kg.review.store import ReviewStep  # REVIEW HOOK
from kg.schema import RELATIONS, EntityType, Label, ParticipantRole, RelType

# MERGEd then deleted inside every load transaction: the uniqueness constraint on Event.id makes
# a second transaction wait for the first to commit. Never a real event id ("event:…").
LOCK_ID = "kg:lock"
_NO_EVIDENCE = ("", -1, -1)
# Confidence of facts the loader derives from the models' structure rather than from a Relation.
_STRUCTURAL = 1.0
_DERIVED = 0.8
_ENTITY_LABELS = tuple(t.label for t in EntityType)


# =============================================================================================
# Query templates. THE ONLY PLACE QUERY TEXT IS ASSEMBLED: labels and relationship types come
# from the kg.schema enums (and RELATIONS), never from data; every value is a parameter.
# =============================================================================================


@dataclass(frozen=True)
class _Templates:
    merge_node: dict[Label, str]
    set_node: dict[Label, str]
    relate: dict[tuple[RelType, Label, Label], str]
    views_of: dict[Label, str]
    props_of: dict[Label, str]
    strip: dict[Label, str]
    orphans: dict[Label, str]


def _fill(template: str, **members: Label | RelType) -> str:
    """Put enum members into the `<L>`, `<S>`, `<T>`, `<R>` slots of a template."""
    for slot, member in members.items():
        if not isinstance(member, Label | RelType):  # never data: only the closed schema
            raise TypeError(f"query slot {slot} takes a Label or RelType, not {member!r}")
        template = template.replace(_SLOTS[slot], member.value)
    return template


_SLOTS = {"L": "<L>", "S": "<S>", "T": "<T>", "R": "<R>"}


@cache
def _templates() -> _Templates:
    entity_or_event = (*_ENTITY_LABELS, Label.EVENT)
    return _Templates(
        merge_node={label: _fill(_MERGE_NODE, L=label) for label in Label},
        set_node={label: _fill(_SET_PLACE if label is Label.PLACE else _SET_NODE, L=label)
                  for label in Label},
        relate={(rel, source, target): _fill(_RELATE, S=source, T=target, R=rel)
                for rel, (sources, targets) in RELATIONS.items() if rel is not RelType.LOCATED_IN
                for source in sources for target in targets},
        views_of={label: _fill(_VIEWS_OF, L=label) for label in _ENTITY_LABELS},
        props_of={label: _fill(_PROPS_OF, L=label) for label in _ENTITY_LABELS},
        strip={label: _fill(_STRIP, L=label) for label in entity_or_event},
        orphans={label: _fill(_ORPHANS_REPORTS if label is Label.EVENT else _ORPHANS_MENTIONS,
                              L=label) for label in entity_or_event},
    )


# `CYPHER replan=skip`: while a load grows the graph from nothing, Neo4j would otherwise re-plan
# these queries again and again as its statistics change (it cost 3/4 of the load time); their
# plans are index seeks on the uniqueness constraints whatever the statistics say.
_MERGE_NODE = "CYPHER replan=skip UNWIND $rows AS row MERGE (n:<L> {id: row.id}) SET n += row.props"
_SET_NODE = "CYPHER replan=skip UNWIND $rows AS row MATCH (n:<L> {id: row.id}) SET n += row.props"
# Derived coordinates also make the `location` point the distance queries use.
_SET_PLACE = (
    "CYPHER replan=skip UNWIND $rows AS row MATCH (n:<L> {id: row.id}) SET n += row.props, "
    "n.location = CASE WHEN row.props.latitude IS NULL OR row.props.longitude IS NULL THEN null "
    "ELSE point({latitude: row.props.latitude, longitude: row.props.longitude}) END"
)
_PROPS_OF = "CYPHER replan=skip UNWIND $ids AS id MATCH (n:<L> {id: id}) RETURN n.id AS id, properties(n) AS props"
# How many articles give each value of each property of an entity, and all its surface forms:
# counted in the database, so a country every article mentions costs no transfer.
_VIEWS_OF = """
CYPHER replan=skip
UNWIND $ids AS id
MATCH (n:<L> {id: id})
CALL (n) {
    MATCH (:Article)-[m:MENTIONS]->(n)
    UNWIND ["name", "kind", "country", "role", "gazetteer_id", "precision", "coordinates"] AS key
    WITH key, CASE key
        WHEN "coordinates" THEN
            CASE WHEN m.latitude IS NULL OR m.longitude IS NULL THEN null
                 ELSE [m.latitude, m.longitude] END
        ELSE m[key] END AS value
    WHERE value IS NOT NULL
    RETURN collect([key, value]) AS pairs
}
CALL (n) {
    MATCH (:Article)-[m:MENTIONS]->(n)
    UNWIND coalesce(m.aliases, []) AS alias
    RETURN collect(DISTINCT alias) AS aliases
}
UNWIND pairs AS pair
WITH n, aliases, pair[0] AS key, pair[1] AS value, count(*) AS number
RETURN n.id AS id, aliases, collect([key, value, number]) AS counts
"""
_ORPHANS_MENTIONS = (
    "CYPHER replan=skip UNWIND $ids AS id MATCH (n:<L> {id: id}) "
    "WHERE NOT EXISTS { (:Article)-[:MENTIONS]->(n) } DETACH DELETE n"
)
_ORPHANS_REPORTS = (
    "CYPHER replan=skip UNWIND $ids AS id MATCH (n:<L> {id: id}) "
    "WHERE NOT EXISTS { (:Article)-[:REPORTS]->(n) } DETACH DELETE n"
)

# Appends one article's provenance entries, then re-sorts the aligned lists by article and offset
# so the result does not depend on load order.
_RELATE = """
CYPHER replan=skip
UNWIND $rows AS row
MATCH (s:<S> {id: row.source})
MATCH (t:<T> {id: row.target})
MERGE (s)-[r:<R> {key: row.key}]->(t)
SET r += row.props
WITH r, row,
     coalesce(r.articles, []) + row.articles AS articles,
     coalesce(r.evidence, []) + row.evidence AS evidence,
     coalesce(r.evidence_start, []) + row.starts AS starts,
     coalesce(r.evidence_end, []) + row.ends AS ends,
     coalesce(r.confidences, []) + row.confidences AS confidences
CALL (articles, starts, ends) {
    UNWIND range(0, size(articles) - 1) AS i
    WITH i, articles[i] AS article, starts[i] AS first, ends[i] AS last
    ORDER BY article, first, last, i
    RETURN collect(i) AS order
}
SET r.articles = [i IN order | articles[i]],
    r.evidence = [i IN order | evidence[i]],
    r.evidence_start = [i IN order | starts[i]],
    r.evidence_end = [i IN order | ends[i]],
    r.confidences = [i IN order | confidences[i]],
    r.confidence = reduce(m = 0.0, c IN confidences | CASE WHEN c > m THEN c ELSE m END)
RETURN count(*) AS related
"""

# Removes one article's entries from every relationship at the given nodes; deletes the
# relationships left with none. The place hierarchy has its own rule (_UNSUPPORTED_HIERARCHY);
# LOCATED_IN of graphs loaded before it was, which still carry lists, are left standing.
_STRIP = """
CYPHER replan=skip
UNWIND $ids AS id
MATCH (n:<L> {id: id})-[r]-()
WHERE $article IN r.articles AND type(r) <> "LOCATED_IN"
WITH DISTINCT r
WITH r, [i IN range(0, size(r.articles) - 1) WHERE r.articles[i] <> $article] AS keep
CALL (r, keep) {
    WITH r, keep WHERE size(keep) = 0
    DELETE r
}
CALL (r, keep) {
    WITH r, keep WHERE size(keep) > 0
    WITH r, [i IN keep | r.confidences[i]] AS confidences,
         [i IN keep | r.articles[i]] AS articles, [i IN keep | r.evidence[i]] AS evidence,
         [i IN keep | r.evidence_start[i]] AS starts, [i IN keep | r.evidence_end[i]] AS ends
    SET r.articles = articles, r.evidence = evidence, r.evidence_start = starts,
        r.evidence_end = ends, r.confidences = confidences,
        r.confidence = reduce(m = 0.0, c IN confidences | CASE WHEN c > m THEN c ELSE m END)
}
RETURN count(*) AS stripped
"""

# The place hierarchy is not a list of claims but every article's view of its places, like
# their names: a place's MENTIONS carry the parents the article gives it (`parents`), and
# LOCATED_IN stands while some article gives it. It carries no provenance lists: one entry per
# article on a country's LOCATED_IN made every load of it cost in proportion to the articles
# already loaded (180 ms a write at 100,000 of them). `created` tells a new one. The lists a
# LOCATED_IN of a graph loaded before this rule still has go when an article gives it again.
_HIERARCHY = """
CYPHER replan=skip
UNWIND $rows AS row
MATCH (s:Place {id: row.place})
MATCH (t:Place {id: row.parent})
OPTIONAL MATCH (s)-[old:LOCATED_IN {key: ""}]->(t)
WITH s, t, old
MERGE (s)-[r:LOCATED_IN {key: ""}]->(t)
SET r.confidence = 1.0, r.articles = null, r.evidence = null, r.evidence_start = null,
    r.evidence_end = null, r.confidences = null
RETURN s.id AS place, old IS NULL AS created
"""
# After an article is taken out: the hierarchy of its places that no article gives any more.
_UNSUPPORTED_HIERARCHY = """
CYPHER replan=skip
UNWIND $ids AS id
MATCH (p:Place {id: id})-[r:LOCATED_IN]->(q:Place)
WHERE r.articles IS NULL AND NOT EXISTS { (:Article)-[m:MENTIONS]->(p) WHERE q.id IN m.parents }
DELETE r
RETURN p.id AS place
"""

# Fixed queries (no assembly).
_LOCK = "MERGE (lock:Event {id: $lock})"
_UNLOCK = "MATCH (lock:Event {id: $lock}) DELETE lock"
_LEDGER = (
    "UNWIND $ids AS id MATCH (a:Article {id: id}) "
    "RETURN a.id AS id, a.content_hash AS content_hash, a.extractor_version AS extractor_version"
)
_CONTRIBUTION = (
    "MATCH (:Article {id: $article})-[:MENTIONS|REPORTS]->(n) RETURN labels(n) AS labels, n.id AS id"
)
_ARTICLE_REPORTS = (
    "MATCH (:Article {id: $article})-[r:REPORTS]->(e:Event) RETURN e.id AS event, properties(r) AS props"
)
_DELETE_LOCAL = (
    "MATCH (q:Quote {article: $article}) DETACH DELETE q",
    "MATCH (f:Figure {article: $article}) DETACH DELETE f",
)
_DELETE_ARTICLE = "MATCH (a:Article {id: $article}) DETACH DELETE a"
_READ_EXTRACTION = "MATCH (a:Article {id: $article}) RETURN a.extraction AS extraction, a.text AS text"
_ANCESTORS = (
    "UNWIND $ids AS id MATCH (p:Place {id: id}) "
    "OPTIONAL MATCH (p)-[:LOCATED_IN*1..]->(a:Place) RETURN p.id AS id, collect(DISTINCT a.id) AS ancestors"
)
_EVENT_REPORTS = (
    "UNWIND $ids AS id MATCH (a:Article)-[r:REPORTS]->(e:Event {id: id}) "
    "RETURN a.id AS article, e.id AS event, properties(r) AS props"
)
_EVENTS_UNDER = (
    "UNWIND $ids AS id MATCH (:Place {id: id})<-[:LOCATED_IN*0..]-(:Place)<-[:OCCURRED_IN]-(e:Event) "
    "MATCH (a:Article)-[r:REPORTS]->(e) RETURN DISTINCT a.id AS article, e.id AS event, properties(r) AS props"
)
# Reports of a compatible type whose date window may overlap a probe's. Windows are at most
# `$short` days long except for year-precise reports, so the (event_type, window_start) index is
# searched over a bounded range; year-long windows through the (date_precision, window_start)
# one, also over a bounded range: unbounded, every probe read every year-precise report of the
# past, and loading slowed as the graph grew.
_CANDIDATES = """
UNWIND $probes AS probe
CALL (probe) {
    MATCH (a:Article)-[r:REPORTS]->(e:Event)
    WHERE r.event_type IN probe.types
      AND r.window_start >= probe.start - duration({days: $short}) AND r.window_start <= probe.end
    RETURN a, r, e
    UNION
    MATCH (a:Article)-[r:REPORTS]->(e:Event)
    WHERE r.date_precision = "year"
      AND r.window_start >= probe.start - duration({days: $year}) AND r.window_start <= probe.end
      AND r.event_type IN probe.types
    RETURN a, r, e
}
WITH probe, a, r, e
WHERE r.window_end >= probe.start
RETURN DISTINCT a.id AS article, e.id AS event, properties(r) AS props
"""
# Reports without any date, and the reports an undated one may match, are found by place
# (`probe.places`: the report's place, the places enclosing it and those inside it): a dated
# probe reads only the undated reports there (`undated_place`, set on those alone), an undated
# probe every report there. Both through indexes on REPORTS.
_CANDIDATES_AT = """
UNWIND $probes AS probe
UNWIND probe.places AS place
MATCH (a:Article)-[r:REPORTS]->(e:Event)
WHERE r.place = place AND r.event_type IN probe.types
RETURN DISTINCT a.id AS article, e.id AS event, properties(r) AS props
"""
_UNDATED_AT = """
UNWIND $probes AS probe
UNWIND probe.places AS place
MATCH (a:Article)-[r:REPORTS]->(e:Event)
WHERE r.undated_place = place AND r.event_type IN probe.types
RETURN DISTINCT a.id AS article, e.id AS event, properties(r) AS props
"""
# Reports an analyst joined to one being settled ("same:" pins, kg.review), whatever their
# type, date or place: found through the index on the `pinned` flag only pinned reports carry.
_PINNED = """
UNWIND $pins AS pin
MATCH (a:Article)-[r:REPORTS]->(e:Event)
WHERE r.pinned = true AND pin IN r.pins
RETURN DISTINCT a.id AS article, e.id AS event, properties(r) AS props
"""
_DESCENDANTS = (
    "UNWIND $ids AS id MATCH (p:Place {id: id}) "
    "OPTIONAL MATCH (p)<-[:LOCATED_IN*1..]-(q:Place) RETURN p.id AS id, collect(DISTINCT q.id) AS inside"
)
# The coreference decision of each report that shares its Event: its best match among the
# Event's other reports (`matched_with`, a report key), the score and the reasons.
_EXPLAIN = """
CYPHER replan=skip
UNWIND $rows AS row
MATCH (:Article {id: row.article})-[r:REPORTS]->(:Event)
WHERE r.report_key = row.key
SET r.match_score = row.score, r.match_reasons = row.reasons, r.matched_with = row.other
"""
_SHOW_CONSTRAINTS = "SHOW CONSTRAINTS YIELD type, entityType, labelsOrTypes, properties"


# =============================================================================================
# Results


@dataclass
class Counts:
    """What the database reports it changed (summed result-summary counters)."""

    nodes_created: int = 0
    nodes_deleted: int = 0
    relationships_created: int = 0
    relationships_deleted: int = 0
    properties_set: int = 0

    def add(self, counters: Any) -> None:
        self.nodes_created += counters.nodes_created
        self.nodes_deleted += counters.nodes_deleted
        self.relationships_created += counters.relationships_created
        self.relationships_deleted += counters.relationships_deleted
        self.properties_set += counters.properties_set

    def __iadd__(self, other: Counts) -> Counts:
        for name in vars(self):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        return self


@dataclass
class LoadResult:
    """One or more load (or remove) transactions: which articles did what, and the counts."""

    new: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # asked to remove, not in the graph
    reloaded: list[str] = field(default_factory=list)  # re-derived because an Event was re-keyed
    counts: Counts = field(default_factory=Counts)
    dropped: Counter[str] = field(default_factory=Counter)  # reason → facts not loaded
    failed: dict[str, str] = field(default_factory=dict)  # article id → why Neo4j refused it

    def __iadd__(self, other: LoadResult) -> LoadResult:
        for name in ("new", "updated", "unchanged", "removed", "missing", "reloaded"):
            getattr(self, name).extend(getattr(other, name))
        self.counts += other.counts
        self.dropped.update(other.dropped)
        self.failed.update(other.failed)
        return self


class LedgerEntry(NamedTuple):
    content_hash: str | None
    extractor_version: str | None


# =============================================================================================
# Schema


def schema_statements() -> list[str]:
    """The statements of cypher/schema.cypher, comments removed."""
    text = resources.files("kg").joinpath("resources/cypher/schema.cypher").read_text("utf-8")
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("//")]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]


_FULLTEXT = re.compile(r"CREATE FULLTEXT INDEX (\w+) IF NOT EXISTS\s+FOR \(n:([\w|]+)\)\s+"
                       r"ON EACH \[([^\]]*)\]")
_SHOW_FULLTEXT = "SHOW FULLTEXT INDEXES YIELD name, labelsOrTypes, properties"


def _stale_fulltext_indexes(tx: neo4j.ManagedTransaction, statements: list[str]) -> list[str]:
    """Full-text indexes whose labels or properties differ from schema.cypher's.

    `IF NOT EXISTS` would keep them as they are, so a label added to the schema (e.g. `Actor`
    to `entity_names`) would never become searchable in a database made before it.
    """
    wanted = {}
    for statement in statements:
        match = _FULLTEXT.match(statement)
        if match:
            props = [p.strip().removeprefix("n.") for p in match.group(3).split(",")]
            wanted[match.group(1)] = (sorted(match.group(2).split("|")), sorted(props))
    found = {record["name"]: (sorted(record["labelsOrTypes"]), sorted(record["properties"]))
             for record in tx.run(_SHOW_FULLTEXT)}
    # Names from schema.cypher, never from the server: they go into query text.
    return [name for name, definition in wanted.items()
            if name in found and found[name] != definition]


def apply_schema(driver: neo4j.Driver, *, database: str | None = None) -> int:
    """Create every constraint and index (idempotent); returns the number of statements.

    A full-text index defined differently from schema.cypher is dropped first and rebuilt.
    """
    statements = schema_statements()
    with quiet_session(driver, database) as session:
        for name in session.execute_read(_stale_fulltext_indexes, statements):
            # `name` is one of schema.cypher's own index names (\w+), never data.
            session.execute_write(_run_statement, f"DROP INDEX {name} IF EXISTS")
        # One statement per transaction: Neo4j does not mix schema commands in one.
        for statement in statements:
            try:
                session.execute_write(_run_statement, statement)
            except neo4j.exceptions.ClientError as exc:
                # Another ingest created it between our IF NOT EXISTS and our commit.
                if "AlreadyExists" not in (exc.code or ""):
                    raise
        session.execute_read(lambda tx: tx.run("CALL db.awaitIndexes(300)").consume())
    return len(statements)


def _run_statement(tx: neo4j.ManagedTransaction, statement: str) -> None:
    tx.run(statement).consume()


def missing_constraints(driver: neo4j.Driver, *, database: str | None = None) -> list[Label]:
    """Labels lacking the uniqueness constraint on `id` the loader relies on."""

    def work(tx: neo4j.ManagedTransaction) -> set[str]:
        unique = set()
        for record in tx.run(_SHOW_CONSTRAINTS):
            if (record["entityType"] == "NODE" and record["properties"] == ["id"]
                    and record["type"] in ("UNIQUENESS", "NODE_PROPERTY_UNIQUENESS", "NODE_KEY")):
                unique.update(record["labelsOrTypes"])
        return unique

    with quiet_session(driver, database) as session:
        present = session.execute_read(work)
    return [label for label in Label if label.value not in present]


def check_schema(driver: neo4j.Driver, *, database: str | None = None) -> None:
    """Raise `SchemaError` unless every label has its uniqueness constraint on `id`."""
    missing = missing_constraints(driver, database=database)
    if missing:
        names = ", ".join(label.value for label in missing)
        raise SchemaError(
            f"the database lacks the uniqueness constraint on id for {names}; "
            "run `kg schema apply` (loading without it would duplicate nodes)"
        )


# =============================================================================================
# Public API


def ledger(driver: neo4j.Driver, ids: Iterable[str], *, database: str | None = None
           ) -> dict[str, LedgerEntry]:
    """Article id → (content_hash, extractor_version) for the ids already loaded."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    with quiet_session(driver, database) as session:
        return session.execute_read(lambda tx: _read_ledger(tx, wanted))


def _read_ledger(tx: neo4j.ManagedTransaction, ids: list[str]) -> dict[str, LedgerEntry]:
    return {r["id"]: LedgerEntry(r["content_hash"], r["extractor_version"])
            for r in tx.run(_LEDGER, ids=ids)}


def load(driver: neo4j.Driver, graphs: Iterable[ArticleGraph], *, force: bool = False,
         batch_size: int = DEFAULT_BATCH_SIZE, database: str | None = None) -> LoadResult:
    """Load article graphs, `batch_size` articles per transaction. See `load_batch`."""
    result = LoadResult()
    for batch in _batched(graphs, batch_size):
        result += load_batch(driver, batch, force=force, database=database)
    return result


def load_batch(driver: neo4j.Driver, graphs: Sequence[ArticleGraph], *, force: bool = False,
               database: str | None = None, now: dt.datetime | None = None) -> LoadResult:
    """Load a batch of article graphs in one transaction, or in parts when the server refuses it.

    An article whose ledger (content hash, extractor version) matches is left alone unless
    `force`; a changed one first loses its previous contribution. Graphs should already have
    gone through the alias file (`kg.resolve.Aliases.apply`); events are clustered here.
    A batch too large for the server's transaction memory is loaded in halves; one refused for
    an article's data is bisected until that article fails alone (in `failed`, with the reason);
    a commit whose outcome is unknown is run again (see `kg.neo4j.batches`). A lost connection
    raises the driver's error; other refusals that are not about an article, `LoadError`.
    """
    if not graphs:
        return LoadResult()
    check_schema(driver, database=database)
    stamp = now or dt.datetime.now(dt.UTC)

    def write(tx: neo4j.ManagedTransaction, part: Sequence[ArticleGraph]) -> LoadResult:
        return _Writer(tx, stamp).load(part, force)

    with quiet_session(driver, database) as session:
        return write_in_parts(session, graphs, write, LoadResult, force=force)


def remove_articles(driver: neo4j.Driver, ids: Iterable[str], *, database: str | None = None
                    ) -> LoadResult:
    """Remove articles and everything only they support (`kg remove`), in one transaction."""
    wanted = sorted(set(ids))
    if not wanted:
        return LoadResult()
    check_schema(driver, database=database)
    stamp = dt.datetime.now(dt.UTC)
    with quiet_session(driver, database) as session:
        return session.execute_write(lambda tx: _Writer(tx, stamp).remove(wanted))


def quiet_session(driver: neo4j.Driver, database: str | None = None) -> neo4j.Session:
    """A session without the server's notes ("property key does not exist" on an empty graph,
    a relationship type no article has produced yet): not news to an analyst."""
    return driver.session(database=database, notifications_min_severity="OFF")


def _batched(items: Iterable[ArticleGraph], size: int) -> Iterator[list[ArticleGraph]]:
    iterator = iter(items)
    while batch := list(islice(iterator, max(1, size))):
        yield batch


# =============================================================================================
# From an article graph to rows


@dataclass
class _Fact:
    type: RelType
    source: str
    target: str
    key_props: dict[str, Any]  # the fact's own properties: part of its identity
    extra: dict[str, Any]  # the article's view (MENTIONS / REPORTS): not part of identity
    evidence: list[tuple[str, int, int, float]]


@dataclass
class _Extracted:
    """One article graph as nodes and facts, validated against the closed schema."""

    graph: ArticleGraph
    labels: dict[str, Label]  # node id (events: article-local) → label
    facts: list[_Fact]
    dropped: Counter[str]
    hierarchy: set[tuple[str, str]]  # (place, parent): LOCATED_IN, kept as the place's view

    @property
    def article_id(self) -> str:
        return self.graph.article.id


def _evidence(ev: Evidence, confidence: float) -> tuple[str, int, int, float]:
    return ev.text, ev.start, ev.end, confidence


def _mention_snapshot(entity: Entity) -> dict[str, Any]:
    return {
        "name": entity.name,
        "aliases": list(entity.aliases),
        "kind": entity.kind,
        "country": entity.country,
        "role": entity.role,
        "latitude": entity.latitude,
        "longitude": entity.longitude,
        "gazetteer_id": entity.gazetteer_id,
        "precision": entity.precision.value if entity.precision else None,
    }


def _localise(graph: ArticleGraph) -> ArticleGraph:
    """Quote and figure ids that name their article, so two articles never share one."""
    aid = graph.article.id
    ids = {q.id: f"quote:{aid}:{q.id}" for q in graph.quotes if aid not in q.id}
    ids.update({f.id: f"figure:{aid}:{f.id}" for f in graph.figures if aid not in f.id})
    if not ids:
        return graph
    return graph.model_copy(update={
        "quotes": [q.model_copy(update={"id": ids.get(q.id, q.id)}) for q in graph.quotes],
        "figures": [f.model_copy(update={"id": ids.get(f.id, f.id)}) for f in graph.figures],
        "relations": [r.model_copy(update={"source": ids.get(r.source, r.source),
                                           "target": ids.get(r.target, r.target)})
                      for r in graph.relations],
    })


def _extract(graph: ArticleGraph) -> _Extracted:
    """Nodes and facts of one article (cypher/README.md, *Relationships*)."""
    graph = _localise(graph)
    article = graph.article
    labels: dict[str, Label] = {article.id: Label.ARTICLE}
    labels.update({e.id: e.type.label for e in graph.entities})
    labels.update({e.id: Label.EVENT for e in graph.events})
    labels.update({q.id: Label.QUOTE for q in graph.quotes})
    labels.update({f.id: Label.FIGURE for f in graph.figures})
    facts: list[_Fact] = []
    dropped: Counter[str] = Counter()
    hierarchy: set[tuple[str, str]] = set()

    def add(rel: RelType, source: str | None, target: str | None,
            evidence: list[tuple[str, int, int, float]], key_props: dict[str, Any] | None = None,
            extra: dict[str, Any] | None = None) -> None:
        if source is None or target is None:
            return
        if source not in labels or target not in labels:
            unknown = source if source not in labels else target
            dropped[f"{rel.value}: unknown id {unknown}"] += 1
            return
        sources, targets = RELATIONS[rel]
        if labels[source] not in sources or labels[target] not in targets:
            dropped[f"{rel.value}: {labels[source].value} -> {labels[target].value} not allowed"] += 1
            return
        if source == target:
            dropped[f"{rel.value}: self-loop"] += 1
            return
        if rel is RelType.LOCATED_IN:
            hierarchy.add((source, target))
            return
        facts.append(_Fact(rel, source, target, key_props or {}, extra or {},
                           evidence or [(*_NO_EVIDENCE, _STRUCTURAL)]))

    for entity in graph.entities:
        mentions = [(m.text, m.start, m.end, _STRUCTURAL) for m in entity.mentions]
        add(RelType.MENTIONS, article.id, entity.id, mentions, extra=_mention_snapshot(entity))
        if entity.parent:
            add(RelType.LOCATED_IN, entity.id, entity.parent, [(*_NO_EVIDENCE, _STRUCTURAL)])
        if entity.affiliation:
            first = mentions[:1] or [(*_NO_EVIDENCE, _DERIVED)]
            add(RelType.HOLDS_ROLE, entity.id, entity.affiliation,
                [(t, s, e, _DERIVED) for t, s, e, _ in first],
                key_props={"role": entity.role} if entity.role else None)

    reports = {r.event: r for r in reports_of(graph)}
    for event in graph.events:
        evidence = [_evidence(ev, _DERIVED) for ev in event.evidence]
        add(RelType.REPORTS, article.id, event.id, [_evidence(ev, _STRUCTURAL) for ev in event.evidence],
            extra=reports[event.id].properties())
        for p in event.participants:
            if p.role is ParticipantRole.PERPETRATOR:
                add(RelType.PERPETRATED, p.entity, event.id, evidence)
            elif p.role is ParticipantRole.TARGET:
                add(RelType.TARGETED, event.id, p.entity, evidence)
            elif p.role is ParticipantRole.RESPONDER:
                add(RelType.RESPONDED_TO, p.entity, event.id, evidence)
            else:
                dropped[f"participant role {p.role.value}: no relationship type"] += 1
        add(RelType.OCCURRED_IN, event.id, event.place, evidence)
        add(RelType.PART_OF, event.id, event.part_of, evidence)

    for quote in graph.quotes:
        evidence = [_evidence(quote.evidence, _DERIVED)]
        add(RelType.QUOTED_IN, quote.id, article.id, [_evidence(quote.evidence, _STRUCTURAL)])
        add(RelType.SAID, quote.speaker, quote.id, evidence)
        add(RelType.REPORTED_BY, quote.id, quote.reported_by, evidence)
        add(RelType.ABOUT, quote.id, quote.event, evidence)

    for figure in graph.figures:
        add(RelType.HAS_FIGURE, figure.event, figure.id, [_evidence(figure.evidence, _STRUCTURAL)])
        add(RelType.ACCORDING_TO, figure.id, figure.according_to or article.id,
            [_evidence(figure.evidence, _DERIVED)])

    for rel in graph.relations:
        props = {k: v for k, v in rel.properties.items() if v is not None}
        add(rel.type, rel.source, rel.target, [_evidence(rel.evidence, rel.confidence)], key_props=props)

    # The article's view of each place includes the parents it gives it (cypher/README.md).
    parents: dict[str, list[str]] = defaultdict(list)
    for place, parent in sorted(hierarchy):
        parents[place].append(parent)
    for fact in facts:
        if fact.type is RelType.MENTIONS and labels[fact.target] is Label.PLACE:
            fact.extra["parents"] = parents.get(fact.target, [])
    return _Extracted(graph, labels, facts, dropped, hierarchy)


def _explanation(report: EventReport, best: tuple[str, Match] | None) -> dict[str, Any]:
    """An `_EXPLAIN` row: no score for a report alone in its Event."""
    other, match = best if best is not None else (None, None)
    return {"article": report.article, "key": report.key, "other": other,
            "score": match.score if match else None,
            "reasons": list(match.reasons) if match else None}


def _article_props(graph: ArticleGraph, now: dt.datetime) -> dict[str, Any]:
    article = graph.article
    return {
        "title": article.title,
        "summary": article.summary,
        "url": article.url,
        "source": article.source,
        "published": article.published,
        "language": article.language,
        "text": article.text,
        "origin": article.origin,
        "content_hash": article.content_hash,
        "extractor_version": graph.extractor_version,
        "ingested_at": now,
        # The loaded graph, so an article's contribution can be re-derived when an Event
        # cluster it belongs to is re-keyed (the text is already a property of its own).
        # Compressed: as JSON it was half of all the bytes a load sent and stored.
        "extraction": zlib.compress(graph.model_dump_json(exclude={"article": {"text"}}).encode()),
    }


def stored_graph(extraction: bytes | str, text: str) -> ArticleGraph:
    """The graph an article was loaded with, from its `extraction` and `text` properties.

    Articles loaded before the graph was compressed hold its JSON text.
    """
    if not isinstance(extraction, str):
        extraction = zlib.decompress(extraction).decode()
    data = json.loads(extraction)
    data["article"]["text"] = text
    return ArticleGraph.model_validate(data)


def _rel_rows(facts: Iterable[tuple[str, _Fact]], ids: Mapping[str, str],
              labels: Mapping[str, Label]) -> dict[tuple[RelType, Label, Label], list[dict[str, Any]]]:
    """(article id, fact) pairs as relate-template rows, one row per relationship.

    One UNWIND must not touch a relationship twice (each clause reads before the next writes),
    so facts of several articles about one relationship become one row. `ids` maps local
    event ids to canonical ones; `labels` gives every node id's label.
    """
    merged: dict[tuple[RelType, str, str, str], dict[str, Any]] = {}
    groups: dict[tuple[RelType, Label, Label], list[dict[str, Any]]] = defaultdict(list)
    for article_id, fact in facts:
        source, target = ids.get(fact.source, fact.source), ids.get(fact.target, fact.target)
        key = json.dumps(fact.key_props, sort_keys=True) if fact.key_props else ""
        identity = (fact.type, source, target, key)
        row = merged.get(identity)
        if row is None:
            row = {"source": source, "target": target, "key": key,
                   "props": {**fact.extra, **fact.key_props}, "entries": {}}
            merged[identity] = row
            groups[(fact.type, labels[fact.source], labels[fact.target])].append(row)
        entries = row["entries"]
        for text, start, end, confidence in fact.evidence:
            entry = (article_id, start, end, text)
            entries[entry] = max(confidence, entries.get(entry, 0.0))
    for rows in groups.values():
        for row in rows:
            entries = sorted(row.pop("entries").items())
            row["articles"] = [article for (article, _, _, _), _ in entries]
            row["evidence"] = [text for (_, _, _, text), _ in entries]
            row["starts"] = [start for (_, start, _, _), _ in entries]
            row["ends"] = [end for (_, _, end, _), _ in entries]
            row["confidences"] = [confidence for _, confidence in entries]
        rows.sort(key=lambda r: (r["source"], r["target"], r["key"]))
    return groups


# =============================================================================================
# Deriving node properties from every article's view


def _mode(counts: Mapping[Any, int]) -> Any:
    """The most frequent value; ties go to the smallest, so the order of articles never matters."""
    if not counts:
        return None
    best = max(counts.values())
    return min((v for v, c in counts.items() if c == best), key=lambda v: (str(type(v)), v))


def _agrees(node: Mapping[str, Any], view: Mapping[str, Any]) -> bool:
    """Whether an article's view of an entity only repeats the node's derived properties."""
    if not node.get("name"):
        return False  # a new node: nothing derived yet
    for key in ("name", "kind", "country", "role", "gazetteer_id", "precision"):
        if view.get(key) is not None and view[key] != node.get(key):
            return False
    if view.get("latitude") is not None and view.get("longitude") is not None and (
            (view["latitude"], view["longitude"]) != (node.get("latitude"), node.get("longitude"))):
        return False
    return set(view.get("aliases") or ()) <= {*(node.get("aliases") or ()), node["name"]}


def _entity_properties(node_id: str, counts: Iterable[Sequence[Any]],
                       aliases: Iterable[str]) -> dict[str, Any]:
    """An entity node's properties from how often the articles' MENTIONS give each value.

    `counts` holds (property, value, number of articles) triples (see `_VIEWS_OF`).
    """
    tally: dict[str, Counter[Any]] = defaultdict(Counter)
    for key, value, number in counts:
        tally[key][tuple(value) if isinstance(value, list) else value] += number
    names = tally["name"]
    # A name that is what the id was made from beats one merged in by the alias file ("BLA").
    tail = node_id.rsplit(":", 1)[-1]
    keyed = {n: c for n, c in names.items() if slug(n) == tail}
    name = _mode(keyed or names)
    coordinates = _mode(tally["coordinates"])
    props = {key: _mode(tally[key]) for key in ("kind", "country", "role", "gazetteer_id", "precision")}
    props.update(
        name=name,
        aliases=sorted((set(aliases) | set(names)) - {name}),
        latitude=coordinates[0] if coordinates else None,
        longitude=coordinates[1] if coordinates else None,
    )
    return props


# =============================================================================================
# The transaction


class _Writer:
    """Everything one load or remove transaction does, in order (see `load` / `remove`)."""

    def __init__(self, tx: neo4j.ManagedTransaction, now: dt.datetime) -> None:
        self.tx = tx
        self.now = now
        self.result = LoadResult()
        self.entities: dict[Label, set[str]] = defaultdict(set)  # lost an article's view
        self.views: dict[tuple[Label, str], list[dict[str, Any]]] = defaultdict(list)  # gained
        self.events: set[str] = set()
        self.seed_events: set[str] = set()  # events that lost a report: re-cluster them
        self.moved_places: set[str] = set()  # places whose LOCATED_IN changed: re-cluster below
        self.explained: list[dict[str, Any]] = []  # the match of each settled report (_explain)

    def run(self, query: str, **params: Any) -> list[neo4j.Record]:
        result = self.tx.run(query, params)
        records = list(result)
        self.result.counts.add(result.consume().counters)
        return records

    # -- the two operations ----------------------------------------------------------------

    def load(self, graphs: Sequence[ArticleGraph], force: bool) -> LoadResult:
        self._lock()
        review = ReviewStep(self.tx)  # REVIEW HOOK: analysts' corrections apply under the lock
        graphs = review.correct(graphs)  # REVIEW HOOK
        unique: dict[str, ArticleGraph] = {}
        for graph in graphs:  # the same article twice in one batch: the first one counts
            unique.setdefault(graph.article.id, graph)
        current = _read_ledger(self.tx, list(unique))
        todo: list[_Extracted] = []
        for graph in unique.values():
            aid = graph.article.id
            entry = current.get(aid)
            if entry is None:
                self.result.new.append(aid)
            elif not force and entry == (graph.article.content_hash, graph.extractor_version):
                self.result.unchanged.append(aid)
                continue
            else:
                self.result.updated.append(aid)
                self._unload(aid)
            todo.append(_extract(graph))
        if todo:
            self._load_static(todo)
            for item in todo:
                self.result.dropped.update(item.dropped)
            reports = [r for item in todo for r in reports_of(item.graph)]
            mapping = self._settle(reports, {item.article_id for item in todo})
            self._load_events(todo, mapping)
            self._explain()
            self._finish()
        review.finish()  # REVIEW HOOK: what each correction did; reviewed marks
        self._unlock()
        return self.result

    def remove(self, ids: Sequence[str]) -> LoadResult:
        self._lock()
        present = _read_ledger(self.tx, list(ids))
        for aid in ids:
            if aid not in present:
                self.result.missing.append(aid)
                continue
            self._unload(aid)
            self.run(_DELETE_ARTICLE, article=aid)
            self.result.removed.append(aid)
        if self.result.removed:
            self._settle([], set(self.result.removed))
            self._explain()
            self._finish()
        ReviewStep(self.tx).finish()  # REVIEW HOOK: corrections of removed articles wait
        self._unlock()
        return self.result

    # -- steps -----------------------------------------------------------------------------

    def _lock(self) -> None:
        self.tx.run(_LOCK, lock=LOCK_ID).consume()  # not counted: it leaves no trace

    def _unlock(self) -> None:
        self.tx.run(_UNLOCK, lock=LOCK_ID).consume()

    def _unload(self, article_id: str) -> None:
        """Take one article's contribution out (the article node stays)."""
        touched: dict[Label, list[str]] = defaultdict(list)
        for record in self.run(_CONTRIBUTION, article=article_id):
            label = Label(record["labels"][0])
            touched[label].append(record["id"])
            if label is Label.EVENT:
                self.events.add(record["id"])
                self.seed_events.add(record["id"])
            else:
                self.entities[label].add(record["id"])
        for query in _DELETE_LOCAL:
            self.run(query, article=article_id)
        strip = _templates().strip
        for label, ids in touched.items():
            self.run(strip[label], ids=sorted(ids), article=article_id)
        if touched.get(Label.PLACE):
            for record in self.run(_UNSUPPORTED_HIERARCHY, ids=sorted(touched[Label.PLACE])):
                self.moved_places.add(record["place"])

    def _load_static(self, items: Sequence[_Extracted], *, write_article: bool = True) -> None:
        """Nodes and facts not involving events: they must be in before events are clustered."""
        templates = _templates()
        by_label: dict[Label, dict[str, dict[str, Any]]] = defaultdict(dict)
        for item in items:
            graph = item.graph
            if write_article:
                by_label[Label.ARTICLE][item.article_id] = _article_props(graph, self.now)
            for entity in graph.entities:
                by_label[entity.type.label][entity.id] = {}
                self.views[(entity.type.label, entity.id)].append(_mention_snapshot(entity))
            for quote in graph.quotes:
                by_label[Label.QUOTE][quote.id] = {
                    "article": item.article_id, "text": quote.text,
                    "speaker_description": quote.speaker_description,
                    "partial": quote.partial,
                    "start": quote.start, "end": quote.end}
            for figure in graph.figures:
                by_label[Label.FIGURE][figure.id] = {
                    "article": item.article_id, "kind": figure.kind.value, "min": figure.min,
                    "max": figure.max, "approximate": figure.approximate, "scope": figure.scope,
                    "qualifier": figure.qualifier, "text": figure.text, "who": figure.who,
                    "according_to_description": figure.according_to_description}
        for label in Label:  # the enum's order: articles first
            if by_label.get(label):
                rows = [{"id": i, "props": props} for i, props in sorted(by_label[label].items())]
                self.run(templates.merge_node[label], rows=rows)
        self._relate(items, {}, events=False)
        pairs = sorted({pair for item in items for pair in item.hierarchy})
        if pairs:
            rows = [{"place": place, "parent": parent} for place, parent in pairs]
            for record in self.run(_HIERARCHY, rows=rows):
                if record["created"]:
                    self.moved_places.add(record["place"])

    def _load_events(self, items: Sequence[_Extracted], mapping: Mapping[str, str]) -> None:
        """Canonical events and every fact touching them; `mapping` is report key → event id."""
        ids = {e.id: mapping[report_key(item.article_id, e.id)]
               for item in items for e in item.graph.events}
        if ids:
            self.run(_templates().merge_node[Label.EVENT],
                     rows=[{"id": i, "props": {}} for i in sorted(set(ids.values()))])
            self.events.update(ids.values())
        self._relate(items, ids, events=True)

    def _relate(self, items: Sequence[_Extracted], ids: Mapping[str, str], *, events: bool) -> None:
        relate = _templates().relate
        labels = {node: label for item in items for node, label in item.labels.items()}
        facts = [(item.article_id, fact) for item in items for fact in item.facts
                 if (Label.EVENT in (item.labels[fact.source], item.labels[fact.target])) == events]
        for group, rows in sorted(_rel_rows(facts, ids, labels).items()):
            self.run(relate[group], rows=rows)

    def _settle(self, new: Sequence[EventReport], loading: set[str]) -> dict[str, str]:
        """Re-cluster the reports affected by this transaction; returns report key → event id.

        The component holds the new reports, the remaining reports of events that lost one,
        and those of events under a place whose hierarchy changed; it grows by every report
        that matches a member (and the other reports of that report's event) until closed.
        Articles with a report whose Event id changes are re-derived from their stored graph.
        """
        component: dict[str, EventReport] = {r.key: r for r in new}
        current: dict[str, str] = {}  # report key → event id, for reports already in the graph
        events_seen: set[str] = set()
        ancestors: dict[str, frozenset[str]] = {}
        descendants: dict[str, frozenset[str]] = {}

        def take(records: Iterable[neo4j.Record]) -> list[EventReport]:
            added = []
            for record in records:
                report = EventReport.from_properties(record["article"], record["props"])
                if report.article in loading or report.key in component:
                    continue
                component[report.key] = report
                current[report.key] = record["event"]
                added.append(report)
            return added

        def whole_events(reports: list[EventReport]) -> list[EventReport]:
            fresh = sorted({current[r.key] for r in reports} - events_seen)
            events_seen.update(fresh)
            return take(self.run(_EVENT_REPORTS, ids=fresh)) if fresh else []

        frontier = list(new)
        seeds = take(self.run(_EVENT_REPORTS, ids=sorted(self.seed_events)))
        if self.moved_places:
            seeds += take(self.run(_EVENTS_UNDER, ids=sorted(self.moved_places)))
        while seeds:
            frontier += seeds
            seeds = whole_events(seeds)
        while frontier:
            probes = [{"start": r.window[0] - _SLACK, "end": r.window[1] + _SLACK,
                       "types": compatible_types(r.type)} for r in frontier if r.window]
            found = take(self.run(_CANDIDATES, probes=probes, short=SHORT_WINDOW_DAYS,
                                  year=YEAR_WINDOW_DAYS)) if probes else []
            self._ancestors(ancestors, frontier)
            self._descendants(descendants, frontier)
            for query, undated in ((_CANDIDATES_AT, True), (_UNDATED_AT, False)):
                at = [{"places": sorted({r.place, *ancestors.get(r.place, ()), *descendants.get(r.place, ())}),
                       "types": compatible_types(r.type)}
                      for r in frontier if r.place and (r.window is None) == undated]
                if at:
                    found += take(self.run(query, probes=at))
            pins = sorted({p for r in frontier for p in r.pins if p.startswith("same:")})  # REVIEW HOOK
            if pins:
                found += take(self.run(_PINNED, pins=pins))  # REVIEW HOOK
            self._ancestors(ancestors, [*frontier, *found])
            matched = [c for c in found if any(reports_match(c, f, ancestors) for f in frontier)]
            unmatched = {c.key for c in found} - {c.key for c in matched}
            for key in unmatched:  # may match a later frontier: look again then
                del component[key]
                del current[key]
            frontier = matched
            more = whole_events(matched)
            while more:
                frontier += more
                more = whole_events(more)
        self._ancestors(ancestors, list(component.values()))
        clusters, explained = settle_reports(component.values(), ancestors)
        mapping = {key: canonical_event_id(cluster) for key, cluster in clusters.items()}
        self.explained = [_explanation(component[key], explained.get(key)) for key in sorted(component)]
        moved = sorted({component[key].article for key, event in current.items() if mapping[key] != event})
        if moved:
            self._reload(moved, mapping)
        return mapping

    def _descendants(self, cache: dict[str, frozenset[str]], reports: Iterable[EventReport]) -> None:
        """The places inside each report's place, but not inside a country: too many to look at."""
        missing = sorted({r.place for r in reports
                          if r.place and r.place not in cache and r.place_kind != "country"})
        if missing:
            for record in self.run(_DESCENDANTS, ids=missing):
                cache[record["id"]] = frozenset(record["inside"])
            for place in missing:
                cache.setdefault(place, frozenset())

    def _explain(self) -> None:
        """Keep each settled report's best match (score, reasons) on its REPORTS relationship."""
        if self.explained:
            self.run(_EXPLAIN, rows=self.explained)
        self.explained = []

    def _ancestors(self, cache: dict[str, frozenset[str]], reports: Iterable[EventReport]) -> None:
        missing = sorted({r.place for r in reports if r.place and r.place not in cache})
        if missing:
            for record in self.run(_ANCESTORS, ids=missing):
                cache[record["id"]] = frozenset(record["ancestors"])
            for place in missing:
                cache.setdefault(place, frozenset())

    def _reload(self, article_ids: Sequence[str], mapping: Mapping[str, str]) -> None:
        """Re-derive articles' contributions with new event ids, from their stored graphs."""
        items, events = [], dict(mapping)
        for article_id in article_ids:
            record = self.run(_READ_EXTRACTION, article=article_id)[0]
            items.append(_extract(stored_graph(record["extraction"], record["text"])))
            for report in self.run(_ARTICLE_REPORTS, article=article_id):
                events.setdefault(report["props"]["report_key"], report["event"])
            self._unload(article_id)
        self._load_static(items, write_article=False)  # their ledger and ingested_at stay
        self._load_events(items, events)
        self.result.reloaded.extend(article_ids)

    def _finish(self) -> None:
        """Derive node properties from every article's view, then drop what nothing supports."""
        templates = _templates()
        for label in _ENTITY_LABELS:
            lost = self.entities.get(label, set())
            gained = {i for (lab, i) in self.views if lab is label} - lost
            derive = lost | self._disagreeing(label, gained)
            if derive:
                rows = [{"id": r["id"], "props": _entity_properties(r["id"], r["counts"], r["aliases"])}
                        for r in self.run(templates.views_of[label], ids=sorted(derive))]
                if rows:
                    self.run(templates.set_node[label], rows=rows)
            if lost:
                self.run(templates.orphans[label], ids=sorted(lost))
        if self.events:
            reports: dict[str, list[EventReport]] = defaultdict(list)
            for record in self.run(_EVENT_REPORTS, ids=sorted(self.events)):
                reports[record["event"]].append(EventReport.from_properties(record["article"], record["props"]))
            rows = [{"id": i, "props": representative(r).event_properties()}
                    for i, r in sorted(reports.items())]
            if rows:
                self.run(templates.set_node[Label.EVENT], rows=rows)
            self.run(templates.orphans[Label.EVENT], ids=sorted(self.events))

    def _disagreeing(self, label: Label, ids: set[str]) -> set[str]:
        """Entities whose new views could change their derived properties.

        A view that only repeats the node's current values adds a vote to each winner, so the
        winners stay: re-deriving is skipped, which keeps a country every article mentions
        from costing a scan of all its mentions in every batch.
        """
        if not ids:
            return set()
        current = {r["id"]: r["props"] for r in self.run(_templates().props_of[label], ids=sorted(ids))}
        return {i for i in ids
                if not all(_agrees(current.get(i, {}), view) for view in self.views[(label, i)])}
