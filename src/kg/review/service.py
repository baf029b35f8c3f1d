"""Record, undo, import and export corrections: what the `kg review` commands call.

Recording is two steps: the record is written under the loader's lock, then the articles it
targets are reloaded from their stored extraction (no re-extraction: the graph keeps the
extractor's own graph of a corrected article), and the load applies every correction that
targets them. An ingest running meanwhile either sees the record or is followed by the reload.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import neo4j

from kg.neo4j.corrections import (
    articles_mentioning,
    lock,
    read_corrections,
    recorded,
    stored_graphs,
    unlock,
    write_corrections,
)
from kg.neo4j.loader import load_batch
from kg.neo4j.sessions import quiet_session
from kg.resolve.correcting import apply_corrections
from kg.resolve.corrections import Action, Correction, CorrectionError, read_file, write_lines


@dataclass
class Recorded:
    """What recording did: the corrections new to the graph and the articles reloaded."""

    new: list[str] = field(default_factory=list)
    reloaded: list[str] = field(default_factory=list)


def _affected(tx: neo4j.ManagedTransaction, corrections: Iterable[Correction]) -> list[str]:
    articles: set[str] = set()
    for c in corrections:
        if c.article is not None:
            articles.update(c.articles)
        elif c.target is not None and c.target.entity:
            for entity in {c.target.entity, str(c.value)}:
                articles.update(articles_mentioning(tx, entity))
    return sorted(articles)


def check_targets(driver: neo4j.Driver, corrections: Sequence[Correction], *,
                  database: str | None = None) -> None:
    """CorrectionError, one line, unless each correction finds its target in the graph now."""
    with quiet_session(driver, database) as session:
        for c in corrections:
            if c.action is Action.UNDO:
                continue
            assert c.target is not None
            if c.article is None:
                if not session.execute_read(articles_mentioning, c.target.entity or ""):
                    raise CorrectionError(f"{c.target.describe()}: no article in the graph mentions it")
                continue
            graphs = session.execute_read(stored_graphs, [c.article])
            if not graphs:
                raise CorrectionError(f"article {c.article} is not in the graph")
            _, outcomes = apply_corrections(graphs[0], [c])
            if outcomes and outcomes[0].status == "orphaned":
                raise CorrectionError(f"{c.target.describe()}: {outcomes[0].reason}")


def record(driver: neo4j.Driver, corrections: Sequence[Correction], *, check: bool = True,
           database: str | None = None) -> Recorded:
    """Store corrections and reload the articles they target, so the graph shows them."""
    if check:
        check_targets(driver, corrections, database=database)

    def write(tx: neo4j.ManagedTransaction) -> tuple[list[str], list[str]]:
        lock(tx)
        known = {c.id: c for c, _, _ in read_corrections(tx)}
        for c in corrections:
            if c.action is Action.UNDO and str(c.value) not in known and \
                    str(c.value) not in {x.id for x in corrections}:
                raise CorrectionError(f"no correction {c.value} to undo")
        undone = [known[str(c.value)] for c in corrections
                  if c.action is Action.UNDO and str(c.value) in known]
        new = write_corrections(tx, corrections)
        affected = _affected(tx, [*corrections, *undone])
        unlock(tx)
        return new, affected

    with quiet_session(driver, database) as session:
        new, affected = session.execute_write(write)
    return Recorded(new=new, reloaded=reload(driver, affected, database=database))


def reload(driver: neo4j.Driver, article_ids: Sequence[str], *, database: str | None = None) -> list[str]:
    """Reload articles from the extractor's graphs kept in Neo4j; their corrections apply."""
    if not article_ids:
        return []
    with quiet_session(driver, database) as session:
        graphs = session.execute_read(stored_graphs, list(article_ids))
    load_batch(driver, graphs, force=True, database=database)
    return [g.article.id for g in graphs]


def undo(driver: neo4j.Driver, correction_id: str, analyst: str, note: str = "", *,
         database: str | None = None) -> Recorded:
    """Take a correction back: an undo record, and its articles reloaded without it."""
    with quiet_session(driver, database) as session:
        known = {c.id for c, _, _ in session.execute_read(read_corrections)}
    if correction_id not in known:
        raise CorrectionError(f"no correction {correction_id}")
    return record(driver, [Correction(analyst=analyst, at=dt.datetime.now(dt.UTC), note=note,
                                      action=Action.UNDO, value=correction_id)],
                  check=False, database=database)


def listing(driver: neo4j.Driver, *, analyst: str | None = None, since: dt.datetime | None = None,
            database: str | None = None) -> list[tuple[Correction, str, str]]:
    """Every correction with its status and reason, oldest first, optionally filtered."""
    with quiet_session(driver, database) as session:
        rows = session.execute_read(read_corrections)
    return [(c, status, reason) for c, status, reason in rows
            if (analyst is None or c.analyst == analyst) and (since is None or c.at >= since)]


def export_file(driver: neo4j.Driver, path: Path, *, database: str | None = None) -> int:
    """Write every correction as JSONL (oldest first), atomically; returns how many."""
    corrections = [c for c, _, _ in listing(driver, database=database)]
    temporary = path.with_name(path.name + ".tmp")
    with temporary.open("w", encoding="utf-8") as out:
        out.writelines(write_lines(corrections))
    temporary.replace(path)
    return len(corrections)


def import_file(driver: neo4j.Driver, path: Path, *, database: str | None = None) -> Recorded:
    """Read a JSONL file (all or nothing: a bad line names itself and nothing is applied), store
    its corrections and reload the articles in the graph they target."""
    corrections = read_file(path)
    return record(driver, corrections, check=False, database=database)


def apply_recorded(driver: neo4j.Driver, *, database: str | None = None) -> Recorded:
    """Reload the articles of corrections not applied yet (made in Neo4j Browser)."""
    with quiet_session(driver, database) as session:
        def find(tx: neo4j.ManagedTransaction) -> tuple[list[str], list[str]]:
            waiting = recorded(tx)
            return [c.id for c in waiting], _affected(tx, waiting)

        waiting, affected = session.execute_read(find)
    return Recorded(new=waiting, reloaded=reload(driver, affected, database=database))
