"""The extraction scorer's matching rules, on small hand-made graphs (no model).

The scores of the extractor itself, with their floors, are in tests/extract/test_scores.py.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from kg.dev.expected import Expected, article_key
from kg.dev.names import name_key, quote_key, same_source
from kg.dev.scoring import (
    CATEGORIES,
    PredEntity,
    Prediction,
    Tally,
    from_graph,
    pair,
    score_article,
)
from kg.models import (
    Article,
    ArticleGraph,
    Entity,
    Event,
    Evidence,
    Figure,
    Mention,
    Quote,
    Relation,
)
from kg.schema import EntityType, EventType, FigureKind, RelType

EV = Evidence(start=0, end=1, text="x")

# -- hand-made graphs ------------------------------------------------------------------------


def ent(eid: str, type_: EntityType, name: str, *aliases: str, mentioned: bool = True) -> Entity:
    mentions = [Mention(start=0, end=len(name), text=name)] if mentioned else []
    return Entity(id=eid, type=type_, name=name, aliases=list(aliases), mentions=mentions)


def event(eid: str, type_: EventType, date: str | None = None, place: str | None = None) -> Event:
    acled, sub = type_.acled
    return Event(id=eid, type=type_, acled_event_type=acled, acled_sub_event_type=sub, label=eid,
                 date=dt.date.fromisoformat(date) if date else None, place=place)


def quote(text: str, speaker: str | None = None, description: str | None = None) -> Quote:
    return Quote(id=f"q:{text}", text=text, speaker=speaker, speaker_description=description,
                 start=0, end=1, evidence=EV)


def figure(kind: FigureKind, low: int | None, high: int | None, source: str | None = None,
           description: str | None = None) -> Figure:
    return Figure(id=f"f:{kind}:{low}", kind=kind, min=low, max=high, text="t",
                  according_to=source, according_to_description=description, evidence=EV)


def rel(source: str, type_: RelType, target: str) -> Relation:
    return Relation(source=source, type=type_, target=target, evidence=EV)


def graph(*entities: Entity, events: tuple[Event, ...] = (), quotes: tuple[Quote, ...] = (),
          figures: tuple[Figure, ...] = (), relations: tuple[Relation, ...] = (),
          source: str | None = None) -> Prediction:
    article = Article(id="a1", text="x", source=source)
    return from_graph(ArticleGraph(article=article, extractor_version="test",
                                   entities=list(entities), events=list(events),
                                   quotes=list(quotes), figures=list(figures),
                                   relations=list(relations)))


# What the schema asks of every file and item that these rule checks do not look at.
_FILE = {"file": "a.txt", "format": "txt", "has_summary": False, "published": "2025-01-10",
         "title": "A", "language": "en", "style": "wire", "region": "sahel"}
_KINDS = {"groups": "rebel", "organisations": "state_force", "places": "city",
          "targets": "civilians"}


def expected(**fields: Any) -> Expected:
    for category, kind in _KINDS.items():
        for item in fields.get(category, []):
            item.setdefault("kind", kind)
    for item in fields.get("events", []):
        item.setdefault("label", item["key"])
    return Expected.model_validate({**_FILE, **fields})


def score(exp: Expected, pred: Prediction, *, baseline: bool = False
          ) -> tuple[dict[str, Tally], list[str]]:
    tallies = {c: Tally() for c in CATEGORIES}
    violations = score_article(exp, pred, tallies, baseline=baseline)
    return tallies, violations


def counts(tally: Tally) -> tuple[int, int, int]:
    return tally.found, tally.expected, tally.spurious


# -- normalisation ---------------------------------------------------------------------------


def test_names_compare_without_case_accents_apostrophes_or_a_leading_the() -> None:
    assert name_key("The Ménaka Region") == name_key("menaka region")
    assert name_key("Jama’at Nusrat al-Islam") == name_key("Jamaat Nusrat al Islam")
    assert name_key("Al Ḩasakah") == name_key("Al-Hasakah")
    assert name_key("Theodore") == "theodore"


def test_quotes_compare_without_trailing_punctuation_or_curly_quotes() -> None:
    assert quote_key("We lost 11 men,") == quote_key("we  lost 11 men")
    assert quote_key("“It’s over.”") == quote_key("\"It's over\"")
    assert quote_key("We lost 11 men") != quote_key("We lost 12 men")


def test_sources_agree_when_one_description_contains_the_other() -> None:
    assert same_source(["a local elected official"], ["local official"])
    assert same_source(["Malian Armed Forces statement"], ["malian armed forces"])
    assert not same_source(["a second officer"], ["several soldiers"])
    assert not same_source(["officials"], [])


def test_pairing_is_one_to_one_and_serves_must_items_first() -> None:
    # One predicted item fits both expected ones: the must item (index 1) gets it.
    pairs = pair(["should", "must"], ["p"], lambda e, p: True, order=[1, 0])
    assert pairs == {1: 0}
    # An augmenting path keeps both matched when possible.
    pairs = pair(["a", "b"], ["x", "y"], lambda e, p: (e, p) != ("b", "y"))
    assert pairs == {0: 1, 1: 0}


# -- entities --------------------------------------------------------------------------------


def test_entities_match_by_alias_or_alt_name_one_to_one() -> None:
    exp = expected(
        groups=[{"name": "Jama'at Nusrat al-Islam wal-Muslimin", "aliases": ["JNIM"], "must": True},
                {"name": "Islamic State Sahel Province", "alt_names": ["ISGS"], "must": False}],
        places=[{"name": "Ménaka", "must": True}, {"name": "Ménaka Region", "must": True}])
    pred = graph(ent("g1", EntityType.GROUP, "JNIM"),
                 ent("g2", EntityType.GROUP, "Islamic State in the Greater Sahara", "ISGS"),
                 ent("g3", EntityType.GROUP, "Boko Haram"),
                 # One node for town and region: it can stand for only one of them.
                 ent("p1", EntityType.PLACE, "Menaka", "Ménaka Region"),
                 ent("p2", EntityType.PLACE, "Mali", mentioned=False))
    tallies, _ = score(exp, pred)
    assert counts(tallies["groups"]) == (2, 2, 1)  # Boko Haram is not in the article's list
    assert tallies["groups"].false == ["a: Boko Haram"]
    assert counts(tallies["places"]) == (1, 2, 0)  # Mali was only added as a parent
    assert tallies["places"].missed == ["a: [must] Ménaka Region"]
    assert tallies["places"].must.recall == 0.5


def test_an_entity_of_the_wrong_type_does_not_match() -> None:
    exp = expected(groups=[{"name": "ISWAP", "must": True}])
    tallies, _ = score(exp, graph(ent("o1", EntityType.ORGANISATION, "ISWAP")))
    assert counts(tallies["groups"]) == (0, 1, 0)
    assert counts(tallies["organisations"]) == (0, 0, 1)


def test_the_baseline_org_spans_are_judged_as_groups_and_as_organisations() -> None:
    exp = expected(groups=[{"name": "ISWAP", "must": True}],
                   organisations=[{"name": "AFP", "must": True}])
    pred = Prediction(entities={
        cat: [from_graph_entity(name) for name in ("ISWAP", "AFP", "Reuters")]
        for cat in ("groups", "organisations")})
    tallies, _ = score(exp, pred, baseline=True)
    # AFP is no false group, ISWAP no false organisation; Reuters is wrong in both.
    assert counts(tallies["groups"]) == (1, 1, 1)
    assert counts(tallies["organisations"]) == (1, 1, 1)


def from_graph_entity(name: str) -> Any:
    return PredEntity(name, name, frozenset({name_key(name)}))


# -- quotes and figures ------------------------------------------------------------------------


def test_a_quote_needs_its_text_and_its_speaker() -> None:
    exp = expected(
        people=[{"name": "Souleymane Dembélé", "must": True}],
        quotes=[{"text": "Dozens of terrorists were neutralised,", "speaker": "Souleymane Dembélé",
                 "must": True},
                {"text": "We counted 20 bodies,", "speaker_description": "a local elected official",
                 "must": True},
                {"text": "The road will stay open.", "speaker_description": "the governor",
                 "must": False}])
    pred = graph(ent("p1", EntityType.PERSON, "Souleymane Dembele", "Colonel Souleymane Dembélé"),
                 quotes=(quote("Dozens of terrorists were neutralised", speaker="p1"),
                         quote("We counted 20 bodies", description="A local official"),
                         quote("The road will stay open", speaker="p1")))
    tallies, _ = score(exp, pred)
    assert counts(tallies["quotes"]) == (2, 3, 1)  # the last has the wrong speaker
    assert tallies["quotes"].must.recall == 1.0
    assert counts(tallies["quote_texts"]) == (3, 3, 0)


def test_a_described_speaker_accepts_the_listed_entity_it_names() -> None:
    exp = expected(groups=[{"name": "Rapid Support Forces", "aliases": ["RSF"], "must": True}],
                   quotes=[{"text": "a fabricated media campaign", "speaker_description": "RSF statement",
                            "must": True},
                           {"text": "outlaw groups", "speaker_description": "a local official",
                            "must": True}])
    pred = graph(ent("g1", EntityType.GROUP, "Rapid Support Forces"),
                 quotes=(quote("a fabricated media campaign", description="Rapid Support Forces"),
                         quote("outlaw groups", description="Rapid Support Forces")))
    tallies, _ = score(exp, pred)
    assert counts(tallies["quotes"]) == (1, 2, 1)


def test_a_figure_needs_kind_range_and_source() -> None:
    exp = expected(
        organisations=[{"name": "Malian Armed Forces", "aliases": ["the army"], "must": True}],
        figures=[{"kind": "killed", "text": "nine soldiers", "min": 9, "max": 9,
                  "according_to": "Malian Armed Forces", "must": True},
                 {"kind": "killed", "text": "at least 20", "min": 20, "qualifier": "at least",
                  "according_to_description": "a local official", "must": True},
                 {"kind": "other", "text": "30 trucks", "min": 30, "max": 30, "must": False},
                 {"kind": "killed", "text": "187 fatalities", "min": 187, "max": 187,
                  "according_to_description": "the monitor", "must": False}])
    pred = graph(ent("o1", EntityType.ORGANISATION, "Malian Armed Forces", "army"),
                 figures=(figure(FigureKind.KILLED, 9, 9, source="o1"),
                          figure(FigureKind.KILLED, 20, 20, description="a local official"),
                          figure(FigureKind.OTHER, 30, 30, description="anyone"),
                          figure(FigureKind.KILLED, 187, 187)),
                 source="Levant and Gulf Conflict Monitor")
    tallies, _ = score(exp, pred)
    # "at least 20" is no exact 20; a figure without a source is the article's own.
    assert counts(tallies["figures"]) == (3, 4, 1)
    assert tallies["figures"].missed == ["a: [must] killed 20– 'at least 20' per a local official"]


# -- events and the relations on them --------------------------------------------------------------

_PLACES = [{"name": "Mali", "must": True},
           {"name": "Ménaka Region", "parent": "Mali", "must": True},
           {"name": "Anderamboukane", "parent": "Ménaka Region", "must": True},
           {"name": "Bamako", "parent": "Mali", "must": False}]


def test_events_match_by_type_date_within_a_day_and_place_or_its_ancestor() -> None:
    exp = expected(places=_PLACES, events=[
        {"key": "e1", "type": "armed_clash", "type_accept": ["attack"], "date": "2025-02-09",
         "place": "Anderamboukane", "must": True},
        {"key": "e2", "type": "bombing", "date": "2025-02-09", "place": "Anderamboukane",
         "must": False},
        {"key": "e3", "type": "arrest", "date": "2025-02-01", "date_end": "2025-02-05",
         "place": "Mali", "must": False}])
    pred = graph(ent("r", EntityType.PLACE, "Ménaka Region"), ent("b", EntityType.PLACE, "Bamako"),
                 events=(event("x1", EventType.ATTACK, "2025-02-10", "r"),  # region encloses it
                         event("x2", EventType.BOMBING, "2025-02-09", "b"),  # wrong place
                         event("x3", EventType.ARREST, "2025-02-06", "b")))  # in range, in Mali
    tallies, _ = score(exp, pred)
    assert counts(tallies["events"]) == (1, 3, 2)
    missed = tallies["events"].missed
    assert len(missed) == 2 and "nearest: bombing 2025-02-09 at Bamako, wrong place" in missed[0]
    # A day past the range is still on time; a place inside the expected one is not it.
    assert missed[1].endswith("nearest: arrest 2025-02-06 at Bamako, wrong place")


def test_claims_and_attributions_are_judged_on_the_corresponding_event() -> None:
    exp = expected(
        groups=[{"name": "Tehrik-i-Taliban Pakistan", "aliases": ["TTP"], "must": True},
                {"name": "Hafiz Gul Bahadur group", "must": True}],
        events=[{"key": "e1", "type": "armed_clash", "date": "2025-06-05",
                 "claimed_by": ["Tehrik-i-Taliban Pakistan"], "must": True},
                {"key": "e2", "type": "bombing", "date": "2025-06-04",
                 "attributed_to": ["Hafiz Gul Bahadur group"], "must": True}],
        must_not=[{"relation": {"source": "Tehrik-i-Taliban Pakistan",
                                "type": "CLAIMED_RESPONSIBILITY", "target": "e2"},
                   "why": "the TTP denied the bombing"}])
    pred = graph(ent("ttp", EntityType.GROUP, "TTP"), ent("hgb", EntityType.GROUP, "Hafiz Gul Bahadur Group"),
                 events=(event("x1", EventType.ARMED_CLASH),  # undated: pairs loosely
                         event("x2", EventType.BOMBING, "2025-06-04"),
                         event("x3", EventType.PROTEST, "2025-06-04")),
                 relations=(rel("ttp", RelType.CLAIMED_RESPONSIBILITY, "x1"),
                            rel("ttp", RelType.CLAIMED_RESPONSIBILITY, "x2"),
                            rel("hgb", RelType.CLAIMED_RESPONSIBILITY, "x3"),
                            rel("x2", RelType.ATTRIBUTED_TO, "hgb")))
    tallies, violations = score(exp, pred)
    assert counts(tallies["events"]) == (1, 2, 2)
    # x1's claim counts though x1 lacks a date; the claim on x2 contradicts the file; the one
    # on x3, an event the file does not have, is left to the events score.
    assert counts(tallies["claims"]) == (1, 1, 1)
    assert counts(tallies["attributions"]) == (1, 1, 0)
    assert violations == ["a: the TTP denied the bombing"]


# -- keys ----------------------------------------------------------------------------------------


def test_article_keys_follow_the_expected_file_names() -> None:
    txt = Article(id="abc", text="x", origin="examples/articles/mali.txt")
    line = Article(id="digest-1", text="x", origin="examples/articles/feed.jsonl:3")
    assert (article_key(txt), article_key(line)) == ("mali", "feed--digest-1")
