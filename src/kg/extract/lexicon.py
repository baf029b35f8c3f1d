"""Domain lexicons for extraction, loaded from the versioned YAML files in `kg/extract/data`.

The extractor's knowledge of the domain lives in data, not code: armed groups
(`groups.yaml`), named organisations (`organisations.yaml`), how generic wording names a
country's forces and government (`state_forces.yaml`), event triggers
(`event_triggers.yaml`), the vocabulary of figures (`figures.yaml`) and of quotes and sources
(`speech.yaml`). Each file is validated at load by a pydantic model that forbids unknown
fields, and cached. `LEXICON_VERSION` hashes the files so an output can say which lexicon
made it.

Users extend the armed-group lexicon with their own YAML or CSV file (`KG_GROUPS_FILE`, see
`kg.config.ExtractSettings.groups_file`), passed to `load_groups` / `load_group_lexicon`.
A CSV file has a header row with the columns `name` and `kind` (required) and `aliases`,
`acronyms`, `countries`, `parent`, `generic_terms`, `ambiguous` (optional); list columns
separate their items with `|`. A YAML file has the layout of `groups.yaml` (a `groups:`
list) or is a bare list of entries. An entry whose name matches a built-in one extends it:
lists are united, and the user's kind, parent and ambiguity win.

Phrases in every file are base forms separated by spaces ("take hostage"); `word_forms`
gives the inflections each word is matched with, and `phrase_pattern` turns a phrase into a
spaCy `Matcher` pattern, so the files stay free of inflected forms.
"""

from __future__ import annotations

import csv
import hashlib
import re
import unicodedata
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from enum import StrEnum
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any, ClassVar, Literal, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from kg.errors import ConfigError
from kg.schema import EntityType, EventType, FigureKind, GroupKind, OrganisationKind

DATA_FILES = (
    "groups.yaml",
    "organisations.yaml",
    "state_forces.yaml",
    "event_triggers.yaml",
    "figures.yaml",
    "speech.yaml",
    "inflections.yaml",
    # Read by kg.extract.knowledge and kg.extract.gazetteer; part of the extractor's version.
    "targets.yaml",
    "names.yaml",
    "demonyms.yaml",
)

Pos = Literal["NOUN", "VERB", "ADJ"]
# The largest number a figure may state: Neo4j stores 64-bit integers. A larger one in a
# text is a typo or garbage, and is not read as a figure at all.
MAX_NUMBER = 2**63 - 1

_ISO2 = re.compile(r"^[A-Z]{2}$")


# ---------------------------------------------------------------------------------------------
# Normalised forms


_APOSTROPHES = re.compile(r"['’‘`´ʼ.]")
_NON_WORD = re.compile(r"[^\w]+")


def normalise_form(text: str) -> str:
    """The key a name is compared by: no accents, apostrophes or dots, case-folded,
    punctuation as spaces. "Jama'at Nusrat al-Islam" and "Jamaat Nusrat al Islam" agree,
    as do "U.N." and "UN"."""
    folded = unicodedata.normalize("NFKD", text)
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    folded = _APOSTROPHES.sub("", folded.replace("&", " and ")).casefold()
    return " ".join(_NON_WORD.sub(" ", folded).replace("_", " ").split())


def _strip_dots(text: str) -> str:
    return text.replace(".", "").strip()


