"""A managed local Neo4j Community server, built from Maven Central jars.

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
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

from platformdirs import user_cache_dir
from pydantic import BaseModel, ConfigDict, SecretStr

from kg.errors import ServerError

NEO4J_VERSION = "5.26.30"
BROWSER_VERSION = "5.24.0"
# Pinned so that a resolve gives the same jars on every machine.
DEPENDENCY_PLUGIN = "org.apache.maven.plugins:maven-dependency-plugin:3.8.1"
MIN_JAVA = 17
ENTRY_POINT = "org.neo4j.server.CommunityEntryPoint"
ADMIN_TOOL = "org.neo4j.cli.AdminTool"
USER = "neo4j"

DEFAULT_BOLT_PORT = 7687
DEFAULT_HTTP_PORT = 7474
DEFAULT_HEAP = "1g"
DEFAULT_PAGECACHE = "512m"
START_TIMEOUT = 180.0
STOP_TIMEOUT = 60.0

LOG_FILES = ("neo4j", "debug", "console", "query", "security")
_INSTALL_HINT = "apt-get install openjdk-17-jre-headless maven"
_PASSWORD = re.compile(r"^[A-Za-z0-9_.~+=/-]{8,}$")
_SIZE = re.compile(r"^\d+[kKmMgG]?$")
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
)

_POM = """<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>kg.local</groupId>
  <artifactId>kg-neo4j-lib</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>org.neo4j.app</groupId><artifactId>neo4j-server</artifactId>
      <version>{neo4j}</version>
    </dependency>
    <dependency>
      <groupId>org.neo4j</groupId><artifactId>neo4j</artifactId>
      <version>{neo4j}</version>
    </dependency>
    <dependency>
      <groupId>org.neo4j.client</groupId><artifactId>neo4j-browser</artifactId>
      <version>{browser}</version>
    </dependency>
  </dependencies>
