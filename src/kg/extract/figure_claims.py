"""Figures as claims: who stated a figure, of which event, whether it is the incident's
own toll (`figure_scope`), and when a source restates one it gave already.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

from spacy.tokens import Span, Token

from kg.extract.context import ArticleContext
from kg.extract.events import event_for_sentence, is_response, main_event
from kg.extract.figure_counts import LIFE, figure_words, is_counted_noun, is_tally_noun
from kg.extract.knowledge import Knowledge
from kg.extract.lang.en.dates import resolve_date
from kg.schema import DatePrecision, EntityType, FigureKind


def figure_source(ctx: ArticleContext, knowledge: Knowledge, token: Token,
                  sentence: Span) -> tuple[str | None, str | None]:
    """(entity id, description) of whoever the sentence says reported the figure."""
    lowers = ctx.token_lowers
    for i in range(sentence.start, sentence.end):
        if lowers[i] == "according" and i + 1 < len(lowers) and lowers[i + 1] == "to":
            for obj in ctx.doc[i + 1].children:
                return _speaker(ctx, obj)
    # "a senior officer put the number of injured at 12", "the army gave a toll of 18
    # dead": who puts or gives the tally is its source.
    verb = None
    if token.dep_ == "pobj" and token.head.lower_ in ("at", "to"):
        verb = token.head.head
    else:
        holder = next((t.head.head for t in (token, token.head) if t.dep_ == "pobj"
                       and t.head.lower_ == "of"), None)
        if holder is not None and holder.dep_ == "dobj" and is_tally_noun(holder, knowledge):
            verb = holder.head
    if verb is not None and any(c.dep_ == "dobj" and is_tally_noun(c, knowledge)
                                for c in verb.children):
        subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        if subject is not None and not is_tally_noun(subject, knowledge):
            return _speaker(ctx, subject)
    for ancestor in [token, *token.ancestors]:
        if ancestor.lemma_.lower() in knowledge.speech_verbs and ancestor.pos_ == "VERB" and not (
                any(c.dep_ == "dobj" and c.lower_ in LIFE for c in ancestor.children)):
            subject = next((c for c in ancestor.children if c.dep_ == "nsubj"), None)
            if subject is not None:
                return _speaker(ctx, subject)
    # "…were killed, officials confirmed on Wednesday": the reporting clause may follow.
    for i in range(token.i + 1, sentence.end):
        if ctx.lemmas[i] not in knowledge.speech_verbs:
            continue
        t = ctx.doc[i]
        if t.pos_ == "VERB" and t.dep_ in ("ccomp", "parataxis", "ROOT"):
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


@dataclass(frozen=True)
class StatedFigure:
    """Where and by whom a figure was stated, to tell a restatement from a new figure."""

    event: str | None
    source: str | None
    who: str | None
    category: str
    quoted: bool
    sentence: int

    def restates(self, other: StatedFigure) -> bool:
        """Whether `other` (same kind, number and source) gives this figure again.

        A source's quote and the narrative's paraphrase of it are one figure, whatever
        event each sentence was attached to, and so are its words repeated; otherwise the
        event must be the same. The
        article's own unsourced figures repeat only in the same words or sentence: two
        incidents of a round-up may well have the same toll."""
        if self.category != other.category and "unknown" not in (self.category, other.category):
            return False
        if self.source is None:
            return self.event == other.event and (
                self.who == other.who or self.sentence == other.sentence)
        return self.event == other.event or self.quoted != other.quoted or (
            self.who is not None and self.who == other.who)


def normal_description(description: str | None) -> str | None:
    if not description:
        return None
    words = description.lower().split()
    return " ".join(words[1:] if words[:1] == ["the"] else words)


def resolve_description(ctx: ArticleContext, description: str) -> tuple[str | None, str | None]:
    """The entity a source's description names: its name ("Egyptian Armed Forces"), or the
    title of the one person who holds it ("the regional governor" → Governor X)."""
    key = normal_description(description) or ""
    for entity_id, draft in ctx.entities.items():
        if draft.type in (EntityType.GROUP, EntityType.ORGANISATION, EntityType.PERSON) and (
                key in {(normal_description(n) or "") for n in (draft.name, *draft.aliases)}):
            return entity_id, None
    head = key.split()[-1] if key else ""
    holders = [entity_id for entity_id, draft in ctx.entities.items()
               if draft.type is EntityType.PERSON and draft.role
               and draft.role.lower().split()[-1] == head]
    if len(holders) == 1:
        return holders[0], None
    return None, description


_YEAR_OR_MONTH = re.compile(
    r"\b(?:1[89]\d\d|20\d\d|january|february|march|april|may|june|july|august|september|"
    r"october|november|december)\b", re.IGNORECASE)


def figure_scope(ctx: ArticleContext, knowledge: Knowledge, sentence: int,
                 anchor: tuple[dt.date, int] | None) -> Literal["main", "other"]:
    """ "other" for a cumulative or earlier toll, "main" for the incident's own."""
    words = figure_words(knowledge)
    text = f" {ctx.sentence_texts[sentence].lower()} "
    if any(f" {phrase} " in text or f" {phrase}," in text for phrase in words.background):
        return "other"
    span = ctx.sentences[sentence]
    for token in span:
        # "since 2015", "since January": a count from a point in time is cumulative.
        if token.lower_ == "since" and _YEAR_OR_MONTH.search(
                ctx.doc[token.i:token.right_edge.i + 1].text):
            return "other"
        # "in an earlier raid": an incident set apart from the article's own.
        if token.lower_ in words.earlier and token.dep_ in ("amod", "det") and (
                token.head.pos_ == "NOUN" and not is_counted_noun(token.head, knowledge)):
            return "other"
    if anchor is None:
        return "main"
    for ent in ctx.sentence_ents[sentence]:
        if ent.label_ != "DATE":
            continue
        resolved = resolve_date(ent.text, ctx.article.published)
        # Dated days before the main incident (or weeks before the report): an earlier one.
        if resolved is not None and (anchor[0] - resolved.date).days > anchor[1]:
            return "other"
    return "main"


