"""`kg report` opened from disk in headless Chromium with the network blocked.

The example articles are ingested, the report written, and the page must draw its map and
timeline with no request leaving the file, no failed request and no console error. The
picture is the README's: set KG_SCREENSHOT_DIR (e.g. docs/images) to keep it as report.png.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from neo4j import Driver
from playwright.sync_api import Route

from kg.export.events import EventFilters, read_events, select_events
from kg.export.report import write_report
from kg.ingest import ingest
from tests.browser.neo4j_browser import chromium_path, open_page
from tests.export.helpers import outside_scripts

pytestmark = [pytest.mark.neo4j, pytest.mark.browser]

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "articles"


@pytest.fixture
def demo_graph(kg: Driver) -> Driver:
    if chromium_path() is None:
        pytest.fail("chromium is not installed (apt-get install -y chromium); .ci/run installs it")
    summary = ingest([EXAMPLES], kg)
    assert summary.failed == 0 and summary.new >= 20
    return kg


def test_report_opens_offline_and_draws_map_and_timeline(demo_graph: Driver, tmp_path: Path) -> None:
    report = tmp_path / "report.html"
    result = write_report(demo_graph, report, title="kg example articles")
    events = [e.row for e in read_events(demo_graph, select_events(demo_graph, EventFilters()).ids)]
    located = [r for r in events if r.latitude is not None]
    assert result.rows == len(events) > 0
    assert result.without_coordinates == [r.event_id_cnty for r in events if r.latitude is None]
    page_text = report.read_text(encoding="utf-8")
    # Everything is inlined: no script, style sheet, image or frame comes from elsewhere.
    assert not re.search(r"<(script|img|iframe|link)\b[^>]*\b(src|href)=",
                     outside_scripts(page_text))

    requests: list[str] = []
    blocked: list[str] = []
    failed: list[str] = []
    problems: list[str] = []
    with open_page(tmp_path / "profile", height=1500) as page:
        def route(handle: Route) -> None:
            requests.append(handle.request.url)
            if handle.request.url.startswith("file://"):
                handle.continue_()
            else:
                blocked.append(handle.request.url)
                handle.abort()

        page.route("**/*", route)
        page.on("requestfailed", lambda r: failed.append(r.url))
        page.on("console", lambda m: problems.append(f"{m.type}: {m.text}")
                if m.type in ("error", "warning") else None)
        page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
        page.goto(report.as_uri())
        page.locator("#map svg g.mark-shape.role-mark path").first.wait_for()
        page.locator("#timeline svg g.mark-rect.role-mark path").first.wait_for()
        symbols = page.locator("#map svg g.mark-symbol.role-mark path")
        assert symbols.count() == len(located)
        assert page.locator("#timeline svg g.mark-line.role-mark path").count() >= 1
        assert page.locator("article.event").count() == len(events)
        assert page.get_by_text("Most active actors").is_visible()
        assert "events are not on the map" in page.locator(".summary").inner_text()

        # A click on an event on the map goes to the event and its evidence in the list.
        symbols.first.dispatch_event("click")
        page.wait_for_function("location.hash.startsWith('#event-')")
        target = page.evaluate("location.hash").removeprefix("#")
        assert page.locator(f"article#{target} details").count() == 1

        page.evaluate("window.scrollTo(0, 0); history.replaceState(null, '', location.pathname)")
        page.wait_for_timeout(500)
        shot = tmp_path / "report.png"
        page.screenshot(path=str(shot))
    assert requests == [report.as_uri()], requests
    assert not blocked and not failed, (blocked, failed)
    assert not problems, problems
    assert shot.read_bytes().startswith(b"\x89PNG") and shot.stat().st_size > 50_000
    keep = os.environ.get("KG_SCREENSHOT_DIR")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(keep) / "report.png")
