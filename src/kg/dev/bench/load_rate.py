"""Load rate on a synthetic batch: graph elements (nodes + relationships) written per second.

Run against a throw-away server (never your own: it empties the graph):

    KG_TEST_NEO4J_URI=bolt://127.0.0.1:7687 KG_TEST_NEO4J_PASSWORD=… \\
        .venv/bin/python -m kg.dev.bench.load_rate --articles 400 --batch-size 16

Articles share a pool of groups, places and targets, and a quarter of the events are reports
of the same incidents, so coreference and provenance merging are part of what is measured.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import time

from neo4j import GraphDatabase

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
from kg.neo4j.loader import load
from kg.neo4j.schema import apply_schema
from kg.schema import EntityType, EventType, FigureKind, ParticipantRole, RelType

TYPES = [EventType.ATTACK, EventType.ARMED_CLASH, EventType.BOMBING, EventType.ABDUCTION,
         EventType.AIR_STRIKE, EventType.PROTEST]


class _Article:
    """One synthetic article: sentences to cite, and the entities it names so far."""

    def __init__(self, number: int) -> None:
        self.id = f"bench{number:08d}"
        self.sentences = [f"Sentence {i} of article {number} says something about the conflict."
                          for i in range(30)]
        self.text = " ".join(self.sentences)
        self.starts = [sum(len(s) + 1 for s in self.sentences[:i]) for i in range(30)]
        self.entities: dict[str, Entity] = {}

    def ev(self, i: int) -> Evidence:
        i %= len(self.sentences)
        return Evidence(text=self.sentences[i], start=self.starts[i],
                        end=self.starts[i] + len(self.sentences[i]))

    def mention(self, i: int) -> Mention:
        e = self.ev(i)
        return Mention(text=e.text[:8], start=e.start, end=e.start + 8)

    def place(self, town: int, region: str, country: str) -> str:
        cid = entity_id(EntityType.PLACE, country, country=country)
        rid = entity_id(EntityType.PLACE, region, country=country)
        tid = entity_id(EntityType.PLACE, f"Town {town}", country=country)
        self.entities.setdefault(cid, Entity(id=cid, type=EntityType.PLACE, name=country,
                                             kind="country", country=country, latitude=10.0,
                                             longitude=10.0))
        self.entities.setdefault(rid, Entity(id=rid, type=EntityType.PLACE, name=region,
                                             kind="admin_region", country=country, parent=cid,
                                             mentions=[self.mention(1)]))
        self.entities.setdefault(tid, Entity(id=tid, type=EntityType.PLACE, name=f"Town {town}",
                                             kind="city", country=country, parent=rid,
                                             latitude=10 + town / 100, longitude=20 + town / 100,
                                             mentions=[self.mention(2)]))
        return tid

    def actor(self, name: str, kind: EntityType) -> str:
        eid = entity_id(kind, name)
        self.entities.setdefault(eid, Entity(id=eid, type=kind, name=name,
                                             mentions=[self.mention(3), self.mention(9)]))
        return eid


def synthetic(n: int, seed: int = 7) -> list[ArticleGraph]:
    rng = random.Random(seed)
    groups = [f"Armed Group {i}" for i in range(40)]
    orgs = [f"Agency {i}" for i in range(30)]

    def where(town: int) -> tuple[int, str, str]:
        return town, f"Region {town % 20}", f"C{town % 20 % 5}"

    def day() -> dt.date:
        return dt.date(2025, 1, 1) + dt.timedelta(days=rng.randrange(300))

    incidents = [(rng.choice(TYPES), day(), rng.randrange(120), rng.randrange(40)) for _ in range(n // 2)]
    graphs = []
    for number in range(n):
        a = _Article(number)
        events, figures, quotes, relations = [], [], [], []
        for k in range(3):
            if k == 0:  # two articles report each incident
                etype, when, town, group = incidents[number // 2]
            else:
                etype, when, town, group = rng.choice(TYPES), day(), rng.randrange(120), rng.randrange(40)
            g = a.actor(groups[group], EntityType.GROUP)
            o = a.actor(rng.choice(orgs), EntityType.ORGANISATION)
            eid = f"event:{a.id}:{k}"
            events.append(Event(id=eid, type=etype, acled_event_type=etype.acled[0],
                                acled_sub_event_type=etype.acled[1], label=f"{etype.value} {k}",
                                date=when, place=a.place(*where(town)), evidence=[a.ev(k * 3)],
                                participants=[Participant(entity=g, role=ParticipantRole.PERPETRATOR),
                                              Participant(entity=o, role=ParticipantRole.RESPONDER)]))
            killed = k + number % 7
            figures.append(Figure(id=f"figure:{a.id}:{k}", kind=FigureKind.KILLED, min=killed,
                                  max=killed, text=f"{killed} people", event=eid, according_to=o,
                                  evidence=a.ev(k * 3 + 1)))
            person = a.actor(f"Spokesman {rng.randrange(60)}", EntityType.PERSON)
            said = a.ev(k * 3 + 2)
            quotes.append(Quote(id=f"quote:{a.id}:{k}", text=said.text[:20], speaker=person, event=eid,
                                reported_by=o, start=said.start, end=said.start + 20, evidence=said))
            relations.append(Relation(source=g, type=RelType.CLAIMED_RESPONSIBILITY, target=eid,
                                      evidence=a.ev(k * 3)))
            relations.append(Relation(source=g, type=RelType.ACTIVE_IN,
                                      target=a.place(*where(rng.randrange(120))), evidence=a.ev(20 + k)))
        article = Article(id=a.id, title=f"Article {number}", text=a.text, source=f"Outlet {number % 9}",
                          published=dt.date(2025, 11, 1))
        graphs.append(ArticleGraph(article=article, extractor_version="bench",
                                   entities=list(a.entities.values()), events=events, quotes=quotes,
                                   figures=figures, relations=relations))
    return graphs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=400)
    parser.add_argument("--batch-size", type=int, default=16)
    args = parser.parse_args()
    driver = GraphDatabase.driver(os.environ["KG_TEST_NEO4J_URI"],
                                  auth=(os.environ.get("KG_TEST_NEO4J_USER", "neo4j"),
                                        os.environ["KG_TEST_NEO4J_PASSWORD"]))
    driver.execute_query("MATCH (n) DETACH DELETE n")
    apply_schema(driver)
    graphs = synthetic(args.articles)
    load(driver, graphs[:4])  # warm the query plans
    driver.execute_query("MATCH (n) DETACH DELETE n")
    started = time.perf_counter()
    result = load(driver, graphs, batch_size=args.batch_size)
    seconds = time.perf_counter() - started
    nodes = driver.execute_query("MATCH (n) RETURN count(n) AS c").records[0]["c"]
    rels = driver.execute_query("MATCH ()-[r]->() RETURN count(r) AS c").records[0]["c"]
    written = result.counts.nodes_created + result.counts.relationships_created
    print(f"{len(graphs)} articles in {seconds:.1f}s ({len(graphs) / seconds:.1f} articles/s); "
          f"graph: {nodes} nodes, {rels} relationships; "
          f"{written} elements created ({written / seconds:.0f} elements/s), "
          f"{(nodes + rels) / seconds:.0f} final elements/s; re-keyed: {len(result.reloaded)}")
    driver.close()


if __name__ == "__main__":
    main()
