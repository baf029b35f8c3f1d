"""`kg ingest` reads stdin as `kg extract` does, `--stdin-format` included (a dry run against
an unreachable server: reading and extraction only; loading is tested in tests/neo4j)."""

from __future__ import annotations

from click.testing import CliRunner

from kg.cli import main

from .test_extract import BODY, HEADLINE


def test_stdin_in_a_named_format_is_read_in_that_format() -> None:
    text = f"{{{HEADLINE}}}\n\n{BODY}\n"  # starts like JSON: only a named format reads it
    env = {"KG_NEO4J_URI": "bolt://127.0.0.1:9", "KG_NEO4J_PASSWORD": "unused"}
    runner = CliRunner(env=env)
    named = runner.invoke(main, ["ingest", "-", "--stdin-format", "text", "--dry-run"], input=text)
    assert named.exit_code == 0, named.output
    assert "Articles: 1 read" in named.stdout and "0 failed; dry run: 1 extracted" in named.stdout
    sniffed = runner.invoke(main, ["ingest", "-", "--dry-run"], input=text)
    assert sniffed.exit_code == 1
    assert "Failed: <stdin>: " in sniffed.stderr
