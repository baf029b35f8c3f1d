"""`kg export rdf` and `kg ontology check`: the graph as RDF for partners (docs/rdf.md)."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import click

from kg.cli.options import handle_errors, neo4j_options
from kg.export.terms import DEFAULT_BASE_IRI
from kg.export.writers import FORMATS

if TYPE_CHECKING:
    from kg.config import Neo4jSettings

_DATE = click.DateTime(formats=["%Y-%m-%d"])


@click.group("export")
def export() -> None:
    """Export the graph for other tools.

    \b
    Example:
        kg export rdf -o graph.ttl --validate
    """


@export.command("rdf")
@click.option("-o", "--output", required=True, metavar="FILE",
              help="File to write ('-' for standard output). Written to a temporary file in the "
                   "same directory and renamed when complete.")
@click.option("--format", "fmt", type=click.Choice(sorted(FORMATS)), default=None,
              help="RDF syntax [default: from FILE's extension, else ttl].")
@click.option("--base-iri", default=DEFAULT_BASE_IRI, show_default=True,
              help="Namespace of the exported nodes' IRIs; ends with '/', '#' or ':'.")
@click.option("--since", type=_DATE, default=None, help="Only events on or after this date (YYYY-MM-DD).")
@click.option("--until", type=_DATE, default=None, help="Only events on or before this date (YYYY-MM-DD).")
@click.option("--group", "groups", multiple=True, metavar="NAME_OR_ID",
              help="Only events linked to this armed group (id, name or alias). Repeatable.")
@click.option("--place", "places", multiple=True, metavar="NAME_OR_ID",
              help="Only events in this place or any place inside it. Repeatable.")
@click.option("--article", "articles", multiple=True, metavar="ID",
              help="Only what this article states, with its own evidence. Repeatable.")
@click.option("--validate", is_flag=True,
              help="Check the export against the SHACL shapes; on violations report them, "
                   "write nothing and exit 1.")
@click.option("--with-ontology", is_flag=True,
              help="Include the ontology (a named graph in nq/jsonld, merged otherwise).")
@click.option("--page-size", type=click.IntRange(min=1), default=500, show_default=True,
              help="Nodes read from Neo4j per query; bounds the memory used.")
@neo4j_options
@handle_errors
def rdf(output: str, fmt: str | None, base_iri: str, since: dt.datetime | None,
        until: dt.datetime | None, groups: tuple[str, ...], places: tuple[str, ...],
        articles: tuple[str, ...], validate: bool, with_ontology: bool, page_size: int,
        neo4j_settings: Neo4jSettings) -> None:
    """Export the graph (or a part of it) as RDF: Turtle, N-Triples, N-Quads, JSON-LD or RDF/XML.

    Every relationship is also an rdf:Statement carrying its evidence: the articles, sentences
    and offsets that support it (see docs/rdf.md). Filters combine: the event filters
    (--since, --until, --group, --place) select events and what surrounds them; --article
    keeps only what those articles state.

    \b
    Example:
        kg export rdf -o graph.ttl
        kg export rdf -o pakistan-2025.nq --place Pakistan --since 2025-01-01 --validate
        kg export rdf -o - --format nt --group "Baloch Liberation Army" | gzip > bla.nt.gz
    """
    from kg.export import export_rdf
    from kg.export.validate import ValidationFailed
    from kg.neo4j.connection import connect

    with connect(neo4j_settings) as driver, _working(
            f"Exporting RDF to {output}: reading the graph, "
            + ("validating, " if validate else "") + "writing"):
        try:
            result = export_rdf(
                driver, output, fmt=fmt, base_iri=base_iri,
                since=since.date() if since else None, until=until.date() if until else None,
                group=groups or None, place=places or None, article=articles or None,
                validate=validate, with_ontology=with_ontology,
                database=neo4j_settings.database, page_size=page_size,
            )
        except ValidationFailed as exc:
            click.echo(exc.report.summary(), err=True)
            raise
    for reason, count in result.skipped.items():
        click.echo(f"Note: not exported, {count}×: {reason}", err=True)
    if not result.nodes:
        click.echo("Note: nothing matched; the export holds no nodes.", err=True)
    click.echo(f"Exported {result.summary()}.", err=True)


@contextmanager
def _working(what: str) -> Iterator[None]:
    """A spinner with the elapsed time on a terminal's stderr while a long step runs."""
    if not sys.stderr.isatty():
        yield
        return
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    with Progress(SpinnerColumn(), TextColumn(what),
                  TimeElapsedColumn(), transient=True, console=Console(stderr=True)) as progress:
        progress.add_task(what, total=None)
        yield


@click.group("ontology")
def ontology() -> None:
    """The kg ontology, SHACL shapes and JSON-LD context (ontology/).

    \b
    Example:
        kg ontology check
    """


@ontology.command("check")
@click.option("--dir", "directory", type=click.Path(file_okay=False, exists=True, path_type=Path),
              default=None, help="Check the files in this directory instead of the installed ones.")
@handle_errors
def check(directory: Path | None) -> None:
    """Check that the ontology files parse, label and comment every term, define every term
    the export writes, and agree with kg.schema (classes, relationships, enumerations, ACLED).

    Exits 1 and lists the problems when there are any.

    \b
    Example:
        kg ontology check
        kg ontology check --dir ./my-ontology-copy
    """
    from kg.export.ontology import check_ontology

    report = check_ontology(directory)
    for problem in report.problems:
        click.echo(f"- {problem}", err=True)
    if not report.ok:
        raise click.ClickException(f"{len(report.problems)} problem(s) in {report.directory}")
    click.echo(f"OK: {report.directory}: {report.classes} classes, {report.properties} properties, "
               f"{report.concepts} concepts, {report.shapes} shapes.")
