"""Load article graphs into Neo4j as one graph across articles, and take them out again.

The model is documented in cypher/README.md. In short: nodes are MERGEd on their `id`;
relationships on (source, type, `key`, target) and carry their provenance as aligned lists;
each article's view of an entity or event is kept on its `MENTIONS` / `REPORTS` relationship
and the node's properties are derived from all of them (`kg.neo4j.views`), so the graph does
not depend on load order. A batch of articles is one managed transaction (`execute_write`,
retried on transient errors); a short-lived lock serialises loads so concurrent ingests give
the graph of one. A batch the server refuses is split, and a commit with an unknown outcome
re-run (`kg.neo4j.batches`).

This module keeps the order of a load: ledger, the article's previous contribution out, nodes
and facts without events, event identity (decided by the resolve stage,
`kg.resolve.event_identity`, from the reports in the graph), events and their facts, derived
properties, orphans. The statements are in `kg.neo4j.statements`, the rows in `kg.neo4j.rows`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import islice
from typing import Any

import neo4j

from kg.config import DEFAULT_BATCH_SIZE
from kg.models import ArticleGraph
from kg.neo4j import statements
from kg.neo4j.batches import write_in_parts
from kg.neo4j.corrections import ReviewStep
from kg.neo4j.event_reports import GraphReports
from kg.neo4j.results import LedgerEntry, LoadResult
from kg.neo4j.rows import (
    HUB_ENTRIES,
    HUB_TYPES,
    ArticleRows,
    article_properties,
    article_rows,
    hub_entries,
    local_nodes,
    mention_snapshot,
    provenance_lists,
    relationship_properties,
    relationship_rows,
    stored_graph,
)
from kg.neo4j.schema import check_schema
from kg.neo4j.sessions import quiet_session
from kg.neo4j.statements import ENTITY_LABELS, LOCK_ID, templates
from kg.neo4j.views import agrees, count_views, entity_properties
from kg.resolve import EventReport, report_key, reports_of, representative
from kg.resolve.event_identity import settle_events
from kg.schema import Label, RelType


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
            for r in tx.run(statements.LEDGER, batch={"ids": ids})}


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
    gone through the alias file (`kg.resolve.Aliases.apply`); event identity across articles is
    settled inside the transaction (`kg.resolve.event_identity`).
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
        return write_in_parts(session, graphs, write, force=force)


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


class _Rehearsed(Exception):
    """Ends a rehearsal's transaction function, so that the driver rolls it back."""

    def __init__(self, sent: int) -> None:
        super().__init__(f"rehearsed: {sent} statements")
        self.sent = sent


def rehearse(driver: neo4j.Driver, batches: Sequence[tuple[Sequence[ArticleGraph], bool]], *,
             database: str | None = None) -> int:
    """Load `batches` ((graphs, force) each, in order) in one transaction, then roll it back.

    Nothing is written; the server has planned and cached every statement the loads sent
    (`kg.neo4j.warmup`). Later batches see the earlier ones, as consecutive loads would.
    Returns the number of statements sent.
    """
    stamp = dt.datetime.now(dt.UTC)

    def work(tx: neo4j.ManagedTransaction) -> None:
        sent = 0
        for graphs, force in batches:
            writer = _Writer(tx, stamp)
            writer.load(graphs, force)
            sent += writer.sent
        raise _Rehearsed(sent)  # an exception out of the function: the driver rolls back

    with quiet_session(driver, database) as session:
        try:
            session.execute_write(work)
        except _Rehearsed as done:
            return done.sent
    raise AssertionError("a rehearsal's transaction function always raises")


def _batched(items: Iterable[ArticleGraph], size: int) -> Iterator[list[ArticleGraph]]:
    iterator = iter(items)
    while batch := list(islice(iterator, max(1, size))):
        yield batch


