"""`kg query`: run a named analyst query from cypher/queries and print its rows.

A query that finds nothing says why on stderr (kg.neo4j.query_hints) and exits with status 1,
as grep does, so scripts can tell an empty answer from an answer.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import click

from kg.cli.options import handle_errors, neo4j_options
from kg.config import Neo4jSettings


def _parse_params(values: tuple[str, ...]) -> dict[str, str]:
    params = {}
    for value in values:
        key, sep, raw = value.partition("=")
        if not sep or not key:
            raise click.BadParameter(f"{value!r}: use key=value, e.g. -p place=Menaka", param_hint="-p")
        params[key.strip()] = raw
    return params


@click.command()
@click.argument("name", required=False)
@click.option("-p", "--param", "params", multiple=True, metavar="KEY=VALUE",
              help="A query parameter; its type (date YYYY-MM-DD, int, float, list a,b, or a name "
                   "matched without case or accents) comes from the query. Dates are optional.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table",
              show_default=True)
@click.option("--list", "list_", is_flag=True, help="List the queries with their parameters.")
@click.option("--show", is_flag=True, help="Print the query's Cypher instead of running it.")
@neo4j_options
@handle_errors
def query(name: str | None, params: tuple[str, ...], fmt: str, list_: bool, show: bool,
          neo4j_settings: Neo4jSettings) -> None:
    """Run a named analyst query from the library (cypher/queries).

    With no rows, says on stderr which parameter matched nothing (and the nearest names the
    graph holds) and exits with status 1.

    \b
    Example:
        kg query --list
        kg query place-events -p place=Menaka
        kg query events-by-group -p group=ISWAP -p from=2024-10-01 -p to=2024-12-31
        kg query events-near -p latitude=15.92 -p longitude=2.40 -p km=100 --format csv
    """
    from kg.neo4j.connection import connected
    from kg.neo4j.queries import format_rows, get_query, library, run_query
    from kg.neo4j.query_hints import explain_empty

    if list_ or name is None:
        if name is None and not list_:
            raise click.UsageError("give a query NAME, or --list to see them")
        for q in library().values():
            click.echo(f"{q.name}: {q.question}")
            for p in q.parameters:
                optional = ", optional" if p.optional else ""
                click.echo(f"    -p {p.name}=<{p.type}{optional}>  {p.description}  "
                           f"(e.g. {_example(q.demo.get(p.name) or p.example)})")
        return
    named = get_query(name)
    if show:
        click.echo(named.text)
        return
    bound = named.bind(_parse_params(params))
    with connected(neo4j_settings) as driver:
        result = run_query(driver, name, bound, database=neo4j_settings.database)
        if not result.rows:
            reasons = explain_empty(driver, named, bound, database=neo4j_settings.database)
    if result.rows:
        click.echo(format_rows(result, fmt))
        return
    if fmt != "table":  # a well-formed empty answer for programs
        click.echo(format_rows(result, fmt))
    click.echo(f"No rows from {name}:", err=True)
    for reason in reasons:
        click.echo(f"  {reason}", err=True)
    raise SystemExit(1)


def _example(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return ",".join(str(v) for v in value)
    return str(value)
