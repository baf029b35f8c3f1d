"""The query library: every header parses, every query runs with its example parameters and
returns what the fixture graph says it should."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import yaml
from neo4j import Driver

from kg.errors import ConfigError
from kg.neo4j.loader import load
from kg.neo4j.queries import (
    QueryResult,
    format_rows,
    get_query,
    graph_stats,
    library,
    parse_query,
    run_query,
)
from kg.neo4j.schema import apply_schema
from kg.resolve import Aliases, AliasFile
from tests.neo4j.fixtures import ALIAS_FILE, BLA, quetta_bombing, siege_afp, siege_dw

Rows = list[dict[str, Any]]


def col(rows: Rows, *names: str) -> list[Any]:
    if len(names) == 1:
        return [r[names[0]] for r in rows]
    return [tuple(r[n] for n in names) for r in rows]


def conflicts(rows: Rows) -> list[tuple[str, str, bool]]:
    return [(r["kind"], r["who"], r["conflicting"]) for r in rows]


# Query name → a check of its rows on the fixture graph, run with the header's example values.
EXPECTED: dict[str, Callable[[Rows], Any]] = {
    "events-by-group": lambda rows: col(rows, "type", "only_claimed") == [
        ("execution", True), ("attack", False), ("security_operation", False)]
        and rows[1]["roles"] == ["ATTRIBUTED_TO", "CLAIMED_RESPONSIBILITY", "PERPETRATED"],
    "place-events": lambda rows: col(rows, "type", "articles") == [
        ("suicide_bombing", 1), ("execution", 1), ("attack", 2), ("security_operation", 2)]
        and rows[2]["places"] == ["Balochistan", "Bolan"],
    "timeline": lambda rows: col(rows, "date") == ["2024-11-09", "2025-03-11", "2025-03-11", "2025-03-12"],
    "figures-per-event": lambda rows: sorted(conflicts(rows)) == [
        ("aboard", "passengers", False), ("killed", "attackers", False),
        ("killed", "hostages", False), ("killed", "hostages", False), ("rescued", "hostages", True)]
        and sorted(r["min"] for r in next(x for x in rows if x["conflicting"])["reports"]) == [190, 346],
    "who-said-what": lambda rows: sorted(col(rows, "speaker", "told_to")) == [
        ("Ahmed Sharif Chaudhry", None), ("a Pakistani official", "DPA")],
    "co-active-groups": lambda rows: col(rows, "group", "other_group", "shared_places") == [
        ("Baloch Liberation Army", "Balochistan Liberation Front", ["Balochistan"])],
    "claims-vs-attributions": lambda rows: col(rows, "status", "event_is_claim_of") == [
        ("claimed only", None), ("not claimed", "Baloch Liberation Army"),
        ("claimed and attributed", None)],
    "events-near": lambda rows: col(rows, "place", "distance_km") == [("Quetta", 0.0)],
    "shortest-path": lambda rows: col(rows, "hops", "relationships") == [(2, ["HOLDS_ROLE", "SEEKS"])],
    "evidence-for": lambda rows: col(rows, "relationship", "outlet", "start") == [("SEEKS", "DW", 952)]
        and rows[0]["sentence"].startswith("The BLA seeks independence"),
    "actors-since": lambda rows: sorted(col(rows, "name")) == [
        "AFP", "Ahmed Sharif Chaudhry", "DPA", "Government of Pakistan",
        "Pakistani security forces", "Sarfraz Bugti"],
    "search": lambda rows: rows[0]["id"] == BLA and "BLA" in rows[0]["aliases"],
    "most-cited-sources": lambda rows: col(rows, "source", "citations")[:2] == [
        ("Ahmed Sharif Chaudhry", 4), ("DW (own reporting)", 2)] and len(rows) == 8,
    "events-by-acled-type": lambda rows: col(rows, "month", "acled_event_type", "events") == [
        ("2024-11-01", "Explosions/Remote violence", 1), ("2025-03-01", "Battles", 1),
        ("2025-03-01", "Violence against civilians", 2)],
    "fatalities": lambda rows: col(rows, "low", "high", "best", "reports", "only_claimed") == [
        (26, 26, 26, 1, False), (50, 50, 50, 1, True), (21, 21, 21, 2, False), (33, 33, 33, 1, False)],
    "entity-profile": lambda rows: len(rows) == 1 and rows[0]["articles"] == 3
        and "CLAIMED_RESPONSIBILITY: 2" in rows[0]["events_by_role"],
    "event-sources": lambda rows: col(rows, "outlet", "reported_type") == [
        ("DW", "hostage_taking"), ("AFP", "attack")],
}


@pytest.fixture(scope="module")
def fixture_graph(neo4j_driver: Driver) -> Iterator[Driver]:
    """The three fixture articles, loaded once for every query test of this module."""
    neo4j_driver.execute_query("MATCH (n) DETACH DELETE n")
    apply_schema(neo4j_driver)
    aliases = Aliases(AliasFile.model_validate(yaml.safe_load(ALIAS_FILE)))
    load(neo4j_driver, [aliases.apply(g) for g in (siege_dw(), siege_afp(), quetta_bombing())])
    yield neo4j_driver
    neo4j_driver.execute_query("MATCH (n) DETACH DELETE n")


def test_the_library_has_a_checked_query_per_file() -> None:
    names = set(library())
    assert len(names) >= 15
    assert names == set(EXPECTED)


@pytest.mark.neo4j
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_query_returns_the_expected_rows(fixture_graph: Driver, name: str) -> None:
    query = get_query(name)
    result = run_query(fixture_graph, name, query.example)
    assert result.rows, f"{name} returned nothing with {query.example}"
    assert EXPECTED[name](result.rows), result.rows


@pytest.mark.neo4j
def test_queries_are_read_only(fixture_graph: Driver) -> None:
    for name in library():
        plan = fixture_graph.execute_query("EXPLAIN " + get_query(name).text,
                                           get_query(name).example).summary
        assert plan.query_type == "r", name


@pytest.mark.neo4j
def test_stats_count_labels_and_types(fixture_graph: Driver) -> None:
    stats = graph_stats(fixture_graph)
    assert stats["labels"]["Article"] == 3 and stats["labels"]["Event"] == 4
    assert stats["relationships"]["REPORTS"] == 6


def test_queries_that_list_entity_labels_list_every_one() -> None:
    """A query that looks an entity up by name among all labels must know `Actor` too."""
    from kg.schema import EntityType

    checked = []
    for name, query in library().items():
        for group in re.findall(r"\((\w+:\w+(?: OR \w+:\w+)+)\)", query.text):
            labels = {term.split(":")[1] for term in group.split(" OR ")}
            if {"Place", "Target"} <= labels:
                assert labels == {t.value for t in EntityType}, (name, group)
                checked.append(name)
    assert {"entity-profile", "shortest-path"} <= set(checked)


def test_headers_parse_with_types_and_examples() -> None:
    query = get_query("events-near")
    assert [(p.name, p.type) for p in query.parameters] == [
        ("latitude", "float"), ("longitude", "float"), ("km", "float")]
    assert query.example == {"latitude": 30.18, "longitude": 66.99, "km": 50.0}
    assert query.question.startswith("Which events happened within a distance")
    assert get_query("timeline").example["from"] == dt.date(2024, 1, 1)
    assert get_query("co-active-groups").parameters == ()


def test_binding_command_line_values() -> None:
    query = get_query("events-by-group")
    assert query.bind({"group": "BLA", "from": "2025-03-01", "to": "2025-03-31"}) == {
        "group": "BLA", "from": dt.date(2025, 3, 1), "to": dt.date(2025, 3, 31)}
    with pytest.raises(ConfigError, match=r"'01/03/2025' is not a valid date; give a date as YYYY-MM-DD"):
        query.bind({"group": "BLA", "from": "01/03/2025", "to": "2025-03-31"})
    with pytest.raises(ConfigError, match="needs -p group=<group>"):
        query.bind({"from": "2025-03-01"})
    # Date ranges are optional: a bound end left out is null, the query's "all time".
    assert query.bind({"group": "BLA", "from": "2025-03-01"}) == {
        "group": "BLA", "from": dt.date(2025, 3, 1), "to": None}
    with pytest.raises(ConfigError, match="no parameter colour"):
        query.bind({"group": "BLA", "from": "2025-03-01", "to": "2025-03-31", "colour": "red"})
    assert get_query("most-cited-sources").bind({"limit": "3"}) == {"limit": 3}


def test_list_and_bool_parameters() -> None:
    text = ("// Question: Test?\n// Parameters:\n//   names: list  Some names\n//   strict: bool  Strict\n"
            '// Example:\n//   :param names => ["a", "b"]\n//   :param strict => true\nRETURN 1\n')
    query = parse_query("test", text)
    assert query.example == {"names": ["a", "b"], "strict": True}
    assert query.bind({"names": "BLA, TTP", "strict": "no"}) == {"names": ["BLA", "TTP"], "strict": False}


def test_optional_parameters_and_demo_values() -> None:
    text = ("// Question: Test?\n// Parameters:\n//   place: place  A place\n//   from: date?  From\n"
            '// Example:\n//   :param place => "Quetta"\n//   :param from => date("2025-03-01")\n'
            '// Demo (the example articles):\n//   :param place => "Menaka"\nRETURN 1\n')
    query = parse_query("test", text)
    assert [(p.name, p.type, p.optional) for p in query.parameters] == [
        ("place", "place", False), ("from", "date", True)]
    assert query.example == {"place": "Quetta", "from": dt.date(2025, 3, 1)}
    assert query.demo == {"place": "Menaka", "from": None}
    assert query.bind({"place": "Ménaka"}) == {"place": "Ménaka", "from": None}
    with pytest.raises(ConfigError, match="sets colour, not a parameter"):
        parse_query("bad", text.replace(":param place => \"Menaka\"", ":param colour => 1"))


@pytest.mark.parametrize(("text", "message"), [
    ("MATCH (n) RETURN n", "Question"),
    ("// Question: X?\n// Parameters:\n//   a: string  A\nRETURN $a", "no example"),
    ("// Question: X?\n// Parameters:\n//   a: colour  A\n// Example:\n//   :param a => 1\nRETURN $a", "unknown type"),
])
def test_bad_headers_are_refused(text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        parse_query("bad", text)


def test_unknown_query() -> None:
    with pytest.raises(ConfigError, match="kg query --list"):
        get_query("no-such-query")


def test_formats() -> None:
    result = QueryResult(["name", "places", "sentence"], [
        {"name": "BLA", "places": ["Quetta", "Bolan"], "sentence": "The attack\nbegan at dawn.\n"},
        {"name": None, "places": [], "sentence": None},
        {"name": "TTP", "places": [{"text": "12 killed", "min": 12, "max": None}], "sentence": ""}])
    # Table and CSV cells are plain text: no JSON, lists joined, line breaks collapsed.
    assert format_rows(result, "csv").splitlines() == [
        "name,places,sentence", 'BLA,"Quetta, Bolan",The attack began at dawn.', ",,",
        'TTP,"text: 12 killed, min: 12",']
    assert format_rows(result, "json").startswith('[\n  {\n    "name": "BLA"')
    table = format_rows(result, "table").splitlines()
    assert len(table) == 5
    assert table[0].split() == ["name", "places", "sentence"]
    assert table[2].split() == ["BLA", "Quetta,", "Bolan", "The", "attack", "began", "at", "dawn."]


def test_browser_style_captions_every_label() -> None:
    from importlib import resources

    from kg.schema import Label

    style = resources.files("kg").joinpath("resources/cypher/browser-style.grass").read_text("utf-8")
    captions = dict(re.findall(r"node\.(\w+) \{[^}]*caption: '\{(\w+)\}'", style))
    assert set(captions) == {label.value for label in Label}
    assert (captions["Event"], captions["Figure"], captions["Quote"]) == ("label", "caption", "caption")


@pytest.mark.neo4j
def test_an_unnamed_source_is_described_never_the_article(fixture_graph: Driver) -> None:
    assert not fixture_graph.execute_query(
        "MATCH (:Figure)-[r:ACCORDING_TO]->(:Article) RETURN r").records
    rows = run_query(fixture_graph, "figures-per-event", {"from": None, "to": None}).rows
    sources = {report["source"] for row in rows for report in row["reports"]}
    assert "officials (DW)" in sources and "Baloch Liberation Army" in sources
    # The outlet's own reporting still counts for it among the most cited.
    cited = run_query(fixture_graph, "most-cited-sources", {"limit": 10}).rows
    assert ("DW (own reporting)", 2) in col(cited, "source", "citations")


@pytest.mark.neo4j
def test_figures_and_quotes_carry_captions_for_browser(fixture_graph: Driver) -> None:
    captions = {r["text"]: r["caption"] for r in fixture_graph.execute_query(
        "MATCH (n) WHERE n:Figure OR n:Quote RETURN n.text AS text, n.caption AS caption").records}
    assert captions["around 190 hostages"] == "rescued 190 (hostages)"
    assert captions["at least 26 people"] == "killed 26+ (people)"
    assert all(caption for caption in captions.values())
    said = fixture_graph.execute_query(
        "MATCH (p:Person)-[:SAID]->(q:Quote) RETURN p.name AS name, q.caption AS caption").records
    assert said and all(r["caption"].startswith(r["name"] + ": “") for r in said)
