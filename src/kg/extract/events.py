"""Events: trigger words become event mentions, and mentions become incidents.

Each sentence is scanned for event triggers (`event_triggers.yaml`). A trigger word that
is a threat, a plan, a denial, a description ("the slain militants") or a habitual
statement ("has carried out attacks for two decades") is no event. Each other trigger
becomes a mention with its actors (`event_roles`), its place and date (`event_setting`)
and the discourse cues around it (a definite "the attack", "in a separate incident",
"last month"). `incidents.segment` groups the mentions into events on positive evidence
only; `event_setting` then fills what an event's own words leave open.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from spacy.attrs import LOWER, ORTH
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc, Token
from spacy.vocab import Vocab

from kg.extract import event_roles as roles
from kg.extract import event_setting as setting
from kg.extract import incidents, lexicon
from kg.extract.context import ArticleContext, EventDraft
from kg.extract.knowledge import Knowledge
from kg.extract.lang.en.dates import resolve_date, weekday_named
from kg.extract.lexicon import Trigger, load_event_triggers
from kg.ids import local_id
from kg.schema import DatePrecision, EventType, ParticipantRole

# The rules' word lists, read once from the `sets` of event_triggers.yaml (each is explained
# there); which types come from the air, are protests or responses is in its `types`.
_WORDS = load_event_triggers()
_HABITUAL = _WORDS.word_set("habitual_adverbs")
_IRREALIS = _WORDS.word_set("irrealis_words")
_DEFINITE = _WORDS.word_set("definite_determiners")
_ASPECT_VERBS = _WORDS.word_set("aspect_verbs")
_MASS_NOUNS = _WORDS.word_set("mass_nouns")
_HABITUAL_OBJECTS = _WORDS.word_set("habitual_objects")
# Dependencies that start a clause of their own: irrealis cues do not reach across them.
_CLAUSE_EDGES = {"ccomp", "advcl", "relcl", "parataxis", "conj", "pcomp"}


def find_events(ctx: ArticleContext, knowledge: Knowledge, matcher: TriggerMatcher) -> None:
    mentions: list[EventDraft] = []
    found = _triggers(ctx, knowledge, matcher)
    ctx.trigger_heads = {token.i for token, _ in found}
    for token, candidates in found:
        if _irrealis(token) or _modifier(ctx, token):
            continue
        index = ctx.sentence_index(token)
        draft = next((d for d in (_event_mention(ctx, knowledge, token, t, index) for t in candidates)
                      if d is not None), None)
        if draft is None:
            continue
        if draft.habitual:
            # "has carried out attacks for two decades" tells no incident and joins none.
            ctx.habitual_sentences.add(index)
            continue
        if not draft.actors(ParticipantRole.PERPETRATOR) and _pronoun_subject(token) and mentions:
            # "They then went on to the next village and shot nine": the actors told last.
            last = next((a for m in reversed(mentions) for a in m.actors(ParticipantRole.PERPETRATOR)), None)
            if last is not None:
                draft.add_participant(last, ParticipantRole.PERPETRATOR)
        draft.token = token.i
        draft.tokens = {token.i}
        draft.against_attackers = draft.weak and _against_attackers(token, knowledge)
        draft.summary = _summary(token, knowledge)
        draft.quoted = ctx.in_quote(token)
        draft.definite = _definite(token)
        draft.separate, draft.background = _other_incident(ctx, knowledge, token, index,
                                                            draft.definite)
        if incidents.long_before(draft.date, ctx.article.published) or _actors_past(token, draft):
            draft.separate = draft.background = True  # "laid siege to the city in 2017"
        mentions.append(draft)
    _share_in_clause(ctx, mentions)
    events = incidents.segment(ctx, mentions)
    for number, event in enumerate(events, start=1):
        event.id = local_id("event", ctx.article.id, number)
    ctx.events = events
    setting.fill_defaults(ctx, knowledge)
    incidents.mark_background(ctx, ctx.events)
    incidents.link_phases(ctx, ctx.events)
    setting.inherit_dates(ctx)


class TriggerMatcher:
    """Finds trigger phrases with their inflections, built once per process.

    Phrases without gaps go through a PhraseMatcher over every inflected form, which
    costs one hash lookup per token; only the few phrases that allow words between
    their parts ("took all passengers hostage") need the slower token Matcher.
    """

    def __init__(self, vocab: Vocab, tokenizer: Tokenizer, knowledge: Knowledge) -> None:
        self.triggers = knowledge.triggers.all_triggers()
        self.phrases = PhraseMatcher(vocab, attr="LOWER")
        self.exact_case = PhraseMatcher(vocab, attr="ORTH")
        self.gapped = Matcher(vocab)
        # Per gapped pattern, per word: the hashes of the forms that word may take.
        self._gapped_words: list[list[tuple[int, frozenset[int]]]] = []
        for number, trigger in enumerate(self.triggers):
            if trigger.max_gap:
                pattern = trigger.pattern()
                self.gapped.add(str(number), [pattern])
                self._gapped_words.append(_word_hashes(vocab, pattern))
                continue
            forms = sorted(lexicon.phrase_forms(trigger.phrase, trigger.pos))
            target = self.exact_case if trigger.lowercase_only else self.phrases
            target.add(str(number), list(tokenizer.pipe(forms)))

    def __call__(self, doc: Doc) -> list[tuple[Trigger, int, int]]:
        matches = [*self.phrases(doc), *self.exact_case(doc)]
        if self._gapped_may_match(doc):
            matches += self.gapped(doc)
        return [(self.triggers[int(doc.vocab.strings[match_id])], start, end)
                for match_id, start, end in matches]

    def _gapped_may_match(self, doc: Doc) -> bool:
        """Whether every word of some gapped pattern occurs in `doc`. The token Matcher
        steps each pattern through every token, which cost more than all the other rules
        together; most articles contain none of these phrases."""
        present = {attr: set(doc.to_array(attr).tolist()) for attr in (LOWER, ORTH)}
        return any(all(present[attr] & hashes for attr, hashes in words)
                   for words in self._gapped_words)


def _word_hashes(vocab: Vocab, pattern: list[dict[str, Any]]) -> list[tuple[int, frozenset[int]]]:
    """(attribute, hashes of its allowed values) for each word of a `phrase_pattern`."""
    words = []
    for token in pattern:
        for name, attr in (("LOWER", LOWER), ("ORTH", ORTH)):
            if name in token:
                value = token[name]
                forms = value["IN"] if isinstance(value, dict) else [value]
                words.append((attr, frozenset(vocab.strings.add(f) for f in forms)))
    return words


def _triggers(ctx: ArticleContext, knowledge: Knowledge,
              matcher: TriggerMatcher) -> list[tuple[Token, list[Trigger]]]:
    """Each trigger token of the article with the triggers it may be, most specific first.

    A word can be several triggers ("raided" by the state is an operation, by a group an
    attack); the first whose constraints hold names the mention.
    """
    doc = ctx.doc
    found: dict[int, list[Trigger]] = {}
    for trigger, start, end in matcher(doc):
        index = ctx.sentence_index(start)
        if end > ctx.sentences[index].end or not trigger.allowed_in(ctx.sentence_texts[index]):
            continue
        # The head of a verb phrase is its first word, of a noun phrase its last.
        head = doc[end - 1 if trigger.nominal else start]
        if trigger.objects and not _object_in(head, trigger.objects):
            continue
        found.setdefault(head.i, []).append(trigger)
    return [(doc[i], sorted(triggers, key=knowledge.trigger_rank, reverse=True))
            for i, triggers in sorted(found.items())]


def _object_in(head: Token, objects: tuple[str, ...]) -> bool:
    """Whether the trigger's object (or the noun it heads) is one of `objects`."""
    wanted = {o.lower() for o in objects}
    candidates = [c for c in head.children if c.dep_ in ("dobj", "nsubjpass", "pobj", "attr")]
    for prep in (c for c in head.children if c.dep_ == "prep"):
        candidates += [c for c in prep.children if c.dep_ == "pobj"]
    if head.pos_ in ("NOUN", "PROPN"):
        candidates.append(head)
    for token in candidates:
        words = {token.lower_, token.lemma_.lower(),
                 " ".join(t.lower_ for t in token.lefts if t.dep_ == "compound") + " " + token.lower_}
        if words & wanted:
            return True
    return False


