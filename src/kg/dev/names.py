"""How names, quotes and source descriptions compare when extraction is scored.

The matching rule of the expected-facts format (tests/data/expected/README.md): Unicode
accent folding, case folding, typographic apostrophes and quotes unified, a leading "the"
dropped. Both `kg.dev.expected` (the accepted names of an item) and `kg.dev.scoring` use it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'", "\u00b4": "'",
                              "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"',
                              "\u00bb": '"'})
# Possessives are dropped from source descriptions: "the military's team" names "military".
POSSESSIVE = re.compile(r"['\u2019]s\b")
_TRAILING = " \t\n,.;:!?\u2026\"'"
# Words that do not tell two source descriptions apart ("a local official", "local officials").
_FILLER = {"a", "an", "the", "of", "one", "some", "according", "to", "s"}


def fold(text: str) -> str:
    """Accents and case folded, typographic quotes unified, whitespace collapsed."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.casefold().split())


def name_key(name: str) -> str:
    """The form names are compared in: folded, no apostrophes, hyphens as spaces, no leading "the".

    As the gazetteer does, so "Jama'at" is "Jamaat" and "Al-Hasakah" is "Al Hasakah".
    """
    key = " ".join(fold(name).replace("'", "").replace("-", " ").split())
    return key[4:] if key.startswith("the ") else key


def quote_key(text: str) -> str:
    """The form quotes are compared in: folded, without surrounding quotes or final punctuation."""
    return fold(text).strip(_TRAILING).lstrip("\"'")


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[^\W_]+", fold(text)) if w not in _FILLER}


def same_source(expected: Iterable[str], predicted: Iterable[str]) -> bool:
    """Whether two descriptions of a speaker or source agree.

    Equal names, or one description's words all found in the other's: "officials" and
    "local officials", "Malian Armed Forces" and "Malian Armed Forces statement".
    """
    exp = [w for w in (_words(e) for e in expected) if w]
    pred = [w for w in (_words(p) for p in predicted) if w]
    return any(e <= p or p <= e for e in exp for p in pred)


