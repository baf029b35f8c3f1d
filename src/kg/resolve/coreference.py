"""Event coreference: the match score of two reports (vetoes and reasons, see
cypher/README.md) and the clustering of reports into canonical events.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, NamedTuple

import yaml

from kg.resolve.reports import (
    SHORT_WINDOW_DAYS,
    SLACK,
    TOLL_KINDS,
    WEEKDAY_NAMES,
    EventReport,
    windows_overlap,
)
from kg.schema import (
    EventType,
    PlaceKind,
)


@dataclass(frozen=True)
class _Compatibility:
    strict_acled_types: frozenset[str]
    pairs: frozenset[frozenset[EventType]]

    def compatible(self, a: EventType, b: EventType) -> bool:
        if a is b:
            return True
        if frozenset((a, b)) in self.pairs:
            return True
        (a_type, a_sub), (b_type, b_sub) = a.acled, b.acled
        if a_type != b_type:
            return False
        return a_type not in self.strict_acled_types or a_sub == b_sub


@cache
def compatibility() -> _Compatibility:
    """The event-type compatibility table, from `kg/resources/event-compatibility.yaml`."""
    text = resources.files("kg").joinpath("resources/event-compatibility.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    pairs = frozenset(frozenset(EventType(t) for t in pair) for pair in data.get("compatible", []))
    return _Compatibility(frozenset(data.get("strict_acled_types", [])), pairs)


def compatible_types(event_type: EventType) -> list[str]:
    """Every kg type a report of `event_type` may be matched with (sorted, for query parameters)."""
    return list(_compatible_types(event_type))


@cache  # asked for every probe: a backfill's clustering spent 7 % of its time here
def _compatible_types(event_type: EventType) -> tuple[str, ...]:
    table = compatibility()
    return tuple(sorted(t.value for t in EventType if table.compatible(event_type, t)))


# -- the match score (cypher/README.md, *Event coreference*) ------------------------------
# Two reports of different articles are one incident when nothing rules it out (a veto) and
# the evidence for it adds up to MATCH_THRESHOLD. Every term is one reason, kept with the score.
MATCH_THRESHOLD = 4.0
# A background event of an article (an earlier incident it recalls) needs this much more.
BACKGROUND_MARGIN = 1.0
SCORE_SAME_DAY = 2.0
SCORE_NEXT_DAY = 1.5
SCORE_DATES_OVERLAP = 1.0
SCORE_SAME_WEEKDAY = 1.0  # not both dated to the day, but on the same named weekday
SCORE_SAME_PLACE = 2.0
SCORE_NEAR_PLACE = 1.5
SCORE_PLACE_IN_TOWN = 1.5  # one place inside the other, the larger a town
SCORE_PLACE_IN_REGION = 1.0  # the larger a region or district
SCORE_PLACE_UNKNOWN = -1.0  # a report without a place needs more of the rest
SCORE_SAME_TYPE = 1.0
SCORE_SAME_PERPETRATOR = 2.0
SCORE_SAME_SIDE = 1.0  # the state forces of one country under two names; a group and its branch
SCORE_OTHER_PERPETRATOR = -1.0  # extraction's least sure field: a hint, not a veto
SCORE_SAME_TARGET = 1.0
SCORE_OTHER_TARGET = -1.0
SCORE_SAME_TOLL = 1.0  # per kind of figure (killed, wounded)
SCORE_OTHER_TOLL = -1.0  # every value of the kind several times apart
# Geocoded places this close are one place for coreference (a town and its station).
NEAR_KM = 25.0
# Tolls within this fraction agree; apart by this factor they disagree (early and late tolls
# of one incident lie in between: neither evidence for nor against). Mass casualties are rare:
# two large tolls within TOLL_LARGE_RATIO of each other agree too (a toll that rose).
TOLL_AGREE = 0.1
TOLL_DISAGREE = 4.0
TOLL_LARGE = 50
TOLL_LARGE_RATIO = 1.5
_TOWN_KINDS = frozenset({PlaceKind.CITY.value, PlaceKind.VILLAGE.value})


def places_related(a: str | None, b: str | None, ancestors: Mapping[str, frozenset[str]]) -> bool:
    """Equal, or one inside the other; `ancestors[p]` holds p's enclosing places."""
    if a is None or b is None:
        return False
    return a == b or a in ancestors.get(b, frozenset()) or b in ancestors.get(a, frozenset())


