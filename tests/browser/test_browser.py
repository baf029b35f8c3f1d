"""Neo4j Browser, served by the test server, logs in and shows a query's result."""

from __future__ import annotations

from pathlib import Path

import pytest
from neo4j import Driver

from tests.browser.neo4j_browser import chromium_path, login, open_page, run_query, screenshot
from tests.neo4j_testing import Neo4jTestServer

pytestmark = [pytest.mark.neo4j, pytest.mark.browser]


@pytest.fixture
def target(neo4j_server: Neo4jTestServer) -> Neo4jTestServer:
    if chromium_path() is None:
        pytest.fail("chromium is not installed (apt-get install -y chromium); .ci/run installs it")
    if neo4j_server.http_url is None:
        pytest.skip("set KG_TEST_NEO4J_HTTP_URL to test Browser against an external server")
    return neo4j_server


def test_browser_logs_in_and_shows_a_result(
    target: Neo4jTestServer, graph: Driver, tmp_path: Path
) -> None:
    with open_page(tmp_path / "profile") as page:
        login(page, target)
        text = run_query(page, "RETURN 'kg-browser-ok' AS probe")
        assert "probe" in text
        assert "kg-browser-ok" in text
        # A second query gets its own frame, and the helper returns that one's text.
        assert "kg-second" in run_query(page, "RETURN 'kg-second' AS probe")
        with pytest.raises(AssertionError, match="Unknown function"):
            run_query(page, "RETURN nope(1)")
        run_query(page, "UNWIND range(1, 3) AS i CREATE (:KgBrowserProbe {i: i})")
        graph_text = run_query(page, "MATCH (n:KgBrowserProbe) RETURN n")
        assert "Displaying 3 nodes" in graph_text
        shot = screenshot(page, tmp_path / "graph.png", settle_ms=1000)
        assert shot.read_bytes().startswith(b"\x89PNG")
        assert shot.stat().st_size > 1000
