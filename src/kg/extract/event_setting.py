"""Where and when an event happened: the place and date of each mention, and the
defaults an event takes from its context when its own words give none.

A place or date counts for a mention when it hangs off the trigger (or its governing
verb) in the parse, never through another event's word, a route ("from X to Y") or a
point of reference ("400 km north of X"); "near X" is marked as near. An event without
a place takes the one its sentences name, then the paragraph's, then the lead incident's;
only the lead takes the opening date, and phases and responses their incident's date.
"""

from __future__ import annotations

from collections import Counter
from itertools import islice

from spacy.tokens import Token

from kg.extract import event_roles as roles
from kg.extract import incidents
from kg.extract.context import ArticleContext, EntityDraft, EventDraft, TokenMention
from kg.extract.knowledge import Knowledge
from kg.extract.lang.en.dates import ResolvedDate, resolve_date, weekday_named
from kg.extract.lexicon import load_event_triggers
from kg.schema import DatePrecision, EntityType, EventType

# Word lists of the setting rules, from the `sets` of event_triggers.yaml (explained there).
_WORDS = load_event_triggers()
_ROUTE_PREPS = _WORDS.word_set("route_prepositions")
_STATEMENT_VERBS = _WORDS.word_set("statement_verbs")
_BOUNDARIES = _WORDS.word_set("boundary_nouns")


def _attached(ctx: ArticleContext, token: Token, trigger: Token, limit: int = 6) -> bool:
    """Whether `token` hangs (through prepositions) off the trigger or its governing verb,
    not off another event's word on the way ("arrested for attacks in 2015")."""
    verb = roles.governing_verb(trigger)
    for steps, ancestor in enumerate(token.ancestors):
        if ancestor.i in ctx.trigger_heads and ancestor.i not in (trigger.i, verb.i):
            return False
        if steps > limit:
            return False
        if ancestor.dep_ == "prep" and ancestor.lower_ in _ROUTE_PREPS and _on_route(token):
            return False
        if ancestor.lemma_.lower() in _BOUNDARIES:
            return False  # "near the border with Niger" does not put the event in Niger
        if ancestor.i in (trigger.i, verb.i):
            return True
        if verb.dep_ == "conj" and ancestor.i == verb.head.i and ancestor.i not in ctx.trigger_heads:
            return True  # "in the north, the group holds towns and fights the army": shared
        if ancestor.pos_ == "VERB" and ancestor.i not in (trigger.i, verb.i):
            return False
    return False


_PLACE_ORDER = {"city": 0, "village": 0, "other": 1, "admin_region": 2, "country": 3}


def _sentence_places(ctx: ArticleContext, knowledge: Knowledge,
                     sentence: int) -> list[tuple[TokenMention, EntityDraft]]:
    """Places named in a sentence, leaving out the dateline, route ends and points of
    reference ("400 km north of the capital")."""
    reference = knowledge.triggers.sets.get("reference_words", ())
    found = []
    for mention in ctx.sentence_mentions(sentence):
        if not mention.entity_id:
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
               for a in islice(token.ancestors, 2))


def _on_route(token: Token) -> bool:
    """"travelled from Quetta to Peshawar": the ends of a route are not where things happened.
    A lone "to" is where the actors went and then acted ("proceeded to X and shot nine")."""
    preps = [a for a in islice(token.ancestors, 2) if a.dep_ == "prep" and a.lower_ in _ROUTE_PREPS]
    if not preps:
        return False
    if preps[0].lower_ in ("to", "toward", "towards"):
        return any(t.lower_ == "from" and t.dep_ == "prep" for t in token.sent)
    return True


