"""The demo graph: the example articles (examples/articles) as `make demo` loads them.

`ensure_demo_graph` loads them into the test server unless they are all there already (the
ledger skips unchanged articles); a graph holding anything else is wiped first, so tests see
exactly what a newcomer sees after `make demo`.
"""

from __future__ import annotations

from pathlib import Path

from neo4j import Driver

from kg.ingest import ingest

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples" / "articles"


def ensure_demo_graph(driver: Driver) -> Driver:
    summary = ingest([EXAMPLES], driver)
    assert summary.failed == 0, summary.failures
    expected = summary.read - summary.skipped - summary.duplicate
    articles = driver.execute_query("MATCH (a:Article) RETURN count(a) AS n").records[0]["n"]
    if articles != expected:  # other tests' articles are in the graph too
        driver.execute_query("MATCH (n) DETACH DELETE n")
        summary = ingest([EXAMPLES], driver)
        assert summary.failed == 0 and summary.new == expected, summary.as_dict()
    return driver
