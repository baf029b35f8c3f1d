"""From an article graph to the rows the loader writes: nodes, facts and the article's view.

Pure: no database. `article_rows` validates one article's graph against the closed schema
(cypher/README.md, *Relationships*) and turns it into facts; `relationship_rows` merges the
facts of a batch into one row per relationship for the relate statements; `article_properties`
and `stored_graph` write and read back the graph an article was loaded with.
"""

from __future__ import annotations

import datetime as dt
import json
import zlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from kg.models import ArticleGraph, Entity, Evidence
from kg.neo4j.captions import figure_caption, quote_caption
from kg.resolve import reports_of
from kg.resolve.speakers import speaking_body
from kg.schema import RELATIONS, Label, ParticipantRole, RelType

_NO_EVIDENCE = ("", -1, -1)
# Hub facts (cypher/README.md, *Relationships*): facts one source restates in article after
# article (a group ACTIVE_IN its province, a spokesman's HOLDS_ROLE). Their provenance lists
# keep the HUB_ENTRIES first entries (by article, then offset); every article's own entries
# stay on its MENTIONS of the source (`hub_facts`), from which the lists are refilled when an
# article is taken out. Otherwise a list grew by one entry per article, and so did its writes.
HUB_TYPES = frozenset({RelType.ACTIVE_IN, RelType.HOLDS_ROLE})
HUB_ENTRIES = 10
# Confidence of facts derived from the models' structure rather than from a Relation.
_STRUCTURAL = 1.0
_DERIVED = 0.8


@dataclass
class Fact:
    """One relationship as one article states it, with the evidence for it."""

    type: RelType
    source: str
    target: str
    key_props: dict[str, Any]  # the fact's own properties: part of its identity
    extra: dict[str, Any]  # the article's view (MENTIONS / REPORTS): not part of identity
    evidence: list[tuple[str, int, int, float]]


@dataclass
class ArticleRows:
    """One article graph as nodes and facts, validated against the closed schema."""

    graph: ArticleGraph
    labels: dict[str, Label]  # node id (events: article-local) → label
    facts: list[Fact]
    dropped: Counter[str]
    hierarchy: set[tuple[str, str]]  # (place, parent): LOCATED_IN, kept as the place's view

    @property
    def article_id(self) -> str:
        return self.graph.article.id


def _evidence(ev: Evidence, confidence: float) -> tuple[str, int, int, float]:
    return ev.text, ev.start, ev.end, confidence


def mention_snapshot(entity: Entity) -> dict[str, Any]:
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


def article_rows(graph: ArticleGraph) -> ArticleRows:
    """Nodes and facts of one article (cypher/README.md, *Relationships*)."""
    graph = _localise(graph)
    article = graph.article
    labels: dict[str, Label] = {article.id: Label.ARTICLE}
    labels.update({e.id: e.type.label for e in graph.entities})
    labels.update({e.id: Label.EVENT for e in graph.events})
    labels.update({q.id: Label.QUOTE for q in graph.quotes})
    labels.update({f.id: Label.FIGURE for f in graph.figures})
    facts: list[Fact] = []
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
        facts.append(Fact(rel, source, target, key_props or {}, extra or {},
                           evidence or [(*_NO_EVIDENCE, _STRUCTURAL)]))

    for entity in graph.entities:
        mentions = [(m.text, m.start, m.end, _STRUCTURAL) for m in entity.mentions]
        add(RelType.MENTIONS, article.id, entity.id, mentions, extra=mention_snapshot(entity))
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
        add(RelType.SAID, quote.speaker or speaking_body(quote, graph), quote.id, evidence)
        add(RelType.REPORTED_BY, quote.id, quote.reported_by, evidence)
        add(RelType.ABOUT, quote.id, quote.event, evidence)

    for figure in graph.figures:
        add(RelType.HAS_FIGURE, figure.event, figure.id, [_evidence(figure.evidence, _STRUCTURAL)])
        # A figure from an unnamed source keeps the description ("officials") as a property and
        # has no ACCORDING_TO: pointing it at the Article would make the outlet its source.
        add(RelType.ACCORDING_TO, figure.id, figure.according_to,
            [_evidence(figure.evidence, _DERIVED)])

    for rel in graph.relations:
        props = {k: v for k, v in rel.properties.items() if v is not None}
        add(rel.type, rel.source, rel.target, [_evidence(rel.evidence, rel.confidence)], key_props=props)

    # The article's view of each place includes the parents it gives it, and of each source
    # of a hub fact the entries it gives (cypher/README.md).
    parents: dict[str, list[str]] = defaultdict(list)
    for place, parent in sorted(hierarchy):
        parents[place].append(parent)
    hubs: dict[str, list[str]] = defaultdict(list)
    for fact in facts:
        if fact.type in HUB_TYPES:
            hubs[fact.source].extend(hub_entry(fact, entry) for entry in fact.evidence)
    for fact in facts:
        if fact.type is RelType.MENTIONS and labels[fact.target] is Label.PLACE:
            fact.extra["parents"] = parents.get(fact.target, [])
        if fact.type is RelType.MENTIONS and fact.target in hubs:
            fact.extra["hub_facts"] = sorted(set(hubs[fact.target]))
    return ArticleRows(graph, labels, facts, dropped, hierarchy)


