"""Typed relations between entities and events, each with its evidence sentence.

Event structure (PERPETRATED, TARGETED, OCCURRED_IN, RESPONDED_TO, PART_OF) comes from
the event stage; this module adds what articles state about actors: a group's own
claim of responsibility, kept apart from blame by others (ATTRIBUTED_TO, with who
blamed); goals (SEEKS independence for a place); demands and whom they address;
roles people hold; where groups are active; investments; the place hierarchy.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Token

from kg.extract import lexicon
from kg.extract.context import ArticleContext, EventDraft
from kg.extract.event_roles import BLAME_VERBS
from kg.extract.events import is_response, main_event
from kg.extract.gazetteer import Gazetteer
from kg.extract.knowledge import Knowledge
from kg.ids import entity_id
from kg.models import Evidence, Relation
from kg.schema import EntityType, ParticipantRole, RelType

# The relation rules' word lists, from speech.yaml `relations` (each is explained there).
_WORDS = lexicon.load_speech().relations
_GOAL_VERBS = _WORDS.goal_verbs
_DEMAND_VERBS = _WORDS.demand_verbs
_RELEASE_WORDS = _WORDS.release_words
_EVENT_NOUNS = _WORDS.event_nouns
_RELATIVE = _WORDS.relative_pronouns
_SELF = _WORDS.self_pronouns
_STATING = _WORDS.stating_verbs


@dataclass(frozen=True)
class _Vocabulary:
    claim_pairs: frozenset[tuple[str, str]]  # (verb, object): "take responsibility"
    deny_pairs: frozenset[tuple[str, str]]  # "deny involvement"
    deny_verbs: frozenset[str]  # the verbs of the deny pairs
    hedges: frozenset[str]
    negators: frozenset[str]
    own_acts: frozenset[tuple[str, str]]  # (lemma, particle or preposition or "")
    statement_nouns: frozenset[str]


@lru_cache(maxsize=1)
def _vocabulary() -> _Vocabulary:
    speech = lexicon.load_speech()
    responsibility = speech.responsibility

    def pairs(phrases: tuple[lexicon.Phrase, ...]) -> frozenset[tuple[str, str]]:
        return frozenset((p.phrase.split()[0], p.phrase.split()[-1])
                         for p in phrases if len(p.phrase.split()) >= 2)

    deny_pairs = pairs(responsibility.deny)
    acts = frozenset((a.split()[0], a.split()[1] if len(a.split()) > 1 else "")
                     for a in responsibility.own_acts)
    return _Vocabulary(
        claim_pairs=pairs(responsibility.claim), deny_pairs=deny_pairs,
        deny_verbs=frozenset(v for v, _ in deny_pairs),
        hedges=frozenset(responsibility.hedges), negators=frozenset(responsibility.negators),
        own_acts=acts, statement_nouns=frozenset(n.lower() for n in speech.statement_nouns))


@dataclass(frozen=True)
class _Stance:
    """An actor taking or denying responsibility, read at `token` (its verb)."""

    token: Token
    actor: str
    denied: bool


def find_claimant(ctx: ArticleContext) -> str | None:
    """The group that claimed responsibility, found before events (it resolves "the militants")."""
    return next((s.actor for s in _stances(ctx) if not s.denied), None)


def _claims(ctx: ArticleContext) -> list[tuple[Token, str]]:
    return [(s.token, s.actor) for s in _stances(ctx) if not s.denied]


def _stances(ctx: ArticleContext) -> list[_Stance]:
    """Claims and denials of responsibility, the negated and hedged ones left out: "no
    group has claimed", "has yet to claim", "did not claim", "may have claimed"."""
    vocabulary = _vocabulary()
    found: list[_Stance] = []
    claim_verbs = {v for v, _ in vocabulary.claim_pairs}
    verbs = claim_verbs | set(vocabulary.deny_verbs) | _STATING
    for token in ctx.tokens_with_lemma(verbs):
        if token.pos_ != "VERB" or ctx.in_quote(token):
            continue
        lemma = token.lemma_.lower()
        stance = None
        if _takes_responsibility(token, vocabulary.claim_pairs):
            stance = _stance(ctx, token, denied=False, own_deed=False)
        elif _takes_responsibility(token, vocabulary.deny_pairs):
            stance = _stance(ctx, token, denied=True, own_deed=False)
        elif lemma in _STATING:
            deed = _own_deed(token, vocabulary)
            if deed is not None and not _hedged(deed, vocabulary):
                denies = lemma in vocabulary.deny_verbs
                stance = _stance(ctx, token, denied=denies != _negated(deed, vocabulary),
                                 own_deed=True)
        if stance is not None:
            found.append(stance)
    return found


