"""The seed's graph in Neo4j Browser: a library query shows its rows, and a picture.

The picture is the one in the README: set KG_SCREENSHOT_DIR (e.g. docs/images) to
keep it; otherwise it is written to the test's temporary directory only.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from pathlib import Path

import pytest
from neo4j import Driver

from kg.ingest import ingest
from kg.neo4j.queries import get_query, run_query
from kg.sources import ArticleOverrides
from tests.browser.neo4j_browser import chromium_path, login, open_page, screenshot, set_param
from tests.browser.neo4j_browser import run_query as run_in_browser
from tests.neo4j_testing import Neo4jTestServer

pytestmark = [pytest.mark.neo4j, pytest.mark.browser, pytest.mark.seed]

SEED = Path(__file__).resolve().parents[2].parent / "shared" / "seeds" / "000_3aabd3aa6f6a8816.txt"


@pytest.fixture
def seed_graph(neo4j_server: Neo4jTestServer, graph: Driver) -> Driver:
    if chromium_path() is None:
        pytest.fail("chromium is not installed (apt-get install -y chromium); .ci/run installs it")
    if neo4j_server.http_url is None:
        pytest.skip("set KG_TEST_NEO4J_HTTP_URL to test Browser against an external server")
    if not SEED.exists():
        pytest.skip(f"seed article not found at {SEED} (it lives in ../shared/seeds, outside the repo)")
    summary = ingest([SEED], graph, overrides=ArticleOverrides(published=dt.date(2025, 3, 12)))
    assert summary.failed == 0 and summary.new == 1
    return graph


def test_library_query_shows_its_rows_in_browser(
    neo4j_server: Neo4jTestServer, seed_graph: Driver, tmp_path: Path
) -> None:
    query = get_query("events-by-group")
    expected = run_query(seed_graph, query.name, query.example)
    assert expected.rows, "the seed's graph should answer the example parameters"
    body = "\n".join(line for line in query.text.splitlines() if not line.startswith("//")).strip()
    with open_page(tmp_path / "profile") as page:
        login(page, neo4j_server)
        for line in query.text.splitlines():
            if line.startswith("// Demo"):  # the values for the example articles follow
                break
            if match := re.match(r"//\s+(:param .+)$", line):
                set_param(page, match.group(1))
        shown = run_in_browser(page, body)
        for row in expected.rows:
            assert str(row["group"]) in shown
        assert "hostage_taking" in shown

        picture = run_in_browser(
            page,
            "MATCH (e:Event)-[r]-(x) WHERE NOT x:Article AND NOT x:Quote "
            "RETURN e, r, x LIMIT 60",
        )
        assert "Displaying" in picture
        shot = screenshot(page, tmp_path / "seed-graph.png", settle_ms=2500)
        assert shot.read_bytes().startswith(b"\x89PNG") and shot.stat().st_size > 10_000
    keep = os.environ.get("KG_SCREENSHOT_DIR")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(keep) / "seed-graph.png")