</project>
"""


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


class InstallResult(BaseModel):
    model_config = ConfigDict(extra="forbid")

    already_installed: bool
    resolved_jars: bool  # False when the shared jar cache was reused
    seconds: float
    home: Path
    lib: Path


Progress = Callable[[str], None]


def _quiet(_: str) -> None:
    pass


def default_lib_cache() -> Path:
    """Where resolved jars are kept, shared by every home of the same versions."""
    return Path(user_cache_dir("kg")) / f"neo4j-{NEO4J_VERSION}-browser-{BROWSER_VERSION}"


# --- Java and Maven -----------------------------------------------------------------


def find_java() -> Path:
    """The `java` from JAVA_HOME, else from PATH; it must be Java 17 or newer."""
    java_home = os.environ.get("JAVA_HOME")
    candidate: str | None = None
    if java_home and (Path(java_home) / "bin" / "java").is_file():
        candidate = str(Path(java_home) / "bin" / "java")
    else:
        candidate = shutil.which("java")
    if candidate is None:
        raise ServerError(
            f"Java {MIN_JAVA} or newer is needed to run Neo4j {NEO4J_VERSION} and none was found "
            f"(checked JAVA_HOME and PATH). Install it with `{_INSTALL_HINT}`."
        )
    major = java_major_version(Path(candidate))
    if major < MIN_JAVA:
        raise ServerError(
            f"Neo4j {NEO4J_VERSION} needs Java {MIN_JAVA} or newer; {candidate} is Java {major}. "
            f"Install it with `{_INSTALL_HINT}` or point JAVA_HOME at a newer JDK."
        )
    return Path(candidate)


def java_major_version(java: Path) -> int:
    try:
        out = subprocess.run(
            [str(java), "-version"], capture_output=True, text=True, timeout=60, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ServerError(f"could not run {java} -version: {exc}") from exc
    match = re.search(r'version "(\d+)(?:\.(\d+))?', out.stderr + out.stdout)
    if match is None:
        raise ServerError(f"could not read the Java version from `{java} -version`")
    major = int(match.group(1))
    # Java 8 and older report themselves as 1.x.
    return int(match.group(2) or 0) if major == 1 else major


def find_maven() -> Path:
    mvn = shutil.which("mvn")
    if mvn is None:
        raise ServerError(
            "Maven (`mvn`) is needed once, to fetch Neo4j's jars from Maven Central. "
            f"Install it with `{_INSTALL_HINT}`."
        )
    return Path(mvn)


def resolve_jars(cache: Path, *, progress: Progress = _quiet) -> bool:
    """Fill `cache/lib` with Neo4j's jars unless a complete cache is there. True if resolved.

    The jars are resolved into a temporary sibling and renamed into place, so a cache
    directory is either complete or absent, even with two installs racing.
    """
    if _cache_complete(cache):
        return False
    mvn = find_maven()
    cache.parent.mkdir(parents=True, exist_ok=True)
    progress(
        f"Resolving Neo4j {NEO4J_VERSION} and Browser {BROWSER_VERSION} from Maven Central "
        "(about a minute the first time)…"
    )
    work = Path(tempfile.mkdtemp(prefix=f".{cache.name}.", dir=cache.parent))
    try:
        (work / "pom.xml").write_text(
            _POM.format(neo4j=NEO4J_VERSION, browser=BROWSER_VERSION), encoding="utf-8"
        )
        cmd = [
            str(mvn),
            "-q",
            "-B",
            "--strict-checksums",
            "-f",
            str(work / "pom.xml"),
            f"{DEPENDENCY_PLUGIN}:copy-dependencies",
            f"-DoutputDirectory={work / 'lib'}",
        ]
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=1800, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise ServerError(f"Maven could not resolve Neo4j's jars: {exc}") from exc
        if done.returncode != 0:
            tail = "\n".join((done.stdout + done.stderr).strip().splitlines()[-15:])
            raise ServerError(
                f"Maven could not resolve Neo4j's jars (exit {done.returncode}). "
                f"Is Maven Central reachable?\n{tail}"
            )
        jars = sorted(p.name for p in (work / "lib").glob("*.jar"))
        if f"neo4j-{NEO4J_VERSION}.jar" not in jars:
            raise ServerError(f"Maven finished but neo4j-{NEO4J_VERSION}.jar is missing")
        manifest = {
            "neo4j_version": NEO4J_VERSION,
            "browser_version": BROWSER_VERSION,
            "jars": jars,
        }
        (work / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        try:
            work.rename(cache)
        except OSError as exc:
            # Another install won the race; its cache is as good as ours.
            if not _cache_complete(cache):
                raise ServerError(f"could not move the jar cache into {cache}: {exc}") from exc
            return False
        return True
    finally:
        if work.exists():
            shutil.rmtree(work, ignore_errors=True)


def _cache_complete(cache: Path) -> bool:
    try:
        manifest = json.loads((cache / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    jars = manifest.get("jars", [])
    return (
        manifest.get("neo4j_version") == NEO4J_VERSION
        and manifest.get("browser_version") == BROWSER_VERSION
        and bool(jars)
        and all((cache / "lib" / name).is_file() for name in jars)
    )


# --- neo4j.conf ---------------------------------------------------------------------


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


def _port_of(address: str) -> int:
    try:
        return int(address.rsplit(":", 1)[1])
    except (IndexError, ValueError) as exc:
        raise ServerError(
            f"cannot read a port from listen address {address!r} in neo4j.conf"
        ) from exc


def _check_size(name: str, value: str) -> str:
    if not _SIZE.match(value):
        raise ServerError(f"{name} must be a size such as 512m or 2g, not {value!r}")
    return value.lower()


def _check_port(name: str, port: int) -> int:
    if not 1 <= port <= 65535:
        raise ServerError(f"{name} must be between 1 and 65535, not {port}")
    return port


# --- ports and processes ------------------------------------------------------------


def port_in_use(port: int, host: str = "127.0.0.1") -> bool:
    """True if something already listens on host:port (so Neo4j could not bind it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        # As Neo4j's own listener does, so that TIME_WAIT leftovers do not count.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as exc:
            if exc.errno in (errno.EADDRINUSE, errno.EACCES):
                return True
            raise
    return False


def free_port() -> int:
    """A port nobody listens on right now (for tests and throw-away servers)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A child that exited but was not waited for is a zombie: gone for our purposes.
    with contextlib.suppress(ChildProcessError, OSError):
        if os.waitpid(pid, os.WNOHANG)[0] == pid:
            return False
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat.rsplit(")", 1)[-1].split()[0] != "Z"


def _cmdline(pid: int) -> list[str] | None:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return None
    return [part.decode("utf-8", "replace") for part in raw.split(b"\0") if part]


def _tail(path: Path, lines: int) -> list[str]:
    try:
        with path.open("rb") as fh:
            fh.seek(0, os.SEEK_END)
            size = fh.tell()
            fh.seek(max(0, size - 256 * 1024))
            text = fh.read().decode("utf-8", "replace")
    except OSError:
        return []
    return text.splitlines()[-lines:] if lines > 0 else []


# --- the server ---------------------------------------------------------------------


class ManagedServer:
    """One Neo4j server living in `home`. Cheap to construct; all state is on disk."""

    def __init__(self, home: Path | str, *, lib_cache: Path | None = None) -> None:
        self.home = Path(home).expanduser().resolve()
        self.lib_cache = lib_cache or default_lib_cache()

    # paths
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

    # install
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

    def install(
        self,
        *,
        bolt_port: int = DEFAULT_BOLT_PORT,
        http_port: int = DEFAULT_HTTP_PORT,
        heap: str = DEFAULT_HEAP,
        pagecache: str = DEFAULT_PAGECACHE,
        extra_conf: Mapping[str, str] | None = None,
        progress: Progress = _quiet,
    ) -> InstallResult:
        """Make `home` a ready-to-start server. Running it again changes nothing.

        `extra_conf` adds neo4j.conf lines to a new home (the tests use it for a
        faster-starting JVM); `server.jvm.additional` values go to the JVM.
        """
        began = time.monotonic()
        if self.is_installed():
            return InstallResult(
                already_installed=True,
                resolved_jars=False,
                seconds=time.monotonic() - began,
                home=self.home,
                lib=(self.home / "lib").resolve(),
            )
        java = find_java()
        _check_port("--bolt-port", bolt_port)
        _check_port("--http-port", http_port)
        heap, pagecache = _check_size("--heap", heap), _check_size("--pagecache", pagecache)
        resolved = resolve_jars(self.lib_cache, progress=progress)
        self.home.mkdir(parents=True, exist_ok=True)
        with self._lock():
            if not self.is_installed():  # unless a concurrent install just finished
                self._install_home(
                    java, bolt_port, http_port, heap, pagecache, dict(extra_conf or {}), progress
                )
        return InstallResult(
            already_installed=False,
            resolved_jars=resolved,
            seconds=time.monotonic() - began,
            home=self.home,
            lib=(self.home / "lib").resolve(),
        )

    def _install_home(
        self,
        java: Path,
        bolt_port: int,
        http_port: int,
        heap: str,
        pagecache: str,
        extra_conf: dict[str, str],
        progress: Progress,
    ) -> None:
        for sub in ("conf", "data", "logs", "import", "plugins", "run"):
            (self.home / sub).mkdir(exist_ok=True)
        lib = self.home / "lib"
        if lib.is_symlink() and lib.resolve() != (self.lib_cache / "lib").resolve():
            lib.unlink()  # points at another (older or removed) jar cache
        if not lib.exists():
            lib.symlink_to(self.lib_cache / "lib", target_is_directory=True)
        if not self.conf_file.exists():
            conf = render_conf(
                self.home, bolt_port=bolt_port, http_port=http_port, heap=heap, pagecache=pagecache
            )
            if extra_conf:
                conf += "\n# Added at install.\n"
                conf += "".join(f"{key}={value}\n" for key, value in extra_conf.items())
            self.conf_file.write_text(conf, encoding="utf-8")
        self._ensure_password(java, progress)
        manifest = {
            "neo4j_version": NEO4J_VERSION,
            "browser_version": BROWSER_VERSION,
            "lib": str(self.lib_cache / "lib"),
        }
        self.manifest_file.write_text(json.dumps(manifest, indent=2), encoding="utf-8")

    def _database_created(self) -> bool:
        return (self.home / "data" / "databases" / "system").exists()

    def _ensure_password(self, java: Path, progress: Progress) -> None:
        """Generate the admin password and hand it to Neo4j before the first start."""
        auth = self.password_file.parent
        auth.mkdir(mode=0o700, exist_ok=True)
        os.chmod(auth, 0o700)
        if self._database_created():
            if self.password_file.is_file():
                return
            raise ServerError(
                f"{self.home} already holds a database but no password file {self.password_file}; "
                "its password cannot be set any more. Use a new --home, or remove "
                f"{self.home / 'data'} to start from an empty database."
            )
        created = not self.password_file.exists()
        if created:
            fd = os.open(self.password_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(secrets.token_urlsafe(24) + "\n")
        os.chmod(self.password_file, 0o600)
        password = self.read_password().get_secret_value()
        if not _PASSWORD.match(password):
            # It travels through an argument file, where spaces and quotes have meaning.
            raise ServerError(
                f"the password in {self.password_file} must be at least 8 characters of "
                "letters, digits and -_.~+=/ only"
            )
        progress("Setting the initial admin password…")
        # picocli reads arguments from an @file, which keeps the password out of the
        # process list; the file lives in the 0700 auth dir and is removed at once.
        # "--" ends the options: a generated password may start with "-".
        argfile = auth / "set-initial-password.args"
        fd = os.open(argfile, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(f"dbms\nset-initial-password\n--\n{password}\n")
        try:
            done = subprocess.run(
                [str(java), "-cp", str(self.home / "lib" / "*"), ADMIN_TOOL, f"@{argfile}"],
                capture_output=True,
                text=True,
                timeout=300,
                check=False,
                env=self._env(),
                cwd=self.home,
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise ServerError(f"could not run neo4j-admin to set the password: {exc}") from exc
        finally:
            argfile.unlink(missing_ok=True)
        if done.returncode != 0:
            if created:
                self.password_file.unlink(missing_ok=True)
            output = (done.stdout + done.stderr).replace(password, "********").strip()
            raise ServerError(f"neo4j-admin could not set the initial password:\n{output}")

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

    def _env(self) -> dict[str, str]:
        env = dict(os.environ)
        env["NEO4J_HOME"] = str(self.home)
        env["NEO4J_CONF"] = str(self.conf_dir)
        return env

    # configuration
    def ports(self) -> tuple[int, int]:
        """(bolt, http) from neo4j.conf, or the defaults when not installed."""
        if not self.conf_file.is_file():
            return DEFAULT_BOLT_PORT, DEFAULT_HTTP_PORT
        conf = read_conf(self.conf_file)
        bolt = _port_of(conf.get("server.bolt.listen_address", f":{DEFAULT_BOLT_PORT}"))
        http = _port_of(conf.get("server.http.listen_address", f":{DEFAULT_HTTP_PORT}"))
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
            _check_port("--bolt-port", bolt_port)
            changes["server.bolt.listen_address"] = f"127.0.0.1:{bolt_port}"
            changes["server.bolt.advertised_address"] = f"127.0.0.1:{bolt_port}"
        if http_port is not None:
            _check_port("--http-port", http_port)
            changes["server.http.listen_address"] = f"127.0.0.1:{http_port}"
            changes["server.http.advertised_address"] = f"127.0.0.1:{http_port}"
        if heap is not None:
            changes["server.memory.heap.initial_size"] = _check_size("--heap", heap)
            changes["server.memory.heap.max_size"] = changes["server.memory.heap.initial_size"]
        if pagecache is not None:
            changes["server.memory.pagecache.size"] = _check_size("--pagecache", pagecache)
        return bool(changes) and update_conf(self.conf_file, changes)

    # running
    def pid(self) -> int | None:
        """The server's pid if it is running from this home, else None."""
        try:
            pid = int(self.pid_file.read_text().strip())
        except (OSError, ValueError):
            return None
        if not _alive(pid):
            return None
        cmdline = _cmdline(pid)
        # A stale pid file may name a pid reused by an unrelated process.
        if cmdline is not None and not (
            ENTRY_POINT in cmdline and f"--home-dir={self.home}" in cmdline
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

    @contextlib.contextmanager
    def _lock(self) -> Iterator[None]:
        """Serialise start and stop of this home across processes."""
        self.pid_file.parent.mkdir(parents=True, exist_ok=True)
        with (self.pid_file.parent / "kg-neo4j.lock").open("w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

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
        with self._lock():
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
        bolt = current_bolt if bolt_port is None else _check_port("--bolt-port", bolt_port)
        http = current_http if http_port is None else _check_port("--http-port", http_port)
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
        self.logs_dir.mkdir(exist_ok=True)
        self.pid_file.parent.mkdir(exist_ok=True)
        offsets = {name: _size(self.log_file(name)) for name in ("neo4j", "debug", "console")}
        with self.log_file("console").open("ab") as console:
            console.write(f"--- kg neo4j start {time.strftime('%Y-%m-%d %H:%M:%S')}\n".encode())
            console.flush()
            proc = subprocess.Popen(
                self.java_command(java),
                stdin=subprocess.DEVNULL,
                stdout=console,
                stderr=subprocess.STDOUT,
                cwd=self.home,
                env=self._env(),
                start_new_session=True,
            )
        self.pid_file.write_text(f"{proc.pid}\n")
        try:
            self._wait_until_ready(proc, timeout, offsets)
        except BaseException:
            if proc.poll() is None:
                self._terminate(proc.pid, STOP_TIMEOUT)
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
                if not bolt_ready and _accepts_tcp(bolt):
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
                if bolt_ready and _http_answers(http):
                    return
                time.sleep(0.5)
        finally:
            driver.close()

    def _failure_message(self, headline: str, offsets: dict[str, int]) -> str:
        """The headline, a port conflict named if the log shows one, and recent log lines."""
        logs = {name: _read_from(self.log_file(name), offsets.get(name, 0)) for name in offsets}
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
        with self._lock():
            pid = self.pid()
            if pid is None:
                self.pid_file.unlink(missing_ok=True)
                return StopResult(was_running=False, pid=None, forced=False)
            forced = self._terminate(pid, timeout)
            self.pid_file.unlink(missing_ok=True)
            return StopResult(was_running=True, pid=pid, forced=forced)

    @staticmethod
    def _terminate(pid: int, timeout: float) -> bool:
        """Stop `pid`; True if it had to be killed."""
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not _alive(pid):
                return False
            time.sleep(0.2)
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        for _ in range(50):
            if not _alive(pid):
                break
            time.sleep(0.1)
        return True

    # logs
    def log_tail(self, lines: int = 50, name: str = "neo4j") -> list[str]:
        return _tail(self.log_file(name), lines)

    def follow(
        self, name: str = "neo4j", *, poll: float = 0.5, stop: Callable[[], bool] = lambda: False
    ) -> Iterator[str]:
        """Yield lines appended to a log from now on, until `stop()` is true."""
        path = self.log_file(name)
        offset = _size(path)
        buffer = ""
        while not stop():
            size = _size(path)
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


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _read_from(path: Path, offset: int) -> str:
    try:
        with path.open("rb") as fh:
            fh.seek(offset)
            return fh.read().decode("utf-8", "replace")
    except OSError:
        return ""


def _http_answers(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2.0) as response:
            return int(response.status) == 200
    except (OSError, ValueError):
        return False


def _accepts_tcp(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1.0):
            return True
    except OSError:
        return False