def _is_upper(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


# ---------------------------------------------------------------------------------------------
# Base model


class LexiconModel(BaseModel):
    """Lexicon entries: unknown fields are an error and loaded entries cannot change."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def _no_blank(values: tuple[str, ...]) -> tuple[str, ...]:
    cleaned = tuple(v.strip() for v in values)
    if any(not v for v in cleaned):
        raise ValueError("blank string in list")
    return cleaned


def _check_countries(values: Iterable[str]) -> None:
    for code in values:
        if not _ISO2.match(code):
            raise ValueError(f"{code!r} is not an ISO 3166-1 alpha-2 code such as 'PK'")


# ---------------------------------------------------------------------------------------------
# Armed groups and organisations


class ActorEntry(LexiconModel):
    """What groups and organisations share: a canonical name and the forms that refer to it."""

    entity_type: ClassVar[EntityType]

    name: str = Field(min_length=1)
    aliases: tuple[str, ...] = ()
    acronyms: tuple[str, ...] = ()
    parent: str | None = None
    ambiguous: bool = False
    ambiguous_forms: tuple[str, ...] = ()
    context: tuple[str, ...] = ()

    _strip_lists = field_validator("aliases", "acronyms", "ambiguous_forms", "context")(_no_blank)

    @model_validator(mode="after")
    def _ambiguous_forms_are_forms(self) -> ActorEntry:
        known = {normalise_form(f) for f in self.forms()}
        for form in self.ambiguous_forms:
            if normalise_form(form) not in known:
                raise ValueError(f"ambiguous form {form!r} is not a name, alias or acronym of {self.name!r}")
        return self

    def forms(self) -> list[str]:
        """The name, its aliases and its acronyms."""
        return [self.name, *self.aliases, *self.acronyms]

    def needs_context(self, form: str) -> bool:
        """Whether a mention written `form` may refer to something else and needs context:
        one of `ambiguous_forms`, or, for an `ambiguous` entry, an acronym or one-word alias."""
        key = normalise_form(form)
        if any(normalise_form(f) == key for f in self.ambiguous_forms):
            return True
        if not self.ambiguous:
            return False
        if any(normalise_form(a) == key for a in self.acronyms):
            return True
        return len(key.split()) == 1

    @property
    def context_countries(self) -> tuple[str, ...]:
        """Countries whose mention in an article supports this sense of an ambiguous form."""
        return ()


class GroupEntry(ActorEntry):
    """A non-state armed group."""

    entity_type: ClassVar[EntityType] = EntityType.GROUP

    kind: GroupKind
    countries: tuple[str, ...] = ()
    generic_terms: tuple[str, ...] = ()

    _strip_group_lists = field_validator("countries", "generic_terms")(_no_blank)

    @field_validator("countries")
    @classmethod
    def _iso_countries(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        _check_countries(value)
        return value

    @property
    def context_countries(self) -> tuple[str, ...]:
        return self.countries


# Organisation kinds whose country is where they act, so a mention of it is context.
_COUNTRY_CONTEXT_KINDS = frozenset({
    OrganisationKind.STATE_FORCE, OrganisationKind.GOVERNMENT, OrganisationKind.POLITICAL_PARTY,
    OrganisationKind.INTERNATIONAL,
})


class OrganisationEntry(ActorEntry):
    """A named organisation: outlet, international body, NGO, state force, party, programme."""

    entity_type: ClassVar[EntityType] = EntityType.ORGANISATION

    kind: OrganisationKind
    country: str | None = None

    @field_validator("country")
    @classmethod
    def _iso_country(cls, value: str | None) -> str | None:
        if value is not None:
            _check_countries([value])
        return value

    @property
    def context_countries(self) -> tuple[str, ...]:
        if self.country and self.kind in _COUNTRY_CONTEXT_KINDS:
            return (self.country,)
        return ()


def _check_names_and_parents(entries: Iterable[ActorEntry], what: str) -> None:
    names: dict[str, str] = {}
    for entry in entries:
        key = normalise_form(entry.name)
        if key in names:
            raise ValueError(f"two {what} are named {entry.name!r} (and {names[key]!r})")
        names[key] = entry.name
    for entry in entries:
        if entry.parent is not None and normalise_form(entry.parent) not in names:
            raise ValueError(f"parent {entry.parent!r} of {entry.name!r} is not a known {what[:-1]} name")


class GroupLexicon(LexiconModel):
    """groups.yaml: the armed groups and the descriptions each kind of group goes by."""

    version: int = 1
    generic_terms_by_kind: dict[GroupKind, tuple[str, ...]] = Field(default_factory=dict)
    groups: tuple[GroupEntry, ...]

    @model_validator(mode="after")
    def _unique(self) -> GroupLexicon:
        _check_names_and_parents(self.groups, "groups")
        return self

    def by_name(self, name: str) -> GroupEntry | None:
        key = normalise_form(name)
        return next((g for g in self.groups if normalise_form(g.name) == key), None)

    def generic_terms(self, group: GroupEntry) -> list[str]:
        """The group's own descriptions first, then those of its kind."""
        return [*group.generic_terms, *self.generic_terms_by_kind.get(group.kind, ())]

    def resolve_generic(self, surface: str, named: Iterable[GroupEntry]) -> GroupEntry | None:
        """The group a description ("the militants", "Baloch separatists") refers to, among
        the groups `named` in the same article: the one whose own descriptions include it,
        else the only one of a kind that is described so. None when it cannot be told."""
        forms = _noun_keys(_strip_article(normalise_form(surface)))
        candidates = list(dict.fromkeys(named))

        def describes(terms: Iterable[str]) -> bool:
            return any(forms & _noun_keys(normalise_form(t)) for t in terms)

        own = [g for g in candidates if describes(g.generic_terms)]
        if own:
            return own[0] if len(own) == 1 else None
        by_kind = [g for g in candidates if describes(self.generic_terms_by_kind.get(g.kind, ()))]
        return by_kind[0] if len(by_kind) == 1 else None


class OrganisationLexicon(LexiconModel):
    """organisations.yaml: named organisations and the context words of each kind."""

    version: int = 1
    context_by_kind: dict[OrganisationKind, tuple[str, ...]] = Field(default_factory=dict)
    organisations: tuple[OrganisationEntry, ...]

    @model_validator(mode="after")
    def _unique(self) -> OrganisationLexicon:
        _check_names_and_parents(self.organisations, "organisations")
        return self

    def by_name(self, name: str) -> OrganisationEntry | None:
        key = normalise_form(name)
        return next((o for o in self.organisations if normalise_form(o.name) == key), None)


def _strip_article(key: str) -> str:
    return key[4:] if key.startswith("the ") else key


def _noun_keys(key: str) -> frozenset[str]:
    """A normalised noun phrase with its last word singular or plural ("militant" and
    "militants" share "militants")."""
    head, _, last = key.rpartition(" ")
    prefix = f"{head} " if head else ""
    return frozenset(prefix + form for form in word_forms(last, "NOUN")) | {key}


@dataclass(frozen=True)
class Candidate:
    """An entry a surface form may refer to, and the form it matched."""

    entry: GroupEntry | OrganisationEntry
    form: str
    via_acronym: bool


class ActorIndex:
    """Looks up groups and organisations by any of their forms and settles ambiguous ones.

    A form matches case-insensitively after `normalise_form`, with two guards: an acronym
    matches only text written as the acronym or in capitals ("IS", not "is"), and a one-word
    name or alias does not match text written all in lower case ("Dawn", not "at dawn").
    """

    def __init__(self, groups: GroupLexicon, organisations: OrganisationLexicon) -> None:
        self.groups = groups
        self.organisations = organisations
        self._index: dict[str, list[Candidate]] = {}
        entries: list[GroupEntry | OrganisationEntry] = [*groups.groups, *organisations.organisations]
        for entry in entries:
            seen: set[str] = set()
            for form in entry.forms():
                key = normalise_form(form)
                if key in seen or not key:
                    continue
                seen.add(key)
                via_acronym = form in entry.acronyms
                self._index.setdefault(key, []).append(Candidate(entry, form, via_acronym))

    def forms(self) -> Iterator[str]:
        """Every distinct form, for building a phrase matcher."""
        for candidates in self._index.values():
            yield from dict.fromkeys(c.form for c in candidates)

    def lookup(self, surface: str) -> list[Candidate]:
        """Every entry `surface` may refer to."""
        key = normalise_form(surface)
        found = self._index.get(key)
        if found is None and key.startswith("the "):
            found = self._index.get(key[4:])
            surface = re.sub(r"^\s*the\s+", "", surface, flags=re.IGNORECASE)
        if not found:
            return []
        return [c for c in found if self._written_as(surface, c)]

    @staticmethod
    def _written_as(surface: str, candidate: Candidate) -> bool:
        text = _strip_dots(surface)
        if candidate.via_acronym:
            return text == _strip_dots(candidate.form) or _is_upper(text)
        if len(normalise_form(candidate.form).split()) == 1 and text.islower():
            return candidate.form.islower()
        return True

    def context_words(self, entry: GroupEntry | OrganisationEntry) -> tuple[str, ...]:
        if isinstance(entry, OrganisationEntry):
            return (*entry.context, *self.organisations.context_by_kind.get(entry.kind, ()))
        return entry.context

    def resolve(self, surface: str, *, sentence: str = "", text: str = "",
                countries: Collection[str] = ()) -> GroupEntry | OrganisationEntry | None:
        """The entry a mention refers to, or None when the context cannot tell.

        An unambiguous form with one entry is taken as is. Otherwise each candidate is scored:
        3 when another of its names appears in `text`, 2 when one of its context words appears
        in `sentence`, 1 when one of its countries is in `countries` (ISO codes of the countries
        the article mentions). The single best candidate with a score above 0 wins.
        """
        candidates = self.lookup(surface)
        if not candidates:
            return None
        if len(candidates) == 1 and not candidates[0].entry.needs_context(surface):
            return candidates[0].entry
        norm_text = f" {normalise_form(text)} "
        norm_sentence = f" {normalise_form(sentence)} "
        surface_key = normalise_form(surface)
        scored: list[tuple[int, GroupEntry | OrganisationEntry]] = []
        for candidate in candidates:
            entry = candidate.entry
            score = 0
            long_forms = [f for f in entry.forms()
                          if normalise_form(f) != surface_key and not entry.needs_context(f)
                          and f not in entry.acronyms]
            if any(f" {normalise_form(f)} " in norm_text for f in long_forms):
                score += 3
            if any(f" {normalise_form(w)} " in norm_sentence for w in self.context_words(entry)):
                score += 2
            if set(entry.context_countries) & set(countries):
                score += 1
            scored.append((score, entry))
        scored.sort(key=lambda pair: pair[0], reverse=True)
        best = scored[0][0]
        if best <= 0 or (len(scored) > 1 and scored[1][0] == best):
            return None
        return scored[0][1]


# ---------------------------------------------------------------------------------------------
# State forces and governments


class ForceBranch(StrEnum):
    SECURITY_FORCES = "security_forces"
    ARMY = "army"
    POLICE = "police"
    AIR_FORCE = "air_force"
    NAVY = "navy"


class Affiliation(StrEnum):
    """What a role binds its holder to (see speech.yaml and state_forces.yaml)."""

    GOVERNMENT = "government"
    SECURITY_FORCES = "security_forces"
    ARMY = "army"
    POLICE = "police"
    AIR_FORCE = "air_force"
    NAVY = "navy"
    PLACE = "place"
    ORGANISATION = "organisation"
    GROUP = "group"
    ANY = "any"
    NONE = "none"


class ForceNoun(LexiconModel):
    noun: str
    # May stand without a country word and then means the article's main country.
    bare: bool = False


class Branch(LexiconModel):
    canonical: str
    nouns: tuple[ForceNoun, ...]


class MinistryTopic(LexiconModel):
    topic: str
    aliases: tuple[str, ...] = ()


class GovernmentVocabulary(LexiconModel):
    canonical: str
    nouns: tuple[ForceNoun, ...]
    ministry_forms: tuple[str, ...]
    ministry_topics: tuple[MinistryTopic, ...]


class Role(LexiconModel):
    """A title or role a person holds. Variants written in capitals ("PM", "SSP") are
    matched only as written; the others in any case."""

    title: str
    variants: tuple[str, ...]
    affiliation: Affiliation
    level: str


_OVERRIDE_KEYS = frozenset({*ForceBranch, "government"})


class StateForces(LexiconModel):
    """state_forces.yaml: canonical names for a country's forces and government."""

    version: int = 1
    forms: tuple[str, ...]
    branches: dict[ForceBranch, Branch]
    government: GovernmentVocabulary
    overrides: dict[str, dict[str, str]] = Field(default_factory=dict)
    titles: tuple[Role, ...] = ()

    @model_validator(mode="after")
    def _complete(self) -> StateForces:
        missing = set(ForceBranch) - set(self.branches)
        if missing:
            raise ValueError(f"branches missing: {sorted(missing)}")
        _check_countries(self.overrides)
        for code, names in self.overrides.items():
            unknown = set(names) - _OVERRIDE_KEYS
            if unknown:
                raise ValueError(f"override for {code} has unknown keys {sorted(unknown)}")
        return self

    def branch_of(self, noun: str) -> ForceBranch | None:
        """The branch a force noun belongs to ("troops" -> army), or None."""
        key = normalise_form(noun)
        for branch, spec in self.branches.items():
            if any(normalise_form(n.noun) == key for n in spec.nouns):
                return branch
        return None

    def is_government_noun(self, noun: str) -> bool:
        key = normalise_form(noun)
        return any(normalise_form(n.noun) == key for n in self.government.nouns)

    def force_name(self, branch: ForceBranch | str, country: str, demonym: str) -> str:
        """ "Pakistani security forces", or the proper name an override gives ("Pakistan Army")."""
        branch = ForceBranch(branch)
        override = self.overrides.get(country.upper(), {}).get(branch.value)
        return override or self.branches[branch].canonical.format(demonym=demonym)

    def government_name(self, country: str, country_name: str) -> str:
        """ "Government of Pakistan", or an override ("Government of the Philippines")."""
        override = self.overrides.get(country.upper(), {}).get("government")
        return override or self.government.canonical.format(country=country_name)

    def ministry_phrases(self) -> list[str]:
        """Every ministry phrase ("interior ministry", "ministry of home affairs")."""
        phrases: list[str] = []
        for topic in self.government.ministry_topics:
            for name in (topic.topic, *topic.aliases):
                phrases.extend(form.format(topic=name) for form in self.government.ministry_forms)
        return list(dict.fromkeys(phrases))


# ---------------------------------------------------------------------------------------------
# Event triggers


Actor = Literal["state", "non_state", "any"]


class Trigger(LexiconModel):
    """A word or phrase that signals an event of `type` (see event_triggers.yaml)."""

    phrase: str
    pos: Pos
    type: EventType
    max_gap: int = Field(default=0, ge=0, le=6)
    objects: tuple[str, ...] = ()
    actor: Actor = "any"
    context: tuple[str, ...] = ()
    not_context: tuple[str, ...] = ()
    if_armed_target: EventType | None = None
    rank: int | None = Field(default=None, ge=0, le=100)
    lowercase_only: bool = False

    @field_validator("phrase")
    @classmethod
    def _lower(cls, value: str) -> str:
        if value != value.lower() or not value.strip():
            raise ValueError(f"phrase {value!r} must be lower-case base forms")
        return value

    @property
    def nominal(self) -> bool:
        return self.pos == "NOUN"

    def pattern(self, *, with_pos: bool = False) -> list[dict[str, Any]]:
        return phrase_pattern(self.phrase, pos=self.pos, max_gap=self.max_gap,
                              lowercase_only=self.lowercase_only, with_pos=with_pos)

    def allowed_in(self, sentence: str) -> bool:
        """Whether the sentence satisfies `context` and `not_context` (any inflection of the
        words counts). `objects` and `actor` need a parse and are left to the extractor."""
        if self.context and not mentions_any(sentence, self.context):
            return False
        return not (self.not_context and mentions_any(sentence, self.not_context))


class EventTypeInfo(LexiconModel):
    rank: int = Field(ge=0, le=100)


class EventTriggers(LexiconModel):
    """event_triggers.yaml: triggers for every event type and the ranks that pick one."""

    version: int = 1
    sets: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    types: dict[EventType, EventTypeInfo]
    triggers: tuple[Trigger, ...]
    weak: tuple[Trigger, ...] = ()

    @model_validator(mode="before")
    @classmethod
    def _expand_sets(cls, data: Any) -> Any:
        """Replace "@name" in objects/context/not_context with the words of set `name`."""
        if not isinstance(data, dict):
            return data
        sets = data.get("sets") or {}

        def expand(words: Any) -> Any:
            if not isinstance(words, list):
                return words
            out: list[Any] = []
            for word in words:
                if isinstance(word, str) and word.startswith("@"):
                    if word[1:] not in sets:
                        raise ValueError(f"unknown set {word!r}; define it under `sets`")
                    out.extend(sets[word[1:]])
                else:
                    out.append(word)
            return list(dict.fromkeys(out))

        for section in ("triggers", "weak"):
            for item in data.get(section) or []:
                if isinstance(item, dict):
                    for field in ("objects", "context", "not_context"):
                        if field in item:
                            item[field] = expand(item[field])
        return data

    @model_validator(mode="after")
    def _complete(self) -> EventTriggers:
        missing = set(EventType) - set(self.types)
        if missing:
            raise ValueError(f"types missing a rank: {sorted(missing)}")
        return self

    def rank(self, trigger: Trigger) -> int:
        """The trigger's own rank, else its type's."""
        return trigger.rank if trigger.rank is not None else self.types[trigger.type].rank

    def all_triggers(self) -> list[Trigger]:
        return [*self.triggers, *self.weak]

    def is_weak(self, trigger: Trigger) -> bool:
        return trigger in self.weak

    def for_type(self, event_type: EventType) -> list[Trigger]:
        return [t for t in self.all_triggers() if t.type is event_type]

    def most_specific(self, triggers: Iterable[Trigger]) -> Trigger | None:
        """Of several triggers describing one incident, the one whose type wins."""
        return max(triggers, key=self.rank, default=None)


# ---------------------------------------------------------------------------------------------
# Figures


Bound = Literal["exact", "min", "max", "range", "vague", "all"]


class Phrase(LexiconModel):
    phrase: str
    pos: Pos | None = None
    max_gap: int = Field(default=0, ge=0, le=6)

    def pattern(self) -> list[dict[str, Any]]:
        return phrase_pattern(self.phrase, pos=self.pos, max_gap=self.max_gap)


class Hedge(LexiconModel):
    phrase: str
    approximate: bool
    bound: Bound
    # "more than 50" excludes 50 itself: min 51.
    exclusive: bool = False
    position: Literal["before", "after"] = "before"


class VagueQuantity(LexiconModel):
    phrase: str
    # Conservative low estimate; Figure.min stays None for vague quantities.
    implied_min: int = Field(ge=0)


class KindVocabulary(LexiconModel):
    verbs: tuple[str, ...] = ()
    nouns: tuple[str, ...] = ()
    adjectives: tuple[str, ...] = ()

    def phrases(self) -> Iterator[tuple[str, Pos]]:
        for verb in self.verbs:
            yield verb, "VERB"
        for noun in self.nouns:
            yield noun, "NOUN"
        for adjective in self.adjectives:
            yield adjective, "ADJ"


PersonCategory = Literal["civilian", "security", "militant", "unknown"]


class PersonNoun(LexiconModel):
    noun: str
    category: PersonCategory


class FigureConstructions(LexiconModel):
    """figures.yaml `constructions`: the words of the phrases a count sits in."""

    # "the death toll rose to 15", "put the number of dead at 12": nouns that stand for a count
    tally_nouns: tuple[str, ...] = ()
    # "left three soldiers dead": verbs whose object's state says the kind
    resultative_verbs: tuple[str, ...] = ()
    # "among them", "of whom": words that make a number part of the count before it
    subset_words: tuple[str, ...] = ()
    # "so far this year", "since the beginning": phrases of cumulative or earlier tolls
    background_phrases: tuple[str, ...] = ()
    # "another attack", "an earlier raid": an incident other than the article's own
    earlier_incident_words: tuple[str, ...] = ()


class FigureVocabulary(LexiconModel):
    """figures.yaml: hedges, number words and the words that say what a figure counts."""

    version: int = 1
    hedges: tuple[Hedge, ...]
    range_connectors: tuple[str, ...]
    approximate_range_connectors: tuple[str, ...] = ()
    vague_quantities: tuple[VagueQuantity, ...]
    universal_quantities: tuple[str, ...]
    zero_quantities: tuple[str, ...]
    number_words: dict[str, int]
    multipliers: dict[str, int]
    kinds: dict[FigureKind, KindVocabulary]
    persons: tuple[PersonNoun, ...]
    constructions: FigureConstructions = FigureConstructions()

    @model_validator(mode="after")
    def _complete(self) -> FigureVocabulary:
        missing = set(FigureKind) - set(self.kinds)
        if missing:
            raise ValueError(f"kinds missing vocabulary: {sorted(missing)}")
        return self

    def hedge(self, phrase: str, position: str = "before") -> Hedge | None:
        key = normalise_form(phrase)
        return next((h for h in self.hedges
                     if normalise_form(h.phrase) == key and h.position == position), None)

    def vague(self, phrase: str) -> VagueQuantity | None:
        key = normalise_form(phrase)
        return next((v for v in self.vague_quantities if normalise_form(v.phrase) == key), None)

    def person_category(self, noun: str) -> PersonCategory | None:
        """The category of a counted noun, singular or plural ("passengers" -> civilian)."""
        key = normalise_form(noun)
        for person in self.persons:
            if key in {normalise_form(f) for f in word_forms(person.noun, "NOUN")} or \
                    key == normalise_form(person.noun):
                return person.category
        return None

    def kinds_of(self, word: str) -> list[FigureKind]:
        """The figure kinds whose vocabulary contains `word` (any inflection)."""
        key = normalise_form(word)
        found: list[FigureKind] = []
        for kind, vocabulary in self.kinds.items():
            for phrase, pos in vocabulary.phrases():
                if key in {normalise_form(p) for p in _phrase_forms(phrase, pos)}:
                    found.append(kind)
                    break
        return found

    def parse_number(self, text: str) -> int | None:
        """The integer a number expression states: "190", "1,200", "1.5 million",
        "two hundred", "twenty-five", "a dozen", "half a dozen". None if it is not one, or
        if it is larger than any integer Neo4j can store (`MAX_NUMBER`).

        Decimal, not float: "99999999999999999999" stays exact, and 400 nines are too
        large rather than an infinity that `int` cannot convert."""
        words = " ".join(text.casefold().replace(",", "").replace("-", " ").split())
        if words in self.number_words:
            return self.number_words[words]
        total = Decimal(0)
        current: Decimal | None = None
        for token in words.split():
            if token == "and" and current is not None:
                continue
            if token in {"a", "an"} and current is None:
                current = Decimal(1)
            elif re.fullmatch(r"\d+(\.\d+)?", token) and current is None:
                if len(token.partition(".")[0].lstrip("0")) > len(str(MAX_NUMBER)):
                    return None  # also keeps the arithmetic below within Decimal's range
                current = Decimal(token)
            elif token in self.number_words:
                current = (current or Decimal(0)) + self.number_words[token]
            elif token in self.multipliers and current is not None:
                factor = self.multipliers[token]
                if factor < 1000:  # "two hundred thousand": hundreds scale what follows
                    current *= factor
                else:
                    total += current * factor
                    current = None
            else:
                return None
        if current is None and total == 0:
            return None
        number = int((total + (current or 0)).to_integral_value(ROUND_HALF_EVEN))
        return number if number <= MAX_NUMBER else None


# ---------------------------------------------------------------------------------------------
# Speech


class ReportingVerb(LexiconModel):
    phrase: str
    # Commonly introduces direct speech.
    quote: bool = True
    is_claim: bool = False
    is_denial: bool = False
    is_confirmation: bool = False

    @model_validator(mode="after")
    def _one_flag(self) -> ReportingVerb:
        if sum((self.is_claim, self.is_denial, self.is_confirmation)) > 1:
            raise ValueError(f"{self.phrase!r}: at most one of is_claim, is_denial, is_confirmation")
        return self

    def pattern(self) -> list[dict[str, Any]]:
        return phrase_pattern(self.phrase, pos="VERB")


class Responsibility(LexiconModel):
    claim: tuple[Phrase, ...]
    deny: tuple[Phrase, ...]
    attribution: tuple[Phrase, ...] = ()
    # Words that make a claim a possibility, not a fact ("may have claimed").
    hedges: tuple[str, ...] = ()
    # Verbs and adverbs that turn a claim into its absence ("has yet to claim",
    # "declined to claim").
    negators: tuple[str, ...] = ()
    # What an actor says it did, in "X said it carried out the attack".
    own_acts: tuple[str, ...] = ()


SourceCategory = Literal["official", "security", "witness", "medical", "group", "media", "other"]


class AnonymousSource(LexiconModel):
    noun: str
    category: SourceCategory
    modifiers: tuple[str, ...] = ()


class SpeechVocabulary(LexiconModel):
    """speech.yaml: reporting verbs, responsibility claims, unnamed sources and roles."""

    version: int = 1
    reporting_verbs: tuple[ReportingVerb, ...]
    reporting_phrases: tuple[Phrase, ...]
    responsibility: Responsibility
    anonymity_markers: tuple[Phrase, ...]
    anonymous_sources: tuple[AnonymousSource, ...]
    roles: tuple[Role, ...]
    # Documents that speak for their author: "the statement said", "a post on X said".
    statement_nouns: tuple[str, ...] = ()

    def verb(self, lemma: str) -> ReportingVerb | None:
        key = lemma.casefold()
        return next((v for v in self.reporting_verbs if v.phrase == key), None)


# ---------------------------------------------------------------------------------------------
# Inflections and matcher patterns


class Inflections(LexiconModel):
    version: int = 1
    verbs: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    nouns: dict[str, tuple[str, ...]] = Field(default_factory=dict)


# Words in phrases that are never inflected.
_FUNCTION_WORDS = frozenset({
    "a", "an", "the", "of", "to", "on", "in", "into", "from", "for", "by", "with", "at", "up",
    "down", "out", "off", "over", "away", "and", "or", "as", "their", "his", "her", "its",
    "themselves", "himself", "herself", "itself", "under", "no", "not", "than", "so", "any",
    "all", "some", "that", "this", "there", "who", "per", "-",
})
_VOWELS = frozenset("aeiou")


def _regular_noun_forms(word: str) -> set[str]:
    forms = {word, word + "s"}
    if word.endswith(("s", "x", "z", "ch", "sh")):
        forms.add(word + "es")
    if len(word) > 1 and word.endswith("y") and word[-2] not in _VOWELS:
        forms.add(word[:-1] + "ies")
    if word.endswith("man"):
        forms.add(word[:-3] + "men")
    return forms


def _regular_verb_forms(word: str) -> set[str]:
    forms = {word, word + "s", word + "ed", word + "ing"}
    if word.endswith(("s", "x", "z", "ch", "sh", "o")):
        forms.add(word + "es")
    if word.endswith("e"):
        forms.add(word + "d")
        if not word.endswith(("ee", "ye", "oe")):
            forms.add(word[:-1] + "ing")
    if word.endswith("ie"):
        forms.add(word[:-2] + "ying")
    if len(word) > 1 and word.endswith("y") and word[-2] not in _VOWELS:
        forms |= {word[:-1] + "ies", word[:-1] + "ied"}
    # Consonant-vowel-consonant endings double ("kidnapped", "targeted" / "targetted").
    if (len(word) >= 3 and word[-1] not in _VOWELS | {"w", "x", "y"} and word[-2] in _VOWELS
            and word[-3] not in _VOWELS):
        forms |= {word + word[-1] + "ed", word + word[-1] + "ing"}
    return forms


def word_forms(word: str, pos: str | None = None) -> frozenset[str]:
    """The lower-case forms a phrase word is matched with: itself, its regular inflections
    for `pos` (plural for nouns; -s, -ed, -ing for verbs) and its irregular forms."""
    return _word_forms(word.lower(), pos)


@lru_cache(maxsize=8192)
def _word_forms(word: str, pos: str | None) -> frozenset[str]:
    if word in _FUNCTION_WORDS or not word.isalpha() or pos not in {"NOUN", "VERB"}:
        return frozenset({word})
    irregular = load_inflections()
    forms = _regular_verb_forms(word) if pos == "VERB" else _regular_noun_forms(word)
    forms |= set(irregular.verbs.get(word, ()) if pos == "VERB" else irregular.nouns.get(word, ()))
    return frozenset(f.lower() for f in forms)


def _phrase_words(phrase: str) -> list[str]:
    """Phrase words as spaCy tokenises them: hyphens between letters are tokens of their own."""
    words: list[str] = []
    for chunk in phrase.split():
        pieces = re.split(r"(-)", chunk)
        words.extend(p for p in pieces if p)
    return words


def _word_pos(index: int, words: list[str], pos: str | None) -> str | None:
    """Verb phrases inflect their first word as a verb and the rest as nouns ("took ...
    hostages"); noun phrases inflect every word as a noun ("exchanges of fire")."""
    if pos == "VERB":
        return "VERB" if index == 0 else "NOUN"
    return pos


def _phrase_forms(phrase: str, pos: str | None) -> set[str]:
    words = _phrase_words(phrase)
    variants = [""]
    for i, word in enumerate(words):
        options = word_forms(word, _word_pos(i, words, pos))
        joiner = "" if word == "-" or (i > 0 and words[i - 1] == "-") else " "
        variants = [f"{v}{joiner if v else ''}{o}" for v in variants for o in sorted(options)]
        if len(variants) > 256:
            break
    return set(variants)


def phrase_forms(phrase: str, pos: str | None = None) -> set[str]:
    """Every inflected form of a base-form phrase ("take hostage" → "took hostage", …)."""
    return _phrase_forms(phrase.lower(), pos)


def mentions_any(text: str, words: Iterable[str]) -> bool:
    """Whether `text` contains any of `words` (or phrases) in any inflection, as whole words."""
    haystack = _padded_form(text)
    return any(form in haystack for word in words for form in _padded_inflections(word))


# Triggers check their context words against the same sentence again and again, and the same
# few words against every sentence: both sides are normalised once.
@lru_cache(maxsize=1024)
def _padded_form(text: str) -> str:
    return f" {normalise_form(text)} "


@lru_cache(maxsize=4096)
def _padded_inflections(word: str) -> tuple[str, ...]:
    return tuple(sorted({_padded_form(form) for pos in ("NOUN", "VERB")
                         for form in _phrase_forms(word.lower(), pos)}))


_POS_TAGS: dict[str, list[str]] = {"NOUN": ["NOUN", "PROPN"], "VERB": ["VERB"], "ADJ": ["ADJ", "VERB"]}


def phrase_pattern(phrase: str, *, pos: str | None = None, max_gap: int = 0,
                   lowercase_only: bool = False, with_pos: bool = False) -> list[dict[str, Any]]:
    """A spaCy `Matcher` pattern for a lexicon phrase.

    Each word matches any of its `word_forms` (by `LOWER`, or by `ORTH` when
    `lowercase_only`); up to `max_gap` tokens may stand between words. With `with_pos`, the
    head (first word of a verb phrase, last of a noun phrase) must carry a matching POS tag;
    off by default because the small English model mis-tags nouns such as "shelling".
    """
    words = _phrase_words(phrase.lower())
    if not words:
        raise ValueError("empty phrase")
    attr = "ORTH" if lowercase_only else "LOWER"
    head = 0 if pos == "VERB" else len(words) - 1
    pattern: list[dict[str, Any]] = []
    for i, word in enumerate(words):
        if i > 0 and max_gap and word != "-" and words[i - 1] != "-":
            pattern.append({"OP": f"{{0,{max_gap}}}"})
        forms = sorted(word_forms(word, _word_pos(i, words, pos)))
        token: dict[str, Any] = {attr: forms[0]} if len(forms) == 1 else {attr: {"IN": forms}}
        if with_pos and pos in _POS_TAGS and i == head:
            token["POS"] = {"IN": _POS_TAGS[pos]}
        pattern.append(token)
    return pattern


# ---------------------------------------------------------------------------------------------
# Loading


def _data_bytes(name: str) -> bytes:
    return files("kg.extract").joinpath("data", name).read_bytes()


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """YAML 1.2 booleans only: a country code such as NO (Norway) or a word such as "no"
    stays a string instead of becoming False."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def _parse_yaml(raw: bytes, origin: str) -> Any:
    try:
        return yaml.load(raw, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        raise ConfigError(f"{origin}: not valid YAML: {exc}") from exc


M = TypeVar("M", bound=BaseModel)


def _validate(model: type[M], data: Any, origin: str) -> M:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ConfigError(f"{origin}: {where}: {first['msg']} ({exc.error_count()} error(s))") from exc


def _load_builtin(model: type[M], name: str) -> M:
    return _validate(model, _parse_yaml(_data_bytes(name), name), f"lexicon file {name}")


@lru_cache(maxsize=1)
def load_inflections() -> Inflections:
    return _load_builtin(Inflections, "inflections.yaml")


@lru_cache(maxsize=1)
def _builtin_groups() -> GroupLexicon:
    return _load_builtin(GroupLexicon, "groups.yaml")


@lru_cache(maxsize=1)
def load_organisation_lexicon() -> OrganisationLexicon:
    return _load_builtin(OrganisationLexicon, "organisations.yaml")


def load_organisations() -> list[OrganisationEntry]:
    return list(load_organisation_lexicon().organisations)


@lru_cache(maxsize=1)
def load_state_forces() -> StateForces:
    return _load_builtin(StateForces, "state_forces.yaml")


@lru_cache(maxsize=1)
def load_event_triggers() -> EventTriggers:
    return _load_builtin(EventTriggers, "event_triggers.yaml")


@lru_cache(maxsize=1)
def load_figure_vocabulary() -> FigureVocabulary:
    return _load_builtin(FigureVocabulary, "figures.yaml")


@lru_cache(maxsize=1)
def load_speech() -> SpeechVocabulary:
    return _load_builtin(SpeechVocabulary, "speech.yaml")


def all_roles() -> list[Role]:
    """National titles (state_forces.yaml) and every other role (speech.yaml)."""
    return [*load_state_forces().titles, *load_speech().roles]


_CSV_LIST_COLUMNS = ("aliases", "acronyms", "countries", "generic_terms")
_CSV_COLUMNS = frozenset({"name", "kind", "parent", "ambiguous", *_CSV_LIST_COLUMNS})


def _read_user_groups(path: Path) -> list[dict[str, Any]]:
    """The raw entries of a user's group file, YAML or CSV."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"cannot read groups file {path}: {exc.strerror or exc}") from exc
    if path.suffix.lower() == ".csv":
        return _read_csv_groups(raw, path)
    data = _parse_yaml(raw, str(path))
    if isinstance(data, dict) and "groups" in data:
        unknown = set(data) - {"groups", "version"}
        if unknown:
            raise ConfigError(f"{path}: unknown top-level keys {sorted(unknown)}; expected `groups`")
        data = data["groups"]
    if not isinstance(data, list):
        raise ConfigError(f"{path}: expected a list of groups (or a `groups:` list)")
    return data


def _read_csv_groups(raw: bytes, path: Path) -> list[dict[str, Any]]:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text") from exc
    reader = csv.DictReader(text.splitlines())
    columns = {c.strip() for c in reader.fieldnames or []}
    if not {"name", "kind"} <= columns:
        raise ConfigError(f"{path}: a groups CSV needs the columns name and kind; found {sorted(columns)}")
    unknown = columns - _CSV_COLUMNS
    if unknown:
        raise ConfigError(f"{path}: unknown columns {sorted(unknown)}; known: {sorted(_CSV_COLUMNS)}")
    entries: list[dict[str, Any]] = []
    for row in reader:
        clean = {k.strip(): (v or "").strip() for k, v in row.items() if k is not None}
        if not any(clean.values()):
            continue
        entry: dict[str, Any] = {"name": clean["name"], "kind": clean["kind"]}
        for column in _CSV_LIST_COLUMNS:
            if clean.get(column):
                entry[column] = [item.strip() for item in clean[column].split("|") if item.strip()]
        if clean.get("parent"):
            entry["parent"] = clean["parent"]
        if clean.get("ambiguous"):
            flag = clean["ambiguous"].lower()
            if flag not in {"true", "false", "yes", "no", "1", "0"}:
                raise ConfigError(f"{path}:{reader.line_num}: ambiguous must be true or false, not {flag!r}")
            entry["ambiguous"] = flag in {"true", "yes", "1"}
        if "countries" in entry:
            entry["countries"] = [c.upper() for c in entry["countries"]]
        entries.append(entry)
    return entries


def _merge_groups(builtin: GroupLexicon, extra: list[dict[str, Any]], origin: Path) -> GroupLexicon:
    merged: dict[str, dict[str, Any]] = {
        normalise_form(g.name): g.model_dump(exclude_defaults=True) for g in builtin.groups
    }
    for number, raw in enumerate(extra, start=1):
        if not isinstance(raw, dict):
            raise ConfigError(f"{origin}: entry {number} is not a mapping")
        try:
            entry = GroupEntry.model_validate(raw)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            raise ConfigError(f"{origin}: entry {number} ({raw.get('name', '?')}): {where}: {first['msg']}") from exc
        key = normalise_form(entry.name)
        if key not in merged:
            merged[key] = entry.model_dump(exclude_defaults=True)
            continue
        base = merged[key]
        for field in ("aliases", "acronyms", "countries", "generic_terms", "ambiguous_forms", "context"):
            combined = [*base.get(field, ()), *getattr(entry, field)]
            if combined:
                base[field] = list(dict.fromkeys(combined))
        base["kind"] = entry.kind
        for field in ("parent", "ambiguous"):
            if field in entry.model_fields_set:
                base[field] = getattr(entry, field)
    data = {"version": builtin.version, "generic_terms_by_kind": builtin.generic_terms_by_kind,
            "groups": list(merged.values())}
    return _validate(GroupLexicon, data, f"groups file {origin}")


def _file_key(path: Path | None) -> tuple[str, int, int] | None:
    if path is None:
        return None
    try:
        stat = path.stat()
    except OSError as exc:
        raise ConfigError(f"cannot read groups file {path}: {exc.strerror or exc}") from exc
    return (str(path.resolve()), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=8)
def _group_lexicon(key: tuple[str, int, int] | None) -> GroupLexicon:
    builtin = _builtin_groups()
    if key is None:
        return builtin
    path = Path(key[0])
    return _merge_groups(builtin, _read_user_groups(path), path)


def load_group_lexicon(extra: Path | None = None) -> GroupLexicon:
    """The armed-group lexicon, extended by a user's YAML or CSV file when given.

    The cache is keyed on the file's path, modification time and size, so an edited file is
    read again.
    """
    return _group_lexicon(_file_key(Path(extra) if extra is not None else None))


def load_groups(extra: Path | None = None) -> list[GroupEntry]:
    """The armed groups, with a user's extension file (`KG_GROUPS_FILE`) merged in."""
    return list(load_group_lexicon(extra).groups)


def load_actor_index(extra_groups: Path | None = None) -> ActorIndex:
    """An index over every group and organisation form."""
    return _actor_index(_file_key(Path(extra_groups) if extra_groups is not None else None))


@lru_cache(maxsize=4)
def _actor_index(key: tuple[str, int, int] | None) -> ActorIndex:
    return ActorIndex(_group_lexicon(key), load_organisation_lexicon())


def versioned_files() -> list[str]:
    """Every YAML file in the data directory: the lexicons above, and the small curated files
    other stages keep beside them (demonyms, targets), which shape extraction as much."""
    data = files("kg.extract").joinpath("data")
    return sorted(p.name for p in data.iterdir() if p.name.endswith((".yaml", ".yml")))


def _version(extra: bytes | None) -> str:
    digest = hashlib.sha256()
    for name in versioned_files():
        digest.update(name.encode())
        digest.update(b"\0")
        digest.update(_data_bytes(name))
        digest.update(b"\0")
    if extra is not None:
        digest.update(b"user-groups\0")
        digest.update(extra)
    return "lex-" + digest.hexdigest()[:12]


def lexicon_version(groups_file: Path | None = None) -> str:
    """`LEXICON_VERSION`, or a version that also covers a user's groups file."""
    if groups_file is None:
        return LEXICON_VERSION
    try:
        return _version(Path(groups_file).read_bytes())
    except OSError as exc:
        raise ConfigError(f"cannot read groups file {groups_file}: {exc.strerror or exc}") from exc


# A hash of the YAML data files: the extractor records it on its output.
LEXICON_VERSION = _version(None)
