"""Organisations found by generic mechanisms (sentences written for these tests)."""

from __future__ import annotations

from kg.models import Article, ArticleGraph, Entity
from kg.schema import EntityType


def _graph(extractor, text: str) -> ArticleGraph:
    return extractor.extract(Article(id="t", text=text))


def _orgs(graph: ArticleGraph) -> dict[str, Entity]:
    return {e.name: e for e in graph.entities if e.type is EntityType.ORGANISATION}


def _places(graph: ArticleGraph) -> set[str]:
    return {e.name for e in graph.entities if e.type is EntityType.PLACE and e.mentions}


def test_bare_police_and_security_forces_are_the_main_country_s(extractor) -> None:
    orgs = _orgs(_graph(extractor, "Gunmen killed four traders near Gao in Mali on Monday. Police "
                                   "said security forces were searching the area."))
    assert orgs["Malian police"].kind == "state_force"
    assert any(n.endswith("security forces") for n in orgs)


def test_a_police_station_makes_no_police_force(extractor) -> None:
    orgs = _orgs(_graph(extractor, "Gunmen burned a police station near Gao in Mali on Monday."))
    assert not any("police" in n.lower() for n in orgs)


def test_numbered_units_are_state_forces(extractor) -> None:
    orgs = _orgs(_graph(extractor, "Rebels ambushed soldiers of the 42nd Infantry Battalion in Mindanao, "
                                   "Philippines, while the 7th Mechanized Brigade Philippine Army sent help."))
    assert orgs["42nd Infantry Battalion"].kind == "state_force"
    assert "7th Mechanized Brigade" in orgs


def test_outlets_cited_as_sources_are_media(extractor) -> None:
    graph = _graph(extractor, "A resident told KandaharPost that ten people died in Afghanistan, "
                              "a villager told the Z5 news site, and the toll was reported by "
                              "the newssheet \"Voz do Norte\".")
    orgs = _orgs(graph)
    for name in ("KandaharPost", "Z5", "Voz do Norte"):
        assert orgs[name].kind == "media", name


def test_a_platform_a_statement_was_made_on(extractor) -> None:
    orgs = _orgs(_graph(extractor, "The governor said on Telegram that two drones were downed over "
                                   "Kursk, Russia, on Tuesday."))
    assert orgs["Telegram"].kind == "company"
    assert "Tuesday" not in orgs


def test_a_place_s_own_force_keeps_the_place(extractor) -> None:
    graph = _graph(extractor, "Two drivers were shot, Kaduna police spokesman Musa Ali said on Friday "
                              "in Nigeria.")
    assert "Kaduna police" in _orgs(graph)
    assert "Kaduna" in _places(graph)


def test_a_body_named_around_its_word_beats_the_ner_and_keeps_its_places(extractor) -> None:
    graph = _graph(extractor, "The pro-democracy Kassala Youth Resistance Committee and the Bamako "
                              "Regional Police Command said 12 people died in Mali.")
    orgs = _orgs(graph)
    assert "Kassala Youth Resistance Committee" in orgs
    assert orgs["Bamako Regional Police Command"].kind == "state_force"
    assert "Bamako" in _places(graph)


def test_a_place_inside_a_body_s_name_after_of_is_a_place(extractor) -> None:
    graph = _graph(extractor, "The Human Rights Office in Somalia condemned the attack.")
    assert "Somalia" in _places(graph)


def test_bare_police_is_the_police_service_the_article_names(extractor) -> None:
    graph = _graph(extractor, "The Police Service of Northern Ireland said a device was found in Derry. "
                              "Police believe dissidents planted it.")
    orgs = _orgs(graph)
    assert "Police Service of Northern Ireland" in orgs
    assert not any(n.endswith(" police") for n in orgs)


def test_a_title_with_an_acronym_is_no_organisation(extractor) -> None:
    graph = _graph(extractor, "Inspector General of Police (IGP) Kashmir, Ravi Kant said the IGP had "
                              "ordered a search in Srinagar, India.")
    assert not any("IGP" in n or "Inspector" in n for n in _orgs(graph))


def test_words_that_are_no_bodies(extractor) -> None:
    graph = _graph(extractor, "Officials condemned the killing of a Kashmiri Pandit in Kashmir, India. "
                              "ANNOUNCEMENTS followed.")
    orgs = _orgs(graph)
    assert "Kashmiri Pandit" not in orgs
    assert "ANNOUNCEMENTS" not in orgs


def test_listed_provinces_are_places(extractor) -> None:
    places = _places(_graph(extractor, "Troops were sent to the provinces of Samar, Negros Oriental, and "
                                       "Negros Occidental in the Philippines."))
    assert {"Samar", "Negros Oriental", "Negros Occidental"} <= places


def test_an_ira_is_no_ivorian_town(extractor) -> None:
    orgs = _orgs(_graph(extractor, "Police believe the New IRA planted the device in Creggan."))
    assert not any(o.country == "CI" for o in orgs.values())


def test_a_dateline_names_its_outlet(extractor) -> None:
    orgs = _orgs(_graph(extractor, "Abyan (AdenVoice)\n\nGunmen attacked a checkpoint in Abyan, Yemen."))
    assert orgs["AdenVoice"].kind == "media"


def test_a_demonym_force_goes_to_the_named_force_of_its_country(extractor) -> None:
    graph = _graph(extractor, "Spokesman for the Indonesian National Police said on Friday that "
                              "Indonesian police were hunting the gunmen in Papua, Indonesia.")
    orgs = _orgs(graph)
    assert "Indonesian National Police" in orgs
    assert "Indonesian police" not in orgs


def test_a_short_name_after_the_long_one_is_the_same_body(extractor) -> None:
    orgs = _orgs(_graph(extractor, "The Guapi Mayor’s Office condemned the attack in Cauca, Colombia. "
                                   "The Mayor’s Office asked for calm."))
    assert "Guapi Mayor’s Office" in orgs
    assert "Mayor’s Office" not in orgs


def test_an_acronym_built_from_word_starts_is_defined(extractor) -> None:
    graph = _graph(extractor, "A member of the Special Partisan Unit (SPARU) fired on troops in Samar, "
                              "Philippines. SPARU fighters fled.")
    actors = {e.name: e.aliases for e in graph.entities
              if e.type in (EntityType.GROUP, EntityType.ORGANISATION)}
    assert "SPARU" in actors.get("Special Partisan Unit", [])
    assert "SPARU" not in actors


def test_a_weapon_is_no_organisation(extractor) -> None:
    orgs = _orgs(_graph(extractor, "Attackers fired an RPG at the checkpoint in Abyan, Yemen."))
    assert "RPG" not in orgs


def test_the_acronym_of_a_worldwide_group_holds_abroad(extractor) -> None:
    graph = _graph(extractor, "ISIS claimed the attack on the checkpoint in North Sinai, Egypt.")
    assert "Islamic State" in {e.name for e in graph.entities if e.type is EntityType.GROUP}


def test_an_outlet_with_a_country_in_its_name_is_one_body_and_no_place(extractor) -> None:
    graph = _graph(extractor, "Eight soldiers died, the local military official told France Press. "
                              "Another officer, quoted by France Presse, said more died in Somalia.")
    orgs = _orgs(graph)
    assert orgs["France Presse"].kind == "media" and "France Press" not in orgs
    assert "France" not in _places(graph) and "Somalia" in _places(graph)
