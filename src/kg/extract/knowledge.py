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
from kg.extract.lang.datafiles import data_bytes
from kg.extract.lexicon import Hedge
from kg.schema import EventType, FigureKind, OrganisationKind, TargetKind


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
    actors: list[lexicon.GroupEntry | lexicon.OrganisationEntry]
    actor_index: lexicon.ActorIndex
    state_forces: lexicon.StateForces
    force_nouns: dict[str, tuple[str, lexicon.ForceNoun]]  # lower-case noun → (branch or "government", entry)
    triggers: lexicon.EventTriggers
    figures: lexicon.FigureVocabulary
    # lower-case phrase placed before the number; vague ("dozens") and universal ("all")
    # quantities too, as hedges of bound "vague" and "all"
    hedges: dict[str, Hedge]
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
    _actor_by_name: dict[str, lexicon.GroupEntry | lexicon.OrganisationEntry] = field(default_factory=dict)

    def actor(self, name: str) -> lexicon.GroupEntry | lexicon.OrganisationEntry | None:
        return self._actor_by_name.get(name)

    def generic_terms_of(self, entry: lexicon.GroupEntry | lexicon.OrganisationEntry) -> tuple[str, ...]:
        """How the article may describe the actor: a group's own descriptions, then its kind's."""
        if isinstance(entry, lexicon.GroupEntry):
            return tuple(self.actor_index.groups.generic_terms(entry))
        return ()

    def trigger_rank(self, trigger: lexicon.Trigger) -> int:
        return self.triggers.rank(trigger)


def _singular(word: str) -> str:
    for suffix, replacement in (("men", "man"), ("ies", "y"), ("s", "")):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            return word[: -len(suffix)] + replacement
    return word


def _force_nouns(forces: lexicon.StateForces) -> dict[str, tuple[str, lexicon.ForceNoun]]:
    nouns: dict[str, tuple[str, lexicon.ForceNoun]] = {}
    for branch, spec in forces.branches.items():
        for noun in spec.nouns:
            nouns[noun.noun.lower()] = (branch.value, noun)
    for noun in forces.government.nouns:
        nouns[noun.noun.lower()] = ("government", noun)
    return nouns


def _figure_words(vocabulary: lexicon.FigureVocabulary) -> dict[str, FigureKind]:
    words: dict[str, FigureKind] = {}
    for kind, kind_vocabulary in vocabulary.kinds.items():
        for phrase, _pos in kind_vocabulary.phrases():
            words.setdefault(phrase.lower(), kind)
    return words


def _hedges(vocabulary: lexicon.FigureVocabulary) -> dict[str, Hedge]:
    hedges = {h.phrase.lower(): h for h in vocabulary.hedges if h.position == "before"}
    for vague in vocabulary.vague_quantities:
        hedges.setdefault(vague.phrase.lower(), Hedge(phrase=vague.phrase, approximate=True,
                                                      bound="vague", implied_min=vague.implied_min))
    for word in vocabulary.universal_quantities:
        hedges.setdefault(word.lower(), Hedge(phrase=word, approximate=False, bound="all"))
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
    actors: list[lexicon.GroupEntry | lexicon.OrganisationEntry] = [
        *groups.groups, *organisations.organisations]
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


__all__ = ["EventType", "Hedge", "Knowledge", "build_knowledge", "load_knowledge"]
