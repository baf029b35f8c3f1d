"""Direct quotations with their speaker, the speaker's role and the outlet told.

A quotation is text in double quotes of at least four words (shorter ones are scare
quotes). The attribution is read from the rest of its sentence: the subject of a
reporting verb (said, told, stated, added …) is the speaker, the object of "told" is
the outlet. Unnamed speakers keep their description ("a Pakistani official"); a
definite back-reference ("the official added") continues the speaker it points to.
"""

from __future__ import annotations

import re

from spacy.tokens import Span, Token

from kg.extract.context import ArticleContext
from kg.extract.events import event_for_sentence, main_event
from kg.extract.knowledge import Knowledge
from kg.ids import local_id
from kg.models import Quote
from kg.schema import EntityType, OrganisationKind

_QUOTE = re.compile(r"“([^”]{3,}?)”|\"([^\"]{3,}?)\"", re.DOTALL)
_MIN_WORDS = 4


def quote_spans(text: str) -> list[tuple[int, int]]:
    """Character spans (inside the marks) of the direct quotations in `text`."""
    spans = []
    for match in _QUOTE.finditer(text):
        group = 1 if match.group(1) is not None else 2
        inner = match.group(group)
        if len(inner.split()) >= _MIN_WORDS:
            spans.append((match.start(group), match.end(group)))
    return spans


def find_quotes(ctx: ArticleContext, knowledge: Knowledge) -> list[Quote]:
    quotes: list[Quote] = []
    previous: list[tuple[str | None, str | None, str | None]] = []  # (speaker, description, outlet)
    text = ctx.text
    for start, end in ctx.quote_spans:
        inner_end = end
        while inner_end > start and text[inner_end - 1] in ",; \n":
            inner_end -= 1  # the comma before the closing mark belongs to the attribution
        sentences = [i for i, s in enumerate(ctx.sentences)
                     if s.start_char < end + 1 and s.end_char > start - 1]
        if not sentences:
            continue
        speaker, description, outlet = _attribution(ctx, knowledge, sentences, previous)
        if speaker is None and description is None:
            continue
        previous.append((speaker, description, outlet))
        event = event_for_sentence(ctx, sentences[0]) or main_event(ctx)
        evidence_span = ctx.sentences[sentences[0]]
        last = ctx.sentences[sentences[-1]]
        evidence = ctx.evidence(evidence_span)
        if len(sentences) > 1:
            evidence = evidence.model_copy(update={
                "text": text[evidence_span.start_char:last.end_char], "end": last.end_char})
        quotes.append(Quote(
            id=local_id("quote", ctx.article.id, start), text=text[start:inner_end],
            speaker=speaker, speaker_description=description, reported_by=outlet,
            event=event.id if event else None, start=start, end=inner_end, evidence=evidence,
        ))
    return quotes


def _anonymous_before(ctx: ArticleContext, knowledge: Knowledge, subject: Token) -> str | None:
    """For "he said" with nobody named: the unnamed source introduced just before
    ("A local elected official, who asked not to be named, …")."""
    here = ctx.sentence_index(subject)
    for index in range(here, max(-1, here - 3), -1):
        sentence = ctx.sentences[index]
        for token in reversed(list(sentence)):
            if token.i >= subject.i or ctx.in_quote(token):
                continue
            if token.lemma_.lower() in knowledge.anonymous_heads and token.pos_ == "NOUN":
                words = [t for t in token.subtree if t.i <= token.i and t.dep_ not in ("punct",)]
                return " ".join(t.text for t in words)
    return None


def _outside(ctx: ArticleContext, sentence: Span) -> list[Token]:
    return [t for t in sentence if not ctx.in_quote(t)]


def _attribution(ctx: ArticleContext, knowledge: Knowledge, sentences: list[int],
                 previous: list[tuple[str | None, str | None, str | None]]
                 ) -> tuple[str | None, str | None, str | None]:
    for index in sentences:
        for token in _outside(ctx, ctx.sentences[index]):
            if token.lemma_.lower() not in knowledge.speech_verbs or token.pos_ != "VERB":
                continue
            subject = _speech_subject(token)
            if subject is None:
                continue
            outlet = _outlet(ctx, token)
            return _who(ctx, knowledge, subject, outlet, previous)
    return None, None, None


def _speech_subject(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ in ("nsubj", "nsubjpass"):
            return child
    # "…acknowledged the casualties, stating, '…'": the participle shares the main subject.
    if verb.dep_ in ("advcl", "conj", "xcomp") and verb.head != verb:
        return _speech_subject(verb.head)
    return None


def _outlet(ctx: ArticleContext, verb: Token) -> str | None:
    """The media organisation told: "told Germany's DPA news agency", "told AFP"."""
    for child in verb.subtree:
        if child.dep_ in ("dobj", "dative", "pobj", "compound", "poss") or child.i > verb.i:
            entity = ctx.entity_at(child)
            if entity and ctx.entities[entity].kind == OrganisationKind.MEDIA.value:
                return entity
    return None


def _who(ctx: ArticleContext, knowledge: Knowledge, subject: Token, outlet: str | None,
         previous: list[tuple[str | None, str | None, str | None]]
         ) -> tuple[str | None, str | None, str | None]:
    entity = ctx.entity_at(subject)
    if entity and ctx.entities[entity].type is EntityType.PERSON:
        return entity, None, outlet
    phrase = ctx.doc[subject.left_edge.i:subject.right_edge.i + 1].text
    if subject.lower_ in ("he", "she"):
        # The nearest person named in this or the two sentences before; else an unnamed
        # source introduced there; else whoever spoke last.
        here = ctx.sentence_index(subject)
        people = [m for m in ctx.mentions if m.start < subject.i and m.entity_id
                  and ctx.entities[m.entity_id].type is EntityType.PERSON
                  and ctx.sentence_index(m.start) >= here - 2]
        if people:
            return people[-1].entity_id, None, outlet
        described = _anonymous_before(ctx, knowledge, subject)
        if described:
            return None, described, outlet
        for speaker, _description, told in reversed(previous):
            if speaker:
                return speaker, None, outlet or told
        return None, None, outlet
    determiner = next((c.lower_ for c in subject.children if c.dep_ == "det"), "")
    if determiner == "the":
        # "the official added": the last speaker whose description has the same head word,
        # or a named person whose role it is ("the spokesman" after "Army spokesman X").
        for speaker, description, told in reversed(previous):
            if description and subject.lower_ in description.lower():
                return speaker, description, outlet or told
        for mention in reversed([m for m in ctx.mentions if m.start < subject.i and m.entity_id]):
            person = ctx.entities[mention.entity_id]
            if person.type is EntityType.PERSON and person.role and (
                    subject.lower_ in person.role.lower()):
                return person.id, None, outlet
    if entity:
        # An organisation or group speaking: keep its name as the description.
        return None, ctx.entities[entity].name, outlet
    if subject.pos_ in ("NOUN", "PROPN") or subject.lower_ == "one":
        return None, phrase, outlet
    return None, None, None
