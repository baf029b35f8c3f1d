"""Identity across articles: the user's alias file, then event coreference.

Entities already share ids across articles (`kg.ids.entity_id` from canonical names); the
alias file lets a user merge or split them (`Aliases.apply`, one article at a time, before
loading). Events are article-local until `cluster_reports` groups the reports of one incident
into one canonical Event. The rules are documented in cypher/README.md; the loader
(`kg.neo4j.loader`) feeds them the reports and the place hierarchy it finds in the graph.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from kg.errors import ConfigError
from kg.ids import entity_id, slug
from kg.models import ArticleGraph, Entity, Event, Participant
from kg.schema import (
    ActorKind,
    DatePrecision,
    EntityType,
    EventType,
    GroupKind,
    OrganisationKind,
    ParticipantRole,
    PlaceKind,
    RelType,
    TargetKind,
)

# ---------------------------------------------------------------------------------------------
# The alias file


_ID_PREFIX = re.compile(r"^(" + "|".join(t.value.lower() for t in EntityType) + r"):")
_KINDS: dict[EntityType, frozenset[str]] = {
    EntityType.GROUP: frozenset(GroupKind),
    EntityType.ORGANISATION: frozenset(OrganisationKind),
    EntityType.PLACE: frozenset(PlaceKind),
    EntityType.TARGET: frozenset(TargetKind),
    EntityType.ACTOR: frozenset(ActorKind),
    EntityType.PERSON: frozenset(),
}


def _is_id(ref: str) -> bool:
    return bool(_ID_PREFIX.match(ref))


def _type_of_id(ref: str) -> EntityType:
    return EntityType(ref.split(":", 1)[0].capitalize())


def _listify(value: Any) -> Any:
    return [value] if isinstance(value, str | int | float) else value


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SplitWhen(_Strict):
    """Conditions of a split rule; all given ones must hold."""

    country: list[str] | None = None
    articles: list[str] | None = None
    source: list[str] | None = None
    text: list[str] | None = None

    _lists = field_validator("country", "articles", "source", "text", mode="before")(_listify)


class SplitRule(_Strict):
    id: str
    name: str | None = None
    when: SplitWhen = Field(default_factory=SplitWhen)

    @field_validator("id")
    @classmethod
    def _typed_id(cls, value: str) -> str:
        if not _is_id(value):
            raise ValueError(f"split target {value!r} must be an id such as 'place:…' or 'group:…'")
        return value


class AliasFile(_Strict):
    """The YAML alias file (cypher/README.md, *The alias file*)."""

    version: int = 1
    merge: dict[str, list[str]] = Field(default_factory=dict)
    split: dict[str, list[SplitRule]] = Field(default_factory=dict)

    _members = field_validator("merge", mode="before")(
        lambda v: {k: _listify(m) or [] for k, m in (v or {}).items()}
    )


@dataclass(frozen=True)
class _Canonical:
    ref: str  # an id, or a name

    def target(self, entity: Entity) -> tuple[str, EntityType, str | None]:
        """(new id, new type, new name or None to keep the entity's name)."""
        if _is_id(self.ref):
            return self.ref, _type_of_id(self.ref), None
        return entity_id(entity.type, self.ref), entity.type, self.ref


class Aliases:
    """A user's merge and split corrections, applied to each article's graph before loading."""

    def __init__(self, spec: AliasFile | None = None) -> None:
        self.spec = spec or AliasFile()
        self._by_id: dict[str, _Canonical] = {}
        self._by_name: dict[str, _Canonical] = {}
        for canonical, members in self.spec.merge.items():
            target = _Canonical(canonical)
            for ref in [canonical, *members]:
                table = self._by_id if _is_id(ref) else self._by_name
                key = ref if _is_id(ref) else slug(ref)
                previous = table.get(key)
                if previous is not None and previous != target:
                    raise ConfigError(
                        f"alias file: {ref!r} is merged into both {previous.ref!r} and {canonical!r}"
                    )
                table[key] = target

    @classmethod
    def load(cls, path: Path | None) -> Aliases:
        """Read an alias file; `None` gives the empty table."""
        if path is None:
            return cls()
        try:
            data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
            return cls(AliasFile.model_validate(data))
        except OSError as exc:
            raise ConfigError(f"cannot read alias file {path}: {exc.strerror or exc}") from exc
        except yaml.YAMLError as exc:
            raise ConfigError(f"alias file {path} is not valid YAML: {exc}") from exc
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            raise ConfigError(f"alias file {path}: {where}: {first['msg']}") from exc

    def __bool__(self) -> bool:
        return bool(self.spec.merge or self.spec.split)

    # -- per article -----------------------------------------------------------------------

    def apply(self, graph: ArticleGraph) -> ArticleGraph:
        """The graph with entities re-keyed by the split, then the merge rules.

        Entities that end up with one id become one entity (names kept as aliases), and every
        reference follows. An entity re-keyed to a canonical *id* keeps its own name here; on
        the node, a name that matches the id wins (see the loader's `_entity_properties`).
        """
        if not self:
            return graph
        renamed: dict[str, tuple[str, EntityType, str | None]] = {}
        for entity in graph.entities:
            target = self._split(entity, graph) or (entity.id, entity.type, None)
            probe = entity.model_copy(update={"id": target[0], "type": target[1]})
            merged = self._merge(probe)
            if merged is not None:
                target = (merged[0], merged[1], merged[2] or target[2])
            if target != (entity.id, entity.type, None):
                renamed[entity.id] = target
        if not renamed:
            return graph
        return _rekey(graph, renamed)

    def _split(self, entity: Entity, graph: ArticleGraph) -> tuple[str, EntityType, str | None] | None:
        for rule in self.spec.split.get(entity.id, []):
            if _split_matches(rule.when, entity, graph):
                return rule.id, _type_of_id(rule.id), rule.name
        return None

    def _merge(self, entity: Entity) -> tuple[str, EntityType, str | None] | None:
        canonical = self._by_id.get(entity.id)
        if canonical is None:
            for name in [entity.name, *entity.aliases]:
                canonical = self._by_name.get(slug(name))
                if canonical is not None:
                    break
        if canonical is None:
            return None
        return canonical.target(entity)


def _split_matches(when: SplitWhen, entity: Entity, graph: ArticleGraph) -> bool:
    article = graph.article
    if when.country is not None and (entity.country or "").upper() not in {
        c.upper() for c in when.country
    }:
        return False
    if when.articles is not None and article.id not in when.articles:
        return False
    if when.source is not None and (article.source or "") not in when.source:
        return False
    if when.text is not None:
        forms = {slug(f) for f in [entity.name, *entity.aliases, *(m.text for m in entity.mentions)]}
        if not forms & {slug(t) for t in when.text}:
            return False
    return True


def _rekey(graph: ArticleGraph, renamed: Mapping[str, tuple[str, EntityType, str | None]]) -> ArticleGraph:
    """Apply an id map to one article graph, merging entities that now share an id."""

    def new_id(ref: str | None) -> str | None:
        return renamed[ref][0] if ref is not None and ref in renamed else ref

    merged: dict[str, Entity] = {}
    # An entity that keeps its id leads, so its fields win over those merged into it.
    for entity in sorted(graph.entities, key=lambda e: (e.id in renamed, e.id)):
        target_id, target_type, target_name = renamed.get(entity.id, (entity.id, entity.type, None))
        names = [entity.name, *entity.aliases]
        update: dict[str, Any] = {
            "id": target_id,
            "type": target_type,
            "parent": new_id(entity.parent),
            "affiliation": new_id(entity.affiliation),
        }
        if target_name is not None:
            update["name"] = target_name
        if entity.kind is not None and entity.kind not in _KINDS[target_type]:
            update["kind"] = None
        moved = entity.model_copy(update=update)
        moved.aliases = _unique([n for n in names if n != moved.name])
        lead = merged.get(target_id)
        if lead is None:
            merged[target_id] = moved
            continue
        fill = {k: v for k, v in moved.model_dump().items() if getattr(lead, k) is None and v is not None}
        lead = lead.model_copy(update=fill)
        lead.aliases = _unique([a for a in [*lead.aliases, moved.name, *moved.aliases] if a != lead.name])
        lead.mentions = sorted([*lead.mentions, *moved.mentions], key=lambda m: (m.start, m.end))
        merged[target_id] = lead
    entities = [e.model_copy(update={"parent": None}) if e.parent == e.id else e for e in merged.values()]

    events = []
    for event in graph.events:
        participants: list[Participant] = []
        seen: set[tuple[str, ParticipantRole]] = set()
        for p in event.participants:
            key = (new_id(p.entity) or p.entity, p.role)
            if key not in seen:
                seen.add(key)
                participants.append(Participant(entity=key[0], role=p.role))
        events.append(event.model_copy(update={
            "place": new_id(event.place),
            "participants": participants,
            "claimed_by": new_id(event.claimed_by),
        }))
    quotes = [q.model_copy(update={"speaker": new_id(q.speaker), "reported_by": new_id(q.reported_by)})
              for q in graph.quotes]
    figures = [f.model_copy(update={"according_to": new_id(f.according_to)}) for f in graph.figures]
    relations = []
    for rel in graph.relations:
        source, target = new_id(rel.source) or rel.source, new_id(rel.target) or rel.target
        if source == target and rel.source != rel.target:
            continue  # a merge made it a self-loop: "X located in X" says nothing
        relations.append(rel.model_copy(update={"source": source, "target": target}))
    return graph.model_copy(update={
        "entities": entities, "events": events, "quotes": quotes,
        "figures": figures, "relations": relations,
    })


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


# ---------------------------------------------------------------------------------------------
# Event coreference


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
    table = compatibility()
    return sorted(t.value for t in EventType if table.compatible(event_type, t))


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
_ACTOR_ROLES = (ParticipantRole.PERPETRATOR, ParticipantRole.TARGET)
_ACTOR_RELATIONS = (RelType.PERPETRATED, RelType.CLAIMED_RESPONSIBILITY,
                    RelType.DENIED_RESPONSIBILITY, RelType.ATTRIBUTED_TO, RelType.TARGETED)
_PERPETRATOR_RELATIONS = (RelType.PERPETRATED, RelType.CLAIMED_RESPONSIBILITY, RelType.ATTRIBUTED_TO)

# -- the match score (cypher/README.md, *Event coreference*) ------------------------------
# Two reports of different articles are one incident when nothing rules it out (a veto) and
# the evidence for it adds up to MATCH_THRESHOLD. Every term is one reason, kept with the score.
MATCH_THRESHOLD = 4.0
# A background event of an article (an earlier incident it recalls) needs this much more.
BACKGROUND_MARGIN = 1.0
SCORE_SAME_DAY = 2.0
SCORE_NEXT_DAY = 1.5
SCORE_DATES_OVERLAP = 1.0
SCORE_SAME_PLACE = 2.0
SCORE_NEAR_PLACE = 1.5
SCORE_PLACE_IN_TOWN = 1.5  # one place inside the other, the larger a town
SCORE_PLACE_IN_REGION = 1.0  # the larger a region or district
SCORE_PLACE_UNKNOWN = -1.0  # a report without a place needs more of the rest
SCORE_SAME_TYPE = 1.0
SCORE_SAME_PERPETRATOR = 2.0
SCORE_SAME_SIDE = 1.0  # the state forces of one country, under two names
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
_TOLL_KINDS = ("killed", "wounded")
_REGION_KINDS = frozenset({PlaceKind.ADMIN_REGION.value, PlaceKind.OTHER.value})
_TOWN_KINDS = frozenset({PlaceKind.CITY.value, PlaceKind.VILLAGE.value})


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
    # "state:<country>" for a perpetrator that is a country's state forces
    sides: frozenset[str] = frozenset()
    targets: frozenset[str] = frozenset()  # named targets, not "civilians" nor places
    tolls: frozenset[str] = frozenset()  # "killed:15", "wounded:48"
    place_kind: str | None = None
    place_country: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    published: dt.date | None = None
    background: bool = False

    @property
    def rank(self) -> tuple[int, int, str]:
        """Main before background, most precise first, then by key: the report whose words
        name the Event."""
        if self.date is None:
            return int(self.background), _UNDATED_RANK, self.key
        return int(self.background), _PRECISION_RANK[self.date_precision or DatePrecision.DAY], self.key

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
            "place": self.place,
            # Only on undated reports: the index that finds them by place (the loader).
            "undated_place": self.place if self.window is None else None,
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
            background=bool(props.get("background")),
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
        if figure.event in tolls and figure.kind.value in _TOLL_KINDS:
            for value in {figure.min, figure.max} - {None}:
                tolls[figure.event].add(f"{figure.kind.value}:{value}")
    # "Gunmen" in one report may be the group another names: an unnamed Actor neither
    # counts as a shared actor nor as a different one.
    unnamed = {e.id for e in graph.entities if e.type is EntityType.ACTOR}
    return [_report(article.id, article.published, event, actors[event.id] - unnamed,
                    perpetrators[event.id] - unnamed, targets[event.id] - unnamed,
                    tolls[event.id], entities) for event in graph.events]


def _report(article_id: str, published: dt.date | None, event: Event, actors: set[str],
            perpetrators: set[str], targets: set[str], tolls: set[str],
            entities: Mapping[str, Entity]) -> EventReport:
    place = entities.get(event.place) if event.place else None
    sides = set()
    for ref in perpetrators:
        entity = entities.get(ref)
        if (entity is not None and entity.kind == OrganisationKind.STATE_FORCE.value
                and entity.country):
            sides.add(f"state:{entity.country.upper()}")
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
        background=event.background,
    )