def incident_anchor(ctx: ArticleContext) -> tuple[dt.date, int] | None:
    """The day of the article's own incident and the days of slack around it: the first
    day the lead names, else the main event's, else the publication date give or take a
    week."""
    for index in range(min(2, len(ctx.sentences))):
        for ent in ctx.sentence_ents[index]:
            if ent.label_ == "DATE" and not ctx.in_dateline(ent.start):
                resolved = resolve_date(ent.text, ctx.article.published)
                if resolved is not None and resolved.precision is DatePrecision.DAY:
                    return resolved.date, 1
    main = main_event(ctx)
    if main is not None and main.date and main.date[0] is not None:
        return main.date[0], 1
    return (ctx.article.published, 7) if ctx.article.published else None


def figure_event(ctx: ArticleContext, sentence: int, kind: FigureKind, token: Token) -> str | None:
    # A count governed by a trigger belongs to that trigger's event; counts of the
    # people involved (aboard, attackers, hostages) belong to the whole incident.
    whole = kind in (FigureKind.ABOARD, FigureKind.ATTACKERS, FigureKind.HOSTAGES)
    for event in ctx.events:
        if sentence in event.evidence_sentences and any(
                a.text == event.trigger for a in [token.head, *token.head.ancestors][:3]):
            return event.part_of if whole and event.part_of else event.id
    if kind is FigureKind.RESCUED:
        responses = [e for e in ctx.events if is_response(ctx, e)]
        if responses:
            return responses[0].id
    in_sentence = event_for_sentence(ctx, sentence)
    if in_sentence is not None and not (is_response(ctx, in_sentence) and kind in (
            FigureKind.ABOARD, FigureKind.HOSTAGES, FigureKind.ATTACKERS)):
        return in_sentence.id
    main = main_event(ctx)
    return main.id if main else None
