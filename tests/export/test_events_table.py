"""`kg export events` on example articles loaded into a real Neo4j: columns and types, row
counts under filters, known values (tests/export/data/example-events.csv), formats read back,
GeoJSON validity, bad filters and an empty selection."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import geojson
import openpyxl
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from neo4j import Driver

from kg.cli import main
from kg.export.events import (
    COLUMNS,
    EventFilters,
    column_types,
    read_events,
    row_values,
    select_events,
)
from kg.export.tables import arrow_schema, export_events
from kg.ingest import ingest
from kg.neo4j.queries import run_query
from tests.export.helpers import cli_env
from tests.neo4j_testing import Neo4jTestServer

pytestmark = pytest.mark.neo4j

REPO = Path(__file__).resolve().parents[2]
ARTICLES = REPO / "examples" / "articles"
EXAMPLES = [ARTICLES / name for name in (
    "borno_malam_fatori_base_attack_afp.txt", "borno_malam_fatori_base_attack_local.json",
    "pakistan_dera_ismail_khan_checkpoint_attack.txt", "myanmar_sagaing_village_airstrike.html",
    "burkina_djibo_humanitarian_update.txt")]
KNOWN = Path(__file__).resolve().parent / "data" / "example-events.csv"

# ACLED's columns in ACLED's order, then kg's (issue 16).
ACLED_COLUMNS = [
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2",
    "admin3", "location", "latitude", "longitude", "geo_precision", "source", "source_scale",
    "notes", "fatalities", "tags", "timestamp",
]
KG_COLUMNS = ["best", "low", "high", "fatality_sources", "claimed_by", "reports", "kg_event_id"]
INTEGER_COLUMNS = {"year", "time_precision", "iso", "geo_precision", "fatalities", "timestamp",
                   "best", "low", "high", "reports"}


@pytest.fixture(scope="module")
def examples(neo4j_driver: Driver, _schema: None) -> Driver:
    neo4j_driver.execute_query("MATCH (n) DETACH DELETE n")
    summary = ingest(EXAMPLES, neo4j_driver)
    assert summary.failed == 0 and summary.new == len(EXAMPLES)
    return neo4j_driver


def _csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def _export(server: Neo4jTestServer, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["export", "events", *args], env=cli_env(server))
    return result.exit_code, result.stderr if result.stderr_bytes else result.output


def test_columns_and_types(examples: Driver, tmp_path: Path) -> None:
    assert list(COLUMNS) == ACLED_COLUMNS + KG_COLUMNS
    # Rows are built without validation: every value must have its column's type.
    types = column_types()
    nullable = {c for c, t in types.items() if t is not str} - {"fatalities", "reports"}
    for event in read_events(examples, select_events(examples, EventFilters()).ids):
        for column, value in row_values(event.row).items():
            assert (value is None and column in nullable) or type(value) is types[column], (
                column, value)
    out = tmp_path / "events.csv"
    export_events(examples, out)
    with out.open(encoding="utf-8", newline="") as stream:
        assert next(csv.reader(stream)) == list(COLUMNS)
    rows = _csv_rows(out)
    assert rows
    for row in rows:
        for column in INTEGER_COLUMNS:
            assert row[column] == "" or int(row[column]) >= 0, (column, row[column])
        if row["event_date"]:
            assert int(row["year"]) == dt.date.fromisoformat(row["event_date"]).year
            assert row["time_precision"] in {"1", "2", "3"}
        if row["latitude"]:
            assert -90 <= float(row["latitude"]) <= 90 and -180 <= float(row["longitude"]) <= 180
            assert row["geo_precision"] in {"1", "2", "3"}
        assert row["event_id_cnty"][:3].isalpha() and row["kg_event_id"].startswith("event:")
        assert row["disorder_type"] in {"Political violence", "Demonstrations",
                                        "Strategic developments",
                                        "Political violence; Demonstrations"}
        if row["low"]:
            assert int(row["low"]) <= int(row["best"]) <= int(row["high"])
            assert row["fatalities"] == row["low"]  # ACLED's conservative figure
        else:
            assert row["fatalities"] == "0"
        assert int(row["reports"]) >= 1


def test_row_count_is_canonical_events_after_filters(examples: Driver, tmp_path: Path) -> None:
    def count(where: str = "") -> int:
        query = ("MATCH (e:Event) WHERE NOT coalesce(e.background, false) " + where
                 + " RETURN count(DISTINCT e) AS n")
        return int(examples.execute_query(query).records[0]["n"])

    everything, background = tmp_path / "all.csv", tmp_path / "bg.csv"
    export_events(examples, everything)
    assert len(_csv_rows(everything)) == count() > 0
    export_events(examples, background, filters=EventFilters(with_background=True))
    total = examples.execute_query("MATCH (e:Event) RETURN count(e) AS n").records[0]["n"]
    assert len(_csv_rows(background)) == total > count()

    nigeria = tmp_path / "ng.csv"
    export_events(examples, nigeria, filters=EventFilters(countries=("Nigeria",),
                                                          since=dt.date(2024, 10, 1)))
    rows = _csv_rows(nigeria)
    assert {r["country"] for r in rows} == {"Nigeria"}
    assert len(rows) == count("AND e.date >= date('2024-10-01') AND EXISTS "
                              "{ (e)-[:OCCURRED_IN]->(:Place {country: 'NG'}) }") > 0

    battles = tmp_path / "battles.csv"
    export_events(examples, battles, filters=EventFilters(types=("Battles",),
                                                          groups=("ISWAP",)))
    rows = _csv_rows(battles)
    assert rows and {r["event_type"] for r in rows} == {"Battles"}
    assert len(rows) == count("AND e.acled_event_type = 'Battles' AND EXISTS "
                              "{ (:Group {name: 'Islamic State West Africa Province'})--(e) }")


def test_known_values_for_the_example_articles(examples: Driver, tmp_path: Path) -> None:
    out = tmp_path / "events.csv"
    export_events(examples, out)
    rows = _csv_rows(out)
    expected = _csv_rows(KNOWN)
    for want in expected:
        key = {k: want[k] for k in ("country", "location", "event_date", "sub_event_type")}
        found = [r for r in rows if all(r[k] == v for k, v in key.items())]
        assert len(found) == 1, (key, len(found))
        got = {k: found[0][k] for k in want}
        assert got == want


def test_fatalities_agree_with_the_fatalities_query(examples: Driver) -> None:
    """The table's best / low / high are the library query's (cypher/queries/fatalities.cypher)."""
    query = run_query(examples, "fatalities", {"from": dt.date(1900, 1, 1),
                                               "to": dt.date(2100, 1, 1)})
    by_event = {r["event_id"]: r for r in query.rows}
    assert by_event
    rows = {e.row.kg_event_id: e.row for e in read_events(
        examples, select_events(examples, EventFilters()).ids)}
    for event_id, fatalities in by_event.items():
        if fatalities["best"] is None:
            continue
        row = rows[event_id]
        assert (row.best, row.low, row.high) == (fatalities["best"], fatalities["low"],
                                                fatalities["high"])


def test_event_ids_are_stable_across_runs(examples: Driver, tmp_path: Path) -> None:
    first, second = tmp_path / "1.csv", tmp_path / "2.csv"
    export_events(examples, first)
    export_events(examples, second)
    assert first.read_bytes() == second.read_bytes()
    ids = [r["event_id_cnty"] for r in _csv_rows(first)]
    assert len(set(ids)) == len(ids)
    borno = next(r for r in _csv_rows(first) if r["location"] == "Mallam Fatori")
    assert borno["event_id_cnty"] == "NGA" + borno["kg_event_id"].removeprefix("event:")[:12].upper()


def test_xlsx_and_parquet_read_back_equal(examples: Driver, tmp_path: Path) -> None:
    expected = [row_values(e.row) for e in read_events(
        examples, select_events(examples, EventFilters()).ids)]
    export_events(examples, tmp_path / "events.xlsx")
    export_events(examples, tmp_path / "events.parquet")

    sheet = openpyxl.load_workbook(tmp_path / "events.xlsx", read_only=True)["events"]
    values = list(sheet.iter_rows(values_only=True))
    assert list(values[0]) == list(COLUMNS)
    from_xlsx = []
    for line in values[1:]:
        row = dict(zip(COLUMNS, line, strict=True))
        # Excel has no date-only cells: openpyxl reads a date back as midnight of that day.
        if isinstance(row["event_date"], dt.datetime):
            row["event_date"] = row["event_date"].date()
        from_xlsx.append({k: ("" if v is None and isinstance(expected[0][k], str) else v)
                          for k, v in row.items()})
    assert from_xlsx == expected

    table = pq.read_table(tmp_path / "events.parquet")
    assert table.schema.equals(arrow_schema())
    assert table.to_pylist() == expected


def test_geojson_is_valid_and_leaves_unplaced_events_out(
        examples: Driver, neo4j_server: Neo4jTestServer, tmp_path: Path) -> None:
    out = tmp_path / "events.geojson"
    code, stderr = _export(neo4j_server, "-o", str(out))
    assert code == 0, stderr
    collection = geojson.loads(out.read_text(encoding="utf-8"))
    assert collection.is_valid, collection.errors()
    assert collection["type"] == "FeatureCollection"
    rows = [e.row for e in read_events(examples, select_events(examples, EventFilters()).ids)]
    placed = [r for r in rows if r.latitude is not None]
    unplaced = [r for r in rows if r.latitude is None]
    assert unplaced, "the examples include places the gazetteer cannot locate"
    assert len(collection["features"]) == len(placed)
    for feature, row in zip(collection["features"], placed, strict=True):
        assert feature["geometry"]["coordinates"] == [row.longitude, row.latitude]
        assert feature["properties"]["kg_event_id"] == row.kg_event_id
        assert set(feature["properties"]) == set(COLUMNS)
    # The summary names each event left off the map.
    for row in unplaced:
        assert row.event_id_cnty in stderr
    assert f"{len(unplaced)} events have no coordinates" in stderr


@pytest.mark.parametrize(("args", "message"), [
    (["--country", "Atlantis"], "--country 'Atlantis' is not an ISO 3166-1 code or country name"),
    (["--type", "picnic"], "--type 'picnic' is not a kg event type"),
    (["--group", "No Such Brigade"], "--group 'No Such Brigade': no group has that id"),
    (["--place", "Atlantis"], "--place 'Atlantis': no place has that id"),
    (["--since", "2025-02-01", "--until", "2025-01-01"], "--since 2025-02-01 is after --until"),
])
def test_bad_filter_values_give_one_clear_line(
        examples: Driver, neo4j_server: Neo4jTestServer, tmp_path: Path, args: list[str],
        message: str) -> None:
    out = tmp_path / "events.csv"
    code, stderr = _export(neo4j_server, "-o", str(out), *args)
    assert code == 1
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and message in lines[0], stderr
    assert not out.exists() and not list(tmp_path.iterdir())


def test_an_empty_selection_writes_the_header_only(
        examples: Driver, neo4j_server: Neo4jTestServer, tmp_path: Path) -> None:
    for fmt in ("csv", "xlsx", "parquet", "geojson"):
        out = tmp_path / f"none.{fmt}"
        code, stderr = _export(neo4j_server, "-o", str(out), "--since", "2100-01-01")
        assert code == 0, stderr
        assert "no event matched the filters; the table has its header only" in stderr
        assert f"Exported 0 events to {out}" in stderr
    assert (tmp_path / "none.csv").read_text(encoding="utf-8") == ",".join(COLUMNS) + "\n"
    sheet = openpyxl.load_workbook(tmp_path / "none.xlsx", read_only=True)["events"]
    assert [list(r) for r in sheet.iter_rows(values_only=True)] == [list(COLUMNS)]
    table = pq.read_table(tmp_path / "none.parquet")
    assert table.num_rows == 0 and table.schema.equals(arrow_schema())
    assert json.loads((tmp_path / "none.geojson").read_text()) == {
        "type": "FeatureCollection", "features": []}


def test_standard_output(examples: Driver, neo4j_server: Neo4jTestServer) -> None:
    result = CliRunner().invoke(main, ["export", "events", "-o", "-", "--country", "PK"],
                                env=cli_env(neo4j_server))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == ",".join(COLUMNS) and len(lines) > 1
    assert "Exported" in result.stderr and "Exported" not in result.stdout


def test_an_analysts_correction_is_in_the_table(
        examples: Driver, neo4j_server: Neo4jTestServer, tmp_path: Path) -> None:
    """Last in this module: it changes the shared graph. `kg review` corrects the Malam Fatori
    attack's date in one report; the row shows the corrected date and who reviewed it."""
    local = "nechronicle-20241016-malam-fatori"  # borno_malam_fatori_base_attack_local.json
    result = CliRunner().invoke(
        main, ["review", "set", "event", "date", "2024-10-13", "--article", local, "--at", "0:199",
               "--note", "the night before, as the report says"],
        env={**cli_env(neo4j_server), "KG_ANALYST": "ana"})
    assert result.exit_code == 0, result.output
    out = tmp_path / "events.csv"
    export_events(examples, out)
    row = next(r for r in _csv_rows(out) if r["location"] == "Mallam Fatori")
    assert row["event_date"] == "2024-10-13"
    assert "reviewed by ana" in row["tags"]
