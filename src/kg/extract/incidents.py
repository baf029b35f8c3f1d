"""Incidents: which event mentions of an article speak of the same happening.

An article reports several happenings: the lead incident, its phases (people seized, then
killed), the state's response, other attacks of a round-up, and earlier incidents given as
background. A mention joins an incident already found only on positive evidence that it is
the same one: it stands in a sentence of that incident, it refers back to it ("the attack",
"the blast"), or it names the same place or the same day. Missing places and dates are not
agreement. A mention that repeats an incident with nothing of its own (a generic "were
killed" with no place, day or actor) restates the incident told last.

Mentions in a sentence with a discourse cue of another incident ("in a separate attack",
"last month", "comes two days after", a pluperfect "had attacked") are background events:
kept, marked `background`, never merged into the lead incident.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from spacy.tokens import Token

from kg.extract import event_roles as roles
from kg.extract.context import ArticleContext, EventDraft
from kg.extract.gazetteer import Gazetteer
from kg.extract.lexicon.triggers import EventTypeGroups
from kg.schema import DatePrecision, EntityType, EventType, ParticipantRole


def segment(ctx: ArticleContext, mentions: list[EventDraft]) -> list[EventDraft]:
    """Group mentions (in text order) into events, on positive evidence only."""
    groups = ctx.event_types
    events: list[EventDraft] = []
    summing = {m.sentence for m in mentions if m.summary}
    summaries = [m for m in mentions if m.sentence in summing and (m.summary or m.weak)]
    told = [m for m in mentions if not (m.sentence in summing and (m.summary or m.weak))]
    # Within a sentence the specific word speaks first: in "six were killed when an air
    # strike levelled their home" the strike decides the incident, "killed" follows it.
    for mention in sorted(told, key=lambda m: (m.sentence, m.weak)):
        if (mention.against_attackers and not (mention.place or mention.date)
                and _latest_incident(groups, events, mention) is not None):
            # "all the attackers were killed by security forces": how the incident ended
            home = _latest_incident(groups, events, mention)
            assert home is not None
            if mention.sentence not in home.evidence_sentences:
                home.evidence_sentences.append(mention.sentence)
            continue
        home = _consequence_of(groups, events, mention) or _same_incident(ctx, events, mention)
        if home is not None:
            absorb(ctx, home, mention)
        elif mention.quoted and not mention.place and any(not e.quoted for e in events):
            continue  # a quotation adds to an incident told; it starts one only where it names it
        elif mention.weak and groups.event_class(mention.type) not in groups.weak_trigger_classes:
            continue  # "the violence", "the incident" alone name no event
        else:
            events.append(mention)
    # A summing-up ("attacks on two villages killed 25") is an event only when the story
    # tells no incident of its kind one by one; else it adds its sentence to the first one,
    # and its actors to those of its incidents that name none ("Israeli strikes … a strike").
    for mention in summaries:
        kind = [e for e in events if _compatible(groups, e, mention)
                and e.background == mention.background]
        if kind:
            if mention.sentence not in kind[0].evidence_sentences:
                kind[0].evidence_sentences.append(mention.sentence)
            if len(kind) == 1:
                # The one incident of its kind: "the attacks on the villages of A and B"
                # says where the lead's "attacked two villages in the west" happened.
                _narrow_place(ctx, kind[0], mention)
            for event in kind:
                if not event.actors(ParticipantRole.PERPETRATOR):
                    for actor in mention.actors(ParticipantRole.PERPETRATOR):
                        event.add_participant(actor, ParticipantRole.PERPETRATOR)
        elif not (mention.weak and groups.event_class(mention.type) not in groups.weak_trigger_classes):
            home = _same_incident(ctx, events, mention)
            if home is not None:
                absorb(ctx, home, mention)
            else:
                events.append(mention)
    events.sort(key=lambda e: e.sentence)
    return _fold_quoted_openers(groups, events)


def _fold_quoted_openers(groups: EventTypeGroups, events: list[EventDraft]) -> list[EventDraft]:
    """A pull quote over the story ("'Dozens killed, most of them children'") names no
    incident of its own: a generic event told only inside quotation marks joins the first
    incident of its class the story tells in its own words."""
    kept: list[EventDraft] = []
    for event in events:
        home = next((e for e in events if e is not event and not e.weak and not e.quoted
                     and not e.background and groups.event_class(e.type) == groups.event_class(event.type)),
                    None) if event.weak and event.quoted and not event.background else None
        if home is None:
            kept.append(event)
            continue
        home.evidence_sentences.extend(s for s in event.evidence_sentences if s not in home.evidence_sentences)
        home.tokens |= event.tokens
        for entity, role in event.participants.items():
            home.add_participant(entity, role)
    return kept


def _narrow_place(ctx: ArticleContext, event: EventDraft, mention: EventDraft) -> None:
    event.tokens |= mention.tokens
    if (mention.place and not mention.place_near and event.place
            and may_contain(ctx, event.place, mention.place)):
        event.place = more_specific(ctx, event.place, mention.place)


def _latest_incident(groups: EventTypeGroups, events: list[EventDraft],
                     mention: EventDraft) -> EventDraft | None:
    return next((e for e in reversed(events) if groups.event_class(e.type) in groups.incident_classes
                 and e.background == mention.background), None)


def _consequence_of(groups: EventTypeGroups, events: list[EventDraft],
                    mention: EventDraft) -> EventDraft | None:
    """Looting, flight and destruction told with an incident are that incident's outcome:
    "the blast destroyed the vehicle", "residents fled after the raid"."""
    if mention.type not in groups.consequences:
        return None
    incidents = [e for e in events if groups.event_class(e.type) in groups.incident_classes
                 and e.background == mention.background]
    in_sentence = [e for e in incidents if mention.sentence in e.evidence_sentences]
    if in_sentence:
        return in_sentence[-1]
    if incidents and not (mention.separate or mention.actors(ParticipantRole.PERPETRATOR)):
        return incidents[-1]  # "the falling debris destroyed several homes"
    return None


def _same_incident(ctx: ArticleContext, events: list[EventDraft],
                   mention: EventDraft) -> EventDraft | None:
    """The event `mention` is positively a mention of, if any (the latest one first)."""
    fallback: EventDraft | None = None
    mention.claimant = mention.claimant if mention.claimant in ctx.entities else None
    if mention.definite and not mention.weak:
        # "the airstrike" refers to the air strike told, even with fighting told since
        same = [e for e in events if e.type is mention.type and not _conflict(ctx, e, mention)]
        if same:
            return same[-1]
        # "A bomb in Baghdad killed 40 … The bomb went off in the Hamra district": the
        # district the gazetteer lacks lies in the town the same bomb was told in
        for event in reversed(events):
            if (mention.place and event.place and event.type is mention.type
                    and _locality_of_town(ctx, mention.place, event.place)
                    and not _conflict(ctx, event, replace(mention, place=None))):
                ctx.entities[mention.place].parent = event.place
                return event
    for event in reversed(events):
        if mention.sentence in event.evidence_sentences and _compatible(ctx.event_types, event, mention) and not (
                _places_differ(ctx, event, mention) or _actors_differ(ctx, event, mention)
                or mention.background != event.background
                or (event.claimed_by and event.claimed_by != mention.claimed_by)):
            return event  # one sentence, one incident: "attacked the post, killing five"
        if _conflict(ctx, event, mention):
            continue
        if (mention.definite or _same_place(ctx, event, mention) or _same_day(event, mention)
                or _same_actor(ctx, event, mention) or _same_victims(ctx, event, mention)):
            return event
        if fallback is None and (_restates(ctx, mention, event) or _fills(event, mention)):
            fallback = event
    return fallback


def _fills(event: EventDraft, mention: EventDraft) -> bool:
    """The same specific word again, now with the place or day the first mention lacked:
    "a suicide bombing" in the lead, "the suicide bomber … in Bannu" later."""
    return (not mention.weak and mention.type is event.type and not event.place
            and not event.date and not event.weekday)


def _restates(ctx: ArticleContext, mention: EventDraft, event: EventDraft) -> bool:
    """A mention with no place, day or actor of its own restates the last incident it fits:
    "were killed", "passengers who had been taken hostage"; the same word again restates it
    whoever it names ("police arrested six men … the men were detained by police")."""
    if mention.place or mention.date or mention.weekday:
        return False
    return not _named_perpetrators(ctx, mention) or mention.type is event.type


def _conflict(ctx: ArticleContext, event: EventDraft, mention: EventDraft) -> bool:
    if not _compatible(ctx.event_types, event, mention) or event.background != mention.background:
        return True
    if event.claimed_by and event.claimed_by != mention.claimed_by:
        return True  # what a group only says it did takes no reported facts
    return (mention.separate or _days_conflict(event, mention) or _places_differ(ctx, event, mention)
            or _actors_differ(ctx, event, mention))


def _locality_of_town(ctx: ArticleContext, locality: str | None, town: str | None) -> bool:
    """Whether a locality known only to be in its country may lie in a town of that country."""
    inner, outer = ctx.entities.get(locality or ""), ctx.entities.get(town or "")
    if inner is None or outer is None or inner.gazetteer_id or outer.kind != "city":
        return False
    return inner.country == outer.country and len(ancestors(ctx, inner.id)) == 2


def _places_differ(ctx: ArticleContext, event: EventDraft, mention: EventDraft) -> bool:
    if event.place_near or mention.place_near:
        return False  # "near Kerbala" and "in Ain Tamr, west of Kerbala" may be one place
    return bool(event.place and mention.place and event.place != mention.place
                and not may_contain(ctx, event.place, mention.place))


def _same_victims(ctx: ArticleContext, event: EventDraft, mention: EventDraft) -> bool:
    """The mention's victims are named as ones already told of: "gunmen seized 30 pupils from a
    school …" then "the pupils were taken on Monday to a forest in X"."""
    if mention.token < 0 or mention.type is not event.type:
        return False
    victims = _definite_patient(ctx.doc[mention.token])
    if victims is None:
        return False
    told = {i for s in event.evidence_sentences for i in range(ctx.sentences[s].start, ctx.sentences[s].end)}
    return any(ctx.doc[i].lemma_.lower() == victims and ctx.doc[i].pos_ == "NOUN" for i in told
               if ctx.sentence_index(i) != mention.sentence)


