"""Server management without a running Neo4j: prerequisites, neo4j.conf, settings, help."""

from __future__ import annotations

import stat
import threading
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.cli.options import neo4j_options
from kg.config import Neo4jSettings
from kg.errors import ConfigError, ConnectionError_, ServerError
from kg.neo4j.conf import read_conf, render_conf, update_conf
from kg.neo4j.connection import neo4j_settings, resolve
from kg.neo4j.jars import find_java, resolve_jars
from kg.neo4j.processes import free_port, port_in_use
from kg.neo4j.server import ManagedServer


def _fake_java(bin_dir: Path, version_line: str) -> None:
    """An executable `java` that reports `version_line`, as an old JDK would."""
    bin_dir.mkdir(parents=True, exist_ok=True)
    java = bin_dir / "java"
    java.write_text(f"#!/bin/sh\necho '{version_line}' >&2\n")
    java.chmod(java.stat().st_mode | stat.S_IEXEC)


def test_missing_java_names_the_package(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(ServerError, match="apt-get install openjdk-17-jre-headless"):
        find_java()


def test_old_java_is_refused(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    _fake_java(tmp_path / "jdk11" / "bin", 'openjdk version "11.0.22" 2024-01-16')
    monkeypatch.setenv("JAVA_HOME", str(tmp_path / "jdk11"))
    with pytest.raises(ServerError, match="is Java 11"):
        find_java()
    _fake_java(tmp_path / "jdk8" / "bin", 'java version "1.8.0_392"')
    monkeypatch.setenv("JAVA_HOME", str(tmp_path / "jdk8"))
    with pytest.raises(ServerError, match="is Java 8"):
        find_java()


def test_java_17_from_java_home_is_accepted(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _fake_java(tmp_path / "jdk17" / "bin", 'openjdk version "17.0.15" 2025-04-15')
    monkeypatch.setenv("JAVA_HOME", str(tmp_path / "jdk17"))
    assert find_java() == tmp_path / "jdk17" / "bin" / "java"


def test_missing_maven_names_the_package(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(ServerError, match="apt-get install .*maven"):
        resolve_jars(tmp_path / "empty-cache")
    assert not (tmp_path / "empty-cache").exists()


def test_start_before_install_says_what_to_do(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["neo4j", "start", "--home", str(tmp_path / "nowhere")])
    assert result.exit_code == 1
    assert "Error: no Neo4j server is installed" in result.output
    assert "kg neo4j install" in result.output


def test_status_of_an_empty_home(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["neo4j", "status", "--home", str(tmp_path)])
    assert result.exit_code == 0
    assert "not installed" in result.output
    assert ManagedServer(tmp_path).status().running is False


def test_conf_is_loopback_only_and_hardened(tmp_path: Path) -> None:
    path = tmp_path / "neo4j.conf"
    path.write_text(
        render_conf(tmp_path, bolt_port=17687, http_port=17474, heap="512m", pagecache="64m")
    )
    conf = read_conf(path)
    assert conf["server.default_listen_address"] == "127.0.0.1"
    assert conf["server.bolt.listen_address"] == "127.0.0.1:17687"
    assert conf["server.bolt.advertised_address"] == "127.0.0.1:17687"
    assert conf["server.http.listen_address"] == "127.0.0.1:17474"
    assert conf["dbms.security.allow_csv_import_from_file_urls"] == "false"
    assert conf["dbms.security.procedures.unrestricted"] == ""
    assert conf["server.directories.import"] == str(tmp_path.resolve() / "import")
    assert conf["dbms.usage_report.enabled"] == "false"


def test_update_conf_keeps_other_edits(tmp_path: Path) -> None:
    path = tmp_path / "neo4j.conf"
    path.write_text("# mine\na.b=1\nserver.bolt.listen_address=127.0.0.1:7687\nx.y=keep\n")
    assert update_conf(path, {"server.bolt.listen_address": "127.0.0.1:9999", "new.key": "v"})
    assert path.read_text() == (
        "# mine\na.b=1\nserver.bolt.listen_address=127.0.0.1:9999\nx.y=keep\nnew.key=v\n"
    )
    assert not update_conf(path, {"a.b": "1"})


def test_configure_rewrites_ports_and_rejects_nonsense(tmp_path: Path) -> None:
    server = ManagedServer(tmp_path)
    server.conf_dir.mkdir()
    server.conf_file.write_text(
        render_conf(tmp_path, bolt_port=7687, http_port=7474, heap="1g", pagecache="512m")
    )
    assert server.configure(bolt_port=17687, heap="2G")
    assert server.ports() == (17687, 7474)
    assert server.bolt_uri == "bolt://127.0.0.1:17687"
    assert read_conf(server.conf_file)["server.memory.heap.max_size"] == "2g"
    assert "-Xmx2g" in server.java_command(Path("/usr/bin/java"))
    with server.conf_file.open("a") as conf:
        conf.write("server.jvm.additional=-XX:+UseSerialGC\n")
    command = server.java_command(Path("/usr/bin/java"))
    assert command.index("-XX:+UseSerialGC") < command.index("org.neo4j.server.CommunityEntryPoint")
    with pytest.raises(ServerError, match="--heap"):
        server.configure(heap="lots")
    with pytest.raises(ServerError, match="--bolt-port"):
        server.configure(bolt_port=70000)


def test_follow_yields_lines_appended_later(tmp_path: Path) -> None:
    server = ManagedServer(tmp_path)
    log = server.log_file("neo4j")
    log.parent.mkdir()
    log.write_text("before\n")
    lines = server.follow("neo4j", poll=0.05)

    def append() -> None:
        with log.open("a") as handle:
            handle.write("after 1\nafter 2\npartial")

    writer = threading.Timer(0.2, append)
    writer.start()
    assert [next(lines), next(lines)] == ["after 1", "after 2"]
    writer.join()
    assert server.log_tail(2) == ["after 2", "partial"]
    with pytest.raises(ServerError, match="unknown log"):
        server.log_file("secrets")


def test_port_in_use() -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        assert port_in_use(sock.getsockname()[1])
    assert not port_in_use(free_port())


# --- connection settings --------------------------------------------------------------

_ENV = (
    "KG_NEO4J_URI", "NEO4J_URI", "KG_NEO4J_USER", "NEO4J_USERNAME", "KG_NEO4J_PASSWORD",
    "NEO4J_PASSWORD", "KG_NEO4J_DATABASE", "NEO4J_DATABASE", "KG_NEO4J_HOME",
)  # fmt: skip


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in _ENV:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_options_beat_kg_env_which_beats_neo4j_env(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("NEO4J_URI", "bolt://neo4j-env:7687")
    assert neo4j_settings().uri == "bolt://neo4j-env:7687"
    clean_env.setenv("KG_NEO4J_URI", "bolt://kg-env:7687")
    assert neo4j_settings().uri == "bolt://kg-env:7687"
    assert neo4j_settings(uri="neo4j+s://abc.databases.neo4j.io").uri == (
        "neo4j+s://abc.databases.neo4j.io"
    )


def test_unrelated_environment_is_not_read(clean_env: pytest.MonkeyPatch) -> None:
    # $HOME and $USER must not become the server home and the Neo4j user.
    clean_env.setenv("HOME", "/somewhere/else")
    clean_env.setenv("USER", "alice")
    settings = neo4j_settings()
    assert settings.user == "neo4j"
    assert settings.home != Path("/somewhere/else")
    clean_env.setenv("KG_NEO4J_HOME", "/srv/kg-neo4j")
    assert neo4j_settings().home == Path("/srv/kg-neo4j")


def test_resolve_without_any_server(clean_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    with pytest.raises(ConnectionError_, match="kg neo4j install"):
        resolve(neo4j_settings(home=tmp_path))


def test_resolve_remote_uri_needs_a_password(clean_env: pytest.MonkeyPatch) -> None:
    with pytest.raises(ConfigError, match="KG_NEO4J_PASSWORD"):
        resolve(neo4j_settings(uri="neo4j+s://abc.databases.neo4j.io"))
    target = resolve(neo4j_settings(uri="neo4j+s://abc.databases.neo4j.io", password="pw"))
    assert target.uri == "neo4j+s://abc.databases.neo4j.io"
    assert target.password.get_secret_value() == "pw"
    with pytest.raises(ConfigError, match="unsupported Neo4j URI"):
        resolve(neo4j_settings(uri="http://127.0.0.1:7474", password="pw"))


# --- help ---------------------------------------------------------------------------------


def test_neo4j_options_pass_settings_with_options_first(
    clean_env: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    @click.command()
    @neo4j_options
    @click.option("--other", default="x")
    def probe(neo4j_settings: Neo4jSettings, other: str) -> None:
        s = neo4j_settings
        click.echo(f"{s.uri}|{s.user}|{s.database}|{s.home}|{other}")
        click.echo("password set" if s.password else "no password")

    clean_env.setenv("KG_NEO4J_URI", "bolt://from-env:7687")
    clean_env.setenv("KG_NEO4J_PASSWORD", "env-secret")
    result = CliRunner().invoke(
        probe, ["--user", "analyst", "--home", str(tmp_path), "--other", "y"]
    )
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        f"bolt://from-env:7687|analyst|neo4j|{tmp_path}|y",
        "password set",
    ]
    result = CliRunner().invoke(
        probe, ["--uri", "neo4j+s://x.databases.neo4j.io", "--database", "kg"]
    )
    assert result.output.splitlines()[0].startswith("neo4j+s://x.databases.neo4j.io|neo4j|kg|")
    assert "--password" in CliRunner().invoke(probe, ["--help"]).output