def windows_overlap(a: tuple[dt.date, dt.date] | None, b: tuple[dt.date, dt.date] | None) -> bool:
    if a is None or b is None:
        return False
    return a[0] - SLACK <= b[1] and b[0] - SLACK <= a[1]


def places_related(a: str | None, b: str | None, ancestors: Mapping[str, frozenset[str]]) -> bool:
    """Equal, or one inside the other; `ancestors[p]` holds p's enclosing places."""
    if a is None or b is None:
        return False
    return a == b or a in ancestors.get(b, frozenset()) or b in ancestors.get(a, frozenset())


def distance_km(a: EventReport, b: EventReport) -> float | None:
    """Great-circle distance between two reports' geocoded places, if both are."""
    if a.latitude is None or a.longitude is None or b.latitude is None or b.longitude is None:
        return None
    la1, lo1, la2, lo2 = map(math.radians, (a.latitude, a.longitude, b.latitude, b.longitude))
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
        return SCORE_PLACE_UNKNOWN, f"place unknown {SCORE_PLACE_UNKNOWN:g}"
    if a.place == b.place:
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


_WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _weekday(report: EventReport) -> int | None:
    """The weekday of a report's event: from its date, or the weekday an undated report names."""
    if report.date is not None:
        return report.date.weekday() if report.date_precision in (None, DatePrecision.DAY) else None
    words = set((report.date_text or "").lower().split())
    return next((i for i, name in enumerate(_WEEKDAY_NAMES) if name in words), None)


