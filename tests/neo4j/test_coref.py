"""Cross-article event coreference against a real Neo4j: one incident, many reports.

Every report here is invented: an armed group (the "Red Hand Brigade") raids the market of
Arlen, a town in the province of Vessa, on 2 March 2026 and kills fourteen people. Three outlets
tell it in their own ways: a wire story the same day, a local paper whose page gives no date at
all and calls it a bombing, and a relief agency's note two days later that dates it a day late
and names only the province. Two days after the raid the same group attacks Bellin, another
town of the province: a look-alike, its own incident. A later article about a third attack
recalls the Arlen raid as background.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence

import pytest
from neo4j import Driver

from kg.models import (
    Article,
    ArticleGraph,
    Entity,
    Event,
    Evidence,
    Figure,
    Mention,
    Participant,
    Relation,
)
from kg.neo4j import schema
from kg.neo4j.event_reports import GraphReports
from kg.neo4j.loader import load, remove_articles
from kg.neo4j.schema import apply_schema
from kg.resolve import EventReport, reports_of, score_reports
from kg.resolve.coreference import _tolls_agree
from kg.resolve.event_identity import DatedProbe, StoredReport
from kg.resolve.reports import home_country
from kg.schema import DatePrecision, EntityType, EventType, FigureKind, ParticipantRole, RelType
from tests.neo4j.fixtures import graph_dump

pytestmark = pytest.mark.neo4j

D = dt.date
RAID = D(2026, 3, 2)
COUNTRY = "place:test:country"
VESSA = "place:test:vessa"
ARLEN = "place:test:arlen"
BELLIN = "place:test:bellin"
BRIGADE = "group:red-hand-brigade"
MARKET = "target:arlen-market"
CIVILIANS = "target:civilians"

WIRE, LOCAL, RELIEF, LOOKALIKE, LATER = "c1-wire", "c2-local", "c3-relief", "c4-bellin", "c5-later"


def _places(*wanted: str) -> list[Entity]:
    known = {
        COUNTRY: Entity(id=COUNTRY, type=EntityType.PLACE, name="Testland", kind="country",
                        country="TL", latitude=10.0, longitude=20.0),
        VESSA: Entity(id=VESSA, type=EntityType.PLACE, name="Vessa", kind="admin_region",
                      country="TL", latitude=10.5, longitude=20.5, parent=COUNTRY),
        ARLEN: Entity(id=ARLEN, type=EntityType.PLACE, name="Arlen", kind="city", country="TL",
                      latitude=10.40, longitude=20.30, parent=VESSA),
        # about 90 km from Arlen
        BELLIN: Entity(id=BELLIN, type=EntityType.PLACE, name="Bellin", kind="city", country="TL",
                       latitude=10.90, longitude=20.95, parent=VESSA),
    }
    return [known[p] for p in wanted]


def _article(aid: str, text: str, published: dt.date | None, *, place: str,
             events: Sequence[tuple[EventType, dt.date | None, str, bool, int | None]],
             actors: Sequence[Entity] = ()) -> ArticleGraph:
    """One article: `events` are (type, date, place, background, killed) for its events."""
    evidence = Evidence(text=text, start=0, end=len(text))
    chains = {ARLEN: (ARLEN, VESSA, COUNTRY), BELLIN: (BELLIN, VESSA, COUNTRY),
              VESSA: (VESSA, COUNTRY)}
    places = {p for where in [place, *(e[2] for e in events)] for p in chains[where]}
    entities = [*_places(*sorted(places)), *actors]
    built, figures = [], []
    for number, (type_, date, where, background, killed) in enumerate(events, start=1):
        eid = f"event:{aid}:{number}"
        participants = [Participant(entity=a.id, role=ParticipantRole.PERPETRATOR)
                        for a in actors if a.type is EntityType.GROUP]
        participants += [Participant(entity=a.id, role=ParticipantRole.TARGET)
                         for a in actors if a.type is EntityType.TARGET]
        built.append(Event(id=eid, type=type_, acled_event_type=type_.acled[0],
                           acled_sub_event_type=type_.acled[1], label=f"{type_.value} {aid} {number}",
                           date=date, date_precision=DatePrecision.DAY if date else None, place=where,
                           participants=participants, background=background, evidence=[evidence]))
        if killed is not None:
            figures.append(Figure(id=f"figure:{aid}:{number}", kind=FigureKind.KILLED, min=killed,
                                  max=killed, text=f"{killed} people", event=eid, evidence=evidence))
    return ArticleGraph(article=Article(id=aid, text=text, published=published, source=aid),
                        extractor_version="coref-test-1", entities=entities, events=built,
                        figures=figures)


def _brigade() -> Entity:
    return Entity(id=BRIGADE, type=EntityType.GROUP, name="Red Hand Brigade", kind="militia",
                  country="TL")


def wire() -> ArticleGraph:
    market = Entity(id=MARKET, type=EntityType.TARGET, name="Arlen market", kind="facility")
    return _article(WIRE, "Gunmen of the Red Hand Brigade raided the market of Arlen on Monday, "
                    "killing 14 people.", RAID, place=ARLEN,
                    events=[(EventType.ATTACK, RAID, ARLEN, False, 14)], actors=[_brigade(), market])


def local() -> ArticleGraph:
    # no publication date on the page, and no date in the text: an undated report
    return _article(LOCAL, "A blast tore through Arlen's market; the Red Hand Brigade was "
                    "blamed. Fourteen died.", None, place=ARLEN,
                    events=[(EventType.BOMBING, None, ARLEN, False, 14)], actors=[_brigade()])


def relief() -> ArticleGraph:
    # two days after, the date a day late, and only the province named
    return _article(RELIEF, "Fifteen civilians were killed when Red Hand Brigade fighters "
                    "clashed with guards at a market in Vessa province on 3 March.", D(2026, 3, 4),
                    place=VESSA, events=[(EventType.ARMED_CLASH, D(2026, 3, 3), VESSA, False, 15)],
                    actors=[_brigade()])


def lookalike() -> ArticleGraph:
    # the same group, the same province, two days later: another incident
    return _article(LOOKALIKE, "The Red Hand Brigade attacked Bellin on Wednesday, killing six.",
                    D(2026, 3, 4), place=BELLIN,
                    events=[(EventType.ATTACK, D(2026, 3, 4), BELLIN, False, 6)], actors=[_brigade()])


def later() -> ArticleGraph:
    # a third attack, whose article recalls the Arlen raid as background
    return _article(LATER, "Gunmen killed three herders near Bellin on Friday. On 2 March the "
                    "Red Hand Brigade had raided Arlen's market, killing 14.", D(2026, 3, 21),
                    place=BELLIN, events=[(EventType.ATTACK, D(2026, 3, 20), BELLIN, False, 3),
                                          (EventType.ATTACK, RAID, ARLEN, True, 14)],
                    actors=[_brigade()])


def everything() -> list[ArticleGraph]:
    return [wire(), local(), relief(), lookalike(), later()]


def incidents(driver: Driver) -> list[list[str]]:
    """The report keys of every Event, grouped, sorted."""
    records = driver.execute_query(
        "MATCH (a:Article)-[r:REPORTS]->(e:Event) WITH e, r ORDER BY r.report_key "
        "RETURN e.id AS event, collect(r.report_key) AS keys"
    ).records
    return sorted(r["keys"] for r in records)


EXPECTED = sorted([
    [f"{WIRE}#event:{WIRE}:1", f"{LOCAL}#event:{LOCAL}:1", f"{RELIEF}#event:{RELIEF}:1",
     f"{LATER}#event:{LATER}:2"],
    [f"{LOOKALIKE}#event:{LOOKALIKE}:1"],
    [f"{LATER}#event:{LATER}:1"],
])


# -- the decision, without a database ------------------------------------------------------


def _report(graph: ArticleGraph, number: int = 1) -> EventReport:
    return next(r for r in reports_of(graph) if r.event.endswith(f":{number}"))


ANCESTORS = {ARLEN: frozenset({VESSA, COUNTRY}), BELLIN: frozenset({VESSA, COUNTRY}),
             VESSA: frozenset({COUNTRY}), COUNTRY: frozenset()}


def test_the_score_says_why() -> None:
    match = score_reports(_report(wire()), _report(relief()), ANCESTORS)
    assert match.veto is None and match.score >= 4
    assert match.reasons == ("1 day apart +1.5", "place inside place +1", "compatible types +0",
                             "same perpetrator +2", "same killed toll +1")


def test_an_undated_report_joins_on_place_type_and_actors() -> None:
    match = score_reports(_report(wire()), _report(local()), ANCESTORS)
    assert match.reasons[0] == "undated +0" and match.score >= 4
    # without the group, place and type alone are not enough for an undated report
    bare = _article(LOCAL, "A blast hit Arlen's market.", None, place=ARLEN,
                    events=[(EventType.BOMBING, None, ARLEN, False, None)])
    assert score_reports(_report(wire()), _report(bare), ANCESTORS).score < 4


def test_the_lookalike_is_vetoed_by_its_date() -> None:
    assert score_reports(_report(wire()), _report(lookalike()), ANCESTORS).veto == "dates apart"
    assert score_reports(_report(local()), _report(lookalike()), ANCESTORS).veto == "places apart"


def test_an_undated_report_matches_only_what_a_look_up_by_place_finds() -> None:
    # a dated report may match one within 25 km, or inside the same country; an undated one
    # is found by place (the place, those around it, those inside it): no distance, no country
    near = _article(LOCAL, "A blast hit a market near Arlen.", None, place=ARLEN,
                    events=[(EventType.BOMBING, None, ARLEN, False, 14)], actors=[_brigade()])
    nearby = near.model_copy(update={"entities": [
        e.model_copy(update={"id": "place:test:arlen-east", "latitude": 10.45}) if e.id == ARLEN else e
        for e in near.entities], "events": [near.events[0].model_copy(update={"place": "place:test:arlen-east"})]})
    assert score_reports(_report(wire()), _report(nearby), ANCESTORS).veto == "places apart"
    dated = nearby.model_copy(update={"article": nearby.article.model_copy(update={"published": RAID})})
    assert score_reports(_report(wire()), _report(dated), ANCESTORS).veto is None
    country = near.model_copy(update={"events": [near.events[0].model_copy(update={"place": COUNTRY})]})
    assert score_reports(_report(wire()), _report(country), ANCESTORS).veto == (
        "undated, only the country in common")


def test_perpetrators_and_targets_by_their_roles() -> None:
    graph = wire()
    event = graph.events[0].id
    other = Entity(id="group:blue-hand", type=EntityType.GROUP, name="Blue Hand", kind="militia")
    blamed = Entity(id="group:green-hand", type=EntityType.GROUP, name="Green Hand", kind="militia")
    graph = graph.model_copy(update={"entities": [*graph.entities, other, blamed], "relations": [
        Relation(source=other.id, type=RelType.DENIED_RESPONSIBILITY, target=event,
                 evidence=graph.events[0].evidence[0]),
        Relation(source=event, type=RelType.ATTRIBUTED_TO, target=blamed.id,
                 evidence=graph.events[0].evidence[0]),
    ]})
    report = _report(graph)
    assert report.perpetrators == {BRIGADE, blamed.id}  # a denial names no perpetrator
    assert report.targets == {MARKET}  # nor a target


@pytest.mark.parametrize(("a", "b", "agree"), [
    ([14], [15], True),  # within 10%
    ([230], [310], True),  # a large toll that rose
    ([6], [20], None),  # an early toll and a later one: no evidence either way
    ([20], [28], None),
    ([6], [115], False),  # far apart: a very early toll costs a point (the rest may carry it)
    ([30], [4], False),  # every value far apart
    ([30, 4], [4], True),
    ([], [4], None),
])
def test_tolls(a: list[int], b: list[int], agree: bool | None) -> None:
    assert _tolls_agree([(x, False) for x in a], [(y, False) for y in b]) is agree


def test_an_early_floor_is_no_other_toll() -> None:
    """"at least 6" (a floor) and a later 115 do not disagree; an exact 6 does."""
    assert _tolls_agree([(6, True)], [(115, False)]) is None
    assert _tolls_agree([(6, False)], [(115, False)]) is False
    assert _tolls_agree([(115, True)], [(6, False)]) is False  # at least 115 is not 6


def test_two_undated_reports_of_one_weekday_score_for_it() -> None:
    def on(key: str, day: str) -> EventReport:
        return EventReport(key=key, article=key.split("#")[0], event="1", type=EventType.BOMBING,
                           window=None, place="place:iq:karada", place_kind="other",
                           date_text=day)
    same = score_reports(on("A#1", "early on Sunday"), on("B#1", "Sunday"), {})
    assert "both on a Sunday +1" in same.reasons
    assert not any("both on" in r for r in score_reports(on("A#1", "Sunday"), on("B#1", "overnight"), {}).reasons)


# -- in the graph --------------------------------------------------------------------------


def test_three_wordings_are_one_event_and_the_lookalike_another(kg: Driver) -> None:
    load(kg, everything())
    assert incidents(kg) == EXPECTED


def test_reports_carry_their_match_and_event_sources_shows_it(kg: Driver) -> None:
    load(kg, everything())
    records = kg.execute_query(
        "MATCH (a:Article {id: $article})-[r:REPORTS]->(:Event) "
        "RETURN r.match_score AS score, r.match_reasons AS reasons, r.matched_with AS other",
        article=RELIEF).records
    assert [(r["score"], r["other"]) for r in records] == [(5.5, f"{WIRE}#event:{WIRE}:1")]
    assert "same perpetrator +2" in records[0]["reasons"]
    alone = kg.execute_query(
        "MATCH (a:Article {id: $article})-[r:REPORTS]->(:Event) RETURN r.match_score AS score",
        article=LOOKALIKE).records
    assert [r["score"] for r in alone] == [None]


@pytest.mark.parametrize("order", list(itertools.permutations(range(5)))[::13])
def test_ingest_order_and_day_by_day_give_the_same_graph(kg: Driver, order: tuple[int, ...]) -> None:
    load(kg, everything())
    reference = graph_dump(kg)
    kg.execute_query("MATCH (n) DETACH DELETE n")
    graphs = everything()
    for index in order:  # one article per transaction, as a daily feed would bring them
        load(kg, [graphs[index]])
    assert incidents(kg) == EXPECTED
    assert graph_dump(kg) == reference


def components(driver: Driver) -> dict[tuple[str, ...], str | None]:
    """Each Event's report keys → its match component."""
    records = driver.execute_query(
        "MATCH (a:Article)-[r:REPORTS]->(e:Event) WITH e, r ORDER BY r.report_key "
        "RETURN e.id AS event, collect(r.report_key) AS keys, e.match_component AS component").records
    return {tuple(r["keys"]): r["component"] for r in records}


