"""speech.yaml: reporting verbs, responsibility claims, unnamed sources and roles."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import model_validator

from kg.extract.lexicon.base import LexiconModel
from kg.extract.lexicon.forces import Role
from kg.extract.lexicon.patterns import Phrase, phrase_pattern


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


class RelationWords(LexiconModel):
    """speech.yaml `relations`: the words the relation rules read (each explained there)."""

    goal_verbs: frozenset[str]
    demand_verbs: frozenset[str]
    release_words: frozenset[str]
    event_nouns: frozenset[str]
    stating_verbs: frozenset[str]
    relative_pronouns: frozenset[str]
    self_pronouns: frozenset[str]


class SpeakerWords(LexiconModel):
    """speech.yaml `speakers`: the words the speaker rules read (each explained there)."""

    personal_pronouns: frozenset[str]
    plural_pronouns: frozenset[str]
    impersonal_pronouns: frozenset[str]
    demonstratives: frozenset[str]
    phrase_prepositions: frozenset[str]


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
    relations: RelationWords
    speakers: SpeakerWords

    def verb(self, lemma: str) -> ReportingVerb | None:
        key = lemma.casefold()
        return next((v for v in self.reporting_verbs if v.phrase == key), None)
