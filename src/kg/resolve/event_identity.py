"""Event identity across articles: which canonical Event each report of an incident belongs to.

Events are article-local until here. A load brings new reports; the graph already holds
others, clustered into Events. The reports whose clustering a load (or a removal) can change
form a component: the new reports, the remaining reports of Events that lost one, and those of
Events under a place whose hierarchy changed; it grows by every report that matches a member
(and the other reports of that report's Event) until closed. The component is clustered
(`settle_reports`, kg.resolve.coreference) and each cluster named (`canonical_event_id`), so
the result depends on the set of reports only, never on load order.

Each Event keeps the match component it was settled in (`match_component`: reports joined by
a chain of matching pairs, named by its smallest report key). A stored component is closed:
no stored report outside it matches one inside, or the settle that named it would have taken
that report in. So only what is new needs looking for: the new reports, and the reports whose
matches a changed place hierarchy may change; the stored components they reach are read
whole, one indexed look-up each, and never probed again. (Probing every member of a reached
Event again, as before components were kept, grew with the archive: an incident that later
articles keep recalling gathers reports, and each was probed anew at every recall.) Reports
of Events settled before components were kept have none and are probed as they were then.

This module reads the graph only through a `ReportStore` (kg.neo4j.event_reports reads it
inside the load transaction, so that concurrent loads settle one after the other) and returns
a `Settlement` for the loader to write. Nothing here writes, or knows Neo4j.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple, Protocol

from kg.resolve.coreference import (
    Match,
    Neighbours,
    canonical_event_id,
    compatible_types,
    reports_match,
    settle_reports,
)
from kg.resolve.reports import SLACK, EventReport

Places = Mapping[str, frozenset[str]]


class StoredReport(NamedTuple):
    """A report already in the graph, the Event it belongs to there and that Event's match
    component (None for an Event settled before components were kept)."""

    event: str
    report: EventReport
    component: str | None = None


class DatedProbe(NamedTuple):
    """Find the reports of these types whose date window may overlap [start, end], where a
    match is possible: at `places` or within `NEAR_KM` of (latitude, longitude), or anywhere in
    `country`; with neither, anywhere. And the reports without a place: those of articles of
    `home`, and with `placeless`, those whose article names no country."""

    start: dt.date
    end: dt.date
    types: list[str]
    places: list[str] | None = None
    country: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    home: str | None = None
    placeless: bool = False


class PlacedProbe(NamedTuple):
    """Find the reports of these types at these places."""

    places: list[str]
    types: list[str]


class ReportStore(Protocol):
    """The event reports and the place hierarchy already in the graph."""

    def reports_of_events(self, event_ids: Sequence[str]) -> list[StoredReport]:
        """Every report of these Events."""
        ...

    def reports_of_components(self, components: Sequence[str]) -> list[StoredReport]:
        """Every report of the Events of these match components."""
        ...

    def reports_under_places(self, place_ids: Sequence[str]) -> list[StoredReport]:
        """Every report of an Event that occurred in one of these places or inside one."""
        ...

    def reports_in_windows(self, probes: Sequence[DatedProbe]) -> list[StoredReport]:
        """Reports whose date window may overlap a probe's, of one of its types."""
        ...

    def reports_at_places(self, probes: Sequence[PlacedProbe], *, undated_only: bool
                          ) -> list[StoredReport]:
        """Reports at one of a probe's places, of one of its types (only undated ones, or all)."""
        ...

    def reports_pinned(self, pins: Sequence[str]) -> list[StoredReport]:
        """Reports carrying any of these analysts' "same:" pins (kg.review)."""
        ...

    def ancestors(self, place_ids: Sequence[str]) -> Places:
        """The places enclosing each place (the places not in the graph may be left out)."""
        ...

    def descendants(self, place_ids: Sequence[str]) -> Places:
        """The places inside each place (the places not in the graph may be left out)."""
        ...

    def events_of_articles(self, article_ids: Sequence[str]) -> dict[str, str]:
        """Report key → Event id, for every report of these articles."""
        ...


