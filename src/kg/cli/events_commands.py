"""`kg export events` and `kg report`: the graph as an analyst's table and map (docs/exports.md)."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

import click

from kg.cli.options import handle_errors, neo4j_options
from kg.export.tables import TABLE_FORMATS

if TYPE_CHECKING:
    from kg.config import Neo4jSettings
    from kg.export.events import EventFilters

F = TypeVar("F", bound=Callable[..., Any])
_DATE = click.DateTime(formats=["%Y-%m-%d"])
# Summaries list at most this many events without coordinates by id.
_LISTED = 20


def event_filter_options(func: F) -> F:
    """--since/--until/--country/--group/--place/--type/--with-background, as `filters`."""
    decorators = [
        click.option("--since", type=_DATE, default=None,
                     help="Only events on or after this date (YYYY-MM-DD)."),
        click.option("--until", type=_DATE, default=None,
                     help="Only events on or before this date (YYYY-MM-DD)."),
        click.option("--country", "countries", multiple=True, metavar="CODE_OR_NAME",
                     help="Only events in this country (PK, PAK or Pakistan). Repeatable."),
        click.option("--group", "groups", multiple=True, metavar="NAME_OR_ID",
                     help="Only events linked to this armed group (id, name or alias). Repeatable."),
        click.option("--place", "places", multiple=True, metavar="NAME_OR_ID",
                     help="Only events in this place or any place inside it. Repeatable."),
        click.option("--type", "types", multiple=True, metavar="TYPE",
                     help="Only events of this kg type (air_strike), ACLED event type (Battles) "
                          "or sub-event type (Armed clash). Repeatable."),
        click.option("--with-background", is_flag=True,
                     help="Also events the reports only recall as context (tagged 'background')."),
    ]

    @functools.wraps(func)
    def wrapper(*args: Any, since: dt.datetime | None, until: dt.datetime | None,
                countries: tuple[str, ...], groups: tuple[str, ...], places: tuple[str, ...],
                types: tuple[str, ...], with_background: bool, **kwargs: Any) -> Any:
        from kg.export.events import EventFilters

        kwargs["filters"] = EventFilters(
            since=since.date() if since else None, until=until.date() if until else None,
            countries=countries, groups=groups, places=places, types=types,
            with_background=with_background)
        return func(*args, **kwargs)

    for decorator in reversed(decorators):
        wrapper = decorator(wrapper)
    return wrapper  # type: ignore[return-value]


@contextmanager
def _progress_bar(what: str) -> Iterator[Callable[[int, int], None]]:
    """A rich progress bar on standard error, shown once there is something to count."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    console = Console(stderr=True)
    if not console.is_terminal:  # a log or a pipe gets the closing summary only
        yield lambda done, total: None
        return
    with Progress("[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=console, transient=True) as bar:
        task = bar.add_task(what, total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update


def _unplaced(ids: list[str]) -> str:
    shown = ", ".join(ids[:_LISTED])
    more = f" and {len(ids) - _LISTED} more" if len(ids) > _LISTED else ""
    return f"{len(ids)} events have no coordinates (none invented): {shown}{more}"


@click.command("events")
@click.option("-o", "--output", required=True, metavar="FILE",
              help="File to write ('-' for standard output). Written to a temporary file in the "
                   "same directory and renamed when complete.")
@click.option("--format", "fmt", type=click.Choice(list(TABLE_FORMATS)),
              default=None, help="Table format [default: from FILE's extension, else csv].")
@event_filter_options
@click.option("--page-size", type=click.IntRange(min=1), default=500, show_default=True,
              help="Events read from Neo4j per query; bounds the memory used.")
@neo4j_options
@handle_errors
def events(output: str, fmt: str | None, filters: EventFilters, page_size: int,
           neo4j_settings: Neo4jSettings) -> None:
    """Export one row per event (after cross-article coreference) with ACLED's columns.

    Actors and their ACLED types, admin units, coordinates and geo precision, fatalities
    (ACLED's conservative figure, and UCDP-style best / low / high with their sources), the
    outlets and the number of reports. GeoJSON holds one point per event that has coordinates.
    Every column is described in docs/exports.md.

    \b
    Example:
        kg export events -o events.csv
        kg export events -o pakistan.xlsx --country Pakistan --since 2025-01-01
        kg export events -o events.geojson --type Battles --group "Islamic State"
    """
    from kg.export.tables import export_events
    from kg.neo4j.connection import connect

    with connect(neo4j_settings) as driver, _progress_bar("Exporting events") as progress:
        result = export_events(driver, output, fmt=fmt, filters=filters,
                               database=neo4j_settings.database, page_size=page_size,
                               progress=progress)
    if not result.rows:
        click.echo("Note: no event matched the filters; the table has its header only.", err=True)
    if result.without_coordinates:
        note = _unplaced(result.without_coordinates)
        if result.format == "geojson":
            note += "; they are not in the GeoJSON"
        click.echo(f"Note: {note}.", err=True)
    click.echo(f"Exported {result.summary()}.", err=True)


@click.command("report")
@click.option("-o", "--output", required=True, metavar="FILE", help="The HTML file to write.")
@click.option("--title", default="Conflict events", show_default=True, help="The report's title.")
@event_filter_options
@neo4j_options
@handle_errors
def report(output: str, title: str, filters: EventFilters, neo4j_settings: Neo4jSettings) -> None:
    """Write one self-contained HTML report that opens offline: a map, a weekly timeline, the
    top actors and places, and every event with its evidence sentences.

    Nothing is fetched when it opens: the charting library (Vega-Lite) and the country
    outlines (Natural Earth, via world-atlas) are inlined.

    \b
    Example:
        kg report -o report.html
        kg report -o sahel.html --country Mali --country Niger --title "Central Sahel"
    """
    from kg.export.report import write_report
    from kg.neo4j.connection import connect

    with connect(neo4j_settings) as driver, _progress_bar("Reading events") as progress:
        result = write_report(driver, output, title=title, filters=filters,
                              database=neo4j_settings.database, progress=progress)
    if not result.rows:
        click.echo("Note: no event matched the filters; the report is empty.", err=True)
    if result.without_coordinates:
        click.echo(f"Note: {_unplaced(result.without_coordinates)}; they are listed, "
                   "not mapped.", err=True)
    click.echo(f"Wrote a report of {result.summary()}.", err=True)
