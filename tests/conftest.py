"""Shared fixtures: one real Neo4j server per test session.

Where the server comes from, in order:
1. `KG_TEST_NEO4J_URI` (+ `KG_TEST_NEO4J_USER`, `KG_TEST_NEO4J_PASSWORD`, and optionally
   `KG_TEST_NEO4J_HTTP_URL` for the Browser tests): an existing server, used as is.
   Its graph is emptied by the `graph` fixture, so never point this at real data.
2. A Docker engine that answers `docker info`: the repository's docker-compose.yml,
   through pytest-docker, on free loopback ports.
3. Otherwise a throw-away managed server (`kg.neo4j.server`) in a temporary home on free
   ports, with a small heap. Its jars come from the shared cache, so after the first
   resolve a session starts in about 15 s.

Fixtures: `neo4j_server` (session), `neo4j_driver` (session), `graph` (function: the
same driver over an empty graph). Tests that use them carry `@pytest.mark.neo4j`.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from neo4j import Driver, GraphDatabase
from neo4j.exceptions import ServiceUnavailable

from kg.neo4j.processes import free_port
from kg.neo4j.schema import apply_schema
from kg.neo4j.server import ManagedServer
from tests.neo4j_testing import TEST_CONF, TEST_HEAP, TEST_PAGECACHE, Neo4jTestServer

REPO = Path(__file__).resolve().parent.parent


def _docker_engine_answers() -> bool:
    if shutil.which("docker") is None:
        return False
    try:
        done = subprocess.run(["docker", "info"], capture_output=True, timeout=20, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


def _wait_for_bolt(uri: str, user: str, password: str, timeout: float = 180.0) -> None:
    deadline = time.monotonic() + timeout
    with GraphDatabase.driver(uri, auth=(user, password)) as driver:
        while True:
            try:
                driver.verify_connectivity()
                return
            except (ServiceUnavailable, OSError):
                if time.monotonic() > deadline:
                    raise
                time.sleep(1)


@pytest.fixture(scope="session")
def docker_compose_file() -> str:
    """pytest-docker: use the repository's compose file."""
    return str(REPO / "docker-compose.yml")


@pytest.fixture(scope="session")
def neo4j_server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Neo4jTestServer]:
    uri = os.environ.get("KG_TEST_NEO4J_URI")
    if uri:
        password = os.environ.get("KG_TEST_NEO4J_PASSWORD")
        if not password:
            pytest.fail("KG_TEST_NEO4J_URI is set but KG_TEST_NEO4J_PASSWORD is not")
        yield Neo4jTestServer(
            uri=uri,
            user=os.environ.get("KG_TEST_NEO4J_USER", "neo4j"),
            password=password,
            home=None,
            http_url=os.environ.get("KG_TEST_NEO4J_HTTP_URL"),
        )
        return

    if _docker_engine_answers():
        # The compose file reads these; a random password keeps runs independent.
        password = secrets.token_urlsafe(18)
        bolt, http = free_port(), free_port()
        os.environ.update(
            NEO4J_PASSWORD=password, KG_NEO4J_BOLT_PORT=str(bolt), KG_NEO4J_HTTP_PORT=str(http)
        )
        request.getfixturevalue("docker_services")
        uri = f"bolt://127.0.0.1:{bolt}"
        _wait_for_bolt(uri, "neo4j", password)
        yield Neo4jTestServer(uri, "neo4j", password, None, f"http://127.0.0.1:{http}")
        return

    home = tmp_path_factory.mktemp("neo4j-home")
    server = ManagedServer(home)
    server.install(
        bolt_port=free_port(),
        http_port=free_port(),
        heap=TEST_HEAP,
        pagecache=TEST_PAGECACHE,
        extra_conf=TEST_CONF,
    )
    server.start()
    try:
        yield Neo4jTestServer(
            uri=server.bolt_uri,
            user="neo4j",
            password=server.read_password().get_secret_value(),
            home=server.home,
            http_url=server.http_url,
        )
    finally:
        server.stop()


@pytest.fixture(scope="session")
def neo4j_driver(neo4j_server: Neo4jTestServer) -> Iterator[Driver]:
    driver = GraphDatabase.driver(neo4j_server.uri, auth=(neo4j_server.user, neo4j_server.password))
    driver.verify_connectivity()
    try:
        yield driver
    finally:
        driver.close()


@pytest.fixture
def graph(neo4j_driver: Driver) -> Driver:
    """The session driver, over a graph with no nodes or relationships left."""
    neo4j_driver.execute_query("MATCH (n) DETACH DELETE n")
    return neo4j_driver


@pytest.fixture(scope="session")
def _schema(neo4j_driver: Driver) -> None:
    apply_schema(neo4j_driver)


@pytest.fixture
def kg(graph: Driver, _schema: None) -> Driver:
    """An empty graph with every constraint and index of cypher/schema.cypher."""
    return graph


@pytest.fixture
def demo_graph(neo4j_driver: Driver, _schema: None) -> Driver:
    """The graph `make demo` builds: the example articles, and nothing else."""
    from tests.demo_graph import ensure_demo_graph

    return ensure_demo_graph(neo4j_driver)