def test_each_event_keeps_its_match_component(kg: Driver) -> None:
    load(kg, everything())
    by_event = components(kg)
    raid, bellin, herders = (tuple(keys) for keys in EXPECTED)
    # The Bellin attack matches the relief note (a day apart, inside its province, the same
    # group) but not the wire story (another town): its own Event, in the raid's component,
    # which is named by its smallest report key.
    assert by_event[raid] == by_event[bellin] == f"{WIRE}#event:{WIRE}:1"
    assert by_event[herders] == f"{LATER}#event:{LATER}:1"


def test_a_load_probes_only_its_new_reports_and_reads_what_they_reach_whole(
        kg: Driver, monkeypatch: pytest.MonkeyPatch) -> None:
    load(kg, everything()[:4])
    probed: list[str] = []
    read_whole: list[str] = []
    in_windows, of_components = GraphReports.reports_in_windows, GraphReports.reports_of_components

    def recording_windows(self: GraphReports, probes: Sequence[DatedProbe]) -> list[StoredReport]:
        probed.extend(f"{p.start}..{p.end}" for p in probes)
        return in_windows(self, probes)

    def recording_components(self: GraphReports, names: Sequence[str]) -> list[StoredReport]:
        read_whole.extend(names)
        return of_components(self, names)

    monkeypatch.setattr(GraphReports, "reports_in_windows", recording_windows)
    monkeypatch.setattr(GraphReports, "reports_of_components", recording_components)
    load(kg, [later()])
    # The later article's two reports are probed; the raid's four stored reports are not,
    # though its recollection joins them: their component is read whole, once.
    assert len(probed) == 2
    assert read_whole == [f"{WIRE}#event:{WIRE}:1"]
    assert incidents(kg) == EXPECTED


