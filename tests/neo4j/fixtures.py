"""Hand-built article graphs for the loader and query tests.

Three articles, written as an extractor would see them:

- `siege_dw()`: the Jaffar Express siege (the project's seed example), DW-style, published
  2025-03-12: the BLA's attack on the train, the overnight security operation, the BLA's
  claimed execution of about 50 hostages; quotes from Sarfraz Bugti, an anonymous official
  (to DPA) and a survivor (to AFP); figures 450 aboard, ~190 freed, "several" killed, ~50
  executed according to the BLA.
- `siege_afp()`: the same incident from another outlet a day later. The group appears only as
  "BLA" (id `group:bla`: the alias file merges it into the Baloch Liberation Army); the place
  is the Bolan district, inside Balochistan; its figures conflict with DW's (346 freed vs ~190)
  and it quotes the military spokesman.
- `quetta_bombing()`: an unrelated earlier event, the Quetta railway station bombing of
  2024-11-09, claimed by the BLA: a different Event however the groups and places overlap.
  It also names a second group active in Balochistan, the Balochistan Liberation Front.

`gunmen_attack()`: an attack in north-west Nigeria by "gunmen" the report never names: the
perpetrator is an `Actor`, "Unidentified armed group (Nigeria)", which the police also blame
(ATTRIBUTED_TO); the villagers it killed are a `Target`.

`siege_dw_corrected()` is DW's article after an edit (a correction of the death toll): the
same id, a new content hash.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from neo4j import Driver, RoutingControl

from kg.models import (
    Article,
    ArticleGraph,
    Entity,
    Event,
    Evidence,
    Figure,
    Mention,
    Participant,
    Quote,
    Relation,
)
from kg.schema import (
    DatePrecision,
    EntityType,
    EventType,
    FigureKind,
    GeoPrecision,
    ParticipantRole,
    RelType,
)

VERSION = "test-extractor-1"

# Canonical ids, as kg.ids.entity_id makes them.
BLA = "group:baloch-liberation-army"
BLA_SHORT = "group:bla"
BLF = "group:balochistan-liberation-front"
FORCES = "organisation:pakistani-security-forces"
GOVERNMENT = "organisation:government-of-pakistan"
DPA = "organisation:dpa"
AFP = "organisation:afp"
PAKISTAN = "place:geonames:1168579"
BALOCHISTAN = "place:geonames:1183606"
QUETTA = "place:geonames:1167528"
PESHAWAR = "place:geonames:1168197"
BOLAN = "place:pk:bolan"
BUGTI = "person:sarfraz-bugti"
CHAUDHRY = "person:ahmed-sharif-chaudhry"
TRAIN = "target:jaffar-express"
PASSENGERS = "target:passengers"
STATION = "target:quetta-railway-station"
GUNMEN = "actor:unidentified-armed-group-nigeria"
VILLAGERS = "target:civilians-nigeria"
NIGERIA = "place:geonames:2328926"
ANKA = "place:ng:anka"

ALIAS_FILE = f"""\
version: 1
merge:
  {BLA}: [{BLA_SHORT}, Baloch Liberation Army (BLA)]
