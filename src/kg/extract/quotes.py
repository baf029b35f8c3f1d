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
from dataclasses import dataclass, field
from functools import lru_cache

from spacy.tokens import Span, Token

from kg.extract import lexicon
from kg.extract.context import ArticleContext
from kg.extract.events import event_for_sentence, main_event
from kg.extract.knowledge import Knowledge
from kg.ids import local_id
from kg.models import Quote
from kg.schema import EntityType, OrganisationKind

_MIN_WORDS = 4  # shorter quotations need a reporting verb that governs them
_OPENING = "“\""
_CLOSING = {"“": "”", "\"": "\""}
_PERSONAL = {"he", "she"}
_PLURAL = {"they"}
_IMPERSONAL = {"it"}
_DEMONSTRATIVE = {"the", "this", "that"}
# Punctuation after which a quotation starts direct speech rather than sitting inside it.
_DIRECT_BEFORE = set(":,;—–-(\n")
_ACT_WINDOW = 8  # sentences: how far back a pronoun may find its speaker
_FOLLOW_ON_CHARS = 600  # how far a follow-on quotation may sit from the one before


@dataclass
class QuoteSpan:
    """One quotation: its segments (one per paragraph) inside the marks."""

    segments: list[tuple[int, int]]
    open_at: int  # offset of the opening mark

    @property
    def start(self) -> int:
        return self.segments[0][0]

    @property
    def end(self) -> int:
        return self.segments[-1][1]

    def text(self, text: str) -> str:
        return " ".join(text[s:e].strip() for s, e in self.segments if text[s:e].strip())

    def words(self, text: str) -> int:
        return len(self.text(text).split())


def scan_quotes(text: str) -> list[QuoteSpan]:
    """Every quotation in `text`, multi-paragraph ones as one."""
    found: list[QuoteSpan] = []
    i, n = 0, len(text)
    while i < n:
        mark = text[i]
        if mark not in _OPENING:
            i += 1
            continue
        close = _CLOSING[mark]
        segments: list[tuple[int, int]] = []
        start = i + 1
        j = start
        while j < n:
            c = text[j]
            if c == close:
                segments.append((start, j))
                j += 1
                break
            if c == "\n":
                # The paragraph ends inside the quotation: it goes on if the next paragraph
                # opens with a mark, else it was left unclosed and ends here.
                segments.append((start, j))
                k = j
                while k < n and text[k] in " \t\r\n\u00a0":
                    k += 1
                if k < n and text[k] in _OPENING:
                    start = k + 1
                    j = start
                    continue
                if _closes_next(text, k, mark):
                    start = k  # closed only in the next paragraph: one quotation still
                    j = start
                    continue
                j = k
                break
            j += 1
        else:
            segments.append((start, n))
        segments = [(s, e) for s, e in segments if text[s:e].strip()]
        if segments and any(ch.isalnum() for s, e in segments for ch in text[s:e]):
            found.append(QuoteSpan(segments, i))
        i = j if j > i else i + 1
    return found


def _closes_next(text: str, at: int, mark: str) -> bool:
    """Whether the paragraph starting at `at` closes a quotation opened before it (its
    first mark closes, for curly marks; an odd number of straight marks)."""
    end = text.find("\n", at)
    paragraph = text[at:end if end >= 0 else len(text)]
    if mark == "\"":
        return paragraph.count("\"") % 2 == 1
    first = min((i for i in (paragraph.find("”"), paragraph.find("“")) if i >= 0), default=-1)
    return first >= 0 and paragraph[first] == "”"


def quote_spans(text: str) -> list[tuple[int, int]]:
    """Character spans (inside the marks) of the direct quotations of four words or more:
    the text the other stages read as somebody's words rather than reported fact."""
    return [(q.start, q.end) for q in scan_quotes(text) if q.words(text) >= _MIN_WORDS]


@dataclass
class _Act:
    """Somebody saying something: a reporting verb (or "according to") and who."""

    token: int  # token index of the verb
    speaker: str | None
    description: str | None
    outlet: str | None
    organisation: bool = False  # the speaker is an organisation, not a person
    referent: bool = True  # a speaker a later "he said" may continue (not "fighting continued")


