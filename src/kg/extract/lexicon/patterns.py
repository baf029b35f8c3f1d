"""From a lexicon phrase in base forms to what matches it in a text: its inflected forms,
a spaCy `Matcher` pattern, and a whole-word test of a sentence."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from pydantic import Field

from kg.extract.lang.en.morphology import word_forms
from kg.extract.lexicon.base import LexiconModel, Pos, normalise_form


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
    haystack = padded_form(text)
    return any(form in haystack for word in words for form in padded_inflections(word))


# Triggers check their context words against the same sentence again and again, and the same
# few words against every sentence: both sides are normalised once.
@lru_cache(maxsize=1024)
def padded_form(text: str) -> str:
    return f" {normalise_form(text)} "


@lru_cache(maxsize=4096)
def padded_inflections(word: str) -> tuple[str, ...]:
    return tuple(sorted({padded_form(form) for pos in ("NOUN", "VERB")
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


class Phrase(LexiconModel):
    """A phrase of a data file, with the part of speech its head word inflects as."""

    phrase: str
    pos: Pos | None = None
    max_gap: int = Field(default=0, ge=0, le=6)

    def pattern(self) -> list[dict[str, Any]]:
        return phrase_pattern(self.phrase, pos=self.pos, max_gap=self.max_gap)

