"""Word lists that several mention passes share, read once from mentions.yaml (where each
is explained), and the pattern of an acronym an article defines."""

from __future__ import annotations

import re

from kg.extract.lexicon import load_mention_words

WORDS = load_mention_words()
SETTLEMENT = WORDS.settlement_nouns
CALENDAR = WORDS.calendar_words
# An acronym the article defines: "The Baloch Liberation Army (BLA)". Words of at most 40
# characters, at most 16 of them: unbounded, every capital in a long run of letters or of
# capitalised words started a scan to its end (quadratic: minutes for a 200 KB run).
ACRONYM_DEF = re.compile(
    r"(?P<long>(?:[A-Z][\w'’.-]{0,39}|of|for|the|and|al|el|de|du|des|la|le|in|on)"
    r"(?:\s+(?:[A-Z][\w'’.-]{0,39}|of|for|the|and|al|el|de|du|des|la|le|in|on)){0,15})"
    r"\s*\((?P<short>[A-Z][A-Za-z0-9&-]{1,11})\)"
)
LOCALITY_CUES = WORDS.locality_cues
CAPITALISED_FUNCTION = WORDS.capitalised_function_words
