"""The README's examples run as written on the graph `make demo` builds, and show something.

Every command of its `bash` blocks (but the two setup commands and `source`), its Cypher block
and its SPARQL block (over the Turtle file the README's own export writes) are run against the
demo graph: a command that fails, prints nothing or answers with no rows fails the test.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import rdflib
from neo4j import Driver

from tests.demo_graph import EXAMPLES, REPO
from tests.neo4j_testing import Neo4jTestServer

pytestmark = [pytest.mark.neo4j]

README = REPO / "README.md"
_BLOCK = re.compile(r"^```(\w+)\n(.*?)^```", re.M | re.S)
_SETUP = ("make ", "source ")


def blocks(language: str) -> list[str]:
    return [body for lang, body in _BLOCK.findall(README.read_text("utf-8")) if lang == language]


def commands() -> list[str]:
    lines = [line.strip() for body in blocks("bash") for line in body.splitlines()]
    return [line for line in lines if line and not line.startswith(("#", *_SETUP))]


def test_the_readme_has_examples_to_run() -> None:
    found = commands()
    assert any(c.startswith("kg query ") for c in found) and any(c.startswith("kg ingest ") for c in found)
    assert blocks("cypher") and blocks("sparql")


def test_readme_examples_run_on_the_demo_graph(
    neo4j_server: Neo4jTestServer, demo_graph: Driver, tmp_path: Path
) -> None:
    (tmp_path / "examples").symlink_to(EXAMPLES.parent, target_is_directory=True)
    env = {**os.environ,
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
           "KG_NEO4J_URI": neo4j_server.uri, "KG_NEO4J_USER": neo4j_server.user,
           "KG_NEO4J_PASSWORD": neo4j_server.password}
    if neo4j_server.home is not None:
        env["KG_NEO4J_HOME"] = str(neo4j_server.home)
    for command in commands():
        if command.startswith("kg neo4j ") and neo4j_server.home is None:
            continue  # an external test server has no managed home to report on
        done = subprocess.run(["bash", "-c", command], cwd=tmp_path, env=env, capture_output=True,
                              text=True, timeout=900, check=False)
        assert done.returncode == 0, f"{command}\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}"
        written = re.search(r"(?:-o|>)\s+(\S+\.\w+)", command)
        output = done.stdout.strip() or (written and (tmp_path / written.group(1)).read_text("utf-8"))
        assert output, f"{command} printed nothing"
        if command.startswith("kg query ") and "--list" not in command:
            assert len(done.stdout.strip().splitlines()) > (1 if "--format csv" in command else 2), (
                f"{command} shows no rows:\n{done.stdout}")

    for cypher in blocks("cypher"):
        assert demo_graph.execute_query(cypher).records, f"no rows:\n{cypher}"

    turtle = rdflib.Graph().parse(tmp_path / "graph.ttl")
    for sparql in blocks("sparql"):
        assert list(turtle.query(sparql)), f"no rows:\n{sparql}"
