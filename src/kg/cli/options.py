"""Options shared by commands, as decorators, and the KgError → `Error: …` translation."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from kg.errors import KgError
from kg.sources.base import ArticleOverrides
from kg.sources.registry import STDIN_FORMAT_CHOICES

F = TypeVar("F", bound=Callable[..., Any])

HOME_HELP = "Home of the managed local server [env KG_NEO4J_HOME; default ~/.cache/kg/neo4j]."


def handle_errors(func: F) -> F:
    """Show `KgError`s as `Error: …` with exit code 1 instead of a traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except KgError as exc:
            raise click.ClickException(str(exc)) from exc

    return wrapper  # type: ignore[return-value]


def home_option(func: F) -> F:
    """`--home DIR`, passed on as `home: Path | None`."""
    return click.option(
        "--home",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        help=HOME_HELP,
    )(func)


def neo4j_options(func: F) -> F:
    """--uri/--user/--password/--database/--home, passed on as `neo4j_settings`.

    The command receives one `kg.config.Neo4jSettings` in which given options beat the
    environment; hand it to `kg.neo4j.connection.connect`.
    """

    @click.option(
        "--uri",
        default=None,
        metavar="URI",
        help="bolt://, neo4j:// or neo4j+s:// URI [env KG_NEO4J_URI, NEO4J_URI; "
        "default: the managed local server].",
    )
    @click.option(
        "--user",
        default=None,
        help="Neo4j user [env KG_NEO4J_USER, NEO4J_USERNAME; default neo4j].",
    )
    @click.option(
        "--password",
        default=None,
        help="Neo4j password [env KG_NEO4J_PASSWORD, NEO4J_PASSWORD; default: the local "
        "server's password file]. Prefer the environment: options show in the process list.",
    )
    @click.option(
        "--database", default=None, help="Database name [env KG_NEO4J_DATABASE; default neo4j]."
    )
    @home_option
    @functools.wraps(func)
    def wrapper(
        *args: Any,
        uri: str | None,
        user: str | None,
        password: str | None,
        database: str | None,
        home: Path | None,
        **kwargs: Any,
    ) -> Any:
        from kg.neo4j.connection import neo4j_settings

        kwargs["neo4j_settings"] = neo4j_settings(
            uri=uri, user=user, password=password, database=database, home=home
        )
        return func(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def input_options(func: F) -> F:
    """PATH… plus --glob/--stdin-format/--published/--source/--url: every command that reads
    articles."""
    decorators = [
        click.argument("paths", nargs=-1, required=True, metavar="PATH…"),
        click.option("--glob", default=None, metavar="PATTERN",
                     help="In directories, read only files matching this pattern "
                          "(e.g. '*.txt', '2025/**/*.json')."),
        click.option("--stdin-format", type=click.Choice(STDIN_FORMAT_CHOICES, case_sensitive=False),
                     default="auto", show_default=True,
                     help="Format of '-' (standard input); auto guesses from the first bytes. "
                          "Name it for a live feed: jsonl then flows line by line."),
        click.option("--published", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
                     help="Publication date (YYYY-MM-DD) for every article read, overriding the file's."),
        click.option("--source", default=None, help="Outlet name for every article read (e.g. DW)."),
        click.option("--url", default=None, help="URL for the article read (does not change its id)."),
    ]
    for decorator in reversed(decorators):
        func = decorator(func)
    return func


def overrides_from(published: dt.datetime | None, source: str | None, url: str | None) -> ArticleOverrides:
    return ArticleOverrides(published=published.date() if published else None, source=source, url=url)


def echo_summary(summary: Any, report: Path | None) -> None:
    """What `kg ingest` and `kg backfill` print at the end: skips and failures on stderr, the
    summary on stdout, and a non-zero exit when an article failed."""
    for skip in summary.skips:
        click.echo(f"Skipped {skip}", err=True)
    for failure in summary.failures:
        click.echo(f"Failed: {failure}", err=True)
    for line in summary.lines():
        click.echo(line)
    if summary.failed:
        raise click.ClickException(f"{summary.failed} article(s) failed; see above"
                                   + (f" and {report}" if report else ""))
