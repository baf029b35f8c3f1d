"""Load transactions against the real Neo4j server when connections, commits and data go wrong.

- Connections cut mid-transaction (by a loopback proxy, tests/reliability/faultproxy.py): the
  driver retries, and the graph equals a clean load.
- A COMMIT the server executes but whose reply never arrives (`IncompleteCommit`): the batch
  runs again, nothing changes twice, and ingest reports the articles as loaded once.
- A batch too large for the server's transaction memory (a throw-away server with a small
  `db.memory.transaction.max`): split in halves, not retried for the driver's retry time; an
  article too large on its own fails alone.
- One article with values Neo4j refuses: it fails alone with the reason, the rest of its batch
  loads.
- A batch whose transaction never commits: none of its articles reach the ledger or the report.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
from neo4j import Driver, GraphDatabase
from neo4j.exceptions import DriverError

from kg.dev.bench.corpus import write_corpus
from kg.errors import LoadError
from kg.extract.pipeline import Extractor
from kg.ingest import ingest
from kg.models import Article, ArticleGraph, Entity
from kg.neo4j.loader import ledger, load, load_batch
from kg.neo4j.schema import apply_schema
from kg.schema import EntityType
from kg.sources import read_paths
from tests.neo4j.fixtures import graph_dump
from tests.neo4j_testing import Neo4jTestServer, running_server
from tests.reliability.faultproxy import FaultProxy
from tests.reliability.graphs import article_hashes, duplicate_ids

ARTICLES = 16
SEED = 11
BATCH = 8
# The small server's limit: measured, 8 of these articles need at most 2 MiB of transaction
# memory and 16 need more than 4 MiB (Neo4j counts it in 2 MiB steps).
TRANSACTION_MAX = "4m"
# Far above what any load here takes; a load that waited out retries would reach it.
RETRY_SECONDS = 120.0
HANG_GUARD_SECONDS = 300

pytestmark = pytest.mark.neo4j


# -- fixtures ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_corpus(ARTICLES, SEED, tmp_path_factory.mktemp("corpus") / "corpus.jsonl")


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


@pytest.fixture(scope="module")
def graphs(corpus: Path, extractor: Extractor) -> list[ArticleGraph]:
    articles = [a for a in read_paths([corpus]) if isinstance(a, Article)]
    assert len(articles) == ARTICLES
    return list(extractor.extract_many(articles))


@pytest.fixture
def proxy(neo4j_server: Neo4jTestServer) -> Iterator[FaultProxy]:
    with FaultProxy(neo4j_server.bolt_port, lifetime=HANG_GUARD_SECONDS) as p:
        yield p


def through(proxy: FaultProxy, server: Neo4jTestServer, **config: Any) -> Driver:
    return GraphDatabase.driver(proxy.uri, auth=(server.user, server.password), **config)


@pytest.fixture(scope="module")
def small_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Driver]:
    """A throw-away server whose transactions may use only TRANSACTION_MAX of memory."""
    with running_server(tmp_path_factory.mktemp("neo4j-small"),
                        extra_conf={"db.memory.transaction.max": TRANSACTION_MAX}) as server:
        driver = GraphDatabase.driver(server.bolt_uri,
                                      auth=("neo4j", server.read_password().get_secret_value()),
                                      max_transaction_retry_time=RETRY_SECONDS)
        try:
            apply_schema(driver)
            yield driver
        finally:
            driver.close()


def ids(graphs: Iterable[ArticleGraph]) -> list[str]:
    return sorted(g.article.id for g in graphs)


def article_ids(driver: Driver) -> list[str]:
    return sorted(r["id"] for r in driver.execute_query(
        "MATCH (a:Article) RETURN a.id AS id", routing_="r").records)


def empty(driver: Driver) -> None:
    driver.execute_query("MATCH (n) DETACH DELETE n")


def read_report(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def messages(caplog: pytest.LogCaptureFixture, logger: str, text: str) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == logger and text in r.getMessage()]


class Rewriting:
    """The real extractor, with a hook on each graph it yields (index, graph) → graph."""

    def __init__(self, extractor: Extractor, hook: Callable[[int, ArticleGraph], ArticleGraph]) -> None:
        self.extractor = extractor
        self.version = extractor.version
        self.hook = hook

    def extract_many(self, articles: Iterable[Article], *, n_process: int = 1,
                     batch_size: int | None = None) -> Iterator[ArticleGraph]:
        for i, graph in enumerate(self.extractor.extract_many(articles)):
            yield self.hook(i, graph)


# -- connections cut, commits lost ------------------------------------------------------------


def test_connections_cut_mid_transaction_are_retried_to_the_graph_of_a_clean_load(
        kg: Driver, neo4j_server: Neo4jTestServer, proxy: FaultProxy,
        graphs: list[ArticleGraph]) -> None:
    load(kg, graphs, batch_size=BATCH)
    clean = graph_dump(kg)
    empty(kg)

    proxy.cut_writes(after_runs=5, times=2)  # both batches lose their first attempt
    with through(proxy, neo4j_server) as driver:
        result = load(driver, graphs, batch_size=BATCH)

    assert proxy.count("cut a write transaction") == 2, proxy.events
    assert sorted(result.new) == ids(graphs) and not result.failed
    assert graph_dump(kg) == clean
    assert duplicate_ids(kg) == []


def test_a_commit_whose_reply_is_lost_is_rerun_and_changes_nothing(
        kg: Driver, neo4j_server: Neo4jTestServer, proxy: FaultProxy, corpus: Path,
        extractor: Extractor, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    ingest([corpus], kg, extractor=extractor, batch_size=BATCH)
    clean, clean_hashes = graph_dump(kg), article_hashes(kg)
    empty(kg)

    def lose_the_load_commits(i: int, graph: ArticleGraph) -> ArticleGraph:
        # Graph 0: the schema is applied by now, the next write commit is the first batch's.
        # Graph BATCH: the first batch is loaded (the extractor streams), the second is next.
        if i in (0, BATCH):
            proxy.lose_commit_replies(times=1)
        return graph

    caplog.set_level(logging.INFO, logger="kg.neo4j.batches")
    report = tmp_path / "report.jsonl"
    with through(proxy, neo4j_server) as driver:
        summary = ingest([corpus], driver, extractor=Rewriting(extractor, lose_the_load_commits),
                         batch_size=BATCH, report=report)

    # Both batches committed, neither commit confirmed.
    assert proxy.count("dropped a COMMIT reply") == 2, proxy.events
    assert len(messages(caplog, "kg.neo4j.batches", "unknown outcome")) == 2
    assert len(messages(caplog, "kg.neo4j.batches", "the lost commit had gone through")) == 2
    # Each article reported once, as new: the re-run found the lost commit's work in the ledger.
    outcomes = read_report(report)[:-1]
    assert sorted(o["id"] for o in outcomes) == sorted({o["id"] for o in outcomes})
    assert {o["status"] for o in outcomes} == {"new"} and len(outcomes) == ARTICLES
    assert (summary.new, summary.unchanged, summary.failed) == (ARTICLES, 0, 0)
    # The graph of a clean ingest: same nodes (by id), relationships, counts; each article once.
    assert graph_dump(kg) == clean
    assert article_hashes(kg) == clean_hashes
    assert duplicate_ids(kg) == []
    again = ingest([corpus], kg, extractor=extractor, batch_size=BATCH)
    assert (again.new, again.updated, again.unchanged) == (0, 0, ARTICLES)


def test_a_batch_that_never_commits_leaves_no_article_in_the_ledger_or_the_report(
        kg: Driver, neo4j_server: Neo4jTestServer, proxy: FaultProxy, corpus: Path,
        extractor: Extractor, tmp_path: Path) -> None:
    def cut_from_the_second_batch(i: int, graph: ArticleGraph) -> ArticleGraph:
        if i == BATCH:  # the first batch is loaded by now: the extractor streams
            proxy.cut_writes(after_runs=2, times=1000)
        return graph

    report = tmp_path / "report.jsonl"
    start = time.monotonic()
    with through(proxy, neo4j_server, max_transaction_retry_time=3) as driver, \
            pytest.raises(DriverError):  # the CLI turns it into one `Error:` line naming the server
        ingest([corpus], driver, extractor=Rewriting(extractor, cut_from_the_second_batch),
               batch_size=BATCH, report=report)
    assert time.monotonic() - start < HANG_GUARD_SECONDS

    assert proxy.count("cut a write transaction") >= 2, proxy.events
    first = [o["id"] for o in read_report(report)]
    assert len(first) == BATCH and {o["status"] for o in read_report(report)} == {"new"}
    assert article_ids(kg) == sorted(first)
    every = [a.id for a in read_paths([corpus]) if isinstance(a, Article)]
    assert sorted(ledger(kg, every)) == sorted(first)


# -- too large for transaction memory ---------------------------------------------------------


def test_a_batch_too_large_for_transaction_memory_is_split_not_retried(
        small_server: Driver, kg: Driver, graphs: list[ArticleGraph],
        caplog: pytest.LogCaptureFixture) -> None:
    empty(small_server)
    caplog.set_level(logging.INFO)

    start = time.monotonic()
    result = load_batch(small_server, graphs)
    elapsed = time.monotonic() - start

    splits = messages(caplog, "kg.neo4j.batches", "too large for the server's transaction memory")
    assert splits and f"batch of {ARTICLES} articles" in splits[0]  # the whole batch was refused
    assert sorted(result.new) == ids(graphs) and not result.failed
    # At most one driver retry per split, never its whole retry time.
    retries = messages(caplog, "neo4j.session", "MemoryPoolOutOfMemoryError")
    assert len(retries) <= len(splits), retries
    assert elapsed < RETRY_SECONDS
    # The same graph as batches of half the size on the big server; nothing twice.
    assert duplicate_ids(small_server) == []
    load(kg, graphs, batch_size=ARTICLES // 2)
    assert graph_dump(small_server) == graph_dump(kg)


def test_an_article_too_large_even_alone_fails_alone(
        small_server: Driver, graphs: list[ArticleGraph], caplog: pytest.LogCaptureFixture) -> None:
    empty(small_server)
    caplog.set_level(logging.INFO)
    huge = graphs[0].model_copy(update={"article": graphs[0].article.model_copy(
        update={"text": graphs[0].article.text + " More." * 1_000_000})})  # ~6 MB of text

    start = time.monotonic()
    result = load_batch(small_server, [huge, *graphs[1:4]])

    assert time.monotonic() - start < RETRY_SECONDS
    splits = messages(caplog, "kg.neo4j.batches", "too large for the server's transaction memory")
    retries = messages(caplog, "neo4j.session", "MemoryPoolOutOfMemoryError")
    assert len(splits) >= 2 and len(retries) <= len(splits), (splits, retries)
    assert list(result.failed) == [huge.article.id]
    assert "transaction memory" in result.failed[huge.article.id]
    assert sorted(result.new) == ids(graphs[1:4])
    assert article_ids(small_server) == ids(graphs[1:4])


# -- one bad row --------------------------------------------------------------------------------


def _impossible_place(graph: ArticleGraph) -> ArticleGraph:
    """A place only this article names, at a latitude no WGS-84 point has: the loader's
    `point()` is refused by the server (Neo.ClientError.Statement.ArgumentError)."""
    atlantis = Entity(id="place:atlantis", type=EntityType.PLACE, name="Atlantis",
                      latitude=95.0, longitude=-30.0)
    return graph.model_copy(update={"entities": [*graph.entities, atlantis]})


def _huge_figure(graph: ArticleGraph) -> ArticleGraph:
    """A casualty figure beyond 64 bits: the driver cannot encode the parameter."""
    figure = graph.figures[0].model_copy(update={"min": 2 ** 70, "max": 2 ** 70})
    return graph.model_copy(update={"figures": [figure, *graph.figures[1:]]})


CORRUPTIONS = {
    "point": (_impossible_place, "invalid coordinate"),
    "integer": (_huge_figure, "cannot send"),
}


@pytest.mark.parametrize("kind", sorted(CORRUPTIONS))
def test_one_bad_article_fails_alone_and_the_rest_of_its_batch_loads(
        kg: Driver, corpus: Path, extractor: Extractor, graphs: list[ArticleGraph],
        tmp_path: Path, kind: str) -> None:
    corrupt, reason = CORRUPTIONS[kind]
    bad = next(i for i, g in enumerate(graphs) if g.figures and 2 < i < BATCH)

    def hook(i: int, graph: ArticleGraph) -> ArticleGraph:
        return corrupt(graph) if i == bad else graph

    report = tmp_path / "report.jsonl"
    summary = ingest([corpus], kg, extractor=Rewriting(extractor, hook), batch_size=BATCH,
                     report=report)

    bad_id = graphs[bad].article.id
    good = [i for i in ids(graphs) if i != bad_id]
    assert (summary.new, summary.failed) == (ARTICLES - 1, 1)
    outcomes = read_report(report)[:-1]
    failed = [o for o in outcomes if o["status"] == "failed"]
    assert [o["id"] for o in failed] == [bad_id]
    assert reason in failed[0]["error"]
    assert summary.failures == [f"{failed[0]['origin']}: {failed[0]['error']}"]
    assert sorted(o["id"] for o in outcomes if o["status"] == "new") == good
    # Not in the graph, not in the ledger: it is tried again next time.
    assert article_ids(kg) == good
    assert ledger(kg, [bad_id]) == {}


def test_one_bad_article_under_fail_fast_stops_the_run_after_its_batch(
        kg: Driver, corpus: Path, extractor: Extractor, graphs: list[ArticleGraph],
        tmp_path: Path) -> None:
    bad = 3

    def hook(i: int, graph: ArticleGraph) -> ArticleGraph:
        return _impossible_place(graph) if i == bad else graph

    report = tmp_path / "report.jsonl"
    with pytest.raises(LoadError, match=graphs[bad].article.id):
        ingest([corpus], kg, extractor=Rewriting(extractor, hook), batch_size=BATCH,
               report=report, fail_fast=True)

    batch = [g.article.id for g in graphs[:BATCH] if g is not graphs[bad]]
    assert article_ids(kg) == sorted(batch)  # the rest of its batch loaded, nothing after it
    outcomes = read_report(report)
    assert sorted(o["id"] for o in outcomes if o["status"] == "new") == sorted(batch)
    assert outcomes[-1]["status"] == "failed" and outcomes[-1]["id"] == graphs[bad].article.id
