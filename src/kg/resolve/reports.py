"""Event reports: the snapshot of one article's event that cross-article matching
compares (`reports_of`), and the date windows reports are matched within.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, cached_property
from typing import Any

from kg.ids import entity_id
from kg.models import ArticleGraph, Entity, Event
from kg.schema import (
    DatePrecision,
    EntityType,
    EventType,
    OrganisationKind,
    ParticipantRole,
    RelType,
    TargetKind,
)

_PRECISION_RANK = {DatePrecision.DAY: 0, DatePrecision.WEEK: 1, DatePrecision.MONTH: 2, DatePrecision.YEAR: 3}
_UNDATED_RANK = 4
# How far back an undated report may lie before its article's publication date.
UNDATED_LOOKBACK = dt.timedelta(days=6)
# Windows are widened by this on each side before testing overlap (time zones, "overnight").
SLACK = dt.timedelta(days=1)
# The longest window short of a year-precise date (a month), and of a year-precise one, for
# the loader's range look-ups.
SHORT_WINDOW_DAYS = 31
YEAR_WINDOW_DAYS = 366
# A window's span (`EventReport.window_span`) → how many days it may last beyond its first: the
# placed look-up reads each span over its own range, so a day-precise probe reads a week of a
# place's reports, not the month it read when every window was searched as if a month long.
# "week" holds a week (Monday to Sunday: 6 days past its first) and an undated report's
# look-back, whichever is longer: derived, so a longer look-back cannot hide reports.
WINDOW_SPANS = {"week": max(6, UNDATED_LOOKBACK.days), "month": SHORT_WINDOW_DAYS, "year": YEAR_WINDOW_DAYS}
_ACTOR_ROLES = (ParticipantRole.PERPETRATOR, ParticipantRole.TARGET)
_ACTOR_RELATIONS = (RelType.PERPETRATED, RelType.CLAIMED_RESPONSIBILITY,
                    RelType.DENIED_RESPONSIBILITY, RelType.ATTRIBUTED_TO, RelType.TARGETED)
_PERPETRATOR_RELATIONS = (RelType.PERPETRATED, RelType.CLAIMED_RESPONSIBILITY, RelType.ATTRIBUTED_TO)
TOLL_KINDS = ("killed", "wounded")


def date_window(date: dt.date | None, precision: DatePrecision | None,
                published: dt.date | None) -> tuple[dt.date, dt.date] | None:
    """The days a report's date may stand for (cypher/README.md, rule 3)."""
    if date is None:
        if published is None:
            return None
        return published - UNDATED_LOOKBACK, published
    if precision is None or precision is DatePrecision.DAY:
        return date, date
    if precision is DatePrecision.WEEK:
        monday = date - dt.timedelta(days=date.weekday())
        return monday, monday + dt.timedelta(days=6)
    if precision is DatePrecision.MONTH:
        first = date.replace(day=1)
        following = (first + dt.timedelta(days=32)).replace(day=1)
        return first, following - dt.timedelta(days=1)
    return date.replace(month=1, day=1), date.replace(month=12, day=31)


WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass(frozen=True)
class EventReport:
    """One article's account of an event: what coreference compares, and what the loader keeps
    on the `REPORTS` relationship so clusters can be rebuilt later."""

    key: str  # "<article id>#<local event id>": unique, and the sort order of clustering
    article: str
    event: str  # the article-local event id
    type: EventType
    window: tuple[dt.date, dt.date] | None
    place: str | None
    actors: frozenset[str] = frozenset()  # perpetrators and targets
    label: str = ""
    date: dt.date | None = None
    date_precision: DatePrecision | None = None
    date_text: str | None = None
    claimed_by: str | None = None
    perpetrators: frozenset[str] = frozenset()
    # "state:<country>" for a perpetrator that is a country's state forces, "family:<group id>"
    # for an armed group of a family (a branch and its parent)
    sides: frozenset[str] = frozenset()
    targets: frozenset[str] = frozenset()  # named targets, not "civilians" nor places
    tolls: frozenset[str] = frozenset()  # "killed:15", "wounded:48", "killed:6+" (at least 6)
    place_kind: str | None = None
    place_country: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    published: dt.date | None = None
    # For a report without a place: its article's country (`home_country`), where the look-up
    # searches for its matches and outside which it has none; None when the article names none.
    home_country: str | None = None
    background: bool = False
    pins: frozenset[str] = frozenset()  # analysts' decisions (`Event.pins`): "same:…", "apart:…"

    @property
    def rank(self) -> tuple[int, int, str]:
        """Main before background, most precise first, then by key: the report whose words
        name the Event."""
        if self.date is None:
            return int(self.background), _UNDATED_RANK, self.key
        return int(self.background), _PRECISION_RANK[self.date_precision or DatePrecision.DAY], self.key

    @cached_property  # read for every pair scored: parsed once per report
    def toll_values(self) -> dict[str, list[tuple[int, bool]]]:
        """kind → sorted (value, floor) of its tolls; a floor is "at least" the value."""
        values: dict[str, list[tuple[int, bool]]] = {}
        for toll in self.tolls:
            kind, _, value = toll.partition(":")
            values.setdefault(kind, []).append((int(value.rstrip("+")), value.endswith("+")))
        return {kind: sorted(found) for kind, found in values.items()}

    @cached_property  # read for every pair scored, twice
    def weekday(self) -> int | None:
        """The weekday of the event (Monday 0): from a day-precise date, else the weekday an
        undated report's date words name ("on Tuesday")."""
        if self.date is not None:
            return self.date.weekday() if self.date_precision in (None, DatePrecision.DAY) else None
        words = set((self.date_text or "").lower().split())
        return next((i for i, name in enumerate(WEEKDAY_NAMES) if name in words), None)

    @property
    def country(self) -> str | None:
        """The country the report's event is in: its place's, else its article's."""
        return self.place_country if self.place is not None else self.home_country

    @property
    def unplaced_span(self) -> str | None:
        """"year" or "short" for a dated report without a place nor a country (its window's
        kind), else None."""
        if self.place is not None or self.window is None or self.home_country is not None:
            return None
        return "year" if self.date_precision is DatePrecision.YEAR else "short"

    @property
    def unplaced_in(self) -> str | None:
        """"<country>:year" or "<country>:short" for a dated report without a place in an
        article of that country, else None."""
        if self.place is not None or self.window is None or self.home_country is None:
            return None
        return f"{self.home_country}:{'year' if self.date_precision is DatePrecision.YEAR else 'short'}"

    @property
    def window_span(self) -> str | None:
        """"year", "month" or "week" (a day, a week, an undated report's look-back), for a
        report with a window: how long it may be (`WINDOW_SPANS`); else None."""
        if self.window is None:
            return None
        if self.date_precision in (DatePrecision.YEAR, DatePrecision.MONTH):
            return self.date_precision.value
        return "week"

    def properties(self) -> dict[str, Any]:
        """The report as relationship properties (Neo4j values only)."""
        return {
            "report_key": self.key,
            "local_id": self.event,
            "event_type": self.type.value,
            "label": self.label,
            "date": self.date,
            "date_precision": self.date_precision.value if self.date_precision else None,
            "date_text": self.date_text,
            "window_start": self.window[0] if self.window else None,
            "window_end": self.window[1] if self.window else None,
            "window_span": self.window_span,
            "place": self.place,
            # Only on undated reports: the index that finds them by place (the loader).
            "undated_place": self.place if self.window is None else None,
            # Only on dated reports without a place: the indexes that find them by window,
            # in their article's country or, when it names none, anywhere.
            "unplaced_span": self.unplaced_span,
            "unplaced_in": self.unplaced_in,
            "home_country": self.home_country,
            "actors": sorted(self.actors),
            "claimed_by": self.claimed_by,
            "perpetrators": sorted(self.perpetrators),
            "sides": sorted(self.sides),
            "targets": sorted(self.targets),
            "tolls": sorted(self.tolls),
            "place_kind": self.place_kind,
            "place_country": self.place_country,
            "latitude": self.latitude,
            "longitude": self.longitude,
            "published": self.published,
            "background": self.background,
            "pins": sorted(self.pins) or None,
            # Only on pinned reports: the index that finds the other reports of a "same:" pin.
            "pinned": True if self.pins else None,
        }

    @classmethod
    def from_properties(cls, article: str, props: Mapping[str, Any]) -> EventReport:
        """Rebuild a report from its `REPORTS` relationship properties."""
        start, end = props.get("window_start"), props.get("window_end")
        precision = props.get("date_precision")
        published = props.get("published")
        return cls(
            key=props["report_key"],
            article=article,
            event=props["local_id"],
            type=EventType(props["event_type"]),
            window=(_to_date(start), _to_date(end)) if start is not None and end is not None else None,
            place=props.get("place"),
            actors=frozenset(props.get("actors") or ()),
            label=props.get("label") or "",
            date=_to_date(props["date"]) if props.get("date") is not None else None,
            date_precision=DatePrecision(precision) if precision else None,
            date_text=props.get("date_text"),
            claimed_by=props.get("claimed_by"),
            perpetrators=frozenset(props.get("perpetrators") or ()),
            sides=frozenset(props.get("sides") or ()),
            targets=frozenset(props.get("targets") or ()),
            tolls=frozenset(props.get("tolls") or ()),
            place_kind=props.get("place_kind"),
            place_country=props.get("place_country"),
            latitude=props.get("latitude"),
            longitude=props.get("longitude"),
            published=_to_date(published) if published is not None else None,
            home_country=props.get("home_country"),
            background=bool(props.get("background")),
            pins=frozenset(props.get("pins") or ()),
        )

    def event_properties(self) -> dict[str, Any]:
        """The canonical Event's properties when this report represents it."""
        acled_type, acled_sub = self.type.acled
        return {
            "type": self.type.value,
            "acled_event_type": acled_type,
            "acled_sub_event_type": acled_sub,
            "label": self.label,
            "date": self.date,
            "date_precision": self.date_precision.value if self.date_precision else None,
            "date_text": self.date_text,
            "claimed_by": self.claimed_by,
            # Background when every report of it is: the representative (main reports rank
            # first) is then a background report too.
            "background": self.background,
        }


