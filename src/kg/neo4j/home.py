"""A managed server's home directory: where its files are, its password, ports and lock.

A *home* directory holds one server's configuration, data, logs and password; the jars are
shared by every home (`kg.neo4j.jars`)::

    <home>/
      kg-neo4j.json      manifest: versions and the jar cache this home uses
      conf/neo4j.conf    loopback-only, hardened; kg rewrites port and memory lines
      lib -> <cache>     symlink to the shared jars (~140 MB, resolved once)
      data/ logs/ import/ plugins/ run/
      auth/password      random admin password (dir 0700, file 0600), never printed
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
from collections.abc import Iterator
from pathlib import Path

from pydantic import SecretStr

from kg.errors import ServerError
from kg.neo4j.conf import (
    DEFAULT_BOLT_PORT,
    DEFAULT_HTTP_PORT,
    check_port,
    check_size,
    port_of,
    read_conf,
    update_conf,
)
from kg.neo4j.jars import NEO4J_VERSION, default_lib_cache

LOG_FILES = ("neo4j", "debug", "console", "query", "security")


class ServerHome:
    """One server home (see the module docstring). Cheap to construct; all state is on disk."""

    def __init__(self, home: Path | str, *, lib_cache: Path | None = None) -> None:
        self.home = Path(home).expanduser().resolve()
        self.lib_cache = lib_cache or default_lib_cache()

    @property
    def conf_dir(self) -> Path:
        return self.home / "conf"

    @property
    def conf_file(self) -> Path:
        return self.conf_dir / "neo4j.conf"

    @property
    def password_file(self) -> Path:
        return self.home / "auth" / "password"

    @property
    def pid_file(self) -> Path:
        return self.home / "run" / "kg-neo4j.pid"

    @property
    def manifest_file(self) -> Path:
        return self.home / "kg-neo4j.json"

    @property
    def logs_dir(self) -> Path:
        return self.home / "logs"

    def log_file(self, name: str = "neo4j") -> Path:
        if name not in LOG_FILES:
            raise ServerError(f"unknown log {name!r}; choose one of {', '.join(LOG_FILES)}")
        return self.logs_dir / f"{name}.log"


    def is_installed(self) -> bool:
        try:
            manifest = json.loads(self.manifest_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return False
        return (
            manifest.get("neo4j_version") == NEO4J_VERSION
            and self.conf_file.is_file()
            and self.password_file.is_file()
            and (self.home / "lib" / f"neo4j-{NEO4J_VERSION}.jar").is_file()
        )

    def read_password(self) -> SecretStr:
        try:
            password = self.password_file.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ServerError(
                f"no password file at {self.password_file}; run `kg neo4j install --home {self.home}`"
            ) from exc
        if not password:
            raise ServerError(f"the password file {self.password_file} is empty")
        return SecretStr(password)

    def process_env(self) -> dict[str, str]:
        env = dict(os.environ)
        env["NEO4J_HOME"] = str(self.home)
        env["NEO4J_CONF"] = str(self.conf_dir)
        return env


    def ports(self) -> tuple[int, int]:
        """(bolt, http) from neo4j.conf, or the defaults when not installed."""
        if not self.conf_file.is_file():
            return DEFAULT_BOLT_PORT, DEFAULT_HTTP_PORT
        conf = read_conf(self.conf_file)
        bolt = port_of(conf.get("server.bolt.listen_address", f":{DEFAULT_BOLT_PORT}"))
        http = port_of(conf.get("server.http.listen_address", f":{DEFAULT_HTTP_PORT}"))
        return bolt, http

    @property
    def bolt_uri(self) -> str:
        return f"bolt://127.0.0.1:{self.ports()[0]}"

    @property
    def http_url(self) -> str:
        return f"http://127.0.0.1:{self.ports()[1]}"

    def configure(
        self,
        *,
        bolt_port: int | None = None,
        http_port: int | None = None,
        heap: str | None = None,
        pagecache: str | None = None,
    ) -> bool:
        """Rewrite the port and memory lines of neo4j.conf; True if anything changed."""
        changes: dict[str, str] = {}
        if bolt_port is not None:
            check_port("--bolt-port", bolt_port)
            changes["server.bolt.listen_address"] = f"127.0.0.1:{bolt_port}"
            changes["server.bolt.advertised_address"] = f"127.0.0.1:{bolt_port}"
        if http_port is not None:
            check_port("--http-port", http_port)
            changes["server.http.listen_address"] = f"127.0.0.1:{http_port}"
            changes["server.http.advertised_address"] = f"127.0.0.1:{http_port}"
        if heap is not None:
            changes["server.memory.heap.initial_size"] = check_size("--heap", heap)
            changes["server.memory.heap.max_size"] = changes["server.memory.heap.initial_size"]
        if pagecache is not None:
            changes["server.memory.pagecache.size"] = check_size("--pagecache", pagecache)
        return bool(changes) and update_conf(self.conf_file, changes)


    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        """Serialise install, start and stop of this home across processes."""
        self.pid_file.parent.mkdir(parents=True, exist_ok=True)
        with (self.pid_file.parent / "kg-neo4j.lock").open("w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
