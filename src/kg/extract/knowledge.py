"""The domain knowledge the rules consult, gathered once per process.

The facts live in versioned data files (`kg/extract/lang/en/data/`, the gazetteer in
`kg/extract/data/`): the gazetteer, the
lexicons of armed groups and organisations, state-force patterns, event triggers and
the vocabulary of figures and speech (see `kg.extract.lexicon` and
`kg.extract.gazetteer`). This module flattens them into the lookup tables the rule
stages need, so the stages stay independent of file layouts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict

from kg.extract import lexicon
from kg.extract.gazetteer import Gazetteer
from kg.extract.lexicon.files import data_bytes
from kg.schema import EntityType, EventType, FigureKind, OrganisationKind, TargetKind


@dataclass(frozen=True)
class ActorEntry:
    """An armed group or organisation the lexicon knows by name."""

    name: str
    type: EntityType
    kind: str
    country: str | None
    aliases: tuple[str, ...] = ()
    acronyms: tuple[str, ...] = ()
    ambiguous_forms: frozenset[str] = frozenset()
    countries: tuple[str, ...] = ()
    generic_terms: tuple[str, ...] = ()
    context: tuple[str, ...] = ()

    def needs_context(self, form: str) -> bool:
        return form in self.ambiguous_forms


@dataclass(frozen=True)
class Hedge:
    approximate: bool
    bound: str  # exact | min | max | range | vague | all
    implied_min: int | None = None
    exclusive: bool = False


@dataclass(frozen=True)
class ForceNoun:
    branch: str  # lexicon.ForceBranch value, or "government"
    bare: bool  # may stand without a country word ("security forces responded")


class NameWords(BaseModel):
    """names.yaml: what the words of an unknown name say about it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: int = 1
    group_heads: frozenset[str]
    state_words: frozenset[str]
    organisation_heads: dict[str, OrganisationKind]
    goals: frozenset[str]


@dataclass
class Knowledge:
    gazetteer: Gazetteer
    actors: list[ActorEntry]
    actor_index: lexicon.ActorIndex
    state_forces: lexicon.StateForces
    force_nouns: dict[str, ForceNoun]  # lower-case noun phrase
    triggers: lexicon.EventTriggers
    figures: lexicon.FigureVocabulary
    hedges: dict[str, Hedge]  # lower-case phrase placed before the number
    figure_words: dict[str, FigureKind]  # base-form word or phrase -> kind
    person_nouns: dict[str, str]  # base-form noun -> category (civilian | security | militant | unknown)
    speech_verbs: dict[str, lexicon.ReportingVerb]  # lemma
    titles: list[str]  # role titles and their variants, longest first
    ranks: set[str]  # lower-case military and police ranks among the titles ("colonel")
    anonymous_heads: set[str]  # nouns of unnamed sources: "official", "witness", "survivor"
    generic_group_terms: set[str]  # head nouns of descriptions: "militant", "gunman"
    target_heads: dict[str, TargetKind]
    demonym_of: dict[str, str]  # ISO country code -> adjective ("PK" -> "Pakistani")
    names: NameWords
    version: str = ""
    _actor_by_name: dict[str, ActorEntry] = field(default_factory=dict)

    def actor(self, name: str) -> ActorEntry | None:
        return self._actor_by_name.get(name)

    def trigger_rank(self, trigger: lexicon.Trigger) -> int:
        return self.triggers.rank(trigger)


def _singular(word: str) -> str:
    for suffix, replacement in (("men", "man"), ("ies", "y"), ("s", "")):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            return word[: -len(suffix)] + replacement
    return word


def _actor_entries(groups: lexicon.GroupLexicon,
                   organisations: lexicon.OrganisationLexicon) -> list[ActorEntry]:
    entries = []
    for group in groups.groups:
        entries.append(ActorEntry(
            name=group.name, type=EntityType.GROUP, kind=group.kind.value,
            country=group.countries[0] if len(group.countries) == 1 else None,
            aliases=group.aliases, acronyms=group.acronyms,
            ambiguous_forms=frozenset(f for f in group.forms() if group.needs_context(f)),
            countries=group.countries, generic_terms=tuple(groups.generic_terms(group)),
            context=group.context,
        ))
    for org in organisations.organisations:
        entries.append(ActorEntry(
            name=org.name, type=EntityType.ORGANISATION, kind=org.kind.value, country=org.country,
            aliases=org.aliases, acronyms=org.acronyms,
            ambiguous_forms=frozenset(f for f in org.forms() if org.needs_context(f)),
            countries=org.context_countries, context=org.context,
        ))
    return entries


