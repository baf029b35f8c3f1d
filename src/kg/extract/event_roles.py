"""Who did what to whom in one event mention: perpetrator, targets, the clause's reporter.

The dependency parse gives them: the subject of an active trigger verb or the agent of a
passive one is the perpetrator, its object or "on/against" phrase the target. A country
acts through its armed forces ("Russia attacked", "Israeli strikes"); an actor the report
names only by a word ("gunmen") is coded as ACLED codes such actors; unnamed victims are
"Civilians (Country)".
"""

from __future__ import annotations

from spacy.tokens import Token

from kg.extract.context import ArticleContext, EntityDraft, TokenMention
from kg.extract.knowledge import Knowledge
from kg.extract.lexicon import load_event_triggers
from kg.ids import entity_id
from kg.schema import ActorKind, EntityType, TargetKind

# The rules' word lists, read once from the `sets` of event_triggers.yaml.
_WORDS = load_event_triggers()
# Verbs whose object is the act: "launched an attack".
_SUPPORT_VERBS = _WORDS.word_set("support_verbs")


_PERPETRATORS = (EntityType.GROUP, EntityType.ORGANISATION, EntityType.PERSON, EntityType.ACTOR)


# Verbs of blame: their objects are accused, not attacked ("blamed the bombing on X").
BLAME_VERBS = _WORDS.word_set("blame_verbs")


_PRONOUNS = _WORDS.word_set("actor_pronouns")


def armed(ctx: ArticleContext, entity: str) -> bool:
    draft = ctx.entities[entity]
    return draft.type is EntityType.GROUP or draft.kind in ("state_force",
                                                            TargetKind.SECURITY_PERSONNEL.value)


def actor_fits(ctx: ArticleContext, entity: str, wanted: str) -> bool:
    """`state` triggers ("rescued", "raided") need a state actor, `non_state` ones a group."""
    draft = ctx.entities[entity]
    state = draft.type is EntityType.ORGANISATION and draft.kind in ("state_force", "government")
    if wanted == "state":
        return state
    if wanted == "non_state":
        return not state
    return True


def governing_verb(token: Token) -> Token:
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


def roles(ctx: ArticleContext, knowledge: Knowledge,
           trigger: Token) -> tuple[str | None, list[str], str | None]:
    """(perpetrator, targets, the entity reporting the clause) for one trigger."""
    verb = governing_verb(trigger)
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
        perpetrator = armed_forces_of(ctx, knowledge, perpetrator)
    # Only armed actors perpetrate; a passive "were killed" subject is a target, not an actor.
    if perpetrator and ctx.entities[perpetrator].type not in _PERPETRATORS:
        perpetrator = None
    if perpetrator is None and trigger.tag_ in ("NN", "NNS"):
        # "Israeli strikes", "Russian shelling", "a Ukrainian drone attack": a country's
        # adjective names its forces.
        modifiers = [c for c in trigger.children if c.dep_ in ("amod", "compound", "nmod")]
        modifiers += [g for c in modifiers if c.dep_ == "compound" for g in c.children]
        for child in modifiers:
            # "another al-Shabaab attack", "an M23 offensive": the group's own act
            named = ctx.token_mention.get(child.i)
            if (perpetrator is None and named and named.entity_id
                    and ctx.entities[named.entity_id].type in (EntityType.GROUP, EntityType.ORGANISATION)):
                perpetrator = named.entity_id
            country = knowledge.gazetteer.demonym(child.text) if child.dep_ in ("amod", "compound") else None
            if perpetrator is None and country is not None and country.country:
                perpetrator = armed_forces_of(ctx, knowledge, country.country)
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
    return perpetrator, targets, reporter or None


_COLLECTIVES = _WORDS.word_set("collectives")


