"""Short captions for nodes that have no name, stored as their `caption` property so that
Neo4j Browser's style (`cypher/browser-style.grass`) can show them: a Figure as
"killed 9 (soldiers)", a Quote as its speaker and first words."""

from __future__ import annotations

from kg.models import Figure, Quote

QUOTE_WORDS = 6


def figure_caption(figure: Figure) -> str:
    """The kind, the number or range as reported, and whom it counts."""
    low, high = figure.min, figure.max
    if low is not None and high is not None:
        number = str(low) if low == high else f"{low}-{high}"
    elif low is not None:
        number = f"{low}+"
    elif high is not None:
        number = f"up to {high}"
    else:
        number = figure.qualifier or "some"
    who = f" ({figure.who})" if figure.who else ""
    return f"{figure.kind.value} {number}{who}"


def quote_caption(quote: Quote, speaker_name: str | None) -> str:
    """Who spoke, then the quote's first words."""
    words = quote.text.split()
    opening = " ".join(words[:QUOTE_WORDS]) + ("…" if len(words) > QUOTE_WORDS else "")
    speaker = speaker_name or quote.speaker_description or "unnamed"
    return f"{speaker}: “{opening}”"
