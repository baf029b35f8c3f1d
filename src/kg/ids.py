"""Deterministic ids from canonical names, so re-running and cross-article merging agree."""

from __future__ import annotations

import hashlib
import re
import unicodedata

from kg.schema import EntityType

_NON_WORD = re.compile(r"[^0-9a-z]+")
_DOUBLED = re.compile(r"([a-z])\1+")
_ONE = r"\1"


def slug(name: str) -> str:
    """ASCII, lower-case, hyphenated form of a name; falls back to a hash for non-Latin names."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii").lower()
    text = _NON_WORD.sub("-", folded).strip("-")
    if not text:
        return "h" + hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:12]
    return text[:80]


def entity_id(entity_type: EntityType, name: str, *, gazetteer_id: str | None = None,
              country: str | None = None) -> str:
    """`group:baloch-liberation-army`, `place:geonames:1167528`, `place:pk:tirah-valley`.

    Actors are keyed by canonical name alone (canonical names already carry the country:
    "Government of Pakistan", "Pakistani security forces"); places not in the gazetteer
    are keyed within their country, since village names repeat across countries.
    """
    prefix = entity_type.value.lower()
    if gazetteer_id:
        return f"{prefix}:{gazetteer_id}"
    if country and entity_type is EntityType.PLACE:
        # "Tadamaka" and "Tadamakka": a doubled letter is a transliterator's choice, not a place
        return f"{prefix}:{country.lower()}:{_DOUBLED.sub(_ONE, slug(name))}"
    return f"{prefix}:{slug(name)}"


def local_id(kind: str, article_id: str, *parts: object) -> str:
    """Ids for things that live inside one article (quotes, figures, events before resolution)."""
    tail = ":".join(str(p) for p in parts)
    return f"{kind}:{article_id}:{tail}" if tail else f"{kind}:{article_id}"