def _takes_responsibility(verb: Token, pairs: frozenset[tuple[str, str]]) -> bool:
    """"took responsibility", "claimed the bombing", "an attack claimed by X"."""
    lemma = verb.lemma_.lower()
    objects = [c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")]
    if verb.dep_ in ("acl", "relcl", "amod") and verb.head.pos_ in ("NOUN", "PROPN"):
        objects.append(verb.head)  # "an attack claimed by X", "the raid, which X claimed"
    if any((lemma, o.lemma_.lower()) in pairs
           or (_is_event_noun(o) and (lemma, "attack") in pairs) for o in objects):
        return True
    # "distanced itself from the bombing"
    return any(c.dep_ == "prep" and (lemma, c.lower_) in pairs and any(
        _is_event_noun(g) for g in c.children) for c in verb.children)


def _own_deed(verb: Token, vocabulary: _Vocabulary) -> Token | None:
    """"X said it carried out the attack", "claimed to have killed", "denied it was
    behind": the clause in which the speaker tells of its own deed."""
    for clause in verb.children:
        if clause.dep_ not in ("ccomp", "xcomp", "pcomp") or clause.pos_ not in ("VERB", "AUX"):
            continue
        if not _is_own_act(clause, vocabulary):
            continue
        subject = next((c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if clause.dep_ == "xcomp" or subject is not None and (
                subject.lower_ in _SELF or any(c.lower_ in ("its", "their", "our")
                                               for c in subject.children)):
            if subject is not None and subject.dep_ == "nsubjpass":
                continue  # "said the attack was carried out by …" is not its own deed
            return clause
    return None


def _is_own_act(clause: Token, vocabulary: _Vocabulary) -> bool:
    lemma = clause.lemma_.lower()
    extras = {c.lower_ for c in clause.children if c.dep_ in ("prt", "prep", "acomp")}
    return any(act == lemma and (not extra or extra in extras) for act, extra in vocabulary.own_acts)


def _negated(verb: Token, vocabulary: _Vocabulary) -> bool:
    """"did not claim", "never claimed", "has yet to claim", "declined to claim"."""
    chain = [verb]
    if verb.dep_ == "xcomp":
        chain.append(verb.head)
    for token in chain:
        if any(c.dep_ == "neg" or (c.dep_ in ("advmod", "aux") and c.lower_ in vocabulary.negators)
               for c in token.children):
            return True
        if token is not verb and token.lemma_.lower() in vocabulary.negators:
            return True
    return False


def _hedged(verb: Token, vocabulary: _Vocabulary) -> bool:
    """"may have claimed", "possibly took responsibility"."""
    chain = [verb, verb.head] if verb.dep_ == "xcomp" else [verb]
    return any(c.dep_ in ("aux", "advmod") and c.lower_ in vocabulary.hedges
               for token in chain for c in token.children)


def _stance(ctx: ArticleContext, verb: Token, *, denied: bool, own_deed: bool) -> _Stance | None:
    vocabulary = _vocabulary()
    if _hedged(verb, vocabulary):
        return None
    if not own_deed and _negated(verb, vocabulary):
        return None  # not claiming is no claim, and not denying no denial
    subject = _claim_subject_token(verb)
    if subject is not None and (subject.lower_ in ("nobody", "none") or any(
            c.dep_ == "det" and c.lower_ in vocabulary.negators for c in subject.children)):
        return None  # "no group has claimed"
    actor = _actor(ctx, subject, vocabulary) if subject is not None else None
    if actor is None:
        return None
    kind = ctx.entities[actor].type
    if own_deed and kind is not EntityType.GROUP:
        return None  # a state saying it struck is a perpetrator, not a claim
    if kind not in (EntityType.GROUP, EntityType.ORGANISATION):
        return None
    return _Stance(verb, actor, denied)


def _claim_subject_token(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ == "nsubj" and child.lower_ not in _RELATIVE:
            return child
        if child.dep_ == "agent":
            for obj in child.children:
                return obj
    if verb.dep_ == "relcl":
        return verb.head
    if verb.dep_ in ("conj", "advcl", "xcomp") and verb.head is not verb:
        return _claim_subject_token(verb.head)
    return None


def _actor(ctx: ArticleContext, subject: Token, vocabulary: _Vocabulary) -> str | None:
    """The entity a subject names; "a statement from X", "X's statement" speak for X."""
    if subject.lemma_.lower() in vocabulary.statement_nouns:
        for child in subject.children:
            if child.dep_ == "poss":
                return ctx.entity_at(child)
            if child.dep_ == "prep" and child.lower_ in ("from", "by", "of"):
                for obj in child.children:
                    return ctx.entity_at(obj)
        return None
    actor = ctx.entity_at(subject)
    if actor is None:
        mention = ctx.token_mention.get(subject.i)
        actor = mention.entity_id if mention and mention.entity_id else None
    if actor is None or ctx.entities[actor].type is EntityType.PLACE:
        # "The regional affiliate of the Islamic State, ISIS-K, claimed …" (its name in
        # apposition), also when the parser hangs it on a dateline ("KABUL – …").
        pending = [c for c in subject.children if c.dep_ == "appos"]
        while pending:
            token = pending.pop(0)
            named = ctx.entity_at(token)
            if named and ctx.entities[named].type in (EntityType.GROUP, EntityType.ORGANISATION):
                return named
            pending += [c for c in token.children if c.dep_ == "appos"]
    return actor


def _is_event_noun(token: Token) -> bool:
    return token.lemma_.lower() in _EVENT_NOUNS


def find_relations(ctx: ArticleContext, knowledge: Knowledge) -> list[Relation]:
    relations: list[Relation] = []
    relations += _event_relations(ctx)
    relations += _claim_relations(ctx)
    relations += _blame_relations(ctx)
    relations += _goal_relations(ctx, knowledge.names.goals)
    relations += _demand_relations(ctx)
    relations += _role_relations(ctx)
    relations += _activity_relations(ctx)
    relations += _hierarchy(ctx)
    unique: dict[tuple[str, RelType, str], Relation] = {}
    for relation in relations:
        unique.setdefault((relation.source, relation.type, relation.target), relation)
    return list(unique.values())


def _relation(source: str, type_: RelType, target: str, evidence: Evidence,
              confidence: float = 0.8, **properties: str | int | float | bool | None) -> Relation:
    return Relation(source=source, type=type_, target=target, evidence=evidence,
                    confidence=confidence, properties=properties)


def _event_relations(ctx: ArticleContext) -> list[Relation]:
    relations = []
    incident = main_event(ctx)
    for event in ctx.events:
        evidence = ctx.evidence(event.evidence_sentences[0])
        for entity, role in event.participants.items():
            if role is ParticipantRole.PERPETRATOR:
                relations.append(_relation(entity, RelType.PERPETRATED, event.id, evidence))
            elif role is ParticipantRole.TARGET:
                relations.append(_relation(event.id, RelType.TARGETED, entity, evidence))
        if event.place:
            relations.append(_relation(event.id, RelType.OCCURRED_IN, event.place, evidence))
        if event.part_of:
            relations.append(_relation(event.id, RelType.PART_OF, event.part_of, evidence))
        if is_response(ctx, event) and incident is not None and incident is not event:
            for actor in event.actors(ParticipantRole.PERPETRATOR):
                if ctx.entities[actor].type is EntityType.ORGANISATION:
                    relations.append(_relation(actor, RelType.RESPONDED_TO, incident.id, evidence))
    return relations


def _claimed_event(ctx: ArticleContext, token: Token) -> EventDraft | None:
    """What a claim in the main clause is about: the incident the story tells, not an
    earlier one a relative clause recalls ("X, which attacked a mall in 2013, claimed
    responsibility")."""
    event = _event_in_sentence(ctx, token)
    if event is None or not event.background:
        return event
    sentence = ctx.sentence_index(token)
    current = next((e for e in ctx.events if sentence in e.evidence_sentences
                    and e.part_of is None and not e.background), None)
    if current is not None:
        return current
    lead = main_event(ctx)
    main_clause = token.dep_ == "ROOT" or token.head.dep_ == "ROOT"
    return lead if main_clause and lead is not None and not lead.background else event


def _event_in_sentence(ctx: ArticleContext, token: Token) -> EventDraft | None:
    sentence = ctx.sentence_index(token)
    for event in ctx.events:
        if sentence in event.evidence_sentences and event.part_of is None:
            return event
    return main_event(ctx)


def _claim_relations(ctx: ArticleContext) -> list[Relation]:
    """A group's own claim (CLAIMED_RESPONSIBILITY) or denial (DENIED_RESPONSIBILITY): a
    denial is a statement of its own, not a claim with a negative sign, so a query for
    claims never returns one."""
    relations = []
    for stance in _stances(ctx):
        event = _claimed_event(ctx, stance.token)
        if event is None or event.claimed_by == stance.actor and event.part_of:
            continue
        type_ = RelType.DENIED_RESPONSIBILITY if stance.denied else RelType.CLAIMED_RESPONSIBILITY
        relations.append(_relation(stance.actor, type_, event.id,
                                   ctx.evidence(ctx.sentence_index(stance.token)), confidence=0.9))
    return relations


def _blame_relations(ctx: ArticleContext) -> list[Relation]:
    """Blame by others: "authorities blamed X", "X was behind the attack", "suspected X"."""
    relations = []
    for token in ctx.tokens_with_lemma(BLAME_VERBS | {"behind"}):
        if ctx.in_quote(token):
            continue
        lemma = token.lemma_.lower()
        accused: list[str] = []
        accuser: str | None = None
        if lemma in BLAME_VERBS and token.pos_ == "VERB":
            for child in token.children:
                # "blamed X", "blamed the bombing on X" (wherever the parser hangs "on X"),
                # "attributed the strike to X".
                preps = [child] if child.dep_ == "prep" else [
                    g for g in child.children if g.dep_ == "prep"] if child.dep_ == "dobj" else []
                if child.dep_ in ("dobj", "nsubjpass"):
                    target = ctx.entity_at(child)
                    if target:
                        accused.append(target)
                for prep in preps:
                    if prep.lower_ in ("on", "to"):
                        accused += [e for g in prep.children if (e := ctx.entity_at(g))]
                if child.dep_ == "nsubj":
                    accuser = ctx.entity_at(child)
        elif lemma == "behind" and token.head.lemma_ == "be":
            subject = next((c for c in token.head.children if c.dep_ == "nsubj"), None)
            if subject is not None and ctx.entity_at(subject):
                accused.append(ctx.entity_at(subject) or "")
        for target in accused:
            if ctx.entities.get(target) is None or ctx.entities[target].type not in (
                    EntityType.GROUP, EntityType.ORGANISATION):
                continue
            event = _event_in_sentence(ctx, token)
            if event is None:
                continue
            relations.append(_relation(event.id, RelType.ATTRIBUTED_TO, target,
                                       ctx.evidence(ctx.sentence_index(token)),
                                       according_to=accuser))
    return relations


def _goal_relations(ctx: ArticleContext, goals: frozenset[str]) -> list[Relation]:
    """"The BLA seeks independence for Balochistan" → SEEKS {goal: independence}."""
    relations = []
    for token in ctx.tokens_with_lemma(goals):
        if ctx.in_quote(token):
            continue
        verb = token.head if token.dep_ in ("dobj", "pobj") else None
        if verb is not None and verb.dep_ == "prep":
            verb = verb.head
        if verb is None or verb.lemma_.lower() not in _GOAL_VERBS:
            continue
        subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        if subject is None and verb.dep_ == "relcl":
            subject = verb.head
        actor = ctx.entity_at(subject) if subject is not None else None
        if actor is None and subject is not None:
            mention = ctx.token_mention.get(subject.i)
            actor = mention.entity_id if mention and mention.entity_id else None
        if actor is None or ctx.entities[actor].type not in (EntityType.GROUP, EntityType.ORGANISATION):
            continue
        for prep in token.children:
            if prep.dep_ == "prep" and prep.lower_ in ("for", "of"):
                for obj in prep.children:
                    place = ctx.entity_at(obj)
                    if place and ctx.entities[place].type is EntityType.PLACE:
                        relations.append(_relation(actor, RelType.SEEKS, place,
                                                   ctx.evidence(ctx.sentence_index(token)),
                                                   goal=token.lemma_.lower()))
    return relations


def _demand_relations(ctx: ArticleContext) -> list[Relation]:
    """Demands and whom they address: "…unless the government agreed to release prisoners"."""
    relations = []
    for token in ctx.tokens_with_lemma(_RELEASE_WORDS | _DEMAND_VERBS):
        if ctx.in_quote(token):
            continue
        lemma = token.lemma_.lower()
        addressee: str | None = None
        demand_token: Token | None = None
        if lemma in _RELEASE_WORDS and token.pos_ in ("VERB", "NOUN"):
            # "unless the Pakistani government agreed to release imprisoned members …"
            clause = token.head if token.dep_ == "xcomp" else token
            if any(c.lower_ == "unless" for c in clause.children) or clause.dep_ == "advcl":
                subject = next((c for c in clause.children if c.dep_ == "nsubj"), None)
                addressee = ctx.entity_at(subject) if subject is not None else None
                demand_token = token
        elif lemma in _DEMAND_VERBS and token.pos_ == "VERB":
            for child in token.children:
                if child.dep_ in ("dobj", "ccomp", "prep"):
                    demand_token = child
                    addressee = _addressee(ctx, child)
        if demand_token is None:
            continue
        demander = _demander(ctx, token)
        if demander is None:
            continue
        if addressee is None or ctx.entities[addressee].type not in (EntityType.ORGANISATION,
                                                                      EntityType.GROUP):
            continue
        demand = ctx.doc[demand_token.i:demand_token.right_edge.i + 1].text
        relations.append(_relation(demander, RelType.DEMANDS, addressee,
                                   ctx.evidence(ctx.sentence_index(token)), demand=demand))
    return relations


def _addressee(ctx: ArticleContext, token: Token) -> str | None:
    for t in token.subtree:
        entity = ctx.entity_at(t)
        if entity and ctx.entities[entity].type is EntityType.ORGANISATION:
            return entity
    return None


def _demander(ctx: ArticleContext, token: Token) -> str | None:
    for ancestor in [token, *token.ancestors]:
        subject = next((c for c in ancestor.children if c.dep_ == "nsubj"), None)
        if subject is not None:
            mention = ctx.token_mention.get(subject.i)
            if mention and mention.entity_id and ctx.entities[mention.entity_id].type is EntityType.GROUP:
                return mention.entity_id
    return None


def _role_relations(ctx: ArticleContext) -> list[Relation]:
    """"Balochistan Chief Minister Sarfraz Bugti" → HOLDS_ROLE {role} → Balochistan."""
    relations = []
    for person in ctx.entities.values():
        if person.type is not EntityType.PERSON or not person.role or not person.mentions:
            continue
        first = person.mentions[0]
        span = ctx.doc.char_span(first.start, first.end, alignment_mode="expand")
        if span is None:
            continue
        # Look left past the title for the place or organisation it belongs to.
        window = ctx.doc[max(0, span.start - len(person.role.split()) - 4):span.start]
        affiliation = None
        for token in reversed(list(window)):
            entity = ctx.entity_at(token)
            if entity and entity != person.id and ctx.entities[entity].type in (
                    EntityType.PLACE, EntityType.ORGANISATION, EntityType.GROUP):
                affiliation = entity
                break
        if affiliation is None:
            continue
        person.affiliation = affiliation
        relations.append(_relation(person.id, RelType.HOLDS_ROLE, affiliation,
                                   ctx.evidence(ctx.sentence_index(span.start)), role=person.role))
    return relations


def _activity_relations(ctx: ArticleContext) -> list[Relation]:
    """Groups active in a place ("has carried out attacks … in Balochistan"); investments."""
    relations = []
    investing = ctx.tokens_with_lemma(("invest",))
    for sentence_index, sentence in enumerate(ctx.sentences):
        groups = ctx.entities_in(sentence, (EntityType.GROUP,))
        places = [p for p in ctx.entities_in(sentence, (EntityType.PLACE,))
                  if ctx.entities[p].kind != "country"]
        lemmas = set(ctx.lemmas[sentence.start:sentence.end])
        if groups and places and (sentence_index in ctx.habitual_sentences
                                  or lemmas & {"operate", "active", "stronghold", "insurgency"}):
            for group in groups:
                for place in places:
                    relations.append(_relation(group, RelType.ACTIVE_IN, place,
                                               ctx.evidence(sentence_index), confidence=0.6))
        for token in investing:
            if not sentence.start <= token.i < sentence.end or token.pos_ != "VERB":
                continue
            subject = next((c for c in token.children if c.dep_ == "nsubj"), None)
            investor = ctx.entity_at(subject) if subject is not None else None
            for prep in token.children:
                if prep.dep_ == "prep" and prep.lower_ == "in" and investor:
                    for obj in prep.children:
                        invested = ctx.entity_at(obj)
                        if invested and ctx.entities[invested].type is EntityType.PLACE:
                            relations.append(_relation(investor, RelType.INVESTED_IN, invested,
                                                       ctx.evidence(sentence_index)))
    return relations


def _hierarchy(ctx: ArticleContext) -> list[Relation]:
    """Every place mentioned sits in its region and country: LOCATED_IN from the gazetteer."""
    gazetteer = Gazetteer.load()
    relations = []
    for place in list(ctx.entities.values()):
        if place.type is not EntityType.PLACE or not place.gazetteer_id or not place.mentions:
            continue
        record = gazetteer.get(place.gazetteer_id)
        if record is None:
            continue
        first = place.mentions[0]
        span = ctx.doc.char_span(first.start, first.end, alignment_mode="expand")
        evidence = ctx.evidence(ctx.sentence_index(span.start)) if span is not None else None
        if evidence is None:
            continue
        child = place.id
        for parent in gazetteer.parents(record):
            parent_id = entity_id(EntityType.PLACE, parent.name, gazetteer_id=parent.id)
            if parent_id not in ctx.entities:
                from kg.extract.mentions import place_draft

                ctx.entities[parent_id] = place_draft(parent)
            relations.append(_relation(child, RelType.LOCATED_IN, parent_id, evidence,
                                       confidence=1.0))
            child = parent_id
    return relations
