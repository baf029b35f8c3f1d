"""A server made ready for kg when it starts: the schema applied and kg's statements planned.

On a freshly started Neo4j the first run of each distinct statement costs 0.15–0.7 s of query
planning on a cold JVM; a load sends a few dozen of them, so the first `kg ingest` after
`kg neo4j start` spent ~10 s planning for one article. `warm_up` pays that when the server
starts: it applies the schema, then loads three small articles of its own (`sample_graphs`)
with kg's loader inside one transaction that is never committed (`kg.neo4j.loader.rehearse`).
Every statement a first ingest sends is planned and cached by the server, and nothing is
written (the articles' ids live under `kg-warm-up:`, so they never meet an article of yours).
The transaction holds kg's load lock while it runs: an ingest started meanwhile waits for it.

The samples cover what the loader does for a new article: every node label, the relationship
types articles carry, an incident reported twice (the second report matched against the first,
already in the graph), events placed at a town, only at a country, not placed, undated, and an
article that names no country. The schema must exist before the plans are made:
a schema change empties Neo4j's plan cache.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass

import neo4j

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
from kg.neo4j.loader import ledger, rehearse
from kg.neo4j.schema import apply_schema, check_schema
from kg.neo4j.server import USER, ManagedServer
from kg.schema import (
    DatePrecision,
    EntityType,
    EventType,
    FigureKind,
    GeoPrecision,
    ParticipantRole,
    RelType,
)

PREFIX = "kg-warm-up"
_VERSION = "kg-warm-up"


@dataclass(frozen=True)
class WarmUp:
    seconds: float
    statements: int  # statements the rehearsed load sent (each planned once by the server)


def warm_up(driver: neo4j.Driver, *, database: str | None = None) -> WarmUp:
    """Apply the schema and have the server plan every statement of a first load; write nothing."""
    began = time.perf_counter()
    apply_schema(driver, database=database)
    check_schema(driver, database=database)
    first, second, third = sample_graphs()
    ledger(driver, [first.article.id], database=database)  # what `kg ingest` asks first
    # A changed article loaded again (its old contribution taken out first) would plan ~70
    # more statements, ~10 s on a cold server: left to the first re-ingest that needs them.
    sent = rehearse(driver, [([first], False), ([second, third], False)], database=database)
    return WarmUp(time.perf_counter() - began, sent)


def warm_up_server(server: ManagedServer) -> WarmUp:
    """`warm_up` of a running managed server's default database (`kg neo4j start`)."""
    auth = (USER, server.read_password().get_secret_value())
    with neo4j.GraphDatabase.driver(server.bolt_uri, auth=auth) as driver:
        return warm_up(driver)


class _Text:
    """An article's text written sentence by sentence, with the spans of the words cited."""

    def __init__(self, *sentences: str) -> None:
        self.text = " ".join(sentences)

    def evidence(self, words: str) -> Evidence:
        start = self.text.index(words)
        end = self.text.index(".", start) + 1
        return Evidence(start=start, end=end, text=self.text[start:end])

    def mention(self, words: str) -> list[Mention]:
        start = self.text.index(words)
        return [Mention(start=start, end=start + len(words), text=words)]


def _place(text: _Text, key: str, name: str, precision: GeoPrecision, parent: str | None,
           lat: float | None = None, lon: float | None = None) -> Entity:
    return Entity(id=f"place:{PREFIX}:{key}", type=EntityType.PLACE, name=name, country="ZZ",
                  kind={GeoPrecision.COUNTRY: "country", GeoPrecision.ADMIN_REGION: "admin_region"}.get(precision, "city"),
                  gazetteer_id=f"{PREFIX}:{key}", parent=parent and f"place:{PREFIX}:{parent}",
                  precision=precision, latitude=lat, longitude=lon, mentions=text.mention(name))


def _entity(text: _Text, of: EntityType, key: str, name: str, **more: object) -> Entity:
    return Entity(id=f"{of.value.lower()}:{PREFIX}-{key}", type=of, name=name,
                  mentions=text.mention(name), **more)  # type: ignore[arg-type]


