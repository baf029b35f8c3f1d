"""`kg bench run`: every figure as a ratio against a baseline measured in the same run.

Machines here are shared and noisy, so absolute rates mean little; each stage is timed next
to a baseline on the same input in the same process tree:

- extraction: `Extractor.extract_many` against bare `nlp.pipe` with the same model, and with
  two worker processes against one;
- load: kg's loader against one `execute_write` per node or relationship with MERGE (naive),
  and against plain UNWIND batches of the same rows (bulk: what a batched loader that does
  none of kg's work reaches), all on a warmed-up throw-away Neo4j (never the user's);
- load growth: one more batch into a graph of N articles and of 10 × N;
- end to end: `ingest()` articles/s and the share of wall time per stage, in one process
  and with an extraction worker per core;
- memory: peak RSS of an ingest process at N / 10 and N articles;
- export: kg's streaming N-Triples / Turtle / JSON-LD writers against rdflib's `Graph.add` +
  `serialize`, each in its own process for a clean peak RSS, with a pyoxigraph re-parse that
  must give the same triple set;
- events export: `kg export events` on a graph of 10,000 articles, in seconds and rows/s, and
  its peak RSS against that of a tenth of the graph (`kg.dev.bench.events_export`);
- growth: an incremental ingest of synthetic extraction output (the NLP stage skipped) into
  a graph of `--growth-articles` and of a tenth of it (up to 10k): its coreference cost, load
  cost and peak RSS per article (`kg.dev.bench.growth`);
- backfill: `kg backfill` end to end against extraction alone on the same Dask workers, its
  import step against `neo4j-admin database import` alone, and against the ingest above
  (`kg.dev.bench.backfill`, on a throw-away server of its own);
- hang guards, in seconds rather than ratios: the readers on hostile files
  (`kg.dev.bench.readers`) and installing the installed server again.

Modules: `extraction`, `hostile` (cost by article shape), `suite` (load, ingest, memory, export), `events_export`, `readers`, `report` (targets and
the table), `corpus` (the synthetic articles). Results go to a JSON file (machine, versions, date, every measurement and target).
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import tempfile
import time
from pathlib import Path

import neo4j

from kg.dev.bench.backfill import backfill_targets, measure_backfill
from kg.dev.bench.corpus import write_corpus
from kg.dev.bench.events_export import measure_events_export
from kg.dev.bench.extraction import measure_extraction, read_corpus, words
from kg.dev.bench.growth import GROWTH_LARGE, measure_growth_by_backfill, step_targets
from kg.dev.bench.hostile import measure_hostile
from kg.dev.bench.loader_speed import (
    BULK_ARTICLES,
    loader_targets,
    measure_against_bulk,
    measure_cold_start,
)
from kg.dev.bench.readers import measure_refusals
from kg.dev.bench.report import GROWTH, ProgressFn, Report, machine, targets, versions
from kg.dev.bench.suite import (
    EXPORT_ARTICLES,
    NAIVE_ARTICLES,
    measure_export,
    measure_growth,
    measure_ingest,
    measure_load,
    measure_memory,
    throwaway_server,
)
from kg.errors import KgError

DEFAULT_ARTICLES = 1000
DEFAULT_SEED = 1
# The memory check ingests the corpus and one MEMORY_SCALE times smaller (issue 6: 1k and 10k).
MEMORY_SCALE = 10


def run_suite(articles: int = DEFAULT_ARTICLES, seed: int = DEFAULT_SEED,
              out: Path | None = None, progress: ProgressFn = lambda _: None,
              growth_articles: int = GROWTH_LARGE) -> Report:
    """Run every measurement on a fresh corpus and a throw-away server; write `out` as JSON.

    `growth_articles`: the large graph of the growth steps (`kg.dev.bench.growth`); 0 skips them.
    """
    if articles < NAIVE_ARTICLES * 2:
        raise KgError(f"the benchmark needs at least {NAIVE_ARTICLES * 2} articles")
    began = time.perf_counter()
    report = Report(articles, seed, dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                    machine(), versions())
    work = Path(tempfile.mkdtemp(prefix="kg-bench-"))
    try:
        progress(f"Writing a synthetic corpus of {articles} articles (seed {seed})…")
        corpus = write_corpus(articles, seed, work / "corpus.jsonl")
        # Article i of a seed is the same in every corpus: these are the corpus's first ones.
        small_count = max(articles // MEMORY_SCALE, NAIVE_ARTICLES)
        small = write_corpus(small_count, seed, work / "small.jsonl")
        export_count = min(articles, EXPORT_ARTICLES)
        export_corpus = write_corpus(export_count, seed, work / "export.jsonl")
        docs = read_corpus(corpus)
        report.measurements["corpus"] = {"articles": len(docs), "words": words(docs),
                                         "bytes": corpus.stat().st_size}
        progress("Readers: hostile files refused or read…")
        report.measurements["readers"] = measure_refusals(work)
        report.measurements["extraction"], graphs = measure_extraction(docs, progress)
        report.measurements["hostile"] = measure_hostile(progress)
        with throwaway_server(progress) as server, neo4j.GraphDatabase.driver(
                server.uri, auth=(server.user, server.password)) as driver:
            report.measurements["server"] = {"reinstall_seconds": round(server.reinstall_seconds, 3)}
            report.measurements["load"] = measure_load(driver, graphs, progress)
            report.measurements["loader_bulk"] = measure_against_bulk(driver, BULK_ARTICLES, progress)
            report.measurements["load_growth"] = measure_growth(driver, graphs, GROWTH, progress)
            report.measurements["events_export"] = measure_events_export(server, driver, graphs,
                                                                         progress)
            del graphs
            report.measurements["end_to_end"] = measure_ingest(driver, corpus, articles, progress)
            report.measurements["memory"] = measure_memory(
                server, driver, [(small_count, small), (articles, corpus)], progress)
            report.measurements["export"] = measure_export(server, driver, export_corpus,
                                                           export_count, work, progress)
        # Its own server: a backfill stops and starts the one it builds (kg.dev.bench.backfill).
        report.measurements["backfill"] = measure_backfill(corpus, articles, progress)
        if growth_articles:  # its graphs built by backfill, on a server of its own too
            report.measurements["growth_steps"] = measure_growth_by_backfill(progress, large=growth_articles)
        report.measurements["cold_start"] = measure_cold_start(progress)  # fresh servers of its own
    finally:
        shutil.rmtree(work, ignore_errors=True)
    # The growth, backfill and loader-speed modules judge their own steps
    # (they import `report`, not it them).
    report.targets = [*targets(report.measurements),
                      *step_targets(report.measurements.get("growth_steps")),
                      *backfill_targets(report.measurements),
                      *loader_targets(report.measurements)]  # issue 17; naive per-element is context there
    report.seconds = round(time.perf_counter() - began, 1)
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(report.as_dict(), indent=2) + "\n", encoding="utf-8")
    return report


