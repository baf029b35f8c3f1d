"""Every command's `--help` is its documentation: walked from the `kg` group, so a new
command is checked without being listed here."""

from __future__ import annotations

from collections.abc import Iterator

import click
import pytest
from click.testing import CliRunner

from kg.cli import main


def walk(group: click.Group, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """The path of every command and group under `group`, depth first, in name order."""
    for name in sorted(group.commands):
        command = group.commands[name]
        yield (*path, name)
        if isinstance(command, click.Group):
            yield from walk(command, (*path, name))


COMMANDS = list(walk(main))


def test_the_walk_finds_nested_commands() -> None:
    # A guard on the walk itself: these exist today at every depth.
    for path in [("extract",), ("ingest",), ("bench", "run"), ("neo4j", "start"),
                 ("export", "rdf"), ("dev", "devset-score")]:
        assert path in COMMANDS


@pytest.mark.parametrize("path", [(), *COMMANDS], ids=lambda p: " ".join(("kg", *p)))
def test_every_command_has_help_with_an_example(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(main, [*path, "--help"], prog_name="kg")
    assert result.exit_code == 0, result.output
    usage = " ".join(("kg", *path))
    assert result.output.startswith(f"Usage: {usage}")
    assert "Example:" in result.output
    example = result.output.split("Example:", 1)[1]
    assert "kg " in example, "the example shows a kg command line"


@pytest.mark.parametrize("name", sorted(main.commands["neo4j"].commands))  # type: ignore[attr-defined]
def test_every_server_command_takes_a_home(name: str) -> None:
    result = CliRunner().invoke(main, ["neo4j", name, "--help"])
    assert "--home" in result.output


@pytest.mark.parametrize("command", ["extract", "ingest"])
def test_commands_that_read_articles_share_the_input_options(command: str) -> None:
    output = CliRunner().invoke(main, [command, "--help"]).output
    for option in ("--glob", "--stdin-format", "--published", "--source", "--url"):
        assert option in output
    assert "[auto|text|json|jsonl|html|txt|md|markdown|ndjson|htm]" in " ".join(output.split())