@dataclass
class _State:
    ctx: ArticleContext
    knowledge: Knowledge
    spans: list[tuple[int, int]]  # every quotation, however short
    acts: dict[int, _Act | None] = field(default_factory=dict)  # verb index -> act (memo)
    looking_back: set[int] = field(default_factory=set)  # `_earlier_acts` calls under way

    def in_quote(self, token: Token) -> bool:
        return any(s - 1 <= token.idx < e + 1 for s, e in self.spans)


@lru_cache(maxsize=1)
def _vocabulary() -> tuple[frozenset[tuple[str, str]], frozenset[str]]:
    speech = lexicon.load_speech()
    phrasal = frozenset((v.phrase.split()[0], v.phrase.split()[-1])
                        for v in speech.reporting_verbs if len(v.phrase.split()) == 2)
    return phrasal, frozenset(n.lower() for n in speech.statement_nouns)


def _is_speech_verb(knowledge: Knowledge, token: Token) -> bool:
    if token.pos_ != "VERB":
        return False
    lemma = token.lemma_.lower()
    if lemma in knowledge.speech_verbs:
        return True
    phrasal, _ = _vocabulary()
    return any((lemma, c.lower_) in phrasal for c in token.children if c.dep_ == "prt")


def find_quotes(ctx: ArticleContext, knowledge: Knowledge) -> list[Quote]:
    text = ctx.text
    scanned = scan_quotes(text)
    state = _State(ctx, knowledge, [(q.start, q.end) for q in scanned])
    quotes: list[Quote] = []
    last: tuple[QuoteSpan, _Act] | None = None
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
        if act is None and not partial and words >= _MIN_WORDS:
            act = _follow_on(state, span, last) or _introduced(state, span)
            governed = act is not None
        if act is None or (act.speaker is None and act.description is None):
            continue
        if words < _MIN_WORDS and not governed:
            continue  # a scare quote: no reporting verb governs it
        if words < _MIN_WORDS and _is_name(span.text(text)):
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


def _attribution(state: _State, span: QuoteSpan, sentences: list[int]) -> tuple[_Act | None, bool]:
    """The act of speech this quotation belongs to, and whether its verb governs it."""
    ctx = state.ctx
    quoted = [t for i in sentences for t in ctx.sentences[i]
              if span.start <= t.idx < span.end and not t.is_punct]
    candidates: list[tuple[int, Token]] = []
    for index in sentences:
        for token in ctx.sentences[index]:
            if state.in_quote(token) or not _is_speech_verb(state.knowledge, token):
                continue
            distance = min(abs(token.idx - span.open_at), abs(token.idx - span.end))
            candidates.append((distance, token))
    for _distance, verb in sorted(candidates, key=lambda c: c[0]):
        if quoted and _governs(verb, quoted[0]):
            act = _act(state, verb)
            if act is not None:
                return act, True
    for _distance, verb in sorted(candidates, key=lambda c: c[0]):
        act = _act(state, verb)
        if act is not None:
            return act, False
    # "According to X, …": the whole sentence is X's.
    for index in sentences:
        for token in ctx.sentences[index]:
            if token.lower_ == "according" and not state.in_quote(token):
                act = _according_to(state, token)
                if act is not None:
                    return act, True
    return None, False


def _governs(verb: Token, token: Token) -> bool:
    """`token` sits in what `verb` reports: its subtree, but not its subject."""
    for ancestor in [token, *token.ancestors]:
        if ancestor.head == verb and ancestor != verb:
            return ancestor.dep_ not in ("nsubj", "nsubjpass", "csubj")
    return False


def _according_to(state: _State, token: Token) -> _Act | None:
    for prep in token.children:
        if prep.lower_ != "to":
            continue
        for obj in prep.children:
            if obj.dep_ == "pobj":
                return _resolve(state, obj, token, None)
    nxt = token.nbor(1) if token.i + 1 < len(token.doc) else None
    if nxt is not None and nxt.lower_ == "to":
        for obj in nxt.children:
            if obj.dep_ == "pobj":
                return _resolve(state, obj, token, None)
    return None


def _act(state: _State, verb: Token) -> _Act | None:
    if verb.i in state.acts:
        return state.acts[verb.i]
    state.acts[verb.i] = None  # guards against cycles
    subject = _speech_subject(verb)
    act = None
    if subject is not None and not state.in_quote(subject):
        act = _resolve(state, subject, verb, _outlet(state.ctx, verb))
    state.acts[verb.i] = act
    return act


