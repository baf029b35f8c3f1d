"""Armed groups: context from the gazetteer's hierarchy, acronyms, governing groups
(sentences written for these tests)."""

from __future__ import annotations

from kg.models import Article, ArticleGraph
from kg.schema import EntityType


def _graph(extractor, text: str) -> ArticleGraph:
    return extractor.extract(Article(id="t", text=text))


def _named(graph: ArticleGraph, entity_type: EntityType) -> dict[str, str | None]:
    return {e.name: e.kind for e in graph.entities if e.type is entity_type}


def test_a_group_that_needs_its_country_gets_it_from_a_town(extractor) -> None:
    # No country is named: Baidoa (and Kismayo, which the NER takes for a person) are Somali.
    assert "Al-Shabaab" in _named(_graph(extractor, "Al-Shabaab fighters attacked a base in Baidoa."),
                                  EntityType.GROUP)
    graph = _graph(extractor, "Gunmen attacked Kismayo on Monday. Shabaab said it killed 10 soldiers.")
    assert "Al-Shabaab" in _named(graph, EntityType.GROUP)


def test_an_acronym_of_a_group_from_another_country_is_not_that_group(extractor) -> None:
    graph = _graph(extractor, "Teams of PMF and conventional police were deployed to the village in "
                              "Katsina State, Nigeria, after bandits killed nine farmers.")
    assert "Popular Mobilization Forces" not in _named(graph, EntityType.GROUP)


def test_the_same_acronym_in_its_own_country_is_the_group(extractor) -> None:
    graph = _graph(extractor, "PMF fighters clashed with gunmen near Kirkuk, Iraq, on Sunday.")
    assert "Popular Mobilization Forces" in _named(graph, EntityType.GROUP)


def test_a_group_the_text_calls_a_government_is_a_government(extractor) -> None:
    graph = _graph(extractor, "Pakistan accused the Taliban government in Kabul of sheltering fighters "
                              "who attacked a checkpoint in Khyber.")
    assert _named(graph, EntityType.ORGANISATION).get("Taliban") == "government"
    assert "Taliban" not in _named(graph, EntityType.GROUP)


def test_a_group_not_called_a_government_stays_a_group(extractor) -> None:
    graph = _graph(extractor, "Taliban fighters attacked a checkpoint in Helmand, Afghanistan.")
    assert "Taliban" in _named(graph, EntityType.GROUP)


def test_a_group_name_with_a_curly_apostrophe_is_the_lexicon_group(extractor) -> None:
    graph = _graph(extractor, "Rebels of the New People’s Army ambushed soldiers in Samar, Philippines.")
    groups = _named(graph, EntityType.GROUP)
    assert "New People's Army" in groups
    assert groups["New People's Army"] != "other"


def test_an_unknown_partisan_unit_is_an_armed_group(extractor) -> None:
    graph = _graph(extractor, "Members of the Sparrow Partisan Unit (SPU) shot a soldier in Samar, "
                              "Philippines.")
    assert "Sparrow Partisan Unit" in _named(graph, EntityType.GROUP)


def test_a_movement_and_its_armed_wing_are_two_groups(extractor) -> None:
    graph = _graph(extractor, "The West Papua National Liberation Army (TPNPB), the armed wing of the "
                              "Free Papua Movement, said it shot two men in Papua, Indonesia.")
    groups = _named(graph, EntityType.GROUP)
    assert {"West Papua National Liberation Army", "Free Papua Movement"} <= set(groups)
