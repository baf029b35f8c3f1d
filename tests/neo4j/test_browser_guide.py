"""The Browser guide and style (kg.neo4j.browser_guide), without a browser: one page per
library query with its demo parameters, a style that pastes as one line without semicolons,
and the Browser archive with both beside Browser's own files."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

from kg.neo4j.browser_guide import (
    GUIDE_PATH,
    STYLE_PATH,
    conf_lines,
    guide_html,
    param_command,
    style_command,
    style_rules,
    write_browser_zip,
)
from kg.neo4j.queries import get_query, library
from kg.schema import Label


def test_a_guide_page_per_query_with_its_demo_parameters() -> None:
    guide = guide_html()
    assert guide.count("<slide") == len(library()) + 1
    assert param_command(get_query("events-by-group")) == ':param {group: "ISWAP", from: null, to: null}'
    assert param_command(get_query("actors-since")) == ':param {since: date("2025-01-01")}'
    assert param_command(get_query("co-active-groups")) is None
    # The first query pages are the ones an analyst asks first.
    headings = re.findall(r"<h3>([\w-]+)</h3>", guide)
    assert headings[:3] == ["place-events", "events-by-group", "who-said-what"]


def test_the_style_pastes_as_one_json_line() -> None:
    command = style_command()
    assert "\n" not in command and ";" not in command
    rules = json.loads(command.removeprefix(":style "))
    assert rules == style_rules()
    assert {f"node.{label.value}" for label in Label} <= set(rules)
    assert rules["node.Figure"]["caption"] == "{caption}"
    assert rules["relationship"]["caption"] == "<type>"


def test_conf_runs_the_style_and_the_guide_from_this_server() -> None:
    lines = conf_lines(17474)
    assert lines["browser.post_connect_cmd"] == (
        f"style http://127.0.0.1:17474/browser/{STYLE_PATH}; "
        f"play http://127.0.0.1:17474/browser/{GUIDE_PATH}")
    assert "127.0.0.1" in lines["browser.remote_content_hostname_whitelist"].split(",")


def test_the_archive_holds_browser_and_the_guide(tmp_path: Path) -> None:
    jar = tmp_path / "neo4j-browser.jar"
    with zipfile.ZipFile(jar, "w") as out:
        out.writestr("browser/", b"")
        out.writestr("browser/index.html", "<title>Neo4j Browser</title>")
        out.writestr("browser/assets/app.js", "//")
        out.writestr("META-INF/MANIFEST.MF", "")
    home = tmp_path / "home"
    home.mkdir()
    archive = write_browser_zip(home, jar)
    with zipfile.ZipFile(archive) as zipped:
        names = zipped.namelist()
        assert names[0] == "browser/"  # Neo4j serves the directory of the first entry
        for name in names:  # each file's directory comes before it
            parent = name.rstrip("/").rpartition("/")[0] + "/"
            assert parent == "/" or names.index(parent) < names.index(name)
        assert "META-INF/MANIFEST.MF" not in names
        assert "{caption}" in zipped.read(f"browser/{STYLE_PATH}").decode()
        assert "place-events" in zipped.read(f"browser/{GUIDE_PATH}").decode()
    modified = archive.stat().st_mtime_ns
    assert write_browser_zip(home, jar) == archive and archive.stat().st_mtime_ns == modified
