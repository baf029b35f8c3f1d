"""The user's alias file: merge or split entities, one article graph at a time, before
loading (`Aliases.apply`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from kg.errors import ConfigError
from kg.ids import entity_id, slug
from kg.models import ArticleGraph, Entity, Participant
from kg.schema import (
    ActorKind,
    EntityType,
    GroupKind,
    OrganisationKind,
    ParticipantRole,
    PlaceKind,
    TargetKind,
)

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
        the node, a name that matches the id wins (see `kg.neo4j.views.entity_properties`).
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


def rekey(graph: ArticleGraph, renamed: Mapping[str, tuple[str, EntityType, str | None]]) -> ArticleGraph:
    """Re-key entities of one article graph (id → (new id, type, new name or None)); the
    review layer's entity merges and retypes use it too."""
    return _rekey(graph, renamed)


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
