"""Who says a quotation: speech acts (a reporting verb or "according to" and its
subject), and the speaker a subject names: an entity, a description, a document's
author, or the earlier speaker a pronoun or back-reference continues.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from spacy.tokens import Span, Token

from kg.extract import lexicon
from kg.extract.context import ArticleContext
from kg.extract.knowledge import Knowledge
from kg.schema import EntityType, OrganisationKind

# Word lists of the speaker rules, from speech.yaml `speakers` (explained there).
_WORDS = lexicon.load_speech().speakers
_PERSONAL = _WORDS.personal_pronouns
_PLURAL = _WORDS.plural_pronouns
_IMPERSONAL = _WORDS.impersonal_pronouns
_DEMONSTRATIVE = _WORDS.demonstratives
_ACT_WINDOW = 8  # sentences: how far back a pronoun may find its speaker


@dataclass
class SpeechAct:
    """Somebody saying something: a reporting verb (or "according to") and who."""

    token: int  # token index of the verb
    speaker: str | None
    description: str | None
    outlet: str | None
    organisation: bool = False  # the speaker is an organisation, not a person
    referent: bool = True  # a speaker a later "he said" may continue (not "fighting continued")


@dataclass
class AttributionState:
    ctx: ArticleContext
    knowledge: Knowledge
    spans: list[tuple[int, int]]  # every quotation, however short
    acts: dict[int, SpeechAct | None] = field(default_factory=dict)  # verb index -> act (memo)
    looking_back: set[int] = field(default_factory=set)  # `_earlier_acts` calls under way

    def in_quote(self, token: Token) -> bool:
        return any(s - 1 <= token.idx < e + 1 for s, e in self.spans)


@lru_cache(maxsize=1)
def _vocabulary() -> tuple[frozenset[tuple[str, str]], frozenset[str]]:
    speech = lexicon.load_speech()
    phrasal = frozenset((v.phrase.split()[0], v.phrase.split()[-1])
                        for v in speech.reporting_verbs if len(v.phrase.split()) == 2)
    return phrasal, frozenset(n.lower() for n in speech.statement_nouns)


def is_speech_verb(knowledge: Knowledge, token: Token) -> bool:
    if token.pos_ != "VERB":
        return False
    lemma = token.lemma_.lower()
    if lemma in knowledge.speech_verbs:
        return True
    phrasal, _ = _vocabulary()
    return any((lemma, c.lower_) in phrasal for c in token.children if c.dep_ == "prt")


def according_to_act(state: AttributionState, token: Token) -> SpeechAct | None:
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


def act_of_verb(state: AttributionState, verb: Token) -> SpeechAct | None:
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


def _earlier_acts(state: AttributionState, before: Token) -> list[SpeechAct]:
    """Acts of speech before `before`, nearest first, within a few sentences."""
    if before.i in state.looking_back:
        return []  # "according to this official": resolving the act would ask again
    state.looking_back.add(before.i)
    try:
        return _earlier_acts_of(state, before)
    finally:
        state.looking_back.discard(before.i)


def _earlier_acts_of(state: AttributionState, before: Token) -> list[SpeechAct]:
    ctx = state.ctx
    here = ctx.sentence_index(before)
    found = []
    for index in range(here, max(-1, here - _ACT_WINDOW), -1):
        for token in reversed(list(ctx.sentences[index])):
            if token.i >= before.i or state.in_quote(token):
                continue
            if is_speech_verb(state.knowledge, token) and _speech_subject(token) is not None:
                act = act_of_verb(state, token)
            elif token.lower_ == "according":
                act = according_to_act(state, token)
            else:
                continue
            if act is not None and act.referent and (act.speaker or act.description):
                found.append(act)
    return found


def _acting_people(state: AttributionState, before: Token) -> list[tuple[int, str]]:
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


def _resolve(state: AttributionState, subject: Token, verb: Token, outlet: str | None) -> SpeechAct | None:
    ctx, knowledge = state.ctx, state.knowledge
    _phrasal, statements = _vocabulary()
    word = subject.lower_
    if word in _PERSONAL | _PLURAL | _IMPERSONAL:
        return _pronoun(state, subject, verb, outlet)
    entity = _entity(ctx, subject)
    if entity and ctx.entities[entity].type is EntityType.PERSON:
        return SpeechAct(verb.i, entity, None, outlet)
    # "a resident, Tukur X, said", "the governor of Y, Octavio Z": the name in apposition.
    for child in _near_subtree(subject):
        if child.dep_ == "appos":
            named = _entity(ctx, child)
            if named and ctx.entities[named].type is EntityType.PERSON:
                return SpeechAct(verb.i, named, None, outlet)
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
        return SpeechAct(verb.i, None, described, outlet, organisation=True)
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
        return SpeechAct(verb.i, None, _phrase(ctx, subject), outlet, referent=referent,
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


_PHRASE_PREPOSITIONS = _WORDS.phrase_prepositions


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


def _document(state: AttributionState, subject: Token, verb: Token, outlet: str | None) -> SpeechAct | None:
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
                        return SpeechAct(verb.i, entity, None, outlet)
                    if entity and ctx.entities[entity].type is not EntityType.PLACE:
                        return SpeechAct(verb.i, None, ctx.entities[entity].name, outlet, organisation=True)
                    if obj.pos_ in ("NOUN", "PROPN"):
                        return SpeechAct(verb.i, None, _phrase(ctx, obj), outlet, organisation=True)
    acts = _earlier_acts(state, subject)
    if acts:
        act = acts[0]
        return SpeechAct(verb.i, act.speaker, act.description, outlet or act.outlet, act.organisation)
    return None


def _back_reference(state: AttributionState, subject: Token, verb: Token, outlet: str | None,
                    determiner: str) -> SpeechAct | None:
    """"The official added", "the IGP said", "that organisation added"."""
    ctx = state.ctx
    head = subject.lower_
    lemma = subject.lemma_.lower()
    acts = _earlier_acts(state, subject)
    for act in acts:
        if act.description and (head in act.description.lower() or lemma in act.description.lower()):
            return SpeechAct(verb.i, act.speaker, act.description, outlet or act.outlet, act.organisation)
        if act.speaker:
            person = ctx.entities[act.speaker]
            if person.role and _names_role(subject, person.role):
                return SpeechAct(verb.i, act.speaker, None, outlet or act.outlet)
    for mention in reversed([m for m in ctx.mentions if m.start < subject.i and m.entity_id]):
        person = ctx.entities[mention.entity_id]
        if person.type is EntityType.PERSON and person.role and _names_role(subject, person.role):
            return SpeechAct(verb.i, person.id, None, outlet)
    names = state.knowledge.names
    if determiner == "the" and subject.pos_ == "NOUN" and lemma not in state.knowledge.anonymous_heads \
            and lemma not in names.organisation_heads and lemma not in names.group_heads:
        # "…, said the far-right head of state": the named person acting just before.
        people = _acting_people(state, subject)
        if people:
            return SpeechAct(verb.i, people[-1][1], None, outlet)
    if determiner in ("this", "that") and acts:
        # "that organisation added": the last speaker of its kind.
        organisation = subject.lemma_.lower() not in state.knowledge.anonymous_heads
        for act in acts:
            if act.organisation == organisation:
                return SpeechAct(verb.i, act.speaker, act.description, outlet or act.outlet, act.organisation)
    return None


def _names_role(subject: Token, role: str) -> bool:
    """"the spokesman" for a Spokesperson, "the IGP" for an Inspector General of Police."""
    lower = role.lower()
    if subject.lower_ in lower or subject.lemma_.lower() in lower:
        return True
    initials = "".join(w[0] for w in re.findall(r"[A-Za-z]+", role) if w[0].isupper())
    return subject.text.isupper() and len(subject.text) > 1 and subject.text == initials


def _pronoun(state: AttributionState, subject: Token, verb: Token, outlet: str | None) -> SpeechAct | None:
    """"he said" continues the last speaker (or a named person acting just before it),
    not whoever was named last; "it said" the last organisation speaking."""
    ctx = state.ctx
    word = subject.lower_
    acts = [a for a in _earlier_acts(state, subject) if a.token != verb.i]
    if word in _IMPERSONAL:
        act = next((a for a in acts if a.organisation), None)
        return SpeechAct(verb.i, None, act.description, outlet or act.outlet, True) if act else None
    if word in _PERSONAL:
        acts = [a for a in acts if not a.organisation]
    people = _acting_people(state, subject)
    latest_person = people[-1] if people else None
    if acts:
        act = acts[0]
        if latest_person is None or latest_person[0] < act.token or act.speaker == latest_person[1]:
            return SpeechAct(verb.i, act.speaker, act.description, outlet or act.outlet, act.organisation)
    if latest_person is not None:
        return SpeechAct(verb.i, latest_person[1], None, outlet)
    described = _anonymous_before(state, subject)
    if described:
        return SpeechAct(verb.i, None, described, outlet)
    if word in _PERSONAL:
        here = ctx.sentence_index(subject)
        named = [m for m in ctx.mentions if m.start < subject.i and m.entity_id
                 and ctx.entities[m.entity_id].type is EntityType.PERSON
                 and ctx.sentence_index(m.start) >= here - 2
                 and not state.in_quote(ctx.doc[m.start])]
        if named:
            return SpeechAct(verb.i, named[-1].entity_id, None, outlet)
    return None


def _anonymous_before(state: AttributionState, subject: Token) -> str | None:
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
