"""Warm a Neo4j server up for loading while the first articles are still being extracted.

On a freshly started server the first run of each loader statement costs its planning and
the JVM's first compilation of the planner and runtime code it uses: measured on a two-core
machine, 0.2-1.4 s a statement and 10-17 s before the first article was in. `kg ingest`
runs `warm_up` in a thread as soon as the schema is applied (`WarmUp`), so that cost is paid
while the extraction model loads and the first batch is extracted, when the server has
nothing else to do; the first load waits for it to end.

It loads a small built-in article (`sample_graph`: every label and relationship type), then
loads it again with `force` (the merge, strip and refill paths), in one transaction that is
rolled back: the graph is left as it was. Only the plans and the compiled code stay. The
lock is taken as in a load, so it waits for, and holds up, a concurrent load for as long as
it runs.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import threading
import time

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
from kg.neo4j.sessions import quiet_session
from kg.schema import (
    RELATIONS,
    EntityType,
    EventType,
    FigureKind,
    Label,
    ParticipantRole,
    RelType,
)

logger = logging.getLogger("kg.neo4j.warm_up")

ARTICLE_ID = "kg:warm-up"  # never a real article id (those are hashes or the input's own ids)
_TEXT = "The warm-up article of kg: every sentence of it is loaded and rolled back."
# Facts the loader derives from the models' structure, never given as relations.
_STRUCTURAL = {RelType.MENTIONS, RelType.REPORTS, RelType.QUOTED_IN, RelType.LOCATED_IN}


def sample_graph() -> ArticleGraph:
    """A small article with every label and every relationship type the loader writes."""
    ev = Evidence(text=_TEXT, start=0, end=len(_TEXT))
    mention = [Mention(text="warm-up", start=4, end=11)]

    def entity(type_: EntityType, name: str, **fields: object) -> Entity:
        return Entity(id=f"{type_.label.value.lower()}:kg-warm-up-{name}", type=type_, name=name,
                      mentions=mention, **fields)  # type: ignore[arg-type]

    country = entity(EntityType.PLACE, "country", kind="country", country="ZZ",
                     latitude=1.0, longitude=2.0)
    town = entity(EntityType.PLACE, "town", kind="city", country="ZZ", parent=country.id,
                  latitude=1.5, longitude=2.5)
    group = entity(EntityType.GROUP, "group")
    organisation = entity(EntityType.ORGANISATION, "organisation")
    person = entity(EntityType.PERSON, "person", role="spokesman", affiliation=group.id)
    entities = [country, town, group, organisation, person,
                entity(EntityType.TARGET, "target"), entity(EntityType.ACTOR, "actor")]
    events = [
        Event(id=f"event:{ARTICLE_ID}:{n}", type=EventType.ATTACK, acled_event_type=EventType.ATTACK.acled[0],
              acled_sub_event_type=EventType.ATTACK.acled[1], label=f"warm-up attack {n}",
              date=dt.date(1900, 1, 1 + n), place=town.id, evidence=[ev],
              part_of=f"event:{ARTICLE_ID}:0" if n else None,
              participants=[Participant(entity=group.id, role=ParticipantRole.PERPETRATOR),
                            Participant(entity=organisation.id, role=ParticipantRole.RESPONDER),
                            Participant(entity=entities[5].id, role=ParticipantRole.TARGET)])
        for n in range(2)]
    quote = Quote(id=f"quote:{ARTICLE_ID}:0", text="every sentence", speaker=person.id,
                  reported_by=organisation.id, event=events[0].id, start=30, end=44, evidence=ev)
    figure = Figure(id=f"figure:{ARTICLE_ID}:0", kind=FigureKind.KILLED, min=1, max=1, text="1",
                    event=events[0].id, according_to=organisation.id, evidence=ev)
    labels = {e.id: e.type.label for e in entities} | {e.id: Label.EVENT for e in events}
    relations = []
    for rel, (sources, targets) in RELATIONS.items():
        if rel in _STRUCTURAL:
            continue
        source = next((i for i, label in labels.items() if label in sources), None)
        target = next((i for i, label in labels.items() if label in targets and i != source), None)
        if source and target:
            relations.append(Relation(source=source, type=rel, target=target, evidence=ev))
    article = Article(id=ARTICLE_ID, title="kg warm-up", text=_TEXT, published=dt.date(1900, 1, 1))
    return ArticleGraph(article=article, extractor_version="kg-warm-up", entities=entities,
                        events=events, quotes=[quote], figures=[figure], relations=relations)


def warm_up(driver: neo4j.Driver, *, database: str | None = None) -> float:
    """Run the loader over `sample_graph` twice in a transaction rolled back; the seconds it took."""
    from kg.neo4j.loader import _Writer
    from kg.neo4j.schema import check_schema

    started = time.perf_counter()
    check_schema(driver, database=database)
    graph = sample_graph()
    now = dt.datetime.now(dt.UTC)

    def work(tx: neo4j.ManagedTransaction) -> None:
        _Writer(tx, now).load([graph], force=False)
        _Writer(tx, now).load([graph], force=True)
        raise _RollBack  # an exception other than the driver's: rolled back, not retried

    with quiet_session(driver, database) as session, contextlib.suppress(_RollBack):
        session.execute_write(work)
    return time.perf_counter() - started


class _RollBack(Exception):
    """Ends the warm-up's transaction without committing it."""


class WarmUp:
    """`warm_up` in a thread; `wait` for it before the first load. A failure is logged and
    ignored: the load itself runs the same statements and reports what goes wrong."""

    def __init__(self, driver: neo4j.Driver, *, database: str | None = None) -> None:
        self.seconds = 0.0
        self._thread = threading.Thread(target=self._run, args=(driver, database),
                                        name="kg-warm-up", daemon=True)
        self._thread.start()

    def _run(self, driver: neo4j.Driver, database: str | None) -> None:
        try:
            self.seconds = warm_up(driver, database=database)
        except Exception as exc:  # noqa: BLE001 - an optimisation: the load reports real errors
            logger.warning("warming the server up for loading failed (%s); loading goes on", exc)

    def wait(self) -> float:
        """Wait for the warm-up to end; the seconds it ran."""
        self._thread.join()
        return self.seconds
