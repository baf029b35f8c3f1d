"""The one schema of the expected-facts files (`tests/data/expected/`).

Each example article has a YAML file saying what a careful analyst would extract from it,
in the vocabulary of `kg.schema`; `coreference.yaml` beside them says which reports across
articles are the same incident or entity. The format is documented in that folder's
README; these models are its authoritative form. The scorer (`kg.dev.scoring`) reads the
files through them, and `tests/extract/test_examples_wellformed.py` checks that the files
validate and hold together.

    from kg.dev.expected import load_expected
    expected = load_expected("tests/data/expected")        # article key → Expected
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from kg.dev.names import POSSESSIVE, name_key
from kg.errors import KgError
from kg.models import Article
from kg.schema import (
    DatePrecision,
    EntityType,
    EventType,
    FigureKind,
    GeoPrecision,
    GroupKind,
    Label,
    OrganisationKind,
    PlaceKind,
    RelType,
    TargetKind,
)
from kg.sources.registry import format_for_path

COREFERENCE_FILE = "coreference.yaml"
ISO2 = r"^[A-Z]{2}$"
ENTITY_LISTS = ("groups", "organisations", "places", "people", "targets")


class EvaluationError(KgError):
    """The expected files are missing or malformed, or an article has no expected file."""


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ExpEntity(Strict):
    name: str = Field(min_length=1)
    aliases: list[str] = Field(default_factory=list)  # surface forms found in the article
    alt_names: list[str] = Field(default_factory=list)  # other accepted canonical names
    must: bool
    note: str | None = None

    @property
    def keys(self) -> set[str]:
        """Every accepted name, in the form names are compared in."""
        return {name_key(n) for n in (self.name, *self.aliases, *self.alt_names)}


class ExpGroup(ExpEntity):
    kind: GroupKind
    kind_accept: list[GroupKind] = Field(default_factory=list)
    country: str | None = Field(default=None, pattern=ISO2)


class ExpOrganisation(ExpEntity):
    kind: OrganisationKind
    kind_accept: list[OrganisationKind] = Field(default_factory=list)
    country: str | None = Field(default=None, pattern=ISO2)


class ExpPlace(ExpEntity):
    kind: PlaceKind
    kind_accept: list[PlaceKind] = Field(default_factory=list)
    country: str | None = Field(default=None, pattern=ISO2)
    parent: str | None = None  # the nearest enclosing place listed in the same file


class ExpPerson(ExpEntity):
    role: str | None = None
    affiliation: str | None = None
    affiliation_accept: list[str] = Field(default_factory=list)


class ExpTarget(ExpEntity):
    kind: TargetKind
    kind_accept: list[TargetKind] = Field(default_factory=list)


class ExpQuote(Strict):
    text: str = Field(min_length=1)
    speaker: str | None = None
    speaker_description: str | None = None
    reported_by: str | None = None
    reported_by_accept: list[str | None] = Field(default_factory=list)
    event: str | None = None
    must: bool
    note: str | None = None

    @model_validator(mode="after")
    def _has_speaker(self) -> ExpQuote:
        if not (self.speaker or self.speaker_description):
            raise ValueError("a quote needs a speaker or a speaker_description")
        return self


class ExpEvent(Strict):
    key: str = Field(pattern=r"^e\d+$")
    type: EventType
    type_accept: list[EventType] = Field(default_factory=list)
    label: str
    date: dt.date | None = None
    date_end: dt.date | None = None
    date_accept: list[dt.date] = Field(default_factory=list)
    date_text: str | None = None
    date_precision: DatePrecision | None = None
    place: str | None = None
    place_accept: list[str] = Field(default_factory=list)
    geo_precision: GeoPrecision | None = None
    perpetrators: list[str] = Field(default_factory=list)
    perpetrators_accept: list[str] = Field(default_factory=list)
    participants: list[str] = Field(default_factory=list)
    targets: list[str] = Field(default_factory=list)
    responders: list[str] = Field(default_factory=list)
    claimed_by: list[str] = Field(default_factory=list)  # CLAIMED_RESPONSIBILITY
    attributed_to: list[str] = Field(default_factory=list)  # ATTRIBUTED_TO
    attributed_to_accept: list[str] = Field(default_factory=list)
    denied_by: list[str] = Field(default_factory=list)
    unverified_claim_of: str | None = None  # models.Event.claimed_by
    part_of: str | None = None
    must: bool
    note: str | None = None

    @model_validator(mode="after")
    def _dates_in_order(self) -> ExpEvent:
        if self.date_end is not None and (self.date is None or self.date_end < self.date):
            raise ValueError("date_end needs a date on or before it")
        return self

    @property
    def types(self) -> set[EventType]:
        return {self.type, *self.type_accept}

_VAGUE = {"several", "dozens", "hundreds", "thousands", "scores", "several hundred"}
_LOWER_BOUND = {"at least", "more than"}


class ExpFigure(Strict):
    kind: FigureKind
    text: str = Field(min_length=1)
    min: int | None = Field(default=None, ge=0)
    max: int | None = Field(default=None, ge=0)
    approximate: bool = False
    qualifier: str | None = None
    who: str | None = None
    according_to: str | None = None
    according_to_accept: list[str] = Field(default_factory=list)
    according_to_description: str | None = None
    event: str | None = None
    must: bool
    note: str | None = None

    @model_validator(mode="after")
    def _consistent_numbers(self) -> ExpFigure:
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError("min is above max")
        if self.qualifier in _VAGUE and (self.min, self.max, self.approximate) != (None, None, True):
            raise ValueError(f"'{self.qualifier}' is vague: no min or max, approximate true")
        if self.qualifier in _LOWER_BOUND and (self.min is None or self.max is not None):
            raise ValueError(f"'{self.qualifier}' gives a min and no max")
        if self.qualifier == "up to" and (self.min is not None or self.max is None):
            raise ValueError("'up to' gives a max and no min")
        if self.qualifier == "between" and not (
                self.min is not None and self.max is not None and self.min < self.max):
            raise ValueError("'between' gives min < max")
        if self.qualifier is None and not self.approximate and self.min != self.max:
            raise ValueError("an exact figure has min == max")
        return self


class ExpRelation(Strict):
    source: str
    type: RelType
    target: str
    target_accept: list[str] = Field(default_factory=list)
    properties: dict[str, str | int | float | bool | None] = Field(default_factory=dict)
    must: bool
    note: str | None = None


class NotEntity(Strict):
    type: EntityType
    name: str
    country: str | None = Field(default=None, pattern=ISO2)
    kind: str | None = None


class NotEvent(Strict):
    type: EventType | None = None
    place: str | None = None
    date: dt.date | None = None


class NotRelation(Strict):
    source: str
    type: RelType
    target: str


class NotQuote(Strict):
    text: str


class MustNot(Strict):
    entity: NotEntity | None = None
    event: NotEvent | None = None
    relation: NotRelation | None = None
    quote: NotQuote | None = None
    why: str
    must: bool = True

    @model_validator(mode="after")
    def _exactly_one(self) -> MustNot:
        given = [x for x in (self.entity, self.event, self.relation, self.quote) if x is not None]
        if len(given) != 1:
            raise ValueError("a must_not item states exactly one of entity, event, relation, quote")
        return self


Style = Literal["wire", "local", "humanitarian", "press_release", "monitor", "analysis"]
Region = Literal["sahel", "lake_chad", "horn_of_africa", "great_lakes", "middle_east",
                 "south_asia", "southeast_asia", "latin_america", "europe"]


class Expected(Strict):
    file: str
    record: str | None = None
    line: int | None = Field(default=None, ge=1)
    format: Literal["txt", "json", "jsonl", "html"]
    has_summary: bool | None = None
    published: dt.date
    title: str
    source: str | None = None
    language: str = Field(pattern=r"^[a-z]{2}$")
    style: Style
    region: Region
    features: list[str] = Field(default_factory=list)
    notes: str | None = None
    max_events: int | None = Field(default=None, ge=0)
    groups: list[ExpGroup] = Field(default_factory=list)
    organisations: list[ExpOrganisation] = Field(default_factory=list)
    places: list[ExpPlace] = Field(default_factory=list)
    people: list[ExpPerson] = Field(default_factory=list)
    targets: list[ExpTarget] = Field(default_factory=list)
    quotes: list[ExpQuote] = Field(default_factory=list)
    events: list[ExpEvent] = Field(default_factory=list)
    figures: list[ExpFigure] = Field(default_factory=list)
    relations: list[ExpRelation] = Field(default_factory=list)
    must_not: list[MustNot] = Field(default_factory=list)

    @model_validator(mode="after")
    def _format_fields(self) -> Expected:
        if (self.format == "jsonl") != (self.record is not None):
            raise ValueError("'record' is given exactly for JSONL articles")
        if (self.format == "txt") != (self.has_summary is not None):
            raise ValueError("'has_summary' is given exactly for .txt articles")
        return self

    @property
    def key(self) -> str:
        stem = Path(self.file).stem
        return f"{stem}--{self.record}" if self.record else stem

    def labels(self) -> dict[str, Label]:
        """Every listed name (and event key) with the node label it stands for."""
        out: dict[str, Label] = {}
        for items, label in ((self.groups, Label.GROUP), (self.organisations, Label.ORGANISATION),
                             (self.places, Label.PLACE), (self.people, Label.PERSON),
                             (self.targets, Label.TARGET)):
            for item in items:
                out[item.name] = label
        for event in self.events:
            out[event.key] = Label.EVENT
        return out



    def entities(self, category: str) -> list[ExpEntity]:
        """The items of one entity list ("groups", "places", …)."""
        items: list[ExpEntity] = getattr(self, category)
        return items

    def named(self, name: str) -> ExpEntity | None:
        """The listed entity (of any type) called `name`."""
        return next((e for cat in ENTITY_LISTS for e in self.entities(cat) if e.name == name),
                    None)

    def keys_of(self, names: Iterable[str | None]) -> set[str]:
        """Every accepted name of the listed entities, or the name itself when not listed."""
        out: set[str] = set()
        for name in names:
            if name is None:
                continue
            entity = self.named(name)
            out |= entity.keys if entity else {name_key(name)}
        return out

    def described(self, description: str | None) -> list[str]:
        """A source description and the names of the listed entities it names.

        "RSF statement" also accepts "Rapid Support Forces", "the military's information
        team" whatever the listed military is called.
        """
        if not description:
            return []
        # Possessives dropped first: "the military's team" names "military".
        text = " " + name_key(POSSESSIVE.sub("", description)) + " "
        out = [description]
        for category in ("groups", "organisations", "people"):
            for entity in self.entities(category):
                if any(len(k) >= 3 and f" {k} " in text for k in entity.keys):
                    out += sorted(entity.keys)
        return out


# -- coreference.yaml: identity across articles ---------------------------------------------


class _Ref(Strict):
    article: str
    event: str


class _Form(Strict):
    article: str
    form: str
    type: EntityType | None = None


class _SameIncident(Strict):
    id: str
    description: str
    reports: list[_Ref] = Field(min_length=2)
    must: bool


class _DistinctIncidents(Strict):
    description: str
    reports: list[_Ref] = Field(min_length=2)


class _SameEntity(Strict):
    name: str
    type: EntityType
    must: bool
    note: str | None = None
    forms: list[_Form] = Field(min_length=2)


class _DistinctEntities(Strict):
    description: str
    forms: list[_Form] = Field(min_length=2)


class Coreference(Strict):
    same_incident: list[_SameIncident]
    distinct_incidents: list[_DistinctIncidents] = Field(default_factory=list)
    same_entity: list[_SameEntity]
    distinct_entities: list[_DistinctEntities] = Field(default_factory=list)


# -- reading the files -------------------------------------------------------------------------


def expected_paths(directory: str | Path) -> list[Path]:
    """The expected files in `directory`, sorted (`coreference.yaml` aside)."""
    return sorted(p for p in Path(directory).glob("*.yaml") if p.name != COREFERENCE_FILE)


def read_expected(path: Path) -> Expected:
    """One expected file; `ValidationError` or `yaml.YAMLError` when it is not valid."""
    return Expected.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


def read_coreference(directory: str | Path) -> Coreference:
    """The `coreference.yaml` of `directory`."""
    path = Path(directory) / COREFERENCE_FILE
    return Coreference.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


def load_expected(directory: str | Path) -> dict[str, Expected]:
    """Every expected file in `directory` by article key; `EvaluationError` for a bad one."""
    paths = expected_paths(directory)
    if not paths:
        raise EvaluationError(f"{directory}: no expected files (*.yaml)")
    out: dict[str, Expected] = {}
    for path in paths:
        try:
            expected = read_expected(path)
        except (OSError, yaml.YAMLError, ValidationError) as exc:
            first = str(exc).splitlines()[0]
            raise EvaluationError(f"{path}: not a valid expected file: {first}") from exc
        out[expected.key] = expected
    return out


def article_key(article: Article) -> str:
    """The expected-file key of an article: file stem, plus `--<id>` for a JSONL record."""
    path = Path(re.sub(r":\d+$", "", article.origin or ""))
    fmt = format_for_path(path)
    return f"{path.stem}--{article.id}" if fmt is not None and fmt.name == "jsonl" else path.stem
