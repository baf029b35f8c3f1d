"""Direct quotations with their speaker, the speaker's role and the outlet told.

A quotation is text in double quotes (curly or straight). Whether it is one is decided by
attribution, not length: a quotation of four words or more is kept when its sentence
names a speaker; a shorter one only when a reporting verb governs it ("said he was
"horrified"", "accused X of "violating …""), else it is a scare quote. A quotation inside
reported speech (not opening its sentence or following a colon or comma) is `partial`.

A quotation over several paragraphs opens each paragraph with a mark and closes only in
the last; its text joins the paragraphs with a space, without the inner opening marks.

The attribution is read from the rest of its sentences: the subject of a reporting verb
(said, told, stated, added …) is the speaker, the object of "told" is the outlet.
Unnamed speakers keep their description ("a Pakistani official"), organisations their
name ("the army said in a statement"); a document speaks for its author ("the statement
said", "a statement on X said"). Pronouns ("he said", "they said") and definite
back-references ("the official added") continue the last *speaker*, not the last person
named (often a victim). A quotation with no attribution of its own that follows another
(in the same or the next paragraph), or follows a line ending "… said in a statement:",
is the same speaker's.
"""

from __future__ import annotations

import re

from spacy.tokens import Token

from kg.extract.context import ArticleContext
from kg.extract.events import event_for_sentence, main_event
from kg.extract.knowledge import Knowledge
from kg.extract.quote_marks import MIN_QUOTE_WORDS, QuoteSpan, quote_spans, scan_quotes
from kg.extract.quote_speakers import (
    AttributionState,
    SpeechAct,
    according_to_act,
    act_of_verb,
    is_speech_verb,
)
from kg.ids import local_id
from kg.models import Quote

# quote_spans, scan_quotes and QuoteSpan live in quote_marks; importers still find them here.
__all__ = ["QuoteSpan", "find_quotes", "quote_spans", "scan_quotes"]

# Punctuation after which a quotation starts direct speech rather than sitting inside it.
_DIRECT_BEFORE = set(":,;—–-(\n")
_FOLLOW_ON_CHARS = 600  # how far a follow-on quotation may sit from the one before


def find_quotes(ctx: ArticleContext, knowledge: Knowledge) -> list[Quote]:
    text = ctx.text
    scanned = scan_quotes(text)
    state = AttributionState(ctx, knowledge, [(q.start, q.end) for q in scanned])
    quotes: list[Quote] = []
    last: tuple[QuoteSpan, SpeechAct] | None = None
    for span in scanned:
        sentences = [i for i, s in enumerate(ctx.sentences)
                     if s.start_char < span.end + 2 and s.end_char > span.open_at]
        if not sentences:
            continue
        # ", he said." split off as a sentence of its own still belongs to the quotation.
        following = sentences[-1] + 1
        if following < len(ctx.sentences) and 0 <= ctx.sentences[following].start_char - span.end <= 3 \
                and ctx.sentences[following][0].is_lower:
            sentences.append(following)
        words = span.words(text)
        partial = _partial(text, span)
        act, governed = _attribution(state, span, sentences)
        if act is None and not partial and words >= MIN_QUOTE_WORDS:
            act = _follow_on(state, span, last) or _introduced(state, span)
            governed = act is not None
        if act is None or (act.speaker is None and act.description is None):
            continue
        if words < MIN_QUOTE_WORDS and not governed:
            continue  # a scare quote: no reporting verb governs it
        if words < MIN_QUOTE_WORDS and _is_name(span.text(text)):
            continue  # "the group's media wing "Al-X"": a name set off, not words said
        last = (span, act)
        event = event_for_sentence(ctx, sentences[0]) or main_event(ctx)
        first, final = ctx.sentences[sentences[0]], ctx.sentences[sentences[-1]]
        evidence = ctx.evidence(first)
        if len(sentences) > 1:
            evidence = evidence.model_copy(update={
                "text": text[evidence.start:final.end_char], "end": final.end_char})
        inner_end = span.end
        quoted = span.text(text)
        while quoted and quoted[-1] in ",;":
            quoted = quoted[:-1].rstrip()  # the comma before the closing mark is the attribution's
        while inner_end > span.start and text[inner_end - 1] in ",; \n":
            inner_end -= 1
        quotes.append(Quote(
            id=local_id("quote", ctx.article.id, span.start), text=quoted,
            speaker=act.speaker, speaker_description=None if act.speaker else act.description,
            reported_by=act.outlet, partial=partial,
            event=event.id if event else None, start=span.start, end=inner_end, evidence=evidence,
        ))
    return quotes