def _irrealis(token: Token) -> bool:
    """Threats, plans and denials are not events: "threatening to execute them".

    The look-up stays inside the trigger's clause: in "denied the charge, saying they had
    repelled the attack" the denial governs another clause than the attack.
    """
    node = token
    for _ in range(4):
        if node is not token and node.lemma_.lower() in _IRREALIS:
            return True
        if node is token and any(child.dep_ == "neg" for child in node.children):
            return True
        if (node.dep_ == "prep" and node.lower_ == "without") or (
                node.head.dep_ == "prep" and node.head.lower_ == "without"):
            return True  # "arrested without firing a shot"
        if node is token and _purpose(node):
            return True  # "a bomb that was to be used to attack a patrol"
        if any(child.lemma_.lower() in ("could", "would", "might") and child.dep_ == "aux"
               for child in node.children):
            return True
        if node.dep_ in _CLAUSE_EDGES or node.head is node:
            return False
        node = node.head
    return False


def _purpose(verb: Token) -> bool:
    """An infinitive of purpose or intent ("designed to kill", "to be used to attack"), not
    an aspect ("began to shell", "went on to kill")."""
    if verb.pos_ != "VERB" or verb.dep_ not in ("advcl", "xcomp", "acl", "relcl"):
        return False
    if not any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children):
        return False
    return verb.head.lemma_.lower() not in _ASPECT_VERBS