def test_events_settled_before_components_were_kept_are_probed_and_get_one(kg: Driver) -> None:
    load(kg, everything())
    reference = graph_dump(kg)
    kg.execute_query("MATCH (n) DETACH DELETE n")
    load(kg, everything()[:4])
    kg.execute_query("MATCH (e:Event) REMOVE e.match_component")  # as a graph loaded before
    load(kg, [later()])
    assert graph_dump(kg) == reference


def test_reports_loaded_before_window_spans_get_them_when_the_schema_is_applied(
        kg: Driver, monkeypatch: pytest.MonkeyPatch) -> None:
    """A graph from before `window_span`: its reports are invisible to the placed look-up until
    applying the schema sets it (chunk by chunk), and then later loads match them as before."""
    load(kg, everything())
    reference = graph_dump(kg)
    kg.execute_query("MATCH (n) DETACH DELETE n")
    load(kg, everything()[:4])
    kg.execute_query("DROP INDEX reports_place_span_window")
    kg.execute_query("MATCH ()-[r:REPORTS]->() REMOVE r.window_span")
    monkeypatch.setattr(schema, "_SPAN_CHUNK", 1)
    try:
        apply_schema(kg)
    finally:
        monkeypatch.undo()
        apply_schema(kg)  # the session's schema, whatever happened
    records, _, _ = kg.execute_query("MATCH ()-[r:REPORTS]->() WHERE r.window_start IS NOT NULL "
                                     "RETURN r.window_span AS span, r.date_precision AS precision")
    assert records and all(r["span"] == (r["precision"] if r["precision"] in ("month", "year") else "week")
                           for r in records)
    load(kg, [later()])
    assert graph_dump(kg) == reference


