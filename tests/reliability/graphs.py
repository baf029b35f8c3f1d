"""Helpers shared by the reliability tests that compare whole graphs and run `kg` as a process."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path
from typing import Any

from neo4j import Driver

KG = Path(sys.executable).with_name("kg")  # the console script installed beside this Python


def snapshot(driver: Driver) -> dict[str, Any]:
    """The graph, as counts by label and type, node ids, and relationship end points."""
    nodes = driver.execute_query("MATCH (n) RETURN labels(n) AS labels, n.id AS id").records
    rels = driver.execute_query(
        "MATCH (s)-[r]->(t) RETURN type(r) AS type, s.id AS s, t.id AS t, r.key AS key, "
        "r.articles AS articles").records
    return {
        "labels": Counter(label for r in nodes for label in r["labels"]),
        "types": Counter(r["type"] for r in rels),
        "nodes": sorted((":".join(sorted(r["labels"])), r["id"]) for r in nodes),
        "relationships": sorted((r["type"], r["s"], r["t"], str(r["key"]), str(r["articles"]))
                                for r in rels),
    }


def duplicate_ids(driver: Driver) -> list[tuple[str, str, int]]:
    """(label, id, count) for every id held by more than one node of a label."""
    records = driver.execute_query(
        "MATCH (n) UNWIND labels(n) AS label WITH label, n.id AS id, count(*) AS c WHERE c > 1 "
        "RETURN label, id, c").records
    return [(r["label"], r["id"], r["c"]) for r in records]


def article_hashes(driver: Driver) -> list[tuple[str, str]]:
    """(article id, content hash) of every Article node, sorted; repeats show as repeats."""
    records = driver.execute_query(
        "MATCH (a:Article) RETURN a.id AS id, a.content_hash AS hash").records
    return sorted((r["id"], r["hash"]) for r in records)


def empty(driver: Driver) -> None:
    """Remove every node and relationship (the schema stays)."""
    driver.execute_query("MATCH (n) DETACH DELETE n")