def _is_name(quoted: str) -> bool:
    words: list[str] = re.findall(r"[^\W\d_][\w'’-]*", quoted)
    small = {"of", "the", "and", "de", "del", "al", "el", "la", "du", "des", "in", "for"}
    return bool(words) and all(w[0].isupper() or w.lower() in small for w in words) and any(
        w[0].isupper() for w in words)


def _partial(text: str, span: QuoteSpan) -> bool:
    """Inside reported speech: the words before the mark run on into it ("said he was
    "horrified"", "a toll of "7 dead""), rather than a quotation opening its sentence or
    following a colon or comma."""
    k = span.open_at - 1
    while k >= 0 and text[k] in " \t\u00a0":
        k -= 1
    return k >= 0 and text[k] not in _DIRECT_BEFORE and text[k] not in ".!?\"”"


def _attribution(state: AttributionState, span: QuoteSpan, sentences: list[int]) -> tuple[SpeechAct | None, bool]:
    """The act of speech this quotation belongs to, and whether its verb governs it."""
    ctx = state.ctx
    quoted = [t for i in sentences for t in ctx.sentences[i]
              if span.start <= t.idx < span.end and not t.is_punct]
    candidates: list[tuple[int, Token]] = []
    for index in sentences:
        for token in ctx.sentences[index]:
            if state.in_quote(token) or not is_speech_verb(state.knowledge, token):
                continue
            distance = min(abs(token.idx - span.open_at), abs(token.idx - span.end))
            candidates.append((distance, token))
    for _distance, verb in sorted(candidates, key=lambda c: c[0]):
        if quoted and _governs(verb, quoted[0]):
            act = act_of_verb(state, verb)
            if act is not None:
                return act, True
    for _distance, verb in sorted(candidates, key=lambda c: c[0]):
        act = act_of_verb(state, verb)
        if act is not None:
            return act, False
    # "According to X, …": the whole sentence is X's.
    for index in sentences:
        for token in ctx.sentences[index]:
            if token.lower_ == "according" and not state.in_quote(token):
                act = according_to_act(state, token)
                if act is not None:
                    return act, True
    return None, False


def _governs(verb: Token, token: Token) -> bool:
    """`token` sits in what `verb` reports: its subtree, but not its subject."""
    for ancestor in [token, *token.ancestors]:
        if ancestor.head == verb and ancestor != verb:
            return ancestor.dep_ not in ("nsubj", "nsubjpass", "csubj")
    return False


def _follow_on(state: AttributionState, span: QuoteSpan, last: tuple[QuoteSpan, SpeechAct] | None) -> SpeechAct | None:
    """A quotation standing alone right after another one: the same speaker goes on."""
    if last is None:
        return None
    previous, act = last
    between = state.ctx.text[previous.end:span.open_at]
    if len(between) > _FOLLOW_ON_CHARS or between.count("\n\n") > 1:
        return None
    # Nobody else speaks in between.
    ctx = state.ctx
    for token in ctx.doc.char_span(previous.end, span.open_at, alignment_mode="expand") or []:
        if is_speech_verb(state.knowledge, token) and token.i != act.token and not state.in_quote(token):
            other = act_of_verb(state, token)
            if other is not None and (other.speaker, other.description) != (act.speaker, act.description):
                return None
    return act


def _introduced(state: AttributionState, span: QuoteSpan) -> SpeechAct | None:
    """"…, said in a statement:" closing the paragraph before the quotation."""
    ctx = state.ctx
    k = span.open_at - 1
    while k >= 0 and ctx.text[k].isspace():
        k -= 1
    if k < 0 or ctx.text[k] != ":":
        return None
    colon = ctx.doc.char_span(k, k + 1, alignment_mode="expand")
    if colon is None:
        return None
    sentence = ctx.sentences[ctx.sentence_index(colon.start)]
    for token in reversed(list(sentence)):
        if token.i < colon.start and is_speech_verb(state.knowledge, token):
            act = act_of_verb(state, token)
            if act is not None:
                return act
    return None
