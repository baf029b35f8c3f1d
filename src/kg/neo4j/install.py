"""Making a server home ready to start: its directories, the jar link, neo4j.conf and the
admin password (generated, handed to Neo4j before the first start, never printed).
"""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import time
from collections.abc import Mapping
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from kg.errors import ServerError
from kg.neo4j.conf import (
    DEFAULT_BOLT_PORT,
    DEFAULT_HEAP,
    DEFAULT_HTTP_PORT,
    DEFAULT_PAGECACHE,
    check_port,
    check_size,
    render_conf,
)
from kg.neo4j.home import ServerHome
from kg.neo4j.jars import BROWSER_VERSION, NEO4J_VERSION, Progress, find_java, quiet, resolve_jars

ADMIN_TOOL = "org.neo4j.cli.AdminTool"
_PASSWORD = re.compile(r"^[A-Za-z0-9_.~+=/-]{8,}$")


class InstallResult(BaseModel):
    model_config = ConfigDict(extra="forbid")

    already_installed: bool
    resolved_jars: bool  # False when the shared jar cache was reused
    seconds: float
    home: Path
    lib: Path


def install(
    server: ServerHome,
    *,
    bolt_port: int = DEFAULT_BOLT_PORT,
    http_port: int = DEFAULT_HTTP_PORT,
    heap: str = DEFAULT_HEAP,
    pagecache: str = DEFAULT_PAGECACHE,
    extra_conf: Mapping[str, str] | None = None,
    progress: Progress = quiet,
) -> InstallResult:
    """Make `server`'s home a ready-to-start server. Running it again changes nothing.

    `extra_conf` adds neo4j.conf lines to a new home (the tests use it for a
    faster-starting JVM); `server.jvm.additional` values go to the JVM.
    """
    began = time.monotonic()
    if server.is_installed():
        return InstallResult(
            already_installed=True,
            resolved_jars=False,
            seconds=time.monotonic() - began,
            home=server.home,
            lib=(server.home / "lib").resolve(),
        )
    java = find_java()
    check_port("--bolt-port", bolt_port)
    check_port("--http-port", http_port)
    heap, pagecache = check_size("--heap", heap), check_size("--pagecache", pagecache)
    resolved = resolve_jars(server.lib_cache, progress=progress)
    server.home.mkdir(parents=True, exist_ok=True)
    with server.lock():
        if not server.is_installed():  # unless a concurrent install just finished
            _install_home(server, java, bolt_port, http_port, heap, pagecache,
                          dict(extra_conf or {}), progress)
    return InstallResult(
        already_installed=False,
        resolved_jars=resolved,
        seconds=time.monotonic() - began,
        home=server.home,
        lib=(server.home / "lib").resolve(),
    )


def _install_home(
    server: ServerHome,
    java: Path,
    bolt_port: int,
    http_port: int,
    heap: str,
    pagecache: str,
    extra_conf: dict[str, str],
    progress: Progress,
) -> None:
    for sub in ("conf", "data", "logs", "import", "plugins", "run"):
        (server.home / sub).mkdir(exist_ok=True)
    lib = server.home / "lib"
    if lib.is_symlink() and lib.resolve() != (server.lib_cache / "lib").resolve():
        lib.unlink()  # points at another (older or removed) jar cache
    if not lib.exists():
        lib.symlink_to(server.lib_cache / "lib", target_is_directory=True)
    if not server.conf_file.exists():
        conf = render_conf(
            server.home, bolt_port=bolt_port, http_port=http_port, heap=heap, pagecache=pagecache
        )
        if extra_conf:
            conf += "\n# Added at install.\n"
            conf += "".join(f"{key}={value}\n" for key, value in extra_conf.items())
        server.conf_file.write_text(conf, encoding="utf-8")
    _ensure_password(server, java, progress)
    manifest = {
        "neo4j_version": NEO4J_VERSION,
        "browser_version": BROWSER_VERSION,
        "lib": str(server.lib_cache / "lib"),
    }
    server.manifest_file.write_text(json.dumps(manifest, indent=2), encoding="utf-8")

def _database_created(server: ServerHome) -> bool:
    return (server.home / "data" / "databases" / "system").exists()

def _ensure_password(server: ServerHome, java: Path, progress: Progress) -> None:
    """Generate the admin password and hand it to Neo4j before the first start."""
    auth = server.password_file.parent
    auth.mkdir(mode=0o700, exist_ok=True)
    os.chmod(auth, 0o700)
    if _database_created(server):
        if server.password_file.is_file():
            return
        raise ServerError(
            f"{server.home} already holds a database but no password file {server.password_file}; "
            "its password cannot be set any more. Use a new --home, or remove "
            f"{server.home / 'data'} to start from an empty database."
        )
    created = not server.password_file.exists()
    if created:
        fd = os.open(server.password_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(secrets.token_urlsafe(24) + "\n")
    os.chmod(server.password_file, 0o600)
    password = server.read_password().get_secret_value()
    if not _PASSWORD.match(password):
        # It travels through an argument file, where spaces and quotes have meaning.
        raise ServerError(
            f"the password in {server.password_file} must be at least 8 characters of "
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
            [str(java), "-cp", str(server.home / "lib" / "*"), ADMIN_TOOL, f"@{argfile}"],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
            env=server.process_env(),
            cwd=server.home,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ServerError(f"could not run neo4j-admin to set the password: {exc}") from exc
    finally:
        argfile.unlink(missing_ok=True)
    if done.returncode != 0:
        if created:
            server.password_file.unlink(missing_ok=True)
        output = (done.stdout + done.stderr).replace(password, "********").strip()
        raise ServerError(f"neo4j-admin could not set the initial password:\n{output}")