def _merged_across_batches() -> list[ArticleGraph]:
    """Four articles. The last joins two stored Events into one (the region's report and m2's
    Arlen report do not match each other, both match it); m2's report changes Event (its key is
    not the merged cluster's smallest), so m2 is re-derived; m2 also reports another incident,
    matched by m3: that match must survive the re-derivation."""
    brigade = [_brigade()]
    region = _article("m1-region", "Fourteen people were killed in an attack in Vessa on 3 March.",
                      D(2026, 3, 3), place=VESSA, events=[(EventType.ATTACK, D(2026, 3, 3), VESSA, False, 14)])
    both = _article("m2-both", "The Red Hand Brigade attacked Arlen's market. It also "
                    "attacked Bellin on 4 March, killing six.", D(2026, 3, 5), place=ARLEN,
                    events=[(EventType.ATTACK, None, ARLEN, False, None),
                            (EventType.ATTACK, D(2026, 3, 4), BELLIN, False, 6)], actors=brigade)
    bellin = _article("m3-bellin", "Six were killed in Bellin on 4 March by the Red Hand Brigade.",
                      D(2026, 3, 4), place=BELLIN, events=[(EventType.ATTACK, D(2026, 3, 4), BELLIN, False, 6)],
                      actors=brigade)
    joining = _article("m4-joining", "The Red Hand Brigade raided Arlen's market on 2 March, killing 14.",
                       RAID, place=ARLEN, events=[(EventType.ATTACK, RAID, ARLEN, False, 14)], actors=brigade)
    return [region, both, bellin, joining]


