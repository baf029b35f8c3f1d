"""`kg ingest`: read → ledger check → extract → resolve → load, streaming in batches.

Articles flow through in batches of `batch_size`: the ledger is checked before extraction (so
unchanged articles cost one look-up), the rest are extracted, re-keyed by the alias file and
loaded in one transaction per batch. Memory stays flat however many files are read. Every
article ends with one status — new, updated, unchanged, duplicate (seen earlier in this run),
failed (with where and why) or, in a dry run, extracted — and the summary adds the database's
counters and the time spent in each stage.
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections import Counter, deque
from collections.abc import Iterable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, dataclass, field
from itertools import chain, islice
from pathlib import Path
from typing import IO, Any, Protocol, TypeVar

import neo4j
from neo4j.exceptions import ClientError

from kg.config import DEFAULT_BATCH_SIZE
from kg.errors import ExtractionError, LoadError, ReadError, SchemaError
from kg.models import Article, ArticleGraph
from kg.neo4j.loader import ledger, load_batch
from kg.neo4j.results import LoadResult
from kg.neo4j.schema import apply_schema
from kg.resolve import Aliases
from kg.schema import RelType
from kg.sources import ArticleOverrides, ReadFailure, read_paths

# "schema": applying cypher/schema.cypher before anything is read (seconds on a new database,
# where creating the constraints and indexes is the first load's largest cost).
STAGES = ("schema", "read", "ledger", "extract", "resolve", "load")
logger = logging.getLogger("kg.ingest")
T = TypeVar("T")


class ExtractorLike(Protocol):
    """What ingest needs of `kg.extract.pipeline.Extractor` (tests pass their own)."""

    version: str

    def extract_many(self, articles: Iterable[Article], *, n_process: int = 1,
                     batch_size: int | None = None) -> Iterator[ArticleGraph]: ...


@dataclass
class Outcome:
    """What happened to one article (a line of `--report`)."""

    status: str
    id: str | None = None
    origin: str | None = None
    error: str | None = None


@dataclass
class IngestSummary:
    read: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicate: int = 0
    failed: int = 0
    skipped: int = 0  # not extracted: in a language kg does not extract
    extracted: int = 0  # extracted this run (and loaded, unless a dry run)
    reloaded: int = 0  # other articles re-derived because an Event was re-keyed
    nodes_created: int = 0
    nodes_deleted: int = 0
    relationships_created: int = 0
    relationships_deleted: int = 0
    dropped: Counter[str] = field(default_factory=Counter)
    seconds: dict[str, float] = field(default_factory=lambda: dict.fromkeys(STAGES, 0.0))
    failures: list[str] = field(default_factory=list)
    # Articles read but not extracted or loaded, each "where: why" (duplicates, other languages).
    skips: list[str] = field(default_factory=list)
    dry_run: bool = False
    # What the extracted articles hold: events by type, figures, quotes, claims of
    # responsibility, entities by label; and why articles were skipped.
    events: Counter[str] = field(default_factory=Counter)
    found: Counter[str] = field(default_factory=Counter)
    entities: Counter[str] = field(default_factory=Counter)
    skip_reasons: Counter[str] = field(default_factory=Counter)

    def add_found(self, graph: ArticleGraph) -> None:
        """Count what one extracted article holds, for the closing summary."""
        self.extracted += 1
        self.events.update(event.type.value for event in graph.events)
        self.found.update(figures=len(graph.figures), quotes=len(graph.quotes), claims=sum(
            r.type is RelType.CLAIMED_RESPONSIBILITY for r in graph.relations))
        self.entities.update(entity.type.label.value for entity in graph.entities)

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for name in ("dropped", "events", "found", "entities", "skip_reasons"):
            data[name] = dict(getattr(self, name))
        data["seconds"] = {k: round(v, 3) for k, v in self.seconds.items()}
        return data

    def lines(self) -> list[str]:
        """The human summary `kg ingest` prints."""
        articles = (f"Articles: {self.read} read, {self.new} new, {self.updated} updated, "
                    f"{self.unchanged} unchanged, {self.failed} failed")
        if self.duplicate:
            articles += f", {self.duplicate} duplicate"
        if self.skipped:
            articles += f", {self.skipped} skipped"
        if self.dry_run:
            articles += f"; dry run: {self.extracted} extracted, nothing loaded"
        out = [articles]
        if self.extracted:
            out.append(self._found_line())
        out.extend(f"Skipped: {n} × {why}" for why, n in self.skip_reasons.most_common())
        if not self.dry_run:
            out.append(self._graph_line())
        if self.reloaded:
            out.append(f"Events re-keyed: {self.reloaded} earlier articles re-derived")
        if self.dropped:
            out.append(f"Not loaded (outside the schema): {sum(self.dropped.values())} facts; "
                       + "; ".join(f"{n} × {why}" for why, n in self.dropped.most_common(5)))
        out.append("Time: " + ", ".join(f"{k} {v:.1f}s" for k, v in self.seconds.items()))
        return out

    def _found_line(self) -> str:
        events = sum(self.events.values())
        by_type = ", ".join(f"{n} {kind}" for kind, n in self.events.most_common(6))
        more = ", …" if len(self.events) > 6 else ""
        entities = ", ".join(f"{n} {label}" for label, n in self.entities.most_common())
        return (f"Found in {self.extracted} article(s): {events} events"
                + (f" ({by_type}{more})" if events else "")
                + f", {self.found['figures']} figures, {self.found['quotes']} quotes, "
                f"{self.found['claims']} claims of responsibility"
                + (f"; entities, counted per article: {entities}" if entities else ""))

    def _graph_line(self) -> str:
        """Created and removed counts; what a reloaded article puts back is "replaced"."""
        parts = []
        for what, created, deleted in (("nodes", self.nodes_created, self.nodes_deleted),
                                       ("relationships", self.relationships_created,
                                        self.relationships_deleted)):
            replaced = min(created, deleted)
            text = f"{created - replaced} {what} added"
            if replaced:
                text += f", {replaced} replaced"
            if deleted > replaced:
                text += f", {deleted - replaced} removed"
            parts.append(text)
        return "Graph: " + "; ".join(parts)

    def add_load(self, result: LoadResult) -> None:
        self.new += len(result.new)
        self.updated += len(result.updated)
        self.unchanged += len(result.unchanged)
        self.reloaded += len(result.reloaded)
        self.nodes_created += result.counts.nodes_created
        self.nodes_deleted += result.counts.nodes_deleted
        self.relationships_created += result.counts.relationships_created
        self.relationships_deleted += result.counts.relationships_deleted
        self.dropped.update(result.dropped)


class _Clock:
    """Seconds per stage, exclusive: time a stage spends pulling from the one before it (the
    extractor reading its input, say) is counted for that earlier stage."""

    def __init__(self, seconds: dict[str, float], on_stage: Any = None) -> None:
        self.seconds = seconds
        self.stack: list[str] = []
        self.mark = time.perf_counter()
        self.on_stage = on_stage  # told each stage entered, for the progress display

    def _switch(self) -> None:
        now = time.perf_counter()
        if self.stack:
            self.seconds[self.stack[-1]] += now - self.mark
        self.mark = now

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        self._switch()
        self.stack.append(name)
        if self.on_stage is not None:
            self.on_stage(name)
        try:
            yield
        finally:
            self._switch()
            self.stack.pop()

    def pulled(self, name: str, items: Iterator[T]) -> Iterator[T]:
        """`items`, with the time spent producing each one counted for stage `name`."""
        while True:
            with self.stage(name):
                try:
                    item = next(items)
                except StopIteration:
                    return
            yield item


class _Run:
    """One ingest: its counters, clock, report file and progress display."""

    def __init__(self, summary: IngestSummary, report: IO[str] | None, fail_fast: bool,
                 progress: Any) -> None:
        self.summary = summary
        self.clock = _Clock(summary.seconds, self._show_stage if progress else None)
        self.report = report
        self.fail_fast = fail_fast
        self.progress = progress
        self.stage = "read"
        self.task = progress.add_task("read", total=None, done=0) if progress else None

    def _show_stage(self, stage: str) -> None:
        if stage != self.stage:
            self.stage = stage
            self._show()

    def _show(self) -> None:
        s = self.summary
        done = s.new + s.updated + s.unchanged + s.failed + s.skipped + s.duplicate
        if s.dry_run:
            done += s.extracted
        self.progress.update(self.task, completed=done, description=(
            f"{done} article(s) done, {s.read} read · {self.stage} · "
            f"{s.extracted} extracted: {sum(s.events.values())} events, "
            f"{s.found['figures']} figures, {s.found['quotes']} quotes"))

    def record(self, outcome: Outcome) -> None:
        if self.report is not None:
            self.report.write(json.dumps(asdict(outcome), ensure_ascii=False) + "\n")
        if self.progress is not None:
            self._show()

    def fail(self, outcome: Outcome, error: Exception) -> None:
        self.summary.failed += 1
        self.summary.failures.append(f"{outcome.origin or outcome.id}: {outcome.error}")
        self.record(outcome)
        if self.fail_fast:
            raise error


def ingest(paths: Sequence[str | os.PathLike[str]], driver: neo4j.Driver | None, *,
           force: bool = False, dry_run: bool = False, n_process: int = 1,
           report: Path | None = None, glob: str | None = None, stdin_format: str = "auto",
           overrides: ArticleOverrides | None = None, aliases: Aliases | None = None,
           extractor: ExtractorLike | None = None, batch_size: int = DEFAULT_BATCH_SIZE,
           fail_fast: bool = False, progress: bool = False,
           database: str | None = None) -> IngestSummary:
    """Ingest every article under `paths` into the graph behind `driver`.

    `dry_run` reads, checks the ledger (when `driver` is given) and extracts, but loads
    nothing. `force` re-extracts and reloads unchanged articles. `stdin_format` is the format
    of `-` (see `read_paths`). `report` receives one JSON line per article and a last line
    with the summary. With `fail_fast` the first failure is raised (batches loaded before it
    stay loaded); otherwise failures are counted and listed.
    The extractor sees one stream of articles, so `n_process` workers start once.
    """
    summary = IngestSummary(dry_run=dry_run)
    aliases = aliases or Aliases()
    if driver is not None and not dry_run:
        started = time.perf_counter()
        _apply_schema(driver, database)
        summary.seconds["schema"] = time.perf_counter() - started
    with ExitStack() as stack:
        report_file = stack.enter_context(report.open("w", encoding="utf-8")) if report else None
        display = None
        if progress:
            from rich.progress import (
                BarColumn,
                Progress,
                SpinnerColumn,
                TaskProgressColumn,
                TextColumn,
                TimeElapsedColumn,
            )

            # Articles stream in (a JSONL file, a directory): no total is known ahead, so the
            # bar pulses and the rate is articles done per second.
            display = stack.enter_context(Progress(
                SpinnerColumn(), BarColumn(bar_width=20), TextColumn("{task.description}"),
                TaskProgressColumn(text_format="", show_speed=True), TimeElapsedColumn(),
                transient=True))
        run = _Run(summary, report_file, fail_fast, display)
        clock = run.clock
        need = _Extractor(extractor)
        items = clock.pulled("read", iter(read_paths(paths, glob=glob, overrides=overrides,
                                                     stdin_format=stdin_format)))
        articles = _admitted(run, items)
        todo = _needing_extraction(run, driver, articles, need, force, batch_size, database)
        graphs = _extracted(run, need, todo, n_process)
        for batch in _batched(clock.pulled("extract", graphs), batch_size):
            batch = _without_skipped(run, batch)
            if not batch:
                continue
            with clock.stage("resolve"):
                batch = [aliases.apply(g) for g in batch]
            for graph in batch:
                summary.add_found(graph)
            if dry_run or driver is None:
                for graph in batch:
                    run.record(Outcome("extracted", graph.article.id, graph.article.origin))
                continue
            with clock.stage("load"):
                result = load_batch(driver, batch, force=force, database=database)
            summary.add_load(result)
            origins = {g.article.id: g.article.origin for g in batch}
            for status in ("new", "updated", "unchanged"):
                for article_id in getattr(result, status):
                    run.record(Outcome(status, article_id, origins.get(article_id)))
            # After the loaded ones are recorded: under fail-fast the first failure stops the run.
            for article_id, reason in result.failed.items():
                run.fail(Outcome("failed", article_id, origins.get(article_id), reason),
                         LoadError(f"article {article_id}: not loaded: {reason}"))
        if report_file is not None:
            report_file.write(json.dumps({"summary": summary.as_dict()}, ensure_ascii=False) + "\n")
    return summary


def _without_skipped(run: _Run, batch: list[ArticleGraph]) -> list[ArticleGraph]:
    """The graphs to load; skipped articles (another language) are recorded with the reason."""
    kept = []
    for graph in batch:
        if graph.skipped:
            run.summary.skipped += 1
            run.summary.skip_reasons[graph.skipped] += 1
            run.summary.skips.append(f"{graph.article.origin or graph.article.id}: {graph.skipped}")
            run.record(Outcome("skipped", graph.article.id, graph.article.origin, graph.skipped))
        else:
            kept.append(graph)
    return kept


class _Extractor:
    """The extractor, made on first need: its version is needed before anything is extracted."""

    def __init__(self, given: ExtractorLike | None) -> None:
        self._extractor = given

    def get(self) -> ExtractorLike:
        if self._extractor is None:
            from kg.extract.pipeline import Extractor

            self._extractor = Extractor()
        return self._extractor

    @property
    def version(self) -> str:
        """The version without loading the model when no extractor is made yet."""
        if self._extractor is not None:
            return self._extractor.version
        from kg.config import ExtractSettings
        from kg.extract.pipeline import extractor_version

        return extractor_version(groups_file=ExtractSettings().groups_file)


def _apply_schema(driver: neo4j.Driver, database: str | None) -> None:
    try:
        apply_schema(driver, database=database)
    except ClientError as exc:
        # E.g. existing duplicates block a uniqueness constraint; the loader would refuse anyway.
        raise SchemaError(f"cannot apply cypher/schema.cypher: {exc.message}") from exc


def _batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _admitted(run: _Run, items: Iterable[Article | ReadFailure]) -> Iterator[Article]:
    """Articles to go on with; read failures and repeats of this run are recorded.

    Of two articles with one id, the first read is kept, whatever the second holds: the
    order of a run is the order of its paths (and, in a folder, of the sorted names), so
    which one wins never depends on timing. The second is named with the first's place and
    whether its content differs (title, summary, text, URL, source and date)."""
    seen: dict[str, tuple[str, str]] = {}  # id -> (where it was read, its content hash)
    for item in items:
        run.summary.read += 1
        if isinstance(item, ReadFailure):
            run.fail(Outcome("failed", origin=item.location, error=item.reason),
                     ReadError(item.location, item.reason))
        elif item.id in seen:
            first, digest = seen[item.id]
            content = "the same content" if digest == item.content_hash else "different content"
            reason = (f"duplicate id {item.id!r}, first read from {first} ({content}); "
                      "the first one read is kept")
            run.summary.duplicate += 1
            run.summary.skips.append(f"{item.origin or item.id}: {reason}")
            run.record(Outcome("duplicate", item.id, item.origin, reason))
        else:
            seen[item.id] = (item.origin or "?", item.content_hash)
            yield item


def _needing_extraction(run: _Run, driver: neo4j.Driver | None, articles: Iterable[Article],
                        extractor: _Extractor, force: bool, batch_size: int,
                        database: str | None) -> Iterator[Article]:
    """New articles, changed ones, and those extracted by another version (one ledger look-up
    per batch); unchanged ones are recorded."""
    for batch in _batched(articles, batch_size):
        if driver is None or force:
            yield from batch
            continue
        version = extractor.version
        with run.clock.stage("ledger"):
            known = ledger(driver, [a.id for a in batch], database=database)
        for article in batch:
            if known.get(article.id) == (article.content_hash, version):
                run.summary.unchanged += 1
                run.record(Outcome("unchanged", article.id, article.origin))
            else:
                yield article


def _extracted(run: _Run, extractor: _Extractor, articles: Iterator[Article],
               n_process: int) -> Iterator[ArticleGraph]:
    """Graphs in input order; an article that fails is recorded and the stream restarts after it.

    The extractor reads ahead, so the articles it has taken but not yet returned are kept:
    when it fails, the first of them is the culprit and the others go back in front.
    """
    taken: deque[Article] = deque()
    # What the input raised while the extractor pulled from it (a read failure under
    # fail-fast): no article's fault, so it must not be blamed on one the extractor holds.
    upstream: list[BaseException] = []

    def feed(source: Iterator[Article]) -> Iterator[Article]:
        while True:
            try:
                article = next(source)
            except StopIteration:
                return
            except Exception as exc:
                upstream.append(exc)
                raise
            taken.append(article)
            yield article

    source = articles
    while True:
        try:
            first = next(source)
        except StopIteration:
            return
        source = chain([first], source)
        engine = extractor.get()  # made only once there is work; a failure here is everyone's
        try:
            for graph in engine.extract_many(feed(source), n_process=n_process):
                taken.popleft()
                yield graph
            return
        except Exception as exc:  # one article's failure must not sink the ingest
            if not taken or _raised_by(exc, upstream):
                raise  # not about an article
            failed = taken.popleft()
            message = str(exc) if isinstance(exc, ExtractionError) else (
                f"article {failed.id}: extraction failed: {type(exc).__name__}: {exc}")
            logger.debug("extraction of %s failed", failed.id, exc_info=exc)
            error = exc if isinstance(exc, ExtractionError) else ExtractionError(message)
            run.fail(Outcome("failed", failed.id, failed.origin, message), error)
            source = chain(list(taken), source)
            taken.clear()


def _raised_by(exc: BaseException, upstream: list[BaseException]) -> bool:
    """Whether `exc` is (or was raised from) one of the `upstream` exceptions."""
    seen: BaseException | None = exc
    while seen is not None:
        if any(seen is u for u in upstream):
            return True
        seen = seen.__cause__ or seen.__context__
    return False
