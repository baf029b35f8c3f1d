"""A server home's neo4j.conf: written once at install, then only its port and memory lines.

kg writes a loopback-only, hardened configuration (`render_conf`) and afterwards rewrites only
the lines it owns (`update_conf`), keeping every edit a user made.
"""

from __future__ import annotations

import re
from pathlib import Path

from kg.errors import ServerError
from kg.neo4j.jars import NEO4J_VERSION

DEFAULT_BOLT_PORT = 7687
DEFAULT_HTTP_PORT = 7474
DEFAULT_HEAP = "1g"
DEFAULT_PAGECACHE = "512m"
_SIZE = re.compile(r"^\d+[kKmMgG]?$")


def render_conf(home: Path, *, bolt_port: int, http_port: int, heap: str, pagecache: str) -> str:
    """The initial neo4j.conf: loopback only, authenticated, no file URLs, no telemetry."""
    d = home.resolve()
    return f"""\
# Written by `kg neo4j install` for Neo4j {NEO4J_VERSION}.
# `kg neo4j start --bolt-port/--http-port/--heap/--pagecache` rewrites the matching
# lines below; any other edit you make here is kept.

server.directories.data={d / "data"}
server.directories.logs={d / "logs"}
server.directories.import={d / "import"}
server.directories.plugins={d / "plugins"}
server.directories.run={d / "run"}
server.directories.lib={d / "lib"}

# Reachable from this machine only.
server.default_listen_address=127.0.0.1
server.default_advertised_address=127.0.0.1
server.bolt.listen_address=127.0.0.1:{bolt_port}
server.bolt.advertised_address=127.0.0.1:{bolt_port}
server.http.listen_address=127.0.0.1:{http_port}
server.http.advertised_address=127.0.0.1:{http_port}
server.https.enabled=false
# A single server: no server-side routing listener (neo4j:// still works).
dbms.routing.enabled=false
server.http_enabled_modules=TRANSACTIONAL_ENDPOINTS,QUERY_API_ENDPOINTS,BROWSER

# Hardening: passwords on, LOAD CSV limited to the import directory, no unrestricted
# procedures, nothing reported home.
dbms.security.auth_enabled=true
dbms.security.allow_csv_import_from_file_urls=false
dbms.security.procedures.unrestricted=
dbms.usage_report.enabled=false
client.allow_telemetry=false
browser.remote_content_hostname_whitelist=localhost

# Memory. The heap lines are read by kg (the JVM's -Xms/-Xmx), not by Neo4j itself.
server.memory.heap.initial_size={heap}
server.memory.heap.max_size={heap}
server.memory.pagecache.size={pagecache}

# Log only slow queries.
db.logs.query.enabled=INFO
db.logs.query.threshold=2s

# Grow transaction logs as needed instead of reserving 256 MiB per database up front.
db.tx_log.preallocate=false
"""


def read_conf(path: Path) -> dict[str, str]:
    """`key=value` lines of a neo4j.conf; for repeated keys the last one wins."""
    values: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#") or "=" not in stripped:
            continue
        key, _, value = stripped.partition("=")
        values[key.strip()] = value.strip()
    return values


def read_conf_all(path: Path, key: str) -> list[str]:
    """Every value of a repeatable key such as `server.jvm.additional`."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        k, sep, v = line.strip().partition("=")
        if sep and not k.startswith("#") and k.strip() == key:
            out.append(v.strip())
    return out


def update_conf(path: Path, changes: dict[str, str]) -> bool:
    """Set `changes` in place, keeping every other line; True if the file changed."""
    lines = path.read_text(encoding="utf-8").splitlines()
    pending = dict(changes)
    out: list[str] = []
    for line in lines:
        key, sep, value = line.strip().partition("=")
        key = key.strip()
        if sep and not key.startswith("#") and key in changes:
            if key not in pending:
                continue  # a duplicate of a key already rewritten
            out.append(f"{key}={pending.pop(key)}")
        else:
            out.append(line)
    out.extend(f"{key}={value}" for key, value in pending.items())
    text = "\n".join(out) + "\n"
    if text == path.read_text(encoding="utf-8"):
        return False
    path.write_text(text, encoding="utf-8")
    return True


def port_of(address: str) -> int:
    try:
        return int(address.rsplit(":", 1)[1])
    except (IndexError, ValueError) as exc:
        raise ServerError(
            f"cannot read a port from listen address {address!r} in neo4j.conf"
        ) from exc


def check_size(name: str, value: str) -> str:
    if not _SIZE.match(value):
        raise ServerError(f"{name} must be a size such as 512m or 2g, not {value!r}")
    return value.lower()


def check_port(name: str, port: int) -> int:
    if not 1 <= port <= 65535:
        raise ServerError(f"{name} must be between 1 and 65535, not {port}")
    return port