def _speech_subject(verb: Token) -> Token | None:
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    if subjects:
        # "Inspector General of Police Kashmir, Vijay Kumar said": the name, nearest the verb.
        return subjects[-1]
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


def _earlier_acts(state: _State, before: Token) -> list[_Act]:
    """Acts of speech before `before`, nearest first, within a few sentences."""
    if before.i in state.looking_back:
        return []  # "according to this official": resolving the act would ask again
    state.looking_back.add(before.i)
    try:
        return _earlier_acts_of(state, before)
    finally:
        state.looking_back.discard(before.i)


def _earlier_acts_of(state: _State, before: Token) -> list[_Act]:
    ctx = state.ctx
    here = ctx.sentence_index(before)
    found = []
    for index in range(here, max(-1, here - _ACT_WINDOW), -1):
        for token in reversed(list(ctx.sentences[index])):
            if token.i >= before.i or state.in_quote(token):
                continue
            if _is_speech_verb(state.knowledge, token) and _speech_subject(token) is not None:
                act = _act(state, token)
            elif token.lower_ == "according":
                act = _according_to(state, token)
            else:
                continue
            if act is not None and act.referent and (act.speaker or act.description):
                found.append(act)
    return found


def _acting_people(state: _State, before: Token) -> list[tuple[int, str]]:
    """Named people who act (subjects of active verbs) in this and the sentence before."""
    ctx = state.ctx
    here = ctx.sentence_index(before)
    people = []
    for mention in ctx.mentions:
        if mention.start >= before.i or not mention.entity_id:
            continue
        if ctx.entities[mention.entity_id].type is not EntityType.PERSON:
            continue
        if ctx.sentence_index(mention.start) < here - 1:
            continue
        head = ctx.doc[mention.start:mention.end].root
        if state.in_quote(head):
            continue
        if head.dep_ == "nsubj" or (head.dep_ == "appos" and head.head.dep_ == "nsubj"):
            people.append((mention.start, mention.entity_id))
    return people


def _resolve(state: _State, subject: Token, verb: Token, outlet: str | None) -> _Act | None:
    ctx, knowledge = state.ctx, state.knowledge
    _phrasal, statements = _vocabulary()
    word = subject.lower_
    if word in _PERSONAL | _PLURAL | _IMPERSONAL:
        return _pronoun(state, subject, verb, outlet)
    entity = _entity(ctx, subject)
    if entity and ctx.entities[entity].type is EntityType.PERSON:
        return _Act(verb.i, entity, None, outlet)
    # "a resident, Tukur X, said", "the governor of Y, Octavio Z": the name in apposition.
    for child in _near_subtree(subject):
        if child.dep_ == "appos":
            named = _entity(ctx, child)
            if named and ctx.entities[named].type is EntityType.PERSON:
                return _Act(verb.i, named, None, outlet)
    if entity and ctx.entities[entity].type is EntityType.PLACE and any(
            c.dep_ == "compound" and ctx.token_mention.get(c.i) is None for c in subject.children):
        entity = None  # "spokesperson Willy X" is not a place that happens to share his name
    if subject.lemma_.lower() in statements or subject.lower_ in statements:
        return _document(state, subject, verb, outlet)
    determiner = next((c.lower_ for c in subject.children if c.dep_ == "det"), "")
    if determiner in _DEMONSTRATIVE and not entity:
        found = _back_reference(state, subject, verb, outlet, determiner)
        if found is not None:
            return found
    if entity:
        # An organisation or group speaking: the text's words, and its name when they differ
        # ("the military (Israel Defense Forces)").
        name = ctx.entities[entity].name
        words = _phrase(ctx, subject)
        described = words if name.lower() in words.lower() else f"{words} ({name})"
        return _Act(verb.i, None, described, outlet, organisation=True)
    if subject.pos_ in ("NOUN", "PROPN") or word == "one":
        lemma = subject.lemma_.lower()
        organisation = lemma not in knowledge.anonymous_heads and (
            lemma in knowledge.names.organisation_heads or lemma in knowledge.names.group_heads
            or any((m := ctx.token_mention.get(t.i)) is not None and m.entity_id
                   and ctx.entities[m.entity_id].type in (EntityType.ORGANISATION, EntityType.GROUP)
                   for t in subject.subtree))
        # "fighting continued" is no speaker a later "he said" could mean.
        here = ctx.sentence_index(subject)
        referent = not any(e.sentence == here and e.trigger == subject.text for e in ctx.events)
        return _Act(verb.i, None, _phrase(ctx, subject), outlet, referent=referent,
                    organisation=organisation)
    return None


