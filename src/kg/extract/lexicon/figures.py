"""figures.yaml: hedges, number words and the words that say what a figure counts."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Literal

from pydantic import Field, model_validator

from kg.extract.lang.en.morphology import word_forms
from kg.extract.lexicon.base import MAX_NUMBER, LexiconModel, Pos, normalise_form
from kg.extract.lexicon.patterns import phrase_forms
from kg.schema import FigureKind

Bound = Literal["exact", "min", "max", "range", "vague", "all"]


class Hedge(LexiconModel):
    phrase: str
    approximate: bool
    bound: Bound
    # "more than 50" excludes 50 itself: min 51.
    exclusive: bool = False
    position: Literal["before", "after"] = "before"
    # Only for the vague quantities the figure rules read as hedges ("dozens": 24): a
    # conservative low estimate, from their `vague_quantities` entry.
    implied_min: int | None = Field(default=None, ge=0)


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
    # "40 passengers aboard": words that put the counted people on a vehicle
    aboard_words: frozenset[str]
    # "three others", "six more": counts of more of the same people
    other_words: frozenset[str]
    # "lost their lives": the object that makes a phrase of a verb
    life_words: frozenset[str]


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
    constructions: FigureConstructions

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
                if key in {normalise_form(p) for p in phrase_forms(phrase, pos)}:
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
