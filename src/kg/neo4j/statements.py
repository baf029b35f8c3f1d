"""Every statement kg writes the graph with, and the one place query text is assembled.

The storage layout (cypher/README.md) in one module: the loader (`kg.neo4j.loader`) runs these
statements, the export (`kg.export.source`) and the benchmark fill their own with `fill` and
leave out the lock node by `LOCK_ID`. Labels and relationship types come from the `kg.schema`
enums (and `RELATIONS`), never from data; every value is a parameter.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from kg.neo4j.rows import HUB_ENTRIES, HUB_TYPES
from kg.schema import RELATIONS, EntityType, Label, RelType

# MERGEd then deleted inside every load transaction: the uniqueness constraint on Event.id makes
# a second transaction wait for the first to commit. Never a real event id ("event:…").
LOCK_ID = "kg:lock"
ENTITY_LABELS = tuple(t.label for t in EntityType)
_SLOTS = {"L": "<L>", "S": "<S>", "T": "<T>", "R": "<R>"}


def fill(template: str, **members: Label | RelType) -> str:
    """Put enum members into the `<L>`, `<S>`, `<T>`, `<R>` slots of a template."""
    for slot, member in members.items():
        if not isinstance(member, Label | RelType):  # never data: only the closed schema
            raise TypeError(f"query slot {slot} takes a Label or RelType, not {member!r}")
        template = template.replace(_SLOTS[slot], member.value)
    return template


@dataclass(frozen=True)
class Templates:
    """The loader's statements for every label or (type, source label, target label)."""

    merge_node: dict[Label, str]
    set_node: dict[Label, str]
    relate: dict[RelType, str]  # relationships that may exist: provenance lists merged
    views_of: dict[Label, str]
    props_of: dict[Label, str]
    elements_of: dict[Label, str]
    strip: dict[Label, str]
    orphans: dict[Label, str]


@cache
def templates() -> Templates:
    entity_or_event = (*ENTITY_LABELS, Label.EVENT)
    return Templates(
        merge_node={label: fill(_MERGE_PLACE if label is Label.PLACE else
                                _MERGE_ENTITY if label in ENTITY_LABELS else _MERGE_NODE, L=label)
                    for label in Label},
        set_node={label: fill(_SET_PLACE if label is Label.PLACE else _SET_NODE, L=label)
                  for label in Label},
        relate={rel: fill(_RELATE.replace("<KEEP>", _KEEP_HUB if rel in HUB_TYPES else _KEEP_ALL), R=rel)
                for rel in RELATIONS if rel is not RelType.LOCATED_IN},
        views_of={label: fill(_VIEWS_OF, L=label) for label in ENTITY_LABELS},
        props_of={label: fill(_PROPS_OF, L=label) for label in ENTITY_LABELS},
        elements_of={label: fill(_ELEMENTS_OF, L=label) for label in Label},
        strip={label: fill(_STRIP, L=label).replace("<FACTS>", _STRIPPED_TYPES)
               for label in entity_or_event},
        orphans={label: fill(_ORPHANS_REPORTS if label is Label.EVENT else _ORPHANS_MENTIONS,
                             L=label) for label in entity_or_event},
    )


# The lists a statement unwinds travel inside a map, `$batch` (`rows`, `ids`): Neo4j caches a
# plan per parameter types, and a list's type includes its size range (1, 2-10, 11-100, …), so
# a bare `$rows` was planned again for every range its batches' sizes fell in, on a cold
# server ~100 ms each time; a map is one type whatever it holds.
#
# `CYPHER replan=skip`: while a load grows the graph from nothing, Neo4j would otherwise re-plan
# these queries again and again as its statistics change (it cost 3/4 of the load time); their
# plans are index seeks on the uniqueness constraints whatever the statistics say.
# Tells which nodes it created (their relationships in this step are new: CREATE_RELATIONSHIPS)
# and returns every node's element id, which the relationship statements match on. <SET> is
# what the node gets: its properties, or for an entity those derived on the client from the
# views the transaction writes (`derived`, kg.neo4j.views.count_views) if it is created; an
# existing entity's are re-derived, if need be, once the batch is in (`_Writer._finish`).
_MERGE = """
CYPHER replan=skip
UNWIND $batch.rows AS row
OPTIONAL MATCH (old:<L> {id: row.id})
WITH row, old IS NULL AS created
MERGE (n:<L> {id: row.id})
<SET>
RETURN row.id AS id, elementId(n) AS element, created
"""


