"""A managed local Neo4j Community server, built from Maven Central jars: start, stop, status, logs.

There is no Docker and no tarball download: Maven resolves Neo4j 5.26 LTS, its boot
loader and Neo4j Browser into a shared jar cache, and a *home* directory holds one
server's configuration, data, logs and password::

    <home>/
      kg-neo4j.json      manifest: versions and the jar cache this home uses
      conf/neo4j.conf    loopback-only, hardened; kg rewrites port and memory lines
      lib -> <cache>     symlink to the shared jars (~140 MB, resolved once)
      data/ logs/ import/ plugins/ run/
      auth/password      random admin password (dir 0700, file 0600), never printed

`ManagedServer(home).install()` is idempotent; `start()` runs the JVM detached and waits
until Bolt accepts the stored password; `stop()` sends SIGTERM, then SIGKILL.

The parts: `kg.neo4j.jars` (versions, Java, Maven, the jar cache), `kg.neo4j.conf`
(neo4j.conf), `kg.neo4j.home` (the home's files and password), `kg.neo4j.install`,
`kg.neo4j.processes` (ports and pids); this module runs the JVM.
"""

from __future__ import annotations

import contextlib
import re
import subprocess
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from kg.errors import ServerError
from kg.neo4j.conf import (
    DEFAULT_BOLT_PORT,
    DEFAULT_HEAP,
    DEFAULT_HTTP_PORT,
    DEFAULT_PAGECACHE,
    check_port,
    read_conf,
    read_conf_all,
)
from kg.neo4j.home import ServerHome
from kg.neo4j.install import InstallResult, install
from kg.neo4j.jars import NEO4J_VERSION, Progress, find_java, quiet
from kg.neo4j.processes import (
    accepts_tcp,
    alive,
    cmdline,
    file_size,
    http_answers,
    port_in_use,
    read_from,
    tail_lines,
    terminate,
)

ENTRY_POINT = "org.neo4j.server.CommunityEntryPoint"
USER = "neo4j"
START_TIMEOUT = 180.0
STOP_TIMEOUT = 60.0
# Bolt and HTTP word a taken port differently.
_BIND_FAILED = re.compile(r"(?:bind to the socket /?|Address )[^\s:]*:(\d+)(?: is already in use)?")

# JVM flags the official `neo4j` launcher adds; without the --add-opens the page cache
# falls back to a slower mode and logs a warning.
_JVM_FLAGS = (
    "-XX:+UseG1GC",
    "-XX:-OmitStackTraceInFastThrow",
    "-XX:+UnlockExperimentalVMOptions",
    "-XX:+TrustFinalNonStaticFields",
    "-XX:+DisableExplicitGC",
    "-XX:+ExitOnOutOfMemoryError",
    "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-Djdk.tls.ephemeralDHKeySize=2048",
    "-Djdk.tls.rejectClientInitiatedRenegotiation=true",
    "-Dlog4j2.disable.jmx=true",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED",
    # The tiered JIT's default code cache, fixed: a C1-only JVM (TieredStopAtLevel=1, as the
    # test servers run) otherwise gets 48 MB, which a long-lived server fills, and then a
    # query that needs a new adapter fails with "Out of space in CodeCache for adapters".
    "-XX:ReservedCodeCacheSize=240m",
)


class ServerStatus(BaseModel):
    """What `kg neo4j status` reports. The password itself is never part of it."""

    model_config = ConfigDict(extra="forbid")

    installed: bool
    running: bool
    pid: int | None
    version: str | None
    bolt_uri: str
    http_url: str
    browser_url: str
    user: str
    password_file: Path
    home: Path


class StartResult(BaseModel):
    model_config = ConfigDict(extra="forbid")

    already_running: bool
    seconds: float
    status: ServerStatus


class StopResult(BaseModel):
    model_config = ConfigDict(extra="forbid")

    was_running: bool
    pid: int | None
    forced: bool