@dataclass(frozen=True)
class Explanation:
    """A report's best match in its Event (none when alone in it): kept on its REPORTS."""

    article: str
    key: str
    other: str | None
    score: float | None
    reasons: list[str] | None

    @classmethod
    def of(cls, report: EventReport, best: tuple[str, Match] | None) -> Explanation:
        other, match = best if best is not None else (None, None)
        return cls(report.article, report.key, other, match.score if match else None,
                   list(match.reasons) if match else None)

    def row(self) -> dict[str, Any]:
        """The fields by name, as the loader's EXPLAIN statement reads them (`asdict` deep-copies
        each reasons list: a cost per settled report)."""
        return {"article": self.article, "key": self.key, "other": self.other,
                "score": self.score, "reasons": self.reasons}


@dataclass
class Settlement:
    """What a load or removal changes of event identity.

    `events` maps report key → canonical Event id for every report settled, and for every
    report of an article in `moved`: articles with a report whose Event id changes, whose
    contribution the loader re-derives. An Event whose reports all stay together, joined by
    no other Event's (it only gained or lost reports), is in `renamed` (old id → new id)
    instead: the loader renames its node, and the articles reporting it are not moved.
    `explanations` hold every settled report's best match, `components` the match component
    of every Event a settled report is in (Event id → component).
    """

    events: dict[str, str] = field(default_factory=dict)
    moved: list[str] = field(default_factory=list)
    explanations: list[Explanation] = field(default_factory=list)
    renamed: dict[str, str] = field(default_factory=dict)
    components: dict[str, str] = field(default_factory=dict)


def settle_events(store: ReportStore, new: Sequence[EventReport], *, loading: set[str],
                  lost_events: Iterable[str] = (), moved_places: Iterable[str] = ()
                  ) -> Settlement:
    """Re-cluster the reports a load affects (see the module docstring).

    `new`: the reports being loaded; `loading`: the articles they come from (and the articles
    being removed), whose stored reports are left out; `lost_events`: Events that lost a report;
    `moved_places`: places whose LOCATED_IN changed.
    """
    component: dict[str, EventReport] = {r.key: r for r in new}
    current: dict[str, str] = {}  # report key → event id, for reports already in the graph
    stored_in: dict[str, str] = {}  # report key → stored match component, for those with one
    components_read: set[str] = set()
    events_read: set[str] = set()
    ancestors: dict[str, frozenset[str]] = {}
    descendants: dict[str, frozenset[str]] = {}

    def take(stored: Iterable[StoredReport]) -> list[EventReport]:
        added = []
        for event, report, stored_component in stored:
            if report.article in loading or report.key in component:
                continue
            component[report.key] = report
            current[report.key] = event
            if stored_component is not None:
                stored_in[report.key] = stored_component
            added.append(report)
        return added

    def whole(reports: list[EventReport]) -> list[EventReport]:
        """Take in the rest of these reports' stored components (of their Events, for reports
        without one); returns those of them and of the rest without a component: to probe."""
        to_probe: list[EventReport] = []
        while reports:
            to_probe += [r for r in reports if r.key not in stored_in]
            components = sorted({stored_in[r.key] for r in reports if r.key in stored_in} - components_read)
            components_read.update(components)
            events = sorted({current[r.key] for r in reports if r.key not in stored_in} - events_read)
            events_read.update(events)
            reports = take(store.reports_of_components(components)) if components else []
            reports += take(store.reports_of_events(events)) if events else []
        return to_probe

    seeds = take(store.reports_of_events(sorted(set(lost_events))))
    places = sorted(set(moved_places))
    # A changed hierarchy changes the matches of the reports under it: probed, component or not.
    rehomed = take(store.reports_under_places(places)) if places else []
    frontier = list({r.key: r for r in [*new, *rehomed, *whole(seeds + rehomed)]}.values())
    while frontier:
        _add_ancestors(store, ancestors, frontier)
        _add_descendants(store, descendants, frontier)
        probes = [_dated_probe(r, ancestors, descendants) for r in frontier if r.window]
        found = take(store.reports_in_windows(probes)) if probes else []
        # An undated report may match any report at its places; a dated one only undated ones.
        for undated_report, undated_only in ((True, False), (False, True)):
            at = [PlacedProbe(sorted({r.place, *ancestors.get(r.place, ()), *descendants.get(r.place, ())}),
                              compatible_types(r.type))
                  for r in frontier if r.place and (r.window is None) == undated_report]
            if at:
                found += take(store.reports_at_places(at, undated_only=undated_only))
        # Reports an analyst joined to one of these, wherever and whenever they are (kg.review).
        pins = sorted({p for r in frontier for p in r.pins if p.startswith("same:")})
        if pins:
            found += take(store.reports_pinned(pins))
        _add_ancestors(store, ancestors, [*frontier, *found])
        matched = _matching(found, frontier, ancestors)
        unmatched = {c.key for c in found} - {c.key for c in matched}
        for key in unmatched:  # may match a later frontier: look again then
            del component[key]
            del current[key]
            stored_in.pop(key, None)
        frontier = whole(matched)
    _add_ancestors(store, ancestors, list(component.values()))
    settled = settle_reports(component.values(), ancestors)
    events = {key: canonical_event_id(cluster) for key, cluster in settled.clusters.items()}
    explanations = [Explanation.of(component[key], settled.explained.get(key)) for key in sorted(component)]
    components = {events[key]: name for key, name in settled.components.items()}
    renamed = renamed_events(current, events)
    moved = sorted({component[key].article for key, event in current.items()
                    if events[key] != event and event not in renamed})
    if moved:
        # The other reports of a moved article keep their Events.
        for key, event in store.events_of_articles(moved).items():
            events.setdefault(key, event)
    return Settlement(events, moved, explanations, renamed, components)


