"""Synthetic *extraction output* at any scale: article graphs as the extract stage would give
them, without running it (issues 17 and 19: growth measured to a million articles).

Article `i` of a seed depends only on `(seed, i)`, so any slice of a corpus is made alone and
streamed (`graphs(start, stop)`), in bounded memory whatever the size. The graphs exercise
the parts of the load that grow with the graph:

- every incident is reported by three articles in different words: one day-precise at the
  town, one a day late, naming only the region or the town next to it, or a compatible type, one undated (its
  publication date stands in) or week-precise; tolls differ a little between them;
- one incident in ten has a look-alike two days later in another town of the same region;
- every article also recalls an earlier incident (a background event) and mentions a side
  incident nobody else reports;
- incidents happen at a steady rate (`INCIDENTS_PER_DAY` from `FIRST_DAY`, in the order of
  their numbers, give or take two days), across 2,000 towns in 80 regions of 10 countries:
  a larger corpus is a longer archive, as a monitor's grows, with the same reports per day
  and place (a denser archive, more outlets over the same years, costs coreference more per
  article: docs/performance.md gives the figure);
- a few events are placed only at the country, have no place, or carry a month- or
  year-precise date, as real extraction gives; every article names its main incident's
  country more than any other, so an event without a place is looked for there.

`articles_jsonl` writes the articles themselves (what `kg ingest` reads); `ReplayExtractor`
gives `kg.ingest.ingest` the graph of each article read, so an ingest runs read → ledger →
(extraction skipped) → resolve → load on exactly these graphs.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from kg.ids import entity_id
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
from kg.resolve.coreference import compatible_types
from kg.schema import (
    DatePrecision,
    EntityType,
    EventType,
    FigureKind,
    OrganisationKind,
    ParticipantRole,
    PlaceKind,
    RelType,
)

EXTRACTOR_VERSION = "synthetic-1"
FIRST_DAY = dt.date(2023, 1, 1)
# A steady archive: about this many incidents a day, whatever the corpus size.
INCIDENTS_PER_DAY = 12


def _day(rng: random.Random, number: int) -> dt.date:
    return FIRST_DAY + dt.timedelta(days=number // INCIDENTS_PER_DAY + rng.randrange(3))
REPORTS_PER_INCIDENT = 3
COUNTRIES = ("ML", "NE", "BF", "NG", "TD", "CM", "SO", "SD", "CD", "MZ")
REGIONS_PER_COUNTRY = 8
TOWNS_PER_REGION = 25
GROUPS = 60
AGENCIES = 40
SPOKESMEN = 200
# Most incidents are violent; protests and arrests keep the other type classes in play.
_TYPES = (
    [EventType.ATTACK] * 6 + [EventType.ARMED_CLASH] * 5 + [EventType.BOMBING] * 3
    + [EventType.SUICIDE_BOMBING, EventType.ABDUCTION, EventType.ABDUCTION, EventType.AIR_STRIKE,
       EventType.SHELLING, EventType.PROTEST, EventType.PROTEST, EventType.ARREST,
       EventType.LOOTING, EventType.EXECUTION, EventType.SECURITY_OPERATION]
)
_SENTENCES = 24


@dataclass(frozen=True)
class Incident:
    """What happened, as every report of it would tell it if all were exact."""

    number: int
    type: EventType
    day: dt.date
    country: int
    region: int
    town: int
    group: int
    toll: int


def incident(seed: int, number: int) -> Incident:
    """Incident `number` of a seed; every tenth a look-alike of the one before (same region,
    type and group, another town, two days later)."""
    if number % 10 == 1:
        twin = incident(seed, number - 1)
        other = (twin.town + 1 + number % (TOWNS_PER_REGION - 1)) % TOWNS_PER_REGION
        return Incident(number, twin.type, twin.day + dt.timedelta(days=2), twin.country,
                        twin.region, other, twin.group, max(1, twin.toll // 2))
    rng = random.Random(f"{seed}:incident:{number}")
    country = rng.randrange(len(COUNTRIES))
    return Incident(number, rng.choice(_TYPES), _day(rng, number),
                    country, rng.randrange(REGIONS_PER_COUNTRY), rng.randrange(TOWNS_PER_REGION),
                    (country * 6 + rng.randrange(8)) % GROUPS, rng.choice((0, 1, 2, 3, 5, 8, 12, 20, 35, 60)))


# -- places: a fixed gazetteer of countries, regions and towns ---------------------------------


@cache
def _country(c: int) -> Entity:
    """Countries 10° apart, each with its regions in a 2 × 4 block."""
    code = COUNTRIES[c]
    return Entity(id=entity_id(EntityType.PLACE, f"Country {code}", country=code), type=EntityType.PLACE,
                  name=f"Country {code}", kind=PlaceKind.COUNTRY.value, country=code,
                  latitude=-20.0 + 4.0 * (c % 10), longitude=-10.0 + 10.0 * c)


@cache
def _region(c: int, r: int) -> Entity:
    """Regions 2° apart (~220 km) in a row of two, each a 5 × 5 grid of towns."""
    code = COUNTRIES[c]
    name = f"{code} Region {r}"
    country = _country(c)
    assert country.latitude is not None and country.longitude is not None
    return Entity(id=entity_id(EntityType.PLACE, name, country=code), type=EntityType.PLACE, name=name,
                  kind=PlaceKind.ADMIN_REGION.value, country=code, parent=country.id,
                  latitude=country.latitude + 2.0 * (r % 2), longitude=country.longitude + 2.0 * (r // 2))


@cache
def _town(c: int, r: int, t: int) -> Entity:
    """Towns on a grid 0.3° (~33 km) apart, each moved up to 0.1° by its number: some
    neighbours are within 25 km, one place for coreference, most are not."""
    code = COUNTRIES[c]
    name = f"{code} Town {r}-{t}"
    region = _region(c, r)
    assert region.latitude is not None and region.longitude is not None
    jitter = random.Random(name)
    return Entity(id=entity_id(EntityType.PLACE, name, country=code), type=EntityType.PLACE, name=name,
                  kind=(PlaceKind.CITY if t % 3 == 0 else PlaceKind.VILLAGE).value, country=code,
                  parent=region.id, latitude=round(region.latitude + 0.3 * (t % 5) + jitter.uniform(-0.1, 0.1), 4),
                  longitude=round(region.longitude + 0.3 * (t // 5) + jitter.uniform(-0.1, 0.1), 4))


@cache
def _neighbour(c: int, r: int, t: int) -> int | None:
    """The nearest other town of the region within 25 km, if any (a town and its outskirts)."""
    town = _town(c, r, t)
    assert town.latitude is not None and town.longitude is not None
    best = None
    for other in range(TOWNS_PER_REGION):
        there = _town(c, r, other)
        assert there.latitude is not None and there.longitude is not None
        km = 111.0 * math.hypot(there.latitude - town.latitude,
                                (there.longitude - town.longitude) * math.cos(math.radians(town.latitude)))
        if other != t and km <= 24.0 and (best is None or km < best[0]):
            best = (km, other)
    return best[1] if best else None


# -- one article ---------------------------------------------------------------------------------


class _Writer:
    """One article's text (sentences to cite) and the graph it is building."""

    def __init__(self, seed: int, number: int) -> None:
        self.number = number
        self.rng = random.Random(f"{seed}:article:{number}")
        self.sentences = [f"Report {number}, sentence {i}: a line about the conflict that the article "
                          f"gives as evidence." for i in range(_SENTENCES)]
        self.starts: list[int] = []
        offset = 0
        for sentence in self.sentences:
            self.starts.append(offset)
            offset += len(sentence) + 1
        self.entities: dict[str, Entity] = {}

    def evidence(self, i: int) -> Evidence:
        i %= _SENTENCES
        return Evidence(text=self.sentences[i], start=self.starts[i], end=self.starts[i] + len(self.sentences[i]))

    def mention(self, i: int) -> Mention:
        e = self.evidence(i)
        return Mention(text=e.text[:6], start=e.start, end=e.start + 6)

    def add(self, entity: Entity, sentence: int) -> str:
        if entity.id not in self.entities:
            self.entities[entity.id] = entity.model_copy(update={"mentions": [self.mention(sentence)]})
        return entity.id

    def name_country(self, c: int, sentences: tuple[int, ...]) -> None:
        """The article names a country in these sentences (an article names its own most)."""
        entity = self.entities.get(self.add(_country(c), sentences[0]))
        assert entity is not None
        entity.mentions.extend(self.mention(i) for i in sentences[1:])

    def place(self, c: int, r: int | None = None, t: int | None = None) -> str:
        pid = self.add(_country(c), 1)
        if r is not None:
            pid = self.add(_region(c, r), 1)
            if t is not None:
                pid = self.add(_town(c, r, t), 2)
        return pid

    def actor(self, type_: EntityType, name: str, sentence: int, kind: str | None = None) -> str:
        return self.add(Entity(id=entity_id(type_, name), type=type_, name=name, kind=kind), sentence)


