"""Who said a quote when the extractor found no named person: the organisation or group the
article names as the speaker ("the Ministry of National Defence said", "the RSF (Rapid
Support Forces) said"). The extractor keeps such a speaker as a description; when that
description names one of the article's organisations or groups, the quote gets its `SAID`
edge from that node. Described people ("a resident of Téra") stay descriptions.
"""

from __future__ import annotations

import re

from kg.models import ArticleGraph, EntityType, Quote

_BODIES = (EntityType.ORGANISATION, EntityType.GROUP)
_PARENTHESES = re.compile(r"\s*\(([^)]*)\)\s*")


def _key(text: str) -> str:
    text = " ".join(text.lower().replace("’", "'").split())
    return text.removeprefix("the ")


def speaking_body(quote: Quote, graph: ArticleGraph) -> str | None:
    """The id of the organisation or group the quote's speaker description names, if one."""
    description = quote.speaker_description
    if quote.speaker is not None or not description:
        return None
    names: dict[str, str] = {}
    for entity in graph.entities:
        if entity.type in _BODIES:
            for name in (entity.name, *entity.aliases):
                names.setdefault(_key(name), entity.id)
    # "The RSF (Rapid Support Forces)": the words outside and inside the brackets.
    candidates = [_PARENTHESES.sub(" ", description), *_PARENTHESES.findall(description)]
    for candidate in candidates:
        if (found := names.get(_key(candidate))) is not None:
            return found
    return None
