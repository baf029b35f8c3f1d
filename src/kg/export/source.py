"""Reading the graph out of Neo4j in pages, whole or as a selection.

Queries are assembled only from `kg.schema` members (labels, relationship types) by the
loader's own `kg.neo4j.statements.fill`; every value is a parameter. The loader's lock node
(`LOCK_ID`) is never part of an export. The whole graph is read label by label with keyset
pagination on the `id` index (`WHERE n.id > $after ORDER BY n.id LIMIT $limit`), each page
with the outgoing relationships of its nodes, so memory is bounded by the page size. A filtered export first
selects the ids to export (held in memory: a selection is meant to be a part of the graph),
then reads them in pages the same way.

Selection rules (docs/rdf.md, *Filters*):

- `since`, `until`, `groups`, `places` select events (all given conditions hold): dated within
  the period (undated events never match a period); linked by any relationship to one of the
  groups; occurring in one of the places or a place inside it (LOCATED_IN, any depth). The
  export holds them, every node one relationship away (the articles reporting them among
  them), the places enclosing exported places, the sources of exported figures, and the
  speakers, outlets and articles of exported quotes.
- `articles` restricts the export to what those articles state: their own contribution
  (the articles, what they mention and report, their quotes and figures), only relationships
  they support, and only their provenance entries.
- With both, events must also be reported by one of the articles, and the export is the part
  of the event selection that is the articles' contribution.

A filtered export carries the relationships between the nodes it holds, with the provenance
entries of the articles it holds (the caller passes those to the mapper): it stands alone,
and its size depends on the selection, not on how many other articles repeat a fact such as
the place hierarchy. Facts that only other articles state are left out.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import neo4j
from neo4j import RoutingControl

from kg.errors import ExportError
from kg.export.mapping import NodeRecord, RelRecord
from kg.neo4j.statements import LOCK_ID, fill
from kg.schema import Label, RelType

_NODE_PROJECTION = "n.id AS id, n {.*, extraction: null, location: null} AS props"
_FIRST_PAGE = (
    "MATCH (n:<L>) WHERE n.id IS NOT NULL AND n.id <> $lock "
    "WITH n ORDER BY n.id LIMIT $limit RETURN " + _NODE_PROJECTION
)
_NEXT_PAGE = (
    "MATCH (n:<L>) WHERE n.id > $after AND n.id <> $lock "
    "WITH n ORDER BY n.id LIMIT $limit RETURN " + _NODE_PROJECTION
)
_BY_IDS = "UNWIND $ids AS id MATCH (n:<L> {id: id}) RETURN " + _NODE_PROJECTION
# MENTIONS keep each article's view of the entity (name, aliases, coordinates…) for the
# loader; the export needs only their provenance, so the rest is not sent over the wire.
_OUTGOING = (
    "UNWIND $ids AS id MATCH (n:<L> {id: id})-[r]->(m) WHERE m.id IS NOT NULL "
    "RETURN n.id AS source, type(r) AS type, labels(m) AS labels, m.id AS target, "
    "CASE type(r) WHEN 'MENTIONS' THEN r {.articles, .evidence, .evidence_start, .evidence_end, "
    ".confidences, .confidence, .key} ELSE properties(r) END AS props"
)
_FIND_BY_ID = "MATCH (n:<L> {id: $key}) RETURN n.id AS id"
_FIND_BY_NAME = (
    "MATCH (n:<L>) WHERE toLower(n.name) = toLower($key) "
    "OR any(alias IN coalesce(n.aliases, []) WHERE toLower(alias) = toLower($key)) "
    "RETURN n.id AS id ORDER BY id"
)
_EVENTS = """
MATCH (e:Event) WHERE e.id <> $lock
  AND ($since IS NULL OR e.date >= $since)
  AND ($until IS NULL OR e.date <= $until)
  AND ($groups IS NULL OR EXISTS { MATCH (g:Group)--(e) WHERE g.id IN $groups })
  AND ($places IS NULL OR EXISTS {
        MATCH (e)-[:OCCURRED_IN]->(:Place)-[:LOCATED_IN*0..]->(p:Place) WHERE p.id IN $places })
  AND ($articles IS NULL OR EXISTS {
        MATCH (a:Article)-[:REPORTS]->(e) WHERE a.id IN $articles })