def fact_key(key_props: Mapping[str, Any]) -> str:
    """A relationship's `key`: the JSON of its own properties, "" when none."""
    return json.dumps(key_props, sort_keys=True) if key_props else ""


def hub_entry(fact: Fact, entry: tuple[str, int, int, float]) -> str:
    """One provenance entry of a hub fact as its source's MENTIONS keeps it (`hub_facts`)."""
    text, start, end, confidence = entry
    return json.dumps([fact.type.value, fact.target, fact_key(fact.key_props), start, end, text,
                       confidence])


def hub_entries(article_id: str, kept: Iterable[str], rel: RelType, target: str, key: str
                ) -> list[tuple[str, int, int, str, float]]:
    """The entries (article, start, end, text, confidence) a MENTIONS' `hub_facts` give one
    hub relationship."""
    found = []
    for item in kept:
        kind, to, fact, start, end, text, confidence = json.loads(item)
        if (kind, to, fact) == (rel.value, target, key):
            found.append((article_id, start, end, text, confidence))
    return found


def relationship_properties(row: Mapping[str, Any], extra: Mapping[str, Any] | None = None
                            ) -> dict[str, Any]:
    """A `relationship_rows` row's properties as a relationship that had no entries stores
    them: what the relate statement leaves, what the loader CREATEs for a relationship of a
    node it created, and what `kg backfill` imports. `confidence` is the first highest entry,
    as the statement's `reduce` keeps it (type and all)."""
    confidence = 0.0
    for value in row["confidences"]:
        if value > confidence:
            confidence = value
    return {**row["props"], "key": row["key"], "articles": row["articles"],
            "evidence": row["evidence"], "evidence_start": row["starts"],
            "evidence_end": row["ends"], "confidences": row["confidences"],
            "confidence": confidence, **(extra or {})}


def local_nodes(item: ArticleRows) -> Iterator[tuple[Label, str, dict[str, Any]]]:
    """(label, id, properties) of the nodes only this article has: its quotes and figures."""
    names = {entity.id: entity.name for entity in item.graph.entities}
    for quote in item.graph.quotes:
        yield Label.QUOTE, quote.id, {
            "article": item.article_id, "text": quote.text,
            "speaker_description": quote.speaker_description,
            "partial": quote.partial,
            "start": quote.start, "end": quote.end,
            "caption": quote_caption(quote, names.get(
                quote.speaker or speaking_body(quote, item.graph) or "")),
        }
    for figure in item.graph.figures:
        yield Label.FIGURE, figure.id, {
            "article": item.article_id, "kind": figure.kind.value, "min": figure.min,
            "max": figure.max, "approximate": figure.approximate, "scope": figure.scope,
            "qualifier": figure.qualifier, "text": figure.text, "who": figure.who,
            "according_to_description": figure.according_to_description,
            "caption": figure_caption(figure)}


def article_properties(graph: ArticleGraph, now: dt.datetime) -> dict[str, Any]:
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


def relationship_rows(facts: Iterable[tuple[str, Fact]], ids: Mapping[str, str],
              labels: Mapping[str, Label]) -> dict[tuple[RelType, Label, Label], list[dict[str, Any]]]:
    """(article id, fact) pairs as relate-template rows, one row per relationship.

    One UNWIND must not touch a relationship twice (each clause reads before the next writes),
    so facts of several articles about one relationship become one row. A hub fact keeps its
    HUB_ENTRIES first entries. `ids` maps local
    event ids to canonical ones; `labels` gives every node id's label.
    """
    merged: dict[tuple[RelType, str, str, str], dict[str, Any]] = {}
    groups: dict[tuple[RelType, Label, Label], list[dict[str, Any]]] = defaultdict(list)
    for article_id, fact in facts:
        source, target = ids.get(fact.source, fact.source), ids.get(fact.target, fact.target)
        key = fact_key(fact.key_props)
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
    for (rel, _, _), rows in groups.items():
        cap = HUB_ENTRIES if rel in HUB_TYPES else None
        for row in rows:
            row.update(provenance_lists(row.pop("entries"), cap))
        rows.sort(key=lambda r: (r["source"], r["target"], r["key"]))
    return groups


def provenance_lists(entries: Mapping[tuple[str, int, int, str], float], cap: int | None = None
                     ) -> dict[str, list[Any]]:
    """A relationship's aligned provenance lists from its entries ((article, start, end, text)
    → confidence), in that order, the first `cap` of them kept."""
    first = sorted(entries.items())[:cap]
    return {"articles": [article for (article, _, _, _), _ in first],
            "evidence": [text for (_, _, _, text), _ in first],
            "starts": [start for (_, start, _, _), _ in first],
            "ends": [end for (_, _, end, _), _ in first],
            "confidences": [confidence for _, confidence in first]}
