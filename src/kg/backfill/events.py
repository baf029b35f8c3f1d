"""Event identity for a backfill: the rule `kg ingest` applies, over reports held in memory.

`kg ingest` settles each batch's reports against the graph (`kg.resolve.event_identity`,
through `kg.neo4j.event_reports.GraphReports`). A backfill has no graph yet, so
`MemoryReports` answers the same questions (`ReportStore`) from indexes over the reports
settled so far, and `EventClusterer` feeds it the reports batch by batch, exactly as
`kg ingest` would, the place hierarchy growing as articles arrive (a place given a new parent
is re-probed, as the loader does). The result is the clustering `kg ingest` reaches, which
depends on the set of reports only. Reports can be added as the map step delivers them, so
the driver clusters while the workers still extract.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from kg.config import DEFAULT_BATCH_SIZE
from kg.resolve import (
    SHORT_WINDOW_DAYS,
    YEAR_WINDOW_DAYS,
    EventReport,
    representative,
    settle_events,
)
from kg.resolve.coreference import NEAR_KM, cells_near, grid_cell, km_between
from kg.resolve.event_identity import DatedProbe, Explanation, PlacedProbe, StoredReport

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
        self.component_of: dict[str, str] = {}  # event id → its match component
        self.in_component: dict[str, set[str]] = defaultdict(set)  # component → event ids
        self.by_article: dict[str, set[str]] = defaultdict(set)
        # Dated reports by (event type, where) → window start → keys, and year-precise ones
        # again apart. `where` is what the graph's look-ups read: ("all",) every report,
        # ("at", place), ("in", country of the place), ("unplaced", the article's country
        # or None) for a report without a place.
        self.by_start: dict[tuple[str, tuple[str, ...]], dict[dt.date, set[str]]] = defaultdict(
            lambda: defaultdict(set))
        self.year_starts: dict[tuple[str, tuple[str, ...]], dict[dt.date, set[str]]] = defaultdict(
            lambda: defaultdict(set))
        self.places_in_cell: dict[tuple[int, int], dict[str, tuple[float, float]]] = defaultdict(dict)
        self.by_place: dict[str, set[str]] = defaultdict(set)
        # Undated ones again apart (the graph's `undated_place`): a dated report looks for
        # those alone at its places, and a place's reports of all time grow with the archive.
        self.undated_at: dict[str, set[str]] = defaultdict(set)
        self.by_pin: dict[str, set[str]] = defaultdict(set)
        self.parents: dict[str, set[str]] = defaultdict(set)
        self.children: dict[str, set[str]] = defaultdict(set)
        self.add_hierarchy(hierarchy)

    def add_hierarchy(self, pairs: Iterable[tuple[str, str]]) -> set[str]:
        """Add (place, parent) pairs; returns the places given a parent they did not have
        (what the loader's HIERARCHY statement reports as created)."""
        moved = set()
        for place, parent in pairs:
            if parent not in self.parents[place]:
                self.parents[place].add(parent)
                self.children[parent].add(place)
                moved.add(place)
        return moved

    def hierarchy(self) -> list[tuple[str, str]]:
        """Every (place, parent) pair added, sorted."""
        return sorted((place, parent) for place, parents in self.parents.items() for parent in parents)

    # -- writes: what a load commits ---------------------------------------------------------

    def assign(self, report: EventReport, event: str) -> None:
        """Put `report` in `event` (moving it if it was in another)."""
        old = self.event_of.get(report.key)
        if old == event:  # a report of a re-derived article that keeps its Event
            self.reports[report.key] = report
            return
        if old is not None:
            self.members[old].discard(report.key)
            if not self.members[old]:
                del self.members[old]
                self._set_component(old, None)
        else:
            self._index(report)
        self.reports[report.key] = report
        self.event_of[report.key] = event
        self.members[event].add(report.key)

    def set_components(self, components: dict[str, str]) -> None:
        """Event id → match component, for the Events a settle names (the loader's SET_COMPONENTS)."""
        for event, component in components.items():
            if event in self.members:
                self._set_component(event, component)

    def _set_component(self, event: str, component: str | None) -> None:
        old = self.component_of.pop(event, None)
        if old is not None:
            self.in_component[old].discard(event)
            if not self.in_component[old]:
                del self.in_component[old]
        if component is not None:
            self.component_of[event] = component
            self.in_component[component].add(event)

    def _index(self, report: EventReport) -> None:
        key = report.key
        self.by_article[report.article].add(key)
        if report.window is not None:
            wheres: list[tuple[str, ...]] = [("all",)]
            if report.place is None:
                wheres.append(("unplaced", report.home_country or ""))
            else:
                wheres.append(("at", report.place))
                if report.place_country:
                    wheres.append(("in", report.place_country))
            for where in wheres:
                shelf = (report.type.value, where)
                self.by_start[shelf][report.window[0]].add(key)
                if report.date_precision is not None and report.date_precision.value == "year":
                    self.year_starts[shelf][report.window[0]].add(key)
        if report.place:
            self.by_place[report.place].add(key)
            if report.window is None:
                self.undated_at[report.place].add(key)
            if report.latitude is not None and report.longitude is not None:
                cell = grid_cell(report.latitude, report.longitude)
                self.places_in_cell[cell][report.place] = (report.latitude, report.longitude)
        for pin in report.pins:
            self.by_pin[pin].add(key)

    # -- the ReportStore -------------------------------------------------------------------

    def _stored(self, keys: Iterable[str]) -> list[StoredReport]:
        return [StoredReport(event := self.event_of[k], self.reports[k], self.component_of.get(event))
                for k in sorted(set(keys))]

    def reports_of_events(self, event_ids: Sequence[str]) -> list[StoredReport]:
        return self._stored(k for e in event_ids for k in self.members.get(e, ()))

    def reports_of_components(self, components: Sequence[str]) -> list[StoredReport]:
        return self._stored(k for c in components for e in self.in_component.get(c, ())
                            for k in self.members.get(e, ()))

    def reports_under_places(self, place_ids: Sequence[str]) -> list[StoredReport]:
        under = {p for place in place_ids for p in {place, *self._closure(place, self.children)}}
        return self._stored(k for p in under for k in self.by_place.get(p, ()))

    def reports_in_windows(self, probes: Sequence[DatedProbe]) -> list[StoredReport]:
        """What the graph's look-ups (`kg.neo4j.event_reports`) read for these probes, or a
        little more (places a few km beyond NEAR_KM): reports at the probe's places and near
        it, or in its country, or anywhere; and the unplaced of its article's country, and
        with `placeless` those of articles naming none."""
        found: set[str] = set()
        for probe in probes:
            wheres: list[tuple[str, ...]]
            if probe.places is not None:
                wheres = [("at", place) for place in {*probe.places, *self._near(probe)}]
            elif probe.country is not None:
                wheres = [("in", probe.country)]
            else:
                wheres = [("all",)]
            if probe.home is not None:
                wheres.append(("unplaced", probe.home))
            if probe.placeless:
                wheres.append(("unplaced", ""))
            candidates: set[str] = set()
            for kind in probe.types:
                for where in wheres:
                    candidates.update(self._overlapping((kind, where), probe))
            found.update(k for k in candidates if self._ends_after(k, probe.start))
        return self._stored(found)

    def _near(self, probe: DatedProbe) -> set[str]:
        """Places of stored reports within NEAR_KM of the probe (and a little beyond)."""
        if probe.latitude is None or probe.longitude is None:
            return set()
        return {place for cell in cells_near(probe.latitude, probe.longitude)
                for place, (lat, lon) in self.places_in_cell.get(cell, {}).items()
                if km_between(probe.latitude, probe.longitude, lat, lon) <= NEAR_KM + 1.0}

    def _overlapping(self, shelf: tuple[str, tuple[str, ...]], probe: DatedProbe) -> Iterable[str]:
        starts = self.by_start.get(shelf)
        if not starts:
            return
        day = probe.start - dt.timedelta(days=SHORT_WINDOW_DAYS)
        if len(starts) <= (probe.end - day).days:  # fewer starts than days: read them all
            for start, keys in starts.items():
                if day <= start <= probe.end:
                    yield from keys
        else:
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
        found: set[str] = set()
        stored = self.undated_at if undated_only else self.by_place
        for probe in probes:
            types = set(probe.types)
            for place in probe.places:
                found.update(key for key in stored.get(place, ()) if self.reports[key].type.value in types)
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


class EventClusterer:
    """Settles reports as `kg ingest` would, `batch_size` articles at a time, as they come.

    `add` takes reports in article order (and the place hierarchy of their articles) and
    settles every full batch; `finish` settles the rest and returns the `Clustering`.
    """

    def __init__(self, *, batch_size: int = DEFAULT_BATCH_SIZE) -> None:
        self.batch_size = batch_size
        self.store = MemoryReports(())
        self.explained: dict[str, Explanation] = {}
        self.pending: dict[str, list[EventReport]] = {}  # article → its reports, in order
        self.moved: set[str] = set()  # places given a parent since the last settle

    def add(self, reports: Iterable[EventReport], hierarchy: Iterable[tuple[str, str]] = ()) -> None:
        self.moved |= self.store.add_hierarchy(hierarchy)
        for report in reports:
            self.pending.setdefault(report.article, []).append(report)
            if len(self.pending) > self.batch_size:  # a batch is full: the next article began
                self._settle(self.batch_size)

    def finish(self) -> Clustering:
        while self.pending:
            self._settle(self.batch_size)
        store = self.store
        result = Clustering(events=dict(store.event_of))
        for event, keys in store.members.items():
            result.properties[event] = {
                **representative([store.reports[k] for k in keys]).event_properties(),
                "match_component": store.component_of[event]}
        for key, explanation in self.explained.items():
            result.explanations[key] = {"match_score": explanation.score,
                                        "match_reasons": explanation.reasons,
                                        "matched_with": explanation.other}
        return result

    def _settle(self, articles: int) -> None:
        loading = list(self.pending)[:articles]
        new = [r for a in loading for r in self.pending.pop(a)]
        settlement = settle_events(self.store, new, loading=set(loading),
                                   moved_places=sorted(self.moved))
        self.moved = set()
        settled = {r.key: r for r in new}
        for key, event in settlement.events.items():
            self.store.assign(settled.get(key) or self.store.reports[key], event)
        self.store.set_components(settlement.components)
        for explanation in settlement.explanations:
            self.explained[explanation.key] = explanation


def cluster_events(reports: Sequence[EventReport], hierarchy: Iterable[tuple[str, str]], *,
                   batch_size: int = DEFAULT_BATCH_SIZE) -> Clustering:
    """Settle `reports` (in article order) as `kg ingest` would, the hierarchy known first."""
    clusterer = EventClusterer(batch_size=batch_size)
    clusterer.add(reports, hierarchy)
    return clusterer.finish()