def _against_attackers(trigger: Token, knowledge: Knowledge) -> bool:
    """"All the attackers were killed", "the army said it killed 15 militants in return": the
    end of the incident the attackers carried out, not an incident of its own (when the
    mention names no place or day of its own)."""
    verb = roles.governing_verb(trigger)
    words = set(knowledge.triggers.sets.get("unnamed_armed", ()))
    patients = [c for c in verb.children if c.dep_ in ("nsubjpass", "dobj")]
    return any(p.lemma_.lower() in words and any(
        d.lower_ in _DEFINITE or d.lower_ == "all" or d.dep_ == "nummod" for d in p.children)
               for p in patients)


def _share_in_clause(ctx: ArticleContext, mentions: list[EventDraft]) -> None:
    """Words of one clause tell one happening: "a truck bomb that killed 325 in Karrada in
    July", "five assailants including the suicide bomber attacked the party in Ain Tamr".
    A mention takes the place, day and background of a mention of its class that governs
    it or that it governs, where it has none of its own."""
    groups = ctx.event_types
    for a in mentions:
        for b in mentions:
            if a is b or a.sentence != b.sentence or groups.event_class(a.type) != \
                    groups.event_class(b.type):
                continue
            if not _one_clause(ctx.doc[a.token], ctx.doc[b.token]):
                continue
            if a.place is None and b.place is not None:
                a.place, a.place_near = b.place, b.place_near
            if a.date is None and b.date is not None:
                a.date = b.date
            a.weekday = a.weekday or b.weekday
            a.background = a.background or b.background
            a.separate = a.separate or b.separate


def _one_clause(a: Token, b: Token) -> bool:
    """Whether one trigger governs the other with no other verb between them: "a truck bomb
    that killed 325", but not "killed … as troops pursue a group that laid siege to X"."""
    low, high = (a, b) if b in a.ancestors else (b, a) if a in b.ancestors else (None, None)
    if low is None or high is None:
        return False
    own = {roles.governing_verb(a).i, roles.governing_verb(b).i, a.i, b.i}
    node = low.head
    while node.i != high.i:
        if node.pos_ in ("VERB", "AUX") and node.i not in own:
            return False
        node = node.head
    return True


def _pronoun_subject(token: Token) -> bool:
    verb = roles.governing_verb(token)
    while verb.dep_ == "conj" and not any(c.dep_ == "nsubj" for c in verb.children):
        verb = verb.head
    return any(c.dep_ == "nsubj" and c.lower_ in ("they", "he", "she") for c in verb.children)


def _summary(token: Token, knowledge: Knowledge) -> bool:
    """A plural incident noun sums up several incidents ("attacks on two villages", "Israeli
    strikes across the Strip"); the story tells them one by one after it."""
    return (token.pos_ == "NOUN" and token.tag_ == "NNS"
            and token.lemma_.lower() in knowledge.triggers.sets.get("summary_nouns", ())
            and not _one_target(token))