def _near_subtree(subject: Token) -> list[Token]:
    """The subject and the words hanging on it or on its prepositions' objects."""
    near = [subject]
    for child in subject.children:
        near.append(child)
        if child.dep_ == "prep":
            for obj in child.children:
                near += [obj, *obj.children]
    return near


def _entity(ctx: ArticleContext, token: Token) -> str | None:
    """The entity the phrase headed by `token` names itself, not one merely inside it:
    "the Wad X Resistance Committee" is not the place Wad X, "a local VDP official" is
    not the VDP."""
    found = ctx.token_mention.get(token.i)
    if found and found.entity_id:
        return found.entity_id
    if token.pos_ == "NOUN" or token.lemma_.lower() in ("office", "committee", "council"):
        return None
    entity = ctx.entity_at(token)
    if entity and ctx.entities[entity].type is EntityType.PLACE:
        return None
    return entity


_PHRASE_PREPOSITIONS = {"of", "for", "in", "from", "at", "with"}


def _phrase(ctx: ArticleContext, subject: Token) -> str:
    """The subject's own words: up to its head and the prepositions after it, not the
    clauses and appositions ("a spokesman for the police", "a local official")."""
    stop = {"relcl", "appos", "acl", "punct", "advcl", "cc", "conj"}
    end = subject.i
    for token in subject.subtree:
        if token.i <= subject.i:
            continue
        chain = [a for a in [token, *token.ancestors] if a.i != subject.i and subject in a.ancestors]
        if any(a.dep_ in stop for a in chain) or any(
                a.dep_ == "prep" and a.lower_ not in _PHRASE_PREPOSITIONS for a in chain):
            break
        end = token.i
    start = subject.left_edge.i
    while start < subject.i and ctx.doc[start].is_punct:
        start += 1
    return ctx.span_text(start, end + 1)


def _document(state: _State, subject: Token, verb: Token, outlet: str | None) -> _Act | None:
    """"A statement on the X news agency said", "the army's statement said", "the
    statement said" (the last speaker's)."""
    ctx = state.ctx
    for child in subject.children:
        if child.dep_ == "poss":
            return _resolve(state, child, verb, outlet)
        if child.dep_ == "prep" and child.lower_ in ("from", "by", "of", "on"):
            for obj in child.children:
                if obj.dep_ == "pobj":
                    entity = ctx.entity_at(obj) or _entity(ctx, obj)
                    if entity and ctx.entities[entity].type is EntityType.PERSON:
                        return _Act(verb.i, entity, None, outlet)
                    if entity and ctx.entities[entity].type is not EntityType.PLACE:
                        return _Act(verb.i, None, ctx.entities[entity].name, outlet, organisation=True)
                    if obj.pos_ in ("NOUN", "PROPN"):
                        return _Act(verb.i, None, _phrase(ctx, obj), outlet, organisation=True)
    acts = _earlier_acts(state, subject)
    if acts:
        act = acts[0]
        return _Act(verb.i, act.speaker, act.description, outlet or act.outlet, act.organisation)
    return None