def _force_nouns(forces: lexicon.StateForces) -> dict[str, ForceNoun]:
    nouns: dict[str, ForceNoun] = {}
    for branch, spec in forces.branches.items():
        for noun in spec.nouns:
            nouns[noun.noun.lower()] = ForceNoun(branch.value, noun.bare)
    for noun in forces.government.nouns:
        nouns[noun.noun.lower()] = ForceNoun("government", noun.bare)
    return nouns


def _figure_words(vocabulary: lexicon.FigureVocabulary) -> dict[str, FigureKind]:
    words: dict[str, FigureKind] = {}
    for kind, kind_vocabulary in vocabulary.kinds.items():
        for phrase, _pos in kind_vocabulary.phrases():
            words.setdefault(phrase.lower(), kind)
    return words


def _hedges(vocabulary: lexicon.FigureVocabulary) -> dict[str, Hedge]:
    hedges = {h.phrase.lower(): Hedge(h.approximate, h.bound, None, h.exclusive)
              for h in vocabulary.hedges if h.position == "before"}
    for vague in vocabulary.vague_quantities:
        hedges.setdefault(vague.phrase.lower(), Hedge(True, "vague", vague.implied_min))
    for word in vocabulary.universal_quantities:
        hedges.setdefault(word.lower(), Hedge(False, "all"))
    return hedges


def _data(name: str) -> Any:
    return yaml.safe_load(data_bytes(name))


def _target_heads() -> dict[str, TargetKind]:
    raw = _data("targets.yaml")
    return {word.lower(): TargetKind(kind) for kind, words in raw["heads"].items() for word in words}


def _demonyms(gazetteer: Gazetteer) -> dict[str, str]:
    """The usual adjective of each country: the first demonym listed for it."""
    adjectives: dict[str, str] = {}
    for word in gazetteer.demonyms():
        place = gazetteer.demonym(word)
        if place is not None and place.country and word[:1].isupper():
            adjectives.setdefault(place.country, word)
    return adjectives


def build_knowledge(gazetteer: Gazetteer, groups_file: Path | None) -> Knowledge:
    groups = lexicon.load_group_lexicon(groups_file)
    organisations = lexicon.load_organisation_lexicon()
    forces = lexicon.load_state_forces()
    figures = lexicon.load_figure_vocabulary()
    speech = lexicon.load_speech()
    actors = _actor_entries(groups, organisations)
    generic = {_singular(term.lower().split()[-1])
               for kind_terms in groups.generic_terms_by_kind.values() for term in kind_terms}
    titles = sorted({t for role in lexicon.all_roles() for t in (role.title, *role.variants)},
                    key=lambda t: (-len(t), t))
    knowledge = Knowledge(
        gazetteer=gazetteer,
        actors=actors,
        actor_index=lexicon.load_actor_index(groups_file),
        state_forces=forces,
        force_nouns=_force_nouns(forces),
        triggers=lexicon.load_event_triggers(),
        figures=figures,
        hedges=_hedges(figures),
        figure_words=_figure_words(figures),
        person_nouns={p.noun.lower(): p.category for p in figures.persons},
        speech_verbs={v.phrase.lower(): v for v in speech.reporting_verbs if " " not in v.phrase},
        titles=titles,
        ranks={t.lower() for role in lexicon.all_roles() if role.level == "officer"
               for t in (role.title, *role.variants)},
        anonymous_heads={s.noun.lower() for s in speech.anonymous_sources},
        generic_group_terms=generic,
        target_heads=_target_heads(),
        demonym_of=_demonyms(gazetteer),
        names=NameWords.model_validate(_data("names.yaml")),
        version=lexicon.lexicon_version(groups_file),
    )
    knowledge._actor_by_name = {a.name: a for a in actors}
    return knowledge


@lru_cache(maxsize=4)
def load_knowledge(groups_file: Path | None = None) -> Knowledge:
    return build_knowledge(Gazetteer.load(), groups_file)


__all__ = ["ActorEntry", "EventType", "Hedge", "Knowledge", "build_knowledge", "load_knowledge"]