def distance_km(a: EventReport, b: EventReport) -> float | None:
    """Great-circle distance between two reports' geocoded places, if both are."""
    if a.latitude is None or a.longitude is None or b.latitude is None or b.longitude is None:
        return None
    return km_between(a.latitude, a.longitude, b.latitude, b.longitude)


def km_between(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle (haversine) distance in km."""
    la1, lo1, la2, lo2 = map(math.radians, (lat1, lon1, lat2, lon2))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


@dataclass(frozen=True)
class Match:
    """The coreference decision for two reports: a score and the reasons behind it."""

    score: float
    reasons: tuple[str, ...]
    veto: str | None = None  # why they can never be one incident

    @property
    def vetoed(self) -> bool:
        return self.veto is not None


def threshold(a: EventReport, b: EventReport) -> float:
    """The score two reports need: more when one is a background event of its article."""
    return MATCH_THRESHOLD + (BACKGROUND_MARGIN if a.background or b.background else 0.0)


_SAME_ARTICLE = Match(0.0, (), "same article")
_ANALYST_APART = Match(0.0, ("analyst: a report of its own",), "analyst: apart")
# Above any score the evidence can add up to, so an analyst's link is taken first.
ANALYST_SCORE = 100.0


def analyst_decision(a: EventReport, b: EventReport) -> Match | None:
    """An analyst's merge ("same:<correction>" on both) or split ("apart:<correction>" on either)
    of two reports, recorded with `kg review`; None when no decision concerns the pair."""
    shared = sorted(p for p in a.pins & b.pins if p.startswith("same:"))
    if shared:
        return Match(ANALYST_SCORE, tuple(f"analyst: same incident ({p.removeprefix('same:')})" for p in shared))
    if any(p.startswith("apart:") for p in a.pins | b.pins):
        return _ANALYST_APART
    return None
_DATES_APART = Match(0.0, (), "dates apart")
_WEEKDAYS_APART = Match(0.0, (), "weekdays apart")
_AFTER_PUBLICATION = Match(0.0, (), "after publication")
_DIFFERENT_COUNTRIES = Match(0.0, (), "different countries")
_PLACES_APART = Match(0.0, (), "places apart")
_ONLY_COUNTRY = Match(0.0, (), "undated, only the country in common")
_UNPLACED = Match(0.0, (), "undated and unplaced")


def _where(a: EventReport, b: EventReport, ancestors: Mapping[str, frozenset[str]], *,
           by_place_only: bool) -> tuple[float, str] | Match:
    """The place term of the score (points, reason), or the veto.

    Without a date window, a report is found by place alone (the loader's look-up by its
    place, the places around it and those inside it): it matches only what that look-up
    finds, so the result does not depend on which report came first.
    """
    if a.place is None or b.place is None:
        if by_place_only:
            return _UNPLACED
        # A report without a place is looked for in its article's country alone (when the
        # article names one): anything else is another country's incident.
        if any(r.place is None and r.home_country and r.home_country != o.country
               for r, o in ((a, b), (b, a))):
            return _DIFFERENT_COUNTRIES
        return SCORE_PLACE_UNKNOWN, f"place unknown {SCORE_PLACE_UNKNOWN:g}"
    if a.place == b.place:
        if a.place_kind == PlaceKind.COUNTRY.value:  # a country is no place to meet in
            return _ONLY_COUNTRY if by_place_only else (0.0, "same country +0")
        return SCORE_SAME_PLACE, f"same place +{SCORE_SAME_PLACE:g}"
    if a.place_country and b.place_country and a.place_country != b.place_country:
        return _DIFFERENT_COUNTRIES
    if places_related(a.place, b.place, ancestors):
        larger = a if a.place in ancestors.get(b.place, frozenset()) else b
        if larger.place_kind == PlaceKind.COUNTRY.value:
            return _ONLY_COUNTRY if by_place_only else (0.0, "same country +0")
        points = SCORE_PLACE_IN_TOWN if larger.place_kind in _TOWN_KINDS else SCORE_PLACE_IN_REGION
        return points, f"place inside place +{points:g}"
    if not by_place_only:
        distance = distance_km(a, b)
        if distance is not None and distance <= NEAR_KM:
            return SCORE_NEAR_PLACE, f"places {distance:.0f} km apart +{SCORE_NEAR_PLACE:g}"
    return _PLACES_APART


def _one_day(report: EventReport) -> bool:
    return report.window is not None and report.window[0] == report.window[1]


def _weekdays_apart(a: EventReport, b: EventReport) -> bool:
    """Two weekdays more than a day apart ("on Tuesday" and a Friday's date) are two days,
    even when neither report has a date to compare."""
    day_a, day_b = a.weekday, b.weekday
    if day_a is None or day_b is None:
        return False
    return min((day_a - day_b) % 7, (day_b - day_a) % 7) > 1


def score_reports(a: EventReport, b: EventReport, ancestors: Mapping[str, frozenset[str]]) -> Match:
    """How strongly two reports look like one incident, and why (cypher/README.md).

    The vetoes come first, the cheapest first: most pairs the loader compares are vetoed.
    """
    if a.article == b.article:
        return _SAME_ARTICLE
    if a.pins or b.pins:  # an analyst decided (kg.review): the human wins over the score
        decided = analyst_decision(a, b)
        if decided is not None:
            return decided
    both_dated = a.window is not None and b.window is not None
    if both_dated and not windows_overlap(a.window, b.window):
        return _DATES_APART
    if _weekdays_apart(a, b):
        return _WEEKDAYS_APART
    for early, late in ((a, b), (b, a)):  # nobody reports what has not happened yet
        if early.window is not None and late.published is not None and early.window[0] > late.published + SLACK:
            return _AFTER_PUBLICATION
    where = _where(a, b, ancestors, by_place_only=not both_dated)
    if isinstance(where, Match):
        return where
    if not compatibility().compatible(a.type, b.type):
        return Match(0.0, (), f"types {a.type.value} and {b.type.value}")
    reasons: list[str] = []
    score = 0.0
    # -- when
    if a.window is not None and b.window is not None:
        if a.window[0] == a.window[1] and b.window[0] == b.window[1]:
            gap = abs((a.window[0] - b.window[0]).days)
            points, reason = (SCORE_SAME_DAY, "same day") if gap == 0 else (SCORE_NEXT_DAY, f"{gap} day apart")
        else:
            points, reason = SCORE_DATES_OVERLAP, "dates overlap"
        score += points
        reasons.append(f"{reason} +{points:g}")
    else:
        reasons.append("undated +0")
    if not (_one_day(a) and _one_day(b)):
        day = a.weekday
        if day is not None and day == b.weekday:
            score += SCORE_SAME_WEEKDAY
            reasons.append(f"both on a {WEEKDAY_NAMES[day].title()} +{SCORE_SAME_WEEKDAY:g}")
    # -- where
    score += where[0]
    reasons.append(where[1])
    # -- what
    if a.type is b.type:
        score += SCORE_SAME_TYPE
        reasons.append(f"same type +{SCORE_SAME_TYPE:g}")
    else:
        reasons.append("compatible types +0")
    # -- who
    if a.perpetrators and b.perpetrators:
        if a.perpetrators & b.perpetrators:
            score += SCORE_SAME_PERPETRATOR
            reasons.append(f"same perpetrator +{SCORE_SAME_PERPETRATOR:g}")
        elif a.sides & b.sides:
            score += SCORE_SAME_SIDE
            side = "state forces" if any(s.startswith("state:") for s in a.sides & b.sides) else "group family"
            reasons.append(f"same {side} +{SCORE_SAME_SIDE:g}")
        else:
            score += SCORE_OTHER_PERPETRATOR
            reasons.append(f"other perpetrator {SCORE_OTHER_PERPETRATOR:g}")
    a_others, b_others = _others(a), _others(b)
    if a_others and b_others:
        if a_others & b_others:
            score += SCORE_SAME_TARGET
            reasons.append(f"same target +{SCORE_SAME_TARGET:g}")
        else:
            score += SCORE_OTHER_TARGET
            reasons.append(f"other target {SCORE_OTHER_TARGET:g}")
    # -- how many
    if a.tolls and b.tolls:  # without a toll on both sides no kind can agree or differ
        for kind in TOLL_KINDS:
            agree = _tolls_agree(_tolls(a, kind), _tolls(b, kind))
            if agree is True:
                score += SCORE_SAME_TOLL
                reasons.append(f"same {kind} toll +{SCORE_SAME_TOLL:g}")
            elif agree is False:
                score += SCORE_OTHER_TOLL
                reasons.append(f"other {kind} toll {SCORE_OTHER_TOLL:g}")
    return Match(score, tuple(reasons))


def _others(report: EventReport) -> frozenset[str]:
    """The named targets; for a report made before they were kept apart, its non-perpetrators."""
    if report.targets or report.perpetrators or report.sides or report.tolls:
        return report.targets
    return report.actors


def _tolls(report: EventReport, kind: str) -> list[tuple[int, bool]]:
    """(value, floor) of each toll of a kind: a floor is "at least" the value."""
    return report.toll_values.get(kind, [])


def _tolls_agree(a: list[tuple[int, bool]], b: list[tuple[int, bool]]) -> bool | None:
    """True when two values (one from each) agree, False when all are far apart, else None.
    An early "at least 6" and a later 115 are not apart: the floor is the smaller value."""
    if not a or not b:
        return None
    pairs = [(x, y) for x in a for y in b]
    if any(abs(x - y) <= TOLL_AGREE * max(x, y) for (x, _), (y, _) in pairs if max(x, y) > 0):
        return True
    if any(min(x, y) >= TOLL_LARGE and max(x, y) <= TOLL_LARGE_RATIO * min(x, y) for (x, _), (y, _) in pairs):
        return True
    if all(min(x, y) > 0 and max(x, y) / min(x, y) >= TOLL_DISAGREE
           and not (x_floor if x < y else y_floor) for (x, x_floor), (y, y_floor) in pairs):
        return False
    return None


def reports_match(a: EventReport, b: EventReport, ancestors: Mapping[str, frozenset[str]]) -> bool:
    """Whether two reports are evidence enough of one incident (no veto, score ≥ threshold)."""
    match = score_reports(a, b, ancestors)
    return not match.vetoed and match.score >= threshold(a, b)


def cluster_reports(reports: Iterable[EventReport],
                    ancestors: Mapping[str, frozenset[str]]) -> dict[str, str]:
    """Report key → cluster key (the smallest key in the cluster). See `settle_reports`."""
    return settle_reports(reports, ancestors).clusters


class Settled(NamedTuple):
    """`settle_reports`' result, each mapping keyed by report key."""

    clusters: dict[str, str]  # → the smallest report key of its cluster
    explained: dict[str, tuple[str, Match]]  # → its best match in its cluster (not when alone)
    components: dict[str, str]  # → the smallest report key of its match component


def settle_reports(reports: Iterable[EventReport], ancestors: Mapping[str, frozenset[str]]) -> Settled:
    """Clusters of reports, and for each report in a cluster of several its best match in it.

    Every pair that matches is a link; links are taken highest score first (ties by keys), and
    each joins two clusters unless that would put two reports of one article, or two reports
    vetoed against each other (dates apart, places apart, ...), in one cluster. So a report
    may join an incident through its best-matching report without matching every other one,
    and the result depends on the set of reports only. The loader passes whole connected
    components of the match relation, so it never depends on load order either.

    Only the pairs `comparable_pairs` gives are scored; every other pair is vetoed.

    Also the match components: reports joined by a chain of matching pairs, vetoed or not
    (a cluster never spans two). The loader keeps them (kg.resolve.event_identity).
    """
    ordered = sorted(set(reports), key=lambda r: r.key)
    scores: dict[tuple[int, int], Match] = {}
    links: list[tuple[float, str, str, int, int]] = []
    for i, j in comparable_pairs(ordered, ancestors):
        a, b = ordered[i], ordered[j]
        match = score_reports(a, b, ancestors)
        if match.vetoed:
            continue
        scores[(i, j)] = match
        if match.score >= threshold(a, b):
            links.append((-match.score, a.key, b.key, i, j))
    members: dict[int, list[int]] = {i: [i] for i in range(len(ordered))}
    owner = list(range(len(ordered)))
    for _, _, _, i, j in sorted(links):
        left, right = owner[i], owner[j]
        if left == right:
            continue
        if {ordered[k].article for k in members[left]} & {ordered[k].article for k in members[right]}:
            continue
        if any((min(x, y), max(x, y)) not in scores for x in members[left] for y in members[right]):
            continue  # a pair vetoed
        keep, gone = min(left, right), max(left, right)
        members[keep].extend(members.pop(gone))
        for k in members[keep]:
            owner[k] = keep
    mapping: dict[str, str] = {}
    explained: dict[str, tuple[str, Match]] = {}
    for group in members.values():
        group.sort()
        for k in group:
            mapping[ordered[k].key] = ordered[group[0]].key
            scored = [(scores[(min(k, o), max(k, o))], ordered[o].key) for o in group if o != k]
            if scored:
                match, other = min(scored, key=lambda p: (-p[0].score, p[1]))
                explained[ordered[k].key] = (other, match)
    return Settled(mapping, explained, _components(ordered, [(i, j) for *_, i, j in links]))


def _components(ordered: Sequence[EventReport], links: Iterable[tuple[int, int]]) -> dict[str, str]:
    """Report key → the smallest key of the reports joined to it by links (union-find; the
    smaller index, which has the smaller key, is each set's root)."""
    root = list(range(len(ordered)))

    def find(i: int) -> int:
        while root[i] != i:
            root[i] = root[root[i]]
            i = root[i]
        return i

    for i, j in links:
        a, b = find(i), find(j)
        if a != b:
            root[max(a, b)] = min(a, b)
    return {report.key: ordered[find(i)].key for i, report in enumerate(ordered)}


def comparable_pairs(ordered: Sequence[EventReport], ancestors: Mapping[str, frozenset[str]] | None = None
                     ) -> set[tuple[int, int]]:
    """The pairs (i < j) of reports that `score_reports` might not veto (`Neighbours`)."""
    neighbours = Neighbours(ordered, ancestors)
    return {(i, j) for i, report in enumerate(ordered) for j in neighbours.of(report) if j > i}


class Neighbours:
    """Reports indexed so that those another report might be one incident with are found
    without scoring the rest: a loader's batch holds many unrelated incidents, and scoring
    every pair grew with the square of its reports. Left out, because `score_reports` vetoes
    them, are reports in another country (the country of the place, or of the article for a
    report without one; the same place is never left out) and dated reports whose windows do
    not overlap. Given the place hierarchy (`ancestors`, as the score reads it), a report with
    a place meets only the reports without one in its country and those at places the score
    does not hold apart: the same place, one enclosing or inside it, or one within `NEAR_KM`
    (found through a grid of quarter degrees). Analysts' pins meet everything."""

    def __init__(self, reports: Sequence[EventReport],
                 ancestors: Mapping[str, frozenset[str]] | None = None) -> None:
        self.count = len(reports)
        self.ancestors = ancestors
        self.pinned = [i for i, r in enumerate(reports) if r.pins]
        by_country: dict[str | None, list[int]] = {}
        by_place: dict[str, list[int]] = {}
        unplaced: dict[str | None, list[int]] = {}
        inside: dict[str, list[int]] = {}
        cells: dict[tuple[int, int], list[int]] = {}
        for i, report in enumerate(reports):
            by_country.setdefault(report.country, []).append(i)
            if report.place is None:
                unplaced.setdefault(report.country, []).append(i)
                continue
            by_place.setdefault(report.place, []).append(i)
            for enclosing in (ancestors or {}).get(report.place, ()):
                inside.setdefault(enclosing, []).append(i)
            if (cell := _cell(report)) is not None:
                cells.setdefault(cell, []).append(i)

        def shelves(groups: Mapping[Any, list[int]]) -> dict[Any, _Shelf]:
            return {key: _Shelf(reports, members) for key, members in groups.items()}

        self.countries, self.places = shelves(by_country), shelves(by_place)
        self.unplaced, self.inside, self.cells = shelves(unplaced), shelves(inside), shelves(cells)

    def of(self, report: EventReport) -> set[int]:
        """Indexes of the reports `report` might match (itself too, when it is one of them)."""
        if report.pins:
            return set(range(self.count))
        found = set(self.pinned)
        for shelf in self._shelves(report):
            if shelf is not None:
                found.update(shelf.overlapping(report.window))
        return found

    def _shelves(self, report: EventReport) -> list[_Shelf | None]:
        if report.country is None:
            return list(self.countries.values())
        polar = report.latitude is not None and abs(report.latitude) > _GRID_LATITUDE
        if report.place is None or self.ancestors is None or polar:
            return [self.countries.get(report.country), self.countries.get(None),
                    self.places.get(report.place) if report.place else None]
        place = report.place
        found = [self.unplaced.get(report.country), self.unplaced.get(None),
                 self.places.get(place), self.inside.get(place),
                 *(self.places.get(enclosing) for enclosing in self.ancestors.get(place, ()))]
        if report.latitude is not None and report.longitude is not None:
            found += [self.cells.get(near) for near in cells_near(report.latitude, report.longitude)]
        return found


# A grid of quarter degrees finds the places within NEAR_KM: a row is 27.8 km high, so a place
# that near is in the report's row or the next; columns narrow towards the poles (counted per
# latitude, with a column to spare). Past 70° the grid is not used: the country is searched.
_CELL_DEGREES = 0.25
_COLUMNS = int(360 / _CELL_DEGREES)
_GRID_LATITUDE = 70.0


def _cell(report: EventReport) -> tuple[int, int] | None:
    if report.latitude is None or report.longitude is None:
        return None
    return grid_cell(report.latitude, report.longitude)


def grid_cell(latitude: float, longitude: float) -> tuple[int, int]:
    """The quarter-degree cell of a point (rows by latitude, columns by longitude)."""
    return math.floor(latitude / _CELL_DEGREES), math.floor(longitude / _CELL_DEGREES) % _COLUMNS


def cells_near(latitude: float, longitude: float) -> tuple[tuple[int, int], ...]:
    """The cells that hold every point within `NEAR_KM` of this one (and a few beyond)."""
    return _cells_near(*grid_cell(latitude, longitude))


@cache  # asked for every report compared; a region's reports share a few hundred cells
def _cells_near(row: int, column: int) -> tuple[tuple[int, int], ...]:
    # The columns reached from the row's edge nearer a pole: as many as from any point in it.
    reach = _columns_within(max(abs(row), abs(row + 1)) * _CELL_DEGREES)
    return tuple((row + dr, (column + dc) % _COLUMNS) for dr in (-1, 0, 1) for dc in range(-reach, reach + 1))


def _columns_within(latitude: float) -> int:
    widest = math.radians(min(89.0, abs(latitude) + 2 * _CELL_DEGREES))
    return math.ceil(NEAR_KM / (111.0 * math.cos(widest) * _CELL_DEGREES)) + 1


# Window lengths (days) sorted apart: a search reaches back by the longest window of its part,
# so one month-precise report among day-precise ones would widen every search by a month.
_LENGTHS = (3, 10, SHORT_WINDOW_DAYS)


class _Shelf:
    """Reports by window: those whose window may overlap a given one (all of them for no
    window), and those without a window. Windows are sorted apart by length (days, weeks,
    months, years), so that one long window does not widen every search to its length."""

    def __init__(self, reports: Sequence[EventReport], members: Sequence[int]) -> None:
        windows = {i: reports[i].window for i in members}
        self.undated = [i for i, w in windows.items() if w is None]
        parts: dict[int, dict[int, tuple[dt.date, dt.date]]] = {}
        for i, w in windows.items():
            if w is not None:
                parts.setdefault(_length_class(w), {})[i] = w
        self.sorted = [_Sorted(part) for _, part in sorted(parts.items())]

    def overlapping(self, window: tuple[dt.date, dt.date] | None) -> list[int]:
        return [i for part in self.sorted for i in part.overlapping(window)] + self.undated


class _Sorted:
    def __init__(self, windows: Mapping[int, tuple[dt.date, dt.date]]) -> None:
        self.members = sorted(windows, key=lambda i: windows[i])
        self.starts = [windows[i][0] for i in self.members]
        self.longest = max((end - start for start, end in windows.values()), default=dt.timedelta(0))

    def overlapping(self, window: tuple[dt.date, dt.date] | None) -> list[int]:
        if window is None:
            return self.members
        low = bisect_left(self.starts, window[0] - SLACK - self.longest)
        return self.members[low:bisect_right(self.starts, window[1] + SLACK)]


def _length_class(window: tuple[dt.date, dt.date]) -> int:
    days = (window[1] - window[0]).days
    return next((n for n, most in enumerate(_LENGTHS) if days <= most), len(_LENGTHS))


def canonical_event_id(cluster_key: str) -> str:
    return "event:" + hashlib.sha256(cluster_key.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def representative(reports: Sequence[EventReport]) -> EventReport:
    """The report whose description the canonical Event takes."""
    return min(reports, key=lambda r: r.rank)
