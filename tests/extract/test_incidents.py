"""How event mentions become incidents: one event per incident, on sentences written for kg.

Each test names the mechanism it pins (kg.extract.incidents and kg.extract.events): merging only
on positive evidence, sub-events and responses kept apart, background incidents marked, types
and places from the incident's own clause.
"""

from __future__ import annotations

import datetime as dt

import pytest

from kg.models import Article, ArticleGraph, Event
from kg.schema import EventType, RelType

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

PUBLISHED = dt.date(2025, 5, 14)  # a Wednesday


def extract(extractor, text: str, published: dt.date | None = PUBLISHED) -> ArticleGraph:
    article = Article(id="t-" + str(abs(hash(text)))[:10], text=text, published=published)
    return extractor.extract(article)


def place_of(graph: ArticleGraph, event: Event) -> str | None:
    entity = graph.entity(event.place) if event.place else None
    return entity.name if entity else None


def test_restatements_join_the_incident(extractor):
    graph = extract(extractor, (
        "Gunmen ambushed a police convoy near Gao on Monday, killing four officers. "
        "The attack lasted an hour. Two more officers were wounded in the ambush."))
    violent = [e for e in graph.events if not e.background]
    assert len(violent) == 1, [(e.type, e.label) for e in graph.events]
    assert violent[0].date == dt.date(2025, 5, 12)


def test_a_roundup_gives_one_event_per_place_and_day(extractor):
    graph = extract(extractor, (
        "Militants attacked a checkpoint in Kidal on Monday, killing three soldiers. "
        "On Tuesday, a roadside bomb struck an army truck in Timbuktu. "
        "In a separate incident, gunmen abducted two traders near Mopti."))
    places = sorted(place_of(graph, e) or "" for e in graph.events)
    assert len(graph.events) == 3, [(e.type, e.label) for e in graph.events]
    assert places == ["Kidal", "Mopti", "Timbuktu"]


def test_a_response_is_its_own_event_responding_to_the_incident(extractor):
    graph = extract(extractor, (
        "Insurgents stormed a village in Borno State on Sunday and killed nine farmers. "
        "The Nigerian army later launched a clearance operation in the area."))
    operations = [e for e in graph.events if e.type is EventType.SECURITY_OPERATION]
    attacks = [e for e in graph.events if e.type is not EventType.SECURITY_OPERATION]
    assert operations and attacks
    responded = {(r.source, r.target) for r in graph.relations if r.type is RelType.RESPONDED_TO}
    assert any(target == attacks[0].id for _, target in responded)


def test_an_earlier_incident_is_marked_background(extractor):
    graph = extract(extractor, (
        "A car bomb exploded outside a market in Mogadishu on Tuesday, killing six people. "
        "Last month, the same group had attacked a hotel in Kismayo."))
    background = [e for e in graph.events if e.background]
    foreground = [e for e in graph.events if not e.background]
    assert [place_of(graph, e) for e in background] == ["Kismayo"]
    assert [place_of(graph, e) for e in foreground] == ["Mogadishu"]


def test_a_sub_event_of_another_kind_stays_apart_and_linked(extractor):
    graph = extract(extractor, (
        "Separatist fighters took 30 passengers hostage near Quetta on Monday. "
        "They later executed three hostages, the group said."))
    executions = [e for e in graph.events if e.type is EventType.EXECUTION]
    assert executions
    assert executions[0].part_of is not None


def test_a_response_does_not_rename_the_incident(extractor):
    graph = extract(extractor, (
        "A suicide bomber blew himself up at a police station in Peshawar on Friday, "
        "killing five officers. Security forces cordoned off the area and began a search "
        "operation."))
    types = {e.type for e in graph.events}
    assert EventType.SUICIDE_BOMBING in types
    assert EventType.SECURITY_OPERATION in types


def test_an_attack_on_soldiers_is_a_clash_not_violence_against_civilians(extractor):
    graph = extract(extractor, "Gunmen attacked an army post in Menaka on Monday, killing five soldiers.")
    assert [e.type for e in graph.events] == [EventType.ARMED_CLASH]


def test_a_quoted_account_still_gives_its_event(extractor):
    graph = extract(extractor, (
        'A resident of Kadugli said: "Men on motorbikes attacked the market on Saturday and '
        'burned the stalls."'))
    assert graph.events, "the quotation is the only account of the attack"


