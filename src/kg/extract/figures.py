"""Figures: counts of the killed, wounded, hostages, rescued … as claims with sources.

A figure is a number phrase ("approximately 450", "at least 12", "between 20 and 30",
"several", "dozens of") counting a person noun ("passengers", "soldiers"). Its kind
comes from the verb or phrase that governs the noun ("were killed" → killed, "freed"
→ rescued, "were aboard" → aboard); its source from the reporting clause around it
("officials confirmed", "according to the army", "the BLA stated"). Vague quantities
keep no invented number: "several" has min and max None and its word as qualifier.

A number may also stand alone ("13 were injured", "the toll rose to 15") or divide a
count given beside it ("including four children", "two of them seriously"), taking its
kind. Counts of attackers, of a group's strength and of a single named victim are not
figures. A source restating its own toll gives one figure; `scope` tells the incident's
own toll from cumulative and earlier ones. The words of these constructions are in
figures.yaml (`constructions`).
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.attrs import LIKE_NUM

from kg.extract.context import ArticleContext
from kg.extract.figure_claims import (
    StatedFigure,
    figure_event,
    figure_scope,
    figure_source,
    incident_anchor,
    normal_description,
    resolve_description,
)
from kg.extract.figure_counts import OTHERS, counted_figure, lookup_form, who_is_counted
from kg.extract.knowledge import Knowledge
from kg.ids import local_id
from kg.models import Figure, Quote


def find_figures(ctx: ArticleContext, knowledge: Knowledge,
                 quotes: Sequence[Quote] = ()) -> list[Figure]:
    """Figures of the article; those inside a quotation are the speaker's."""
    figures: list[Figure] = []
    # One figure per (event, kind, number, source): a source restating its toll ("only five
    # were killed … five corpses were recovered") gives it once.
    seen: dict[tuple[object, ...], list[StatedFigure]] = {}
    # Only a number or a person, figure or "other" word can head a figure (see counted_figure).
    numbers = [i for i, flag in enumerate(ctx.doc.to_array(LIKE_NUM).tolist()) if flag]
    words = ctx.tokens_with_lemma([*knowledge.person_nouns, *knowledge.figure_words, *OTHERS])
    sentence_source: tuple[int, tuple[str | None, str | None]] = (-1, (None, None))
    anchor = incident_anchor(ctx)
    # Nouns the lemma table misses ("corpses", "23 Pakistanis") are found from their number.
    counted_heads = [ctx.doc[i].head.i for i in numbers if ctx.doc[i].dep_ == "nummod"]
    for i in sorted({*numbers, *(t.i for t in words), *counted_heads}):
        token = ctx.doc[i]
        index = ctx.sentence_index(i)
        sentence = ctx.sentences[index]
        found = counted_figure(token, knowledge)
        if found is None:
            continue
        quantity, kind, counted = found
        quote = next((q for q in quotes if q.start <= token.idx < q.end), None)
        if quote is not None:
            according_to, description = quote.speaker, quote.speaker_description
        elif ctx.in_quote(token):
            continue  # a quotation without a known speaker has no source to give
        else:
            according_to, description = figure_source(ctx, knowledge, token, sentence)
        if according_to is None and description:
            according_to, description = resolve_description(ctx, description)
        if according_to is None and description is None and sentence_source[0] == index:
            # One reporting clause serves the sentence: "A doctor put the number of injured
            # at 12, including four nurses".
            according_to, description = sentence_source[1]
        if quote is None:
            sentence_source = (index, (according_to, description))
        who = who_is_counted(counted, knowledge) if counted is not None else None
        event = figure_event(ctx, index, kind, token)
        category = (lookup_form(knowledge.person_nouns, counted) if counted is not None else None)
        stated = StatedFigure(event, (according_to or normal_description(description)), who,
                              knowledge.person_nouns[category] if category else "unknown",
                              quote is not None, index)
        key = (kind, quantity.min, quantity.max, stated.source)
        earlier = seen.setdefault(key, [])
        if any(e.restates(stated) for e in earlier):
            continue  # the same figure restated ("the roughly 450 passengers on board")
        earlier.append(stated)
        start = ctx.doc[quantity.start].idx
        last = counted if counted is not None and counted.i > token.i else token
        end = last.idx + len(last.text)
        figures.append(Figure(
            id=local_id("figure", ctx.article.id, start),
            kind=kind, min=quantity.min, max=quantity.max, approximate=quantity.approximate,
            qualifier=quantity.qualifier, text=ctx.text[start:end], who=who,
            event=event, according_to=according_to,
            according_to_description=description, evidence=ctx.evidence(index),
            scope=figure_scope(ctx, knowledge, index, anchor),
        ))
    return figures
