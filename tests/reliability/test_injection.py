"""Cypher-breaking strings in every text field of an article reach Neo4j as data, verbatim.

Query text is assembled only from the closed schema (see test_write_discipline.py); this
proves it end to end: an article made of quotes, backticks, comments, `$param`, braces and a
`DETACH DELETE` payload loads beside a normal one, which stays intact, and reads back exactly.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from neo4j import Driver

from kg.cli import main
from kg.neo4j.rows import stored_graph
from tests.neo4j_testing import Neo4jTestServer
from tests.reliability.corpus import EXAMPLES

NORMAL = EXAMPLES / "niger_tillaberi_patrol_attack.json"
NORMAL_ID = "niamey-observer-2025-01-22-tillaberi"
HOSTILE_ID = "reliability-hostile"
# Every piece that could end a string, a name, a map or a statement in Cypher, or start a
# comment or a parameter. Single spaces only: title-like fields have their whitespace collapsed.
PAYLOADS = ("'", '"', "`", "\u0060", "//", "}) MATCH (n) DETACH DELETE n //", "$param", "{", "\\",
            "'}) DETACH DELETE n RETURN 1 //", "\\u0027", "`Article`")
HOSTILE = " ".join(PAYLOADS)
SPEAKER = "Ahmed O'Brien-`Khan` \"}) MATCH (n) DETACH DELETE n //"


def _paragraphs_joined(span: str) -> str:
    """A quotation over paragraphs as kg keeps it: the paragraphs joined with a space, each
    later paragraph without the opening mark that resumes the quotation."""
    parts = [p.strip() for p in span.split("\n") if p.strip()]
    return " ".join([parts[0], *(p.lstrip("\"“‘'") for p in parts[1:])])


def hostile_article() -> dict[str, object]:
    text = (
        f"Gunmen attacked an army post near Kokorou in Niger on Monday, killing four soldiers. {HOSTILE}\n\n"
        f'"We will answer this attack," said {SPEAKER}, a regional governor.\n\n'
        f"Residents said the attackers came from the {HOSTILE} camp."
    )
    return {
        "id": HOSTILE_ID,
        "title": f"Attack near Kokorou {HOSTILE}",
        "summary": f"Summary {HOSTILE}",
        "text": text,
        "source": f"Outlet {HOSTILE}",
        "url": f"https://example.org/a?q={HOSTILE}",
        "published": "2025-01-21",
        "note": HOSTILE,  # an unknown field: kept in metadata
    }


@pytest.fixture
def cli_env(neo4j_server: Neo4jTestServer) -> dict[str, str]:
    return {"KG_NEO4J_URI": neo4j_server.uri, "KG_NEO4J_USER": neo4j_server.user,
            "KG_NEO4J_PASSWORD": neo4j_server.password}


def ingest(paths: list[Path], env: dict[str, str]) -> None:
    result = CliRunner().invoke(main, ["ingest", *map(str, paths)], env=env)
    assert result.exit_code == 0, result.output
    graph_line = next(line for line in result.output.splitlines() if line.startswith("Graph:"))
    assert "removed" not in graph_line, graph_line


def neighbourhood(driver: Driver, article_id: str) -> Counter[tuple[str, str, str]]:
    """What hangs off one article: (relationship type, node label, node id) counts."""
    records = driver.execute_query(
        "MATCH (a:Article {id: $id})-[r]-(n) RETURN type(r) AS type, labels(n) AS labels, n.id AS id",
        id=article_id).records
    return Counter((r["type"], ":".join(sorted(r["labels"])), r["id"]) for r in records)


def nodes(driver: Driver) -> set[tuple[str, str]]:
    records = driver.execute_query("MATCH (n) RETURN labels(n) AS labels, n.id AS id").records
    return {(":".join(sorted(r["labels"])), r["id"]) for r in records}


@pytest.mark.neo4j
def test_hostile_strings_are_stored_verbatim_and_harm_nothing(
        graph: Driver, cli_env: dict[str, str], tmp_path: Path) -> None:
    hostile = tmp_path / "hostile.json"
    hostile.write_text(json.dumps(hostile_article(), ensure_ascii=False), encoding="utf-8")

    ingest([NORMAL], cli_env)
    alone, alone_nodes = neighbourhood(graph, NORMAL_ID), nodes(graph)
    assert alone and len(alone_nodes) > 1
    graph.execute_query("MATCH (n) DETACH DELETE n")

    ingest([hostile, NORMAL], cli_env)

    # The normal article lost nothing, and nothing it brought is missing.
    assert neighbourhood(graph, NORMAL_ID) == alone
    assert alone_nodes <= nodes(graph)
    # The hostile one is stored as written, every field.
    record = graph.execute_query(
        "MATCH (a:Article {id: $id}) RETURN a.title AS title, a.summary AS summary, a.text AS text, "
        "a.source AS source, a.url AS url, a.extraction AS extraction", id=HOSTILE_ID).records
    assert len(record) == 1
    stored, given = record[0], hostile_article()
    for key in ("title", "summary", "text", "source", "url"):
        assert stored[key] == given[key], key
    assert stored_graph(stored["extraction"], stored["text"]).article.metadata["note"] == HOSTILE
    # Names and quotes the extractor took from the hostile text are data too: the speaker's
    # name keeps its apostrophe and backtick, and each quote is the exact span of the stored
    # text (one running over paragraphs joins them with a space: cypher/README.md).
    names = [r["name"] for r in graph.execute_query(
        "MATCH (:Article {id: $id})-[:MENTIONS]->(p:Person) RETURN p.name AS name", id=HOSTILE_ID).records]
    assert any("O'Brien-`Khan" in name for name in names), names
    quotes = graph.execute_query(
        "MATCH (q:Quote {article: $id}) RETURN q.text AS text, q.start AS start, q.end AS end",
        id=HOSTILE_ID).records
    assert quotes and any("DETACH DELETE" in q["text"] for q in quotes)
    for q in quotes:
        span = stored["text"][q["start"]:q["end"]]
        assert span == q["text"] or ("\n" in span and _paragraphs_joined(span) == q["text"])
