"""Two `kg ingest` processes at once, over overlapping inputs, give the graph of one ingest.

The loader serialises load transactions with a lock and MERGEs on ids under uniqueness
constraints; this checks the result from outside, as separate OS processes with their own
drivers would meet in production (a cron job and an analyst, say).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from neo4j import Driver

from kg.cli import main
from tests.neo4j_testing import Neo4jTestServer
from tests.reliability.corpus import EXAMPLES

# Short examples; the middle two are read by both processes. Each process loads spaCy
# (about 10 s), so two processes and a few articles keep this quick on two cores.
FIRST = ["pakistan_ispr_north_waziristan_operation.txt", "manipur_imphal_student_protest.txt",
         "pakistan_dera_ismail_khan_checkpoint_attack.txt"]
SECOND = ["manipur_imphal_student_protest.txt", "pakistan_dera_ismail_khan_checkpoint_attack.txt",
          "borno_malam_fatori_base_attack_afp.txt", "niger_tillaberi_patrol_attack.json"]
HANG_GUARD_SECONDS = 300
KG = Path(sys.executable).with_name("kg")  # the console script installed beside this Python


@pytest.fixture
def cli_env(neo4j_server: Neo4jTestServer) -> dict[str, str]:
    return {"KG_NEO4J_URI": neo4j_server.uri, "KG_NEO4J_USER": neo4j_server.user,
            "KG_NEO4J_PASSWORD": neo4j_server.password}


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
    records = driver.execute_query(
        "MATCH (n) UNWIND labels(n) AS label WITH label, n.id AS id, count(*) AS c WHERE c > 1 "
        "RETURN label, id, c").records
    return [(r["label"], r["id"], r["c"]) for r in records]


@pytest.mark.neo4j
def test_concurrent_ingests_equal_one_ingest_of_the_union(graph: Driver, cli_env: dict[str, str],
                                                          tmp_path: Path) -> None:
    env = {**os.environ, **cli_env}
    runs = []
    for name, files in (("first", FIRST), ("second", SECOND)):
        # One article per transaction: the most interleaving between the two processes.
        args = [str(KG), "ingest", *(str(EXAMPLES / f) for f in files), "--batch-size", "1",
                "--report", str(tmp_path / f"{name}.jsonl")]
        runs.append(subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     text=True))
    for process in runs:
        out, err = process.communicate(timeout=HANG_GUARD_SECONDS)
        assert process.returncode == 0, out + err
        assert "Traceback" not in err
    together = snapshot(graph)
    assert duplicate_ids(graph) == []

    graph.execute_query("MATCH (n) DETACH DELETE n")
    union = sorted(set(FIRST) | set(SECOND))
    result = CliRunner().invoke(main, ["ingest", *(str(EXAMPLES / f) for f in union)], env=cli_env)
    assert result.exit_code == 0, result.output
    alone = snapshot(graph)

    assert together["labels"]["Article"] == len(union)
    assert together == alone
