"""Three `kg ingest` processes at once, over overlapping inputs, give the graph of one ingest.

The loader serialises load transactions with a lock and MERGEs on ids under uniqueness
constraints; this checks the result from outside, as separate OS processes with their own
drivers would meet in production (a cron job and an analyst, say).
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from neo4j import Driver

from kg.cli import main
from tests.neo4j_testing import Neo4jTestServer
from tests.reliability.corpus import EXAMPLES
from tests.reliability.graphs import KG, duplicate_ids, snapshot

# Short examples, each read by two or three processes; the third process reads in another
# order and adds a second report of the Borno attack, so events are clustered across processes.
# Each process loads spaCy (about 10 s), so a few articles keep this quick on two cores.
FIRST = ["pakistan_ispr_north_waziristan_operation.txt", "manipur_imphal_student_protest.txt",
         "pakistan_dera_ismail_khan_checkpoint_attack.txt"]
SECOND = ["manipur_imphal_student_protest.txt", "pakistan_dera_ismail_khan_checkpoint_attack.txt",
          "borno_malam_fatori_base_attack_afp.txt", "niger_tillaberi_patrol_attack.json"]
THIRD = ["niger_tillaberi_patrol_attack.json", "borno_malam_fatori_base_attack_local.json",
         "manipur_imphal_student_protest.txt", "pakistan_ispr_north_waziristan_operation.txt"]
HANG_GUARD_SECONDS = 300


@pytest.fixture
def cli_env(neo4j_server: Neo4jTestServer) -> dict[str, str]:
    return {"KG_NEO4J_URI": neo4j_server.uri, "KG_NEO4J_USER": neo4j_server.user,
            "KG_NEO4J_PASSWORD": neo4j_server.password}


@pytest.mark.neo4j
def test_concurrent_ingests_equal_one_ingest_of_the_union(graph: Driver, cli_env: dict[str, str],
                                                          tmp_path: Path) -> None:
    env = {**os.environ, **cli_env}
    runs = []
    for name, files in (("first", FIRST), ("second", SECOND), ("third", THIRD)):
        # One article per transaction: the most interleaving between the processes.
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
    union = sorted(set(FIRST) | set(SECOND) | set(THIRD))
    result = CliRunner().invoke(main, ["ingest", *(str(EXAMPLES / f) for f in union)], env=cli_env)
    assert result.exit_code == 0, result.output
    alone = snapshot(graph)

    assert together["labels"]["Article"] == len(union)
    assert together == alone
