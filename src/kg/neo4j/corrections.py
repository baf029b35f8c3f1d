"""Corrections in Neo4j: the `:Correction` records, and the two hooks of every load.

`ReviewStep` is all the loader knows of the review layer: inside each load (or removal)
transaction, under the loader's lock, `correct` applies the stored corrections to the batch's
graphs before they are written, and `finish` records what each did and marks the corrected
nodes (`reviewed`, `reviewed_by`, `reviewed_at`, `corrections`, `original_<field>`). Because it
runs under the lock, a correction recorded while an ingest runs is either seen by that ingest's
transaction or applied by the reload that follows its recording: none is lost.

Every value is a parameter; the labels in query text come from `kg.schema`.
"""

from __future__ import annotations

import datetime as dt
import json
import zlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

import neo4j

from kg.models import ArticleGraph, Entity
from kg.resolve.correcting import Outcome, apply_corrections
from kg.resolve.corrections import Action, Correction, from_node
from kg.schema import EntityType, Label, ReviewLabel, ReviewRelType


def _fill(template: str, label: Label | None = None) -> str:
    """Put the review layer's label and type (`<C>`, `<K>`) and an entity or event label (`<L>`)
    into a query template: only members of the kg.schema enums, never data."""
    if label is not None and not isinstance(label, Label):
        raise TypeError(f"query slot takes a Label, not {label!r}")
    text = template.replace("<C>", ReviewLabel.CORRECTION.value).replace("<K>", ReviewRelType.CORRECTS.value)
    return text.replace("<L>", label.value) if label is not None else text
LOCK_ID = "kg:lock"  # the loader's lock (kg.neo4j.loader.LOCK_ID): one writer at a time
_LOCK = "MERGE (lock:Event {id: $lock})"
_UNLOCK = "MATCH (lock:Event {id: $lock}) DELETE lock"

# Corrections that apply when these articles load: theirs, and every entity correction.
_ACTIVE = _fill("""
MATCH (c:<C>) WHERE (c.article IN $ids OR c.other_article IN $ids OR c.article IS NULL)
  AND coalesce(c.status, "recorded") <> "undone" AND c.action <> "undo"
RETURN properties(c) AS props
""")
_ALL = _fill("MATCH (c:<C>) RETURN properties(c) AS props ORDER BY c.at, c.id")
_RECORD = _fill("""
UNWIND $rows AS row
MERGE (c:<C> {id: row.id})
ON CREATE SET c += row.props, c.status = row.status, c.reason = row.reason
""")
_UNDO = _fill("UNWIND $ids AS id MATCH (c:<C> {id: id}) SET c.status = 'undone', c.reason = ''")
_OUTCOMES = _fill("""
UNWIND $rows AS row
MATCH (c:<C> {id: row.id}) WHERE c.status <> "undone"
SET c.status = row.status, c.reason = row.reason, c.original = row.original,
    c.node_label = row.label, c.node_key = row.key, c.node_article = row.article, c.shown = row.shown
""")
_PENDING = _fill("""
MATCH (c:<C>) WHERE c.article IS NOT NULL AND coalesce(c.status, "recorded") IN ["applied", "orphaned", "recorded"]
  AND NOT EXISTS { MATCH (:Article {id: c.article}) }
SET c.status = "pending", c.reason = "article not in the graph; applied when it is ingested again"
""")
_MARKS = _fill("""
MATCH (c:<C>) WHERE c.status = "applied" AND c.node_key IS NOT NULL
RETURN c.id AS id, c.analyst AS analyst, c.at AS at, c.node_label AS label, c.node_key AS key,
       c.node_article AS article, c.shown AS shown
ORDER BY c.at, c.id
""")
_EVENT_OF_REPORT = """
UNWIND $rows AS row
MATCH (:Article {id: row.article})-[r:REPORTS]->(e:Event) WHERE r.report_key = row.key
RETURN row.key AS key, e.id AS id
"""
_ANY = _fill("MATCH (c:<C>) RETURN count(c) > 0 AS any")
_MARK_KEYS = ("reviewed", "reviewed_by", "reviewed_at", "corrections")
_RAW = "UNWIND $rows AS row MATCH (a:Article {id: row.id}) SET a.raw_extraction = row.raw"
_KNOWN = "UNWIND $ids AS id MATCH (n:<L> {id: id}) RETURN n.id AS id, properties(n) AS props"
_STORED = "UNWIND $ids AS id MATCH (a:Article {id: id}) RETURN a.id AS id, coalesce(a.raw_extraction, a.extraction) AS extraction, a.text AS text"
_MENTIONING = "MATCH (a:Article)-[:MENTIONS]->(n:<L> {id: $id}) RETURN a.id AS id ORDER BY id"
_MARK_LABELS = (Label.EVENT, Label.FIGURE, Label.QUOTE, *(t.label for t in EntityType))


