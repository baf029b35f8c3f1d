"""Entities' derived properties from articles' views (kg.neo4j.views), without a database."""

from __future__ import annotations

from kg.neo4j.views import count_views, entity_properties

TOWN = {"name": "Harvel", "aliases": ["Harvel", "Harvell"], "kind": "city", "country": "ZZ",
        "role": None, "latitude": 12.5, "longitude": 3.25, "gazetteer_id": None,
        "precision": None}


def test_the_most_given_value_wins_and_aliases_gather() -> None:
    views = [TOWN, {**TOWN, "name": "Harvell", "aliases": ["Harvell", "Old Harvel"]},
             {**TOWN, "aliases": []}]
    props = entity_properties("place:harvel", *count_views(views))
    assert props["name"] == "Harvel" and (props["latitude"], props["longitude"]) == (12.5, 3.25)
    assert set(props["aliases"]) >= {"Harvell", "Old Harvel"}
