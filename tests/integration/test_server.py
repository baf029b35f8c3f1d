"""The managed Neo4j server against real JVMs: security, restarts, ports, the CLI.

The session server (`neo4j_server`) serves the read-only checks. Anything that stops,
restarts or breaks a server uses `spare`, a second throw-away server in its own home.
"""

from __future__ import annotations

import json
import socket
import stat
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from click.testing import CliRunner
from neo4j import Driver, GraphDatabase
from neo4j.exceptions import AuthError, ClientError

from kg.cli import main
from kg.errors import ConnectionError_, ServerError
from kg.neo4j.connection import connect, neo4j_settings
from kg.neo4j.processes import free_port
from kg.neo4j.server import ManagedServer
from tests.neo4j_testing import TEST_CONF, TEST_HEAP, Neo4jTestServer

pytestmark = pytest.mark.neo4j


def _require_managed(server: Neo4jTestServer) -> Path:
    if server.home is None:
        pytest.skip("only meaningful for a server managed by kg, not an external one")
    return server.home


def _listening(port: int) -> list[str]:
    """Local addresses (hex, as in /proc/net/tcp*) of sockets listening on `port`."""
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            address, hex_port = fields[1].split(":")
            if fields[3] == "0A" and int(hex_port, 16) == port:  # 0A = LISTEN
                found.append(address)
    return found


LOOPBACK_HEX = {
    "0100007F",  # 127.0.0.1
    "0000000000000000FFFF00000100007F",  # ::ffff:127.0.0.1
    "00000000000000000000000001000000",  # ::1
}


