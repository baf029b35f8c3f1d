"""Load one batch of articles so that whatever goes wrong costs only what caused it.

A batch is one managed write transaction (`kg.neo4j.loader.load_batch`). Around it:

- Too large for the server's transaction memory (`db.memory.transaction.max`,
  Neo.TransientError.General.MemoryPoolOutOfMemoryError): the driver would retry that
  transient error for its whole `max_transaction_retry_time`. Raised by a query, it is caught
  inside the transaction function and raised as an exception the driver lets through; raised
  by the commit (where Neo4j often meets the limit), the driver's first retry is refused. The
  batch is split in halves, each loaded on its own, recursively; an article still too large
  alone fails alone (a lone article's commit gets the driver's retries, then its reason).
- Refused for its data (a value Neo4j cannot store or encode, a constraint it breaks): the
  batch is bisected until the culprit is alone; it ends in `LoadResult.failed` with the
  server's reason and the other articles load.
- Unknown commit outcome (`IncompleteCommit`: the connection went after COMMIT was sent): the
  batch runs again, at most `MAX_UNKNOWN_COMMITS` times. Loading is idempotent (MERGE on
  natural keys, the ledger of content hash and extractor version), so what the lost commit
  did load comes back unchanged, and is reported with the status the lost attempt gave it.
- Anything else is about the server or the loader, not an article, and ends the load: a lost
  connection (after the driver's own retries) as the driver's `ServiceUnavailable` /
  `SessionExpired`, which the CLI reports naming the server; a server refusal that is not
  about values (authentication, a terminated transaction, a query refused whatever the data)
  as `LoadError`. Nothing of that batch is committed, and no article is blamed.

An article is reported loaded only once the transaction holding it has committed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

import neo4j
from neo4j.exceptions import (
    ConstraintError,
    CypherTypeError,
    IncompleteCommit,
    Neo4jError,
)

from kg.errors import LoadError
from kg.models import ArticleGraph
from kg.neo4j.results import LoadResult

# Re-runs of one batch after commits whose outcome the driver could not learn.
MAX_UNKNOWN_COMMITS = 3
logger = logging.getLogger("kg.neo4j.batches")

# Codes of "this transaction needs more memory than the server allows one transaction".
_TOO_LARGE = frozenset({
    "Neo.TransientError.General.MemoryPoolOutOfMemoryError",
    "Neo.TransientError.General.TransactionMemoryLimit",
    "Neo.ClientError.General.TransactionOutOfMemoryError",
})
# Server refusals caused by the values sent, beyond ConstraintError and CypherTypeError.
_DATA_CODES = frozenset({
    "Neo.ClientError.Statement.ArgumentError",
    "Neo.ClientError.Statement.InvalidArgument",
    "Neo.ClientError.Statement.ValueTooLarge",
})
_DATA_GQL_CLASS = "22"  # GQL status class "data exception"
# Raised by the driver while encoding a parameter it cannot send (an integer beyond 64 bits,
# a string that is not valid UTF-8): one article's values, not the server.
_UNENCODABLE = (OverflowError, UnicodeEncodeError)

Write = Callable[[neo4j.ManagedTransaction, Sequence[ArticleGraph]], LoadResult]


class _TooLarge(Exception):
    """The transaction ran out of the server's transaction memory. Not a Neo4jError, so the
    driver's retry loop passes it straight through."""

    def __init__(self, cause: Neo4jError | None) -> None:
        self.reason = cause.message if cause is not None else "its commit failed and would be retried"
        super().__init__(self.reason)