"""


@dataclass
class Doc:
    """An article body built from sentences, handing out exact evidence and mention offsets."""

    sentences: list[str]
    text: str = field(init=False)
    starts: list[int] = field(init=False)

    def __post_init__(self) -> None:
        self.starts, pos = [], 0
        for sentence in self.sentences:
            self.starts.append(pos)
            pos += len(sentence) + 1
        self.text = " ".join(self.sentences)

    def ev(self, phrase: str) -> Evidence:
        """The sentence containing `phrase`."""
        for sentence, start in zip(self.sentences, self.starts, strict=True):
            if phrase in sentence:
                return Evidence(text=sentence, start=start, end=start + len(sentence))
        raise KeyError(phrase)

    def mentions(self, *phrases: str) -> list[Mention]:
        found = []
        for phrase in phrases:
            pos = self.text.find(phrase)
            while pos >= 0:
                found.append(Mention(text=phrase, start=pos, end=pos + len(phrase)))
                pos = self.text.find(phrase, pos + len(phrase))
        return sorted(found, key=lambda m: m.start)

    def span(self, phrase: str) -> tuple[int, int]:
        start = self.text.index(phrase)
        return start, start + len(phrase)


def _event(event_id: str, type_: EventType, label: str, *, evidence: list[Evidence],
           date: dt.date | None, precision: DatePrecision | None = DatePrecision.DAY,
           date_text: str | None = None, place: str | None = None,
           participants: Sequence[tuple[str, ParticipantRole]] = (),
           claimed_by: str | None = None, part_of: str | None = None) -> Event:
    acled = type_.acled
    return Event(id=event_id, type=type_, acled_event_type=acled[0], acled_sub_event_type=acled[1],
                 label=label, date=date, date_precision=precision if date else None,
                 date_text=date_text, place=place,
                 participants=[Participant(entity=e, role=r) for e, r in participants],
                 claimed_by=claimed_by, part_of=part_of, evidence=evidence)


def _places(doc: Doc, *, with_peshawar: bool = True) -> list[Entity]:
    places = [
        Entity(id=PAKISTAN, type=EntityType.PLACE, name="Pakistan", kind="country", country="PK",
               latitude=30.0, longitude=70.0, gazetteer_id="geonames:1168579",
               precision=GeoPrecision.COUNTRY, mentions=doc.mentions("Pakistan ")),
        Entity(id=BALOCHISTAN, type=EntityType.PLACE, name="Balochistan", kind="admin_region",
               country="PK", latitude=28.5, longitude=65.0, gazetteer_id="geonames:1183606",
               parent=PAKISTAN, precision=GeoPrecision.ADMIN_REGION,
               mentions=doc.mentions("Balochistan")),
        Entity(id=QUETTA, type=EntityType.PLACE, name="Quetta", kind="city", country="PK",
               latitude=30.18, longitude=66.99, gazetteer_id="geonames:1167528", parent=BALOCHISTAN,
               precision=GeoPrecision.EXACT, mentions=doc.mentions("Quetta")),
    ]
    if with_peshawar:
        places.append(Entity(id=PESHAWAR, type=EntityType.PLACE, name="Peshawar", kind="city",
                             country="PK", latitude=34.01, longitude=71.58,
                             gazetteer_id="geonames:1168197", parent=PAKISTAN,
                             precision=GeoPrecision.EXACT, mentions=doc.mentions("Peshawar")))
    return [p for p in places if p.mentions or p.id in (PAKISTAN, BALOCHISTAN)]


DW_SENTENCES = [
    "Several hostages on a train in southwestern Pakistan were killed, officials confirmed on Wednesday, a day after Baloch separatists launched an attack on the train in the Balochistan region.",
    "Approximately 450 passengers were aboard the Jaffar Express when it was ambushed on Tuesday.",
    'Balochistan Chief Minister Sarfraz Bugti acknowledged the casualties, stating, "People have also been martyred, but we will share details later."',
    '"Our operation has entered its final phase. All the militants have been killed," a Pakistani official told Germany\'s DPA news agency.',
    "The Baloch Liberation Army (BLA), which claimed responsibility for the attack, stated that it had executed around 50 hostages.",
    "Overnight, Pakistani security forces successfully freed around 190 hostages.",
    "The train was travelling from Quetta, the provincial capital, to Peshawar.",
    '"I can\'t find the words to describe how we managed to escape," one of the survivors told the AFP news agency.',
    "The BLA seeks independence for Balochistan and demands that the Government of Pakistan release its imprisoned members.",
]


def siege_dw(*, sentences: list[str] | None = None, with_peshawar: bool = True,
             killed: tuple[int | None, int | None, str] = (None, None, "Several hostages")) -> ArticleGraph:
    doc = Doc(sentences or DW_SENTENCES)
    aid = "dw0000000000siege"
    article = Article(id=aid, title="Hostages Killed as Balochistan Train Siege Ends in Pakistan",
                      summary="Baloch separatists attacked a train in Pakistan's Balochistan region.",
                      text=doc.text, url="https://www.dw.com/en/train-siege", source="DW",
                      published=dt.date(2025, 3, 12), language="en", origin="fixtures/dw.txt")
    attack, operation, execution = f"event:{aid}:1", f"event:{aid}:2", f"event:{aid}:3"
    entities = [
        Entity(id=BLA, type=EntityType.GROUP, name="Baloch Liberation Army", kind="separatist",
               country="PK", aliases=["BLA", "Baloch separatists"],
               mentions=doc.mentions("Baloch Liberation Army", "BLA", "Baloch separatists")),
        Entity(id=FORCES, type=EntityType.ORGANISATION, name="Pakistani security forces",
               kind="state_force", country="PK", mentions=doc.mentions("Pakistani security forces")),
        Entity(id=GOVERNMENT, type=EntityType.ORGANISATION, name="Government of Pakistan",
               kind="government", country="PK", mentions=doc.mentions("Government of Pakistan")),
        Entity(id=DPA, type=EntityType.ORGANISATION, name="DPA", kind="media", country="DE",
               mentions=doc.mentions("DPA")),
        Entity(id=AFP, type=EntityType.ORGANISATION, name="AFP", kind="media", country="FR",
               mentions=doc.mentions("AFP")),
        Entity(id=BUGTI, type=EntityType.PERSON, name="Sarfraz Bugti", role="Chief Minister",
               country="PK", affiliation=BALOCHISTAN, mentions=doc.mentions("Sarfraz Bugti")),
        Entity(id=TRAIN, type=EntityType.TARGET, name="Jaffar Express", kind="vehicle", country="PK",
               mentions=doc.mentions("Jaffar Express")),
        Entity(id=PASSENGERS, type=EntityType.TARGET, name="passengers", kind="civilians",
               mentions=doc.mentions("passengers")),
        *_places(doc, with_peshawar=with_peshawar),
    ]
    events = [
        _event(attack, EventType.HOSTAGE_TAKING, "BLA attack on the Jaffar Express",
               evidence=[doc.ev("launched an attack"), doc.ev("ambushed")],
               date=dt.date(2025, 3, 11), date_text="Tuesday", place=BALOCHISTAN,
               participants=[(BLA, ParticipantRole.PERPETRATOR), (TRAIN, ParticipantRole.TARGET),
                             (PASSENGERS, ParticipantRole.TARGET)]),
        _event(operation, EventType.SECURITY_OPERATION, "Overnight security operation ends the siege",
               evidence=[doc.ev("successfully freed")], date=dt.date(2025, 3, 12),
               date_text="Overnight", place=BALOCHISTAN,
               participants=[(FORCES, ParticipantRole.PERPETRATOR), (BLA, ParticipantRole.TARGET)]),
        _event(execution, EventType.EXECUTION, "BLA says it executed hostages",
               evidence=[doc.ev("executed around 50")], date=dt.date(2025, 3, 11),
               date_text=None, place=BALOCHISTAN, participants=[(BLA, ParticipantRole.PERPETRATOR)],
               claimed_by=BLA, part_of=attack),
    ]
    quotes = [
        Quote(id=f"quote:{aid}:1", text="People have also been martyred, but we will share details later.",
              speaker=BUGTI, event=attack, evidence=doc.ev("martyred"),
              start=doc.span("People have")[0], end=doc.span("details later.")[1]),
        Quote(id=f"quote:{aid}:2", text="Our operation has entered its final phase. All the militants have been killed,",
              speaker_description="a Pakistani official", reported_by=DPA, event=operation,
              evidence=doc.ev("final phase"), start=doc.span("Our operation")[0],
              end=doc.span("have been killed,")[1]),
        Quote(id=f"quote:{aid}:3", text="I can't find the words to describe how we managed to escape,",
              speaker_description="one of the survivors", reported_by=AFP,
              evidence=doc.ev("find the words"), start=doc.span("I can't")[0],
              end=doc.span("to escape,")[1]),
    ]
    killed_min, killed_max, killed_text = killed
    figures = [
        Figure(id=f"figure:{aid}:1", kind=FigureKind.ABOARD, min=450, max=450, approximate=True,
               qualifier="Approximately", text="Approximately 450 passengers", who="passengers",
               event=attack, evidence=doc.ev("450 passengers")),
        Figure(id=f"figure:{aid}:2", kind=FigureKind.RESCUED, min=190, max=190, approximate=True,
               qualifier="around", text="around 190 hostages", who="hostages", event=operation,
               according_to=FORCES, evidence=doc.ev("190 hostages")),
        Figure(id=f"figure:{aid}:3", kind=FigureKind.KILLED, min=killed_min, max=killed_max,
               approximate=killed_min is None, qualifier="several" if killed_min is None else None,
               text=killed_text, who="hostages", event=attack,
               according_to_description="officials", evidence=doc.ev(killed_text)),
        Figure(id=f"figure:{aid}:4", kind=FigureKind.KILLED, min=50, max=50, approximate=True,
               qualifier="around", text="around 50 hostages", who="hostages", event=execution,
               according_to=BLA, evidence=doc.ev("executed around 50")),
    ]
    relations = [
        Relation(source=BLA, type=RelType.CLAIMED_RESPONSIBILITY, target=attack,
                 evidence=doc.ev("claimed responsibility"), confidence=0.9),
        Relation(source=BLA, type=RelType.SEEKS, target=BALOCHISTAN,
                 properties={"goal": "independence"}, evidence=doc.ev("seeks independence")),
        Relation(source=BLA, type=RelType.DEMANDS, target=GOVERNMENT,
                 properties={"demand": "release of imprisoned members"},
                 evidence=doc.ev("release its imprisoned")),
        Relation(source=FORCES, type=RelType.RESPONDED_TO, target=attack,
                 evidence=doc.ev("successfully freed"), confidence=0.7),
    ]
    return ArticleGraph(article=article, extractor_version=VERSION, entities=entities,
                        events=events, quotes=quotes, figures=figures, relations=relations)


def siege_dw_corrected() -> ArticleGraph:
    """DW's article after an edit: Peshawar dropped, the death toll now "at least 21"."""
    sentences = list(DW_SENTENCES)
    sentences[0] = sentences[0].replace("Several hostages", "At least 21 hostages")
    sentences[6] = "The train was travelling from Quetta, the provincial capital."
    return siege_dw(sentences=sentences, with_peshawar=False,
                    killed=(21, None, "At least 21 hostages"))