def _event(aid: str, n: int, kind: EventType, text: _Text, words: str, *, place: Entity | None,
           day: dt.date | None, precision: DatePrecision | None = DatePrecision.DAY,
           participants: tuple[tuple[Entity, ParticipantRole], ...] = (), **more: object) -> Event:
    acled, sub = kind.acled
    return Event(id=f"event:{aid}:{n}", type=kind, acled_event_type=acled, acled_sub_event_type=sub,
                 label=kind.value, date=day, date_precision=precision if day else None,
                 place=place.id if place else None, evidence=[text.evidence(words)],
                 participants=[Participant(entity=e.id, role=r) for e, r in participants],
                 **more)  # type: ignore[arg-type]


def _relate(source: str, rel: RelType, target: str, text: _Text, words: str) -> Relation:
    return Relation(source=source, type=rel, target=target, evidence=text.evidence(words))


def sample_graphs() -> tuple[ArticleGraph, ArticleGraph, ArticleGraph]:
    """Three invented articles: two reports of one incident, and one that names no country."""
    one = _Text("Gunmen of the Northern Front attacked a police post in Alder Town on Monday.",
                "The Interior Ministry said three officers were killed.",
                "\"We will not give up the valley,\" said Ana Vell, a spokeswoman for the front.",
                "The front claimed the raid; the Eastern League denied any part in it.",
                "Protests followed across Zedland, and in Brill Province a market was shelled.",
                "Last year the front seized a bridge, and it seeks control of Brill Province.")
    aid = f"{PREFIX}:1"
    land = _place(one, "zz", "Zedland", GeoPrecision.COUNTRY, None)
    province = _place(one, "brill", "Brill Province", GeoPrecision.ADMIN_REGION, "zz")
    town = _place(one, "alder", "Alder Town", GeoPrecision.EXACT, "brill", 10.0, 20.0)
    front = _entity(one, EntityType.GROUP, "front", "Northern Front", kind="rebel")
    league = _entity(one, EntityType.GROUP, "league", "Eastern League", kind="rebel")
    ministry = _entity(one, EntityType.ORGANISATION, "ministry", "Interior Ministry",
                       kind="government", country="ZZ")
    vell = _entity(one, EntityType.PERSON, "vell", "Ana Vell", role="spokeswoman",
                   affiliation=front.id)
    post = _entity(one, EntityType.TARGET, "post", "police post", kind="facility")
    gunmen = _entity(one, EntityType.ACTOR, "gunmen", "Gunmen", kind="unidentified_armed_group")
    monday = dt.date(2000, 1, 3)
    raid = _event(aid, 1, EventType.ARMED_CLASH, one, "Gunmen of", place=town, day=monday,
                  participants=((front, ParticipantRole.PERPETRATOR), (post, ParticipantRole.TARGET)),
                  claimed_by=front.id)
    protest = _event(aid, 2, EventType.PROTEST, one, "Protests followed", place=land,
                     day=dt.date(2000, 1, 4))
    shelling = _event(aid, 3, EventType.SHELLING, one, "in Brill Province a market", place=province,
                      day=None, part_of=raid.id)
    seizure = _event(aid, 4, EventType.TERRITORY_SEIZED, one, "Last year", place=None,
                     day=dt.date(1999, 1, 1), precision=DatePrecision.YEAR, background=True)
    quote = Quote(id=f"quote:{aid}:1", text="We will not give up the valley", speaker=vell.id,
                  reported_by=ministry.id, event=raid.id, start=one.text.index("We will"),
                  end=one.text.index("We will") + 30, evidence=one.evidence("\"We will"))
    killed = Figure(id=f"figure:{aid}:1", kind=FigureKind.KILLED, min=3, max=3,
                    text="three officers", who="officers", event=raid.id,
                    according_to=ministry.id, evidence=one.evidence("The Interior Ministry"))
    facts = [
        (gunmen.id, RelType.PERPETRATED, raid.id, "Gunmen of"),
        (front.id, RelType.PERPETRATED, raid.id, "Gunmen of"),
        (front.id, RelType.CLAIMED_RESPONSIBILITY, raid.id, "The front claimed"),
        (league.id, RelType.DENIED_RESPONSIBILITY, raid.id, "The front claimed"),
        (raid.id, RelType.ATTRIBUTED_TO, front.id, "The front claimed"),
        (raid.id, RelType.TARGETED, post.id, "Gunmen of"),
        (ministry.id, RelType.RESPONDED_TO, raid.id, "The Interior Ministry"),
        (raid.id, RelType.OCCURRED_IN, town.id, "Gunmen of"),
        (protest.id, RelType.OCCURRED_IN, land.id, "Protests followed"),
        (shelling.id, RelType.OCCURRED_IN, province.id, "in Brill Province a market"),
        (shelling.id, RelType.PART_OF, raid.id, "in Brill Province a market"),
        (town.id, RelType.LOCATED_IN, province.id, "Gunmen of"),
        (province.id, RelType.LOCATED_IN, land.id, "in Brill Province a market"),
        (vell.id, RelType.HOLDS_ROLE, front.id, "\"We will"),
        (front.id, RelType.SEEKS, province.id, "Last year"),
        (front.id, RelType.DEMANDS, ministry.id, "Last year"),
        (front.id, RelType.ACTIVE_IN, province.id, "Last year"),
        (ministry.id, RelType.INVESTED_IN, town.id, "The Interior Ministry"),
        (league.id, RelType.BASED_IN, land.id, "The front claimed"),
    ]
    first = ArticleGraph(
        article=Article(id=aid, title="Police post attacked", text=one.text, source="Warm-up Wire",
                        published=dt.date(2000, 1, 4), language="en"),
        extractor_version=_VERSION,
        entities=[land, province, town, front, league, ministry, vell, post, gunmen],
        events=[raid, protest, shelling, seizure], quotes=[quote], figures=[killed],
        relations=[_relate(s, r, t, one, w) for s, r, t, w in facts])

    # The second article sees every entity a little differently (kind, role, coordinates), so
    # that loading it derives their properties again from both articles' views.
    two = _Text("A day after the raid on Alder Town, the Northern Front said it had attacked the post.",
                "Ana Vell told the Interior Ministry that Gunmen had left the police post.")
    bid = f"{PREFIX}:2"
    town2 = _place(two, "alder", "Alder Town", GeoPrecision.EXACT, None, 10.01, 20.01)
    front2 = _entity(two, EntityType.GROUP, "front", "Northern Front", kind="militia")
    seen_again = [
        _entity(two, EntityType.ORGANISATION, "ministry", "Interior Ministry", kind="state_force"),
        _entity(two, EntityType.PERSON, "vell", "Ana Vell", role="spokesperson"),
        _entity(two, EntityType.TARGET, "post", "police post", kind="infrastructure"),
        _entity(two, EntityType.ACTOR, "gunmen", "Gunmen", kind="other"),
    ]
    again = _event(bid, 1, EventType.ATTACK, two, "A day after", place=town2, day=monday,
                   participants=((front2, ParticipantRole.PERPETRATOR),), claimed_by=front2.id)
    second = ArticleGraph(
        article=Article(id=bid, title="Front claims raid", text=two.text, source="Warm-up Daily",
                        published=dt.date(2000, 1, 5), language="en"),
        extractor_version=_VERSION, entities=[town2, front2, *seen_again], events=[again],
        relations=[_relate(front2.id, RelType.CLAIMED_RESPONSIBILITY, again.id, two, "A day after"),
                   _relate(again.id, RelType.OCCURRED_IN, town2.id, two, "A day after")])

    three = _Text("Unknown attackers burned a clinic on Thursday, its director said.")
    cid = f"{PREFIX}:3"
    fire = _event(cid, 1, EventType.ATTACK, three, "Unknown attackers", place=None,
                  day=dt.date(2000, 1, 20))
    third = ArticleGraph(
        article=Article(id=cid, title="Clinic burned", text=three.text, source="Warm-up Daily",
                        published=dt.date(2000, 1, 21), language="en"),
        extractor_version=_VERSION, events=[fire])
    return first, second, third
