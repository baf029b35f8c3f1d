"""Backfill benchmark (issue 17): `kg backfill` end to end against the references beside it.

On one corpus of synthetic articles (`kg.dev.bench.corpus`, NLP included) and one Dask
LocalCluster size, in one run:

- extraction only: the same partitions read and extracted on the same workers, nothing else
  (the rate a backfill cannot beat); backfill end to end must reach 0.9× its rate, i.e. the
  reduce, the CSV and the import add at most a tenth;
- the import step: the backfill's `neo4j-admin database import full`, against the same tool
  run alone on the same CSV files (≥ 0.9×);
- `kg ingest` end to end with an extraction worker per core on the same machine: the backfill
  must be ≥ 1.2× faster. `kg bench run` takes the ingest figure its suite measured on the same
  corpus; run alone, this module measures it too.

Each backfill builds the database of a throw-away managed server. Run alone at any size:

    python -m kg.dev.bench.backfill --articles 100000 --out bench/results/backfill-100k.json
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from kg.dev.bench.report import ProgressFn, Target, rate
from kg.errors import KgError

WORKERS = 2
DEFAULT_ARTICLES = 1000
TARGET_VS_EXTRACTION = 0.9
TARGET_IMPORT_VS_ALONE = 0.9
TARGET_VS_INGEST = 1.2


def extract_only(partition: Any) -> int:
    """The map step's reading and extraction alone: the articles of one partition extracted."""
    from kg.backfill.partitions import read_partition
    from kg.backfill.prepare import _extractor
    from kg.models import Article

    articles = [item for _, item in read_partition(partition) if isinstance(item, Article)]
    return sum(1 for _ in _extractor().extract_results(articles))


@contextmanager
def throwaway_home(progress: ProgressFn) -> Iterator[Any]:
    """A managed server in a temporary home (a backfill stops and starts it), then deleted."""
    from kg.neo4j.processes import free_port
    from kg.neo4j.server import ManagedServer

    home = Path(tempfile.mkdtemp(prefix="kg-bench-backfill-"))
    server = ManagedServer(home)
    try:
        progress("Backfill: a throw-away Neo4j server…")
        server.install(bolt_port=free_port(), http_port=free_port(), heap="1g",
                       pagecache="512m",
                       extra_conf={"internal.dbms.bolt.netty_server_shutdown_quiet_period": "0"})
        yield server
    finally:
        try:
            server.stop()
        finally:
            shutil.rmtree(home, ignore_errors=True)


