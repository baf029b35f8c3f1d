"""Growth: what one more incremental `kg ingest` costs per article as the graph grows (issues
17 and 19), on synthetic extraction output (`kg.dev.bench.synthetic`, the NLP stage skipped).

The graph is built to `small` articles, a step of `step` more articles is ingested and timed,
the graph is built to `large` articles and a step of as many new articles timed again
(`kg bench run --growth-articles N`: N is `large`). `kg bench run` builds each graph with `kg
backfill` (`measure_growth_by_backfill`), as an archive is built; `measure_growth_steps` alone
builds it with kg's loader, article by article. Each step is a real `kg.ingest.ingest` (read →
ledger → resolve → load) in a fresh interpreter, so its peak RSS is its own; inside it, the
resolve stage's event coreference (`kg.resolve.event_identity.settle_events`, which the loader
calls in every load transaction) is timed on its own, and the stored reports it reads as
candidates and the reports it clusters (the new ones and the connected component of matches
they reach) are counted.

The targets: per-article coreference cost at `large` ≤ 1.3 × at `small` (issue 19: the
candidate look-up is index-backed), per-article load cost likewise (issue 17), and the step's
peak RSS flat.
"""

from __future__ import annotations

import json
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import neo4j

from kg.dev.bench.report import ProgressFn, Target, peak_rss_mib, rate
from kg.dev.bench.synthetic import articles_jsonl, graphs
from kg.errors import KgError

# The default keeps `make bench` within about half an hour on two cores: the issues' sizes
# take longer (`--growth-articles 100000`, 10k against 100k: 30 min here, 22 of them the
# 100k backfill; 1000000, 10k against a million: about four hours of backfill).
GROWTH_LARGE = 20_000
GROWTH_SMALL_MAX = 10_000
GROWTH_STEP_MAX = 10_000
GROWTH_SEED = 17
GROWTH_RATIO = 1.3
GROWTH_MEMORY = 1.2


@contextmanager
def coreference_clock() -> Iterator[dict[str, Any]]:
    """Time spent in event coreference by the loader, and the stored reports it read.

    The loader's own `settle_events` is wrapped (and restored afterwards): what is timed is
    the real call in every load transaction, its graph reads included.
    """
    import kg.neo4j.event_reports as event_reports
    import kg.neo4j.loader as loader
    import kg.resolve.event_identity as identity
    from kg.neo4j.event_reports import GraphReports

    tally: dict[str, Any] = {"seconds": 0.0, "calls": 0, "candidates": 0, "clustered": 0}
    by_query: Counter[str] = Counter()  # stored reports read, per look-up
    tally["by_query"] = by_query
    settle, read, cluster = loader.settle_events, GraphReports._reports, identity.settle_reports
    inside = False

    def counted_cluster(reports: Any, ancestors: Any) -> Any:
        reports = list(reports)
        tally["clustered"] += len(reports)
        return cluster(reports, ancestors)

    def timed_settle(*args: Any, **kwargs: Any) -> Any:
        nonlocal inside
        started, inside = time.perf_counter(), True
        try:
            return settle(*args, **kwargs)
        finally:
            inside = False
            tally["seconds"] += time.perf_counter() - started
            tally["calls"] += 1

    names = {text: name for name, text in vars(event_reports).items() if name.isupper() and isinstance(text, str)}

    def counted_read(self: GraphReports, query: str, **params: Any) -> Any:
        found = read(self, query, **params)
        if inside:
            tally["candidates"] += len(found)
            by_query[names.get(query, "other")] += len(found)
        return found

    loader.settle_events = timed_settle
    GraphReports._reports = counted_read  # type: ignore[method-assign]
    identity.settle_reports = counted_cluster
    try:
        yield tally
    finally:
        loader.settle_events = settle
        GraphReports._reports = read  # type: ignore[method-assign]
        identity.settle_reports = cluster