def test_a_found_bomb_is_no_bombing(extractor):
    graph = extract(extractor, (
        "Police said a bomb was discovered in a parked car in Belfast on Monday and made safe."))
    assert not [e for e in graph.events if e.type is EventType.BOMBING]


def test_a_reference_point_is_not_the_place(extractor):
    graph = extract(extractor, (
        "A landmine destroyed a military vehicle on Sunday outside Garowe, some 200 km north "
        "of Galkayo."))
    assert graph.events
    assert place_of(graph, graph.events[0]) != "Galkayo"


def test_a_denial_clause_does_not_hide_the_event_it_reports(extractor):
    graph = extract(extractor, (
        "The army denied the claims on Thursday, saying its soldiers had repelled an attack "
        "on a base in Diffa."))
    assert any(e.type is EventType.ARMED_CLASH for e in graph.events)


def test_threats_and_plans_are_no_events(extractor):
    graph = extract(extractor, "The group threatened to attack polling stations in Kano.")
    assert not graph.events


def test_weekdays_keep_undated_reports_apart(extractor):
    graph = extract(extractor, (
        "Gunmen killed four fishermen near Mocimboa on Tuesday. "
        "On Friday, gunmen killed two farmers."), published=None)
    assert len(graph.events) == 2, [(e.type, e.label) for e in graph.events]


# -- actors, places and summaries --------------------------------------------------------------


def perpetrators(graph: ArticleGraph, event: Event) -> list[str]:
    return [graph.entity(p.entity).name for p in event.participants
            if p.role.value == "perpetrator" and graph.entity(p.entity) is not None]


def test_an_unnamed_perpetrator_is_coded_as_acled_codes_it(extractor):
    graph = extract(extractor, "Armed bandits stormed a village in Zamfara State, Nigeria, on Monday.")
    assert graph.events
    assert perpetrators(graph, graph.events[0]) == ["Unidentified armed group (Nigeria)"]
    actor = next(e for e in graph.entities if e.type.value == "Actor")
    assert "Armed bandits" in actor.aliases and actor.kind == "unidentified_armed_group"


def test_protesters_are_an_actor_not_a_group(extractor):
    graph = extract(extractor, "Protesters marched on the governor's office in Lagos, Nigeria, on Monday.")
    actors = [e for e in graph.entities if e.type.value == "Actor"]
    assert [a.name for a in actors] == ["Protesters (Nigeria)"]
    assert not [e for e in graph.entities if e.type.value == "Group"]


def test_a_country_adjective_names_its_forces_for_every_strike_of_a_roundup(extractor):
    graph = extract(extractor, (
        "Israeli strikes across Gaza killed at least 20 people on Monday, health officials said. "
        "Seven people were killed in a strike on a school in Khan Yunis. "
        "Elsewhere, four people died in a strike on a house in Rafah."))
    assert len(graph.events) == 2, [(e.type, e.label) for e in graph.events]
    for event in graph.events:
        assert perpetrators(graph, event) == ["Israel Defense Forces"], event.label


def test_a_pronoun_subject_keeps_the_actors_told_last(extractor):
    graph = extract(extractor, (
        "Gunmen killed four farmers in Kukawa, Borno State, on Monday. "
        "They then moved on to the town of Monguno and shot dead six fishermen."))
    assert len(graph.events) == 2, [(e.type, e.label) for e in graph.events]
    assert perpetrators(graph, graph.events[0]) == perpetrators(graph, graph.events[1])


def test_near_a_town_is_compatible_with_the_village_in_its_district(extractor):
    graph = extract(extractor, (
        "A suicide bomber struck a wedding near Kirkuk on Sunday. "
        "The suicide bomber attacked the guests in Hawija, west of Kirkuk."))
    assert len(graph.events) == 1, [(e.type, e.label) for e in graph.events]
    assert place_of(graph, graph.events[0]) == "Hawija"


def test_the_killing_of_the_attackers_ends_their_incident(extractor):
    graph = extract(extractor, (
        "Militants attacked a police station in Bannu on Friday. "
        "All the attackers were killed by security forces."))
    assert len(graph.events) == 1, [(e.type, e.label) for e in graph.events]


def test_a_protest_is_its_protesters_and_the_force_that_dispersed_it_responds(extractor):
    graph = extract(extractor, (
        "Police fired tear gas to disperse hundreds of students who had gathered outside the "
        "parliament in Nairobi, Kenya, on Tuesday."))
    protests = [e for e in graph.events if e.type.value.startswith("protest")]
    assert protests
    assert perpetrators(graph, protests[0]) == ["Protesters (Kenya)"]


