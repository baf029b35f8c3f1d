"""Figures: counts of the killed, wounded, hostages, rescued … as claims with sources.

A figure is a number phrase ("approximately 450", "at least 12", "between 20 and 30",
"several", "dozens of") counting a person noun ("passengers", "soldiers"). Its kind
comes from the verb or phrase that governs the noun ("were killed" → killed, "freed"
→ rescued, "were aboard" → aboard); its source from the reporting clause around it
("officials confirmed", "according to the army", "the BLA stated"). Vague quantities
keep no invented number: "several" has min and max None and its word as qualifier.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from spacy.attrs import LIKE_NUM
from spacy.tokens import Span, Token

from kg.extract.context import ArticleContext
from kg.extract.events import event_for_sentence, is_response, main_event
from kg.extract.knowledge import Hedge, Knowledge
from kg.ids import local_id
from kg.models import Figure, Quote
from kg.schema import EntityType, FigureKind

_ABOARD = {"aboard", "board", "onboard"}
# "killing two soldiers and wounding three others": counts of more of the same people.
_OTHERS = {"other", "others"}


@dataclass
class _Quantity:
    min: int | None
    max: int | None
    approximate: bool
    qualifier: str | None
    start: int  # token index where the figure's words begin


def _quantity(noun: Token, knowledge: Knowledge) -> _Quantity | None:
    doc = noun.doc
    # "dozens of civilians": the quantity word heads the phrase.
    if noun.dep_ == "pobj" and noun.head.lower_ == "of" and noun.head.head.lower_ in knowledge.hedges:
        word = noun.head.head
        # Vague quantities keep no invented number: "dozens" has neither min nor max.
        return _Quantity(None, None, True, word.lower_, word.i)
    numbers = [c for c in noun.children if c.dep_ == "nummod" or (
        c.dep_ in ("amod", "det", "quantmod") and c.lower_ in knowledge.hedges)]
    if not numbers:
        return None
    first = min(numbers, key=lambda t: t.left_edge.i)
    start = first.left_edge.i
    words = [t for t in doc[start:noun.i] if t.dep_ not in ("amod", "compound") or t.like_num
             or t.lower_ in knowledge.hedges or t.dep_ in ("quantmod", "nummod")]
    text = " ".join(t.text for t in words).lower()
    hedge_word, hedge = _hedge(text, knowledge)
    rest = text[len(hedge_word):].strip() if hedge_word else text
    if hedge is not None and hedge.bound in ("vague", "all"):
        return _Quantity(None, None, hedge.approximate, hedge_word, start)
    range_match = re.match(r"(?:between\s+)?(.+?)\s+(?:and|to|-)\s+(.+)$", rest)
    if range_match and (hedge_word in (None, "between")):
        low = knowledge.figures.parse_number(range_match.group(1))
        high = knowledge.figures.parse_number(range_match.group(2))
        if low is not None and high is not None:
            return _Quantity(low, high, False, hedge_word or None, start)
    value = knowledge.figures.parse_number(rest)
    if value is None:
        return None
    if hedge is None:
        return _Quantity(value, value, False, None, start)
    # "more than 50" is at least 51, "fewer than 50" at most 49 (UCDP's reading).
    step = 1 if hedge.exclusive else 0
    low, high = {
        "min": (value + step, None),
        "max": (None, value - step),
    }.get(hedge.bound, (value, value))
    return _Quantity(low, high, hedge.approximate, hedge_word, start)


def _hedge(text: str, knowledge: Knowledge) -> tuple[str | None, Hedge | None]:
    for phrase in sorted(knowledge.hedges, key=len, reverse=True):
        if text == phrase or text.startswith(phrase + " "):
            return phrase, knowledge.hedges[phrase]
    return None, None


def _kind(noun: Token, knowledge: Knowledge) -> FigureKind | None:
    """The figure's kind from what is said of the counted noun."""
    for child in noun.children:
        if child.lower_ in _ABOARD or (child.dep_ == "prep" and any(
                g.lower_ in _ABOARD for g in child.children)):
            return FigureKind.ABOARD
        # "41 wounded people", "12,000 newly displaced people": the adjective says it.
        if child.dep_ == "amod" and child.i < noun.i:
            kind = knowledge.figure_words.get(child.lower_) or knowledge.figure_words.get(
                child.lemma_.lower())
            if kind is not None and kind is not FigureKind.OTHER:
                return kind
    # "passengers who had been taken hostage were killed": the main verb decides, not the clause.
    head = noun.head
    while head.dep_ == "conj" and head.pos_ in ("NOUN", "PROPN"):
        head = head.head
    if noun.dep_ in ("nsubj", "nsubjpass", "dobj", "conj", "appos") or head.pos_ in ("VERB", "AUX"):
        verb = head
        if verb.lemma_.lower() == "be" and any(
                c.lower_ in _ABOARD or (c.dep_ == "prep" and c.lower_ in _ABOARD)
                for c in verb.children):
            return FigureKind.ABOARD
        kind = _verb_kind(verb, knowledge)
        if kind in (None, FigureKind.OTHER):
            # "counted at least 20 bodies": a neutral verb leaves the noun to say it.
            kind = knowledge.figure_words.get(noun.lemma_.lower()) or kind
        if kind is not None:
            if noun.dep_ == "nsubj" and kind not in (FigureKind.KILLED, FigureKind.DISPLACED,
                                                     FigureKind.MISSING):
                # Active subjects do the deed: "100 gunmen sabotaged" counts attackers.
                category = knowledge.person_nouns.get(noun.lemma_.lower())
                return FigureKind.ATTACKERS if category == "militant" else None
            return kind
        if noun.dep_ == "nsubj" and knowledge.person_nouns.get(noun.lemma_.lower()) == "militant":
            return FigureKind.ATTACKERS
    noun_kind = knowledge.figure_words.get(noun.lemma_.lower())
    return noun_kind


