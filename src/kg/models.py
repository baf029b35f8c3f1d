"""Pydantic models passed between the stages: read → extract → resolve → load / export.

`Article` is what a reader yields; `ArticleGraph` is what extraction yields for one
article. Offsets are character offsets into `Article.text` (the body; the summary and
the title are kept apart). Every fact carries `Evidence`: the sentence that states it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import unicodedata
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from kg.schema import (
    DatePrecision,
    EntityType,
    EventType,
    FigureKind,
    GeoPrecision,
    ParticipantRole,
    RelType,
)


class Model(BaseModel):
    """Base for every stage model: unknown fields are an error, not silently dropped."""

    model_config = ConfigDict(extra="forbid", frozen=False)


class Span(Model):
    start: int = Field(ge=0)
    end: int = Field(ge=0)


class Evidence(Span):
    """The sentence that states a fact, with its offsets in the article body."""

    text: str


class Mention(Span):
    text: str


def normalise_text(text: str) -> str:
    """NFC, unified line ends and collapsed whitespace: the form content hashes are taken of."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    return " ".join(text.split())


def content_hash(*parts: str | None) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(normalise_text(part or "").encode("utf-8", "surrogatepass"))
        digest.update(b"\x1f")
    return digest.hexdigest()


class Article(Model):
    """One news report as read from a file, before extraction."""

    id: str
    title: str | None = None
    summary: str | None = None
    text: str
    url: str | None = None
    source: str | None = None
    published: dt.date | None = None
    language: str | None = None
    metadata: dict[str, Any] = Field(default_factory=dict)
    # Where it came from: path and, for JSONL, the line number. Not part of its identity.
    origin: str | None = None

    @property
    def content_hash(self) -> str:
        return content_hash(self.title, self.summary, self.text, self.url, self.source,
                            self.published.isoformat() if self.published else None)

    @staticmethod
    def make_id(url: str | None, title: str | None, text: str) -> str:
        """A stable id: from the URL when there is one, else from the normalised content."""
        if url and url.strip():
            key = "url:" + url.strip()
        else:
            key = "text:" + normalise_text(title or "") + "\x1f" + normalise_text(text)
        return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:16]


class Entity(Model):
    """A named actor, place or target mentioned in the article.

    `id` is deterministic from the canonical name and type (places from the gazetteer
    id where known), so the same entity in two articles gets the same id.
    """

    id: str
    type: EntityType
    name: str
    aliases: list[str] = Field(default_factory=list)
    kind: str | None = None  # the *Kind value of its type: GroupKind … TargetKind, ActorKind
    country: str | None = None  # ISO 3166-1 alpha-2 of the country it belongs to
    # Place fields
    latitude: float | None = None
    longitude: float | None = None
    gazetteer_id: str | None = None  # e.g. "geonames:1167528"
    parent: str | None = None  # entity id of the enclosing place
    precision: GeoPrecision | None = None
    # Person fields
    role: str | None = None  # "Chief Minister"
    affiliation: str | None = None  # entity id of the organisation, group or place
    mentions: list[Mention] = Field(default_factory=list)


class Participant(Model):
    entity: str
    role: ParticipantRole


class Event(Model):
    id: str
    type: EventType
    acled_event_type: str
    acled_sub_event_type: str
    label: str
    date: dt.date | None = None
    date_text: str | None = None
    date_precision: DatePrecision | None = None
    place: str | None = None  # entity id
    participants: list[Participant] = Field(default_factory=list)
    # Set when the event is only some actor's claim (e.g. a group's claimed execution of
    # hostages), not reported as established fact: the entity id or description of the claimant.
    claimed_by: str | None = None
    part_of: str | None = None  # id of the event this one is a phase of
    # An earlier or other incident the report gives as context ("last month, the group had
    # attacked …"), not its news: counts and tolls of the story leave it out.
    background: bool = False
    evidence: list[Evidence] = Field(default_factory=list)
    # Analysts' coreference decisions (kg.review), which win over the matcher: reports that share
    # a "same:<correction id>" pin are one incident; a report pinned "apart:<correction id>" joins
    # no other report.
    pins: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _acled_matches_type(self) -> Event:
        if (self.acled_event_type, self.acled_sub_event_type) != self.type.acled:
            raise ValueError(f"ACLED pair does not match event type {self.type.value}")
        return self


def event_label(event_type: EventType, place: str | None, date: dt.date | None,
                precision: DatePrecision | None) -> str:
    """An event's label, e.g. "Armed clash in Mallam Fatori, 2024-10-14": type, place, known day."""
    label = event_type.value.replace("_", " ")
    if place is not None:
        label = f"{label} in {place}"
    if date is not None and precision is DatePrecision.DAY:
        label = f"{label}, {date.isoformat()}"
    return label[:1].upper() + label[1:]


class Quote(Model):
    id: str
    text: str
    speaker: str | None = None  # entity id of a named Person
    speaker_description: str | None = None  # "a Pakistani official", "one of the survivors"
    reported_by: str | None = None  # entity id of the outlet told, e.g. DPA
    # Words quoted inside reported speech ('said he was "horrified"'), not a whole utterance.
    partial: bool = False
    event: str | None = None
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    evidence: Evidence


class Figure(Model):
    """A number someone reported: a claim with its source, never a settled fact."""

    id: str
    kind: FigureKind
    min: int | None = None  # None when only a vague quantity ("several") is given
    max: int | None = None
    approximate: bool = False
    qualifier: str | None = None  # the hedge word: "approximately", "at least", "several"
    text: str  # the figure's own words: "around 190 hostages"
    who: str | None = None  # whom it counts: "hostages", "passengers", "soldiers"
    event: str | None = None
    according_to: str | None = None  # entity id of the source
    according_to_description: str | None = None  # "officials", when no entity is named
    evidence: Evidence
    # "main": the toll of the article's own incident(s); "other": a cumulative, regional or
    # earlier toll given as background ("77 killed since January"). None: not assessed.
    scope: Literal["main", "other"] | None = None


class Relation(Model):
    source: str
    type: RelType
    target: str
    properties: dict[str, str | int | float | bool | None] = Field(default_factory=dict)
    evidence: Evidence
    confidence: float = Field(ge=0.0, le=1.0, default=0.8)


class ArticleGraph(Model):
    """Everything extracted from one article."""

    article: Article
    extractor_version: str
    entities: list[Entity] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)
    quotes: list[Quote] = Field(default_factory=list)
    figures: list[Figure] = Field(default_factory=list)
    relations: list[Relation] = Field(default_factory=list)
    # Why nothing was extracted, when the article was skipped ("article is in French; kg
    # extracts English only"); None for an article that was extracted.
    skipped: str | None = None

    def entity(self, entity_id: str) -> Entity | None:
        return next((e for e in self.entities if e.id == entity_id), None)
