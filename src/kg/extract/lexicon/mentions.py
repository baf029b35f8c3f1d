"""mentions.yaml: the words the mention rules read around a name (places, people, bodies)."""

from __future__ import annotations

from pydantic import field_validator

from kg.extract.lexicon.base import LexiconModel
from kg.schema import PlaceKind


class MentionWords(LexiconModel):
    """Each field is explained in the file; words are lower case, as written in text."""

    version: int = 1
    settlement_nouns: frozenset[str]
    calendar_words: frozenset[str]
    # Kept in file order: the rules build a regular expression of them.
    locality_cues: dict[str, PlaceKind]
    capitalised_function_words: frozenset[str]
    locative_prepositions: frozenset[str]
    locality_cue_pairs: dict[str, PlaceKind]
    locality_prefixes: dict[str, PlaceKind]
    prefixes_without_of: dict[str, PlaceKind]
    plural_prefixes: dict[str, PlaceKind]
    directions: frozenset[str]
    place_cues: frozenset[str]
    month_abbreviations: frozenset[str]
    region_words: frozenset[str]
    admin_heads: frozenset[str]
    world_regions: frozenset[str]
    name_joiners: frozenset[str]
    name_particles: tuple[str, ...]
    hyphenated_particles: tuple[str, ...]
    place_nouns_before_of: tuple[str, ...]
    article_words: frozenset[str]
    unit_words: frozenset[str]
    cue_starts: frozenset[str]
    media_nouns: frozenset[str]
    weapon_acronyms: frozenset[str]
    place_force_words: frozenset[str]
    branch_words: dict[str, tuple[str, ...]]
    government_words: frozenset[str]

    @field_validator("locality_cue_pairs")
    @classmethod
    def _two_words(cls, value: dict[str, PlaceKind]) -> dict[str, PlaceKind]:
        for cue in value:
            if len(cue.split()) != 2:
                raise ValueError(f"{cue!r} is not two words")
        return value

    def cue_pairs(self) -> dict[tuple[str, str], PlaceKind]:
        """`locality_cue_pairs` keyed by the pair of words."""
        pairs: dict[tuple[str, str], PlaceKind] = {}
        for cue, kind in self.locality_cue_pairs.items():
            first, second = cue.split()
            pairs[(first, second)] = kind
        return pairs
