"""Typing entities: people, bodies and places told apart by their words (sentences written for these tests)."""

from __future__ import annotations

from kg.models import Article, ArticleGraph
from kg.schema import EntityType


def _graph(extractor, text: str) -> ArticleGraph:
    return extractor.extract(Article(id="t", text=text))


def _names(graph: ArticleGraph, entity_type: EntityType) -> set[str]:
    return {e.name for e in graph.entities if e.type is entity_type}


def test_a_name_with_lower_case_particles_is_a_person(extractor) -> None:
    graph = _graph(extractor, "The victim, a teacher named Maria Fernanda dos Santos, was shot in Recife, "
                              "Brazil, and officer Carlos de Souza Lima was wounded.")
    people = _names(graph, EntityType.PERSON)
    assert "Maria Fernanda dos Santos" in people
    assert "Carlos de Souza Lima" in people


def test_a_spokesperson_typed_as_an_organisation_is_a_person(extractor) -> None:
    graph = _graph(extractor, "M23 spokesperson Lawrence Kanyuka wrote on Tuesday that the rebels "
                              "had taken the town in North Kivu, Congo.")
    assert "Lawrence Kanyuka" in _names(graph, EntityType.PERSON)
    assert "Lawrence Kanyuka" not in _names(graph, EntityType.ORGANISATION)


def test_a_body_typed_as_a_person_is_an_organisation(extractor) -> None:
    graph = _graph(extractor, "The Kivu Security Platform said 40 civilians were killed near Beni, Congo.")
    assert not any("Platform" in n for n in _names(graph, EntityType.PERSON))


def test_a_village_named_with_its_cue_is_no_person(extractor) -> None:
    graph = _graph(extractor, "Bandits raided Dan Kure Village in Zamfara State, Nigeria, on Friday.")
    assert "Dan Kure" in _names(graph, EntityType.PLACE)
    assert not _names(graph, EntityType.PERSON)


def test_a_bare_al_does_not_make_a_person_name(extractor) -> None:
    graph = _graph(extractor, "Troops raided a hideout of the proxy Fitna al Khwarij in North "
                              "Waziristan, Pakistan. Mohammed Abdel al-Rahman, a resident, told "
                              "reporters that two people died.")
    people = _names(graph, EntityType.PERSON)
    assert "Fitna al Khwarij" not in people
    assert "Mohammed Abdel al-Rahman" in people