class _Writer:
    """Everything one load or remove transaction does, in order (see `load` / `remove`)."""

    def __init__(self, tx: neo4j.ManagedTransaction, now: dt.datetime) -> None:
        self.tx = tx
        self.sent = 0  # statements run
        self.now = now
        self.result = LoadResult()
        self.entities: dict[Label, set[str]] = defaultdict(set)  # lost an article's view
        self.views: dict[tuple[Label, str], list[dict[str, Any]]] = defaultdict(list)  # gained
        self.events: set[str] = set()
        self.lost_events: set[str] = set()  # events that lost a report: re-settle them
        self.moved_places: set[str] = set()  # places whose LOCATED_IN changed: re-cluster below
        self.explained: list[dict[str, Any]] = []  # the match of each settled report (_explain)
        self.components: dict[str, str] = {}  # settled Event → its match component (_explain)
        self.elements: dict[str, str] = {}  # node id → element id, for the relationship statements
        # Entities new in this transaction → how many views they were created with.
        self.created: dict[Label, dict[str, int]] = defaultdict(dict)
        self.reports = GraphReports(self.run)  # what the resolve stage reads of the graph

    def run(self, query: str, **params: Any) -> list[neo4j.Record]:
        self.sent += 1
        result = self.tx.run(query, params)
        records = list(result)
        self.result.counts.add(result.consume().counters)
        return records

    # -- the two operations ----------------------------------------------------------------

    def load(self, graphs: Sequence[ArticleGraph], force: bool) -> LoadResult:
        self._lock()
        review = ReviewStep(self.tx)  # analysts' corrections apply under the lock
        graphs = review.correct(graphs)
        unique: dict[str, ArticleGraph] = {}
        for graph in graphs:  # the same article twice in one batch: the first one counts
            unique.setdefault(graph.article.id, graph)
        current = _read_ledger(self.tx, list(unique))
        todo: list[ArticleRows] = []
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
            todo.append(article_rows(graph))
        if self.result.updated:
            self._unload(self.result.updated)
        if todo:
            fresh: set[str] = set()
            self._load_static(todo, fresh)
            for item in todo:
                self.result.dropped.update(item.dropped)
            reports = [r for item in todo for r in reports_of(item.graph)]
            mapping = self._settle(reports, {item.article_id for item in todo})
            self._load_events(todo, mapping, fresh)
            self._explain()
            self._finish()
        review.finish()  # what each correction did; reviewed marks
        self._unlock()
        return self.result

    def remove(self, ids: Sequence[str]) -> LoadResult:
        self._lock()
        present = _read_ledger(self.tx, list(ids))
        for aid in ids:
            (self.result.removed if aid in present else self.result.missing).append(aid)
        if self.result.removed:
            self._unload(self.result.removed)
            self.run(statements.DELETE_ARTICLES, batch={"ids": self.result.removed})
            self._settle([], set(self.result.removed))
            self._explain()
            self._finish()
        ReviewStep(self.tx).finish()  # corrections of removed articles wait
        self._unlock()
        return self.result

    # -- steps -----------------------------------------------------------------------------

    def _lock(self) -> None:
        self.tx.run(statements.LOCK, lock=LOCK_ID).consume()  # not counted: it leaves no trace

    def _unlock(self) -> None:
        self.tx.run(statements.UNLOCK, lock=LOCK_ID).consume()

    def _unload(self, article_ids: Sequence[str]) -> None:
        """Take these articles' contributions out (their nodes stay).

        One statement a step for all of them: the nodes they share are read once.
        """
        touched: dict[Label, set[str]] = defaultdict(set)
        batch = {"ids": list(article_ids)}
        for record in self.run(statements.CONTRIBUTION, batch=batch):
            label = Label(record["labels"][0])
            touched[label].add(record["id"])
            if label is Label.EVENT:
                self.events.add(record["id"])
                self.lost_events.add(record["id"])
            else:
                self.entities[label].add(record["id"])
        for query in statements.DELETE_LOCAL:
            self.run(query, batch=batch)
        self._strip(touched, article_ids)
        if touched.get(Label.PLACE):
            for record in self.run(statements.UNSUPPORTED_HIERARCHY, batch={"ids": sorted(touched[Label.PLACE])}):
                self.moved_places.add(record["place"])

    def _merge_nodes(self, label: Label, rows: list[dict[str, Any]], fresh: set[str]) -> None:
        """MERGE nodes; note their element ids, and in `fresh` the ids of those it created."""
        for record in self.run(templates().merge_node[label], batch={"rows": rows}):
            self.elements[record["id"]] = record["element"]
            if record["created"]:
                fresh.add(record["id"])
                if label in ENTITY_LABELS:
                    self.created[label][record["id"]] = len(self.views[(label, record["id"])])

    def _strip(self, nodes: Mapping[Label, set[str]], article_ids: Sequence[str]) -> None:
        """Take these articles' entries out of the facts at these nodes (`_STRIP`); refill the
        hub facts that lost a listed one."""
        refill = []
        for label, ids in nodes.items():
            refill += self.run(templates().strip[label], batch={"ids": sorted(ids), "articles": list(article_ids)},
                               hubs=sorted(rel.value for rel in HUB_TYPES), cap=HUB_ENTRIES)
        if refill:
            self._refill(refill)

    def _refill(self, stripped: Sequence[neo4j.Record]) -> None:
        """Hub facts that lost a listed entry: their first HUB_ENTRIES entries again, from
        what every article's MENTIONS of their source gives (and what they still list)."""
        wanted = {r["rel"]: (RelType(r["type"]), r["target"], r["key"] or "") for r in stripped}
        rows = []
        for record in self.run(statements.HUB_SUPPORT, batch={"ids": sorted(wanted)}):
            rel, target, key = wanted[record["rel"]]
            entries = {(a, s, e, t): c for a, t, s, e, c in zip(
                record["articles"] or [], record["evidence"] or [], record["starts"] or [],
                record["ends"] or [], record["confidences"] or [], strict=False)}
            for article, kept in record["support"]:
                if article is not None:
                    for a, s, e, t, c in hub_entries(article, kept, rel, target, key):
                        entries[(a, s, e, t)] = max(c, entries.get((a, s, e, t), 0.0))
            lists = provenance_lists(entries, HUB_ENTRIES)
            rows.append({"rel": record["rel"], **lists,
                         "confidence": max([0.0, *lists["confidences"]])})
        self.run(statements.SET_PROVENANCE, batch={"rows": rows})

    def _load_static(self, items: Sequence[ArticleRows], fresh: set[str], *,
                     write_article: bool = True) -> None:
        """Nodes and facts not involving events: they must be in before events are clustered.

        `fresh` collects the nodes this step (with `_load_events` of the same items) created:
        a relationship touching one of them is new.
        """
        by_label: dict[Label, dict[str, dict[str, Any]]] = defaultdict(dict)
        for item in items:
            graph = item.graph
            # Without new properties when re-derived: its ledger and ingested_at stay.
            by_label[Label.ARTICLE][item.article_id] = (
                article_properties(graph, self.now) if write_article else {})
            for entity in graph.entities:
                self.views[(entity.type.label, entity.id)].append(mention_snapshot(entity))
            for label, node_id, props in local_nodes(item):
                by_label[label][node_id] = props
        entities = {(e.type.label, e.id) for item in items for e in item.graph.entities}
        for label, node_id in entities:
            # What a node created now gets (`_MERGE_ENTITY`): from the views of the batch.
            by_label[label][node_id] = entity_properties(node_id, *count_views(self.views[(label, node_id)]))
        for label in Label:  # the enum's order: articles first
            if by_label.get(label):
                key = "derived" if label in ENTITY_LABELS else "props"
                rows = [{"id": i, key: props} for i, props in sorted(by_label[label].items())]
                self._merge_nodes(label, rows, fresh)
        self._relate(items, {}, fresh, events=False)
        pairs = sorted({pair for item in items for pair in item.hierarchy})
        if pairs:
            rows = [{"place": place, "parent": parent} for place, parent in pairs]
            for record in self.run(statements.HIERARCHY, batch={"rows": rows}):
                if record["created"]:
                    self.moved_places.add(record["place"])

    def _load_events(self, items: Sequence[ArticleRows], mapping: Mapping[str, str],
                     fresh: set[str]) -> None:
        """Canonical events and every fact touching them; `mapping` is report key → event id."""
        ids = {e.id: mapping[report_key(item.article_id, e.id)]
               for item in items for e in item.graph.events}
        if ids:
            self._merge_nodes(Label.EVENT, [{"id": i, "props": {}} for i in sorted(set(ids.values()))],
                              fresh)
            self.events.update(ids.values())
        self._relate(items, ids, fresh, events=True)

    def _relate(self, items: Sequence[ArticleRows], ids: Mapping[str, str], fresh: set[str], *,
                events: bool) -> None:
        """Write the facts with (`events`) or without events: one statement per type and path.

        A relationship with an endpoint in `fresh` cannot exist yet and is created with its
        lists; any other is MERGEd and its lists merged with the ones it has.
        """
        labels = {node: label for item in items for node, label in item.labels.items()}
        facts = [(item.article_id, fact) for item in items for fact in item.facts
                 if (Label.EVENT in (item.labels[fact.source], item.labels[fact.target])) == events]
        created: list[dict[str, Any]] = []
        merged: dict[RelType, list[dict[str, Any]]] = defaultdict(list)
        for (rel, _, _), rows in sorted(relationship_rows(facts, ids, labels).items()):
            for row in rows:
                new = row["source"] in fresh or row["target"] in fresh
                row["source"], row["target"] = self.elements[row["source"]], self.elements[row["target"]]
                if new:
                    created.append(_created(rel, row))
                else:
                    merged[rel].append(row)
        if created:
            self.run(statements.CREATE_RELATIONSHIPS, batch={"rows": created})
        for rel, rows in merged.items():
            self.run(templates().relate[rel], batch={"rows": rows})

    def _settle(self, new: Sequence[EventReport], loading: set[str]) -> dict[str, str]:
        """Event identity after this transaction (kg.resolve.event_identity); report key → event id.

        An Event that only gained or lost reports is renamed in place; articles with a report
        whose Event id changes otherwise (clusters merged or split) are re-derived from their
        stored graph.
        """
        settlement = settle_events(self.reports, new, loading=loading, lost_events=self.lost_events,
                                   moved_places=self.moved_places)
        self.explained = [explanation.row() for explanation in settlement.explanations]
        self.components = settlement.components
        if settlement.renamed:
            rows = [{"old": old, "new": event} for old, event in sorted(settlement.renamed.items())]
            self.run(statements.RENAME_EVENTS, batch={"rows": rows})
            self.events.update(settlement.renamed.values())  # their properties derived again
        if settlement.moved:
            self._reload(settlement.moved, settlement.events)
        return settlement.events

    def _explain(self) -> None:
        """Keep each settled report's best match (score, reasons) on its REPORTS relationship,
        and each settled Event's match component on the Event."""
        if self.explained:
            self.run(statements.EXPLAIN, batch={"rows": self.explained})
        if self.components:
            rows = [{"id": event, "component": name} for event, name in sorted(self.components.items())]
            self.run(statements.SET_COMPONENTS, batch={"rows": rows})
        self.explained, self.components = [], {}

    def _reload(self, article_ids: Sequence[str], events: Mapping[str, str]) -> None:
        """Re-derive the event facts of articles whose events are re-keyed, from their stored
        graphs: their REPORTS and their entries in the facts of their Events go, and come back
        on the new Events. What they give of entities stays as it is: an event id is no part
        of it (re-deriving whole articles cost 33 of a 10,000-article load's 200 s).

        Their reports that were not settled keep their Events, and their best matches: read
        before the REPORTS go, written again with the settled ones' (_explain). Dropped, the
        graph would depend on whether a merge happened across batches or inside one.
        """
        settled = {row["key"] for row in self.explained}
        batch = {"ids": list(article_ids)}
        self.explained += [r.data() for r in self.run(statements.EXPLANATIONS, batch=batch)
                           if r["key"] not in settled]
        stored = {r["article"]: r for r in self.run(statements.READ_EXTRACTION, batch=batch)}
        items = [article_rows(stored_graph(stored[a]["extraction"], stored[a]["text"])) for a in article_ids]
        old = {r["id"] for r in self.run(statements.REPORTED_EVENTS, batch=batch)}
        self.events.update(old)
        self.lost_events.update(old)
        self._strip({Label.EVENT: old}, article_ids)
        self.run(statements.DELETE_REPORTS, batch=batch)
        self._note_elements(items)
        self._load_events(items, events, set())
        self.result.reloaded.extend(article_ids)

    def _note_elements(self, items: Sequence[ArticleRows]) -> None:
        """The element ids of the stored nodes (articles, entities, quotes, figures) the items'
        event facts touch, for the relationship statements."""
        wanted: dict[Label, set[str]] = defaultdict(set)
        for item in items:
            for fact in item.facts:
                if Label.EVENT in (item.labels[fact.source], item.labels[fact.target]):
                    for node in (fact.source, fact.target):
                        label = item.labels[node]
                        if label is not Label.EVENT and node not in self.elements:
                            wanted[label].add(node)
        for label, ids in wanted.items():
            for record in self.run(templates().elements_of[label], batch={"ids": sorted(ids)}):
                self.elements[record["id"]] = record["element"]

    def _finish(self) -> None:
        """Derive node properties from every article's view, then drop what nothing supports."""
        queries = templates()
        for label in ENTITY_LABELS:
            lost = self.entities.get(label, set())
            # An entity this transaction created has no views but the ones it wrote: it got
            # their properties when created, and again here if more views came since (_reload).
            created = self.created.get(label, {})
            gained = {i for (lab, i) in self.views if lab is label} - lost - set(created)
            derive = lost | self._disagreeing(label, gained)
            rows = [{"id": i, "props": entity_properties(i, *count_views(self.views[(label, i)]))}
                    for i, count in sorted(created.items())
                    if i not in lost and count != len(self.views[(label, i)])]
            if derive:
                rows += [{"id": r["id"], "props": entity_properties(r["id"], r["counts"], r["aliases"])}
                         for r in self.run(queries.views_of[label], batch={"ids": sorted(derive)})]
            if rows:
                self.run(queries.set_node[label], batch={"rows": rows})
            if lost:
                self.run(queries.orphans[label], batch={"ids": sorted(lost)})
        if self.events:
            reports: dict[str, list[EventReport]] = defaultdict(list)
            for stored in self.reports.reports_of_events(sorted(self.events)):
                reports[stored.event].append(stored.report)
            rows = [{"id": i, "props": representative(r).event_properties()}
                    for i, r in sorted(reports.items())]
            if rows:
                self.run(queries.set_node[Label.EVENT], batch={"rows": rows})
            if self.lost_events:  # only an event that lost a report can have none left
                self.run(queries.orphans[Label.EVENT], batch={"ids": sorted(self.lost_events)})

    def _disagreeing(self, label: Label, ids: set[str]) -> set[str]:
        """Entities whose new views could change their derived properties.

        A view that only repeats the node's current values adds a vote to each winner, so the
        winners stay: re-deriving is skipped, which keeps a country every article mentions
        from costing a scan of all its mentions in every batch.
        """
        if not ids:
            return set()
        current = {r["id"]: r["props"] for r in self.run(templates().props_of[label], batch={"ids": sorted(ids)})}
        return {i for i in ids
                if not all(agrees(current.get(i, {}), view) for view in self.views[(label, i)])}


def _created(rel: RelType, row: dict[str, Any]) -> dict[str, Any]:
    """A `relationship_rows` row for CREATE_RELATIONSHIPS: every property, lists as sorted."""
    return {"type": rel.value, "source": row["source"], "target": row["target"],
            "props": relationship_properties(row)}