def unnamed_actor(ctx: ArticleContext, knowledge: Knowledge, token: Token,
                  protest: bool = False) -> str | None:
    """An actor the report names only by a word, coded as ACLED codes it:
    "Unidentified armed group (Nigeria)" for "armed bandits", "Protesters (Kosovo)".
    In a protest, people of any kind ("residents", "students") are its protesters."""
    if token.lemma_.lower() in _COLLECTIVES or token.lower_ in ("one", "some"):
        # "a group of gunmen", "one of the attackers", "hundreds of students"
        token = next((o for c in token.children if c.dep_ == "prep" and c.lower_ == "of"
                      for o in c.children), token)
    sets = knowledge.triggers.sets
    # A capitalised plural opening a sentence keeps its form as lemma ("Terrorists").
    words = {token.lemma_.lower(), token.lower_, token.lower_.removesuffix("s")} | {
        c.lemma_.lower() for c in token.children if c.dep_ in ("amod", "compound")}
    kinds = [(ActorKind.UNIDENTIFIED_ARMED_GROUP, "Unidentified armed group", "unnamed_armed"),
             (ActorKind.PROTESTERS, "Protesters", "unnamed_protesters"),
             (ActorKind.RIOTERS, "Rioters", "unnamed_rioters")]
    if protest:
        kinds.insert(0, (ActorKind.PROTESTERS, "Protesters", "protest_people"))
    found = next(((kind, label) for kind, label, key in kinds if words & set(sets.get(key, ()))), None)
    named = ctx.token_mention.get(token.i)
    if found is None or token.pos_ not in ("NOUN", "PROPN") or (named and named.entity_id):
        return None
    kind, label = found
    home = home_country(ctx)
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


def home_country(ctx: ArticleContext) -> str | None:
    """The article's country: the one it names most, else the country of its first place."""
    if ctx.countries:
        return ctx.countries[0]
    return next((e.country for e in ctx.entities.values() if e.type is EntityType.PLACE and e.country),
                None)


def armed_forces_of(ctx: ArticleContext, knowledge: Knowledge, country_id: str) -> str | None:
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
            # "" for a speaker the text does not name ("the coalition … saying it was
            # targeting"): the pronoun is that speaker, not the article's main group
            return ctx.entity_at(speaker) or ""
    return None


def _actor(ctx: ArticleContext, token: Token, reporter: str | None) -> str | None:
    if token.lower_ in _PRONOUNS:
        # "stated that it had executed": the pronoun is the speaker itself.
        if reporter is not None:
            return reporter or None
        return ctx.main_group if token.lower_ in ("they", "it") else None
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
    home = home_country(ctx)
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


def claimant(ctx: ArticleContext, trigger: Token) -> str | None:
    """"X claimed (responsibility for) the attack": X, to tell which mentions are one incident."""
    for ancestor in list(trigger.ancestors)[:4]:
        if ancestor.lemma_.lower() == "claim" and ancestor.pos_ == "VERB":
            subject = _subject(ancestor)
            return ctx.entity_at(subject) if subject is not None else None
    return None


def protest_roles(ctx: ArticleContext, knowledge: Knowledge, trigger: Token,
                  perpetrator: str | None) -> tuple[str | None, str | None]:
    """(protesters, responder) of a protest mention. ACLED's first actor of a protest is
    its protesters, the force that dispersed them the second: in "troops moved to disperse
    Serbian demonstrators" the demonstrators protested and the troops responded."""
    verb = governing_verb(trigger)
    if trigger.dep_ == "dobj":
        verb = trigger.head  # "police fired tear gas to disperse students"
    clauses = [verb] + [c for c in verb.children if c.dep_ in ("xcomp", "advcl") and c.pos_ == "VERB"]
    people = [c for v in clauses for c in v.children if c.dep_ in ("nsubj", "dobj", "nsubjpass")]
    if trigger.pos_ == "NOUN":
        people += [c for c in trigger.children if c.dep_ == "prep" and c.lower_ == "by"]
        people = [o if o.dep_ != "prep" else next(iter(o.children), o) for o in people]
    protesters = next((a for p in people if (a := unnamed_actor(ctx, knowledge, p, protest=True))),
                      None)
    if protesters is None:
        return perpetrator, None
    state = perpetrator is not None and ctx.entities[perpetrator].kind in ("state_force", "government")
    return protesters, perpetrator if state else None


def sides(ctx: ArticleContext, knowledge: Knowledge, trigger: Token) -> list[str]:
    """Both sides of a clash: "a clash between militants and paramilitary troops"."""
    found: list[str] = []
    for prep in (c for c in trigger.children if c.dep_ == "prep" and c.lower_ == "between"):
        for obj in prep.children:
            for side in [obj, *obj.conjuncts]:
                actor = _actor(ctx, side, None) or unnamed_actor(ctx, knowledge, side)
                if actor and ctx.entities[actor].type in _PERPETRATORS and actor not in found:
                    found.append(actor)
    return found
