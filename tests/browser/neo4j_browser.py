"""Drive Neo4j Browser 5.24 in Debian's headless Chromium, for tests and screenshots.

    with open_page(tmp_path / "chromium") as page:
        login(page, neo4j_server)
        text = run_query(page, "MATCH (e:Event) RETURN count(e) AS events")
        screenshot(page, tmp_path / "events.png")

Selectors are Browser's own `data-testid` attributes; nothing is downloaded (no
Playwright browser, no fonts: Browser's requests to the internet simply fail).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Protocol

from playwright.sync_api import Page, sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Browser is slow to boot on a busy two-core machine; these are upper bounds, not waits.
TIMEOUT_MS = 90_000


class BrowserTarget(Protocol):
    """What `login` needs; `tests.neo4j_testing.Neo4jTestServer` fits."""

    @property
    def uri(self) -> str: ...
    @property
    def user(self) -> str: ...
    @property
    def password(self) -> str: ...
    @property
    def http_url(self) -> str | None: ...


def chromium_path() -> str | None:
    """Debian's chromium if installed, else None (the caller decides to skip or fail)."""
    return CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")


@contextmanager
def open_page(user_data_dir: Path, *, width: int = 1400, height: int = 900) -> Iterator[Page]:
    """A page in a fresh Chromium profile at `user_data_dir`, closed afterwards."""
    executable = chromium_path()
    if executable is None:
        raise RuntimeError("chromium is not installed: apt-get install -y chromium")
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(user_data_dir),
            executable_path=executable,
            args=CHROMIUM_ARGS,
            headless=True,
            viewport={"width": width, "height": height},
        )
        context.set_default_timeout(TIMEOUT_MS)
        try:
            yield context.pages[0] if context.pages else context.new_page()
        finally:
            context.close()


def login(page: Page, server: BrowserTarget) -> None:
    """Open Browser on `server.http_url` and connect over Bolt with its credentials."""
    if server.http_url is None:
        raise ValueError("the server's HTTP URL is unknown; Browser cannot be opened")
    scheme, _, address = server.uri.partition("://")
    page.goto(f"{server.http_url.rstrip('/')}/browser/")
    page.get_by_test_id("connect").wait_for()
    page.get_by_test_id("bolt-scheme-select").select_option(f"{scheme}://")
    page.get_by_test_id("boltaddress").fill(address)
    page.get_by_test_id("username").fill(server.user)
    page.get_by_test_id("password").fill(server.password)
    page.get_by_test_id("connect").click()
    # The connect frame turns into this message once Bolt accepted the credentials.
    page.get_by_text("You are connected as user").wait_for()


def set_param(page: Page, command: str) -> None:
    """Run a `:param name => value` command; its frame shows no result contents."""
    editor = page.get_by_test_id("activeEditor")
    editor.click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.insert_text(command)
    page.get_by_test_id("editor-Run").click()
    page.get_by_test_id("frameCommand").filter(has_text=command).first.wait_for()


def run_query(page: Page, cypher: str) -> str:
    """Type `cypher` into the editor, run it and return the text of its result frame.

    Raises AssertionError with Browser's message if the query failed. Pass complete
    queries: the editor closes a bracket typed last, as it would for a person.
    """
    editor = page.get_by_test_id("activeEditor")
    editor.click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.insert_text(cypher)
    return run_editor(page, cypher)


def run_editor(page: Page, cypher: str) -> str:
    """Run what the editor holds (`cypher`, e.g. put there by clicking a guide's block) and
    return the text of its result frame, as `run_query` does."""
    page.get_by_test_id("editor-Run").click()
    # New frames go on top of the stream, so the newest frame of this command is the first
    # that shows it; frames of the server's post-connect commands (the kg style and guide)
    # may land on top meanwhile. Browser marks a frame's contents once its result (or
    # error) has arrived. The status bar, by contrast, shows while it runs.
    frame = page.get_by_test_id("frame").filter(
        has=page.get_by_test_id("frameCommand").filter(has_text=cypher.split("\n")[0])).first
    frame.get_by_test_id("frame-loaded-contents").wait_for()
    error = frame.get_by_test_id("cypherFrameErrorMessage")
    if error.count():
        raise AssertionError(
            f"Neo4j Browser reported an error for {cypher!r}: {error.inner_text()}"
        )
    return frame.get_by_test_id("frameContents").inner_text()


def screenshot(page: Page, path: Path, *, whole_page: bool = False, settle_ms: int = 0) -> Path:
    """Save the latest result frame (or the whole page) as a PNG at `path`.

    Graph results are laid out by an animation: give `settle_ms` (e.g. 2000) so the
    picture shows where the nodes come to rest.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    if settle_ms:
        page.wait_for_timeout(settle_ms)
    if whole_page:
        page.screenshot(path=str(path))
    else:
        page.get_by_test_id("frame").first.screenshot(path=str(path))
    return path
