"""Fixtures for the loader and query tests: the session's Neo4j with kg's schema applied."""

from __future__ import annotations

import pytest
from neo4j import Driver

from kg.neo4j.loader import apply_schema


@pytest.fixture(scope="session")
def _schema(neo4j_driver: Driver) -> None:
    apply_schema(neo4j_driver)


@pytest.fixture
def kg(graph: Driver, _schema: None) -> Driver:
    """An empty graph with every constraint and index of cypher/schema.cypher."""
    return graph
