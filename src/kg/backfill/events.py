"""Event identity for a backfill: the rule `kg ingest` applies, over reports held in memory.

`kg ingest` settles each batch's reports against the graph (`kg.resolve.event_identity`,
through `kg.neo4j.event_reports.GraphReports`). A backfill has no graph yet, so
`MemoryReports` answers the same questions (`ReportStore`) from indexes over the reports
settled so far, and `cluster_events` feeds it the reports batch by batch, exactly as
`kg ingest` would, with the whole place hierarchy known from the start. The result is the
clustering `kg ingest` reaches, which depends on the set of reports only.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from kg.config import DEFAULT_BATCH_SIZE
from kg.resolve import (
    SHORT_WINDOW_DAYS,
    YEAR_WINDOW_DAYS,
    EventReport,
    representative,
    settle_events,
)
from kg.resolve.event_identity import DatedProbe, PlacedProbe, StoredReport

_DAY = dt.timedelta(days=1)


class MemoryReports:
    """A `kg.resolve.event_identity.ReportStore` over settled reports kept in memory.

    Each look-up answers what the statement of the same name in `kg.neo4j.event_reports`
    returns from the graph, through dictionaries instead of the graph's indexes.
    """

    def __init__(self, hierarchy: Iterable[tuple[str, str]]) -> None:
        self.reports: dict[str, EventReport] = {}
        self.event_of: dict[str, str] = {}  # report key → event id
        self.members: dict[str, set[str]] = defaultdict(set)  # event id → report keys
        self.by_article: dict[str, set[str]] = defaultdict(set)
        # (event type, country) → window start → keys: dated reports, and year-precise ones
        # again apart; the country is the report's (`EventReport.country`), None when unknown
        self.by_start: dict[tuple[str, str | None], dict[dt.date, set[str]]] = defaultdict(lambda: defaultdict(set))
        self.year_starts: dict[tuple[str, str | None], dict[dt.date, set[str]]] = defaultdict(
            lambda: defaultdict(set))
        self.countries: set[str | None] = {None}
        self.by_place: dict[str, set[str]] = defaultdict(set)
        self.by_pin: dict[str, set[str]] = defaultdict(set)
        self.parents: dict[str, set[str]] = defaultdict(set)
        self.children: dict[str, set[str]] = defaultdict(set)
        for place, parent in hierarchy:
            self.parents[place].add(parent)
            self.children[parent].add(place)

    # -- writes: what a load commits ---------------------------------------------------------

    def assign(self, report: EventReport, event: str) -> None:
        """Put `report` in `event` (moving it if it was in another)."""
        old = self.event_of.get(report.key)
        if old is not None:
            self.members[old].discard(report.key)
            if not self.members[old]:
                del self.members[old]
        else:
            self._index(report)
        self.reports[report.key] = report
        self.event_of[report.key] = event
        self.members[event].add(report.key)

    def _index(self, report: EventReport) -> None:
        key = report.key
        self.by_article[report.article].add(key)
        if report.window is not None:
            shelf = (report.type.value, report.country)
            self.countries.add(report.country)
            self.by_start[shelf][report.window[0]].add(key)
            if report.date_precision is not None and report.date_precision.value == "year":
                self.year_starts[shelf][report.window[0]].add(key)
        if report.place:
            self.by_place[report.place].add(key)
        for pin in report.pins:
            self.by_pin[pin].add(key)

    # -- the ReportStore -------------------------------------------------------------------

    def _stored(self, keys: Iterable[str]) -> list[StoredReport]:
        return [StoredReport(self.event_of[k], self.reports[k]) for k in sorted(set(keys))]

    def reports_of_events(self, event_ids: Sequence[str]) -> list[StoredReport]:
        return self._stored(k for e in event_ids for k in self.members.get(e, ()))

    def reports_under_places(self, place_ids: Sequence[str]) -> list[StoredReport]:
        under = {p for place in place_ids for p in {place, *self._closure(place, self.children)}}
        return self._stored(k for p in under for k in self.by_place.get(p, ()))

    def reports_in_windows(self, probes: Sequence[DatedProbe]) -> list[StoredReport]:
        """A superset of the graph's look-up: what it finds, and reports `score_reports`
        vetoes against the probe's (of another place in its country, say). A probe of a known
        country (`home`) reads that country's reports, those of no country and those at its
        places; the others read every country's."""
        found: set[str] = set()
        for probe in probes:
            candidates: set[str] = set()
            countries = self.countries if probe.home is None else (probe.home, None)
            for kind in probe.types:
                for country in countries:
                    candidates.update(self._overlapping((kind, country), probe))
            if probe.home is not None and probe.places:
                types = set(probe.types)
                candidates.update(k for place in probe.places for k in self.by_place.get(place, ())
                                  if self.reports[k].type.value in types)
            found.update(k for k in candidates if self._ends_after(k, probe.start))
        return self._stored(found)

    def _overlapping(self, shelf: tuple[str, str | None], probe: DatedProbe) -> Iterable[str]:
        starts = self.by_start.get(shelf, {})
        day = probe.start - dt.timedelta(days=SHORT_WINDOW_DAYS)
        while day <= probe.end:
            yield from starts.get(day, ())
            day += _DAY
        earliest = probe.start - dt.timedelta(days=YEAR_WINDOW_DAYS)
        for start, keys in self.year_starts.get(shelf, {}).items():
            if earliest <= start <= probe.end:
                yield from keys

    def _ends_after(self, key: str, start: dt.date) -> bool:
        window = self.reports[key].window
        return window is not None and window[1] >= start

    def reports_at_places(self, probes: Sequence[PlacedProbe], *, undated_only: bool
                          ) -> list[StoredReport]:
        found = set()
        for probe in probes:
            types = set(probe.types)
            for place in probe.places:
                for key in self.by_place.get(place, ()):
                    report = self.reports[key]
                    if report.type.value in types and (not undated_only or report.window is None):
                        found.add(key)
        return self._stored(found)

    def reports_pinned(self, pins: Sequence[str]) -> list[StoredReport]:
        return self._stored(k for pin in pins for k in self.by_pin.get(pin, ()))

    def ancestors(self, place_ids: Sequence[str]) -> dict[str, frozenset[str]]:
        return {p: frozenset(self._closure(p, self.parents)) for p in place_ids}

    def descendants(self, place_ids: Sequence[str]) -> dict[str, frozenset[str]]:
        return {p: frozenset(self._closure(p, self.children)) for p in place_ids}

    def events_of_articles(self, article_ids: Sequence[str]) -> dict[str, str]:
        return {k: self.event_of[k] for a in article_ids for k in self.by_article.get(a, ())}

    @staticmethod
    def _closure(place: str, edges: dict[str, set[str]]) -> set[str]:
        seen: set[str] = set()
        todo = list(edges.get(place, ()))
        while todo:
            other = todo.pop()
            if other not in seen:
                seen.add(other)
                todo.extend(edges.get(other, ()))
        return seen


