"""Scoring on the shared development set (`../shared/devset/`, outside this repository).

The development set is real reports by other outlets with hand-made gold annotations and
its own scorer (`score.py`, see its README). `score_devset` extracts every article exactly
as `kg extract --format json` does, writes one graph per article (`<article id>.json`), and
runs that scorer over them. The set is not part of the project: when it is absent the run
stops with one clear error, and no test depends on it.

    from kg.dev.devset import locate, score_devset
    result = score_devset(locate("../shared/devset"))
    print(result.output)
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from kg.errors import KgError
from kg.sources import ReadFailure, read_paths

if TYPE_CHECKING:
    from kg.extract.pipeline import Extractor

DEFAULT_DEVSET = Path("../shared/devset")


class DevsetError(KgError):
    """The development set is missing or incomplete, or its scorer could not run."""


@dataclass(frozen=True)
class Devset:
    root: Path

    @property
    def articles(self) -> Path:
        return self.root / "articles"

    @property
    def gold(self) -> Path:
        return self.root / "gold"

    @property
    def scorer(self) -> Path:
        return self.root / "score.py"


@dataclass
class DevsetResult:
    output: str  # what the scorer printed: the table, then the macro F1 line
    passed: bool  # the scorer's verdict: every article predicted, macro F1 at the goal
    predictions: Path | None  # where the graphs were kept (None: a temporary folder)
    articles: int
    failures: list[str] = field(default_factory=list)  # articles that could not be read


def locate(root: str | Path = DEFAULT_DEVSET) -> Devset:
    """The development set at `root`; `DevsetError` saying what is missing when it is not there."""
    devset = Devset(Path(root))
    if not devset.root.is_dir():
        raise DevsetError(f"{devset.root}: no development set here; it lives in ../shared/devset "
                          f"beside the repository (give another with --devset)")
    missing = [p.name for p in (devset.articles, devset.gold) if not p.is_dir()]
    missing += [devset.scorer.name] if not devset.scorer.is_file() else []
    if missing:
        raise DevsetError(f"{devset.root}: not a development set, {', '.join(missing)} missing")
    return devset


def write_predictions(devset: Devset, out: Path, extractor: Extractor | None = None
                      ) -> tuple[int, list[str]]:
    """Every article's graph as `out/<article id>.json`, as `kg extract --format json` prints it.

    Returns the number of graphs written and the articles that could not be read.
    """
    if extractor is None:
        from kg.extract.pipeline import Extractor

        extractor = Extractor()
    failures: list[str] = []
    articles = []
    for item in read_paths([devset.articles]):
        if isinstance(item, ReadFailure):
            failures.append(item.message)
        else:
            articles.append(item)
    out.mkdir(parents=True, exist_ok=True)
    written = 0
    for graph in extractor.extract_many(articles):
        document = json.dumps(graph.model_dump(mode="json"), indent=2, ensure_ascii=False)
        (out / f"{graph.article.id}.json").write_text(document + "\n", encoding="utf-8")
        written += 1
    return written, failures


def run_scorer(devset: Devset, predictions: Path, *, min_macro: float = 0.0) -> tuple[str, bool]:
    """The development set's own scorer over `predictions`: its output, and whether it passed."""
    command = [sys.executable, str(devset.scorer), "--pred", str(predictions),
               "--gold", str(devset.gold), "--min-macro", str(min_macro)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    # The scorer's last line is the macro F1; exit 1 with it is a verdict, without it a crash.
    lines = done.stdout.strip().splitlines()
    if done.returncode not in (0, 1) or not lines or not lines[-1].startswith("macro F1"):
        detail = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise DevsetError(f"{devset.scorer}: the scorer failed (exit {done.returncode}): {detail}")
    return done.stdout, done.returncode == 0


def score_devset(devset: Devset, *, out: Path | None = None, min_macro: float = 0.0,
                 extractor: Extractor | None = None) -> DevsetResult:
    """Extract the development set into `out` (a temporary folder when None) and score it."""
    if out is None:
        with tempfile.TemporaryDirectory(prefix="kg-devset-") as scratch:
            result = score_devset(devset, out=Path(scratch), min_macro=min_macro,
                                  extractor=extractor)
            result.predictions = None
            return result
    count, failures = write_predictions(devset, out, extractor)
    output, passed = run_scorer(devset, out, min_macro=min_macro)
    return DevsetResult(output, passed and not failures, out, count, failures)