def place_of(ctx: ArticleContext, knowledge: Knowledge, trigger: Token) -> str | None:
    """The most specific place hanging off the trigger ("attacked a base in Malam Fatori")."""
    places = _sentence_places(ctx, knowledge, ctx.sentence_index(trigger))
    attached = [(mention, entity) for mention, entity in places
                if _attached(ctx, ctx.doc[mention.end - 1], trigger)]
    if attached:
        # "in the Hamra district of Baghdad": the place inside the other, else the finest kind
        ids = {entity.id for _, entity in attached}
        inner = [(m, e) for m, e in attached if not any(
            other != e.id and e.id in incidents.ancestors(ctx, other) for other in ids)]
        return min(inner or attached, key=lambda pair: _PLACE_ORDER.get(pair[1].kind or "other", 1))[1].id
    # The parse often hangs the place elsewhere ("opened fire on farmers harvesting on
    # their farms at X village"): the nearest place of the sentence that no other event's
    # word holds, below country level.
    free = [(mention, entity) for mention, entity in places
            if entity.kind != "country" and _free(ctx, mention, {trigger.i})]
    if not free:
        return None
    nearest = min(free, key=lambda pair: abs(pair[0].start - trigger.i))
    # "the villages of A and B came under attack": the first of a coordination, not the
    # one that happens to stand nearer the trigger
    first = _first_conjunct(ctx.doc[nearest[0].end - 1])
    return next((entity.id for mention, entity in free if mention.start <= first.i < mention.end),
                nearest[1].id)


def _first_conjunct(token: Token) -> Token:
    while token.dep_ == "conj" and token.head.i < token.i:
        token = token.head
    return token


def _free(ctx: ArticleContext, mention: TokenMention, own: set[int]) -> bool:
    """Whether a place of the sentence belongs to no other event's word ("laid siege to
    Marawi in 2017") and is no metonym for an actor ("since Moscow launched …")."""
    last = ctx.doc[mention.end - 1]
    if last.dep_ in ("nsubj", "nsubjpass", "poss"):
        return False
    sentence = ctx.sentence_index(mention.start)
    return not any(_attached(ctx, last, ctx.doc[i]) for i in ctx.trigger_heads
                   if i not in own and ctx.sentence_index(i) == sentence)


def near(token: Token) -> bool:
    """"near Kerbala", "near the city of Kerbala", "on the outskirts of Kerbala": close to the
    place, not in it."""
    for ancestor in token.ancestors:
        if ancestor.dep_ == "prep" and ancestor.lower_ in ("near", "outside", "around", "towards"):
            return True
        if ancestor.lower_ in ("outskirts", "vicinity", "edge"):
            return True  # "on the outskirts of the capital"
        if not (ancestor.dep_ in ("pobj", "compound", "appos") or ancestor.lower_ == "of"
                or ancestor.lemma_.lower() in ("city", "town", "village", "area", "outskirts")):
            return False
    return False


def date_of(ctx: ArticleContext, trigger: Token) -> tuple[ResolvedDate | None, str | None]:
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
    for child in roles.governing_verb(trigger).children:
        if child.lower_ in ("overnight", "yesterday", "today") and ctx.article.published:
            return resolve_date(child.text, ctx.article.published), weekday
    return None, weekday


