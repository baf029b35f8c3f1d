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
from spacy.tokens import Doc, Span, Token
from spacy.vocab import Vocab

from kg.extract import lexicon
from kg.extract.context import ArticleContext, EntityDraft, EventDraft, TokenMention
from kg.extract.dates import ResolvedDate, resolve_date
from kg.extract.knowledge import Knowledge
from kg.extract.lexicon import Trigger
from kg.ids import entity_id, local_id
from kg.schema import DatePrecision, EntityType, EventType, ParticipantRole, TargetKind

# Event types that describe one violent incident from different angles and so merge.
_INCIDENT = {
    EventType.ATTACK, EventType.HOSTAGE_TAKING, EventType.ABDUCTION, EventType.BOMBING,
    EventType.SUICIDE_BOMBING, EventType.GRENADE_ATTACK, EventType.SHELLING,
    EventType.ARMED_CLASH, EventType.SEXUAL_VIOLENCE, EventType.TERRITORY_SEIZED,
    EventType.CHEMICAL_ATTACK, EventType.AIR_STRIKE,
}
_RESPONSE = {EventType.SECURITY_OPERATION, EventType.GOVERNMENT_REGAINS_TERRITORY}
# Phases of an incident that stay events of their own, linked to it by PART_OF.
_PHASES = {EventType.EXECUTION, EventType.SABOTAGE, EventType.LOOTING}
# Types that become an air strike when an aircraft or drone delivers them.
_FROM_THE_AIR = {EventType.ATTACK, EventType.BOMBING, EventType.GRENADE_ATTACK}

_SUPPORT_VERBS = {"launch", "carry", "stage", "mount", "conduct", "claim", "commit", "perpetrate",
                  "begin", "start", "unleash", "execute", "initiate", "lead", "plan", "take"}
_HABITUAL = {"frequently", "regularly", "routinely", "often", "repeatedly", "usually", "typically"}
_IRREALIS = {"threaten", "vow", "warn", "plan", "intend", "seek", "want", "aim", "try",
             "attempt", "could", "would", "might", "may", "fear", "prevent", "avoid", "deny"}
_ROUTE_PREPS = {"from", "to", "toward", "towards", "via"}
_PLACE_PREPS = {"in", "at", "near", "outside", "inside", "across", "around", "on", "into", "of"}
# Verbs of blame: their objects are accused, not attacked ("blamed the bombing on X").
BLAME_VERBS = {"blame", "accuse", "attribute", "suspect", "hold"}
_BOUNDARIES = {"border", "frontier", "boundary", "borderline"}
_PRONOUNS = {"it", "they", "we", "he", "she", "them"}


def find_events(ctx: ArticleContext, knowledge: Knowledge, matcher: TriggerMatcher) -> None:
    mentions: list[EventDraft] = []
    for token, trigger in _triggers(ctx, knowledge, matcher):
        if ctx.in_quote(token) or _irrealis(token):
            continue
        draft = _event_mention(ctx, knowledge, token, trigger, ctx.sentence_index(token))
        if draft is not None:
            mentions.append(draft)
    events: list[EventDraft] = []
    for mention in mentions:
        home = _merge_target(events, mention, ctx)
        if home is None:
            mention.id = local_id("event", ctx.article.id, len(events) + 1)
            events.append(mention)
        else:
            _absorb(home, mention)
    ctx.habitual_sentences = {s for e in events if e.habitual for s in e.evidence_sentences}
    # A lone trigger with neither actor nor date is more often background than an event.
    ctx.events = [e for e in events
                  if not e.habitual and (e.participants or e.date)]
    _link_phases(ctx)
    _fill_defaults(ctx)
    ctx.events = [e for e in ctx.events if not _background(ctx, e)]
    kept = {e.id for e in ctx.events}
    for event in ctx.events:
        if event.part_of not in kept:
            event.part_of = None


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
              matcher: TriggerMatcher) -> list[tuple[Token, Trigger]]:
    """Each trigger token of the article with its most specific trigger."""
    doc = ctx.doc
    found: dict[int, tuple[Token, Trigger]] = {}
    for trigger, start, end in matcher(doc):
        index = ctx.sentence_index(start)
        if end > ctx.sentences[index].end or not trigger.allowed_in(ctx.sentence_texts[index]):
            continue
        # The head of a verb phrase is its first word, of a noun phrase its last.
        head = doc[end - 1 if trigger.nominal else start]
        if trigger.objects and not _object_in(head, trigger.objects):
            continue
        current = found.get(head.i)
        if current is None or knowledge.trigger_rank(current[1]) < knowledge.trigger_rank(trigger):
            found[head.i] = (head, trigger)
    return sorted(found.values(), key=lambda pair: pair[0].i)


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
    """Threats, plans and denials are not events: "threatening to execute them"."""
    for ancestor in [token, *token.ancestors][:4]:
        if ancestor.lemma_.lower() in _IRREALIS and ancestor is not token:
            return True
        if any(child.dep_ == "neg" for child in ancestor.children) and ancestor is token:
            return True
        if any(child.lemma_.lower() in ("could", "would", "might") and child.dep_ == "aux"
               for child in ancestor.children):
            return True
    return False


