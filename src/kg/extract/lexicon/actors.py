"""groups.yaml and organisations.yaml: named actors, the forms that refer to them, and the
index that looks a surface form up and settles an ambiguous one by its context."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from typing import ClassVar

from pydantic import Field, field_validator, model_validator

from kg.extract.lang.en.morphology import word_forms
from kg.extract.lexicon.base import (
    LexiconModel,
    check_countries,
    is_upper,
    no_blank,
    normalise_form,
    strip_dots,
)
from kg.schema import EntityType, GroupKind, OrganisationKind


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

    _strip_lists = field_validator("aliases", "acronyms", "ambiguous_forms", "context")(no_blank)

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

    @property
    def home_country(self) -> str | None:
        """The one country the actor belongs to, if it has one."""
        return None


class GroupEntry(ActorEntry):
    """A non-state armed group."""

    entity_type: ClassVar[EntityType] = EntityType.GROUP

    kind: GroupKind
    countries: tuple[str, ...] = ()
    generic_terms: tuple[str, ...] = ()

    _strip_group_lists = field_validator("countries", "generic_terms")(no_blank)

    @field_validator("countries")
    @classmethod
    def _iso_countries(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        check_countries(value)
        return value

    @property
    def context_countries(self) -> tuple[str, ...]:
        return self.countries

    @property
    def home_country(self) -> str | None:
        return self.countries[0] if len(self.countries) == 1 else None


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
            check_countries([value])
        return value

    @property
    def home_country(self) -> str | None:
        return self.country

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
        text = strip_dots(surface)
        if candidate.via_acronym:
            return text == strip_dots(candidate.form) or is_upper(text)
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