def _to_date(value: Any) -> dt.date:
    """Neo4j returns `neo4j.time.Date`; the rules work on `datetime.date`."""
    if isinstance(value, dt.date):
        return value
    return value.to_native()


def report_key(article_id: str, local_event_id: str) -> str:
    return f"{article_id}#{local_event_id}"


def reports_of(graph: ArticleGraph) -> list[EventReport]:
    """The event reports of one (alias-resolved) article graph."""
    article = graph.article
    entities = {e.id: e for e in graph.entities}
    actors: dict[str, set[str]] = {e.id: set() for e in graph.events}
    perpetrators: dict[str, set[str]] = {e.id: set() for e in graph.events}
    targets: dict[str, set[str]] = {e.id: set() for e in graph.events}
    for event in graph.events:
        for p in event.participants:
            if p.role in _ACTOR_ROLES:
                actors[event.id].add(p.entity)
                side = perpetrators if p.role is ParticipantRole.PERPETRATOR else targets
                side[event.id].add(p.entity)
    for rel in graph.relations:
        if rel.type in _ACTOR_RELATIONS:
            event_id, actor = (rel.source, rel.target) if rel.source in actors else (rel.target, rel.source)
            if event_id not in actors:
                continue
            actors[event_id].add(actor)
            if rel.type in _PERPETRATOR_RELATIONS:
                perpetrators[event_id].add(actor)
            elif rel.type is RelType.TARGETED:
                targets[event_id].add(actor)
    tolls: dict[str, set[str]] = {e.id: set() for e in graph.events}
    for figure in graph.figures:
        if figure.event in tolls and figure.kind.value in TOLL_KINDS:
            if figure.min is not None and figure.max is None:
                # "at least 6": a floor, which any larger toll agrees with
                tolls[figure.event].add(f"{figure.kind.value}:{figure.min}+")
                continue
            for value in {figure.min, figure.max} - {None}:
                tolls[figure.event].add(f"{figure.kind.value}:{value}")
    # "Gunmen" in one report may be the group another names: an unnamed Actor neither
    # counts as a shared actor nor as a different one.
    unnamed = {e.id for e in graph.entities if e.type is EntityType.ACTOR}
    home = home_country(graph)
    return [_report(article.id, article.published, event, actors[event.id] - unnamed,
                    perpetrators[event.id] - unnamed, targets[event.id] - unnamed,
                    tolls[event.id], entities, home) for event in graph.events]


