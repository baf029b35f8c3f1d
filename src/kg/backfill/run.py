"""`kg backfill`: an archive into a new database, on Dask, through `neo4j-admin database import`.

The stages, and where they run:

1. plan (driver): SOURCES cut into partitions (`kg.backfill.partitions`);
2. map (workers): each partition read, extracted and made into rows (`prepare_partition`);
3. cluster (driver): duplicates decided (the first read is kept, as in `kg ingest`), event
   reports clustered by the rule of `kg ingest` (`kg.backfill.events`), partition by
   partition in input order as the map delivers them: the driver clusters while the workers
   extract, and the stage's time is what is left of it after the map;
4. write (workers): each partition's article-local rows as CSV, the rest spilled by bucket;
5. merge (workers): each bucket's shared rows merged by natural key, as CSV (`kg.backfill.reduce`);
6. import (driver): the managed server's `neo4j-admin database import full`, then the schema
   and what CSV cannot say, on the new database (`kg.neo4j.bulk_import`).

Every article read ends with one outcome, as in `kg ingest`: new, failed, skipped or
duplicate. Bad input is one line naming the file (and line or record) and why; the rest goes
on. The working directory (CSV and spill files) is removed at the end, whatever happens.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import tempfile
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import neo4j

from kg.backfill.csvfiles import SPECIAL_LISTS, Manifest
from kg.backfill.events import EventClusterer
from kg.backfill.partitions import plan
from kg.backfill.prepare import PreparedPartition, prepare_partition, shared_spill, write_partition
from kg.backfill.reduce import write_bucket, write_events
from kg.errors import KgError
from kg.ingest import Outcome
from kg.neo4j.bulk_import import (
    ImportGroup,
    build,
    check_database_name,
    database_exists,
)
from kg.neo4j.schema import apply_schema
from kg.neo4j.server import USER, ManagedServer
from kg.neo4j.statements import fill
from kg.resolve import Aliases, EventReport
from kg.schema import Label, RelType
from kg.sources import ArticleOverrides

STAGES = ("map", "cluster", "write", "merge", "import", "finish")


class BackfillError(KgError):
    """A backfill could not start or finish; the previous database is as it was."""


@dataclass
class BackfillSummary:
    read: int = 0
    new: int = 0
    failed: int = 0
    skipped: int = 0
    duplicate: int = 0
    nodes: int = 0
    relationships: int = 0
    partitions: int = 0
    workers: int = 0
    dropped: Counter[str] = field(default_factory=Counter)
    found: Counter[str] = field(default_factory=Counter)
    seconds: dict[str, float] = field(default_factory=lambda: dict.fromkeys(STAGES, 0.0))
    failures: list[str] = field(default_factory=list)  # "where: why", one per bad item
    skips: list[str] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)  # one per article read, for --report

    def lines(self) -> list[str]:
        out = [f"Articles: {self.read} read, {self.new} new, {self.failed} failed"
               + (f", {self.duplicate} duplicate" if self.duplicate else "")
               + (f", {self.skipped} skipped" if self.skipped else ""),
               f"Graph: {self.nodes} nodes, {self.relationships} relationships imported "
               f"({self.partitions} partitions on {self.workers} workers)"]
        if self.dropped:
            out.append(f"Not loaded (outside the schema): {sum(self.dropped.values())} facts; "
                       + "; ".join(f"{n} × {why}" for why, n in self.dropped.most_common(5)))
        out.append("Time: " + ", ".join(f"{k} {v:.1f}s" for k, v in self.seconds.items()))
        return out

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        del data["outcomes"]
        data["dropped"], data["found"] = dict(self.dropped), dict(self.found)
        data["seconds"] = {k: round(v, 3) for k, v in self.seconds.items()}
        return data


@contextmanager
def dask_client(scheduler: str | None, workers: int) -> Iterator[Any]:
    """A client of the cluster at `scheduler`, or of a LocalCluster of `workers` processes."""
    from dask.distributed import Client, LocalCluster

    if scheduler:
        with Client(scheduler) as client:
            yield client
        return
    # One thread per worker process: extraction and row preparation hold the GIL.
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster, Client(cluster) as client:
        yield client


def backfill(sources: Sequence[str | os.PathLike[str]], server: ManagedServer, *,
             database: str = "neo4j", overwrite: bool = False, scheduler: str | None = None,
             workers: int = 2, glob: str | None = None, aliases: Aliases | None = None,
             overrides: ArticleOverrides | None = None, workdir: Path | None = None,
             report: Path | None = None, keep_csv: Path | None = None) -> BackfillSummary:
    """Build database `database` of the managed `server` from `sources` (see the module docstring).

    Refuses (`BackfillError`) when the database holds data and `overwrite` is not given. With
    `scheduler`, `workdir` must be a directory every worker can read and write. `keep_csv`
    (benchmarks) receives the CSV files and their import groups (`import-groups.json`).
    """
    if not server.is_installed():
        raise BackfillError(f"no managed Neo4j server in {server.home}: a backfill builds the "
                            "database with its neo4j-admin; run `kg neo4j install`")
    check_database_name(server, database)
    if not overwrite and _holds_data(server, database):
        raise BackfillError(f"database {database!r} in {server.home} already exists; "
                            "give --overwrite to replace it (it stays as it is if the backfill "
                            "fails), or use `kg ingest` to add to it")
    summary = BackfillSummary(workers=workers)
    base = workdir or server.home / "import"
    base.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="kg-backfill-", dir=base))
    try:
        manifest = _build_csv(sources, work, summary, scheduler=scheduler, workers=workers,
                              glob=glob, aliases=aliases or Aliases(), overrides=overrides)
        began = time.perf_counter()
        groups = _groups(manifest, work)
        if keep_csv is not None:
            shutil.copytree(work / "csv", keep_csv, dirs_exist_ok=True)
            moved = [{**asdict(g), "header": str(g.header)} for g in groups]
            text = json.dumps(moved).replace(json.dumps(str(work / "csv"))[1:-1],
                                             json.dumps(str(keep_csv))[1:-1])
            (keep_csv / "import-groups.json").write_text(text, encoding="utf-8")
        import_seconds = build(server, database, groups, work,
                               finish=lambda: _finish(server, database, manifest))
        summary.seconds["import"] = import_seconds
        summary.seconds["finish"] = time.perf_counter() - began - import_seconds
        summary.nodes = sum(g.rows for g in manifest.groups.values() if g.kind == "nodes")
        summary.relationships = sum(g.rows for g in manifest.groups.values() if g.kind == "rels")
        if report is not None:
            _write_report(report, summary)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return summary


def _holds_data(server: ManagedServer, database: str) -> bool:
    """Whether the database holds any node (asked of the server when it runs; when it does
    not, a store on disk counts as data)."""
    if not database_exists(server, database):
        return False
    if server.pid() is None:
        return True
    auth = (USER, server.read_password().get_secret_value())
    with neo4j.GraphDatabase.driver(server.bolt_uri, auth=auth) as driver:
        records = driver.execute_query("MATCH (n) RETURN count(n) > 0 AS any LIMIT 1",
                                       database_=database, routing_="r").records
    return bool(records[0]["any"])


def _build_csv(sources: Sequence[str | os.PathLike[str]], work: Path, summary: BackfillSummary,
               *, scheduler: str | None, workers: int, glob: str | None, aliases: Aliases,
               overrides: ArticleOverrides | None) -> Manifest:
    """Stages 1–5: the CSV files of the whole graph in `work`; returns their manifest."""
    try:
        partitions = plan(sources, workers=workers, glob=glob)
    except (OSError, ValueError) as exc:
        raise BackfillError(str(exc)) from exc
    summary.partitions = len(partitions)
    spill, csv_dir = work / "spill", work / "csv"
    spill.mkdir()
    csv_dir.mkdir()
    now = dt.datetime.now(dt.UTC)
    manifest = Manifest()
    with dask_client(scheduler, workers) as client:
        clock = time.perf_counter()
        futures = client.map(prepare_partition, partitions, spill_dir=str(spill), now=now,
                             aliases=aliases, overrides=overrides, pure=False)
        prepared: list[PreparedPartition] = []
        keep: list[set[str]] = []
        first_reads = _FirstReads(summary)
        clusterer = EventClusterer()
        for future in futures:  # in input order, each clustered while the rest are extracted
            part = future.result()
            future.release()  # the workers' copy of the reports goes; the driver's is all it needs
            kept, reports, hierarchy = first_reads.take(part)
            clusterer.add(reports, hierarchy)
            prepared.append(part)
            keep.append(kept)
        summary.seconds["map"] = time.perf_counter() - clock

        clock = time.perf_counter()
        clustering = clusterer.finish()
        manifest.merge(write_events(csv_dir, clustering.properties, clusterer.store.hierarchy()))
        summary.seconds["cluster"] = time.perf_counter() - clock

        clock = time.perf_counter()
        buckets = max(2 * workers, len(partitions))
        written = []
        for part, kept in zip(prepared, keep, strict=True):
            keys = [r.key for r in part.reports if r.article in kept]
            spill_only = replace(part, outcomes=[], articles=[], reports=[], hierarchy=[])
            written.append(client.submit(
                write_partition, spill_only, str(csv_dir), pure=False, keep=kept, buckets=buckets,
                events={k: clustering.events[k] for k in keys},
                explanations={k: clustering.explanations[k] for k in keys
                              if k in clustering.explanations}))
        for part_manifest in client.gather(written):
            manifest.merge(part_manifest)
        summary.seconds["write"] = time.perf_counter() - clock

        clock = time.perf_counter()
        merged = [client.submit(write_bucket, b, [shared_spill(p.spill, b) for p in prepared],
                                str(csv_dir), pure=False) for b in range(buckets)]
        for bucket_manifest in client.gather(merged):
            manifest.merge(bucket_manifest)
        summary.seconds["merge"] = time.perf_counter() - clock
    return manifest


class _FirstReads:
    """Which articles of each partition are written (the first read of each id, as `kg
    ingest` keeps), partition by partition in input order; outcomes recorded as it goes."""

    def __init__(self, summary: BackfillSummary) -> None:
        self.summary = summary
        self.seen: dict[str, tuple[str, str]] = {}  # article id → (where, content hash)

    def take(self, part: PreparedPartition
             ) -> tuple[set[str], list[EventReport], list[tuple[str, str]]]:
        """(the partition's articles kept, their reports, their place hierarchy)."""
        summary, seen = self.summary, self.seen
        for outcome in part.outcomes:
            _record(summary, outcome)
        kept: set[str] = set()
        for article_id, digest, where in part.articles:
            summary.read += 1
            if article_id in seen:
                first, first_digest = seen[article_id]
                content = "the same content" if digest == first_digest else "different content"
                _record(summary, Outcome("duplicate", article_id, where,
                                         f"duplicate id {article_id!r}, first read from {first} "
                                         f"({content}); the first one read is kept"))
                continue
            seen[article_id] = (where, digest)
            kept.add(article_id)
            _record(summary, Outcome("new", article_id, where))
        reports: list[EventReport] = []
        taken = set()
        for report in part.reports:  # the first occurrence's reports, in article order
            if report.article in kept and report.key not in taken:
                taken.add(report.key)
                reports.append(report)
        hierarchy = sorted({(place, parent) for article, place, parent in part.hierarchy
                            if article in kept})
        summary.dropped.update(part.dropped)
        summary.found.update(part.found)
        return kept, reports, hierarchy


def _record(summary: BackfillSummary, outcome: Outcome) -> None:
    summary.outcomes.append(outcome)
    if outcome.status == "failed":
        summary.read += 1
        summary.failed += 1
        summary.failures.append(f"{outcome.origin or outcome.id}: {outcome.error}")
    elif outcome.status == "skipped":
        summary.read += 1
        summary.skipped += 1
        summary.skips.append(f"{outcome.origin or outcome.id}: {outcome.error}")
    elif outcome.status == "duplicate":
        summary.duplicate += 1
        summary.skips.append(f"{outcome.origin or outcome.id}: {outcome.error}")
    else:
        summary.new += 1


def _groups(manifest: Manifest, work: Path) -> list[ImportGroup]:
    headers = manifest.write_headers(work / "csv")
    return [ImportGroup(g.kind, g.name, headers[key], g.files, g.multiline, g.longest)
            for key, g in sorted(manifest.groups.items(), key=lambda kv: (kv[1].kind != "nodes", kv[0]))]


# The lists CSV cannot say ([] and [""]) were written as stand-ins; these put them back.
_RESTORE_NODES = ("MATCH (n:<L>) WHERE n[$prop] = [$stand_in] WITH n LIMIT 10000 "
                  "SET n += $props RETURN count(n) AS restored")
_RESTORE_RELATIONSHIPS = ("MATCH ()-[n:<R>]->() WHERE n[$prop] = [$stand_in] WITH n LIMIT 10000 "
                          "SET n += $props RETURN count(n) AS restored")


def _finish(server: ManagedServer, database: str, manifest: Manifest) -> None:
    """On the new database: the schema, and the lists CSV could not say (`SPECIAL_LISTS`)."""
    auth = (USER, server.read_password().get_secret_value())
    with neo4j.GraphDatabase.driver(server.bolt_uri, auth=auth) as driver:
        apply_schema(driver, database=database)
        with driver.session(database=database) as session:
            for kind, name, prop, stand_in in sorted(manifest.special_lists):
                query = fill(_RESTORE_NODES, L=Label(name)) if kind == "nodes" else \
                    fill(_RESTORE_RELATIONSHIPS, R=RelType(name))
                params = {"prop": prop, "stand_in": stand_in, "props": {prop: SPECIAL_LISTS[stand_in]}}
                # in slices, each a managed transaction: a large graph may hold millions
                while session.execute_write(_restore, query, params):
                    pass


def _restore(tx: neo4j.ManagedTransaction, query: str, params: dict[str, Any]) -> int:
    record = tx.run(query, params).single()
    return int(record["restored"]) if record else 0


def _write_report(path: Path, summary: BackfillSummary) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for outcome in summary.outcomes:
            handle.write(json.dumps(asdict(outcome), ensure_ascii=False) + "\n")
        handle.write(json.dumps({"summary": summary.as_dict()}, ensure_ascii=False) + "\n")
