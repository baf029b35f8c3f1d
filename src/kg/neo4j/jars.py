"""Neo4j's jars: the pinned versions, Java and Maven found on this machine, and the jar cache.

There is no Docker and no tarball download: Maven resolves Neo4j 5.26 LTS, its boot loader
and Neo4j Browser from Maven Central into a cache shared by every server home of the same
versions (`default_lib_cache`), once.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

from platformdirs import user_cache_dir

from kg.errors import ServerError

NEO4J_VERSION = "5.26.30"
BROWSER_VERSION = "5.24.0"
# Pinned so that a resolve gives the same jars on every machine.
DEPENDENCY_PLUGIN = "org.apache.maven.plugins:maven-dependency-plugin:3.8.1"
MIN_JAVA = 17
INSTALL_HINT = "apt-get install openjdk-17-jre-headless maven"

Progress = Callable[[str], None]


def quiet(_: str) -> None:
    """A `Progress` that says nothing."""


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



def default_lib_cache() -> Path:
    """Where resolved jars are kept, shared by every home of the same versions."""
    return Path(user_cache_dir("kg")) / f"neo4j-{NEO4J_VERSION}-browser-{BROWSER_VERSION}"


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
            f"(checked JAVA_HOME and PATH). Install it with `{INSTALL_HINT}`."
        )
    major = java_major_version(Path(candidate))
    if major < MIN_JAVA:
        raise ServerError(
            f"Neo4j {NEO4J_VERSION} needs Java {MIN_JAVA} or newer; {candidate} is Java {major}. "
            f"Install it with `{INSTALL_HINT}` or point JAVA_HOME at a newer JDK."
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
            f"Install it with `{INSTALL_HINT}`."
        )
    return Path(mvn)


def resolve_jars(cache: Path, *, progress: Progress = quiet) -> bool:
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