def test_a_merge_across_batches_gives_the_graph_of_one_batch(kg: Driver) -> None:
    load(kg, _merged_across_batches())
    reference = graph_dump(kg)
    assert sorted(incidents(kg)) == sorted([
        ["m1-region#event:m1-region:1", "m2-both#event:m2-both:1", "m4-joining#event:m4-joining:1"],
        ["m2-both#event:m2-both:2", "m3-bellin#event:m3-bellin:1"]])
    kg.execute_query("MATCH (n) DETACH DELETE n")
    *first, last = _merged_across_batches()
    load(kg, first)
    assert len(incidents(kg)) == 3  # the region's report and m2's Arlen report apart, so far
    result = load(kg, [last])
    assert result.reloaded == ["m2-both"]  # re-derived: its Arlen report changed Event
    assert graph_dump(kg) == reference  # m2's Bellin report keeps its match


def test_a_re_derived_article_keeps_what_it_gives_of_entities(kg: Driver) -> None:
    """An event re-keyed re-derives the article's event facts only: its views of entities and
    the facts between them are the same relationships as before, not written again."""
    *first, last = _merged_across_batches()
    load(kg, first)
    kept = ("MATCH (:Article {id: 'm2-both'})-[r]-(n) WHERE NOT n:Event "
            "RETURN type(r) AS type, n.id AS node, elementId(r) AS element ORDER BY type, node, element")
    before = [r.data() for r in kg.execute_query(kept).records]
    assert any(r["type"] == "MENTIONS" for r in before)
    reports = "MATCH (:Article {id: 'm2-both'})-[r:REPORTS]->(e) RETURN r.report_key AS key, e.id AS event"
    events_before = {r["key"]: r["event"] for r in kg.execute_query(reports).records}
    assert load(kg, [last]).reloaded == ["m2-both"]
    assert [r.data() for r in kg.execute_query(kept).records] == before
    events_after = {r["key"]: r["event"] for r in kg.execute_query(reports).records}
    assert events_after.keys() == events_before.keys() and events_after != events_before


