"""Entities' derived properties from articles' views (kg.neo4j.views), without a database."""

from __future__ import annotations

from kg.neo4j.views import count_views, entity_properties, same_votes

TOWN = {"name": "Harvel", "aliases": ["Harvel", "Harvell"], "kind": "city", "country": "ZZ",
        "role": None, "latitude": 12.5, "longitude": 3.25, "gazetteer_id": None,
        "precision": None}


def test_a_view_given_again_counts_alike_whatever_its_order() -> None:
    again = {**TOWN, "aliases": ["Harvell", "Harvel"], "role": None}
    stored = {k: v for k, v in TOWN.items() if v is not None}  # a MENTIONS drops nulls
    assert same_votes(stored, again)


def test_a_view_that_votes_otherwise_does_not() -> None:
    assert not same_votes(TOWN, {**TOWN, "name": "Harvell"})
    assert not same_votes(TOWN, {**TOWN, "longitude": None})  # no coordinates vote
    assert not same_votes(TOWN, {**TOWN, "aliases": ["Harvel"]})


def test_the_most_given_value_wins_and_aliases_gather() -> None:
    views = [TOWN, {**TOWN, "name": "Harvell", "aliases": ["Harvell", "Old Harvel"]},
             {**TOWN, "aliases": []}]
    props = entity_properties("place:harvel", *count_views(views))
    assert props["name"] == "Harvel" and (props["latitude"], props["longitude"]) == (12.5, 3.25)
    assert set(props["aliases"]) >= {"Harvell", "Old Harvel"}
