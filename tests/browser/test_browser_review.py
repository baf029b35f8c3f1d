"""A correction recorded in Neo4j Browser with a query of cypher/review/ is the same record the
command line makes: `kg review apply` applies it, and Browser shows the corrected event with its
`:Correction`. The picture is the one in docs/review.md: set KG_SCREENSHOT_DIR (e.g.
docs/images) to keep it."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from neo4j import Driver

from kg.extract.pipeline import Extractor
from kg.ingest import ingest
from kg.review.service import apply_recorded, listing, record
from tests.browser.neo4j_browser import chromium_path, login, open_page, screenshot, set_param
from tests.browser.neo4j_browser import run_query as run_in_browser
from tests.neo4j_testing import Neo4jTestServer
from tests.review.test_review_graph import ONE_OF_EACH, PATHS, SOMALIA

pytestmark = [pytest.mark.neo4j, pytest.mark.browser]

REVIEW_QUERIES = Path(__file__).resolve().parents[2] / "cypher" / "review"


def _header_and_body(name: str) -> tuple[list[str], str]:
    text = (REVIEW_QUERIES / name).read_text(encoding="utf-8")
    params = [m.group(1) for line in text.splitlines() if (m := re.match(r"//\s+(:param .+)$", line))]
    body = "\n".join(line for line in text.splitlines() if not line.startswith("//")).strip()
    return params, body


@pytest.fixture
def somalia(neo4j_server: Neo4jTestServer, kg: Driver) -> Driver:
    if chromium_path() is None:
        pytest.fail("chromium is not installed (apt-get install -y chromium); .ci/run installs it")
    if neo4j_server.http_url is None:
        pytest.skip("set KG_TEST_NEO4J_HTTP_URL to test Browser against an external server")
    ingest(PATHS[2:], kg, extractor=Extractor())
    record(kg, [ONE_OF_EACH[0], ONE_OF_EACH[1]])  # from the command line: not the target, the perpetrator
    return kg


def test_a_correction_made_in_browser_applies_like_one_from_the_command_line(
    neo4j_server: Neo4jTestServer, somalia: Driver, tmp_path: Path
) -> None:
    with open_page(tmp_path / "profile") as page:
        login(page, neo4j_server)
        params, body = _header_and_body("set-event.cypher")
        for command in params:
            set_param(page, command)
        assert "recorded" in run_in_browser(page, body)
        done = apply_recorded(somalia)
        assert done.reloaded == [SOMALIA] and len(done.new) == 1
        assert {status for _, status, _ in listing(somalia)} == {"applied"}
        arrest = somalia.execute_query("MATCH (e:Event {type: 'arrest'}) RETURN e").records[0]["e"]
        assert arrest["date"].iso_format() == "2025-04-16" and arrest["original_date"] == "2025-04-17"

        params, body = _header_and_body("corrections.cypher")
        for command in params:
            set_param(page, command)
        table = run_in_browser(page, body)
        assert table.count("applied") == 3 and "Arrest" in table

        picture = run_in_browser(
            page,
            "MATCH (c:Correction)-[k:CORRECTS]->(e:Event) "
            "OPTIONAL MATCH (e)-[r]-(x) WHERE NOT x:Article AND NOT x:Quote RETURN c, k, e, r, x",
        )
        assert "Displaying" in picture
        shot = screenshot(page, tmp_path / "review-correction.png", settle_ms=2500)
        assert shot.read_bytes().startswith(b"\x89PNG") and shot.stat().st_size > 10_000
    keep = os.environ.get("KG_SCREENSHOT_DIR")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(keep) / "review-correction.png")