AFP_SENTENCES = [
    "Pakistan's military said on Wednesday it had ended the siege of a passenger train seized by BLA militants in the Bolan district of Balochistan.",
    "Security forces freed 346 hostages and killed all 33 attackers, military spokesman Ahmed Sharif Chaudhry said.",
    "Twenty-one hostages were killed before the operation, he said.",
    '"All the terrorists have been killed," Chaudhry told reporters in Rawalpindi.',
    "The militants had blown up the track and stormed the Jaffar Express on Tuesday.",
]


def siege_afp() -> ArticleGraph:
    doc = Doc(AFP_SENTENCES)
    aid = "afp000000000siege"
    article = Article(id=aid, title="Pakistan says train siege over, 21 hostages killed",
                      text=doc.text, url="https://www.afp.com/en/train-siege-over", source="AFP",
                      published=dt.date(2025, 3, 13), language="en", origin="fixtures/afp.txt")
    seizure, operation = f"event:{aid}:1", f"event:{aid}:2"
    entities = [
        Entity(id=BLA_SHORT, type=EntityType.GROUP, name="BLA", kind="separatist",
               mentions=doc.mentions("BLA")),
        Entity(id=FORCES, type=EntityType.ORGANISATION, name="Pakistani security forces",
               kind="state_force", country="PK", aliases=["Security forces", "Pakistan's military"],
               mentions=doc.mentions("Security forces", "Pakistan's military")),
        Entity(id=CHAUDHRY, type=EntityType.PERSON, name="Ahmed Sharif Chaudhry",
               role="military spokesman", country="PK", affiliation=FORCES,
               mentions=doc.mentions("Ahmed Sharif Chaudhry", "Chaudhry told")),
        Entity(id=TRAIN, type=EntityType.TARGET, name="Jaffar Express", kind="vehicle", country="PK",
               mentions=doc.mentions("Jaffar Express")),
        Entity(id=PAKISTAN, type=EntityType.PLACE, name="Pakistan", kind="country", country="PK",
               latitude=30.0, longitude=70.0, gazetteer_id="geonames:1168579",
               precision=GeoPrecision.COUNTRY, mentions=doc.mentions("Pakistan")),
        Entity(id=BALOCHISTAN, type=EntityType.PLACE, name="Balochistan", kind="admin_region",
               country="PK", latitude=28.5, longitude=65.0, gazetteer_id="geonames:1183606",
               parent=PAKISTAN, precision=GeoPrecision.ADMIN_REGION, aliases=["Baluchistan"],
               mentions=doc.mentions("Balochistan")),
        Entity(id=BOLAN, type=EntityType.PLACE, name="Bolan", kind="admin_region", country="PK",
               latitude=29.6, longitude=67.6, parent=BALOCHISTAN, precision=GeoPrecision.ADMIN_REGION,
               aliases=["Bolan district"], mentions=doc.mentions("Bolan district")),
    ]
    events = [
        _event(seizure, EventType.ATTACK, "Militants storm the Jaffar Express",
               evidence=[doc.ev("stormed the Jaffar Express")], date=dt.date(2025, 3, 11),
               date_text="Tuesday", place=BOLAN,
               participants=[(BLA_SHORT, ParticipantRole.PERPETRATOR), (TRAIN, ParticipantRole.TARGET)]),
        _event(operation, EventType.SECURITY_OPERATION, "Military ends the train siege",
               evidence=[doc.ev("ended the siege"), doc.ev("freed 346")], date=dt.date(2025, 3, 12),
               precision=DatePrecision.WEEK, date_text="Wednesday", place=BOLAN,
               participants=[(FORCES, ParticipantRole.PERPETRATOR), (BLA_SHORT, ParticipantRole.TARGET)]),
    ]
    quotes = [
        Quote(id=f"quote:{aid}:1", text="All the terrorists have been killed,", speaker=CHAUDHRY,
              event=operation, evidence=doc.ev("All the terrorists"),
              start=doc.span("All the terrorists")[0], end=doc.span("been killed,")[1]),
    ]
    figures = [
        Figure(id=f"figure:{aid}:1", kind=FigureKind.RESCUED, min=346, max=346, text="346 hostages",
               who="hostages", event=operation, according_to=CHAUDHRY, evidence=doc.ev("freed 346")),
        Figure(id=f"figure:{aid}:2", kind=FigureKind.KILLED, min=33, max=33, text="all 33 attackers",
               who="attackers", event=operation, according_to=CHAUDHRY, evidence=doc.ev("33 attackers")),
        Figure(id=f"figure:{aid}:3", kind=FigureKind.KILLED, min=21, max=21, text="Twenty-one hostages",
               who="hostages", event=seizure, according_to=CHAUDHRY, evidence=doc.ev("Twenty-one")),
    ]
    relations = [
        Relation(source=seizure, type=RelType.ATTRIBUTED_TO, target=BLA_SHORT,
                 evidence=doc.ev("seized by BLA")),
    ]
    return ArticleGraph(article=article, extractor_version=VERSION, entities=entities,
                        events=events, quotes=quotes, figures=figures, relations=relations)