def article_graph(seed: int, number: int) -> ArticleGraph:
    """Synthetic article `number` of `seed` and the graph extraction would give it."""
    w = _Writer(seed, number)
    rng = w.rng
    main = incident(seed, number // REPORTS_PER_INCIDENT)
    published = main.day + dt.timedelta(days=1 + rng.randrange(2))
    recalled = incident(seed, rng.randrange(max(1, number // REPORTS_PER_INCIDENT)))
    side = Incident(-number, rng.choice(_TYPES), _day(rng, number // REPORTS_PER_INCIDENT),
                    rng.randrange(len(COUNTRIES)), rng.randrange(REGIONS_PER_COUNTRY),
                    rng.randrange(TOWNS_PER_REGION), rng.randrange(GROUPS), rng.randrange(30))
    events, figures, quotes, relations = [], [], [], []
    # The main incident's country in the lead and twice more: the article's country, where
    # an event it does not place is looked for (kg.resolve.reports.home_country).
    w.name_country(main.country, (0, 7, 13))
    for k, (told, variant) in enumerate(((main, number % REPORTS_PER_INCIDENT), (recalled, 0), (side, 0))):
        event_id = f"event:{number}:{k}"
        etype, date, precision, where = _telling(w, told, variant, published)
        group = w.actor(EntityType.GROUP, f"Armed Group {told.group}", 3 + k)
        agency = w.actor(EntityType.ORGANISATION, f"Agency {rng.randrange(AGENCIES)}", 4 + k,
                         kind=OrganisationKind.NGO.value)
        participants = [Participant(entity=group, role=ParticipantRole.PERPETRATOR),
                        Participant(entity=agency, role=ParticipantRole.RESPONDER)]
        events.append(Event(id=event_id, type=etype, acled_event_type=etype.acled[0],
                            acled_sub_event_type=etype.acled[1], label=f"{etype.value.replace('_', ' ')} {k}",
                            date=date, date_precision=precision, date_text=date.isoformat() if date else None,
                            place=where, participants=participants, background=k == 1,
                            evidence=[w.evidence(6 * k)]))
        if told.toll:
            # Early and late tolls of one incident differ a little between reports.
            killed = told.toll + (variant if told.toll > 10 else 0)
            figures.append(Figure(id=f"figure:{number}:{k}", kind=FigureKind.KILLED, min=killed, max=killed,
                                  text=f"{killed} people", event=event_id, according_to=agency,
                                  evidence=w.evidence(6 * k + 1)))
        speaker = w.actor(EntityType.PERSON, f"Spokesman {rng.randrange(SPOKESMEN)}", 5 + k)
        said = w.evidence(6 * k + 2)
        quotes.append(Quote(id=f"quote:{number}:{k}", text=said.text[:24], speaker=speaker, event=event_id,
                            reported_by=agency, start=said.start, end=said.start + 24, evidence=said))
        if k == 0 and rng.random() < 0.4:
            relations.append(Relation(source=group, type=RelType.CLAIMED_RESPONSIBILITY, target=event_id,
                                      evidence=w.evidence(6 * k + 3)))
        relations.append(Relation(source=group, type=RelType.ACTIVE_IN,
                                  target=w.place(told.country, told.region), evidence=w.evidence(6 * k + 4)))
    article = Article(id=f"synth{number:09d}", title=f"Synthetic report {number}", text=" ".join(w.sentences),
                      source=f"Outlet {number % 23}", published=published)
    return ArticleGraph(article=article, extractor_version=EXTRACTOR_VERSION, entities=list(w.entities.values()),
                        events=events, quotes=quotes, figures=figures, relations=relations)


def _telling(w: _Writer, told: Incident, variant: int, published: dt.date
             ) -> tuple[EventType, dt.date | None, DatePrecision | None, str | None]:
    """How one report tells an incident: its type, date, precision and place."""
    rng = w.rng
    etype = told.type
    date: dt.date | None = told.day
    precision: DatePrecision | None = DatePrecision.DAY
    where: str | None = w.place(told.country, told.region, told.town)
    if variant == 1:  # a day late, the region only, or another word for the type
        if rng.random() < 0.5:
            date = told.day + dt.timedelta(days=1)
        near = _neighbour(told.country, told.region, told.town)
        if rng.random() < 0.5:
            where = w.place(told.country, told.region)
        elif near is not None and rng.random() < 0.5:  # the town next to it
            where = w.place(told.country, told.region, near)
        others = [t for t in compatible_types(told.type) if t != told.type.value]
        if others and rng.random() < 0.5:
            etype = EventType(rng.choice(others))
    elif variant == 2:  # undated (the publication date stands in) or only the week
        if rng.random() < 0.5:
            date, precision = None, None
        else:
            precision = DatePrecision.WEEK
    roll = rng.random()
    if roll < 0.04:
        where = w.place(told.country)
    elif roll < 0.07:
        where = None
    elif roll < 0.10 and date is not None:
        precision = DatePrecision.MONTH
    elif roll < 0.12 and date is not None:
        precision = DatePrecision.YEAR
    if date is not None and date > published:
        date = published
    return etype, date, precision, where


# -- streams -------------------------------------------------------------------------------------


def graphs(seed: int, start: int, stop: int) -> Iterator[ArticleGraph]:
    """Articles `start` … `stop - 1` of `seed`, one at a time."""
    for number in range(start, stop):
        yield article_graph(seed, number)


def articles_jsonl(seed: int, start: int, stop: int, path: Path) -> Path:
    """The articles `start` … `stop - 1` as JSON Lines `kg ingest` reads (one line at a time)."""
    with path.open("w", encoding="utf-8") as out:
        for graph in graphs(seed, start, stop):
            a = graph.article
            out.write(json.dumps({"id": a.id, "title": a.title, "text": a.text, "source": a.source,
                                  "published": a.published.isoformat() if a.published else None}) + "\n")
    return path


def graphs_jsonl(seed: int, start: int, stop: int, path: Path) -> Path:
    """The extraction output of articles `start` … `stop - 1`: one ArticleGraph per line."""
    with path.open("w", encoding="utf-8") as out:
        for graph in graphs(seed, start, stop):
            out.write(graph.model_dump_json(exclude_defaults=True) + "\n")
    return path


class ReplayExtractor:
    """An extractor for `kg.ingest.ingest` that gives each synthetic article its graph.

    The NLP stage is skipped, everything after it runs: the graph is made again from the
    article's number and takes the article as read (its content hash, origin and metadata).
    """

    version = EXTRACTOR_VERSION

    def __init__(self, seed: int) -> None:
        self.seed = seed

    def extract_many(self, articles: Iterable[Article], *, n_process: int = 1,
                     batch_size: int | None = None) -> Iterator[ArticleGraph]:
        for article in articles:
            graph = article_graph(self.seed, int(article.id.removeprefix("synth")))
            yield graph.model_copy(update={"article": article})