def _verb_kind(verb: Token, knowledge: Knowledge) -> FigureKind | None:
    lemma = verb.lemma_.lower()
    kind = knowledge.figure_words.get(lemma)
    # "taken hostage", "lost their lives": the verb's particle or object carries the meaning.
    for child in verb.children:
        phrase = f"{lemma} {child.lemma_.lower()}"
        if phrase in knowledge.figure_words:
            return knowledge.figure_words[phrase]
    return kind


def _who(noun: Token, knowledge: Knowledge) -> str:
    words = [c for c in noun.lefts if c.dep_ in ("compound", "amod") and not c.like_num
             and c.pos_ in ("NOUN", "ADJ", "PROPN") and c.lower_ not in knowledge.hedges]
    return " ".join([*(w.text for w in words), noun.text]).lower() if words else noun.text.lower()


def _source(ctx: ArticleContext, knowledge: Knowledge, token: Token,
            sentence: Span) -> tuple[str | None, str | None]:
    """(entity id, description) of whoever the sentence says reported the figure."""
    for t in sentence:
        if t.lower_ == "according" and t.i + 1 < len(ctx.doc) and ctx.doc[t.i + 1].lower_ == "to":
            for obj in ctx.doc[t.i + 1].children:
                return _speaker(ctx, obj)
    for ancestor in [token, *token.ancestors]:
        if ancestor.lemma_.lower() in knowledge.speech_verbs and ancestor.pos_ == "VERB":
            subject = next((c for c in ancestor.children if c.dep_ == "nsubj"), None)
            if subject is not None:
                return _speaker(ctx, subject)
    # "…were killed, officials confirmed on Wednesday": the reporting clause may follow.
    for t in sentence:
        if t.lemma_.lower() in knowledge.speech_verbs and t.pos_ == "VERB" and t.dep_ in (
                "ccomp", "parataxis", "ROOT") and t.i > token.i:
            subject = next((c for c in t.children if c.dep_ == "nsubj"), None)
            if subject is not None:
                return _speaker(ctx, subject)
    return None, None


def _speaker(ctx: ArticleContext, token: Token) -> tuple[str | None, str | None]:
    found = ctx.entity_at(token)
    if found and ctx.entities[found].type in (EntityType.GROUP, EntityType.ORGANISATION,
                                               EntityType.PERSON):
        return found, None
    if token.lower_ in ("it", "they"):
        # "It said its fighters had killed 40": the group the article is about.
        return (ctx.main_group, None) if ctx.main_group else (None, None)
    phrase = ctx.doc[token.left_edge.i:token.right_edge.i + 1].text
    return None, phrase if len(phrase) < 80 else token.text


