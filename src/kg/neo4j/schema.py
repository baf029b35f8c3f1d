"""The database schema kg relies on: apply cypher/schema.cypher, check its constraints.

The loader MERGEs every node on `id`; without a uniqueness constraint on it for every label,
two loads could make two nodes of one entity, so a load checks first (`check_schema`).
"""

from __future__ import annotations

import datetime as dt
import re
from importlib import resources

import neo4j

from kg.errors import SchemaError
from kg.neo4j.sessions import quiet_session
from kg.schema import EventType, Label

_SHOW_CONSTRAINTS = "SHOW CONSTRAINTS YIELD type, entityType, labelsOrTypes, properties"


def schema_statements() -> list[str]:
    """The statements of cypher/schema.cypher, comments removed."""
    text = resources.files("kg").joinpath("resources/cypher/schema.cypher").read_text("utf-8")
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("//")]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]


_FULLTEXT = re.compile(r"CREATE FULLTEXT INDEX (\w+) IF NOT EXISTS\s+FOR \(n:([\w|]+)\)\s+"
                       r"ON EACH \[([^\]]*)\]")
_SHOW_FULLTEXT = "SHOW FULLTEXT INDEXES YIELD name, labelsOrTypes, properties"


def _stale_fulltext_indexes(tx: neo4j.ManagedTransaction, statements: list[str]) -> list[str]:
    """Full-text indexes whose labels or properties differ from schema.cypher's.

    `IF NOT EXISTS` would keep them as they are, so a label added to the schema (e.g. `Actor`
    to `entity_names`) would never become searchable in a database made before it.
    """
    wanted = {}
    for statement in statements:
        match = _FULLTEXT.match(statement)
        if match:
            props = [p.strip().removeprefix("n.") for p in match.group(3).split(",")]
            wanted[match.group(1)] = (sorted(match.group(2).split("|")), sorted(props))
    found = {record["name"]: (sorted(record["labelsOrTypes"]), sorted(record["properties"]))
             for record in tx.run(_SHOW_FULLTEXT)}
    # Names from schema.cypher, never from the server: they go into query text.
    return [name for name, definition in wanted.items()
            if name in found and found[name] != definition]


# `window_span` (kg.resolve.reports, EventReport.window_span), which the placed look-up reads
# through `reports_place_span_window`, set on the reports of a graph loaded before that index
# existed, from the precision each report keeps. Only when the index is first created: a scan
# of every report would cost each `kg ingest` its schema stage. In chunks of one event type,
# through the (event_type, window_start) index, so no transaction holds a whole archive.
_SPAN_INDEX = "reports_place_span_window"
_SET_WINDOW_SPANS = """
MATCH ()-[r:REPORTS]->()
WHERE r.event_type = $type AND r.window_start >= $after AND r.window_span IS NULL
WITH r ORDER BY r.window_start LIMIT $chunk
SET r.window_span = CASE r.date_precision WHEN "year" THEN "year" WHEN "month" THEN "month" ELSE "week" END
RETURN count(r) AS done, max(r.window_start) AS last
"""
_SPAN_CHUNK = 10_000
_SHOW_INDEX_NAMES = "SHOW INDEXES YIELD name"
# Stops at the first report without a span: a new, empty database and a backfilled one (its
# reports carry spans) skip the chunks, each of which would scan every report per event type.
_HAS_REPORTS_WITHOUT_SPAN = "RETURN EXISTS { MATCH ()-[r:REPORTS]->() WHERE r.window_span IS NULL } AS any"


def apply_schema(driver: neo4j.Driver, *, database: str | None = None) -> int:
    """Create every constraint and index (idempotent); returns the number of statements.

    A full-text index defined differently from schema.cypher is dropped first and rebuilt.
    Reports of a graph loaded before `window_span` existed get it (`_SET_WINDOW_SPANS`).
    """
    statements = schema_statements()
    with quiet_session(driver, database) as session:
        existing = set(session.execute_read(lambda tx: [r["name"] for r in tx.run(_SHOW_INDEX_NAMES)]))
        if _SPAN_INDEX not in existing and session.execute_read(_has_reports_without_span):
            _set_window_spans(session)
        for name in session.execute_read(_stale_fulltext_indexes, statements):
            # `name` is one of schema.cypher's own index names (\w+), never data.
            session.execute_write(_run_statement, f"DROP INDEX {name} IF EXISTS")
        # One statement per transaction: Neo4j does not mix schema commands in one.
        for statement in statements:
            try:
                session.execute_write(_run_statement, statement)
            except neo4j.exceptions.ClientError as exc:
                # Another ingest created it between our IF NOT EXISTS and our commit.
                if "AlreadyExists" not in (exc.code or ""):
                    raise
        session.execute_read(lambda tx: tx.run("CALL db.awaitIndexes(300)").consume())
    return len(statements)


def _has_reports_without_span(tx: neo4j.ManagedTransaction) -> bool:
    return bool(tx.run(_HAS_REPORTS_WITHOUT_SPAN).single(strict=True)["any"])


def _set_window_spans(session: neo4j.Session) -> None:
    def chunk(tx: neo4j.ManagedTransaction, event_type: str, after: dt.date) -> neo4j.Record | None:
        return tx.run(_SET_WINDOW_SPANS, type=event_type, after=after, chunk=_SPAN_CHUNK).single()

    for event_type in EventType:
        after = dt.date.min
        while (record := session.execute_write(chunk, event_type.value, after)) and record["done"]:
            after = record["last"].to_native()


def _run_statement(tx: neo4j.ManagedTransaction, statement: str) -> None:
    tx.run(statement).consume()


def missing_constraints(driver: neo4j.Driver, *, database: str | None = None) -> list[Label]:
    """Labels lacking the uniqueness constraint on `id` the loader relies on."""

    def work(tx: neo4j.ManagedTransaction) -> set[str]:
        unique = set()
        for record in tx.run(_SHOW_CONSTRAINTS):
            if (record["entityType"] == "NODE" and record["properties"] == ["id"]
                    and record["type"] in ("UNIQUENESS", "NODE_PROPERTY_UNIQUENESS", "NODE_KEY")):
                unique.update(record["labelsOrTypes"])
        return unique

    with quiet_session(driver, database) as session:
        present = session.execute_read(work)
    return [label for label in Label if label.value not in present]


def check_schema(driver: neo4j.Driver, *, database: str | None = None) -> None:
    """Raise `SchemaError` unless every label has its uniqueness constraint on `id`."""
    missing = missing_constraints(driver, database=database)
    if missing:
        names = ", ".join(label.value for label in missing)
        raise SchemaError(
            f"the database lacks the uniqueness constraint on id for {names}; "
            "run `kg schema apply` (loading without it would duplicate nodes)"
        )