def _location(props: str) -> str:
    """Derived coordinates also make the `location` point the distance queries use."""
    return (f"n.location = CASE WHEN {props}.latitude IS NULL OR {props}.longitude IS NULL THEN "
            f"null ELSE point({{latitude: {props}.latitude, longitude: {props}.longitude}}) END")


_MERGE_NODE = _MERGE.replace("<SET>", "SET n += row.props")
_MERGE_ENTITY = _MERGE.replace("<SET>", "ON CREATE SET n += row.derived")
_MERGE_PLACE = _MERGE.replace("<SET>", "ON CREATE SET n += row.derived, " + _location("row.derived"))
_SET_NODE = "CYPHER replan=skip UNWIND $batch.rows AS row MATCH (n:<L> {id: row.id}) SET n += row.props"
_SET_PLACE = f"{_SET_NODE}, {_location('row.props')}"
_PROPS_OF = "CYPHER replan=skip UNWIND $batch.ids AS id MATCH (n:<L> {id: id}) RETURN n.id AS id, properties(n) AS props"
# The element ids of stored nodes a re-derivation relates without merging them again.
_ELEMENTS_OF = "CYPHER replan=skip UNWIND $batch.ids AS id MATCH (n:<L> {id: id}) RETURN n.id AS id, elementId(n) AS element"
# How many articles give each value of each property of an entity, and all its surface forms:
# counted in the database, so a country every article mentions costs no transfer.
_VIEWS_OF = """
CYPHER replan=skip
UNWIND $batch.ids AS id
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
    "CYPHER replan=skip UNWIND $batch.ids AS id MATCH (n:<L> {id: id}) "
    "WHERE NOT EXISTS { (:Article)-[:MENTIONS]->(n) } DETACH DELETE n"
)
_ORPHANS_REPORTS = (
    "CYPHER replan=skip UNWIND $batch.ids AS id MATCH (n:<L> {id: id}) "
    "WHERE NOT EXISTS { (:Article)-[:REPORTS]->(n) } DETACH DELETE n"
)

# Endpoints are matched by element id (returned by the node MERGEs of the same transaction),
# so relationships need no statement per type and label pair: on a cold server each distinct
# text costs its planning and more (0.2-1.4 s on a freshly started JVM, ~100 ms warm).
# A relationship with an endpoint the same step created cannot exist yet: it is created with
# its lists as the client sorted them (`kg.neo4j.rows.relationship_rows`), no merge needed,
# all types in one statement. `row.type` is a RelType value set by the loader, never data.
CREATE_RELATIONSHIPS = """
CYPHER replan=skip
UNWIND $batch.rows AS row
MATCH (s) WHERE elementId(s) = row.source
MATCH (t) WHERE elementId(t) = row.target
CREATE (s)-[r:$(row.type)]->(t)
SET r = row.props
"""
# Appends the batch's provenance entries, then re-sorts the aligned lists by article and offset
# so the result does not depend on load order.
_RELATE = """
CYPHER replan=skip
UNWIND $batch.rows AS row
MATCH (s) WHERE elementId(s) = row.source
MATCH (t) WHERE elementId(t) = row.target
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
WITH r, articles, evidence, starts, ends, confidences, <KEEP> AS order
SET r.articles = [i IN order | articles[i]],
    r.evidence = [i IN order | evidence[i]],
    r.evidence_start = [i IN order | starts[i]],
    r.evidence_end = [i IN order | ends[i]],
    r.confidences = [i IN order | confidences[i]],
    r.confidence = reduce(m = 0.0, i IN order | CASE WHEN confidences[i] > m THEN confidences[i] ELSE m END)