class ManagedServer(ServerHome):
    """One Neo4j server living in `home`. Cheap to construct; all state is on disk."""

    def install(
        self,
        *,
        bolt_port: int = DEFAULT_BOLT_PORT,
        http_port: int = DEFAULT_HTTP_PORT,
        heap: str = DEFAULT_HEAP,
        pagecache: str = DEFAULT_PAGECACHE,
        extra_conf: Mapping[str, str] | None = None,
        progress: Progress = quiet,
    ) -> InstallResult:
        """Make the home a ready-to-start server (see `kg.neo4j.install.install`); idempotent."""
        return install(self, bolt_port=bolt_port, http_port=http_port, heap=heap,
                       pagecache=pagecache, extra_conf=extra_conf, progress=progress)

    def pid(self) -> int | None:
        """The server's pid if it is running from this home, else None."""
        try:
            pid = int(self.pid_file.read_text().strip())
        except (OSError, ValueError):
            return None
        if not alive(pid):
            return None
        command = cmdline(pid)
        # A stale pid file may name a pid reused by an unrelated process.
        if command is not None and not (
            ENTRY_POINT in command and f"--home-dir={self.home}" in command
        ):
            return None
        return pid

    def status(self) -> ServerStatus:
        pid = self.pid()
        installed = self.is_installed()
        return ServerStatus(
            installed=installed,
            running=pid is not None,
            pid=pid,
            version=NEO4J_VERSION if installed else None,
            bolt_uri=self.bolt_uri,
            http_url=self.http_url,
            browser_url=f"{self.http_url}/browser/",
            user=USER,
            password_file=self.password_file,
            home=self.home,
        )

    def java_command(self, java: Path) -> list[str]:
        conf = read_conf(self.conf_file)
        heap_min = conf.get("server.memory.heap.initial_size", DEFAULT_HEAP)
        heap_max = conf.get("server.memory.heap.max_size", heap_min)
        return [
            str(java),
            f"-Xms{heap_min}",
            f"-Xmx{heap_max}",
            *_JVM_FLAGS,
            *read_conf_all(self.conf_file, "server.jvm.additional"),
            "-cp",
            str(self.home / "lib" / "*"),
            ENTRY_POINT,
            f"--home-dir={self.home}",
            f"--config-dir={self.conf_dir}",
        ]


    def start(
        self,
        *,
        bolt_port: int | None = None,
        http_port: int | None = None,
        heap: str | None = None,
        pagecache: str | None = None,
        timeout: float = START_TIMEOUT,
        check_ports: bool = True,
    ) -> StartResult:
        """Start the server detached and wait until Bolt accepts the stored password.

        Options given here are written to neo4j.conf first. If the server is already
        running it is left alone (one server per home) and `already_running` is set;
        two concurrent starts of one home give one server.
        `check_ports=False` skips the pre-flight port check (Neo4j's log is still read).
        """
        if not self.is_installed():
            raise ServerError(
                f"no Neo4j server is installed in {self.home}; run `kg neo4j install --home {self.home}`"
            )
        with self.lock():
            return self._start(bolt_port, http_port, heap, pagecache, timeout, check_ports)

    def _start(
        self,
        bolt_port: int | None,
        http_port: int | None,
        heap: str | None,
        pagecache: str | None,
        timeout: float,
        check_ports: bool,
    ) -> StartResult:
        began = time.monotonic()
        running = self.pid()
        if running is not None:
            self._refuse_changes_while_running(bolt_port, http_port, heap, pagecache)
            return StartResult(
                already_running=True, seconds=time.monotonic() - began, status=self.status()
            )
        current_bolt, current_http = self.ports()
        bolt = current_bolt if bolt_port is None else check_port("--bolt-port", bolt_port)
        http = current_http if http_port is None else check_port("--http-port", http_port)
        # Checked before neo4j.conf is rewritten, so a refused port is not remembered.
        if check_ports:
            for port, what, option in (
                (bolt, "Bolt", "--bolt-port"),
                (http, "HTTP", "--http-port"),
            ):
                if port_in_use(port):
                    raise ServerError(
                        f"port {port} on 127.0.0.1 ({what}) is already in use by another process; "
                        f"stop it or choose a free port with {option}"
                    )
        java = find_java()
        self.configure(bolt_port=bolt_port, http_port=http_port, heap=heap, pagecache=pagecache)
        self._prepare_browser(http)
        self.logs_dir.mkdir(exist_ok=True)
        self.pid_file.parent.mkdir(exist_ok=True)
        offsets = {name: file_size(self.log_file(name)) for name in ("neo4j", "debug", "console")}
        with self.log_file("console").open("ab") as console:
            console.write(f"--- kg neo4j start {time.strftime('%Y-%m-%d %H:%M:%S')}\n".encode())
            console.flush()
            proc = subprocess.Popen(
                self.java_command(java),
                stdin=subprocess.DEVNULL,
                stdout=console,
                stderr=subprocess.STDOUT,
                cwd=self.home,
                env=self.process_env(),
                start_new_session=True,
            )
        self.pid_file.write_text(f"{proc.pid}\n")
        try:
            self._wait_until_ready(proc, timeout, offsets)
        except BaseException:
            if proc.poll() is None:
                terminate(proc.pid, STOP_TIMEOUT)
            with contextlib.suppress(OSError, subprocess.TimeoutExpired):
                proc.wait(timeout=5)
            self.pid_file.unlink(missing_ok=True)
            raise
        # The server outlives this Popen object; mark it handled so that Python does
        # not warn about a child still running when the object is collected.
        proc.returncode = 0
        return StartResult(
            already_running=False, seconds=time.monotonic() - began, status=self.status()
        )

    def _prepare_browser(self, http_port: int) -> None:
        """Browser opens with the project's style and query guide (kg.neo4j.browser_guide)."""
        from kg.neo4j import browser_guide
        from kg.neo4j.conf import update_conf
        from kg.neo4j.jars import BROWSER_VERSION

        browser_guide.write_browser_zip(self.home, self.home / "lib" / f"neo4j-browser-{BROWSER_VERSION}.jar")
        update_conf(self.conf_file, browser_guide.conf_lines(http_port))

    def _refuse_changes_while_running(
        self, bolt_port: int | None, http_port: int | None, heap: str | None, pagecache: str | None
    ) -> None:
        conf = read_conf(self.conf_file)
        bolt, http = self.ports()
        differs = (
            (bolt_port is not None and bolt_port != bolt)
            or (http_port is not None and http_port != http)
            or (heap is not None and heap.lower() != conf.get("server.memory.heap.max_size"))
            or (
                pagecache is not None
                and pagecache.lower() != conf.get("server.memory.pagecache.size")
            )
        )
        if differs:
            raise ServerError(
                f"Neo4j is already running from {self.home} (bolt port {bolt}, http port {http}); "
                "run `kg neo4j stop` before changing ports or memory"
            )

    def _wait_until_ready(
        self, proc: subprocess.Popen[bytes], timeout: float, offsets: dict[str, int]
    ) -> None:
        """Return once Bolt accepts the password and HTTP answers; raise if Neo4j dies."""
        from neo4j import GraphDatabase
        from neo4j.exceptions import AuthError, DriverError, Neo4jError

        deadline = time.monotonic() + timeout
        bolt, http = self.ports()
        password = self.read_password().get_secret_value()
        driver = GraphDatabase.driver(
            self.bolt_uri,
            auth=(USER, password),
            connection_timeout=3.0,
            connection_acquisition_timeout=5.0,
        )
        bolt_ready = False
        try:
            while True:
                code = proc.poll()
                if code is not None:
                    raise ServerError(
                        self._failure_message(f"Neo4j exited with code {code}", offsets)
                    )
                if time.monotonic() > deadline:
                    raise ServerError(
                        self._failure_message(
                            f"Neo4j did not answer within {timeout:.0f} s", offsets
                        )
                    )
                if not bolt_ready and accepts_tcp(bolt):
                    try:
                        driver.verify_connectivity()
                        bolt_ready = True
                    except AuthError as exc:
                        raise ServerError(
                            f"Neo4j in {self.home} is up but refused the password in "
                            f"{self.password_file} ({exc.message}). The database was created with "
                            "another password; remove its data/ directory and install again."
                        ) from exc
                    except (DriverError, Neo4jError, OSError):
                        pass
                # Neo4j binds HTTP after Bolt, and a taken HTTP port stops it only then.
                if bolt_ready and http_answers(http):
                    return
                time.sleep(0.5)
        finally:
            driver.close()

    def _failure_message(self, headline: str, offsets: dict[str, int]) -> str:
        """The headline, a port conflict named if the log shows one, and recent log lines."""
        logs = {name: read_from(self.log_file(name), offsets.get(name, 0)) for name in offsets}
        if "already in use" in logs["neo4j"] + logs["console"]:
            bolt, http = self.ports()
            names = {bolt: "Bolt", http: "HTTP"}
            bound = _BIND_FAILED.findall(logs["neo4j"] + logs["debug"])
            ports = [int(p) for p in bound] or [p for p in (bolt, http) if port_in_use(p)]
            which = " and ".join(f"{p} ({names.get(p, '?')})" for p in dict.fromkeys(ports))
            headline = (
                f"Neo4j could not listen on port {which or f'{bolt} or {http}'}: already in use "
                "by another process; choose free ports with --bolt-port/--http-port"
            )
        parts = [headline]
        for name in ("neo4j", "console", "debug"):
            # Stack frames say little to a user; the ERROR and "Caused by" lines say it all.
            lines = [
                line
                for line in logs[name].splitlines()
                if line.strip()
                and not line.startswith("\tat ")
                and not line.strip().startswith("...")
            ][-10:]
            if lines:
                parts.append(f"--- {self.log_file(name)} (last lines):\n" + "\n".join(lines))
            if name == "console" and len(parts) > 1:
                break  # debug.log only when the others are silent
        return "\n".join(parts)

    def stop(self, timeout: float = STOP_TIMEOUT) -> StopResult:
        """SIGTERM, wait up to `timeout` seconds for a clean shutdown, then SIGKILL."""
        if not self.pid_file.parent.is_dir():
            return StopResult(was_running=False, pid=None, forced=False)
        with self.lock():
            pid = self.pid()
            if pid is None:
                self.pid_file.unlink(missing_ok=True)
                return StopResult(was_running=False, pid=None, forced=False)
            forced = terminate(pid, timeout)
            self.pid_file.unlink(missing_ok=True)
            return StopResult(was_running=True, pid=pid, forced=forced)

    # logs
    def log_tail(self, lines: int = 50, name: str = "neo4j") -> list[str]:
        return tail_lines(self.log_file(name), lines)

    def follow(
        self, name: str = "neo4j", *, poll: float = 0.5, stop: Callable[[], bool] = lambda: False
    ) -> Iterator[str]:
        """Yield lines appended to a log from now on, until `stop()` is true."""
        path = self.log_file(name)
        offset = file_size(path)
        buffer = ""
        while not stop():
            size = file_size(path)
            if size < offset:  # rotated
                offset = 0
            if size > offset:
                with path.open("rb") as fh:
                    fh.seek(offset)
                    chunk = fh.read()
                offset += len(chunk)
                buffer += chunk.decode("utf-8", "replace")
                *complete, buffer = buffer.split("\n")
                yield from complete
            else:
                time.sleep(poll)
