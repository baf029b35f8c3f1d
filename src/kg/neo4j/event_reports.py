"""The resolve stage's view of the graph: the event reports and place hierarchy loaded so far.

`GraphReports` implements `kg.resolve.event_identity.ReportStore` over the load transaction
(`kg.neo4j.loader`), so the reports a load settles against are those committed before it.
Every statement here only reads; the probes' date windows and types come from the resolve stage.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import neo4j

from kg.resolve import SHORT_WINDOW_DAYS, YEAR_WINDOW_DAYS, EventReport
from kg.resolve.event_identity import DatedProbe, PlacedProbe, StoredReport

Run = Callable[..., list[neo4j.Record]]

_ARTICLE_EVENTS = (
    "UNWIND $ids AS id MATCH (:Article {id: id})-[r:REPORTS]->(e:Event) "
    "RETURN r.report_key AS key, e.id AS event"
)
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


class GraphReports:
    """The reports in the graph, read with `run` (a transaction's, whose counts it keeps)."""

    def __init__(self, run: Run) -> None:
        self.run = run

    def _reports(self, query: str, **params: Any) -> list[StoredReport]:
        return [StoredReport(r["event"], EventReport.from_properties(r["article"], r["props"]))
                for r in self.run(query, **params)]

    def reports_of_events(self, event_ids: Sequence[str]) -> list[StoredReport]:
        return self._reports(_EVENT_REPORTS, ids=list(event_ids))

    def reports_under_places(self, place_ids: Sequence[str]) -> list[StoredReport]:
        return self._reports(_EVENTS_UNDER, ids=list(place_ids))

    def reports_in_windows(self, probes: Sequence[DatedProbe]) -> list[StoredReport]:
        return self._reports(_CANDIDATES, probes=[p._asdict() for p in probes],
                             short=SHORT_WINDOW_DAYS, year=YEAR_WINDOW_DAYS)

    def reports_at_places(self, probes: Sequence[PlacedProbe], *, undated_only: bool
                          ) -> list[StoredReport]:
        query = _UNDATED_AT if undated_only else _CANDIDATES_AT
        return self._reports(query, probes=[p._asdict() for p in probes])

    def reports_pinned(self, pins: Sequence[str]) -> list[StoredReport]:
        return self._reports(_PINNED, pins=list(pins))

    def ancestors(self, place_ids: Sequence[str]) -> dict[str, frozenset[str]]:
        return {r["id"]: frozenset(r["ancestors"]) for r in self.run(_ANCESTORS, ids=list(place_ids))}

    def descendants(self, place_ids: Sequence[str]) -> dict[str, frozenset[str]]:
        return {r["id"]: frozenset(r["inside"]) for r in self.run(_DESCENDANTS, ids=list(place_ids))}

    def events_of_articles(self, article_ids: Sequence[str]) -> dict[str, str]:
        return {r["key"]: r["event"] for r in self.run(_ARTICLE_EVENTS, ids=list(article_ids))}