RETURN count(*) AS related
"""
# The types _STRIP looks at: facts many articles can give (not a view or the hierarchy).
_STRIPPED_TYPES = "|".join(rel.value for rel in RelType
                           if rel not in {RelType.MENTIONS, RelType.REPORTS, RelType.LOCATED_IN})
# Every entry, or a hub fact's first HUB_ENTRIES (a number from kg.neo4j.rows, never data).
_KEEP_ALL = "order"
_KEEP_HUB = f"order[..{HUB_ENTRIES}]"

# Removes some articles' entries (`$batch.articles`) from every relationship at the given
# nodes; deletes the relationships left with none. All the articles a step takes out go in one
# statement: a node they share (a group, an agency) has its relationships read once, not once
# an article (re-deriving 1,374 articles at 10,000 synthetic ones spent 47 s stripping them
# one at a time). The place hierarchy has its own rule (UNSUPPORTED_HIERARCHY);
# LOCATED_IN of graphs loaded before it was, which still carry lists, are left standing.
# The article's own MENTIONS and REPORTS go with its local nodes (DELETE_LOCAL): the pattern
# names every other type (<FACTS>, from the closed schema), so on a node many articles mention
# (a country: one MENTIONS per article) the server skips those relationships instead of
# reading each one's `articles` list; measured at 10,000 synthetic articles it was 2/3 of
# re-deriving an article.
# A hub fact (`$hubs`) whose list was full (`$cap` entries) may have supporters it does not
# list: it is returned, to be refilled from its source's MENTIONS (HUB_SUPPORT), not deleted.
_STRIP = """
CYPHER replan=skip
UNWIND $batch.ids AS id
MATCH (n:<L> {id: id})-[r:<FACTS>]-()
WHERE any(article IN r.articles WHERE article IN $batch.articles)
WITH DISTINCT r
WITH r, [i IN range(0, size(r.articles) - 1) WHERE NOT r.articles[i] IN $batch.articles] AS keep,
     type(r) IN $hubs AND size(r.articles) >= $cap AS refill
CALL (r, keep, refill) {
    WITH r, keep, refill WHERE size(keep) = 0 AND NOT refill
    DELETE r
}
CALL (r, keep, refill) {
    WITH r, keep, refill WHERE size(keep) > 0 OR refill
    WITH r, [i IN keep | r.confidences[i]] AS confidences,
         [i IN keep | r.articles[i]] AS articles, [i IN keep | r.evidence[i]] AS evidence,
         [i IN keep | r.evidence_start[i]] AS starts, [i IN keep | r.evidence_end[i]] AS ends
    SET r.articles = articles, r.evidence = evidence, r.evidence_start = starts,
        r.evidence_end = ends, r.confidences = confidences,
        r.confidence = reduce(m = 0.0, c IN confidences | CASE WHEN c > m THEN c ELSE m END)
}
WITH r, refill WHERE refill
RETURN elementId(r) AS rel, type(r) AS type, startNode(r).id AS source, endNode(r).id AS target,
       r.key AS key
"""

# What a hub fact's source's MENTIONS give (`hub_facts`), and the entries it still lists.
HUB_SUPPORT = """
CYPHER replan=skip
UNWIND $batch.ids AS rel
MATCH (s)-[r]->() WHERE elementId(r) = rel
OPTIONAL MATCH (a:Article)-[m:MENTIONS]->(s) WHERE m.hub_facts IS NOT NULL
RETURN rel, r.articles AS articles, r.evidence AS evidence, r.evidence_start AS starts,
       r.evidence_end AS ends, r.confidences AS confidences,
       collect([a.id, m.hub_facts]) AS support
"""
# A hub fact's lists as refilled, or the relationship deleted when no entry is left.
SET_PROVENANCE = """
CYPHER replan=skip
UNWIND $batch.rows AS row
MATCH ()-[r]->() WHERE elementId(r) = row.rel
CALL (r, row) {
    WITH r, row WHERE size(row.articles) = 0
    DELETE r
}
CALL (r, row) {
    WITH r, row WHERE size(row.articles) > 0
    SET r.articles = row.articles, r.evidence = row.evidence, r.evidence_start = row.starts,
        r.evidence_end = row.ends, r.confidences = row.confidences, r.confidence = row.confidence
}
"""

# The place hierarchy is not a list of claims but every article's view of its places, like
# their names: a place's MENTIONS carry the parents the article gives it (`parents`), and
# LOCATED_IN stands while some article gives it. It carries no provenance lists: one entry per
# article on a country's LOCATED_IN made every load of it cost in proportion to the articles
# already loaded (180 ms a write at 100,000 of them). `created` tells a new one. The lists a
# LOCATED_IN of a graph loaded before this rule still has go when an article gives it again.
HIERARCHY = """
CYPHER replan=skip
UNWIND $batch.rows AS row
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
UNSUPPORTED_HIERARCHY = """
CYPHER replan=skip
UNWIND $batch.ids AS id
MATCH (p:Place {id: id})-[r:LOCATED_IN]->(q:Place)
WHERE r.articles IS NULL AND NOT EXISTS { (:Article)-[m:MENTIONS]->(p) WHERE q.id IN m.parents }
DELETE r
RETURN p.id AS place
"""