def _bare_plural(token: Token) -> bool:
    return token.tag_ in ("NNS", "NNPS") and not any(
        c.dep_ in ("det", "nummod", "poss") for c in token.children)


def _habitual(ctx: ArticleContext, token: Token, index: int) -> bool:
    """Generic statements: "has carried out attacks", "attacks on trains are frequent"."""
    sentence = ctx.sentences[index]
    if _bare_plural(token):
        return True
    if token.pos_ == "VERB" and any(c.dep_ == "dobj" and _bare_plural(c) and c.lemma_.lower() in (
            "attack", "bombing", "raid", "ambush", "killing", "abduction", "kidnapping", "strike")
            for c in token.children):
        return True
    if any(w.lower() in _HABITUAL for w in ctx.token_texts[sentence.start:sentence.end]):
        return True
    return any(ent.label_ == "DATE" and resolve_date(ent.text, None) is None
               and any(w in ent.text.lower() for w in ("decade", "years", "for ", "over "))
               for ent in ctx.sentence_ents[index])


def _event_mention(ctx: ArticleContext, knowledge: Knowledge, token: Token, trigger: Trigger,
                   index: int) -> EventDraft | None:
    draft = EventDraft(id="", type=trigger.type, trigger=token.text, sentence=index,
                       rank=knowledge.trigger_rank(trigger), evidence_sentences=[index],
                       weak=knowledge.triggers.is_weak(trigger))
    draft.habitual = _habitual(ctx, token, index)
    perpetrator, targets, reporter = _roles(ctx, knowledge, token)
    if trigger.actor != "any" and not (perpetrator and _actor_fits(ctx, perpetrator, trigger.actor)):
        return None  # "raided" by an unnamed actor may be the militants' raid or the army's
    if trigger.if_armed_target and any(_armed(ctx, t) for t in targets):
        draft.type = trigger.if_armed_target
    if draft.type in _FROM_THE_AIR and _aircraft_in(ctx.sentences[index], knowledge):
        # "a military jet dropped two bombs", "attacked Kharkiv with drones": from the air.
        draft.type = EventType.AIR_STRIKE
        draft.rank = knowledge.triggers.types[EventType.AIR_STRIKE].rank
    if perpetrator:
        draft.add_participant(perpetrator, ParticipantRole.PERPETRATOR)
        if reporter == perpetrator:
            draft.claimed_by = perpetrator
    for target in targets:
        if target != perpetrator:
            draft.add_participant(target, ParticipantRole.TARGET)
    draft.place = _place(ctx, token)
    resolved = _date(ctx, token)
    if resolved is not None:
        draft.date = (resolved.date, resolved.precision, resolved.text)
    return draft


def _aircraft_in(sentence: Span, knowledge: Knowledge) -> bool:
    words = knowledge.triggers.sets.get("aircraft_words", ())
    return any(t.lower_ in words or t.lemma_.lower() in words for t in sentence)


def _armed(ctx: ArticleContext, entity: str) -> bool:
    draft = ctx.entities[entity]
    return draft.type is EntityType.GROUP or draft.kind == "state_force"


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
    if perpetrator and ctx.entities[perpetrator].type not in (EntityType.GROUP, EntityType.ORGANISATION,
                                                              EntityType.PERSON):
        perpetrator = None
    return perpetrator, targets, reporter


def _armed_forces_of(ctx: ArticleContext, knowledge: Knowledge, country_id: str) -> str | None:
    country = ctx.entities[country_id].country
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
    for child in token.subtree:
        mention = ctx.token_mention.get(child.i)
        if mention and mention.entity_id:
            return mention.entity_id
    return None


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
    if not ctx.countries:
        return None
    from kg.extract.gazetteer import Gazetteer

    country = Gazetteer.load().country(ctx.countries[0])
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


def _attached(token: Token, trigger: Token, limit: int = 6) -> bool:
    """Whether `token` hangs (through prepositions) off the trigger or its governing verb."""
    verb = _governing_verb(trigger)
    for steps, ancestor in enumerate(token.ancestors):
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