def _non_loopback_address() -> str | None:
    """An address of this machine other than loopback, if it has one."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        try:
            sock.connect(("192.0.2.1", 9))  # TEST-NET-1: nothing is sent
            address = str(sock.getsockname()[0])
        except OSError:
            return None
    return None if address.startswith("127.") else address


def _processes_with_home(home: Path) -> list[int]:
    pids = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            args = (proc / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if f"--home-dir={home}".encode() in args:
            pids.append(int(proc.name))
    return pids


def _password(home: Path) -> str:
    return (home / "auth" / "password").read_text().strip()


# --- the session server -------------------------------------------------------------


def test_server_answers_cypher(neo4j_driver: Driver) -> None:
    records, _, _ = neo4j_driver.execute_query("RETURN 40 + 2 AS answer")
    assert records[0]["answer"] == 42


def test_wrong_and_default_passwords_are_refused(neo4j_server: Neo4jTestServer) -> None:
    uri = neo4j_server.uri
    # Exactly two failures: a third would lock the user for a few seconds.
    with pytest.raises(ConnectionError_, match="refused the credentials"):
        connect(neo4j_settings(uri=uri, password="not-the-password"))
    with (
        GraphDatabase.driver(uri, auth=("neo4j", "neo4j")) as driver,
        pytest.raises(AuthError),
    ):
        driver.verify_connectivity()


def test_listens_on_loopback_only(neo4j_server: Neo4jTestServer) -> None:
    home = _require_managed(neo4j_server)
    bolt, http = ManagedServer(home).ports()
    for port in (bolt, http):
        addresses = _listening(port)
        assert addresses, f"nothing listens on port {port}"
        assert set(addresses) <= LOOPBACK_HEX, f"port {port} is bound to {addresses}"
    other = _non_loopback_address()
    if other is not None:
        with pytest.raises(OSError):
            socket.create_connection((other, bolt), timeout=2).close()


def test_browser_and_discovery_are_served(neo4j_server: Neo4jTestServer) -> None:
    home = _require_managed(neo4j_server)
    server = ManagedServer(home)
    with urllib.request.urlopen(f"{server.http_url}/browser/", timeout=10) as response:
        assert response.status == 200
        assert "Neo4j Browser" in response.read().decode("utf-8", "replace")
    with urllib.request.urlopen(f"{server.http_url}/", timeout=10) as response:
        discovery = json.loads(response.read())
    # The advertised address must be the real port, or Browser connects to the wrong one.
    assert discovery["bolt_direct"] == server.bolt_uri
    assert discovery["neo4j_version"] == "5.26.30"


def test_hardening_settings(neo4j_driver: Driver, neo4j_server: Neo4jTestServer) -> None:
    records, _, _ = neo4j_driver.execute_query("SHOW SETTINGS YIELD name, value RETURN name, value")
    settings = {r["name"]: r["value"] for r in records}
    assert settings["dbms.security.allow_csv_import_from_file_urls"] == "false"
    assert settings["dbms.security.procedures.unrestricted"] == ""
    assert settings["server.directories.import"]
    assert settings["dbms.security.auth_enabled"] == "true"
    if neo4j_server.managed:
        assert settings["dbms.usage_report.enabled"] == "false"
        assert settings["client.allow_telemetry"] == "false"
        assert settings["server.bolt.listen_address"].startswith("127.0.0.1:")
        assert settings["server.http.listen_address"].startswith("127.0.0.1:")
        assert settings["server.https.enabled"] == "false"
    # And the behaviour behind the CSV setting: no reading files through LOAD CSV.
    with pytest.raises(ClientError):
        neo4j_driver.execute_query("LOAD CSV FROM 'file:///etc/passwd' AS row RETURN count(row)")


def test_password_file_is_private_and_never_logged(neo4j_server: Neo4jTestServer) -> None:
    home = _require_managed(neo4j_server)
    password_file = home / "auth" / "password"
    assert stat.S_IMODE(password_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(password_file.parent.stat().st_mode) == 0o700
    password = _password(home)
    assert len(password) >= 24
    assert not list((home / "auth").glob("*.args")), (
        "the admin tool's argument file was left behind"
    )
    for log in (home / "logs").glob("*.log"):
        assert password not in log.read_text(errors="replace"), f"password found in {log}"
    # Not visible to other users in the process list either.
    for pid in _processes_with_home(home):
        assert password.encode() not in Path(f"/proc/{pid}/cmdline").read_bytes()


def test_cli_status_json(neo4j_server: Neo4jTestServer) -> None:
    home = _require_managed(neo4j_server)
    result = CliRunner().invoke(main, ["neo4j", "status", "--json", "--home", str(home)])
    assert result.exit_code == 0, result.output
    status = json.loads(result.output)
    assert set(status) == {
        "installed", "running", "pid", "version", "bolt_uri", "http_url", "browser_url",
        "user", "password_file", "home",
    }  # fmt: skip
    assert status["running"] is True
    assert status["pid"] in _processes_with_home(home)
    assert status["bolt_uri"] == neo4j_server.uri
    assert status["browser_url"].endswith("/browser/")
    assert status["user"] == "neo4j"
    assert status["version"] == "5.26.30"
    assert Path(status["password_file"]) == home / "auth" / "password"
    assert _password(home) not in result.output


def test_connect_uses_the_managed_server_by_default(
    neo4j_server: Neo4jTestServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = _require_managed(neo4j_server)
    for name in ("KG_NEO4J_URI", "NEO4J_URI", "KG_NEO4J_PASSWORD", "NEO4J_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("KG_NEO4J_HOME", str(home))
    with connect() as driver:
        records, _, _ = driver.execute_query("RETURN 'local' AS where")
    assert records[0]["where"] == "local"
    # neo4j:// (routing) works against the single server too.
    with connect(neo4j_settings(uri=neo4j_server.uri.replace("bolt://", "neo4j://"))) as driver:
        driver.verify_connectivity()


# --- a second, throw-away server ------------------------------------------------------


@pytest.fixture(scope="module")
def spare(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ManagedServer]:
    server = ManagedServer(tmp_path_factory.mktemp("spare-neo4j"))
    # A password that reads like an option: one in 64 generated ones starts with "-",
    # and neo4j-admin once took such a password for an unknown flag.
    server.password_file.parent.mkdir(mode=0o700)
    server.password_file.write_text("-dash-first-password\n", encoding="utf-8")
    server.install(
        bolt_port=free_port(),
        http_port=free_port(),
        heap=TEST_HEAP,
        pagecache="64m",
        extra_conf=TEST_CONF,
    )
    try:
        yield server
    finally:
        server.stop()


def test_install_again_changes_nothing_and_keeps_the_password(spare: ManagedServer) -> None:
    # How quickly: `make bench` ("server install again").
    before = _password(spare.home)
    result = spare.install()
    assert result.already_installed and not result.resolved_jars
    assert _password(spare.home) == before


def test_cli_start_twice_gives_one_server(spare: ManagedServer) -> None:
    runner = CliRunner()
    home = str(spare.home)
    # A concurrent start from another process's point of view: its own lock file handle.
    with ThreadPoolExecutor(max_workers=1) as pool:
        concurrent = pool.submit(ManagedServer(spare.home).start)
        first = runner.invoke(main, ["neo4j", "start", "--home", home])
        other = concurrent.result()
    assert first.exit_code == 0, first.output
    assert f"{spare.http_url}/browser/" in first.output
    assert "User:     neo4j" in first.output
    assert str(spare.password_file) in first.output
    assert _password(spare.home) not in first.output
    # Exactly one of the two started the server; the other found it running.
    assert other.already_running != ("already running" in first.output)
    # The CLI readies a server it started for kg (kg.neo4j.warmup); one found running is left be.
    assert ("Ready for kg in" in first.output) == other.already_running
    pid = spare.pid()
    assert pid is not None
    assert _processes_with_home(spare.home) == [pid]

    second = runner.invoke(main, ["neo4j", "start", "--home", home])
    assert second.exit_code == 0, second.output
    assert "already running" in second.output and "Ready for kg" not in second.output
    assert spare.pid() == pid
    assert _processes_with_home(spare.home) == [pid]

    # Other ports while running: refused rather than silently ignored.
    bolt, _ = spare.ports()
    third = runner.invoke(main, ["neo4j", "start", "--home", home, "--bolt-port", str(bolt + 1)])
    assert third.exit_code == 1
    assert "already running" in third.output
    assert "kg neo4j stop" in third.output
    assert spare.ports()[0] == bolt
    assert spare.pid() == pid


def test_data_survives_a_restart(spare: ManagedServer) -> None:
    spare.start()
    settings = neo4j_settings(home=spare.home, uri=None)
    with connect(settings) as driver:
        driver.execute_query("CREATE (:KgRestartProbe {name: 'kept'})")
    runner = CliRunner()
    stopped = runner.invoke(main, ["neo4j", "stop", "--home", str(spare.home)])
    assert stopped.exit_code == 0, stopped.output
    assert "stopped" in stopped.output
    assert spare.pid() is None
    assert _processes_with_home(spare.home) == []
    with pytest.raises(ConnectionError_, match="kg neo4j start"):
        connect(settings)

    spare.start()
    with connect(settings) as driver:
        records, _, _ = driver.execute_query("MATCH (n:KgRestartProbe) RETURN n.name AS name")
    assert [r["name"] for r in records] == ["kept"]


def test_cli_logs(spare: ManagedServer) -> None:
    spare.start()
    result = CliRunner().invoke(main, ["neo4j", "logs", "-n", "200", "--home", str(spare.home)])
    assert result.exit_code == 0, result.output
    assert "Started." in result.output
    assert len(result.output.splitlines()) <= 200


def test_stop_kills_after_the_timeout_and_a_second_stop_is_harmless(
    spare: ManagedServer,
) -> None:
    spare.start()
    pid = spare.pid()
    # No time for a clean shutdown: SIGTERM, then SIGKILL at once.
    result = spare.stop(timeout=0)
    assert result.was_running and result.forced and result.pid == pid
    assert _processes_with_home(spare.home) == []
    assert not spare.pid_file.exists()
    stopped = CliRunner().invoke(main, ["neo4j", "stop", "--home", str(spare.home)])
    assert stopped.exit_code == 0
    assert "not running" in stopped.output


@pytest.fixture
def occupied_port() -> Iterator[int]:
    """A port with a listener on 127.0.0.1, as another program would hold it."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield int(sock.getsockname()[1])


def test_taken_port_is_named_before_starting(spare: ManagedServer, occupied_port: int) -> None:
    spare.stop()
    result = CliRunner().invoke(
        main, ["neo4j", "start", "--home", str(spare.home), "--bolt-port", str(occupied_port)]
    )
    assert result.exit_code == 1
    assert f"Error: port {occupied_port} on 127.0.0.1 (Bolt) is already in use" in result.output
    assert "--bolt-port" in result.output
    assert spare.pid() is None
    assert spare.ports()[0] != occupied_port  # the refused port was not written to neo4j.conf


def test_taken_port_is_named_from_neo4js_log(spare: ManagedServer, occupied_port: int) -> None:
    spare.stop()
    # Skipping the pre-flight check stands for losing a race for the port.
    with pytest.raises(ServerError) as caught:
        spare.start(http_port=occupied_port, check_ports=False, timeout=120)
    message = str(caught.value)
    assert f"port {occupied_port} (HTTP)" in message
    assert "already in use" in message
    assert spare.pid() is None
    assert _processes_with_home(spare.home) == []
    spare.configure(http_port=free_port())  # leave the spare usable