def _definite_patient(trigger: Token) -> str | None:
    """The lemma of the trigger's patient when a definite article refers it back ("the
    hostages were freed"), else None."""
    verb = roles.governing_verb(trigger)
    patients = [c for c in verb.children if c.dep_ in ("nsubjpass", "dobj")]
    patients += [g for c in trigger.children if c.dep_ == "prep" and c.lower_ == "of"
                 for g in c.children if g.dep_ == "pobj"]
    for patient in patients:
        if patient.pos_ == "NOUN" and any(c.dep_ == "det" and c.lower_ in ("the", "these", "those")
                                           for c in patient.children):
            return patient.lemma_.lower()
    return None


def _named_perpetrators(ctx: ArticleContext, event: EventDraft) -> set[str]:
    """Perpetrators the report names: "gunmen" may be any group, so tells nothing apart."""
    return {a for a in event.actors(ParticipantRole.PERPETRATOR)
            if ctx.entities[a].type is not EntityType.ACTOR}


def _actors_differ(ctx: ArticleContext, event: EventDraft, mention: EventDraft) -> bool:
    ours = _named_perpetrators(ctx, event)
    theirs = _named_perpetrators(ctx, mention)
    return bool(ours and theirs and not ours & theirs and not _same_state(ctx, ours | theirs))