# Fixed queries (no assembly).
LOCK = "MERGE (lock:Event {id: $lock})"
UNLOCK = "MATCH (lock:Event {id: $lock}) DELETE lock"
LEDGER = (
    "UNWIND $batch.ids AS id MATCH (a:Article {id: id}) "
    "RETURN a.id AS id, a.content_hash AS content_hash, a.extractor_version AS extractor_version"
)
# What an article gives: the nodes it mentions or reports.
CONTRIBUTION = (
    "UNWIND $batch.ids AS article MATCH (:Article {id: article})-[:MENTIONS|REPORTS]->(n) "
    "RETURN DISTINCT labels(n) AS labels, n.id AS id"
)
DELETE_LOCAL = (
    "UNWIND $batch.ids AS article MATCH (q:Quote {article: article}) DETACH DELETE q",
    "UNWIND $batch.ids AS article MATCH (f:Figure {article: article}) DETACH DELETE f",
    # Its view of each entity and event: only this article is in their lists.
    "UNWIND $batch.ids AS article MATCH (:Article {id: article})-[r:MENTIONS|REPORTS]->() DELETE r",
)
DELETE_ARTICLES = "UNWIND $batch.ids AS article MATCH (a:Article {id: article}) DETACH DELETE a"
# An article whose events are re-keyed (kg.neo4j.loader._reload): the Events it reports, then
# its REPORTS (its view of each; only this article is in their lists).
REPORTED_EVENTS = (
    "UNWIND $batch.ids AS article MATCH (:Article {id: article})-[:REPORTS]->(e:Event) "
    "RETURN DISTINCT e.id AS id"
)
DELETE_REPORTS = "UNWIND $batch.ids AS article MATCH (:Article {id: article})-[r:REPORTS]->() DELETE r"
READ_EXTRACTION = (
    "UNWIND $batch.ids AS article MATCH (a:Article {id: article}) "
    "RETURN a.id AS article, a.extraction AS extraction, a.text AS text"
)
# An Event that only gained or lost reports takes its new canonical id (kg.resolve.event_identity,
# `renamed`); its relationships stay as they are, so the articles reporting it are not re-derived.
RENAME_EVENTS = """
CYPHER replan=skip
UNWIND $batch.rows AS row
MATCH (e:Event {id: row.old})
SET e.id = row.new
"""
# The coreference decision of each report that shares its Event: its best match among the
# Event's other reports (`matched_with`, a report key), the score and the reasons.
EXPLAIN = """
CYPHER replan=skip
UNWIND $batch.rows AS row
MATCH (:Article {id: row.article})-[r:REPORTS]->(:Event)
WHERE r.report_key = row.key
SET r.match_score = row.score, r.match_reasons = row.reasons, r.matched_with = row.other
"""
# The kept matches of an article's reports (EXPLAIN's properties, by its row keys).
EXPLANATIONS = (
    "UNWIND $batch.ids AS article MATCH (:Article {id: article})-[r:REPORTS]->(:Event) "
    "RETURN article, r.report_key AS key, r.matched_with AS other, r.match_score AS score, r.match_reasons AS reasons"
)
# Each settled Event's match component (kg.resolve.event_identity): the next settle reads it
# whole by this name instead of probing its reports again.
SET_COMPONENTS = """
CYPHER replan=skip
UNWIND $batch.rows AS row
MATCH (e:Event {id: row.id})
SET e.match_component = row.component
"""
