"""The closed vocabulary of the graph, shared by extraction, Neo4j and RDF.

Every label, relationship type and enumerated property value that `kg` writes is
defined here. `cypher/schema.cypher` and `ontology/kg.ttl` mirror these names, and
tests check that the three stay in step. Query text may only contain labels and
relationship types taken from these enums, never from data.
"""

from __future__ import annotations

from enum import StrEnum


class Label(StrEnum):
    """Node labels in Neo4j (and classes in the ontology)."""

    ARTICLE = "Article"
    EVENT = "Event"
    GROUP = "Group"
    ORGANISATION = "Organisation"
    PLACE = "Place"
    PERSON = "Person"
    TARGET = "Target"
    ACTOR = "Actor"
    QUOTE = "Quote"
    FIGURE = "Figure"


class ReviewLabel(StrEnum):
    """Labels of the review layer (`kg.review`), apart from `Label`: a correction is an analyst's
    record about the graph, not a fact extracted from an article, so the loader never writes one."""

    CORRECTION = "Correction"


class ReviewRelType(StrEnum):
    """`(:Correction)-[:CORRECTS]->(node)`: the node a correction shows on, refreshed at every load."""

    CORRECTS = "CORRECTS"


class EntityType(StrEnum):
    """The kinds of named thing an article mentions; each is also a node label.

    `Target` holds what was attacked when it is neither an actor nor a place:
    a train, its passengers, civilians, infrastructure. `Actor` holds who acted when the
    report names no one: coded as ACLED codes them, "Unidentified armed group (Nigeria)",
    "Protesters (Kosovo)", with the report's own words ("gunmen") as aliases.
    """

    GROUP = "Group"
    ORGANISATION = "Organisation"
    PLACE = "Place"
    PERSON = "Person"
    TARGET = "Target"
    ACTOR = "Actor"

    @property
    def label(self) -> Label:
        return Label(self.value)


class GroupKind(StrEnum):
    """Non-state armed actors, after ACLED's actor types."""

    REBEL = "rebel"  # armed opposition aiming to take or split off state power
    SEPARATIST = "separatist"
    JIHADIST = "jihadist"
    MILITIA = "militia"  # political, communal or identity militias
    CRIMINAL = "criminal"  # cartels and gangs
    OTHER = "other"


class OrganisationKind(StrEnum):
    STATE_FORCE = "state_force"
    GOVERNMENT = "government"
    MEDIA = "media"
    INTERNATIONAL = "international"
    COMPANY = "company"
    NGO = "ngo"
    POLITICAL_PARTY = "political_party"
    PROGRAMME = "programme"  # state programmes such as the Belt and Road Initiative
    OTHER = "other"


class PlaceKind(StrEnum):
    COUNTRY = "country"
    ADMIN_REGION = "admin_region"
    CITY = "city"
    VILLAGE = "village"
    OTHER = "other"


class TargetKind(StrEnum):
    CIVILIANS = "civilians"
    SECURITY_PERSONNEL = "security_personnel"
    VEHICLE = "vehicle"  # trains, buses, convoys, ships, aircraft
    INFRASTRUCTURE = "infrastructure"
    FACILITY = "facility"  # schools, hospitals, camps, places of worship
    OTHER = "other"


class ActorKind(StrEnum):
    """Unnamed actors, after ACLED's collective actor names."""

    UNIDENTIFIED_ARMED_GROUP = "unidentified_armed_group"  # "gunmen", "bandits", "militants"
    PROTESTERS = "protesters"  # peaceful demonstrators
    RIOTERS = "rioters"  # violent demonstrators, mobs
    OTHER = "other"


class GeoPrecision(StrEnum):
    """How precisely a place is known, after UCDP `where_prec` / ACLED `geo_precision`."""

    EXACT = "exact"  # a named town or village from the gazetteer
    NEAR = "near"  # "near", "outskirts of", "X km from"
    ADMIN_REGION = "admin_region"  # only the province / state is known
    COUNTRY = "country"
    UNKNOWN = "unknown"