def child_step(seed: str, path: str) -> None:
    """In a subprocess: `ingest()` the synthetic articles of `path`; print one JSON line."""
    from kg.dev.bench.suite import child_driver
    from kg.dev.bench.synthetic import ReplayExtractor
    from kg.ingest import ingest

    with child_driver() as driver, coreference_clock() as coref:
        started = time.perf_counter()
        summary = ingest([path], driver, extractor=ReplayExtractor(int(seed)))
        seconds = time.perf_counter() - started
    print(json.dumps({"articles": summary.read, "new": summary.new, "failed": summary.failed,
                      "seconds": round(seconds, 2), "load_seconds": round(summary.seconds["load"], 2),
                      "coreference_seconds": round(coref["seconds"], 2),
                      "coreference_calls": coref["calls"], "candidates_read": coref["candidates"],
                      "candidates_by_look_up": dict(sorted(coref["by_query"].items())),
                      "reports_clustered": coref["clustered"],
                      "peak_rss_mib": peak_rss_mib()}))


def build(driver: neo4j.Driver, seed: int, start: int, stop: int, progress: ProgressFn) -> float:
    """Load synthetic articles `start` … `stop - 1` (streamed) with kg's loader; seconds taken."""
    from kg.neo4j.loader import load

    began = time.perf_counter()
    chunk = 10_000
    for first in range(start, stop, chunk):
        last = min(stop, first + chunk)
        progress(f"Growth: loading synthetic articles {first:,}–{last:,}…")
        load(driver, graphs(seed, first, last))
    return time.perf_counter() - began


