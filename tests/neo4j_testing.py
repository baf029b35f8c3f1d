"""Types shared by the Neo4j fixtures (tests/conftest.py) and the tests that use them."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from kg.neo4j.processes import free_port
from kg.neo4j.server import ManagedServer

# Small servers that start and stop fast on a busy two-core machine: C1-only JIT roughly
# halves start-up, and no Bolt shutdown quiet period turns an 11 s stop into 1 s. These
# suit throw-away test servers only.
TEST_HEAP = "512m"
TEST_PAGECACHE = "128m"
TEST_CONF = {
    "server.jvm.additional": "-XX:TieredStopAtLevel=1",
    "internal.dbms.bolt.netty_server_shutdown_quiet_period": "0",
}


@contextmanager
def running_server(home: Path, *, extra_conf: Mapping[str, str] | None = None) -> Iterator[ManagedServer]:
    """A managed server of a test module's own in `home`, on free ports with the settings
    above (and `extra_conf`), started, and stopped afterwards."""
    server = ManagedServer(home)
    server.install(bolt_port=free_port(), http_port=free_port(), heap=TEST_HEAP,
                   pagecache=TEST_PAGECACHE, extra_conf={**TEST_CONF, **(extra_conf or {})})
    server.start()
    try:
        yield server
    finally:
        server.stop()


@dataclass(frozen=True)
class Neo4jTestServer:
    """Where the session's server listens and how to log in to it."""

    uri: str
    user: str
    password: str = field(repr=False)  # kept out of failure reports
    home: Path | None  # None when the server is not managed by kg
    http_url: str | None = None  # None when unknown (an external server without HTTP URL)

    @property
    def managed(self) -> bool:
        return self.home is not None

    @property
    def bolt_port(self) -> int:
        return int(self.uri.rsplit(":", 1)[1])
