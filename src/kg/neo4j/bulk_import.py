"""Build a database from CSV files with the managed server's `neo4j-admin database import full`.

The import needs the database offline and empty, so the managed server is stopped and the
database's store is moved aside first; the import builds a new one in its place. When
anything fails — the import, the server's start, the steps run on the new database before it
counts as done (`build`'s `finish`) — the new store is removed, the previous one moved back
and the server started again as it was: a failed backfill leaves the previous database as it
was. Only once `finish` succeeds is the previous store deleted.

Neo4j Community has one user database, the server's default (`initial.dbms.default_database`,
`neo4j` unless configured before the first start), and cannot create others: that is the one
database a backfill can build there. Neo4j Enterprise could serve another, created afterwards
with CREATE DATABASE; the managed server is Community.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from kg.errors import ServerError
from kg.neo4j.conf import read_conf
from kg.neo4j.install import ADMIN_TOOL
from kg.neo4j.jars import find_java
from kg.neo4j.server import ManagedServer

DEFAULT_DATABASE = "neo4j"
_ASIDE = ".kg-previous-"  # prefix of a store moved aside during an import
READ_BUFFER_CHARS = 4 * 1024 * 1024  # neo4j-admin's default --read-buffer-size


@dataclass(frozen=True)
class ImportGroup:
    """One `--nodes` or `--relationships` argument: a label or type, a header, data files."""

    kind: str  # "nodes" or "rels"
    name: str
    header: Path
    files: Sequence[str]
    multiline: Sequence[str] = ()
    longest_row: int = 0  # code points, line break included


def read_buffer_size(groups: Sequence[ImportGroup]) -> int:
    """`--read-buffer-size` in characters: the default, or more when a row needs it (a row
    must fit in one buffer; Java counts UTF-16 units, at most two a code point)."""
    return max(READ_BUFFER_CHARS, 2 * max((g.longest_row for g in groups), default=0) + 2)


def default_database(server: ManagedServer) -> str:
    """The one user database a Community server serves."""
    conf = read_conf(server.conf_file) if server.conf_file.is_file() else {}
    return conf.get("initial.dbms.default_database", DEFAULT_DATABASE)


def check_database_name(server: ManagedServer, name: str) -> None:
    default = default_database(server)
    if name != default:
        raise ServerError(
            f"Neo4j Community (the managed server) serves one user database, {default!r}, and "
            f"cannot create {name!r}: backfill into --database {default}")


def store_dirs(server: ManagedServer, name: str) -> list[Path]:
    """The directories that hold one database: its store and its transaction logs."""
    data = server.home / "data"
    return [data / "databases" / name, data / "transactions" / name]


def database_exists(server: ManagedServer, name: str) -> bool:
    return any(path.exists() for path in store_dirs(server, name))


def import_command(java: Path, server: ManagedServer, name: str, groups: Sequence[ImportGroup],
                   *, report: Path, threads: int | None = None) -> tuple[list[str], list[str]]:
    """(command, argument-file lines) of `neo4j-admin database import full` over `groups`."""
    # The database first: an option that takes files would take it for one of them.
    args = ["database", "import", "full", name, "--array-delimiter=U+001F", "--id-type=string",
            f"--report-file={report}", "--skip-bad-relationships=false",
            "--skip-duplicate-nodes=false", "--bad-tolerance=0",
            f"--read-buffer-size={read_buffer_size(groups)}", "--verbose"]
    if threads:
        args.append(f"--threads={threads}")
    multiline = [f for group in groups for f in group.multiline]
    if multiline:
        args += ["--multiline-fields-format=v2", "--multiline-fields=" + ",".join(multiline)]
    for group in groups:
        option = "--nodes" if group.kind == "nodes" else "--relationships"
        args.append(f"{option}={group.name}=" + ",".join([str(group.header), *group.files]))
    command = [str(java), "-cp", str(server.home / "lib" / "*"), ADMIN_TOOL]
    return command, args


def _argfile_line(arg: str) -> str:
    # picocli reads one argument per line; quoted, a path may hold spaces.
    return '"' + arg.replace("\\", "\\\\").replace('"', '\\"') + '"'


def run_import(server: ManagedServer, name: str, groups: Sequence[ImportGroup], workdir: Path,
               *, threads: int | None = None) -> float:
    """Run the import into the (absent) database `name`; returns its seconds.

    The tool's output goes to `import_log(server)`. Raises `ServerError` with its cause and
    last lines when it fails."""
    command, args = import_command(find_java(), server, name, groups,
                                   report=workdir / "import.report", threads=threads)
    argfile = workdir / "import.args"
    argfile.write_text("\n".join(_argfile_line(a) for a in args) + "\n", encoding="utf-8")
    began = time.perf_counter()
    try:
        done = subprocess.run([*command, f"@{argfile}"], capture_output=True, text=True,
                              check=False, env=server.process_env(), cwd=server.home)
    except OSError as exc:
        raise ServerError(f"could not run neo4j-admin database import: {exc}") from exc
    seconds = time.perf_counter() - began
    output = done.stdout + done.stderr
    log = import_log(server)
    log.parent.mkdir(parents=True, exist_ok=True)
    log.write_text(output, encoding="utf-8")
    if done.returncode != 0:
        raise ServerError(f"neo4j-admin database import failed (exit {done.returncode}); the "
                          f"full output is in {log}:\n{_failure(output)}")
    return seconds


def import_log(server: ManagedServer) -> Path:
    """Where the last import's output is kept (the work directory it ran in is removed)."""
    return server.home / "logs" / "neo4j-admin-import.log"


def _failure(output: str) -> str:
    """The tool's last lines without Java stack frames, and the root cause it names."""
    lines = [line for line in output.strip().splitlines()
             if line.strip() and not line.lstrip().startswith(("at ", "... "))]
    causes = [line.strip() for line in lines if line.startswith("Caused by: ")]
    tail = [line for line in lines[-10:] if not line.startswith("Caused by: ")]
    return "\n".join(tail + causes[-1:])


def build(server: ManagedServer, name: str, groups: Sequence[ImportGroup], workdir: Path, *,
          finish: Callable[[], None], threads: int | None = None) -> float:
    """Replace database `name` by one imported from `groups`, then run `finish` on it.

    The server is stopped for the import and started after it (also when it was not
    running before: `finish` needs it). Returns the import's seconds. See the module
    docstring for what a failure leaves.
    """
    check_database_name(server, name)
    was_running = server.pid() is not None
    if was_running:
        server.stop()
    aside = _move_aside(server, name)
    try:
        seconds = run_import(server, name, groups, workdir, threads=threads)
        server.start()
        finish()
    except BaseException:
        server.stop()
        for path in store_dirs(server, name):
            shutil.rmtree(path, ignore_errors=True)
        _move_back(aside)
        if was_running:
            server.start()
        raise
    for previous in aside.values():
        shutil.rmtree(previous, ignore_errors=True)
    return seconds


def _move_aside(server: ManagedServer, name: str) -> dict[Path, Path]:
    """Move the database's directories to siblings named `.kg-previous-NAME`; returns the moves."""
    moved: dict[Path, Path] = {}
    for path in store_dirs(server, name):
        if path.exists():
            aside = path.with_name(_ASIDE + name)
            if aside.exists():
                _move_back(moved)
                raise ServerError(
                    f"{aside} is there: the database a backfill that was killed had moved "
                    f"aside. Move it back to {path} (or remove it) before backfilling again")
            path.rename(aside)
            moved[path] = aside
    return moved


def _move_back(moved: dict[Path, Path]) -> None:
    for path, aside in moved.items():
        aside.rename(path)