def _weekdays_apart(a: EventReport, b: EventReport) -> bool:
    """Two weekdays more than a day apart ("on Tuesday" and a Friday's date) are two days,
    even when neither report has a date to compare."""
    day_a, day_b = _weekday(a), _weekday(b)
    if day_a is None or day_b is None:
        return False
    return min((day_a - day_b) % 7, (day_b - day_a) % 7) > 1


def score_reports(a: EventReport, b: EventReport, ancestors: Mapping[str, frozenset[str]]) -> Match:
    """How strongly two reports look like one incident, and why (cypher/README.md).

    The vetoes come first, the cheapest first: most pairs the loader compares are vetoed.
    """
    if a.article == b.article:
        return _SAME_ARTICLE
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
            reasons.append(f"same state forces +{SCORE_SAME_SIDE:g}")
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
    for kind in _TOLL_KINDS:
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


def _tolls(report: EventReport, kind: str) -> list[int]:
    prefix = kind + ":"
    return sorted(int(t[len(prefix):]) for t in report.tolls if t.startswith(prefix))


def _tolls_agree(a: list[int], b: list[int]) -> bool | None:
    """True when two values (one from each) agree, False when all are far apart, else None."""
    if not a or not b:
        return None
    pairs = [(x, y) for x in a for y in b]
    if any(abs(x - y) <= TOLL_AGREE * max(x, y) for x, y in pairs if max(x, y) > 0):
        return True
    if any(min(x, y) >= TOLL_LARGE and max(x, y) <= TOLL_LARGE_RATIO * min(x, y) for x, y in pairs):
        return True
    if all(min(x, y) > 0 and max(x, y) / min(x, y) >= TOLL_DISAGREE for x, y in pairs):
        return False
    return None