class _Refused(Exception):
    """The server (or the driver's encoder) refused the values of the batch."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def write_in_parts(session: neo4j.Session, graphs: Sequence[ArticleGraph], write: Write, *,
                   force: bool) -> LoadResult:
    """Run `write` over `graphs` in one transaction, or in as many as it takes (see above)."""
    try:
        return _commit(session, graphs, write, force)
    except _TooLarge as exc:
        if len(graphs) == 1:
            return _failed(LoadResult(), graphs[0], "too large for the server's transaction memory "
                           f"even alone ({exc.reason}); raise db.memory.transaction.max")
        logger.info("a batch of %d articles is too large for the server's transaction memory "
                    "(%s): loading it in halves", len(graphs), exc.reason)
    except _Refused as exc:
        if len(graphs) == 1:
            return _failed(LoadResult(), graphs[0], exc.reason)
        logger.info("Neo4j refused a batch of %d articles (%s): looking for the article that "
                    "caused it", len(graphs), exc.reason)
    half = len(graphs) // 2
    result = write_in_parts(session, graphs[:half], write, force=force)
    result += write_in_parts(session, graphs[half:], write, force=force)
    return result


def _failed(result: LoadResult, graph: ArticleGraph, reason: str) -> LoadResult:
    logger.info("article %s not loaded: %s", graph.article.id, reason)
    result.failed[graph.article.id] = reason
    return result


def _commit(session: neo4j.Session, graphs: Sequence[ArticleGraph], write: Write,
            force: bool) -> LoadResult:
    """One transaction over `graphs`, re-run while its commit outcome is unknown."""
    lost: LoadResult | None = None  # what the first attempt whose commit reply was lost did
    for attempt in range(MAX_UNKNOWN_COMMITS + 1):
        done: list[LoadResult] = []
        try:
            result = session.execute_write(_guarded(write, graphs, done))
        except IncompleteCommit as exc:
            if attempt == MAX_UNKNOWN_COMMITS:
                raise LoadError(
                    f"the connection to Neo4j broke during the commit of a batch of {len(graphs)} "
                    f"articles {MAX_UNKNOWN_COMMITS + 1} times, so whether it was committed is "
                    f"unknown; run the ingest again (it is safe: loading is idempotent) ({exc})"
                ) from exc
            logger.info("the commit of a batch of %d articles had an unknown outcome (%s): "
                        "running it again", len(graphs), exc)
            if lost is None and done:
                lost = done[-1]
            continue
        except _TooLarge:
            raise
        except Neo4jError as exc:
            if exc.code in _TOO_LARGE:  # raised by the commit itself, after the driver's retries
                raise _TooLarge(exc) from exc
            if _about_data(exc):
                raise _Refused(f"refused by Neo4j: {exc.message}") from exc
            raise LoadError(f"Neo4j did not load a batch of {len(graphs)} articles, none of "
                            f"which was committed: {exc.code}: {exc.message}") from exc
        except _UNENCODABLE as exc:
            raise _Refused(f"a value the Neo4j driver cannot send: {exc}") from exc
        return result if lost is None else _after_unknown_commit(lost, result, force)
    raise AssertionError("unreachable")  # the loop returns or raises


def _guarded(write: Write, graphs: Sequence[ArticleGraph], done: list[LoadResult]
             ) -> Callable[[neo4j.ManagedTransaction], LoadResult]:
    def work(tx: neo4j.ManagedTransaction) -> LoadResult:
        if done and len(graphs) > 1:
            # Called again after an attempt that returned: its commit failed with an error the
            # driver retries. In practice that is the transaction memory limit, which Neo4j
            # checks as the commit turns the transaction's changes into commands; retrying
            # would fail the same way for the driver's whole retry time.
            raise _TooLarge(None)
        try:
            result = write(tx, graphs)
        except Neo4jError as exc:
            if exc.code in _TOO_LARGE:
                raise _TooLarge(exc) from exc  # splitting helps, retrying does not
            raise
        done.append(result)  # what this attempt did, should its commit reply be lost
        return result

    return work


def _about_data(exc: Neo4jError) -> bool:
    """Whether the server refused the values sent rather than the query, the session or itself."""
    if isinstance(exc, ConstraintError | CypherTypeError) or exc.code in _DATA_CODES:
        return True
    return not exc.code.startswith("Neo.ClientError.Security.") and (
        (exc.gql_status or "").startswith(_DATA_GQL_CLASS))


def _after_unknown_commit(lost: LoadResult, rerun: LoadResult, force: bool) -> LoadResult:
    """The result of a batch whose first commit had an unknown outcome and that ran again.

    A transaction commits whole: if the re-run finds unchanged what the lost attempt was
    loading (or, with `force`, finds present what it was adding), the lost commit went
    through and its statuses are the true ones; otherwise the re-run did the work.
    """
    loading = set(lost.new) | set(lost.updated)
    committed = loading & set(rerun.unchanged)
    if force:
        committed |= set(lost.new) & set(rerun.updated)
    if not committed:
        return rerun
    logger.info("the lost commit had gone through: %d articles loaded by it", len(loading))
    lost.counts += rerun.counts
    lost.reloaded.extend(rerun.reloaded)
    return lost
