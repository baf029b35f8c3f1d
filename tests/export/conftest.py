"""Fixtures for the RDF export tests: the loader's hand-built articles, loaded into Neo4j."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest
import yaml
from neo4j import Driver

from kg.models import ArticleGraph
from kg.neo4j.loader import load
from kg.resolve import Aliases, AliasFile

_FIXTURES = Path(__file__).resolve().parent.parent / "neo4j" / "fixtures.py"


def _neo4j_fixtures() -> ModuleType:
    """tests/neo4j/fixtures.py (helper E's articles), imported by path: tests/neo4j is no package."""
    name = "kg_test_neo4j_fixtures"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, _FIXTURES)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


@pytest.fixture(scope="session")
def fixtures() -> ModuleType:
    return _neo4j_fixtures()


@pytest.fixture(scope="session")
def article_graphs(fixtures: ModuleType) -> list[ArticleGraph]:
    """The three fixture articles, after the alias file, as `kg ingest` would load them."""
    aliases = Aliases(AliasFile.model_validate(yaml.safe_load(fixtures.ALIAS_FILE)))
    return [aliases.apply(g) for g in (fixtures.siege_dw(), fixtures.siege_afp(),
                                       fixtures.quetta_bombing())]



def _load(driver: Driver, graphs: list[ArticleGraph]) -> Driver:
    driver.execute_query("MATCH (n) DETACH DELETE n")
    result = load(driver, graphs)
    assert not result.dropped, result.dropped
    return driver


@pytest.fixture(scope="module")
def loaded(neo4j_driver: Driver, _schema: None, article_graphs: list[ArticleGraph]) -> Driver:
    """The fixture articles, loaded once per module: for tests that only read."""
    return _load(neo4j_driver, article_graphs)


@pytest.fixture
def loaded_fresh(kg: Driver, article_graphs: list[ArticleGraph]) -> Driver:
    """The fixture articles, loaded for one test: for tests that change the graph."""
    return _load(kg, article_graphs)