def test_removing_the_wire_story_resettles_the_incident(kg: Driver) -> None:
    load(kg, everything())
    remove_articles(kg, [WIRE])
    assert incidents(kg) == sorted([
        [f"{LOCAL}#event:{LOCAL}:1", f"{RELIEF}#event:{RELIEF}:1", f"{LATER}#event:{LATER}:2"],
        [f"{LOOKALIKE}#event:{LOOKALIKE}:1"],
        [f"{LATER}#event:{LATER}:1"],
    ])
    load(kg, [wire()])
    assert incidents(kg) == EXPECTED


def test_an_event_is_background_only_when_every_report_recalls_it(kg: Driver) -> None:
    load(kg, everything())
    rows = kg.execute_query(
        "MATCH (a:Article)-[:REPORTS]->(e:Event) WITH e, collect(a.id) AS articles "
        "RETURN articles, e.background AS background").records
    flags = {tuple(sorted(r["articles"])): r["background"] for r in rows}
    # the Arlen raid is news to three reports and background to the later one: news
    assert flags[tuple(sorted([WIRE, LOCAL, RELIEF, LATER]))] is False
    kg.execute_query("MATCH (n) DETACH DELETE n")
    load(kg, [later()])  # alone, the later article's recollection is a background Event
    rows = kg.execute_query("MATCH (e:Event) RETURN e.date AS date, e.background AS background").records
    assert sorted((str(r["date"]), r["background"]) for r in rows) == [
        (str(RAID), True), (str(D(2026, 3, 20)), False)]


def test_a_branch_and_its_parent_group_are_one_side() -> None:
    """One outlet names the branch, another the group it belongs to (groups.yaml `parent`)."""
    from kg.ids import entity_id
    from kg.resolve.reports import group_families

    parent = entity_id(EntityType.GROUP, "Islamic State")
    branch = entity_id(EntityType.GROUP, "Islamic State Sinai Province")
    assert group_families()[branch] == group_families()[parent] == parent

    def claimed_by(aid: str, name: str) -> ArticleGraph:
        group = Entity(id=entity_id(EntityType.GROUP, name), type=EntityType.GROUP, name=name,
                       kind="jihadist")
        return _article(aid, f"{name} fighters bombed the market of Arlen on Monday.", RAID,
                        place=ARLEN, events=[(EventType.BOMBING, RAID, ARLEN, False, None)],
                        actors=[group])

    match = score_reports(_report(claimed_by("b1", "Islamic State")),
                          _report(claimed_by("b2", "Islamic State Sinai Province")), ANCESTORS)
    assert "same group family +1" in match.reasons
    assert not any("other perpetrator" in reason for reason in match.reasons)