def _one_target(token: Token) -> bool:
    """Several strikes on one thing are one incident: "a bus was hit by airstrikes",
    "airstrikes hit the market", "raids on a camp" (but "strikes on two towns", "strikes
    on Gaza" and "attacks killed 25" sum up)."""
    verb = None
    if token.dep_ == "nsubj":
        verb = token.head
    elif token.dep_ == "pobj" and token.head.dep_ == "agent":
        verb = token.head.head
    patients = [c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")] if verb is not None else []
    patients += [g for c in token.children if c.dep_ == "prep" and c.lower_ in ("on", "against")
                 for g in c.children if g.dep_ == "pobj"]
    return any(p.tag_ == "NN" and not p.conjuncts for p in patients)


def _modifier(ctx: ArticleContext, token: Token) -> bool:
    """A trigger word that only describes something else: "the arrested men", "an arrest
    warrant" (but "a bomb attack" is the attack's own word)."""
    if token.dep_ == "amod":
        return True  # "the slain militants", "anti-coup fighters"
    return token.dep_ == "compound" and token.head.i not in ctx.trigger_heads


def _definite(token: Token) -> bool:
    """A nominal trigger that refers back: "the attack", "this blast", "Friday's ambush"."""
    if token.pos_ not in ("NOUN", "PROPN"):
        return False
    return any((c.dep_ == "det" and c.lower_ in _DEFINITE) or c.dep_ == "poss"
               for c in token.children)


def _other_incident(ctx: ArticleContext, knowledge: Knowledge, token: Token, index: int,
                    definite: bool) -> tuple[bool, bool]:
    """(separate, background): whether discourse cues put the mention in another incident
    than the one told before it, and whether that incident is earlier context."""
    sets = knowledge.triggers.sets
    background = _background_phrase(ctx, index, token, sets.get("background_phrases", ())) or _pluperfect(token)
    # "comes two days after an attack on …", "since an ambush in May"
    for ancestor in list(token.ancestors)[:2]:
        if (ancestor.dep_ == "prep" and ancestor.lower_ in sets.get("before_after", ())
                and token.pos_ == "NOUN" and not definite):
            background = True
    # "the first since forces dislodged the militants": a clause of what came before.
    if any(c.dep_ == "mark" and c.lower_ == "since" for c in roles.governing_verb(token).children):
        background = True
    words = {w.lower() for w in ctx.token_texts[ctx.sentences[index].start:ctx.sentences[index].end]}
    separate = background or bool(words & set(sets.get("separate_sentence_words", ()))) or any(
        c.lower_ in sets.get("separate_modifiers", ()) for c in token.children)
    return separate, background


def _background_phrase(ctx: ArticleContext, index: int, token: Token, phrases: Sequence[str]) -> bool:
    """A phrase of earlier time ("last year", "earlier this month") in the mention's clause or
    a clause above it. One in a clause of its own speaks of something else: "kidnapped by a
    gang that was behind the abduction of two priests earlier this year"."""
    sentence = ctx.sentences[index]
    text = ctx.sentence_texts[index].lower()
    above: set[int] | None = None
    for phrase in phrases:
        at = text.find(phrase)
        while at >= 0:
            begin = sentence.start_char + at + len(phrase) - len(phrase.lstrip())
            where = ctx.doc.char_span(begin, begin + len(phrase.strip()), alignment_mode="expand")
            if where is None or len(where) == 0:
                return True
            above = above if above is not None else _clause_and_above(token)
            if _clause_verb(where.root).i in above:
                return True
            at = text.find(phrase, at + 1)
    return False


def _actors_past(token: Token, draft: EventDraft) -> bool:
    """"the group, which carried out an assault on a mall in 2013, claimed …": a relative
    clause on a name, dated no closer than a month, tells the actor's record, even when the
    report's own date is unknown."""
    if draft.date is None or draft.date[1] not in (DatePrecision.YEAR, DatePrecision.MONTH):
        return False
    verb = _clause_verb(token)
    return verb.dep_ == "relcl" and verb.head.pos_ == "PROPN"


def _clause_and_above(token: Token) -> set[int]:
    """The token's clause verb and every verb it hangs under: where a phrase scopes over it."""
    own = _clause_verb(token)
    return {own.i, *(a.i for a in own.ancestors)}


def _clause_verb(token: Token) -> Token:
    """The verb of the clause a token stands in (the token itself when it is one)."""
    for candidate in (token, *token.ancestors):
        if candidate.pos_ in ("VERB", "AUX") and candidate.dep_ not in ("aux", "auxpass"):
            return candidate
    return token.sent.root


def _pluperfect(token: Token) -> bool:
    """"had stormed the village": told as earlier than the story's events. Reported speech
    shifts tenses back ("said they had attacked"), so a clause under a verb of saying is not."""
    verb = roles.governing_verb(token)
    if verb.dep_ not in ("ROOT", "conj") or (verb.dep_ == "conj" and verb.head.dep_ != "ROOT"):
        return False  # a relative or reported clause keeps the story's time
    return any(c.dep_ == "aux" and c.lower_ == "had" for c in verb.children) and verb.tag_ == "VBN"


def _particular(ctx: ArticleContext, index: int) -> bool:
    """A sentence that counts or dates what it tells ("strikes … have killed 28", "protests
    in mid-2013") speaks of particular happenings, bare plurals and all."""
    sentence = ctx.sentences[index]
    if any(t.like_num and t.pos_ == "NUM" for t in sentence):
        return True
    return any(ent.label_ == "DATE" and (resolve_date(ent.text, ctx.article.published) is not None
                                         or weekday_named(ent.text) is not None)
               for ent in ctx.sentence_ents[index])


def _bare_plural(token: Token) -> bool:
    """"attacks on trains", "intense fighting", but not "attacks on two villages" (counted)."""
    return (token.tag_ in ("NNS", "NNPS") or token.lemma_.lower() in _MASS_NOUNS) and not any(
        c.dep_ in ("det", "nummod", "poss") for c in token.children) and not any(
        t.like_num for t in token.subtree)


def _habitual(ctx: ArticleContext, token: Token, index: int) -> bool:
    """Generic statements: "has carried out attacks", "attacks on trains are frequent"."""
    sentence = ctx.sentences[index]
    if _bare_plural(token) and not _particular(ctx, index):
        return True
    if token.pos_ == "VERB" and any(c.dep_ == "dobj" and _bare_plural(c)
                                    and c.lemma_.lower() in _HABITUAL_OBJECTS for c in token.children):
        return True
    habits = [sentence.start + k for k, word in enumerate(ctx.token_lowers[sentence.start:sentence.end])
              if word in _HABITUAL]
    if habits:
        above = _clause_and_above(token)
        if any(_clause_verb(ctx.doc[i]).i in above for i in habits):
            return True  # "… targeted worshippers, when mosques often overflow" is no habit
    if any(a.lemma_.lower() == "continue" for a in list(roles.governing_verb(token).ancestors)[:3]):
        return True  # "the group continues to carry out attacks, targeting …"
    spans = [ent for ent in ctx.sentence_ents[index] if ent.label_ == "DATE"
             and any(w in ent.text.lower() for w in ("decade", "years", "for ", "over "))
             and resolve_date(ent.text, None) is None]
    return bool(spans) and any(_clause_verb(ent.root).i in _clause_and_above(token)
                               and not _comparison(ent.root) for ent in spans)


def _comparison(token: Token) -> bool:
    """"the first such attack in five years", "the deadliest in a decade": a span of time
    that ranks the incident, not a habit."""
    for ancestor in token.ancestors:
        if ancestor.pos_ in ("VERB", "AUX"):
            return False
        if any(c.dep_ == "amod" and (c.tag_ == "JJS" or c.ent_type_ == "ORDINAL") for c in ancestor.children):
            return True
    return False


def _event_mention(ctx: ArticleContext, knowledge: Knowledge, token: Token, trigger: Trigger,
                   index: int) -> EventDraft | None:
    draft = EventDraft(id="", type=trigger.type, trigger=token.text, sentence=index,
                       rank=knowledge.trigger_rank(trigger), evidence_sentences=[index],
                       weak=knowledge.triggers.is_weak(trigger))
    if _found_weapon(token, knowledge):
        return None
    draft.habitual = _habitual(ctx, token, index)
    perpetrator, targets, reporter = roles.roles(ctx, knowledge, token)
    if trigger.actor != "any" and not (perpetrator and roles.actor_fits(ctx, perpetrator, trigger.actor)):
        return None  # "raided" by an unnamed actor may be the militants' raid or the army's
    if trigger.if_armed_target and any(roles.armed(ctx, t) for t in targets):
        draft.type = trigger.if_armed_target
    if draft.type in ctx.event_types.from_the_air and _aircraft_in(token, knowledge):
        # "a military jet dropped two bombs", "attacked Kharkiv with drones": from the air.
        draft.type = EventType.AIR_STRIKE
        draft.rank = knowledge.triggers.types[EventType.AIR_STRIKE].rank
    draft.claimant = roles.claimant(ctx, token)
    if draft.type in ctx.event_types.protest_roles:
        perpetrator, responder = roles.protest_roles(ctx, knowledge, token, perpetrator)
        if responder:
            draft.add_participant(responder, ParticipantRole.RESPONDER)
    for side in roles.sides(ctx, knowledge, token):
        draft.add_participant(side, ParticipantRole.PERPETRATOR)
    if perpetrator:
        draft.add_participant(perpetrator, ParticipantRole.PERPETRATOR)
        if reporter == perpetrator:
            draft.claimed_by = perpetrator
    for target in targets:
        if target != perpetrator:
            draft.add_participant(target, ParticipantRole.TARGET)
    draft.place = setting.place_of(ctx, knowledge, token)
    draft.place_near = draft.place is not None and any(
        setting.near(ctx.doc[m.end - 1]) for m in ctx.sentence_mentions(index)
        if m.entity_id == draft.place)
    resolved, draft.weekday = setting.date_of(ctx, token)
    if resolved is not None:
        draft.date = (resolved.date, resolved.precision, resolved.text)
    return draft


def _found_weapon(trigger: Token, knowledge: Knowledge) -> bool:
    """"A bomb was discovered in a car", "police defused the device": no explosion happened."""
    if trigger.pos_ not in ("NOUN", "PROPN"):
        return False
    verbs = knowledge.triggers.sets.get("found_verbs", ())
    governors = [trigger.head] + [c for c in trigger.children if c.dep_ in ("acl", "relcl")]
    return any(v.pos_ == "VERB" and v.lemma_.lower() in verbs for v in governors)


def _aircraft_in(trigger: Token, knowledge: Knowledge) -> bool:
    """Whether an aircraft or drone delivers the act: named in the trigger's own phrase, as
    the acting subject, or as its means ("with drones", "from a helicopter"). An aircraft
    elsewhere in the sentence ("shot in the air", "the downing of a helicopter") is not."""
    words = knowledge.triggers.sets.get("aircraft_words", ())
    verb = roles.governing_verb(trigger)
    if verb is trigger and trigger.dep_ == "dobj":
        verb = trigger.head  # "a jet dropped two bombs"
    phrases = [trigger.subtree]
    for child in verb.children:
        if child.dep_ in ("nsubj", "agent") or (child.dep_ == "prep" and child.lower_ in
                                                ("with", "by", "from")):
            phrases.append(child.subtree)
    return any((t.lower_ in words or t.lemma_.lower() in words)
               and not any(c.lower_ == "suicide" for c in t.children)  # a suicide bomber
               for phrase in phrases for t in phrase if t.lower_ != "air" or t.head.i == trigger.i)


def event_for_sentence(ctx: ArticleContext, sentence: int) -> EventDraft | None:
    """The event a sentence speaks of, if any: used to attach figures and quotes."""
    for event in ctx.events:
        if sentence in event.evidence_sentences:
            return event
    return None


def main_event(ctx: ArticleContext) -> EventDraft | None:
    return incidents.main_event(ctx)


def is_response(ctx: ArticleContext, event: EventDraft) -> bool:
    """The state's answer to an incident (an operation, arrests): see `types` in the data."""
    return event.type in ctx.event_types.responses
