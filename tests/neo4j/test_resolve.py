"""Identity rules without a database: the alias file and event coreference (kg.resolve)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from pathlib import Path

import pytest

from kg.errors import ConfigError
from kg.models import Entity, Relation
from kg.resolve import (
    Aliases,
    EventReport,
    canonical_event_id,
    cluster_reports,
    compatibility,
    date_window,
    reports_match,
    reports_of,
    score_reports,
    settle_reports,
)
from kg.resolve.event_identity import renamed_events
from kg.schema import DatePrecision, EntityType, EventType, RelType
from tests.neo4j.fixtures import (
    BALOCHISTAN,
    BLA,
    BLA_SHORT,
    BOLAN,
    GUNMEN,
    PAKISTAN,
    QUETTA,
    VILLAGERS,
    gunmen_attack,
    siege_afp,
    siege_dw,
)

D = dt.date
SIEGE_DAY = D(2025, 3, 11)
ANCESTORS = {
    QUETTA: frozenset({BALOCHISTAN, PAKISTAN}),
    BOLAN: frozenset({BALOCHISTAN, PAKISTAN}),
    BALOCHISTAN: frozenset({PAKISTAN}),
    PAKISTAN: frozenset(),
}


def report(key: str, *, type_: EventType = EventType.ATTACK, day: dt.date = SIEGE_DAY,
           precision: DatePrecision | None = DatePrecision.DAY, place: str | None = BALOCHISTAN,
           actors: tuple[str, ...] = (BLA,)) -> EventReport:
    article = key.split("#")[0]
    return EventReport(key=key, article=article, event=key.split("#")[1], type=type_,
                       window=date_window(day, precision, None), place=place,
                       actors=frozenset(actors), date=day, date_precision=precision)


# -- dates ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("precision", "expected"), [
    (DatePrecision.DAY, (D(2025, 3, 12), D(2025, 3, 12))),
    (None, (D(2025, 3, 12), D(2025, 3, 12))),
    (DatePrecision.WEEK, (D(2025, 3, 10), D(2025, 3, 16))),
    (DatePrecision.MONTH, (D(2025, 3, 1), D(2025, 3, 31))),
    (DatePrecision.YEAR, (D(2025, 1, 1), D(2025, 12, 31))),
])
def test_date_windows(precision: DatePrecision | None, expected: tuple[dt.date, dt.date]) -> None:
    assert date_window(D(2025, 3, 12), precision, None) == expected


def test_undated_reports_look_back_from_publication() -> None:
    assert date_window(None, None, D(2025, 3, 12)) == (D(2025, 3, 6), D(2025, 3, 12))
    assert date_window(None, None, None) is None


# -- the match score ------------------------------------------------------------------------


def test_compatible_types() -> None:
    table = compatibility()
    assert table.compatible(EventType.HOSTAGE_TAKING, EventType.ATTACK)  # same ACLED type
    assert table.compatible(EventType.ATTACK, EventType.BOMBING)  # listed pair
    assert table.compatible(EventType.BOMBING, EventType.ATTACK)  # symmetric
    assert not table.compatible(EventType.ATTACK, EventType.SECURITY_OPERATION)
    # Both "Strategic developments", but an arrest is not an agreement.
    assert not table.compatible(EventType.ARREST, EventType.AGREEMENT)
    assert table.compatible(EventType.SABOTAGE, EventType.LOOTING)  # same sub-event type


def test_matching_reports() -> None:
    a = report("A#1")
    assert reports_match(a, report("B#1", place=BOLAN, day=D(2025, 3, 12)), ANCESTORS)
    assert reports_match(a, report("B#1", precision=DatePrecision.MONTH, day=D(2025, 3, 1)), ANCESTORS)
    assert reports_match(a, report("B#1", actors=()), ANCESTORS)  # no actors: rule 5 is moot


@pytest.mark.parametrize("other", [
    report("A#2"),  # rule 1: same article
    report("B#1", type_=EventType.SECURITY_OPERATION),  # rule 2
    report("B#1", day=D(2025, 3, 13)),  # rule 3: two days apart
    report("B#1", place=None),  # no place: the rest is not enough
    report("B#1", place="place:pk:peshawar"),  # unrelated place: a veto
    # another actor, and a day apart: neither vetoes, but the score falls short
    report("B#1", actors=("organisation:pakistani-security-forces",), day=D(2025, 3, 12)),
])
def test_reports_that_do_not_match(other: EventReport) -> None:
    assert not reports_match(report("A#1"), other, ANCESTORS)


def test_an_undated_report_naming_another_weekday_is_another_incident() -> None:
    dated = report("A#1", place=QUETTA)  # a Tuesday
    undated = EventReport(key="B#1", article="B", event="1", type=EventType.ATTACK, window=None,
                          place=QUETTA, actors=frozenset({BLA}), date_text="Friday")
    assert not reports_match(dated, undated, ANCESTORS)
    monday = EventReport(key="B#1", article="B", event="1", type=EventType.ATTACK, window=None,
                         place=QUETTA, actors=frozenset({BLA}), date_text="late Monday")
    assert reports_match(dated, monday, ANCESTORS)  # a day apart: a night's report


def test_places_match_through_the_hierarchy_either_way() -> None:
    assert reports_match(report("A#1", place=QUETTA), report("B#1", place=PAKISTAN), ANCESTORS)
    assert reports_match(report("A#1", place=PAKISTAN), report("B#1", place=QUETTA), ANCESTORS)
    assert not reports_match(report("A#1", place=QUETTA), report("B#1", place=BOLAN), ANCESTORS)


def test_one_country_is_no_place_in_common() -> None:
    """Two reports whose only place is the country: neither the same place (dated) nor any
    evidence at all (undated, where the place is all there is)."""
    def in_country(key: str, day: dt.date | None) -> EventReport:
        return EventReport(key=key, article=key.split("#")[0], event="1", type=EventType.ATTACK,
                           window=date_window(day, DatePrecision.DAY, None) if day else None,
                           place=PAKISTAN, place_kind="country", actors=frozenset({BLA}), date=day)
    dated = score_reports(in_country("A#1", SIEGE_DAY), in_country("B#1", SIEGE_DAY), ANCESTORS)
    assert "same country +0" in dated.reasons and not any("same place" in r for r in dated.reasons)
    assert score_reports(in_country("A#1", None), in_country("B#1", None), ANCESTORS).vetoed


# -- clustering ----------------------------------------------------------------------------


def test_clusters_do_not_depend_on_order_and_never_hold_two_reports_of_one_article() -> None:
    reports = [report("A#1"), report("A#2", day=D(2025, 3, 12)), report("B#1", day=D(2025, 3, 12)),
               report("C#1", place=QUETTA), report("D#1", day=D(2024, 1, 1))]
    results = {tuple(sorted(cluster_reports(p, ANCESTORS).items()))
               for p in itertools.permutations(reports)}
    assert len(results) == 1
    clusters = dict(next(iter(results)))
    # B#1 matches both of A's reports and joins its best match, A#2 (same day); C#1 (inside
    # A#1's place) joins A#1 and cannot join B#1 too: that would put A's two reports in one.
    assert clusters == {"A#1": "A#1", "C#1": "A#1", "A#2": "A#2", "B#1": "A#2", "D#1": "D#1"}


def test_a_match_component_holds_the_clusters_its_matching_pairs_join() -> None:
    """Kept apart (two reports of one article), A's two Events are still one match component:
    the matches that chain them are what a later settle must see again."""
    reports = [report("A#1"), report("A#2", day=D(2025, 3, 12)), report("B#1", day=D(2025, 3, 12)),
               report("C#1", place=QUETTA), report("D#1", day=D(2024, 1, 1))]
    components = {tuple(sorted(settle_reports(p, ANCESTORS).components.items()))
                  for p in itertools.permutations(reports)}
    assert components == {(("A#1", "A#1"), ("A#2", "A#1"), ("B#1", "A#1"), ("C#1", "A#1"), ("D#1", "D#1"))}


@pytest.mark.parametrize("hierarchy", [False, True], ids=["by-country", "by-place"])
def test_only_pairs_the_score_would_veto_go_unscored(hierarchy: bool) -> None:
    """Clustering scores the pairs `comparable_pairs` gives: every pair left out is vetoed, so
    the clusters are those of scoring every pair, at a fraction of the cost. Given the place
    hierarchy, a placed report meets only related or near places (and the unplaced)."""
    from kg.dev.bench.synthetic import graphs
    from kg.resolve.coreference import comparable_pairs

    stream = list(graphs(8, 0, 240))
    reports = sorted({r for g in stream for r in reports_of(g)}, key=lambda r: r.key)
    # an analyst's pin pairs with everything; the same place pairs whatever country another
    # article gives it
    reports[5] = dataclasses.replace(reports[5], pins=frozenset({"same:c1"}))
    placed = next(i for i, r in enumerate(reports) if r.place and r.window and r.place_kind != "country")
    reports.append(dataclasses.replace(reports[placed], key="zz#1", article="zz", place_country="QQ"))
    # places near each other in no hierarchy, found through the grid: 22 km apart across a
    # row, 21 km apart across columns far north, where columns are narrow
    for key, (lat, lon) in {"n1": (10.1, 20.1), "n2": (10.3, 20.1), "n3": (65.0, 10.0),
                            "n4": (65.0, 10.45)}.items():
        reports.append(dataclasses.replace(reports[placed], key=f"{key}#1", article=key,
                                           place=f"place:{key}", latitude=lat, longitude=lon))
    parents = {e.id: e.parent for g in stream for e in g.entities if e.type is EntityType.PLACE}
    ancestors = {p: frozenset(_chain(parents, p)) for p in parents}
    pairs = comparable_pairs(reports, ancestors if hierarchy else None)
    every = list(itertools.combinations(range(len(reports)), 2))
    assert len(pairs) < len(every) / (20 if hierarchy else 4)
    assert all(score_reports(reports[i], reports[j], ancestors).vetoed
               for i, j in every if (i, j) not in pairs)
    assert {(5, j) for j in range(6, len(reports))} <= pairs
    assert (placed, len(reports) - 5) in pairs
    n = len(reports)
    assert {(n - 4, n - 3), (n - 2, n - 1)} <= pairs
    assert not score_reports(reports[n - 2], reports[n - 1], ancestors).vetoed


def _chain(parents: dict[str, str | None], place: str) -> list[str]:
    chain, up = [], parents.get(place)
    while up:
        chain.append(up)
        up = parents.get(up)
    return chain


def test_canonical_event_ids_are_stable_hashes_of_the_cluster_key() -> None:
    assert canonical_event_id("A#1") == canonical_event_id("A#1")
    assert canonical_event_id("A#1") != canonical_event_id("B#1")
    assert canonical_event_id("A#1").startswith("event:") and len(canonical_event_id("A#1")) == 22


def test_reports_of_an_article_collect_actors_from_relations_too() -> None:
    afp = reports_of(siege_afp())
    seizure = next(r for r in afp if r.type is EventType.ATTACK)
    assert seizure.actors == {BLA_SHORT, "target:jaffar-express"}
    assert seizure.window == (D(2025, 3, 11), D(2025, 3, 11))
    assert seizure.place == BOLAN
    assert EventReport.from_properties(seizure.article, seizure.properties()) == seizure


def test_an_unnamed_actor_is_no_actor_for_rule_5() -> None:
    """"Gunmen" in one report may be the group another report names: an Actor neither vetoes
    the match nor makes one, so reports with one match as they would without it."""
    (attack,) = reports_of(gunmen_attack())
    assert attack.actors == {VILLAGERS}
    assert GUNMEN not in attack.actors
    assert reports_match(report("A#1", actors=()), report("B#1"), ANCESTORS)


# -- the alias file ------------------------------------------------------------------------


def aliases(tmp_path: Path, text: str) -> Aliases:
    path = tmp_path / "aliases.yaml"
    path.write_text(text, encoding="utf-8")
    return Aliases.load(path)


def test_merge_by_id_rekeys_the_entity_and_every_reference(tmp_path: Path) -> None:
    table = aliases(tmp_path, f"merge:\n  {BLA}: [{BLA_SHORT}]\n")
    graph = table.apply(siege_afp())
    ids = {e.id for e in graph.entities}
    assert BLA in ids and BLA_SHORT not in ids
    assert all(p.entity != BLA_SHORT for e in graph.events for p in e.participants)
    assert graph.relations[0].target == BLA
    bla = graph.entity(BLA)
    assert bla is not None and bla.name == "BLA"  # the node's name comes from the other articles


def test_merge_by_name_uses_the_canonical_name(tmp_path: Path) -> None:
    table = aliases(tmp_path, "merge:\n  Baloch Liberation Army: [BLA]\n")
    bla = table.apply(siege_afp()).entity(BLA)
    assert bla is not None
    assert bla.name == "Baloch Liberation Army" and "BLA" in bla.aliases


def test_merging_two_entities_of_one_article_keeps_one(tmp_path: Path) -> None:
    graph = siege_dw()
    extra = Entity(id="organisation:pakistan-army", type=EntityType.ORGANISATION, name="Pakistan Army",
                   kind="state_force", mentions=[])
    graph = graph.model_copy(update={"entities": [*graph.entities, extra], "relations": [
        *graph.relations,
        Relation(source="organisation:pakistan-army", type=RelType.DEMANDS,
                 target="organisation:pakistani-security-forces",
                 evidence=graph.relations[0].evidence)]})
    table = aliases(tmp_path, "merge:\n  organisation:pakistani-security-forces: [Pakistan Army]\n")
    merged = table.apply(graph)
    forces = [e for e in merged.entities if e.id == "organisation:pakistani-security-forces"]
    assert len(forces) == 1
    assert forces[0].name == "Pakistani security forces" and "Pakistan Army" in forces[0].aliases
    # "forces demand of forces" became a self-loop: dropped.
    assert not [r for r in merged.relations if r.type is RelType.DEMANDS and r.source == r.target]


def test_split_by_country(tmp_path: Path) -> None:
    table = aliases(tmp_path, (
        f"split:\n  {BALOCHISTAN}:\n"
        "    - id: place:ir:sistan-and-baluchestan\n      name: Sistan and Baluchestan\n"
        "      when: {country: IR}\n"))
    untouched = table.apply(siege_dw())
    assert untouched.entity(BALOCHISTAN) is not None
    graph = siege_dw()
    iranian = [e.model_copy(update={"country": "IR"}) if e.id == BALOCHISTAN else e for e in graph.entities]
    split = table.apply(graph.model_copy(update={"entities": iranian}))
    place = split.entity("place:ir:sistan-and-baluchestan")
    assert place is not None and place.name == "Sistan and Baluchestan" and "Balochistan" in place.aliases
    assert all(e.place != BALOCHISTAN for e in split.events)


def test_split_may_change_the_type(tmp_path: Path) -> None:
    table = aliases(tmp_path, f"split:\n  {BLA_SHORT}:\n    - id: organisation:bla-party\n      when: {{source: AFP}}\n")
    moved = table.apply(siege_afp()).entity("organisation:bla-party")
    assert moved is not None and moved.type is EntityType.ORGANISATION
    assert moved.kind is None  # "separatist" is a group kind, not an organisation kind


def test_merging_into_an_actor_keeps_only_actor_kinds(tmp_path: Path) -> None:
    """The alias file can fold a mis-typed "gunmen" into the unnamed Actor: the kind is kept
    only when it is an ActorKind."""
    graph = gunmen_attack()
    group = Entity(id="group:gunmen", type=EntityType.GROUP, name="gunmen", kind="militia",
                   mentions=[])
    graph = graph.model_copy(update={"entities": [*graph.entities, group]})
    merged = aliases(tmp_path, f"merge:\n  {GUNMEN}: [group:gunmen]\n").apply(graph)
    actor = merged.entity(GUNMEN)
    assert actor is not None and actor.type is EntityType.ACTOR
    assert actor.kind == "unidentified_armed_group"
    assert merged.entity("group:gunmen") is None
    split = aliases(tmp_path, f"split:\n  {GUNMEN}:\n    - id: group:bandits\n").apply(gunmen_attack())
    bandits = split.entity("group:bandits")
    assert bandits is not None and bandits.type is EntityType.GROUP and bandits.kind is None


@pytest.mark.parametrize(("text", "message"), [
    ("merge:\n  a: [b]\n  c: [b]\n", "merged into both"),
    ("split:\n  place:x:\n    - id: nowhere\n", "must be an id"),
    ("merge: [1, 2\n", "not valid YAML"),
    ("merge:\n  a: [b]\nextra: 1\n", "extra"),
])
def test_bad_alias_files_say_what_is_wrong(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        aliases(tmp_path, text)


def test_missing_alias_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read alias file"):
        Aliases.load(tmp_path / "nope.yaml")
    assert not Aliases.load(None)


@pytest.mark.parametrize("current, events, renamed", [
    # An Event that gained a report keyed smaller than its own: renamed.
    ({"b": "E1", "c": "E1"}, {"a": "N", "b": "N", "c": "N"}, {"E1": "N"}),
    # One that lost the report it was keyed by (a removal): renamed.
    ({"c": "E1", "d": "E1"}, {"c": "N", "d": "N"}, {"E1": "N"}),
    # Two Events joined into one, or one split in two: not renames, their articles move.
    ({"b": "E1", "c": "E2"}, {"a": "N", "b": "N", "c": "N"}, {}),
    ({"b": "E1", "c": "E1"}, {"b": "N1", "c": "N2"}, {}),
    # Keyed as before: nothing to rename.
    ({"a": "E1"}, {"a": "E1", "b": "E1"}, {}),
])
def test_an_event_that_only_gained_or_lost_reports_is_renamed_not_rebuilt(
        current: dict[str, str], events: dict[str, str], renamed: dict[str, str]) -> None:
    assert renamed_events(current, events) == renamed