def _sentence_places(ctx: ArticleContext, sentence: int) -> list[tuple[TokenMention, EntityDraft]]:
    """Places named in a sentence, leaving out the dateline and route ends."""
    span = ctx.sentences[sentence]
    found = []
    for mention in ctx.mentions:
        if not (span.start <= mention.start < span.end) or not mention.entity_id:
            continue
        entity = ctx.entities[mention.entity_id]
        if entity.type is EntityType.PLACE and not ctx.in_dateline(mention.start) and not _on_route(
                ctx.doc[mention.end - 1]):
            found.append((mention, entity))
    return found


def _on_route(token: Token) -> bool:
    """"travelled from Quetta to Peshawar": the ends of a route are not where things happened."""
    return any(a.dep_ == "prep" and a.lower_ in _ROUTE_PREPS for a in list(token.ancestors)[:2])


def _place(ctx: ArticleContext, trigger: Token) -> str | None:
    """The most specific place hanging off the trigger ("attacked a base in Malam Fatori")."""
    candidates = [entity for mention, entity in _sentence_places(ctx, ctx.sentence_index(trigger))
                  if _attached(ctx.doc[mention.end - 1], trigger)]
    if not candidates:
        return None
    return min(candidates, key=lambda e: _PLACE_ORDER.get(e.kind or "other", 1)).id


def _date(ctx: ArticleContext, trigger: Token) -> ResolvedDate | None:
    for ent in ctx.sentence_ents[ctx.sentence_index(trigger)]:
        if ent.label_ not in ("DATE", "TIME"):
            continue
        if _attached(ent.root, trigger) or ent.root.head.i == trigger.i:
            resolved = resolve_date(ent.text, ctx.article.published)
            if resolved is not None:
                return resolved
    # "responded overnight": an adverb of time on the trigger itself.
    for child in _governing_verb(trigger).children:
        if child.lower_ in ("overnight", "yesterday", "today") and ctx.article.published:
            return resolve_date(child.text, ctx.article.published)
    return None


def _compatible_types(a: EventDraft, b: EventDraft) -> bool:
    if a.type is b.type:
        return True
    if a.type in _PHASES or b.type in _PHASES:
        return False
    if a.weak or b.weak:
        return True
    return (a.type in _INCIDENT and b.type in _INCIDENT) or (
        a.type in _RESPONSE and b.type in _RESPONSE)


def _dates_conflict(a: EventDraft, b: EventDraft) -> bool:
    if a.date is None or b.date is None:
        return False
    if a.date[1] is not DatePrecision.DAY or b.date[1] is not DatePrecision.DAY:
        return False
    return abs((a.date[0] - b.date[0]).days) > 1


def _same_state(actors: set[str], ctx: ArticleContext) -> bool:
    """Whether all these actors belong to one state: its forces and its government act as one."""
    drafts = [ctx.entities[a] for a in actors]
    return all(d.kind in ("state_force", "government") for d in drafts) and len(
        {d.country for d in drafts}) == 1


def _merge_target(events: list[EventDraft], mention: EventDraft,
                  ctx: ArticleContext) -> EventDraft | None:
    # "the attack" refers back to an incident before it refers to a response.
    ordered = list(reversed(events))
    if mention.weak:
        ordered.sort(key=lambda e: e.type not in _INCIDENT)
    for event in ordered:
        if not _compatible_types(event, mention) or _dates_conflict(event, mention):
            continue
        if event.habitual != mention.habitual:
            continue
        ours, theirs = set(event.actors(ParticipantRole.PERPETRATOR)), set(
            mention.actors(ParticipantRole.PERPETRATOR))
        if ours and theirs and not ours & theirs and not _same_state(ours | theirs, ctx):
            continue
        # Different places merge only when one may contain the other.
        if (event.place and mention.place and event.place != mention.place
                and not _may_contain(event.place, mention.place)):
            continue
        return event
    return None


def _may_contain(a: str, b: str) -> bool:
    from kg.extract.gazetteer import Gazetteer

    gazetteer = Gazetteer.load()
    pa, pb = gazetteer.get(a.removeprefix("place:")), gazetteer.get(b.removeprefix("place:"))
    if pa is None or pb is None:
        return False
    chain_a = {p.id for p in gazetteer.parents(pa)} | {pa.id}
    chain_b = {p.id for p in gazetteer.parents(pb)} | {pb.id}
    return pa.id in chain_b or pb.id in chain_a


def _absorb(event: EventDraft, mention: EventDraft) -> None:
    if mention.rank > event.rank and not mention.weak:
        event.type, event.rank, event.trigger = mention.type, mention.rank, mention.trigger
    for entity, role in mention.participants.items():
        event.add_participant(entity, role)
    if mention.place and (event.place is None or _may_contain(event.place, mention.place)):
        event.place = _more_specific(event.place, mention.place)
    if event.date is None or (mention.date and _finer(mention.date, event.date)):
        event.date = mention.date or event.date
    event.claimed_by = event.claimed_by or None
    for sentence in mention.evidence_sentences:
        if sentence not in event.evidence_sentences:
            event.evidence_sentences.append(sentence)