_SET_ON_NODES = "UNWIND $rows AS row MATCH (n:<L> {id: row.id}) SET n += row.props"
_EXISTING = "UNWIND $ids AS id MATCH (c:<C> {id: id}) RETURN c.id AS id"
_UNLINK = "MATCH (:<C>)-[r:<K>]->() DELETE r"
_LINK = "UNWIND $rows AS row MATCH (c:<C> {id: row.id}) MATCH (n:<L> {id: row.node}) MERGE (c)-[:<K>]->(n)"
_MARKED = "MATCH (n:<L>) WHERE n.reviewed = true RETURN n.id AS id, [k IN keys(n) WHERE k STARTS WITH 'original_'] AS keys"


def _entity_type(entity_id: str) -> EntityType | None:
    """The type an entity id names in its prefix (`kg.ids.entity_id`), so look-ups use its index."""
    try:
        return EntityType(entity_id.split(":", 1)[0].capitalize())
    except ValueError:
        return None


def _by_type(ids: Iterable[str]) -> dict[EntityType, list[str]]:
    grouped: dict[EntityType, list[str]] = defaultdict(list)
    for entity_id in sorted(set(ids)):
        if (kind := _entity_type(entity_id)) is not None:
            grouped[kind].append(entity_id)
    return grouped


def lock(tx: neo4j.ManagedTransaction) -> None:
    tx.run(_LOCK, lock=LOCK_ID).consume()


def unlock(tx: neo4j.ManagedTransaction) -> None:
    tx.run(_UNLOCK, lock=LOCK_ID).consume()


def _props(correction: Correction) -> dict[str, Any]:
    target = correction.target
    return {
        "analyst": correction.analyst, "at": correction.at, "note": correction.note,
        "action": correction.action.value, "field": correction.field,
        "value": json.dumps(correction.value), "article": correction.article,
        "other_article": correction.other.article if correction.other is not None else None,
        "entity": target.entity if target is not None else None,
        "target": target.describe() if target is not None else None,
        "record": correction.line(),
    }


_RECORDED = _fill("MATCH (c:<C>) WHERE c.status = 'recorded' OR c.status IS NULL RETURN properties(c) AS props")


def recorded(tx: neo4j.ManagedTransaction) -> list[Correction]:
    """Corrections not applied yet: made in Neo4j Browser, or imported for absent articles."""
    return [from_node(r["props"]) for r in tx.run(_RECORDED)]


def write_corrections(tx: neo4j.ManagedTransaction, corrections: Sequence[Correction]) -> list[str]:
    """MERGE the records (under the lock); undo records mark what they undo. Returns new ids."""
    existing = {r["id"] for r in tx.run(_fill(_EXISTING), ids=[c.id for c in corrections])}
    rows = [{"id": c.id, "props": _props(c),
             "status": "undo" if c.action is Action.UNDO else "recorded", "reason": ""}
            for c in corrections]
    tx.run(_RECORD, rows=rows).consume()
    undone = [str(c.value) for c in corrections if c.action is Action.UNDO]
    if undone:
        tx.run(_UNDO, ids=undone).consume()
    return [c.id for c in corrections if c.id not in existing]


def read_corrections(tx: neo4j.ManagedTransaction) -> list[tuple[Correction, str, str]]:
    return [(from_node(r["props"]), r["props"].get("status") or "recorded", r["props"].get("reason") or "")
            for r in tx.run(_ALL)]


def stored_graphs(tx: neo4j.ManagedTransaction, ids: Sequence[str]) -> list[ArticleGraph]:
    """The extractor's graphs of these articles (before any correction), from the graph."""
    from kg.neo4j.rows import stored_graph

    return [stored_graph(r["extraction"], r["text"]) for r in tx.run(_STORED, ids=list(ids))]


def articles_mentioning(tx: neo4j.ManagedTransaction, entity_id: str) -> list[str]:
    kind = _entity_type(entity_id)
    if kind is None:
        return []
    return [r["id"] for r in tx.run(_fill(_MENTIONING, kind.label), id=entity_id)]


def _known_entities(tx: neo4j.ManagedTransaction, corrections: Iterable[Correction]) -> dict[str, Entity]:
    """Entities corrections name as values (a true place, a figure's source) that are in the graph."""
    ids = sorted({str(c.value) for c in corrections if isinstance(c.value, str) and ":" in c.value}
                 | {c.target.source for c in corrections if c.target and c.target.source and ":" in c.target.source}
                 | {c.target.target for c in corrections if c.target and c.target.target and ":" in c.target.target})
    known = {}
    for kind, group in _by_type(ids).items():
        for record in tx.run(_fill(_KNOWN, kind.label), ids=group):
            props = record["props"]
            known[record["id"]] = Entity(
                id=record["id"], type=kind, name=props.get("name", record["id"]), kind=props.get("kind"),
                country=props.get("country"), latitude=props.get("latitude"),
                longitude=props.get("longitude"), gazetteer_id=props.get("gazetteer_id"),
                precision=props.get("precision"))
    return known


