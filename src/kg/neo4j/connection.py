"""Which Neo4j to talk to, and a checked driver for it.

Precedence: explicit options (`--uri/--user/--password/--database`) > environment
(`KG_NEO4J_*`, then Neo4j's own `NEO4J_URI/NEO4J_USERNAME/NEO4J_PASSWORD`) > the managed
local server in `KG_NEO4J_HOME` (its Bolt port from neo4j.conf, its password from the
0600 file). The local password is only ever sent to the local server.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from pydantic import SecretStr

from kg.config import Neo4jSettings
from kg.errors import ConfigError, ConnectionError_, KgError, SchemaError
from kg.neo4j.server import ManagedServer

if TYPE_CHECKING:
    import neo4j

_LOOPBACK = {"127.0.0.1", "localhost", "::1"}
_SCHEMES = {"bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc"}


def neo4j_settings(**overrides: Any) -> Neo4jSettings:
    """Settings from the environment, with every non-None keyword taking precedence."""
    return Neo4jSettings(**{key: value for key, value in overrides.items() if value is not None})


@dataclass(frozen=True)
class Target:
    """A resolved connection: where, as whom, and where that came from (for messages)."""

    uri: str
    user: str
    password: SecretStr
    database: str
    source: str
    server: ManagedServer | None = None


def resolve(settings: Neo4jSettings | None = None) -> Target:
    """Pick the server and credentials, without connecting."""
    settings = settings or neo4j_settings()
    server = ManagedServer(settings.home)
    if settings.uri:
        uri = settings.uri
        scheme = urlsplit(uri).scheme
        if scheme not in _SCHEMES:
            raise ConfigError(
                f"unsupported Neo4j URI {uri!r}: use bolt://, neo4j:// or their +s variants"
            )
        password = settings.password
        if password is None and _is_managed(uri, server):
            password = server.read_password()
        if password is None:
            raise ConfigError(
                f"no password for {uri}: set KG_NEO4J_PASSWORD (or NEO4J_PASSWORD), or pass --password"
            )
        return Target(uri, settings.user, password, settings.database, "settings")
    if not server.is_installed():
        raise ConnectionError_(
            "no Neo4j server is configured: set KG_NEO4J_URI and KG_NEO4J_PASSWORD, or run "
            f"`kg neo4j install && kg neo4j start` for a local server in {server.home}"
        )
    password = settings.password or server.read_password()
    return Target(
        server.bolt_uri,
        settings.user,
        password,
        settings.database,
        f"the local server in {server.home}",
        server,
    )


def _is_managed(uri: str, server: ManagedServer) -> bool:
    parts = urlsplit(uri)
    try:
        port = parts.port or 7687
    except ValueError:
        return False
    return parts.hostname in _LOOPBACK and server.is_installed() and port == server.ports()[0]


def connect(settings: Neo4jSettings | None = None, *, verify: bool = True) -> neo4j.Driver:
    """A driver for the resolved server, checked with `verify_connectivity()`.

    Raises `ConnectionError_` naming the URI when the server is unreachable or refuses
    the credentials. The caller closes the driver (it is a context manager).
    """
    return _open(resolve(settings), verify=verify)


@contextmanager
def connected(settings: Neo4jSettings | None = None) -> Iterator[neo4j.Driver]:
    """`connect()`, closed at the end; server errors escaping the block become `KgError`s.

    See `server_errors`: a lost server, or a refusal no library function turned into its own
    error, is one message naming the server instead of a traceback.
    """
    target = resolve(settings)
    driver = _open(target, verify=True)
    try:
        with server_errors(target):
            yield driver
    finally:
        driver.close()


@contextmanager
def server_errors(target: Target) -> Iterator[None]:
    """Turn the driver's errors escaping the block into `KgError`s naming the server.

    `ServiceUnavailable` / `SessionExpired` (the server went away, and the driver's retries,
    30 s for a transaction, ran out) become `ConnectionError_`. Any other `Neo4jError` that
    got this far becomes a `SchemaError` (a `.Schema.` code, such as a constraint that existing
    duplicates prevent) or a `KgError`, with Neo4j's code and message on one line.
    """
    from neo4j.exceptions import Neo4jError, ServiceUnavailable, SessionExpired

    try:
        yield
    except (ServiceUnavailable, SessionExpired) as exc:
        raise ConnectionError_(
            f"lost the connection to Neo4j at {target.uri} ({_one_line(exc)}); "
            f"{_start_hint(target)}. Work committed before the loss stays in the graph: "
            "run the same command again once the server is back"
        ) from exc
    except Neo4jError as exc:
        refusal = f"{_one_line(exc.message or exc)} ({exc.code})"
        if ".Schema." in (exc.code or ""):
            raise SchemaError(
                f"Neo4j at {target.uri} refused a schema change: {refusal}; fix the data it "
                "names, then run `kg schema apply`"
            ) from exc
        raise KgError(f"Neo4j at {target.uri} refused the request: {refusal}") from exc


def _one_line(exc: BaseException | str) -> str:
    """The driver's messages span lines; an `Error: …` line must not."""
    return " ".join(str(exc).split()) or type(exc).__name__


def _start_hint(target: Target) -> str:
    if target.server is not None:
        return f"start it with `kg neo4j start --home {target.server.home}`"
    return "check --uri / KG_NEO4J_URI and that the server is running"


def _open(target: Target, *, verify: bool) -> neo4j.Driver:
    from neo4j import GraphDatabase
    from neo4j.exceptions import AuthError, ConfigurationError, ServiceUnavailable

    try:
        driver = GraphDatabase.driver(
            target.uri, auth=(target.user, target.password.get_secret_value())
        )
    except (ConfigurationError, ValueError) as exc:
        raise ConfigError(f"cannot use Neo4j URI {target.uri!r}: {exc}") from exc
    if not verify:
        return driver
    try:
        driver.verify_connectivity()
    except AuthError as exc:
        driver.close()
        raise ConnectionError_(
            f"Neo4j at {target.uri} refused the credentials of user {target.user!r} "
            f"(from {target.source}); check --user/--password or KG_NEO4J_USER/KG_NEO4J_PASSWORD"
        ) from exc
    except (ServiceUnavailable, OSError) as exc:
        driver.close()
        raise ConnectionError_(
            f"cannot reach Neo4j at {target.uri} ({_one_line(exc)}); {_start_hint(target)}"
        ) from exc
    return driver


def managed_home(home: Path | None = None) -> Path:
    """The managed server's home: `home`, else KG_NEO4J_HOME, else ~/.cache/kg/neo4j."""
    return Path(home) if home is not None else neo4j_settings().home