def _finer(a: tuple, b: tuple) -> bool:
    order = [DatePrecision.DAY, DatePrecision.WEEK, DatePrecision.MONTH, DatePrecision.YEAR]
    return order.index(a[1]) < order.index(b[1])


def _more_specific(current: str | None, candidate: str) -> str:
    if current is None:
        return candidate
    from kg.extract.gazetteer import Gazetteer

    gazetteer = Gazetteer.load()
    place = gazetteer.get(candidate.removeprefix("place:"))
    if place is not None and current.removeprefix("place:") in {p.id for p in gazetteer.parents(place)}:
        return candidate
    return current


def _link_phases(ctx: ArticleContext) -> None:
    """Executions and sabotage by an incident's perpetrator are phases of that incident."""
    incidents = [e for e in ctx.events if e.type in _INCIDENT]
    for event in ctx.events:
        if event.type not in _PHASES or not incidents:
            continue
        perpetrators = set(event.actors(ParticipantRole.PERPETRATOR))
        for incident in incidents:
            if _dates_conflict(incident, event):
                continue
            theirs = set(incident.actors(ParticipantRole.PERPETRATOR))
            if perpetrators and theirs and not perpetrators & theirs:
                continue
            event.part_of = incident.id
            break


def _fill_defaults(ctx: ArticleContext) -> None:
    """Give events without a place or date those of their sentences, else the article's.

    A place or date named anywhere in an event's sentences comes first; then the
    article's main place (its most named town or region, the dateline aside) and, for
    the lead incident, the first date of the story's opening sentences.
    """
    if not ctx.events:
        return
    for event in ctx.events:
        for sentence in event.evidence_sentences:
            if event.place is None:
                places = [e for _, e in _sentence_places(ctx, sentence) if e.kind != "country"]
                if places:
                    event.place = min(places, key=lambda e: _PLACE_ORDER.get(e.kind or "other", 1)).id
            if event.date is None:
                event.date = _sentence_date(ctx, sentence)
    lead = _lead_date(ctx)
    first = min(ctx.events, key=lambda e: e.sentence)
    if first.date is None and lead is not None and first.sentence <= 2:
        first.date = lead
    place_counts: Counter[str] = Counter()
    for mention in ctx.mentions:
        entity = ctx.entities.get(mention.entity_id)
        if (entity is not None and entity.type is EntityType.PLACE and entity.kind != "country"
                and not ctx.in_dateline(mention.start)):
            place_counts[entity.id] += 1
    main_place = place_counts.most_common(1)[0][0] if place_counts else None
    if main_place is None:
        home = ctx.countries[0] if ctx.countries else None
        countries = [e.id for e in ctx.entities.values() if e.type is EntityType.PLACE
                     and e.kind == "country" and e.country == home]
        main_place = countries[0] if countries else None
    by_id = {e.id: e for e in ctx.events}
    for event in ctx.events:
        parent = by_id.get(event.part_of or "")
        if event.place is None:
            event.place = parent.place if parent and parent.place else main_place
        if event.date is None and parent is not None:
            event.date = parent.date


def _sentence_date(ctx: ArticleContext, sentence: int) -> tuple | None:
    for ent in ctx.sentence_ents[sentence]:
        if ent.label_ in ("DATE", "TIME") and not ctx.in_dateline(ent.start):
            resolved = resolve_date(ent.text, ctx.article.published)
            if resolved is not None:
                return (resolved.date, resolved.precision, resolved.text)
    return None


def _lead_date(ctx: ArticleContext) -> tuple | None:
    """A news lead says when: the first day-precise date of the first two sentences."""
    for sentence in range(min(2, len(ctx.sentences))):
        found = _sentence_date(ctx, sentence)
        if found is not None and found[1] is DatePrecision.DAY:
            return found
    return None


def _background(ctx: ArticleContext, event: EventDraft) -> bool:
    """Events dated more than a month before publication are the story's background."""
    published = ctx.article.published
    return bool(published and event.date and (published - event.date[0]).days > 31)


def event_for_sentence(ctx: ArticleContext, sentence: int) -> EventDraft | None:
    """The event a sentence speaks of, if any: used to attach figures and quotes."""
    for event in ctx.events:
        if sentence in event.evidence_sentences:
            return event
    return None


def main_event(ctx: ArticleContext) -> EventDraft | None:
    incidents = [e for e in ctx.events if e.part_of is None and e.type not in _RESPONSE]
    pool = incidents or ctx.events
    if not pool:
        return None
    return max(pool, key=lambda e: (len(e.evidence_sentences), -e.sentence))


def is_response(event: EventDraft) -> bool:
    return event.type in _RESPONSE

