"""Graph commands: `kg ingest`, `kg schema apply`, `kg remove`, `kg stats` (`kg query` is in
query_commands).

Each parses options, calls one library function (kg.ingest, kg.neo4j.loader,
kg.neo4j.queries) and prints the result.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import click

from kg.cli.options import echo_summary, handle_errors, input_options, neo4j_options, overrides_from
from kg.config import DEFAULT_BATCH_SIZE, ExtractSettings, Neo4jSettings

if TYPE_CHECKING:  # the driver is imported only when a command runs: `kg --help` stays fast
    import neo4j


@contextmanager
def _driver(settings: Neo4jSettings) -> Iterator[neo4j.Driver]:
    """A checked driver, closed at the end; a server lost meanwhile is one `Error: …` line."""
    from kg.neo4j.connection import connected

    with connected(settings) as driver:
        yield driver


@click.command()
@input_options
@click.option("--force", is_flag=True, help="Re-extract and reload articles the ledger says are unchanged.")
@click.option("--dry-run", is_flag=True, help="Read and extract, load nothing.")
@click.option("--jobs", "-j", type=click.IntRange(min=0), default=1, show_default=True,
              help="Worker processes for extraction (0 = all cores).")
@click.option("--batch-size", type=click.IntRange(min=1), default=DEFAULT_BATCH_SIZE, show_default=True,
              help="Articles per load transaction.")
@click.option("--aliases", "aliases_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=None, help="Alias file merging/splitting entities [env KG_ALIASES_FILE].")
@click.option("--report", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write one JSON line per article, then the summary, to this file.")
@click.option("--fail-fast", is_flag=True, help="Stop at the first article that cannot be read or extracted.")
@neo4j_options
@handle_errors
def ingest(paths: tuple[str, ...], glob: str | None, stdin_format: str,
           published: dt.datetime | None, source: str | None, url: str | None, force: bool, dry_run: bool, jobs: int,
           batch_size: int, aliases_file: Path | None, report: Path | None, fail_fast: bool,
           neo4j_settings: Neo4jSettings) -> None:
    """Read articles, extract their graph and load it into Neo4j.

    PATH is a file, a directory (read recursively) or - for stdin. Articles whose
    content and extractor version are unchanged since the last ingest are skipped.
    Exits with status 1 when any article failed (the others are loaded).

    \b
    Example:
        kg ingest examples/articles --glob '*.txt'
        kg ingest report.txt --published 2025-03-12 --source DW --report ingest.jsonl
        tail -f feed.jsonl | kg ingest - --stdin-format jsonl
    """
    from kg.ingest import ingest as run_ingest
    from kg.resolve import Aliases

    overrides = overrides_from(published, source, url)
    aliases = Aliases.load(aliases_file or ExtractSettings().aliases_file)
    with ExitStack() as stack:
        driver = _connect(stack, neo4j_settings, optional=dry_run)
        if driver is None:
            click.echo("Neo4j is not reachable: dry run without the ledger check.", err=True)
        summary = run_ingest(
            paths, driver, force=force, dry_run=dry_run, n_process=jobs or (os.cpu_count() or 1),
            report=report, glob=glob, stdin_format=stdin_format,
            overrides=overrides, aliases=aliases, batch_size=batch_size, fail_fast=fail_fast,
            progress=sys.stderr.isatty(), database=neo4j_settings.database,
        )
    echo_summary(summary, report)


def _connect(stack: ExitStack, settings: Neo4jSettings, *, optional: bool) -> neo4j.Driver | None:
    """A driver held open by `stack` (see `_driver`); with `optional`, None when the server
    cannot be reached."""
    from kg.errors import ConnectionError_

    try:
        return stack.enter_context(_driver(settings))
    except ConnectionError_:
        if optional:
            return None
        raise


@click.group()
def schema() -> None:
    """Constraints and indexes of the graph (cypher/schema.cypher).

    \b
    Example:
        kg schema apply
    """


@schema.command("apply")
@neo4j_options
@handle_errors
def schema_apply(neo4j_settings: Neo4jSettings) -> None:
    """Create every constraint and index, if missing. Safe to run again.

    \b
    Example:
        kg schema apply
    """
    from kg.neo4j.schema import apply_schema, check_schema

    with _driver(neo4j_settings) as driver:
        count = apply_schema(driver, database=neo4j_settings.database)
        check_schema(driver, database=neo4j_settings.database)
    click.echo(f"Schema applied: {count} constraints and indexes present.")


@schema.command("warm-up")
@neo4j_options
@handle_errors
def schema_warm_up(neo4j_settings: Neo4jSettings) -> None:
    """Apply the schema and have the server plan the statements of a first load.

    What `kg neo4j start` does for the server it manages, for one kg does not (Docker, Aura):
    run it after the server starts, so the first `kg ingest` does not spend seconds planning.
    Three built-in articles are loaded in a transaction that is rolled back: nothing is written.

    \b
    Example:
        KG_NEO4J_URI=bolt://localhost:7687 kg schema warm-up
    """
    from kg.neo4j.warmup import warm_up

    with _driver(neo4j_settings) as driver:
        ready = warm_up(driver, database=neo4j_settings.database)
    click.echo(f"Ready for kg in {ready.seconds:.0f} s: schema applied, "
               f"{ready.statements} statements of a first load planned.")


@click.command()
@click.argument("article_ids", nargs=-1, required=True, metavar="ARTICLE_ID…")
@neo4j_options
@handle_errors
def remove(article_ids: tuple[str, ...], neo4j_settings: Neo4jSettings) -> None:
    """Remove articles and every fact only they support.

    Facts other articles also state stay, with their provenance lists shortened.

    \b
    Example:
        kg remove 3f2a9c0d1e2b4a5c
    """
    from kg.neo4j.loader import remove_articles

    with _driver(neo4j_settings) as driver:
        result = remove_articles(driver, article_ids, database=neo4j_settings.database)
    for article_id in result.missing:
        click.echo(f"Not in the graph: {article_id}", err=True)
    c = result.counts
    click.echo(f"Removed {len(result.removed)} article(s): {c.nodes_deleted} nodes and "
               f"{c.relationships_deleted} relationships deleted.")


@click.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@neo4j_options
@handle_errors
def stats(fmt: str, neo4j_settings: Neo4jSettings) -> None:
    """Count nodes by label and relationships by type.

    \b
    Example:
        kg stats --format json
    """
    from kg.neo4j.queries import graph_stats
    from kg.review.queue import orphaned_count

    with _driver(neo4j_settings) as driver:
        counts = graph_stats(driver, database=neo4j_settings.database)
        corrections, orphaned = orphaned_count(driver, database=neo4j_settings.database)
    if fmt == "json":
        click.echo(json.dumps({**counts, "corrections": {"all": corrections, "orphaned": orphaned}}, indent=2))
        return
    for kind, title in (("labels", "Nodes"), ("relationships", "Relationships")):
        click.echo(f"{title}: {sum(counts[kind].values())}")
        for name, count in counts[kind].items():
            click.echo(f"  {name:<24} {count:>8}")
    if corrections:  # analysts' corrections (kg review): the orphaned ones need a look
        click.echo(f"Corrections: {corrections}, orphaned: {orphaned}"
                   + ("  (kg review queue lists them)" if orphaned else ""))
