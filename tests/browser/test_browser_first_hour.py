"""An analyst's first minutes in Neo4j Browser on the demo graph: connecting is all it takes
for the project's style and the query guide (kg.neo4j.browser_guide); the guide's queries run
as clicked; the style pasted from the guide breaks nothing. Takes the README's pictures: set
KG_SCREENSHOT_DIR (e.g. docs/images) to keep them.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from neo4j import Driver
from playwright.sync_api import Locator, Page

from kg.neo4j.browser_guide import FIRST_GRAPH, GUIDE_PATH, STYLE_PATH, style_command
from tests.browser.neo4j_browser import (
    chromium_path,
    login,
    open_page,
    run_editor,
    run_query,
    screenshot,
)
from tests.neo4j_testing import Neo4jTestServer

pytestmark = [pytest.mark.neo4j, pytest.mark.browser]


@pytest.fixture
def target(neo4j_server: Neo4jTestServer, demo_graph: Driver) -> Neo4jTestServer:
    if chromium_path() is None:
        pytest.fail("chromium is not installed (apt-get install -y chromium); .ci/run installs it")
    if neo4j_server.http_url is None or neo4j_server.home is None:
        pytest.skip("the style and guide are served by the managed server (kg neo4j start)")
    return neo4j_server


def _frame_of(page: Page, command: str) -> Locator:
    return page.get_by_test_id("frame").filter(
        has=page.get_by_test_id("frameCommand").filter(has_text=command))


def _run_block(page: Page, block: Locator) -> str:
    """Click a guide's runnable block (it goes into the editor) and run it."""
    text = block.inner_text().strip()
    block.click()
    if text.startswith(":param"):  # its frame shows no result contents
        page.get_by_test_id("editor-Run").click()
        page.get_by_test_id("frame").first.get_by_test_id("frameCommand").filter(
            has_text=text.split("\n")[0]).wait_for()
        return ""
    return run_editor(page, text)


def _captions(page: Page) -> str:
    """The words drawn on the nodes of the latest graph result."""
    frame = page.get_by_test_id("frame").first
    return " ".join(frame.locator("svg g.node text").all_text_contents())


def test_browser_opens_styled_and_guided(target: Neo4jTestServer, tmp_path: Path) -> None:
    shots = []
    with open_page(tmp_path / "profile") as page:
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        login(page, target)

        # Connecting is all it takes: the style is loaded and the guide is open.
        guide = _frame_of(page, GUIDE_PATH)
        guide.get_by_text("kg: conflict events from the news").wait_for()
        style = _frame_of(page, STYLE_PATH)
        style.get_by_text("node.Figure").first.wait_for()
        assert "{caption}" in style.inner_text()  # the project's grass, not Browser's default
        shots.append(screenshot(page, tmp_path / "browser-guide.png", whole_page=True))

        # Two library queries, as the guide's pages give them (parameters first).
        for name, expected in (("place-events", "Ménaka"),
                               ("events-by-group", "Islamic State West Africa Province")):
            guide.get_by_test_id("nextSlide").click()
            guide.get_by_role("heading", name=name).wait_for()
            blocks = guide.locator("pre.runnable")
            assert blocks.count() == 2
            _run_block(page, blocks.nth(0))
            shown = _run_block(page, blocks.nth(1))
            assert expected in shown, shown[:500]

        # The style is in force: figures read as kind, number and whom they count.
        run_query(page, "MATCH (e:Event)-[r:HAS_FIGURE]->(f:Figure) "
                        "WHERE e.label STARTS WITH 'Armed clash in Téra' RETURN e, r, f")
        page.wait_for_timeout(1500)
        assert "killed" in _captions(page)

        # The shipped snippet (the guide's first page) pastes without breaking Browser.
        page.get_by_test_id("activeEditor").click()
        page.keyboard.press("Control+A")
        page.keyboard.press("Delete")
        page.keyboard.insert_text(style_command())
        page.get_by_test_id("editor-Run").click()
        pasted = page.get_by_test_id("frame").first
        pasted.get_by_test_id("frameCommand").filter(has_text=":style {").wait_for()
        pasted.get_by_text("node.Figure").first.wait_for()  # Browser shows the style it took
        picture = run_query(page, FIRST_GRAPH)
        assert "Displaying" in picture
        shots.append(screenshot(page, tmp_path / "demo-graph.png", settle_ms=2500))
        assert "Al-Shabaab" in _captions(page)  # captions by name, one word per line
        assert errors == []
    for shot in shots:
        assert shot.read_bytes().startswith(b"\x89PNG") and shot.stat().st_size > 10_000
    keep = os.environ.get("KG_SCREENSHOT_DIR")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        for shot in shots:
            shutil.copy(shot, Path(keep) / shot.name)