def fill_defaults(ctx: ArticleContext, knowledge: Knowledge) -> None:
    """Give events without a place or date those their context states.

    A place or date named in an event's own sentences comes first, then one in the
    sentence before (the paragraph's setting), then the lead incident's for its phases
    and responses, and last the article's main place (its most named town or region, the
    dateline aside). Only the lead incident takes the first date of the story's opening.
    """
    if not ctx.events:
        return
    for event in ctx.events:
        if event.date is None and _began_long_before(ctx, event.sentence):
            event.background = True  # "the two groups have fought each other since 2020"
        for sentence in sorted(event.evidence_sentences):
            if event.place is None:
                event.place = _best_place(ctx, knowledge, sentence, event.tokens)
            if event.date is None:
                event.date = _sentence_date(ctx, sentence)
                event.weekday = event.weekday or _sentence_weekday(ctx, sentence)
        if event.place is None and event.type is EventType.OTHER:
            # A coup or an overthrow happens to a country, not to the village named before.
            event.place = _country_place(ctx)
        if event.place is None and event.sentence > 0 and not event.separate:
            # ("Elsewhere, five died …" is not where the sentence before took place.)
            event.place = _best_place(ctx, knowledge, event.sentence - 1, event.tokens)
        event.place = _refined(ctx, knowledge, event)
    lead = incidents.main_event(ctx)
    opening = _lead_date(ctx)
    if lead is not None and lead.date is None and opening is not None and lead.sentence <= 2:
        lead.date = opening
    # The article-wide fallbacks scan every sentence: only worked out for an event left unplaced.
    unplaced = [e for e in ctx.events if e.place is None]
    if not unplaced:
        return
    main_place = (_main_place(ctx, knowledge) if lead is None or not lead.place else lead.place)
    country = _country_place(ctx)
    for event in unplaced:
        if not (event.background or event.separate):
            event.place = main_place
        elif event.background:
            event.place = country  # "the war began in April 2023": the country, at least


def inherit_dates(ctx: ArticleContext) -> None:
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
        places = _sentence_places(ctx, knowledge, sentence)
        if sentence not in event.evidence_sentences and any(
                entity.kind in ("admin_region", "country") and not incidents.may_contain(ctx, place, entity.id)
                for _, entity in places):
            continue  # "In the western state of X, …": the next sentence moved elsewhere
        for mention, entity in places:
            if (entity.id != place and _free(ctx, mention, event.tokens)
                    and incidents.may_contain(ctx, place, entity.id)):
                place = incidents.more_specific(ctx, place, entity.id)
    return place


def _country_place(ctx: ArticleContext) -> str | None:
    home = roles.home_country(ctx)
    return next((e.id for e in ctx.entities.values() if e.type is EntityType.PLACE
                 and e.kind == "country" and e.country == home), None)


def _best_place(ctx: ArticleContext, knowledge: Knowledge, sentence: int,
                own: set[int]) -> str | None:
    """The most specific place of a sentence that is not another event's."""
    places = [e for m, e in _sentence_places(ctx, knowledge, sentence)
              if e.kind != "country" and _free(ctx, m, own)]
    if not places:
        return None
    return min(places, key=lambda e: _PLACE_ORDER.get(e.kind or "other", 1)).id


def _main_place(ctx: ArticleContext, knowledge: Knowledge) -> str | None:
    """The article's most named town or region, counting neither the dateline, route ends,
    points of reference nor the places of its background incidents."""
    background = {i for e in ctx.events if e.background for i in e.tokens}
    place_counts: Counter[str] = Counter()
    for sentence in range(len(ctx.sentences)):
        for mention, entity in _sentence_places(ctx, knowledge, sentence):
            if entity.kind != "country" and not any(
                    _attached(ctx, ctx.doc[mention.end - 1], ctx.doc[i]) for i in background):
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
        if ent.label_ in ("DATE", "TIME") and not ctx.in_dateline(ent.start) and not _of_statement(ent.root) \
                and not _period_start(ent.root):
            resolved = resolve_date(ent.text, ctx.article.published)
            if resolved is not None:
                return (resolved.date, resolved.precision, resolved.text)
    return None


def _began_long_before(ctx: ArticleContext, sentence: int) -> bool:
    """Whether the sentence dates a campaign's start ("since 2015") long before the report."""
    for ent in ctx.sentence_ents[sentence]:
        if ent.label_ == "DATE" and _period_start(ent.root):
            resolved = resolve_date(ent.text, ctx.article.published)
            if resolved is not None and incidents.long_before(
                    (resolved.date, resolved.precision, resolved.text), ctx.article.published):
                return True
    return False


def _period_start(token: Token) -> bool:
    """"since March 2015", "from 2014": when a campaign began, never a day's incident."""
    return token.head.dep_ == "prep" and token.head.lower_ in ("since", "from")


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
