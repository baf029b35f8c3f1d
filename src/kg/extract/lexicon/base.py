"""What every lexicon file shares: a frozen pydantic model that forbids unknown fields, the
normalised form names are compared by, and the validators of word lists and country codes."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Literal

from pydantic import BaseModel, ConfigDict

DATA_FILES = (
    "groups.yaml",
    "organisations.yaml",
    "state_forces.yaml",
    "event_triggers.yaml",
    "figures.yaml",
    "speech.yaml",
    "inflections.yaml",
    "mentions.yaml",
    # Read by kg.extract.knowledge and kg.extract.gazetteer; part of the extractor's version.
    "targets.yaml",
    "names.yaml",
    "demonyms.yaml",
)

Pos = Literal["NOUN", "VERB", "ADJ"]
# The largest number a figure may state: Neo4j stores 64-bit integers. A larger one in a
# text is a typo or garbage, and is not read as a figure at all.
MAX_NUMBER = 2**63 - 1

ISO2_PATTERN = re.compile(r"^[A-Z]{2}$")


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


def strip_dots(text: str) -> str:
    return text.replace(".", "").strip()


def is_upper(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


class LexiconModel(BaseModel):
    """Lexicon entries: unknown fields are an error and loaded entries cannot change."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def no_blank(values: tuple[str, ...]) -> tuple[str, ...]:
    cleaned = tuple(v.strip() for v in values)
    if any(not v for v in cleaned):
        raise ValueError("blank string in list")
    return cleaned


def check_countries(values: Iterable[str]) -> None:
    for code in values:
        if not ISO2_PATTERN.match(code):
            raise ValueError(f"{code!r} is not an ISO 3166-1 alpha-2 code such as 'PK'")
