"""`kg backfill`: an archive into a new database (kg.backfill)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from kg.cli.options import echo_summary, handle_errors, home_option, overrides_from
from kg.config import ExtractSettings


@click.command()
@click.argument("sources", nargs=-1, required=True, metavar="SOURCE…")
@click.option("--database", default="neo4j", show_default=True,
              help="The database to build. Neo4j Community (the managed server) has one user "
                   "database, the server's default (neo4j): the only name it accepts.")
@click.option("--overwrite", is_flag=True,
              help="Replace the database if it holds data (kept as it is if the backfill fails).")
@click.option("--scheduler", default=None, metavar="ADDRESS",
              help="A Dask scheduler (tcp://host:8786) to run on; default: a local cluster. "
                   "Its workers need --workdir on a shared file system.")
@click.option("--workers", type=click.IntRange(min=1), default=2, show_default=True,
              help="Worker processes of the local cluster (also how finely the input is cut).")
@click.option("--workdir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where the CSV and spill files go (removed at the end) [default: the "
                   "server home's import/ folder].")
@click.option("--glob", default=None, metavar="PATTERN",
              help="In directories, read only files matching this pattern (e.g. '*.txt').")
@click.option("--published", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Publication date (YYYY-MM-DD) for every article read, overriding the file's.")
@click.option("--source", default=None, help="Outlet name for every article read (e.g. DW).")
@click.option("--aliases", "aliases_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=None, help="Alias file merging/splitting entities [env KG_ALIASES_FILE].")
@click.option("--report", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write one JSON line per article, then the summary, to this file.")
@home_option
@handle_errors
def backfill(sources: tuple[str, ...], database: str, overwrite: bool, scheduler: str | None,
             workers: int, workdir: Path | None, glob: str | None, published: dt.datetime | None,
             source: str | None, aliases_file: Path | None, report: Path | None,
             home: Path | None) -> None:
    """Build a database from an archive: Dask workers extract, neo4j-admin imports.

    SOURCE is what `kg ingest` reads (files, directories) or the output of
    `kg extract --format jsonl`, whose graphs are loaded without the NLP stage. The graph
    is the one `kg ingest` of the same articles builds; `kg ingest` and `kg remove` then go
    on as usual. The managed server (`--home`) is stopped for the import and started after
    it. Refuses a database that holds data unless --overwrite; a failed backfill leaves it
    as it was. Bad input is one line per file, line or record; the rest goes on.

    \b
    Example:
        kg extract archive/ --format jsonl --jobs 0 > graphs.jsonl
        kg backfill graphs.jsonl --overwrite --workers 4
        kg backfill archive/ --glob '*.json' --scheduler tcp://10.0.0.5:8786 --workdir /shared/kg
    """
    from kg.backfill import backfill as run_backfill
    from kg.neo4j.connection import managed_home
    from kg.neo4j.server import ManagedServer
    from kg.resolve import Aliases

    summary = run_backfill(
        sources, ManagedServer(managed_home(home)), database=database, overwrite=overwrite,
        scheduler=scheduler, workers=workers, glob=glob, workdir=workdir,
        aliases=Aliases.load(aliases_file or ExtractSettings().aliases_file),
        overrides=overrides_from(published, source, None), report=report)
    echo_summary(summary, report)