def _back_reference(state: _State, subject: Token, verb: Token, outlet: str | None,
                    determiner: str) -> _Act | None:
    """"The official added", "the IGP said", "that organisation added"."""
    ctx = state.ctx
    head = subject.lower_
    lemma = subject.lemma_.lower()
    acts = _earlier_acts(state, subject)
    for act in acts:
        if act.description and (head in act.description.lower() or lemma in act.description.lower()):
            return _Act(verb.i, act.speaker, act.description, outlet or act.outlet, act.organisation)
        if act.speaker:
            person = ctx.entities[act.speaker]
            if person.role and _names_role(subject, person.role):
                return _Act(verb.i, act.speaker, None, outlet or act.outlet)
    for mention in reversed([m for m in ctx.mentions if m.start < subject.i and m.entity_id]):
        person = ctx.entities[mention.entity_id]
        if person.type is EntityType.PERSON and person.role and _names_role(subject, person.role):
            return _Act(verb.i, person.id, None, outlet)
    names = state.knowledge.names
    if determiner == "the" and subject.pos_ == "NOUN" and lemma not in state.knowledge.anonymous_heads \
            and lemma not in names.organisation_heads and lemma not in names.group_heads:
        # "…, said the far-right head of state": the named person acting just before.
        people = _acting_people(state, subject)
        if people:
            return _Act(verb.i, people[-1][1], None, outlet)
    if determiner in ("this", "that") and acts:
        # "that organisation added": the last speaker of its kind.
        organisation = subject.lemma_.lower() not in state.knowledge.anonymous_heads
        for act in acts:
            if act.organisation == organisation:
                return _Act(verb.i, act.speaker, act.description, outlet or act.outlet, act.organisation)
    return None


def _names_role(subject: Token, role: str) -> bool:
    """"the spokesman" for a Spokesperson, "the IGP" for an Inspector General of Police."""
    lower = role.lower()
    if subject.lower_ in lower or subject.lemma_.lower() in lower:
        return True
    initials = "".join(w[0] for w in re.findall(r"[A-Za-z]+", role) if w[0].isupper())
    return subject.text.isupper() and len(subject.text) > 1 and subject.text == initials


def _pronoun(state: _State, subject: Token, verb: Token, outlet: str | None) -> _Act | None:
    """"he said" continues the last speaker (or a named person acting just before it),
    not whoever was named last; "it said" the last organisation speaking."""
    ctx = state.ctx
    word = subject.lower_
    acts = [a for a in _earlier_acts(state, subject) if a.token != verb.i]
    if word in _IMPERSONAL:
        act = next((a for a in acts if a.organisation), None)
        return _Act(verb.i, None, act.description, outlet or act.outlet, True) if act else None
    if word in _PERSONAL:
        acts = [a for a in acts if not a.organisation]
    people = _acting_people(state, subject)
    latest_person = people[-1] if people else None
    if acts:
        act = acts[0]
        if latest_person is None or latest_person[0] < act.token or act.speaker == latest_person[1]:
            return _Act(verb.i, act.speaker, act.description, outlet or act.outlet, act.organisation)
    if latest_person is not None:
        return _Act(verb.i, latest_person[1], None, outlet)
    described = _anonymous_before(state, subject)
    if described:
        return _Act(verb.i, None, described, outlet)
    if word in _PERSONAL:
        here = ctx.sentence_index(subject)
        named = [m for m in ctx.mentions if m.start < subject.i and m.entity_id
                 and ctx.entities[m.entity_id].type is EntityType.PERSON
                 and ctx.sentence_index(m.start) >= here - 2
                 and not state.in_quote(ctx.doc[m.start])]
        if named:
            return _Act(verb.i, named[-1].entity_id, None, outlet)
    return None


def _anonymous_before(state: _State, subject: Token) -> str | None:
    """For "he said" with nobody named: the unnamed source introduced just before
    ("A local elected official, who asked not to be named, …")."""
    ctx = state.ctx
    here = ctx.sentence_index(subject)
    for index in range(here, max(-1, here - 3), -1):
        sentence: Span = ctx.sentences[index]
        for token in reversed(list(sentence)):
            if token.i >= subject.i or state.in_quote(token):
                continue
            if token.lemma_.lower() in state.knowledge.anonymous_heads and token.pos_ == "NOUN":
                words = [t for t in token.subtree if t.i <= token.i and t.dep_ not in ("punct",)]
                return " ".join(t.text for t in words)
    return None


def _follow_on(state: _State, span: QuoteSpan, last: tuple[QuoteSpan, _Act] | None) -> _Act | None:
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
        if _is_speech_verb(state.knowledge, token) and token.i != act.token and not state.in_quote(token):
            other = _act(state, token)
            if other is not None and (other.speaker, other.description) != (act.speaker, act.description):
                return None
    return act


def _introduced(state: _State, span: QuoteSpan) -> _Act | None:
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
        if token.i < colon.start and _is_speech_verb(state.knowledge, token):
            act = _act(state, token)
            if act is not None:
                return act
    return None
