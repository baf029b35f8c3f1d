"""`kg ingest` of a folder holding a FIFO, a socket, a device and duplicate ids (issue 20).

Against the real Neo4j test server: each special file is one `Failed:` line, refused at
once (a FIFO used to hang the run for ever); each duplicate id is one `Skipped` line naming
both places and whether the content differs; every readable article is loaded once.
"""

from __future__ import annotations

import json
import os
import socket
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from neo4j import Driver

from kg.cli import main
from tests.neo4j_testing import Neo4jTestServer

BODY = ("Gunmen attacked a police checkpoint near Quetta on Monday, killing two officers, "
        "provincial officials said.")
# Refusals take a stat each; the rest of the time is the model load and two small articles.
HANG_GUARD_SECONDS = 300


def article_ids(driver: Driver) -> set[str]:
    return {r["id"] for r in driver.execute_query("MATCH (a:Article) RETURN a.id AS id").records}


@pytest.mark.neo4j
def test_special_files_fail_alone_duplicates_are_named_and_the_rest_loads(
        graph: Driver, neo4j_server: Neo4jTestServer, tmp_path: Path) -> None:
    folder = tmp_path / "feed"
    folder.mkdir()
    os.mkfifo(folder / "a_pipe.txt")
    listener = socket.socket(socket.AF_UNIX)
    listener.bind(str(folder / "b_socket.json"))
    (folder / "c_device.txt").symlink_to("/dev/zero")
    records = [
        {"id": "report-1", "text": BODY, "title": "Checkpoint attack"},
        {"id": "report-2", "text": BODY + " A second report.", "title": "Second report"},
        {"id": "report-1", "text": BODY + " A later version.", "title": "Checkpoint attack"},
        {"id": "report-2", "text": BODY + " A second report.", "title": "Second report"},
    ]
    feed = folder / "d_feed.jsonl"
    feed.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    env = {"KG_NEO4J_URI": neo4j_server.uri, "KG_NEO4J_USER": neo4j_server.user,
           "KG_NEO4J_PASSWORD": neo4j_server.password}

    start = time.monotonic()
    try:
        result = CliRunner().invoke(main, ["ingest", str(folder)], env=env)
    finally:
        listener.close()

    assert time.monotonic() - start < HANG_GUARD_SECONDS
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    failed = [line for line in lines if line.startswith("Failed: ")]
    assert failed == [
        f"Failed: {folder / 'a_pipe.txt'}: not a regular file but a named pipe (FIFO); "
        "only regular files are read (use - for a stream)",
        f"Failed: {folder / 'b_socket.json'}: not a regular file but a socket; "
        "only regular files are read (use - for a stream)",
        f"Failed: {folder / 'c_device.txt'}: not a regular file but a character device; "
        "only regular files are read (use - for a stream)",
    ]
    skipped = [line for line in lines if line.startswith("Skipped ")]
    assert skipped == [
        f"Skipped {feed}:3: duplicate id 'report-1', first read from {feed}:1 "
        "(different content); the first one read is kept",
        f"Skipped {feed}:4: duplicate id 'report-2', first read from {feed}:2 "
        "(the same content); the first one read is kept",
    ]
    assert "2 new" in result.output and "2 duplicate" in result.output
    assert article_ids(graph) == {"report-1", "report-2"}
    texts = graph.execute_query("MATCH (a:Article {id: 'report-1'}) RETURN a.text AS text").records
    assert [r["text"] for r in texts] == [BODY]  # the first one read, as documented