def measure_growth_steps(server: Any, driver: neo4j.Driver, progress: ProgressFn, *,
                         large: int = GROWTH_LARGE, small: int | None = None, step: int | None = None,
                         seed: int = GROWTH_SEED,
                         built: Callable[[int], float] | None = None) -> dict[str, Any]:
    """Build the graph to `small` articles, time a step, build on to `large`, time a step.

    By default `small` is a tenth of `large` up to 10,000 and `step` a twentieth up to 10,000
    (issue 19: 10k against 100k; issue 17: a 10k ingest into 10k and into a million).
    `built(n)`, when given, builds the graph to `n` articles instead of kg's loader (a backfill).
    Starts from an empty graph; leaves the `large + step` graph behind.
    """
    small = small or min(GROWTH_SMALL_MAX, max(1, large // 10))
    step = step or min(GROWTH_STEP_MAX, max(1, large // 20))
    from kg.dev.bench.suite import _empty, _size, run_child
    from kg.neo4j.schema import apply_schema

    _empty(driver)
    apply_schema(driver)
    code = "import sys; from kg.dev.bench.growth import child_step; child_step(*sys.argv[1:])"
    steps: dict[str, Any] = {}
    build_seconds = 0.0
    have = 0
    with tempfile.TemporaryDirectory(prefix="kg-growth-") as work:
        for size in (small, large):
            build_seconds += built(size) if built else build(driver, seed, have, size, progress)
            nodes, rels = _size(driver)
            path = articles_jsonl(seed, size, size + step, Path(work) / f"step-{size}.jsonl")
            progress(f"Growth: ingesting {step:,} more articles into a graph of {size:,}…")
            run = run_child(code, server, str(seed), str(path))
            run.update(graph_articles=size, graph_nodes=nodes, graph_relationships=rels,
                       load_ms_per_article=round(1000 * run["load_seconds"] / step, 3),
                       coreference_ms_per_article=round(1000 * run["coreference_seconds"] / step, 3),
                       candidates_per_article=round(run["candidates_read"] / step, 2),
                       clustered_per_article=round(run["reports_clustered"] / step, 2),
                       articles_per_s=rate(step, run["seconds"]))
            steps[str(size)] = run
            have = size + step
    low, high = steps[str(small)], steps[str(large)]
    return {
        "seed": seed, "step_articles": step, "small": small, "large": large, "steps": steps,
        "build_articles_per_s": rate(large + step, build_seconds),
        "coreference_ratio": _ratio(high["coreference_seconds"], low["coreference_seconds"]),
        "load_ratio": _ratio(high["load_seconds"], low["load_seconds"]),
        "memory_ratio": _ratio(high["peak_rss_mib"], low["peak_rss_mib"]),
    }


def measure_growth_by_backfill(progress: ProgressFn, *, large: int = GROWTH_LARGE,
                               small: int | None = None, step: int | None = None,
                               seed: int = GROWTH_SEED, workers: int = 2) -> dict[str, Any]:
    """`measure_growth_steps` on a throw-away server of its own, each graph built by `kg
    backfill` of synthetic extraction output (issue 17: "a graph built by backfill"), as an
    archive would be; the steps are `kg ingest` on top. kg's loader would build a 100k graph
    in hours on two cores, the backfill in minutes. A backfill stops and starts the server it
    builds, hence a server apart from the suite's."""
    from kg.backfill import backfill
    from kg.dev.bench.backfill import throwaway_home
    from kg.dev.bench.suite import Server
    from kg.dev.bench.synthetic import graphs_jsonl

    with throwaway_home(progress) as home, tempfile.TemporaryDirectory(prefix="kg-growth-") as work:
        home.start()
        server = Server(home.bolt_uri, "neo4j", home.read_password().get_secret_value())

        def built(size: int) -> float:
            progress(f"Growth: a backfill of {size:,} synthetic articles…")
            path = graphs_jsonl(seed, 0, size, Path(work) / f"graphs-{size}.jsonl")
            began = time.perf_counter()
            done = backfill([path], home, overwrite=True, workers=workers)
            seconds = time.perf_counter() - began
            path.unlink()
            if done.failed:
                raise KgError(f"growth: the backfill of {size:,} synthetic articles failed: "
                              f"{done.failures[:3]}")
            return seconds  # the server runs again, on the new database

        with neo4j.GraphDatabase.driver(server.uri, auth=(server.user, server.password)) as driver:
            measured = measure_growth_steps(server, driver, progress, large=large, small=small,
                                            step=step, seed=seed, built=built)
    measured["built_by"] = f"kg backfill, {workers} Dask workers"
    return measured


def _ratio(high: float, low: float) -> float | None:
    return round(high / low, 3) if low > 0 else None


def step_targets(run: dict[str, Any] | None) -> list[Target]:
    """Issue 19 (coreference) and issue 17 (load, memory) from `measure_growth_steps`."""
    if not run:
        return [Target("coreference per article, 100k vs 10k graph", None, GROWTH_RATIO, "<="),
                Target("load per article, 100k vs 10k graph", None, GROWTH_RATIO, "<="),
                Target("ingest peak RSS, 100k vs 10k graph", None, GROWTH_MEMORY, "<=")]
    low, high = run["steps"][str(run["small"])], run["steps"][str(run["large"])]
    sizes = f"{_short(run['large'])} vs {_short(run['small'])} graph"
    step = f"a {run['step_articles']:,}-article ingest"
    return [
        Target(f"coreference per article, {sizes}", run["coreference_ratio"], GROWTH_RATIO, "<=",
               note=f"{step}: {high['coreference_ms_per_article']:g} vs {low['coreference_ms_per_article']:g} "
                    f"ms/article; {high['candidates_per_article']:g} vs {low['candidates_per_article']:g} "
                    "stored reports read per article; "
                    f"{high['clustered_per_article']:g} vs {low['clustered_per_article']:g} reports "
                    "clustered per article"),
        Target(f"load per article, {sizes}", run["load_ratio"], GROWTH_RATIO, "<=",
               note=f"{step}: {high['load_ms_per_article']:g} vs {low['load_ms_per_article']:g} ms/article"),
        Target(f"ingest peak RSS, {sizes}", run["memory_ratio"], GROWTH_MEMORY, "<=",
               note=f"{step}: {high['peak_rss_mib']:g} vs {low['peak_rss_mib']:g} MiB"),
    ]


def _short(n: int) -> str:
    return f"{n // 1_000_000}M" if n % 1_000_000 == 0 else f"{n // 1000}k" if n % 1000 == 0 else f"{n:,}"