def _same_actor(ctx: ArticleContext, event: EventDraft, mention: EventDraft) -> bool:
    """The same named perpetrator, or the group that claimed it."""
    return bool(_actors_or_claimant(ctx, event) & _actors_or_claimant(ctx, mention))


def _actors_or_claimant(ctx: ArticleContext, event: EventDraft) -> set[str]:
    return _named_perpetrators(ctx, event) | ({event.claimant} if event.claimant else set())


def _compatible(groups: EventTypeGroups, event: EventDraft, mention: EventDraft) -> bool:
    if event.type is mention.type:
        return True
    a, b = groups.event_class(event.type), groups.event_class(mention.type)
    if mention.weak and b == "other":
        return True  # "the incident" refers to whatever was told
    if mention.type in groups.linked:
        return False  # "they later executed three hostages": a phase of its own
    return a == b and a not in ("other",) and event.type not in groups.phases


def _days_conflict(a: EventDraft, b: EventDraft) -> bool:
    if a.date is not None and b.date is not None:
        if a.date[1] is DatePrecision.DAY and b.date[1] is DatePrecision.DAY:
            return a.date[0] != b.date[0]
        return False
    # Undated reports still name weekdays: "on Tuesday" and "on Friday" are two days.
    return bool(a.weekday and b.weekday and a.weekday != b.weekday)