def home_country(graph: ArticleGraph) -> str | None:
    """The article's country: the one whose places it mentions most (ties: the one mentioned
    first). An event the article does not place is taken to be there for matching: a report
    without a place is compared with the reports of that country only, so its look-up reads
    one country's reports of the period instead of the world's."""
    mentions: dict[str, int] = {}
    first: dict[str, int] = {}
    for entity in graph.entities:
        if entity.type is EntityType.PLACE and entity.country:
            code = entity.country.upper()
            mentions[code] = mentions.get(code, 0) + max(1, len(entity.mentions))
            start = min((m.start for m in entity.mentions), default=len(graph.article.text))
            first[code] = min(first.get(code, start), start)
    return min(mentions, key=lambda code: (-mentions[code], first[code], code), default=None)


@cache
def group_families() -> dict[str, str]:
    """Group entity id → the entity id of the group at the top of its `parent` chain in the
    packaged lexicon, for groups with a parent or a branch: "Islamic State Sinai Province"
    and "Islamic State" are one family, which outlets name either way."""
    from kg.extract.lexicon import load_group_lexicon

    parents = {g.name: g.parent for g in load_group_lexicon().groups}
    related = set(parents) & ({name for name, parent in parents.items() if parent}
                              | {parent for parent in parents.values() if parent})
    families = {}
    for name in related:
        root, seen = name, {name}
        while (parent := parents.get(root)) and parent not in seen:
            root = parent
            seen.add(root)
        families[entity_id(EntityType.GROUP, name)] = entity_id(EntityType.GROUP, root)
    return families


def _report(article_id: str, published: dt.date | None, event: Event, actors: set[str],
            perpetrators: set[str], targets: set[str], tolls: set[str],
            entities: Mapping[str, Entity], home: str | None) -> EventReport:
    place = entities.get(event.place) if event.place else None
    sides = set()
    for ref in perpetrators:
        entity = entities.get(ref)
        if (entity is not None and entity.kind == OrganisationKind.STATE_FORCE.value
                and entity.country):
            sides.add(f"state:{entity.country.upper()}")
        elif ref in group_families():
            sides.add(f"family:{group_families()[ref]}")
    named = {ref for ref in targets - perpetrators
             if (entity := entities.get(ref)) is not None and entity.type is not EntityType.PLACE
             and entity.kind != TargetKind.CIVILIANS.value}
    return EventReport(
        key=report_key(article_id, event.id),
        article=article_id,
        event=event.id,
        type=event.type,
        window=date_window(event.date, event.date_precision, published),
        place=event.place,
        actors=frozenset(actors),
        label=event.label,
        date=event.date,
        date_precision=event.date_precision,
        date_text=event.date_text,
        claimed_by=event.claimed_by,
        perpetrators=frozenset(perpetrators),
        sides=frozenset(sides),
        targets=frozenset(named),
        tolls=frozenset(tolls),
        place_kind=place.kind if place else None,
        place_country=place.country.upper() if place and place.country else None,
        latitude=place.latitude if place else None,
        longitude=place.longitude if place else None,
        published=published,
        home_country=home if event.place is None else None,
        background=event.background,
        pins=frozenset(event.pins),
    )


def windows_overlap(a: tuple[dt.date, dt.date] | None, b: tuple[dt.date, dt.date] | None) -> bool:
    if a is None or b is None:
        return False
    return a[0] - SLACK <= b[1] and b[0] - SLACK <= a[1]