def reports_match(a: EventReport, b: EventReport, ancestors: Mapping[str, frozenset[str]]) -> bool:
    """Whether two reports are evidence enough of one incident (no veto, score ≥ threshold)."""
    match = score_reports(a, b, ancestors)
    return not match.vetoed and match.score >= threshold(a, b)


def cluster_reports(reports: Iterable[EventReport],
                    ancestors: Mapping[str, frozenset[str]]) -> dict[str, str]:
    """Report key → cluster key (the smallest key in the cluster). See `settle_reports`."""
    return settle_reports(reports, ancestors)[0]


def settle_reports(reports: Iterable[EventReport], ancestors: Mapping[str, frozenset[str]]
                   ) -> tuple[dict[str, str], dict[str, tuple[str, Match]]]:
    """Clusters of reports, and for each report in a cluster of several its best match in it.

    Every pair that matches is a link; links are taken highest score first (ties by keys), and
    each joins two clusters unless that would put two reports of one article, or two reports
    vetoed against each other (dates apart, places apart, ...), in one cluster. So a report
    may join an incident through its best-matching report without matching every other one,
    and the result depends on the set of reports only. The loader passes whole connected
    components of the match relation, so it never depends on load order either.
    """
    ordered = sorted(set(reports), key=lambda r: r.key)
    scores: dict[tuple[int, int], Match] = {}
    links: list[tuple[float, str, str, int, int]] = []
    for i, a in enumerate(ordered):
        for j in range(i + 1, len(ordered)):
            b = ordered[j]
            match = score_reports(a, b, ancestors)
            scores[(i, j)] = match
            if not match.vetoed and match.score >= threshold(a, b):
                links.append((-match.score, a.key, b.key, i, j))
    members: dict[int, list[int]] = {i: [i] for i in range(len(ordered))}
    owner = list(range(len(ordered)))
    for _, _, _, i, j in sorted(links):
        left, right = owner[i], owner[j]
        if left == right:
            continue
        if {ordered[k].article for k in members[left]} & {ordered[k].article for k in members[right]}:
            continue
        if any(scores[(min(x, y), max(x, y))].vetoed for x in members[left] for y in members[right]):
            continue
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
    return mapping, explained


def canonical_event_id(cluster_key: str) -> str:
    return "event:" + hashlib.sha256(cluster_key.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def representative(reports: Sequence[EventReport]) -> EventReport:
    """The report whose description the canonical Event takes."""
    return min(reports, key=lambda r: r.rank)
