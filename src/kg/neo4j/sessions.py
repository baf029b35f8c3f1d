"""Sessions as kg opens them, for every module that reads or writes (no server knowledge here,
so the query library and the schema need not import the managed server)."""

from __future__ import annotations

import neo4j


def quiet_session(driver: neo4j.Driver, database: str | None = None) -> neo4j.Session:
    """A session without the server's notes ("property key does not exist" on an empty graph,
    a relationship type no article has produced yet): not news to an analyst."""
    return driver.session(database=database, notifications_min_severity="OFF")