def measure_backfill(corpus: Path, count: int, progress: ProgressFn, *, workers: int = WORKERS,
                     measure_ingest: bool = False) -> dict[str, Any]:
    """The three comparisons of the module docstring on `corpus` (`count` articles)."""
    from kg.backfill import backfill, plan
    from kg.backfill.run import dask_client
    from kg.neo4j.bulk_import import ImportGroup, run_import, store_dirs

    result: dict[str, Any] = {"articles": count, "workers": workers}
    with throwaway_home(progress) as server:
        progress(f"Backfill: extraction only of {count} articles on {workers} Dask workers…")
        began = time.perf_counter()
        with dask_client(None, workers) as client:
            partitions = plan([corpus], workers=workers)
            extracted = sum(client.gather(client.map(extract_only, partitions, pure=False)))
        seconds = time.perf_counter() - began
        result["extraction_only"] = {"seconds": round(seconds, 2), "articles": extracted,
                                     "articles_per_s": rate(extracted, seconds)}

        progress(f"Backfill: kg backfill of {count} articles end to end…")
        csv = Path(tempfile.mkdtemp(prefix="kg-bench-backfill-csv-"))
        try:
            began = time.perf_counter()
            summary = backfill([corpus], server, overwrite=True, workers=workers, keep_csv=csv)
            seconds = time.perf_counter() - began
            if summary.failed:
                raise KgError(f"backfill failed on {summary.failed} articles: {summary.failures[:3]}")
            result["backfill"] = {
                "seconds": round(seconds, 2), "articles": summary.new,
                "articles_per_s": rate(summary.new, seconds), "nodes": summary.nodes,
                "relationships": summary.relationships, "partitions": summary.partitions,
                "stage_seconds": {k: round(v, 2) for k, v in summary.seconds.items()}}

            progress("Backfill: neo4j-admin database import of the same CSV files alone…")
            server.stop()
            for path in store_dirs(server, "neo4j"):
                shutil.rmtree(path, ignore_errors=True)
            groups = [ImportGroup(g["kind"], g["name"], Path(g["header"]), g["files"],
                                  g["multiline"], g["longest_row"])
                      for g in json.loads((csv / "import-groups.json").read_text())]
            alone = run_import(server, "neo4j", groups, csv)
        finally:
            shutil.rmtree(csv, ignore_errors=True)
        elements = summary.nodes + summary.relationships
        result["import_alone"] = {"seconds": round(alone, 2),
                                  "elements_per_s": rate(elements, alone)}
        result["import_step"] = {"seconds": round(summary.seconds["import"], 2),
                                 "elements_per_s": rate(elements, summary.seconds["import"])}
        if measure_ingest:
            result["ingest"] = _ingest(server, corpus, workers, progress)
    result["vs_extraction"] = round(result["backfill"]["articles_per_s"]
                                    / result["extraction_only"]["articles_per_s"], 3)
    result["import_vs_alone"] = round(alone / summary.seconds["import"], 3)
    if "ingest" in result:
        result["vs_ingest"] = round(result["backfill"]["articles_per_s"]
                                    / result["ingest"]["articles_per_s"], 3)
    return result


def _ingest(server: Any, corpus: Path, workers: int, progress: ProgressFn) -> dict[str, Any]:
    import neo4j

    from kg.ingest import ingest

    progress(f"Backfill: kg ingest of the same corpus, {workers} extraction processes…")
    server.start()
    with neo4j.GraphDatabase.driver(server.bolt_uri, auth=(
            "neo4j", server.read_password().get_secret_value())) as driver:
        from kg.dev.bench.suite import _empty

        _empty(driver)
        began = time.perf_counter()
        summary = ingest([corpus], driver, n_process=workers)
        seconds = time.perf_counter() - began
    return {"seconds": round(seconds, 2), "articles": summary.new,
            "articles_per_s": rate(summary.new, seconds)}


def backfill_targets(m: dict[str, Any]) -> list[Target]:
    """The issue-17 backfill targets, from `measure_backfill` (and the suite's ingest run)."""
    run = m.get("backfill")
    vs_ingest = run and run.get("vs_ingest")
    if run and vs_ingest is None and m.get("end_to_end"):
        ingest = m["end_to_end"].get("all_cores") or {}
        if ingest.get("articles_per_s"):
            vs_ingest = round(run["backfill"]["articles_per_s"] / ingest["articles_per_s"], 3)
    note = (f"{run['articles']} articles, {run['workers']} workers" if run else "")
    return [
        Target("backfill end to end vs extraction only", run and run["vs_extraction"],
               TARGET_VS_EXTRACTION, ">=", note=note),
        Target("backfill import step vs neo4j-admin alone", run and run["import_vs_alone"],
               TARGET_IMPORT_VS_ALONE, ">=", note=note),
        Target("backfill vs kg ingest end to end", vs_ingest, TARGET_VS_INGEST, ">=", note=note),
    ]


def main() -> None:
    from kg.dev.bench.corpus import write_corpus

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=DEFAULT_ARTICLES)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=WORKERS)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="kg-bench-backfill-corpus-"))
    try:
        corpus = write_corpus(args.articles, args.seed, work / "corpus.jsonl")
        measured = measure_backfill(corpus, args.articles, print, workers=args.workers,
                                    measure_ingest=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    report = {"backfill": measured,
              "targets": [t.as_dict() for t in backfill_targets({"backfill": measured})]}
    text = json.dumps(report, indent=2)
    if args.out is not None:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text + "\n", encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
