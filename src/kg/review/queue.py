"""The review queue: what most needs a human, ranked, each with its evidence and the fix command.

The ranking rule (docs/review.md): every check has a weight, the harm an uncorrected item does
to a coded dataset; items are ordered by weight, then by how many articles stand behind the
item (a fact many reports repeat reaches more analyses), then by id, so the order is stable.
Nodes an analyst already corrected (`reviewed: true`) leave the queue.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

import neo4j

from kg.neo4j.sessions import quiet_session


@dataclass(frozen=True)
class Check:
    name: str
    weight: int
    why: str
    query: str


@dataclass
class QueueItem:
    weight: int
    check: str
    subject: str
    articles: int
    what: str
    article: str | None
    start: int | None
    end: int | None
    evidence: str
    fix: str

    def row(self) -> dict[str, Any]:
        return asdict(self)


# Where an event is anchored for a fix: its first report's first evidence sentence. Each check
# returns subject, articles, what, article, start, end, evidence and `hint` (what the fix command
# needs besides the anchor: the report's event type, a figure's words, a relationship's type).
_EVENT_ANCHOR = """
CALL (e) {
    MATCH (a:Article)-[r:REPORTS]->(e)
    WITH a, r ORDER BY a.id LIMIT 1
    RETURN a.id AS article, r.evidence_start[0] AS start, r.evidence_end[0] AS end,
           r.evidence[0] AS evidence, r.event_type AS hint
}
CALL (e) { MATCH (x:Article)-[:REPORTS]->(e) RETURN count(x) AS articles }
"""

# Words that name an organisation, not a person: a Person with one of them is likely mistyped.
ORGANISATION_WORDS = ("agency", "army", "association", "authority", "brigade", "command", "commission",
                      "committee", "council", "department", "directorate", "forces", "front",
                      "government", "group", "league", "ministry", "movement", "office",
                      "operation", "organisation", "organization", "party", "police", "red cross",
                      "relations", "service", "union")
LOW_CONFIDENCE = 0.6
_LOW_PRECISION = ["admin_region", "country", "unknown"]

CHECKS = (
    Check("orphaned correction", 100, "an analyst's decision no longer applies: the article changed",
          """
MATCH (c:Correction {status: "orphaned"})
RETURN c.id AS subject, 1 AS articles, c.target AS what, c.article AS article, null AS start,
       null AS end, c.reason AS evidence, null AS hint
"""),
    Check("correction not applied yet", 95, "recorded in Neo4j Browser: `kg review apply` applies it",
          """
MATCH (c:Correction) WHERE coalesce(c.status, "recorded") = "recorded"
RETURN c.id AS subject, 1 AS articles, c.action + " " + coalesce(c.target_kind, c.target, "") AS what,
       c.article AS article, null AS start, null AS end, coalesce(c.note, "") AS evidence, null AS hint
"""),
    Check("conflicting tolls", 90, "two sources give tolls of one kind that cannot both be true",
          """
MATCH (e:Event)-[:HAS_FIGURE]->(f:Figure) WHERE coalesce(e.reviewed, false) = false
  AND NOT coalesce(e.background, false) AND f.kind IN ["killed", "wounded"]
  AND coalesce(f.scope, "main") = "main" AND f.min IS NOT NULL
WITH e, f.kind AS kind, collect(f) AS figures
WITH e, kind, figures, reduce(lo = null, f IN figures | CASE WHEN lo IS NULL OR coalesce(f.max, f.min) < lo
                                                      THEN coalesce(f.max, f.min) ELSE lo END) AS lowest,
     reduce(hi = 0, f IN figures | CASE WHEN f.min > hi THEN f.min ELSE hi END) AS highest
WHERE size(figures) > 1 AND highest > lowest
""" + _EVENT_ANCHOR + """
RETURN e.id AS subject, articles, e.label + ": " + kind + " " + toString(lowest) + " vs " + toString(highest)
       AS what, article, start, end, evidence, hint
"""),
    Check("claim next to denial", 80, "one actor claims what another (or the same) denies",
          """
MATCH (g)-[:CLAIMED_RESPONSIBILITY]->(e:Event)<-[:DENIED_RESPONSIBILITY]-(h)
WHERE coalesce(e.reviewed, false) = false
WITH DISTINCT e, g, h
""" + _EVENT_ANCHOR + """
RETURN e.id AS subject, articles, e.label + ": claimed by " + g.name + ", denied by " + h.name AS what,
       article, start, end, evidence, hint
"""),
    Check("event without a date", 70, "an undated event cannot enter a dated dataset",
          """
MATCH (e:Event) WHERE e.date IS NULL AND NOT coalesce(e.background, false)
  AND coalesce(e.reviewed, false) = false
""" + _EVENT_ANCHOR + """
RETURN e.id AS subject, articles, e.label AS what, article, start, end, evidence, hint
"""),
    Check("figure tied to no event", 60, "a number no event counts is lost to every toll",
          """
MATCH (f:Figure) WHERE NOT EXISTS { (:Event)-[:HAS_FIGURE]->(f) } AND coalesce(f.reviewed, false) = false
// A figure from an unnamed source has no ACCORDING_TO, nor then a sentence in the graph.
OPTIONAL MATCH (f)-[r:ACCORDING_TO]->()
RETURN DISTINCT f.id AS subject, 1 AS articles, f.kind + ": " + f.text AS what, f.article AS article,
       r.evidence_start[0] AS start, r.evidence_end[0] AS end, r.evidence[0] AS evidence, f.text AS hint