class ReviewStep:
    """The review layer's part in one load or removal transaction (see the module docstring)."""

    def __init__(self, tx: neo4j.ManagedTransaction) -> None:
        self.tx = tx
        self.outcomes: list[tuple[Outcome, str]] = []  # with the article it was applied to
        self.raw: dict[str, ArticleGraph | None] = {}

    def correct(self, graphs: Sequence[ArticleGraph]) -> list[ArticleGraph]:
        """The graphs with their corrections applied (call it under the loader's lock)."""
        ids = [g.article.id for g in graphs]
        corrections = [from_node(r["props"]) for r in self.tx.run(_ACTIVE, ids=ids)]
        if not corrections:
            self.raw = dict.fromkeys(ids)
            return list(graphs)
        known = _known_entities(self.tx, corrections)
        corrected = []
        for graph in graphs:
            new, outcomes = apply_corrections(graph, corrections, known)
            self.outcomes += [(o, graph.article.id) for o in outcomes]
            changed = any(o.status == "applied" for o in outcomes)
            self.raw[graph.article.id] = graph if changed else None
            corrected.append(new)
        return corrected

    def finish(self) -> None:
        """Record outcomes, keep the extractor's graphs of corrected articles, refresh marks."""
        tx = self.tx
        if not self.outcomes and not tx.run(_ANY).single(strict=True)["any"]:
            return  # a graph nobody has corrected: nothing to record or mark (a count-store look-up)
        if self.raw:
            rows = [{"id": aid, "raw": _compressed(g) if g is not None else None} for aid, g in self.raw.items()]
            tx.run(_RAW, rows=rows).consume()
        if self.outcomes:
            rows = [_outcome_row(o, article) for o, article in self.outcomes]
            tx.run(_OUTCOMES, rows=rows).consume()
        tx.run(_PENDING).consume()
        refresh_marks(tx)


def _compressed(graph: ArticleGraph) -> bytes:
    return zlib.compress(graph.model_dump_json(exclude={"article": {"text"}}).encode())


def _outcome_row(outcome: Outcome, article: str) -> dict[str, Any]:
    label, key = outcome.node or (None, None)
    return {"id": outcome.correction, "status": outcome.status, "reason": outcome.reason,
            "original": json.dumps(outcome.original), "label": label, "key": key,
            "article": article, "shown": json.dumps(outcome.values, default=str)}


_DATE_FIELDS = ("date",)


def _value(name: str, value: Any) -> Any:
    if name in _DATE_FIELDS and isinstance(value, str):
        return dt.date.fromisoformat(value)
    return value


def refresh_marks(tx: neo4j.ManagedTransaction) -> None:
    """Mark every node an applied correction shows on; clear marks no correction supports.

    Runs at the end of every load, so a node the loader re-derived or re-keyed is marked again
    and an undone correction's marks go. Costs one pass over the corrections, which stay few.
    """
    marks = list(tx.run(_MARKS))
    events = [{"article": m["article"], "key": m["key"]} for m in marks if m["label"] == Label.EVENT.value]
    event_ids = {r["key"]: r["id"] for r in tx.run(_EVENT_OF_REPORT, rows=events)} if events else {}
    wanted: dict[tuple[str, str], dict[str, Any]] = defaultdict(dict)
    for m in marks:
        node_id = event_ids.get(m["key"]) if m["label"] == Label.EVENT.value else m["key"]
        if node_id is None:
            continue
        props = wanted[(m["label"], node_id)]
        shown = json.loads(m["shown"] or "{}")
        for name, value in shown.items():
            if name.startswith("original_") and name in props:
                continue  # the extractor's value is the one before the first correction
            props[name] = _value(name, value)
        props["reviewed"] = True
        props["reviewed_by"] = sorted({*props.get("reviewed_by", []), m["analyst"]})
        props["reviewed_at"] = m["at"]
        props["corrections"] = [*props.get("corrections", []), m["id"]]
    tx.run(_fill(_UNLINK)).consume()
    links = [{"id": m["id"], "label": m["label"], "node": event_ids.get(m["key"]) if m["label"] == Label.EVENT.value
              else m["key"]} for m in marks]
    for label in _MARK_LABELS:
        rows = [link for link in links if link["label"] == label.value and link["node"] is not None]
        if rows:
            tx.run(_fill(_LINK, label), rows=rows).consume()
    for label in _MARK_LABELS:
        previous = {r["id"]: r["keys"] for r in tx.run(_fill(_MARKED, label))}
        clear = [{"id": i, "props": dict.fromkeys([*_MARK_KEYS, *keys])}
                 for i, keys in previous.items()]
        if clear:
            tx.run(_fill(_SET_ON_NODES, label), rows=clear).consume()
        rows = [{"id": i, "props": props} for (lab, i), props in sorted(wanted.items()) if lab == label.value]
        if rows:
            tx.run(_fill(_SET_ON_NODES, label), rows=rows).consume()
