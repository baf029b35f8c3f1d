"""`kg review show EVENT`: an event as a coder checks it, with the anchors corrections need."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import neo4j

from kg.neo4j.queries import plain
from kg.neo4j.sessions import quiet_session
from kg.resolve.corrections import CorrectionError

_EVENT = "MATCH (e:Event {id: $id}) RETURN properties(e) AS props"
_REPORTS = """
MATCH (a:Article)-[r:REPORTS]->(:Event {id: $id})
RETURN a.id AS article, a.title AS title, r.event_type AS type, r.date AS date,
       r.evidence AS evidence, r.evidence_start AS starts, r.evidence_end AS ends
ORDER BY article
"""
_FACTS = """
MATCH (e:Event {id: $id})-[r]-(n) WHERE NOT type(r) IN ["REPORTS", "CORRECTS"]
RETURN type(r) AS type, startNode(r) = e AS outgoing, n.id AS other, coalesce(n.name, n.text, n.label) AS name,
       r.articles AS articles, r.evidence_start AS starts, r.evidence_end AS ends
ORDER BY type, other
"""
_CORRECTIONS = """
MATCH (e:Event {id: $id}) UNWIND coalesce(e.corrections, []) AS cid
MATCH (c:Correction {id: cid}) RETURN c.id AS id, c.analyst AS analyst, c.action AS action,
       c.field AS field, c.value AS value, c.note AS note
"""


@dataclass
class EventView:
    id: str
    properties: dict[str, Any]
    reports: list[dict[str, Any]] = field(default_factory=list)
    facts: list[dict[str, Any]] = field(default_factory=list)
    corrections: list[dict[str, Any]] = field(default_factory=list)


def show_event(driver: neo4j.Driver, event_id: str, *, database: str | None = None) -> EventView:
    """The event, each article's report with its evidence offsets, its facts and corrections."""
    def work(tx: neo4j.ManagedTransaction) -> EventView:
        found = tx.run(_EVENT, id=event_id).single()
        if found is None:
            raise CorrectionError(f"no event {event_id} in the graph")
        view = EventView(event_id, plain(dict(found["props"])))
        view.reports = [plain(dict(r)) for r in tx.run(_REPORTS, id=event_id)]
        view.facts = [plain(dict(r)) for r in tx.run(_FACTS, id=event_id)]
        view.corrections = [plain(dict(r)) for r in tx.run(_CORRECTIONS, id=event_id)]
        return view

    with quiet_session(driver, database) as session:
        return session.execute_read(work)