QUETTA_SENTENCES = [
    "A suicide bomber killed at least 26 people at the railway station in Quetta on Saturday, police said.",
    "The Baloch Liberation Army claimed responsibility for the bombing in Balochistan's capital.",
    "The Balochistan Liberation Front is also active in the province.",
]


def quetta_bombing() -> ArticleGraph:
    doc = Doc(QUETTA_SENTENCES)
    aid = "rt0000000quetta"
    article = Article(id=aid, title="Suicide bombing at Quetta railway station kills 26",
                      text=doc.text, url="https://example.org/quetta-station", source="Reuters",
                      published=dt.date(2024, 11, 9), language="en", origin="fixtures/quetta.txt")
    bombing = f"event:{aid}:1"
    entities = [
        Entity(id=BLA, type=EntityType.GROUP, name="Baloch Liberation Army", kind="separatist",
               country="PK", mentions=doc.mentions("Baloch Liberation Army")),
        Entity(id=BLF, type=EntityType.GROUP, name="Balochistan Liberation Front", kind="separatist",
               country="PK", mentions=doc.mentions("Balochistan Liberation Front")),
        Entity(id=STATION, type=EntityType.TARGET, name="Quetta railway station", kind="facility",
               country="PK", mentions=doc.mentions("railway station")),
        Entity(id=PAKISTAN, type=EntityType.PLACE, name="Pakistan", kind="country", country="PK",
               latitude=30.0, longitude=70.0, gazetteer_id="geonames:1168579",
               precision=GeoPrecision.COUNTRY),
        Entity(id=BALOCHISTAN, type=EntityType.PLACE, name="Balochistan", kind="admin_region",
               country="PK", latitude=28.5, longitude=65.0, gazetteer_id="geonames:1183606",
               parent=PAKISTAN, precision=GeoPrecision.ADMIN_REGION,
               mentions=[m for m in doc.mentions("Balochistan")
                         if not doc.text.startswith("Balochistan Liberation", m.start)]),
        Entity(id=QUETTA, type=EntityType.PLACE, name="Quetta", kind="city", country="PK",
               latitude=30.18, longitude=66.99, gazetteer_id="geonames:1167528", parent=BALOCHISTAN,
               precision=GeoPrecision.EXACT, mentions=doc.mentions("Quetta")),
    ]
    events = [
        _event(bombing, EventType.SUICIDE_BOMBING, "Suicide bombing at Quetta railway station",
               evidence=[doc.ev("suicide bomber")], date=dt.date(2024, 11, 9), date_text="Saturday",
               place=QUETTA, participants=[(BLA, ParticipantRole.PERPETRATOR),
                                           (STATION, ParticipantRole.TARGET)]),
    ]
    figures = [
        Figure(id=f"figure:{aid}:1", kind=FigureKind.KILLED, min=26, max=None, qualifier="at least",
               text="at least 26 people", who="people", event=bombing,
               according_to_description="police", evidence=doc.ev("at least 26")),
    ]
    relations = [
        Relation(source=BLA, type=RelType.CLAIMED_RESPONSIBILITY, target=bombing,
                 evidence=doc.ev("claimed responsibility"), confidence=0.95),
        Relation(source=BLF, type=RelType.ACTIVE_IN, target=BALOCHISTAN,
                 evidence=doc.ev("also active")),
    ]
    return ArticleGraph(article=article, extractor_version=VERSION, entities=entities,
                        events=events, figures=figures, relations=relations)


