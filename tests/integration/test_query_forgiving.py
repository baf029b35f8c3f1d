"""`kg query` forgives on the demo graph: place names without accents, countries by name,
dates left out; and an answer with no rows says why, on stderr, with status 1."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from click.testing import CliRunner, Result
from neo4j import Driver

from kg.cli import main
from tests.neo4j_testing import Neo4jTestServer

pytestmark = [pytest.mark.neo4j]

Runner = Callable[..., Result]


@pytest.fixture
def run(neo4j_server: Neo4jTestServer, demo_graph: Driver) -> Runner:
    env = {"KG_NEO4J_URI": neo4j_server.uri, "KG_NEO4J_USER": neo4j_server.user,
           "KG_NEO4J_PASSWORD": neo4j_server.password}

    def invoke(*args: str) -> Result:
        return CliRunner().invoke(main, ["query", *args], env=env)

    return invoke


def test_a_place_matches_without_accents_or_case(run: Runner) -> None:
    for name in ("Menaka", "MÉNAKA", "ménaka"):
        result = run("place-events", "-p", f"place={name}", "--format", "csv")
        assert result.exit_code == 0, result.output
        assert "Territory seized in Ménaka" in result.stdout


def test_a_country_by_name_or_code(run: Runner) -> None:
    by_name = run("events-by-acled-type", "-p", "country=Mali", "--format", "csv")
    by_code = run("events-by-acled-type", "-p", "country=ml", "--format", "csv")
    assert by_name.exit_code == 0 and by_name.stdout == by_code.stdout
    assert by_name.stdout.splitlines()[1].startswith("ML,")


def test_no_rows_says_which_parameter_matched_nothing(run: Runner) -> None:
    result = run("place-events", "-p", "place=Menak")
    assert result.exit_code == 1 and result.stdout == ""
    assert "place='Menak' matches no place in the graph; near: Ménaka" in result.stderr

    dated = run("events-by-group", "-p", "group=iswap", "-p", "from=2030-01-01")
    assert dated.exit_code == 1
    assert "every name matched" in dated.stderr and "leave out -p from/-p to" in dated.stderr
    assert run("events-by-group", "-p", "group=iswap").exit_code == 0  # all time


def test_a_bad_date_names_the_format(run: Runner) -> None:
    result = run("events-by-group", "-p", "group=ISWAP", "-p", "from=01/02/2025")
    assert result.exit_code == 1
    assert "'01/02/2025' is not a valid date; give a date as YYYY-MM-DD, e.g. 2025-03-12" in result.stderr


def test_event_targets_show_by_label(run: Runner) -> None:
    result = run("evidence-for", "-p", "subject=ISWAP", "-p", "object=Mallam Fatori", "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = result.stdout.splitlines()[1:]
    assert rows and all('"Armed clash in Mallam Fatori, 2024-10-14"' in row for row in rows)
    assert "[" not in result.stdout  # no JSON in CSV cells
