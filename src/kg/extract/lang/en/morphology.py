"""English morphology: the forms a base-form word of the data files is matched with.

The data files list base forms ("take hostage", "militant"); regular English endings and the
irregular forms of `inflections.yaml` give the rest, so the files stay free of inflections.
"""

from __future__ import annotations

from functools import lru_cache

from pydantic import BaseModel, ConfigDict, Field

from kg.extract.lang.datafiles import load_builtin


class Inflections(BaseModel):
    """inflections.yaml: irregular forms the regular endings miss ("take": "took", "taken")."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: int = 1
    verbs: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    nouns: dict[str, tuple[str, ...]] = Field(default_factory=dict)


@lru_cache(maxsize=1)
def load_inflections() -> Inflections:
    return load_builtin(Inflections, "inflections.yaml")

# Words in phrases that are never inflected.
FUNCTION_WORDS = frozenset({
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
    if word in FUNCTION_WORDS or not word.isalpha() or pos not in {"NOUN", "VERB"}:
        return frozenset({word})
    irregular = load_inflections()
    forms = _regular_verb_forms(word) if pos == "VERB" else _regular_noun_forms(word)
    forms |= set(irregular.verbs.get(word, ()) if pos == "VERB" else irregular.nouns.get(word, ()))
    return frozenset(f.lower() for f in forms)

