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
    actors: frozenset[str] = frozenset()
    label: str = ""
    date: dt.date | None = None
    date_precision: DatePrecision | None = None
    date_text: str | None = None
    claimed_by: str | None = None

    @property
    def rank(self) -> tuple[int, str]:
        """Most precise first, then by key: the report whose words name the Event."""
        if self.date is None:
            return _UNDATED_RANK, self.key
        return _PRECISION_RANK[self.date_precision or DatePrecision.DAY], self.key

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
            "actors": sorted(self.actors),
            "claimed_by": self.claimed_by,
        }

    @classmethod
    def from_properties(cls, article: str, props: Mapping[str, Any]) -> EventReport:
        """Rebuild a report from its `REPORTS` relationship properties."""
        start, end = props.get("window_start"), props.get("window_end")
        precision = props.get("date_precision")
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
    actors: dict[str, set[str]] = {e.id: set() for e in graph.events}
    for event in graph.events:
        actors[event.id].update(p.entity for p in event.participants if p.role in _ACTOR_ROLES)
    for rel in graph.relations:
        if rel.type in _ACTOR_RELATIONS:
            if rel.source in actors:
                actors[rel.source].add(rel.target)
            elif rel.target in actors:
                actors[rel.target].add(rel.source)
    # Rule 5 is about named actors: "gunmen" in one report may be the group another names, so
    # an unnamed Actor neither vetoes a match nor counts as a shared actor.
    unnamed = {e.id for e in graph.entities if e.type is EntityType.ACTOR}
    return [_report(article.id, article.published, event, actors[event.id] - unnamed)
            for event in graph.events]


def _report(article_id: str, published: dt.date | None, event: Event, actors: set[str]) -> EventReport:
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


def reports_match(a: EventReport, b: EventReport, ancestors: Mapping[str, frozenset[str]]) -> bool:
    """The five rules of cypher/README.md, *Event coreference*."""
    return (
        a.article != b.article
        and compatibility().compatible(a.type, b.type)
        and windows_overlap(a.window, b.window)
        and places_related(a.place, b.place, ancestors)
        and (not a.actors or not b.actors or bool(a.actors & b.actors))
    )


def cluster_reports(reports: Iterable[EventReport],
                    ancestors: Mapping[str, frozenset[str]]) -> dict[str, str]:
    """Report key → cluster key (the smallest key in the cluster).

    Deterministic in the set of reports: in key order, each report joins the earliest cluster
    holding a report it matches and none of its own article's. The loader always passes whole
    connected components of the match relation, so the result never depends on load order.
    """
    clusters: list[list[EventReport]] = []
    for report in sorted(set(reports), key=lambda r: r.key):
        for members in clusters:
            if any(m.article == report.article for m in members):
                continue
            if any(reports_match(m, report, ancestors) for m in members):
                members.append(report)
                break
        else:
            clusters.append([report])
    return {m.key: members[0].key for members in clusters for m in members}


def canonical_event_id(cluster_key: str) -> str:
    return "event:" + hashlib.sha256(cluster_key.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def representative(reports: Sequence[EventReport]) -> EventReport:
    """The report whose description the canonical Event takes."""
    return min(reports, key=lambda r: r.rank)
