"""`make bench`: `kg export events` on a graph of 10,000 synthetic articles (issue 16).

Measured after the load-growth step, whose graph already holds about 10.5 × the corpus; with
a smaller corpus it is topped up with more clones first. Each export runs in its own process
(`child_events_export`), so its peak RSS is its own: the whole graph as CSV and as Parquet,
and the tenth of it up to a date as CSV; memory is flat when the whole-graph export peaks no
higher than the tenth's (within 20 %).
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import neo4j

from kg.dev.bench.report import EVENTS_EXPORT_ARTICLES, GROWTH, ProgressFn, peak_rss_mib, rate
from kg.dev.bench.suite import Server, child_driver, clone, run_child
from kg.models import ArticleGraph

_CODE = ("import sys; from kg.dev.bench.events_export import child_events_export; "
         "child_events_export(*sys.argv[1:])")


def child_events_export(fmt: str, out: str, until: str = "") -> None:
    """In a subprocess: one `export_events`, print rows, seconds, rows/s and peak RSS."""
    from kg.export.events import EventFilters
    from kg.export.tables import export_events

    filters = EventFilters(until=dt.date.fromisoformat(until) if until else None)
    with child_driver() as driver:
        started = time.perf_counter()
        result = export_events(driver, out, fmt=fmt, filters=filters)
        seconds = time.perf_counter() - started
    print(json.dumps({"format": fmt, "rows": result.rows, "seconds": round(seconds, 3),
                      "rows_per_s": rate(result.rows, seconds), "peak_rss_mib": peak_rss_mib(),
                      "bytes": Path(out).stat().st_size}))


def _count(driver: neo4j.Driver, query: str) -> int:
    return int(driver.execute_query(query, routing_="r").records[0]["n"])


def measure_events_export(server: Server, driver: neo4j.Driver, graphs: Sequence[ArticleGraph],
                          progress: ProgressFn) -> dict[str, Any]:
    """Top the graph up to EVENTS_EXPORT_ARTICLES articles, then time the exports."""
    from kg.neo4j.loader import load

    articles = _count(driver, "MATCH (a:Article) RETURN count(a) AS n")
    copy = GROWTH + 2  # the copies load growth has not used
    while articles < EVENTS_EXPORT_ARTICLES and graphs:
        progress(f"Events export: growing the graph to {EVENTS_EXPORT_ARTICLES} articles "
                 f"({articles} so far)…")
        load(driver, (clone(g, copy) for g in graphs))
        articles = _count(driver, "MATCH (a:Article) RETURN count(a) AS n")
        copy += 1
    events = _count(driver, "MATCH (e:Event) WHERE NOT coalesce(e.background, false) "
                            "RETURN count(e) AS n")
    dates = driver.execute_query(
        "MATCH (e:Event) WHERE e.date IS NOT NULL AND NOT coalesce(e.background, false) "
        "RETURN e.date AS d ORDER BY d", routing_="r").records
    tenth = str(dates[len(dates) // 10]["d"]) if dates else ""
    runs: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="kg-bench-events-") as work:
        progress("Events export: warming the server's caches…")
        run_child(_CODE, server, "csv", str(Path(work) / "warm.csv"))
        for name, fmt, until in (("csv", "csv", ""), ("parquet", "parquet", ""),
                                 ("csv_tenth", "csv", tenth)):
            progress(f"Events export: {name} of {articles} articles…")
            runs[name] = run_child(_CODE, server, fmt, str(Path(work) / f"{name}.{fmt}"), until)
    return {"articles": articles, "events": events, "runs": runs,
            "seconds": runs["csv"]["seconds"], "rows_per_s": runs["csv"]["rows_per_s"],
            "memory_growth": round(runs["csv"]["peak_rss_mib"] / runs["csv_tenth"]["peak_rss_mib"], 3)}