RETURN e.id AS id ORDER BY id
"""
_NEIGHBOURS = (
    "UNWIND $ids AS id MATCH (:Event {id: id})--(n) WHERE n.id IS NOT NULL "
    "RETURN DISTINCT labels(n) AS labels, n.id AS id"
)
_FIGURE_LINKS = (
    "UNWIND $ids AS id MATCH (f:Figure {id: id}) OPTIONAL MATCH (f)-[:ACCORDING_TO]->(n) "
    "RETURN f.article AS article, labels(n) AS labels, n.id AS id"
)
_QUOTE_LINKS = (
    "UNWIND $ids AS id MATCH (q:Quote {id: id}) OPTIONAL MATCH (q)-[:SAID|REPORTED_BY|QUOTED_IN]-(n) "
    "RETURN q.article AS article, labels(n) AS labels, n.id AS id"
)
_ANCESTORS = (
    "UNWIND $ids AS id MATCH (:Place {id: id})-[:LOCATED_IN*1..]->(p:Place) "
    "RETURN DISTINCT p.id AS id"
)
_ARTICLES_PRESENT = "UNWIND $ids AS id MATCH (a:Article {id: id}) RETURN a.id AS id"
_CONTRIBUTION = (
    "UNWIND $ids AS aid MATCH (:Article {id: aid})-[:MENTIONS|REPORTS]->(n) "
    "RETURN DISTINCT labels(n) AS labels, n.id AS id"
)
_LOCAL_NODES = "UNWIND $ids AS aid MATCH (n:<L> {article: aid}) RETURN n.id AS id"


@cache
def _query(template: str, label: Label) -> str:
    return fill(template, L=label)


_LABEL_MEMBERS = {label.value: label for label in Label}
_REL_TYPE_MEMBERS = {rel.value: rel for rel in RelType}


def _label(labels: Sequence[str] | None) -> Label | None:
    for name in labels or ():
        label = _LABEL_MEMBERS.get(name)
        if label is not None:
            return label
    return None


@dataclass(frozen=True)
class Filters:
    """What to export; all None: everything."""

    since: dt.date | None = None
    until: dt.date | None = None
    groups: tuple[str, ...] | None = None  # names or ids, resolved against the graph
    places: tuple[str, ...] | None = None
    articles: tuple[str, ...] | None = None

    @property
    def selects_events(self) -> bool:
        return any(v is not None for v in (self.since, self.until, self.groups, self.places))

    @property
    def empty(self) -> bool:
        return not self.selects_events and self.articles is None


class GraphReader:
    """Pages of nodes (with their outgoing relationships) from one database."""

    def __init__(self, driver: neo4j.Driver, *, database: str | None = None,
                 page_size: int = 1000) -> None:
        if page_size < 1:
            raise ExportError("the page size must be at least 1")
        self.driver = driver
        self.database = database
        self.page_size = page_size
        # Relationships left out because they are not part of kg's schema, by reason.
        self.skipped: Counter[str] = Counter()

    def _run(self, query: str, **params: Any) -> list[neo4j.Record]:
        try:
            return self.driver.execute_query(
                query, params, routing_=RoutingControl.READ, database_=self.database
            ).records
        except neo4j.exceptions.Neo4jError as exc:
            raise ExportError(f"reading the graph from Neo4j failed: {exc.message}") from exc
        except neo4j.exceptions.DriverError as exc:  # the server went away, a session expired
            raise ExportError(f"reading the graph from Neo4j failed: {exc}") from exc

    # -- pages -----------------------------------------------------------------------------

    def pages(self, selection: dict[Label, list[str]] | None
              ) -> Iterator[list[tuple[NodeRecord, list[RelRecord]]]]:
        """Every node (or the selected ones), in label order then id order, page by page."""
        for label in Label:
            if selection is None:
                yield from self._all_pages(label)
            else:
                ids = selection.get(label, [])
                for start in range(0, len(ids), self.page_size):
                    chunk = ids[start:start + self.page_size]
                    nodes = [self._node(label, r) for r in self._run(_query(_BY_IDS, label), ids=chunk)]
                    nodes.sort(key=lambda n: n.id)
                    yield self._with_relationships(label, nodes)

    def _all_pages(self, label: Label) -> Iterator[list[tuple[NodeRecord, list[RelRecord]]]]:
        records = self._run(_query(_FIRST_PAGE, label), lock=LOCK_ID, limit=self.page_size)
        while records:
            nodes = [self._node(label, r) for r in records]
            yield self._with_relationships(label, nodes)
            if len(records) < self.page_size:
                return
            records = self._run(_query(_NEXT_PAGE, label), after=nodes[-1].id, lock=LOCK_ID,
                                limit=self.page_size)

    @staticmethod
    def _node(label: Label, record: neo4j.Record) -> NodeRecord:
        node_id, props = record
        return NodeRecord(label, node_id, props)

    def _with_relationships(self, label: Label, nodes: list[NodeRecord]
                            ) -> list[tuple[NodeRecord, list[RelRecord]]]:
        by_source: dict[str, list[RelRecord]] = defaultdict(list)
        rel_types = _REL_TYPE_MEMBERS
        if nodes:
            # A Record is a tuple: unpacking it is much cheaper than looking fields up by name.
            records = self._run(_query(_OUTGOING, label), ids=[n.id for n in nodes])
            for source, rel_type, labels, target_id, props in records:
                target = _label(labels)
                rel = rel_types.get(rel_type)
                if target is None or rel is None:
                    # Not part of kg's schema (e.g. added by hand): not exported, but counted.
                    self.skipped[f"{label.value}-[{rel_type}]->{labels}: not in the schema"] += 1
                    continue
                by_source[source].append(RelRecord(rel, (label, source), (target, target_id), props))
        for rels in by_source.values():
            rels.sort(key=lambda x: (x.type.value, x.target[0].value, x.target[1],
                                     str(x.props.get("key", ""))))
        return [(node, by_source.get(node.id, [])) for node in nodes]

    def restrict(self, pages: Iterable[list[tuple[NodeRecord, list[RelRecord]]]],
                 selection: dict[Label, list[str]]
                 ) -> Iterator[list[tuple[NodeRecord, list[RelRecord]]]]:
        """Drop relationships whose target is not selected."""
        wanted = {(label, i) for label, ids in selection.items() for i in ids}
        for page in pages:
            yield [(node, [r for r in rels if r.target in wanted]) for node, rels in page]

    # -- selection -------------------------------------------------------------------------

    def select(self, filters: Filters) -> dict[Label, list[str]]:
        """The ids to export for `filters`, by label, sorted (see the module docstring)."""
        articles = self._check_articles(filters.articles)
        chosen: set[tuple[Label, str]] = set()
        if filters.selects_events:
            groups = self._resolve(Label.GROUP, filters.groups)
            places = self._resolve(Label.PLACE, filters.places)
            events = [r["id"] for r in self._run(
                _EVENTS, lock=LOCK_ID, since=filters.since, until=filters.until,
                groups=groups, places=places, articles=articles)]
            chosen = self._closure(events)
            if articles is not None:
                chosen &= self._contribution(articles)
        if articles is not None:
            if not filters.selects_events:
                chosen = self._contribution(articles)
            chosen |= {(Label.ARTICLE, a) for a in articles}
        selection: dict[Label, list[str]] = defaultdict(list)
        for label, node_id in chosen:
            selection[label].append(node_id)
        return {label: sorted(ids) for label, ids in selection.items()}

    def _check_articles(self, articles: tuple[str, ...] | None) -> list[str] | None:
        if articles is None:
            return None
        wanted = sorted(set(articles))
        present = {r["id"] for r in self._run(_ARTICLES_PRESENT, ids=wanted)}
        missing = [a for a in wanted if a not in present]
        if missing:
            raise ExportError(f"no article with id {', '.join(map(repr, missing))} in the graph")
        return wanted

    def _resolve(self, label: Label, keys: tuple[str, ...] | None) -> list[str] | None:
        """Ids of the nodes named by `keys`: an exact id, else a name or alias (any case)."""
        if keys is None:
            return None
        found: set[str] = set()
        for key in keys:
            ids = [r["id"] for r in self._run(_query(_FIND_BY_ID, label), key=key)]
            ids = ids or [r["id"] for r in self._run(_query(_FIND_BY_NAME, label), key=key)]
            if not ids:
                raise ExportError(f"no {label.value.lower()} has the id, name or alias {key!r}")
            found.update(ids)
        return sorted(found)

    def _labelled(self, records: Iterable[neo4j.Record]) -> set[tuple[Label, str]]:
        found = set()
        for r in records:
            label = _label(r["labels"])
            if label is not None and r["id"] is not None:
                found.add((label, r["id"]))
        return found

    def _closure(self, events: list[str]) -> set[tuple[Label, str]]:
        chosen = {(Label.EVENT, e) for e in events}
        for chunk in _chunks(events, self.page_size):
            chosen |= self._labelled(self._run(_NEIGHBOURS, ids=chunk))
        for template, label in ((_FIGURE_LINKS, Label.FIGURE), (_QUOTE_LINKS, Label.QUOTE)):
            ids = sorted(i for lab, i in chosen if lab is label)
            for chunk in _chunks(ids, self.page_size):
                records = self._run(template, ids=chunk)
                chosen |= self._labelled(records)
                chosen |= {(Label.ARTICLE, r["article"]) for r in records if r["article"]}
        places = sorted(i for lab, i in chosen if lab is Label.PLACE)
        for chunk in _chunks(places, self.page_size):
            chosen |= {(Label.PLACE, r["id"]) for r in self._run(_ANCESTORS, ids=chunk)}
        return chosen

    def _contribution(self, articles: list[str]) -> set[tuple[Label, str]]:
        """The articles, what they mention and report, and their quotes and figures."""
        found = {(Label.ARTICLE, a) for a in articles}
        found |= self._labelled(self._run(_CONTRIBUTION, ids=articles))
        for label in (Label.QUOTE, Label.FIGURE):
            found |= {(label, r["id"]) for r in self._run(_query(_LOCAL_NODES, label), ids=articles)}
        return found


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]
