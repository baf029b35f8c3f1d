"""`kg ingest` end to end over real files and a real Neo4j, with a stand-in extractor that
returns the hand-built fixture graphs (the real extractor has its own tests); and the graph
commands through click's CliRunner."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from neo4j import Driver

from kg.cli import main
from kg.errors import ExtractionError, ReadError
from kg.ingest import ingest
from kg.models import Article, ArticleGraph
from kg.resolve import Aliases, AliasFile
from tests.neo4j.fixtures import ALIAS_FILE, BLA, quetta_bombing, siege_afp, siege_dw
from tests.neo4j_testing import Neo4jTestServer

GRAPHS = {g.article.id: g for g in (siege_dw(), siege_afp(), quetta_bombing())}
ALIASES = Aliases(AliasFile.model_validate(yaml.safe_load(ALIAS_FILE)))


class FixtureExtractor:
    """Gives each article read from disk its fixture graph; counts what it was asked."""

    version = "test-extractor-1"

    def __init__(self, fail_on: str | None = None, read_ahead: int = 1) -> None:
        self.seen: list[str] = []
        self.fail_on = fail_on
        self.read_ahead = read_ahead  # like nlp.pipe, take several articles before answering

    def extract_many(self, articles: Iterable[Article], *, n_process: int = 1,
                     batch_size: int | None = None) -> Iterator[ArticleGraph]:
        iterator = iter(articles)
        while chunk := list(islice(iterator, self.read_ahead)):
            for article in chunk:
                self.seen.append(article.id)
                if article.id == self.fail_on:
                    raise RuntimeError("a rule tripped")
                yield GRAPHS[article.id].model_copy(update={"article": article})


def write_articles(path: Path, *, broken: bool = False) -> Path:
    lines = []
    for graph in GRAPHS.values():
        a = graph.article
        lines.append(json.dumps({"id": a.id, "title": a.title, "summary": a.summary, "text": a.text,
                                 "url": a.url, "source": a.source, "language": a.language,
                                 "published": a.published.isoformat() if a.published else None}))
    if broken:
        lines.insert(1, '{"title": "no text"')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def count(driver: Driver, label: str) -> int:
    # Labels in test queries are literals; only the library is bound to the enum templates.
    return driver.execute_query("MATCH (n) WHERE $label IN labels(n) RETURN count(n) AS c",
                                label=label).records[0]["c"]


@pytest.mark.neo4j
def test_ingest_reads_extracts_resolves_and_loads(kg: Driver, tmp_path: Path) -> None:
    source = write_articles(tmp_path / "articles.jsonl", broken=True)
    report = tmp_path / "report.jsonl"

    summary = ingest([source], kg, aliases=ALIASES, extractor=FixtureExtractor(), report=report)

    assert (summary.read, summary.new, summary.failed, summary.unchanged) == (4, 3, 1, 0)
    assert summary.failures[0].startswith(f"{source}:2")
    assert count(kg, "Article") == 3 and count(kg, "Event") == 4
    assert count(kg, "Group") == 2  # "BLA" merged into the Baloch Liberation Army by the alias file
    assert summary.nodes_created > 0 and summary.relationships_created > 0
    assert set(summary.seconds) == {"schema", "read", "ledger", "extract", "resolve", "load"}
    assert summary.seconds["schema"] > 0  # its own stage, not hidden in the others
    lines = [json.loads(line) for line in report.read_text(encoding="utf-8").splitlines()]
    assert sorted(line["status"] for line in lines[:-1]) == ["failed", "new", "new", "new"]
    assert lines[-1]["summary"]["new"] == 3
    # Honest counts: three articles were extracted (and loaded), and the summary says what
    # they hold.
    assert summary.extracted == 3 and lines[-1]["summary"]["extracted"] == 3
    graphs = list(GRAPHS.values())
    events, figures = sum(len(g.events) for g in graphs), sum(len(g.figures) for g in graphs)
    quotes = sum(len(g.quotes) for g in graphs)
    found = next(line for line in summary.lines() if line.startswith("Found in 3 article(s): "))
    assert f"{events} events (" in found and f", {figures} figures, {quotes} quotes, " in found
    assert lines[-1]["summary"]["found"]["figures"] == figures
    origins = kg.execute_query("MATCH (a:Article) RETURN a.origin AS o").records
    assert all(r["o"].startswith(str(source)) for r in origins)


@pytest.mark.neo4j
def test_unchanged_articles_are_not_extracted_again(kg: Driver, tmp_path: Path) -> None:
    source = write_articles(tmp_path / "articles.jsonl")
    ingest([source], kg, aliases=ALIASES, extractor=FixtureExtractor())

    again = FixtureExtractor()
    summary = ingest([source], kg, aliases=ALIASES, extractor=again)

    assert again.seen == []
    assert (summary.unchanged, summary.new, summary.nodes_created) == (3, 0, 0)

    forced = FixtureExtractor()
    summary = ingest([source], kg, aliases=ALIASES, extractor=forced, force=True)
    assert len(forced.seen) == 3 and summary.updated == 3
    # A reload puts back what it removed: reported as replaced, not as created and removed.
    graph_line = next(line for line in summary.lines() if line.startswith("Graph: "))
    assert graph_line == (f"Graph: 0 nodes added, {summary.nodes_deleted} replaced; "
                          f"0 relationships added, {summary.relationships_deleted} replaced")
    assert summary.nodes_deleted > 0


@pytest.mark.neo4j
def test_a_new_extractor_version_reextracts(kg: Driver, tmp_path: Path) -> None:
    source = write_articles(tmp_path / "articles.jsonl")
    ingest([source], kg, aliases=ALIASES, extractor=FixtureExtractor())
    newer = FixtureExtractor()
    newer.version = "test-extractor-2"
    assert len([g for g in ingest([source], kg, extractor=newer).failures]) == 0
    assert len(newer.seen) == 3


@pytest.mark.neo4j
def test_dry_run_loads_nothing(kg: Driver, tmp_path: Path) -> None:
    source = write_articles(tmp_path / "articles.jsonl")
    summary = ingest([source], kg, dry_run=True, extractor=FixtureExtractor())
    assert (summary.extracted, summary.new) == (3, 0)
    assert count(kg, "Article") == 0
    assert "dry run: 3 extracted" in summary.lines()[0]


@pytest.mark.neo4j
@pytest.mark.parametrize(("fail_on", "read_ahead"), [(1, 1), (0, 3), (1, 3), (2, 2)])
def test_an_extraction_failure_costs_one_article(kg: Driver, tmp_path: Path, fail_on: int,
                                                 read_ahead: int) -> None:
    source = write_articles(tmp_path / "articles.jsonl")
    ids = list(GRAPHS)
    extractor = FixtureExtractor(fail_on=ids[fail_on], read_ahead=read_ahead)
    summary = ingest([source], kg, extractor=extractor)
    assert (summary.new, summary.failed) == (2, 1)
    assert "a rule tripped" in summary.failures[0]
    loaded = {r["id"] for r in kg.execute_query("MATCH (a:Article) RETURN a.id AS id").records}
    assert loaded == set(ids) - {ids[fail_on]}
    assert sorted(extractor.seen) == sorted(ids)  # each article given to the extractor once
    afp = ids[1]

    with pytest.raises(ExtractionError, match="a rule tripped"):
        ingest([source], kg, extractor=FixtureExtractor(fail_on=afp), force=True, fail_fast=True)


def test_fail_fast_on_an_unreadable_record(tmp_path: Path) -> None:
    source = write_articles(tmp_path / "articles.jsonl", broken=True)
    with pytest.raises(ReadError):
        ingest([source], None, dry_run=True, extractor=FixtureExtractor(), fail_fast=True)


def test_the_same_article_twice_in_one_run(tmp_path: Path) -> None:
    first = write_articles(tmp_path / "articles.jsonl")
    second = write_articles(tmp_path / "copy.jsonl")
    extractor = FixtureExtractor()
    summary = ingest([first, second], None, dry_run=True, extractor=extractor, batch_size=2)
    assert (summary.read, summary.duplicate, summary.extracted) == (6, 3, 3)
    assert len(extractor.seen) == 3


# -- the commands ------------------------------------------------------------------------------


@pytest.fixture
def cli_env(neo4j_server: Neo4jTestServer) -> dict[str, str]:
    return {"KG_NEO4J_URI": neo4j_server.uri, "KG_NEO4J_USER": neo4j_server.user,
            "KG_NEO4J_PASSWORD": neo4j_server.password}


@pytest.mark.neo4j
def test_cli_ingest_query_stats_remove(kg: Driver, tmp_path: Path, cli_env: dict[str, str],
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from kg.extract import pipeline

    monkeypatch.setattr(pipeline, "Extractor", FixtureExtractor)
    aliases = tmp_path / "aliases.yaml"
    aliases.write_text(ALIAS_FILE, encoding="utf-8")
    source = write_articles(tmp_path / "articles.jsonl")
    runner = CliRunner()

    result = runner.invoke(main, ["ingest", str(source), "--aliases", str(aliases)], env=cli_env)
    assert result.exit_code == 0, result.output
    assert "3 read, 3 new, 0 updated, 0 unchanged, 0 failed" in result.output

    result = runner.invoke(main, ["stats", "--format", "json"], env=cli_env)
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["labels"]["Event"] == 4

    result = runner.invoke(main, ["query", "events-by-group", "-p", "group=BLA", "-p", "from=2025-03-01",
                                  "-p", "to=2025-03-31", "--format", "json"], env=cli_env)
    assert result.exit_code == 0, result.output
    assert [row["type"] for row in json.loads(result.output)] == ["execution", "attack", "security_operation"]

    result = runner.invoke(main, ["query", "events-by-group", "-p", "group=BLA", "-p", "from=March",
                                  "-p", "to=2025-03-31"], env=cli_env)
    assert result.exit_code == 1 and "Error: parameter from: 'March' is not a valid date" in result.output

    result = runner.invoke(main, ["remove", siege_dw().article.id, "nope"], env=cli_env)
    assert result.exit_code == 0, result.output
    assert "Removed 1 article(s)" in result.output and "Not in the graph: nope" in result.output
    assert count(kg, "Article") == 2
    assert kg.execute_query("MATCH (g:Group {id: $id}) RETURN g", id=BLA).records


@pytest.mark.neo4j
def test_cli_schema_apply(kg: Driver, cli_env: dict[str, str]) -> None:
    kg.execute_query("DROP CONSTRAINT quote_id IF EXISTS")
    result = CliRunner().invoke(main, ["schema", "apply"], env=cli_env)
    assert result.exit_code == 0, result.output
    names = {r["name"] for r in kg.execute_query("SHOW CONSTRAINTS YIELD name").records}
    assert "quote_id" in names


@pytest.mark.neo4j
def test_cli_schema_warm_up_writes_nothing(demo_graph: Driver, cli_env: dict[str, str]) -> None:
    before = demo_graph.execute_query("MATCH (n) RETURN count(n) AS n").records[0]["n"]
    result = CliRunner().invoke(main, ["schema", "warm-up"], env=cli_env)
    assert result.exit_code == 0, result.output
    assert "Ready for kg in" in result.output and "statements of a first load planned" in result.output
    assert demo_graph.execute_query("MATCH (n) RETURN count(n) AS n").records[0]["n"] == before


def test_cli_query_list_and_show() -> None:
    runner = CliRunner()
    listing = runner.invoke(main, ["query", "--list"])
    assert listing.exit_code == 0
    assert "events-near: Which events happened within a distance" in listing.output
    assert "-p km=<float>" in listing.output
    shown = runner.invoke(main, ["query", "search", "--show"])
    assert "db.index.fulltext.queryNodes" in shown.output
    assert runner.invoke(main, ["query"]).exit_code == 2
    unknown = runner.invoke(main, ["query", "nope"])
    assert unknown.exit_code == 1 and "Error: no query named 'nope'" in unknown.output
