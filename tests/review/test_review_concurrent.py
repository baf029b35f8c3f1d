"""`kg review` and `kg ingest --force` as separate processes at once lose no correction.

Recording takes the loader's lock and each load reads the corrections under that lock, so a
correction is either seen by the ingest's transaction or applied by the reload that follows it.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from neo4j import Driver

from kg.extract.pipeline import Extractor
from kg.ingest import ingest
from kg.review.service import listing
from tests.neo4j_testing import Neo4jTestServer
from tests.reliability.graphs import KG
from tests.review.test_review_graph import ONE_OF_EACH, PATHS, check_applied

pytestmark = pytest.mark.neo4j
HANG_GUARD_SECONDS = 600


def test_review_while_ingest_runs_loses_nothing(kg: Driver, neo4j_server: Neo4jTestServer,
                                                tmp_path: Path) -> None:
    ingest(PATHS, kg, extractor=Extractor())
    env = {**os.environ, "KG_NEO4J_URI": neo4j_server.uri, "KG_NEO4J_USER": neo4j_server.user,
           "KG_NEO4J_PASSWORD": neo4j_server.password, "KG_ANALYST": "ana"}
    # One article per transaction, twice over: many lock hand-overs between the two processes.
    ingest_run = subprocess.Popen(
        ["sh", "-c", " && ".join([f"{KG} ingest --force --batch-size 1 " + " ".join(map(str, PATHS))] * 2)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    for number, correction in enumerate(ONE_OF_EACH):
        path = tmp_path / f"c{number}.jsonl"
        path.write_text(correction.line() + "\n", encoding="utf-8")
        done = subprocess.run([str(KG), "review", "import", str(path)], env=env, capture_output=True,
                              text=True, timeout=HANG_GUARD_SECONDS, check=False)
        assert done.returncode == 0, done.stdout + done.stderr
    out, err = ingest_run.communicate(timeout=HANG_GUARD_SECONDS)
    assert ingest_run.returncode == 0, out + err
    assert "Traceback" not in err
    assert len(listing(kg)) == len(ONE_OF_EACH)
    check_applied(kg)