@dataclass
class Clustering:
    """Every report's canonical Event, each Event's properties, each report's best match."""

    events: dict[str, str] = field(default_factory=dict)  # report key → event id
    properties: dict[str, dict[str, Any]] = field(default_factory=dict)  # event id → its node's
    explanations: dict[str, dict[str, Any]] = field(default_factory=dict)  # report key → props


def cluster_events(reports: Sequence[EventReport], hierarchy: Iterable[tuple[str, str]], *,
                   batch_size: int = DEFAULT_BATCH_SIZE) -> Clustering:
    """Settle `reports` (in article order) as `kg ingest` would, `batch_size` articles at a time."""
    store = MemoryReports(hierarchy)
    explained: dict[str, dict[str, Any]] = {}
    by_article: dict[str, list[EventReport]] = defaultdict(list)
    for report in reports:
        by_article[report.article].append(report)
    articles = list(by_article)
    for first in range(0, len(articles), batch_size):
        loading = set(articles[first:first + batch_size])
        new = [r for a in articles[first:first + batch_size] for r in by_article[a]]
        settlement = settle_events(store, new, loading=loading)
        settled = {r.key: r for r in new}
        for key, event in settlement.events.items():
            store.assign(settled.get(key) or store.reports[key], event)
        # `kg ingest` re-creates the REPORTS of an article whose report moved to another Event
        # (kg.neo4j.loader, _reload), which drops the match kept on its reports that were not
        # settled again; so does this, to give its graph. (Order-dependent in ingest: reported.)
        for article in settlement.moved:
            for key in store.by_article.get(article, ()):
                explained.pop(key, None)
        for explanation in settlement.explanations:
            explained[explanation.key] = asdict(explanation)
    result = Clustering(events=dict(store.event_of))
    for event, keys in store.members.items():
        result.properties[event] = representative([store.reports[k] for k in keys]).event_properties()
    for key, row in explained.items():
        result.explanations[key] = {"match_score": row["score"], "match_reasons": row["reasons"],
                                    "matched_with": row["other"]}
    return result