GUNMEN_SENTENCES = [
    "Gunmen killed 12 villagers in Anka, in north-west Nigeria, on Sunday, police said.",
    "Police blamed armed bandits for the attack.",
]


def gunmen_attack() -> ArticleGraph:
    doc = Doc(GUNMEN_SENTENCES)
    aid = "ap00000000gunmen"
    article = Article(id=aid, title="Gunmen kill 12 villagers in north-west Nigeria",
                      text=doc.text, url="https://example.org/anka-gunmen", source="AP",
                      published=dt.date(2025, 6, 2), language="en", origin="fixtures/anka.txt")
    attack = f"event:{aid}:1"
    entities = [
        Entity(id=GUNMEN, type=EntityType.ACTOR, name="Unidentified armed group (Nigeria)",
               kind="unidentified_armed_group", country="NG", aliases=["Gunmen", "armed bandits"],
               mentions=doc.mentions("Gunmen", "armed bandits")),
        Entity(id=VILLAGERS, type=EntityType.TARGET, name="Civilians (Nigeria)", kind="civilians",
               country="NG", aliases=["villagers"], mentions=doc.mentions("villagers")),
        Entity(id=NIGERIA, type=EntityType.PLACE, name="Nigeria", kind="country", country="NG",
               latitude=10.0, longitude=8.0, gazetteer_id="geonames:2328926",
               precision=GeoPrecision.COUNTRY, mentions=doc.mentions("Nigeria")),
        Entity(id=ANKA, type=EntityType.PLACE, name="Anka", kind="city", country="NG",
               latitude=12.11, longitude=5.93, parent=NIGERIA, precision=GeoPrecision.EXACT,
               mentions=doc.mentions("Anka")),
    ]
    events = [
        _event(attack, EventType.ATTACK, "Gunmen kill 12 villagers in Anka",
               evidence=[doc.ev("Gunmen killed")], date=dt.date(2025, 6, 1), date_text="Sunday",
               place=ANKA, participants=[(GUNMEN, ParticipantRole.PERPETRATOR),
                                         (VILLAGERS, ParticipantRole.TARGET)]),
    ]
    figures = [
        Figure(id=f"figure:{aid}:1", kind=FigureKind.KILLED, min=12, max=12, text="12 villagers",
               who="villagers", event=attack, according_to_description="police",
               evidence=doc.ev("12 villagers")),
    ]
    relations = [
        Relation(source=attack, type=RelType.ATTRIBUTED_TO, target=GUNMEN,
                 evidence=doc.ev("blamed"), confidence=0.8, properties={"according_to": "Police"}),
    ]
    return ArticleGraph(article=article, extractor_version=VERSION, entities=entities,
                        events=events, figures=figures, relations=relations)


def graph_dump(driver: Driver) -> tuple[dict[str, Any], list[tuple[Any, ...]]]:
    """Every node and relationship with its properties, in a comparable form.

    `ingested_at` is left out: it records when, which differs between two equal loads.
    """
    nodes: dict[str, Any] = {}
    for record in driver.execute_query("MATCH (n) RETURN labels(n) AS labels, properties(n) AS props",
                                       routing_=RoutingControl.READ).records:
        props = {k: _plain(v) for k, v in record["props"].items() if k != "ingested_at"}
        nodes[props["id"]] = (tuple(record["labels"]), props)
    rels = []
    for record in driver.execute_query(
        "MATCH (s)-[r]->(t) RETURN type(r) AS type, s.id AS s, t.id AS t, properties(r) AS props",
        routing_=RoutingControl.READ,
    ).records:
        props = {k: _plain(v) for k, v in record["props"].items()}
        rels.append((record["type"], record["s"], record["t"], sorted(props.items())))
    return nodes, sorted(rels, key=repr)


def _plain(value: Any) -> Any:
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)