"""),
    Check("place of low precision", 50, "only a region or a country: the event cannot be mapped",
          """
MATCH (e:Event) WHERE NOT coalesce(e.background, false) AND coalesce(e.reviewed, false) = false
OPTIONAL MATCH (e)-[:OCCURRED_IN]->(p:Place)
WITH e, collect(p) AS places
WHERE size(places) = 0 OR all(p IN places WHERE p.precision IN $low OR p.kind IN ["country", "admin_region"])
""" + _EVENT_ANCHOR + """
RETURN e.id AS subject, articles,
       e.label + CASE WHEN size(places) = 0 THEN " (no place)" ELSE " (in " + places[0].name + ")" END AS what,
       article, start, end, evidence, hint
"""),
    Check("person with an organisation's name", 40, "an organisation typed Person speaks and acts as no one",
          """
MATCH (p:Person) WHERE coalesce(p.reviewed, false) = false
  AND any(word IN $words WHERE " " + toLower(p.name) + " " CONTAINS " " + word + " ")
CALL (p) { MATCH (a:Article)-[m:MENTIONS]->(p) RETURN a.id AS article, m.evidence_start[0] AS start,
           m.evidence_end[0] AS end, m.evidence[0] AS evidence ORDER BY a.id LIMIT 1 }
CALL (p) { MATCH (x:Article)-[:MENTIONS]->(p) RETURN count(x) AS articles }
RETURN p.id AS subject, articles, p.name AS what, article, start, end, evidence, null AS hint
"""),
    Check("low-confidence fact", 30, "the extractor itself was unsure",
          """
MATCH (s)-[r]->(t) WHERE r.confidence < $confidence AND NOT type(r) IN ["MENTIONS", "REPORTS", "LOCATED_IN"]
RETURN s.id + " " + type(r) + " " + t.id AS subject, size(r.articles) AS articles,
       coalesce(s.name, s.label, s.id) + " " + type(r) + " " + coalesce(t.name, t.label, t.id) AS what,
       r.articles[0] AS article, r.evidence_start[0] AS start, r.evidence_end[0] AS end,
       r.evidence[0] AS evidence, type(r) AS hint
"""),
)


def _fix(check: str, row: dict[str, Any]) -> str:
    """The command that fixes the item (the analyst fills in the value)."""
    at = f"--article {row['article']} --at {row['start']}:{row['end']}"
    event = f"{at} --event-type {row['hint']}"
    if check == "orphaned correction":
        return f"kg review undo {row['subject']}  # then record it again on the changed article"
    if check == "correction not applied yet":
        return "kg review apply"
    if check == "conflicting tolls":
        return f"kg review show {row['subject']}  # then: kg review reject figure … or set figure …"
    if check == "claim next to denial":
        return f"kg review reject relation --type CLAIMED_RESPONSIBILITY --source ENTITY --target event {event}"
    if check == "event without a date":
        return f"kg review set event date YYYY-MM-DD {event}"
    if check == "figure tied to no event":
        return f"kg review set figure event START:END {at} --text '{row['hint']}'"
    if check == "place of low precision":
        return f"kg review set event place PLACE_ID {event}"
    if check == "person with an organisation's name":
        return f"kg review retype {row['subject']} Organisation"
    subject = str(row["subject"]).split(" ")
    return (f"kg review reject relation --type {row['hint']} --source {subject[0]} "
            f"--target {subject[-1]} --article {row['article']}")


def review_queue(driver: neo4j.Driver, *, limit: int | None = None, checks: Iterable[Check] = CHECKS,
                 database: str | None = None) -> list[QueueItem]:
    """The queue, ranked (see the module docstring)."""
    params = {"low": _LOW_PRECISION, "words": list(ORGANISATION_WORDS), "confidence": LOW_CONFIDENCE}

    def work(tx: neo4j.ManagedTransaction) -> list[QueueItem]:
        items = []
        for check in checks:
            for record in tx.run(check.query, params):
                row = dict(record)
                items.append(QueueItem(
                    weight=check.weight, check=check.name, subject=row["subject"],
                    articles=row["articles"] or 0, what=row["what"] or "", article=row["article"],
                    start=row["start"], end=row["end"], evidence=" ".join((row["evidence"] or "").split()),
                    fix=_fix(check.name, row)))
        return items

    with quiet_session(driver, database) as session:
        items = session.execute_read(work)
    items.sort(key=lambda i: (-i.weight, -i.articles, i.subject))
    return items[:limit] if limit else items


def orphaned_count(driver: neo4j.Driver, *, database: str | None = None) -> tuple[int, int]:
    """(corrections, orphaned corrections), for `kg stats`."""
    query = ("MATCH (c:Correction) WHERE c.action <> 'undo' "
             "RETURN count(c) AS all, count(CASE WHEN c.status = 'orphaned' THEN 1 END) AS orphaned")
    with quiet_session(driver, database) as session:
        record = session.execute_read(lambda tx: tx.run(query).single())
    return (record["all"], record["orphaned"]) if record else (0, 0)
