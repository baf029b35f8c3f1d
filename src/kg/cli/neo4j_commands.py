"""`kg neo4j …`: install, start, stop and inspect the managed local Neo4j server."""

from __future__ import annotations

import json
from pathlib import Path

import click

from kg.cli.options import handle_errors, home_option
from kg.neo4j.connection import managed_home
from kg.neo4j.home import LOG_FILES
from kg.neo4j.server import ManagedServer
from kg.neo4j.warmup import warm_up_server


def _server(home: Path | None) -> ManagedServer:
    return ManagedServer(managed_home(home))


def _progress(message: str) -> None:
    click.echo(message, err=True)


@click.group()
def neo4j() -> None:
    """Run a local Neo4j 5.26 Community server (no Docker needed).

    \b
    Example:
        kg neo4j install && kg neo4j start
        kg neo4j status
    """


@neo4j.command()
@home_option
@click.option(
    "--bolt-port", type=int, default=7687, show_default=True, help="Bolt port on 127.0.0.1."
)
@click.option(
    "--http-port", type=int, default=7474, show_default=True, help="HTTP/Browser port on 127.0.0.1."
)
@click.option("--heap", default="1g", show_default=True, help="JVM heap, e.g. 512m or 2g.")
@click.option("--pagecache", default="512m", show_default=True, help="Neo4j page cache size.")
@handle_errors
def install(home: Path | None, bolt_port: int, http_port: int, heap: str, pagecache: str) -> None:
    """Download Neo4j's jars (once) and prepare a server home with a random password.

    Needs Java 17+ and Maven. Running it again does nothing.

    \b
    Example:
        kg neo4j install
        kg neo4j install --home /data/kg-neo4j --bolt-port 17687
    """
    server = _server(home)
    result = server.install(
        bolt_port=bolt_port, http_port=http_port, heap=heap, pagecache=pagecache, progress=_progress
    )
    if result.already_installed:
        click.echo(f"Neo4j is already installed in {result.home}.")
    else:
        click.echo(f"Installed Neo4j in {result.home} in {result.seconds:.0f} s.")
    click.echo(f"Password file: {server.password_file}")
    click.echo("Start it with: kg neo4j start" + (f" --home {home}" if home else ""))


@neo4j.command()
@home_option
@click.option("--bolt-port", type=int, default=None, help="Bolt port (rewrites neo4j.conf).")
@click.option(
    "--http-port", type=int, default=None, help="HTTP/Browser port (rewrites neo4j.conf)."
)
@click.option("--heap", default=None, help="JVM heap, e.g. 512m or 2g (rewrites neo4j.conf).")
@click.option("--pagecache", default=None, help="Page cache size (rewrites neo4j.conf).")
@click.option(
    "--timeout", type=float, default=180.0, show_default=True, help="Seconds to wait for Bolt."
)
@click.option("--no-warm-up", "no_warm_up", is_flag=True,
              help="Skip applying kg's schema and planning its statements after the start "
                   "(the first `kg ingest` then pays the planning, ~10 s).")
@handle_errors
def start(
    home: Path | None,
    bolt_port: int | None,
    http_port: int | None,
    heap: str | None,
    pagecache: str | None,
    timeout: float,
    no_warm_up: bool,
) -> None:
    """Start the server in the background and wait until it accepts connections.

    A server it starts is then made ready for kg: the schema applied and the statements of a
    first load planned, in a transaction rolled back (nothing is written).

    \b
    Example:
        kg neo4j start
        kg neo4j start --bolt-port 17687 --http-port 17474 --heap 2g
    """
    server = _server(home)
    result = server.start(
        bolt_port=bolt_port, http_port=http_port, heap=heap, pagecache=pagecache, timeout=timeout
    )
    status = result.status
    if result.already_running:
        click.echo(f"Neo4j is already running (pid {status.pid}); not starting a second server.")
    else:
        click.echo(f"Neo4j {status.version} started in {result.seconds:.0f} s (pid {status.pid}).")
        if not no_warm_up:
            ready = warm_up_server(server)
            click.echo(f"Ready for kg in {ready.seconds:.0f} s: schema applied, "
                       f"{ready.statements} statements of a first load planned.")
    click.echo(f"Bolt:     {status.bolt_uri}")
    click.echo(f"Browser:  {status.browser_url}")
    click.echo(f"User:     {status.user}")
    click.echo(f"Password: in {status.password_file}")


@neo4j.command()
@home_option
@click.option(
    "--timeout", type=float, default=60.0, show_default=True, help="Seconds before SIGKILL."
)
@handle_errors
def stop(home: Path | None, timeout: float) -> None:
    """Stop the server: SIGTERM, then SIGKILL after --timeout seconds.

    \b
    Example:
        kg neo4j stop
    """
    result = _server(home).stop(timeout=timeout)
    if not result.was_running:
        click.echo("Neo4j is not running.")
    elif result.forced:
        click.echo(f"Neo4j (pid {result.pid}) did not stop in {timeout:.0f} s and was killed.")
    else:
        click.echo(f"Neo4j (pid {result.pid}) stopped.")


@neo4j.command()
@home_option
@click.option("--json", "as_json", is_flag=True, help="Print the status as JSON.")
@handle_errors
def status(home: Path | None, as_json: bool) -> None:
    """Show whether the server runs, and where to connect. Exit code 0 either way.

    \b
    Example:
        kg neo4j status
        kg neo4j status --json
    """
    report = _server(home).status()
    if as_json:
        click.echo(json.dumps(report.model_dump(mode="json"), indent=2))
        return
    if not report.installed:
        click.echo(f"Neo4j is not installed in {report.home}; run `kg neo4j install`.")
        return
    state = f"running (pid {report.pid})" if report.running else "stopped"
    click.echo(f"Neo4j {report.version}: {state}")
    click.echo(f"Home:     {report.home}")
    click.echo(f"Bolt:     {report.bolt_uri}")
    click.echo(f"Browser:  {report.browser_url}")
    click.echo(f"User:     {report.user}")
    click.echo(f"Password: in {report.password_file}")


@neo4j.command()
@home_option
@click.option("-n", "--lines", type=int, default=50, show_default=True, help="How many lines.")
@click.option(
    "--file",
    "name",
    type=click.Choice(LOG_FILES),
    default="neo4j",
    show_default=True,
    help="Which log: neo4j (main), debug, console (JVM output), query or security.",
)
@click.option("-f", "--follow", is_flag=True, help="Keep printing new lines until Ctrl-C.")
@handle_errors
def logs(home: Path | None, lines: int, name: str, follow: bool) -> None:
    """Print the last lines of the server's log.

    \b
    Example:
        kg neo4j logs -n 100
        kg neo4j logs --file debug --follow
    """
    server = _server(home)
    for line in server.log_tail(lines, name):
        click.echo(line)
    if follow:
        try:
            for line in server.follow(name):
                click.echo(line)
        except KeyboardInterrupt:
            pass
