"""Word lists that several mention passes share, read once from mentions.yaml (where each
is explained), and the pattern of an acronym an article defines."""

from __future__ import annotations

import re

from kg.extract.lexicon import load_mention_words

WORDS = load_mention_words()
SETTLEMENT = WORDS.settlement_nouns
CALENDAR = WORDS.calendar_words
# An acronym the article defines: "The Baloch Liberation Army (BLA)".
ACRONYM_DEF = re.compile(
    r"(?P<long>(?:[A-Z][\w'’.-]*|of|for|the|and|al|el|de|du|des|la|le|in|on)"
    r"(?:\s+(?:[A-Z][\w'’.-]*|of|for|the|and|al|el|de|du|des|la|le|in|on))*)"
    r"\s*\((?P<short>[A-Z][A-Za-z0-9&-]{1,11})\)"
)
LOCALITY_CUES = WORDS.locality_cues
CAPITALISED_FUNCTION = WORDS.capitalised_function_words