def test_both_sides_of_a_clash_take_part(extractor):
    graph = extract(extractor, (
        "Five people were killed on Monday in a clash between militants and soldiers in "
        "Bajaur, Pakistan."))
    clash = next(e for e in graph.events if e.type is EventType.ARMED_CLASH)
    names = perpetrators(graph, clash)
    assert "Unidentified armed group (Pakistan)" in names and len(names) == 2, names


def test_an_incident_told_as_killings_then_an_attack_is_one_event(extractor):
    graph = extract(extractor, (
        "Insurgents beheaded four fishermen near Mucojo, Mozambique, on Tuesday. "
        "The men were attacked on Tuesday as they returned from the sea."))
    assert len(graph.events) == 1, [(e.type, e.label) for e in graph.events]


# -- datelines ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "dateline"), [
    ("KANO, Nigeria, March 3 (Reuters).- Gunmen", "KANO, Nigeria, March 3 (Reuters).- "),
    ("OUAGADOUGOU, Burkina Faso (AFP) — Gunmen", "OUAGADOUGOU, Burkina Faso (AFP) — "),
    ("Maiduguri — Gunmen", "Maiduguri — "),
    ("Yola : Gunmen", "Yola : "),
    ("Goma (Radio Okapi)\n\nGunmen", "Goma (Radio Okapi)"),
    ("MOPTI, LOCALNEWS.COM - Gunmen", "MOPTI, LOCALNEWS.COM - "),
])
def test_datelines_of_common_wire_and_local_formats(text: str, dateline: str) -> None:
    from kg.extract.context import dateline_span

    span = dateline_span(text)
    assert span is not None and text[span[0]:span[1]] == dateline


@pytest.mark.parametrize("text", ["Gunmen attacked a village on Monday.",
                                  "Gunmen — armed with rifles — attacked a village.",
                                  "The army said: its soldiers repelled the attack."])
def test_an_opening_sentence_is_no_dateline(text: str) -> None:
    from kg.extract.context import dateline_span

    assert dateline_span(text) is None


@pytest.mark.parametrize("opening", ["KANO, Nigeria, March 3 (Reuters).- ", "Kano — ",
                                     "Kano (Reuters) - "])
def test_the_filing_city_is_not_where_the_event_happened(extractor, opening: str) -> None:
    graph = extract(extractor, opening + "Gunmen killed five villagers in Gusau, Zamfara State, "
                    "on Monday, police said.")
    assert [place_of(graph, e) for e in graph.events] == ["Gusau"]


# -- where one incident of several reports happened (issue 19: the places reports share) -----

def test_a_listed_pair_of_villages_is_two_places_and_the_event_is_in_the_first(extractor):
    graph = extract(extractor, (
        "Gunmen on motorbikes killed about 40 people in two villages in western Niger, a mayor "
        "said on Tuesday. The attacks on the villages of Kolbari Tenda and Moussadeye on Monday "
        "were carried out at dawn, said the mayor of the Ouro Gueladjo commune."))
    names = {e.name for e in graph.entities}
    assert {"Kolbari Tenda", "Moussadeye"} <= names
    assert "Kolbari Tenda and Moussadeye" not in names
    violent = [e for e in graph.events if not e.background]
    assert [place_of(graph, e) for e in violent] == ["Kolbari Tenda"]


def test_villages_under_attack_as_a_subject_place_it_in_the_first_of_them(extractor):
    graph = extract(extractor, (
        "The villages of Kolbari Tenda and Moussadeye came under attack on Monday, "
        "leaving 40 dead, officials said."))
    assert [place_of(graph, e) for e in graph.events] == ["Kolbari Tenda"]


def test_a_time_phrase_in_a_relative_clause_leaves_the_main_event_current(extractor):
    graph = extract(extractor, (
        "Eleven aid workers were kidnapped on the outskirts of Goma by a militia that was behind "
        "the abduction of two priests earlier this year. The aid workers were abducted on Monday in "
        "the community of Kibati, a colleague said."))
    current = [e for e in graph.events if not e.background]
    assert len(current) == 1, [(e.label, e.background) for e in graph.events]
    assert place_of(graph, current[0]) == "Kibati"  # "on the outskirts of" Goma, then in Kibati
    assert any(e.background for e in graph.events)  # the priests' abduction: earlier context