class DatePrecision(StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    YEAR = "year"


class EventType(StrEnum):
    """kg's event taxonomy. Each type maps to one ACLED (event type, sub-event type) pair."""

    ARMED_CLASH = "armed_clash"
    SECURITY_OPERATION = "security_operation"
    GOVERNMENT_REGAINS_TERRITORY = "government_regains_territory"
    TERRITORY_SEIZED = "territory_seized"
    AIR_STRIKE = "air_strike"
    SHELLING = "shelling"
    BOMBING = "bombing"
    SUICIDE_BOMBING = "suicide_bombing"
    GRENADE_ATTACK = "grenade_attack"
    CHEMICAL_ATTACK = "chemical_attack"
    ATTACK = "attack"
    HOSTAGE_TAKING = "hostage_taking"
    ABDUCTION = "abduction"
    EXECUTION = "execution"
    SEXUAL_VIOLENCE = "sexual_violence"
    PROTEST = "protest"
    PROTEST_WITH_INTERVENTION = "protest_with_intervention"
    RIOT = "riot"
    MOB_VIOLENCE = "mob_violence"
    ARREST = "arrest"
    SABOTAGE = "sabotage"
    LOOTING = "looting"
    AGREEMENT = "agreement"
    WEAPONS_SEIZURE = "weapons_seizure"
    DISPLACEMENT = "displacement"
    OTHER = "other"

    @property
    def acled(self) -> tuple[str, str]:
        """The ACLED (event type, sub-event type) this type is coded as."""
        return ACLED_MAPPING[self]


_BATTLES = "Battles"
_REMOTE = "Explosions/Remote violence"
_VAC = "Violence against civilians"
_PROTESTS = "Protests"
_RIOTS = "Riots"
_STRATEGIC = "Strategic developments"

# Documented in docs/event-taxonomy.md; a test keeps the two in step.
ACLED_MAPPING: dict[EventType, tuple[str, str]] = {
    EventType.ARMED_CLASH: (_BATTLES, "Armed clash"),
    # A raid or rescue operation against an armed group is, in ACLED's terms, a clash.
    EventType.SECURITY_OPERATION: (_BATTLES, "Armed clash"),
    EventType.GOVERNMENT_REGAINS_TERRITORY: (_BATTLES, "Government regains territory"),
    EventType.TERRITORY_SEIZED: (_BATTLES, "Non-state actor overtakes territory"),
    EventType.AIR_STRIKE: (_REMOTE, "Air/drone strike"),
    EventType.SHELLING: (_REMOTE, "Shelling/artillery/missile attack"),
    EventType.BOMBING: (_REMOTE, "Remote explosive/landmine/IED"),
    EventType.SUICIDE_BOMBING: (_REMOTE, "Suicide bomb"),
    EventType.GRENADE_ATTACK: (_REMOTE, "Grenade"),
    EventType.CHEMICAL_ATTACK: (_REMOTE, "Chemical weapon"),
    EventType.ATTACK: (_VAC, "Attack"),
    EventType.HOSTAGE_TAKING: (_VAC, "Abduction/forced disappearance"),
    EventType.ABDUCTION: (_VAC, "Abduction/forced disappearance"),
    EventType.EXECUTION: (_VAC, "Attack"),
    EventType.SEXUAL_VIOLENCE: (_VAC, "Sexual violence"),
    EventType.PROTEST: (_PROTESTS, "Peaceful protest"),
    EventType.PROTEST_WITH_INTERVENTION: (_PROTESTS, "Protest with intervention"),
    EventType.RIOT: (_RIOTS, "Violent demonstration"),
    EventType.MOB_VIOLENCE: (_RIOTS, "Mob violence"),
    EventType.ARREST: (_STRATEGIC, "Arrests"),
    EventType.SABOTAGE: (_STRATEGIC, "Looting/property destruction"),
    EventType.LOOTING: (_STRATEGIC, "Looting/property destruction"),
    EventType.AGREEMENT: (_STRATEGIC, "Agreement"),
    EventType.WEAPONS_SEIZURE: (_STRATEGIC, "Disrupted weapons use"),
    EventType.DISPLACEMENT: (_STRATEGIC, "Other"),
    EventType.OTHER: (_STRATEGIC, "Other"),
}


class ParticipantRole(StrEnum):
    PERPETRATOR = "perpetrator"
    TARGET = "target"
    RESPONDER = "responder"
    PARTICIPANT = "participant"


class FigureKind(StrEnum):
    KILLED = "killed"
    WOUNDED = "wounded"
    HOSTAGES = "hostages"
    RESCUED = "rescued"
    MISSING = "missing"
    DISPLACED = "displaced"
    ARRESTED = "arrested"
    ABOARD = "aboard"
    ATTACKERS = "attackers"
    OTHER = "other"


class RelType(StrEnum):
    """Relationship types. Direction is documented in `RELATIONS` below."""

    REPORTS = "REPORTS"
    MENTIONS = "MENTIONS"
    PERPETRATED = "PERPETRATED"
    CLAIMED_RESPONSIBILITY = "CLAIMED_RESPONSIBILITY"
    DENIED_RESPONSIBILITY = "DENIED_RESPONSIBILITY"
    ATTRIBUTED_TO = "ATTRIBUTED_TO"
    TARGETED = "TARGETED"
    RESPONDED_TO = "RESPONDED_TO"
    OCCURRED_IN = "OCCURRED_IN"
    LOCATED_IN = "LOCATED_IN"
    PART_OF = "PART_OF"
    SAID = "SAID"
    QUOTED_IN = "QUOTED_IN"
    REPORTED_BY = "REPORTED_BY"
    ABOUT = "ABOUT"
    HOLDS_ROLE = "HOLDS_ROLE"
    HAS_FIGURE = "HAS_FIGURE"
    ACCORDING_TO = "ACCORDING_TO"
    SEEKS = "SEEKS"
    DEMANDS = "DEMANDS"
    ACTIVE_IN = "ACTIVE_IN"
    INVESTED_IN = "INVESTED_IN"
    BASED_IN = "BASED_IN"


_ACTORS = (Label.GROUP, Label.ORGANISATION, Label.PERSON)
_ANY_ENTITY = (Label.GROUP, Label.ORGANISATION, Label.PLACE, Label.PERSON, Label.TARGET,
               Label.ACTOR)

# (allowed source labels, allowed target labels) for every relationship type.
# The extractor's output is validated against this table before it is loaded.
RELATIONS: dict[RelType, tuple[tuple[Label, ...], tuple[Label, ...]]] = {
    RelType.REPORTS: ((Label.ARTICLE,), (Label.EVENT,)),
    RelType.MENTIONS: ((Label.ARTICLE,), _ANY_ENTITY),
    # An unnamed actor ("gunmen") acts, is targeted and can be blamed; it never claims, denies,
    # speaks or is a source: who does those has a name.
    RelType.PERPETRATED: ((*_ACTORS, Label.ACTOR), (Label.EVENT,)),
    RelType.CLAIMED_RESPONSIBILITY: ((Label.GROUP, Label.ORGANISATION), (Label.EVENT,)),
    RelType.DENIED_RESPONSIBILITY: ((Label.GROUP, Label.ORGANISATION), (Label.EVENT,)),
    RelType.ATTRIBUTED_TO: ((Label.EVENT,), (Label.GROUP, Label.ORGANISATION, Label.ACTOR)),
    RelType.TARGETED: ((Label.EVENT,), _ANY_ENTITY),
    RelType.RESPONDED_TO: ((Label.ORGANISATION, Label.GROUP), (Label.EVENT,)),
    RelType.OCCURRED_IN: ((Label.EVENT,), (Label.PLACE,)),
    RelType.LOCATED_IN: ((Label.PLACE,), (Label.PLACE,)),
    RelType.PART_OF: ((Label.EVENT,), (Label.EVENT,)),
    # A named person, or the organisation or group a quote is given to as a body ("the
    # ministry said").
    RelType.SAID: ((Label.PERSON, Label.ORGANISATION, Label.GROUP), (Label.QUOTE,)),
    RelType.QUOTED_IN: ((Label.QUOTE,), (Label.ARTICLE,)),
    RelType.REPORTED_BY: ((Label.QUOTE,), (Label.ORGANISATION,)),
    RelType.ABOUT: ((Label.QUOTE,), (Label.EVENT,)),
    RelType.HOLDS_ROLE: ((Label.PERSON,), (Label.ORGANISATION, Label.PLACE, Label.GROUP)),
    RelType.HAS_FIGURE: ((Label.EVENT,), (Label.FIGURE,)),
    RelType.ACCORDING_TO: ((Label.FIGURE,), (*_ACTORS, Label.ARTICLE)),
    RelType.SEEKS: ((Label.GROUP, Label.ORGANISATION), (Label.PLACE,)),
    RelType.DEMANDS: ((Label.GROUP, Label.ORGANISATION), (Label.ORGANISATION, Label.GROUP)),
    RelType.ACTIVE_IN: ((Label.GROUP, Label.ORGANISATION), (Label.PLACE,)),
    RelType.INVESTED_IN: ((Label.PLACE, Label.ORGANISATION), (Label.PLACE,)),
    RelType.BASED_IN: ((Label.GROUP, Label.ORGANISATION), (Label.PLACE,)),
}