def _same_day(a: EventDraft, b: EventDraft) -> bool:
    if a.date is not None and b.date is not None:
        return a.date[1] is DatePrecision.DAY and a.date[0] == b.date[0]
    return bool(a.weekday and a.weekday == b.weekday)


def _same_place(ctx: ArticleContext, a: EventDraft, b: EventDraft) -> bool:
    """Both name one town or village (or one inside the other). A shared province or
    country is no evidence: a report tells several incidents in one region."""
    if not (a.place and b.place) or not (_local(ctx, a.place) or _local(ctx, b.place)):
        return False
    return a.place == b.place or may_contain(ctx, a.place, b.place)


def _local(ctx: ArticleContext, place: str) -> bool:
    draft = ctx.entities.get(place)
    return draft is not None and draft.kind not in ("admin_region", "country")


def _same_state(ctx: ArticleContext, actors: set[str]) -> bool:
    """Whether all these actors belong to one state: its forces and its government act as one."""
    drafts = [ctx.entities[a] for a in actors]
    return all(d.kind in ("state_force", "government") for d in drafts) and len(
        {d.country for d in drafts}) == 1


def ancestors(ctx: ArticleContext, place: str) -> list[str]:
    """The place and the places that contain it, innermost first: the article's own view
    (a village the text puts in a district) up to the gazetteer's hierarchy."""
    chain: list[str] = []
    current: str | None = place
    gazetteer = Gazetteer.load()
    while current and current not in chain:
        chain.append(current)
        draft = ctx.entities.get(current)
        if draft is not None and draft.parent:
            current = draft.parent
            continue
        record = gazetteer.get(current.removeprefix("place:"))
        if record is not None:
            chain += ["place:" + p.id for p in gazetteer.parents(record) if "place:" + p.id not in chain]
        break
    return chain


def may_contain(ctx: ArticleContext, a: str, b: str) -> bool:
    """Whether one of two places lies, or may lie, inside the other."""
    return (a in ancestors(ctx, b) or b in ancestors(ctx, a)
            or _loosely_inside(ctx, a, b) or _loosely_inside(ctx, b, a))


def _loosely_inside(ctx: ArticleContext, inner: str, outer: str) -> bool:
    """A locality the gazetteer lacks, known only to be in a country, may lie in any region
    of that country: "the explosion in Nangarhar" … "it occurred in Darai Nur district"."""
    draft, container = ctx.entities.get(inner), ctx.entities.get(outer)
    if draft is None or container is None or draft.gazetteer_id or not container.gazetteer_id:
        return False  # two places the gazetteer lacks: nothing says one holds the other
    if container.kind != "admin_region":
        return False  # a town may hold a village too, but round-ups name several of each
    parents = ancestors(ctx, inner)[1:]
    return bool(parents) and parents[0] in ancestors(ctx, outer)