def renamed_events(current: Mapping[str, str], events: Mapping[str, str]) -> dict[str, str]:
    """Stored Events whose reports all go to one new id that no other stored Event's reports
    go to: the same incident with reports added or taken away, named after its smallest report
    key again. (`current` holds every report of each Event it names: the component takes whole
    Events.) Merges and splits are not renames: their articles are re-derived."""
    to_new: dict[str, set[str]] = defaultdict(set)
    from_old: dict[str, set[str]] = defaultdict(set)
    for key, old in current.items():
        to_new[old].add(events[key])
        from_old[events[key]].add(old)
    renamed = {}
    for old, new in to_new.items():
        if len(new) == 1 and (event := next(iter(new))) != old and from_old[event] == {old}:
            renamed[old] = event
    return renamed


def _matching(found: Sequence[EventReport], frontier: Sequence[EventReport], ancestors: Places
              ) -> list[EventReport]:
    """The found reports that match a frontier report. Each is compared only with the frontier
    reports it might match (`Neighbours`: overlapping windows, in its country, at places the
    score does not hold apart): comparing every pair cost more than the rest of a load."""
    neighbours = Neighbours(frontier, ancestors)
    return [c for c in found
            if any(reports_match(c, frontier[i], ancestors) for i in neighbours.of(c))]


def _dated_probe(report: EventReport, ancestors: Places, descendants: Places) -> DatedProbe:
    """Where a dated report's matches can be (`kg.resolve.coreference._where`): at its place,
    one enclosing it or inside it, a place near it, or a place unknown in its country; a report
    placed at a country, anywhere in it; a report without a place, anywhere in its article's
    country (anywhere at all when the article names none). So the look-up reads the reports of
    a few places, or of one country, not every report of the period."""
    assert report.window is not None
    start, end, types = report.window[0] - SLACK, report.window[1] + SLACK, compatible_types(report.type)
    if report.place is None:
        if report.home_country is None:
            return DatedProbe(start, end, types)
        return DatedProbe(start, end, types, country=report.home_country, home=report.home_country)
    if report.place_kind == "country" and not report.place_country:
        return DatedProbe(start, end, types)
    if report.place_kind == "country":
        return DatedProbe(start, end, types, country=report.place_country, home=report.place_country,
                          placeless=True)
    places = sorted({report.place, *ancestors.get(report.place, ()), *descendants.get(report.place, ())})
    return DatedProbe(start, end, types, places, latitude=report.latitude, longitude=report.longitude,
                      home=report.place_country, placeless=True)


def _add_ancestors(store: ReportStore, cache: dict[str, frozenset[str]],
                   reports: Iterable[EventReport]) -> None:
    missing = sorted({r.place for r in reports if r.place and r.place not in cache})
    if missing:
        cache.update(store.ancestors(missing))
        for place in missing:
            cache.setdefault(place, frozenset())


def _add_descendants(store: ReportStore, cache: dict[str, frozenset[str]],
                     reports: Iterable[EventReport]) -> None:
    """The places inside each report's place, but not inside a country: too many to look at."""
    missing = sorted({r.place for r in reports
                      if r.place and r.place not in cache and r.place_kind != "country"})
    if missing:
        cache.update(store.descendants(missing))
        for place in missing:
            cache.setdefault(place, frozenset())
