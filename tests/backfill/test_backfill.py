"""`kg backfill` against a real managed Neo4j server and a real Dask LocalCluster of 2 workers.

A backfill and a `kg ingest` of the same articles give the same graph, node for node and
property for property (tests/neo4j/graph_dump.py): on the example articles (extracted in the
workers) and on 2,000 synthetic extraction outputs. `kg ingest` and `kg remove` go on on top
of a backfilled database as on an ingested one. The backfill stops and starts its server, so
it has one of its own, not the session's.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from neo4j import Driver, GraphDatabase

from kg.backfill import backfill
from kg.backfill.csvfiles import CsvWriter
from kg.cli import main
from kg.dev.bench.load_rate import synthetic
from kg.dev.bench.suite import _empty
from kg.errors import ServerError
from kg.ingest import ingest
from kg.models import ArticleGraph
from kg.neo4j.bulk_import import READ_BUFFER_CHARS, ImportGroup, build
from kg.neo4j.loader import load, remove_articles
from kg.neo4j.rows import HUB_ENTRIES, HUB_TYPES
from kg.neo4j.schema import apply_schema
from kg.neo4j.server import ManagedServer
from kg.schema import Label, RelType
from tests.neo4j.graph_dump import dump
from tests.neo4j.test_hub_facts import restatement
from tests.neo4j_testing import running_server

pytestmark = pytest.mark.neo4j

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples" / "articles"
WORKERS = 2


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ManagedServer]:
    with running_server(tmp_path_factory.mktemp("backfill-home")) as home:
        yield home


def driver_of(server: ManagedServer) -> Driver:
    return GraphDatabase.driver(server.bolt_uri,
                                auth=("neo4j", server.read_password().get_secret_value()))


def wipe(driver: Driver) -> None:
    # The bench's emptying, relationships first in slices: DETACH DELETE of 2,000 nodes could
    # take a hub (a country with every article's LOCATED_IN) whole, past the CI server's
    # transaction memory.
    _empty(driver)
    apply_schema(driver)


def write_graphs(path: Path, graphs: list[ArticleGraph]) -> Path:
    path.write_text("".join(g.model_dump_json() + "\n" for g in graphs), encoding="utf-8")
    return path


def test_backfill_of_the_examples_is_the_graph_ingest_builds(server: ManagedServer,
                                                             tmp_path: Path) -> None:
    summary = backfill([EXAMPLES], server, overwrite=True, workers=WORKERS)
    assert summary.failed == 0, summary.failures
    with driver_of(server) as driver:
        backfilled = dump(driver)
        wipe(driver)
        ingested = ingest([EXAMPLES], driver)
        assert ingested.failed == 0
        assert summary.new == ingested.new and summary.skipped == ingested.skipped
        assert dump(driver) == backfilled
    assert len(backfilled["nodes"]) > 100


def test_backfill_of_2000_synthetic_graphs_is_the_graph_ingest_builds(server: ManagedServer,
                                                                     tmp_path: Path) -> None:
    graphs = synthetic(2000)
    summary = backfill([write_graphs(tmp_path / "all.jsonl", graphs)], server, overwrite=True,
                       workers=WORKERS)
    assert (summary.new, summary.failed, summary.partitions > WORKERS) == (2000, 0, True)
    with driver_of(server) as driver:
        backfilled = dump(driver)
        wipe(driver)
        load(driver, graphs)
        assert dump(driver) == backfilled


def test_a_backfill_bounds_hub_facts_as_ingest_does(server: ManagedServer, tmp_path: Path) -> None:
    graphs = [restatement(n) for n in range(HUB_ENTRIES + 4)]  # one fact restated by each
    backfill([write_graphs(tmp_path / "hubs.jsonl", graphs)], server, overwrite=True,
             workers=WORKERS)
    with driver_of(server) as driver:
        backfilled = dump(driver)
        hubs = [r["props"]["articles"] for r in backfilled["relationships"]
                if RelType(r["type"]) in HUB_TYPES]
        assert hubs and all(len(articles) == HUB_ENTRIES for articles in hubs)
        wipe(driver)
        load(driver, graphs[::-1], batch_size=3)  # later articles first: the lists merge
        assert dump(driver) == backfilled


def test_ingest_and_remove_go_on_on_top_of_a_backfill(server: ManagedServer,
                                                      tmp_path: Path) -> None:
    graphs = synthetic(300, seed=11)
    removed = graphs[10].article.id
    with driver_of(server) as driver:
        wipe(driver)
        load(driver, graphs)
        remove_articles(driver, [removed])
        ingested_then_removed = dump(driver)

    # Backfill most, ingest the rest on top, remove one of the backfilled: the same graph.
    backfill([write_graphs(tmp_path / "most.jsonl", graphs[:250])], server, overwrite=True,
             workers=WORKERS)
    with driver_of(server) as driver:
        assert len(load(driver, graphs[250:]).new) == 50
        assert remove_articles(driver, [removed]).removed == [removed]
        assert dump(driver) == ingested_then_removed


def test_bad_input_is_one_line_per_item_and_the_rest_is_loaded(server: ManagedServer,
                                                              tmp_path: Path) -> None:
    graphs = synthetic(30)
    lines = [g.model_dump_json() for g in graphs]
    lines.insert(4, '{"article": {"id": "x"}, "extractor_version": "1"}')  # line 5: no text
    lines.insert(9, lines[2])  # line 10: a duplicate of line 3
    feed = tmp_path / "graphs.jsonl"
    feed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    missing = tmp_path / "missing.txt"
    report = tmp_path / "report.jsonl"
    summary = backfill([feed, missing], server, overwrite=True, workers=WORKERS, report=report)
    assert (summary.new, summary.failed, summary.duplicate) == (30, 2, 1)
    assert summary.failures[0].startswith(f"{feed}:5: not an extracted graph")
    assert summary.failures[1] == f"{missing}: no such file or directory"
    assert summary.skips[0].startswith(f"{feed}:10: duplicate id {graphs[2].article.id!r}, "
                                       f"first read from {feed}:3 (the same content)")
    statuses = [json.loads(line).get("status") for line in report.read_text().splitlines()]
    assert statuses.count("new") == 30 and statuses.count("failed") == 2
    with driver_of(server) as driver:
        count = driver.execute_query("MATCH (a:Article) RETURN count(a) AS n").records[0]["n"]
    assert count == 30
    assert not list((server.home / "import").glob("kg-backfill-*"))  # nothing left behind


def test_refuses_a_database_with_data_and_a_failure_keeps_it(server: ManagedServer,
                                                            tmp_path: Path) -> None:
    backfill([write_graphs(tmp_path / "first.jsonl", synthetic(20))], server, overwrite=True,
             workers=WORKERS)
    with driver_of(server) as driver:
        before = dump(driver)
    second = write_graphs(tmp_path / "second.jsonl", synthetic(40, seed=3))

    result = CliRunner().invoke(main, ["backfill", str(second), "--home", str(server.home)])
    assert result.exit_code == 1
    assert "already exists; give --overwrite to replace it" in result.output
    with pytest.raises(ServerError, match="serves one user database, 'neo4j'"):
        backfill([second], server, database="archive", overwrite=True)

    # The server cannot start again after the import (its Bolt port is taken): the backfill
    # fails, and the previous database is back, served as before.
    server.stop()
    bolt = int(server.bolt_uri.rsplit(":", 1)[1])
    with socket.socket() as squatter:
        squatter.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        squatter.bind(("127.0.0.1", bolt))
        squatter.listen()
        with pytest.raises(ServerError):
            backfill([second], server, overwrite=True, workers=WORKERS)
    server.start()
    with driver_of(server) as driver:
        assert dump(driver) == before
    assert not list((server.home / "data" / "databases").glob(".kg-previous-*"))


def test_multi_line_rows_past_one_read_buffer_import_whole(server: ManagedServer,
                                                          tmp_path: Path) -> None:
    # neo4j-admin cuts a full read buffer of a multi-line file by scanning back for its last
    # row, and the scan fails on rows that begin with a quoted id (ours): the writer keeps
    # such files under one buffer, and a row longer than a buffer gets a larger one.
    paragraph = 'A long report\'s paragraph, with a ""quoted"" phrase and a comma.\n' * 40
    texts = {f"long-{n:05d}": f"Report {n}.\n{paragraph}" for n in range(2500)}  # ~6 MB
    texts["longer-than-a-buffer"] = "a line of its own\n" * 300_000  # ~5.4 MB, one row
    writer = CsvWriter(tmp_path, "000000")
    for article_id, text in texts.items():
        writer.node(Label.ARTICLE, article_id, {"text": text})
    manifest = writer.close()
    (key, group), = manifest.groups.items()
    assert len(group.multiline) >= 3 and group.multiline == group.files
    assert sum(Path(f).stat().st_size >= READ_BUFFER_CHARS for f in group.files) == 1  # the long row
    header = manifest.write_headers(tmp_path)[key]
    build(server, "neo4j", [ImportGroup(group.kind, group.name, header, group.files,
                                        group.multiline, group.longest)],
          tmp_path, finish=lambda: None)
    with driver_of(server) as driver:
        stored = {r["id"]: r["text"] for r in driver.execute_query(
            "MATCH (a:Article) RETURN a.id AS id, a.text AS text").records}
    assert stored == texts


def test_a_failed_import_names_its_cause_and_keeps_its_output(server: ManagedServer,
                                                             tmp_path: Path) -> None:
    writer = CsvWriter(tmp_path, "000000")
    writer.node(Label.ARTICLE, "a-1", {"title": "One"})
    writer.relationship(RelType.MENTIONS, "a-1", "nowhere", {})  # a node no file holds
    manifest = writer.close()
    headers = manifest.write_headers(tmp_path)
    groups = [ImportGroup(g.kind, g.name, headers[k], g.files, g.multiline, g.longest)
              for k, g in sorted(manifest.groups.items(), key=lambda kv: kv[1].kind != "nodes")]
    with pytest.raises(ServerError) as failed:
        build(server, "neo4j", groups, tmp_path, finish=lambda: None)
    assert "nowhere" in str(failed.value)  # the tool's own words for the bad row
    assert "neo4j-admin-import.log" in str(failed.value)
    assert "nowhere" in (server.home / "logs" / "neo4j-admin-import.log").read_text()