# -- a report without a place ------------------------------------------------------------------

OSTLAND = "place:test:ostland"
UNPLACED, ABROAD = "c6-unplaced", "c7-abroad"


def _unplaced(aid: str, country: Entity, text: str) -> ArticleGraph:
    """The Arlen raid told without a place for it, in an article that names `country`."""
    evidence = Evidence(text=text, start=0, end=len(text))
    named = country.model_copy(update={"mentions": [Mention(text=country.name, start=text.index(country.name),
                                                            end=text.index(country.name) + len(country.name))]})
    event = Event(id=f"event:{aid}:1", type=EventType.ATTACK, acled_event_type=EventType.ATTACK.acled[0],
                  acled_sub_event_type=EventType.ATTACK.acled[1], label=f"attack {aid}", date=RAID,
                  date_precision=DatePrecision.DAY, place=None,
                  participants=[Participant(entity=BRIGADE, role=ParticipantRole.PERPETRATOR)],
                  evidence=[evidence])
    killed = Figure(id=f"figure:{aid}:1", kind=FigureKind.KILLED, min=14, max=14, text="14 people",
                    event=event.id, evidence=evidence)
    return ArticleGraph(article=Article(id=aid, text=text, published=RAID, source=aid),
                        extractor_version="coref-test-1", entities=[named, _brigade()], events=[event],
                        figures=[killed])


def in_testland() -> ArticleGraph:
    return _unplaced(UNPLACED, _places(COUNTRY)[0], "Testland: Red Hand Brigade gunmen killed 14 "
                     "people in a raid on Monday, the army said.")


def in_ostland() -> ArticleGraph:
    ostland = Entity(id=OSTLAND, type=EntityType.PLACE, name="Ostland", kind="country", country="OS",
                     latitude=12.0, longitude=24.0)
    return _unplaced(ABROAD, ostland, "Ostland: Red Hand Brigade gunmen killed 14 people in a raid "
                     "on Monday, the army said.")


def test_an_article_country_is_the_one_whose_places_it_names_most() -> None:
    assert home_country(wire()) == "TL"
    assert home_country(in_ostland()) == "OS"
    text = "Ostland and Testland"
    both = in_ostland().model_copy(update={"article": Article(id="x", text=text), "entities": [
        Entity(id=p, type=EntityType.PLACE, name=n, kind="country", country=c,
               mentions=[Mention(text=n, start=text.index(n), end=text.index(n) + len(n))])
        for p, n, c in ((COUNTRY, "Testland", "TL"), (OSTLAND, "Ostland", "OS"))]})
    assert home_country(both) == "OS"  # as many mentions: the first named
    assert _report(wire()).home_country is None  # a placed report has its place's country


def test_a_report_without_a_place_matches_only_in_its_article_country() -> None:
    home, abroad = _report(in_testland()), _report(in_ostland())
    assert (home.home_country, home.unplaced_in, home.unplaced_span) == ("TL", "TL:short", None)
    match = score_reports(_report(wire()), home, ANCESTORS)
    assert match.veto is None and "place unknown -1" in match.reasons and match.score >= 4
    assert score_reports(_report(wire()), abroad, ANCESTORS).veto == "different countries"
    assert score_reports(home, abroad, ANCESTORS).veto == "different countries"
    # an article that names no country: its report may be any country's
    nowhere = in_testland().model_copy(update={"entities": [_brigade()]})
    assert _report(nowhere).unplaced_span == "short" and _report(nowhere).unplaced_in is None
    assert score_reports(_report(wire()), _report(nowhere), ANCESTORS).veto is None


@pytest.mark.parametrize("first", ["placed", "unplaced"])
def test_a_report_without_a_place_joins_its_country_incident_in_either_order(kg: Driver, first: str) -> None:
    batches = [[wire()], [in_testland(), in_ostland()]]
    for batch in batches if first == "placed" else batches[::-1]:
        load(kg, batch)
    assert incidents(kg) == sorted([[f"{WIRE}#event:{WIRE}:1", f"{UNPLACED}#event:{UNPLACED}:1"],
                                    [f"{ABROAD}#event:{ABROAD}:1"]])
