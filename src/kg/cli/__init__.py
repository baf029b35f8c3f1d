"""The `kg` command line: a thin layer over the library.

Each command parses options, calls one library function and prints the result.
Library errors (`KgError`) become one line, `Error: …`, and a non-zero exit.
Command groups live in sibling modules and are registered below.
"""

from __future__ import annotations

import logging

import click

from kg import __version__

_DRIVER_LOGS = logging.getLogger("neo4j")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kg")
def main() -> None:
    """Conflict-event knowledge graphs from news articles.

    \b
    Example:
        kg neo4j install && kg neo4j start
        kg ingest examples/articles
    """
    # The driver logs every retry and dropped connection as a warning, which Python prints to
    # stderr when nothing is configured. A lost server reaches the user as one `Error: …` line.
    if not any(isinstance(h, logging.NullHandler) for h in _DRIVER_LOGS.handlers):
        _DRIVER_LOGS.addHandler(logging.NullHandler())


def _register() -> None:
    # Imported here so that `kg --help` stays fast and each module owns its commands.
    from kg.cli import (
        backfill_commands,
        bench_commands,
        dev_commands,
        events_commands,
        export_commands,
        extract_commands,
        graph_commands,
        neo4j_commands,
        query_commands,
        review_commands,
    )

    for command in (
        neo4j_commands.neo4j,
        extract_commands.extract,
        graph_commands.ingest,
        backfill_commands.backfill,
        graph_commands.schema,
        graph_commands.remove,
        graph_commands.stats,
        query_commands.query,
        export_commands.export,
        export_commands.ontology,
        events_commands.report,
        bench_commands.bench,
        dev_commands.dev,
        review_commands.review,
    ):
        main.add_command(command)
    export_commands.export.add_command(events_commands.events)


_register()
