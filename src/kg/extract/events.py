"""Events: trigger words, their participants, place and date, grouped into incidents.

Each sentence is scanned for event triggers (`event_triggers.yaml`). A trigger's
participants come from the dependency parse: the subject of an active trigger verb or
the agent of a passive one is the perpetrator, its object the target. Mentions of
one incident across sentences ("ambushed", "the attack", "took hostages") are merged
when their types are compatible and their perpetrators, places and dates do not
conflict; the most specific trigger names the event. Habitual statements ("has carried
out attacks for two decades") and threats ("threatening to execute") are not events.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from spacy.attrs import LOWER, ORTH
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc, Token
from spacy.vocab import Vocab

from kg.extract import incidents, lexicon
from kg.extract.context import ArticleContext, EntityDraft, EventDraft, TokenMention
from kg.extract.dates import ResolvedDate, resolve_date, weekday_named
from kg.extract.knowledge import Knowledge
from kg.extract.lexicon import Trigger
from kg.ids import entity_id, local_id
from kg.schema import ActorKind, DatePrecision, EntityType, EventType, ParticipantRole, TargetKind

# Types that become an air strike when an aircraft or drone delivers them.
_FROM_THE_AIR = {EventType.ATTACK, EventType.BOMBING, EventType.GRENADE_ATTACK}

_SUPPORT_VERBS = {"launch", "carry", "stage", "mount", "conduct", "claim", "commit", "perpetrate",
                  "begin", "start", "unleash", "execute", "initiate", "lead", "plan", "take"}
_HABITUAL = {"frequently", "regularly", "routinely", "often", "repeatedly", "usually", "typically"}
_IRREALIS = {"threaten", "vow", "warn", "plan", "intend", "seek", "want", "aim", "try", "demand",
             "attempt", "could", "would", "might", "may", "fear", "prevent", "avoid", "deny"}
_ROUTE_PREPS = {"from", "to", "toward", "towards", "via"}
# Dependencies that start a clause of their own: irrealis cues do not reach across them.
_CLAUSE_EDGES = {"ccomp", "advcl", "relcl", "parataxis", "conj", "pcomp"}
_DEFINITE = {"the", "this", "that", "these", "those"}
# Event nouns used without a count: "intense fighting", "years of violence".
_MASS_NOUNS = {"fighting", "violence", "unrest", "shelling", "bombardment", "insurgency"}
_PERPETRATORS = (EntityType.GROUP, EntityType.ORGANISATION, EntityType.PERSON, EntityType.ACTOR)
# Verbs that date a statement, not the act it reports.
_STATEMENT_VERBS = {"say", "tell", "announce", "claim", "report", "state", "confirm", "add",
                    "publish", "release", "issue", "condemn", "deny", "post"}

_PLACE_PREPS = {"in", "at", "near", "outside", "inside", "across", "around", "on", "into", "of"}
# Verbs of blame: their objects are accused, not attacked ("blamed the bombing on X").
BLAME_VERBS = {"blame", "accuse", "attribute", "suspect", "hold"}
_BOUNDARIES = {"border", "frontier", "boundary", "borderline"}
_PRONOUNS = {"it", "they", "we", "he", "she", "them"}


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
        draft.against_attackers = draft.weak and _against_attackers(token, knowledge)
        draft.summary = _summary(token, knowledge)
        draft.quoted = ctx.in_quote(token)
        draft.definite = _definite(token)
        draft.separate, draft.background = _other_incident(ctx, knowledge, token, index,
                                                            draft.definite)
        mentions.append(draft)
    _share_in_clause(ctx, mentions)
    events = incidents.segment(ctx, mentions)
    for number, event in enumerate(events, start=1):
        event.id = local_id("event", ctx.article.id, number)
    ctx.events = events
    _fill_defaults(ctx, knowledge)
    incidents.mark_background(ctx, ctx.events)
    incidents.link_phases(ctx, ctx.events)
    _inherit_dates(ctx)


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
        if node.dep_ == "prep" and node.lower_ == "without":
            return True  # "arrested without firing a shot"
        if any(child.lemma_.lower() in ("could", "would", "might") and child.dep_ == "aux"
               for child in node.children):
            return True
        if node.dep_ in _CLAUSE_EDGES or node.head is node:
            return False
        node = node.head
    return False


def _against_attackers(trigger: Token, knowledge: Knowledge) -> bool:
    """"All the attackers were killed", "security forces killed the gunmen": the end of the
    incident the attackers carried out, not an incident of its own."""
    verb = _governing_verb(trigger)
    words = set(knowledge.triggers.sets.get("unnamed_armed", ()))
    patients = [c for c in verb.children if c.dep_ in ("nsubjpass", "dobj")]
    return any(p.lemma_.lower() in words and any(d.lower_ in _DEFINITE or d.lower_ == "all"
                                                 for d in p.children)
               for p in patients)


def _share_in_clause(ctx: ArticleContext, mentions: list[EventDraft]) -> None:
    """Words of one clause tell one happening: "a truck bomb that killed 325 in Karrada in
    July", "five assailants including the suicide bomber attacked the party in Ain Tamr".
    A mention takes the place, day and background of a mention of its class that governs
    it or that it governs, where it has none of its own."""
    for a in mentions:
        for b in mentions:
            if a is b or a.sentence != b.sentence or incidents.event_class(a.type) != \
                    incidents.event_class(b.type):
                continue
            token_a, token_b = ctx.doc[a.token], ctx.doc[b.token]
            if not (token_b in token_a.ancestors or token_a in token_b.ancestors):
                continue
            if a.place is None and b.place is not None:
                a.place, a.place_near = b.place, b.place_near
            if a.date is None and b.date is not None:
                a.date = b.date
            a.weekday = a.weekday or b.weekday
            a.background = a.background or b.background
            a.separate = a.separate or b.separate


def _pronoun_subject(token: Token) -> bool:
    verb = _governing_verb(token)
    while verb.dep_ == "conj" and not any(c.dep_ == "nsubj" for c in verb.children):
        verb = verb.head
    return any(c.dep_ == "nsubj" and c.lower_ in ("they", "he", "she") for c in verb.children)


def _summary(token: Token, knowledge: Knowledge) -> bool:
    """A plural incident noun sums up several incidents ("attacks on two villages", "Israeli
    strikes across the Strip"); the story tells them one by one after it."""
    return (token.pos_ == "NOUN" and token.tag_ == "NNS"
            and token.lemma_.lower() in knowledge.triggers.sets.get("summary_nouns", ()))


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
    sentence = ctx.sentence_texts[index].lower()
    background = any(cue in sentence for cue in sets.get("background_phrases", ())) or _pluperfect(token)
    # "comes two days after an attack on …", "since an ambush in May"
    for ancestor in list(token.ancestors)[:2]:
        if (ancestor.dep_ == "prep" and ancestor.lower_ in sets.get("before_after", ())
                and token.pos_ == "NOUN" and not definite):
            background = True
    # "the first since forces dislodged the militants": a clause of what came before.
    if any(c.dep_ == "mark" and c.lower_ == "since" for c in _governing_verb(token).children):
        background = True
    words = {w.lower() for w in ctx.token_texts[ctx.sentences[index].start:ctx.sentences[index].end]}
    separate = background or bool(words & set(sets.get("separate_sentence_words", ()))) or any(
        c.lower_ in sets.get("separate_modifiers", ()) for c in token.children)
    return separate, background


def _pluperfect(token: Token) -> bool:
    """"had stormed the village": told as earlier than the story's events. Reported speech
    shifts tenses back ("said they had attacked"), so a clause under a verb of saying is not."""
    verb = _governing_verb(token)
    if verb.dep_ not in ("ROOT", "conj") or (verb.dep_ == "conj" and verb.head.dep_ != "ROOT"):
        return False  # a relative or reported clause keeps the story's time
    return any(c.dep_ == "aux" and c.lower_ == "had" for c in verb.children) and verb.tag_ == "VBN"


def _particular(ctx: ArticleContext, index: int) -> bool:
    """A sentence that counts or dates what it tells ("strikes … have killed 28", "protests
    in mid-2013") speaks of particular happenings, bare plurals and all."""
    sentence = ctx.sentences[index]
    if any(t.like_num and t.pos_ == "NUM" for t in sentence):
        return True
    return any(ent.label_ == "DATE" and resolve_date(ent.text, ctx.article.published) is not None
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
    if token.pos_ == "VERB" and any(c.dep_ == "dobj" and _bare_plural(c) and c.lemma_.lower() in (
            "attack", "bombing", "raid", "ambush", "killing", "abduction", "kidnapping", "strike")
            for c in token.children):
        return True
    if any(w.lower() in _HABITUAL for w in ctx.token_texts[sentence.start:sentence.end]):
        return True
    if _governing_verb(token).head.lemma_.lower() == "continue":
        return True  # "the group continues to carry out attacks"
    return any(ent.label_ == "DATE" and resolve_date(ent.text, None) is None
               and any(w in ent.text.lower() for w in ("decade", "years", "for ", "over "))
               for ent in ctx.sentence_ents[index])


def _event_mention(ctx: ArticleContext, knowledge: Knowledge, token: Token, trigger: Trigger,
                   index: int) -> EventDraft | None:
    draft = EventDraft(id="", type=trigger.type, trigger=token.text, sentence=index,
                       rank=knowledge.trigger_rank(trigger), evidence_sentences=[index],
                       weak=knowledge.triggers.is_weak(trigger))
    if _found_weapon(token, knowledge):
        return None
    draft.habitual = _habitual(ctx, token, index)
    perpetrator, targets, reporter = _roles(ctx, knowledge, token)
    if trigger.actor != "any" and not (perpetrator and _actor_fits(ctx, perpetrator, trigger.actor)):
        return None  # "raided" by an unnamed actor may be the militants' raid or the army's
    if trigger.if_armed_target and any(_armed(ctx, t) for t in targets):
        draft.type = trigger.if_armed_target
    if draft.type in _FROM_THE_AIR and _aircraft_in(token, knowledge):
        # "a military jet dropped two bombs", "attacked Kharkiv with drones": from the air.
        draft.type = EventType.AIR_STRIKE
        draft.rank = knowledge.triggers.types[EventType.AIR_STRIKE].rank
    draft.claimant = _claimant(ctx, token)
    if perpetrator:
        draft.add_participant(perpetrator, ParticipantRole.PERPETRATOR)
        if reporter == perpetrator:
            draft.claimed_by = perpetrator
    for target in targets:
        if target != perpetrator:
            draft.add_participant(target, ParticipantRole.TARGET)
    draft.place = _place(ctx, knowledge, token)
    draft.place_near = draft.place is not None and any(
        _near(ctx.doc[m.end - 1]) for m in ctx.mentions if m.entity_id == draft.place
        and ctx.sentence_index(m.start) == index)
    resolved, draft.weekday = _date(ctx, token)
    if resolved is not None:
        draft.date = (resolved.date, resolved.precision, resolved.text)
    return draft


def _claimant(ctx: ArticleContext, trigger: Token) -> str | None:
    """"X claimed (responsibility for) the attack": X, to tell which mentions are one incident."""
    for ancestor in list(trigger.ancestors)[:4]:
        if ancestor.lemma_.lower() == "claim" and ancestor.pos_ == "VERB":
            subject = _subject(ancestor)
            return ctx.entity_at(subject) if subject is not None else None
    return None


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
    verb = _governing_verb(trigger)
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


def _armed(ctx: ArticleContext, entity: str) -> bool:
    draft = ctx.entities[entity]
    return draft.type is EntityType.GROUP or draft.kind in ("state_force",
                                                            TargetKind.SECURITY_PERSONNEL.value)


def _actor_fits(ctx: ArticleContext, entity: str, wanted: str) -> bool:
    """`state` triggers ("rescued", "raided") need a state actor, `non_state` ones a group."""
    draft = ctx.entities[entity]
    state = draft.type is EntityType.ORGANISATION and draft.kind in ("state_force", "government")
    if wanted == "state":
        return state
    if wanted == "non_state":
        return not state
    return True


def _governing_verb(token: Token) -> Token:
    """For a nominal trigger, the verb it is the object of: "launched an attack" → launched."""
    if token.pos_ in ("NOUN", "PROPN") and token.dep_ == "nsubj" and token.head.pos_ == "VERB":
        return token.head  # "a roadside bomb struck a truck in Timbuktu on Tuesday"
    if token.pos_ in ("NOUN", "PROPN") and token.dep_ in ("dobj", "pobj", "nsubjpass", "attr"):
        head = token.head
        if head.dep_ == "prep":
            head = head.head
        if head.pos_ in ("VERB", "AUX") and head.lemma_.lower() in _SUPPORT_VERBS:
            return head
    return token


def _subject(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ in ("nsubj", "csubj"):
            return child
    # Conjoined verbs share their subject: "sabotaged the track and then opened fire".
    if verb.dep_ in ("conj", "xcomp", "advcl") and verb.head.pos_ in ("VERB", "AUX"):
        if verb.dep_ == "advcl" and not any(c.dep_ == "mark" for c in verb.children):
            return _subject(verb.head)
        if verb.dep_ != "advcl":
            return _subject(verb.head)
    if verb.dep_ == "relcl":
        return verb.head
    return None


def _roles(ctx: ArticleContext, knowledge: Knowledge,
           trigger: Token) -> tuple[str | None, list[str], str | None]:
    """(perpetrator, targets, the entity reporting the clause) for one trigger."""
    verb = _governing_verb(trigger)
    perpetrator: str | None = None
    targets: list[str] = []
    passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)
    reporter = _reporting_subject(ctx, verb)
    for child in verb.children:
        if child.dep_ == "agent":
            for obj in child.children:
                perpetrator = perpetrator or _actor(ctx, obj, reporter)
        elif child.dep_ in ("nsubj",) and not passive:
            perpetrator = perpetrator or _actor(ctx, child, reporter)
        elif child.dep_ in ("nsubjpass",) or (child.dep_ == "dobj" and verb is trigger):
            target = _target(ctx, knowledge, child)
            if target:
                targets.append(target)
        elif child.dep_ == "prep" and child.lower_ in ("on", "against", "at", "targeting") and verb.lemma_.lower() not in BLAME_VERBS:
            for obj in child.children:
                target = _target(ctx, knowledge, obj)
                if target:
                    targets.append(target)
        elif child.dep_ == "dobj" and child is not trigger:
            # "opened fire on X" / "took passengers hostage": the object is the target.
            target = _target(ctx, knowledge, child)
            if target and ctx.entities.get(target, None) is not None:
                targets.append(target)
    if perpetrator is None and not passive:
        subject = _subject(verb)
        if subject is not None:
            perpetrator = _actor(ctx, subject, reporter)
    # "blamed the bombing on X": X is the accused, never the target.
    blamed = trigger.head.lemma_.lower() in BLAME_VERBS
    if trigger is not verb or trigger.pos_ in ("NOUN", "PROPN"):
        for child in trigger.children:
            if child.dep_ == "poss":
                perpetrator = perpetrator or _actor(ctx, child, reporter)
            elif child.dep_ == "prep" and child.lower_ in ("by", "from"):
                for obj in child.children:
                    perpetrator = perpetrator or _actor(ctx, obj, reporter)
            elif child.dep_ == "prep" and child.lower_ in ("on", "against", "targeting") and not (
                    blamed and child.lower_ == "on"):
                for obj in child.children:
                    target = _target(ctx, knowledge, obj)
                    if target:
                        targets.append(target)
    # "Russia attacked Kharkiv": a country acts through its armed forces.
    if perpetrator and ctx.entities[perpetrator].kind == "country":
        perpetrator = _armed_forces_of(ctx, knowledge, perpetrator)
    # Only armed actors perpetrate; a passive "were killed" subject is a target, not an actor.
    if perpetrator and ctx.entities[perpetrator].type not in _PERPETRATORS:
        perpetrator = None
    if perpetrator is None and trigger.tag_ in ("NN", "NNS"):
        # "Israeli strikes", "Russian shelling", "a Ukrainian drone attack": a country's
        # adjective names its forces.
        modifiers = [c for c in trigger.children if c.dep_ in ("amod", "compound")]
        modifiers += [g for c in modifiers if c.dep_ == "compound" for g in c.children]
        for child in modifiers:
            country = knowledge.gazetteer.demonym(child.text) if child.dep_ in ("amod", "compound") else None
            if perpetrator is None and country is not None and country.country:
                perpetrator = _armed_forces_of(ctx, knowledge, country.country)
    if perpetrator is None:
        # Named by a word only: "gunmen stormed …", "a suicide bomber blew himself up".
        acting = [c for c in verb.children if c.dep_ == "nsubj" and not passive]
        acting += [o for c in verb.children if c.dep_ == "agent" for o in c.children]
        acting += [o for c in trigger.children if c.dep_ == "prep" and c.lower_ == "by"
                   for o in c.children]
        for token in acting:
            perpetrator = perpetrator or unnamed_actor(ctx, knowledge, token)
        if perpetrator is None and trigger.lemma_.lower() in knowledge.triggers.sets.get("unnamed_armed", ()):
            perpetrator = unnamed_actor(ctx, knowledge, trigger)  # "a suicide bomber", "the attackers"
    return perpetrator, targets, reporter


def unnamed_actor(ctx: ArticleContext, knowledge: Knowledge, token: Token) -> str | None:
    """An actor the report names only by a word, coded as ACLED codes it:
    "Unidentified armed group (Nigeria)" for "armed bandits", "Protesters (Kosovo)"."""
    if token.lemma_.lower() == "group" or token.lower_ in ("one", "some"):
        # "a group of gunmen", "one of the attackers"
        token = next((o for c in token.children if c.dep_ == "prep" and c.lower_ == "of"
                      for o in c.children), token)
    sets = knowledge.triggers.sets
    words = {token.lemma_.lower(), token.lower_} | {
        c.lemma_.lower() for c in token.children if c.dep_ in ("amod", "compound")}
    kinds = [(ActorKind.UNIDENTIFIED_ARMED_GROUP, "Unidentified armed group", "unnamed_armed"),
             (ActorKind.PROTESTERS, "Protesters", "unnamed_protesters"),
             (ActorKind.RIOTERS, "Rioters", "unnamed_rioters")]
    found = next(((kind, label) for kind, label, key in kinds if words & set(sets.get(key, ()))), None)
    named = ctx.token_mention.get(token.i)
    if found is None or token.pos_ not in ("NOUN", "PROPN") or (named and named.entity_id):
        return None
    kind, label = found
    home = _home_country(ctx)
    country = knowledge.gazetteer.country(home) if home else None
    name = f"{label} ({country.name})" if country else label
    actor_id = entity_id(EntityType.ACTOR, name)
    draft = ctx.entities.get(actor_id)
    if draft is None:
        draft = ctx.entities[actor_id] = EntityDraft(id=actor_id, type=EntityType.ACTOR, name=name,
                                                     kind=kind.value, country=home)
    start = min([token.i] + [c.i for c in token.lefts if c.dep_ in ("amod", "compound")])
    draft.aliases.add(ctx.span_text(start, token.i + 1))
    ctx.add_mention(TokenMention(start, token.i + 1, actor_id))
    return actor_id


def _home_country(ctx: ArticleContext) -> str | None:
    """The article's country: the one it names most, else the country of its first place."""
    if ctx.countries:
        return ctx.countries[0]
    return next((e.country for e in ctx.entities.values() if e.type is EntityType.PLACE and e.country),
                None)


def _armed_forces_of(ctx: ArticleContext, knowledge: Knowledge, country_id: str) -> str | None:
    """The armed forces of a country, given as its place entity id or its ISO code."""
    country = ctx.entities[country_id].country if country_id in ctx.entities else country_id
    if not country:
        return None
    place = knowledge.gazetteer.country(country)
    name = knowledge.state_forces.force_name("army", country, knowledge.demonym_of.get(country, place.name))
    forces_id = entity_id(EntityType.ORGANISATION, name)
    if forces_id not in ctx.entities:
        ctx.entities[forces_id] = EntityDraft(id=forces_id, type=EntityType.ORGANISATION, name=name,
                                              kind="state_force", country=country)
    return forces_id


def _reporting_subject(ctx: ArticleContext, verb: Token) -> str | None:
    """The entity whose statement this clause is: "The BLA stated that it had executed …"."""
    head = verb
    while head.dep_ in ("conj",) and head.head != head:
        head = head.head
    if head.dep_ == "ccomp" and head.head.pos_ == "VERB":
        speaker = _subject(head.head)
        if speaker is not None:
            return ctx.entity_at(speaker)
    return None


def _actor(ctx: ArticleContext, token: Token, reporter: str | None) -> str | None:
    if token.lower_ in _PRONOUNS:
        # "stated that it had executed": the pronoun is the speaker itself.
        return reporter or (ctx.main_group if token.lower_ in ("they", "it") else None)
    found = ctx.entity_at(token)
    if found:
        return found
    # "fighters of the group", "members of the Islamic State": the body they belong to, but
    # not a place on the way ("debris from a drone downed over Russia's region").
    for child in token.subtree:
        mention = ctx.token_mention.get(child.i)
        if mention and mention.entity_id and _belongs_to(child, token):
            return mention.entity_id
    return None


def _belongs_to(child: Token, head: Token) -> bool:
    node = child
    while node.i != head.i:
        if node.dep_ not in ("compound", "amod", "poss", "appos", "nmod", "pobj", "det") and not (
                node.dep_ == "prep" and node.lower_ == "of"):
            return False
        node = node.head
    return True


def _target(ctx: ArticleContext, knowledge: Knowledge, token: Token) -> str | None:
    if token.lower_ == "it":
        # "the Jaffar Express when it was ambushed": the nearest thing named before.
        sentence = ctx.sentences[ctx.sentence_index(token)]
        for mention in reversed(ctx.mentions):
            if (sentence.start <= mention.start < token.i and mention.entity_id
                    and ctx.entities[mention.entity_id].type is EntityType.TARGET):
                return mention.entity_id
        return None
    found = ctx.entity_at(token)
    if found:
        return found
    category = knowledge.person_nouns.get(token.lemma_.lower())
    if category in ("civilian", "security"):
        return _category_target(ctx, category)
    return None


def _category_target(ctx: ArticleContext, category: str) -> str | None:
    """Unnamed victims, coded as ACLED codes them: "Civilians (Pakistan)"."""
    home = _home_country(ctx)
    if not home:
        return None
    from kg.extract.gazetteer import Gazetteer

    country = Gazetteer.load().country(home)
    if country is None:
        return None
    label, kind = {
        "civilian": ("Civilians", TargetKind.CIVILIANS),
        "security": ("Security personnel", TargetKind.SECURITY_PERSONNEL),
    }[category]
    name = f"{label} ({country.name})"
    target_id = entity_id(EntityType.TARGET, name)
    if target_id not in ctx.entities:
        ctx.entities[target_id] = EntityDraft(id=target_id, type=EntityType.TARGET, name=name,
                                              kind=kind.value, country=country.country)
    return target_id


def _attached(ctx: ArticleContext, token: Token, trigger: Token, limit: int = 6) -> bool:
    """Whether `token` hangs (through prepositions) off the trigger or its governing verb,
    not off another event's word on the way ("arrested for attacks in 2015")."""
    verb = _governing_verb(trigger)
    for steps, ancestor in enumerate(token.ancestors):
        if ancestor.i in ctx.trigger_heads and ancestor.i not in (trigger.i, verb.i):
            return False
        if steps > limit:
            return False
        if ancestor.dep_ == "prep" and ancestor.lower_ in _ROUTE_PREPS:
            return False
        if ancestor.lemma_.lower() in _BOUNDARIES:
            return False  # "near the border with Niger" does not put the event in Niger
        if ancestor.i in (trigger.i, verb.i):
            return True
        if ancestor.pos_ == "VERB" and ancestor.i not in (trigger.i, verb.i):
            return False
    return False


_PLACE_ORDER = {"city": 0, "village": 0, "other": 1, "admin_region": 2, "country": 3}


def _sentence_places(ctx: ArticleContext, knowledge: Knowledge,
                     sentence: int) -> list[tuple[TokenMention, EntityDraft]]:
    """Places named in a sentence, leaving out the dateline, route ends and points of
    reference ("400 km north of the capital")."""
    reference = knowledge.triggers.sets.get("reference_words", ())
    span = ctx.sentences[sentence]
    found = []
    for mention in ctx.mentions:
        if not (span.start <= mention.start < span.end) or not mention.entity_id:
            continue
        entity = ctx.entities[mention.entity_id]
        last = ctx.doc[mention.end - 1]
        if (entity.type is EntityType.PLACE and not ctx.in_dateline(mention.start)
                and not _on_route(last) and not _reference_point(last, reference)):
            found.append((mention, entity))
    return found


def _reference_point(token: Token, words: tuple[str, ...]) -> bool:
    """"400 km north of Mogadishu", "west of the capital": a place to measure from."""
    return any(a.dep_ == "prep" and a.lower_ == "of" and a.head.lower_ in words
               for a in list(token.ancestors)[:2])


def _on_route(token: Token) -> bool:
    """"travelled from Quetta to Peshawar": the ends of a route are not where things happened.
    A lone "to" is where the actors went and then acted ("proceeded to X and shot nine")."""
    preps = [a for a in list(token.ancestors)[:2] if a.dep_ == "prep" and a.lower_ in _ROUTE_PREPS]
    if not preps:
        return False
    if preps[0].lower_ in ("to", "toward", "towards"):
        return any(t.lower_ == "from" and t.dep_ == "prep" for t in token.sent)
    return True


def _place(ctx: ArticleContext, knowledge: Knowledge, trigger: Token) -> str | None:
    """The most specific place hanging off the trigger ("attacked a base in Malam Fatori")."""
    places = _sentence_places(ctx, knowledge, ctx.sentence_index(trigger))
    attached = [(mention, entity) for mention, entity in places
                if _attached(ctx, ctx.doc[mention.end - 1], trigger)]
    if attached:
        return min(attached, key=lambda pair: _PLACE_ORDER.get(pair[1].kind or "other", 1))[1].id
    # The parse often hangs the place elsewhere ("opened fire on farmers harvesting on
    # their farms at X village"): the nearest place of the sentence that no other event's
    # word holds, below country level.
    others = [i for i in ctx.trigger_heads if i != trigger.i
              and ctx.sentence_index(i) == ctx.sentence_index(trigger)]
    free = [(abs(mention.start - trigger.i), entity) for mention, entity in places
            if entity.kind != "country" and not any(
                _attached(ctx, ctx.doc[mention.end - 1], ctx.doc[i]) for i in others)]
    return min(free, key=lambda pair: pair[0])[1].id if free else None


def _near(token: Token) -> bool:
    """"near Kerbala", "near the city of Kerbala": close to the place, not in it."""
    for ancestor in token.ancestors:
        if ancestor.dep_ == "prep" and ancestor.lower_ in ("near", "outside", "around", "towards"):
            return True
        if not (ancestor.dep_ in ("pobj", "compound", "appos") or ancestor.lower_ == "of"
                or ancestor.lemma_.lower() in ("city", "town", "village", "area", "outskirts")):
            return False
    return False


def _date(ctx: ArticleContext, trigger: Token) -> tuple[ResolvedDate | None, str | None]:
    """The date attached to the trigger, and the weekday it names (kept for undated reports)."""
    weekday = None
    for ent in ctx.sentence_ents[ctx.sentence_index(trigger)]:
        if ent.label_ not in ("DATE", "TIME"):
            continue
        if _of_statement(ent.root) and ent.root.head.i != trigger.i:
            continue  # "claimed on Tuesday an attack …": the day of the claim
        if _attached(ctx, ent.root, trigger) or ent.root.head.i == trigger.i:
            weekday = weekday or weekday_named(ent.text)
            resolved = resolve_date(ent.text, ctx.article.published)
            if resolved is not None:
                return resolved, weekday
    # "responded overnight": an adverb of time on the trigger itself.
    for child in _governing_verb(trigger).children:
        if child.lower_ in ("overnight", "yesterday", "today") and ctx.article.published:
            return resolve_date(child.text, ctx.article.published), weekday
    return None, weekday


def _fill_defaults(ctx: ArticleContext, knowledge: Knowledge) -> None:
    """Give events without a place or date those their context states.

    A place or date named in an event's own sentences comes first, then one in the
    sentence before (the paragraph's setting), then the lead incident's for its phases
    and responses, and last the article's main place (its most named town or region, the
    dateline aside). Only the lead incident takes the first date of the story's opening.
    """
    if not ctx.events:
        return
    for event in ctx.events:
        for sentence in sorted(event.evidence_sentences):
            if event.place is None:
                event.place = _best_place(ctx, knowledge, sentence)
            if event.date is None:
                event.date = _sentence_date(ctx, sentence)
                event.weekday = event.weekday or _sentence_weekday(ctx, sentence)
        if event.place is None and event.type is EventType.OTHER:
            # A coup or an overthrow happens to a country, not to the village named before.
            event.place = _country_place(ctx)
        if event.place is None and event.sentence > 0:
            event.place = _best_place(ctx, knowledge, event.sentence - 1)
        event.place = _refined(ctx, knowledge, event)
    lead = incidents.main_event(ctx.events)
    opening = _lead_date(ctx)
    if lead is not None and lead.date is None and opening is not None and lead.sentence <= 2:
        lead.date = opening
    main_place = _main_place(ctx)
    for event in ctx.events:
        if event.place is None and not event.background:
            event.place = lead.place if lead is not None and lead.place else main_place


def _inherit_dates(ctx: ArticleContext) -> None:
    """A phase or a response without a date of its own happened when its incident did."""
    by_id = {e.id: e for e in ctx.events}
    for event in ctx.events:
        incident = by_id.get(event.part_of or event.responds_to or "")
        if event.date is None and incident is not None and (
                event.weekday is None or event.weekday == incident.weekday):
            event.date = incident.date


def _refined(ctx: ArticleContext, knowledge: Knowledge, event: EventDraft) -> str | None:
    """A region the lead names, narrowed to the town inside it that a later sentence of the
    same incident names ("in North Sinai" … "the checkpoint near Bir al-Abd")."""
    place = event.place
    if place is None:
        return None
    # The lead's next sentence often names the village ("… the strike on a village in the
    # region." / "The ceremony was at X village").
    sentences = sorted({*event.evidence_sentences, event.sentence + 1} & set(range(len(ctx.sentences))))
    for sentence in sentences:
        for _, entity in _sentence_places(ctx, knowledge, sentence):
            if entity.id != place and incidents.may_contain(ctx, place, entity.id):
                place = incidents.more_specific(ctx, place, entity.id)
    return place


def _country_place(ctx: ArticleContext) -> str | None:
    home = _home_country(ctx)
    return next((e.id for e in ctx.entities.values() if e.type is EntityType.PLACE
                 and e.kind == "country" and e.country == home), None)


def _best_place(ctx: ArticleContext, knowledge: Knowledge, sentence: int) -> str | None:
    places = [e for _, e in _sentence_places(ctx, knowledge, sentence) if e.kind != "country"]
    if not places:
        return None
    return min(places, key=lambda e: _PLACE_ORDER.get(e.kind or "other", 1)).id


def _main_place(ctx: ArticleContext) -> str | None:
    place_counts: Counter[str] = Counter()
    for mention in ctx.mentions:
        entity = ctx.entities.get(mention.entity_id)
        if (entity is not None and entity.type is EntityType.PLACE and entity.kind != "country"
                and not ctx.in_dateline(mention.start)):
            place_counts[entity.id] += 1
    if place_counts:
        return place_counts.most_common(1)[0][0]
    home = ctx.countries[0] if ctx.countries else None
    countries = [e.id for e in ctx.entities.values() if e.type is EntityType.PLACE
                 and e.kind == "country" and e.country == home]
    return countries[0] if countries else None


def _sentence_weekday(ctx: ArticleContext, sentence: int) -> str | None:
    for ent in ctx.sentence_ents[sentence]:
        if ent.label_ in ("DATE", "TIME"):
            day = weekday_named(ent.text)
            if day:
                return day
    return None


def _sentence_date(ctx: ArticleContext, sentence: int) -> tuple | None:
    """The first date of a sentence that is not the date of a statement about it
    ("Yesterday, the army said …" dates the statement, not the attack)."""
    for ent in ctx.sentence_ents[sentence]:
        if ent.label_ in ("DATE", "TIME") and not ctx.in_dateline(ent.start) and not _of_statement(ent.root):
            resolved = resolve_date(ent.text, ctx.article.published)
            if resolved is not None:
                return (resolved.date, resolved.precision, resolved.text)
    return None


def _of_statement(token: Token) -> bool:
    head = token.head
    while head.dep_ in ("prep", "pobj", "npadvmod") and head.head is not head:
        head = head.head
    return head.lemma_.lower() in _STATEMENT_VERBS


def _lead_date(ctx: ArticleContext) -> tuple | None:
    """A news lead says when: the first day-precise date of the first two sentences."""
    for sentence in range(min(2, len(ctx.sentences))):
        found = _sentence_date(ctx, sentence)
        if found is not None and found[1] is DatePrecision.DAY:
            return found
    return None


def event_for_sentence(ctx: ArticleContext, sentence: int) -> EventDraft | None:
    """The event a sentence speaks of, if any: used to attach figures and quotes."""
    for event in ctx.events:
        if sentence in event.evidence_sentences:
            return event
    return None


def main_event(ctx: ArticleContext) -> EventDraft | None:
    return incidents.main_event(ctx.events)


def is_response(event: EventDraft) -> bool:
    return event.type in incidents.RESPONSES
