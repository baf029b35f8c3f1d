"""The resolve stage's view of the graph: the event reports and place hierarchy loaded so far.

`GraphReports` implements `kg.resolve.event_identity.ReportStore` over the load transaction
(`kg.neo4j.loader`), so the reports a load settles against are those committed before it.
Every statement here only reads; the probes' date windows and types come from the resolve stage.
Their lists travel inside a map, `$batch`, as the loader's do (`kg.neo4j.statements`): Neo4j
keys a cached plan by its parameters' types, a bare list's type includes its size range, and
each new range cost a plan again (1–3 s on a cold server, measured).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import neo4j

from kg.resolve import SHORT_WINDOW_DAYS, WINDOW_SPANS, YEAR_WINDOW_DAYS, EventReport
from kg.resolve.coreference import NEAR_KM
from kg.resolve.event_identity import DatedProbe, PlacedProbe, StoredReport

Run = Callable[..., list[neo4j.Record]]

_ARTICLE_EVENTS = (
    "UNWIND $batch.ids AS id MATCH (:Article {id: id})-[r:REPORTS]->(e:Event) "
    "RETURN r.report_key AS key, e.id AS event"
)
_ANCESTORS = (
    "UNWIND $batch.ids AS id MATCH (p:Place {id: id}) "
    "OPTIONAL MATCH (p)-[:LOCATED_IN*1..]->(a:Place) RETURN p.id AS id, collect(DISTINCT a.id) AS ancestors"
)
_EVENT_REPORTS = (
    "UNWIND $batch.ids AS id MATCH (a:Article)-[r:REPORTS]->(e:Event {id: id}) "
    "RETURN a.id AS article, e.id AS event, properties(r) AS props, e.match_component AS component"
)
# A stored match component whole (kg.resolve.event_identity), through the index on its Events.
_COMPONENT_REPORTS = (
    "UNWIND $batch.ids AS id MATCH (e:Event {match_component: id}) MATCH (a:Article)-[r:REPORTS]->(e) "
    "RETURN a.id AS article, e.id AS event, properties(r) AS props, e.match_component AS component"
)
_EVENTS_UNDER = (
    "UNWIND $batch.ids AS id MATCH (:Place {id: id})<-[:LOCATED_IN*0..]-(:Place)<-[:OCCURRED_IN]-(e:Event) "
    "MATCH (a:Article)-[r:REPORTS]->(e) RETURN DISTINCT a.id AS article, e.id AS event, properties(r) AS props, e.match_component AS component"
)
# Reports of a compatible type whose date window may overlap a probe's. Windows are at most
# `$short` days long except for year-precise reports, so the (event_type, window_start) index is
# searched over a bounded range; year-long windows through the (date_precision, window_start)
# one, also over a bounded range: unbounded, every probe read every year-precise report of the
# past, and loading slowed as the graph grew.
_CANDIDATES = """
UNWIND $batch.probes AS probe
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
RETURN DISTINCT a.id AS article, e.id AS event, properties(r) AS props, e.match_component AS component
"""
# The same for a placed report (`probe.places`: its place, the places enclosing it and those
# inside it; and the places within NEAR_KM of it, through the point index on Place): only the
# reports of those places, so the cost per probe does not grow with the reports of the period.
# Each window span (`window_span`: week, month, year) is read over its own range through the
# (place, window_span, window_start) index: a day-precise probe reads a week of each place's
# reports, not a month (at 10,000 synthetic articles this look-up was a third of the load).
# The hints keep the planner on that index: without them it scanned it whole (measured).
_CANDIDATES_AT_PLACES = """
UNWIND $batch.probes AS probe
CALL (probe) {
    UNWIND probe.places AS place
    RETURN place
    UNION
    WITH probe WHERE probe.latitude IS NOT NULL AND probe.longitude IS NOT NULL
    MATCH (p:Place)
    WHERE point.distance(p.location, point({latitude: probe.latitude, longitude: probe.longitude})) <= $near
    RETURN p.id AS place
}
CALL (probe, place) {<BRANCHES>
}
WITH probe, a, r, e
WHERE r.event_type IN probe.types AND r.window_end >= probe.start
RETURN DISTINCT a.id AS article, e.id AS event, properties(r) AS props, e.match_component AS component
""".replace("<BRANCHES>", "\n    UNION".join(f"""
    MATCH (a:Article)-[r:REPORTS]->(e:Event)
    USING INDEX r:REPORTS(place, window_span, window_start)
    WHERE r.place = place AND r.window_span = "{span}"
      AND r.window_start >= probe.start - duration({{days: $spans.{span}}}) AND r.window_start <= probe.end
    RETURN a, r, e""" for span in WINDOW_SPANS))  # the spans' names: constants, never data
# A report placed at a country may be one incident with any report in that country.
_CANDIDATES_IN_COUNTRY = """
UNWIND $batch.probes AS probe
CALL (probe) {
    MATCH (a:Article)-[r:REPORTS]->(e:Event)
    WHERE r.place_country = probe.country
      AND r.window_start >= probe.start - duration({days: $short}) AND r.window_start <= probe.end
    RETURN a, r, e
    UNION
    MATCH (a:Article)-[r:REPORTS]->(e:Event)
    WHERE r.place_country = probe.country AND r.date_precision = "year"
      AND r.window_start >= probe.start - duration({days: $year}) AND r.window_start <= probe.end
    RETURN a, r, e
}
WITH probe, a, r, e
WHERE r.event_type IN probe.types AND r.window_end >= probe.start
RETURN DISTINCT a.id AS article, e.id AS event, properties(r) AS props, e.match_component AS component
"""
# Dated reports without a place, in an article that names no country, may match a placed one
# anywhere: found through `unplaced_span` ("short" or "year"), set on those reports alone.
_UNPLACED_CANDIDATES = """
UNWIND $batch.probes AS probe
CALL (probe) {
    MATCH (a:Article)-[r:REPORTS]->(e:Event)
    WHERE r.unplaced_span = "short"
      AND r.window_start >= probe.start - duration({days: $short}) AND r.window_start <= probe.end
    RETURN a, r, e
    UNION
    MATCH (a:Article)-[r:REPORTS]->(e:Event)
    WHERE r.unplaced_span = "year"
      AND r.window_start >= probe.start - duration({days: $year}) AND r.window_start <= probe.end
    RETURN a, r, e
}
WITH probe, a, r, e
WHERE r.event_type IN probe.types AND r.window_end >= probe.start
RETURN DISTINCT a.id AS article, e.id AS event, properties(r) AS props, e.match_component AS component
"""
# Those of an article of the probe's country (`probe.home`): through `unplaced_in`
# ("<country>:short" or "<country>:year"), so a look-up reads one country's, not the world's.
_UNPLACED_IN_COUNTRY = """
UNWIND $batch.probes AS probe
CALL (probe) {
    MATCH (a:Article)-[r:REPORTS]->(e:Event)
    WHERE r.unplaced_in = probe.home + ":short"
      AND r.window_start >= probe.start - duration({days: $short}) AND r.window_start <= probe.end
    RETURN a, r, e
    UNION
    MATCH (a:Article)-[r:REPORTS]->(e:Event)
    WHERE r.unplaced_in = probe.home + ":year"
      AND r.window_start >= probe.start - duration({days: $year}) AND r.window_start <= probe.end
    RETURN a, r, e
}
WITH probe, a, r, e
WHERE r.event_type IN probe.types AND r.window_end >= probe.start
RETURN DISTINCT a.id AS article, e.id AS event, properties(r) AS props, e.match_component AS component
"""
# Reports without any date, and the reports an undated one may match, are found by place
# (`probe.places`: the report's place, the places enclosing it and those inside it): a dated
# probe reads only the undated reports there (`undated_place`, set on those alone), an undated
# probe every report there. Both through indexes on REPORTS.
_CANDIDATES_AT = """
UNWIND $batch.probes AS probe
UNWIND probe.places AS place
MATCH (a:Article)-[r:REPORTS]->(e:Event)
WHERE r.place = place AND r.event_type IN probe.types
RETURN DISTINCT a.id AS article, e.id AS event, properties(r) AS props, e.match_component AS component
"""
_UNDATED_AT = """
UNWIND $batch.probes AS probe
UNWIND probe.places AS place
MATCH (a:Article)-[r:REPORTS]->(e:Event)
WHERE r.undated_place = place AND r.event_type IN probe.types
RETURN DISTINCT a.id AS article, e.id AS event, properties(r) AS props, e.match_component AS component
"""
# Reports an analyst joined to one being settled ("same:" pins, kg.review), whatever their
# type, date or place: found through the index on the `pinned` flag only pinned reports carry.
_PINNED = """
UNWIND $batch.pins AS pin
MATCH (a:Article)-[r:REPORTS]->(e:Event)
WHERE r.pinned = true AND pin IN r.pins
RETURN DISTINCT a.id AS article, e.id AS event, properties(r) AS props, e.match_component AS component
"""
_DESCENDANTS = (
    "UNWIND $batch.ids AS id MATCH (p:Place {id: id}) "
    "OPTIONAL MATCH (p)<-[:LOCATED_IN*1..]-(q:Place) RETURN p.id AS id, collect(DISTINCT q.id) AS inside"
)


class GraphReports:
    """The reports in the graph, read with `run` (a transaction's, whose counts it keeps)."""

    def __init__(self, run: Run) -> None:
        self.run = run

    def _reports(self, query: str, **params: Any) -> list[StoredReport]:
        return [StoredReport(r["event"], EventReport.from_properties(r["article"], r["props"]), r["component"])
                for r in self.run(query, **params)]

    def reports_of_events(self, event_ids: Sequence[str]) -> list[StoredReport]:
        return self._reports(_EVENT_REPORTS, batch={"ids": list(event_ids)})

    def reports_of_components(self, components: Sequence[str]) -> list[StoredReport]:
        return self._reports(_COMPONENT_REPORTS, batch={"ids": list(components)})

    def reports_under_places(self, place_ids: Sequence[str]) -> list[StoredReport]:
        return self._reports(_EVENTS_UNDER, batch={"ids": list(place_ids)})

    def reports_in_windows(self, probes: Sequence[DatedProbe]) -> list[StoredReport]:
        """A query per kind of probe: anywhere, at places, in a country; and the unplaced of a
        country, or of no country."""
        windows = {"short": SHORT_WINDOW_DAYS, "year": YEAR_WINDOW_DAYS}
        anywhere = [p._asdict() for p in probes if p.places is None and p.country is None]
        placed = [p._asdict() for p in probes if p.places is not None]
        in_country = [p._asdict() for p in probes if p.country is not None]
        unplaced = [p._asdict() for p in probes if p.placeless]
        unplaced_in = [p._asdict() for p in probes if p.home is not None]
        found = []
        for query, some in ((_CANDIDATES, anywhere), (_CANDIDATES_AT_PLACES, placed),
                            (_CANDIDATES_IN_COUNTRY, in_country),
                            (_UNPLACED_CANDIDATES, unplaced), (_UNPLACED_IN_COUNTRY, unplaced_in)):
            if some:
                found += self._reports(query, batch={"probes": some}, near=NEAR_KM * 1000,
                                       spans=WINDOW_SPANS, **windows)
        return found

    def reports_at_places(self, probes: Sequence[PlacedProbe], *, undated_only: bool
                          ) -> list[StoredReport]:
        query = _UNDATED_AT if undated_only else _CANDIDATES_AT
        return self._reports(query, batch={"probes": [p._asdict() for p in probes]})

    def reports_pinned(self, pins: Sequence[str]) -> list[StoredReport]:
        return self._reports(_PINNED, batch={"pins": list(pins)})

    def ancestors(self, place_ids: Sequence[str]) -> dict[str, frozenset[str]]:
        return {r["id"]: frozenset(r["ancestors"]) for r in self.run(_ANCESTORS, batch={"ids": list(place_ids)})}

    def descendants(self, place_ids: Sequence[str]) -> dict[str, frozenset[str]]:
        return {r["id"]: frozenset(r["inside"]) for r in self.run(_DESCENDANTS, batch={"ids": list(place_ids)})}

    def events_of_articles(self, article_ids: Sequence[str]) -> dict[str, str]:
        return {r["key"]: r["event"] for r in self.run(_ARTICLE_EVENTS, batch={"ids": list(article_ids)})}