def absorb(ctx: ArticleContext, event: EventDraft, mention: EventDraft) -> None:
    """Add a mention to its event. Of the same class, the most specific trigger names it."""
    if (not mention.weak and (event.weak or mention.rank > event.rank)
            and ctx.event_types.event_class(mention.type) == ctx.event_types.event_class(event.type)):
        event.type, event.rank, event.trigger = mention.type, mention.rank, mention.trigger
    if event.type is EventType.ATTACK and mention.type is EventType.ARMED_CLASH:
        event.type = mention.type  # violence against armed forces is a clash (ACLED)
    event.weak = event.weak and mention.weak
    for entity, role in mention.participants.items():
        event.add_participant(entity, role)
    if (mention.place and event.place and event.place_near and not mention.place_near
            and not may_contain(ctx, mention.place, event.place)):
        event.place, event.place_near = mention.place, False  # "near X", then "in Y"
    elif mention.place and (event.place is None or may_contain(ctx, event.place, mention.place)):
        event.place = more_specific(ctx, event.place, mention.place)
    if event.date is None or (mention.date and finer(mention.date, event.date)):
        event.date = mention.date or event.date
    event.weekday = event.weekday or mention.weekday
    event.tokens |= mention.tokens
    event.claimant = event.claimant or mention.claimant
    event.quoted = event.quoted and mention.quoted
    for sentence in mention.evidence_sentences:
        if sentence not in event.evidence_sentences:
            event.evidence_sentences.append(sentence)


def finer(a: tuple, b: tuple) -> bool:
    order = [DatePrecision.DAY, DatePrecision.WEEK, DatePrecision.MONTH, DatePrecision.YEAR]
    return order.index(a[1]) < order.index(b[1])


def more_specific(ctx: ArticleContext, current: str | None, candidate: str) -> str:
    if current is None or current in ancestors(ctx, candidate)[1:]:
        return candidate
    return candidate if _loosely_inside(ctx, candidate, current) else current


def link_phases(ctx: ArticleContext, events: list[EventDraft]) -> None:
    """Phases (executions, sabotage, hostage-taking) of an incident told before them are
    PART_OF it; the state's response RESPONDED_TO the incident it follows."""
    groups = ctx.event_types
    for index, event in enumerate(events):
        earlier = [e for e in events[:index] if not e.background
                   and groups.event_class(e.type) in groups.incident_classes and e.part_of is None]
        if event.background or not earlier:
            continue
        if event.type in groups.linked:
            perpetrators = set(event.actors(ParticipantRole.PERPETRATOR))
            for incident in reversed(earlier):
                theirs = set(incident.actors(ParticipantRole.PERPETRATOR))
                if _days_conflict(incident, event) or (perpetrators and theirs and not perpetrators & theirs):
                    continue
                if _places_differ(ctx, incident, event):
                    continue
                event.part_of = incident.id
                break
        elif event.type in groups.responses:
            event.responds_to = earlier[-1].id


def mark_background(ctx: ArticleContext, events: list[EventDraft]) -> None:
    """Events dated well before the lead's or the report's date are background too."""
    published = ctx.article.published
    lead = next((e for e in events if not e.background and e.date is not None), None)
    for event in events:
        if event.background or event.date is None:
            continue
        long_before_report = long_before(event.date, published)
        long_before_lead = (lead is not None and event is not lead and lead.date is not None
                            and lead.date[0] - event.date[0] > dt.timedelta(days=14))
        event.background = long_before_report or long_before_lead


def long_before(date: tuple | None, published: dt.date | None) -> bool:
    """Whether a date (date, precision, text) ends more than a month before publication:
    "in 2017" in a 2025 report, but not "in 2025"."""
    if date is None or published is None:
        return False
    start, precision = date[0], date[1]
    end = {DatePrecision.YEAR: start.replace(month=12, day=31),
           DatePrecision.MONTH: (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
           - dt.timedelta(days=1),
           DatePrecision.WEEK: start + dt.timedelta(days=6)}.get(precision, start)
    return (published - end).days > 31


def main_event(ctx: ArticleContext) -> EventDraft | None:
    """The article's lead incident: the foreground incident told most, the first on a tie."""
    events = ctx.events
    incidents = [e for e in events if e.part_of is None and e.type not in ctx.event_types.responses
                 and not e.background]
    pool = incidents or [e for e in events if not e.background] or events
    if not pool:
        return None
    return max(pool, key=lambda e: (len(e.evidence_sentences), -e.sentence))