def find_figures(ctx: ArticleContext, knowledge: Knowledge,
                 quotes: Sequence[Quote] = ()) -> list[Figure]:
    """Figures of the article; those inside a quotation are the speaker's."""
    figures: list[Figure] = []
    seen: set[tuple[object, ...]] = set()
    # Only a number or a person, figure or "other" word can head a figure (see _counted).
    numbers = [i for i, flag in enumerate(ctx.doc.to_array(LIKE_NUM).tolist()) if flag]
    words = ctx.tokens_with_lemma([*knowledge.person_nouns, *knowledge.figure_words, *_OTHERS])
    for i in sorted({*numbers, *(t.i for t in words)}):
        token = ctx.doc[i]
        index = ctx.sentence_index(i)
        sentence = ctx.sentences[index]
        found = _counted(token, knowledge)
        if found is None:
            continue
        quantity, kind, counted = found
        quote = next((q for q in quotes if q.start <= token.idx < q.end), None)
        if quote is not None:
            according_to, description = quote.speaker, quote.speaker_description
        elif ctx.in_quote(token):
            continue  # a quotation without a known speaker has no source to give
        else:
            according_to, description = _source(ctx, knowledge, token, sentence)
        who = _who(counted, knowledge) if counted is not None else None
        key = (kind, quantity.min, quantity.max, who, according_to, description)
        if key in seen or (who is None and any(k[:3] == key[:3] and k[4:] == key[4:]
                                               for k in seen)):
            continue  # the same figure restated ("the roughly 450 passengers on board")
        seen.add(key)
        start = ctx.doc[quantity.start].idx
        last = counted if counted is not None and counted.i > token.i else token
        end = last.idx + len(last.text)
        event = _event_for(ctx, index, kind, token)
        figures.append(Figure(
            id=local_id("figure", ctx.article.id, start),
            kind=kind, min=quantity.min, max=quantity.max, approximate=quantity.approximate,
            qualifier=quantity.qualifier, text=ctx.text[start:end], who=who,
            event=event, according_to=according_to,
            according_to_description=description, evidence=ctx.evidence(index),
        ))
    return figures


def _counted(token: Token, knowledge: Knowledge
             ) -> tuple[_Quantity, FigureKind, Token | None] | None:
    """(quantity, kind, the noun counted) when `token` heads a figure, else None.

    Two shapes: a person noun with its number ("at least 12 soldiers", "dozens of
    civilians"), and a number standing for people beside a figure word ("nine dead
    and 14 wounded", "killing 12").
    """
    lemma = token.lemma_.lower()
    if token.pos_ in ("NOUN", "PROPN") and (lemma in knowledge.person_nouns
                                           or lemma in knowledge.figure_words or lemma in _OTHERS):
        quantity = _quantity(token, knowledge)
        if quantity is None:
            return None
        # "dozens of civilians fled": the quantity word carries the clause's role.
        head = token.head.head if token.dep_ == "pobj" and token.head.lower_ == "of" and (
            token.head.head.lower_ in knowledge.hedges) else token
        kind = _kind(head, knowledge) or (_kind(token, knowledge) if head is not token else None)
        if kind is None:
            return None
        counted = token
        if lemma in knowledge.figure_words and lemma not in knowledge.person_nouns:
            # "20 bodies of soldiers" counts soldiers.
            counted = next((g for c in token.children if c.dep_ == "prep" and c.lower_ == "of"
                            for g in c.children if g.dep_ == "pobj"), token)
        return quantity, kind, counted
    if token.like_num and token.dep_ in ("nummod", "npadvmod", "amod", "nsubj", "dobj", "conj"):
        word = token.head
        kind = knowledge.figure_words.get(word.lemma_.lower()) or knowledge.figure_words.get(word.lower_)
        # Nouns count through the first shape; here only "nine dead", "killing 12".
        if kind is None or word.pos_ not in ("ADJ", "VERB") or (word.i < token.i and word.pos_ != "VERB"):
            return None
        value = knowledge.figures.parse_number(token.text)
        if value is None:
            return None
        # "at least nine injured": the hedge is everything left of the number in its phrase.
        qualifier_tokens = list(token.doc[token.left_edge.i:token.i])
        hedge_word, hedge = _hedge(" ".join(t.lower_ for t in qualifier_tokens), knowledge)
        low: int | None = value
        high: int | None = value
        if hedge is not None:
            step = 1 if hedge.exclusive else 0
            low, high = {"min": (value + step, None), "max": (None, value - step)}.get(
                hedge.bound, (value, value))
        start = min([token.i, *(t.i for t in qualifier_tokens)])
        return (_Quantity(low, high, bool(hedge and hedge.approximate), hedge_word, start),
                kind, None)
    return None


def _event_for(ctx: ArticleContext, sentence: int, kind: FigureKind, token: Token) -> str | None:
    # A count governed by a trigger belongs to that trigger's event; counts of the
    # people involved (aboard, attackers, hostages) belong to the whole incident.
    whole = kind in (FigureKind.ABOARD, FigureKind.ATTACKERS, FigureKind.HOSTAGES)
    for event in ctx.events:
        if sentence in event.evidence_sentences and any(
                a.text == event.trigger for a in [token.head, *token.head.ancestors][:3]):
            return event.part_of if whole and event.part_of else event.id
    if kind is FigureKind.RESCUED:
        responses = [e for e in ctx.events if is_response(e)]
        if responses:
            return responses[0].id
    in_sentence = event_for_sentence(ctx, sentence)
    if in_sentence is not None and not (is_response(in_sentence) and kind in (
            FigureKind.ABOARD, FigureKind.HOSTAGES, FigureKind.ATTACKERS)):
        return in_sentence.id
    main = main_event(ctx)
    return main.id if main else None