def test_the_next_sentence_in_another_region_does_not_place_the_event(extractor):
    graph = extract(extractor, (
        "Dozens of people have been killed in Sinaloa since the feud between the two factions began. "
        "In the state of Michoacán, gunmen attacked the community of Las Palmas on Friday."))
    feud = [e for e in graph.events if "feud" in e.evidence[0].text]
    assert feud and place_of(graph, feud[0]) == "Sinaloa", [(e.label, e.evidence[0].text) for e in graph.events]


@pytest.mark.parametrize(("sentence", "one"), [
    ("A minibus carrying farm workers was hit by airstrikes near Kadugli.", True),
    ("Airstrikes hit a crowded market in Kadugli.", True),
    ("Airstrikes on two towns killed 30 people.", False),
    ("Airstrikes on Kadugli killed 30 people.", False),
])
def test_strikes_on_one_target_are_one_incident_not_a_summing_up(extractor, sentence, one):
    from kg.extract.events import _one_target

    doc = extractor.nlp(sentence)
    strikes = next(t for t in doc if t.lower_ == "airstrikes")
    assert _one_target(strikes) is one


def test_a_pull_quote_over_the_story_joins_the_incident_it_sums_up(extractor):
    graph = extract(extractor, (
        "\u201cMany killed, most of them at the market.\u201d\n\n"
        "An air strike hit a crowded market in Kadugli on Tuesday, killing 15 people, "
        "witnesses said."))
    current = [e for e in graph.events if not e.background]
    assert [e.type for e in current] == [EventType.AIR_STRIKE], [(e.type, e.label) for e in graph.events]


def test_a_campaigns_start_is_not_the_date_of_the_incident(extractor):
    graph = extract(extractor, (
        "Air strikes hit a fuel depot in Kadugli, killing four guards. "
        "The air force has carried out strikes on the region since March 2019."), published=None)
    depot = next(e for e in graph.events if "depot" in e.evidence[0].text)
    assert depot.date is None  # undated, not "March 2019"


def test_a_span_of_years_that_ranks_the_incident_is_no_habit(extractor):
    graph = extract(extractor, (
        "At least nine people were killed on Tuesday when gunmen stormed a market in Gao, "
        "in the deadliest attack in the town in five years."))
    assert [e for e in graph.events if not e.background], "the lead incident was dropped as a habit"


def test_a_habit_in_a_subordinate_clause_leaves_the_incident_told(extractor):
    graph = extract(extractor, (
        "The attack on the mosque in Gao targeted worshippers at Friday prayers, when mosques in "
        "the town often overflow."))
    assert [e for e in graph.events if not e.background]


def test_a_relative_clause_on_a_group_with_a_year_is_its_record(extractor):
    graph = extract(extractor, (
        "Gunmen stormed a hotel in Gao on Tuesday, killing six guests. Jama'at Nusrat al-Islam "
        "wal-Muslimin, which carried out an assault on a Bamako hotel in 2015, claimed "
        "responsibility."), published=None)
    current = [e for e in graph.events if not e.background]
    assert len(current) == 1 and current[0].date is None  # not dated 2015 by the group's record
    claims = [r for r in graph.relations if r.type is RelType.CLAIMED_RESPONSIBILITY]
    assert [r.target for r in claims] == [current[0].id]


def test_it_in_an_unnamed_speakers_clause_is_that_speaker_not_the_main_group(extractor, run_stages_on):
    from kg.extract import event_roles

    ctx = run_stages_on("unnamed speaker", through="generic references")
    assert ctx.main_group == "group:houthi-movement"
    targeting = next(t for t in ctx.doc if t.lower_ == "targeting")
    perpetrator, _, _ = event_roles.roles(ctx, extractor.knowledge, targeting)
    assert perpetrator is None  # "it" is the coalition speaking, not the Houthis


def test_a_place_of_the_first_of_two_coordinated_verbs_is_the_seconds_too(extractor):
    graph = extract(extractor, (
        "Officials in Cotonou and Lome say the violence is spreading south to Benin and Togo.\n\n"
        "In northern Mali, the rebel coalition still holds several towns and fights the army "
        "along the border."))
    clashes = [e for e in graph.events if e.type is EventType.ARMED_CLASH]
    assert clashes and place_of(graph, clashes[0]) == "Mali"
